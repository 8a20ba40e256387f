/**
 * Tender documents over HTTP (issue 15), with the files in the real local S3 server (`local/s3-server.ts`,
 * started once per run): the lead uploads by presigned PUT, anyone downloads by presigned GET once the
 * competition is published, versions are kept, a URL reaches exactly its own object (another competition's
 * key breaks the signature), a draft's documents stay with its insiders, bad files are refused with
 * problem+json and nothing stored, nothing changes after the tender deadline, and a submitted bid records the
 * versions it answered, its bidder told of a later change.
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
let providerId: string;
let published: string;
let draft: string;

const call = (method: string, path: string, who?: string, body?: unknown) =>
  api.call(method, path, {
    ...(who ? { token: tokens[who] ?? '' } : {}),
    ...(body !== undefined ? { body } : {}),
  });

const PDF = Buffer.from('%PDF-1.4\n% a tender document\n%%EOF\n', 'latin1');
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
  expiresAt: string;
}
interface Listed {
  documentId: string;
  title: string;
  version: number;
  fileName: string;
  sizeBytes: number;
  downloadUrl: string;
  versions: { version: number; fileName: string; downloadUrl: string }[];
}

const put = (url: string, body: Buffer, contentType = 'application/pdf') =>
  fetch(url, { method: 'PUT', body, headers: { 'content-type': contentType } });

/** Confirms an uploaded version (it becomes current), expecting 200. */
async function confirm(id: string, ticket: Ticket): Promise<void> {
  const confirmed = await call(
    'POST',
    `/competitions/${id}/documents/${ticket.documentId}/versions/${ticket.version}/confirm`,
    'lead',
  );
  expect(confirmed.status, confirmed.text).toBe(200);
}

async function listOf(id: string, who?: string): Promise<Listed[]> {
  const listed = await call('GET', `/competitions/${id}/documents`, who);
  expect(listed.status, listed.text).toBe(200);
  return (listed.body as { items: Listed[] }).items;
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
    charityRegistration({ name: 'Documents bidder', regions: ['south_west'], services: ['victim_services'] }),
  );
  providerId = (registered.body as { id: string }).id;
  await call('POST', `/providers/${providerId}/verify`, 'admin');
  const create = async (tenderDeadline: string) =>
    (
      (
        await call(
          'POST',
          '/competitions',
          'lead',
          competitionBody({
            title: 'Victim support, South West',
            regions: ['south_west'],
            services: ['victim_services'],
            estimatedValuePence: 80_000_00,
            termMonths: 24,
            risk: 'low',
            prequalificationDeadline: undefined,
            tenderDeadline,
          }),
        )
      ).body as { id: string }
    ).id;
  published = await create(inSeconds(3600));
  draft = await create(inSeconds(3600));
});

afterAll(async () => {
  await delivery?.stop();
  await api?.stop();
});

describe('uploading and downloading through presigned URLs', () => {
  let documentId: string;

  it('the lead adds a document to a draft: 201, version 1 and a presigned PUT that stores the file', async () => {
    const added = await call('POST', `/competitions/${published}/documents`, 'lead', upload());
    expect(added.status, added.text).toBe(201);
    const ticket = added.body as Ticket;
    expect(ticket).toMatchObject({ version: 1 });
    expect(ticket.uploadUrl).toContain(`/competitions/${published}/documents/${ticket.documentId}/v000001`);
    expect(new Date(ticket.expiresAt).getTime()).toBeGreaterThan(Date.now());
    documentId = ticket.documentId;
    expect((await put(ticket.uploadUrl, PDF)).status).toBe(200);
    await confirm(published, ticket);
  });

  it('the upload URL takes only the declared type and length', async () => {
    const ticket = (
      await call('POST', `/competitions/${published}/documents/${documentId}/versions`, 'lead', upload())
    ).body as Ticket;
    expect((await put(ticket.uploadUrl, Buffer.concat([PDF, Buffer.from('more')]))).status).toBe(403);
    expect((await put(ticket.uploadUrl, PDF, 'text/html')).status).toBe(403);
    expect((await put(ticket.uploadUrl, PDF)).status).toBe(200);
    await confirm(published, ticket);
  });

  it('once published anyone lists the documents, every version kept and downloadable', async () => {
    expect((await call('POST', `/competitions/${published}/publish`, 'lead')).status).toBe(200);
    const [document] = await listOf(published);
    expect(document).toMatchObject({
      documentId,
      title: 'Service specification',
      version: 2,
      sizeBytes: PDF.length,
    });
    expect(document?.versions.map((v) => v.version)).toEqual([2, 1]);
    for (const v of document?.versions ?? []) {
      const download = await fetch(v.downloadUrl);
      expect(download.status).toBe(200);
      expect(Buffer.from(await download.arrayBuffer())).toEqual(PDF);
      expect(download.headers.get('content-disposition')).toContain(
        'attachment; filename="specification.pdf"',
      );
    }
  });

  it('a download URL reaches its own object only: another version, document or competition breaks the signature', async () => {
    const [document] = await listOf(published);
    const url = document?.versions.find((v) => v.version === 1)?.downloadUrl ?? '';
    for (const tampered of [
      url.replace('/v000001', '/v000002'),
      url.replace(documentId, '01JD0000000000000000000002'),
      url.replace(published, draft),
    ]) {
      expect(tampered).not.toBe(url);
      const response = await fetch(tampered);
      expect(response.status, tampered).toBe(403);
      expect(await response.text()).toContain('SignatureDoesNotMatch');
    }
  });

  it("an upload URL cannot be turned to another competition's key", async () => {
    const ticket = (
      await call(
        'POST',
        `/competitions/${published}/documents`,
        'lead',
        upload({ title: 'Terms', kind: 'contract_terms' }),
      )
    ).body as Ticket;
    const elsewhere = ticket.uploadUrl.replace(published, draft);
    expect((await put(elsewhere, PDF)).status).toBe(403);
    expect((await put(ticket.uploadUrl, PDF)).status).toBe(200);
    await confirm(published, ticket);
  });

  it('the bucket serves nothing without a signature', async () => {
    const [document] = await listOf(published);
    const unsigned = (document?.downloadUrl ?? '').split('?')[0] ?? '';
    expect((await fetch(unsigned)).status).toBe(403);
  });
});

describe("a draft's documents", () => {
  let draftUrl: string;

  beforeAll(async () => {
    const ticket = (await call('POST', `/competitions/${draft}/documents`, 'lead', upload())).body as Ticket;
    expect((await put(ticket.uploadUrl, PDF)).status).toBe(200);
    await confirm(draft, ticket);
  });

  it('are listed to the lead, with download URLs that work', async () => {
    const [document] = await listOf(draft, 'lead');
    draftUrl = document?.downloadUrl ?? '';
    expect((await fetch(draftUrl)).status).toBe(200);
  });

  it('are not found for anyone outside: anonymous, a provider, another commissioner', async () => {
    for (const who of [undefined, 'bidder', 'other-commissioner']) {
      const listed = await call('GET', `/competitions/${draft}/documents`, who);
      expect(listed.status, who).toBe(404);
      expect(listed.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it("cannot be reached by re-signing a published competition's URL", async () => {
    const [document] = await listOf(published);
    const key = (document?.downloadUrl ?? '').match(/\/competitions\/[^?]+/)?.[0] ?? '';
    const draftKey = draftUrl.match(/\/competitions\/[^?]+/)?.[0] ?? '';
    const forged = (document?.downloadUrl ?? '').replace(key, draftKey);
    expect(forged).toContain(draft);
    expect((await fetch(forged)).status).toBe(403);
  });
});

describe('refusals: problem+json and nothing stored', () => {
  it.each([
    ['a file over 25 MB', { sizeBytes: 25 * 1024 * 1024 + 1 }, 'sizeBytes'],
    ['a type off the allow-list', { contentType: 'text/html', fileName: 'page.html' }, 'contentType'],
    ['an executable', { contentType: 'application/x-msdownload', fileName: 'setup.exe' }, 'contentType'],
    ['a file name with a path', { fileName: '../../etc/passwd' }, 'fileName'],
  ])('%s is refused (400) and no document is recorded', async (_name, overrides, path) => {
    const before = await listOf(published);
    const refused = await call('POST', `/competitions/${published}/documents`, 'lead', upload(overrides));
    expect(refused.status).toBe(400);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({
      type: '/problems/validation',
      errors: [expect.objectContaining({ path })],
    });
    expect(await listOf(published)).toHaveLength(before.length);
  });

  it('only the lead uploads: another commissioner is refused and nothing is recorded', async () => {
    const before = await listOf(published);
    const refused = await call(
      'POST',
      `/competitions/${published}/documents`,
      'other-commissioner',
      upload(),
    );
    expect(refused.status).toBe(403);
    expect(await listOf(published)).toHaveLength(before.length);
  });
});

describe('bids record the versions they answered', () => {
  let competition: string;
  let documentId: string;

  beforeAll(async () => {
    competition = (
      (
        await call(
          'POST',
          '/competitions',
          'lead',
          competitionBody({
            title: 'Victim support, South West (documents)',
            regions: ['south_west'],
            services: ['victim_services'],
            estimatedValuePence: 80_000_00,
            termMonths: 24,
            risk: 'low',
            prequalificationDeadline: undefined,
            tenderDeadline: inSeconds(8),
          }),
        )
      ).body as { id: string }
    ).id;
    const ticket = (await call('POST', `/competitions/${competition}/documents`, 'lead', upload()))
      .body as Ticket;
    documentId = ticket.documentId;
    await put(ticket.uploadUrl, PDF);
    await confirm(competition, ticket);
    await call('POST', `/competitions/${competition}/publish`, 'lead');
  });

  it('a submitted bid carries documentVersions, and a later version is told to the bidder', async () => {
    await call('PUT', `/competitions/${competition}/bid`, 'bidder', {
      pricePence: 70_000_00,
      qualityResponses: { quality: 'A caseworker each', 'social-value': 'Local volunteers' },
    });
    const submitted = await call('POST', `/competitions/${competition}/bid/submit`, 'bidder');
    expect(submitted.body).toMatchObject({ status: 'submitted', documentVersions: { [documentId]: 1 } });
    const second = await call(
      'POST',
      `/competitions/${competition}/documents/${documentId}/versions`,
      'lead',
      upload(),
    );
    expect(second.status).toBe(201);
    // Version 2 becomes current once its file is uploaded and confirmed; the bidder is told then.
    expect((await put((second.body as Ticket).uploadUrl, PDF)).status).toBe(200);
    await confirm(competition, second.body as Ticket);
    const own = await call('GET', `/competitions/${competition}/bid`, 'bidder');
    expect(own.body).toMatchObject({ submitted: { documentVersions: { [documentId]: 1 } } });
    await delivery?.drain();
    const notifications = await call('GET', '/me/notifications', 'bidder');
    const told = (
      notifications.body as { items: { type: string; competitionId?: string; title: string }[] }
    ).items.filter((n) => n.type === 'document-changed' && n.competitionId === competition);
    expect(told).toHaveLength(1);
    expect(told[0]?.title).toContain('version 2');
    // Resubmitting answers the new version.
    const again = await call('POST', `/competitions/${competition}/bid/submit`, 'bidder');
    expect(again.body).toMatchObject({ version: 2, documentVersions: { [documentId]: 2 } });
  });

  it('after the tender deadline no document changes: 409 deadline-passed, nothing recorded', async () => {
    const deadline = (await call('GET', `/competitions/${competition}`)).body as { tenderDeadline: string };
    await new Promise((r) =>
      setTimeout(r, Math.max(0, Date.parse(deadline.tenderDeadline) - Date.now() + 200)),
    );
    for (const [path, body] of [
      [`/competitions/${competition}/documents`, upload({ title: 'Late addendum' })],
      [`/competitions/${competition}/documents/${documentId}/versions`, upload()],
    ] as const) {
      const refused = await call('POST', path, 'lead', body);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ type: '/problems/deadline-passed' });
    }
    const [document] = await listOf(competition);
    expect(document?.version).toBe(2);
    expect(await listOf(competition)).toHaveLength(1);
  });
});
