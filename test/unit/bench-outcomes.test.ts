/**
 * The benchmark's payment-by-results scenarios (issue 18): one BENCH_ONLY word selects them and nothing else,
 * the statement is measured over 10 claims before 1,000 and compared with itself, and importing the module
 * reads no configuration (the bench sets it after importing). No wall-clock time is asserted here.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RouteReport } from '../../bench/report';
import { SCENARIOS } from '../../bench/scenarios';
import { COMPETITION_SCENARIOS } from '../../bench/scenarios-competitions';
import { OCDS_SCENARIOS } from '../../bench/scenarios-ocds';
import {
  OUTCOME_FLAT_COST_PAIRS,
  OUTCOME_SCENARIOS,
  outcomeFlatCostComparisons,
} from '../../bench/scenarios-outcomes';
import { PAGE_SCENARIOS } from '../../bench/scenarios-pages';
import { PROVIDER_PAGE_SCENARIOS } from '../../bench/scenarios-provider-pages';
import { DASHBOARD_SCENARIOS } from '../../bench/scenarios-subcontracting-dashboard';

const names = OUTCOME_SCENARIOS.map((scenario) => scenario.name);

const measured = (name: string, p50: number, capacity: number) =>
  ({ name, latency: { latency: { p50 } }, storage: { capacity } }) as unknown as RouteReport;

describe('the outcome statement scenarios', () => {
  it('are selected by BENCH_ONLY=outcome alone, and no other group’s are', () => {
    expect(names).toEqual([
      'GET /contracts/{id}/outcome-statement (10 claims)',
      'GET /contracts/{id}/outcome-statement (1,000 claims)',
    ]);
    const others = [
      ...OCDS_SCENARIOS,
      ...SCENARIOS,
      ...COMPETITION_SCENARIOS,
      ...PAGE_SCENARIOS,
      ...PROVIDER_PAGE_SCENARIOS,
      ...DASHBOARD_SCENARIOS,
    ];
    expect(others.some((scenario) => scenario.name.toLowerCase().includes('outcome'))).toBe(false);
  });

  it('pair 10 with 1,000 claims and compare them by p50 and capacity, skipping a pair not measured', () => {
    expect(OUTCOME_FLAT_COST_PAIRS).toEqual([
      { name: 'outcome statement', small: names[0], large: names[1] },
    ]);
    const [pair] = OUTCOME_FLAT_COST_PAIRS as [(typeof OUTCOME_FLAT_COST_PAIRS)[number]];
    expect(
      outcomeFlatCostComparisons([measured(pair.small, 10, 3), measured(pair.large, 11, 3)]).map(
        (c) => c.pass,
      ),
    ).toEqual([true]);
    expect(
      outcomeFlatCostComparisons([measured(pair.small, 10, 3), measured(pair.large, 10, 30)]).map(
        (c) => c.pass,
      ),
    ).toEqual([false]);
    expect(outcomeFlatCostComparisons([measured(pair.small, 10, 3)])).toEqual([]);
  });
});

describe('importing the outcome statement scenarios', () => {
  it('leaves the configuration to be read after the environment is set', () => {
    const script = `
      delete process.env.DYNAMODB_ENDPOINT;
      await import('./bench/scenarios-outcomes.ts');
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
