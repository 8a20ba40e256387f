/**
 * What a confirmed tender document version's file is, and stays (issue 15, attacker findings), over HTTP
 * with the files in the real local S3 server:
 *
 * - A presigned PUT URL works for 15 minutes, and reusing it after the version was confirmed (and a bid may
 *   have recorded that version) must not change what the version downloads as: the confirmation copies the
 *   uploaded object to a key no URL is ever signed for, and downloads read that copy.
 * - The confirmation checks the file against what the lead declared: its size and type as S3 stored them,
 *   and its first bytes against the declared type (a file called a PDF must be one). A file that does not
 *   match is refused (400 `/problems/validation`, on `file`), deleted, and its version left pending, so the
 *   lead can upload the right file to the same URL and confirm again.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentStorage, s3Client } from '../../shared/storage/documents';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';

let api: TestApi;
const tokens: Record<string, string> = {};
let competition: string;

const call = (method: string, path: string, who?: string, body?: unknown) =>
  api.call(method, path, {
    ...(who ? { token: tokens[who] ?? '' } : {}),
    ...(body !== undefined ? { body } : {}),
  });

const ORIGINAL = Buffer.from('%PDF-1.4\n% the specification as published\n%%EOF\n', 'latin1');
/** The same length and declared type as the original, different bytes: what a reused URL would send. */
const SWAPPED = Buffer.from(ORIGINAL.toString('latin1').replace('as published', 'nobody wrote'), 'latin1');

interface Ticket {
  documentId: string;
  version: number;
  uploadUrl: string;
}
interface Listed {
  documentId: string;
  version: number;
  sizeBytes: number;
  downloadUrl: string;
  versions: { version: number; downloadUrl: string }[];
}

const upload = (overrides: Record<string, unknown> = {}) => ({
  title: 'Service specification',
  kind: 'specification',
  fileName: 'specification.pdf',
  contentType: 'application/pdf',
  sizeBytes: ORIGINAL.length,
  ...overrides,
});
const put = (ticket: Ticket, body: Buffer, contentType = 'application/pdf') =>
  fetch(ticket.uploadUrl, { method: 'PUT', body, headers: { 'content-type': contentType } });
const confirm = (ticket: Ticket) =>
  call(
    'POST',
    `/competitions/${competition}/documents/${ticket.documentId}/versions/${ticket.version}/confirm`,
    'lead',
  );
/** The object key a ticket's URL writes (path-style: `/<bucket>/<key>`). */
const keyOf = (ticket: Ticket) =>
  decodeURIComponent(new URL(ticket.uploadUrl).pathname).slice(`/${config().documents.bucket}/`.length);

async function listed(): Promise<Listed[]> {
  const response = await call('GET', `/competitions/${competition}/documents`);
  expect(response.status, response.text).toBe(200);
  return (response.body as { items: Listed[] }).items;
}

async function download(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

beforeAll(async () => {
  api = await startTestApi();
  tokens.lead = await api.token('lead', ['commissioner']);
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      title: 'Documents that stay as published',
      prequalificationDeadline: undefined,
      estimatedValuePence: 80_000_00,
      termMonths: 24,
      risk: 'low',
      tenderDeadline: inSeconds(3600),
    }),
  );
  competition = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${competition}/publish`, 'lead')).status).toBe(200);
});

afterAll(async () => {
  await api?.stop();
});

describe('a confirmed version cannot be swapped by reusing its upload URL', () => {
  it('re-PUT with the same URL after the confirmation: the version still downloads as the original bytes', async () => {
    const ticket = (await call('POST', `/competitions/${competition}/documents`, 'lead', upload()))
      .body as Ticket;
    expect((await put(ticket, ORIGINAL)).status).toBe(200);
    expect((await confirm(ticket)).status).toBe(200);
    const [before] = await listed();
    expect(await download(before?.downloadUrl ?? '')).toEqual(ORIGINAL);

    // The URL still works for its own key within its 15 minutes (S3 cannot take it back): what it writes
    // is not what the version is.
    expect(SWAPPED.length).toBe(ORIGINAL.length);
    await put(ticket, SWAPPED);
    const [after] = await listed();
    expect(await download(after?.downloadUrl ?? '')).toEqual(ORIGINAL);
    expect(await download(before?.downloadUrl ?? '')).toEqual(ORIGINAL);
    // Confirming again changes nothing either: the version is current already.
    expect((await confirm(ticket)).status).toBe(200);
    const [again] = await listed();
    expect(await download(again?.downloadUrl ?? '')).toEqual(ORIGINAL);
  });

  it('the listed download never reads the key the upload URL writes', async () => {
    const ticket = (await call('POST', `/competitions/${competition}/documents`, 'lead', upload()))
      .body as Ticket;
    expect((await put(ticket, ORIGINAL)).status).toBe(200);
    expect((await confirm(ticket)).status).toBe(200);
    const document = (await listed()).find((d) => d.documentId === ticket.documentId);
    const downloadKey = decodeURIComponent(new URL(document?.downloadUrl ?? 'http://x/').pathname);
    expect(downloadKey).not.toContain(keyOf(ticket));
    // The uploaded object is gone once copied: nothing is left behind under the upload key.
    expect(await documentStorage().head(keyOf(ticket))).toBeUndefined();
  });
});

describe('the confirmation checks the file against what was declared', () => {
  it('a file whose bytes are not the declared type is refused (400 on file), deleted, and the version left pending', async () => {
    const text = Buffer.alloc(ORIGINAL.length, 'x');
    const ticket = (
      await call(
        'POST',
        `/competitions/${competition}/documents`,
        'lead',
        upload({ title: 'Not really a PDF' }),
      )
    ).body as Ticket;
    expect((await put(ticket, text)).status).toBe(200);
    const refused = await confirm(ticket);
    expect(refused.status, refused.text).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: '/problems/validation',
      errors: [{ path: 'file', message: expect.stringContaining('PDF') }],
    });
    expect((await listed()).map((d) => d.documentId)).not.toContain(ticket.documentId);
    expect(await documentStorage().head(keyOf(ticket))).toBeUndefined();

    // Pending still: the right file to the same URL, and the version is confirmed.
    const again = await confirm(ticket);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/invalid-state' });
    expect((await put(ticket, ORIGINAL)).status).toBe(200);
    expect((await confirm(ticket)).status).toBe(200);
    expect((await listed()).map((d) => d.documentId)).toContain(ticket.documentId);
  });

  it('an object of another size or type than declared (as if S3 had let it through) is refused and deleted', async () => {
    for (const [body, contentType] of [
      [Buffer.concat([ORIGINAL, Buffer.from('% longer than declared\n')]), 'application/pdf'],
      [ORIGINAL, 'text/plain'],
    ] as const) {
      const ticket = (
        await call('POST', `/competitions/${competition}/documents`, 'lead', upload({ title: 'Odd' }))
      ).body as Ticket;
      // Written with the service's own credentials, past the URL's signed conditions.
      await s3Client().send(
        new PutObjectCommand({
          Bucket: config().documents.bucket,
          Key: keyOf(ticket),
          Body: body,
          ContentType: contentType,
        }),
      );
      const refused = await confirm(ticket);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.body).toMatchObject({ type: '/problems/validation', errors: [{ path: 'file' }] });
      expect(await documentStorage().head(keyOf(ticket))).toBeUndefined();
      expect((await listed()).map((d) => d.documentId)).not.toContain(ticket.documentId);
    }
  });
});
