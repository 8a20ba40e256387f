/**
 * Which quarter a spend return may be filed for (pure). A return reports what the prime *paid* in a
 * quarter, so it can only be complete once the quarter is over: a return for the quarter in progress would
 * be a partial figure that the national report counted as if it were the whole quarter. The rule:
 *
 * - the period is a calendar quarter (`YYYY-Qn`, Q1 = January–March) that overlaps the contract's dates;
 * - it has ended – its last day, or the contract's last day if the contract ends sooner, is before the
 *   day the return is received (payments can still be made on the last day);
 * - past quarters may be filed late and amended at any time (every version is kept).
 *
 * A refusal is a validation problem of the `period` parameter (400 `/problems/validation`, path
 * `params.period`), like a malformed or out-of-contract period: the client sent a period it may not file,
 * and the same return for an ended quarter succeeds.
 */
import type { Contract } from './contracts';
import { isoDay, type Period, periodBounds, periodOf } from './subcontracting/dates';

/** The quarter before a quarter (`2026-Q1` → `2025-Q4`). */
export function previousQuarter(period: Period): Period {
  const year = Number(period.slice(0, 4));
  const quarter = Number(period.slice(-1));
  return (quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`) as Period;
}

/** The last calendar quarter that has ended on `today` (an ISO date): the one before today's. */
export function lastCompleteQuarter(today: string): Period {
  return previousQuarter(periodOf(today));
}

/** The last `count` complete calendar quarters before `now`, oldest first. */
export function completeQuarters(now: Date, count: number): Period[] {
  const periods: Period[] = [];
  let period = lastCompleteQuarter(isoDay(now));
  for (let i = 0; i < count; i += 1) {
    periods.unshift(period);
    period = previousQuarter(period);
  }
  return periods;
}

/**
 * Whether a return may be filed for a period on `today` (see the module comment).
 * @returns the problem, in words for the filer, or undefined when the period may be filed.
 */
export function filingPeriodProblem(
  period: string,
  contract: Pick<Contract, 'startDate' | 'endDate'>,
  today: string,
): string | undefined {
  const bounds = periodBounds(period);
  if (!bounds) return 'Use a calendar quarter like 2026-Q3 (Q1 is January to March)';
  if (bounds.end < contract.startDate || bounds.start > contract.endDate) {
    return `${period} is outside the contract, which runs from ${contract.startDate} to ${contract.endDate}`;
  }
  const lastDay = contract.endDate < bounds.end ? contract.endDate : bounds.end;
  if (lastDay >= today) {
    const started = bounds.start <= today;
    return `${period} has not ${started ? 'ended' : 'started'} yet: a return can be filed once the quarter is over (from the day after ${lastDay}); the last complete quarter is ${lastCompleteQuarter(today)}`;
  }
  return undefined;
}
