/**
 * The lines of a spend return (pure): their shape as received and as stored, their columns in CSV, their
 * identity and the content hash of a return.
 *
 * A line is identified by its sub-contractor and invoice ref together: two sub-contractors may well number
 * their invoices the same way, so the same invoice ref may appear once per sub-contractor in a return. The
 * line id (what a dispute names) and the content hash derive from that pair.
 */
import { createHash } from 'node:crypto';

/** Most lines in one return: what one DynamoDB transaction (4 MB, 100 items) can carry with room to spare. */
export const MAX_LINES_PER_RETURN = 10_000;
/** Longest invoice ref. */
export const MAX_INVOICE_REF_LENGTH = 64;

/** A line as received, before the rules are applied. */
export interface CandidateLine {
  /** Where it came from: its index in `lines` (JSON) or its 1-based data row (CSV). */
  position: number;
  subcontractorRef: string;
  invoiceRef: string;
  invoiceDate: string;
  paidDate: string;
  /** Undefined when the amount could not be read (already reported). */
  amountPence: number | undefined;
}

/** The fields of a line. */
export type LineField = 'subcontractorRef' | 'invoiceRef' | 'invoiceDate' | 'paidDate' | 'amountPence';

/** A problem with one line (`row`: the line as a whole; `header`: the CSV header, position 0). */
export interface LineIssue {
  position: number;
  field: LineField | 'row' | 'header';
  message: string;
}

/**
 * A validated line of a return; `lineId` is stable across versions (it derives from the sub-contractor
 * ref and the invoice ref).
 */
export interface SpendLine {
  lineId: string;
  subcontractorRef: string;
  invoiceRef: string;
  invoiceDate: string;
  paidDate: string;
  amountPence: number;
}

/** The CSV columns, in the documented order, and the line field each holds. */
export const CSV_COLUMNS = {
  subcontractor_ref: 'subcontractorRef',
  invoice_ref: 'invoiceRef',
  invoice_date: 'invoiceDate',
  paid_date: 'paidDate',
  amount: 'amountPence',
} as const satisfies Record<string, LineField>;

/** The CSV header line. */
export const CSV_HEADER = Object.keys(CSV_COLUMNS).join(',');

/**
 * Longest CSV row read, in characters – of each line of the file, commas included, and of a row's values
 * when a quoted value spans lines. A real row is under 200.
 */
export const MAX_CSV_ROW_CHARS = 1_000;

const CSV_NAME_OF: Record<LineField, string> = Object.fromEntries(
  Object.entries(CSV_COLUMNS).map(([column, field]) => [field, column]),
) as Record<LineField, string>;

/** The CSV column of a line field (`amountPence` → `amount`). */
export function csvColumnOf(field: LineIssue['field']): string {
  return field === 'row' || field === 'header' ? field : CSV_NAME_OF[field];
}

/**
 * The key that identifies a line within a return: its sub-contractor ref and invoice ref. Neither may hold
 * control characters (the line rules refuse them), so the NUL separator cannot be forged.
 */
export function lineKeyOf(line: Pick<SpendLine, 'subcontractorRef' | 'invoiceRef'>): string {
  return `${line.subcontractorRef}\u0000${line.invoiceRef}`;
}

/**
 * The stable id of a line: derived from its sub-contractor ref and invoice ref, so it is unique within a
 * return and the same in every version that still has the line.
 */
export function lineIdOf(subcontractorRef: string, invoiceRef: string): string {
  return createHash('sha256')
    .update(`line\u0000${lineKeyOf({ subcontractorRef, invoiceRef })}`)
    .digest('hex')
    .slice(0, 16);
}

/** The pattern of a line id. */
export const LINE_ID_PATTERN = /^[0-9a-f]{16}$/;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical hash of a return's content: its normalised lines in invoice-ref order (then sub-contractor
 * ref, for an invoice ref two sub-contractors share), so the same payments sent again – as JSON or CSV, in
 * any order – are recognised as the current version. Invoice ref first keeps the hash of every return whose
 * invoice refs are unique what it was before refs could repeat across sub-contractors.
 */
export function returnHash(lines: readonly SpendLine[]): string {
  const canonical = [...lines]
    .sort((a, b) => compare(a.invoiceRef, b.invoiceRef) || compare(a.subcontractorRef, b.subcontractorRef))
    .map((l) => [l.subcontractorRef, l.invoiceRef, l.invoiceDate, l.paidDate, l.amountPence]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/**
 * The sum of a return's lines.
 * @throws RangeError if the sum is not a safe integer (the line rules keep a return far below that).
 */
export function totalPence(lines: readonly Pick<SpendLine, 'amountPence'>[]): number {
  const total = lines.reduce((sum, line) => sum + line.amountPence, 0);
  if (!Number.isSafeInteger(total)) throw new RangeError(`A return's total of ${total} is not exact`);
  return total;
}
