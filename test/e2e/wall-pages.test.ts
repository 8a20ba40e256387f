/**
 * The ethical wall through the commissioning workspace's pages (issue 14): four people who must not see a
 * competition's inside each get the refusal page, with the status the API would give, on every inside
 * page, and each refusal is in the competition's audit trail, as on the JSON routes.
 *
 * - an in-house team member holding the commissioner role, whose organisation applied and bid;
 * - a conflicted evaluator (declared a conflict with a bidder);
 * - a commissioner the lead excluded;
 * - a panel member who has not declared.
 *
 * Over HTTP through the local gateway and DynamoDB Local, with web sessions as a browser holds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { accreditationAnswers, charityRegistration } from '../support/fixtures';
import { signedIn } from '../support/web-session';

let api: TestApi;
const tokens: Record<string, string> = {};
const cookies: Record<string, string> = {};
const providers: Record<string, string> = {};
let competitionId = '';
const responseIds: string[] = [];
const bidIds: string[] = [];

const PEOPLE = [
  ['lead', ['commissioner']],
  ['evaluator', ['commissioner']],
  ['conflicted-evaluator', ['commissioner']],
  ['undeclared-evaluator', ['commissioner']],
  ['moderator', ['commissioner']],
  ['excluded-commissioner', ['commissioner']],
  ['inhouse-commissioner', ['commissioner']],
  ['owner-b', []],
  ['admin', ['admin']],
  ['auditor', ['auditor']],
] as const;

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

/** A page as a signed-in browser asks for it. */
const page = (path: string, who: string) =>
  fetch(`${api.url}${path}`, { headers: { cookie: cookies[who] ?? '', accept: 'text/html' } }).then(
    async (response) => ({ status: response.status, html: await response.text() }),
  );

const waitUntil = async (iso: string) => {
  const wait = Date.parse(iso) - Date.now() + 200;
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
};

/** Registers, verifies and accredits a provider owned by `owner`; returns its id. */
async function accreditedProvider(key: string, owner: string): Promise<string> {
  const registered = await call(
    'POST',
    '/providers',
    owner,
    charityRegistration({ name: `Provider ${key}`, regions: ['london'], services: ['health'] }),
  );
  expect(registered.status).toBe(201);
  const id = (registered.body as { id: string }).id;
  providers[key] = id;
  expect((await call('POST', `/providers/${id}/verify`, 'admin')).status).toBe(200);
  expect((await call('PUT', `/providers/${id}/accreditation`, owner, accreditationAnswers())).status).toBe(
    200,
  );
  return id;
}

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of PEOPLE) {
    tokens[sub] = await api.token(sub, [...groups]);
    cookies[sub] = (await signedIn(sub, { groups: [...groups] })).cookie;
  }
  // The in-house bid team: its member holds the commissioner role, as the commissioner's own staff do.
  await accreditedProvider('inhouse', 'inhouse-commissioner');
  await accreditedProvider('B', 'owner-b');

  const prequalificationDeadline = inSeconds(8);
  const tenderDeadline = inSeconds(16);
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({ regions: ['london'], services: ['health'], prequalificationDeadline, tenderDeadline }),
  );
  expect(created.status).toBe(201);
  competitionId = (created.body as { id: string }).id;
  const base = `/competitions/${competitionId}`;
  expect(
    (
      await call('PUT', `${base}/panel`, 'lead', {
        evaluators: ['evaluator', 'conflicted-evaluator', 'undeclared-evaluator'],
        moderator: 'moderator',
      })
    ).status,
  ).toBe(200);
  for (const who of ['lead', 'evaluator', 'moderator']) {
    expect((await call('POST', `${base}/declarations`, who, { conflicts: [] })).status).toBe(201);
  }
  expect(
    (
      await call('POST', `${base}/declarations`, 'conflicted-evaluator', {
        conflicts: [{ organisationId: providers.B, nature: 'My partner is a trustee of Provider B.' }],
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await call('POST', `${base}/wall/exclusions`, 'lead', {
        sub: 'excluded-commissioner',
        reason: 'Advised the in-house team on its bid.',
      })
    ).status,
  ).toBe(201);
  expect((await call('POST', `${base}/publish`, 'lead')).status).toBe(200);

  const technical = { 'technical.relevant-experience': 'Three resettlement health contracts since 2023.' };
  for (const owner of ['inhouse-commissioner', 'owner-b']) {
    const response = await call('POST', `${base}/prequalification-responses`, owner, { answers: technical });
    expect(response.status).toBe(201);
    responseIds.push((response.body as { id: string }).id);
  }
  await waitUntil(prequalificationDeadline);
  expect((await call('POST', `${base}/shortlist`, 'lead', { responseIds })).status).toBe(200);
  for (const [owner, pricePence] of [
    ['inhouse-commissioner', 480_000_00],
    ['owner-b', 450_000_00],
  ] as const) {
    const draft = await call('PUT', `${base}/bid`, owner, {
      pricePence,
      qualityResponses: { quality: 'A caseworker for every person.', 'social-value': 'Local volunteers.' },
    });
    expect(draft.status).toBe(200);
    expect((await call('POST', `${base}/bid/submit`, owner)).status).toBe(200);
  }
  await waitUntil(tenderDeadline);
  const bids = await call('GET', `${base}/bids`, 'lead');
  expect(bids.status).toBe(200);
  for (const item of (bids.body as { items: { bidId: string }[] }).items) bidIds.push(item.bidId);
  expect(bidIds).toHaveLength(2);
}, 90_000);

afterAll(async () => {
  await api?.stop();
});

/** Every page of the workspace that shows a competition's inside information. */
function insidePages(): string[] {
  const base = `/commissioning/${competitionId}`;
  return [
    `${base}/wall`,
    `${base}/responses`,
    `${base}/responses/${responseIds[0]}`,
    `${base}/shortlist`,
    `${base}/bids`,
    `${base}/bids/${bidIds[0]}`,
    `${base}/evaluation`,
  ];
}

describe('the wall through the pages', () => {
  it('lets an insider see every inside page (the control: the pages exist and work)', async () => {
    for (const path of insidePages()) {
      const shown = await page(path, 'lead');
      expect(shown.status, path).toBe(200);
    }
  });

  it.each([
    ['inhouse-commissioner', 'a member of a bidding organisation holding the commissioner role'],
    ['conflicted-evaluator', 'an evaluator who declared a conflict'],
    ['excluded-commissioner', 'a commissioner the lead excluded'],
  ])('refuses %s (%s) on every inside page, as outside the wall, and records each attempt', async (who) => {
    for (const path of insidePages()) {
      const before = await deniedCount(who);
      const shown = await page(path, who);
      expect(shown.status, path).toBe(403);
      expect(shown.html, path).toContain('You are outside the ethical wall for this competition');
      expect(shown.html, path).toContain('This attempt has been recorded');
      // This very refusal is in the trail.
      expect(await deniedCount(who), path).toBeGreaterThan(before);
    }
    const alerts = await call('GET', '/alerts', 'admin');
    expect(JSON.stringify(alerts.body)).toContain(who);
  });

  it('refuses an undeclared panel member on every inside page until they declare, and records it', async () => {
    for (const path of insidePages()) {
      const before = await deniedCount('undeclared-evaluator');
      const shown = await page(path, 'undeclared-evaluator');
      expect(shown.status, path).toBe(403);
      expect(shown.html, path).not.toContain('You are outside the ethical wall');
      expect(await deniedCount('undeclared-evaluator'), path).toBeGreaterThan(before);
    }
    const bids = await page(`/commissioning/${competitionId}/bids`, 'undeclared-evaluator');
    expect(bids.html).toContain('Declare your interests first');
  });

  it('shows the lead how far scoring has gone on the task list, read through the wall (audited)', async () => {
    const before = await deniedOrAllowed('lead', 'allowed');
    const tasks = await page(`/commissioning/${competitionId}`, 'lead');
    expect(tasks.status).toBe(200);
    expect(tasks.html).toContain('0 of 2 bids scored');
    expect(tasks.html).toContain('0 of 2 bids moderated');
    expect(await deniedOrAllowed('lead', 'allowed')).toBeGreaterThan(before);
  });

  it('refuses the workspace to a provider user: a task list would be a way to probe competitions', async () => {
    const shown = await page(`/commissioning/${competitionId}`, 'owner-b');
    expect(shown.status).toBe(403);
    expect(shown.html).not.toContain('applied for or bid');
  });

  it('tells each of them where they stand on the task list, without inside information', async () => {
    const inhouse = await page(`/commissioning/${competitionId}`, 'inhouse-commissioner');
    expect(inhouse.html).toContain('You are outside the wall for this competition');
    expect(inhouse.html).not.toContain('550,000');
    const undeclared = await page(`/commissioning/${competitionId}`, 'undeclared-evaluator');
    expect(undeclared.html).toContain('Declare your interests before you can see responses');
  });
});

/** How many events of `who` with this outcome the competition's audit trail holds, once chained. */
async function deniedOrAllowed(who: string, outcome: 'allowed' | 'denied'): Promise<number> {
  await api.drainAudit();
  return (await auditTrail()).filter((event) => event.actor === who && event.outcome === outcome).length;
}

/** How many refusals of `who` the competition's audit trail holds, once every event is chained. */
async function deniedCount(who: string): Promise<number> {
  await api.drainAudit();
  return (await auditTrail()).filter((event) => event.actor === who && event.outcome === 'denied').length;
}

/** The competition's whole audit trail, as an auditor reads it. */
async function auditTrail(): Promise<{ actor: string; outcome: string; resource: string }[]> {
  const events: { actor: string; outcome: string; resource: string }[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const pageOf = await call('GET', `/competitions/${competitionId}/audit?limit=100${query}`, 'auditor');
    expect(pageOf.status).toBe(200);
    const body = pageOf.body as {
      items: { actor: string; outcome: string; resource: string }[];
      nextCursor: string | null;
    };
    events.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return events;
}
