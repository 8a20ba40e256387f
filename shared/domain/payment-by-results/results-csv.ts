/**
 * A cohort's proven results as CSV (pure): `tier,size,reoffenders,reoffences`, a header row then one row per
 * risk tier, read into the `{ tiers }` shape `putCohortResults` takes. The file is small by nature (at most
 * four rows), so it is bounded hard before `csv-parse` (RFC 4180, an optional BOM, CRLF or LF) sees it: at
 * most `MAX_RESULTS_CSV_BYTES` bytes, `RISK_TIERS.length` data rows and `MAX_RESULTS_CSV_ROW_CHARS`
 * characters a row. A tier is looked up in `RISK_TIERS` (never used as a key before it is known to be one),
 * so `constructor` or `__proto__` is an unknown tier, not a prototype.
 *
 * The counts' own rules (bounds, reoffenders ≤ size, …) are the domain's (`parseCohortResults`): this module
 * only reads whole numbers out of the text.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { type FieldIssue, PayloadTooLargeError, ValidationError } from '../errors';
import { RISK_TIERS, type RiskTier } from './mechanism';
import type { TierResult } from './payments';

/** The columns, in this order. */
export const RESULTS_CSV_COLUMNS = ['tier', 'size', 'reoffenders', 'reoffences'] as const;
/** The header row. */
export const RESULTS_CSV_HEADER = RESULTS_CSV_COLUMNS.join(',');
/** The largest results file: a header and four rows of at most 8-digit counts fit in well under this. */
export const MAX_RESULTS_CSV_BYTES = 2048;
/** The longest row, in characters. */
export const MAX_RESULTS_CSV_ROW_CHARS = 200;

/** The results CSV cannot be read: every problem listed, rows numbered as in the file (the header is 1). */
export class InvalidResultsCsvError extends ValidationError {
  constructor(issues: FieldIssue[]) {
    super('The results file cannot be read', issues);
  }
}

const WHOLE = /^\d{1,9}$/;

function isTier(value: string): value is RiskTier {
  return (RISK_TIERS as readonly string[]).includes(value);
}

/**
 * Reads the results CSV.
 * @throws PayloadTooLargeError over `MAX_RESULTS_CSV_BYTES`; InvalidResultsCsvError for anything else.
 */
export function readCohortResultsCsv(text: string): { tiers: Partial<Record<RiskTier, TierResult>> } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_RESULTS_CSV_BYTES) {
    throw new PayloadTooLargeError(
      `The results file is ${bytes} bytes; it may be at most ${MAX_RESULTS_CSV_BYTES} (a header and one row per risk tier).`,
    );
  }
  let records: string[][];
  try {
    records = parse(text, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: false,
      max_record_size: MAX_RESULTS_CSV_ROW_CHARS,
      // The header and one row per tier, and one more so that a fifth row is seen and refused.
      to: RISK_TIERS.length + 2,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : undefined;
      throw new InvalidResultsCsvError([
        {
          path: line === undefined ? '' : `row ${line}`,
          message:
            error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
              ? `Every row needs ${RESULTS_CSV_COLUMNS.length} values: ${RESULTS_CSV_HEADER}`
              : 'This row cannot be read as CSV',
        },
      ]);
    }
    throw error;
  }
  const [header, ...rows] = records;
  if (!header || header.map((h) => h.toLowerCase()).join(',') !== RESULTS_CSV_HEADER) {
    throw new InvalidResultsCsvError([
      { path: 'row 1', message: `The first row must be the header ${RESULTS_CSV_HEADER}` },
    ]);
  }
  if (rows.length > RISK_TIERS.length) {
    throw new InvalidResultsCsvError([
      {
        path: '',
        message: `At most ${RISK_TIERS.length} rows, one per risk tier (${RISK_TIERS.join(', ')})`,
      },
    ]);
  }
  const issues: FieldIssue[] = [];
  const tiers: Partial<Record<RiskTier, TierResult>> = {};
  rows.forEach((row, index) => {
    const at = `row ${index + 2}`;
    const [tier = '', ...values] = row;
    const name = tier.toLowerCase();
    if (!isTier(name)) {
      issues.push({ path: at, message: `Not a risk tier: use ${RISK_TIERS.join(', ')}` });
      return;
    }
    if (tiers[name]) {
      issues.push({ path: at, message: 'This risk tier is given twice' });
      return;
    }
    const numbers: number[] = [];
    values.forEach((value, column) => {
      if (WHOLE.test(value)) numbers.push(Number(value));
      else issues.push({ path: `${at}.${RESULTS_CSV_COLUMNS[column + 1]}`, message: 'Use a whole number' });
    });
    const [size, reoffenders, reoffences] = numbers;
    if (numbers.length === 3 && size !== undefined && reoffenders !== undefined && reoffences !== undefined) {
      tiers[name] = { size, reoffenders, reoffences };
    }
  });
  if (issues.length > 0) throw new InvalidResultsCsvError(issues);
  return { tiers };
}
