/**
 * A contract's payment-by-results mechanism (pure): the terms a commissioner sets (DESIGN.md §3b, API.md
 * "Payment by results") and the versions they form over time.
 *
 * The terms, as the Justice Committee's graduated, differentiated payment describes them:
 * - an upfront share (fee for service): a percent of the contract value, paid by period;
 * - proxy (interim) outcomes, each with a tariff per validated participant;
 * - re-offending outcomes against a baseline – binary (share of a cohort who reoffend) and/or frequency
 *   (reoffences per cohort member) – each with a tariff per reoffender or reoffence prevented, judged after a
 *   follow-up period;
 * - a multiplier per risk tier on every tariff, so the hardest cases pay most;
 * - optionally a cap per contract year on outcome payments.
 *
 * Periods are calendar quarters written `YYYY-Qn` (Q1 = January–March), the same as spend returns
 * (`../subcontracting/dates`).
 *
 * Versions: every change is a new version that applies from its `fromPeriod` onward, never to a period
 * before it. `fromPeriod` never goes back from one version to the next, so the version in force for a period
 * is simply the latest version that starts at or before it (`mechanismFor`). The first version may start at
 * any quarter of the contract (nothing has been paid under a mechanism before it); every later version must
 * start at a quarter that has not begun, so no claim already made is valued under terms its maker did not see.
 *
 * Numbers with decimals (percents, baselines, multipliers) carry at most two decimals, so each is an exact
 * whole number of hundredths: the payment arithmetic (`payments.ts`) works on those integers, never floats.
 */
import type { Contract } from '../contracts';
import { type FieldIssue, ValidationError } from '../errors';
import { PERIOD_PATTERN, type Period, periodBounds, periodOf } from '../subcontracting/dates';

/** The risk tiers, lowest first: every tariff is multiplied by the tier's multiplier. */
export const RISK_TIERS = ['low', 'medium', 'high', 'very_high'] as const;

/** A participant's (or a cohort's) risk tier. */
export type RiskTier = (typeof RISK_TIERS)[number];

/** The most proxy outcomes one mechanism may name. */
export const MAX_PROXY_OUTCOMES = 20;
/** The longest proxy-outcome id (`[A-Za-z0-9_-]`). */
export const MAX_OUTCOME_ID_LENGTH = 40;
/** The longest proxy-outcome name. */
export const MAX_OUTCOME_NAME_LENGTH = 120;
/** The largest tariff in pence: £10,000,000.00 per participant, reoffender or reoffence. */
export const MAX_TARIFF_PENCE = 1_000_000_000;
/** The largest tier multiplier. */
export const MAX_TIER_MULTIPLIER = 10;
/** The largest baseline frequency (reoffences per cohort member). */
export const MAX_BASELINE_PER_PERSON = 100;
/** The shortest and longest follow-up period, in months. */
export const MIN_FOLLOW_UP_MONTHS = 1;
export const MAX_FOLLOW_UP_MONTHS = 36;
/** The largest cap per contract year in pence: £1,000,000,000,000.00. */
export const MAX_CAP_PENCE = 100_000_000_000_000;

/** A proxy (interim) outcome and its tariff per validated participant. */
export interface ProxyOutcome {
  id: string;
  name: string;
  tariffPence: number;
}

/** The binary re-offending measure: the share of a cohort who reoffend, against a baseline rate. */
export interface BinaryMeasure {
  /** 0–100, at most two decimals. */
  baselineRatePercent: number;
  /** Per reoffender prevented. */
  tariffPence: number;
}

/** The frequency re-offending measure: reoffences per cohort member, against a baseline. */
export interface FrequencyMeasure {
  /** 0–`MAX_BASELINE_PER_PERSON`, at most two decimals. */
  baselinePerPerson: number;
  /** Per reoffence prevented. */
  tariffPence: number;
}

/** The re-offending outcomes: at least one measure, judged after the follow-up period. */
export interface ReoffendingOutcomes {
  binary?: BinaryMeasure | undefined;
  frequency?: FrequencyMeasure | undefined;
  followUpMonths: number;
}

/** The terms of a mechanism, validated (`parseMechanism`). */
export interface MechanismTerms {
  fromPeriod: Period;
  /** 0–100, at most two decimals: the share of the contract value paid up front. */
  upfrontPercent: number;
  proxyOutcomes: ProxyOutcome[];
  reoffending: ReoffendingOutcomes;
  /** Positive, at most `MAX_TIER_MULTIPLIER`, at most two decimals. */
  tierMultipliers: Record<RiskTier, number>;
  /** The most outcome payments (proxy + re-offending) paid in one contract year; absent means no cap. */
  capPencePerYear?: number | undefined;
}

/** One version of a contract's mechanism: numbered from 1, in the order they were set. */
export interface MechanismVersion extends MechanismTerms {
  version: number;
}

/** The terms as a client sends them: shapes loose enough that every problem can be reported, not thrown. */
export interface MechanismInput {
  fromPeriod: string;
  upfrontPercent: number;
  proxyOutcomes: readonly { id: string; name: string; tariffPence: number }[];
  reoffending: {
    binary?: { baselineRatePercent: number; tariffPence: number } | undefined;
    frequency?: { baselinePerPerson: number; tariffPence: number } | undefined;
    followUpMonths: number;
  };
  tierMultipliers: Readonly<Record<string, number>>;
  capPencePerYear?: number | undefined;
}

/**
 * The terms of a mechanism are not valid: every problem is listed in `issues` with its dotted path. A
 * validation problem (400 `/problems/validation`): `name` stays ValidationError's, like any other.
 */
export class InvalidMechanismError extends ValidationError {
  constructor(issues: FieldIssue[]) {
    super('The payment mechanism is not valid', issues);
  }
}

/**
 * A new version would start before a quarter that has not begun, or before the version it follows: it would
 * change what periods already under way (or paid) are worth. A validation problem on `fromPeriod`.
 */
export class RetroactiveMechanismChangeError extends ValidationError {
  constructor(message: string) {
    super(`The mechanism cannot change retroactively: ${message}`, [{ path: 'fromPeriod', message }]);
  }
}

/** A period is not a calendar quarter written `YYYY-Qn`. */
export class MalformedPeriodError extends ValidationError {
  constructor(path = 'period') {
    super('The period is not a calendar quarter', [
      { path, message: 'Use a calendar quarter like 2026-Q3 (Q1 is January to March)' },
    ]);
  }
}

/** True for a calendar quarter written `YYYY-Qn`. */
export function isPeriod(value: string): value is Period {
  return PERIOD_PATTERN.test(value);
}

/** The period, checked: a `MalformedPeriodError` (on `path`) unless it is `YYYY-Qn`. */
export function asPeriod(value: string, path = 'period'): Period {
  if (!isPeriod(value)) throw new MalformedPeriodError(path);
  return value;
}

/** The quarter after a quarter (`2025-Q4` → `2026-Q1`). */
export function nextQuarter(period: Period): Period {
  const year = Number(period.slice(0, 4));
  const quarter = Number(period.slice(-1));
  return (quarter === 4 ? `${year + 1}-Q1` : `${year}-Q${quarter + 1}`) as Period;
}

/**
 * Every quarter from `first` to `last` inclusive, in order (empty when `last` is before `first`).
 * Periods compare as strings: `YYYY-Qn` with a four-digit year sorts in time order.
 */
export function quartersBetween(first: Period, last: Period): Period[] {
  const periods: Period[] = [];
  for (let period = first; period <= last; period = nextQuarter(period)) periods.push(period);
  return periods;
}

/** True when `value` is finite and has at most two decimals (so `value × 100` is an exact integer). */
export function hasAtMostTwoDecimals(value: number): boolean {
  return Number.isFinite(value) && Number(value.toFixed(2)) === value;
}

/** `value × 100` as an exact integer, for a number that `hasAtMostTwoDecimals`. */
export function hundredths(value: number): bigint {
  return BigInt(Math.round(value * 100));
}

const OUTCOME_ID = /^[A-Za-z0-9_-]+$/;
/** Ids that name the other payments (upfront, re-offending), never a proxy outcome. */
const RESERVED_OUTCOME_IDS: readonly string[] = ['reoffending', 'upfront'];

/** Problems with a whole number of pence in `0..max`. */
function penceIssues(path: string, value: unknown, max: number, issues: FieldIssue[]): void {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.push({ path, message: 'Must be a whole number of pence' });
  } else if (value < 0) {
    issues.push({ path, message: 'Must not be negative' });
  } else if (value > max) {
    issues.push({ path, message: `Must be at most ${max} pence` });
  }
}

/** Problems with a number of at most two decimals in `min..max` (`exclusiveMin` refuses `min` itself). */
function decimalIssues(
  path: string,
  value: unknown,
  bounds: { min: number; max: number; exclusiveMin?: boolean },
  issues: FieldIssue[],
): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ path, message: 'Must be a number' });
  } else if (bounds.exclusiveMin ? value <= bounds.min : value < bounds.min) {
    issues.push({ path, message: `Must be ${bounds.exclusiveMin ? 'more than' : 'at least'} ${bounds.min}` });
  } else if (value > bounds.max) {
    issues.push({ path, message: `Must be at most ${bounds.max}` });
  } else if (!hasAtMostTwoDecimals(value)) {
    issues.push({ path, message: 'Use at most two decimal places' });
  }
}

/**
 * Validates the terms of a mechanism, reporting every problem at once.
 * @throws InvalidMechanismError listing each problem with its dotted path (`proxyOutcomes.2.tariffPence`).
 */
export function parseMechanism(input: MechanismInput): MechanismTerms {
  const issues: FieldIssue[] = [];
  if (typeof input.fromPeriod !== 'string' || !isPeriod(input.fromPeriod)) {
    issues.push({
      path: 'fromPeriod',
      message: 'Use a calendar quarter like 2026-Q3 (Q1 is January to March)',
    });
  }
  decimalIssues('upfrontPercent', input.upfrontPercent, { min: 0, max: 100 }, issues);

  const outcomes = Array.isArray(input.proxyOutcomes) ? input.proxyOutcomes : [];
  if (!Array.isArray(input.proxyOutcomes)) issues.push({ path: 'proxyOutcomes', message: 'Must be a list' });
  if (outcomes.length > MAX_PROXY_OUTCOMES) {
    issues.push({ path: 'proxyOutcomes', message: `Name at most ${MAX_PROXY_OUTCOMES} proxy outcomes` });
  }
  const seen = new Set<string>();
  outcomes.slice(0, MAX_PROXY_OUTCOMES).forEach((outcome, index) => {
    const path = `proxyOutcomes.${index}`;
    const id = outcome?.id;
    if (
      typeof id !== 'string' ||
      id.length < 1 ||
      id.length > MAX_OUTCOME_ID_LENGTH ||
      !OUTCOME_ID.test(id)
    ) {
      issues.push({
        path: `${path}.id`,
        message: `Use 1 to ${MAX_OUTCOME_ID_LENGTH} letters, digits, hyphens or underscores`,
      });
    } else if (RESERVED_OUTCOME_IDS.includes(id.toLowerCase())) {
      // Shares of outcome payments name the re-offending payment `reoffending` beside the proxy ids.
      issues.push({ path: `${path}.id`, message: `Choose another id: ${id} names another payment` });
    } else if (seen.has(id)) {
      issues.push({ path: `${path}.id`, message: 'Each proxy outcome needs its own id' });
    } else {
      seen.add(id);
    }
    const name = outcome?.name;
    if (typeof name !== 'string' || name.trim().length === 0 || name.length > MAX_OUTCOME_NAME_LENGTH) {
      issues.push({
        path: `${path}.name`,
        message: `Enter a name of at most ${MAX_OUTCOME_NAME_LENGTH} characters`,
      });
    }
    penceIssues(`${path}.tariffPence`, outcome?.tariffPence, MAX_TARIFF_PENCE, issues);
  });

  const reoffending = input.reoffending;
  if (typeof reoffending !== 'object' || reoffending === null) {
    issues.push({ path: 'reoffending', message: 'Set the re-offending outcomes' });
  } else {
    const { binary, frequency, followUpMonths } = reoffending;
    if (binary === undefined && frequency === undefined) {
      issues.push({
        path: 'reoffending',
        message:
          'Set a binary or a frequency measure (or both): payment is ultimately for reduced re-offending',
      });
    }
    if (binary !== undefined) {
      decimalIssues(
        'reoffending.binary.baselineRatePercent',
        binary?.baselineRatePercent,
        { min: 0, max: 100 },
        issues,
      );
      penceIssues('reoffending.binary.tariffPence', binary?.tariffPence, MAX_TARIFF_PENCE, issues);
    }
    if (frequency !== undefined) {
      decimalIssues(
        'reoffending.frequency.baselinePerPerson',
        frequency?.baselinePerPerson,
        { min: 0, max: MAX_BASELINE_PER_PERSON },
        issues,
      );
      penceIssues('reoffending.frequency.tariffPence', frequency?.tariffPence, MAX_TARIFF_PENCE, issues);
    }
    if (
      typeof followUpMonths !== 'number' ||
      !Number.isInteger(followUpMonths) ||
      followUpMonths < MIN_FOLLOW_UP_MONTHS ||
      followUpMonths > MAX_FOLLOW_UP_MONTHS
    ) {
      issues.push({
        path: 'reoffending.followUpMonths',
        message: `Must be a whole number of months from ${MIN_FOLLOW_UP_MONTHS} to ${MAX_FOLLOW_UP_MONTHS}`,
      });
    }
  }

  const multipliers =
    typeof input.tierMultipliers === 'object' && input.tierMultipliers !== null ? input.tierMultipliers : {};
  for (const key of Object.keys(multipliers)) {
    if (!(RISK_TIERS as readonly string[]).includes(key)) {
      issues.push({
        path: `tierMultipliers.${key}`,
        message: `Not a risk tier: use ${RISK_TIERS.join(', ')}`,
      });
    }
  }
  for (const tier of RISK_TIERS) {
    if (!Object.hasOwn(multipliers, tier)) {
      issues.push({ path: `tierMultipliers.${tier}`, message: 'Set a multiplier for every risk tier' });
    } else {
      decimalIssues(
        `tierMultipliers.${tier}`,
        multipliers[tier],
        { min: 0, max: MAX_TIER_MULTIPLIER, exclusiveMin: true },
        issues,
      );
    }
  }
  if (input.capPencePerYear !== undefined) {
    penceIssues('capPencePerYear', input.capPencePerYear, MAX_CAP_PENCE, issues);
  }
  if (issues.length > 0) throw new InvalidMechanismError(issues);

  const { binary, frequency, followUpMonths } = input.reoffending;
  return {
    fromPeriod: input.fromPeriod as Period,
    upfrontPercent: input.upfrontPercent,
    proxyOutcomes: outcomes.map(({ id, name, tariffPence }) => ({ id, name: name.trim(), tariffPence })),
    reoffending: {
      ...(binary && {
        binary: { baselineRatePercent: binary.baselineRatePercent, tariffPence: binary.tariffPence },
      }),
      ...(frequency && {
        frequency: { baselinePerPerson: frequency.baselinePerPerson, tariffPence: frequency.tariffPence },
      }),
      followUpMonths,
    },
    tierMultipliers: {
      low: multipliers.low as number,
      medium: multipliers.medium as number,
      high: multipliers.high as number,
      very_high: multipliers.very_high as number,
    },
    ...(input.capPencePerYear !== undefined && { capPencePerYear: input.capPencePerYear }),
  };
}

/** The calendar quarters a contract overlaps: from the quarter of its first day to that of its last. */
export function contractQuarters(contract: Pick<Contract, 'startDate' | 'endDate'>): {
  first: Period;
  last: Period;
} {
  return { first: periodOf(contract.startDate), last: periodOf(contract.endDate) };
}

/**
 * The next version of a contract's mechanism, checked against the versions before it (see the module
 * comment): its quarter overlaps the contract; after the first version, it starts no earlier than the latest
 * version's quarter and at a quarter that has not begun on `today` (an ISO date).
 * @param versions the contract's versions so far, in version order.
 * @throws InvalidMechanismError for invalid terms or a quarter outside the contract.
 * @throws RetroactiveMechanismChangeError for a change that would reach back.
 */
export function nextMechanismVersion(
  versions: readonly MechanismVersion[],
  input: MechanismInput,
  context: { contract: Pick<Contract, 'startDate' | 'endDate'>; today: string },
): MechanismVersion {
  const terms = parseMechanism(input);
  const { first, last } = contractQuarters(context.contract);
  if (terms.fromPeriod < first || terms.fromPeriod > last) {
    throw new InvalidMechanismError([
      {
        path: 'fromPeriod',
        message: `Use a quarter of the contract, which runs from ${context.contract.startDate} to ${context.contract.endDate} (${first} to ${last})`,
      },
    ]);
  }
  const latest = versions.at(-1);
  if (latest) {
    const current = periodOf(context.today);
    if (terms.fromPeriod <= current) {
      throw new RetroactiveMechanismChangeError(
        `a change applies from a quarter that has not begun: the earliest is ${nextQuarter(current)}`,
      );
    }
    if (terms.fromPeriod < latest.fromPeriod) {
      throw new RetroactiveMechanismChangeError(
        `version ${latest.version} applies from ${latest.fromPeriod}: a later change cannot start before it`,
      );
    }
  }
  return { ...terms, version: versions.length + 1 };
}

/**
 * The version in force for a period: the latest version starting at or before it (a change applies from its
 * period onward, never before). Versions are in version order, their `fromPeriod`s never going back.
 * @returns the version, or undefined when the period is before the first version (no mechanism: no payment).
 * @throws MalformedPeriodError when `period` is not `YYYY-Qn`.
 */
export function mechanismFor<T extends Pick<MechanismVersion, 'fromPeriod' | 'version'>>(
  versions: readonly T[],
  period: string,
): T | undefined {
  const quarter = asPeriod(period);
  let inForce: T | undefined;
  for (const version of versions) {
    // `>=` on the version keeps the later of two versions from the same quarter, whatever the list order.
    if (version.fromPeriod <= quarter && (!inForce || version.version >= inForce.version)) inForce = version;
  }
  return inForce;
}

/**
 * The last day of a cohort's follow-up (ISO date): the end of the cohort's quarter plus the follow-up months
 * (the last member to start has then been followed for the whole period). Results before it are premature.
 * Quarters end on a month's last day, so this is the last day of the month `followUpMonths` after the
 * quarter's last month (`2026-Q3`, 6 → `2027-03-31`).
 */
export function followUpEnds(period: string, followUpMonths: number): string {
  const bounds = periodBounds(asPeriod(period));
  if (!bounds) throw new MalformedPeriodError();
  const year = Number(bounds.end.slice(0, 4));
  const month = Number(bounds.end.slice(5, 7)) - 1 + followUpMonths;
  // Quarters end on their month's last day, so the follow-up ends on the last day of the later month.
  return new Date(Date.UTC(year, month + 1, 0)).toISOString().slice(0, 10);
}
