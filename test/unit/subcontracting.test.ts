/**
 * Sub-contracting rules: money parsing, CSV reading, periods, line rules, identity and hashing, supply
 * chains, contract drafts, every figure, and the aggregation invariant (figures maintained by deltas equal
 * a recomputation from the latest versions) as properties.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Contract } from '../../shared/domain/contracts';
import { REGIONS } from '../../shared/domain/reference-data';
import {
  addSums,
  type CandidateLine,
  CSV_HEADER,
  contractDraftIssues,
  contractValueSums,
  daysBetween,
  FIGURE_FIELDS,
  type FigureRegion,
  type FigureSums,
  figureRegions,
  figuresOf,
  formatPounds,
  isIsoDate,
  type LineRules,
  lineIdOf,
  MAX_LINES_PER_RETURN,
  parsePounds,
  parseSpendReturnCsv,
  percentOf,
  periodBounds,
  periodOf,
  periodValuePence,
  periodValueSums,
  planReturnWrite,
  type RegisteredProvider,
  ratioOf,
  resolveSupplyChain,
  returnHash,
  returnSums,
  type SpendLine,
  type SubcontractorProfile,
  spendOnly,
  splitAcross,
  subtractSums,
  targetPenceOf,
  toFieldIssues,
  validateLines,
  zeroSums,
} from '../../shared/domain/subcontracting';

const line = (overrides: Partial<CandidateLine> = {}): CandidateLine => ({
  position: 0,
  subcontractorRef: 'SC-1',
  invoiceRef: 'INV-1',
  invoiceDate: '2026-07-01',
  paidDate: '2026-07-15',
  amountPence: 12_345,
  ...overrides,
});

const rules = (overrides: Partial<LineRules> = {}): LineRules => ({
  period: '2026-Q3',
  knownRefs: new Set(['SC-1', 'SC-2']),
  today: '2026-11-22',
  describe: (p) => `row ${p}`,
  ...overrides,
});

describe('money: pounds with two decimals to pence, exactly', () => {
  it.each([
    ['0.01', 1],
    ['0.10', 10],
    ['1.00', 100],
    ['12.50', 1250],
    ['1234.56', 123456],
    ['  99.99 ', 9999],
    ['0.00', 0],
    ['999999999999.99', 99_999_999_999_999],
    // A value where a float conversion (19.99 * 100 = 1998.9999999999998) goes wrong.
    ['19.99', 1999],
    ['1.15', 115],
    ['4.35', 435],
  ])('reads %s as %i pence', (text, pence) => {
    expect(parsePounds(text)).toEqual({ pence });
  });

  it.each([
    '12.5',
    '12',
    '12.',
    '.50',
    '12.345',
    '1,000.00',
    '1 000.00',
    '£12.00',
    '-3.00',
    '+3.00',
    '1e3',
    '1.5e2',
    '012.00',
    '0x10.00',
    'NaN',
    'Infinity',
    '',
    '12,50',
    '1000000000000.00',
  ])('refuses %j', (text) => {
    expect(parsePounds(text)).toHaveProperty('error');
  });

  it('says a negative amount must be more than zero', () => {
    expect(parsePounds('-3.00')).toEqual({ error: expect.stringMatching(/more than zero/) });
  });

  it('round-trips every amount through its pounds form (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999_999_999_999 }), (pence) => {
        expect(parsePounds(formatPounds(pence))).toEqual({ pence });
      }),
    );
  });

  it('agrees with exact integer arithmetic on any well-formed input and never throws on junk (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        const result = parsePounds(text);
        const match = /^(0|[1-9]\d{0,11})\.(\d{2})$/.exec(text.trim());
        if (match) {
          expect(result).toEqual({
            pence: Number(BigInt(match[1] as string) * 100n + BigInt(match[2] as string)),
          });
        } else expect(result).toHaveProperty('error');
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: 999_999_999 }), fc.nat({ max: 99 }), (pounds, pence) => {
        const text = `${pounds}.${String(pence).padStart(2, '0')}`;
        expect(parsePounds(text)).toEqual({ pence: pounds * 100 + pence });
      }),
    );
  });

  it('formats pence as pounds', () => {
    expect(formatPounds(0)).toBe('0.00');
    expect(formatPounds(5)).toBe('0.05');
    expect(formatPounds(123456)).toBe('1234.56');
    expect(formatPounds(-250)).toBe('-2.50');
  });
});

describe('CSV', () => {
  const header = `${CSV_HEADER}\r\n`;
  const values = (text: string) =>
    parseSpendReturnCsv(text).lines.map((l) => [
      l.position,
      l.subcontractorRef,
      l.invoiceRef,
      l.invoiceDate,
      l.paidDate,
      l.amountPence,
    ]);

  it('reads quoting, escaped quotes, CRLF and a byte-order mark (csv-parse)', () => {
    const text = `\ufeff${header}"SC, 1","say ""hi""",2026-07-01,2026-07-02,1.00\r\n\r\nSC-2,I-2,2026-07-01,2026-07-02,2.00`;
    expect(parseSpendReturnCsv(text).issues).toEqual([]);
    expect(values(text)).toEqual([
      [1, 'SC, 1', 'say "hi"', '2026-07-01', '2026-07-02', 100],
      [3, 'SC-2', 'I-2', '2026-07-01', '2026-07-02', 200],
    ]);
  });

  it('reads old Mac line ends and values spanning lines, numbering a row by the line it starts on', () => {
    const text = `${CSV_HEADER}\rA,1,2026-07-01,2026-07-02,1.00\r"x\r\ny",2,2026-07-01,2026-07-02,1.00\nB,3,2026-07-01,2026-07-02,1.00`;
    expect(values(text).map(([row, ref]) => [row, ref])).toEqual([
      [1, 'A'],
      [2, 'x\r\ny'],
      [4, 'B'],
    ]);
  });

  it('reports an unclosed quote, and text after a closing quote, by row, and reads no further', () => {
    expect(parseSpendReturnCsv(`${header}"open,1,2026-07-01,2026-07-02,1.00`)).toEqual({
      lines: [],
      issues: [{ position: 1, field: 'row', message: 'A quoted value is never closed' }],
      stoppedAfter: 1,
    });
    const after = parseSpendReturnCsv(
      `${header}A,1,2026-07-01,2026-07-02,1.00\n"x"y,1,2026-07-01,2026-07-02,1.00\nB,2,2026-07-01,2026-07-02,1.00`,
    );
    expect(after.issues).toEqual([
      { position: 2, field: 'row', message: expect.stringMatching(/closing quote/) },
    ]);
    expect(after.lines.map((l) => l.position)).toEqual([1]);
    expect(after.stoppedAfter).toBe(2);
  });

  it('reads back any table of values written with quoting (property)', () => {
    const cell = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
        (rows) => {
          const quote = (v: string) => `"${v.replaceAll('"', '""')}"`;
          // Amounts are always well formed here: what is under test is the quoting of the other values.
          const text = [CSV_HEADER, ...rows.map((r) => [...r.map(quote), '1.00'].join(','))].join('\r\n');
          const read = parseSpendReturnCsv(text);
          expect(read.issues).toEqual([]);
          expect(
            read.lines.map((l) => [l.subcontractorRef, l.invoiceRef, l.invoiceDate, l.paidDate]),
          ).toEqual(rows.map((r) => r.map((v) => v.trim())));
        },
      ),
    );
  });

  it('reads a spend return: header in any order and case, blank rows skipped, amounts in pence', () => {
    const text = [
      ' Amount ,PAID_DATE,invoice_date,invoice_ref,subcontractor_ref',
      '10.00,2026-07-15,2026-07-01,INV-1,SC-1',
      '',
      '0.99,2026-08-15,2026-08-01,INV-2,SC-2',
    ].join('\n');
    expect(parseSpendReturnCsv(text)).toEqual({
      issues: [],
      lines: [
        {
          position: 1,
          subcontractorRef: 'SC-1',
          invoiceRef: 'INV-1',
          invoiceDate: '2026-07-01',
          paidDate: '2026-07-15',
          amountPence: 1000,
        },
        {
          position: 3,
          subcontractorRef: 'SC-2',
          invoiceRef: 'INV-2',
          invoiceDate: '2026-08-01',
          paidDate: '2026-08-15',
          amountPence: 99,
        },
      ],
    });
  });

  it('refuses a missing, unknown or repeated header column', () => {
    expect(parseSpendReturnCsv('').issues).toEqual([
      { position: 0, field: 'header', message: `Start with the header line ${CSV_HEADER}` },
    ]);
    const issues = parseSpendReturnCsv(
      'subcontractor_ref,invoice_ref,invoice_date,paid_date,pounds,amount,amount\n',
    ).issues;
    expect(issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/Unknown column "pounds"/),
      'Column amount appears twice',
    ]);
    expect(
      parseSpendReturnCsv('subcontractor_ref,invoice_ref\nSC-1,INV-1').issues.map((i) => i.message),
    ).toEqual([
      expect.stringMatching(/invoice_date is missing/),
      expect.stringMatching(/paid_date is missing/),
      expect.stringMatching(/amount is missing/),
    ]);
  });

  it('refuses rows with the wrong number of values and malformed amounts, by row', () => {
    const text = `${CSV_HEADER}\nSC-1,INV-1,2026-07-01\nSC-1,INV-2,2026-07-01,2026-07-02,12.5,extra\nSC-1,INV-3,2026-07-01,2026-07-02,12.5`;
    expect(parseSpendReturnCsv(text).issues).toEqual([
      { position: 1, field: 'row', message: 'Expected 5 values, found 3' },
      { position: 2, field: 'row', message: 'Expected 5 values, found 6' },
      { position: 3, field: 'amountPence', message: expect.stringMatching(/two decimals/) },
    ]);
  });

  it(`refuses more than ${MAX_LINES_PER_RETURN} lines`, () => {
    const rows = Array.from(
      { length: MAX_LINES_PER_RETURN + 1 },
      (_, i) => `SC-1,INV-${i},2026-07-01,2026-07-02,1.00`,
    );
    const { issues, lines } = parseSpendReturnCsv([CSV_HEADER, ...rows].join('\n'));
    expect(lines).toHaveLength(MAX_LINES_PER_RETURN);
    expect(issues).toEqual([
      {
        position: MAX_LINES_PER_RETURN + 1,
        field: 'row',
        message: expect.stringMatching(/at most 10000 lines/),
      },
    ]);
  });
});

describe('dates and periods', () => {
  it('knows real calendar dates', () => {
    for (const date of ['2026-01-31', '2024-02-29', '2000-02-29', '2026-12-31'])
      expect(isIsoDate(date)).toBe(true);
    for (const date of [
      '2026-02-29',
      '1900-02-29',
      '2026-13-01',
      '2026-04-31',
      '2026-1-01',
      '26-01-01',
      '2026-01-01T00:00:00Z',
      '',
    ])
      expect(isIsoDate(date)).toBe(false);
    expect(daysBetween('2026-02-01', '2026-03-18')).toBe(45);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2); // across the clocks going forward
  });

  it('has calendar quarters, Q1 January to March', () => {
    expect(periodBounds('2026-Q1')).toEqual({ start: '2026-01-01', end: '2026-03-31' });
    expect(periodBounds('2026-Q2')).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodBounds('2026-Q3')).toEqual({ start: '2026-07-01', end: '2026-09-30' });
    expect(periodBounds('2026-Q4')).toEqual({ start: '2026-10-01', end: '2026-12-31' });
    for (const bad of ['2026-Q0', '2026-Q5', '2026Q1', '2026-q1', '26-Q1', '2026-Q1 '])
      expect(periodBounds(bad)).toBeUndefined();
    expect(periodOf('2026-02-14')).toBe('2026-Q1');
    expect(periodOf('2026-12-31')).toBe('2026-Q4');
  });

  it('places every date in the quarter whose bounds contain it (property)', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (d) => {
          const date = d.toISOString().slice(0, 10);
          const bounds = periodBounds(periodOf(date));
          expect(bounds && bounds.start <= date && date <= bounds.end).toBe(true);
        },
      ),
    );
  });
});

describe('line rules', () => {
  it('accepts good lines, giving each a stable id from its sub-contractor and invoice refs', () => {
    const result = validateLines(
      [line(), line({ position: 1, invoiceRef: 'INV-2', subcontractorRef: 'SC-2' })],
      rules(),
    );
    expect(result.issues).toEqual([]);
    expect(result.lines.map((l) => l.lineId)).toEqual([lineIdOf('SC-1', 'INV-1'), lineIdOf('SC-2', 'INV-2')]);
    expect(lineIdOf('SC-1', 'INV-1')).toMatch(/^[0-9a-f]{16}$/);
    expect(lineIdOf('SC-1', 'INV-1')).not.toBe(lineIdOf('SC-1', 'INV-2'));
    expect(lineIdOf('SC-1', 'INV-1')).not.toBe(lineIdOf('SC-2', 'INV-1'));
  });

  it('trims values', () => {
    const result = validateLines([line({ subcontractorRef: ' SC-1 ', invoiceRef: ' INV-1\u0020' })], rules());
    expect(result.lines[0]).toMatchObject({ subcontractorRef: 'SC-1', invoiceRef: 'INV-1' });
  });

  it.each<[string, Partial<CandidateLine>, string, RegExp]>([
    ['an unknown ref', { subcontractorRef: 'SC-9' }, 'subcontractorRef', /No sub-contractor "SC-9"/],
    ['an empty ref', { subcontractorRef: '' }, 'subcontractorRef', /Enter/],
    ['an empty invoice ref', { invoiceRef: ' ' }, 'invoiceRef', /Enter/],
    ['a long invoice ref', { invoiceRef: 'x'.repeat(65) }, 'invoiceRef', /at most 64/],
    ['a tab in an invoice ref', { invoiceRef: 'a\tb' }, 'invoiceRef', /tabs/],
    ['a bad invoice date', { invoiceDate: '2026-02-30' }, 'invoiceDate', /real date/],
    ['a bad paid date', { paidDate: '15/07/2026' }, 'paidDate', /real date/],
    [
      'paid before the period',
      { invoiceDate: '2026-06-01', paidDate: '2026-06-30' },
      'paidDate',
      /within 2026-Q3 \(2026-07-01 to 2026-09-30\)/,
    ],
    ['paid after the period', { paidDate: '2026-10-01' }, 'paidDate', /within 2026-Q3/],
    [
      'paid before invoiced',
      { invoiceDate: '2026-07-20', paidDate: '2026-07-19' },
      'paidDate',
      /before the invoice date \(2026-07-20\)/,
    ],
    ['a zero amount', { amountPence: 0 }, 'amountPence', /more than zero/],
    ['a negative amount', { amountPence: -100 }, 'amountPence', /more than zero/],
    ['a fractional amount', { amountPence: 10.5 }, 'amountPence', /whole number/],
    ['an enormous amount', { amountPence: 2 ** 60 }, 'amountPence', /Too large/],
  ])('refuses %s', (_name, overrides, field, message) => {
    const result = validateLines([line(overrides)], rules());
    expect(result.lines).toEqual([]);
    expect(result.issues).toEqual([{ position: 0, field, message: expect.stringMatching(message) }]);
  });

  it('refuses a payment dated after the day the return is received', () => {
    const result = validateLines(
      [line({ paidDate: '2026-11-23', invoiceDate: '2026-11-01' })],
      rules({ period: '2026-Q4' }),
    );
    expect(result.issues).toEqual([{ position: 0, field: 'paidDate', message: 'Cannot be in the future' }]);
  });

  it("refuses a sub-contractor's repeated invoice ref, naming where it first appeared", () => {
    const result = validateLines(
      [
        line({ position: 4 }),
        line({ position: 9, amountPence: 1 }),
        line({ position: 11, invoiceRef: 'INV-1 ' }),
      ],
      rules(),
    );
    const message = 'Invoice ref "INV-1" of sub-contractor "SC-1" is already on row 4';
    expect(result.issues).toEqual([
      { position: 9, field: 'invoiceRef', message },
      { position: 11, field: 'invoiceRef', message },
    ]);
  });

  it('accepts the same invoice ref from two sub-contractors, as two lines with their own ids', () => {
    const result = validateLines(
      [line({ position: 4 }), line({ position: 9, subcontractorRef: 'SC-2', amountPence: 99 })],
      rules(),
    );
    expect(result.issues).toEqual([]);
    expect(result.lines.map((l) => [l.subcontractorRef, l.invoiceRef, l.amountPence])).toEqual([
      ['SC-1', 'INV-1', 12_345],
      ['SC-2', 'INV-1', 99],
    ]);
    const [a, b] = result.lines as [SpendLine, SpendLine];
    expect(a.lineId).not.toBe(b.lineId);
    // Stable: the same pair has the same id in any version, whatever else about the line changes.
    expect(validateLines([line({ amountPence: 7 })], rules()).lines[0]?.lineId).toBe(a.lineId);
  });

  it('lists every problem of every line, all or nothing', () => {
    const result = validateLines(
      [
        line({ position: 1, subcontractorRef: 'X', amountPence: 0 }),
        line({ position: 2, invoiceRef: 'INV-2' }),
        line({ position: 3, invoiceRef: 'INV-3', invoiceDate: 'x', paidDate: '2026-10-01' }),
      ],
      rules(),
    );
    expect(result.lines).toEqual([]);
    expect(result.issues.map((i) => [i.position, i.field])).toEqual([
      [1, 'subcontractorRef'],
      [1, 'amountPence'],
      [3, 'invoiceDate'],
      [3, 'paidDate'],
    ]);
  });

  it('maps problems to JSON paths or CSV rows and columns, in row and field order', () => {
    const issues = [
      { position: 2, field: 'amountPence' as const, message: 'a' },
      { position: 1, field: 'paidDate' as const, message: 'b' },
      { position: 1, field: 'subcontractorRef' as const, message: 'c' },
      { position: 0, field: 'header' as const, message: 'd' },
      { position: 3, field: 'row' as const, message: 'e' },
    ];
    expect(toFieldIssues(issues, 'csv')).toEqual([
      { row: 0, field: 'header', message: 'd' },
      { row: 1, field: 'subcontractor_ref', message: 'c' },
      { row: 1, field: 'paid_date', message: 'b' },
      { row: 2, field: 'amount', message: 'a' },
      { row: 3, field: 'row', message: 'e' },
    ]);
    expect(toFieldIssues(issues.slice(0, 3), 'json').map((i) => i.path)).toEqual([
      'lines.1.subcontractorRef',
      'lines.1.paidDate',
      'lines.2.amountPence',
    ]);
  });
});

describe('the content hash', () => {
  const lines = validateLines(
    [
      line(),
      line({ position: 1, invoiceRef: 'INV-2', amountPence: 5 }),
      line({ position: 2, invoiceRef: 'INV-3' }),
    ],
    rules(),
  ).lines;

  it('ignores line order and changes with any field (property)', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(lines, { minLength: 3, maxLength: 3 }), (shuffled) => {
        expect(returnHash(shuffled)).toBe(returnHash(lines));
      }),
    );
    const base = returnHash(lines);
    const first = lines[0] as SpendLine;
    for (const change of [
      { subcontractorRef: 'SC-2' },
      { invoiceRef: 'INV-9' },
      { invoiceDate: '2026-07-02' },
      { paidDate: '2026-07-16' },
      { amountPence: 12_346 },
    ]) {
      expect(returnHash([{ ...first, ...change }, ...lines.slice(1)])).not.toBe(base);
    }
    expect(returnHash(lines.slice(1))).not.toBe(base);
  });
});

describe('supply chains', () => {
  const registry = new Map<string, RegisteredProvider>([
    ['P-VOL', { id: 'P-VOL', name: 'Open Door', sector: 'voluntary', size: 'small', status: 'verified' }],
    ['P-PEND', { id: 'P-PEND', name: 'Pending', sector: 'private', size: 'large', status: 'pending' }],
    ['PRIME', { id: 'PRIME', name: 'Prime', sector: 'private', size: 'large', status: 'verified' }],
  ]);

  it('brings name, sector and size of registered sub-contractors from the registry', () => {
    const { subcontractors, issues } = resolveSupplyChain(
      [
        {
          ref: 'A',
          providerId: 'P-VOL',
          sector: 'private',
          size: 'large',
          services: ['health'],
          plannedValuePence: 5,
        },
        {
          ref: 'B',
          name: ' Moorside ',
          sector: 'voluntary',
          size: 'micro',
          services: [],
          plannedValuePence: 0,
        },
      ],
      registry,
      'PRIME',
    );
    expect(issues).toEqual([]);
    expect(subcontractors).toEqual([
      {
        ref: 'A',
        providerId: 'P-VOL',
        name: 'Open Door',
        sector: 'voluntary',
        size: 'small',
        services: ['health'],
        plannedValuePence: 5,
      },
      { ref: 'B', name: 'Moorside', sector: 'voluntary', size: 'micro', services: [], plannedValuePence: 0 },
    ]);
  });

  it('refuses bad refs, repeats, the prime itself, unknown or unverified providers and incomplete entries', () => {
    const { subcontractors, issues } = resolveSupplyChain(
      [
        { ref: 'A', providerId: 'P-VOL', services: [], plannedValuePence: 0 },
        { ref: 'A', providerId: 'P-VOL', services: ['health', 'health'], plannedValuePence: 0 },
        { ref: '-bad', providerId: 'PRIME', services: [], plannedValuePence: 0 },
        { ref: 'C', providerId: 'NOPE', services: [], plannedValuePence: 0 },
        { ref: 'D', providerId: 'P-PEND', services: [], plannedValuePence: 0 },
        { ref: 'E', services: [], plannedValuePence: 0 },
      ],
      registry,
      'PRIME',
    );
    expect(subcontractors).toEqual([]);
    expect(issues.map((i) => i.path)).toEqual([
      'subcontractors.1.ref',
      'subcontractors.1.services',
      'subcontractors.1.providerId',
      'subcontractors.2.ref',
      'subcontractors.2.providerId',
      'subcontractors.3.providerId',
      'subcontractors.4.providerId',
      'subcontractors.5.name',
      'subcontractors.5.sector',
      'subcontractors.5.size',
    ]);
  });

  it('limits the number of sub-contractors', () => {
    const many = Array.from({ length: 201 }, (_, i) => ({
      ref: `R${i}`,
      name: 'x',
      sector: 'private' as const,
      size: 'large' as const,
      services: [],
      plannedValuePence: 0,
    }));
    expect(resolveSupplyChain(many, registry, 'PRIME').issues).toEqual([
      { path: 'subcontractors', message: 'Name at most 200 sub-contractors' },
    ]);
    const registered = Array.from({ length: 41 }, (_, i) => ({
      ref: `R${i}`,
      providerId: `X${i}`,
      services: [],
      plannedValuePence: 0,
    }));
    expect(resolveSupplyChain(registered, registry, 'PRIME').issues[0]).toEqual({
      path: 'subcontractors',
      message: 'Name at most 40 sub-contractors by provider id (41 given)',
    });
  });
});

describe('contract drafts', () => {
  const draft = {
    title: 'T',
    primeProviderId: 'P',
    valuePence: 100,
    startDate: '2026-01-01',
    endDate: '2026-12-31',
    regions: ['london' as const],
    services: ['health' as const],
  };
  it('accepts a sound draft and refuses dates out of order, national with regions and repeats', () => {
    expect(contractDraftIssues(draft)).toEqual([]);
    expect(
      contractDraftIssues({ ...draft, startDate: '2026-02-30', endDate: '2025-01-01' }).map((i) => i.path),
    ).toEqual(['startDate']);
    expect(
      contractDraftIssues({
        ...draft,
        endDate: '2025-12-31',
        regions: ['national', 'london', 'london'],
        services: ['health', 'health'],
      }).map((i) => i.path),
    ).toEqual(['endDate', 'regions', 'regions', 'services']);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------------------

const profiles = new Map<string, SubcontractorProfile>([
  ['VOL-S', { sector: 'voluntary', size: 'small' }],
  ['VOL-M', { sector: 'voluntary', size: 'micro' }],
  ['PRI-L', { sector: 'private', size: 'large' }],
  ['PUB-M', { sector: 'public', size: 'medium' }],
]);

const spend = (
  ref: string,
  amountPence: number,
  invoiceDate: string,
  paidDate: string,
  n = 0,
): SpendLine => ({
  lineId: lineIdOf(ref, `I${n}`),
  subcontractorRef: ref,
  invoiceRef: `I${n}`,
  invoiceDate,
  paidDate,
  amountPence,
});

const contract = (overrides: Partial<Contract> = {}): Contract => ({
  id: '01JCONTRACT000000000000000',
  title: 'C',
  primeProviderId: 'P',
  valuePence: 1_000_000,
  startDate: '2026-01-01',
  endDate: '2026-12-31',
  regions: ['london', 'north_west'],
  services: ['health'],
  subcontracting: { targetPercent: 10 },
  createdAt: '2026-01-01T00:00:00Z',
  createdBy: 'c',
  ...overrides,
});

describe('return sums', () => {
  it('adds spend by sector and size, invoices, days to pay and prompt invoices', () => {
    const sums = returnSums(
      [
        spend('VOL-S', 100, '2026-07-01', '2026-07-31', 1), // 30 days: prompt
        spend('VOL-M', 200, '2026-07-01', '2026-08-01', 2), // 31 days: late
        spend('PRI-L', 300, '2026-07-01', '2026-07-01', 3), // same day
        spend('PUB-M', 400, '2026-06-01', '2026-07-10', 4), // 39 days
      ],
      profiles,
      30,
    );
    expect(sums).toEqual({
      ...zeroSums(),
      subcontractedPence: 1000,
      voluntaryPence: 300,
      privatePence: 300,
      publicPence: 400,
      microPence: 200,
      smallPence: 100,
      mediumPence: 400,
      largePence: 300,
      invoices: 4,
      promptInvoices: 2,
      daysToPay: 30 + 31 + 0 + 39,
    });
  });

  it('takes the prompt-payment days from configuration', () => {
    expect(returnSums([spend('VOL-S', 1, '2026-07-01', '2026-07-31')], profiles, 29).promptInvoices).toBe(0);
  });
});

describe('value and targets', () => {
  it('rounds the target up to whole pence', () => {
    expect(targetPenceOf(1_000_000, 10)).toBe(100_000);
    expect(targetPenceOf(999, 10)).toBe(100);
    expect(targetPenceOf(1000, 12.5)).toBe(125);
    expect(targetPenceOf(1001, 12.5)).toBe(126);
    expect(targetPenceOf(1000, 0)).toBe(0);
    expect(targetPenceOf(Number.MAX_SAFE_INTEGER, 100)).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('pro-rates contract value to the days of each quarter, and the quarters add up to it', () => {
    const c = contract({ valuePence: 365_000, startDate: '2026-01-01', endDate: '2026-12-31' });
    expect(periodValuePence(c, '2026-Q1')).toBe(90_000);
    expect(periodValuePence(c, '2026-Q4')).toBe(92_000);
    expect(
      ['Q1', 'Q2', 'Q3', 'Q4'].map((q) => periodValuePence(c, `2026-${q}`)).reduce((a, b) => a + b),
    ).toBe(365_000);
    const partial = contract({ valuePence: 1000, startDate: '2026-03-31', endDate: '2026-04-09' });
    expect(periodValuePence(partial, '2026-Q1')).toBe(100);
    expect(periodValuePence(partial, '2026-Q2')).toBe(900);
    expect(periodValuePence(partial, '2026-Q3')).toBe(0);
  });
});

describe('regional shares', () => {
  it('puts a national contract in the national item, others in their regions in a fixed order', () => {
    expect(figureRegions({ regions: ['national'] })).toEqual(['national']);
    expect(figureRegions({ regions: ['wales', 'london', 'north_east'] })).toEqual([
      'north_east',
      'london',
      'wales',
    ]);
  });

  it('splits every sum into integer shares that add up exactly and differ by at most one (property)', () => {
    const sumsArb = fc.record(
      Object.fromEntries(
        FIGURE_FIELDS.map((f) => [f, fc.integer({ min: 0, max: 10_000_000_000 })]),
      ) as Record<keyof FigureSums, fc.Arbitrary<number>>,
    );
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 26 }),
        fc.subarray([...REGIONS], { minLength: 1 }),
        sumsArb,
        (id, regions, sums) => {
          const shares = splitAcross({ id, regions }, sums);
          expect(shares.map((s) => s.region)).toEqual(figureRegions({ regions }));
          for (const field of FIGURE_FIELDS) {
            const values = shares.map((s) => s.sums[field]);
            expect(values.reduce((a, b) => a + b, 0)).toBe(sums[field]);
            expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
          }
        },
      ),
    );
  });
});

describe('percentages and figures', () => {
  it('rounds half up to two decimals, exactly, and is 0 over nothing', () => {
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(2, 3)).toBe(66.67);
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(1, 800)).toBe(0.13);
    expect(percentOf(1, 1600)).toBe(0.06);
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(0, 5)).toBe(0);
    expect(percentOf(3, 2)).toBe(150);
    expect(percentOf(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)).toBe(100);
    expect(ratioOf(10, 3)).toBe(3.33);
    expect(ratioOf(0, 0)).toBe(0);
  });

  it('matches exact rational rounding (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 12 }), fc.integer({ min: 1, max: 10 ** 12 }), (n, d) => {
        const scaled = BigInt(n) * 10_000n;
        const floor = scaled / BigInt(d);
        const rem = scaled - floor * BigInt(d);
        const rounded = rem * 2n >= BigInt(d) ? floor + 1n : floor;
        expect(percentOf(n, d)).toBe(Number(rounded) / 100);
      }),
    );
  });

  it('reports every figure from raw sums, with the contract target', () => {
    const sums: FigureSums = {
      ...zeroSums(),
      contractValuePence: 1_000_000,
      targetPence: 100_000,
      subcontractedPence: 150_000,
      voluntaryPence: 50_000,
      privatePence: 100_000,
      microPence: 10_000,
      smallPence: 40_000,
      largePence: 100_000,
      invoices: 3,
      promptInvoices: 2,
      daysToPay: 100,
    };
    expect(figuresOf(sums, 30, { targetPercent: 10, voluntarySectorTargetPercent: 40 })).toEqual({
      contractValuePence: 1_000_000,
      subcontractedPence: 150_000,
      subcontractedPercent: 15,
      voluntaryPercent: 33.33,
      smePercent: 33.33,
      bySector: {
        voluntary: { pence: 50_000, percent: 33.33 },
        private: { pence: 100_000, percent: 66.67 },
        public: { pence: 0, percent: 0 },
      },
      bySize: {
        micro: { pence: 10_000, percent: 6.67 },
        small: { pence: 40_000, percent: 26.67 },
        medium: { pence: 0, percent: 0 },
        large: { pence: 100_000, percent: 66.67 },
      },
      promptPayment: { invoices: 3, paidWithin30DaysPercent: 66.67, averageDaysToPay: 33.33, withinDays: 30 },
      target: {
        percent: 10,
        pence: 100_000,
        met: true,
        voluntarySectorPercent: 40,
        voluntarySectorMet: false,
      },
    });
  });

  it('meets a target exactly at it, and not a penny below', () => {
    const base = { ...zeroSums(), contractValuePence: 1000, targetPence: 100 };
    expect(figuresOf({ ...base, subcontractedPence: 100 }, 30).target.met).toBe(true);
    expect(figuresOf({ ...base, subcontractedPence: 99 }, 30).target.met).toBe(false);
    // Without a contract's own targets, the percentage is the value-weighted one.
    expect(figuresOf({ ...base, targetPence: 125 }, 30).target.percent).toBe(12.5);
  });

  it('reports zeros, not NaN, with no spend or no value', () => {
    const figures = figuresOf(zeroSums(), 30);
    expect(JSON.stringify(figures)).not.toMatch(/NaN/);
    expect(figures.promptPayment).toEqual({
      invoices: 0,
      paidWithin30DaysPercent: 0,
      averageDaysToPay: 0,
      withinDays: 30,
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// The aggregation invariant
// ---------------------------------------------------------------------------------------------------------

/** The figure items as the repository keeps them, updated only through plans (deltas). */
class FigureStore {
  readonly items = new Map<string, FigureSums>();
  readonly latest = new Map<string, FigureSums>(); // contract#period → the current version's sums

  get(key: string): FigureSums {
    return this.items.get(key) ?? zeroSums();
  }

  add(key: string, sums: FigureSums): void {
    this.items.set(key, addSums(this.get(key), sums));
  }

  file(c: Contract, period: string, sums: FigureSums): void {
    const headKey = `${c.id}#${period}`;
    const plan = planReturnWrite({
      contract: c,
      period,
      previous: this.items.get(headKey),
      contractFiled: this.items.has(`${c.id}#ALL`),
      sums,
    });
    this.items.set(headKey, plan.period);
    this.add(`${c.id}#ALL`, plan.contract);
    for (const share of plan.regions) {
      this.add(`REGION#${share.region}#${period}`, share.period);
      this.add(`REGION#${share.region}#ALL`, share.cumulative);
    }
    this.latest.set(headKey, sums);
  }
}

/** The figures recomputed from nothing but the contracts and the latest version of every return. */
function recompute(contracts: Contract[], latest: Map<string, FigureSums>): Map<string, FigureSums> {
  const out = new Map<string, FigureSums>();
  const add = (key: string, sums: FigureSums) => out.set(key, addSums(out.get(key) ?? zeroSums(), sums));
  for (const c of contracts) {
    const periods = [...latest.entries()].filter(([key]) => key.startsWith(`${c.id}#`));
    if (periods.length === 0) continue;
    add(`${c.id}#ALL`, contractValueSums(c));
    for (const share of splitAcross(c, contractValueSums(c))) add(`REGION#${share.region}#ALL`, share.sums);
    for (const [key, sums] of periods) {
      const period = key.slice(c.id.length + 1);
      const periodSums = addSums(periodValueSums(c, period), spendOnly(sums));
      out.set(key, periodSums);
      add(`${c.id}#ALL`, spendOnly(sums));
      for (const share of splitAcross(c, periodSums)) add(`REGION#${share.region}#${period}`, share.sums);
      for (const share of splitAcross(c, spendOnly(sums))) add(`REGION#${share.region}#ALL`, share.sums);
    }
  }
  return out;
}

const nonZero = (map: Map<string, FigureSums>) =>
  new Map([...map.entries()].filter(([, sums]) => FIGURE_FIELDS.some((f) => sums[f] !== 0)));

describe('figures maintained on write', () => {
  const contracts: Contract[] = [
    contract({
      id: 'C-A',
      regions: ['london', 'north_west', 'wales'],
      valuePence: 7_777_777,
      subcontracting: { targetPercent: 12.5 },
    }),
    contract({
      id: 'C-B',
      regions: ['national'],
      valuePence: 1_000_003,
      startDate: '2026-02-10',
      endDate: '2027-06-30',
    }),
    contract({ id: 'C-C', regions: ['london'], valuePence: 50_000 }),
  ];
  const periods = ['2026-Q1', '2026-Q2', '2026-Q3'];
  const lineArb = fc.record({
    ref: fc.constantFrom(...profiles.keys()),
    amount: fc.integer({ min: 1, max: 5_000_000 }),
    invoiceDay: fc.integer({ min: 0, max: 80 }),
    wait: fc.integer({ min: 0, max: 90 }),
  });
  const filingArb = fc.record({
    contract: fc.constantFrom(...contracts),
    period: fc.constantFrom(...periods),
    lines: fc.array(lineArb, { maxLength: 6 }),
  });
  const sumsOf = (lines: { ref: string; amount: number; invoiceDay: number; wait: number }[]) =>
    returnSums(
      lines.map((l, i) => {
        const invoice = new Date(Date.UTC(2026, 0, 1 + l.invoiceDay));
        const paid = new Date(invoice.getTime() + l.wait * 86_400_000);
        return spend(l.ref, l.amount, invoice.toISOString().slice(0, 10), paid.toISOString().slice(0, 10), i);
      }),
      profiles,
      30,
    );

  it('equal a recomputation from the latest versions after any sequence of submissions and amendments (property)', () => {
    fc.assert(
      fc.property(fc.array(filingArb, { minLength: 1, maxLength: 25 }), (filings) => {
        const store = new FigureStore();
        for (const f of filings) store.file(f.contract, f.period, sumsOf(f.lines));
        expect(nonZero(store.items)).toEqual(nonZero(recompute(contracts, store.latest)));
      }),
      { numRuns: 300 },
    );
  });

  it('keep the national total exact: regions sum to the contracts, cumulative and per period (property)', () => {
    fc.assert(
      fc.property(fc.array(filingArb, { minLength: 1, maxLength: 25 }), (filings) => {
        const store = new FigureStore();
        for (const f of filings) store.file(f.contract, f.period, sumsOf(f.lines));
        const regions: FigureRegion[] = [...REGIONS, 'national'];
        const national = regions.reduce((sum, r) => addSums(sum, store.get(`REGION#${r}#ALL`)), zeroSums());
        const contractsTotal = contracts.reduce(
          (sum, c) => addSums(sum, store.get(`${c.id}#ALL`)),
          zeroSums(),
        );
        expect(national).toEqual(contractsTotal);
        for (const period of periods) {
          const regional = regions.reduce(
            (sum, r) => addSums(sum, store.get(`REGION#${r}#${period}`)),
            zeroSums(),
          );
          const heads = contracts.reduce(
            (sum, c) => addSums(sum, store.get(`${c.id}#${period}`)),
            zeroSums(),
          );
          expect(regional).toEqual(heads);
        }
        for (const sums of store.items.values())
          for (const f of FIGURE_FIELDS) expect(sums[f]).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 200 },
    );
  });

  it('replace an amended version rather than adding to it', () => {
    const store = new FigureStore();
    const c = contracts[2] as Contract;
    const v1 = sumsOf([{ ref: 'VOL-S', amount: 1000, invoiceDay: 1, wait: 5 }]);
    const v2 = sumsOf([{ ref: 'PRI-L', amount: 300, invoiceDay: 1, wait: 45 }]);
    store.file(c, '2026-Q1', v1);
    store.file(c, '2026-Q1', v2);
    const all = store.get('C-C#ALL');
    expect(all.subcontractedPence).toBe(300);
    expect(all.voluntaryPence).toBe(0);
    expect(all.privatePence).toBe(300);
    expect(all.invoices).toBe(1);
    expect(all.contractValuePence).toBe(50_000);
    expect(store.get('C-C#2026-Q1').contractValuePence).toBe(periodValuePence(c, '2026-Q1'));
    expect(subtractSums(store.get('REGION#london#ALL'), all)).toEqual(zeroSums());
  });
});
