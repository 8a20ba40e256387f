/**
 * Payment-by-results arithmetic (pure): what a contract's mechanism (`mechanism.ts`) pays for a period –
 * the upfront share, proxy outcomes, reduced re-offending – the cap per contract year, and the statement.
 *
 * THE ROUNDING RULE (the only one; every figure here follows it):
 *   Each payment line is computed exactly, as a fraction of whole numbers (BigInt: pence, counts, and the
 *   mechanism's decimals as whole hundredths – never a floating-point number), then rounded ONCE to a whole
 *   penny, half a penny going up. Everything after that (a period's proxy or re-offending payment, caps,
 *   totals) is sums and differences of whole pence, so the figures shown always add up.
 *   A payment line is:
 *   - upfront: one period's upfront share;
 *   - proxy: one proxy outcome in one risk tier in one period (all its validated participants together, so
 *     how the participants were split between claims never changes the payment);
 *   - re-offending: one measure (binary or frequency) in one risk tier of one period's cohort.
 *   Every amount is at least zero, so "half up" is also "half away from zero".
 *
 * The formulas (DESIGN.md §3b, issue 18), per risk tier, with m the tier's multiplier:
 * - binary: `max(0, baseline rate − actual rate) × cohort size × tariff × m` (reoffenders prevented);
 * - frequency: `max(0, baseline frequency × cohort size − actual reoffences) × tariff × m` (reoffences
 *   prevented);
 * - proxy: `validated participants × tariff × m`;
 * - upfront: `contract value × upfront percent × (days of the contract in the period ÷ days of the
 *   contract)`. The contract value is the whole term's, and first and last quarters are often part-quarters,
 *   so the share is by day: over a whole term the upfront shares come to the percent of the value (to within
 *   half a penny per period), whatever the term, and each quarter's share uses the percent in force for it.
 *
 * Caps: a mechanism's `capPencePerYear` limits outcome payments (proxy + re-offending) in a contract year –
 * the upfront share is a fee for service, not an outcome, and is never cut. A period belongs to the contract
 * year in which it begins (its first day, or the contract's first day if later; years run from the contract's
 * start date). Periods are taken in order; each is paid what is left of its year's cap in force for that
 * period, re-offending first (it is what the mechanism ultimately pays for; proxies are the interim measure),
 * then proxy. What was cut is shown per period (`cutPence`, `capReached`); nothing is ever clawed back, so a
 * lower cap from a later version only stops further payments that year.
 *
 * Which terms apply: a period's upfront share, proxy claims and cohort are valued under the version in force
 * for that period (`mechanismFor`), so a later change never reaches back.
 */
import type { Contract } from '../contracts';
import { DomainError, type FieldIssue, InvalidStateError, ValidationError } from '../errors';
import { daysBetween, type Period, periodBounds } from '../subcontracting/dates';
import {
  asPeriod,
  type BinaryMeasure,
  contractQuarters,
  type FrequencyMeasure,
  hundredths,
  type MechanismTerms,
  type MechanismVersion,
  mechanismFor,
  quartersBetween,
  RISK_TIERS,
  type RiskTier,
} from './mechanism';

/** The largest cohort in one risk tier of one period. */
export const MAX_COHORT_SIZE = 100_000;
/** The most reoffences one tier of one cohort may report. */
export const MAX_REOFFENCES = 10_000_000;
/** The most participants counted for one proxy outcome in one tier of one period. */
export const MAX_PROXY_COUNT = 1_000_000;

/** One risk tier's proven results after the follow-up period. */
export interface TierResult {
  size: number;
  reoffenders: number;
  reoffences: number;
}

/** A cohort's proven results, by risk tier (a tier absent had no one in it). */
export type CohortResults = Partial<Record<RiskTier, TierResult>>;

/** A cohort's size by risk tier (counts only: nothing about any person). */
export type CohortSizes = Partial<Record<RiskTier, { size: number }>>;

/** Participants claimed and validated for one proxy outcome in one tier (claims summed on write). */
export interface ProxyCount {
  outcomeId: string;
  tier: string;
  claimed: number;
  validated: number;
}

/** What happened in one period: the proxy counts and, once proven, its cohort's results. */
export interface PeriodActivity {
  period: string;
  proxy?: readonly ProxyCount[] | undefined;
  results?: CohortResults | undefined;
}

/** Cohort sizes or results that cannot be right: every problem listed, with its path (`tiers.high.size`). */
export class InvalidCohortError extends ValidationError {
  constructor(issues: FieldIssue[]) {
    super('The cohort figures are not valid', issues);
  }
}

/** A proxy count names an outcome the mechanism in force for its period does not have. */
export class UnknownOutcomeError extends ValidationError {
  constructor(outcomeId: string, period: string, path = 'outcomeId') {
    super(`The mechanism in force for ${period} has no proxy outcome ${outcomeId}`, [
      { path, message: `Not a proxy outcome of the mechanism in force for ${period}` },
    ]);
  }
}

/** A risk tier that is not one of `RISK_TIERS`. */
export class UnknownTierError extends ValidationError {
  constructor(path = 'tier') {
    super('Not a risk tier', [{ path, message: `Use one of ${RISK_TIERS.join(', ')}` }]);
  }
}

/** Activity given for a period outside the statement, or twice for one period. */
export class InvalidStatementError extends ValidationError {}

/** Claims or results for a period before the contract's first mechanism version: nothing can be paid. */
export class NoMechanismInForceError extends InvalidStateError {
  constructor(period: string) {
    super(`No payment mechanism is in force for ${period}: set one from that quarter or earlier first`);
  }
}

/**
 * A payment would not fit an exact JavaScript integer (about £90 trillion): only absurd inputs get here (the
 * bounds keep every real figure far below), and an inexact figure is never returned instead.
 */
export class PaymentOutOfRangeError extends DomainError {
  override readonly name = 'PaymentOutOfRangeError';
  readonly code = 'validation';
  constructor() {
    super('The payment is too large to compute exactly: check the tariffs, multipliers and counts');
  }
}

/** Rounds `numerator / denominator` (both at least zero) to the nearest whole number, half up. */
export function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** BigInt pence to a `number`, refusing anything a `number` cannot hold exactly. */
function toPence(pence: bigint): number {
  if (pence > BigInt(Number.MAX_SAFE_INTEGER)) throw new PaymentOutOfRangeError();
  return Number(pence);
}

const max0 = (value: bigint): bigint => (value > 0n ? value : 0n);

/**
 * The binary payment for one tier: `max(0, baseline rate − actual rate) × size × tariff × multiplier`.
 * With the rate in basis points b (percent × 100) and r reoffenders of n, that is exactly
 * `max(0, b·n − 10000·r) × tariff × (multiplier × 100) / 1,000,000`, rounded half up.
 */
export function binaryPaymentPence(measure: BinaryMeasure, result: TierResult, multiplier: number): number {
  const preventedTimes10000 = max0(
    hundredths(measure.baselineRatePercent) * BigInt(result.size) - 10_000n * BigInt(result.reoffenders),
  );
  return toPence(
    roundHalfUp(preventedTimes10000 * BigInt(measure.tariffPence) * hundredths(multiplier), 1_000_000n),
  );
}

/**
 * The frequency payment for one tier: `max(0, baseline per person × size − reoffences) × tariff × multiplier`;
 * with the baseline in hundredths f, exactly `max(0, f·n − 100·reoffences) × tariff × (multiplier × 100) /
 * 10,000`, rounded half up.
 */
export function frequencyPaymentPence(
  measure: FrequencyMeasure,
  result: TierResult,
  multiplier: number,
): number {
  const preventedTimes100 = max0(
    hundredths(measure.baselinePerPerson) * BigInt(result.size) - 100n * BigInt(result.reoffences),
  );
  return toPence(
    roundHalfUp(preventedTimes100 * BigInt(measure.tariffPence) * hundredths(multiplier), 10_000n),
  );
}

/** A proxy payment line: `participants × tariff × multiplier`, rounded half up. */
export function proxyPaymentPence(tariffPence: number, participants: number, multiplier: number): number {
  return toPence(roundHalfUp(BigInt(participants) * BigInt(tariffPence) * hundredths(multiplier), 100n));
}

function isTier(value: string): value is RiskTier {
  return (RISK_TIERS as readonly string[]).includes(value);
}

function countIssue(path: string, value: unknown, max: number, issues: FieldIssue[]): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    issues.push({ path, message: `Must be a whole number from 0 to ${max}` });
    return false;
  }
  return true;
}

/** The tier keys of a cohort body, checked: every key a known tier (problems added to `issues`). */
function tierEntries<T>(tiers: Readonly<Record<string, T>>, issues: FieldIssue[]): [RiskTier, T][] {
  if (typeof tiers !== 'object' || tiers === null) {
    issues.push({ path: 'tiers', message: 'Give the figures by risk tier' });
    return [];
  }
  const entries: [RiskTier, T][] = [];
  for (const [key, value] of Object.entries(tiers)) {
    if (isTier(key)) entries.push([key, value]);
    else issues.push({ path: `tiers.${key}`, message: `Not a risk tier: use ${RISK_TIERS.join(', ')}` });
  }
  return entries;
}

/**
 * Validates a period's cohort sizes by risk tier (`PUT /contracts/{id}/cohorts/{period}`).
 * @throws InvalidCohortError listing every problem.
 */
export function parseCohortSizes(input: { tiers: Readonly<Record<string, { size: number }>> }): CohortSizes {
  const issues: FieldIssue[] = [];
  const sizes: CohortSizes = {};
  for (const [tier, value] of tierEntries(input.tiers, issues)) {
    if (countIssue(`tiers.${tier}.size`, value?.size, MAX_COHORT_SIZE, issues))
      sizes[tier] = { size: value.size };
  }
  if (issues.length > 0) throw new InvalidCohortError(issues);
  return sizes;
}

/**
 * Validates a cohort's proven results by risk tier: whole numbers within bounds, no more reoffenders than
 * members, at least one reoffence per reoffender and none without a reoffender.
 * @throws InvalidCohortError listing every problem.
 */
export function parseCohortResults(input: { tiers: Readonly<Record<string, TierResult>> }): CohortResults {
  const issues: FieldIssue[] = [];
  const results: CohortResults = {};
  for (const [tier, value] of tierEntries(input.tiers, issues)) {
    const path = `tiers.${tier}`;
    const sizeOk = countIssue(`${path}.size`, value?.size, MAX_COHORT_SIZE, issues);
    const reoffendersOk = countIssue(`${path}.reoffenders`, value?.reoffenders, MAX_COHORT_SIZE, issues);
    const reoffencesOk = countIssue(`${path}.reoffences`, value?.reoffences, MAX_REOFFENCES, issues);
    if (!sizeOk || !reoffendersOk || !reoffencesOk) continue;
    const before = issues.length;
    if (value.reoffenders > value.size) {
      issues.push({ path: `${path}.reoffenders`, message: 'Cannot be more than the cohort size' });
    }
    if (value.reoffences < value.reoffenders) {
      issues.push({ path: `${path}.reoffences`, message: 'Each reoffender has at least one reoffence' });
    }
    if (value.reoffenders === 0 && value.reoffences > 0) {
      issues.push({ path: `${path}.reoffences`, message: 'Reoffences need at least one reoffender' });
    }
    if (issues.length === before) {
      results[tier] = { size: value.size, reoffenders: value.reoffenders, reoffences: value.reoffences };
    }
  }
  if (issues.length > 0) throw new InvalidCohortError(issues);
  return results;
}

/** One tier's re-offending payment lines. */
export interface TierReoffendingPayment {
  binaryPence: number;
  frequencyPence: number;
}

/**
 * A cohort's re-offending payment under the terms in force for its period: per tier, each measure the
 * mechanism has, and their sum.
 */
export function reoffendingPayment(
  terms: Pick<MechanismTerms, 'reoffending' | 'tierMultipliers'>,
  results: CohortResults,
): { pence: number; tiers: Partial<Record<RiskTier, TierReoffendingPayment>> } {
  const tiers: Partial<Record<RiskTier, TierReoffendingPayment>> = {};
  let total = 0n;
  for (const tier of RISK_TIERS) {
    const result = results[tier];
    if (!result) continue;
    const multiplier = terms.tierMultipliers[tier];
    const { binary, frequency } = terms.reoffending;
    const line = {
      binaryPence: binary ? binaryPaymentPence(binary, result, multiplier) : 0,
      frequencyPence: frequency ? frequencyPaymentPence(frequency, result, multiplier) : 0,
    };
    tiers[tier] = line;
    total += BigInt(line.binaryPence) + BigInt(line.frequencyPence);
  }
  return { pence: toPence(total), tiers };
}

/**
 * A period's proxy payments under the terms in force for it: participants summed per outcome and tier, then
 * one line each (so the split into claims never matters). `claimedPence` is what every claimed participant
 * would pay, `validatedPence` what the validated ones do.
 * @throws UnknownOutcomeError, UnknownTierError, InvalidCohortError for counts that cannot be right.
 */
export function proxyPayment(
  terms: Pick<MechanismTerms, 'proxyOutcomes' | 'tierMultipliers' | 'fromPeriod'>,
  counts: readonly ProxyCount[],
  period: string = terms.fromPeriod,
): { claimedPence: number; validatedPence: number } {
  const tariffs = new Map(terms.proxyOutcomes.map((outcome) => [outcome.id, outcome.tariffPence]));
  const groups = new Map<
    string,
    { tariffPence: number; tier: RiskTier; claimed: number; validated: number }
  >();
  counts.forEach((count, index) => {
    const tariffPence = tariffs.get(count.outcomeId);
    if (tariffPence === undefined)
      throw new UnknownOutcomeError(count.outcomeId, period, `proxy.${index}.outcomeId`);
    if (!isTier(count.tier)) throw new UnknownTierError(`proxy.${index}.tier`);
    const issues: FieldIssue[] = [];
    countIssue(`proxy.${index}.claimed`, count.claimed, MAX_PROXY_COUNT, issues);
    countIssue(`proxy.${index}.validated`, count.validated, MAX_PROXY_COUNT, issues);
    if (issues.length === 0 && count.validated > count.claimed) {
      issues.push({
        path: `proxy.${index}.validated`,
        message: 'Cannot be more than the participants claimed',
      });
    }
    if (issues.length > 0) throw new InvalidCohortError(issues);
    const key = `${count.outcomeId} ${count.tier}`;
    const group = groups.get(key) ?? { tariffPence, tier: count.tier, claimed: 0, validated: 0 };
    group.claimed += count.claimed;
    group.validated += count.validated;
    groups.set(key, group);
  });
  let claimed = 0n;
  let validated = 0n;
  for (const group of groups.values()) {
    const multiplier = terms.tierMultipliers[group.tier];
    claimed += BigInt(proxyPaymentPence(group.tariffPence, group.claimed, multiplier));
    validated += BigInt(proxyPaymentPence(group.tariffPence, group.validated, multiplier));
  }
  return { claimedPence: toPence(claimed), validatedPence: toPence(validated) };
}

/**
 * A period's upfront share: `value × percent × (contract days in the period ÷ contract days)`, rounded half
 * up; zero for a period outside the contract.
 */
export function upfrontPence(
  contract: Pick<Contract, 'valuePence' | 'startDate' | 'endDate'>,
  terms: Pick<MechanismTerms, 'upfrontPercent'>,
  period: string,
): number {
  const bounds = periodBounds(asPeriod(period));
  if (!bounds) return 0;
  const from = bounds.start > contract.startDate ? bounds.start : contract.startDate;
  const to = bounds.end < contract.endDate ? bounds.end : contract.endDate;
  if (to < from) return 0;
  const overlap = BigInt(daysBetween(from, to) + 1);
  const term = BigInt(daysBetween(contract.startDate, contract.endDate) + 1);
  return toPence(
    roundHalfUp(BigInt(contract.valuePence) * hundredths(terms.upfrontPercent) * overlap, 10_000n * term),
  );
}

/**
 * The contract year (1, 2, …) a period counts towards: the one in which it begins – its first day, or the
 * contract's first day if later. Year n starts on the (n−1)th anniversary of the start date (a 29 February
 * start has its anniversaries on 1 March in other years).
 */
export function contractYearOf(contract: Pick<Contract, 'startDate'>, period: string): number {
  const bounds = periodBounds(asPeriod(period));
  if (!bounds) return 1;
  const day = bounds.start > contract.startDate ? bounds.start : contract.startDate;
  const years =
    Number(day.slice(0, 4)) -
    Number(contract.startDate.slice(0, 4)) -
    (day.slice(5) < contract.startDate.slice(5) ? 1 : 0);
  return years + 1;
}

/** A period's outcome payments before the cap, and the cap in force for it. */
export interface EarnedOutcomes {
  period: string;
  contractYear: number;
  capPencePerYear?: number | undefined;
  proxyPence: number;
  reoffendingPence: number;
}

/** A period's outcome payments after the cap. */
export interface CappedOutcomes {
  period: string;
  contractYear: number;
  proxyPence: number;
  reoffendingPence: number;
  /** What the cap took off this period's outcome payments. */
  cutPence: number;
  /** The year's cap is used up after this period (nothing more is paid for outcomes this contract year). */
  capReached: boolean;
}

/**
 * Applies the caps per contract year in the order given (period order): each period gets what is left of
 * its year's cap in force for it, re-offending first, then proxy; what does not fit is cut, never carried.
 */
export function applyCaps(rows: readonly EarnedOutcomes[]): CappedOutcomes[] {
  const paidByYear = new Map<number, bigint>();
  return rows.map((row) => {
    const paidBefore = paidByYear.get(row.contractYear) ?? 0n;
    const proxy = BigInt(row.proxyPence);
    const reoffending = BigInt(row.reoffendingPence);
    const earned = proxy + reoffending;
    if (row.capPencePerYear === undefined) {
      paidByYear.set(row.contractYear, paidBefore + earned);
      return {
        ...pick(row),
        proxyPence: row.proxyPence,
        reoffendingPence: row.reoffendingPence,
        cutPence: 0,
        capReached: false,
      };
    }
    const cap = BigInt(row.capPencePerYear);
    const headroom = max0(cap - paidBefore);
    const paid = earned < headroom ? earned : headroom;
    const reoffendingPaid = reoffending < paid ? reoffending : paid;
    paidByYear.set(row.contractYear, paidBefore + paid);
    return {
      ...pick(row),
      reoffendingPence: toPence(reoffendingPaid),
      proxyPence: toPence(paid - reoffendingPaid),
      cutPence: toPence(earned - paid),
      capReached: paidBefore + paid >= cap,
    };
  });
}

function pick(row: EarnedOutcomes): { period: string; contractYear: number } {
  return { period: row.period, contractYear: row.contractYear };
}

/** One period of the statement. */
export interface StatementPeriod {
  period: Period;
  contractYear: number;
  /** The mechanism version in force, or null before the first. */
  mechanismVersion: number | null;
  upfrontPence: number;
  /** What every claimed participant would pay, before validation and the cap. */
  proxyClaimedPence: number;
  /** Validated proxy outcomes, after the cap. */
  proxyPence: number;
  /** Re-offending payment for the period's cohort (zero until its results are in), after the cap. */
  reoffendingPence: number;
  cutPence: number;
  capReached: boolean;
  totalPence: number;
}

/** The statement: every period of the contract up to `through`, and the totals to date. */
export interface Statement {
  periods: StatementPeriod[];
  totals: {
    upfrontPence: number;
    proxyClaimedPence: number;
    proxyPence: number;
    reoffendingPence: number;
    cutPence: number;
    totalPence: number;
    /** The contract value the totals are set against. */
    contractValuePence: number;
  };
}

/**
 * The payment statement (API.md `GET /contracts/{id}/outcome-statement`): every quarter of the contract
 * from its first through `through` (or the contract's last, if sooner), each valued under the version in
 * force for it, caps applied in period order, and the totals to date.
 * @param input.versions the contract's mechanism versions.
 * @param input.periods proxy counts and cohort results by period; a period may appear once, and only within
 *   the statement.
 * @throws InvalidStatementError for activity outside the statement or twice for a period;
 *   NoMechanismInForceError for activity in a period before the first version; the errors of
 *   `proxyPayment` for bad counts.
 */
export function statement(input: {
  contract: Pick<Contract, 'valuePence' | 'startDate' | 'endDate'>;
  versions: readonly MechanismVersion[];
  through: string;
  periods?: readonly PeriodActivity[] | undefined;
}): Statement {
  const { contract, versions } = input;
  const quarters = contractQuarters(contract);
  const through = asPeriod(input.through, 'through');
  const covered = quartersBetween(quarters.first, through < quarters.last ? through : quarters.last);
  const coveredSet = new Set<string>(covered);
  const activity = new Map<string, PeriodActivity>();
  (input.periods ?? []).forEach((entry, index) => {
    const path = `periods.${index}.period`;
    asPeriod(entry.period, path);
    if (!coveredSet.has(entry.period)) {
      throw new InvalidStatementError(`${entry.period} is not in the statement`, [
        {
          path,
          message: `Use a quarter from ${covered[0] ?? quarters.first} to ${covered.at(-1) ?? through}`,
        },
      ]);
    }
    if (activity.has(entry.period)) {
      throw new InvalidStatementError(`${entry.period} is given twice`, [
        { path, message: 'Give each period once' },
      ]);
    }
    activity.set(entry.period, entry);
  });

  const earned = covered.map((period) => {
    const terms = mechanismFor(versions, period);
    const entry = activity.get(period);
    const hasActivity = (entry?.proxy?.length ?? 0) > 0 || entry?.results !== undefined;
    if (!terms) {
      if (hasActivity) throw new NoMechanismInForceError(period);
      return { period, terms, upfront: 0, proxyClaimed: 0, proxy: 0, reoffending: 0 };
    }
    const proxy = proxyPayment(terms, entry?.proxy ?? [], period);
    return {
      period,
      terms,
      upfront: upfrontPence(contract, terms, period),
      proxyClaimed: proxy.claimedPence,
      proxy: proxy.validatedPence,
      reoffending: entry?.results ? reoffendingPayment(terms, entry.results).pence : 0,
    };
  });
  const capped = applyCaps(
    earned.map((row) => ({
      period: row.period,
      contractYear: contractYearOf(contract, row.period),
      capPencePerYear: row.terms?.capPencePerYear,
      proxyPence: row.proxy,
      reoffendingPence: row.reoffending,
    })),
  );

  const totals = { upfront: 0n, proxyClaimed: 0n, proxy: 0n, reoffending: 0n, cut: 0n };
  const periods = earned.map((row, index): StatementPeriod => {
    const after = capped[index] as CappedOutcomes;
    totals.upfront += BigInt(row.upfront);
    totals.proxyClaimed += BigInt(row.proxyClaimed);
    totals.proxy += BigInt(after.proxyPence);
    totals.reoffending += BigInt(after.reoffendingPence);
    totals.cut += BigInt(after.cutPence);
    return {
      period: row.period,
      contractYear: after.contractYear,
      mechanismVersion: row.terms?.version ?? null,
      upfrontPence: row.upfront,
      proxyClaimedPence: row.proxyClaimed,
      proxyPence: after.proxyPence,
      reoffendingPence: after.reoffendingPence,
      cutPence: after.cutPence,
      capReached: after.capReached,
      totalPence: toPence(BigInt(row.upfront) + BigInt(after.proxyPence) + BigInt(after.reoffendingPence)),
    };
  });
  return {
    periods,
    totals: {
      upfrontPence: toPence(totals.upfront),
      proxyClaimedPence: toPence(totals.proxyClaimed),
      proxyPence: toPence(totals.proxy),
      reoffendingPence: toPence(totals.reoffending),
      cutPence: toPence(totals.cut),
      totalPence: toPence(totals.upfront + totals.proxy + totals.reoffending),
      contractValuePence: contract.valuePence,
    },
  };
}
