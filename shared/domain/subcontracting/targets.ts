/**
 * Sub-contracting targets and the contract value they are judged against (pure): a contract's whole value
 * (cumulative figures) or its value pro-rated to a quarter (period figures), and the target in pence –
 * exact, by integer arithmetic on BigInt.
 */
import type { Contract } from '../contracts';
import { daysBetween, periodBounds } from './dates';
import { type FigureSums, zeroSums } from './figure-sums';

/** Sub-contracting targets that only a single contract has. */
export interface ContractTargets {
  targetPercent: number;
  voluntarySectorTargetPercent?: number | undefined;
}

/** The target in pence for a value and a percentage: the least whole pence at or above it. */
export function targetPenceOf(valuePence: number, percent: number): number {
  const basisPoints = BigInt(Math.round(percent * 100));
  return Number((BigInt(valuePence) * basisPoints + 9_999n) / 10_000n);
}

/** The contract's value pro-rated to the days of the contract that fall in a period (rounded to pence). */
export function periodValuePence(
  contract: Pick<Contract, 'valuePence' | 'startDate' | 'endDate'>,
  period: string,
): number {
  const bounds = periodBounds(period);
  if (!bounds) return 0;
  const from = bounds.start > contract.startDate ? bounds.start : contract.startDate;
  const to = bounds.end < contract.endDate ? bounds.end : contract.endDate;
  if (to < from) return 0;
  const overlap = BigInt(daysBetween(from, to) + 1);
  const term = BigInt(daysBetween(contract.startDate, contract.endDate) + 1);
  return Number((BigInt(contract.valuePence) * overlap * 2n + term) / (2n * term));
}

/** The value fields a contract brings to its cumulative figures. */
export function contractValueSums(contract: Pick<Contract, 'valuePence' | 'subcontracting'>): FigureSums {
  const sums = zeroSums();
  sums.contractValuePence = contract.valuePence;
  sums.targetPence = targetPenceOf(contract.valuePence, contract.subcontracting.targetPercent);
  return sums;
}

/** The value fields a contract brings to one period's figures. */
export function periodValueSums(
  contract: Pick<Contract, 'valuePence' | 'startDate' | 'endDate' | 'subcontracting'>,
  period: string,
): FigureSums {
  const sums = zeroSums();
  sums.contractValuePence = periodValuePence(contract, period);
  sums.targetPence = targetPenceOf(sums.contractValuePence, contract.subcontracting.targetPercent);
  return sums;
}
