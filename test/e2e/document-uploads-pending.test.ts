/**
 * An upload URL handed out is not a version (issue 15): over HTTP, with the files in the real local S3
 * server. `POST …/documents` and `POST …/versions` take the version's number and record it pending; it is
 * listed, recorded by bids and told to the organisations taking part only once its file is in the bucket
 * and the lead confirms it (`POST …/versions/{version}/confirm`, which finds the file with HeadObject first).
 * An upload never made so never leaves a version whose download 404s, nor a bid that claims to answer it;
 * its number is not given to another file; confirming is for the lead alone, idempotent, and a version
 * older than the current one is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';
import { startTestDelivery, type TestDelivery } from '../support/outbox';

/** The outbox delivery (issue 17): it writes the notifications of a changed document, after the change. */
let delivery: TestDelivery | undefined;

let api: TestApi;
const tokens: Record<string, string> = {};
let competition: string;
let documentId: string;

const call = (method: string, path: string, who?: string, body?: unknown) =>
  api.call(method, path, {
    ...(who ? { token: tokens[who] ?? '' } : {}),
    ...(body !== undefined ? { body } : {}),
  });

const PDF = Buffer.from('%PDF-1.4\n% a pending tender document\n%%EOF\n', 'latin1');
const upload = (overrides: Record<string, unknown> = {}) => ({
  title: 'Service specification',
  kind: 'specification',
  fileName: 'specification.pdf',
  contentType: 'application/pdf',
  sizeBytes: PDF.length,
  ...overrides,
});

interface Ticket {
  documentId: string;
  version: number;
  uploadUrl: string;
}
interface Listed {
  documentId: string;
  version: number;
  downloadUrl: string;
  versions: { version: number; downloadUrl: string }[];
}

const put = (ticket: Ticket, body = PDF) =>
  fetch(ticket.uploadUrl, { method: 'PUT', body, headers: { 'content-type': 'application/pdf' } });
const confirm = (version: number, who = 'lead', id = documentId) =>
  call('POST', `/competitions/${competition}/documents/${id}/versions/${version}/confirm`, who);

async function listed(): Promise<Listed[]> {
  const response = await call('GET', `/competitions/${competition}/documents`);
  expect(response.status, response.text).toBe(200);
  return (response.body as { items: Listed[] }).items;
}

async function submittedVersions(): Promise<Record<string, number>> {
  const submitted = await call('POST', `/competitions/${competition}/bid/submit`, 'bidder');
  expect(submitted.status, submitted.text).toBe(200);
  return (submitted.body as { documentVersions: Record<string, number> }).documentVersions;
}

async function documentNotices(): Promise<string[]> {
  await delivery?.drain();
  const response = await call('GET', '/me/notifications', 'bidder');
  return (response.body as { items: { type: string; competitionId?: string; title: string }[] }).items
    .filter((n) => n.type === 'document-changed' && n.competitionId === competition)
    .map((n) => n.title);
}

beforeAll(async () => {
  api = await startTestApi();
  delivery = await startTestDelivery();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    ['other-commissioner', ['commissioner']],
    ['admin', ['admin']],
    ['bidder', []],
  ] as const) {
    tokens[sub] = await api.token(sub, [...groups]);
  }
  const registered = await call(
    'POST',
    '/providers',
    'bidder',
    charityRegistration({ name: 'Pending documents bidder', regions: ['london'], services: ['health'] }),
  );
  await call('POST', `/providers/${(registered.body as { id: string }).id}/verify`, 'admin');
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      title: 'Health support, London',
      regions: ['london'],
      services: ['health'],
      estimatedValuePence: 80_000_00,
      termMonths: 24,
      risk: 'low',
      prequalificationDeadline: undefined,
      tenderDeadline: inSeconds(3600),
    }),
  );
  competition = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${competition}/publish`, 'lead')).status).toBe(200);
  expect(
    (
      await call('PUT', `/competitions/${competition}/bid`, 'bidder', {
        pricePence: 70_000_00,
        qualityResponses: { quality: 'A health worker each', 'social-value': 'Local volunteers' },
      })
    ).status,
  ).toBe(200);
});

afterAll(async () => {
  await delivery?.stop();
  await api?.stop();
});

describe('a new document', () => {
  let ticket: Ticket;

  it('handed an upload URL and never uploaded, is not listed, not recorded by a bid, not told', async () => {
    const added = await call('POST', `/competitions/${competition}/documents`, 'lead', upload());
    expect(added.status, added.text).toBe(201);
    ticket = added.body as Ticket;
    documentId = ticket.documentId;
    expect(ticket.version).toBe(1);
    expect(await listed()).toEqual([]);
    expect(await submittedVersions()).toEqual({});
    expect(await documentNotices()).toEqual([]);
  });

  it('cannot be confirmed before its file arrives (409), nor by anyone but the lead (403)', async () => {
    const early = await confirm(1);
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ type: '/problems/invalid-state' });
    expect((await put(ticket)).status).toBe(200);
    expect((await confirm(1, 'other-commissioner')).status).toBe(403);
    expect((await confirm(1, 'bidder')).status).toBe(403);
    expect(await listed()).toEqual([]);
  });

  it('once uploaded and confirmed is current: listed, downloadable, recorded by bids, told', async () => {
    const confirmed = await confirm(1);
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      documentId,
      version: 1,
      status: 'current',
      sizeBytes: PDF.length,
    });
    const [document] = await listed();
    expect(document).toMatchObject({ documentId, version: 1 });
    expect((await fetch(document?.downloadUrl ?? '')).status).toBe(200);
    expect(await submittedVersions()).toEqual({ [documentId]: 1 });
    expect(await documentNotices()).toHaveLength(1);
    // Confirming again changes nothing and answers the same version.
    const again = await confirm(1);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ version: 1, status: 'current' });
    expect(await documentNotices()).toHaveLength(1);
  });
});

describe('a next version', () => {
  let abandoned: Ticket;

  it('never uploaded leaves version 1 current and downloadable; bids go on answering version 1', async () => {
    const second = await call(
      'POST',
      `/competitions/${competition}/documents/${documentId}/versions`,
      'lead',
      upload({ fileName: 'specification-v2.pdf' }),
    );
    expect(second.status, second.text).toBe(201);
    abandoned = second.body as Ticket;
    expect(abandoned.version).toBe(2);
    const [document] = await listed();
    expect(document?.version).toBe(1);
    expect(document?.versions.map((v) => v.version)).toEqual([1]);
    for (const v of document?.versions ?? []) expect((await fetch(v.downloadUrl)).status).toBe(200);
    expect(await submittedVersions()).toEqual({ [documentId]: 1 });
    expect((await confirm(2)).status).toBe(409);
  });

  it('takes a number no other upload has: an abandoned version 2 is skipped, not reused', async () => {
    const third = await call(
      'POST',
      `/competitions/${competition}/documents/${documentId}/versions`,
      'lead',
      upload({ fileName: 'specification-v3.pdf' }),
    );
    const ticket = third.body as Ticket;
    expect(ticket.version).toBe(3);
    expect(ticket.uploadUrl).toContain('/v000003');
    expect((await put(ticket)).status).toBe(200);
    expect((await confirm(3)).status).toBe(200);
    const [document] = await listed();
    expect(document?.version).toBe(3);
    expect(document?.versions.map((v) => v.version)).toEqual([3, 1]);
    for (const v of document?.versions ?? []) expect((await fetch(v.downloadUrl)).status).toBe(200);
    expect(await submittedVersions()).toEqual({ [documentId]: 3 });
    expect(await documentNotices()).toHaveLength(2);
  });

  it('uploaded after a later version is current cannot be confirmed (409 conflict): it would go back', async () => {
    // The abandoned version 2's URL still works for its own key: the file arrives late.
    expect((await put(abandoned)).status).toBe(200);
    const late = await confirm(2);
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ type: '/problems/conflict' });
    const [document] = await listed();
    expect(document?.version).toBe(3);
    expect(document?.versions.map((v) => v.version)).toEqual([3, 1]);
  });

  it('a version that was never handed out is not found (404)', async () => {
    expect((await confirm(9)).status).toBe(404);
    expect((await confirm(1, 'lead', '01JD0000000000000000000009')).status).toBe(404);
  });
});
