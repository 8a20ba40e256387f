/**
 * The benchmark's results: their shape (also written as JSON) and the aligned text report.
 */
import type { FlatCostComparison } from './flat-cost';
import type { Floor } from './floor';
import type { InitTimes } from './functions';
import type { LoadResult } from './load-protocol';
import type { PageRouteComparison } from './page-cost';
import type { StorageCost } from './sample';
import { round } from './stats';

/** Targets from DESIGN.md section 5. */
export const TARGETS = {
  /** Route p50 ≤ this × (raw DynamoDB Local p50 × storage calls). */
  handlerOverheadRatio: 1.5,
  bundleKb: 300,
  initMs: 100,
} as const;

/** Where and when the figures were taken. */
export interface Environment {
  date: string;
  node: string;
  cpus: number;
  cpuModel: string;
  os: string;
  memoryGb: number;
  /** 1, 5 and 15 minute load averages at the start: a busy machine explains slow figures. */
  loadAverage: number[];
  java: string;
  commit: string;
}

/** The floor before and after the routes. */
export interface FloorReport {
  warmupSeconds: number;
  warmupCalls: number;
  /** Measured after the warm-up, before any route. */
  before: Floor;
  /** Measured after the last route, to show drift. */
  after: Floor;
}

/** One scenario's figures. */
export interface RouteReport {
  name: string;
  method: string;
  path: string;
  /** The route that served it, or `$default` when none matched (a 404). */
  routeKey: string;
  functionId: string;
  /** A JSON route, or a web page (held to its JSON route rather than to the handler-overhead target). */
  kind: 'api' | 'page';
  storage: StorageCost;
  /** One connection: latency without queueing, the basis of the overhead ratio. */
  latency: LoadResult;
  /** Several connections: throughput, and latency under load. */
  load: LoadResult;
  overhead: {
    /** The raw p50s measured around this route's latency run (none when it makes no storage calls). */
    floor: { getItemP50: number; queryP50: number } | null;
    /** What storage alone would take: raw p50 per call, summed over the calls made. */
    floorMs: number | null;
    /** How `floorMs` was made up, e.g. `1 × Query p50`. */
    basis: string;
    ratio: number | null;
    target: number;
    pass: boolean | null;
  };
  /** The request path issued a Scan, which DESIGN.md forbids. */
  scan: boolean;
}

/** One function's cold-start figures. */
export interface FunctionReport {
  id: string;
  entry: string;
  bundleBytes: number;
  bundleKb: number;
  bundlePass: boolean;
  heaviest: { name: string; bytes: number }[];
  warnings: string[];
  init: InitTimes;
  initPass: boolean;
  /** The same with `--enable-source-maps`, which a function pays if its NODE_OPTIONS sets it. */
  initWithSourceMaps: InitTimes;
}

/** A scenario that could not be measured, and why. */
export interface SkippedScenario {
  name: string;
  reason: string;
}

/** Everything one run measured. */
export interface BenchReport {
  environment: Environment;
  settings: Record<string, number | string>;
  targets: typeof TARGETS;
  floor: FloorReport;
  routes: RouteReport[];
  skipped: SkippedScenario[];
  flatCost: FlatCostComparison[];
  /** Pages beside the JSON routes whose use cases they call. */
  pageRoute: PageRouteComparison[];
  functions: FunctionReport[];
  /** Init of a stand-in that loads only the DynamoDB SDK: the part of every function's init that is the SDK. */
  sdkOnlyInit: InitTimes;
  /** Log lines of the kinds the benchmark mutes after the first few (see `noise.ts`). */
  mutedNoise: { name: string; lines: number }[];
  summary: { pass: number; fail: number; notApplicable: number };
}

type Align = 'left' | 'right';

/** Lays out rows under headers, each column as wide as its widest cell. */
function table(columns: { header: string; align?: Align }[], rows: string[][], indent = '  '): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, i) => {
        const width = widths[i] ?? 0;
        return columns[i]?.align === 'right' ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((column) => column.header)),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ];
}

function ms(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}

function num(value: number | null, digits = 2): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  if (!Number.isFinite(value)) return '∞';
  return String(round(value, digits));
}

function verdict(pass: boolean | null): string {
  if (pass === null) return 'n/a';
  return pass ? 'PASS' : 'FAIL';
}

function environmentSection(env: Environment): string[] {
  return [
    'Environment',
    ...table(
      [{ header: 'what' }, { header: 'value' }],
      [
        ['date', env.date],
        ['node', env.node],
        ['cpus', `${env.cpus} × ${env.cpuModel}`],
        ['os', `${env.os}, ${env.memoryGb} GB memory`],
        ['load average', `${env.loadAverage.map((value) => value.toFixed(2)).join(' ')} (at the start)`],
        ['java', env.java],
        ['commit', env.commit],
      ],
    ),
  ];
}

function floorSection(floor: FloorReport): string[] {
  const row = (name: string, when: string, op: Floor['getItem']) => [
    name,
    when,
    ms(op.latency.p50),
    ms(op.latency.p99),
    ms(op.latency.mean),
    num(op.capacity),
  ];
  const { before, after } = floor;
  return [
    `DynamoDB Local floor: SDK document client, sequential, ${before.iterations} calls each,` +
      ` after a JVM warm-up of ${floor.warmupCalls} calls (${floor.warmupSeconds.toFixed(1)} s)`,
    ...table(
      [
        { header: 'operation' },
        { header: 'when' },
        { header: 'p50 ms', align: 'right' },
        { header: 'p99 ms', align: 'right' },
        { header: 'mean ms', align: 'right' },
        { header: 'capacity', align: 'right' },
      ],
      [
        row('GetItem', 'before routes', before.getItem),
        row('', 'after routes', after.getItem),
        row(`Query (Limit ${before.queryLimit})`, 'before routes', before.query),
        row('', 'after routes', after.query),
      ],
    ),
    "  Each route's overhead ratio uses its own floor, measured just before and after its latency run.",
  ];
}

function routeNotes(route: RouteReport): string[] {
  const notes: string[] = [];
  const commands = route.storage.commands.map((command) => command.replace(/Command$/, ''));
  const tables = Object.entries(route.storage.tables)
    .map(([table, calls]) => `${table} ${calls}`)
    .join(', ');
  notes.push(
    `${route.name} (${route.routeKey} → ${route.functionId}): storage ${commands.join(', ') || 'none'}` +
      `${tables ? ` (${tables})` : ''}; floor ${route.overhead.basis}` +
      (route.kind === 'page' ? '; a page: judged beside its JSON route, not by the overhead target' : ''),
  );
  if (route.scan) notes.push(`${route.name}: FAIL – issued a Scan on a request path`);
  if (route.storage.varies) notes.push(`${route.name}: * calls or capacity varied between the samples`);
  if (route.storage.calls === null) notes.push(`${route.name}: the x-local-* meter headers were missing`);
  else if (route.storage.serviceCalls === null) {
    notes.push(
      `${route.name}: the recorded calls disagreed with the meter headers in a sample, so its session` +
        ' and service calls are unknown',
    );
  }
  const bad = route.storage.statuses.filter((status) => status < 200 || status >= 300);
  if (bad.length > 0) {
    notes.push(
      `${route.name}: samples answered ${bad.join(', ')}, so no verdict – check the route and its set-up`,
    );
  }
  return notes.map((note) => `  ${note}`);
}

function routesSection(routes: RouteReport[], skipped: SkippedScenario[]): string[] {
  const skippedLines = skipped.map((entry) => `  ${entry.name}: SKIPPED – ${entry.reason}`);
  const first = routes[0];
  if (!first) return ['Routes: none measured', ...skippedLines];
  return [
    `Routes, 1 connection for ${first.latency.durationSeconds.toFixed(1)} s: latency without queueing, the basis` +
      ' of the overhead ratio; storage per request from the gateway meter headers',
    ...table(
      [
        { header: 'route' },
        { header: 'status' },
        { header: 'calls', align: 'right' },
        { header: 'capacity', align: 'right' },
        { header: 'p50 ms', align: 'right' },
        { header: 'p99 ms', align: 'right' },
        { header: 'req/s', align: 'right' },
        { header: 'non-2xx', align: 'right' },
        { header: 'floor ms', align: 'right' },
        { header: 'overhead', align: 'right' },
        { header: `≤ ${TARGETS.handlerOverheadRatio}×` },
      ],
      routes.map((route) => [
        route.name,
        [...new Set(route.storage.statuses)].join(','),
        num(route.storage.calls, 0) + (route.storage.varies ? '*' : ''),
        num(route.storage.capacity),
        ms(route.latency.latency.p50),
        ms(route.latency.latency.p99),
        num(route.latency.requestsPerSecond, 0),
        String(route.latency.non2xx),
        num(route.overhead.floorMs),
        route.overhead.ratio === null ? 'n/a' : `${route.overhead.ratio.toFixed(2)}×`,
        verdict(route.overhead.pass),
      ]),
    ),
    ...routes.flatMap(routeNotes),
    ...skippedLines,
    '',
    `Routes under load, ${first.load.connections} connections for ${first.load.durationSeconds.toFixed(1)} s` +
      ' (latency includes queueing: gateway, DynamoDB Local and load generator share the CPUs)',
    ...table(
      [
        { header: 'route' },
        { header: 'p50 ms', align: 'right' },
        { header: 'p99 ms', align: 'right' },
        { header: 'req/s', align: 'right' },
        { header: 'requests', align: 'right' },
        { header: 'non-2xx', align: 'right' },
        { header: 'errors', align: 'right' },
      ],
      routes.map((route) => [
        route.name,
        ms(route.load.latency.p50),
        ms(route.load.latency.p99),
        num(route.load.requestsPerSecond, 0),
        String(route.load.requests),
        String(route.load.non2xx),
        String(route.load.errors),
      ]),
    ),
  ];
}

function flatCostSection(comparisons: FlatCostComparison[]): string[] {
  return [
    'Flat cost (large / small; p50 from the single-connection runs)',
    ...table(
      [
        { header: 'comparison' },
        { header: 'small' },
        { header: 'large' },
        { header: 'p50 ratio', align: 'right' },
        { header: 'capacity ratio', align: 'right' },
        { header: 'limit', align: 'right' },
        { header: 'verdict' },
      ],
      comparisons.map((comparison) => [
        comparison.name,
        comparison.small,
        comparison.large,
        num(comparison.p50Ratio),
        num(comparison.capacityRatio),
        `≤ ${comparison.limit}`,
        verdict(comparison.pass),
      ]),
    ),
  ];
}

function pageRouteSection(comparisons: PageRouteComparison[]): string[] {
  const calls = (value: number | null) => (value === null ? 'n/a' : String(value));
  return [
    "Pages beside their JSON routes (p50 from the single-connection runs; storage calls on the service's" +
      " tables, the session table's counted apart)",
    ...table(
      [
        { header: 'page' },
        { header: 'page p50', align: 'right' },
        { header: 'route p50', align: 'right' },
        { header: 'ratio', align: 'right' },
        { header: 'limit', align: 'right' },
        { header: 'verdict' },
        { header: 'page calls', align: 'right' },
        { header: 'route calls', align: 'right' },
        { header: 'equal' },
        { header: 'session calls', align: 'right' },
      ],
      comparisons.map((comparison) => [
        comparison.name,
        ms(comparison.page.p50),
        ms(comparison.route.p50),
        `${num(comparison.p50Ratio)}×`,
        `≤ ${comparison.limit}×`,
        verdict(comparison.latencyPass),
        calls(comparison.page.serviceCalls),
        calls(comparison.route.serviceCalls),
        verdict(comparison.callsPass),
        `${calls(comparison.page.sessionCalls)} (route ${calls(comparison.route.sessionCalls)})`,
      ]),
    ),
    ...comparisons.map(
      (comparison) =>
        `  ${comparison.name}: page "${comparison.page.name}", route "${comparison.route.name}"`,
    ),
    '  Session calls: the page opening its web session (GetItem, now and then a refresh write), the',
    "  counterpart of the JSON route's JWT authorizer; n/a verdicts: a side did not answer 2xx (see its notes).",
  ];
}

function functionsSection(functions: FunctionReport[], sdkOnlyInit: InitTimes): string[] {
  const runs = functions[0]?.init.runs.length ?? 0;
  const lines = [
    'Functions: esbuild as NodejsFunction (bundle, minify, node22, cjs, @aws-sdk/* external; 1 KB = 1024 B);' +
      ` init = require() in a fresh node, median of ${runs}, @aws-sdk loaded from node_modules`,
    ...table(
      [
        { header: 'function' },
        { header: 'bundle KB', align: 'right' },
        { header: `≤ ${TARGETS.bundleKb} KB` },
        { header: 'init ms', align: 'right' },
        { header: `≤ ${TARGETS.initMs} ms` },
        { header: '+source maps', align: 'right' },
        { header: 'heaviest in bundle' },
      ],
      functions.map((fn) => [
        fn.id,
        fn.bundleKb.toFixed(1),
        verdict(fn.bundlePass),
        ms(fn.init.median),
        verdict(fn.initPass),
        ms(fn.initWithSourceMaps.median),
        fn.heaviest.map((pkg) => `${pkg.name} ${(pkg.bytes / 1024).toFixed(0)} KB`).join(', '),
      ]),
    ),
    '  "+source maps": init under NODE_OPTIONS=--enable-source-maps, the figure that counts if a function sets it.',
    `  Reference: loading @aws-sdk/client-dynamodb and lib-dynamodb alone takes ${ms(sdkOnlyInit.median)} ms` +
      ' here (median), part of every init above.',
  ];
  for (const fn of functions) {
    for (const warning of fn.warnings) lines.push(`  ${fn.id}: esbuild warning: ${warning}`);
  }
  return lines;
}

function noiseSection(noise: BenchReport['mutedNoise']): string[] {
  return [
    'Handler output muted after the first lines (printed per request; also noise in CloudWatch)',
    ...noise.map((entry) => `  ${entry.lines} × ${entry.name}`),
  ];
}

/** The whole report as text, one section per measurement, each target marked PASS or FAIL. */
export function formatReport(report: BenchReport): string {
  const sections = [
    ['Benchmark – targets from DESIGN.md section 5 (ratios: this machine is shared and noisy)'],
    environmentSection(report.environment),
    floorSection(report.floor),
    routesSection(report.routes, report.skipped),
    ...(report.flatCost.length > 0 ? [flatCostSection(report.flatCost)] : []),
    ...(report.pageRoute.length > 0 ? [pageRouteSection(report.pageRoute)] : []),
    functionsSection(report.functions, report.sdkOnlyInit),
    ...(report.mutedNoise.length > 0 ? [noiseSection(report.mutedNoise)] : []),
    [
      `Targets: ${report.summary.pass} PASS, ${report.summary.fail} FAIL, ${report.summary.notApplicable} n/a,` +
        ` ${report.skipped.length} scenario(s) skipped` +
        ' (a measurement, not a test: the exit code stays 0)',
    ],
  ];
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

/** Counts the verdicts of every target in the report. */
export function summarise(report: Omit<BenchReport, 'summary'>): BenchReport['summary'] {
  const verdicts: (boolean | null)[] = [
    ...report.routes.map((route) => route.overhead.pass),
    ...report.routes.filter((route) => route.scan).map(() => false),
    ...report.flatCost.map((comparison) => comparison.pass),
    ...report.pageRoute.flatMap((comparison) => [comparison.latencyPass, comparison.callsPass]),
    ...report.functions.flatMap((fn) => [fn.bundlePass, fn.initPass]),
  ];
  return {
    pass: verdicts.filter((v) => v === true).length,
    fail: verdicts.filter((v) => v === false).length,
    notApplicable: verdicts.filter((v) => v === null).length,
  };
}
