/**
 * CSV downloads of the pages' tables (pure), written to open cleanly in a spreadsheet (RFC 4180):
 *
 * - a header row, then one row per table row; CRLF line endings; UTF-8 with a byte-order mark, so Excel
 *   reads "£" and accented names correctly;
 * - a field is quoted when it holds a comma, a double quote, a line break or leading or trailing spaces,
 *   and double quotes inside are doubled;
 * - money is pounds with two decimals (`1234.50`), converted from integer pence exactly (no floating
 *   point), as DESIGN.md section 2 asks of every CSV;
 * - text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 *   return: a contract title typed by someone) is prefixed with `'`, as OWASP advises against CSV
 *   injection. Numbers are written as numbers and never prefixed.
 *
 * No package of the csv family that writes CSV is installed (only `csv-parse`, which the tests use to read
 * these files back), and the rules above are a few lines, so they are written here.
 */
import { formatPounds } from '../domain/subcontracting/money';

/** A cell written verbatim: a number already formatted (pounds, a percentage). */
export interface CsvNumber {
  readonly csvNumber: string;
}

/** One cell: text (quoted and guarded as needed), a number, a formatted number, or empty. */
export type CsvCell = string | number | CsvNumber | null | undefined;

/** Integer pence as pounds with two decimals, exactly: `123450` → `1234.50`. */
export function poundsCell(pence: number): CsvNumber {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`${pence} is not a whole number of pence`);
  return { csvNumber: formatPounds(pence) };
}

/** A number as a cell (no exponent for the numbers these pages show). */
export function numberCell(value: number): CsvNumber {
  if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
  return { csvNumber: String(value) };
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

/** One text field: guarded against formulas, then quoted if it must be. */
export function textField(text: string): string {
  const guarded = FORMULA_START.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

function field(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return numberCell(cell).csvNumber;
  if (typeof cell === 'string') return textField(cell);
  return cell.csvNumber;
}

/** The byte-order mark that tells spreadsheets the file is UTF-8. */
export const BOM = '\ufeff';

/** A CSV file: the header, then the rows, CRLF after every row. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  const lines = [header.map(textField), ...rows.map((row) => row.map(field))].map((cells) => cells.join(','));
  return `${BOM}${lines.join('\r\n')}\r\n`;
}

/**
 * The HTTP answer of a CSV download: an attachment with a safe file name, never cached (the figures are
 * for officials only).
 */
export function csvResponse(fileName: string, csv: string) {
  const safe = fileName.replace(/[^A-Za-z0-9._-]/g, '-');
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${safe}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: csv,
  };
}
