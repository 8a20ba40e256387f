/**
 * Reading a CSV spend return into candidate lines (pure: the text is already in memory). CSV is read by
 * `csv-parse` (RFC 4180: commas, `"` quoting with `""` escapes, CRLF, LF or CR line ends, an optional BOM),
 * with its relax options off and its limits on, so a file of junk costs little:
 *
 * - the file is read only up to its first line longer than `MAX_CSV_ROW_CHARS` (commas included: a line
 *   of commas is short in values but not in fields); reading stops there with that row's problem;
 * - a row whose values pass `MAX_CSV_ROW_CHARS` (a quoted value spanning lines, or a quote never closed,
 *   which runs on to the end of the file) stops reading (csv-parse's `max_record_size`);
 * - a quote in the wrong place stops reading too: past it, where rows begin and end is guesswork;
 * - reading stops at the first problem past `MAX_REPORTED_ISSUES`, and at the row past
 *   `MAX_LINES_PER_RETURN` lines (csv-parse's `to` is a backstop for the same bound).
 *
 * Rows are numbered like the lines of the file: row n is line n + 1 (the header is row 0, line 1), blank
 * lines included, and a row whose values span lines is numbered by the line it starts on.
 */
import { type CsvError, parse } from 'csv-parse/sync';
import { MAX_REPORTED_ISSUES } from './line-issues';
import {
  type CandidateLine,
  CSV_COLUMNS,
  CSV_HEADER,
  type LineIssue,
  MAX_CSV_ROW_CHARS,
  MAX_LINES_PER_RETURN,
} from './lines';
import { parsePounds } from './money';

/** A CSV return as read: its lines, the problems found while reading, and where reading stopped early. */
export interface CsvReading {
  lines: CandidateLine[];
  issues: LineIssue[];
  /**
   * The row past which the file was not read, when reading stopped before its end (too many problems or
   * rows, or a row that cannot be read past); problems beyond it were not looked for.
   */
  stoppedAfter?: number;
}

/** Thrown from csv-parse's callbacks to stop reading (they return it from `parse`, which throws it). */
class StopReading extends Error {}

const LONG_ROW = `This row is longer than ${MAX_CSV_ROW_CHARS.toLocaleString('en-GB')} characters, or a quoted value in it is never closed: the rest of the file was not read`;

/**
 * The first line of the text longer than `limit` characters: its offset and its 1-based number (CRLF, LF
 * and CR each end a line, as in the file), or undefined when there is none.
 */
function firstLongLine(text: string, limit: number): { offset: number; line: number } | undefined {
  let start = 0;
  let line = 1;
  for (let i = 0; i <= text.length; i += 1) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c !== 10 && c !== 13) continue;
    if (i - start > limit) return { offset: start, line };
    if (c === 13 && text.charCodeAt(i + 1) === 10) i += 1;
    start = i + 1;
    line += 1;
  }
  return undefined;
}

/**
 * Line breaks inside a record's values, as csv-parse counts them (each CR and each LF: a CRLF inside quotes
 * counts twice), and how many of them are the second half of a CRLF (counted once in the file).
 */
function breaksIn(values: readonly string[]): { counted: number; doubled: number } {
  let counted = 0;
  let doubled = 0;
  for (const value of values) {
    if (!value.includes('\n') && !value.includes('\r')) continue;
    for (let i = 0; i < value.length; i += 1) {
      const c = value.charCodeAt(i);
      if (c === 10 || c === 13) counted += 1;
      if (c === 10 && i > 0 && value.charCodeAt(i - 1) === 13) doubled += 1;
    }
  }
  return { counted, doubled };
}

/** What a csv-parse error says to a person, and whether reading can go on past it. */
function describe(error: CsvError, width: number): { message: string; stop: boolean } {
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH': {
      const found = Array.isArray(error.record) ? error.record.length : 0;
      return { message: `Expected ${width} values, found ${found}`, stop: false };
    }
    case 'INVALID_OPENING_QUOTE':
      return {
        message:
          'A quote may only start a value: put the whole value in quotes, and double any quote inside it',
        stop: false,
      };
    case 'CSV_MAX_RECORD_SIZE':
      return { message: LONG_ROW, stop: true };
    case 'CSV_QUOTE_NOT_CLOSED':
      return { message: 'A quoted value is never closed', stop: true };
    case 'CSV_INVALID_CLOSING_QUOTE':
      return {
        message:
          'A closing quote must be followed by a comma or the end of the line: the rest of the file was not read',
        stop: true,
      };
    default:
      return { message: 'This row cannot be read as CSV: the rest of the file was not read', stop: true };
  }
}

/**
 * Reads a CSV spend return: the header `subcontractor_ref,invoice_ref,invoice_date,paid_date,amount` (in
 * any order, case and surrounding spaces ignored), then one line per data row; blank rows are skipped.
 * Amounts are pounds with two decimals, converted exactly to pence. Work and memory are bounded whatever
 * the text holds (see the module comment).
 */
export function parseSpendReturnCsv(text: string): CsvReading {
  const lines: CandidateLine[] = [];
  const issues: LineIssue[] = [];
  let stoppedAfter: number | undefined;
  /** Column name → index, once the header is read. */
  let columns: Map<string, number> | undefined;
  let width = 0;
  // Where the last row ended (or a blank one), and how many blank lines csv-parse had skipped by then: a
  // row it refuses starts on the first line after that which is not blank. All in csv-parse's count of
  // lines, which is one too many for each CRLF inside quotes so far (`doubled`).
  let lastEnd = 0;
  let blanksAtLastEnd = 0;
  let doubled = 0;
  const nextRow = (blankLines: unknown) => lastEnd + (Number(blankLines) - blanksAtLastEnd) - doubled;
  /** The row a record starts on, from the line csv-parse ends it on; notes where it ended. */
  const rowOf = (values: readonly string[], endLine: number, blankLines: number) => {
    const breaks = breaksIn(values);
    const row = endLine - 1 - breaks.counted - doubled;
    lastEnd = endLine;
    blanksAtLastEnd = blankLines;
    doubled += breaks.doubled;
    return row;
  };

  const stop = (row: number): never => {
    stoppedAfter = row;
    throw new StopReading();
  };
  const report = (issue: LineIssue) => {
    issues.push(issue);
    if (issues.length > MAX_REPORTED_ISSUES) stop(issue.position);
  };

  const readHeader = (values: string[]) => {
    const headerIssue = (message: string) => issues.push({ position: 0, field: 'header', message });
    const names = values.map((v) => v.trim().toLowerCase());
    const index = new Map<string, number>();
    names.forEach((name, i) => {
      if (!Object.hasOwn(CSV_COLUMNS, name))
        headerIssue(`Unknown column "${name}": the header is ${CSV_HEADER}`);
      else if (index.has(name)) headerIssue(`Column ${name} appears twice`);
      else index.set(name, i);
    });
    for (const column of Object.keys(CSV_COLUMNS)) {
      if (!index.has(column)) headerIssue(`Column ${column} is missing: the header is ${CSV_HEADER}`);
    }
    // Without a sound header no row can be read: the header's problems are the answer.
    if (issues.length > 0) throw new StopReading();
    columns = index;
    width = names.length;
  };

  const readRow = (row: number, values: string[]) => {
    if (lines.length >= MAX_LINES_PER_RETURN) {
      report({
        position: row,
        field: 'row',
        message: `A return may have at most ${MAX_LINES_PER_RETURN} lines: split it or contact the commissioner`,
      });
      stop(row);
    }
    const at = columns as Map<string, number>;
    const value = (name: keyof typeof CSV_COLUMNS) => (values[at.get(name) as number] ?? '').trim();
    const amount = parsePounds(value('amount'));
    if ('error' in amount) report({ position: row, field: 'amountPence', message: amount.error });
    lines.push({
      position: row,
      subcontractorRef: value('subcontractor_ref'),
      invoiceRef: value('invoice_ref'),
      invoiceDate: value('invoice_date'),
      paidDate: value('paid_date'),
      amountPence: 'pence' in amount ? amount.pence : undefined,
    });
  };

  // Only the text before the first over-long line is handed to csv-parse: that line is refused whatever
  // it holds, and csv-parse would otherwise build a record of every comma in it before saying so.
  const long = firstLongLine(text, MAX_CSV_ROW_CHARS);
  try {
    parse(long ? text.slice(0, long.offset) : text, {
      bom: true,
      delimiter: ',',
      quote: '"',
      escape: '"',
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: false,
      relax_quotes: false,
      skip_empty_lines: true,
      // Refused rows are reported (`on_skip`) and reading goes on, within the limits.
      skip_records_with_error: true,
      max_record_size: MAX_CSV_ROW_CHARS,
      // The header, the most lines a return may have, and one more to say there are too many.
      to: MAX_LINES_PER_RETURN + 2,
      on_record: (values: string[], info) => {
        const row = rowOf(values, info.lines, info.empty_lines);
        if (columns === undefined) readHeader(values);
        else readRow(row, values);
        return null;
      },
      on_skip: (error) => {
        if (!error) return;
        const record = Array.isArray(error.record) ? (error.record as string[]) : undefined;
        const row = record
          ? rowOf(record, Number(error.lines), Number(error.empty_lines))
          : nextRow(error.empty_lines);
        // A line of spaces is a blank row, as it looks.
        if (record?.length === 1 && (record[0] ?? '').trim() === '') return;
        if (columns === undefined) {
          issues.push({ position: 0, field: 'header', message: describe(error, width).message });
          throw new StopReading();
        }
        const { message, stop: fatal } = describe(error, width);
        report({ position: row, field: 'row', message });
        if (fatal) stop(row);
      },
    });
    // Read to the over-long line without stopping: it is the row where reading stops.
    if (long) {
      if (columns === undefined) issues.push({ position: 0, field: 'header', message: LONG_ROW });
      else {
        report({ position: long.line - 1, field: 'row', message: LONG_ROW });
        stop(long.line - 1);
      }
    }
  } catch (error) {
    if (!(error instanceof StopReading)) throw error;
  }
  if (columns === undefined && issues.length === 0) {
    issues.push({ position: 0, field: 'header', message: `Start with the header line ${CSV_HEADER}` });
  }
  return { lines, issues, ...(stoppedAfter !== undefined ? { stoppedAfter } : {}) };
}
