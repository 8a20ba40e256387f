/**
 * Shares of outcome payments a prime passes on to its sub-contractors (issue 18) against DynamoDB Local,
 * through the real repositories and use cases: recorded by the prime's owners only, to registered
 * sub-contractors of the supply chain, of outcomes of the mechanism in force, never more than 100% of a
 * kind; every version kept and audited in the contract's chain; one of two saves at the same instant wins;
 * the sub-contractor reads its shares with one Query, each with what it comes to – the pure arithmetic of
 * the same statement inputs.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { contractAuditScope, outcomeKeys } from '../../shared/db/keys';
import type { OutcomeShareRepository } from '../../shared/db/outcome-shares';
import { outcomeShareRepository, repositories } from '../../shared/db/repositories';
import { ConflictError, ForbiddenError, InvalidStateError, NotFoundError } from '../../shared/domain/errors';
import type { MechanismInput } from '../../shared/domain/payment-by-results/mechanism';
import {
  InvalidOutcomeSharesError,
  outcomePayments,
  REOFFENDING,
  shareAmountPence,
} from '../../shared/domain/payment-by-results/shares';
import type { UserPrincipal } from '../../shared/domain/principal';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { decideOutcomeClaim, submitOutcomeClaim } from '../../shared/use-cases/payment-by-results/claims';
import { putCohort, putCohortResults } from '../../shared/use-cases/payment-by-results/cohorts';
import { setPaymentMechanism } from '../../shared/use-cases/payment-by-results/mechanism';
import {
  getOutcomeShares,
  listSharesForProvider,
  recordOutcomeShares,
  type ShareDeps,
} from '../../shared/use-cases/payment-by-results/shares';
import { getOutcomeStatement } from '../../shared/use-cases/payment-by-results/statement';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { startTestSequencer } from '../support/audit';
import { commissioner, user, verifiedProvider } from '../support/scenario';
import { type Snapshot, tableSnapshots } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';

const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
/** 2026-Q4 has begun; 2025-Q1's 12-month follow-up is over. */
const NOW = new Date('2026-11-22T10:00:00Z');
const CONTRACT = { valuePence: 10_000_000_00, startDate: '2025-01-01', endDate: '2027-12-31' };
const MECHANISM: MechanismInput = {
  fromPeriod: '2025-Q1',
  upfrontPercent: 10,
  proxyOutcomes: [
    { id: 'accommodation', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
    { id: 'ete', name: 'Into employment or training', tariffPence: 75_000 },
  ],
  reoffending: { binary: { baselineRatePercent: 45.5, tariffPence: 200_000 }, followUpMonths: 12 },
  tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
  capPencePerYear: 1_500_000,
};

const deps = (): ShareDeps => ({ ...repositories(), outcomeShares: outcomeShareRepository() });
const validator = commissioner('pbr-shares-validator');
const stranger = user('pbr-shares-stranger');

let sequencer: Awaited<ReturnType<typeof startTestSequencer>>;
const snapshots = tableSnapshots();

async function settled(): Promise<Snapshot> {
  await sequencer.drain();
  return snapshots.take(['subcontracting', 'audit']);
}

async function refusedWithoutWriting(
  type: abstract new (...args: never[]) => Error,
  request: () => Promise<unknown>,
) {
  const before = await settled();
  const error = await request().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(type);
  expect(await settled()).toEqual(before);
  return error as Error;
}

interface Fixture {
  contractId: string;
  owner: UserPrincipal;
  member: UserPrincipal;
  subA: { id: string; owner: UserPrincipal };
  subB: { id: string; owner: UserPrincipal };
  outsider: { id: string; owner: UserPrincipal };
}

let counter = 0;
/** A prime with a contract whose supply chain names two registered sub-contractors (a third is outside it). */
async function fixture(options: { mechanism?: boolean } = {}): Promise<Fixture> {
  counter += 1;
  const where = { region: 'london', service: 'health' } as const;
  const owner = user(`pbrs-owner-${counter}`);
  const member = user(`pbrs-member-${counter}`);
  const primeId = await verifiedProvider(owner.sub, `Shares prime ${counter}`, where);
  const invitation = await inviteMember(
    repositories(),
    owner,
    primeId,
    { sub: member.sub, role: 'member' },
    new Date(),
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), member, invitation.id, 'accepted', new Date());
  const sub = async (name: string) => {
    const subOwner = user(`pbrs-${name}-${counter}`);
    return { id: await verifiedProvider(subOwner.sub, `Shares ${name} ${counter}`, where), owner: subOwner };
  };
  const [subA, subB, outsider] = await Promise.all([sub('sub-a'), sub('sub-b'), sub('outsider')]);
  const contract = await registerContract(
    repositories(),
    commissioner('pbrs-registrar'),
    {
      title: `Shares contract ${counter}`,
      primeProviderId: primeId,
      ...CONTRACT,
      regions: ['london'],
      services: ['health'],
      subcontracting: { targetPercent: 10 },
    },
    NOW,
    RULES,
  );
  await putSupplyChain(
    repositories(),
    owner,
    contract.id,
    {
      subcontractors: [
        { ref: 'A', providerId: subA.id, services: [], plannedValuePence: 0 },
        { ref: 'B', providerId: subB.id, services: [], plannedValuePence: 0 },
        {
          ref: 'UNREG',
          name: 'Local charity',
          sector: 'voluntary',
          size: 'micro',
          services: [],
          plannedValuePence: 0,
        },
      ],
    },
    NOW,
  );
  if (options.mechanism !== false)
    await setPaymentMechanism(repositories(), validator, contract.id, MECHANISM, NOW);
  return { contractId: contract.id, owner, member, subA, subB, outsider };
}

/**
 * Validated claims in 2026-Q3 and 2026-Q4 and proven results for 2025-Q1, under a cap of £15,000 a year:
 * 2025's re-offending payment (£16,500) is cut to the cap; in 2026, Q3's proxies (£13,500) are paid in full
 * and Q4's (£5,062.50 + £750) share the £1,500 left, pro-rated.
 */
async function withPayments(f: Fixture): Promise<void> {
  const claim = async (outcomeId: string, period: string, tier: string, first: number, n: number) => {
    const participants = Array.from({ length: n }, (_, i) => ({
      ref: `PRV-${String(first + i).padStart(6, '0')}`,
      evidenceDate: period === '2026-Q3' ? '2026-08-01' : '2026-10-05',
    }));
    const submitted = await submitOutcomeClaim(
      repositories(),
      f.owner,
      f.contractId,
      { outcomeId, period, tier, participants },
      NOW,
    );
    await decideOutcomeClaim(
      repositories(),
      validator,
      f.contractId,
      submitted.id,
      { decision: 'validated', reason: 'Evidenced' },
      NOW,
    );
  };
  await claim('accommodation', '2026-Q3', 'high', 1, 7);
  await claim('ete', '2026-Q3', 'medium', 100, 11);
  await claim('ete', '2026-Q4', 'very_high', 200, 3);
  await claim('accommodation', '2026-Q4', 'low', 300, 3);
  const results = { high: { size: 100, reoffenders: 40, reoffences: 120 } };
  await putCohort(
    repositories(),
    validator,
    f.contractId,
    '2025-Q1',
    { tiers: { high: { size: 100 } } },
    NOW,
  );
  await putCohortResults(repositories(), validator, f.contractId, '2025-Q1', { tiers: results }, NOW);
}

beforeAll(async () => {
  await useTestTables();
  sequencer = await startTestSequencer();
});

afterAll(async () => {
  await sequencer?.stop();
  snapshots.close();
});

describe('recording shares', () => {
  it('keeps every version, audits each, and indexes each sub-contractor’s shares', async () => {
    const f = await fixture();
    const empty = await getOutcomeShares(deps(), f.member, f.contractId, NOW);
    expect(empty).toMatchObject({ version: 0, shares: [], setAt: null });
    expect(empty.outcomes.map((o) => o.id)).toEqual(['accommodation', 'ete', REOFFENDING]);
    expect(empty.subcontractors.map((s) => s.providerId)).toEqual([f.subA.id, f.subB.id]);

    const first = await recordOutcomeShares(
      deps(),
      f.owner,
      f.contractId,
      {
        shares: [
          { providerId: f.subA.id, outcome: 'accommodation', percent: 60 },
          { providerId: f.subA.id, outcome: REOFFENDING, percent: 25.5 },
          { providerId: f.subB.id, outcome: 'accommodation', percent: 40 },
        ],
      },
      NOW,
    );
    expect(first.version).toBe(1);
    expect(first.shares).toHaveLength(3);
    expect(first.shares.map((s) => [s.providerName, s.outcomeName, s.percent])).toEqual(
      expect.arrayContaining([
        [`Shares sub-a ${counter}`, 'Settled accommodation at 3 months', 60],
        [`Shares sub-a ${counter}`, 'Reduced re-offending', 25.5],
        [`Shares sub-b ${counter}`, 'Settled accommodation at 3 months', 40],
      ]),
    );

    const ofB = await listSharesForProvider(deps(), f.subB.owner, f.subB.id, { limit: 10 }, NOW);
    expect(ofB.items).toHaveLength(1);
    expect(ofB.items[0]).toMatchObject({
      contractId: f.contractId,
      contractTitle: `Shares contract ${counter}`,
      primeName: `Shares prime ${counter}`,
      version: 1,
      shares: [{ outcome: 'accommodation', percent: 40, paymentPence: 0, amountPence: 0 }],
    });

    // The second version gives B nothing: its item goes; the first version is kept as written.
    const later = new Date(NOW.getTime() + 60_000);
    const second = await recordOutcomeShares(
      deps(),
      f.owner,
      f.contractId,
      {
        shares: [
          { providerId: f.subA.id, outcome: 'ete', percent: 100 },
          { providerId: f.subB.id, outcome: 'ete', percent: 0 },
        ],
      },
      later,
    );
    expect(second.version).toBe(2);
    expect((await listSharesForProvider(deps(), f.subB.owner, f.subB.id, { limit: 10 }, NOW)).items).toEqual(
      [],
    );
    const ofA = await listSharesForProvider(deps(), f.subA.owner, f.subA.id, { limit: 10 }, NOW);
    expect(ofA.items.map((i) => [i.version, i.shares.map((s) => [s.outcome, s.percent])])).toEqual([
      [2, [['ete', 100]]],
    ]);
    const versions = await documentClient().send(
      new QueryCommand({
        TableName: config().tables.subcontracting,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': outcomeKeys.shares(f.contractId).pk, ':prefix': 'PBR#SHARESV#' },
      }),
    );
    expect(versions.Items?.map((i) => [i.version, i.shares.length, i.setAt])).toEqual([
      [1, 3, NOW.toISOString()],
      [2, 1, later.toISOString()],
    ]);
    await sequencer.drain();
    const events = await repositories().audit.page(contractAuditScope(f.contractId), 50, undefined);
    expect(events.items.filter((e) => e.action === 'outcomes.shares.set').map((e) => e.resource)).toEqual([
      `contract/${f.contractId}/outcome-shares/1`,
      `contract/${f.contractId}/outcome-shares/2`,
    ]);
  });

  it('refuses, writing nothing: members, outsiders of the chain, unknown outcomes, over 100%, no mechanism', async () => {
    const f = await fixture();
    const share = (providerId: string, outcome = 'ete', percent = 10) => ({
      shares: [{ providerId, outcome, percent }],
    });
    await refusedWithoutWriting(ForbiddenError, () =>
      recordOutcomeShares(deps(), f.member, f.contractId, share(f.subA.id), NOW),
    );
    await refusedWithoutWriting(NotFoundError, () =>
      recordOutcomeShares(deps(), stranger, f.contractId, share(f.subA.id), NOW),
    );
    // A commissioner may read the contract but not record the prime's shares.
    await refusedWithoutWriting(ForbiddenError, () =>
      recordOutcomeShares(deps(), validator, f.contractId, share(f.subA.id), NOW),
    );
    const outside = await refusedWithoutWriting(InvalidOutcomeSharesError, () =>
      recordOutcomeShares(deps(), f.owner, f.contractId, share(f.outsider.id), NOW),
    );
    expect((outside as InvalidOutcomeSharesError).issues.map((i) => i.path)).toEqual(['shares.0.providerId']);
    await refusedWithoutWriting(InvalidOutcomeSharesError, () =>
      recordOutcomeShares(deps(), f.owner, f.contractId, share(f.subA.id, 'upfront'), NOW),
    );
    const over = await refusedWithoutWriting(InvalidOutcomeSharesError, () =>
      recordOutcomeShares(
        deps(),
        f.owner,
        f.contractId,
        {
          shares: [
            { providerId: f.subA.id, outcome: REOFFENDING, percent: 70 },
            { providerId: f.subB.id, outcome: REOFFENDING, percent: 30.01 },
          ],
        },
        NOW,
      ),
    );
    expect(over.message).toContain('not valid');
    const none = await fixture({ mechanism: false });
    await refusedWithoutWriting(InvalidStateError, () =>
      recordOutcomeShares(deps(), none.owner, none.contractId, share(none.subA.id), NOW),
    );
  });

  it('shows shares to the prime and commissioners, and a sub-contractor only its own', async () => {
    const f = await fixture();
    await recordOutcomeShares(
      deps(),
      f.owner,
      f.contractId,
      { shares: [{ providerId: f.subA.id, outcome: 'ete', percent: 5 }] },
      NOW,
    );
    expect((await getOutcomeShares(deps(), validator, f.contractId, NOW)).version).toBe(1);
    await expect(getOutcomeShares(deps(), f.subA.owner, f.contractId, NOW)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getOutcomeShares(deps(), stranger, f.contractId, NOW)).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      listSharesForProvider(deps(), f.subB.owner, f.subA.id, { limit: 10 }, NOW),
    ).rejects.toBeInstanceOf(NotFoundError);
    // Not even the prime that recorded them: only the sub-contractor's own members.
    await expect(
      listSharesForProvider(deps(), f.owner, f.subA.id, { limit: 10 }, NOW),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it("pages a sub-contractor's contracts with one Query each, in contract order", async () => {
    const f = await fixture();
    const other = await fixture();
    // The same provider registered in a second prime's chain.
    await putSupplyChain(
      repositories(),
      other.owner,
      other.contractId,
      { subcontractors: [{ ref: 'A', providerId: f.subA.id, services: [], plannedValuePence: 0 }] },
      NOW,
    );
    for (const [owner, contractId] of [
      [f.owner, f.contractId],
      [other.owner, other.contractId],
    ] as const) {
      await recordOutcomeShares(
        deps(),
        owner,
        contractId,
        { shares: [{ providerId: f.subA.id, outcome: REOFFENDING, percent: 10 }] },
        NOW,
      );
    }
    const first = await listSharesForProvider(deps(), f.subA.owner, f.subA.id, { limit: 1 }, NOW);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = await listSharesForProvider(
      deps(),
      f.subA.owner,
      f.subA.id,
      { limit: 1, cursor: first.nextCursor ?? undefined },
      NOW,
    );
    expect(second.nextCursor).toBeNull();
    expect([...first.items, ...second.items].map((i) => i.contractId)).toEqual(
      [f.contractId, other.contractId].sort(),
    );
  });

  it('lets one of two saves from the same version win; the other gets a conflict', async () => {
    const f = await fixture();
    const base = outcomeShareRepository();
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held: OutcomeShareRepository = {
      ...base,
      current: async (contractId) => {
        const value = await base.current(contractId);
        arrived += 1;
        if (arrived === 2) release();
        await bothRead;
        return value;
      },
    };
    const raceDeps = { ...deps(), outcomeShares: held };
    const outcomes = await Promise.allSettled([
      recordOutcomeShares(
        raceDeps,
        f.owner,
        f.contractId,
        { shares: [{ providerId: f.subA.id, outcome: 'ete', percent: 10 }] },
        NOW,
      ),
      recordOutcomeShares(
        raceDeps,
        f.owner,
        f.contractId,
        { shares: [{ providerId: f.subB.id, outcome: 'ete', percent: 20 }] },
        NOW,
      ),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(lost[0]).toBeInstanceOf(ConflictError);
    const [a, b] = await Promise.all([
      listSharesForProvider(deps(), f.subA.owner, f.subA.id, { limit: 10 }, NOW),
      listSharesForProvider(deps(), f.subB.owner, f.subB.id, { limit: 10 }, NOW),
    ]);
    expect(a.items.length + b.items.length).toBe(1);
  });
});

describe('what a share comes to', () => {
  it('is the pure arithmetic of the statement’s inputs: capped, re-offending first, proxies pro-rated', async () => {
    const f = await fixture();
    await withPayments(f);
    await recordOutcomeShares(
      deps(),
      f.owner,
      f.contractId,
      {
        shares: [
          { providerId: f.subA.id, outcome: 'ete', percent: 33.33 },
          { providerId: f.subA.id, outcome: REOFFENDING, percent: 100 },
          { providerId: f.subB.id, outcome: 'accommodation', percent: 12.5 },
          { providerId: f.subB.id, outcome: 'ete', percent: 66.67 },
        ],
      },
      NOW,
    );
    const r = repositories();
    const [versions, cohorts, figures] = await Promise.all([
      r.paymentByResults.mechanisms(f.contractId),
      r.paymentByResults.cohorts(f.contractId),
      r.paymentByResults.periodFigures(f.contractId),
    ]);
    const expected = outcomePayments({
      contract: { ...CONTRACT },
      versions,
      through: '2026-Q4',
      periods: [
        ...cohorts.map((c) => ({ period: c.period, results: c.results })),
        ...figures.map((x) => ({ period: x.period, proxy: x.proxy })),
      ],
    });
    const statementView = await getOutcomeStatement(r, f.member, f.contractId, NOW);
    // The cap bites in contract year 2 (2026): the proxy payments are cut, and the kinds add up to it.
    expect(statementView.totals.cutPence).toBeGreaterThan(0);
    const view = await getOutcomeShares(deps(), f.member, f.contractId, NOW);
    const paid = Object.fromEntries(view.outcomes.map((o) => [o.id, o.paidPence]));
    expect(paid[REOFFENDING]).toBe(statementView.totals.reoffendingPence);
    expect(
      Math.abs((paid.ete ?? 0) + (paid.accommodation ?? 0) - statementView.totals.proxyPence),
    ).toBeLessThanOrEqual(1);
    for (const share of view.shares) {
      expect(share.amountPence).toBe(shareAmountPence(expected, share.outcome, share.percent));
      expect(share.amountPence).toBeLessThanOrEqual(share.paymentPence);
    }
    const ofA = await listSharesForProvider(deps(), f.subA.owner, f.subA.id, { limit: 10 }, NOW);
    expect(ofA.items[0]?.shares.find((s) => s.outcome === REOFFENDING)?.amountPence).toBe(
      statementView.totals.reoffendingPence,
    );
    expect(ofA.items[0]?.through).toBe('2026-Q4');
  });
});
