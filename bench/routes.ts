/**
 * Measuring one scenario end to end, and the flat-cost comparisons between scenarios.
 */
import { DEFAULT_ROUTE_FUNCTION, routeKeyOf } from '../shared/http/routes';
import { compareFlatCost, type FlatCostComparison } from './flat-cost';
import { type Floor, type FloorTarget, measureFloorAround } from './floor';
import { runLoad } from './load';
import type { LoadRequest, LoadResult } from './load-protocol';
import { comparePageToRoute, type PageRouteComparison } from './page-cost';
import { progress } from './progress';
import { type RouteReport, TARGETS } from './report';
import { type SampleRequest, sampleStorageCost } from './sample';
import { type BenchContext, FLAT_COST_PAIRS, type Scenario, type ScenarioRequest } from './scenarios';
import { COMPETITION_FLAT_COST_PAIRS } from './scenarios-competitions';
import { PAGE_ROUTE_PAIRS } from './scenarios-pages';

/** The settings a route measurement uses (read by `benchSettings` in run.ts). */
export interface RouteSettings {
  samples: number;
  floorIterations: number;
  warmupSeconds: number;
  latencySeconds: number;
  durationSeconds: number;
  connections: number;
}

/** Applies a scenario's set-up and turns it into the request the sampler and autocannon send. */
async function prepare(scenario: Scenario, ctx: BenchContext): Promise<SampleRequest> {
  const overrides = (await scenario.setup?.(ctx)) ?? {};
  const request: ScenarioRequest = {
    ...scenario,
    ...overrides,
    headers: { ...scenario.headers, ...overrides.headers },
  };
  const headers = { ...request.headers };
  let body: string | undefined;
  if (typeof request.body === 'string') body = request.body;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers['content-type'] ??= 'application/json';
  }
  return {
    url: `${ctx.baseUrl}${request.path}`,
    method: request.method,
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

/**
 * What storage alone would take for the commands a request issued: Query and Scan count as the raw Query,
 * every point operation (gets and writes alike) as the raw GetItem. Without command names, GetItem × calls.
 */
function storageFloor(
  calls: number | null,
  commands: string[],
  floor: Floor | null,
): { floorMs: number | null; basis: string } {
  if (calls === null) return { floorMs: null, basis: 'unknown (no meter headers)' };
  if (calls === 0 || !floor) return { floorMs: null, basis: 'none (no storage calls)' };
  const get = floor.getItem.latency.p50;
  const query = floor.query.latency.p50;
  if (commands.length !== calls) {
    return {
      floorMs: get * calls,
      basis: `${calls} × GetItem p50 ${get.toFixed(2)} ms (commands not recorded)`,
    };
  }
  const queries = commands.filter((command) => /^(Query|Scan)Command$/.test(command)).length;
  const points = calls - queries;
  const parts = [
    ...(points > 0 ? [`${points} × GetItem p50 ${get.toFixed(2)} ms`] : []),
    ...(queries > 0 ? [`${queries} × Query p50 ${query.toFixed(2)} ms`] : []),
  ];
  return { floorMs: points * get + queries * query, basis: parts.join(' + ') };
}

/**
 * Measures one scenario: its set-up, sample requests for the storage cost, a floor taken just before, a
 * single-connection latency run (with warm-up) and a multi-connection load run.
 */
export async function measureRoute(
  scenario: Scenario,
  ctx: BenchContext,
  floorTarget: FloorTarget,
  settings: RouteSettings,
): Promise<RouteReport> {
  progress(`${scenario.name}: set-up and ${settings.samples} sample requests`);
  const request = await prepare(scenario, ctx);
  const storage = await sampleStorageCost(request, settings.samples);
  await ctx.settle?.();
  const load: Omit<LoadRequest, 'connections' | 'durationSeconds' | 'warmupSeconds'> = {
    url: request.url,
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  };
  const latencyRun = () => {
    progress(
      `${scenario.name}: ${settings.warmupSeconds} s warm-up, ${settings.latencySeconds} s on 1 connection`,
    );
    return runLoad({
      ...load,
      connections: 1,
      durationSeconds: settings.latencySeconds,
      warmupSeconds: settings.warmupSeconds,
    });
  };
  // The route's own floor brackets its latency run: on a shared machine the load from other work drifts
  // over a minute, and a ratio of two figures taken within seconds of each other drifts far less.
  let floor: Floor | null = null;
  let latency: LoadResult;
  if (storage.calls !== null && storage.calls > 0) {
    const iterations = Math.max(25, Math.round(settings.floorIterations / 3));
    progress(
      `${scenario.name}: floor around the latency run, ${iterations} GetItem and Query calls each side`,
    );
    ({ floor, result: latency } = await measureFloorAround(floorTarget, iterations, latencyRun));
  } else {
    latency = await latencyRun();
  }
  progress(`${scenario.name}: ${settings.durationSeconds} s on ${settings.connections} connections`);
  const loaded = await runLoad({
    ...load,
    connections: settings.connections,
    durationSeconds: settings.durationSeconds,
    warmupSeconds: 0,
  });
  const { floorMs, basis } = storageFloor(storage.calls, storage.commands, floor);
  const ratio = floorMs === null || floorMs <= 0 ? null : latency.latency.p50 / floorMs;
  // An error path's speed says nothing about the route's: no verdict unless every sample succeeded.
  const succeeded = storage.statuses.every((status) => status >= 200 && status < 300);
  // Imported here, not at the top: the gateway's page support reads the configuration when loaded, which
  // must wait until the local stack has set the DynamoDB endpoint.
  const { matchRoute } = await import('../local/gateway');
  const matched = matchRoute(scenario.method, new URL(request.url).pathname);
  // The handler-overhead target is the JSON routes'; a page is held to its JSON route instead (at most
  // twice its p50, the same storage calls: `pageRouteComparisons`), since rendering is what it adds.
  const page = matched?.route.kind === 'page';
  return {
    name: scenario.name,
    method: scenario.method,
    path: scenario.path,
    routeKey: matched ? routeKeyOf(matched.route) : '$default',
    functionId: matched?.route.function ?? DEFAULT_ROUTE_FUNCTION,
    kind: page ? 'page' : 'api',
    storage,
    latency,
    load: loaded,
    overhead: {
      floor: floor && { getItemP50: floor.getItem.latency.p50, queryP50: floor.query.latency.p50 },
      floorMs,
      basis,
      ratio,
      target: TARGETS.handlerOverheadRatio,
      pass: ratio === null || !succeeded || page ? null : ratio <= TARGETS.handlerOverheadRatio,
    },
    scan: storage.commands.includes('ScanCommand'),
  };
}

/** Runs every flat-cost comparison whose two scenarios were both measured. */
export function flatCostComparisons(routes: RouteReport[]): FlatCostComparison[] {
  const comparisons: FlatCostComparison[] = [];
  for (const pair of [...FLAT_COST_PAIRS, ...COMPETITION_FLAT_COST_PAIRS]) {
    const small = routes.find((route) => route.name === pair.small);
    const large = routes.find((route) => route.name === pair.large);
    // A pair is skipped when BENCH_ONLY left one side out.
    if (!small || !large) continue;
    const side = (route: RouteReport) => ({
      name: route.name,
      p50: route.latency.latency.p50,
      capacity: route.storage.capacity,
    });
    comparisons.push(compareFlatCost(pair, side(small), side(large)));
  }
  return comparisons;
}

/** Whether every sample request of a route answered 2xx. */
function allSucceeded(route: RouteReport): boolean {
  return route.storage.statuses.every((status) => status >= 200 && status < 300);
}

/** Runs every page-beside-route comparison whose two scenarios were both measured. */
export function pageRouteComparisons(routes: RouteReport[]): PageRouteComparison[] {
  const comparisons: PageRouteComparison[] = [];
  for (const pair of PAGE_ROUTE_PAIRS) {
    const page = routes.find((route) => route.name === pair.page);
    const route = routes.find((candidate) => candidate.name === pair.route);
    // A pair is skipped when BENCH_ONLY left one side out (or its set-up failed: see the skipped list).
    if (!page || !route) continue;
    const side = (measured: RouteReport) => ({
      name: measured.name,
      p50: measured.latency.latency.p50,
      serviceCalls: measured.storage.serviceCalls,
      sessionCalls: measured.storage.sessionCalls,
      succeeded: allSucceeded(measured),
    });
    comparisons.push(comparePageToRoute(pair, side(page), side(route)));
  }
  return comparisons;
}
