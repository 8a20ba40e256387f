/**
 * The benchmark's OCDS feed scenarios (issue 16): one BENCH_ONLY word selects them and nothing else, each
 * is measured over the small feed before the large one and compared with itself, and importing the module
 * reads no configuration (the bench sets it after importing).
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteReport } from '../../bench/report';
import { SCENARIOS } from '../../bench/scenarios';
import { COMPETITION_SCENARIOS } from '../../bench/scenarios-competitions';
import {
  FEW,
  MANY,
  NAMES,
  OCDS_FLAT_COST_PAIRS,
  OCDS_SCENARIOS,
  ocdsFlatCostComparisons,
} from '../../bench/scenarios-ocds';
import { PAGE_SCENARIOS } from '../../bench/scenarios-pages';
import { PROVIDER_PAGE_SCENARIOS } from '../../bench/scenarios-provider-pages';
import { DASHBOARD_SCENARIOS } from '../../bench/scenarios-subcontracting-dashboard';

const names = OCDS_SCENARIOS.map((scenario) => scenario.name);

const measured = (name: string, p50: number, capacity: number) =>
  ({ name, latency: { latency: { p50 } }, storage: { capacity } }) as unknown as RouteReport;

describe('the OCDS scenarios', () => {
  it('are selected by BENCH_ONLY=ocds alone, and no other group’s are', () => {
    expect(names).toHaveLength(7);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((name) => name.toLowerCase().includes('ocds'))).toBe(true);
    const others = [
      ...SCENARIOS,
      ...COMPETITION_SCENARIOS,
      ...PAGE_SCENARIOS,
      ...PROVIDER_PAGE_SCENARIOS,
      ...DASHBOARD_SCENARIOS,
    ];
    expect(others.some((scenario) => scenario.name.toLowerCase().includes('ocds'))).toBe(false);
  });

  it('measure every scenario over 100 releases before any over 5,000, and pair each with itself', () => {
    const small = `feed of ${FEW} releases)`;
    const large = `feed of ${MANY.toLocaleString('en-GB')} releases)`;
    expect(names.findLastIndex((name) => name.endsWith(small))).toBeLessThan(
      names.findIndex((name) => name.endsWith(large)),
    );
    expect(OCDS_FLAT_COST_PAIRS).toHaveLength(3);
    for (const pair of OCDS_FLAT_COST_PAIRS) {
      expect(names).toContain(pair.small);
      expect(names).toContain(pair.large);
      expect(pair.large).toBe(pair.small.replace(small, large));
    }
    // The long record is measured alone: its answer is bounded, not flat.
    expect(names.at(-1)).toBe(NAMES.long);
  });

  it('compare the small feed with the large by p50 and capacity, skipping pairs not measured', () => {
    const [first, end] = OCDS_FLAT_COST_PAIRS as [
      (typeof OCDS_FLAT_COST_PAIRS)[number],
      (typeof OCDS_FLAT_COST_PAIRS)[number],
    ];
    const comparisons = ocdsFlatCostComparisons([
      measured(first.small, 10, 6),
      measured(first.large, 11, 6),
      measured(end.small, 10, 6),
      measured(end.large, 30, 60),
    ]);
    expect(comparisons.map((c) => [c.name, c.pass])).toEqual([
      [first.name, true],
      [end.name, false],
    ]);
    expect(ocdsFlatCostComparisons([measured(first.small, 10, 6)])).toEqual([]);
  });
});

describe('importing the OCDS scenarios', () => {
  it('leaves the configuration to be read after the environment is set', () => {
    const script = `
      delete process.env.DYNAMODB_ENDPOINT;
      await import('./bench/scenarios-ocds.ts');
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
