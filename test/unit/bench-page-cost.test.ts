/**
 * The benchmark's pages-beside-routes comparison (issue 14): which calls are the web session's, how a page
 * is judged against its JSON route, and how the verdicts reach the report and its summary.
 */
import { describe, expect, it } from 'vitest';
import { comparePageToRoute, type PageRouteSide } from '../../bench/page-cost';
import { type BenchReport, formatReport, summarise } from '../../bench/report';
import { splitCalls, tablesOf } from '../../bench/sample';
import { PAGE_ROUTE_PAIRS, PAGE_SCENARIOS } from '../../bench/scenarios-pages';

const side = (overrides: Partial<PageRouteSide> = {}): PageRouteSide => ({
  name: 'side',
  p50: 10,
  serviceCalls: 4,
  sessionCalls: 0,
  succeeded: true,
  ...overrides,
});

const pair = { name: 'bid page', page: 'page', route: 'route' };

describe('tablesOf', () => {
  it('names the table of a single-item command, a batch and a transaction', () => {
    expect(tablesOf({ TableName: 'p-sessions', Key: {} })).toEqual(['p-sessions']);
    expect(tablesOf({ RequestItems: { 'p-sealed': {}, 'p-procurement': {} } })).toEqual([
      'p-procurement',
      'p-sealed',
    ]);
    expect(
      tablesOf({
        TransactItems: [
          { Put: { TableName: 'p-audit' } },
          { Update: { TableName: 'p-procurement' } },
          { ConditionCheck: { TableName: 'p-audit' } },
        ],
      }),
    ).toEqual(['p-audit', 'p-procurement']);
    expect(tablesOf(undefined)).toEqual([]);
  });
});

describe('splitCalls', () => {
  it('counts as the session only calls that reach nothing but the sessions table', () => {
    const split = splitCalls([
      { command: 'GetCommand', tables: ['sessions'] },
      { command: 'GetCommand', tables: ['procurement'] },
      { command: 'QueryCommand', tables: ['sealed'] },
      { command: 'TransactWriteCommand', tables: ['audit', 'procurement'] },
      { command: 'UpdateCommand', tables: ['sessions'] },
    ]);
    expect(split).toEqual({
      session: 2,
      service: 3,
      tables: { sessions: 2, procurement: 1, sealed: 1, 'audit+procurement': 1 },
    });
  });

  it('counts a call whose table is unknown as the service’s, never the session’s', () => {
    expect(splitCalls([{ command: 'GetCommand', tables: [] }])).toEqual({
      session: 0,
      service: 1,
      tables: { unknown: 1 },
    });
  });
});

describe('comparePageToRoute', () => {
  it('passes a page within twice its route’s p50 with the same service calls', () => {
    const result = comparePageToRoute(pair, side({ p50: 19.9, sessionCalls: 1 }), side());
    expect(result.p50Ratio).toBeCloseTo(1.99);
    expect(result.latencyPass).toBe(true);
    expect(result.callsPass).toBe(true);
  });

  it('fails a page slower than twice its route, and one making an extra service call', () => {
    const result = comparePageToRoute(pair, side({ p50: 20.5, serviceCalls: 5 }), side());
    expect(result.latencyPass).toBe(false);
    expect(result.callsPass).toBe(false);
  });

  it('fails when the calls could not be split, and gives no verdict when a side did not answer 2xx', () => {
    expect(comparePageToRoute(pair, side({ serviceCalls: null }), side()).callsPass).toBe(false);
    const unanswered = comparePageToRoute(pair, side({ succeeded: false }), side());
    expect(unanswered.latencyPass).toBeNull();
    expect(unanswered.callsPass).toBeNull();
  });

  it('honours a pair’s own limit', () => {
    expect(comparePageToRoute({ ...pair, limit: 1.5 }, side({ p50: 16 }), side()).latencyPass).toBe(false);
  });
});

describe('the workspace scenarios', () => {
  it('pair every page with a JSON route scenario that exists, each measured just before its page', () => {
    const names = PAGE_SCENARIOS.map((scenario) => scenario.name);
    expect(PAGE_ROUTE_PAIRS).toHaveLength(3);
    for (const { page, route } of PAGE_ROUTE_PAIRS) {
      expect(names.indexOf(route)).toBeGreaterThanOrEqual(0);
      expect(names.indexOf(page)).toBe(names.indexOf(route) + 1);
    }
    // One BENCH_ONLY word selects all six.
    expect(names.every((name) => name.includes('workspace'))).toBe(true);
  });
});

describe('the report', () => {
  const empty: Omit<BenchReport, 'summary'> = {
    environment: {
      date: '2026-01-01',
      node: 'v20',
      cpus: 2,
      cpuModel: 'cpu',
      os: 'linux',
      memoryGb: 4,
      loadAverage: [0, 0, 0],
      java: 'java',
      commit: 'abc',
    },
    settings: {},
    targets: { handlerOverheadRatio: 1.5, bundleKb: 300, initMs: 100 },
    floor: {
      warmupSeconds: 1,
      warmupCalls: 10,
      before: floorOf(),
      after: floorOf(),
    },
    routes: [],
    skipped: [],
    flatCost: [],
    pageRoute: [],
    functions: [],
    sdkOnlyInit: { runs: [], median: 1 },
    mutedNoise: [],
  };

  it('counts both verdicts of each pair and prints its row with the session calls apart', () => {
    const partial = {
      ...empty,
      pageRoute: [
        comparePageToRoute(
          pair,
          side({ name: 'the page', p50: 30, sessionCalls: 1 }),
          side({ name: 'the route' }),
        ),
      ],
    };
    const report: BenchReport = { ...partial, summary: summarise(partial) };
    expect(report.summary).toEqual({ pass: 1, fail: 1, notApplicable: 0 });
    const text = formatReport(report);
    expect(text).toContain('Pages beside their JSON routes');
    const row = text.split('\n').find((line) => line.trim().startsWith('bid page '));
    expect(row).toMatch(/bid page\s+30\.00\s+10\.00\s+3×\s+≤ 2×\s+FAIL\s+4\s+4\s+PASS\s+1 \(route 0\)/);
  });
});

function floorOf() {
  const op = { latency: { count: 1, p50: 1, p99: 1, mean: 1, min: 1, max: 1 }, capacity: 0.5 };
  return { iterations: 1, getItem: op, query: op, queryLimit: 25 };
}
