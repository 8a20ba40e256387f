/**
 * The oversight pages (`functions/web/oversight.ts`) over DynamoDB Local: a competition's audit trail with
 * its verification for auditors and admins, paged, and a tampered trail shown as not valid; refusals
 * recorded as the JSON route records them; and the breach-attempt alerts, with denied attempts made by
 * people outside the wall.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as evaluationHandler } from '../../functions/web/evaluation';
import { handler as oversightHandler } from '../../functions/web/oversight';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { auditKeys } from '../../shared/db/keys';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, type PageHandler, paginationHref, tableRows } from '../support/workspace';

let api: TestApi;
const tokens: Record<string, string> = {};
const sessions: Record<string, SignedIn> = {};
let competitionId: string;
const TITLE = 'Resettlement support, East of England';

const USERS: [string, string[]][] = [
  ['lead', ['commissioner']],
  ['evaluator', ['commissioner']],
  ['moderator', ['commissioner']],
  ['excluded-commissioner', ['commissioner']],
  ['auditor', ['auditor']],
  ['admin', ['admin']],
  ['bidder-owner', []],
  // An auditor who also owns a bidding organisation: outside the wall, for the audit log too.
  ['connected-auditor', ['auditor']],
  // Signed in, no group, no organisation.
  ['unconnected-provider-user', []],
];

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

/** Calls a web function as API Gateway would, as `who`. */
const page = (
  handler: PageHandler,
  routeKey: string,
  path: string,
  who: string,
  options: { params?: Record<string, string>; query?: Record<string, string> } = {},
) => callPage(handler, routeKey, { who: sessions[who], path, ...options });

const auditPage = (who: string, query?: Record<string, string>) =>
  page(oversightHandler, 'GET /commissioning/{id}/audit', `/commissioning/${competitionId}/audit`, who, {
    params: { id: competitionId },
    ...(query ? { query } : {}),
  });
const alertsPage = (who: string, query?: Record<string, string>) =>
  page(oversightHandler, 'GET /commissioning/alerts', '/commissioning/alerts', who, query ? { query } : {});

/** An audit event as `GET …/audit` answers it. */
interface AuditItem {
  seq?: number;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  reason?: string;
  hash?: string;
}

/** Every event of the competition's trail through the JSON route, once the sequencer has chained them. */
async function trail(): Promise<AuditItem[]> {
  await api.drainAudit();
  const items: AuditItem[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const response = await call('GET', `/competitions/${competitionId}/audit?limit=100${query}`, 'auditor');
    const body = response.body as { items: AuditItem[]; nextCursor: string | null };
    items.push(...body.items);
    cursor = body.nextCursor;
  } while (cursor);
  return items;
}

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of USERS) {
    tokens[sub] = await api.token(sub, groups);
    sessions[sub] = await signedIn(sub, { groups });
  }
  const provider = await call(
    'POST',
    '/providers',
    'bidder-owner',
    charityRegistration({
      name: 'Eastern Bidder',
      regions: ['east_of_england'],
      services: ['accommodation'],
    }),
  );
  const providerId = (provider.body as { id: string }).id;
  await call('POST', `/providers/${providerId}/verify`, 'admin');
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      title: TITLE,
      regions: ['east_of_england'],
      estimatedValuePence: 80_000_00,
      termMonths: 24,
      risk: 'low',
      prequalificationDeadline: undefined,
      tenderDeadline: inSeconds(3600),
    }),
  );
  competitionId = (created.body as { id: string }).id;
  await call('POST', `/competitions/${competitionId}/publish`, 'lead');
  await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
    evaluators: ['evaluator', 'lead'],
    moderator: 'moderator',
  });
  await call('POST', `/competitions/${competitionId}/wall/exclusions`, 'lead', {
    sub: 'excluded-commissioner',
    reason: 'Advised a bidder.',
  });
  for (const who of ['lead', 'evaluator', 'moderator']) {
    await call('POST', `/competitions/${competitionId}/declarations`, who, { conflicts: [] });
  }
  const auditorsOwn = await call(
    'POST',
    '/providers',
    'connected-auditor',
    charityRegistration({ name: 'Auditor’s Own', regions: ['east_of_england'], services: ['accommodation'] }),
  );
  await call('POST', `/providers/${(auditorsOwn.body as { id: string }).id}/verify`, 'admin');
  // A bidder's draft connects its owner to the competition.
  for (const owner of ['bidder-owner', 'connected-auditor']) {
    const draft = await call('PUT', `/competitions/${competitionId}/bid`, owner, {
      pricePence: 70_000_00,
      qualityResponses: { quality: 'Q', 'social-value': 'S' },
    });
    expect(draft.status, owner).toBe(200);
  }
});

afterAll(async () => {
  await api.stop();
});

describe('the audit trail page', () => {
  it('shows an auditor the events the API lists, and the chain verified', async () => {
    const events = await trail();
    expect(events.length).toBeGreaterThan(4);
    const result = await auditPage('auditor', { limit: '100' });
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatch(/<title>Audit trail: Resettlement support, East of England – /);
    expect((result.body ?? '').match(/<h1/g)).toHaveLength(1);
    expect(result.body).toContain('aria-current="page">Audit trail</a>');
    expect(result.body).toContain('govuk-tag--green">Valid</strong>');
    expect(result.body).toContain(`Checked ${events.length} of the ${events.length} chained events`);
    expect(result.body).toContain('recomputed over its content');
    const rows = tableRows(result.body, 'events');
    expect(rows.map((row) => row[0])).toEqual(events.map((e) => String(e.seq)));
    expect(rows.map((row) => row[3])).toEqual(events.map((e) => e.action));
    // Each hash shortened in the table, and whole in a details component keyboards and screen readers reach.
    const first = events[0];
    expect(result.body).toContain(`<code>${first?.hash?.slice(0, 12)}…</code>`);
    expect(result.body).toContain(`Hash: <code>${first?.hash}</code>`);
    expect(result.body).toContain('show the full hashes of event 1');
  });

  it('refuses a commissioner who is neither auditor nor admin on the page and the route alike, recording each attempt the same way', async () => {
    const denials = async () =>
      (await trail()).filter((e) => e.actor === 'evaluator' && e.action === 'audit.read');
    const before = (await denials()).length;
    const result = await auditPage('evaluator');
    expect(result.statusCode).toBe(403);
    expect(result.headers?.['content-type']).toContain('text/html');
    expect(result.body).toContain('Only auditors and admins read the audit log.');
    // The JSON route asks the same use case (no earlier role check of its own): the same refusal, recorded.
    const viaApi = await call('GET', `/competitions/${competitionId}/audit`, 'evaluator');
    expect(viaApi.status).toBe(403);
    expect(viaApi.body).toMatchObject({
      type: '/problems/forbidden',
      detail: 'Only auditors and admins read the audit log.',
    });
    const recorded = await denials();
    expect(recorded.length).toBe(before + 2);
    const shape = (e: AuditItem | undefined) =>
      e && { actor: e.actor, action: e.action, resource: e.resource, outcome: e.outcome, reason: e.reason };
    expect(shape(recorded.at(-1))).toEqual(shape(recorded.at(-2)));
    expect(shape(recorded.at(-1))).toEqual({
      actor: 'evaluator',
      action: 'audit.read',
      resource: `competitions/${competitionId}/audit`,
      outcome: 'denied',
      reason: '/problems/forbidden',
    });
    // Verifying the chain likewise.
    const verify = await call('GET', `/competitions/${competitionId}/audit/verify`, 'evaluator');
    expect(verify.status).toBe(403);
    const verifications = (await trail()).filter(
      (e) => e.actor === 'evaluator' && e.action === 'audit.verify',
    );
    expect(verifications.at(-1)).toMatchObject({ outcome: 'denied', reason: '/problems/forbidden' });
  });

  it('refuses a provider user on the page and the route alike, recording each attempt', async () => {
    const denials = async () =>
      (await trail()).filter((e) => e.action === 'audit.read' && e.reason === '/problems/forbidden');
    const before = (await denials()).length;
    const viaPage = await auditPage('unconnected-provider-user');
    expect(viaPage.statusCode).toBe(403);
    const viaApi = await call('GET', `/competitions/${competitionId}/audit`, 'unconnected-provider-user');
    expect(viaApi.status).toBe(403);
    expect(viaApi.body).toMatchObject({ type: '/problems/forbidden' });
    const recorded = await denials();
    expect(recorded.length).toBe(before + 2);
    expect(recorded.slice(-2).map((e) => e.actor)).toEqual([
      'unconnected-provider-user',
      'unconnected-provider-user',
    ]);
  });

  it('refuses an auditor connected to a bidder, recording it exactly as the API does', async () => {
    // While the bids are sealed the trail does not name them: their refusal would tell who is bidding.
    const denials = async () =>
      (await trail()).filter((e) => e.reason === '/problems/ethical-wall' && e.action === 'audit.read');
    const before = (await denials()).length;
    const viaApi = await call('GET', `/competitions/${competitionId}/audit`, 'connected-auditor');
    expect(viaApi.status).toBe(403);
    expect(viaApi.body).toMatchObject({ type: '/problems/ethical-wall' });
    const viaPage = await auditPage('connected-auditor');
    expect(viaPage.statusCode).toBe(403);
    expect(viaPage.body).toContain('You are outside the ethical wall for this competition');
    const recorded = await denials();
    expect(recorded.length).toBe(before + 2);
    const shape = (e: AuditItem | undefined) =>
      e && { actor: e.actor, action: e.action, resource: e.resource, outcome: e.outcome, reason: e.reason };
    expect(shape(recorded.at(-1))).toEqual(shape(recorded.at(-2)));
    expect(shape(recorded.at(-1))).toEqual({
      actor: '(sealed until the tender deadline)',
      action: 'audit.read',
      resource: `competitions/${competitionId}/audit`,
      outcome: 'denied',
      reason: '/problems/ethical-wall',
    });
  });

  it('writes nothing for an allowed read, as the API writes nothing', async () => {
    const before = (await trail()).length;
    expect((await call('GET', `/competitions/${competitionId}/audit`, 'admin')).status).toBe(200);
    expect((await auditPage('admin')).statusCode).toBe(200);
    expect((await trail()).length).toBe(before);
  });

  it('pages through the trail with the cursor', async () => {
    const events = await trail();
    const first = await auditPage('auditor', { limit: '2' });
    expect(tableRows(first.body, 'events').map((row) => row[0])).toEqual(['1', '2']);
    expect(paginationHref(first.body, 'prev')).toBeUndefined();
    const next = paginationHref(first.body, 'next') ?? '';
    expect(next).toMatch(new RegExp(`^/commissioning/${competitionId}/audit\\?limit=2&cursor=`));
    const cursor = new URLSearchParams(next.split('?')[1]).get('cursor') ?? '';
    const second = await auditPage('auditor', { limit: '2', cursor });
    expect(second.statusCode).toBe(200);
    expect(tableRows(second.body, 'events').map((row) => row[0])).toEqual(['3', '4']);
    expect(paginationHref(second.body, 'prev')).toBe(`/commissioning/${competitionId}/audit?limit=2`);
    expect(second.body).toContain('First page');
    // The last page has no Next.
    const last = await auditPage('auditor', { limit: String(events.length) });
    expect(paginationHref(last.body, 'next')).toBeUndefined();
    // A limit over 100 is not honoured: the first page of the usual size.
    const tooMany = await auditPage('auditor', { limit: '500' });
    expect(tableRows(tooMany.body, 'events').length).toBe(Math.min(25, events.length));
  });
});

describe('the alerts page', () => {
  it('shows a denied attempt from outside the wall, newest first, linked to its audit trail', async () => {
    // An excluded commissioner tries the evaluation page; the bidder's owner tries the bids through the API.
    const tried = await page(
      evaluationHandler,
      'GET /commissioning/{id}/evaluation',
      `/commissioning/${competitionId}/evaluation`,
      'excluded-commissioner',
      { params: { id: competitionId } },
    );
    expect(tried.statusCode).toBe(403);
    expect(tried.body).toContain('You are outside the ethical wall for this competition');
    expect((await call('GET', `/competitions/${competitionId}/bids`, 'bidder-owner')).status).toBe(403);
    await api.drainAudit();

    const result = await alertsPage('admin');
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatch(/<title>Breach-attempt alerts – /);
    expect(result.body).toContain(
      '<a class="govuk-breadcrumbs__link" href="/commissioning">Commissioning</a>',
    );
    const rows = tableRows(result.body, 'alerts');
    // Two earlier ones are the connected auditor's, above.
    expect(rows.length).toBe(4);
    // Newest first: the bidder's attempt, its actor hidden while the bids are sealed (it would tell who bids).
    expect(rows[0]?.slice(1)).toEqual([
      `${TITLE} : audit trail`,
      '(sealed until the tender deadline)',
      `Read the bids competitions/${competitionId}/bids`,
      'Outside the ethical wall',
    ]);
    expect(result.body).not.toContain('bidder-owner');
    expect(rows[1]?.slice(1)).toEqual([
      `${TITLE} : audit trail`,
      'excluded-commissioner',
      `Read the evaluation and ranking competitions/${competitionId}/evaluation`,
      'Outside the ethical wall',
    ]);
    expect(result.body).toContain(`href="/commissioning/${competitionId}/audit"`);
    // The same refusal is in the competition's trail.
    expect(
      (await trail()).some(
        (e) =>
          e.actor === 'excluded-commissioner' &&
          e.action === 'evaluation.read' &&
          e.outcome === 'denied' &&
          e.reason === '/problems/ethical-wall',
      ),
    ).toBe(true);
  });

  it('pages the alerts, lets auditors in as GET /alerts does, and refuses commissioners', async () => {
    const first = await alertsPage('auditor', { limit: '1' });
    expect(first.statusCode).toBe(200);
    expect(tableRows(first.body, 'alerts')).toHaveLength(1);
    const next = paginationHref(first.body, 'next') ?? '';
    const cursor = new URLSearchParams(next.split('?')[1]).get('cursor') ?? '';
    const second = await alertsPage('auditor', { limit: '1', cursor });
    expect(tableRows(second.body, 'alerts')[0]?.[2]).toBe('excluded-commissioner');
    const refused = await alertsPage('lead');
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('Only admins and auditors see alerts.');
  });
});

describe('a tampered trail', () => {
  it('says the trail is not valid, and where the first problem is', async () => {
    await api.drainAudit();
    // Someone with write access to the table rewrites who did event 2.
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tables.audit,
        Key: auditKeys.event(competitionId, 2),
        UpdateExpression: 'SET actor = :someone',
        ExpressionAttributeValues: { ':someone': 'someone-else' },
      }),
    );
    const result = await auditPage('auditor');
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('govuk-tag--red">Not valid</strong>');
    expect(result.body).toContain(
      'The first problem found is at event 2: an event’s sequence number, link to the event before it, or hash does not match',
    );
    expect(result.body).not.toContain('govuk-tag--green">Valid</strong>');
  });
});
