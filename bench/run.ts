/**
 * `npm run bench`: measures the service on the local stack (DESIGN.md section 5, "Speed").
 *
 * It starts DynamoDB Local and the gateway on a throw-away data directory, measures the raw DynamoDB Local
 * round trip (the floor), drives each scenario in `scenarios.ts` with autocannon, stops the stack, then
 * bundles every function and times its module init in a fresh Node process. The report goes to stdout and
 * `bench-results/latest.json`; progress goes to stderr. Failing a target does not fail the run (exit 0):
 * only a broken harness does.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { mintToken } from '../local/signing-key';
import { type LocalStack, startLocalStack } from '../local/stack';
import { callApi } from './api';
import { describeEnvironment } from './environment';
import { measureFloor, putFloorItems, warmUpDatabase } from './floor';
import { measureFunctions, stopInitProcesses } from './functions';
import { stopLoadGenerators } from './load';
import { mutedNoise, muteKnownNoise } from './noise';
import { progress } from './progress';
import {
  type BenchReport,
  formatReport,
  type RouteReport,
  type SkippedScenario,
  summarise,
  TARGETS,
} from './report';
import { flatCostComparisons, measureRoute, pageRouteComparisons } from './routes';
import { installCommandRecorder } from './sample';
import { type BenchContext, SCENARIOS, type Scenario } from './scenarios';
import { COMPETITION_SCENARIOS } from './scenarios-competitions';
import { OCDS_SCENARIOS, ocdsFlatCostComparisons } from './scenarios-ocds';
import { OUTCOME_SCENARIOS, outcomeFlatCostComparisons } from './scenarios-outcomes';
import { PAGE_SCENARIOS } from './scenarios-pages';
import {
  PROVIDER_PAGE_SCENARIOS,
  providerFlatCostComparisons,
  providerPageComparisons,
} from './scenarios-provider-pages';
import { DASHBOARD_SCENARIOS, dashboardFlatCostComparisons } from './scenarios-subcontracting-dashboard';

/** How long and how hard to measure. */
interface BenchSettings {
  /** Seconds of load per route (several connections). */
  durationSeconds: number;
  /** Seconds of single-connection latency measurement per route. */
  latencySeconds: number;
  /** Seconds of discarded warm-up before each route's latency run. */
  warmupSeconds: number;
  /** Concurrent connections of the load run. */
  connections: number;
  /** GetItem/Query calls before the floor, so DynamoDB Local's JVM has compiled them. */
  dbWarmupCalls: number;
  /** Sequential calls per floor operation. */
  floorIterations: number;
  /** Sequential sample requests per route for the storage figures. */
  samples: number;
  /** Fresh-process loads per function; the median is reported. */
  initRuns: number;
  /** Comma-separated parts of scenario names to run; all when empty. */
  only: string;
}

/**
 * The only reader of `process.env` for benchmark settings, so every knob is listed and checked here.
 * @param env the environment, `process.env` by default.
 */
function benchSettings(env: Record<string, string | undefined> = process.env): BenchSettings {
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return value;
  };
  return {
    durationSeconds: integer('BENCH_DURATION_SECONDS', 5, 1, 300),
    latencySeconds: integer('BENCH_LATENCY_SECONDS', 3, 1, 300),
    warmupSeconds: integer('BENCH_WARMUP_SECONDS', 1, 0, 60),
    // Modest by default: the gateway is one Node process on a shared machine, more only adds queueing.
    connections: integer('BENCH_CONNECTIONS', 4, 1, 64),
    // About 3,000 calls bring the JVM to a steady GetItem p50 here (measured: ~4 ms falling to ~1 ms).
    dbWarmupCalls: integer('BENCH_DB_WARMUP_CALLS', 3000, 0, 1_000_000),
    floorIterations: integer('BENCH_FLOOR_ITERATIONS', 300, 10, 100_000),
    samples: integer('BENCH_SAMPLES', 5, 1, 100),
    initRuns: integer('BENCH_INIT_RUNS', 5, 1, 50),
    only: env.BENCH_ONLY ?? '',
  };
}

const REPO_ROOT = resolve(import.meta.dirname, '..');
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

/** Clean-up steps, run once, last registered first, whether the run ends, fails or is interrupted. */
class Cleanup {
  private readonly steps: { name: string; run: () => unknown }[] = [];
  private done: Promise<void> | undefined;

  add(name: string, run: () => unknown): void {
    this.steps.push({ name, run });
  }

  run(): Promise<void> {
    this.done ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.run();
        } catch (error) {
          progress(`clean-up "${step.name}" failed: ${(error as Error).message}`);
        }
      }
    })();
    return this.done;
  }
}

function selectScenarios(only: string): Scenario[] {
  const wanted = only
    .split(',')
    .map((part) => part.trim().toLowerCase())
    .filter((part) => part !== '');
  const all = [
    // First: every other group publishes releases as it sets up, and the first feed must hold exactly 100.
    ...OCDS_SCENARIOS,
    ...SCENARIOS,
    ...COMPETITION_SCENARIOS,
    ...PAGE_SCENARIOS,
    ...PROVIDER_PAGE_SCENARIOS,
    ...DASHBOARD_SCENARIOS,
    ...OUTCOME_SCENARIOS,
  ];
  if (wanted.length === 0) return all;
  return all.filter((scenario) => wanted.some((part) => scenario.name.toLowerCase().includes(part)));
}

async function main(cleanup: Cleanup): Promise<void> {
  const settings = benchSettings();
  muteKnownNoise();
  const scenarios = selectScenarios(settings.only);
  const env = describeEnvironment(REPO_ROOT);
  cleanup.add('stop load generators', stopLoadGenerators);
  cleanup.add('stop init processes', stopInitProcesses);

  // Scenarios create competitions with deadlines seconds away, as the tests do: no minimum periods.
  process.env.MIN_PREQUALIFICATION_DAYS = '0';
  process.env.MIN_TENDER_DAYS = '0';
  process.env.STANDSTILL_DAYS = '0';
  const dataDir = mkdtempSync(join(os.tmpdir(), 'bench-'));
  cleanup.add('remove the data directory', () => rmSync(dataDir, { recursive: true, force: true }));
  progress(`starting the local stack (data in ${dataDir})`);
  let starting = true;
  const stack: LocalStack = await startLocalStack({
    port: 0,
    dataDir,
    seed: 'none',
    meter: true,
    inMemory: true,
    // The gateway logs every request; during load that is noise, but a crash must still show.
    log: (line) => {
      if (starting || /crash|error/i.test(line)) progress(`  ${line}`);
    },
  });
  starting = false;
  let stackRunning = true;
  const stopStack = async () => {
    if (!stackRunning) return;
    stackRunning = false;
    await stack.stop();
  };
  cleanup.add('stop the local stack', stopStack);

  // Imported only now: these modules read the configuration that starting the stack completed.
  const { config } = await import('../shared/config');
  const { documentClient, dynamoDbClient } = await import('../shared/db/client');
  const client = documentClient();
  const { tables } = config();
  installCommandRecorder(dynamoDbClient(), tables);
  // The gateway listens on 127.0.0.1; `localhost` may resolve to ::1 first and miss it.
  const baseUrl = `http://127.0.0.1:${stack.gateway.port}`;
  progress(`stack up: gateway ${baseUrl}, DynamoDB Local ${stack.endpoint}`);

  const floorTarget = { client, tableName: tables.registry };
  await putFloorItems(floorTarget);
  progress(`DynamoDB Local JVM warm-up: ${settings.dbWarmupCalls} GetItem and Query calls`);
  const warmupSeconds = await warmUpDatabase(floorTarget, settings.dbWarmupCalls);
  progress(`floor: ${settings.floorIterations} GetItem and ${settings.floorIterations} Query calls`);
  const floorBefore = await measureFloor(floorTarget, settings.floorIterations);

  const ctx: BenchContext = {
    baseUrl,
    api: (method, path, options) => callApi(baseUrl, method, path, options),
    client,
    tables,
    token: (claims) => mintToken(stack.signingKey, claims),
    log: (line) => progress(`  ${line}`),
    // The audit events a set-up wrote are chained before its route is measured (each route's own events
    // are chained while it runs, as they would be in service).
    settle: () => stack.auditSequencer.drain(120_000),
  };
  const routes: RouteReport[] = [];
  const skipped: SkippedScenario[] = [];
  for (const scenario of scenarios) {
    try {
      routes.push(await measureRoute(scenario, ctx, floorTarget, settings));
    } catch (error) {
      // One broken scenario (a route still being built, say) must not cost the figures of all the others.
      const reason = (error as Error).message;
      progress(`${scenario.name}: skipped – ${reason}`);
      skipped.push({ name: scenario.name, reason });
    }
  }
  progress('floor again, after the routes');
  const floorAfter = await measureFloor(floorTarget, settings.floorIterations);

  progress('stopping the local stack');
  // Stopped before the init measurements, so Java does not compete with the fresh Node processes.
  await stopStack();
  const { functions, sdkOnlyInit } = await measureFunctions(settings, REPO_ROOT);

  const partial: Omit<BenchReport, 'summary'> = {
    environment: env,
    settings: { ...settings },
    targets: TARGETS,
    floor: {
      warmupSeconds,
      warmupCalls: settings.dbWarmupCalls,
      before: floorBefore,
      after: floorAfter,
    },
    routes,
    skipped,
    flatCost: [
      ...flatCostComparisons(routes),
      ...providerFlatCostComparisons(routes),
      ...dashboardFlatCostComparisons(routes),
      ...outcomeFlatCostComparisons(routes),
      ...ocdsFlatCostComparisons(routes),
    ],
    pageRoute: [...pageRouteComparisons(routes), ...providerPageComparisons(routes)],
    functions,
    sdkOnlyInit,
    mutedNoise: mutedNoise(),
  };
  const report: BenchReport = { ...partial, summary: summarise(partial) };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const jsonFile = join(RESULTS_DIR, 'latest.json');
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  progress(`done; JSON in ${jsonFile}`);
  process.stdout.write(`\n${formatReport(report)}`);
}

const cleanup = new Cleanup();
let interrupted: 'SIGINT' | 'SIGTERM' | undefined;
const exitCode = (code: number) => (interrupted === 'SIGINT' ? 130 : interrupted === 'SIGTERM' ? 143 : code);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = signal;
    progress(`${signal}: stopping everything`);
    // Stopping the children makes the run fail fast; whichever path finishes first exits.
    void cleanup.run().finally(() => process.exit(exitCode(1)));
  });
}

main(cleanup)
  .then(
    () => 0,
    (error: unknown) => {
      if (!interrupted) process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
      return 1;
    },
  )
  .then(async (code) => {
    await cleanup.run();
    // Explicit: keep-alive sockets of fetch and the SDK would otherwise hold the process open a while.
    process.exit(exitCode(code));
  });
