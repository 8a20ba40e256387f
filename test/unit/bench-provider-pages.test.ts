/**
 * The benchmark's provider-page scenarios (issue 15): one BENCH_ONLY word selects them and nothing else,
 * every comparison names scenarios that exist, the opportunity page is judged against its three JSON routes
 * together, and importing the module reads no configuration (the bench sets it after importing).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteReport } from '../../bench/report';
import { SCENARIOS } from '../../bench/scenarios';
import { COMPETITION_SCENARIOS } from '../../bench/scenarios-competitions';
import { PAGE_SCENARIOS } from '../../bench/scenarios-pages';
import {
  PROVIDER_PAGE_FLAT_COST_PAIRS,
  PROVIDER_PAGE_SCENARIOS,
  providerFlatCostComparisons,
  providerPageComparisons,
} from '../../bench/scenarios-provider-pages';

const names = PROVIDER_PAGE_SCENARIOS.map((scenario) => scenario.name);

/** A measured scenario with just the figures the comparisons read. */
function measured(
  name: string,
  p50: number,
  calls: number,
  options: { status?: number; session?: number } = {},
) {
  return {
    name,
    latency: { latency: { p50 } },
    storage: {
      statuses: [options.status ?? 200],
      serviceCalls: calls,
      sessionCalls: options.session ?? 0,
      capacity: calls / 2,
    },
  } as unknown as RouteReport;
}

const named = (part: string, size: string) => {
  const name = names.find((n) => n.startsWith(part) && n.includes(size));
  if (!name) throw new Error(`no scenario ${part} ${size}`);
  return name;
};

/** Every scenario measured: the routes of the opportunity page at 5, 7 and 8 ms, the page and the bid. */
function allMeasured(overrides: Record<string, RouteReport> = {}): RouteReport[] {
  return names.map((name) => {
    if (overrides[name]) return overrides[name];
    if (name.startsWith('GET /find-an-opportunity/')) return measured(name, 30, 4);
    if (name.startsWith('GET /competitions/{id}/questions')) return measured(name, 7, 2);
    if (name.startsWith('GET /competitions/{id}/documents')) return measured(name, 8, 2);
    if (name.startsWith('GET /competitions/{id}/bid')) return measured(name, 10, 5);
    if (name.startsWith('GET /your-competitions/')) return measured(name, 15, 5, { session: 1 });
    return measured(name, 5, 1);
  });
}

describe('the provider-page scenarios', () => {
  it('are selected by BENCH_ONLY=provider-pages alone, and no other group’s are', () => {
    expect(names).toHaveLength(12);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.includes('provider-pages'))).toBe(true);
    const others = [...SCENARIOS, ...COMPETITION_SCENARIOS, ...PAGE_SCENARIOS].map((s) => s.name);
    expect(others.some((name) => name.includes('provider-pages'))).toBe(false);
  });

  it('measure every scenario with few other competitions before any with many', () => {
    const lastFew = names.findLastIndex((name) => name.includes('10 other competitions'));
    const firstMany = names.findIndex((name) => name.includes('1,000 other competitions'));
    expect(lastFew).toBeLessThan(firstMany);
  });

  it('pair few with many for the same request, both pages and every route beside them', () => {
    expect(PROVIDER_PAGE_FLAT_COST_PAIRS).toHaveLength(6);
    for (const pair of PROVIDER_PAGE_FLAT_COST_PAIRS) {
      expect(names).toContain(pair.small);
      expect(names).toContain(pair.large);
      expect(pair.large).toBe(pair.small.replace('10 other competitions', '1,000 other competitions'));
    }
  });
});

describe('providerPageComparisons', () => {
  it('judges the opportunity page against its three routes together: p50s and calls summed', () => {
    const comparisons = providerPageComparisons(allMeasured());
    expect(comparisons).toHaveLength(4);
    const opportunity = comparisons.find(
      (c) => c.name.startsWith('opportunity page') && c.name.includes('10 '),
    );
    expect(opportunity?.route.p50).toBe(20);
    expect(opportunity?.route.serviceCalls).toBe(5);
    expect(opportunity?.p50Ratio).toBeCloseTo(1.5);
    expect(opportunity?.latencyPass).toBe(true);
    // Fewer calls than the three routes (the competition read once) pass; more would not.
    expect(opportunity?.callsPass).toBe(true);
    const bid = comparisons.find((c) => c.name.startsWith('bid page') && c.name.includes('10 '));
    expect(bid).toMatchObject({ latencyPass: true, callsPass: true });
    expect(bid?.page.sessionCalls).toBe(1);
  });

  it('fails an opportunity page making more calls than its routes, and a bid page making any other number', () => {
    const page = named('GET /find-an-opportunity/', '10 other');
    const bidPage = named('GET /your-competitions/', '10 other');
    const comparisons = providerPageComparisons(
      allMeasured({ [page]: measured(page, 30, 6), [bidPage]: measured(bidPage, 15, 4, { session: 1 }) }),
    );
    expect(comparisons.find((c) => c.page.name === page)?.callsPass).toBe(false);
    expect(comparisons.find((c) => c.page.name === bidPage)?.callsPass).toBe(false);
  });

  it('gives no verdict when one of the routes did not answer 2xx, and skips pairs not measured', () => {
    const documents = named('GET /competitions/{id}/documents', '10 other');
    const comparisons = providerPageComparisons(
      allMeasured({ [documents]: measured(documents, 8, 2, { status: 404 }) }),
    );
    const opportunity = comparisons.find((c) => c.route.name.includes(documents));
    expect(opportunity).toMatchObject({ latencyPass: null, callsPass: null });
    const fewOnly = allMeasured().filter((route) => route.name.includes('10 other'));
    expect(providerPageComparisons(fewOnly)).toHaveLength(2);
    expect(providerFlatCostComparisons(fewOnly)).toHaveLength(0);
  });
});

describe('providerFlatCostComparisons', () => {
  it('compares few with many other competitions by p50 and capacity', () => {
    const page = named('GET /find-an-opportunity/', '1,000 other');
    const comparisons = providerFlatCostComparisons(allMeasured({ [page]: measured(page, 45, 4) }));
    expect(comparisons).toHaveLength(6);
    const opportunity = comparisons.find((c) => c.name.startsWith('opportunity page'));
    expect(opportunity).toMatchObject({ p50Ratio: 1.5, capacityRatio: 1, pass: false });
    expect(comparisons.filter((c) => c.pass)).toHaveLength(5);
  });
});

describe('importing the provider-page scenarios', () => {
  it('leaves the configuration to be read after the environment is set', () => {
    const script = `
      delete process.env.DYNAMODB_ENDPOINT;
      await import('./bench/scenarios-provider-pages.ts');
      process.env.DYNAMODB_ENDPOINT = 'http://127.0.0.1:1';
      const { config } = await import('./shared/config.ts');
      console.log(JSON.stringify(config().dynamodbEndpoint));
    `;
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '../..'),
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: '1' },
      encoding: 'utf8',
    });
    expect(output.trim().split('\n').at(-1)).toBe('"http://127.0.0.1:1"');
  }, 60_000);
});
