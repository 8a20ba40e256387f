/**
 * The figures maintained on write (pure): what a new version of a period's return adds to the contract's
 * cumulative item and to its regions' items, per period and cumulative.
 *
 * A return's contribution is its sums (`returnSums`). Filing version n+1 of a period applies the difference
 * between its sums and version n's (stored with the period's head, so a later supply-chain edit cannot
 * change what version n contributed) to the contract's cumulative item and to its regions' items.
 *
 * A contract counts in its regions' items: a contract with national coverage in the `national` item, any
 * other in each of its regions, its figures apportioned equally between them (`splitAcross`: integer
 * shares, the remainder handed out one unit at a time from a starting region fixed per contract). The
 * shares of a value always sum to the value, so the national report – the sum of at most 11 regional
 * items – is exact, and no single item takes every prime's writes at quarter end.
 *
 * Contract value enters the figures when a contract files its first return (cumulative items: the whole
 * value) and when it files the first version for a period (period items: the value pro-rated to the days of
 * the contract in that quarter), so aggregate percentages compare spend with the value of contracts that
 * report.
 */
import type { Contract } from '../contracts';
import { NATIONAL, REGIONS } from '../reference-data';
import {
  addSums,
  FIGURE_FIELDS,
  type FigureRegion,
  type FigureSums,
  fieldPastLimit,
  MAX_FIGURE_VALUE,
  spendOnly,
  subtractSums,
  valueOnly,
  zeroSums,
} from './figure-sums';
import { contractValueSums, periodValueSums } from './targets';

/** The regional items a contract counts in: `national`, or each of its regions, in a fixed order. */
export function figureRegions(contract: Pick<Contract, 'regions'>): FigureRegion[] {
  if (contract.regions.includes(NATIONAL) || contract.regions.length === 0) return [NATIONAL];
  return REGIONS.filter((r) => contract.regions.includes(r));
}

/** Where a contract's remainders start, fixed per contract so no region is always favoured. */
function rotation(contractId: string, count: number): number {
  let h = 0;
  for (let i = 0; i < contractId.length; i += 1) h = (h * 31 + contractId.charCodeAt(i)) >>> 0;
  return h % count;
}

/**
 * A contract's raw sums apportioned equally between its regional items: integer shares that add up to
 * each sum exactly (`sums` must be non-negative).
 */
export function splitAcross(
  contract: Pick<Contract, 'id' | 'regions'>,
  sums: FigureSums,
): { region: FigureRegion; sums: FigureSums }[] {
  const regions = figureRegions(contract);
  const count = regions.length;
  const start = rotation(contract.id, count);
  const shares = regions.map((region) => ({ region, sums: zeroSums() }));
  for (const field of FIGURE_FIELDS) {
    const total = sums[field];
    if (total < 0 || !Number.isInteger(total)) throw new Error(`Cannot split ${field} = ${total}`);
    const base = Math.floor(total / count);
    const remainder = total - base * count;
    shares.forEach((share, i) => {
      const extra = (i - start + count) % count < remainder ? 1 : 0;
      share.sums[field] = base + extra;
    });
  }
  return shares;
}

/** What one period's figures hold: the period's value fields and the current version's sums. */
export interface PeriodFigures {
  version: number;
  sums: FigureSums;
}

/** The increments a new version of a period makes to every figure item it touches. */
export interface ReturnWritePlan {
  /** The period's figures after the write (absolute: value fields and the new version's sums). */
  period: FigureSums;
  /** Added to the contract's cumulative item. */
  contract: FigureSums;
  /** Added to each regional item, per period and cumulative. */
  regions: { region: FigureRegion; period: FigureSums; cumulative: FigureSums }[];
}

/**
 * Plans the figure updates for a new version of a period's return: the period's figures are replaced, and
 * the cumulative and regional items move by the new version's contribution minus the previous one's (so an
 * amendment never counts twice). The first version of a period adds the period's value; the contract's
 * first return adds its whole value to the cumulative items.
 * @param previous the period's figures before the write, if any version exists.
 * @param contractFiled whether the contract already has a cumulative item (any earlier return).
 */
export function planReturnWrite(input: {
  contract: Pick<Contract, 'id' | 'regions' | 'valuePence' | 'startDate' | 'endDate' | 'subcontracting'>;
  period: string;
  previous: FigureSums | undefined;
  contractFiled: boolean;
  sums: FigureSums;
}): ReturnWritePlan {
  const { contract, period, previous, contractFiled } = input;
  const spend = spendOnly(input.sums);
  const before = previous ?? zeroSums();
  const after = addSums(previous ? valueOnly(previous) : periodValueSums(contract, period), spend);
  const contractBase = contractFiled ? zeroSums() : contractValueSums(contract);
  const contractDelta = addSums(contractBase, subtractSums(spendOnly(after), spendOnly(before)));

  const periodBefore = splitAcross(contract, before);
  const periodAfter = splitAcross(contract, after);
  const spendBefore = splitAcross(contract, spendOnly(before));
  const spendAfter = splitAcross(contract, spendOnly(after));
  const valueShares = splitAcross(contract, contractBase);
  const regions = periodAfter.map((share, i) => ({
    region: share.region,
    period: subtractSums(share.sums, (periodBefore[i] as { sums: FigureSums }).sums),
    cumulative: addSums(
      (valueShares[i] as { sums: FigureSums }).sums,
      subtractSums(
        (spendAfter[i] as { sums: FigureSums }).sums,
        (spendBefore[i] as { sums: FigureSums }).sums,
      ),
    ),
  }));
  return { period: after, contract: contractDelta, regions };
}

/**
 * Why a planned write cannot be applied without taking a figure item past `MAX_FIGURE_VALUE`, as far as
 * the plan alone tells: the items it writes whole (the period's head; the contract's cumulative item on
 * its first return) and any single increment that is itself past the bound (so past it whatever the item
 * held). Whether an increment takes an item's stored value past it is the repository's condition, checked
 * in the filing's transaction.
 * @returns a message for the refusal, or undefined when the plan is within bounds.
 */
export function planLimitProblem(plan: ReturnWritePlan, period: string): string | undefined {
  if (fieldPastLimit(plan.period)) return figureLimitMessage(`the ${period} return`);
  if (fieldPastLimit(plan.contract)) return figureLimitMessage('the contract');
  for (const share of plan.regions) {
    if (fieldPastLimit(share.period) || fieldPastLimit(share.cumulative)) {
      return figureLimitMessage(`the ${share.region} region`);
    }
  }
  return undefined;
}

/** The refusal of a filing that would take a figure item past `MAX_FIGURE_VALUE`. */
export function figureLimitMessage(where: string): string {
  return `Filing this return would take the figures of ${where} past ${MAX_FIGURE_VALUE.toLocaleString('en-GB')}, the most one figure can hold and still be added up exactly in the national report (in pence, about £8.19 trillion); nothing was stored.`;
}
