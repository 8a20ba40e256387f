/**
 * A tender document's new version is published to the OCDS feed (issue 16), over DynamoDB Local and the
 * local S3 server: once the competition is published, the confirmation that makes a version current writes
 * exactly one `tenderAmendment` release in the same transaction – through the JSON route's confirmation
 * and through the web form alike – naming the document, its kind's documentType and the version, valid
 * against the OCDS 1.1.5 schema (with the extensions), and carrying nothing confidential: not the
 * competition's confidential section, the lead, the file's keys or its bucket. A draft's documents, an
 * upload refused at its confirmation, and a confirmation repeated publish nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { Release } from '../../shared/domain/publication/ocds';
import { ocidOf } from '../../shared/domain/publication/releases';
import { documentStorage } from '../../shared/storage/documents';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import { prepareFormUpload, recordFormUpload } from '../../shared/use-cases/documents/form-upload';
import {
  addDocument,
  addDocumentVersion,
  confirmUpload,
  type DocumentUploadInput,
  type UploadTicket,
} from '../../shared/use-cases/documents/upload-document';
import { competitionBody, inSeconds } from '../support/competitions';
import { releaseErrors } from '../support/ocds';
import { readRecord, readWholeFeed } from '../support/publication';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';

const deps = (): DocumentDeps => ({ ...repositories(), storage: documentStorage() });
const rules = () => config().documents;
const ocid = (id: string) => ocidOf(config().publication, id);

/** Confidential values the competition carries: none may appear in a release. */
const NOTES = 'Confidential: the incumbent asked for 7% more.';
const CEILING_PENCE = 612_345_67;

const PDF = Buffer.from('%PDF-1.4\n% the specification\n%%EOF\n', 'latin1');
const pdf = (title: string): DocumentUploadInput => ({
  title,
  kind: 'specification',
  fileName: 'specification.pdf',
  contentType: 'application/pdf',
  sizeBytes: PDF.length,
});

async function competition(publish: boolean): Promise<string> {
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title: 'Documents in the feed',
      prequalificationDeadline: undefined,
      estimatedValuePence: 80_000_00,
      risk: 'low',
      termMonths: 24,
      tenderDeadline: inSeconds(3600),
      confidential: { budgetCeilingPence: CEILING_PENCE, notes: NOTES },
    }) as unknown as CreateCompetitionInput,
    new Date(),
    config().rules,
  );
  if (publish) await publishCompetition(repositories(), LEAD, created.id, new Date(), config().rules);
  return created.id;
}

async function upload(ticket: UploadTicket, body = PDF): Promise<void> {
  const response = await fetch(ticket.uploadUrl, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/pdf' },
  });
  expect(response.status).toBe(200);
}

/** The releases of one process, from the whole (validated) feed. */
async function releasesOf(id: string): Promise<Release[]> {
  return (await readWholeFeed()).releases.filter((r) => r.ocid === ocid(id));
}

/** Nothing confidential or internal in what was published. */
function expectNothingConfidential(releases: readonly Release[], keys: readonly string[]): void {
  const text = JSON.stringify(releases);
  for (const secret of [
    NOTES,
    String(CEILING_PENCE),
    String(CEILING_PENCE / 100),
    LEAD.kind === 'user' ? LEAD.sub : '',
    config().documents.bucket,
    'X-Amz-',
    'upload-',
    'file-',
    ...keys,
  ]) {
    expect(text, secret).not.toContain(secret);
  }
}

beforeAll(async () => {
  await useTestTables();
});

describe("a published competition's document versions", () => {
  let id: string;
  let documentId: string;

  it('a confirmed version 1 yields exactly one tenderAmendment, valid, with the document and nothing confidential', async () => {
    id = await competition(true);
    const ticket = await addDocument(deps(), LEAD, id, pdf('Service specification'), new Date(), rules());
    documentId = ticket.documentId;
    // Handing out the URL publishes nothing: nobody can see a pending version.
    expect((await releasesOf(id)).map((r) => r.tag)).toEqual([['tender']]);
    await upload(ticket);
    await confirmUpload(deps(), LEAD, id, documentId, 1, new Date(), rules());
    const releases = await releasesOf(id);
    expect(releases.map((r) => r.tag)).toEqual([['tender'], ['tenderAmendment']]);
    const amendment = releases[1] as Release;
    expect(releaseErrors(amendment)).toEqual([]);
    expect(amendment.tender?.documents).toEqual([
      expect.objectContaining({
        id: documentId,
        documentType: 'technicalSpecifications',
        title: 'Service specification',
        datePublished: expect.any(String),
      }),
    ]);
    expect(amendment.tender?.amendments).toEqual([
      expect.objectContaining({
        id: `document-${documentId}-v1`,
        rationale: 'A tender document was added: Service specification',
      }),
    ]);
    // Confirming again changes nothing and publishes nothing more.
    await confirmUpload(deps(), LEAD, id, documentId, 1, new Date(), rules());
    expect(await releasesOf(id)).toHaveLength(2);
    expectNothingConfidential(releases, [ticket.uploadUrl]);
  });

  it('version 2 yields one more, as a modification; the record compiles both', async () => {
    const ticket = await addDocumentVersion(
      deps(),
      LEAD,
      id,
      documentId,
      pdf('Service specification'),
      new Date(),
      rules(),
    );
    await upload(ticket);
    await confirmUpload(deps(), LEAD, id, documentId, 2, new Date(), rules());
    const releases = await releasesOf(id);
    expect(releases.map((r) => r.tag)).toEqual([['tender'], ['tenderAmendment'], ['tenderAmendment']]);
    const latest = releases[2] as Release;
    expect(releaseErrors(latest)).toEqual([]);
    expect(latest.tender?.documents?.[0]).toMatchObject({ id: documentId, dateModified: expect.any(String) });
    expect(latest.tender?.amendments?.[0]?.rationale).toBe(
      'A tender document changed: Service specification is now version 2',
    );
    const record = await readRecord(ocid(id));
    expect(record.body.records[0]?.compiledRelease?.tender?.documents).toEqual([
      expect.objectContaining({ id: documentId }),
    ]);
    expectNothingConfidential(releases, [ticket.uploadUrl]);
  });

  it('an upload refused at its confirmation publishes nothing', async () => {
    const ticket = await addDocument(deps(), LEAD, id, pdf('Not a PDF'), new Date(), rules());
    await upload(ticket, Buffer.alloc(PDF.length, 'x'));
    await expect(
      confirmUpload(deps(), LEAD, id, ticket.documentId, 1, new Date(), rules()),
    ).rejects.toMatchObject({ code: 'validation' });
    expect(await releasesOf(id)).toHaveLength(3);
  });

  it('a version uploaded through the web form yields its tenderAmendment too', async () => {
    let back: Parameters<typeof recordFormUpload>[3] | undefined;
    const prepared = await prepareFormUpload(
      deps(),
      LEAD,
      id,
      { title: 'Pricing schedule', kind: 'pricing_schedule', contentType: 'text/csv' },
      new Date(),
      rules(),
      (upload) => {
        back = upload;
        return 'http://localhost/back';
      },
    );
    const body = new FormData();
    for (const [name, value] of Object.entries(prepared.form.fields)) body.append(name, value);
    body.append('file', new Blob([Buffer.from('item,price\nCaseworker hours,\n')]), 'pricing.csv');
    expect((await fetch(prepared.form.url, { method: 'POST', body, redirect: 'manual' })).status).toBe(303);
    if (!back) throw new Error('The form was prepared without a way back');
    await recordFormUpload(deps(), LEAD, id, back, new Date(), rules());
    const releases = await releasesOf(id);
    expect(releases).toHaveLength(4);
    const amendment = releases[3] as Release;
    expect(releaseErrors(amendment)).toEqual([]);
    expect(amendment.tender?.documents).toEqual([
      expect.objectContaining({ id: prepared.documentId, documentType: 'billOfQuantity' }),
    ]);
    expectNothingConfidential(releases, [prepared.form.url]);
  });
});

describe("a draft's documents", () => {
  it('publish nothing: no release until the competition itself is published', async () => {
    const id = await competition(false);
    const ticket = await addDocument(deps(), LEAD, id, pdf('Draft specification'), new Date(), rules());
    await upload(ticket);
    await confirmUpload(deps(), LEAD, id, ticket.documentId, 1, new Date(), rules());
    expect(await releasesOf(id)).toEqual([]);
    await publishCompetition(repositories(), LEAD, id, new Date(), config().rules);
    expect((await releasesOf(id)).map((r) => r.tag)).toEqual([['tender']]);
  });
});
