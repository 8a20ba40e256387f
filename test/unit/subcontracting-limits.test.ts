/**
 * Every number a spend return sends or the figures sum stays an exact integer: a line is at most
 * £1,000,000,000.00 and a return at most £1,000,000,000,000.00 (rules and schema, shown in the OpenAPI
 * document), a JSON return has at most 10,000 lines, figure items are bounded so the national report's sum
 * of 11 of them is exact, and a stored value that is not a safe integer is an error – never a silent 0.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/domain/contracts';
import { ValidationError } from '../../shared/domain/errors';
import {
  addSums,
  FIGURE_FIELDS,
  FIGURE_REGIONS,
  type FigureSums,
  MAX_FIGURE_VALUE,
  sumsFrom,
  zeroSums,
} from '../../shared/domain/subcontracting/figure-sums';
import { type LineRules, validateLines } from '../../shared/domain/subcontracting/line-rules';
import {
  type CandidateLine,
  MAX_LINES_PER_RETURN,
  totalPence,
} from '../../shared/domain/subcontracting/lines';
import { MAX_LINE_PENCE, MAX_RETURN_PENCE } from '../../shared/domain/subcontracting/money';
import { planLimitProblem, planReturnWrite } from '../../shared/domain/subcontracting/rollups';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { spendReturnJsonLines } from '../../shared/http/schemas/subcontracting';

const rules: LineRules = {
  period: '2026-Q3',
  knownRefs: new Set(['SC-1', 'SC-2']),
  today: '2026-11-22',
  describe: (p) => `lines.${p}`,
};
const line = (position: number, amountPence: number | undefined): CandidateLine => ({
  position,
  subcontractorRef: 'SC-1',
  invoiceRef: `INV-${position}`,
  invoiceDate: '2026-07-01',
  paidDate: '2026-07-15',
  amountPence,
});

const contract = (valuePence: number, regions: Contract['regions'] = ['london']) => ({
  id: '01JCONTRACT000000000000000',
  regions,
  valuePence,
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  subcontracting: { targetPercent: 10 },
});
const spendSums = (pence: number): FigureSums => ({
  ...zeroSums(),
  subcontractedPence: pence,
  privatePence: pence,
  largePence: pence,
  invoices: 1,
  promptInvoices: 1,
  daysToPay: 3,
});

describe('the bounds themselves', () => {
  it('keep every sum they allow a safe integer', () => {
    expect(MAX_LINE_PENCE).toBe(100_000_000_000); // £1,000,000,000.00
    expect(MAX_RETURN_PENCE).toBe(100_000_000_000_000); // £1,000,000,000,000.00
    // The running total of a return never leaves the safe range, even before the total rule refuses it.
    expect(MAX_LINE_PENCE * MAX_LINES_PER_RETURN).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    // The national report adds up one item per region (and national) exactly.
    expect(MAX_FIGURE_VALUE * FIGURE_REGIONS.length).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER);
    // One return always fits in a figure item.
    expect(MAX_RETURN_PENCE).toBeLessThan(MAX_FIGURE_VALUE);
  });
});

describe('line amounts and the return total', () => {
  it('accepts a whole amount from 1p to £1,000,000,000.00 and refuses anything else (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_LINE_PENCE }), (amount) => {
        expect(validateLines([line(0, amount)], rules).issues).toEqual([]);
      }),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: MAX_LINE_PENCE + 1, max: Number.MAX_SAFE_INTEGER }),
          fc.double({ min: MAX_LINE_PENCE, minExcluded: true, noNaN: true }),
          fc.integer({ max: 0 }),
          fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
        ),
        (amount) => {
          const result = validateLines([line(0, amount)], rules);
          expect(result.lines).toEqual([]);
          expect(result.issues).toEqual([{ position: 0, field: 'amountPence', message: expect.any(String) }]);
        },
      ),
    );
  });

  it('refuses a return whose total passes £1,000,000,000,000.00, on the line that passes it', () => {
    const most = Array.from({ length: 1_000 }, (_, i) => line(i, MAX_LINE_PENCE));
    const atTheBound = validateLines(most, rules);
    expect(atTheBound.issues).toEqual([]);
    expect(totalPence(atTheBound.lines)).toBe(MAX_RETURN_PENCE);
    const over = validateLines([...most, line(1_000, 1), line(1_001, 1)], rules);
    expect(over.lines).toEqual([]);
    expect(over.issues).toEqual([
      {
        position: 1_000,
        field: 'amountPence',
        message: expect.stringMatching(/total passes £1,000,000,000,000.00/),
      },
    ]);
  });

  it('gives every accepted return a total that is a safe integer within the bound (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: MAX_LINE_PENCE }), { maxLength: 40 }), (amounts) => {
        const result = validateLines(
          amounts.map((a, i) => line(i, a)),
          rules,
        );
        const exact = amounts.reduce((s, a) => s + BigInt(a), 0n);
        expect(result.issues.length === 0).toBe(exact <= BigInt(MAX_RETURN_PENCE));
        if (result.issues.length === 0) expect(BigInt(totalPence(result.lines))).toBe(exact);
      }),
    );
  });
});

describe('JSON returns: bounded by the schema, shown in the OpenAPI document', () => {
  const raw = (amountPence: unknown, invoiceDate = '2026-07-01') => ({
    subcontractorRef: 'SC-1',
    invoiceRef: 'INV-1',
    invoiceDate,
    paidDate: '2026-07-15',
    amountPence,
  });

  it(`refuses more than ${MAX_LINES_PER_RETURN} lines before looking at any of them`, () => {
    const lines = Array.from({ length: MAX_LINES_PER_RETURN + 1 }, () => ({}));
    expect(() => spendReturnJsonLines({ lines })).toThrow(ValidationError);
    try {
      spendReturnJsonLines({ lines });
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: 'lines', message: `A return may have at most ${MAX_LINES_PER_RETURN} lines` },
      ]);
    }
  });

  it('refuses an amount past the bound, and still checks the rest of the line', () => {
    const read = spendReturnJsonLines({ lines: [raw(2 ** 53, '2026-02-30'), raw(1.5), raw('100')] });
    expect(read.issues).toEqual([
      { position: 0, field: 'amountPence', message: 'Too large for one invoice: at most £1,000,000,000.00' },
      { position: 1, field: 'amountPence', message: 'Use a whole number of pence' },
      { position: 2, field: 'amountPence', message: expect.stringMatching(/number/) },
    ]);
    // The lines go on to the rules without their amounts: the bad date of the first is found there.
    expect(read.lines.map((l) => [l.position, l.amountPence])).toEqual([
      [0, undefined],
      [1, undefined],
      [2, undefined],
    ]);
    expect(validateLines(read.lines, rules).issues.map((i) => [i.position, i.field])).toEqual([
      [0, 'invoiceDate'],
      [1, 'invoiceRef'],
      [2, 'invoiceRef'],
    ]);
  });

  it('states the bounds in the OpenAPI document', () => {
    const doc = buildOpenApiDocument() as {
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    };
    const lines = doc.components.schemas.SpendReturnSubmission?.properties.lines as {
      maxItems: number;
      items: { properties: Record<string, Record<string, unknown>> };
    };
    expect(lines.maxItems).toBe(MAX_LINES_PER_RETURN);
    expect(lines.items.properties.amountPence).toMatchObject({
      type: 'integer',
      minimum: 1,
      maximum: MAX_LINE_PENCE,
    });
  });
});

describe('figures: exact integers or an error, never a silent 0', () => {
  it('reads stored sums only when every value is a safe integer', () => {
    expect(sumsFrom({ subcontractedPence: 5, invoices: 1 })).toEqual({
      ...zeroSums(),
      subcontractedPence: 5,
      invoices: 1,
    });
    // What the SDK hands back for a number past 2^53 (a BigInt), and what else is no exact integer.
    for (const bad of [2n ** 60n, 2 ** 53, 1.5, '5', Number.NaN, null]) {
      expect(() => sumsFrom({ subcontractedPence: bad }), String(bad)).toThrow(RangeError);
    }
  });

  it('refuses to add sums past the safe range', () => {
    const big = { ...zeroSums(), subcontractedPence: Number.MAX_SAFE_INTEGER };
    expect(() => addSums(big, { ...zeroSums(), subcontractedPence: 1 })).toThrow(RangeError);
  });

  it('plans a filing within bounds, or says which figures it would take past them', () => {
    const first = (valuePence: number, spend: number) =>
      planReturnWrite({
        contract: contract(valuePence),
        period: '2026-Q2',
        previous: undefined,
        contractFiled: false,
        sums: spendSums(spend),
      });
    expect(planLimitProblem(first(1_000_000_00, MAX_RETURN_PENCE), '2026-Q2')).toBeUndefined();
    expect(planLimitProblem(first(MAX_FIGURE_VALUE + 1, 1), '2026-Q2')).toMatch(
      `would take the figures of the contract past ${MAX_FIGURE_VALUE.toLocaleString('en-GB')}`,
    );
    expect(planLimitProblem(first(Number.MAX_SAFE_INTEGER, 1), '2026-Q2')).toMatch(/the 2026-Q2 return/);
  });

  it('keeps every planned figure a safe integer within the bound for values and spend within theirs (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_FIGURE_VALUE }),
        fc.integer({ min: 0, max: MAX_RETURN_PENCE }),
        fc.integer({ min: 0, max: MAX_RETURN_PENCE }),
        fc.subarray([...FIGURE_REGIONS.filter((r) => r !== 'national')], { minLength: 1 }),
        (value, before, after, regions) => {
          const previous = { ...spendSums(before), contractValuePence: 1, targetPence: 1 };
          const plan = planReturnWrite({
            contract: contract(value, regions),
            period: '2026-Q2',
            previous,
            contractFiled: true,
            sums: spendSums(after),
          });
          const all = [plan.period, plan.contract, ...plan.regions.flatMap((r) => [r.period, r.cumulative])];
          for (const sums of all) {
            for (const f of FIGURE_FIELDS) {
              expect(Number.isSafeInteger(sums[f])).toBe(true);
              expect(sums[f]).toBeLessThanOrEqual(MAX_FIGURE_VALUE);
            }
          }
          expect(planLimitProblem(plan, '2026-Q2')).toBeUndefined();
        },
      ),
      { numRuns: 200 },
    );
  });
});
