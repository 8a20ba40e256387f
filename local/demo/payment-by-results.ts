/**
 * Demo payment by results (issue 18): one demo contract – "Accommodation and tenancy support, North East",
 * which the sub-contracting dashboard's seeder (`subcontracting-dashboard.ts`) registers six complete
 * quarters back – gets a payment mechanism, four quarterly cohorts (the two oldest past their 12-month
 * follow-up, with proven results) and proxy-outcome claims in every state. Written through the same use
 * cases as the API: the mechanism, cohorts, results and decisions by `demo-commissioner` (who belongs to no
 * organisation, so is connected to neither the prime nor its sub-contractors), the claims by the prime's
 * owner, who also passes shares of the outcome payments on to a registered sub-contractor
 * (`demo-subcontractor`'s organisation, added to the supply chain). Deterministic apart from the dates, which
 * follow today; every call is made at today's time, since the contract began long enough ago for each rule
 * (a follow-up ended, evidence dates in the past) to hold.
 *
 * Participants are pseudonymous references only (`PRV-004217`), as a provider keeps them.
 */
import { outcomeShareRepository, type Repositories } from '../../shared/db/repositories';
import type { Contract } from '../../shared/domain/contracts';
import type { ClaimDecisionKind } from '../../shared/domain/payment-by-results/claims';
import {
  contractQuarters,
  followUpEnds,
  type MechanismInput,
  type RiskTier,
} from '../../shared/domain/payment-by-results/mechanism';
import type { TierResult } from '../../shared/domain/payment-by-results/payments';
import { REOFFENDING } from '../../shared/domain/payment-by-results/shares';
import type { Group, Principal } from '../../shared/domain/principal';
import { completeQuarters } from '../../shared/domain/return-periods';
import { isoDay, periodBounds } from '../../shared/domain/subcontracting/dates';
import type { SubcontractorInput } from '../../shared/domain/subcontracting/supply-chain';
import { decideOutcomeClaim, submitOutcomeClaim } from '../../shared/use-cases/payment-by-results/claims';
import { putCohort, putCohortResults } from '../../shared/use-cases/payment-by-results/cohorts';
import { setPaymentMechanism } from '../../shared/use-cases/payment-by-results/mechanism';
import { recordOutcomeShares } from '../../shared/use-cases/payment-by-results/shares';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { DEMO_SUBCONTRACTOR } from './providers';
import { DEMO_COMMISSIONER } from './subcontracting';

/** The demo contract paid by results (registered by `seedSubcontractingSpread`). */
export const PBR_CONTRACT_TITLE = 'Accommodation and tenancy support, North East';

/** The re-offending follow-up of the demo mechanism, in months. */
export const PBR_FOLLOW_UP_MONTHS = 12;

const user = (sub: string, groups: Group[] = []): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});

/** The demo terms, from the contract's first quarter (a first version may start in a past quarter). */
function demoMechanism(fromPeriod: string): MechanismInput {
  return {
    fromPeriod,
    upfrontPercent: 20,
    proxyOutcomes: [
      { id: 'settled-accommodation', name: 'Settled accommodation at 3 months', tariffPence: 1_200_00 },
      { id: 'employment-training', name: 'Into employment or training', tariffPence: 1_500_00 },
      { id: 'drug-treatment', name: 'Completed drug treatment', tariffPence: 1_000_00 },
    ],
    reoffending: {
      binary: { baselineRatePercent: 45, tariffPence: 3_000_00 },
      frequency: { baselinePerPerson: 1.6, tariffPence: 400_00 },
      followUpMonths: PBR_FOLLOW_UP_MONTHS,
    },
    tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2 },
    capPencePerYear: 150_000_00,
  };
}

/** Each cohort's size by tier; the quarters grow a little as referrals pick up. */
const COHORT_SIZES: Record<RiskTier, number>[] = [
  { low: 40, medium: 60, high: 35, very_high: 15 },
  { low: 42, medium: 64, high: 38, very_high: 16 },
  { low: 45, medium: 66, high: 40, very_high: 18 },
  { low: 47, medium: 70, high: 41, very_high: 19 },
];

/** Proven results of the two oldest cohorts: fewer reoffend than the baseline in most tiers, not all. */
const RESULTS: Record<RiskTier, Omit<TierResult, 'size'>>[] = [
  {
    low: { reoffenders: 12, reoffences: 30 },
    medium: { reoffenders: 24, reoffences: 70 },
    high: { reoffenders: 18, reoffences: 61 },
    very_high: { reoffenders: 9, reoffences: 34 },
  },
  {
    low: { reoffenders: 14, reoffences: 33 },
    medium: { reoffenders: 30, reoffences: 96 },
    high: { reoffenders: 16, reoffences: 52 },
    very_high: { reoffenders: 8, reoffences: 27 },
  },
];

/** One demo claim: its quarter (index into the cohorts' quarters), outcome, tier, size and decision. */
interface DemoClaim {
  quarter: number;
  outcomeId: string;
  tier: RiskTier;
  participants: number;
  decision?: { kind: ClaimDecisionKind; validate?: number; reason: string };
}

/** One claim in each state (two still to decide), spread over the quarters, outcomes and tiers. */
const CLAIMS: DemoClaim[] = [
  {
    quarter: 0,
    outcomeId: 'settled-accommodation',
    tier: 'medium',
    participants: 4,
    decision: { kind: 'validated', reason: 'Tenancy agreements and three-month checks seen for all four.' },
  },
  {
    quarter: 0,
    outcomeId: 'employment-training',
    tier: 'high',
    participants: 3,
    decision: {
      kind: 'partly-validated',
      validate: 2,
      reason: 'The third start is a two-day taster, not a course: claim again once the course begins.',
    },
  },
  {
    quarter: 1,
    outcomeId: 'drug-treatment',
    tier: 'low',
    participants: 2,
    decision: {
      kind: 'rejected',
      reason: 'The treatment provider’s completion letters are missing: claim again with them.',
    },
  },
  {
    quarter: 1,
    outcomeId: 'settled-accommodation',
    tier: 'very_high',
    participants: 2,
    decision: { kind: 'validated', reason: 'Both tenancies confirmed by the housing officer.' },
  },
  { quarter: 2, outcomeId: 'employment-training', tier: 'medium', participants: 3 },
  { quarter: 3, outcomeId: 'settled-accommodation', tier: 'high', participants: 2 },
];

/**
 * The shares of outcome payments the prime passes on to its registered sub-contractor: a proxy outcome with
 * validated claims (so the share comes to something) and the re-offending payment of the proven cohorts.
 */
export const PBR_DEMO_SHARES = [
  { outcome: 'settled-accommodation', percent: 30 },
  { outcome: REOFFENDING, percent: 10 },
] as const;

/** The reference the registered sub-contractor is added to the supply chain with, when none is registered. */
export const PBR_SUBCONTRACTOR_REF = 'PBR-01';

/**
 * Records the demo shares for the contract's first registered sub-contractor. The dashboard's seeder names
 * its sub-contractors without registering them, so when none is registered `demo-subcontractor`'s
 * organisation joins the supply chain (the prime's owner declares the chain again, every earlier entry kept),
 * and the README can name a user who sees the shares on `/your-payments`. Says what it did.
 */
async function seedShares(
  repos: Repositories,
  contract: Contract,
  owner: Principal,
  now: Date,
): Promise<string> {
  const chain = await repos.subcontracting.supplyChain(contract.id);
  let providerId = chain?.subcontractors.find((s) => s.providerId)?.providerId;
  if (!providerId) {
    const subOrg = (await repos.memberships.listForUser(DEMO_SUBCONTRACTOR))[0]?.providerId;
    const provider = subOrg ? await repos.providers.get(subOrg) : undefined;
    if (provider?.status !== 'verified' || provider.id === contract.primeProviderId) {
      return 'no shares (no registered sub-contractor to give them to)';
    }
    const kept: SubcontractorInput[] = (chain?.subcontractors ?? []).map((s) => ({
      ref: s.ref,
      name: s.name,
      sector: s.sector,
      size: s.size,
      services: s.services,
      plannedValuePence: s.plannedValuePence,
    }));
    await putSupplyChain(
      repos,
      owner,
      contract.id,
      {
        subcontractors: [
          ...kept,
          {
            ref: PBR_SUBCONTRACTOR_REF,
            providerId: provider.id,
            services: ['accommodation'],
            plannedValuePence: 60_000_00,
          },
        ],
      },
      now,
    );
    providerId = provider.id;
  }
  const registered = providerId;
  await recordOutcomeShares(
    { ...repos, outcomeShares: outcomeShareRepository() },
    owner,
    contract.id,
    { shares: PBR_DEMO_SHARES.map((share) => ({ providerId: registered, ...share })) },
    now,
  );
  const subOwner = (await repos.memberships.listForProvider(registered)).find((m) => m.role === 'owner')?.sub;
  return `shares passed on to its sub-contractor ${registered}${subOwner ? ` (see /your-payments as "${subOwner}")` : ''}`;
}

/** The pseudonymous reference of the demo's nth participant (`PRV-004217` and on). */
export function demoParticipantRef(n: number): string {
  return `PRV-${String(4217 + n * 37).padStart(6, '0')}`;
}

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Finds the demo contract among the contracts (a few dozen in the demo: one page). */
async function findContract(repos: Repositories): Promise<Contract | undefined> {
  let cursor: string | undefined;
  do {
    const page = await repos.contracts.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    const found = page.items.find((c) => c.title === PBR_CONTRACT_TITLE);
    if (found) return found;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return undefined;
}

/** Loads the demo payment by results; the sub-contracting dashboard's contracts must already be there. */
export async function seedPaymentByResults(repos: Repositories): Promise<string> {
  const now = new Date();
  const today = isoDay(now);
  const contract = await findContract(repos);
  if (!contract) return `skipped: no contract "${PBR_CONTRACT_TITLE}"`;
  const ownerSub = (await repos.memberships.listForProvider(contract.primeProviderId)).find(
    (m) => m.role === 'owner',
  )?.sub;
  if (!ownerSub) return 'skipped: the prime has no owner';
  // Four quarters, the oldest six back: the two oldest are past a 12-month follow-up whatever today is (the
  // fifth quarter back ends with the last complete quarter), the two after are not.
  const quarters = completeQuarters(now, 6).slice(0, 4);
  const { first } = contractQuarters(contract);
  if ((quarters[0] as string) < first) return `skipped: the contract starts after ${quarters[0]}`;

  const commissioner = user(DEMO_COMMISSIONER, ['commissioner']);
  const owner = user(ownerSub);
  await setPaymentMechanism(repos, commissioner, contract.id, demoMechanism(first), now);

  let withResults = 0;
  for (const [q, period] of quarters.entries()) {
    const sizes = COHORT_SIZES[q] as Record<RiskTier, number>;
    await putCohort(
      repos,
      commissioner,
      contract.id,
      period,
      {
        tiers: Object.fromEntries(Object.entries(sizes).map(([tier, size]) => [tier, { size }])),
      },
      now,
    );
    const results = RESULTS[q];
    if (results && followUpEnds(period, PBR_FOLLOW_UP_MONTHS) < today) {
      await putCohortResults(
        repos,
        commissioner,
        contract.id,
        period,
        {
          tiers: Object.fromEntries(
            Object.entries(results).map(([tier, r]) => [tier, { size: sizes[tier as RiskTier], ...r }]),
          ),
        },
        now,
      );
      withResults += 1;
    }
  }

  let participant = 0;
  for (const demo of CLAIMS) {
    const period = quarters[demo.quarter] as string;
    const { start } = periodBounds(period) as { start: string };
    const participants = Array.from({ length: demo.participants }, (_, i) => {
      const ref = demoParticipantRef(participant);
      participant += 1;
      // Evidenced within the quarter's first two months, never after today.
      const evidenceDate = addDays(start, 20 + i * 9);
      return { ref, evidenceDate: evidenceDate < today ? evidenceDate : today };
    });
    const claim = await submitOutcomeClaim(
      repos,
      owner,
      contract.id,
      { outcomeId: demo.outcomeId, period, tier: demo.tier, participants },
      now,
    );
    if (demo.decision) {
      const refs = participants.map((p) => p.ref);
      await decideOutcomeClaim(
        repos,
        commissioner,
        contract.id,
        claim.id,
        {
          decision: demo.decision.kind,
          ...(demo.decision.kind === 'partly-validated'
            ? { validatedRefs: refs.slice(0, demo.decision.validate) }
            : {}),
          reason: demo.decision.reason,
        },
        now,
      );
    }
  }
  const shared = await seedShares(repos, contract, owner, now);
  return `"${PBR_CONTRACT_TITLE}" (${contract.id}) paid by results: a mechanism from ${first}, cohorts ${quarters[0]}–${quarters[3]} (${withResults} with results), ${CLAIMS.length} claims by the prime's owner "${ownerSub}" (sign in as them for /your-contracts/${contract.id}/outcomes; 2 awaiting "${DEMO_COMMISSIONER}", with group commissioner, at /commissioning/contracts/${contract.id}/outcomes), ${shared}`;
}
