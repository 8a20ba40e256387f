/**
 * Reading CSV spend returns with csv-parse, within bounds: junk, rows with the wrong number of values,
 * over-long rows, rows of commas, unclosed quotes and a 5 MB file of junk all stop reading early with at
 * most `MAX_REPORTED_ISSUES` + 1 problems, and the refusal lists 100 of them and one line saying how many
 * more.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ISSUES, reportIssues } from '../../shared/domain/subcontracting/line-issues';
import {
  CSV_HEADER,
  MAX_CSV_ROW_CHARS,
  MAX_LINES_PER_RETURN,
} from '../../shared/domain/subcontracting/lines';
import { parseSpendReturnCsv } from '../../shared/domain/subcontracting/reading';

const FIVE_MB = 5_000_000;
const good = (i: number) => `SC-1,INV-${i},2026-07-01,2026-07-02,1.00`;

/** Deterministic junk: noise with commas, quotes and line ends, `chars` long (a block of noise repeated). */
function junk(chars: number, seed = 7): string {
  let state = seed;
  const alphabet = 'abcXYZ019 ,,,;\t"\n\r£é-.';
  const out: string[] = [];
  for (let i = 0; i < Math.min(chars, 65_537); i += 1) {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    out.push(alphabet[state % alphabet.length] as string);
  }
  const block = out.join('');
  return block.repeat(Math.ceil(chars / block.length)).slice(0, chars);
}

describe('reading CSV within bounds', () => {
  it('counts rows with the wrong number of values towards the cap, and stops reading past it', () => {
    const rows = Array.from({ length: 500 }, (_, i) => `SC-1,INV-${i},2026-07-01`);
    const read = parseSpendReturnCsv([CSV_HEADER, ...rows].join('\n'));
    expect(read.lines).toEqual([]);
    expect(read.issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(read.issues[0]).toEqual({ position: 1, field: 'row', message: 'Expected 5 values, found 3' });
    expect(read.stoppedAfter).toBe(MAX_REPORTED_ISSUES + 1);
  });

  it('calls a header column named like an Object.prototype property unknown', () => {
    const read = parseSpendReturnCsv(`${CSV_HEADER},constructor\n${good(1)}`);
    expect(read.issues).toContainEqual({
      position: 0,
      field: 'header',
      message: expect.stringContaining('Unknown column "constructor"'),
    });
  });

  it('refuses a header of junk at once, without reading the rows', () => {
    const read = parseSpendReturnCsv(`${junk(200)}\n${good(1)}`);
    expect(read.lines).toEqual([]);
    expect(read.issues.length).toBeGreaterThan(0);
    expect(read.issues.every((i) => i.position === 0 && i.field === 'header')).toBe(true);
  });

  it('stops at a row longer than the limit (or a quote never closed, which runs on)', () => {
    const long = parseSpendReturnCsv([CSV_HEADER, good(1), `SC-1,${'x'.repeat(FIVE_MB)},a,b,c`].join('\n'));
    expect(long.lines).toHaveLength(1);
    expect(long.issues).toEqual([
      { position: 2, field: 'row', message: expect.stringMatching(/longer than 1,000 characters/) },
    ]);
    expect(long.stoppedAfter).toBe(2);
    const open = parseSpendReturnCsv([CSV_HEADER, good(1), `"SC-1,${'y\n'.repeat(FIVE_MB / 2)}`].join('\n'));
    expect(open.issues).toEqual([
      { position: 2, field: 'row', message: expect.stringMatching(/never closed/) },
    ]);
    expect(MAX_CSV_ROW_CHARS).toBe(1_000);
  });

  it('stops at a line of commas, whose values are empty but whose fields are not', () => {
    const read = parseSpendReturnCsv(`${CSV_HEADER}\n${good(1)}\r\n\r\n${','.repeat(FIVE_MB)}\n${good(2)}`);
    expect(read.lines.map((l) => l.position)).toEqual([1]);
    expect(read.issues).toEqual([
      { position: 3, field: 'row', message: expect.stringMatching(/longer than 1,000 characters/) },
    ]);
    expect(read.stoppedAfter).toBe(3);
    // A shorter line of commas is a row with the wrong number of values, like any other.
    expect(parseSpendReturnCsv(`${CSV_HEADER}\n${','.repeat(900)}`).issues).toEqual([
      { position: 1, field: 'row', message: 'Expected 5 values, found 901' },
    ]);
  });

  it('skips blank rows and rows of spaces, keeping their numbers', () => {
    const read = parseSpendReturnCsv([CSV_HEADER, '', '   ', good(1), '\t'].join('\r\n'));
    expect(read.issues).toEqual([]);
    expect(read.lines.map((l) => l.position)).toEqual([3]);
  });

  it(`stops at the row past ${MAX_LINES_PER_RETURN} lines`, () => {
    const rows = Array.from({ length: MAX_LINES_PER_RETURN + 50 }, (_, i) => good(i));
    const read = parseSpendReturnCsv([CSV_HEADER, ...rows].join('\n'));
    expect(read.lines).toHaveLength(MAX_LINES_PER_RETURN);
    expect(read.issues).toEqual([
      {
        position: MAX_LINES_PER_RETURN + 1,
        field: 'row',
        message: expect.stringMatching(/at most 10000 lines/),
      },
    ]);
    expect(read.stoppedAfter).toBe(MAX_LINES_PER_RETURN + 1);
  });

  it('reads a 5 MB file of junk after a good header only until the cap of problems is passed', () => {
    const text = `${CSV_HEADER}\n${junk(FIVE_MB)}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(FIVE_MB);
    const read = parseSpendReturnCsv(text);
    expect(read.issues.length).toBeLessThanOrEqual(MAX_REPORTED_ISSUES + 1);
    expect(read.lines.length).toBeLessThan(MAX_REPORTED_ISSUES + 1);
    expect(read.stoppedAfter).toBeDefined();
    // Stopped within the first few thousand lines of a file of about 400,000.
    expect(read.stoppedAfter).toBeLessThan(5_000);
    const report = reportIssues(read.issues, 'csv', read.stoppedAfter);
    expect(report.issues).toHaveLength(MAX_REPORTED_ISSUES + 1);
    expect(report.issues.at(-1)).toEqual({
      path: '',
      message: expect.stringMatching(
        /more problems? up to row \d+ .* not listed; the file was not checked past row/,
      ),
    });
    expect(report.detail).toMatch(/at least \d+ problems .*; the first 100 are listed/);
  });

  it('never throws and never reports more than the cap, whatever the text (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', 'a', ' ', '\ufeff'), maxLength: 400 }),
          fc
            .array(fc.string({ unit: fc.constantFrom('"', ',', 'x', '1', '.', '\r', '\n'), maxLength: 30 }), {
              maxLength: 300,
            })
            .map((rows) => [CSV_HEADER, ...rows].join('\n')),
        ),
        (text) => {
          const read = parseSpendReturnCsv(text);
          expect(read.issues.length).toBeLessThanOrEqual(MAX_REPORTED_ISSUES + 1);
          expect(read.lines.length).toBeLessThanOrEqual(MAX_LINES_PER_RETURN);
          for (const issue of read.issues) expect(Number.isInteger(issue.position)).toBe(true);
          for (const line of read.lines) expect(line.position).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a refusal lists at most 100 problems, then how many more', () => {
  const issues = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      position: n - i,
      field: 'amountPence' as const,
      message: `m${n - i}`,
    }));

  it('lists every problem when there are at most 100', () => {
    const report = reportIssues(issues(100), 'json');
    expect(report.issues).toHaveLength(100);
    expect(report.detail).toBe('The return has 100 problems; nothing was stored.');
  });

  it('lists the first 100 in row order and one line with the count of the rest', () => {
    const csv = reportIssues(issues(2_345), 'csv');
    expect(csv.issues).toHaveLength(101);
    expect(csv.issues[0]).toEqual({ row: 1, field: 'amount', message: 'm1' });
    expect(csv.issues[99]).toEqual({ row: 100, field: 'amount', message: 'm100' });
    expect(csv.issues[100]).toEqual({
      path: '',
      message: '2,245 more problems are not listed: correct the ones listed and send the return again.',
    });
    expect(csv.detail).toBe('The return has 2,345 problems; the first 100 are listed. Nothing was stored.');
    const json = reportIssues(issues(101), 'json');
    expect(json.issues.at(-1)).toEqual({
      path: 'lines',
      message: expect.stringMatching(/^1 more problem is not/),
    });
  });
});
