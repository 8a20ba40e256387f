/**
 * The evaluation and award pages (`functions/web/evaluation.ts`) over DynamoDB Local, a competition set up
 * through the JSON API: the ranking the page shows is the one `GET /competitions/{id}/evaluation` answers,
 * the award form refuses what the API refuses and stores nothing then, the standstill page says when it
 * ends, confirming too early is the 409 page, and confirming after it links to the contract page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as evaluationHandler } from '../../functions/web/evaluation';
import { repositories } from '../../shared/db/repositories';
import { govukDateTime } from '../../shared/domain/dates';
import { startTestApi, type TestApi } from '../support/api';
import { inSeconds, victimSupportBody } from '../support/competitions';
import { A_THEN_C_THEN_B, moderateAll, scoreThrees } from '../support/evaluation-api';
import { charityRegistration } from '../support/fixtures';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText, tableRows } from '../support/workspace';

let api: TestApi;
const tokens: Record<string, string> = {};
const sessions: Record<string, SignedIn> = {};
const providers: Record<string, string> = {};
const bidIds: Record<string, string> = {};
let competitionId: string;
let tenderDeadline: string;

const USERS: [string, string[]][] = [
  ['lead', ['commissioner']],
  ['evaluator', ['commissioner']],
  ['evaluator-2', ['commissioner']],
  ['moderator', ['commissioner']],
  ['admin', ['admin']],
  ['auditor', ['auditor']],
  ['owner-a', []],
  ['owner-b', []],
  ['owner-c', []],
];

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });

/** Calls the evaluation web function as API Gateway would, as `who`, optionally at another moment. */
const page = (
  routeKey: string,
  path: string,
  options: {
    who: string;
    params?: Record<string, string>;
    form?: Record<string, string>;
    query?: Record<string, string>;
    at?: number;
  },
) =>
  callPage(evaluationHandler, routeKey, {
    ...options,
    who: sessions[options.who],
    path,
    params: options.params ?? { id: competitionId },
  });

const evaluationPage = (who: string, at?: number) =>
  page('GET /commissioning/{id}/evaluation', `/commissioning/${competitionId}/evaluation`, {
    who,
    ...(at !== undefined ? { at } : {}),
  });
const awardPost = (form: Record<string, string>) =>
  page('POST /commissioning/{id}/evaluation/award', `/commissioning/${competitionId}/evaluation/award`, {
    who: 'lead',
    form,
  });

/** The competition's stored state (the award's times are not in any public view during standstill). */
async function stored() {
  const state = await repositories().competitions.state(competitionId);
  if (!state) throw new Error('competition missing');
  return state.competition;
}

const quality = (text: string) => ({ quality: text, 'social-value': `${text}: social value` });

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of USERS) {
    tokens[sub] = await api.token(sub, groups);
    sessions[sub] = await signedIn(sub, { groups });
  }
  for (const [key, owner] of [
    ['A', 'owner-a'],
    ['B', 'owner-b'],
    ['C', 'owner-c'],
  ] as const) {
    const registered = await call(
      'POST',
      '/providers',
      owner,
      charityRegistration({ name: `Bidder ${key}`, regions: ['south_west'], services: ['victim_services'] }),
    );
    providers[key] = (registered.body as { id: string }).id;
    await call('POST', `/providers/${providers[key]}/verify`, 'admin');
  }
  tenderDeadline = inSeconds(10);
  const created = await call('POST', '/competitions', 'lead', victimSupportBody(tenderDeadline));
  competitionId = (created.body as { id: string }).id;
  await call('POST', `/competitions/${competitionId}/publish`, 'lead');
  await call('PUT', `/competitions/${competitionId}/panel`, 'lead', {
    evaluators: ['evaluator', 'evaluator-2'],
    moderator: 'moderator',
  });
  for (const who of ['lead', 'evaluator', 'evaluator-2', 'moderator']) {
    await call('POST', `/competitions/${competitionId}/declarations`, who, { conflicts: [] });
  }
  for (const [key, owner, price] of [
    ['A', 'owner-a', 68_000_00],
    ['B', 'owner-b', 60_000_00],
    ['C', 'owner-c', 75_000_00],
  ] as const) {
    await call('PUT', `/competitions/${competitionId}/bid`, owner, {
      pricePence: price,
      qualityResponses: quality(key),
    });
    const submitted = await call('POST', `/competitions/${competitionId}/bid/submit`, owner);
    bidIds[key] = (submitted.body as { bidId: string }).bidId;
  }
});

afterAll(async () => {
  await api.stop();
});

describe('the evaluation page', () => {
  it('says when bids open while they are sealed, for the lead too', async () => {
    const sealed = await evaluationPage('lead');
    expect(sealed.statusCode).toBe(403);
    expect(sealed.body).toContain('Bids are sealed');
    expect(sealed.body).toContain(govukDateTime(tenderDeadline));
  });

  it('shows an incomplete evaluation and what it still lacks', async () => {
    const wait = Date.parse(tenderDeadline) - Date.now() + 200;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const result = await evaluationPage('lead');
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('The evaluation is not complete yet');
    expect(result.body).toContain(
      'Bidder A: no agreed (moderated) score yet for Quality of service, Social value',
    );
    // The lead cannot decide yet: no award form.
    expect(result.body).not.toContain('/evaluation/award');
  });

  it('shows the ranking GET /competitions/{id}/evaluation answers, with the price formula in numbers', async () => {
    await scoreThrees(call, competitionId, bidIds, [
      ['evaluator', ['A', 'B', 'C']],
      ['evaluator-2', ['A', 'B', 'C']],
    ]);
    await moderateAll(call, competitionId, bidIds, A_THEN_C_THEN_B, 'Agreed at moderation');
    const json = await call('GET', `/competitions/${competitionId}/evaluation`, 'lead');
    const { complete, ranking } = json.body as {
      complete: boolean;
      ranking: {
        organisationId: string;
        qualityPoints: number;
        pricePoints: number;
        totalPoints: number;
        rank: number;
      }[];
    };
    expect(complete).toBe(true);
    const names = Object.fromEntries(Object.entries(providers).map(([key, id]) => [id, `Bidder ${key}`]));
    const result = await evaluationPage('lead');
    expect(result.statusCode).toBe(200);
    expect(tableRows(result.body, 'ranking')).toEqual(
      ranking.map((r) => [
        String(r.rank),
        names[r.organisationId],
        r.qualityPoints.toFixed(2),
        r.pricePoints.toFixed(2),
        r.totalPoints.toFixed(2),
      ]),
    );
    expect(ranking.map((r) => names[r.organisationId])).toEqual(['Bidder A', 'Bidder C', 'Bidder B']);
    expect(result.body).toContain('The evaluation is complete');
    expect(result.body).toContain('The lowest price is £60,000');
    expect(result.body).toContain('30 × £60,000 ÷ £68,000');
    expect(result.body).toContain('the one with more quality points ranks higher');
    expect(result.body).toMatch(/<title>Evaluation and award: Victim support, South West – /);
    expect((result.body ?? '').match(/<h1/g)).toHaveLength(1);
    // The lead decides: the form, with the CSRF token.
    expect(result.body).toContain(`action="/commissioning/${competitionId}/evaluation/award"`);
    expect(result.body).toContain(`name="csrfToken" value="${sessions.lead?.session.csrf}"`);
    // An evaluator sees the ranking, not the form.
    const evaluatorView = await evaluationPage('evaluator');
    expect(evaluatorView.body).toContain('The lead commissioner decides the award');
    expect(evaluatorView.body).not.toContain('/evaluation/award');
  });

  it('records the page read as the API records its own: one evaluation.read by the reader', async () => {
    const reads = async () => {
      await api.drainAudit();
      const log = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
      let items = (
        log.body as { items: { actor: string; action: string; resource: string; outcome: string }[] }
      ).items;
      let cursor = (log.body as { nextCursor: string | null }).nextCursor;
      while (cursor) {
        const next = await call(
          'GET',
          `/competitions/${competitionId}/audit?limit=100&cursor=${encodeURIComponent(cursor)}`,
          'auditor',
        );
        items = [...items, ...(next.body as { items: typeof items }).items];
        cursor = (next.body as { nextCursor: string | null }).nextCursor;
      }
      return items.filter((e) => e.actor === 'moderator' && e.action === 'evaluation.read');
    };
    const before = await reads();
    await call('GET', `/competitions/${competitionId}/evaluation`, 'moderator');
    const afterApi = await reads();
    expect((await evaluationPage('moderator')).statusCode).toBe(200);
    const afterPage = await reads();
    expect(afterApi.length).toBe(before.length + 1);
    expect(afterPage.length).toBe(afterApi.length + 1);
    const shape = (e: { actor: string; action: string; resource: string; outcome: string } | undefined) =>
      e && { actor: e.actor, action: e.action, resource: e.resource, outcome: e.outcome };
    expect(shape(afterPage.at(-1))).toEqual(shape(afterApi.at(-1)));
    expect(shape(afterPage.at(-1))).toEqual({
      actor: 'moderator',
      action: 'evaluation.read',
      resource: `competitions/${competitionId}/evaluation`,
      outcome: 'allowed',
    });
  });
});

describe('the award decision', () => {
  it('asks for the reasons, keeping the chosen bid, and stores nothing', async () => {
    const result = await awardPost({ bidId: bidIds.A ?? '', rationale: '  ', overrideReason: '' });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('There is a problem');
    expect(result.body).toContain('<title>Error: Evaluation and award');
    expect(result.body).toContain('href="#rationale"');
    expect(result.body).toContain('Enter the reasons for the award decision');
    expect(result.body).toMatch(new RegExp(`value="${bidIds.A}"[^>]*checked`));
    const nothing = await awardPost({ rationale: 'Best value' });
    expect(nothing.statusCode).toBe(400);
    expect(nothing.body).toContain('Choose the bid to award');
    expect(nothing.body).toContain('Best value');
    expect((await stored()).status).not.toBe('standstill');
    expect((await stored()).award).toBeUndefined();
  });

  it('asks for an override reason when the chosen bid is not ranked first, and stores nothing', async () => {
    const result = await awardPost({
      bidId: bidIds.C ?? '',
      rationale: 'Closer to home',
      overrideReason: '',
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('href="#overrideReason"');
    expect(result.body).toContain('This bid is ranked 2');
    expect(result.body).toContain('Closer to home');
    expect(result.body).toMatch(new RegExp(`value="${bidIds.C}"[^>]*checked`));
    expect((await stored()).award).toBeUndefined();
  });

  it('lets the lead record a price clarification on the bid page, as the JSON route records one', async () => {
    const bidId = bidIds.B ?? '';
    const params = { id: competitionId, bidId };
    const bidPath = `/commissioning/${competitionId}/bids/${bidId}`;
    const clarify = (who: string, note: string) =>
      page('POST /commissioning/{id}/bids/{bidId}/price-clarification', `${bidPath}/price-clarification`, {
        who,
        params,
        form: { note },
      });
    // The lead sees the form; an evaluator, who may not decide on the evaluation, does not.
    const leadView = await page('GET /commissioning/{id}/bids/{bidId}', bidPath, { who: 'lead', params });
    expect(leadView.statusCode).toBe(200);
    expect(leadView.body).toContain(`action="${bidPath}/price-clarification"`);
    expect(leadView.body).toContain('id="price-clarification"');
    const evaluatorView = await page('GET /commissioning/{id}/bids/{bidId}', bidPath, {
      who: 'evaluator',
      params,
    });
    expect(evaluatorView.statusCode).toBe(200);
    expect(evaluatorView.body).not.toContain('price-clarification');
    // A blank note: an error against the field, nothing stored.
    const blank = await clarify('lead', '   ');
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('href="#note"');
    expect(blank.body).toContain('Enter how the bidder explained the price');
    expect(await repositories().bids.priceClarifications(competitionId, bidId)).toEqual([]);
    // An evaluator posting the form anyway is refused by the policy, as on the API.
    const refused = await clarify('evaluator', 'Not mine to record');
    expect(refused.statusCode).toBe(403);
    // The lead records one; the JSON route records the next; both kept, alike.
    const recorded = await clarify('lead', 'They explained the staffing model: volunteers for 20% of hours.');
    expect(recorded.statusCode).toBe(303);
    expect(recorded.headers?.location).toBe(`/commissioning/${competitionId}/bids?saved=price&bid=${bidId}`);
    const banner = await page('GET /commissioning/{id}/bids', `/commissioning/${competitionId}/bids`, {
      who: 'lead',
      query: { saved: 'price', bid: bidId },
    });
    expect(banner.statusCode).toBe(200);
    expect(pageText(banner)).toContain("The price clarification for Bidder B's bid is recorded");
    const viaApi = await call(
      'POST',
      `/competitions/${competitionId}/bids/${bidId}/price-clarification`,
      'lead',
      { note: 'Confirmed in writing.' },
    );
    expect(viaApi.status, viaApi.text).toBe(201);
    const stored = await repositories().bids.priceClarifications(competitionId, bidId);
    expect(stored.map((c) => [c.note, c.recordedBy])).toEqual([
      ['They explained the staffing model: volunteers for 20% of hours.', 'lead'],
      ['Confirmed in writing.', 'lead'],
    ]);
    await api.drainAudit();
    const trail = await call('GET', `/competitions/${competitionId}/audit?limit=100`, 'auditor');
    const clarifications = (
      trail.body as { items: { action: string; actor: string; outcome: string }[] }
    ).items
      .filter((e) => e.action === 'price.clarify')
      .map((e) => `${e.outcome}:${e.actor}`);
    expect(clarifications).toEqual(['denied:evaluator', 'allowed:lead', 'allowed:lead']);
  });

  it('decides the award: the standstill page says when it ends, and an early confirmation is refused', async () => {
    const decided = await awardPost({ bidId: bidIds.A ?? '', rationale: 'Highest total' });
    expect(decided.statusCode).toBe(303);
    expect(decided.headers?.location).toBe(`/commissioning/${competitionId}/evaluation?done=decided`);
    const { award, status } = await stored();
    expect(status).toBe('standstill');
    expect(award).toMatchObject({ bidId: bidIds.A, providerName: 'Bidder A', rationale: 'Highest total' });
    const endsAt = award?.standstillEndsAt ?? '';
    // Tests run with a standstill of 0 days: a moment before the decision is "during standstill".
    const during = Date.parse(endsAt) - 60_000;
    const standstill = await evaluationPage('lead', during);
    expect(standstill.statusCode).toBe(200);
    expect(standstill.body).toContain('the standstill period is running');
    expect(standstill.body).toContain(`until it ends ${govukDateTime(endsAt)}`);
    expect(standstill.body).toContain('Bidder A');
    expect(standstill.body).not.toContain('Confirm the award');
    const early = await page(
      'POST /commissioning/{id}/evaluation/confirm',
      `/commissioning/${competitionId}/evaluation/confirm`,
      { who: 'lead', form: {}, at: during },
    );
    expect(early.statusCode).toBe(409);
    expect(early.body).toContain(`The standstill period runs until ${govukDateTime(endsAt)}`);
    expect((await stored()).status).toBe('standstill');
  });

  it('confirms after standstill and links to the contract page, which renders', async () => {
    const ready = await evaluationPage('lead');
    expect(ready.body).toContain('Confirm the award');
    expect(ready.body).toContain(`action="/commissioning/${competitionId}/evaluation/confirm"`);
    const confirmed = await page(
      'POST /commissioning/{id}/evaluation/confirm',
      `/commissioning/${competitionId}/evaluation/confirm`,
      { who: 'lead', form: {} },
    );
    expect(confirmed.statusCode).toBe(303);
    const awarded = await evaluationPage('lead');
    const contractId = (await stored()).award?.contractId;
    expect(contractId).toBeTruthy();
    expect(awarded.body).toContain('Awarded');
    expect(awarded.body).toContain(`href="/commissioning/contracts/${contractId}"`);
    const contract = await page(
      'GET /commissioning/contracts/{id}',
      `/commissioning/contracts/${contractId}`,
      {
        who: 'lead',
        params: { id: contractId ?? '' },
      },
    );
    expect(contract.statusCode).toBe(200);
    expect(contract.body).toContain('<h1 class="govuk-heading-l">Victim support, South West</h1>');
    for (const text of [
      'Bidder A',
      '£68,000',
      'South West',
      'Victim services',
      '10% of the contract value',
    ]) {
      expect(contract.body).toContain(text);
    }
    expect(contract.body).toContain(`href="/commissioning/${competitionId}/evaluation"`);
    // A provider user has no commissioning workspace: the workspace's refusal, naming nothing of the contract.
    const stranger = await page(
      'GET /commissioning/contracts/{id}',
      `/commissioning/contracts/${contractId}`,
      {
        who: 'owner-b',
        params: { id: contractId ?? '' },
      },
    );
    expect(stranger.statusCode).toBe(403);
    expect(stranger.body).toContain('The commissioning workspace is for commissioners, auditors and admins');
    expect(stranger.body).not.toContain(contractId ?? '');
  });
});
