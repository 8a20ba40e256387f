/**
 * The raw sums the sub-contracting figures are made of (pure): pence by sector and size, invoice counts,
 * days to pay and invoices paid promptly, and the contract value and target they are judged against. Every
 * figure item (a period of a contract, a contract, a region) holds these sums; percentages are computed on
 * read, so sums over items stay exact.
 *
 * ## Every sum stays exact
 *
 * A figure item's field may hold at most `MAX_FIGURE_VALUE`: ⌊(2^53 − 1) ÷ 11⌋, so the national report –
 * the sum of at most 11 regional items – is still a safe integer. The repository refuses, in the filing's
 * own transaction, an update that would pass it; reading a value that is not a safe integer is an error,
 * never a silent zero.
 */
import { NATIONAL, REGIONS, type Region, type Sector, type Size } from '../reference-data';
import { daysBetween } from './dates';
import type { SpendLine } from './lines';
import type { Subcontractor } from './supply-chain';

/** What a return adds to the figures: spend by sector and size, and the prompt-payment counts. */
export const SUM_FIELDS = [
  'subcontractedPence',
  'voluntaryPence',
  'privatePence',
  'publicPence',
  'microPence',
  'smallPence',
  'mediumPence',
  'largePence',
  'invoices',
  'promptInvoices',
  'daysToPay',
] as const;

/** The value side of a figure item: contract value and the sub-contracting target in pence. */
export const VALUE_FIELDS = ['contractValuePence', 'targetPence'] as const;

/** Every raw sum a figure item holds. */
export const FIGURE_FIELDS = [...VALUE_FIELDS, ...SUM_FIELDS] as const;

/** One raw sum. */
export type FigureField = (typeof FIGURE_FIELDS)[number];

/** Raw sums (or differences of them) by field. */
export type FigureSums = Record<FigureField, number>;

/** The regional figure items: the ten regions and `national` (contracts with national coverage). */
export const FIGURE_REGIONS = [...REGIONS, NATIONAL] as const;

/** One regional figure item. */
export type FigureRegion = Region | typeof NATIONAL;

/** The most any field of a figure item may hold: the national report adds up 11 of them exactly. */
export const MAX_FIGURE_VALUE = Math.floor(Number.MAX_SAFE_INTEGER / FIGURE_REGIONS.length);

/** Raw sums, all zero. */
export function zeroSums(): FigureSums {
  return Object.fromEntries(FIGURE_FIELDS.map((f) => [f, 0])) as FigureSums;
}

/** `value` when it is a safe integer; a RangeError naming `what` otherwise (never a silent zero). */
export function exactInteger(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new RangeError(`${what} is ${String(value)}, not an exact integer: the figures cannot be used`);
}

/**
 * Reads raw sums from a stored item (missing fields are zero).
 * @throws RangeError when a field holds anything but a safe integer (a BigInt from a number past 2^53, a
 *   fraction, a string): the figure would be wrong, so it is not read as zero.
 */
export function sumsFrom(item: Partial<Record<string, unknown>> | undefined): FigureSums {
  const sums = zeroSums();
  for (const field of FIGURE_FIELDS) {
    const value = item?.[field];
    if (value !== undefined) sums[field] = exactInteger(value, `Figure ${field}`);
  }
  return sums;
}

/** a + b, field by field (a RangeError if a result is not a safe integer). */
export function addSums(a: FigureSums, b: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of FIGURE_FIELDS) out[f] = exactInteger(a[f] + b[f], `The sum of ${f}`);
  return out;
}

/** a − b, field by field (a RangeError if a result is not a safe integer). */
export function subtractSums(a: FigureSums, b: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of FIGURE_FIELDS) out[f] = exactInteger(a[f] - b[f], `The difference of ${f}`);
  return out;
}

/** Only the spend fields of some sums (value fields zero). */
export function spendOnly(sums: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of SUM_FIELDS) out[f] = sums[f];
  return out;
}

/** Only the value fields of some sums (spend fields zero). */
export function valueOnly(sums: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of VALUE_FIELDS) out[f] = sums[f];
  return out;
}

/** True when every field is zero. */
export function isZero(sums: FigureSums): boolean {
  return FIGURE_FIELDS.every((f) => sums[f] === 0);
}

/** The first field of some sums above `MAX_FIGURE_VALUE`, if any. */
export function fieldPastLimit(sums: FigureSums): FigureField | undefined {
  return FIGURE_FIELDS.find((f) => sums[f] > MAX_FIGURE_VALUE);
}

/** The spend field of each sector. */
export const SECTOR_FIELD: Record<Sector, FigureField> = {
  voluntary: 'voluntaryPence',
  private: 'privatePence',
  public: 'publicPence',
};
/** The spend field of each size. */
export const SIZE_FIELD: Record<Size, FigureField> = {
  micro: 'microPence',
  small: 'smallPence',
  medium: 'mediumPence',
  large: 'largePence',
};

/** What the figures need of a sub-contractor (as it was when the return was filed). */
export type SubcontractorProfile = Pick<Subcontractor, 'sector' | 'size'>;

/**
 * What a return's lines contribute, given each ref's sector and size and the prompt-payment days: an
 * invoice paid within `promptPaymentDays` of its date counts as paid promptly.
 */
export function returnSums(
  lines: readonly SpendLine[],
  profiles: ReadonlyMap<string, SubcontractorProfile>,
  promptPaymentDays: number,
): FigureSums {
  const sums = zeroSums();
  for (const line of lines) {
    const profile = profiles.get(line.subcontractorRef);
    if (!profile) throw new Error(`No profile for sub-contractor ${line.subcontractorRef}`);
    const days = daysBetween(line.invoiceDate, line.paidDate);
    sums.subcontractedPence += line.amountPence;
    sums[SECTOR_FIELD[profile.sector]] += line.amountPence;
    sums[SIZE_FIELD[profile.size]] += line.amountPence;
    sums.invoices += 1;
    sums.daysToPay += days;
    if (days <= promptPaymentDays) sums.promptInvoices += 1;
  }
  for (const f of FIGURE_FIELDS) exactInteger(sums[f], `The return's ${f}`);
  return sums;
}
