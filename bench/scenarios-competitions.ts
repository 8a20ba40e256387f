/**
 * Benchmark scenarios of competitions, pre-qualification, tenders and the audit chain: opportunities at
 * 100 and 2,000 open competitions, a pre-qualification response (which appends to the audit chain),
 * a refused inside read (wall check, audit append and alert), bid submission, the bidder's own bid read and
 * the insiders' bid list after the deadline.
 *
 * Set-up writes through the use cases over the benchmark's DynamoDB Local; the bench runs with the
 * minimum periods at zero (as the tests do) so deadlines can be seconds away.
 */
import { config } from '../shared/config';
import { withSharedProviderData } from '../shared/db/provider-data';
import { repositories } from '../shared/db/repositories';
import type { Principal } from '../shared/domain/principal';
import type { Region, Service } from '../shared/domain/reference-data';
import { putAccreditation } from '../shared/use-cases/accreditation';
import { createCompetition } from '../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../shared/use-cases/competitions/wall-management';
import { registerProvider } from '../shared/use-cases/register-provider';
import { saveDraft, submitBid } from '../shared/use-cases/tenders/bidder';
import { verifyProvider } from '../shared/use-cases/verify-provider';
import type { BenchContext, FlatCostPair, Scenario } from './scenarios';

const lead: Principal = { kind: 'user', sub: 'bench-lead', email: undefined, groups: ['commissioner'] };
const admin: Principal = { kind: 'user', sub: 'bench-admin', email: undefined, groups: ['admin'] };
const criteria = [
  { id: 'quality', name: 'Quality', kind: 'quality' as const, weight: 70 },
  { id: 'price', name: 'Price', kind: 'price' as const, weight: 30 },
];

const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/** Creates and publishes `count` competitions in one region and service (tier none: one transaction each way). */
async function openCompetitions(
  ctx: BenchContext,
  count: number,
  region: Region,
  service: Service,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 16) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(16, count - i) }, async (_, j) => {
        const competition = await createCompetition(
          repositories(),
          lead,
          {
            title: `Bench competition ${i + j}`,
            description: 'Benchmark data.',
            services: [service],
            regions: [region],
            estimatedValuePence: 50_000_00,
            termMonths: 12,
            risk: 'low',
            tenderDeadline: inSeconds(86_400 + i + j),
            criteria,
          },
          new Date(),
          config().rules,
        );
        await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
        return competition.id;
      }),
    );
    ids.push(...batch);
    if ((i + 16) % 500 < 16)
      ctx.log(`  ${Math.min(i + 16, count)} of ${count} competitions open in ${region}`);
  }
  return ids;
}

/** A verified, accredited provider owned by `sub` (also the workspace page scenarios' bidders). */
export async function provider(sub: string, name: string, region: Region, service: Service): Promise<string> {
  const owner: Principal = { kind: 'user', sub, email: undefined, groups: [] };
  const registered = await registerProvider(
    repositories(),
    owner,
    {
      name,
      legalForm: 'unincorporated_association',
      sector: 'voluntary',
      size: 'small',
      regions: [region],
      services: [service],
      contact: { name: 'Bench', email: 'bench@example.org' },
    },
    new Date(),
  );
  await verifyProvider(repositories(), admin, registered.id, new Date());
  await putAccreditation(
    repositories(),
    owner,
    registered.id,
    {
      exclusionGrounds: { mandatory: [], discretionary: [] },
      financial: {
        annualTurnoverPence: 500_000_00,
        accountsYearEnd: `${new Date().getUTCFullYear() - 1}-03-31`,
      },
      insurance: { employersLiabilityPence: 5_000_000_00, publicLiabilityPence: 1_000_000_00 },
      policies: { equality: true, safeguarding: true, healthAndSafety: true },
    },
    new Date(),
    12,
  );
  return registered.id;
}

/** A competition whose tender deadline has passed, with bids, a declared lead and a rival bidder. */
async function evaluatedCompetition(ctx: BenchContext): Promise<{ id: string }> {
  const competition = await createCompetition(
    repositories(),
    lead,
    {
      title: 'Bench tender',
      description: 'Benchmark data.',
      services: ['health'],
      regions: ['east_midlands'],
      estimatedValuePence: 60_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: inSeconds(6),
      criteria,
    },
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
  await setPanel(
    repositories(),
    lead,
    competition.id,
    { evaluators: ['bench-evaluator', 'bench-evaluator-2'], moderator: 'bench-moderator' },
    new Date(),
    config().rules.evaluation,
  );
  await declare(repositories(), lead, competition.id, [], new Date());
  for (let i = 0; i < 10; i += 1) {
    const sub = `bench-bidder-${i}`;
    await provider(sub, `Bench bidder ${i}`, 'east_midlands', 'health');
    const owner: Principal = { kind: 'user', sub, email: undefined, groups: [] };
    await saveDraft(
      withSharedProviderData(repositories()),
      owner,
      competition.id,
      {
        pricePence: 50_000_00 + i * 1000,
        qualityResponses: { quality: 'Plan' },
        subcontractors: [],
        consortium: [],
      },
      new Date(),
    );
    await submitBid(withSharedProviderData(repositories()), owner, competition.id, undefined, new Date());
  }
  const wait = Date.parse(competition.tenderDeadline) - Date.now() + 100;
  ctx.log(`  waiting ${Math.max(0, Math.round(wait / 1000))} s for the tender deadline`);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  return { id: competition.id };
}

let tender: Promise<{ id: string }> | undefined;
let openTender: Promise<{ id: string; token: string }> | undefined;

/** A tier-none competition open to bids, with one bidder holding a draft. */
function openTenderFor(ctx: BenchContext) {
  openTender ??= (async () => {
    const competition = await createCompetition(
      repositories(),
      lead,
      {
        title: 'Bench open tender',
        description: 'Benchmark data.',
        services: ['drugs_alcohol'],
        regions: ['south_east'],
        estimatedValuePence: 60_000_00,
        termMonths: 12,
        risk: 'low',
        tenderDeadline: inSeconds(86_400),
        criteria,
      },
      new Date(),
      config().rules,
    );
    await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
    await provider('bench-open-bidder', 'Bench open bidder', 'south_east', 'drugs_alcohol');
    await saveDraft(
      withSharedProviderData(repositories()),
      { kind: 'user', sub: 'bench-open-bidder', email: undefined, groups: [] },
      competition.id,
      { pricePence: 55_000_00, qualityResponses: { quality: 'Plan' }, subcontractors: [], consortium: [] },
      new Date(),
    );
    return { id: competition.id, token: await ctx.token({ sub: 'bench-open-bidder' }) };
  })();
  return openTender;
}

/** The scenarios. */
export const COMPETITION_SCENARIOS: Scenario[] = [
  {
    name: 'GET /opportunities (100 open)',
    method: 'GET',
    path: '/opportunities?region=yorkshire_humber&service=health&limit=25',
    async setup(ctx) {
      await openCompetitions(ctx, 100, 'yorkshire_humber', 'health');
      return undefined;
    },
  },
  {
    name: 'GET /opportunities (2,000 open)',
    method: 'GET',
    path: '/opportunities?region=west_midlands&service=health&limit=25',
    async setup(ctx) {
      await openCompetitions(ctx, 2_000, 'west_midlands', 'health');
      return undefined;
    },
  },
  {
    name: 'POST prequalification response (+ audit append)',
    method: 'POST',
    path: '/competitions/ID/prequalification-responses',
    async setup(ctx) {
      const competition = await createCompetition(
        repositories(),
        lead,
        {
          title: 'Bench pre-qualification',
          description: 'Benchmark data.',
          services: ['accommodation'],
          regions: ['north_east'],
          estimatedValuePence: 500_000_00,
          termMonths: 24,
          risk: 'medium',
          prequalificationDeadline: inSeconds(86_400),
          tenderDeadline: inSeconds(2 * 86_400),
          criteria,
        },
        new Date(),
        config().rules,
      );
      await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
      await provider('bench-applicant', 'Bench applicant', 'north_east', 'accommodation');
      const token = await ctx.token({ sub: 'bench-applicant' });
      return {
        path: `/competitions/${competition.id}/prequalification-responses`,
        headers: { authorization: `Bearer ${token}` },
        body: { answers: { 'technical.relevant-experience': 'Ten years of supported housing.' } },
      };
    },
  },
  {
    name: 'POST bid submit (new version + audit append)',
    method: 'POST',
    path: '/competitions/ID/bid/submit',
    async setup(ctx) {
      const { id, token } = await openTenderFor(ctx);
      return { path: `/competitions/${id}/bid/submit`, headers: { authorization: `Bearer ${token}` } };
    },
  },
  {
    name: 'GET own bid (bidder)',
    method: 'GET',
    path: '/competitions/ID/bid',
    async setup(ctx) {
      const { id, token } = await openTenderFor(ctx);
      return { path: `/competitions/${id}/bid`, headers: { authorization: `Bearer ${token}` } };
    },
  },
  {
    name: 'GET /competitions/{id}/bids (insider, 10 bids, audited)',
    method: 'GET',
    path: '/competitions/ID/bids',
    async setup(ctx) {
      tender ??= evaluatedCompetition(ctx);
      const { id } = await tender;
      return {
        path: `/competitions/${id}/bids`,
        headers: {
          authorization: `Bearer ${await ctx.token({ sub: 'bench-lead', groups: ['commissioner'] })}`,
        },
      };
    },
  },
  {
    name: 'GET /competitions/{id}/bids (rival bidder: refused, audit append + alert)',
    method: 'GET',
    path: '/competitions/ID/bids',
    async setup(ctx) {
      tender ??= evaluatedCompetition(ctx);
      const { id } = await tender;
      return {
        path: `/competitions/${id}/bids`,
        headers: { authorization: `Bearer ${await ctx.token({ sub: 'bench-bidder-0' })}` },
      };
    },
  },
];

/** Flat-cost comparisons of this context. */
export const COMPETITION_FLAT_COST_PAIRS: FlatCostPair[] = [
  {
    name: 'opportunities page',
    small: 'GET /opportunities (100 open)',
    large: 'GET /opportunities (2,000 open)',
  },
];
