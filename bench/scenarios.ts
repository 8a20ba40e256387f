/**
 * What the benchmark drives: one scenario per route (or per data shape of a route), and the pairs of
 * scenarios whose costs must stay flat as the data grows (DESIGN.md section 5, "Speed").
 *
 * To add a route, add a scenario; if it needs data or a token, give it a `setup` that writes through
 * `ctx.api` (or, for bulk data, the repositories over `ctx.client`) and returns the headers to send. To
 * prove a list is flat, add two scenarios over 100 and 10,000 items and a `FLAT_COST_PAIRS` entry naming
 * them. `BENCH_ONLY=directory npm run bench` runs only the scenarios whose names contain "directory".
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createProviderRepository } from '../shared/db/providers';
import type { TableName } from '../shared/db/table-names';
import type { Principal } from '../shared/domain/principal';
import type { Region, Service } from '../shared/domain/reference-data';
import type { HttpMethod } from '../shared/http/routes';
import { registerProvider } from '../shared/use-cases/register-provider';
import { verifyProvider } from '../shared/use-cases/verify-provider';

/** Options of one set-up call to the API. */
export interface ApiCallOptions {
  /** Sent as `Authorization: Bearer …`. */
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a scenario's set-up may use. Scenarios run against an empty, throw-away database. */
export interface BenchContext {
  /** The gateway, on 127.0.0.1. */
  baseUrl: string;
  /**
   * Calls the API and returns the parsed JSON body; throws on a non-2xx answer, with its problem detail.
   * Set-ups that write through the API follow the data model wherever it goes.
   */
  api(method: HttpMethod, path: string, options?: ApiCallOptions): Promise<unknown>;
  /** The document client the handlers use, pointed at the benchmark's DynamoDB Local (for bulk data). */
  client: DynamoDBDocumentClient;
  /** Physical table names. */
  tables: Record<TableName, string>;
  /** Mints a bearer token the gateway accepts, as `npm run token` does. */
  token(claims: { sub: string; email?: string; groups?: string[] }): Promise<string>;
  /** A progress line (set-ups that write a lot of data should say so). */
  log(line: string): void;
}

/** One HTTP request, repeated by the load generator. */
export interface ScenarioRequest {
  method: HttpMethod;
  /** Path with query string, e.g. `/directory?region=north_west`. */
  path: string;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as JSON (with `content-type: application/json`). */
  body?: unknown;
}

/** A named request to measure, with optional set-up. */
export interface Scenario extends ScenarioRequest {
  /** Unique; flat-cost pairs refer to scenarios by name. */
  name: string;
  /**
   * Runs once, before the scenario's sample requests: writes the data the route reads, mints tokens.
   * What it returns overrides the request's fields (headers are merged).
   */
  setup?(ctx: BenchContext): Promise<Partial<ScenarioRequest> | undefined>;
}

/** Two scenarios over different amounts of data whose p50 and capacity may differ by at most `limit`. */
export interface FlatCostPair {
  name: string;
  /** The scenario over few items (e.g. 100 providers). */
  small: string;
  /** The same request over many (e.g. 10,000 providers). */
  large: string;
  /** Largest acceptable large/small ratio; DESIGN.md says 1.2. */
  limit?: number;
}

const BENCH_USER = 'bench-user-0001';

/** The scenarios, in the order they run. */
export const SCENARIOS: Scenario[] = [
  { name: 'GET /health', method: 'GET', path: '/health' },
  {
    name: 'GET /me',
    method: 'GET',
    path: '/me',
    async setup(ctx) {
      const token = await ctx.token({ sub: BENCH_USER, email: 'bench@example.org', groups: [] });
      // Two organisations, so the membership Query and the profile read both return real items. Registered
      // through the API, so the set-up follows the data model as it changes.
      for (const name of ['Bench Provider A', 'Bench Provider B']) {
        await ctx.api('POST', '/providers', {
          token,
          body: {
            name,
            legalForm: 'unincorporated_association',
            sector: 'voluntary',
            size: 'small',
            regions: ['north_west'],
            services: ['accommodation'],
            description: 'A provider registered by the benchmark.',
            contact: { name: 'Bench Contact', email: 'bench@example.org' },
          },
        });
      }
      return { headers: { authorization: `Bearer ${token}` } };
    },
  },
  {
    name: 'GET /directory (100 providers)',
    method: 'GET',
    path: '/directory?region=wales&service=victim_services&limit=25',
    setup: (ctx) => registerVerifiedProviders(ctx, 100, 'wales', 'victim_services'),
  },
  {
    name: 'GET /directory (10,000 providers)',
    method: 'GET',
    path: '/directory?region=london&service=accommodation&limit=25',
    setup: (ctx) => registerVerifiedProviders(ctx, 10_000, 'london', 'accommodation'),
  },
];

/**
 * Registers and verifies `count` providers in one region and service, through the same use cases the API
 * runs (several at a time, straight to the repositories: 10,000 HTTP round trips would only measure the
 * set-up). Different partitions for the two sizes keep both in one database.
 */
async function registerVerifiedProviders(
  ctx: BenchContext,
  count: number,
  region: Region,
  service: Service,
): Promise<undefined> {
  const repositories = {
    providers: createProviderRepository({ client: ctx.client, tableName: ctx.tables.registry }),
  };
  const admin: Principal = { kind: 'user', sub: 'bench-admin', email: undefined, groups: ['admin'] };
  const now = new Date();
  let done = 0;
  const one = async (i: number) => {
    const owner: Principal = {
      kind: 'user',
      sub: `bench-owner-${region}-${i}`,
      email: undefined,
      groups: [],
    };
    const provider = await registerProvider(
      repositories,
      owner,
      {
        name: `Bench ${region} provider ${String(i).padStart(5, '0')}`,
        legalForm: 'unincorporated_association',
        sector: i % 3 === 0 ? 'private' : 'voluntary',
        size: (['micro', 'small', 'medium', 'large'] as const)[i % 4] ?? 'small',
        regions: [region],
        services: [service],
        contact: { name: 'Bench', email: 'bench@example.org' },
      },
      now,
    );
    await verifyProvider(repositories, admin, provider.id, now);
    done += 1;
    if (done % 1000 === 0) ctx.log(`  ${done} of ${count} providers in ${region}`);
  };
  for (let i = 0; i < count; i += 16) {
    await Promise.all(Array.from({ length: Math.min(16, count - i) }, (_, j) => one(i + j)));
  }
  return undefined;
}

/** The flat-cost comparisons. */
export const FLAT_COST_PAIRS: FlatCostPair[] = [
  {
    name: 'directory page',
    small: 'GET /directory (100 providers)',
    large: 'GET /directory (10,000 providers)',
  },
];
