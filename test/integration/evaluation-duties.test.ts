/**
 * Separation of duties in evaluation and an award that follows the ranking (issue 12, items 5 and 6),
 * through the use cases against DynamoDB Local:
 * - a panel whose moderator also evaluates, or whose only evaluator is the lead, is refused;
 * - a bid is moderated only after enough evaluators inside the wall scored it;
 * - a moderation by a moderator later excluded is set aside until they are back inside;
 * - awarding past rank 1 needs an override reason, recorded in the audit log and every debrief;
 * - an abnormally low bid needs a recorded price clarification before it can win.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { InvalidStateError, ValidationError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import {
  declare,
  excludeFromWall,
  liftExclusion,
  setPanel,
} from '../../shared/use-cases/competitions/wall-management';
import { getDebrief, saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import {
  decideAward,
  getEvaluation,
  moderateBid,
  recordPriceClarification,
  scoreBid,
} from '../../shared/use-cases/tenders/evaluation';
import { LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const commissioner = (sub: string): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups: ['commissioner'],
});
const E1 = commissioner('duty-evaluator-1');
const E2 = commissioner('duty-evaluator-2');
const MOD = commissioner('duty-moderator');
const rules = config().rules.evaluation;
const later = () => new Date(Date.now() + 2 * 3_600_000);

let competitionId: string;
const bids: Record<'A' | 'B' | 'C', string> = { A: '', B: '', C: '' };

const score = (who: Principal, bidId: string, value: number) =>
  scoreBid(
    repositories(),
    who,
    competitionId,
    bidId,
    [{ criterionId: 'quality', score: value, justification: 'Evidence in the method statement' }],
    later(),
  );
const moderate = (bidId: string, value: number) =>
  moderateBid(
    repositories(),
    MOD,
    competitionId,
    bidId,
    [{ criterionId: 'quality', score: value, rationale: 'Agreed at moderation' }],
    later(),
    rules,
  );

beforeAll(async () => {
  await useTestTables();
  competitionId = await openCompetition({ title: 'Duties', region: 'north_east', service: 'unpaid_work' });
  // A 60k, B 62k, C 30k: C is under 70% of the others' mean, so abnormally low.
  for (const [key, price] of [
    ['A', 60_000_00],
    ['B', 62_000_00],
    ['C', 30_000_00],
  ] as const) {
    const owner = `duty-owner-${key}`;
    await verifiedProvider(owner, `Duty bidder ${key}`, { region: 'north_east', service: 'unpaid_work' });
    const deps = withSharedProviderData(repositories());
    await saveDraft(
      deps,
      user(owner),
      competitionId,
      { pricePence: price, qualityResponses: { quality: 'Our method' }, subcontractors: [], consortium: [] },
      new Date(),
    );
    bids[key] = (await submitBid(deps, user(owner), competitionId, undefined, new Date())).bidId;
  }
});

describe('the panel', () => {
  it('refuses a moderator who also evaluates, and a lead who would be the only evaluator', async () => {
    const both = setPanel(
      repositories(),
      LEAD,
      competitionId,
      { evaluators: ['duty-evaluator-1', 'duty-moderator'], moderator: 'duty-moderator' },
      new Date(),
      rules,
    );
    await expect(both).rejects.toBeInstanceOf(ValidationError);
    await expect(both).rejects.toMatchObject({ issues: [{ path: 'moderator' }] });
    const leadAlone = setPanel(
      repositories(),
      LEAD,
      competitionId,
      { evaluators: ['lead'], moderator: 'duty-moderator' },
      new Date(),
      { ...rules, minEvaluatorsPerBid: 1 },
    );
    await expect(leadAlone).rejects.toMatchObject({ issues: [{ path: 'evaluators' }] });
  });

  it('takes two evaluators and a separate moderator', async () => {
    await setPanel(
      repositories(),
      LEAD,
      competitionId,
      { evaluators: ['duty-evaluator-1', 'duty-evaluator-2'], moderator: 'duty-moderator' },
      new Date(),
      rules,
    );
    for (const who of [LEAD, E1, E2, MOD]) await declare(repositories(), who, competitionId, [], new Date());
  });
});

describe('moderation', () => {
  it('waits for the minimum number of independent scores', async () => {
    await score(E1, bids.A, 5);
    await expect(moderate(bids.A, 5)).rejects.toBeInstanceOf(InvalidStateError);
    await score(E2, bids.A, 5);
    await expect(moderate(bids.A, 5)).resolves.toMatchObject({ bidId: bids.A });
    for (const [key, value] of [
      ['B', 4],
      ['C', 0],
    ] as const) {
      await score(E1, bids[key], value);
      await score(E2, bids[key], value);
      await moderate(bids[key], value);
    }
    const evaluation = await getEvaluation(repositories(), LEAD, competitionId, later());
    expect(evaluation.complete).toBe(true);
    expect(evaluation.ranking.map((r) => [r.bidId, r.rank, r.abnormallyLow])).toEqual([
      [bids.A, 1, false],
      [bids.B, 2, false],
      [bids.C, 3, true],
    ]);
  });

  it('sets aside moderations by a moderator who is excluded, until the exclusion is lifted', async () => {
    await excludeFromWall(
      repositories(),
      LEAD,
      competitionId,
      { sub: 'duty-moderator', reason: 'Found to have advised bidder B.' },
      later(),
    );
    const outside = await getEvaluation(repositories(), LEAD, competitionId, later());
    expect(outside.complete).toBe(false);
    expect(outside.setAside.map((m) => m.bidId).sort()).toEqual([bids.A, bids.B, bids.C].sort());
    await expect(
      decideAward(
        repositories(),
        LEAD,
        competitionId,
        { bidId: bids.A, rationale: 'Best' },
        later(),
        config().rules,
      ),
    ).rejects.toBeInstanceOf(InvalidStateError);
    await liftExclusion(
      repositories(),
      LEAD,
      competitionId,
      'duty-moderator',
      'The advice was to another competition.',
      later(),
    );
    expect((await getEvaluation(repositories(), LEAD, competitionId, later())).complete).toBe(true);
  });
});

describe('the award', () => {
  it('refuses to pass over rank 1 without a reason', async () => {
    const award = decideAward(
      repositories(),
      LEAD,
      competitionId,
      { bidId: bids.B, rationale: 'Prefer B' },
      later(),
      config().rules,
    );
    await expect(award).rejects.toBeInstanceOf(ValidationError);
    await expect(award).rejects.toMatchObject({ issues: [{ path: 'overrideReason' }] });
  });

  it('refuses an abnormally low bid until its price is clarified, then records the override everywhere', async () => {
    const input = {
      bidId: bids.C,
      rationale: 'Social value',
      overrideReason: 'The ranking under-weights the local volunteers model.',
    };
    await expect(
      decideAward(repositories(), LEAD, competitionId, input, later(), config().rules),
    ).rejects.toBeInstanceOf(InvalidStateError);
    await recordPriceClarification(
      repositories(),
      LEAD,
      competitionId,
      bids.C,
      'The bidder uses volunteers for half the hours; its accounts show it can sustain this.',
      later(),
    );
    const decided = await decideAward(repositories(), LEAD, competitionId, input, later(), config().rules);
    expect(decided.award).toMatchObject({
      bidId: bids.C,
      override: { rank: 3, reason: input.overrideReason },
    });
    const debrief = await getDebrief(
      withSharedProviderData(repositories()),
      user('duty-owner-A'),
      competitionId,
      undefined,
    );
    expect(debrief).toMatchObject({
      outcome: 'unsuccessful',
      awardOverride: { winnerRank: 3, reason: input.overrideReason },
    });
    const events = (await repositories().audit.page(competitionId, 100, undefined)).items.map(
      (e) => e.action,
    );
    expect(events).toEqual(expect.arrayContaining(['price.clarify', 'award.decide-override']));
  });
});
