/**
 * Issue 18: a cohort's results as CSV (`readCohortResultsCsv`), bounded before csv-parse reads it, tiers
 * looked up and never used as keys unchecked; and the statement's content negotiation (`prefersCsv`).
 */
import { describe, expect, it } from 'vitest';
import { prefersCsv } from '../../functions/payment-by-results/accept';
import { PayloadTooLargeError } from '../../shared/domain/errors';
import {
  InvalidResultsCsvError,
  MAX_RESULTS_CSV_BYTES,
  readCohortResultsCsv,
} from '../../shared/domain/payment-by-results/results-csv';

const HEADER = 'tier,size,reoffenders,reoffences';

function issuesOf(text: string) {
  try {
    readCohortResultsCsv(text);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidResultsCsvError);
    return (error as InvalidResultsCsvError).issues;
  }
  throw new Error('expected the file to be refused');
}

describe('readCohortResultsCsv', () => {
  it('reads the tiers, with a BOM, CRLF, quotes, spaces, header case and blank lines', () => {
    const text = `\ufeffTier, Size ,REOFFENDERS,reoffences\r\nlow,40,10,14\r\n\r\n"very_high", 3 ,"1",2\r\n`;
    expect(readCohortResultsCsv(text)).toEqual({
      tiers: {
        low: { size: 40, reoffenders: 10, reoffences: 14 },
        very_high: { size: 3, reoffenders: 1, reoffences: 2 },
      },
    });
  });

  it('reads a header alone as no tiers (the domain then judges the sizes)', () => {
    expect(readCohortResultsCsv(`${HEADER}\n`)).toEqual({ tiers: {} });
  });

  it('refuses a missing or different header', () => {
    expect(issuesOf('low,40,10,14\n')).toEqual([{ path: 'row 1', message: expect.stringContaining(HEADER) }]);
    expect(issuesOf('tier,size,reoffences,reoffenders\nlow,1,1,1\n')[0]?.path).toBe('row 1');
    expect(issuesOf('')[0]?.path).toBe('row 1');
  });

  it('refuses Object.prototype names and unknown tiers as tiers, and a tier given twice', () => {
    for (const tier of ['constructor', '__proto__', 'toString', 'LOWEST']) {
      expect(issuesOf(`${HEADER}\n${tier},1,0,0\n`)).toEqual([
        { path: 'row 2', message: expect.stringMatching(/^Not a risk tier/) },
      ]);
    }
    expect(issuesOf(`${HEADER}\nlow,1,0,0\nLOW,2,0,0\n`)).toEqual([
      { path: 'row 3', message: 'This risk tier is given twice' },
    ]);
  });

  it('refuses values that are not whole numbers, naming the row and column', () => {
    expect(issuesOf(`${HEADER}\nhigh,-1,1.5,1e3\n`).map((issue) => issue.path)).toEqual([
      'row 2.size',
      'row 2.reoffenders',
      'row 2.reoffences',
    ]);
    expect(issuesOf(`${HEADER}\nhigh,1234567890,0,0\n`)[0]?.path).toBe('row 2.size');
  });

  it('refuses rows with the wrong number of values, more rows than tiers, and unreadable CSV', () => {
    expect(issuesOf(`${HEADER}\nlow,1,0\n`)[0]?.message).toContain('4 values');
    expect(issuesOf(`${HEADER}\n${'low,1,0,0\n'.repeat(5)}`)[0]?.message).toMatch(/At most 4 rows/);
    expect(issuesOf(`${HEADER}\nlow,"1,0,0\n`)[0]?.message).toBe('This row cannot be read as CSV');
    expect(issuesOf(`${HEADER}\nlow,${'1'.repeat(300)},0,0\n`)[0]?.message).toBe(
      'This row cannot be read as CSV',
    );
  });

  it('refuses a file over the byte bound before reading it', () => {
    const text = `${HEADER}\n${' '.repeat(MAX_RESULTS_CSV_BYTES)}`;
    expect(() => readCohortResultsCsv(text)).toThrow(PayloadTooLargeError);
  });
});

describe('prefersCsv', () => {
  it('is true only when text/csv is preferred to JSON', () => {
    expect(prefersCsv('text/csv')).toBe(true);
    expect(prefersCsv('text/csv, application/json;q=0.5')).toBe(true);
    expect(prefersCsv('application/json;q=0.1, text/csv;q=0.9')).toBe(true);
    expect(prefersCsv(undefined)).toBe(false);
    expect(prefersCsv('*/*')).toBe(false);
    expect(prefersCsv('application/json')).toBe(false);
    expect(prefersCsv('text/csv, application/json')).toBe(false);
    expect(prefersCsv('application/json, text/csv;q=0.5')).toBe(false);
    expect(prefersCsv('text/csv;q=0')).toBe(false);
    expect(prefersCsv('text/html,application/xhtml+xml,*/*;q=0.8')).toBe(false);
  });
});
