/**
 * Payment by results (issue 18) against DynamoDB Local, through the real repositories and use cases: the
 * mechanism's versions (never retroactive, one winner of a race), cohorts and results (after the follow-up,
 * the same people, valued as the pure rules value them, every results version kept), claims (a participant
 * once per outcome, all or nothing; decisions once, in part releasing participants; the commissioner's side
 * closed to anyone connected to the prime or a registered sub-contractor), the statement (the pure
 * statement of the same inputs, read at a cost that does not grow with the claims), the audit chain of the
 * contract, and references never repeated in a refusal or the audit log.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { contractAuditScope, outcomeKeys } from '../../shared/db/keys';
import {
  createPaymentByResultsRepository,
  type PaymentByResultsRepository,
} from '../../shared/db/payment-by-results';
import { repositories } from '../../shared/db/repositories';
import {
  ConflictError,
  EthicalWallError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../shared/domain/errors';
import { ClaimAlreadyDecidedError, InvalidClaimError } from '../../shared/domain/payment-by-results/claims';
import {
  type MechanismInput,
  RetroactiveMechanismChangeError,
} from '../../shared/domain/payment-by-results/mechanism';
import {
  type CohortResults,
  InvalidCohortError,
  MAX_PROXY_COUNT,
  reoffendingPayment,
  statement,
} from '../../shared/domain/payment-by-results/payments';
import type { UserPrincipal } from '../../shared/domain/principal';
import { answerInvitation, inviteMember, removeMember } from '../../shared/use-cases/memberships';
import type { OutcomeDeps } from '../../shared/use-cases/payment-by-results/access';
import {
  decideOutcomeClaim,
  getOutcomeClaim,
  listOutcomeClaims,
  submitOutcomeClaim,
} from '../../shared/use-cases/payment-by-results/claims';
import { listCohorts, putCohort, putCohortResults } from '../../shared/use-cases/payment-by-results/cohorts';
import {
  getPaymentMechanism,
  setPaymentMechanism,
} from '../../shared/use-cases/payment-by-results/mechanism';
import { getOutcomeStatement } from '../../shared/use-cases/payment-by-results/statement';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { startTestSequencer } from '../support/audit';
import { commissioner, user, verifiedProvider } from '../support/scenario';
import { type Snapshot, tableSnapshots } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';

const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
/** "Now" for every payment-by-results call: 2026-Q4 has begun, 2025-Q1's 12-month follow-up is over. */
const NOW = new Date('2026-11-22T10:00:00Z');
const CONTRACT = { valuePence: 10_000_000_00, startDate: '2025-01-01', endDate: '2027-12-31' };

const MECHANISM: MechanismInput = {
  fromPeriod: '2025-Q1',
  upfrontPercent: 10,
  proxyOutcomes: [
    { id: 'accommodation', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
    { id: 'ete', name: 'Into employment or training', tariffPence: 75_000 },
  ],
  reoffending: {
    binary: { baselineRatePercent: 45.5, tariffPence: 200_000 },
    frequency: { baselinePerPerson: 1.47, tariffPence: 40_000 },
    followUpMonths: 12,
  },
  tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
};

const deps = (): OutcomeDeps => repositories();
const validator = commissioner('pbr-validator');
const stranger = user('pbr-stranger');

let sequencer: Awaited<ReturnType<typeof startTestSequencer>>;
const snapshots = tableSnapshots();

/** The subcontracting and audit tables, once every pending event is chained (nothing left moving). */
async function settled(): Promise<Snapshot> {
  await sequencer.drain();
  return snapshots.take(['subcontracting', 'audit']);
}

/** Runs `request`, expects it to throw `type`, and shows it wrote nothing. Returns the error. */
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

/**
 * Runs `request`, expects the contract's wall to refuse it (EthicalWallError), and shows it wrote nothing to
 * the payment-by-results items and only the denied event (with its alert) to the audit table.
 */
async function refusedAtTheWall(contractId: string, request: () => Promise<unknown>) {
  await sequencer.drain();
  const before = await snapshots.take(['subcontracting']);
  const denied = async () =>
    (await repositories().audit.page(contractAuditScope(contractId), 100, undefined)).items.filter(
      (e) => e.outcome === 'denied',
    ).length;
  const deniedBefore = await denied();
  const error = await request().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error, 'expected a refusal').toBeInstanceOf(EthicalWallError);
  await sequencer.drain();
  expect(await snapshots.take(['subcontracting'])).toEqual(before);
  expect(await denied()).toBe(deniedBefore + 1);
}

/** A reference as the participant's uniqueness key spells it: letters and digits, upper-cased. */
const heldKey = (ref: string) => ref.replace(/[-_]/g, '').toUpperCase();

async function join(providerId: string, owner: UserPrincipal, member: UserPrincipal): Promise<void> {
  const invitation = await inviteMember(
    repositories(),
    owner,
    providerId,
    { sub: member.sub, role: 'member' },
    new Date(),
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), member, invitation.id, 'accepted', new Date());
}

interface Fixture {
  contractId: string;
  owner: UserPrincipal;
  member: UserPrincipal;
  primeId: string;
  subId: string;
  subOwner: UserPrincipal;
}

let counter = 0;
/** A verified prime (an owner and a member) with a contract whose supply chain has a registered sub-contractor. */
async function contractFixture(): Promise<Fixture> {
  counter += 1;
  const owner = user(`pbr-owner-${counter}`);
  const member = user(`pbr-member-${counter}`);
  const subOwner = user(`pbr-sub-owner-${counter}`);
  const where = { region: 'london', service: 'health' } as const;
  const primeId = await verifiedProvider(owner.sub, `PbR prime ${counter}`, where);
  const subId = await verifiedProvider(subOwner.sub, `PbR sub ${counter}`, where);
  await join(primeId, owner, member);
  const contract = await registerContract(
    repositories(),
    commissioner('pbr-registrar'),
    {
      title: `PbR contract ${counter}`,
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
    { subcontractors: [{ ref: 'REG', providerId: subId, services: [], plannedValuePence: 0 }] },
    NOW,
  );
  return { contractId: contract.id, owner, member, primeId, subId, subOwner };
}

/** A fixture with the mechanism set from 2025-Q1. */
async function withMechanism(): Promise<Fixture> {
  const f = await contractFixture();
  await setPaymentMechanism(deps(), validator, f.contractId, MECHANISM, NOW);
  return f;
}

const refs = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `PRV-${String(from + i).padStart(6, '0')}`);
const participants = (list: string[], evidenceDate = '2026-10-05') =>
  list.map((ref) => ({ ref, evidenceDate }));

function submit(
  f: Fixture,
  list: string[],
  terms: { outcomeId?: string; period?: string; tier?: string; evidenceDate?: string } = {},
) {
  return submitOutcomeClaim(
    deps(),
    f.owner,
    f.contractId,
    {
      outcomeId: terms.outcomeId ?? 'accommodation',
      period: terms.period ?? '2026-Q4',
      tier: terms.tier ?? 'high',
      participants: participants(list, terms.evidenceDate),
    },
    NOW,
  );
}

async function storedItem(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: config().tables.subcontracting, Key: key, ConsistentRead: true }),
  );
  return result.Item;
}

/**
 * The payment-by-results repository with `method` held until two calls have read: two requests at the same
 * instant, both deciding on what they read before either writes.
 */
function racing(method: 'mechanisms' | 'getCohort' | 'getClaim'): OutcomeDeps {
  const base = repositories().paymentByResults;
  let arrived = 0;
  let release: () => void = () => {};
  const bothRead = new Promise<void>((resolve) => {
    release = resolve;
  });
  const read = base[method].bind(base) as (...args: unknown[]) => Promise<unknown>;
  const held: PaymentByResultsRepository = {
    ...base,
    [method]: async (...args: unknown[]) => {
      const value = await read(...args);
      arrived += 1;
      if (arrived === 2) release();
      await bothRead;
      return value;
    },
  };
  return { ...deps(), paymentByResults: held };
}

/** Runs both at once and expects one to succeed and the other to get a ConflictError. */
async function oneWins(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<void> {
  const outcomes = await Promise.allSettled([a(), b()]);
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
  expect(lost).toHaveLength(1);
  expect(lost[0]).toBeInstanceOf(ConflictError);
}

beforeAll(async () => {
  await useTestTables();
  sequencer = await startTestSequencer();
});

afterAll(async () => {
  await sequencer?.stop();
  snapshots.close();
});

describe('the mechanism', () => {
  it('takes a first version from a past quarter, and a later one only from a quarter not begun', async () => {
    const f = await contractFixture();
    const first = await setPaymentMechanism(deps(), validator, f.contractId, MECHANISM, NOW);
    expect(first).toMatchObject({
      version: 1,
      fromPeriod: '2025-Q1',
      capPencePerYear: null,
      setBy: validator.sub,
    });
    await refusedWithoutWriting(RetroactiveMechanismChangeError, () =>
      setPaymentMechanism(deps(), validator, f.contractId, { ...MECHANISM, fromPeriod: '2026-Q4' }, NOW),
    );
    await refusedWithoutWriting(RetroactiveMechanismChangeError, () =>
      setPaymentMechanism(deps(), validator, f.contractId, { ...MECHANISM, fromPeriod: '2026-Q1' }, NOW),
    );
    const second = await setPaymentMechanism(
      deps(),
      validator,
      f.contractId,
      { ...MECHANISM, fromPeriod: '2027-Q1', upfrontPercent: 5 },
      NOW,
    );
    expect(second.version).toBe(2);
    const read = await getPaymentMechanism(deps(), f.member, f.contractId);
    expect(read.version).toBe(2);
    expect(read.versions.map((v) => [v.version, v.fromPeriod, v.upfrontPercent])).toEqual([
      [1, '2025-Q1', 10],
      [2, '2027-Q1', 5],
    ]);
  });

  it('lets one of two versions set at the same moment win; the other gets a conflict', async () => {
    const f = await contractFixture();
    // Both read the (empty) versions before either writes, as two requests at the same instant would.
    const raceDeps = racing('mechanisms');
    await oneWins(
      () => setPaymentMechanism(raceDeps, validator, f.contractId, MECHANISM, NOW),
      () => setPaymentMechanism(raceDeps, validator, f.contractId, { ...MECHANISM, upfrontPercent: 7 }, NOW),
    );
    const stored = await repositories().paymentByResults.mechanisms(f.contractId);
    expect(stored).toHaveLength(1);
    const events = await repositories().audit.page(contractAuditScope(f.contractId), 50, undefined);
    expect(events.items.filter((e) => e.action === 'outcomes.mechanism.set')).toHaveLength(1);
  });

  it('is 404 before one is set, and to anyone unrelated', async () => {
    const f = await contractFixture();
    await expect(getPaymentMechanism(deps(), f.owner, f.contractId)).rejects.toBeInstanceOf(NotFoundError);
    await setPaymentMechanism(deps(), validator, f.contractId, MECHANISM, NOW);
    await expect(getPaymentMechanism(deps(), stranger, f.contractId)).rejects.toBeInstanceOf(NotFoundError);
    await expect(getPaymentMechanism(deps(), f.subOwner, f.contractId)).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('cohorts and results', () => {
  const results2025Q1: CohortResults = {
    high: { size: 100, reoffenders: 40, reoffences: 120 },
    low: { size: 50, reoffenders: 10, reoffences: 30 },
  };
  const sizes = (r: CohortResults) => ({
    tiers: Object.fromEntries(Object.entries(r).map(([tier, v]) => [tier, { size: v.size }])),
  });

  it('refuses results before the follow-up ends, and sizes that are not the cohort’s', async () => {
    const f = await withMechanism();
    await putCohort(deps(), validator, f.contractId, '2026-Q1', sizes(results2025Q1), NOW);
    // 2026-Q1 with a 12-month follow-up: results from 2027-04-01.
    const early = await refusedWithoutWriting(InvalidStateError, () =>
      putCohortResults(deps(), validator, f.contractId, '2026-Q1', { tiers: results2025Q1 }, NOW),
    );
    expect(early.message).toContain('2027-04-01');
    await putCohort(deps(), validator, f.contractId, '2025-Q1', sizes(results2025Q1), NOW);
    const mismatch = await refusedWithoutWriting(InvalidCohortError, () =>
      putCohortResults(
        deps(),
        validator,
        f.contractId,
        '2025-Q1',
        { tiers: { ...results2025Q1, high: { size: 99, reoffenders: 40, reoffences: 120 } } },
        NOW,
      ),
    );
    expect((mismatch as InvalidCohortError).issues.map((i) => i.path)).toEqual(['tiers.high.size']);
    // A tier the cohort does not have is a mismatch too.
    await refusedWithoutWriting(InvalidCohortError, () =>
      putCohortResults(
        deps(),
        validator,
        f.contractId,
        '2025-Q1',
        { tiers: { ...results2025Q1, medium: { size: 1, reoffenders: 0, reoffences: 0 } } },
        NOW,
      ),
    );
    // No cohort yet, and a quarter not begun.
    await refusedWithoutWriting(InvalidStateError, () =>
      putCohortResults(deps(), validator, f.contractId, '2025-Q2', { tiers: results2025Q1 }, NOW),
    );
    await refusedWithoutWriting(InvalidCohortError, () =>
      putCohort(deps(), validator, f.contractId, '2027-Q1', sizes(results2025Q1), NOW),
    );
  });

  it('refuses a cohort for the quarter the contract starts in, before the contract has begun (as claims are)', async () => {
    counter += 1;
    const owner = user(`pbr-owner-late-${counter}`);
    const primeId = await verifiedProvider(owner.sub, `PbR late prime ${counter}`, {
      region: 'london',
      service: 'health',
    });
    const contract = await registerContract(
      repositories(),
      commissioner('pbr-registrar'),
      {
        title: `PbR late contract ${counter}`,
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2026-12-01',
        endDate: '2027-11-30',
        regions: ['london'],
        services: ['health'],
        subcontracting: { targetPercent: 10 },
      },
      NOW,
      RULES,
    );
    await setPaymentMechanism(deps(), validator, contract.id, { ...MECHANISM, fromPeriod: '2026-Q4' }, NOW);
    const claimRefused = await refusedWithoutWriting(InvalidClaimError, () =>
      submitOutcomeClaim(
        deps(),
        owner,
        contract.id,
        {
          outcomeId: 'ete',
          period: '2026-Q4',
          tier: 'low',
          participants: participants(refs(1, 1), '2026-11-01'),
        },
        NOW,
      ),
    );
    expect((claimRefused as InvalidClaimError).issues).toEqual([
      { path: 'period', message: 'That quarter has not begun' },
    ]);
    const cohortRefused = await refusedWithoutWriting(InvalidCohortError, () =>
      putCohort(deps(), validator, contract.id, '2026-Q4', { tiers: { low: { size: 3 } } }, NOW),
    );
    expect((cohortRefused as InvalidCohortError).issues).toEqual([
      { path: 'period', message: 'That quarter has not begun' },
    ]);
    // From the contract's first day, it has.
    const started = new Date('2026-12-01T09:00:00Z');
    await putCohort(deps(), validator, contract.id, '2026-Q4', { tiers: { low: { size: 3 } } }, started);
  });

  it('values results as the pure rules do, keeps every version, and writes nothing for the same results', async () => {
    const f = await withMechanism();
    await putCohort(deps(), validator, f.contractId, '2025-Q1', sizes(results2025Q1), NOW);
    const [terms] = await repositories().paymentByResults.mechanisms(f.contractId);
    if (!terms) throw new Error('no mechanism');

    const first = await putCohortResults(
      deps(),
      validator,
      f.contractId,
      '2025-Q1',
      { tiers: results2025Q1 },
      NOW,
    );
    expect(first.changed).toBe(true);
    expect(first.resultsVersion).toBe(1);
    expect(first.reoffending).toEqual(reoffendingPayment(terms, results2025Q1));
    expect(first.reoffendingPence).toBe(reoffendingPayment(terms, results2025Q1).pence);
    expect(first.reoffending.pence).toBeGreaterThan(0);

    const corrected: CohortResults = {
      ...results2025Q1,
      high: { size: 100, reoffenders: 30, reoffences: 90 },
    };
    const later = new Date(NOW.getTime() + 60_000);
    const second = await putCohortResults(
      deps(),
      validator,
      f.contractId,
      '2025-Q1',
      { tiers: corrected },
      later,
    );
    expect(second).toMatchObject({
      changed: true,
      resultsVersion: 2,
      reoffendingPence: reoffendingPayment(terms, corrected).pence,
    });

    // Append-only: the first version's item is still there, as written.
    const v1 = await storedItem(outcomeKeys.results(f.contractId, '2025-Q1', 1));
    const v2 = await storedItem(outcomeKeys.results(f.contractId, '2025-Q1', 2));
    expect(v1).toMatchObject({
      version: 1,
      results: results2025Q1,
      reoffendingPence: first.reoffending.pence,
      at: NOW.toISOString(),
    });
    expect(v2).toMatchObject({ version: 2, results: corrected, at: later.toISOString() });

    // The same results again: nothing written, not even an audit event.
    const same = await (async () => {
      const before = await settled();
      const view = await putCohortResults(
        deps(),
        validator,
        f.contractId,
        '2025-Q1',
        { tiers: corrected },
        later,
      );
      expect(await settled()).toEqual(before);
      return view;
    })();
    expect(same).toMatchObject({ changed: false, resultsVersion: 2 });
    expect(same.reoffending).toEqual(second.reoffending);

    // The sizes are fixed once results are in.
    await refusedWithoutWriting(InvalidStateError, () =>
      putCohort(deps(), validator, f.contractId, '2025-Q1', sizes(results2025Q1), NOW),
    );
    const cohorts = await listCohorts(deps(), f.member, f.contractId);
    expect(cohorts.map((c) => [c.period, c.resultsVersion, c.reoffendingPence, c.resultsFrom])).toEqual([
      ['2025-Q1', 2, second.reoffending.pence, '2026-04-01'],
    ]);
  });
});

describe('claims', () => {
  it('refuses a participant already claimed for the outcome, writing nothing; another outcome is fine', async () => {
    const f = await withMechanism();
    const [a, b, c] = refs(1, 3) as [string, string, string];
    await submit(f, [a, b]);
    const figuresBefore = await repositories().paymentByResults.periodFigures(f.contractId);
    // The same participant in another case, in another tier and period, in a claim with a new one.
    const conflict = await refusedWithoutWriting(ConflictError, () =>
      submit(f, [c, b.toLowerCase()], { period: '2026-Q3', tier: 'low', evidenceDate: '2026-08-01' }),
    );
    expect(conflict.message).toContain('participant 2 of this claim');
    for (const r of [a, b, c, b.toLowerCase()]) expect(conflict.message).not.toContain(r);
    expect(await repositories().paymentByResults.periodFigures(f.contractId)).toEqual(figuresBefore);
    expect((await repositories().paymentByResults.claimCounts(f.contractId)).submitted).toBe(1);
    // c was not claimed by the refused claim: it may be claimed now.
    await submit(f, [c]);
    // The same participants for another outcome.
    const other = await submit(f, [a, b], { outcomeId: 'ete' });
    expect(other.status).toBe('submitted');
  });

  it('decides in part: figures and counts follow, released participants may be claimed again, validated ones not', async () => {
    const f = await withMechanism();
    const list = refs(100, 4);
    const [p1, p2, p3, p4] = list as [string, string, string, string];
    const claim = await submit(f, list, { tier: 'medium' });
    const rejectedClaim = await submit(f, refs(200, 2), { tier: 'medium', outcomeId: 'ete' });
    const decided = await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      claim.id,
      {
        decision: 'partly-validated',
        validatedRefs: [p1, p3.toLowerCase()],
        reason: 'Two tenancies evidenced',
      },
      NOW,
    );
    expect(decided).toMatchObject({
      status: 'partly-validated',
      decision: {
        decision: 'partly-validated',
        validatedRefs: [p1, p3],
        reason: 'Two tenancies evidenced',
        decidedBy: validator.sub,
      },
    });
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      rejectedClaim.id,
      { decision: 'rejected', reason: 'No evidence' },
      NOW,
    );

    const figures = await repositories().paymentByResults.periodFigures(f.contractId);
    expect(figures).toEqual([
      {
        period: '2026-Q4',
        proxy: [
          { outcomeId: 'accommodation', tier: 'medium', claimed: 4, validated: 2 },
          { outcomeId: 'ete', tier: 'medium', claimed: 2, validated: 0 },
        ],
        claims: { submitted: 0, validated: 0, 'partly-validated': 1, rejected: 1 },
      },
    ]);
    expect(await repositories().paymentByResults.claimCounts(f.contractId)).toEqual({
      submitted: 0,
      validated: 0,
      'partly-validated': 1,
      rejected: 1,
    });
    expect((await getOutcomeClaim(deps(), f.member, f.contractId, claim.id)).status).toBe('partly-validated');

    // Validated participants stay claimed; released ones may be claimed again (better evidence).
    await refusedWithoutWriting(ConflictError, () => submit(f, [p1]));
    await refusedWithoutWriting(ConflictError, () => submit(f, [p3]));
    const again = await submit(f, [p2, p4], { tier: 'medium' });
    await submit(f, refs(200, 2), { outcomeId: 'ete', tier: 'medium' });
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      again.id,
      { decision: 'validated', reason: 'Evidenced' },
      NOW,
    );
    expect(await repositories().paymentByResults.claimCounts(f.contractId)).toEqual({
      submitted: 1,
      validated: 1,
      'partly-validated': 1,
      rejected: 1,
    });
    const awaiting = await listOutcomeClaims(deps(), validator, f.contractId, { limit: 10, awaiting: true });
    expect(awaiting.items.map((c) => c.outcomeId)).toEqual(['ete']);
    const all = await listOutcomeClaims(deps(), f.member, f.contractId, { limit: 10 });
    expect(all.items).toHaveLength(4);
  });

  it('refuses a claim that would take a quarter past the most participants the statement can count', async () => {
    const f = await withMechanism();
    // A quarter one short of the bound (set directly: a million participants would take too long to claim).
    await documentClient().send(
      new UpdateCommand({
        TableName: config().tables.subcontracting,
        Key: outcomeKeys.periodFigures(f.contractId, '2026-Q4'),
        UpdateExpression: 'SET period = :p, #c = :n',
        ExpressionAttributeNames: { '#c': 'claimed|accommodation|high' },
        ExpressionAttributeValues: { ':p': '2026-Q4', ':n': MAX_PROXY_COUNT - 1 },
      }),
    );
    await refusedWithoutWriting(InvalidStateError, () => submit(f, refs(2000, 2)));
    // One more fits exactly; another tier of the same quarter is not affected.
    await submit(f, refs(2010, 1));
    await submit(f, refs(2020, 2), { tier: 'low' });
    await refusedWithoutWriting(InvalidStateError, () => submit(f, refs(2030, 1)));
  });

  it('refuses deciding a claim twice, and an invalid decision, writing nothing', async () => {
    const f = await withMechanism();
    const claim = await submit(f, refs(300, 2));
    await refusedWithoutWriting(InvalidClaimError, () =>
      decideOutcomeClaim(
        deps(),
        validator,
        f.contractId,
        claim.id,
        { decision: 'validated', reason: '  ' },
        NOW,
      ),
    );
    await refusedWithoutWriting(InvalidClaimError, () =>
      decideOutcomeClaim(
        deps(),
        validator,
        f.contractId,
        claim.id,
        { decision: 'partly-validated', validatedRefs: refs(300, 2), reason: 'all' },
        NOW,
      ),
    );
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      claim.id,
      { decision: 'validated', reason: 'Seen' },
      NOW,
    );
    for (const decision of ['validated', 'rejected'] as const) {
      await refusedWithoutWriting(ClaimAlreadyDecidedError, () =>
        decideOutcomeClaim(deps(), validator, f.contractId, claim.id, { decision, reason: 'again' }, NOW),
      );
    }
    await refusedWithoutWriting(NotFoundError, () =>
      decideOutcomeClaim(
        deps(),
        validator,
        f.contractId,
        '01JUNKNOWNCLAIM000000000000',
        { decision: 'validated', reason: 'r' },
        NOW,
      ),
    );
  });

  it('closes the commissioner’s side to a commissioner connected to the prime or a registered sub-contractor', async () => {
    const f = await withMechanism();
    const claim = await submit(f, refs(400, 2));
    counter += 1;
    const primeCurrent = commissioner(`pbr-conn-prime-now-${counter}`);
    const primeFormer = commissioner(`pbr-conn-prime-was-${counter}`);
    const subCurrent = commissioner(`pbr-conn-sub-now-${counter}`);
    const subFormer = commissioner(`pbr-conn-sub-was-${counter}`);
    await join(f.primeId, f.owner, primeCurrent);
    await join(f.primeId, f.owner, primeFormer);
    await removeMember(repositories(), f.owner, f.primeId, primeFormer.sub, new Date());
    await join(f.subId, f.subOwner, subCurrent);
    await join(f.subId, f.subOwner, subFormer);
    await removeMember(repositories(), subFormer, f.subId, subFormer.sub, new Date());

    for (const connected of [primeCurrent, primeFormer, subCurrent, subFormer]) {
      await refusedAtTheWall(f.contractId, () =>
        decideOutcomeClaim(
          deps(),
          connected,
          f.contractId,
          claim.id,
          { decision: 'validated', reason: 'ok' },
          NOW,
        ),
      );
      await refusedAtTheWall(f.contractId, () =>
        setPaymentMechanism(deps(), connected, f.contractId, { ...MECHANISM, fromPeriod: '2027-Q1' }, NOW),
      );
      await refusedAtTheWall(f.contractId, () =>
        putCohort(deps(), connected, f.contractId, '2025-Q1', { tiers: { low: { size: 1 } } }, NOW),
      );
      await refusedAtTheWall(f.contractId, () =>
        putCohortResults(
          deps(),
          connected,
          f.contractId,
          '2025-Q1',
          { tiers: { low: { size: 1, reoffenders: 0, reoffences: 0 } } },
          NOW,
        ),
      );
    }
    // Each attempt is in the contract's chain, denied, and raised an alert for admins.
    const alerts = await repositories().audit.alerts(100, undefined);
    const ours = alerts.items.filter((a) => a.competitionId === contractAuditScope(f.contractId));
    expect(ours).toHaveLength(16);
    expect(new Set(ours.map((a) => a.reason))).toEqual(new Set(['/problems/ethical-wall']));
    // Dropping the sub-contractor from the chain does not undo its members' connection.
    await putSupplyChain(repositories(), f.owner, f.contractId, { subcontractors: [] }, NOW);
    await refusedAtTheWall(f.contractId, () =>
      decideOutcomeClaim(
        deps(),
        subCurrent,
        f.contractId,
        claim.id,
        { decision: 'validated', reason: 'ok' },
        NOW,
      ),
    );
    // A commissioner unconnected to the contract decides.
    const view = await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      claim.id,
      { decision: 'validated', reason: 'ok' },
      NOW,
    );
    expect(view.status).toBe('validated');
  });

  it('lets only the prime’s owners claim; members read; anyone unrelated learns nothing', async () => {
    const f = await withMechanism();
    const input = {
      outcomeId: 'accommodation',
      period: '2026-Q4',
      tier: 'high',
      participants: participants(refs(500, 1)),
    };
    await refusedWithoutWriting(ForbiddenError, () =>
      submitOutcomeClaim(deps(), f.member, f.contractId, input, NOW),
    );
    // A commissioner cannot claim either (the claim is the prime's), nor a sub-contractor's owner.
    await refusedWithoutWriting(ForbiddenError, () =>
      submitOutcomeClaim(deps(), validator, f.contractId, input, NOW),
    );
    await refusedWithoutWriting(NotFoundError, () =>
      submitOutcomeClaim(deps(), f.subOwner, f.contractId, input, NOW),
    );
    const claim = await submitOutcomeClaim(deps(), f.owner, f.contractId, input, NOW);
    // The prime's member may read, not decide.
    expect((await getOutcomeClaim(deps(), f.member, f.contractId, claim.id)).id).toBe(claim.id);
    await refusedWithoutWriting(ForbiddenError, () =>
      decideOutcomeClaim(
        deps(),
        f.owner,
        f.contractId,
        claim.id,
        { decision: 'validated', reason: 'mine' },
        NOW,
      ),
    );

    for (const attempt of [
      () => submitOutcomeClaim(deps(), stranger, f.contractId, input, NOW),
      () =>
        decideOutcomeClaim(
          deps(),
          stranger,
          f.contractId,
          claim.id,
          { decision: 'validated', reason: 'r' },
          NOW,
        ),
      () => getOutcomeClaim(deps(), stranger, f.contractId, claim.id),
      () => listOutcomeClaims(deps(), stranger, f.contractId, { limit: 10 }),
      () => listCohorts(deps(), stranger, f.contractId),
      () => getOutcomeStatement(deps(), stranger, f.contractId, NOW),
      () => setPaymentMechanism(deps(), stranger, f.contractId, { ...MECHANISM, fromPeriod: '2027-Q1' }, NOW),
      () => putCohort(deps(), stranger, f.contractId, '2025-Q1', { tiers: { low: { size: 1 } } }, NOW),
    ]) {
      await refusedWithoutWriting(NotFoundError, attempt);
    }
  });
});

describe('claims under load', () => {
  it('takes claims submitted and decided at the same moment, every one counted', async () => {
    const f = await withMechanism();
    const n = 10;
    const submitted = await Promise.allSettled(
      Array.from({ length: n }, (_, i) =>
        submit(f, refs(1000 + i * 10, 2), { tier: i % 2 === 0 ? 'low' : 'high' }),
      ),
    );
    const failures = submitted.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []));
    expect(failures).toEqual([]);
    const claims = submitted.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const decided = await Promise.allSettled(
      claims.map((c, i) =>
        decideOutcomeClaim(
          deps(),
          validator,
          f.contractId,
          c.id,
          i % 2 === 0
            ? { decision: 'validated', reason: 'r' }
            : { decision: 'partly-validated', validatedRefs: [c.participants[0]?.ref ?? ''], reason: 'r' },
          NOW,
        ),
      ),
    );
    expect(decided.flatMap((o) => (o.status === 'rejected' ? [String(o.reason)] : []))).toEqual([]);
    expect(await repositories().paymentByResults.claimCounts(f.contractId)).toEqual({
      submitted: 0,
      validated: n / 2,
      'partly-validated': n / 2,
      rejected: 0,
    });
    expect(await repositories().paymentByResults.periodFigures(f.contractId)).toEqual([
      {
        period: '2026-Q4',
        proxy: [
          { outcomeId: 'accommodation', tier: 'high', claimed: n, validated: n / 2 },
          { outcomeId: 'accommodation', tier: 'low', claimed: n, validated: n },
        ],
        claims: { submitted: 0, validated: n / 2, 'partly-validated': n / 2, rejected: 0 },
      },
    ]);
  });

  it('lets one of two claims of the same participant at the same moment win', async () => {
    const f = await withMechanism();
    const [shared] = refs(1200, 1) as [string];
    const outcomes = await Promise.allSettled([
      submit(f, [shared, ...refs(1210, 1)]),
      submit(f, [...refs(1220, 1), shared.toLowerCase()], { tier: 'low' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(lost).toHaveLength(1);
    expect(lost[0]).toBeInstanceOf(ConflictError);
    const figures = await repositories().paymentByResults.periodFigures(f.contractId);
    expect(figures[0]?.proxy.reduce((sum, p) => sum + p.claimed, 0)).toBe(2);
    expect(figures[0]?.claims.submitted).toBe(1);
  });

  it('takes a claim of 50 participants with notes, and releases 49 of them in one decision', async () => {
    const f = await withMechanism();
    const list = refs(1300, 50);
    const claim = await submitOutcomeClaim(
      deps(),
      f.owner,
      f.contractId,
      {
        outcomeId: 'ete',
        period: '2026-Q4',
        tier: 'very_high',
        participants: list.map((ref) => ({ ref, evidenceDate: '2026-10-05', note: 'n'.repeat(500) })),
      },
      NOW,
    );
    expect(claim.participants).toHaveLength(50);
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      claim.id,
      { decision: 'partly-validated', validatedRefs: list.slice(0, 1), reason: 'r' },
      NOW,
    );
    const again = await submit(f, list.slice(1), { outcomeId: 'ete' });
    expect(again.participants).toHaveLength(49);
    await refusedWithoutWriting(ConflictError, () => submit(f, list.slice(0, 1), { outcomeId: 'ete' }));
  });

  it('pages through the claims, and those awaiting a decision, each once and in order', async () => {
    const f = await withMechanism();
    const made: Awaited<ReturnType<typeof submit>>[] = [];
    for (let i = 0; i < 5; i += 1) {
      made.push(await submit(f, refs(1400 + i * 10, 1)));
    }
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      made[1]?.id ?? '',
      { decision: 'rejected', reason: 'r' },
      NOW,
    );
    const walk = async (awaiting: boolean) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 10; pages += 1) {
        const page = await listOutcomeClaims(deps(), validator, f.contractId, { limit: 2, cursor, awaiting });
        seen.push(...page.items.map((c) => c.id));
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      return seen;
    };
    const ids = made.map((c) => c.id).sort();
    expect(await walk(false)).toEqual(ids);
    expect(await walk(true)).toEqual(ids.filter((id) => id !== made[1]?.id));
  });
});

describe('a random run of claims and decisions', () => {
  type Step =
    | { kind: 'submit'; outcome: number; tier: number; people: number[] }
    | {
        kind: 'decide';
        pick: number;
        decision: 'validated' | 'partly-validated' | 'rejected';
        keep: number[];
      };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({
      kind: fc.constant('submit' as const),
      outcome: fc.integer({ min: 0, max: 1 }),
      tier: fc.integer({ min: 0, max: 1 }),
      people: fc.uniqueArray(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 3 }),
    }),
    fc.record({
      kind: fc.constant('decide' as const),
      pick: fc.nat(),
      decision: fc.constantFrom('validated' as const, 'partly-validated' as const, 'rejected' as const),
      keep: fc.uniqueArray(fc.nat({ max: 2 }), { maxLength: 2 }),
    }),
  );

  it('keeps the figures, counts and held participants equal to a model of the claims', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 10 }), async (steps) => {
        const f = await withMechanism();
        const outcomes = ['accommodation', 'ete'];
        const tiers = ['low', 'high'];
        // The model: participants held per outcome, claims awaiting a decision, and the figures.
        const held = new Map<string, string>();
        const open: { id: string; outcomeId: string; tier: string; refs: string[] }[] = [];
        const figures = new Map<string, { claimed: number; validated: number }>();
        const counts = { submitted: 0, validated: 0, 'partly-validated': 0, rejected: 0 };
        const figure = (o: string, t: string) => {
          const key = `${o}|${t}`;
          const value = figures.get(key) ?? { claimed: 0, validated: 0 };
          figures.set(key, value);
          return value;
        };
        for (const s of steps) {
          if (s.kind === 'submit') {
            const outcomeId = outcomes[s.outcome] as string;
            const tier = tiers[s.tier] as string;
            // Alternate the case: the same participant whatever the case.
            const list = s.people.map((n, i) => (i % 2 === 0 ? `prv-10${n}` : `PRV-10${n}`));
            const taken = list.some((r) => held.has(`${outcomeId}#${heldKey(r)}`));
            const result = await submit(f, list, { outcomeId, tier }).then(
              (view) => view,
              (error: unknown) => error as Error,
            );
            if (taken) {
              expect(result).toBeInstanceOf(ConflictError);
              continue;
            }
            if (result instanceof Error) throw result;
            for (const r of list) held.set(`${outcomeId}#${heldKey(r)}`, result.id);
            open.push({ id: result.id, outcomeId, tier, refs: list });
            figure(outcomeId, tier).claimed += list.length;
            counts.submitted += 1;
          } else {
            if (open.length === 0) continue;
            const [claim] = open.splice(s.pick % open.length, 1);
            if (!claim) continue;
            const keep = [...new Set(s.keep.filter((i) => i < claim.refs.length))];
            const partlyOk = keep.length > 0 && keep.length < claim.refs.length;
            const decision = s.decision === 'partly-validated' && !partlyOk ? 'rejected' : s.decision;
            const validated =
              decision === 'validated'
                ? claim.refs
                : decision === 'rejected'
                  ? []
                  : keep.map((i) => claim.refs[i] as string);
            await decideOutcomeClaim(
              deps(),
              validator,
              f.contractId,
              claim.id,
              { decision, validatedRefs: validated, reason: 'model' },
              NOW,
            );
            for (const r of claim.refs) {
              if (!validated.includes(r)) held.delete(`${claim.outcomeId}#${heldKey(r)}`);
            }
            figure(claim.outcomeId, claim.tier).validated += validated.length;
            counts.submitted -= 1;
            counts[decision] += 1;
          }
        }
        expect(await repositories().paymentByResults.claimCounts(f.contractId)).toEqual(counts);
        const stored = await repositories().paymentByResults.periodFigures(f.contractId);
        const expected = [...figures.entries()]
          .map(([key, v]) => {
            const [outcomeId, tier] = key.split('|') as [string, string];
            return { outcomeId, tier, ...v };
          })
          .sort((a, b) =>
            a.outcomeId === b.outcomeId
              ? a.tier.localeCompare(b.tier)
              : a.outcomeId.localeCompare(b.outcomeId),
          );
        expect(stored.flatMap((p) => p.proxy)).toEqual(expected);
        const items = await documentClient().send(
          new QueryCommand({
            TableName: config().tables.subcontracting,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': `CONTRACT#${f.contractId}`, ':prefix': 'PBR#PART#' },
            ConsistentRead: true,
          }),
        );
        const heldStored = new Map(
          (items.Items ?? []).map((item) => [
            String(item.sk).slice('PBR#PART#'.length),
            String(item.claimId),
          ]),
        );
        expect(heldStored).toEqual(held);
      }),
      { numRuns: 6 },
    );
  }, 120_000);
});

describe('races and other contracts', () => {
  it('lets one of two commissioners win when entering a cohort, its results or a decision at the same moment', async () => {
    const f = await withMechanism();
    const cohortRace = racing('getCohort');
    await oneWins(
      () => putCohort(cohortRace, validator, f.contractId, '2025-Q1', { tiers: { low: { size: 10 } } }, NOW),
      () => putCohort(cohortRace, validator, f.contractId, '2025-Q1', { tiers: { low: { size: 10 } } }, NOW),
    );
    const resultsRace = racing('getCohort');
    await oneWins(
      () =>
        putCohortResults(
          resultsRace,
          validator,
          f.contractId,
          '2025-Q1',
          { tiers: { low: { size: 10, reoffenders: 2, reoffences: 3 } } },
          NOW,
        ),
      () =>
        putCohortResults(
          resultsRace,
          validator,
          f.contractId,
          '2025-Q1',
          { tiers: { low: { size: 10, reoffenders: 3, reoffences: 3 } } },
          NOW,
        ),
    );
    expect((await listCohorts(deps(), validator, f.contractId))[0]?.resultsVersion).toBe(1);

    const claim = await submit(f, refs(1500, 3));
    const decisionRace = racing('getClaim');
    await oneWins(
      () =>
        decideOutcomeClaim(
          decisionRace,
          validator,
          f.contractId,
          claim.id,
          { decision: 'rejected', reason: 'r' },
          NOW,
        ),
      () =>
        decideOutcomeClaim(
          decisionRace,
          commissioner('pbr-validator-2'),
          f.contractId,
          claim.id,
          { decision: 'partly-validated', validatedRefs: refs(1500, 1), reason: 'r' },
          NOW,
        ),
    );
    const counts = await repositories().paymentByResults.claimCounts(f.contractId);
    expect(counts.submitted).toBe(0);
    expect(counts.rejected + counts['partly-validated']).toBe(1);
    const figures = await repositories().paymentByResults.periodFigures(f.contractId);
    expect(figures[0]?.proxy).toEqual([
      { outcomeId: 'accommodation', tier: 'high', claimed: 3, validated: counts.rejected === 1 ? 0 : 1 },
    ]);
  });

  it('finds a claim only under its own contract', async () => {
    const a = await withMechanism();
    const b = await withMechanism();
    const claim = await submit(a, refs(1600, 1));
    await refusedWithoutWriting(NotFoundError, () =>
      getOutcomeClaim(deps(), b.owner, b.contractId, claim.id),
    );
    await refusedWithoutWriting(NotFoundError, () =>
      decideOutcomeClaim(
        deps(),
        validator,
        b.contractId,
        claim.id,
        { decision: 'validated', reason: 'r' },
        NOW,
      ),
    );
    // The same participant on another contract is another participant.
    await submit(b, refs(1600, 1));
  });
});

describe('the statement', () => {
  it('is the pure statement of the same inputs, with the claim counts', async () => {
    const f = await withMechanism();
    const results: CohortResults = { high: { size: 100, reoffenders: 40, reoffences: 120 } };
    await putCohort(deps(), validator, f.contractId, '2025-Q1', { tiers: { high: { size: 100 } } }, NOW);
    await putCohortResults(deps(), validator, f.contractId, '2025-Q1', { tiers: results }, NOW);
    const early = { period: '2025-Q2', evidenceDate: '2025-05-01' };
    const a = await submit(f, refs(600, 3), { ...early, tier: 'high' });
    const b = await submit(f, refs(610, 2), { outcomeId: 'ete', tier: 'low' });
    const c = await submit(f, refs(620, 1), { tier: 'medium' });
    await submit(f, refs(630, 2), { tier: 'medium' });
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      a.id,
      { decision: 'partly-validated', validatedRefs: refs(600, 2), reason: 'r' },
      NOW,
    );
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      b.id,
      { decision: 'validated', reason: 'r' },
      NOW,
    );
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      c.id,
      { decision: 'rejected', reason: 'r' },
      NOW,
    );

    const view = await getOutcomeStatement(deps(), f.member, f.contractId, NOW);
    const versions = await repositories().paymentByResults.mechanisms(f.contractId);
    const expected = statement({
      contract: CONTRACT,
      versions,
      through: '2026-Q4',
      periods: [
        { period: '2025-Q1', results },
        {
          period: '2025-Q2',
          proxy: [{ outcomeId: 'accommodation', tier: 'high', claimed: 3, validated: 2 }],
        },
        {
          period: '2026-Q4',
          proxy: [
            { outcomeId: 'ete', tier: 'low', claimed: 2, validated: 2 },
            { outcomeId: 'accommodation', tier: 'medium', claimed: 3, validated: 0 },
          ],
        },
      ],
    });
    expect(view).toEqual({
      contractId: f.contractId,
      through: '2026-Q4',
      ...expected,
      claims: { submitted: 1, validated: 1, 'partly-validated': 1, rejected: 1 },
    });
    expect(view.periods).toHaveLength(8);
    expect(view.totals.proxyPence).toBeGreaterThan(0);
    expect(view.totals.reoffendingPence).toBeGreaterThan(0);
  });

  it('applies the cap stored with the mechanism, as the pure statement does', async () => {
    const f = await contractFixture();
    await setPaymentMechanism(
      deps(),
      validator,
      f.contractId,
      { ...MECHANISM, capPencePerYear: 100_000 },
      NOW,
    );
    await setPaymentMechanism(
      deps(),
      validator,
      f.contractId,
      { ...MECHANISM, fromPeriod: '2027-Q1', capPencePerYear: 50_000 },
      NOW,
    );
    const claim = await submit(f, refs(1700, 4), { tier: 'very_high' });
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      claim.id,
      { decision: 'validated', reason: 'r' },
      NOW,
    );
    const view = await getOutcomeStatement(deps(), f.owner, f.contractId, NOW);
    const versions = await repositories().paymentByResults.mechanisms(f.contractId);
    expect(versions.map((v) => v.capPencePerYear)).toEqual([100_000, 50_000]);
    const expected = statement({
      contract: CONTRACT,
      versions,
      through: '2026-Q4',
      periods: [
        {
          period: '2026-Q4',
          proxy: [{ outcomeId: 'accommodation', tier: 'very_high', claimed: 4, validated: 4 }],
        },
      ],
    });
    expect(view).toEqual({
      contractId: f.contractId,
      through: '2026-Q4',
      ...expected,
      claims: { submitted: 0, validated: 1, 'partly-validated': 0, rejected: 0 },
    });
    const q4 = view.periods.find((p) => p.period === '2026-Q4');
    // 4 × £500 × 2.25 = £4,500 earned; the year's cap is £1,000.
    expect(q4).toMatchObject({
      proxyClaimedPence: 450_000,
      proxyPence: 100_000,
      cutPence: 350_000,
      capReached: true,
    });
  });

  it('reads the same items whatever the number of claims', async () => {
    const f = await withMechanism();
    let calls = 0;
    let items = 0;
    const counting = {
      async send(command: Parameters<DynamoDBDocumentClient['send']>[0]) {
        calls += 1;
        const out = (await documentClient().send(command as never)) as { Items?: unknown[]; Item?: unknown };
        items += out.Items?.length ?? (out.Item ? 1 : 0);
        return out;
      },
    } as unknown as DynamoDBDocumentClient;
    const counted = {
      ...deps(),
      paymentByResults: createPaymentByResultsRepository({
        client: counting,
        tableName: config().tables.subcontracting,
      }),
    };
    const cost = async () => {
      calls = 0;
      items = 0;
      await getOutcomeStatement(counted, f.member, f.contractId, NOW);
      return { calls, items };
    };
    const claimIn = async (start: number, n: number) => {
      for (let i = 0; i < n; i += 1) {
        const claim = await submit(f, refs(start + i * 10, 3), { tier: i % 2 === 0 ? 'high' : 'low' });
        if (i % 3 === 0) {
          await decideOutcomeClaim(
            deps(),
            validator,
            f.contractId,
            claim.id,
            { decision: 'validated', reason: 'r' },
            NOW,
          );
        }
      }
    };
    await claimIn(700, 2);
    const few = await cost();
    await claimIn(800, 12);
    const many = await cost();
    expect(many).toEqual(few);
    // Four requests (versions, cohorts, figures, counts) reading four items (the version, the period's and
    // the contract's figures, the counts read again by key): none of them a claim.
    expect(few).toEqual({ calls: 4, items: 4 });
  });
});

describe('the audit chain of the contract', () => {
  it('records each change in the contract’s chain with its action, chained by the sequencer', async () => {
    const f = await withMechanism();
    await putCohort(deps(), validator, f.contractId, '2025-Q1', { tiers: { low: { size: 10 } } }, NOW);
    await putCohortResults(
      deps(),
      validator,
      f.contractId,
      '2025-Q1',
      { tiers: { low: { size: 10, reoffenders: 2, reoffences: 3 } } },
      NOW,
    );
    const list = refs(900, 3);
    const c1 = await submit(f, list);
    const c2 = await submit(f, refs(910, 1));
    const c3 = await submit(f, refs(920, 1));
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      c1.id,
      { decision: 'partly-validated', validatedRefs: [list[0] as string], reason: 'r' },
      NOW,
    );
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      c2.id,
      { decision: 'validated', reason: 'r' },
      NOW,
    );
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      c3.id,
      { decision: 'rejected', reason: 'r' },
      NOW,
    );

    const scope = contractAuditScope(f.contractId);
    const written = await repositories().audit.page(scope, 100, undefined);
    const expectedActions = [
      'outcomes.mechanism.set',
      'outcomes.cohort.set',
      'outcomes.results.set',
      'outcomes.claim.submit',
      'outcomes.claim.submit',
      'outcomes.claim.submit',
      'outcomes.claim.partly-validated',
      'outcomes.claim.validated',
      'outcomes.claim.rejected',
    ];
    expect(written.items.map((e) => e.action).sort()).toEqual([...expectedActions].sort());
    expect(written.items.find((e) => e.action === 'outcomes.claim.rejected')).toMatchObject({
      actor: validator.sub,
      resource: `contract/${f.contractId}/outcome-claims/${c3.id}`,
      outcome: 'allowed',
    });
    expect(
      written.items.filter((e) => e.action === 'outcomes.claim.submit').every((e) => e.actor === f.owner.sub),
    ).toBe(true);

    await sequencer.drain();
    const chained = await repositories().audit.page(scope, 100, undefined);
    expect(chained.items.map((e) => e.action)).toEqual(expectedActions);
    expect(chained.items.every((e) => e.chained)).toBe(true);
    const verification = await repositories().audit.verify(scope);
    expect(verification).toMatchObject({
      valid: true,
      complete: true,
      pending: 0,
      chained: expectedActions.length,
    });
  });
});

describe('nothing identifying', () => {
  it('never repeats a refused reference in the error, nor any reference in the audit chain', async () => {
    const f = await withMechanism();
    const personal = ['John Smith', 'A1234BC', 'QQ123456C', '1990-05-12', 'someone@example.org'];
    for (const value of personal) {
      const error = await refusedWithoutWriting(ValidationError, () => submit(f, [value]));
      expect(
        JSON.stringify({ message: error.message, issues: (error as ValidationError).issues }),
      ).not.toContain(value);
    }
    const taken = refs(950, 2);
    await submit(f, taken);
    const conflict = await refusedWithoutWriting(ConflictError, () => submit(f, taken));
    for (const r of taken) expect(conflict.message.toUpperCase()).not.toContain(r.toUpperCase());
    const claim = await submit(f, refs(960, 2));
    await decideOutcomeClaim(
      deps(),
      validator,
      f.contractId,
      claim.id,
      { decision: 'partly-validated', validatedRefs: refs(960, 1), reason: 'r' },
      NOW,
    );
    const unknown = await refusedWithoutWriting(InvalidStateError, () =>
      decideOutcomeClaim(
        deps(),
        validator,
        f.contractId,
        claim.id,
        { decision: 'rejected', reason: 'r' },
        NOW,
      ),
    );
    expect(unknown.message).not.toContain('PRV-');

    await sequencer.drain();
    const events = JSON.stringify(
      (await repositories().audit.page(contractAuditScope(f.contractId), 100, undefined)).items,
    );
    for (const r of [...taken, ...refs(960, 2)]) expect(events.toUpperCase()).not.toContain(r.toUpperCase());
  });
});
