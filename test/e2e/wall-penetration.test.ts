/**
 * The wall penetration suite, part 2 (issue 12): each way in that the trust review found, tried over HTTP
 * by the person who would try it, against the local gateway and DynamoDB Local. Part 1, every outsider
 * against every inside route, is in `tenders.test.ts`.
 *
 * - a retracted conflict: an evaluator declares a conflict, then "no conflict", and is still outside;
 * - a forced connection: a bidder names the organisation a panel member belongs to, which connects nobody
 *   until that organisation agrees, and the bid cannot be submitted before it does;
 * - an excluded auditor: an exclusion binds commissioners, so the auditor's audit access stays;
 * - a cancelled competition: cancelling answers the public view only, and bids stay sealed for good;
 * - a moderator who is also an evaluator: refused when the panel is set;
 * - the award past rank 1: refused without an override reason, recorded with it.
 * While bids are sealed, the wall view does not say that a seat holder is connected to a bidder.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { competitionBody, inSeconds } from '../support/competitions';
import { charityRegistration } from '../support/fixtures';
import { joinOrganisation } from '../support/members';

let api: TestApi;
const tokens: Record<string, string> = {};
const providers: Record<string, string> = {};

const PEOPLE = [
  ['lead', ['commissioner']],
  ['evaluator-1', ['commissioner']],
  ['evaluator-2', ['commissioner']],
  ['moderator', ['commissioner']],
  ['admin', ['admin']],
  ['auditor', ['auditor']],
  ['owner-a', []],
  ['owner-b', []],
  ['trustees-owner', []],
] as const;

const call = (method: string, path: string, who: string, body?: unknown) =>
  api.call(method, path, { token: tokens[who] ?? '', ...(body !== undefined ? { body } : {}) });
const quality = (text: string) => ({ quality: text, 'social-value': `${text}: social value` });
const bid = (pricePence: number, text: string, extra: Record<string, unknown> = {}) => ({
  pricePence,
  qualityResponses: quality(text),
  ...extra,
});

/** Creates and publishes a competition on the test's services, with a panel that has declared no conflict. */
async function runningCompetition(overrides: Record<string, unknown>): Promise<string> {
  const created = await call(
    'POST',
    '/competitions',
    'lead',
    competitionBody({
      regions: ['east_midlands'],
      services: ['education_training_employment'],
      estimatedValuePence: 80_000_00,
      termMonths: 24,
      risk: 'low',
      prequalificationDeadline: undefined,
      ...overrides,
    }),
  );
  expect(created.status, created.text).toBe(201);
  const id = (created.body as { id: string }).id;
  expect((await call('POST', `/competitions/${id}/publish`, 'lead')).status).toBe(200);
  const panel = await call('PUT', `/competitions/${id}/panel`, 'lead', {
    evaluators: ['evaluator-1', 'evaluator-2'],
    moderator: 'moderator',
  });
  expect(panel.status, panel.text).toBe(200);
  for (const who of ['lead', 'evaluator-1', 'evaluator-2', 'moderator']) {
    expect((await call('POST', `/competitions/${id}/declarations`, who, { conflicts: [] })).status).toBe(201);
  }
  return id;
}

const inside = async (competitionId: string, who: string) =>
  ((await call('GET', `/competitions/${competitionId}`, who)).body as Record<string, unknown>)
    .confidential !== undefined;

beforeAll(async () => {
  api = await startTestApi();
  for (const [sub, groups] of PEOPLE) tokens[sub] = await api.token(sub, [...groups]);
  for (const [key, owner] of [
    ['A', 'owner-a'],
    ['B', 'owner-b'],
    ['TRUSTEES', 'trustees-owner'],
  ] as const) {
    const registered = await call(
      'POST',
      '/providers',
      owner,
      charityRegistration({
        name: `Penetration ${key}`,
        regions: ['east_midlands'],
        services: ['education_training_employment'],
      }),
    );
    expect(registered.status, registered.text).toBe(201);
    providers[key] = (registered.body as { id: string }).id;
    expect((await call('POST', `/providers/${providers[key]}/verify`, 'admin')).status).toBe(200);
  }
  // Evaluator 2 volunteers as a member of a local charity, by their own acceptance.
  await joinOrganisation(api, providers.TRUSTEES ?? '', tokens['trustees-owner'] ?? '', {
    sub: 'evaluator-2',
    token: tokens['evaluator-2'] ?? '',
  });
}, 120_000);

afterAll(async () => {
  await api?.stop();
});

describe('walls that hold while bids are sealed', () => {
  let competitionId: string;
  const path = (suffix = '') => `/competitions/${competitionId}${suffix}`;

  beforeAll(async () => {
    competitionId = await runningCompetition({ tenderDeadline: inSeconds(3600) });
  });

  it('a retracted conflict: the evaluator stays outside until the lead clears it', async () => {
    const conflict = { organisationId: providers.A, nature: 'Former trustee' };
    expect((await call('POST', path('/declarations'), 'evaluator-1', { conflicts: [conflict] })).status).toBe(
      201,
    );
    expect(await inside(competitionId, 'evaluator-1')).toBe(false);
    const retracted = await call('POST', path('/declarations'), 'evaluator-1', { conflicts: [] });
    // Version 1 was the panel's "no conflict", version 2 the conflict.
    expect(retracted.body).toMatchObject({ version: 3, conflicts: [conflict] });
    expect(await inside(competitionId, 'evaluator-1')).toBe(false);
    const cleared = await call('POST', path('/declarations/evaluator-1/clearance'), 'lead', {
      reason: 'The trusteeship ended three years ago; checked with the charity register.',
    });
    expect(cleared.status, cleared.text).toBe(201);
    expect(await inside(competitionId, 'evaluator-1')).toBe(true);
  });

  it("a forced connection: naming a panel member's organisation connects nobody until it agrees", async () => {
    const named = await call(
      'PUT',
      path('/bid'),
      'owner-b',
      bid(70_000_00, 'B', {
        subcontractors: [
          {
            providerId: providers.TRUSTEES,
            name: 'Penetration TRUSTEES',
            services: ['education_training_employment'],
            sharePercent: 10,
          },
        ],
      }),
    );
    expect(named.status, named.text).toBe(200);
    // Evaluator 2 belongs to the named charity, which has not agreed: still inside.
    expect(await inside(competitionId, 'evaluator-2')).toBe(true);
    const wall = (await call('GET', path('/wall'), 'lead')).body as { insiders: { sub: string }[] };
    expect(wall.insiders.map((i) => i.sub)).toContain('evaluator-2');
    const submit = await call('POST', path('/bid/submit'), 'owner-b');
    expect(submit.status).toBe(400);
    expect(submit.body).toMatchObject({ errors: [{ path: 'subcontractors.0.providerId' }] });
    // Nor can the bidder, the lead or a member agree for the charity: only its owner.
    for (const who of ['owner-b', 'lead', 'evaluator-2']) {
      const forced = await call('POST', path('/partnerships'), who, {
        providerId: providers.TRUSTEES,
        bidderId: providers.B,
        role: 'subcontractor',
      });
      expect(forced.status, who).toBe(403);
    }
    expect(await inside(competitionId, 'evaluator-2')).toBe(true);
  });

  it('once the charity agrees, its member is outside, and the wall view does not say why while sealed', async () => {
    const agreed = await call('POST', path('/partnerships'), 'trustees-owner', {
      providerId: providers.TRUSTEES,
      bidderId: providers.B,
      role: 'subcontractor',
    });
    expect(agreed.status, agreed.text).toBe(201);
    expect(await inside(competitionId, 'evaluator-2')).toBe(false);
    expect((await call('POST', path('/bid/submit'), 'owner-b')).status).toBe(200);
    const wall = await call('GET', path('/wall'), 'lead');
    expect(wall.body).toMatchObject({
      pending: expect.arrayContaining([
        { sub: 'evaluator-2', role: 'evaluator', reason: 'outside the wall' },
      ]),
    });
    expect(wall.text).not.toContain('connected to an applicant or bidder');
  });

  it('an excluded auditor: the exclusion does not take away oversight', async () => {
    const excluded = await call('POST', path('/wall/exclusions'), 'lead', {
      sub: 'auditor',
      reason: 'Asks too many questions.',
    });
    // Recorded (it binds the auditor only in a commissioner's capacity), but oversight stays.
    expect(excluded.status).toBe(201);
    await api.drainAudit();
    expect((await call('GET', path('/audit'), 'auditor')).status).toBe(200);
    expect((await call('GET', path('/audit/verify'), 'auditor')).body).toMatchObject({ valid: true });
  });

  it('a moderator who is also an evaluator: the panel is refused', async () => {
    const panel = await call('PUT', path('/panel'), 'lead', {
      evaluators: ['evaluator-1', 'moderator'],
      moderator: 'moderator',
    });
    expect(panel.status).toBe(400);
    expect((await call('GET', path('/wall'), 'lead')).body).toMatchObject({
      insiders: expect.arrayContaining([{ sub: 'moderator', role: 'moderator' }]),
    });
  });

  it('a cancelled competition: the cancellation answers the public view, and the bids stay sealed', async () => {
    const cancelled = await call('POST', path('/cancel'), 'lead', {
      reason: 'The service is being recommissioned.',
    });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect(cancelled.body).not.toHaveProperty('confidential');
    expect(cancelled.body).not.toHaveProperty('shortlist');
    for (const who of ['lead', 'evaluator-1', 'moderator', 'admin']) {
      const bids = await call('GET', path('/bids'), who);
      expect(bids.status, who).toBe(403);
    }
  });
});

describe('the award past rank 1', () => {
  let competitionId: string;
  let tenderDeadline: string;
  const bidIds: Record<string, string> = {};
  const path = (suffix = '') => `/competitions/${competitionId}${suffix}`;

  beforeAll(async () => {
    tenderDeadline = inSeconds(12);
    competitionId = await runningCompetition({ tenderDeadline, title: 'Education in custody, award test' });
    for (const [who, price, text] of [
      ['owner-a', 60_000_00, 'A'],
      ['owner-b', 70_000_00, 'B'],
    ] as const) {
      expect((await call('PUT', path('/bid'), who, bid(price, text))).status).toBe(200);
      const submitted = await call('POST', path('/bid/submit'), who);
      expect(submitted.status, submitted.text).toBe(200);
      bidIds[who] = (submitted.body as { bidId: string }).bidId;
    }
    const wait = Date.parse(tenderDeadline) - Date.now() + 200;
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    for (const who of ['evaluator-1', 'evaluator-2']) {
      for (const [bidder, q] of [
        ['owner-a', 4],
        ['owner-b', 2],
      ] as const) {
        const scored = await call('PUT', path(`/bids/${bidIds[bidder]}/scores`), who, {
          scores: [
            { criterionId: 'quality', score: q, justification: 'Evidence in section 2' },
            { criterionId: 'social-value', score: q, justification: 'Local volunteers' },
          ],
        });
        expect(scored.status, `${who} ${bidder}: ${scored.text}`).toBe(200);
      }
    }
    for (const [bidder, q] of [
      ['owner-a', 4],
      ['owner-b', 2],
    ] as const) {
      const moderated = await call('PUT', path(`/bids/${bidIds[bidder]}/moderated-scores`), 'moderator', {
        scores: [
          { criterionId: 'quality', score: q, rationale: 'Agreed' },
          { criterionId: 'social-value', score: q, rationale: 'Agreed' },
        ],
      });
      expect(moderated.status, moderated.text).toBe(200);
    }
  }, 120_000);

  it('is refused without an override reason, and recorded with it', async () => {
    const ranking = (await call('GET', path('/evaluation'), 'lead')).body as {
      complete: boolean;
      ranking: { bidId: string; rank: number }[];
    };
    expect(ranking.complete).toBe(true);
    expect(ranking.ranking.find((r) => r.rank === 1)?.bidId).toBe(bidIds['owner-a']);
    const passedOver = await call('POST', path('/award'), 'lead', {
      bidId: bidIds['owner-b'],
      rationale: 'Closer to the prisons',
    });
    expect(passedOver.status).toBe(400);
    expect(passedOver.body).toMatchObject({ errors: [{ path: 'overrideReason' }] });
    const overridden = await call('POST', path('/award'), 'lead', {
      bidId: bidIds['owner-b'],
      rationale: 'Closer to the prisons',
      overrideReason: 'Rank 1 cannot start before the contract start date; confirmed in writing.',
    });
    expect(overridden.status, overridden.text).toBe(200);
    await api.drainAudit();
    const log = (await call('GET', path('/audit?limit=100'), 'auditor')).body as {
      items: { action: string }[];
    };
    expect(log.items.map((e) => e.action)).toContain('award.decide-override');
    // The bidder passed over reads why in its debrief.
    const debrief = await call('GET', path('/debrief'), 'owner-a');
    expect(debrief.text).toContain('Rank 1 cannot start before the contract start date');
  });
});
