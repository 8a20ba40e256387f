/**
 * Demo data for tender documents (issue 15): on the competition in pre-qualification, the lead published a
 * service specification four days ago and a corrected version two days ago (both downloadable), and a
 * pricing schedule, through the same use cases as the API, with the files in the local S3 server.
 */
import type { Repositories } from '../../shared/db/repositories';
import type { Competition } from '../../shared/domain/competitions';
import { documentStorage } from '../../shared/storage/documents';
import type { DocumentRules } from '../../shared/use-cases/documents/common';
import { uploadKey } from '../../shared/use-cases/documents/common';
import {
  addDocument,
  addDocumentVersion,
  confirmUpload,
  type DocumentUploadInput,
} from '../../shared/use-cases/documents/upload-document';
import { DAY, DEMO_COMMISSIONER, LEAD } from './competition-kit';
import { PREQUALIFICATION_TITLE } from './competitions';

/** A one-page PDF showing `lines`: small, valid, and opened by any PDF reader. */
export function demoPdf(lines: string[]): Buffer {
  const text = lines
    .map(
      (line, i) => `BT /F1 12 Tf 72 ${760 - i * 18} Td (${line.replace(/[()\\]/g, (c) => `\\${c}`)}) Tj ET`,
    )
    .join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(text)} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(body));
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body);
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const SPECIFICATION_V1 = demoPdf([
  'Accommodation support for prison leavers, North West: specification (version 1)',
  '1. Purpose: keep people leaving prison in a home of their own.',
  '4.3 Move-on support for up to 12 weeks after a tenancy starts.',
]);
const SPECIFICATION_V2 = demoPdf([
  'Accommodation support for prison leavers, North West: specification (version 2)',
  '1. Purpose: keep people leaving prison in a home of their own.',
  '4.3 Move-on support for up to 26 weeks after a tenancy starts (changed).',
]);
const PRICING = Buffer.from(
  'item,unit,quantity,price\nCaseworker hours,hour,12000,\nMove-on support,person,400,\nTraining,day,20,\n',
  'utf8',
);

/** The demo competition in pre-qualification. */
async function prequalificationCompetition(repos: Repositories): Promise<Competition | undefined> {
  const seats = await repos.competitions.seats(DEMO_COMMISSIONER, { limit: 50 });
  const summaries = await repos.competitions.summaries(seats.items.map((seat) => seat.competitionId));
  return [...summaries.values()]
    .map((summary) => summary.competition)
    .find((competition) => competition.title === PREQUALIFICATION_TITLE);
}

/**
 * Puts a version's file under its upload's key with a URL signed now (the version was handed out at its own
 * time, so its own URL has expired).
 */
async function store(
  repos: Repositories,
  competitionId: string,
  documentId: string,
  version: number,
  input: DocumentUploadInput,
  file: Buffer,
) {
  const pending = await repos.documents.getVersion(competitionId, documentId, version);
  if (!pending?.pending || !pending.uploadId)
    throw new Error(`Version ${version} of demo document ${documentId} was not handed out for upload`);
  const { url } = await documentStorage().uploadUrl(
    {
      key: uploadKey(competitionId, documentId, version, pending.uploadId),
      contentType: input.contentType,
      sizeBytes: file.length,
    },
    { now: new Date(), expiresSeconds: 300 },
  );
  const response = await fetch(url, {
    method: 'PUT',
    body: file,
    headers: { 'content-type': input.contentType },
  });
  if (!response.ok)
    throw new Error(`Storing a demo document failed: ${response.status} ${await response.text()}`);
}

/** Seeds the documents; a one-line summary. */
export async function seedDocuments(repos: Repositories, rules: DocumentRules): Promise<string> {
  const competition = await prequalificationCompetition(repos);
  if (!competition) return `none: no "${PREQUALIFICATION_TITLE}" to publish documents for`;
  const deps = { ...repos, storage: documentStorage() };
  const now = Date.now();
  const spec = (file: Buffer, fileName: string): DocumentUploadInput => ({
    title: 'Service specification',
    kind: 'specification',
    fileName,
    contentType: 'application/pdf',
    sizeBytes: file.length,
  });
  const first = spec(SPECIFICATION_V1, 'service-specification-v1.pdf');
  const { documentId } = await addDocument(deps, LEAD, competition.id, first, new Date(now - 4 * DAY), rules);
  await store(repos, competition.id, documentId, 1, first, SPECIFICATION_V1);
  // Each version becomes current once its file is in the bucket, as the API's confirmation makes it.
  await confirmUpload(deps, LEAD, competition.id, documentId, 1, new Date(now - 4 * DAY), rules);
  const second = spec(SPECIFICATION_V2, 'service-specification-v2.pdf');
  await addDocumentVersion(deps, LEAD, competition.id, documentId, second, new Date(now - 2 * DAY), rules);
  await store(repos, competition.id, documentId, 2, second, SPECIFICATION_V2);
  await confirmUpload(deps, LEAD, competition.id, documentId, 2, new Date(now - 2 * DAY), rules);
  const pricing: DocumentUploadInput = {
    title: 'Pricing schedule',
    kind: 'pricing_schedule',
    fileName: 'pricing-schedule.csv',
    contentType: 'text/csv',
    sizeBytes: PRICING.length,
  };
  const priced = await addDocument(
    deps,
    LEAD,
    competition.id,
    pricing,
    new Date(now - 4 * DAY + 60_000),
    rules,
  );
  await store(repos, competition.id, priced.documentId, 1, pricing, PRICING);
  await confirmUpload(
    deps,
    LEAD,
    competition.id,
    priced.documentId,
    1,
    new Date(now - 4 * DAY + 60_000),
    rules,
  );
  return `2 documents on "${competition.title}" (the specification in 2 versions)`;
}
