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
import { config } from '../shared/config';
import { createAuditRepository } from '../shared/db/audit';
import { createContractRepository } from '../shared/db/contracts';
import { createMembershipRepository } from '../shared/db/memberships';
import { createNotificationRepository } from '../shared/db/notifications';
import { createProviderRepository } from '../shared/db/providers';
import { createPublicationRepository } from '../shared/db/publication';
import { createSubcontractingRepository } from '../shared/db/subcontracting';
import type { TableName } from '../shared/db/table-names';
import type { Principal } from '../shared/domain/principal';
import { type Coverage, REGIONS, type Region, type Service } from '../shared/domain/reference-data';
import type { SubcontractorInput } from '../shared/domain/subcontracting';
import type { HttpMethod } from '../shared/http/routes';
import { registerProvider } from '../shared/use-cases/register-provider';
import { registerContract } from '../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../shared/use-cases/subcontracting/supply-chain';
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
  /**
   * Waits until the stack's background work has caught up (the audit sequencer chaining the events the
   * set-up wrote), so one scenario's set-up is not measured as the next one's latency.
   */
  settle?(): Promise<void>;
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
    ...decisionRepositories(ctx),
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

// ---------------------------------------------------------------------------------------------------------
// Sub-contracting: the national report over 10 and over 1,000 stored returns (its cost must not grow: it
// reads the 11 regional figure items whatever the number of returns), and a 5,000-line CSV return.
// ---------------------------------------------------------------------------------------------------------

const BENCH_COMMISSIONER: Principal = {
  kind: 'user',
  sub: 'bench-commissioner',
  email: undefined,
  groups: ['commissioner'],
};
const BENCH_PRIME_OWNER = 'bench-prime-owner';
const SUBCONTRACTING_RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
const BENCH_SUPPLY_CHAIN: SubcontractorInput[] = [
  {
    ref: 'VOL-1',
    name: 'Bench Mentoring Trust',
    sector: 'voluntary',
    size: 'small',
    services: [],
    plannedValuePence: 0,
  },
  {
    ref: 'PRI-1',
    name: 'Bench Security Ltd',
    sector: 'private',
    size: 'large',
    services: [],
    plannedValuePence: 0,
  },
  {
    ref: 'PUB-1',
    name: 'Bench College',
    sector: 'public',
    size: 'medium',
    services: [],
    plannedValuePence: 0,
  },
  {
    ref: 'MIC-1',
    name: 'Bench Micro CIC',
    sector: 'voluntary',
    size: 'micro',
    services: [],
    plannedValuePence: 0,
  },
];
const REPORT_PERIODS = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'];

/** Repositories over the benchmark's database, for bulk set-up through the use cases. */
/** What verifying a provider writes besides the provider: its notification and the audit event. */
function decisionRepositories(ctx: BenchContext) {
  return {
    notifications: createNotificationRepository({ client: ctx.client, tableName: ctx.tables.registry }),
    audit: createAuditRepository({ client: ctx.client, tableName: ctx.tables.audit }),
  };
}

function subcontractingRepositories(ctx: BenchContext) {
  const registry = { client: ctx.client, tableName: ctx.tables.registry };
  return {
    providers: createProviderRepository(registry),
    memberships: createMembershipRepository(registry),
    ...decisionRepositories(ctx),
    contracts: createContractRepository({ client: ctx.client, tableName: ctx.tables.procurement }),
    subcontracting: createSubcontractingRepository({
      client: ctx.client,
      tableName: ctx.tables.subcontracting,
    }),
    // Each return's OCDS release is written with it, as in the service.
    publication: createPublicationRepository({
      client: ctx.client,
      tableName: ctx.tables.publication,
      context: config().publication,
    }),
  };
}

let benchPrime: Promise<string> | undefined;

/** A verified prime provider owned by `bench-prime-owner` (once per run). */
function benchPrimeProvider(ctx: BenchContext): Promise<string> {
  benchPrime ??= (async () => {
    const repos = subcontractingRepositories(ctx);
    const owner: Principal = { kind: 'user', sub: BENCH_PRIME_OWNER, email: undefined, groups: [] };
    const admin: Principal = { kind: 'user', sub: 'bench-admin', email: undefined, groups: ['admin'] };
    const provider = await registerProvider(
      repos,
      owner,
      {
        name: 'Bench Prime Services',
        legalForm: 'unincorporated_association',
        sector: 'private',
        size: 'large',
        regions: ['national'],
        services: ['accommodation'],
        contact: { name: 'Bench', email: 'bench@example.org' },
      },
      new Date(),
    );
    await verifyProvider(repos, admin, provider.id, new Date());
    return provider.id;
  })();
  return benchPrime;
}

/**
 * A contract of the bench prime with the bench supply chain: every sixth national, the others in two
 * regions, so that any six consecutive contracts count in all 11 regional items.
 */
async function benchContract(ctx: BenchContext, index: number): Promise<string> {
  const repos = subcontractingRepositories(ctx);
  const primeProviderId = await benchPrimeProvider(ctx);
  const pair = (index % 6) - 1;
  const regions: Coverage[] =
    pair < 0 ? ['national'] : [REGIONS[(2 * pair) % 10] as Region, REGIONS[(2 * pair + 1) % 10] as Region];
  const contract = await registerContract(
    repos,
    BENCH_COMMISSIONER,
    {
      title: `Bench contract ${index}`,
      primeProviderId,
      valuePence: 1_000_000_00 + index * 1_000_00,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
      regions,
      services: ['accommodation'],
    },
    new Date(),
    SUBCONTRACTING_RULES,
  );
  const owner: Principal = { kind: 'user', sub: BENCH_PRIME_OWNER, email: undefined, groups: [] };
  await putSupplyChain(repos, owner, contract.id, { subcontractors: BENCH_SUPPLY_CHAIN }, new Date());
  return contract.id;
}

let returnsStored = 0;

let contractsStored = 0;

/**
 * Stores spend returns (`perContract` quarters per contract, four lines each) through the filing use case
 * until `total` returns are stored in this run, so the two report scenarios measure the same report over 10
 * and then over 1,000 returns in one database. Both already count in all 11 regional items: the report's
 * cost may depend on how many regional items exist (at most 11), never on how many returns there are.
 */
async function storeReturns(ctx: BenchContext, total: number, perContract: number): Promise<void> {
  const repos = subcontractingRepositories(ctx);
  const owner: Principal = { kind: 'user', sub: BENCH_PRIME_OWNER, email: undefined, groups: [] };
  const contracts = Math.ceil((total - returnsStored) / perContract);
  const now = new Date();
  const one = async (c: number) => {
    contractsStored += 1;
    const contractId = await benchContract(ctx, contractsStored);
    for (const period of REPORT_PERIODS.slice(0, perContract)) {
      if (returnsStored >= total) return;
      returnsStored += 1;
      if (returnsStored % 250 === 0) ctx.log(`  ${returnsStored} of ${total} spend returns stored`);
      const month = (Number(period.slice(-1)) - 1) * 3 + 1;
      const lines = BENCH_SUPPLY_CHAIN.map((s, i) => ({
        position: i,
        subcontractorRef: s.ref,
        invoiceRef: `${s.ref}-${period}-${c}`,
        invoiceDate: `${period.slice(0, 4)}-${String(month).padStart(2, '0')}-01`,
        // Half paid within days, half in the next month (late).
        paidDate: `${period.slice(0, 4)}-${String(month + (i % 2)).padStart(2, '0')}-${String(5 + i * 7).padStart(2, '0')}`,
        amountPence: 10_000_00 + c * 100 + i,
      }));
      await fileSpendReturn(
        repos,
        owner,
        contractId,
        period,
        { format: 'json', issues: [], lines },
        now,
        SUBCONTRACTING_RULES,
      );
    }
  };
  // A few at a time: filings of different contracts in one region contend for its figure items (and retry).
  for (let c = 0; c < contracts; c += 8) {
    await Promise.all(Array.from({ length: Math.min(8, contracts - c) }, (_, j) => one(c + j)));
  }
}

/** A 5,000-line CSV return over the bench supply chain (pounds with two decimals), for `period`. */
function benchCsv(period: string, variant: number): string {
  const month = (Number(period.slice(-1)) - 1) * 3 + 1;
  const year = period.slice(0, 4);
  const rows = Array.from({ length: 5000 }, (_, i) => {
    const ref = BENCH_SUPPLY_CHAIN[i % BENCH_SUPPLY_CHAIN.length]?.ref;
    const day = String(1 + (i % 28)).padStart(2, '0');
    const paidMonth = String(month + (i % 3)).padStart(2, '0');
    return `${ref},INV-${variant}-${String(i).padStart(5, '0')},${year}-${String(month).padStart(2, '0')}-01,${year}-${paidMonth}-${day},${100 + (i % 900)}.${String(i % 100).padStart(2, '0')}`;
  });
  return ['subcontractor_ref,invoice_ref,invoice_date,paid_date,amount', ...rows].join('\n');
}

SCENARIOS.push(
  {
    name: 'GET /reports/subcontracting (10 returns)',
    method: 'GET',
    path: '/reports/subcontracting',
    async setup(ctx) {
      await storeReturns(ctx, 10, 1);
      const token = await ctx.token({ sub: 'bench-commissioner', groups: ['commissioner'] });
      return { headers: { authorization: `Bearer ${token}` } };
    },
  },
  {
    name: 'GET /reports/subcontracting (1,000 returns)',
    method: 'GET',
    path: '/reports/subcontracting',
    async setup(ctx) {
      ctx.log('storing 1,000 spend returns through the filing use case');
      await storeReturns(ctx, 1000, REPORT_PERIODS.length);
      const token = await ctx.token({ sub: 'bench-commissioner', groups: ['commissioner'] });
      return { headers: { authorization: `Bearer ${token}` } };
    },
  },
  {
    // The load run repeats one identical body, so after the first request it measures the idempotent path
    // (parse and check 5,000 lines, hash, find the current version: 200, nothing written). The set-up times
    // the write path – version 1 and an amendment – once each and logs it.
    name: 'PUT /contracts/{id}/spend-returns/{period} (5,000-line CSV)',
    method: 'PUT',
    path: '/contracts/{id}/spend-returns/2026-Q2',
    async setup(ctx) {
      const contractId = await benchContract(ctx, 1);
      const token = await ctx.token({ sub: BENCH_PRIME_OWNER });
      const headers = { authorization: `Bearer ${token}`, 'content-type': 'text/csv' };
      const path = `/contracts/${contractId}/spend-returns/2026-Q2`;
      for (const [variant, label] of [
        [1, 'version 1'],
        [2, 'amendment (version 2)'],
      ] as const) {
        const started = performance.now();
        const response = await fetch(`${ctx.baseUrl}${path}`, {
          method: 'PUT',
          headers,
          body: benchCsv('2026-Q2', variant),
        });
        await response.text();
        if (response.status !== 201) throw new Error(`CSV return ${label} answered ${response.status}`);
        ctx.log(`5,000-line CSV write path, ${label}: ${(performance.now() - started).toFixed(0)} ms`);
      }
      return { path, headers, body: benchCsv('2026-Q2', 2) };
    },
  },
);

FLAT_COST_PAIRS.push({
  name: 'national sub-contracting report',
  small: 'GET /reports/subcontracting (10 returns)',
  large: 'GET /reports/subcontracting (1,000 returns)',
});
