/**
 * The rules a spend return's lines must meet (pure), applied to every candidate line however it arrived
 * (JSON or CSV), all or nothing.
 */
import { isIsoDate, periodBounds } from './dates';
import {
  type CandidateLine,
  type LineField,
  type LineIssue,
  lineIdOf,
  lineKeyOf,
  MAX_INVOICE_REF_LENGTH,
  MAX_LINES_PER_RETURN,
  type SpendLine,
} from './lines';
import { displayPounds, MAX_LINE_PENCE, MAX_RETURN_PENCE } from './money';

/** What the line rules need to know. */
export interface LineRules {
  period: string;
  /** The refs of the contract's supply chain. */
  knownRefs: ReadonlySet<string>;
  /** The date the return is received: nothing can have been paid after it. */
  today: string;
  /** How a position is named in messages (`row 3`, `lines.2`). */
  describe: (position: number) => string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Applies the line rules to every candidate: known sub-contractor ref, invoice ref present and used once
 * per sub-contractor in the return (two sub-contractors may share an invoice ref), real dates, paid within
 * the period and not in the future, not paid before invoiced, a positive whole number of pence up to
 * `MAX_LINE_PENCE`, and a return total up to `MAX_RETURN_PENCE`. All-or-nothing: the lines are returned
 * only when nothing is wrong. At most `MAX_LINES_PER_RETURN` candidates are looked at.
 */
export function validateLines(
  candidates: readonly CandidateLine[],
  rules: LineRules,
): { lines: SpendLine[]; issues: LineIssue[] } {
  const issues: LineIssue[] = [];
  const bounds = periodBounds(rules.period);
  /** Sub-contractor and invoice ref → the position where the pair first appeared. */
  const seen = new Map<string, number>();
  let total = 0;
  let totalReported = false;
  if (candidates.length > MAX_LINES_PER_RETURN) {
    issues.push({
      position: candidates[MAX_LINES_PER_RETURN]?.position ?? MAX_LINES_PER_RETURN,
      field: 'row',
      message: `A return may have at most ${MAX_LINES_PER_RETURN} lines`,
    });
  }
  const lines: SpendLine[] = [];
  for (const candidate of candidates.slice(0, MAX_LINES_PER_RETURN)) {
    const at = candidate.position;
    const problem = (field: LineField, message: string) => issues.push({ position: at, field, message });
    const ref = candidate.subcontractorRef.trim();
    const invoiceRef = candidate.invoiceRef.trim();
    const invoiceDate = candidate.invoiceDate.trim();
    const paidDate = candidate.paidDate.trim();

    if (ref === '') problem('subcontractorRef', "Enter the sub-contractor's ref from the supply chain");
    else if (!rules.knownRefs.has(ref)) {
      problem('subcontractorRef', `No sub-contractor ${JSON.stringify(ref)} in this contract's supply chain`);
    }

    if (invoiceRef === '') problem('invoiceRef', 'Enter the invoice ref');
    else if (invoiceRef.length > MAX_INVOICE_REF_LENGTH || CONTROL.test(invoiceRef)) {
      problem('invoiceRef', `Use at most ${MAX_INVOICE_REF_LENGTH} characters, without tabs or line breaks`);
    } else if (ref !== '') {
      const key = lineKeyOf({ subcontractorRef: ref, invoiceRef });
      const first = seen.get(key);
      if (first !== undefined) {
        problem(
          'invoiceRef',
          `Invoice ref ${JSON.stringify(invoiceRef)} of sub-contractor ${JSON.stringify(ref)} is already on ${rules.describe(first)}`,
        );
      } else seen.set(key, at);
    }

    const invoiceOk = isIsoDate(invoiceDate);
    if (!invoiceOk) problem('invoiceDate', 'Use a real date like 2026-07-31');
    const paidOk = isIsoDate(paidDate);
    if (!paidOk) problem('paidDate', 'Use a real date like 2026-07-31');
    else if (bounds && (paidDate < bounds.start || paidDate > bounds.end)) {
      problem('paidDate', `Must fall within ${rules.period} (${bounds.start} to ${bounds.end})`);
    } else if (paidDate > rules.today) problem('paidDate', 'Cannot be in the future');
    if (invoiceOk && paidOk && paidDate < invoiceDate) {
      problem('paidDate', `Cannot be before the invoice date (${invoiceDate})`);
    }

    const amount = candidate.amountPence;
    let amountOk = false;
    if (amount !== undefined) {
      if (!Number.isInteger(amount)) problem('amountPence', 'Use a whole number of pence');
      else if (amount <= 0) problem('amountPence', 'Must be more than zero');
      else if (amount > MAX_LINE_PENCE) {
        problem('amountPence', `Too large for one invoice: at most ${displayPounds(MAX_LINE_PENCE)}`);
      } else amountOk = true;
    }
    // Each amount is at most MAX_LINE_PENCE and there are at most MAX_LINES_PER_RETURN of them, so this
    // running total stays a safe integer; it is reported once, on the line that takes it past the bound.
    if (amountOk) {
      total += amount as number;
      if (total > MAX_RETURN_PENCE && !totalReported) {
        totalReported = true;
        problem(
          'amountPence',
          `The return's total passes ${displayPounds(MAX_RETURN_PENCE)} at this line: a return may total at most that`,
        );
      }
    }
    lines.push({
      lineId: lineIdOf(ref, invoiceRef),
      subcontractorRef: ref,
      invoiceRef,
      invoiceDate,
      paidDate,
      amountPence: amount ?? 0,
    });
  }
  return { lines: issues.length > 0 ? [] : lines, issues };
}
