/**
 * The fuzz suite (issue 13): every JSON route of the OpenAPI document, through the local gateway against
 * DynamoDB Local, with generated bad input from callers of every role: hostile path and query values,
 * hostile cursors, mistyped, incomplete, oversized and malformed bodies under wrong media types, bodies
 * over the limits, and schema-valid random bodies. Every answer must keep the rules in `support/fuzz/checks.ts`
 * (no 5xx, problem+json 4xx, documented 2xx), and a refused request must leave every table as it was
 * (the audit log aside: a refused confidential read is recorded there by design).
 *
 * Seeded and reproducible: `FUZZ_SEED=<n>` replays a run (each route draws from the seed and its own
 * name), `FUZZ_RUNS=<n>` sets the random cases per route, `FUZZ_STATUSES=1` prints the statuses each route
 * answered (how far the generated input got). A failure lists, per distinct breach, the input, the answer
 * (for a 500, the error the function logged and where it was thrown) and a curl line.
 */
import { createHash } from 'node:crypto';
import { DeleteItemCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { config } from '../../shared/config';
import type { TableName } from '../../shared/db/table-names';
import { logger } from '../../shared/http/logger';
import { startTestApi, type TestApi } from '../support/api';
import { caseArbitrary, type FuzzCase } from '../support/fuzz/cases';
import { type Breach, judge } from '../support/fuzz/checks';
import { curlOf, send } from '../support/fuzz/client';
import { fixedCases } from '../support/fuzz/fixed-cases';
import { routePlans } from '../support/fuzz/routes';
import { seedWorld, type World } from '../support/fuzz/world';
import { type Snapshot, tableSnapshots } from '../support/table-snapshot';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_513);
const RUNS = Number(process.env.FUZZ_RUNS ?? 14);
/** API Gateway's own limit, which the local gateway copies. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;

const { components, routes } = routePlans();
// Reads first, then changes, then what removes or ends things, so the world is still there for most routes.
const order = (key: string) =>
  key.startsWith('GET ') ? 0 : key.startsWith('DELETE ') || /\/(cancel|withdraw|decline)$/.test(key) ? 2 : 1;
const ordered = [...routes].sort((a, b) => order(a.key) - order(b.key));

let api: TestApi;
let world: World;
let snapshots: ReturnType<typeof tableSnapshots>;
/**
 * The tables as they were after the last request that was allowed to write (one snapshot per table, taken
 * when a route that may write it first needs it); emptied after every allowed request.
 */
let baseline = new Map<TableName, Snapshot>();
const stats = { seedMs: 0, generateMs: 0, requests: 0, snapshots: 0, snapshotMs: 0, requestMs: 0 };

/**
 * What the functions logged as errors during the current request: the problem middleware logs every 5xx's
 * error there (the log level is silent in tests, so the spy is the only way to see it), which says where a
 * 500 came from. The gateway's own crashes are not logged this way; their answer says "An unexpected error
 * occurred." with nothing after it.
 */
let logged: string[] = [];
const REPO = process.cwd();
function describeError(args: unknown[]): string {
  const error = args
    .map((arg) => (arg instanceof Error ? arg : (arg as { error?: unknown } | undefined)?.error))
    .find((candidate): candidate is Error => candidate instanceof Error);
  if (!error) return String(args[0]);
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => line.includes(REPO) && !line.includes('node_modules'))
    .slice(0, 3)
    .map((line) => line.trim().replace(`${REPO}/`, ''));
  return `${error.name}: ${error.message.slice(0, 200)} ${frames.join(' ')}`;
}

async function take(tables: readonly TableName[]): Promise<Snapshot> {
  const started = Date.now();
  const snapshot = await snapshots.take(tables);
  stats.snapshots += 1;
  stats.snapshotMs += Date.now() - started;
  return snapshot;
}

beforeAll(async () => {
  api = await startTestApi();
  const started = Date.now();
  world = await seedWorld(api);
  stats.seedMs = Date.now() - started;
  snapshots = tableSnapshots();
  vi.spyOn(logger, 'error').mockImplementation((...args: unknown[]) => {
    logged.push(describeError(args));
  });
}, 120_000);

afterAll(async () => {
  console.info(
    `fuzz: seeded in ${stats.seedMs} ms, cases drawn in ${stats.generateMs} ms, ${stats.requests} requests (${stats.requestMs} ms), ${stats.snapshots} table snapshots (${stats.snapshotMs} ms)`,
  );
  const reached = [...statuses].map(
    ([key, counts]) =>
      `${key} ${[...counts]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' ')}`,
  );
  if (process.env.FUZZ_STATUSES) console.info(`fuzz: statuses per route\n${reached.join('\n')}`);
  vi.restoreAllMocks();
  snapshots?.close();
  await api?.stop();
});

/** Each route's seed: the run's seed and the route's name, so adding a route does not reshuffle the others. */
const seedOf = (key: string) => createHash('sha256').update(`${SEED} ${key}`).digest().readInt32LE(0);

interface Failure extends Breach {
  testCase: FuzzCase;
  answer: string;
}

/** How often each status came back, per route: how far the generated input got. */
const statuses = new Map<string, Map<number, number>>();

/** Where a resource created by an allowed request goes, so that later routes name it in their paths. */
const CREATES: Record<string, keyof World['created']> = {
  'POST /providers': 'providers',
  'POST /competitions': 'competitions',
  'POST /contracts': 'contracts',
};
function remember(key: string, text: string): void {
  const pool = CREATES[key];
  if (!pool) return;
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id === 'string') world.created[pool].push(id);
  } catch {
    // Not JSON: the checks report it.
  }
}

/** Sends one case and returns what it broke. */
async function run(testCase: FuzzCase, route: (typeof routes)[number]): Promise<Failure[]> {
  const missing = route.writes.filter((table) => !baseline.has(table));
  if (missing.length > 0) {
    const taken = await take(missing);
    for (const table of missing)
      baseline.set(table, new Map([...taken].filter(([key]) => key.startsWith(`${table} `))));
  }
  let response: Awaited<ReturnType<typeof send>>;
  const started = Date.now();
  logged = [];
  try {
    response = await send(api.url, testCase.request);
  } catch (error) {
    baseline = new Map();
    return [{ kind: 'no answer', detail: (error as Error).message, testCase, answer: '(none)' }];
  } finally {
    stats.requests += 1;
    stats.requestMs += Date.now() - started;
  }
  const seen = statuses.get(route.key) ?? new Map<number, number>();
  seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
  statuses.set(route.key, seen);
  const answer = `${response.status} ${response.headers['content-type'] ?? ''} ${response.text.slice(0, 300)}`;
  const failures: Failure[] = judge(route, response).map((breach) => ({
    ...breach,
    // A 500's cause: what the function logged, or the gateway's own crash.
    ...(breach.kind === '5xx'
      ? {
          detail:
            logged.length > 0
              ? `${response.status} ${logged.join(' | ')}`
              : `${response.status} from the gateway itself (no function logged an error): ${response.text.slice(0, 160)}`,
        }
      : {}),
    testCase,
    answer,
  }));
  // The gateway adds its metering header to every answer a function gave (startTestApi turns metering
  // on); an answer without it is the gateway's own refusal (no token, a body over 10 MB), and no function ran.
  const functionRan = response.headers['x-local-dynamodb-calls'] !== undefined;
  if (response.status >= 400 && route.writes.length > 0 && functionRan) {
    const before: Snapshot = new Map(route.writes.flatMap((table) => [...(baseline.get(table) ?? [])]));
    const after = await take(route.writes);
    const diff = snapshots.diff(before, after);
    const written = [
      ...diff.added.map((k) => `+${k}`),
      ...diff.removed.map((k) => `-${k}`),
      ...diff.changed.map((k) => `~${k}`),
    ];
    if (written.length > 0) {
      failures.push({
        kind: 'refused request wrote',
        detail: `${response.status} yet ${written.length} item(s) changed: ${written.slice(0, 4).join(', ')}`,
        testCase,
        answer,
      });
      baseline = new Map();
    }
  } else if (response.status < 400) {
    // An allowed request may write: the next refused one is compared with the tables after it.
    baseline = new Map();
    remember(route.key, response.text);
  }
  return failures;
}

/** One line per distinct breach (same kind and answer), with a count and the first input that caused it. */
function report(key: string, seed: number, total: number, failures: Failure[]): string {
  const groups = new Map<string, { first: Failure; count: number }>();
  for (const failure of failures) {
    const group = `${failure.kind}|${failure.detail
      .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>')
      .replace(/:\d+:\d+/g, '')
      .slice(0, 160)}`;
    const seen = groups.get(group);
    if (seen) seen.count += 1;
    else groups.set(group, { first: failure, count: 1 });
  }
  const lines = [
    `${key}: ${groups.size} distinct breach(es) in ${total} requests (FUZZ_SEED=${SEED}, route seed ${seed})`,
  ];
  for (const { first, count } of groups.values()) {
    lines.push(
      `  [${first.kind}] ×${count}: ${first.detail.slice(0, 700)}`,
      `    input: ${first.testCase.label.slice(0, 300)}`,
      `    answer: ${first.answer.slice(0, 300)}`,
      `    ${curlOf(first.testCase.request, first.testCase.caller).slice(0, 2000)}`,
    );
  }
  return lines.join('\n');
}

describe('every JSON route, fuzzed', () => {
  it('covers every route of the document', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(new Set(routes.map((route) => route.key)).size).toBe(routes.length);
  });

  it('notices a write in a snapshot (the check of refused requests works)', async () => {
    const before = await snapshots.take(['registry']);
    const client = new DynamoDBClient({
      region: config().region,
      endpoint: config().dynamodbEndpoint,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const key = { pk: { S: 'FUZZ#self-test' }, sk: { S: 'x' } };
    try {
      await client.send(new PutItemCommand({ TableName: config().tables.registry, Item: key }));
      expect(snapshots.diff(before, await snapshots.take(['registry'])).added).toEqual([
        'registry FUZZ#self-test x',
      ]);
    } finally {
      await client.send(new DeleteItemCommand({ TableName: config().tables.registry, Key: key }));
      client.destroy();
    }
  });

  let firstBodyRoute = true;
  it.each(ordered.map((route) => [route.key, route] as const))(
    '%s: no 5xx, problem+json 4xx, documented 2xx, no write when refused',
    async (key, route) => {
      const { maxJsonBodyBytes, maxCsvBodyBytes } = config();
      const seed = seedOf(key);
      const context = { world, components };
      const drawing = Date.now();
      const cases = [
        ...fixedCases(route, context, {
          json: maxJsonBodyBytes,
          csv: maxCsvBodyBytes,
          gateway: GATEWAY_MAX_BODY_BYTES,
          first: route.body !== undefined && firstBodyRoute,
        }),
        ...fc.sample(caseArbitrary(route, context), { seed, numRuns: RUNS }),
      ];
      stats.generateMs += Date.now() - drawing;
      if (route.body) firstBodyRoute = false;
      const failures: Failure[] = [];
      for (const testCase of cases) failures.push(...(await run(testCase, route)));
      if (failures.length > 0) console.error(report(key, seed, cases.length, failures));
      expect(failures.length === 0 ? '' : report(key, seed, cases.length, failures)).toBe('');
    },
    120_000,
  );
});
