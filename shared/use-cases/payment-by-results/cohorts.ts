/**
 * `PUT /contracts/{id}/cohorts/{period}` (a period's cohort by risk tier, counts only) and
 * `PUT /contracts/{id}/cohorts/{period}/results` (the proven results after the follow-up period, which the
 * service values): commissioners not connected to the prime or its sub-contractors. Each write is audited;
 * every results version is kept.
 */
import type { Cohort, StoredMechanism } from '../../db/payment-by-results';
import type { Contract } from '../../domain/contracts';
import { ConflictError, type FieldIssue, InvalidStateError } from '../../domain/errors';
import {
  asPeriod,
  contractQuarters,
  followUpEnds,
  mechanismFor,
  RISK_TIERS,
  type RiskTier,
} from '../../domain/payment-by-results/mechanism';
import {
  type CohortResults,
  type CohortSizes,
  InvalidCohortError,
  NoMechanismInForceError,
  parseCohortResults,
  parseCohortSizes,
  reoffendingPayment,
  type TierReoffendingPayment,
  type TierResult,
} from '../../domain/payment-by-results/payments';
import { assertCanReadOutcomes } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { isoDay, periodBounds } from '../../domain/subcontracting/dates';
import { loadForCommissioner, loadOutcomesContract, type OutcomeDeps, writeAudited } from './access';

/** A cohort as the API shows it. */
export interface CohortView {
  contractId: string;
  period: string;
  tiers: CohortSizes;
  /** The proven results, once entered (null before). */
  results: CohortResults | null;
  resultsVersion: number;
  /** The re-offending payment for the results, before any cap (null before results). */
  reoffendingPence: number | null;
  /** The first day results may be entered: the day after the follow-up ends (null with no mechanism). */
  resultsFrom: string | null;
}

/** What entering results returns: the cohort and the payment, tier by tier. */
export interface ResultsView extends CohortView {
  reoffending: { pence: number; tiers: Partial<Record<RiskTier, TierReoffendingPayment>> };
  /** False when the results were the same as those already entered (nothing written). */
  changed: boolean;
}

function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

/** The first day results may be entered, under the terms in force for the period. */
function resultsFrom(versions: readonly StoredMechanism[], period: string): string | null {
  const terms = mechanismFor(versions, period);
  return terms ? dayAfter(followUpEnds(period, terms.reoffending.followUpMonths)) : null;
}

/** The API view of a cohort. */
export function cohortView(contractId: string, cohort: Cohort, from: string | null): CohortView {
  return {
    contractId,
    period: cohort.period,
    tiers: cohort.sizes,
    results: cohort.results ?? null,
    resultsVersion: cohort.resultsVersion,
    reoffendingPence: cohort.reoffendingPence ?? null,
    resultsFrom: from,
  };
}

/** Checks the period is a quarter of the contract that has begun. */
function beganPeriod(contract: Contract, raw: string, today: string): string {
  const period = asPeriod(raw, 'period');
  const { first, last } = contractQuarters(contract);
  if (period < first || period > last) {
    throw new InvalidCohortError([{ path: 'period', message: `Use a quarter from ${first} to ${last}` }]);
  }
  const bounds = periodBounds(period);
  // The contract's part of the quarter: a contract starting within it has not begun before its first day
  // (as `parseClaim` judges a claim's quarter).
  const start = bounds && bounds.start > contract.startDate ? bounds.start : contract.startDate;
  if (start > today) {
    throw new InvalidCohortError([{ path: 'period', message: 'That quarter has not begun' }]);
  }
  return period;
}

/**
 * Sets a period's cohort sizes (or corrects them, until results are entered).
 * @throws InvalidCohortError, InvalidStateError (results already in), ConflictError, access errors.
 */
export async function putCohort(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  rawPeriod: string,
  input: { tiers: Readonly<Record<string, { size: number }>> },
  now: Date,
): Promise<CohortView> {
  const { contract, user } = await loadForCommissioner(deps, principal, contractId);
  const period = beganPeriod(contract, rawPeriod, isoDay(now));
  const sizes = parseCohortSizes(input);
  const [before, versions] = await Promise.all([
    deps.paymentByResults.getCohort(contractId, period),
    deps.paymentByResults.mechanisms(contractId),
  ]);
  if (before?.results) {
    throw new InvalidStateError(
      `The results of ${period} are in, so its cohort sizes can no longer change. Enter corrected results instead.`,
    );
  }
  const cohort: Cohort = {
    period,
    sizes,
    revision: (before?.revision ?? 0) + 1,
    resultsVersion: 0,
    setAt: now.toISOString(),
    setBy: user.sub,
  };
  await writeAudited(deps, {
    contractId,
    actor: user.sub,
    action: 'outcomes.cohort.set',
    resource: `contract/${contractId}/cohorts/${period}`,
    at: now,
    items: deps.paymentByResults.cohortItems(contractId, cohort, before),
    onRefused: (codes) =>
      codes[0] === 'ConditionalCheckFailed'
        ? new ConflictError(`Someone else changed the cohort of ${period} at the same moment. Look again.`)
        : undefined,
  });
  return cohortView(contractId, cohort, resultsFrom(versions, period));
}

function sameResults(a: CohortResults | undefined, b: CohortResults): boolean {
  if (!a) return false;
  return RISK_TIERS.every((tier) => {
    const x = a[tier];
    const y = b[tier];
    if (!x || !y) return !x && !y;
    return x.size === y.size && x.reoffenders === y.reoffenders && x.reoffences === y.reoffences;
  });
}

/**
 * Enters (or corrects) a period's proven results: after its follow-up period, under the mechanism in force
 * for it, tier by tier for exactly the cohort entered (the same sizes). Returns the computed re-offending
 * payment. The same results again change nothing.
 * @throws InvalidStateError (no cohort yet, follow-up not over), NoMechanismInForceError,
 *   InvalidCohortError (figures, or sizes not the cohort's), ConflictError, access errors.
 */
export async function putCohortResults(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  rawPeriod: string,
  input: { tiers: Readonly<Record<string, TierResult>> },
  now: Date,
): Promise<ResultsView> {
  const { contract, user } = await loadForCommissioner(deps, principal, contractId);
  const today = isoDay(now);
  const period = beganPeriod(contract, rawPeriod, today);
  const results = parseCohortResults(input);
  const [before, versions] = await Promise.all([
    deps.paymentByResults.getCohort(contractId, period),
    deps.paymentByResults.mechanisms(contractId),
  ]);
  if (!before) throw new InvalidStateError(`Enter the cohort of ${period} before its results.`);
  const terms = mechanismFor(versions, period);
  if (!terms) throw new NoMechanismInForceError(period);
  const from = dayAfter(followUpEnds(period, terms.reoffending.followUpMonths));
  if (today < from) {
    throw new InvalidStateError(
      `The follow-up of ${period} runs until ${followUpEnds(period, terms.reoffending.followUpMonths)}: enter its results from ${from}.`,
    );
  }
  const issues: FieldIssue[] = [];
  for (const tier of RISK_TIERS) {
    const expected = before.sizes[tier]?.size ?? 0;
    const given = results[tier]?.size ?? 0;
    if (expected !== given) {
      issues.push({
        path: `tiers.${tier}.size`,
        message: `The cohort of ${period} has ${expected} in this tier: results are for the same people`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidCohortError(issues);
  const payment = reoffendingPayment(terms, results);
  if (sameResults(before.results, results)) {
    return { ...cohortView(contractId, before, from), reoffending: payment, changed: false };
  }
  const cohort: Cohort = {
    ...before,
    revision: before.revision + 1,
    results,
    resultsVersion: before.resultsVersion + 1,
    reoffendingPence: payment.pence,
    resultsAt: now.toISOString(),
    resultsBy: user.sub,
  };
  await writeAudited(deps, {
    contractId,
    actor: user.sub,
    action: 'outcomes.results.set',
    resource: `contract/${contractId}/cohorts/${period}/results/${cohort.resultsVersion}`,
    at: now,
    items: deps.paymentByResults.resultsItems(contractId, cohort, before),
    onRefused: (codes) =>
      codes.includes('ConditionalCheckFailed')
        ? new ConflictError(`Someone else changed the cohort of ${period} at the same moment. Look again.`)
        : undefined,
  });
  return { ...cohortView(contractId, cohort, from), reoffending: payment, changed: true };
}

/**
 * Every cohort of the contract, in period order (the prime's members and commissioners).
 * @throws NotFoundError
 */
export async function listCohorts(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
): Promise<CohortView[]> {
  const { relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanReadOutcomes(relation, contractId);
  const [cohorts, versions] = await Promise.all([
    deps.paymentByResults.cohorts(contractId),
    deps.paymentByResults.mechanisms(contractId),
  ]);
  return cohortViews(contractId, cohorts, versions);
}

/** The API views of a contract's cohorts, each with the day its results may be entered from (pure). */
export function cohortViews(
  contractId: string,
  cohorts: readonly Cohort[],
  versions: readonly StoredMechanism[],
): CohortView[] {
  return cohorts.map((c) => cohortView(contractId, c, resultsFrom(versions, c.period)));
}
