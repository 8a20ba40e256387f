/**
 * Shares of outcome payments a prime passes on to its sub-contractors (pure; issue 18): the rules of a set
 * of shares, and what each share comes to.
 *
 * A share is a standing percentage of one kind of outcome payment – a proxy outcome of the mechanism (by its
 * id) or the re-offending payment (`REOFFENDING`) – passed to one registered sub-contractor. The upfront
 * share is a fee for service, not an outcome, so it is never shared here. For each kind, the shares of all
 * sub-contractors together come to at most 100%.
 *
 * What a share comes to: `percent × what that kind of payment was paid to date, after the cap`. The cap
 * (`payments.ts`) pays a period's re-offending first and then proxy outcomes, so:
 * - the re-offending kind is paid, per period, exactly the statement's `reoffendingPence`;
 * - a proxy outcome is paid, per period, its own lines (`validated × tariff × multiplier` per tier, as in
 *   `proxyPayment`) pro-rated by what the cap left of the period's proxy payment:
 *   `earned(outcome) × proxy paid ÷ proxy earned`. Without a cap that is just what it earned, and over the
 *   outcomes of a period the pro-rated amounts add up exactly to the statement's proxy payment.
 *
 * ROUNDING (the rule of `payments.ts`): each figure is computed exactly, as a fraction of whole numbers
 * (BigInt), and rounded once, half up, to a whole penny. The lines here are one kind's payment to date
 * (the sum of its exact per-period amounts, rounded once) and one share of it (`percent` in hundredths ×
 * the same exact sum ÷ 10,000, rounded once) – so a 100% share is exactly the kind's payment, and a share is
 * never more than it.
 */
import type { FieldIssue } from '../errors';
import { ValidationError } from '../errors';
import {
  hasAtMostTwoDecimals,
  hundredths,
  type MechanismVersion,
  mechanismFor,
  RISK_TIERS,
  type RiskTier,
} from './mechanism';
import {
  PaymentOutOfRangeError,
  type PeriodActivity,
  proxyPaymentPence,
  reoffendingPayment,
  roundHalfUp,
  type Statement,
  statement,
} from './payments';

/** The kind of outcome payment that is the re-offending payment (every other kind is a proxy outcome id). */
export const REOFFENDING = 'reoffending';

/** The most shares in one set: each registered sub-contractor (40) times each kind (20 proxies + 1). */
export const MAX_OUTCOME_SHARES = 840;

/** One share as a prime records it. */
export interface OutcomeShareInput {
  providerId: string;
  /** A proxy outcome id of the mechanism in force, or `REOFFENDING`. */
  outcome: string;
  /** 0–100, at most two decimals; 0 is the same as no share. */
  percent: number;
}

/** One share, checked. */
export interface OutcomeShare {
  providerId: string;
  outcome: string;
  percent: number;
}

/** A set of shares that cannot be right: every problem listed with its path (`shares.3.percent`). */
export class InvalidOutcomeSharesError extends ValidationError {
  constructor(issues: FieldIssue[]) {
    super('The shares of outcome payments are not valid', issues);
  }
}

/**
 * Validates a prime's shares of outcome payments, reporting every problem at once: each names a registered
 * sub-contractor of the contract's supply chain and a kind of outcome payment of the mechanism in force,
 * once; each percent is 0–100 with at most two decimals; and no kind is passed on more than 100%.
 * Shares of 0% are dropped (no share). The result is in a stable order (provider, then kind).
 * @param context.subcontractors the registered providers of the supply chain (provider ids).
 * @param context.outcomes the kinds that may be shared: the proxy outcome ids in force and `REOFFENDING`.
 * @throws InvalidOutcomeSharesError listing each problem.
 */
export function parseOutcomeShares(
  input: readonly OutcomeShareInput[],
  context: { subcontractors: ReadonlySet<string>; outcomes: ReadonlySet<string> },
): OutcomeShare[] {
  const issues: FieldIssue[] = [];
  if (!Array.isArray(input)) {
    throw new InvalidOutcomeSharesError([{ path: 'shares', message: 'Must be a list' }]);
  }
  if (input.length > MAX_OUTCOME_SHARES) {
    throw new InvalidOutcomeSharesError([
      { path: 'shares', message: `Record at most ${MAX_OUTCOME_SHARES} shares` },
    ]);
  }
  const seen = new Set<string>();
  const totals = new Map<string, bigint>();
  const shares: OutcomeShare[] = [];
  input.forEach((share, index) => {
    const path = `shares.${index}`;
    const before = issues.length;
    const providerId = share?.providerId;
    const outcome = share?.outcome;
    const percent = share?.percent;
    if (typeof providerId !== 'string' || !context.subcontractors.has(providerId)) {
      issues.push({
        path: `${path}.providerId`,
        message: "Not a registered sub-contractor in this contract's supply chain",
      });
    }
    if (typeof outcome !== 'string' || !context.outcomes.has(outcome)) {
      issues.push({
        path: `${path}.outcome`,
        message: `Not an outcome payment of the mechanism in force: use ${[...context.outcomes].join(', ')}`,
      });
    }
    if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
      issues.push({ path: `${path}.percent`, message: 'Must be a percentage from 0 to 100' });
    } else if (!hasAtMostTwoDecimals(percent)) {
      issues.push({ path: `${path}.percent`, message: 'Use at most two decimal places' });
    }
    if (issues.length > before) return;
    const key = `${providerId} ${outcome}`;
    if (seen.has(key)) {
      issues.push({ path, message: 'Give each sub-contractor one share of each outcome payment' });
      return;
    }
    seen.add(key);
    if (percent === 0) return;
    totals.set(outcome as string, (totals.get(outcome as string) ?? 0n) + hundredths(percent as number));
    shares.push({ providerId: providerId as string, outcome: outcome as string, percent: percent as number });
  });
  for (const [outcome, total] of totals) {
    if (total > 10_000n) {
      issues.push({
        path: 'shares',
        message: `The shares of ${outcome} come to ${Number(total) / 100}%: together they can be at most 100%`,
      });
    }
  }
  if (issues.length > 0) throw new InvalidOutcomeSharesError(issues);
  return shares.sort((a, b) =>
    a.providerId === b.providerId
      ? a.outcome < b.outcome
        ? -1
        : a.outcome > b.outcome
          ? 1
          : 0
      : a.providerId < b.providerId
        ? -1
        : 1,
  );
}

/**
 * The kinds of outcome payment a prime may share under a mechanism version: its proxy outcome ids, then
 * `REOFFENDING` (every mechanism has a re-offending measure).
 */
export function shareableOutcomes(terms: Pick<MechanismVersion, 'proxyOutcomes'>): string[] {
  return [...terms.proxyOutcomes.map((o) => o.id).filter((id) => id !== REOFFENDING), REOFFENDING];
}

/** An exact non-negative fraction of pence. */
interface Fraction {
  numerator: bigint;
  denominator: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = a;
  let y = b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function add(a: Fraction, b: Fraction): Fraction {
  const numerator = a.numerator * b.denominator + b.numerator * a.denominator;
  const denominator = a.denominator * b.denominator;
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

function toPence(pence: bigint): number {
  if (pence > BigInt(Number.MAX_SAFE_INTEGER)) throw new PaymentOutOfRangeError();
  return Number(pence);
}

/** One kind of outcome payment to date. */
export interface OutcomePayment {
  /** A proxy outcome id or `REOFFENDING`. */
  outcome: string;
  /** What it earned before the cap (whole pence: a sum of payment lines). */
  earnedPence: number;
  /** What it was paid after the cap, rounded once (see the module comment). */
  paidPence: number;
}

/** Each kind of outcome payment to date, with the exact amounts the shares are taken from. */
export interface OutcomePayments {
  statement: Statement;
  outcomes: OutcomePayment[];
  /** The exact amount paid per kind (internal to the share arithmetic). */
  exact: ReadonlyMap<string, Fraction>;
}

/**
 * What each kind of outcome payment earned and was paid to date: the statement (`payments.ts statement`,
 * the same input), broken down by proxy outcome and re-offending (see the module comment). Kinds appear in
 * the order first met (periods in order, outcomes by id), re-offending last; a kind appears once it has a
 * validated participant or results.
 * @throws the errors of `statement`.
 */
export function outcomePayments(input: Parameters<typeof statement>[0]): OutcomePayments {
  const computed = statement(input);
  const activity = new Map<string, PeriodActivity>((input.periods ?? []).map((p) => [p.period, p]));
  const earned = new Map<string, bigint>();
  const exact = new Map<string, Fraction>();
  const credit = (outcome: string, earnedPence: bigint, paid: Fraction) => {
    earned.set(outcome, (earned.get(outcome) ?? 0n) + earnedPence);
    exact.set(outcome, add(exact.get(outcome) ?? { numerator: 0n, denominator: 1n }, paid));
  };
  let reoffendingEarned = 0n;
  let reoffendingPaid = 0n;
  let hasReoffending = false;
  for (const period of computed.periods) {
    const entry = activity.get(period.period);
    const terms = mechanismFor(input.versions, period.period);
    if (!entry || !terms) continue;
    if (entry.results) {
      hasReoffending = true;
      reoffendingPaid += BigInt(period.reoffendingPence);
      reoffendingEarned += BigInt(reoffendingPayment(terms, entry.results).pence);
    }
    // Each outcome's lines, one per tier, exactly as `proxyPayment` values them (counts summed per tier).
    const tariffs = new Map(terms.proxyOutcomes.map((o) => [o.id, o.tariffPence]));
    const validated = new Map<string, number>();
    for (const count of entry.proxy ?? []) {
      const key = `${count.outcomeId}|${count.tier}`;
      validated.set(key, (validated.get(key) ?? 0) + count.validated);
    }
    const byOutcome = new Map<string, bigint>();
    for (const [key, participants] of [...validated].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const [outcomeId, tier] = key.split('|') as [string, RiskTier];
      const tariff = tariffs.get(outcomeId);
      if (tariff === undefined || !(RISK_TIERS as readonly string[]).includes(tier)) continue;
      const line = BigInt(proxyPaymentPence(tariff, participants, terms.tierMultipliers[tier]));
      byOutcome.set(outcomeId, (byOutcome.get(outcomeId) ?? 0n) + line);
    }
    const proxyEarned = [...byOutcome.values()].reduce((sum, n) => sum + n, 0n);
    const proxyPaid = BigInt(period.proxyPence);
    for (const [outcomeId, line] of byOutcome) {
      credit(
        outcomeId,
        line,
        proxyEarned === 0n
          ? { numerator: 0n, denominator: 1n }
          : { numerator: line * proxyPaid, denominator: proxyEarned },
      );
    }
  }
  // Re-offending is never pro-rated: the cap takes it first, so the statement's figure is what it was paid.
  if (hasReoffending) {
    exact.set(REOFFENDING, { numerator: reoffendingPaid, denominator: 1n });
    earned.set(REOFFENDING, reoffendingEarned);
  }
  const outcomes = [...exact].map(([outcome, paid]) => ({
    outcome,
    earnedPence: toPence(earned.get(outcome) ?? 0n),
    paidPence: toPence(roundHalfUp(paid.numerator, paid.denominator)),
  }));
  outcomes.sort((a, b) => (a.outcome === REOFFENDING ? 1 : b.outcome === REOFFENDING ? -1 : 0));
  return { statement: computed, outcomes, exact };
}

/**
 * What a share comes to to date: `percent × the kind's exact payment to date`, rounded once, half up. A
 * kind with nothing paid yet (or unknown) comes to zero.
 */
export function shareAmountPence(
  payments: Pick<OutcomePayments, 'exact'>,
  outcome: string,
  percent: number,
): number {
  const paid = payments.exact.get(outcome);
  if (!paid) return 0;
  return toPence(roundHalfUp(paid.numerator * hundredths(percent), paid.denominator * 10_000n));
}
