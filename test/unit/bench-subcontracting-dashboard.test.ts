/**
 * The benchmark's dashboard scenarios (issue 16): one BENCH_ONLY word selects them and nothing else, each
 * page is measured over few returns before many and compared with itself, and importing the module reads
 * no configuration (the bench sets it after importing).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteReport } from '../../bench/report';
import { SCENARIOS } from '../../bench/scenarios';
import { COMPETITION_SCENARIOS } from '../../bench/scenarios-competitions';
import { PAGE_SCENARIOS } from '../../bench/scenarios-pages';
import { PROVIDER_PAGE_SCENARIOS } from '../../bench/scenarios-provider-pages';
import {
  DASHBOARD_FLAT_COST_PAIRS,
  DASHBOARD_SCENARIOS,
  dashboardFlatCostComparisons,
} from '../../bench/scenarios-subcontracting-dashboard';

const names = DASHBOARD_SCENARIOS.map((scenario) => scenario.name);

const measured = (name: string, p50: number, capacity: number) =>
  ({ name, latency: { latency: { p50 } }, storage: { capacity } }) as unknown as RouteReport;

describe('the dashboard scenarios', () => {
  it('are selected by BENCH_ONLY=dashboard alone, and no other group’s are', () => {
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.includes('dashboard'))).toBe(true);
    const others = [...SCENARIOS, ...COMPETITION_SCENARIOS, ...PAGE_SCENARIOS, ...PROVIDER_PAGE_SCENARIOS];
    expect(others.some((scenario) => scenario.name.includes('dashboard'))).toBe(false);
  });

  it('measure both pages over 40 returns before either over 1,040, and pair each with itself', () => {
    expect(
      names.findLastIndex((name) => name.includes('(dashboard') && name.endsWith(', 40 returns)')),
    ).toBeLessThan(names.findIndex((name) => name.endsWith('1,040 returns)')));
    expect(DASHBOARD_FLAT_COST_PAIRS).toHaveLength(2);
    for (const pair of DASHBOARD_FLAT_COST_PAIRS) {
      expect(names).toContain(pair.small);
      expect(names).toContain(pair.large);
      expect(pair.large).toBe(pair.small.replace(', 40 returns)', ', 1,040 returns)'));
    }
  });

  it('compares few with many returns by p50 and capacity, skipping pairs not measured', () => {
    const [page, region] = DASHBOARD_FLAT_COST_PAIRS as [
      (typeof DASHBOARD_FLAT_COST_PAIRS)[number],
      (typeof DASHBOARD_FLAT_COST_PAIRS)[number],
    ];
    const comparisons = dashboardFlatCostComparisons([
      measured(page.small, 20, 6),
      measured(page.large, 22, 6),
      measured(region.small, 10, 3),
      measured(region.large, 30, 9),
    ]);
    expect(comparisons.map((c) => c.pass)).toEqual([true, false]);
    expect(dashboardFlatCostComparisons([measured(page.small, 20, 6)])).toEqual([]);
  });
});

describe('importing the dashboard scenarios', () => {
  it('leaves the configuration to be read after the environment is set', () => {
    const script = `
      delete process.env.DYNAMODB_ENDPOINT;
      await import('./bench/scenarios-subcontracting-dashboard.ts');
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
