/**
 * Cursors over HTTP (issue 13, item 6): on every paged route, any `?cursor=` value a client can send – base64
 * of `null`, of arrays, numbers and other objects, junk, very long text, a forged cursor whose sort key
 * DynamoDB would refuse – answers 400 problem+json naming `query.cursor`, never 500; and a cursor taken from
 * one list (one competition's audit log, one caller's notifications, one region's opportunities, one
 * provider's contracts …) is refused on any other list instead of paging there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CursorScope, encodeCursor } from '../../shared/db/pagination';
import { startTestApi, type TestApi } from '../support/api';
import { startTestDelivery, type TestDelivery } from '../support/outbox';
import { openCompetition, verifiedProvider } from '../support/scenario';

let api: TestApi;
/** The outbox's delivery (issue 17): a publication's notifications reach inboxes through it. */
let delivery: TestDelivery;
let auditor: string;
let commissioner: string;
let owner1: string;
let owner2: string;
let owner3: string;
const providers = { P1: '', P2: '', P3: '' };
const competitions = { A: '', B: '' };
const contracts = { K1: '', K2: '' };

const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** Cursors no list ever made: each must be a 400 on every paged route. */
const HOSTILE: [string, string][] = [
  ['base64 of null', 'bnVsbA'],
  ['base64 of an array', b64('[]')],
  ['base64 of an array of cursors', b64('[{"v":2,"after":"x"}]')],
  ['base64 of a number', b64('42')],
  ['base64 of a string', b64('"SEQ#0000000001"')],
  ['base64 of an object with other keys', b64('{"pk":"COMP#x","sk":"SEQ#1"}')],
  ['a version-1 cursor', b64('{"v":1,"after":"x"}')],
  ['not base64', 'not base64!'],
  ['percent-encoded junk', '%00%ff%fe'],
  ['the longest accepted length of junk', 'x'.repeat(2048)],
  ['a very long string', 'y'.repeat(5000)],
];

/** A forged cursor for `scope`: the right list, a sort key DynamoDB refuses (over 1,024 bytes). */
const overlong = (scope: CursorScope) => encodeCursor('é'.repeat(600), scope);

/** The cursor with its sort key replaced, keeping whatever binds it to its list. */
function withSortKey(cursor: string, after: string): string {
  const body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
  return b64(JSON.stringify({ ...body, after }));
}

/** `path` with `?cursor=` (or another parameter) set, keeping the rest of its query. */
function withCursor(path: string, cursor: string, parameter = 'cursor'): string {
  const encoded = cursor.startsWith('%') ? cursor : encodeURIComponent(cursor);
  return `${path}${path.includes('?') ? '&' : '?'}${parameter}=${encoded}`;
}

async function expectRefused(path: string, token: string | undefined, parameter = 'cursor') {
  const response = await api.call('GET', path, token ? { token } : {});
  expect(response.status, `${path}: ${response.text}`).toBe(400);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({
    type: '/problems/validation',
    status: 400,
    errors: [{ path: `query.${parameter}` }],
  });
}

async function page(path: string, token?: string): Promise<{ items: unknown[]; nextCursor: string | null }> {
  const response = await api.call('GET', path, token ? { token } : {});
  expect(response.status, `${path}: ${response.text}`).toBe(200);
  return response.body as { items: unknown[]; nextCursor: string | null };
}

async function nextCursorOf(path: string, token?: string): Promise<string> {
  const first = await page(path, token);
  expect(first.nextCursor, path).toEqual(expect.any(String));
  return first.nextCursor as string;
}

async function registerContract(primeProviderId: string, title: string): Promise<string> {
  const created = await api.call('POST', '/contracts', {
    token: commissioner,
    body: {
      title,
      primeProviderId,
      valuePence: 10_000_000,
      startDate: '2026-04-01',
      endDate: '2027-03-31',
      regions: ['north_west'],
      services: ['accommodation'],
      subcontracting: { targetPercent: 10 },
    },
  });
  expect(created.status, created.text).toBe(201);
  return (created.body as { id: string }).id;
}

beforeAll(async () => {
  api = await startTestApi();
  delivery = await startTestDelivery();
  auditor = await api.token('cursor-auditor', ['auditor']);
  commissioner = await api.token('cursor-commissioner', ['commissioner']);
  owner1 = await api.token('cursor-owner-1');
  owner2 = await api.token('cursor-owner-2');
  owner3 = await api.token('cursor-owner-3');
  providers.P1 = await verifiedProvider('cursor-owner-1', 'Cursor One', {
    region: 'north_west',
    service: 'accommodation',
  });
  providers.P2 = await verifiedProvider('cursor-owner-2', 'Cursor Two', {
    region: 'london',
    service: 'accommodation',
  });
  providers.P3 = await verifiedProvider('cursor-owner-3', 'Cursor Three', {
    region: 'north_west',
    service: 'accommodation',
  });
  // Two north-west competitions: P1 and P3 are told of both, so each has two notifications.
  competitions.A = await openCompetition({
    title: 'Cursor A',
    region: 'north_west',
    service: 'accommodation',
  });
  competitions.B = await openCompetition({
    title: 'Cursor B',
    region: 'north_west',
    service: 'accommodation',
  });
  await openCompetition({ title: 'Cursor C', region: 'london', service: 'accommodation' });
  contracts.K1 = await registerContract(providers.P1, 'Cursor contract 1');
  contracts.K2 = await registerContract(providers.P1, 'Cursor contract 2');
  await api.drainAudit();
  await delivery.drain();
});

afterAll(async () => {
  await delivery?.stop();
  await api.stop();
});

/** Each paged route family: where it is read, by whom, and the scope of its cursors. */
const routes = () =>
  [
    {
      name: 'GET /opportunities',
      path: '/opportunities?region=north_west',
      scope: ['opportunities', 'north_west', undefined],
    },
    {
      name: 'GET /competitions/{id}/audit',
      path: `/competitions/${competitions.A}/audit`,
      token: auditor,
      scope: ['audit', competitions.A],
    },
    { name: 'GET /alerts', path: '/alerts', token: auditor, scope: ['alerts'] },
    {
      name: 'GET /directory',
      path: '/directory?region=north_west',
      scope: ['directory', 'north_west', undefined, undefined, undefined],
    },
    {
      name: 'GET /me/notifications',
      path: '/me/notifications',
      token: owner1,
      scope: ['notifications', providers.P1],
    },
    {
      name: 'GET /contracts',
      path: '/contracts',
      token: commissioner,
      scope: ['contracts', 'gsi1', 'CONTRACTS'],
    },
    {
      name: 'GET /providers/{id}/contracts',
      path: `/providers/${providers.P1}/contracts`,
      token: owner1,
      scope: ['contracts', 'gsi2', `PRIME#${providers.P1}`],
    },
    {
      name: 'GET /contracts/{id}/disputes',
      path: `/contracts/${contracts.K1}/disputes`,
      token: commissioner,
      scope: ['disputes', contracts.K1],
    },
    {
      name: 'GET /providers/{id}/subcontract-payments',
      path: `/providers/${providers.P1}/subcontract-payments`,
      token: owner1,
      scope: ['payments', providers.P1],
    },
  ] as { name: string; path: string; token?: string; scope: CursorScope }[];

describe('hostile cursors answer 400 problem+json, never 500', () => {
  it('on every paged route family', async () => {
    for (const route of routes()) {
      // The route works without a cursor …
      await page(route.path, route.token);
      // … and refuses every cursor no list made, or one whose sort key DynamoDB would refuse.
      for (const [, cursor] of [...HOSTILE, ['an over-long sort key', overlong(route.scope)]] as const) {
        await expectRefused(withCursor(route.path, cursor), route.token);
      }
    }
  });

  it('on the directory’s previous-page parameter too', async () => {
    const scope = ['directory', 'north_west', undefined, undefined, undefined];
    for (const [, cursor] of [...HOSTILE, ['an over-long sort key', overlong(scope)]] as const) {
      await expectRefused(withCursor('/directory?region=north_west', cursor, 'before'), undefined, 'before');
    }
  });
});

describe('a cursor never pages into another partition', () => {
  it('refuses one competition’s audit cursor on another competition, and on the alerts', async () => {
    const cursor = await nextCursorOf(`/competitions/${competitions.A}/audit?limit=1`, auditor);
    expect(
      (await page(withCursor(`/competitions/${competitions.A}/audit?limit=1`, cursor), auditor)).items,
    ).not.toEqual([]);
    await expectRefused(withCursor(`/competitions/${competitions.B}/audit?limit=1`, cursor), auditor);
    await expectRefused(withCursor('/alerts', cursor), auditor);
  });

  it('refuses one caller’s notification cursor in another caller’s inbox', async () => {
    const cursor = await nextCursorOf('/me/notifications?limit=1', owner1);
    const mine = await page(withCursor('/me/notifications?limit=1', cursor), owner1);
    expect(mine.items).toEqual([expect.objectContaining({ providerId: providers.P1 })]);
    // P3 has notifications at the same positions; P2 has one. Neither may be read from P1's cursor.
    await expectRefused(withCursor('/me/notifications?limit=1', cursor), owner3);
    await expectRefused(withCursor('/me/notifications?limit=1', cursor), owner2);
  });

  it('starts a forged cursor of the right list within that list’s own partitions', async () => {
    const cursor = await nextCursorOf('/me/notifications?limit=1', owner1);
    for (const after of ['\uffff', '0', 'NOTIFY#', '~']) {
      const forged = await page(withCursor('/me/notifications?limit=5', withSortKey(cursor, after)), owner1);
      for (const item of forged.items) expect(item).toMatchObject({ providerId: providers.P1 });
    }
  });

  it('refuses one region’s opportunities cursor for another region or filter', async () => {
    const cursor = await nextCursorOf('/opportunities?region=north_west&limit=1');
    await page(withCursor('/opportunities?region=north_west&limit=1', cursor));
    await expectRefused(withCursor('/opportunities?region=london&limit=1', cursor), undefined);
    await expectRefused(withCursor('/opportunities?limit=1', cursor), undefined);
    await expectRefused(
      withCursor('/opportunities?region=north_west&service=accommodation', cursor),
      undefined,
    );
  });

  it('refuses one region’s directory cursor for another region, both ways', async () => {
    const first = await api.call('GET', '/directory?region=north_west&limit=1');
    const next = (first.body as { nextCursor: string }).nextCursor;
    expect(next).toEqual(expect.any(String));
    const second = await api.call('GET', withCursor('/directory?region=north_west&limit=1', next));
    expect(second.status).toBe(200);
    const previous = (second.body as { previousCursor: string }).previousCursor;
    expect(
      (await api.call('GET', withCursor('/directory?region=north_west&limit=1', previous, 'before'))).status,
    ).toBe(200);
    await expectRefused(withCursor('/directory?region=london&limit=1', next), undefined);
    await expectRefused(
      withCursor('/directory?region=london&limit=1', previous, 'before'),
      undefined,
      'before',
    );
    await expectRefused(withCursor('/directory?region=north_west&sector=voluntary', next), undefined);
  });

  it('refuses the contract register’s cursor on a provider’s contracts, and one provider’s on another', async () => {
    const all = await nextCursorOf('/contracts?limit=1', commissioner);
    const ofPrime = await nextCursorOf(`/providers/${providers.P1}/contracts?limit=1`, owner1);
    await page(withCursor(`/providers/${providers.P1}/contracts?limit=1`, ofPrime), owner1);
    await expectRefused(withCursor(`/providers/${providers.P1}/contracts?limit=1`, all), owner1);
    await expectRefused(withCursor('/contracts?limit=1', ofPrime), commissioner);
    await expectRefused(withCursor(`/providers/${providers.P2}/contracts?limit=1`, ofPrime), owner2);
  });

  it('refuses one contract’s disputes cursor on another contract, and other lists’ cursors', async () => {
    const all = await nextCursorOf('/contracts?limit=1', commissioner);
    const ofK1 = encodeCursor('DISPUTE#2026-Q1#x', ['disputes', contracts.K1]);
    await page(withCursor(`/contracts/${contracts.K1}/disputes`, ofK1), commissioner);
    await expectRefused(withCursor(`/contracts/${contracts.K2}/disputes`, ofK1), commissioner);
    await expectRefused(withCursor(`/contracts/${contracts.K1}/disputes`, all), commissioner);
  });

  it('refuses one provider’s payments cursor for another provider, and other lists’ cursors', async () => {
    const ofP2 = encodeCursor('2026-01-01#x|0', ['payments', providers.P2]);
    await page(withCursor(`/providers/${providers.P2}/subcontract-payments`, ofP2), owner2);
    await expectRefused(withCursor(`/providers/${providers.P1}/subcontract-payments`, ofP2), owner1);
    const notifications = await nextCursorOf('/me/notifications?limit=1', owner1);
    await expectRefused(withCursor(`/providers/${providers.P1}/subcontract-payments`, notifications), owner1);
  });
});
