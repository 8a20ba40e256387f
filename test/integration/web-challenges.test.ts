// biome-ignore-all lint/suspicious/noThenProperty: `then` is the decision form's field name (API.md); these plain objects are never awaited
/**
 * The challenge pages over DynamoDB Local (issue 15): the bidder's debrief and challenge pages
 * (`functions/web/bidding.ts`) and the commissioning workspace's challenge pages and evaluation page
 * (`functions/web/evaluation.ts`). Forms carry the CSRF token, show the GOV.UK error summary and keep what
 * was typed; a challenge blocks the confirm form until the lead decides it; other bidders and outsiders
 * see nothing of it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as biddingHandler } from '../../functions/web/bidding';
import { handler as evaluationHandler } from '../../functions/web/evaluation';
import { repositories } from '../../shared/db/repositories';
import { competitionInStandstill } from '../support/challenges';
import { user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, h1Count, pageText, tableRows } from '../support/workspace';

const OWNERS = { A: user('wc-owner-a'), B: user('wc-owner-b'), C: user('wc-owner-c') } as const;
const providers = { A: '', B: '', C: '' };
const sessions: Record<string, SignedIn> = {};
let competitionId: string;
/** The pages' clock: an hour after the award decision (standstill of 0 days: already over). */
let at: number;

const provider = (routeKey: string, who: string, form?: Record<string, string>) =>
  callPage(biddingHandler, routeKey, {
    who: sessions[who],
    params: { id: competitionId },
    at,
    ...(form ? { form } : {}),
  });
const inside = (
  routeKey: string,
  who: string,
  params: Record<string, string> = {},
  form?: Record<string, string>,
) =>
  callPage(evaluationHandler, routeKey, {
    who: sessions[who],
    params: { id: competitionId, ...params },
    at,
    ...(form ? { form } : {}),
  });

async function storedChallenges() {
  const all = await repositories().challenges.list(competitionId, { limit: 25 });
  return all.items;
}

beforeAll(async () => {
  await useTestTables();
  for (const key of ['A', 'B', 'C'] as const) {
    providers[key] = await verifiedProvider(OWNERS[key].sub, `Page bidder ${key}`, {
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
  }
  const c = await competitionInStandstill({
    title: 'Victim support, Humber',
    owners: OWNERS,
    standstillDays: 0,
  });
  competitionId = c.id;
  at = c.decidedAt.getTime() + 3_600_000;
  const now = new Date(at);
  for (const [sub, groups] of [
    ['wc-owner-a', []],
    ['wc-owner-b', []],
    ['wc-owner-c', []],
    ['wc-nobody', []],
    ['lead', ['commissioner']],
    ['ch-evaluator-1', ['commissioner']],
    ['wc-auditor', ['auditor']],
    ['wc-outsider', ['commissioner']],
  ] as const) {
    sessions[sub] = await signedIn(sub, { groups: [...groups], now });
  }
});

describe("the bidder's debrief page", () => {
  it('shows its own points and the winning bid’s, and the way to challenge', async () => {
    const page = await provider('GET /your-competitions/{id}/debrief', 'wc-owner-b');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<title>Your debrief: Victim support, Humber – /);
    expect(h1Count(page.body)).toBe(1);
    const text = pageText(page);
    expect(text).toContain('Your bid was not successful. It was ranked 2.');
    expect(text).toContain('Winning bid (Page bidder A)');
    expect(text).not.toContain('Page bidder C');
    expect(page.body).toContain(`href="/your-competitions/${competitionId}/challenge"`);
  });

  it('is refused to someone whose organisations did not bid', async () => {
    const page = await provider('GET /your-competitions/{id}/debrief', 'wc-nobody');
    expect(page.statusCode).toBe(403);
  });
});

describe('raising a challenge on the web', () => {
  it('offers the form with the CSRF token during standstill', async () => {
    const page = await provider('GET /your-competitions/{id}/challenge', 'wc-owner-b');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/<title>Challenge the award decision: Victim support, Humber – /);
    expect(h1Count(page.body)).toBe(1);
    expect(page.body).toContain(`name="csrfToken" value="${sessions['wc-owner-b']?.session.csrf}"`);
    expect(page.body).toContain('name="grounds"');
  });

  it('shows the error summary for blank or over-long grounds, keeps what was typed, and stores nothing', async () => {
    const blank = await provider('POST /your-competitions/{id}/challenge', 'wc-owner-b', { grounds: '  ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('govuk-error-summary');
    expect(blank.body).toContain('href="#grounds"');
    expect(pageText(blank)).toContain('Enter the grounds of your challenge');
    expect(blank.body).toMatch(/<title>Error: Challenge the award decision/);
    const long = `Too long ${'x'.repeat(10_000)}`;
    const tooLong = await provider('POST /your-competitions/{id}/challenge', 'wc-owner-b', { grounds: long });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain(long);
    expect(await storedChallenges()).toEqual([]);
  });

  it('refuses a form without the CSRF token', async () => {
    const forged = await callPage(biddingHandler, 'POST /your-competitions/{id}/challenge', {
      who: sessions['wc-owner-b'],
      params: { id: competitionId },
      at,
      form: { grounds: 'Forged' },
      csrf: false,
    });
    expect(forged.statusCode).toBe(403);
    expect(await storedChallenges()).toEqual([]);
  });

  it('raises the challenge, then shows it, open', async () => {
    const raised = await provider('POST /your-competitions/{id}/challenge', 'wc-owner-b', {
      grounds: 'Our price was the second lowest but scored as the highest.',
    });
    expect(raised.statusCode).toBe(303);
    expect(raised.headers?.location).toBe(`/your-competitions/${competitionId}/challenge?done=raised`);
    const page = await callPage(biddingHandler, 'GET /your-competitions/{id}/challenge', {
      who: sessions['wc-owner-b'],
      params: { id: competitionId },
      query: { done: 'raised' },
      at,
    });
    const text = pageText(page);
    expect(text).toContain('Your challenge has been raised');
    expect(text).toContain('Our price was the second lowest but scored as the highest.');
    expect(text).toContain('Open');
    expect(page.body).not.toContain('name="grounds"');
  });

  it('shows another bidder nothing of it', async () => {
    const page = await provider('GET /your-competitions/{id}/challenge', 'wc-owner-c');
    expect(page.statusCode).toBe(200);
    expect(pageText(page)).not.toContain('second lowest');
    expect(page.body).toContain('name="grounds"');
  });
});

describe('the commissioning side', () => {
  it('says on the evaluation page that a challenge is open, and offers no confirm form', async () => {
    const page = await inside('GET /commissioning/{id}/evaluation', 'lead');
    expect(page.statusCode).toBe(200);
    const text = pageText(page);
    expect(text).toContain('A challenge of the award decision is open');
    expect(text).toContain('the award cannot be confirmed until the lead commissioner has decided it');
    expect(page.body).not.toContain('/evaluation/confirm');
    expect(page.body).toContain(`href="/commissioning/${competitionId}/challenges"`);
  });

  it('lists the challenges for the lead and auditors; refuses outsiders and bidders', async () => {
    const lead = await inside('GET /commissioning/{id}/challenges', 'lead');
    expect(lead.statusCode).toBe(200);
    expect(lead.body).toMatch(/<title>Challenges: Victim support, Humber – /);
    expect(h1Count(lead.body)).toBe(1);
    expect(tableRows(lead.body, 'challenges').map((r) => [r[0], r[2]])).toEqual([['Page bidder B', 'Open']]);
    expect(lead.body).toContain('aria-current="page"');
    const auditor = await inside('GET /commissioning/{id}/challenges', 'wc-auditor');
    expect(auditor.statusCode).toBe(200);
    expect(tableRows(auditor.body, 'challenges')).toHaveLength(1);
    expect((await inside('GET /commissioning/{id}/challenges', 'wc-outsider')).statusCode).toBe(403);
    // A bidder has no commissioning workspace at all: its own challenge is on its own pages.
    expect((await inside('GET /commissioning/{id}/challenges', 'wc-owner-c')).statusCode).toBe(403);
  });

  it('offers the decision form to the lead only; a form with problems keeps what was typed', async () => {
    const [challenge] = await storedChallenges();
    const params = { challengeId: challenge?.id ?? '' };
    const evaluator = await inside(
      'GET /commissioning/{id}/challenges/{challengeId}',
      'ch-evaluator-1',
      params,
    );
    expect(evaluator.statusCode).toBe(200);
    expect(evaluator.body).not.toContain('name="outcome"');
    const lead = await inside('GET /commissioning/{id}/challenges/{challengeId}', 'lead', params);
    expect(lead.body).toContain('name="outcome"');
    expect(lead.body).toContain(`name="csrfToken" value="${sessions.lead?.session.csrf}"`);
    const incomplete = await inside('POST /commissioning/{id}/challenges/{challengeId}', 'lead', params, {
      reasons: 'Checked the price points again',
    });
    expect(incomplete.statusCode).toBe(400);
    expect(pageText(incomplete)).toContain('Select whether you uphold or reject the challenge');
    expect(incomplete.body).toContain('href="#outcome"');
    expect(incomplete.body).toContain('Checked the price points again');
    const noThen = await inside('POST /commissioning/{id}/challenges/{challengeId}', 'lead', params, {
      outcome: 'upheld',
      reasons: 'Upheld',
    });
    expect(noThen.statusCode).toBe(400);
    expect(noThen.body).toContain('href="#then"');
    expect((await storedChallenges())[0]?.status).toBe('open');
  });

  it('rejects it; the bidder reads the decision; then the lead can confirm the award', async () => {
    const [challenge] = await storedChallenges();
    const params = { challengeId: challenge?.id ?? '' };
    const decided = await inside('POST /commissioning/{id}/challenges/{challengeId}', 'lead', params, {
      outcome: 'rejected',
      reasons: 'The price points follow the formula.',
      // Left selected beside "reject": dropped, not an error.
      then: 'cancel',
    });
    expect(decided.statusCode).toBe(303);
    const bidder = pageText(await provider('GET /your-competitions/{id}/challenge', 'wc-owner-b'));
    expect(bidder).toContain('Rejected');
    expect(bidder).toContain('The price points follow the formula.');
    const evaluation = await inside('GET /commissioning/{id}/evaluation', 'lead');
    expect(evaluation.body).toContain('/evaluation/confirm');
    const confirmed = await inside('POST /commissioning/{id}/evaluation/confirm', 'lead');
    expect(confirmed.statusCode).toBe(303);
    expect((await repositories().competitions.get(competitionId))?.status).toBe('awarded');
    // Standstill is over: the bidder is told why no challenge can be raised.
    const late = pageText(await provider('GET /your-competitions/{id}/challenge', 'wc-owner-c'));
    expect(late).toContain('The award has been confirmed');
  });
});
