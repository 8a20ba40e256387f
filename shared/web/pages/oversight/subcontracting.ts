/**
 * The sub-contracting dashboard (issue 16) for commissioners, auditors and admins: the network's figures
 * and one row per region – the share of contract value sub-contracted, the VCSE and SME shares against
 * their targets, prompt payment – each as a number, a bar chart by region and a trend line by quarter;
 * a region's page with its contracts (drill-down to the contract's own page for those who may open it);
 * every table as a CSV download.
 *
 * The pages call the dashboard use cases (`shared/use-cases/subcontracting/dashboard.ts`), which let in
 * whoever may read `GET /reports/subcontracting` and read only the figure items kept on write, so a page
 * costs the same whatever the number of returns. The charts are drawn here, on the server
 * (`shared/web/charts.ts`): no script, and every chart has its data as a table and its gist in words.
 */
import { config } from '../../../config';
import { subcontractingDashboardRepository } from '../../../db/repositories';
import { NotFoundError } from '../../../domain/errors';
import { quarterWords, TREND_QUARTERS, trendWindow } from '../../../domain/subcontracting/dashboard';
import { PERIOD_PATTERN, type Period } from '../../../domain/subcontracting/dates';
import { FIGURE_REGIONS, type FigureRegion } from '../../../domain/subcontracting/figure-sums';
import type { Figures } from '../../../domain/subcontracting/figures';
import { displayPounds } from '../../../domain/subcontracting/money';
import {
  type DashboardFigures,
  getRegionDashboard,
  getSubcontractingDashboard,
  listRegionContracts,
  type RegionContractRow,
  type TrendPoint,
} from '../../../use-cases/subcontracting/dashboard';
import { type Bar, barChart, type LinePoint, lineChart, plainNumber } from '../../charts';
import { type CsvCell, csvResponse, numberCell, poundsCell, toCsv } from '../../csv';
import { escapeHtml, govukDate, label } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { commissioningBreadcrumbs } from '../commissioning/common';
import { forwardPagination } from './paging';

const BASE = '/commissioning/subcontracting';

/** The repositories the dashboard's use cases read, and no others. */
const dashboardDeps = () => ({ dashboard: subcontractingDashboardRepository() });
const PAGE_SIZE = 25;

/** A region as the dashboard names it: contracts covering every region are "National contracts". */
export function regionName(region: FigureRegion): string {
  return region === 'national' ? 'National contracts' : label(region);
}

const isRegion = (text: string): text is FigureRegion => (FIGURE_REGIONS as readonly string[]).includes(text);

/** The region in the address, or a 404 page. */
function regionOf(request: PageRequest): FigureRegion {
  const region = request.params.region ?? '';
  if (!isRegion(region)) throw new NotFoundError('There is no region at this address.');
  return region;
}

/** Where a table's CSV download is: `/commissioning/subcontracting/downloads/<file>`. */
const download = (file: string) => `${BASE}/downloads/${file}`;

/** The quarter asked for (`?period=2026-Q3`); anything else shows every quarter. */
function periodOf(request: PageRequest): Period | undefined {
  const period = request.query.period ?? '';
  return PERIOD_PATTERN.test(period) ? (period as Period) : undefined;
}

const percent = (value: number) => `${plainNumber(value)}%`;
const days = (value: number) => `${plainNumber(value)} ${value === 1 ? 'day' : 'days'}`;
const metWords = (met: boolean | null | undefined) => (met === true ? 'met' : met === false ? 'not met' : '');

/** One measure the dashboard shows: how to read it from figures, in numbers and in words. */
interface Measure {
  id: string;
  heading: string;
  /** What the number is, in a sentence after it (`of contract value sub-contracted`). */
  after: string;
  valueHeading: string;
  value: (f: DashboardFigures | Figures) => number | null;
  text: (value: number) => string;
  tick: (value: number) => string;
  floor: number;
  target?: (f: DashboardFigures) => { value: number; text: string; met: boolean | null } | undefined;
}

const reportedOf = (f: DashboardFigures | Figures) =>
  'reported' in f ? f.reported : f.contractValuePence > 0;

/** The dashboard's measures, in the order the issue names them. */
function measures(withinDays: number): Measure[] {
  const ofSpend = (pick: (f: Figures) => number) => (f: DashboardFigures | Figures) =>
    reportedOf(f) && f.subcontractedPence > 0 ? pick(f) : null;
  const ofInvoices = (pick: (f: Figures) => number) => (f: DashboardFigures | Figures) =>
    reportedOf(f) && f.promptPayment.invoices > 0 ? pick(f) : null;
  return [
    {
      id: 'subcontracted',
      heading: 'Contract value sub-contracted',
      after: 'of contract value was paid to sub-contractors',
      valueHeading: 'Share of contract value sub-contracted',
      value: (f) => (reportedOf(f) ? f.subcontractedPercent : null),
      text: percent,
      tick: percent,
      floor: 10,
      target: (f) =>
        f.reported
          ? { value: f.target.percent, text: percent(f.target.percent), met: f.target.met }
          : undefined,
    },
    {
      id: 'vcse',
      heading: 'Voluntary sector (VCSE) share',
      after: 'of sub-contracted spend went to voluntary, community and social enterprise organisations',
      valueHeading: 'Share of sub-contracted spend to VCSE organisations',
      value: ofSpend((f) => f.voluntaryPercent),
      text: percent,
      tick: percent,
      floor: 10,
      target: (f) => ({
        value: f.vcseTarget.percent,
        text: percent(f.vcseTarget.percent),
        met: f.vcseTarget.met,
      }),
    },
    {
      id: 'sme',
      heading: 'Small and medium-sized (SME) share',
      after: 'of sub-contracted spend went to micro, small and medium-sized organisations',
      valueHeading: 'Share of sub-contracted spend to SMEs',
      value: ofSpend((f) => f.smePercent),
      text: percent,
      tick: percent,
      floor: 10,
      target: (f) => ({
        value: f.smeTarget.percent,
        text: percent(f.smeTarget.percent),
        met: f.smeTarget.met,
      }),
    },
    {
      id: 'prompt',
      heading: `Invoices paid within ${withinDays} days`,
      after: `of sub-contractors' invoices were paid within ${withinDays} days of their date`,
      valueHeading: `Share of invoices paid within ${withinDays} days`,
      value: ofInvoices((f) => f.promptPayment.paidWithin30DaysPercent),
      text: percent,
      tick: percent,
      floor: 100,
    },
    {
      id: 'days',
      heading: 'Average days to pay',
      after: "on average from a sub-contractor's invoice to its payment",
      valueHeading: 'Average days to pay an invoice',
      value: ofInvoices((f) => f.promptPayment.averageDaysToPay),
      text: days,
      tick: (v) => plainNumber(v),
      floor: withinDays,
    },
  ];
}

/** A measure's headline: the number, what it is, and its target in words. */
function headline(measure: Measure, f: DashboardFigures): { number: string; words: string } {
  const value = measure.value(f);
  if (value === null) return { number: 'No data', words: 'No return counts here yet.' };
  const target = measure.target?.(f);
  const judged =
    target && target.met !== null ? ` The target is ${target.text}: ${metWords(target.met)}.` : '';
  return { number: measure.text(value), words: `${measure.after}.${judged}` };
}

/** A quarter's two axis lines: `Q3` and `2026`. */
const axisOf = (period: string): [string, string] => [period.slice(5), period.slice(0, 4)];

function trendChart(
  id: string,
  measure: Measure,
  trend: TrendPoint[],
  where: string,
  target?: number,
): string {
  const points: LinePoint[] = trend.map((point) => {
    const value = point.figures ? measure.value(point.figures) : null;
    return {
      label: quarterWords(point.period),
      axis: axisOf(point.period),
      value,
      valueText: value === null ? 'No data' : measure.text(value),
    };
  });
  return lineChart({
    id,
    title: `${measure.heading}, ${where}, by quarter`,
    valueHeading: measure.valueHeading,
    tick: measure.tick,
    floor: measure.floor,
    points,
    ...(target !== undefined ? { target: { value: target, text: measure.text(target) } } : {}),
  });
}

function regionBars(measure: Measure, rows: (DashboardFigures & { region: FigureRegion })[]): Bar[] {
  return rows.map((row) => {
    const value = measure.value(row);
    return {
      label: regionName(row.region),
      value,
      valueText: value === null ? 'No data' : measure.text(value),
      target: measure.target?.(row),
    };
  });
}

/** A cell of the figures tables: the value, and its target in words where it has one. */
function cell(measure: Measure, f: DashboardFigures): { text: string; format: 'numeric' } {
  const value = measure.value(f);
  if (value === null) return { text: 'No data', format: 'numeric' };
  const target = measure.target?.(f);
  const judged = target && target.met !== null ? ` (target ${target.text}, ${metWords(target.met)})` : '';
  return { text: `${measure.text(value)}${judged}`, format: 'numeric' };
}

const metCell = (met: boolean | null | undefined): CsvCell =>
  met === true ? 'yes' : met === false ? 'no' : '';
const optional = (value: number | null): CsvCell => (value === null ? '' : numberCell(value));

/** The CSV columns of figures (after each table's own first columns). */
function figureColumns(withinDays: number): string[] {
  return [
    'contract_value_pounds',
    'subcontracted_pounds',
    'subcontracted_percent',
    'target_percent',
    'target_met',
    'vcse_pounds',
    'vcse_percent',
    'vcse_target_percent',
    'vcse_target_met',
    'sme_percent',
    'sme_target_percent',
    'sme_target_met',
    'invoices',
    `paid_within_${withinDays}_days_percent`,
    'average_days_to_pay',
  ];
}

/** A row's figure cells, empty where there is no data to show. */
function figureCells(f: DashboardFigures, all: Measure[]): CsvCell[] {
  const [subcontracted, vcse, sme, prompt, average] = all as [Measure, Measure, Measure, Measure, Measure];
  return [
    poundsCell(f.contractValuePence),
    poundsCell(f.subcontractedPence),
    optional(subcontracted.value(f)),
    f.reported ? numberCell(f.target.percent) : '',
    metCell(f.target.met),
    poundsCell(f.bySector.voluntary.pence),
    optional(vcse.value(f)),
    numberCell(f.vcseTarget.percent),
    metCell(f.vcseTarget.met),
    optional(sme.value(f)),
    numberCell(f.smeTarget.percent),
    metCell(f.smeTarget.met),
    numberCell(f.promptPayment.invoices),
    optional(prompt.value(f)),
    optional(average.value(f)),
  ];
}

/** The quarter choices: every quarter, or one of the trend window (newest first). */
function periodChoices(now: Date, chosen: Period | undefined) {
  const window = trendWindow(now);
  const choices = [
    { value: '', text: 'Every quarter so far', selected: chosen === undefined },
    ...[...window].reverse().map((period) => ({
      value: period,
      text: quarterWords(period),
      selected: chosen === period,
    })),
  ];
  // A quarter outside the window, typed into the address, stays shown as chosen.
  if (chosen && !window.includes(chosen)) {
    choices.push({ value: chosen, text: quarterWords(chosen), selected: true });
  }
  return choices;
}

const periodQuery = (period: Period | undefined) => (period ? `?period=${period}` : '');
const periodWords = (period: Period | undefined) =>
  period ? `in ${quarterWords(period)}` : 'in every quarter so far';

/** A quarter's trend table rows: the quarter, then each measure (visible, and as CSV). */
function trendRows(trend: TrendPoint[], all: Measure[]) {
  return [...trend]
    .reverse()
    .map((point) => [
      { text: quarterWords(point.period) },
      ...all.map((measure) =>
        point.figures ? cell(measure, point.figures) : { text: 'No data', format: 'numeric' as const },
      ),
    ]);
}

/** `GET /commissioning/subcontracting`. */
async function dashboardGet(request: PageRequest) {
  requireSession(request);
  const rules = config().rules;
  const period = periodOf(request);
  const dashboard = await getSubcontractingDashboard(
    dashboardDeps(),
    request.principal,
    { period },
    request.now,
    rules,
  );
  const all = measures(rules.promptPaymentDays);
  const sections = all.map((measure) => ({
    id: measure.id,
    heading: measure.heading,
    ...headline(measure, dashboard.national),
    bars: barChart({
      id: `${measure.id}-by-region`,
      title: `${measure.heading} by region, ${periodWords(period)}`,
      valueHeading: measure.valueHeading,
      tick: measure.tick,
      floor: measure.floor,
      noun: 'region',
      bars: regionBars(measure, dashboard.byRegion),
    }),
    trend: trendChart(
      `${measure.id}-by-quarter`,
      measure,
      dashboard.trend,
      'all regions',
      measure.id === 'vcse' || measure.id === 'sme' ? measure.target?.(dashboard.national)?.value : undefined,
    ),
  }));
  const regionRows = [
    ...dashboard.byRegion.map((row) => [
      {
        html: `<a class="govuk-link" href="${BASE}/${row.region}${periodQuery(period)}">${escapeHtml(regionName(row.region))}</a>`,
      },
      { text: row.reported ? displayPounds(row.contractValuePence) : 'No data', format: 'numeric' as const },
      ...all.map((measure) => cell(measure, row)),
    ]),
    [
      { html: '<strong>All regions</strong>' },
      {
        text: dashboard.national.reported ? displayPounds(dashboard.national.contractValuePence) : 'No data',
        format: 'numeric' as const,
      },
      ...all.map((measure) => cell(measure, dashboard.national)),
    ],
  ];
  return render(request, 'oversight/subcontracting.njk', {
    title: 'Sub-contracting across the network',
    section: 'commissioning',
    breadcrumbs: commissioningBreadcrumbs(),
    periodText: periodWords(period),
    period: period ?? '',
    choices: periodChoices(request.now, period),
    summary: summaryRows(dashboard.national, rules.promptPaymentDays),
    sections,
    head: tableHead(all, 'Region'),
    regionRows,
    trendHead: tableHead(all, 'Quarter', false),
    trendRows: trendRows(dashboard.trend, all),
    trendQuarters: TREND_QUARTERS,
    formAction: BASE,
    regionsCsv: `${download('regions.csv')}${periodQuery(period)}`,
    quartersCsv: download('quarters.csv'),
  });
}

/** The headline figures as a GOV.UK summary list. */
function summaryRows(f: DashboardFigures, withinDays: number) {
  if (!f.reported) return [];
  return [
    { key: { text: 'Value of contracts reporting' }, value: { text: displayPounds(f.contractValuePence) } },
    { key: { text: 'Paid to sub-contractors' }, value: { text: displayPounds(f.subcontractedPence) } },
    {
      key: { text: 'Paid to VCSE organisations' },
      value: { text: displayPounds(f.bySector.voluntary.pence) },
    },
    {
      key: { text: 'Paid to SMEs' },
      value: { text: displayPounds(f.bySize.micro.pence + f.bySize.small.pence + f.bySize.medium.pence) },
    },
    { key: { text: 'Invoices reported' }, value: { text: f.promptPayment.invoices.toLocaleString('en-GB') } },
    {
      key: { text: `Paid within ${withinDays} days` },
      value: {
        text: f.promptPayment.invoices > 0 ? percent(f.promptPayment.paidWithin30DaysPercent) : 'No data',
      },
    },
  ];
}

/** A figures table's head: the first column, the value, then each measure. */
function tableHead(all: Measure[], first: string, withValue = true) {
  return [
    { text: first },
    ...(withValue ? [{ text: 'Contract value', format: 'numeric' }] : []),
    ...all.map((measure) => ({ text: measure.heading, format: 'numeric' })),
  ];
}

/** `regions.csv`: the regions table, with the network's total last. */
async function regionsCsv(request: PageRequest) {
  requireSession(request);
  const rules = config().rules;
  const period = periodOf(request);
  const dashboard = await getSubcontractingDashboard(
    dashboardDeps(),
    request.principal,
    { period },
    request.now,
    rules,
  );
  const all = measures(rules.promptPaymentDays);
  const rows: CsvCell[][] = [
    ...dashboard.byRegion.map((row) => [
      row.region,
      regionName(row.region),
      period ?? 'all',
      ...figureCells(row, all),
    ]),
    ['all', 'All regions', period ?? 'all', ...figureCells(dashboard.national, all)],
  ];
  return csvResponse(
    `subcontracting-regions-${period ?? 'all-quarters'}.csv`,
    toCsv(['region', 'region_name', 'quarter', ...figureColumns(rules.promptPaymentDays)], rows),
  );
}

/** Trend rows as CSV: one per quarter of the window, oldest first; empty figures where there is no data. */
function trendCsv(trend: TrendPoint[], all: Measure[], withinDays: number): string {
  return toCsv(
    ['quarter', 'quarter_name', ...figureColumns(withinDays)],
    trend.map((point) => [
      point.period,
      quarterWords(point.period),
      ...(point.figures ? figureCells(point.figures, all) : figureColumns(withinDays).map(() => '')),
    ]),
  );
}

/** `quarters.csv`: the network's figures per quarter. */
async function quartersCsv(request: PageRequest) {
  requireSession(request);
  const rules = config().rules;
  const dashboard = await getSubcontractingDashboard(
    dashboardDeps(),
    request.principal,
    {},
    request.now,
    rules,
  );
  return csvResponse(
    'subcontracting-quarters-all-regions.csv',
    trendCsv(dashboard.trend, measures(rules.promptPaymentDays), rules.promptPaymentDays),
  );
}

/** The cursor of a page of contracts, if it looks like one (a hand-edited one shows the first page). */
function cursorOf(request: PageRequest): string | undefined {
  const cursor = request.query.cursor;
  return cursor && /^[A-Za-z0-9_-]{1,2048}$/.test(cursor) ? cursor : undefined;
}

/** A contract's figure cells on the region page: its own targets (the contract's VCSE target, if any). */
function contractCells(row: RegionContractRow) {
  const f = row.figures;
  const numeric = (text: string) => ({ text, format: 'numeric' as const });
  if (!f || f.contractValuePence === 0) return Array.from({ length: 6 }, () => numeric('No data'));
  const target = ` (target ${percent(f.target.percent)}${f.target.met === null ? '' : `, ${metWords(f.target.met)}`})`;
  const vcseTarget =
    f.target.voluntarySectorPercent !== undefined &&
    f.target.voluntarySectorMet !== null &&
    f.target.voluntarySectorMet !== undefined
      ? ` (target ${percent(f.target.voluntarySectorPercent)}, ${metWords(f.target.voluntarySectorMet)})`
      : '';
  const spent = f.subcontractedPence > 0;
  const invoiced = f.promptPayment.invoices > 0;
  return [
    numeric(displayPounds(f.contractValuePence)),
    numeric(`${percent(f.subcontractedPercent)}${target}`),
    numeric(spent ? `${percent(f.voluntaryPercent)}${vcseTarget}` : 'No data'),
    numeric(spent ? percent(f.smePercent) : 'No data'),
    numeric(invoiced ? percent(f.promptPayment.paidWithin30DaysPercent) : 'No data'),
    numeric(invoiced ? days(f.promptPayment.averageDaysToPay) : 'No data'),
  ];
}

/** `GET /commissioning/subcontracting/{region}`. */
async function regionGet(request: PageRequest) {
  requireSession(request);
  const region = regionOf(request);
  const rules = config().rules;
  const period = periodOf(request);
  const cursor = cursorOf(request);
  const page = await getRegionDashboard(
    dashboardDeps(),
    request.principal,
    region,
    { period, cursor, limit: PAGE_SIZE },
    request.now,
    rules,
  );
  const all = measures(rules.promptPaymentDays);
  const name = regionName(region);
  const sections = all.map((measure) => ({
    id: measure.id,
    heading: measure.heading,
    ...headline(measure, page.figures),
    trend: trendChart(
      `${measure.id}-by-quarter`,
      measure,
      page.trend,
      name,
      measure.id === 'vcse' || measure.id === 'sme' ? measure.target?.(page.figures)?.value : undefined,
    ),
  }));
  const contractBars: Bar[] = page.contracts.items.map((row) => {
    const f = row.figures;
    const known = f !== null && f.contractValuePence > 0;
    return {
      label: row.title,
      value: known ? f.subcontractedPercent : null,
      valueText: known ? percent(f.subcontractedPercent) : 'No data',
      target: known
        ? { value: f.target.percent, text: percent(f.target.percent), met: f.target.met }
        : undefined,
    };
  });
  const contractRows = page.contracts.items.map((row) => [
    {
      html: page.contractPagesOpen
        ? `<a class="govuk-link" href="/commissioning/contracts/${encodeURIComponent(row.contractId)}">${escapeHtml(row.title)}</a>`
        : escapeHtml(row.title),
    },
    { text: govukDate(row.firstFiledAt.slice(0, 10)) },
    ...contractCells(row),
  ]);
  const kept: Record<string, string> = period ? { period } : {};
  return render(request, 'oversight/subcontracting-region.njk', {
    title: `Sub-contracting: ${name}`,
    name,
    region,
    national: region === 'national',
    section: 'commissioning',
    breadcrumbs: [
      ...commissioningBreadcrumbs(),
      { text: 'Sub-contracting', href: `${BASE}${periodQuery(period)}` },
    ],
    periodText: periodWords(period),
    period: period ?? '',
    choices: periodChoices(request.now, period),
    summary: summaryRows(page.figures, rules.promptPaymentDays),
    sections,
    contractsChart:
      contractBars.length > 0
        ? barChart({
            id: 'subcontracted-by-contract',
            title: `Contract value sub-contracted by contract, ${name}, ${periodWords(period)}${cursor ? ' (this page of contracts)' : ''}`,
            valueHeading: 'Share of contract value sub-contracted',
            tick: percent,
            floor: 10,
            noun: 'contract',
            bars: contractBars,
          })
        : '',
    contractRows,
    firstPage: !cursor,
    contractPagesOpen: page.contractPagesOpen,
    pagination: forwardPagination(`${BASE}/${region}`, kept, cursor, page.contracts.nextCursor),
    trendHead: tableHead(all, 'Quarter', false),
    trendRows: trendRows(page.trend, all),
    trendQuarters: TREND_QUARTERS,
    withinDays: rules.promptPaymentDays,
    formAction: `${BASE}/${region}`,
    contractsCsv: `${download(`${region}-contracts.csv`)}${periodQuery(period)}`,
    quartersCsv: download(`${region}-quarters.csv`),
  });
}

/** `<region>-quarters.csv`: a region's figures per quarter. */
async function regionQuartersCsv(request: PageRequest, region: FigureRegion) {
  requireSession(request);
  const rules = config().rules;
  const page = await getRegionDashboard(
    dashboardDeps(),
    request.principal,
    region,
    { limit: 1 },
    request.now,
    rules,
  );
  return csvResponse(
    `subcontracting-quarters-${region}.csv`,
    trendCsv(page.trend, measures(rules.promptPaymentDays), rules.promptPaymentDays),
  );
}

/** `<region>-contracts.csv`: every contract counted in a region. */
async function regionContractsCsv(request: PageRequest, region: FigureRegion) {
  requireSession(request);
  const rules = config().rules;
  const period = periodOf(request);
  const { rows } = await listRegionContracts(dashboardDeps(), request.principal, region, period, rules);
  const withinDays = rules.promptPaymentDays;
  const header = [
    'contract_id',
    'title',
    'prime_provider_id',
    'first_return_filed',
    'quarter',
    'contract_value_pounds',
    'subcontracted_pounds',
    'subcontracted_percent',
    'target_percent',
    'target_met',
    'vcse_pounds',
    'vcse_percent',
    'vcse_target_percent',
    'vcse_target_met',
    'sme_percent',
    'invoices',
    `paid_within_${withinDays}_days_percent`,
    'average_days_to_pay',
  ];
  const csvRows: CsvCell[][] = rows.map((row) => {
    const f = row.figures;
    const base: CsvCell[] = [
      row.contractId,
      row.title,
      row.primeProviderId,
      row.firstFiledAt.slice(0, 10),
      period ?? 'all',
    ];
    if (!f || f.contractValuePence === 0) return [...base, ...header.slice(base.length).map(() => '')];
    const spent = f.subcontractedPence > 0;
    const invoiced = f.promptPayment.invoices > 0;
    return [
      ...base,
      poundsCell(f.contractValuePence),
      poundsCell(f.subcontractedPence),
      numberCell(f.subcontractedPercent),
      numberCell(f.target.percent),
      metCell(f.target.met),
      poundsCell(f.bySector.voluntary.pence),
      spent ? numberCell(f.voluntaryPercent) : '',
      f.target.voluntarySectorPercent !== undefined ? numberCell(f.target.voluntarySectorPercent) : '',
      metCell(f.target.voluntarySectorMet),
      spent ? numberCell(f.smePercent) : '',
      numberCell(f.promptPayment.invoices),
      invoiced ? numberCell(f.promptPayment.paidWithin30DaysPercent) : '',
      invoiced ? numberCell(f.promptPayment.averageDaysToPay) : '',
    ];
  });
  return csvResponse(
    `subcontracting-contracts-${region}-${period ?? 'all-quarters'}.csv`,
    toCsv(header, csvRows),
  );
}

/**
 * `GET /commissioning/subcontracting/downloads/{file}`: every table's CSV by its file name, under one route
 * (each route is an API Gateway resource): `regions.csv`, `quarters.csv`, `<region>-quarters.csv`,
 * `<region>-contracts.csv`; anything else is a page that does not exist.
 */
async function downloadGet(request: PageRequest) {
  requireSession(request);
  const file = request.params.file ?? '';
  if (file === 'regions.csv') return regionsCsv(request);
  if (file === 'quarters.csv') return quartersCsv(request);
  const match = /^([a-z_]{1,32})-(quarters|contracts)\.csv$/.exec(file);
  const region = match?.[1] ?? '';
  if (!match || !isRegion(region)) throw new NotFoundError('There is no download at this address.');
  return match[2] === 'quarters' ? regionQuartersCsv(request, region) : regionContractsCsv(request, region);
}

/** This group's pages by route key. */
export const subcontractingDashboardPages: PageMap = {
  'GET /commissioning/subcontracting': dashboardGet,
  'GET /commissioning/subcontracting/{region}': regionGet,
  'GET /commissioning/subcontracting/downloads/{file}': downloadGet,
};
