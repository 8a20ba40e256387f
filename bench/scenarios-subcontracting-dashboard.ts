/**
 * Benchmark scenarios of the sub-contracting dashboard (issue 16): the national page
 * (`/commissioning/subcontracting`: 11 regional items, 11 regions' per-quarter series, ten charts) and a
 * region's page (its figures, its series and a page of its contracts), each measured over 40 and then
 * over 1,040 stored returns, to show both are flat in the number of returns.
 * `BENCH_ONLY=dashboard npm run bench` runs only these.
 *
 * The same data is measured both times, only the number of returns changes: first 40 contracts each file
 * one return – 36 in the measured region and one of the nine others (each pair of region and quarter
 * once), four national – so every regional item and every quarter of the window already exists; then 25
 * amendments of each of those 40 returns add 1,000 more versions (every version is stored and counts as a
 * return). The measured region lists the same contracts both times, more than a page of them.
 *
 * Everything is written through the filing use case; the pages are asked for with a commissioner's web
 * session (as the local developer sign-in starts one).
 */
import { localIdentityStore, repositories, sessionRepository } from '../shared/db/repositories';
import type { Principal } from '../shared/domain/principal';
import { type Coverage, REGIONS, type Region } from '../shared/domain/reference-data';
import { completeQuarters } from '../shared/domain/return-periods';
import { periodBounds } from '../shared/domain/subcontracting/dates';
import type { SubcontractorInput } from '../shared/domain/subcontracting/supply-chain';
import { registerProvider } from '../shared/use-cases/register-provider';
import { signInLocally } from '../shared/use-cases/sessions/local-sign-in';
import { registerContract } from '../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../shared/use-cases/subcontracting/supply-chain';
import { verifyProvider } from '../shared/use-cases/verify-provider';
import { sessionCookie } from '../shared/web/session';
import { compareFlatCost, type FlatCostComparison } from './flat-cost';
import type { RouteReport } from './report';
import type { BenchContext, FlatCostPair, Scenario } from './scenarios';

/** The region whose page is measured (it lists every regional contract). */
const REGION: Region = 'north_west';
const OTHERS = REGIONS.filter((r) => r !== REGION);
/** Quarters filed: the last four complete ones (inside the dashboard's eight-quarter window). */
const QUARTERS = 4;
/** Amendments of each first return between the two halves. */
const AMENDMENTS = 25;
const FIRST_RETURNS = OTHERS.length * QUARTERS + QUARTERS;
const FEW = FIRST_RETURNS;
const MANY = FIRST_RETURNS * (1 + AMENDMENTS);
/** Filings in flight at once: filings in one region contend for its items (and retry). */
const PARALLEL = 8;

const OWNER = 'bench-dashboard-prime-owner';
const COMMISSIONER = 'bench-dashboard-commissioner';
const owner: Principal = { kind: 'user', sub: OWNER, email: undefined, groups: [] };
const commissioner: Principal = {
  kind: 'user',
  sub: COMMISSIONER,
  email: undefined,
  groups: ['commissioner'],
};
const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
const CHAIN: SubcontractorInput[] = [
  {
    ref: 'VOL',
    name: 'Bench Dashboard Trust',
    sector: 'voluntary',
    size: 'small',
    services: [],
    plannedValuePence: 0,
  },
  {
    ref: 'PRI',
    name: 'Bench Dashboard Ltd',
    sector: 'private',
    size: 'large',
    services: [],
    plannedValuePence: 0,
  },
  {
    ref: 'MIC',
    name: 'Bench Dashboard CIC',
    sector: 'voluntary',
    size: 'micro',
    services: [],
    plannedValuePence: 0,
  },
];

/** One first return: its contract, and the quarter it files. */
interface Filed {
  contractId: string;
  period: string;
  /** What its lines were made from (`returnOf`). */
  seed: number;
}

/** Runs `task` for 0..count-1, `PARALLEL` at a time. */
async function inParallel(count: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, count) }, worker));
}

/** A return of the bench chain for `period`: amounts vary with `version`, so each amendment is new. */
function returnOf(period: string, seed: number, version: number) {
  const bounds = periodBounds(period) as { start: string; end: string };
  const day = (offset: number) =>
    new Date(Date.parse(`${bounds.start}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
  return {
    format: 'json' as const,
    issues: [],
    lines: CHAIN.map((s, i) => ({
      position: i,
      subcontractorRef: s.ref,
      invoiceRef: `${s.ref}-${period}-${seed}`,
      invoiceDate: day(10 + i),
      // The firm is paid late (40 days), the others within a fortnight.
      paidDate: day(10 + i + (s.ref === 'PRI' ? 40 : 12)),
      amountPence: 5_000_00 + seed * 100 + i * 10 + version,
    })),
  };
}

let data: Promise<Filed[]> | undefined;

/** The first 40 returns (once for all four scenarios). */
function firstReturns(ctx: BenchContext): Promise<Filed[]> {
  data ??= (async () => {
    const repos = repositories();
    const now = new Date();
    const periods = completeQuarters(now, QUARTERS);
    const start = (periodBounds(periods[0] as string) as { start: string }).start;
    const end = `${Number(start.slice(0, 4)) + 3}-12-31`;
    const prime = await registerProvider(
      repos,
      owner,
      {
        name: 'Bench Dashboard Prime',
        legalForm: 'unincorporated_association',
        sector: 'private',
        size: 'large',
        regions: ['national'],
        services: ['accommodation'],
        contact: { name: 'Bench', email: 'bench@example.org' },
      },
      now,
    );
    await verifyProvider(
      repos,
      { kind: 'user', sub: 'bench-dashboard-admin', email: undefined, groups: ['admin'] },
      prime.id,
      now,
    );
    ctx.log(`dashboard: ${FIRST_RETURNS} contracts, one return each`);
    const filed: Filed[] = [];
    await inParallel(FIRST_RETURNS, async (i) => {
      const national = i >= OTHERS.length * QUARTERS;
      const regions: Coverage[] = national ? ['national'] : [REGION, OTHERS[i % OTHERS.length] as Region];
      const period = periods[
        national ? i - OTHERS.length * QUARTERS : Math.floor(i / OTHERS.length)
      ] as string;
      const contract = await registerContract(
        repos,
        commissioner,
        {
          title: `Bench dashboard contract ${i}`,
          primeProviderId: prime.id,
          valuePence: 2_000_000_00 + i * 10_000_00,
          startDate: start,
          endDate: end,
          regions,
          services: ['accommodation'],
          subcontracting: { targetPercent: 10, voluntarySectorTargetPercent: 25 },
        },
        now,
        RULES,
      );
      await putSupplyChain(repos, owner, contract.id, { subcontractors: CHAIN }, now);
      await fileSpendReturn(repos, owner, contract.id, period, returnOf(period, i, 1), now, RULES);
      filed.push({ contractId: contract.id, period, seed: i });
    });
    return filed;
  })();
  return data;
}

let amended: Promise<void> | undefined;

/** 25 amendments of each first return: 1,000 more stored versions, the same contracts and quarters. */
function amendments(ctx: BenchContext): Promise<void> {
  amended ??= amend(ctx);
  return amended;
}

async function amend(ctx: BenchContext): Promise<void> {
  const filed = await firstReturns(ctx);
  const repos = repositories();
  const now = new Date();
  ctx.log(`dashboard: ${filed.length * AMENDMENTS} amendments through the filing use case`);
  let stored = 0;
  // Each return's amendments in order (versions of one period would otherwise race and conflict), several
  // returns at a time.
  await inParallel(filed.length, async (i) => {
    const { contractId, period, seed } = filed[i] as Filed;
    for (let version = 2; version <= 1 + AMENDMENTS; version += 1) {
      await fileSpendReturn(repos, owner, contractId, period, returnOf(period, seed, version), now, RULES);
      stored += 1;
      if (stored % 250 === 0) ctx.log(`  ${stored} amendments stored`);
    }
  });
}

/** The `Cookie` header of a commissioner's web session, as the local developer sign-in starts one. */
async function commissionerCookie(): Promise<string> {
  const now = new Date();
  const session = await signInLocally(
    { sessions: sessionRepository(), identities: localIdentityStore() },
    { sub: COMMISSIONER, email: undefined, groups: ['commissioner'] },
    now,
  );
  return (await sessionCookie(session, now)).split(';')[0] ?? '';
}

const NAMES = {
  page: (returns: number) =>
    `GET /commissioning/subcontracting (dashboard page, ${returns.toLocaleString('en-GB')} returns)`,
  region: (returns: number) =>
    `GET /commissioning/subcontracting/{region} (dashboard region page, ${returns.toLocaleString('en-GB')} returns)`,
};

function scenario(name: string, path: string, before: (ctx: BenchContext) => Promise<unknown>): Scenario {
  return {
    name,
    method: 'GET',
    path,
    async setup(ctx) {
      await before(ctx);
      return { headers: { cookie: await commissionerCookie() } };
    },
  };
}

/** The scenarios: both pages over the first returns, then both over 1,000 more. */
export const DASHBOARD_SCENARIOS: Scenario[] = [
  scenario(NAMES.page(FEW), '/commissioning/subcontracting', firstReturns),
  scenario(NAMES.region(FEW), `/commissioning/subcontracting/${REGION}`, firstReturns),
  scenario(NAMES.page(MANY), '/commissioning/subcontracting', amendments),
  scenario(NAMES.region(MANY), `/commissioning/subcontracting/${REGION}`, amendments),
];

/** The pages over few and many returns: DESIGN.md's 1.2 limit on p50 and consumed capacity. */
export const DASHBOARD_FLAT_COST_PAIRS: FlatCostPair[] = [
  { name: 'sub-contracting dashboard page', small: NAMES.page(FEW), large: NAMES.page(MANY) },
  { name: 'sub-contracting dashboard region page', small: NAMES.region(FEW), large: NAMES.region(MANY) },
];

/** The few-against-many comparisons whose two scenarios were both measured. */
export function dashboardFlatCostComparisons(routes: RouteReport[]): FlatCostComparison[] {
  const comparisons: FlatCostComparison[] = [];
  for (const pair of DASHBOARD_FLAT_COST_PAIRS) {
    const small = routes.find((route) => route.name === pair.small);
    const large = routes.find((route) => route.name === pair.large);
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
