/**
 * The commissioning documents page and what an upload is (issue 15, attacker findings), through the web
 * function's handler with the files in the real local S3 server:
 *
 * - S3 takes a presigned upload form again until it expires: posting it again after the version was
 *   recorded does not change the version (it reads the copy the recording made, a key no form writes).
 * - Without script a browser sends whatever file is chosen under the type chosen before: a file that is not
 *   of that type is refused when S3 sends the browser back, removed, nothing recorded, and the documents
 *   page says why in its error summary.
 * - Versions handed out through the JSON API and not confirmed are listed to the lead as "Upload not
 *   finished", with why the last file was refused if it was, and buttons to confirm or discard them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/commissioning';
import { config } from '../../shared/config';
import { documentRepository, repositories } from '../../shared/db/repositories';
import { documentStorage } from '../../shared/storage/documents';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import {
  addDocument,
  confirmUpload,
  type DocumentUploadInput,
  type UploadTicket,
} from '../../shared/use-cases/documents/upload-document';
import { competitionBody, inSeconds } from '../support/competitions';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

let lead: SignedIn;
let other: SignedIn;
let id: string;

const deps = (): DocumentDeps => ({ ...repositories(), storage: documentStorage() });

const page = (
  routeKey: string,
  options: {
    who?: SignedIn;
    form?: Record<string, string>;
    query?: Record<string, string>;
    params?: Record<string, string>;
  },
) => callPage(handler, routeKey, { ...options, params: { id, ...(options.params ?? {}) } });

/** The hidden fields and action of the S3 form on a "choose the file" page. */
function s3Form(html: string): { action: string; fields: [string, string][] } {
  const match = html.match(
    /<form method="post" action="([^"]+)" enctype="multipart\/form-data">([\s\S]*?)<\/form>/,
  );
  const fields = [
    ...(match?.[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g),
  ].map(
    (m) =>
      [
        m[1] ?? '',
        (m[2] ?? '')
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'"),
      ] as [string, string],
  );
  return { action: (match?.[1] ?? '').replace(/&amp;/g, '&'), fields };
}

async function postToS3(form: { action: string; fields: [string, string][] }, file: Buffer) {
  const body = new FormData();
  for (const [field, value] of form.fields) body.append(field, value);
  body.append('file', new Blob([file]), 'chosen-file');
  return fetch(form.action, { method: 'POST', body, redirect: 'manual' });
}

async function comeBack(location: string, who: SignedIn) {
  const url = new URL(location);
  return callPage(handler, 'GET /commissioning/{id}/documents/uploaded', {
    who,
    params: { id },
    query: Object.fromEntries(url.searchParams),
  });
}

/** Our form, then S3's: the "choose the file" page's form for a new document. */
async function chooseFile(title: string, contentType: string) {
  const choose = await page('POST /commissioning/{id}/documents', {
    who: lead,
    form: { title, kind: 'other', contentType },
  });
  expect(choose.statusCode).toBe(200);
  return s3Form(choose.body ?? '');
}

/** The object key a form writes (its signed `key` field). */
const keyOf = (form: { fields: [string, string][] }) =>
  form.fields.find(([name]) => name === 'key')?.[1] ?? '';

/** The download links on the documents page (presigned GETs of the local S3 server). */
async function downloads(): Promise<string[]> {
  const list = await page('GET /commissioning/{id}/documents', { who: lead });
  return [...(list.body ?? '').matchAll(/href="(http[^"]+)"/g)]
    .map((m) => (m[1] ?? '').replace(/&amp;/g, '&'))
    .filter((link) => link.startsWith(config().documents.endpoint ?? '-'));
}

const PDF = Buffer.from('%PDF-1.4\n% the terms as published\n%%EOF\n', 'latin1');

beforeAll(async () => {
  await useTestTables();
  lead = await signedIn('lead', { groups: ['commissioner'], email: 'lead@example.org' });
  other = await signedIn('someone-else', { groups: ['commissioner'] });
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title: 'Uploads on the web',
      prequalificationDeadline: undefined,
      estimatedValuePence: 80_000_00,
      risk: 'low',
      termMonths: 24,
      tenderDeadline: inSeconds(3600),
    }) as unknown as CreateCompetitionInput,
    new Date(),
    config().rules,
  );
  id = created.id;
});

describe('a form posted again after its version was recorded', () => {
  it('does not change the version: it still downloads as the file first uploaded', async () => {
    const form = await chooseFile('Contract terms', 'application/pdf');
    const stored = await postToS3(form, PDF);
    expect(stored.status).toBe(303);
    const back = await comeBack(stored.headers.get('location') ?? '', lead);
    expect(back.headers?.location).toBe(`/commissioning/${id}/documents?done=uploaded`);

    // S3 takes the same form again within its 15 minutes; the browser is sent back again too.
    const swapped = Buffer.from(PDF.toString('latin1').replace('as published', 'nobody agreed'), 'latin1');
    const again = await postToS3(form, swapped);
    expect(again.status).toBe(303);
    expect((await comeBack(again.headers.get('location') ?? '', lead)).headers?.location).toBe(
      `/commissioning/${id}/documents`,
    );
    const [link] = await downloads();
    expect(Buffer.from(await (await fetch(link ?? '')).arrayBuffer())).toEqual(PDF);
    const [document] = await documentRepository().list(id);
    expect(document?.versions).toHaveLength(1);
  });
});

describe('a file that is not of the type chosen', () => {
  it('is refused when the browser comes back: removed, nothing recorded, and the page says why', async () => {
    const before = (await documentRepository().list(id)).length;
    const form = await chooseFile('Pricing schedule', 'application/pdf');
    // A spreadsheet chosen where a PDF was said: S3 stores it under the form's type all the same.
    const stored = await postToS3(form, Buffer.from('PK\u0003\u0004 not a pdf at all', 'latin1'));
    expect(stored.status).toBe(303);
    expect(await documentStorage().head(keyOf(form))).toBeDefined();
    const back = await comeBack(stored.headers.get('location') ?? '', lead);
    expect(back.statusCode).toBe(303);
    const location = String(back.headers?.location);
    expect(location).toBe(`/commissioning/${id}/documents?refused=type&as=application%2Fpdf`);
    expect(await documentStorage().head(keyOf(form))).toBeUndefined();
    expect(await documentRepository().list(id)).toHaveLength(before);

    const list = await page('GET /commissioning/{id}/documents', {
      who: lead,
      query: Object.fromEntries(new URL(location, 'http://x').searchParams),
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('govuk-error-summary');
    expect(pageText(list)).toContain(
      'The file was not uploaded. The file is not a PDF file (.pdf), the type you said it was.',
    );
    expect(list.body).toContain('href="#add-document"');
  });

  it('an address with a reason or type off the list shows no error', async () => {
    const list = await page('GET /commissioning/{id}/documents', {
      who: lead,
      query: { refused: 'something <b>bold</b>', as: 'text/html' },
    });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('govuk-error-summary');
  });
});

describe('uploads not finished (handed out through the JSON API)', () => {
  const pdf = (title: string): DocumentUploadInput => ({
    title,
    kind: 'specification',
    fileName: `${title.toLowerCase().replace(/ /g, '-')}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: PDF.length,
  });
  const put = (ticket: UploadTicket, body = PDF) =>
    fetch(ticket.uploadUrl, { method: 'PUT', body, headers: { 'content-type': 'application/pdf' } });
  const finish = (ticket: UploadTicket, action: string, who = lead) =>
    page('POST /commissioning/{id}/documents/{documentId}', {
      who,
      params: { documentId: ticket.documentId },
      form: { action, version: String(ticket.version) },
    });
  let waiting: UploadTicket;
  let refused: UploadTicket;
  let abandoned: UploadTicket;

  beforeAll(async () => {
    waiting = await addDocument(
      deps(),
      LEAD,
      id,
      pdf('Service specification'),
      new Date(),
      config().documents,
    );
    refused = await addDocument(deps(), LEAD, id, pdf('Safeguarding policy'), new Date(), config().documents);
    abandoned = await addDocument(deps(), LEAD, id, pdf('Old draft'), new Date(), config().documents);
    await put(refused, Buffer.alloc(PDF.length, 'x'));
    await expect(
      confirmUpload(deps(), LEAD, id, refused.documentId, 1, new Date(), config().documents),
    ).rejects.toMatchObject({ code: 'validation' });
  });

  it('are listed to the lead as not finished, with why a file was refused, and buttons to confirm or discard', async () => {
    const list = await page('GET /commissioning/{id}/documents', { who: lead });
    expect(list.statusCode).toBe(200);
    const text = pageText(list);
    expect(text).toContain('Uploads not finished');
    for (const title of ['Service specification', 'Safeguarding policy', 'Old draft']) {
      expect(text).toContain(`${title}, version 1 Upload not finished`);
    }
    expect(text).toContain('The file uploaded was refused: The file is not a PDF file (.pdf)');
    expect(text).toContain('Its upload link works until');
    for (const ticket of [waiting, refused, abandoned]) {
      expect(list.body).toContain(`action="/commissioning/${id}/documents/${ticket.documentId}"`);
    }
    expect(list.body).toContain(
      'Confirm the upload<span class="govuk-visually-hidden"> of Service specification, version 1</span>',
    );
  });

  it('confirming before the file arrives says so at the upload; once it is there it is published', async () => {
    const early = await finish(waiting, 'confirm');
    expect(early.statusCode).toBe(400);
    expect(pageText(early)).toContain('The file of version 1 has not arrived');
    expect(early.body).toContain(`href="#unfinished-${waiting.documentId}-1"`);
    expect((await put(waiting)).status).toBe(200);
    const confirmed = await finish(waiting, 'confirm');
    expect(confirmed.statusCode).toBe(303);
    expect(confirmed.headers?.location).toBe(`/commissioning/${id}/documents?done=uploaded`);
    const listed = await documentRepository().list(id);
    expect(listed.map((d) => d.title)).toContain('Service specification');
  });

  it('discarding one removes it (audited); nobody else may', async () => {
    expect((await finish(abandoned, 'discard', other)).statusCode).toBe(403);
    const discarded = await finish(abandoned, 'discard');
    expect(discarded.statusCode).toBe(303);
    expect(discarded.headers?.location).toBe(`/commissioning/${id}/documents?done=discarded`);
    expect(await documentRepository().getVersion(id, abandoned.documentId, 1)).toBeUndefined();
    const list = await page('GET /commissioning/{id}/documents', { who: lead, query: { done: 'discarded' } });
    expect(pageText(list)).toContain('The unfinished upload was discarded');
    expect(pageText(list)).not.toContain('Old draft');
    expect(pageText(list)).toContain('Safeguarding policy, version 1 Upload not finished');
    // A published version cannot be discarded.
    expect((await finish(waiting, 'discard')).statusCode).toBe(409);
  });

  it('an upload not named, or an action not known, is refused; another commissioner sees no list', async () => {
    const unnamed = await page('POST /commissioning/{id}/documents/{documentId}', {
      who: lead,
      params: { documentId: refused.documentId },
      form: { action: 'confirm' },
    });
    expect(unnamed.statusCode).toBe(400);
    expect((await finish(refused, 'publish-anyway')).statusCode).toBe(400);
    expect(await documentRepository().getVersion(id, refused.documentId, 1)).toMatchObject({ pending: true });
    expect((await page('GET /commissioning/{id}/documents', { who: other })).statusCode).toBe(404);
  });
});
