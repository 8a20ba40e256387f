/**
 * The sub-contracting dashboard's pure parts (issue 16): the CSV writer (a spreadsheet reads back exactly
 * what was written – header, quoting, formulas defused – and pence become pounds exactly), the SVG charts
 * (accessible names, data tables, gaps, no inline style, escaped text), the network targets judged exactly,
 * and the per-quarter series summed over regions.
 */
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  quarterWords,
  shareMet,
  summedSeries,
  TREND_QUARTERS,
  trendWindow,
} from '../../shared/domain/subcontracting/dashboard';
import type { Period } from '../../shared/domain/subcontracting/dates';
import {
  addSums,
  type FigureRegion,
  type FigureSums,
  zeroSums,
} from '../../shared/domain/subcontracting/figure-sums';
import { MAX_LINE_PENCE, parsePounds } from '../../shared/domain/subcontracting/money';
import { dashboardFigures } from '../../shared/use-cases/subcontracting/dashboard';
import { barChart, barSummary, lineChart, lineSummary, niceMax } from '../../shared/web/charts';
import { BOM, csvResponse, numberCell, poundsCell, textField, toCsv } from '../../shared/web/csv';

/** Reads a CSV file as a spreadsheet would: BOM dropped, RFC 4180 quoting, CRLF rows. */
const readBack = (csv: string): string[][] => {
  expect(csv.startsWith(BOM)).toBe(true);
  return parse(csv.slice(BOM.length), { relax_column_count: false }) as string[][];
};

const FORMULA = /^[=+\-@\t\r]/;

describe('CSV downloads', () => {
  it('reads back exactly what was written, whatever the text (quoting), with formulas defused', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 3, maxLength: 3 }), { maxLength: 8 }),
        (rows) => {
          const csv = toCsv(['title', 'note', 'region'], rows);
          const read = readBack(csv);
          expect(read[0]).toEqual(['title', 'note', 'region']);
          expect(read.slice(1)).toEqual(rows.map((row) => row.map((t) => (FORMULA.test(t) ? `'${t}` : t))));
          expect(csv.endsWith('\r\n')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quotes commas, quotes, line breaks and edge spaces, and only then', () => {
    expect(textField('plain')).toBe('plain');
    expect(textField('Smith, Jones & Co')).toBe('"Smith, Jones & Co"');
    expect(textField('the "best" CIC')).toBe('"the ""best"" CIC"');
    expect(textField('two\nlines')).toBe('"two\nlines"');
    expect(textField(' padded ')).toBe('" padded "');
    expect(textField('')).toBe('');
  });

  it('defuses text a spreadsheet would run as a formula, never numbers', () => {
    expect(textField('=HYPERLINK("http://x","y")')).toBe('"\'=HYPERLINK(""http://x"",""y"")"');
    expect(textField('+44 20')).toBe("'+44 20");
    expect(textField('-1')).toBe("'-1");
    expect(textField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(toCsv(['n'], [[-1.5], [numberCell(-2)]])).toBe(`${BOM}n\r\n-1.5\r\n-2\r\n`);
  });

  it('turns pence into pounds with two decimals exactly, which read back as the same pence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_LINE_PENCE }), (pence) => {
        const pounds = poundsCell(pence).csvNumber;
        expect(pounds).toMatch(/^(0|[1-9]\d*)\.\d{2}$/);
        expect(parsePounds(pounds)).toEqual({ pence });
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.maxSafeNat(), (pence) => {
        // Past what a line may hold, still exact: digits, not floating point.
        expect(BigInt(poundsCell(pence).csvNumber.replace('.', ''))).toBe(BigInt(pence));
      }),
    );
    expect(poundsCell(5).csvNumber).toBe('0.05');
    expect(poundsCell(123450).csvNumber).toBe('1234.50');
    expect(() => poundsCell(1.5)).toThrow(RangeError);
    const csv = toCsv(['title', 'value_pounds'], [['Resettlement, North', poundsCell(480_000_000)]]);
    expect(readBack(csv)).toEqual([
      ['title', 'value_pounds'],
      ['Resettlement, North', '4800000.00'],
    ]);
  });

  it('answers as an attachment with a safe name, never cached', () => {
    const answer = csvResponse('figures "all"/quarters.csv', 'x');
    expect(answer.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(answer.headers['content-disposition']).toBe('attachment; filename="figures--all--quarters.csv"');
    expect(answer.headers['cache-control']).toBe('no-store');
  });
});

const base = { tick: (v: number) => `${v}%`, valueHeading: 'Share', floor: 10 };

describe('bar charts', () => {
  const bars = [
    { label: 'London', value: 24.5, valueText: '24.5%', target: { value: 10, text: '10%', met: true } },
    { label: 'Wales <&> "W"', value: 3.1, valueText: '3.1%', target: { value: 10, text: '10%', met: false } },
    { label: 'North East', value: null, valueText: '' },
  ];
  const html = barChart({ ...base, id: 'share-by-region', title: 'Share by region', noun: 'region', bars });

  it('is an image named by its title and described by its text alternative', () => {
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="share-by-region-title share-by-region-desc"');
    expect(html).toContain('<title id="share-by-region-title">Share by region</title>');
    expect(html).toMatch(/<desc id="share-by-region-desc">Bar chart\. Highest: London, 24\.5%\./);
    expect(html).toContain('<figcaption');
    expect(html).toContain('viewBox="0 0 400 ');
    expect(html).toContain('width="100%"');
    // The pages' CSP allows no inline style: presentation attributes only.
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).not.toContain('<style');
  });

  it('has its figures as a visually hidden table, text escaped', () => {
    const table =
      /<div class="govuk-visually-hidden"><table class="govuk-table">([\s\S]*)<\/table><\/div>/.exec(
        html,
      )?.[1] ?? '';
    expect(table).toContain('<th scope="col" class="govuk-table__header">Region</th>');
    expect(table).toContain('Wales &lt;&amp;&gt; &quot;W&quot;');
    expect(table).toMatch(/North East<\/th><td class="govuk-table__cell">No data<\/td><td[^>]*>None</);
    expect(html).not.toContain('Wales <&>');
  });

  it('draws bars in proportion on a nice scale, with each target marked and no bar without data', () => {
    expect(niceMax([24.5, 10, 3.1], 10)).toBe(25);
    const widths = [
      ...html.matchAll(/<rect x="1" y="\d+" width="([\d.]+)" height="16" fill="#1d70b8"\/>/g),
    ].map((m) => Number(m[1]));
    expect(widths).toHaveLength(2);
    expect((widths[0] as number) / (widths[1] as number)).toBeCloseTo(24.5 / 3.1, 1);
    expect(html.match(/stroke-dasharray="4 2"/g)).toHaveLength(2);
  });

  it('says the gist in words', () => {
    expect(barSummary(bars, 'region')).toBe(
      'Highest: London, 24.5%. Lowest: Wales <&> "W", 3.1%. 1 of 2 with figures met the target. 1 has no figures yet.',
    );
    expect(barSummary([], 'region')).toBe('No region has any figures yet.');
  });
});

describe('nice scales', () => {
  it('rounds up to 1, 2, 2.5 or 5 times a power of ten, never below the floor', () => {
    expect(niceMax([], 10)).toBe(10);
    expect(niceMax([0], 100)).toBe(100);
    expect(niceMax([11], 10)).toBe(20);
    expect(niceMax([21], 10)).toBe(25);
    expect(niceMax([26], 10)).toBe(50);
    expect(niceMax([51], 10)).toBe(100);
    expect(niceMax([130], 30)).toBe(200);
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true })),
        fc.integer({ min: 1, max: 100 }),
        (v, f) => {
          const max = niceMax(v, f);
          expect(max).toBeGreaterThanOrEqual(Math.max(f, ...v));
          expect(max).toBeLessThanOrEqual(2.5 * Math.max(f, ...v));
        },
      ),
    );
  });
});

describe('line charts', () => {
  const points = [
    { label: 'Jan to Mar 2026', axis: ['Q1', '2026'] as [string, string], value: 10, valueText: '10%' },
    { label: 'Apr to Jun 2026', axis: ['Q2', '2026'] as [string, string], value: null, valueText: '' },
    { label: 'Jul to Sep 2026', axis: ['Q3', '2026'] as [string, string], value: 20, valueText: '20%' },
    { label: 'Oct to Dec 2026', axis: ['Q4', '2026'] as [string, string], value: 15, valueText: '15%' },
  ];
  const html = lineChart({
    ...base,
    id: 'trend',
    title: 'Share by quarter',
    points,
    target: { value: 12, text: '12%' },
  });

  it('leaves a gap where a quarter has no data, and marks every value', () => {
    const path = /<path d="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(path.match(/M/g)).toHaveLength(2);
    expect(path.match(/L/g)).toHaveLength(1);
    expect(html.match(/<circle /g)).toHaveLength(3);
    expect(html).toContain('stroke-dasharray="6 4"');
  });

  it('is accessible like the bar chart: named, described, its figures in a hidden table', () => {
    expect(html).toContain('role="img"');
    expect(html).toContain('<title id="trend-title">Share by quarter</title>');
    expect(html).toContain(
      'Line chart by quarter. From 10% in Jan to Mar 2026 to 15% in Oct to Dec 2026. Highest: 20% in Jul to Sep 2026. 1 of 4 quarters have no figures. The dashed line is the target, 12%.',
    );
    expect(html).toMatch(/Apr to Jun 2026<\/th><td class="govuk-table__cell">No data</);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('says when there is nothing to draw', () => {
    expect(lineSummary(points.map((p) => ({ ...p, value: null })))).toBe(
      'No quarter from Jan to Mar 2026 to Oct to Dec 2026 has any figures yet.',
    );
    expect(lineChart({ ...base, id: 'e', title: 'Empty', points: [] })).not.toContain('<path');
  });
});

describe('network targets', () => {
  it('judges a share exactly: met at the target, not a penny below', () => {
    expect(shareMet(25, 100, 25)).toBe(true);
    expect(shareMet(24, 100, 25)).toBe(false);
    expect(shareMet(1, 3, 33.33)).toBe(true);
    expect(shareMet(1, 3, 33.34)).toBe(false);
    expect(shareMet(0, 0, 25)).toBeNull();
    fc.assert(
      fc.property(
        fc.maxSafeNat(),
        fc.maxSafeNat(),
        fc.integer({ min: 0, max: 10_000 }),
        (a, b, basisPoints) => {
          const [part, whole] = a <= b ? [a, b] : [b, a];
          fc.pre(whole > 0);
          const met = shareMet(part, whole, basisPoints / 100);
          expect(met).toBe(BigInt(part) * 10_000n >= BigInt(basisPoints) * BigInt(whole));
        },
      ),
    );
  });

  it('judges nothing where no return counts', () => {
    const rules = { promptPaymentDays: 30, vcseShareTargetPercent: 25, smeShareTargetPercent: 33 };
    const empty = dashboardFigures(zeroSums(), rules);
    expect(empty.reported).toBe(false);
    expect(empty.vcseTarget).toEqual({ percent: 25, met: null });
    expect(empty.smeTarget).toEqual({ percent: 33, met: null });
    const sums = {
      ...zeroSums(),
      contractValuePence: 1000,
      subcontractedPence: 300,
      voluntaryPence: 100,
      smallPence: 98,
    };
    const judged = dashboardFigures(sums, rules);
    expect(judged.vcseTarget.met).toBe(true);
    // 98 of 300 is 32.67%, under 33%; 99 of 300 is exactly 33%, met.
    expect(judged.smeTarget.met).toBe(false);
    expect(dashboardFigures({ ...sums, smallPence: 99 }, rules).smeTarget.met).toBe(true);
  });
});

describe('per-quarter series', () => {
  it('covers the last eight complete quarters, oldest first', () => {
    const window = trendWindow(new Date('2026-12-02T12:00:00Z'));
    expect(window).toHaveLength(TREND_QUARTERS);
    expect(window[0]).toBe('2024-Q4');
    expect(window[window.length - 1]).toBe('2026-Q3');
    expect(quarterWords('2026-Q3')).toBe('Jul to Sep 2026');
  });

  it('sums the regions per quarter, and a quarter none of them has is no data', () => {
    const sums = (n: number): FigureSums => ({ ...zeroSums(), contractValuePence: n, invoices: n });
    const byRegion = new Map<FigureRegion, Map<string, FigureSums>>([
      [
        'london',
        new Map([
          ['2026-Q1', sums(5)],
          ['2026-Q3', sums(7)],
        ]),
      ],
      ['wales', new Map([['2026-Q1', sums(11)]])],
      ['national', new Map([['2025-Q4', sums(13)]])],
    ]);
    const window: Period[] = ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3'];
    const all = summedSeries(byRegion, ['london', 'wales', 'national'], window);
    expect(all.map((p) => p.sums?.invoices)).toEqual([13, 16, undefined, 7]);
    expect(all[1]?.sums).toEqual(addSums(sums(5), sums(11)));
    expect(summedSeries(byRegion, ['wales'], window).map((p) => p.sums?.invoices)).toEqual([
      undefined,
      11,
      undefined,
      undefined,
    ]);
  });
});
