/**
 * Issue 11's sub-contracting rules, pure: a return only for a quarter that is over; "no data" is not
 * "target met"; what the spend-return form accepts as a CSV upload.
 */
import { describe, expect, it } from 'vitest';
import {
  completeQuarters,
  filingPeriodProblem,
  lastCompleteQuarter,
  previousQuarter,
} from '../../shared/domain/return-periods';
import { figuresOf, zeroSums } from '../../shared/domain/subcontracting';
import type { UploadedFile } from '../../shared/web/multipart';
import { MAX_CSV_BYTES, readUpload } from '../../shared/web/pages/spend-return-upload';

describe('which quarter a return may be filed for', () => {
  const contract = { startDate: '2025-05-15', endDate: '2027-02-10' };
  const today = '2026-11-22';

  it('refuses the quarter in progress, and accepts it from the day after it ends', () => {
    expect(filingPeriodProblem('2026-Q4', contract, today)).toMatch(
      /2026-Q4 has not ended yet.*from the day after 2026-12-31.*last complete quarter is 2026-Q3/,
    );
    expect(filingPeriodProblem('2026-Q4', contract, '2026-12-31')).toMatch(/not ended/);
    expect(filingPeriodProblem('2026-Q4', contract, '2027-01-01')).toBeUndefined();
  });

  it('accepts any ended quarter of the contract, late or again (amendments)', () => {
    expect(filingPeriodProblem('2025-Q2', contract, today)).toBeUndefined(); // the contract starts mid-quarter
    expect(filingPeriodProblem('2026-Q3', contract, today)).toBeUndefined();
    expect(filingPeriodProblem('2026-Q3', contract, '2029-01-01')).toBeUndefined();
  });

  it('refuses future quarters, quarters outside the contract and malformed ones', () => {
    expect(filingPeriodProblem('2027-Q1', contract, today)).toMatch(/not started/);
    expect(filingPeriodProblem('2025-Q1', contract, today)).toMatch(/outside the contract/);
    expect(filingPeriodProblem('2027-Q2', contract, '2027-06-01')).toMatch(/outside the contract/);
    expect(filingPeriodProblem('2025-Q5', contract, today)).toMatch(/calendar quarter/);
  });

  it("counts a contract's last, cut-short quarter as over once the contract has ended", () => {
    expect(filingPeriodProblem('2027-Q1', contract, '2027-02-10')).toMatch(/not ended/);
    expect(filingPeriodProblem('2027-Q1', contract, '2027-02-11')).toBeUndefined();
  });

  it('names the last complete quarters', () => {
    expect(previousQuarter('2026-Q1')).toBe('2025-Q4');
    expect(lastCompleteQuarter('2026-11-22')).toBe('2026-Q3');
    expect(lastCompleteQuarter('2027-01-01')).toBe('2026-Q4');
    expect(completeQuarters(new Date('2026-11-22T00:00:00Z'), 4)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
    ]);
  });
});

describe('target met', () => {
  it('is null, not true, where no contract has filed (a region with no contracts)', () => {
    const figures = figuresOf(zeroSums(), 30);
    expect(figures.subcontractedPercent).toBe(0);
    expect(figures.target.met).toBeNull();
  });

  it("is null for a contract's figures before its first return, and judged after", () => {
    const value = { ...zeroSums(), contractValuePence: 1000, targetPence: 100 };
    const targets = { targetPercent: 10, voluntarySectorTargetPercent: 25 };
    const before = figuresOf(value, 30, targets, false);
    expect(before.target.met).toBeNull();
    expect(before.target.voluntarySectorMet).toBeNull();
    const nothingPaid = figuresOf(value, 30, targets, true);
    expect(nothingPaid.target.met).toBe(false);
    // Nothing paid to sub-contractors: no share to judge.
    expect(nothingPaid.target.voluntarySectorMet).toBeNull();
    const paid = figuresOf({ ...value, subcontractedPence: 100, voluntaryPence: 30 }, 30, targets, true);
    expect(paid.target).toMatchObject({ met: true, voluntarySectorMet: true });
  });
});

describe('the spend-return upload', () => {
  const file = (content: string | Buffer, filename = 'spend.csv', mimeType = 'text/csv'): UploadedFile => ({
    filename,
    mimeType,
    content: typeof content === 'string' ? Buffer.from(content) : content,
    truncated: false,
  });
  const csv = 'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount\nA,1,2026-07-01,2026-07-02,1.00\n';

  it('reads a CSV file, or pasted rows', () => {
    expect(readUpload(file(csv), '', false)).toEqual({
      csv,
      source: { kind: 'file', filename: 'spend.csv' },
    });
    // Windows browsers call a CSV file an Excel one.
    expect(readUpload(file(csv, 'S.CSV', 'application/vnd.ms-excel'), ' ', false)).toMatchObject({ csv });
    expect(readUpload(undefined, csv, false)).toEqual({ csv, source: { kind: 'paste' } });
  });

  it('says what is wrong with anything else, against the field it concerns', () => {
    const problem = (outcome: ReturnType<typeof readUpload>) =>
      'issues' in outcome ? outcome.issues : 'no problem';
    expect(problem(readUpload(undefined, '  ', false))).toEqual([
      { path: 'csvFile', message: 'Select a CSV file, or paste the rows of your spend return' },
    ]);
    expect(problem(readUpload(file(csv), csv, false))).toEqual([
      { path: 'csvFile', message: 'Choose a CSV file or paste the rows, not both' },
    ]);
    expect(problem(readUpload({ ...file(csv), truncated: true }, '', false))).toEqual([
      { path: 'csvFile', message: 'The selected file must be smaller than 5MB' },
    ]);
    expect(problem(readUpload(file(Buffer.alloc(MAX_CSV_BYTES + 1, 'a')), '', false))).toEqual([
      { path: 'csvFile', message: 'The selected file must be smaller than 5MB' },
    ]);
    expect(problem(readUpload(file(''), '', false))).toEqual([
      { path: 'csvFile', message: 'The selected file is empty' },
    ]);
    expect(problem(readUpload(file('\uFEFF \n'), '', false))).toEqual([
      { path: 'csvFile', message: 'The selected file is empty' },
    ]);
    expect(
      problem(readUpload(file(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2]), 'spend.xlsx'), '', false)),
    ).toEqual([
      {
        path: 'csvFile',
        message: 'The selected file must be a CSV: in your spreadsheet choose "Save as" and "CSV UTF-8"',
      },
    ]);
    expect(problem(readUpload(file('%PDF-1.7', 'spend.pdf', 'application/pdf'), '', false))).toEqual([
      { path: 'csvFile', message: 'The selected file must be a CSV' },
    ]);
    expect(problem(readUpload(file(Buffer.from([0x41, 0xa3, 0x0a])), '', false))).toEqual([
      { path: 'csvFile', message: 'The selected file must be a CSV saved as UTF-8' },
    ]);
    expect(problem(readUpload(undefined, 'x'.repeat(10), true))).toEqual([
      { path: 'csv', message: 'The pasted rows must be smaller than 5MB' },
    ]);
  });
});
