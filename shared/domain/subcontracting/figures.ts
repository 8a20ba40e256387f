/**
 * Sub-contracting figures as every view reports them (pure): percentages computed on read from raw sums,
 * exactly (BigInt arithmetic, rounded half up to two decimals), with prompt payment and the targets judged.
 */
import { SECTORS, type Sector, SIZES, type Size } from '../reference-data';
import { type FigureSums, SECTOR_FIELD, SIZE_FIELD } from './figure-sums';
import { type ContractTargets, targetPenceOf } from './targets';

/** A share of something: pence and its percentage. */
export interface Share {
  pence: number;
  percent: number;
}

/** Sub-contracting figures, as every view reports them. */
export interface Figures {
  contractValuePence: number;
  subcontractedPence: number;
  /** Sub-contracted spend ÷ contract value. */
  subcontractedPercent: number;
  /** Share of sub-contracted spend paid to voluntary-sector sub-contractors. */
  voluntaryPercent: number;
  /** Share of sub-contracted spend paid to micro, small and medium sub-contractors. */
  smePercent: number;
  bySector: Record<Sector, Share>;
  bySize: Record<Size, Share>;
  promptPayment: {
    invoices: number;
    /** Invoices paid within `withinDays` of their invoice date, as a share of all invoices. */
    paidWithin30DaysPercent: number;
    averageDaysToPay: number;
    withinDays: number;
  };
  target: {
    percent: number;
    /** The target as pence of contract value. */
    pence: number;
    /** Null when there is nothing to judge: no contract has filed a return (see `figuresOf`). */
    met: boolean | null;
    voluntarySectorPercent?: number;
    /** Null when nothing has been paid to sub-contractors, so there is no share to judge. */
    voluntarySectorMet?: boolean | null;
  };
}

/** n ÷ d as a percentage rounded half up to two decimals, exactly; 0 when d is 0. */
export function percentOf(n: number, d: number): number {
  if (d === 0) return 0;
  const negative = n < 0 !== d < 0;
  const num = BigInt(Math.abs(n)) * 20_000n;
  const den = BigInt(Math.abs(d));
  const hundredths = (num / den + 1n) / 2n;
  return (negative ? -1 : 1) * (Number(hundredths) / 100);
}

/** n ÷ d rounded half up to two decimals; 0 when d is 0. */
export function ratioOf(n: number, d: number): number {
  return percentOf(n, d * 100);
}

/**
 * The reported figures from raw sums. `targets` are a contract's own (its percentages as set); without
 * them (a region, the network) the target percentage is the value-weighted one, target pence ÷ value.
 *
 * `target.met` is null when there is nothing to judge: `reported` is false (a contract that has filed no
 * return) or no contract value is in the sums (a region or quarter where no contract has filed). Zero
 * spend against zero value is "no data", never "met". `voluntarySectorMet` is null while nothing has been
 * paid to sub-contractors (a share of nothing).
 * @param reported whether the sums hold at least one filed return; by default, whether any contract value
 *   is in them (value enters the figures only with a contract's first return).
 */
export function figuresOf(
  sums: FigureSums,
  promptPaymentDays: number,
  targets?: ContractTargets,
  reported = sums.contractValuePence > 0,
): Figures {
  const sub = sums.subcontractedPence;
  const share = (pence: number): Share => ({ pence, percent: percentOf(pence, sub) });
  const sme = sums.microPence + sums.smallPence + sums.mediumPence;
  const target: Figures['target'] = {
    percent: targets ? targets.targetPercent : percentOf(sums.targetPence, sums.contractValuePence),
    pence: sums.targetPence,
    met: reported ? sub >= sums.targetPence : null,
  };
  if (targets?.voluntarySectorTargetPercent !== undefined) {
    target.voluntarySectorPercent = targets.voluntarySectorTargetPercent;
    target.voluntarySectorMet =
      reported && sub > 0
        ? sums.voluntaryPence >= targetPenceOf(sub, targets.voluntarySectorTargetPercent)
        : null;
  }
  return {
    contractValuePence: sums.contractValuePence,
    subcontractedPence: sub,
    subcontractedPercent: percentOf(sub, sums.contractValuePence),
    voluntaryPercent: percentOf(sums.voluntaryPence, sub),
    smePercent: percentOf(sme, sub),
    bySector: Object.fromEntries(SECTORS.map((s) => [s, share(sums[SECTOR_FIELD[s]])])) as Record<
      Sector,
      Share
    >,
    bySize: Object.fromEntries(SIZES.map((s) => [s, share(sums[SIZE_FIELD[s]])])) as Record<Size, Share>,
    promptPayment: {
      invoices: sums.invoices,
      paidWithin30DaysPercent: percentOf(sums.promptInvoices, sums.invoices),
      averageDaysToPay: ratioOf(sums.daysToPay, sums.invoices),
      withinDays: promptPaymentDays,
    },
    target,
  };
}
