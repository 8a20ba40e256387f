/**
 * Money in spend returns (pure): pounds with two decimals converted exactly to integer pence, and the
 * bounds that keep every amount – and every sum of amounts – an exact JavaScript integer.
 *
 * Why the bounds: pence are held in `number`s, exact only up to `Number.MAX_SAFE_INTEGER` (2^53 − 1, about
 * £90 trillion). A line is at most £1 billion and a return at most £1 trillion, far above any real invoice or
 * quarter, so a return's total is exact by construction; the figures summed over returns have their own
 * bound (`MAX_FIGURE_VALUE` in `figure-sums.ts`), enforced where they are written.
 */

/** The largest amount in pence one line may carry: £1,000,000,000.00. */
export const MAX_LINE_PENCE = 100_000_000_000;

/** The largest total in pence of one return's lines: £1,000,000,000,000.00. */
export const MAX_RETURN_PENCE = 100_000_000_000_000;

/**
 * Converts pounds written with exactly two decimals (`1234.50`) to integer pence by string arithmetic –
 * never through a floating-point number. No sign, `£`, thousands separators, exponent or spaces inside.
 * At most 12 digits of pounds are read (the line rules then apply `MAX_LINE_PENCE`).
 */
export function parsePounds(text: string): { pence: number } | { error: string } {
  const value = text.trim();
  const match = /^(0|[1-9]\d{0,11})\.(\d{2})$/.exec(value);
  if (!match) {
    return {
      error: /^-/.test(value)
        ? 'Must be more than zero: enter the amount paid, like 1234.50'
        : 'Use pounds with two decimals, like 1234.50 (no £ sign, commas, spaces or exponent)',
    };
  }
  // At most 12 + 2 digits: well inside the range where Number holds integers exactly.
  return { pence: Number.parseInt(`${match[1]}${match[2]}`, 10) };
}

/** Formats pence as pounds with two decimals (`123450` → `1234.50`), exactly. */
export function formatPounds(pence: number): string {
  const digits = String(Math.abs(pence)).padStart(3, '0');
  return `${pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** Pence as pounds for people, with a £ sign and thousands separators (`100000000000` → `£1,000,000,000.00`). */
export function displayPounds(pence: number): string {
  const [pounds = '0', decimals = '00'] = formatPounds(pence).split('.');
  return `£${pounds.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${decimals}`;
}
