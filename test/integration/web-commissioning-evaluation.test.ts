/**
 * The commissioning workspace's evaluation pages (issue 14) through the handler of
 * `functions/web/evaluation.ts`, over DynamoDB Local: pre-qualification responses, marking and the
 * shortlist; bids sealed before the tender deadline; scoring and moderation; the ethical wall's refusal
 * page; and forms that store nothing when refused.
 *
 * Time moves by the request: each page event carries the instant API Gateway received it
 * (`requestContext.timeEpoch`), which the pages pass to the use cases as `now`, so a page can be asked
 * "after the deadline" without waiting for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as jsonEvaluation } from '../../functions/tenders/evaluation';
import { handler } from '../../functions/web/evaluation';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { govukDateTime } from '../../shared/domain/dates';
import { putAccreditation } from '../../shared/use-cases/accreditation';
import { getPublishedCompetition } from '../../shared/use-cases/competitions/published-competition';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { httpEvent, lambdaContext } from '../support/events';
import { accredit, openCompetition, seatPanel, user, verifiedProvider } from '../support/scenario';
import { tableSnapshots } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, h1Count } from '../support/workspace';

const HOUR = 3_600_000;
const E1 = 'web-evaluator-1';
const E2 = 'web-evaluator-2';
const MOD = 'web-moderator';

/** Signed-in sessions by sub. */
const sessions: Record<string, SignedIn> = {};
const snapshots = tableSnapshots();
/** When the set-up started: deadlines are an hour or two after it. */
let t0: number;

/**
 * Calls the evaluation pages' handler as API Gateway would, at `at` (epoch ms; now by default), at the
 * route's path filled in with `params`.
 */
function page(
  routeKey: string,
  options: {
    params: Record<string, string>;
    as: string;
    at?: number;
    form?: Record<string, string | string[]>;
    csrf?: boolean;
    query?: Record<string, string>;
  },
) {
  const { as, ...call } = options;
  const session = sessions[as];
  if (!session) throw new Error(`no session for ${as}`);
  return callPage(handler, routeKey, { ...call, who: session, at: options.at ?? Date.now() });
}

/** The audit events of a competition (chained or pending). */
async function auditEvents(competitionId: string) {
  return (await repositories().audit.page(competitionId, 100, undefined)).items;
}

/** The text of an HTML page without tags, entities as typed, whitespace collapsed: what a reader sees. */
function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');
}

beforeAll(async () => {
  await useTestTables();
  t0 = Date.now();
  for (const [sub, groups] of [
    ['lead', ['commissioner']],
    [E1, ['commissioner']],
    [E2, ['commissioner']],
    [MOD, ['commissioner']],
    // The owner of a bidding organisation who also holds the commissioner role: outside the wall.
    ['web-bidder-x', ['commissioner']],
    // The owner of an applicant organisation who also holds the commissioner role: outside that wall.
    ['web-able-owner', ['commissioner']],
  ] as const) {
    sessions[sub] = await signedIn(sub, { groups: [...groups] });
  }
});

afterAll(() => {
  snapshots.close();
});

describe('pre-qualification responses, marking and the shortlist', () => {
  let competitionId: string;
  const responses: Record<'able' | 'broke', string> = { able: '', broke: '' };
  const pastDeadline = () => t0 + 1.5 * HOUR;

  beforeAll(async () => {
    const able = await verifiedProvider('web-able-owner', 'Able Resettlement Trust', {
      region: 'london',
      service: 'health',
    });
    await accredit('web-able-owner', able);
    const broke = await verifiedProvider('web-broke-owner', 'Small Steps Collective', {
      region: 'london',
      service: 'health',
    });
    // £10,000 a year: short of the minimum (the annual contract value, £150,000).
    await putAccreditation(
      repositories(),
      user('web-broke-owner'),
      broke,
      {
        exclusionGrounds: { mandatory: [], discretionary: [] },
        financial: {
          annualTurnoverPence: 10_000_00,
          accountsYearEnd: `${new Date().getUTCFullYear() - 1}-03-31`,
        },
        insurance: { employersLiabilityPence: 1, publicLiabilityPence: 1 },
        policies: { equality: true, safeguarding: true, healthAndSafety: true },
      },
      new Date(),
      12,
    );
    competitionId = await openCompetition({
      title: 'Health in custody, London',
      region: 'london',
      service: 'health',
      prequalification: true,
    });
    const deps = withSharedProviderData(repositories());
    for (const [key, owner, experience] of [
      ['able', 'web-able-owner', 'Five prison health contracts since 2021.'],
      ['broke', 'web-broke-owner', 'A volunteer-run drop-in for two years.'],
    ] as const) {
      const submitted = await submitResponse(
        deps,
        user(owner),
        competitionId,
        { answers: { 'technical.relevant-experience': experience } },
        new Date(),
      );
      responses[key] = submitted.id;
    }
    await seatPanel(competitionId, { evaluators: [E1, E2], moderator: MOD });
  });

  const base = () => `/commissioning/${competitionId}`;

  it('refuses the responses list before the pre-qualification deadline, with the use case’s reason', async () => {
    const before = await page('GET /commissioning/{id}/responses', {
      params: { id: competitionId },
      as: E1,
    });
    expect(before.statusCode).toBe(409);
    expect(before.body).toContain('Responses stay closed until the pre-qualification deadline.');
  });

  it('lists each response after the deadline with its automatic results and the marks so far', async () => {
    const result = await page('GET /commissioning/{id}/responses', {
      params: { id: competitionId },
      as: E1,
      at: pastDeadline(),
    });
    expect(result.statusCode).toBe(200);
    const text = visibleText(result.body);
    expect(text).toContain('Pre-qualification responses – Health in custody, London');
    expect(h1Count(result.body)).toBe(1);
    expect(result.body).toContain('class="govuk-breadcrumbs');
    expect(result.body).toContain('aria-label="This competition"');
    expect(result.body).toContain(`href="${base()}/responses/${responses.able}"`);
    expect(text).toContain('Able Resettlement Trust');
    // Small Steps fails financial standing, with the numbers that decided it.
    expect(text).toMatch(/Small Steps Collective.*Fail.*Turnover £10,000; minimum £150,000/);
    expect(text).toContain('None yet');
    // The read is audited as on the JSON route.
    const events = await auditEvents(competitionId);
    expect(
      events.some((e) => e.actor === E1 && e.action === 'prequalification.read' && e.outcome === 'allowed'),
    ).toBe(true);
  });

  it('shows a response’s answers and marks it through the form, keeping what was typed on an error', async () => {
    const path = `${base()}/responses/${responses.able}`;
    const params = { id: competitionId, responseId: responses.able };
    const shown = await page('GET /commissioning/{id}/responses/{responseId}', {
      params,
      as: E1,
      at: pastDeadline(),
    });
    expect(shown.statusCode).toBe(200);
    const text = visibleText(shown.body);
    expect(text).toContain('Five prison health contracts since 2021.');
    // The question's own words, from the questionnaire of the competition's tier.
    expect(text).toMatch(
      /Describe up to three contracts of similar scope .* Five prison health contracts since 2021\./,
    );
    expect(text).toContain('applied alone');
    expect(shown.body).toContain(`action="${path}"`);
    expect(shown.body).toContain(`name="csrfToken" value="${sessions[E1]?.session.csrf}"`);

    const incomplete = await page('POST /commissioning/{id}/responses/{responseId}', {
      params,
      as: E1,
      at: pastDeadline(),
      form: { comment: 'Strong, relevant evidence of delivery.' },
    });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.body).toContain('govuk-error-summary');
    expect(incomplete.body).toContain('href="#result"');
    expect(visibleText(incomplete.body)).toContain('Select whether the response passes or fails');
    expect(incomplete.body).toContain('Strong, relevant evidence of delivery.</textarea>');
    expect(incomplete.body).toMatch(/<title>Error: /);
    expect((await repositories().prequalification.list(competitionId)).marks).toEqual([]);

    const saved = await page('POST /commissioning/{id}/responses/{responseId}', {
      params,
      as: E1,
      at: pastDeadline(),
      form: { result: 'pass', comment: 'Strong, relevant evidence of delivery.' },
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`${base()}/responses?marked=${responses.able}`);
    const { marks } = await repositories().prequalification.list(competitionId);
    expect(marks).toEqual([
      expect.objectContaining({
        responseId: responses.able,
        evaluator: E1,
        result: 'pass',
        comment: 'Strong, relevant evidence of delivery.',
      }),
    ]);
    const list = await page('GET /commissioning/{id}/responses', {
      params: { id: competitionId },
      as: E1,
      at: pastDeadline(),
      query: { marked: responses.able },
    });
    expect(list.body).toContain('govuk-notification-banner--success');
    expect(visibleText(list.body)).toContain('Your mark for Able Resettlement Trust’s response is saved');
    expect(visibleText(list.body)).toContain('1 pass');
    // Marked again, the form starts from the earlier mark.
    const again = await page('GET /commissioning/{id}/responses/{responseId}', {
      params,
      as: E1,
      at: pastDeadline(),
    });
    expect(again.body).toMatch(/value="pass" checked/);
  });

  it('shortlists through the page: failed responses say so, then back to the task list with its banner', async () => {
    const path = `${base()}/shortlist`;
    const params = { id: competitionId };
    const form = await page('GET /commissioning/{id}/shortlist', {
      params,
      as: 'lead',
      at: pastDeadline(),
    });
    expect(form.statusCode).toBe(200);
    expect(h1Count(form.body)).toBe(1);
    expect(visibleText(form.body)).toMatch(/Small Steps Collective .*Failed the automatic checks/);
    expect(form.body).toContain(`value="${responses.able}"`);
    // The failed response's box is not offered (the hint says why); the passing one's is.
    expect(form.body).toMatch(new RegExp(`value="${responses.broke}"[^>]*disabled`));
    expect(form.body).not.toMatch(new RegExp(`value="${responses.able}"[^>]*disabled`));
    // Marks still missing are a warning, not a refusal.
    expect(visibleText(form.body)).toContain('Not every panel member has marked every response');

    // An evaluator reads the page but is not offered the decision: the policy module says only the lead.
    const evaluatorView = await page('GET /commissioning/{id}/shortlist', {
      params,
      as: E1,
      at: pastDeadline(),
    });
    expect(evaluatorView.body).not.toContain(`action="${path}"`);
    expect(visibleText(evaluatorView.body)).toContain('Only the lead commissioner decides the shortlist');

    const none = await page('POST /commissioning/{id}/shortlist', {
      params,
      as: 'lead',
      at: pastDeadline(),
      form: {},
    });
    expect(none.statusCode).toBe(400);
    expect(visibleText(none.body)).toContain('Select at least one applicant to invite to tender');

    // The use case refuses an applicant that failed automatically; the page keeps the choice.
    const failing = await page('POST /commissioning/{id}/shortlist', {
      params,
      as: 'lead',
      at: pastDeadline(),
      form: { responseIds: [responses.able, responses.broke] },
    });
    expect(failing.statusCode).toBe(400);
    expect(visibleText(failing.body)).toContain('Small Steps Collective failed the automatic checks');
    expect(failing.body).toMatch(new RegExp(`value="${responses.able}" checked`));
    expect(
      (await getPublishedCompetition(repositories(), competitionId, new Date(pastDeadline()))).status,
    ).toBe('shortlisting');

    const done = await page('POST /commissioning/{id}/shortlist', {
      params,
      as: 'lead',
      at: pastDeadline(),
      form: { responseIds: [responses.able] },
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers?.location).toBe(`${base()}?done=shortlisted`);
    const competition = await repositories().competitions.get(competitionId);
    expect(competition?.status).toBe('tendering');
    expect(competition?.shortlist).toEqual([
      (await repositories().prequalification.responses(competitionId)).find((r) => r.id === responses.able)
        ?.providerId,
    ]);
  });

  it('refuses a commissioner who belongs to an applicant with the ethical-wall page, and records it', async () => {
    const refused = await page('GET /commissioning/{id}/responses', {
      params: { id: competitionId },
      as: 'web-able-owner',
      at: pastDeadline(),
    });
    expect(refused.statusCode).toBe(403);
    expect(visibleText(refused.body)).toContain('You are outside the ethical wall for this competition');
    expect(refused.body).not.toContain('Small Steps Collective');
    const denied = (await auditEvents(competitionId)).filter(
      (e) => e.actor === 'web-able-owner' && e.outcome === 'denied',
    );
    expect(denied.map((e) => [e.action, e.reason])).toEqual([
      ['prequalification.read', '/problems/ethical-wall'],
    ]);
  });
});

describe('bids, scoring and moderation', () => {
  let competitionId: string;
  let tenderDeadline: string;
  const bids: Record<'x' | 'y', string> = { x: '', y: '' };
  const pastDeadline = () => t0 + 2 * HOUR;

  beforeAll(async () => {
    competitionId = await openCompetition({
      title: 'Unpaid work, North East',
      region: 'north_east',
      service: 'unpaid_work',
    });
    tenderDeadline = (await getPublishedCompetition(repositories(), competitionId, new Date()))
      .tenderDeadline;
    for (const [key, owner, name, price] of [
      ['x', 'web-bidder-x', 'Northern Pathways CIC', 48_000_00],
      ['y', 'web-bidder-y', 'Tyne Community Works', 45_500_00],
    ] as const) {
      await verifiedProvider(owner, name, { region: 'north_east', service: 'unpaid_work' });
      const deps = withSharedProviderData(repositories());
      await saveDraft(
        deps,
        user(owner),
        competitionId,
        {
          pricePence: price,
          qualityResponses: { quality: `${name}: supervised placements in five towns.\n\nWeekly reporting.` },
          subcontractors: [],
          consortium: [],
        },
        new Date(),
      );
      bids[key] = (await submitBid(deps, user(owner), competitionId, undefined, new Date())).bidId;
    }
    await seatPanel(competitionId, { evaluators: [E1, E2], moderator: MOD });
  });

  const base = () => `/commissioning/${competitionId}`;
  const bidPath = (key: 'x' | 'y') => `${base()}/bids/${bids[key]}`;
  const bidParams = (key: 'x' | 'y') => ({ id: competitionId, bidId: bids[key] });

  it('keeps bids sealed before the tender deadline: a 403 page that says when they open', async () => {
    const sealed = await page('GET /commissioning/{id}/bids', {
      params: { id: competitionId },
      as: E1,
    });
    expect(sealed.statusCode).toBe(403);
    const text = visibleText(sealed.body);
    expect(text).toContain('Bids are sealed');
    expect(text).toContain(`They open when the tender deadline passes: ${govukDateTime(tenderDeadline)}.`);
    const bid = await page('GET /commissioning/{id}/bids/{bidId}', {
      params: bidParams('x'),
      as: 'lead',
    });
    expect(bid.statusCode).toBe(403);
    expect(visibleText(bid.body)).toContain('Bids are sealed');
  });

  it('lists the bids after the deadline with the evaluator’s own scoring status', async () => {
    const list = await page('GET /commissioning/{id}/bids', {
      params: { id: competitionId },
      as: E1,
      at: pastDeadline(),
    });
    expect(list.statusCode).toBe(200);
    expect(h1Count(list.body)).toBe(1);
    const text = visibleText(list.body);
    expect(text).toContain('Bids – Unpaid work, North East');
    expect(text).toMatch(/Northern Pathways CIC £48,000 .* Not scored yet/);
    expect(text).toContain('Tyne Community Works £45,500');
    expect(list.body).toContain(`href="${bidPath('x')}"`);
  });

  it('refuses a scoring form with problems: every problem named, what was typed kept, nothing stored', async () => {
    const sealedBefore = await snapshots.take(['sealed', 'procurement']);
    const missing = await page('POST /commissioning/{id}/bids/{bidId}/scores', {
      params: bidParams('x'),
      as: E1,
      at: pastDeadline(),
      form: { 'scores.0.criterionId': 'quality', 'scores.0.justification': 'Typed but no score chosen' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('govuk-error-summary');
    expect(missing.body).toContain('href="#scores-0-score"');
    expect(visibleText(missing.body)).toContain('Select a score for Quality');
    expect(missing.body).toContain('Typed but no score chosen</textarea>');

    const outOfRange = await page('POST /commissioning/{id}/bids/{bidId}/scores', {
      params: bidParams('x'),
      as: E1,
      at: pastDeadline(),
      form: { 'scores.0.criterionId': 'quality', 'scores.0.score': '7', 'scores.0.justification': '' },
    });
    expect(outOfRange.statusCode).toBe(400);
    const text = visibleText(outOfRange.body);
    expect(text).toContain('Give a whole number from 0 to 5 for Quality');
    expect(text).toContain('Write a justification for Quality');
    expect(snapshots.diff(sealedBefore, await snapshots.take(['sealed', 'procurement']))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });
  });

  it('stores through the scoring page exactly what PUT …/scores stores for the same answers', async () => {
    const justification = 'Clear method with evidence of supervision.\r\nWeekly reporting.';
    const at = pastDeadline();
    const saved = await page('POST /commissioning/{id}/bids/{bidId}/scores', {
      params: bidParams('x'),
      as: E1,
      at,
      form: {
        'scores.0.criterionId': 'quality',
        'scores.0.score': '4',
        'scores.0.justification': justification,
      },
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers?.location).toBe(`${base()}/bids?saved=scores&bid=${bids.x}`);
    const stored = (await repositories().bids.evaluationData(competitionId)).scores;
    expect(stored).toEqual([
      {
        bidId: bids.x,
        evaluator: E1,
        scores: [{ criterionId: 'quality', score: 4, justification }],
        scoredAt: new Date(at).toISOString(),
      },
    ]);

    // The JSON route, given the same scores by the same evaluator at the same instant, stores the same item.
    const before = await snapshots.take(['sealed']);
    const event = httpEvent({
      routeKey: 'PUT /competitions/{id}/bids/{bidId}/scores',
      method: 'PUT',
      path: `/competitions/${competitionId}/bids/${bids.x}/scores`,
      headers: { 'content-type': 'application/json' },
      pathParameters: { id: competitionId, bidId: bids.x },
      body: JSON.stringify({ scores: [{ criterionId: 'quality', score: 4, justification }] }),
      claims: { sub: E1, 'cognito:groups': '[commissioner]' },
    });
    event.requestContext.timeEpoch = at;
    const json = await jsonEvaluation(event, lambdaContext());
    expect(json.statusCode).toBe(200);
    expect(JSON.parse(String(json.body))).toEqual(stored[0]);
    expect(snapshots.diff(before, await snapshots.take(['sealed']))).toEqual({
      added: [],
      removed: [],
      changed: [],
    });

    const list = await page('GET /commissioning/{id}/bids', {
      params: { id: competitionId },
      as: E1,
      at: pastDeadline(),
      query: { saved: 'scores', bid: bids.x },
    });
    expect(visibleText(list.body)).toContain('Your scores for Northern Pathways CIC’s bid are saved');
    expect(visibleText(list.body)).toMatch(/Northern Pathways CIC .* Scored /);
    // The form starts from the evaluator's own earlier scores.
    const again = await page('GET /commissioning/{id}/bids/{bidId}', {
      params: bidParams('x'),
      as: E1,
      at: pastDeadline(),
    });
    expect(again.body).toMatch(/value="4" checked/);
    expect(again.body).toContain('Clear method with evidence of supervision.');
  });

  it('shows the moderator who still has to score, and everyone’s scores side by side only once all have', async () => {
    const modView = () =>
      page('GET /commissioning/{id}/bids/{bidId}', {
        params: bidParams('x'),
        as: MOD,
        at: pastDeadline(),
      });
    const waiting = await modView();
    expect(waiting.statusCode).toBe(200);
    const waitingText = visibleText(waiting.body);
    expect(waitingText).toContain('Still to score');
    expect(waiting.body).toMatch(new RegExp(`id="still-to-score">\\s*<li>${E2}</li>`));
    expect(waitingText).not.toContain('Clear method with evidence');
    expect(waiting.body).not.toContain('Scores side by side');
    expect(waiting.body).not.toContain('/moderated-scores"');

    const e2Saved = await page('POST /commissioning/{id}/bids/{bidId}/scores', {
      params: bidParams('x'),
      as: E2,
      at: pastDeadline(),
      form: {
        'scores.0.criterionId': 'quality',
        'scores.0.score': '3',
        'scores.0.justification': 'Second opinion: thin on outcomes.',
      },
    });
    expect(e2Saved.statusCode).toBe(303);

    // An evaluator still sees only their own scores: the bid is not moderated yet.
    const e1View = await page('GET /commissioning/{id}/bids/{bidId}', {
      params: bidParams('x'),
      as: E1,
      at: pastDeadline(),
    });
    expect(e1View.body).not.toContain('Second opinion: thin on outcomes.');
    expect(e1View.body).not.toContain('Scores side by side');

    const ready = await modView();
    const readyText = visibleText(ready.body);
    expect(readyText).toContain('Scores side by side');
    expect(readyText).toMatch(
      new RegExp(`${E1} 4 Clear method with evidence of supervision\\. Weekly reporting\\.`),
    );
    expect(readyText).toMatch(new RegExp(`${E2} 3 Second opinion: thin on outcomes\\.`));
    expect(ready.body).toContain(`action="${bidPath('x')}/moderated-scores"`);
    // The moderator has no scoring form of their own.
    expect(ready.body).not.toContain(`action="${bidPath('x')}/scores"`);

    const blank = await page('POST /commissioning/{id}/bids/{bidId}/moderated-scores', {
      params: bidParams('x'),
      as: MOD,
      at: pastDeadline(),
      form: { 'scores.0.criterionId': 'quality', 'scores.0.score': '4', 'scores.0.rationale': ' ' },
    });
    expect(blank.statusCode).toBe(400);
    expect(visibleText(blank.body)).toContain('Write a rationale for Quality');
    expect(blank.body).toMatch(/value="4" checked/);

    const moderated = await page('POST /commissioning/{id}/bids/{bidId}/moderated-scores', {
      params: bidParams('x'),
      as: MOD,
      at: pastDeadline(),
      form: {
        'scores.0.criterionId': 'quality',
        'scores.0.score': '4',
        'scores.0.rationale': 'Agreed: strong method.',
      },
    });
    expect(moderated.statusCode).toBe(303);
    expect((await repositories().bids.evaluationData(competitionId)).moderated).toEqual([
      expect.objectContaining({
        bidId: bids.x,
        moderator: MOD,
        scores: [{ criterionId: 'quality', score: 4, rationale: 'Agreed: strong method.' }],
      }),
    ]);
    // Once moderated, the use case shows the evaluators each other's scores, and the page with it.
    const e1After = await page('GET /commissioning/{id}/bids/{bidId}', {
      params: bidParams('x'),
      as: E1,
      at: pastDeadline(),
    });
    expect(e1After.body).toContain('Second opinion: thin on outcomes.');
    expect(visibleText(e1After.body)).toContain('Agreed: strong method.');
  });

  it('refuses a commissioner who belongs to a bidding organisation with the ethical-wall page, and records it', async () => {
    for (const [routeKey, params] of [
      ['GET /commissioning/{id}/bids', { id: competitionId }],
      ['GET /commissioning/{id}/bids/{bidId}', bidParams('y')],
    ] as const) {
      const refused = await page(routeKey, { params, as: 'web-bidder-x', at: pastDeadline() });
      expect(refused.statusCode).toBe(403);
      const text = visibleText(refused.body);
      expect(text).toContain('You are outside the ethical wall for this competition');
      expect(text).toContain('This attempt has been recorded');
      expect(refused.body).not.toContain('Tyne Community Works');
    }
    const denied = (await auditEvents(competitionId)).filter(
      (e) => e.actor === 'web-bidder-x' && e.outcome === 'denied',
    );
    expect(denied.map((e) => [e.action, e.reason])).toEqual([
      ['bids.read', '/problems/ethical-wall'],
      [`bid.read:${bids.y}`, '/problems/ethical-wall'],
    ]);
  });

  it('refuses a form posted without the CSRF token and writes nothing', async () => {
    // Brings the session's hourly identity check up to date first: that write is the session's, not the form's.
    await page('GET /commissioning/{id}/bids', {
      params: { id: competitionId },
      as: E2,
      at: pastDeadline(),
    });
    const before = await snapshots.take(['registry', 'procurement', 'sealed', 'audit', 'sessions']);
    for (const [routeKey, form] of [
      [
        'POST /commissioning/{id}/bids/{bidId}/scores',
        { 'scores.0.criterionId': 'quality', 'scores.0.score': '5', 'scores.0.justification': 'Forged' },
      ],
      [
        'POST /commissioning/{id}/bids/{bidId}/moderated-scores',
        { 'scores.0.criterionId': 'quality', 'scores.0.score': '5', 'scores.0.rationale': 'Forged' },
      ],
    ] as const) {
      const refused = await page(routeKey, {
        params: bidParams('y'),
        as: routeKey.includes('moderated') ? MOD : E2,
        at: pastDeadline(),
        form,
        csrf: false,
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.body).toContain('did not come from this service');
    }
    expect(
      snapshots.diff(
        before,
        await snapshots.take(['registry', 'procurement', 'sealed', 'audit', 'sessions']),
      ),
    ).toEqual({ added: [], removed: [], changed: [] });
  });
});
