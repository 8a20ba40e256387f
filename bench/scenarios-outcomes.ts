/**
 * Benchmark scenarios of payment by results (issue 18): the outcome statement
 * (`GET /contracts/{id}/outcome-statement`) of a contract with 10 proxy-outcome claims and of one with 1,000,
 * to show its cost does not grow with the number of claims (it reads the mechanism versions, the cohorts and
 * the figures maintained on write – a few items per quarter – never a claim). `BENCH_ONLY=outcome npm run
 * bench` runs only these.
 *
 * The two contracts are the same but for their claims: the same prime, terms, cohorts (two with results) and
 * quarters. Each claim names one participant and cycles through the same four quarters, three outcomes and
 * four tiers; every fourth is decided (validated or rejected, alternately). So both contracts have a figures
 * item for each of the four quarters and one of the contract's counts: only the number of claims, and of
 * participants' uniqueness items, differs. A set-up line logs the items one statement reads (the gateway's
 * meter reports calls and consumed capacity, not items).
 *
 * Everything is written through the use cases, one claim at a time: concurrent claims of one contract add to
 * the same figures items, so in a transaction they would conflict and be refused.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { dynamoDbClient } from '../shared/db/client';
import { repositories } from '../shared/db/repositories';
import type { MechanismInput, RiskTier } from '../shared/domain/payment-by-results/mechanism';
import type { Principal } from '../shared/domain/principal';
import { completeQuarters } from '../shared/domain/return-periods';
import { isoDay, periodBounds } from '../shared/domain/subcontracting/dates';
import { decideOutcomeClaim, submitOutcomeClaim } from '../shared/use-cases/payment-by-results/claims';
import { putCohort, putCohortResults } from '../shared/use-cases/payment-by-results/cohorts';
import { setPaymentMechanism } from '../shared/use-cases/payment-by-results/mechanism';
import { getOutcomeStatement } from '../shared/use-cases/payment-by-results/statement';
import { registerProvider } from '../shared/use-cases/register-provider';
import { registerContract } from '../shared/use-cases/subcontracting/contracts';
import { verifyProvider } from '../shared/use-cases/verify-provider';
import { compareFlatCost, type FlatCostComparison } from './flat-cost';
import type { RouteReport } from './report';
import type { BenchContext, FlatCostPair, Scenario } from './scenarios';

/** Claims on the two contracts. */
const FEW = 10;
const MANY = 1_000;

const OWNER = 'bench-outcomes-prime-owner';
const COMMISSIONER = 'bench-outcomes-commissioner';
const owner: Principal = { kind: 'user', sub: OWNER, email: undefined, groups: [] };
const commissioner: Principal = {
  kind: 'user',
  sub: COMMISSIONER,
  email: undefined,
  groups: ['commissioner'],
};
const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
const OUTCOMES = ['accommodation', 'employment', 'treatment'] as const;
const TIERS: RiskTier[] = ['low', 'medium', 'high', 'very_high'];
const FOLLOW_UP_MONTHS = 12;

function mechanism(fromPeriod: string): MechanismInput {
  return {
    fromPeriod,
    upfrontPercent: 20,
    proxyOutcomes: [
      { id: 'accommodation', name: 'Settled accommodation at 3 months', tariffPence: 1_200_00 },
      { id: 'employment', name: 'Into employment or training', tariffPence: 1_500_00 },
      { id: 'treatment', name: 'Completed drug treatment', tariffPence: 1_000_00 },
    ],
    reoffending: {
      binary: { baselineRatePercent: 45, tariffPence: 3_000_00 },
      frequency: { baselinePerPerson: 1.6, tariffPence: 400_00 },
      followUpMonths: FOLLOW_UP_MONTHS,
    },
    tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2 },
    capPencePerYear: 5_000_000_00,
  };
}

let prime: Promise<string> | undefined;

/** The prime both contracts share (registered and verified once). */
function benchPrime(): Promise<string> {
  prime ??= (async () => {
    const repos = repositories();
    const now = new Date();
    const provider = await registerProvider(
      repos,
      owner,
      {
        name: 'Bench Outcomes Prime',
        legalForm: 'unincorporated_association',
        sector: 'voluntary',
        size: 'large',
        regions: ['national'],
        services: ['accommodation'],
        contact: { name: 'Bench', email: 'bench@example.org' },
      },
      now,
    );
    await verifyProvider(
      repos,
      { kind: 'user', sub: 'bench-outcomes-admin', email: undefined, groups: ['admin'] },
      provider.id,
      now,
    );
    return provider.id;
  })();
  return prime;
}

/**
 * A contract paid by results with `claims` claims: begun eight quarters back, its mechanism from then, the
 * two oldest quarters' cohorts with results, and the claims over the last four complete quarters.
 */
async function contractWithClaims(ctx: BenchContext, claims: number): Promise<string> {
  const repos = repositories();
  const now = new Date();
  const quarters = completeQuarters(now, 8);
  const first = quarters[0] as string;
  const start = (periodBounds(first) as { start: string }).start;
  const contract = await registerContract(
    repos,
    commissioner,
    {
      title: `Bench outcomes contract, ${claims} claims`,
      primeProviderId: await benchPrime(),
      valuePence: 3_600_000_00,
      startDate: start,
      endDate: `${Number(start.slice(0, 4)) + 3}-12-31`,
      regions: ['national'],
      services: ['accommodation'],
      subcontracting: { targetPercent: 10, voluntarySectorTargetPercent: 25 },
    },
    now,
    RULES,
  );
  await setPaymentMechanism(repos, commissioner, contract.id, mechanism(first), now);
  for (const period of quarters.slice(0, 2)) {
    const sizes = { low: 40, medium: 60, high: 35, very_high: 15 };
    await putCohort(
      repos,
      commissioner,
      contract.id,
      period,
      { tiers: Object.fromEntries(Object.entries(sizes).map(([t, size]) => [t, { size }])) },
      now,
    );
    await putCohortResults(
      repos,
      commissioner,
      contract.id,
      period,
      {
        tiers: Object.fromEntries(
          Object.entries(sizes).map(([t, size]) => [
            t,
            { size, reoffenders: Math.floor(size * 0.4), reoffences: Math.floor(size * 1.2) },
          ]),
        ),
      },
      now,
    );
  }
  ctx.log(`outcomes: ${claims.toLocaleString('en-GB')} claims through the use cases, one at a time`);
  const recent = quarters.slice(4);
  const today = isoDay(now);
  for (let i = 0; i < claims; i += 1) {
    const period = recent[i % recent.length] as string;
    const { start: from } = periodBounds(period) as { start: string };
    const evidence = new Date(Date.parse(`${from}T00:00:00Z`) + (10 + (i % 60)) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const claim = await submitOutcomeClaim(
      repos,
      owner,
      contract.id,
      {
        outcomeId: OUTCOMES[i % OUTCOMES.length] as string,
        period,
        tier: TIERS[i % TIERS.length] as string,
        participants: [
          { ref: `PRV-${String(i + 1).padStart(6, '0')}`, evidenceDate: evidence < today ? evidence : today },
        ],
      },
      now,
    );
    if (i % 4 === 0) {
      await decideOutcomeClaim(
        repos,
        commissioner,
        contract.id,
        claim.id,
        { decision: i % 8 === 0 ? 'validated' : 'rejected', reason: 'Bench decision.' },
        now,
      );
    }
    if ((i + 1) % 250 === 0) ctx.log(`  ${i + 1} claims stored`);
  }
  await logItemsRead(ctx, contract.id, claims);
  return contract.id;
}

/** Items and calls of the storage reads inside `counting.run` (the gateway's meter counts only capacity). */
const counting = new AsyncLocalStorage<{ calls: number; items: number }>();

/** Counts the items DynamoDB returns to calls made inside `counting` (idempotent). */
function installItemCounter(): void {
  const client = dynamoDbClient();
  const name = 'benchOutcomeItemCounter';
  if (client.middlewareStack.identify().some((entry) => entry.startsWith(name))) return;
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const tally = counting.getStore();
      if (tally) {
        const output = result.output as { Item?: unknown; Items?: unknown[]; Responses?: unknown };
        tally.calls += 1;
        tally.items += (output.Items?.length ?? 0) + (output.Item ? 1 : 0);
      }
      return result;
    },
    { step: 'initialize', name },
  );
}

/** Logs what one statement reads, item by item, through the use case the route calls. */
async function logItemsRead(ctx: BenchContext, contractId: string, claims: number): Promise<void> {
  installItemCounter();
  const tally = { calls: 0, items: 0 };
  const view = await counting.run(tally, () =>
    getOutcomeStatement(repositories(), commissioner, contractId, new Date()),
  );
  const counted = Object.values(view.claims).reduce((sum, n) => sum + n, 0);
  ctx.log(
    `outcomes: the statement of the contract with ${claims.toLocaleString('en-GB')} claims (it counts ${counted}) reads ${tally.items} items in ${tally.calls} calls`,
  );
}

const NAME = (claims: number) =>
  `GET /contracts/{id}/outcome-statement (${claims.toLocaleString('en-GB')} claims)`;

function scenario(claims: number): Scenario {
  return {
    name: NAME(claims),
    method: 'GET',
    path: '/contracts/{id}/outcome-statement',
    async setup(ctx) {
      const id = await contractWithClaims(ctx, claims);
      const token = await ctx.token({ sub: COMMISSIONER, groups: ['commissioner'] });
      return {
        path: `/contracts/${id}/outcome-statement`,
        headers: { authorization: `Bearer ${token}` },
      };
    },
  };
}

/** The statement over few claims, then over many. */
export const OUTCOME_SCENARIOS: Scenario[] = [scenario(FEW), scenario(MANY)];

/** The statement over 10 and 1,000 claims: DESIGN.md's 1.2 limit on p50 and consumed capacity. */
export const OUTCOME_FLAT_COST_PAIRS: FlatCostPair[] = [
  { name: 'outcome statement', small: NAME(FEW), large: NAME(MANY) },
];

/** The few-against-many comparisons whose two scenarios were both measured. */
export function outcomeFlatCostComparisons(routes: RouteReport[]): FlatCostComparison[] {
  const comparisons: FlatCostComparison[] = [];
  for (const pair of OUTCOME_FLAT_COST_PAIRS) {
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
