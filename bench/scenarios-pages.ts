/**
 * Benchmark scenarios of the commissioning workspace (issue 14): three pages, each beside the JSON route
 * whose use case it calls, for the same user over the same data – the competitions list, a bid and the
 * evaluation. A page must stay within twice its route's p50 and make the same storage calls on the
 * service's tables (`page-cost.ts`); the web session it opens is counted apart.
 *
 * The set-up runs once for all six: a tier-none competition past its tender deadline with ten bids, each
 * scored by two evaluators and moderated, through the same use cases as the other competition scenarios;
 * its lead and an evaluator are declared insiders, signed in with a web session (as the local developer
 * sign-in starts one, the way the tests do) for the pages and with a bearer token for the JSON routes.
 * `BENCH_ONLY=workspace npm run bench` runs only these.
 */
import { config } from '../shared/config';
import { withSharedProviderData } from '../shared/db/provider-data';
import { localIdentityStore, repositories, sessionRepository } from '../shared/db/repositories';
import type { Principal } from '../shared/domain/principal';
import { createCompetition } from '../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../shared/use-cases/competitions/wall-management';
import { signInLocally } from '../shared/use-cases/sessions/local-sign-in';
import { saveDraft, submitBid } from '../shared/use-cases/tenders/bidder';
import { listBids, moderateBid, scoreBid } from '../shared/use-cases/tenders/evaluation';
import { sessionCookie } from '../shared/web/session';
import type { PageRoutePair } from './page-cost';
import type { BenchContext, Scenario } from './scenarios';
import { provider } from './scenarios-competitions';

const COMMISSIONER = ['commissioner'];
const LEAD = 'bench-page-lead';
const EVALUATORS = ['bench-page-evaluator-1', 'bench-page-evaluator-2'] as const;
const MODERATOR = 'bench-page-moderator';
const BIDS = 10;

const user = (sub: string): Principal => ({ kind: 'user', sub, email: undefined, groups: ['commissioner'] });

// Two quality criteria, so a scoring form and a moderation have more than one line, and price.
const criteria = [
  { id: 'delivery', name: 'Service delivery', kind: 'quality' as const, weight: 50 },
  { id: 'social-value', name: 'Social value', kind: 'quality' as const, weight: 20 },
  { id: 'price', name: 'Price', kind: 'price' as const, weight: 30 },
];

/** The competition every workspace scenario reads, and the bid the bid scenarios open. */
interface Workspace {
  id: string;
  bidId: string;
}

/** A draft the lead also leads, so the competitions list shows more than one competition and status. */
async function draftCompetition(): Promise<void> {
  await createCompetition(
    repositories(),
    user(LEAD),
    {
      title: 'Bench workspace draft',
      description: 'Benchmark data.',
      services: ['education_training_employment'],
      regions: ['south_west'],
      estimatedValuePence: 60_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      criteria,
    },
    new Date(),
    config().rules,
  );
}

/**
 * A competition past its tender deadline with `BIDS` bids, each scored by both evaluators and moderated:
 * the evaluation is complete, so the evaluation page shows the ranking and the award form.
 */
async function scoredCompetition(ctx: BenchContext): Promise<Workspace> {
  ctx.log(`registering ${BIDS} bidders for the workspace competition`);
  const bidders = Array.from({ length: BIDS }, (_, i) => `bench-page-bidder-${i}`);
  for (const [i, sub] of bidders.entries()) {
    await provider(sub, `Bench workspace bidder ${i}`, 'south_west', 'education_training_employment');
  }
  // The deadline is set once the bidders exist, close enough not to wait long, far enough for ten bids.
  const competition = await createCompetition(
    repositories(),
    user(LEAD),
    {
      title: 'Bench workspace tender',
      description: 'Benchmark data.',
      services: ['education_training_employment'],
      regions: ['south_west'],
      estimatedValuePence: 60_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(Date.now() + 10_000).toISOString(),
      criteria,
    },
    new Date(),
    config().rules,
  );
  const { id } = competition;
  await publishCompetition(repositories(), user(LEAD), id, new Date(), config().rules);
  await setPanel(
    repositories(),
    user(LEAD),
    id,
    { evaluators: [...EVALUATORS], moderator: MODERATOR },
    new Date(),
    config().rules.evaluation,
  );
  for (const sub of [LEAD, ...EVALUATORS, MODERATOR]) {
    await declare(repositories(), user(sub), id, [], new Date());
  }
  for (const [i, sub] of bidders.entries()) {
    const owner: Principal = { kind: 'user', sub, email: undefined, groups: [] };
    await saveDraft(
      withSharedProviderData(repositories()),
      owner,
      id,
      {
        pricePence: 50_000_00 + i * 1_000_00,
        qualityResponses: { delivery: 'Our delivery plan.', 'social-value': 'Local employment.' },
        subcontractors: [],
        consortium: [],
      },
      new Date(),
    );
    await submitBid(withSharedProviderData(repositories()), owner, id, undefined, new Date());
  }
  const wait = Date.parse(competition.tenderDeadline) - Date.now() + 100;
  ctx.log(`waiting ${Math.max(0, Math.round(wait / 1000))} s for the tender deadline`);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

  const { items } = await listBids(repositories(), user(LEAD), id, new Date());
  ctx.log(`scoring and moderating ${items.length} bids`);
  for (const [i, bid] of items.entries()) {
    for (const [e, evaluator] of EVALUATORS.entries()) {
      await scoreBid(
        repositories(),
        user(evaluator),
        id,
        bid.bidId,
        criteria
          .filter((criterion) => criterion.kind === 'quality')
          .map((criterion) => ({
            criterionId: criterion.id,
            score: (i + e) % 6,
            justification: `Evaluator ${e + 1} on ${criterion.name}.`,
          })),
        new Date(),
      );
    }
    await moderateBid(
      repositories(),
      user(MODERATOR),
      id,
      bid.bidId,
      criteria
        .filter((criterion) => criterion.kind === 'quality')
        .map((criterion) => ({
          criterionId: criterion.id,
          score: i % 6,
          rationale: 'Agreed at moderation.',
        })),
      new Date(),
      config().rules.evaluation,
    );
  }
  const first = items[0];
  if (!first) throw new Error('the workspace competition has no bids');
  await draftCompetition();
  return { id, bidId: first.bidId };
}

let workspace: Promise<Workspace> | undefined;

/** The scored competition, made once for all six scenarios. */
function workspaceFor(ctx: BenchContext): Promise<Workspace> {
  workspace ??= scoredCompetition(ctx);
  return workspace;
}

/**
 * The `Cookie` header of a signed-in web session for `sub`: recorded in the local identity store and
 * started as the local developer sign-in does, sealed as the sign-in's `Set-Cookie` seals it.
 */
async function sessionCookieHeader(sub: string): Promise<string> {
  const now = new Date();
  const session = await signInLocally(
    { sessions: sessionRepository(), identities: localIdentityStore() },
    { sub, email: undefined, groups: COMMISSIONER },
    now,
  );
  return (await sessionCookie(session, now)).split(';')[0] ?? '';
}

/** The headers of `sub` for a JSON route (a bearer token) or a page (a session cookie). */
async function headersOf(
  ctx: BenchContext,
  sub: string,
  side: 'json' | 'page',
): Promise<Record<string, string>> {
  if (side === 'json') {
    return { authorization: `Bearer ${await ctx.token({ sub, groups: COMMISSIONER })}` };
  }
  return { cookie: await sessionCookieHeader(sub) };
}

/**
 * One scenario of a pair: `path` made from the workspace's ids, requested as `sub` on one side. The
 * set-up checks nothing of the answer: a page still being written answers 404, and the report then gives
 * that pair no verdict, saying why.
 */
function workspaceScenario(
  name: string,
  template: string,
  side: 'json' | 'page',
  sub: string,
  path: (w: Workspace) => string,
): Scenario {
  return {
    name,
    method: 'GET',
    path: template,
    async setup(ctx) {
      const w = await workspaceFor(ctx);
      return { path: path(w), headers: await headersOf(ctx, sub, side) };
    },
  };
}

const NAMES = {
  listJson: 'GET /me/competitions (workspace JSON, lead)',
  listPage: 'GET /commissioning (workspace page, lead)',
  bidJson: 'GET /competitions/{id}/bids/{bidId} (workspace JSON, evaluator)',
  bidPage: 'GET /commissioning/{id}/bids/{bidId} (workspace page, evaluator)',
  evaluationJson: `GET /competitions/{id}/evaluation (workspace JSON, lead, ${BIDS} bids)`,
  evaluationPage: `GET /commissioning/{id}/evaluation (workspace page, lead, ${BIDS} bids)`,
} as const;

const EVALUATOR = EVALUATORS[0];

/** The scenarios, each JSON route just before its page, so the two are measured moments apart. */
export const PAGE_SCENARIOS: Scenario[] = [
  workspaceScenario(NAMES.listJson, '/me/competitions', 'json', LEAD, () => '/me/competitions'),
  workspaceScenario(NAMES.listPage, '/commissioning', 'page', LEAD, () => '/commissioning'),
  workspaceScenario(
    NAMES.bidJson,
    '/competitions/ID/bids/BID',
    'json',
    EVALUATOR,
    (w) => `/competitions/${w.id}/bids/${w.bidId}`,
  ),
  workspaceScenario(
    NAMES.bidPage,
    '/commissioning/ID/bids/BID',
    'page',
    EVALUATOR,
    (w) => `/commissioning/${w.id}/bids/${w.bidId}`,
  ),
  workspaceScenario(
    NAMES.evaluationJson,
    '/competitions/ID/evaluation',
    'json',
    LEAD,
    (w) => `/competitions/${w.id}/evaluation`,
  ),
  workspaceScenario(
    NAMES.evaluationPage,
    '/commissioning/ID/evaluation',
    'page',
    LEAD,
    (w) => `/commissioning/${w.id}/evaluation`,
  ),
];

/** The pages beside their JSON routes. */
export const PAGE_ROUTE_PAIRS: PageRoutePair[] = [
  { name: 'competitions list', page: NAMES.listPage, route: NAMES.listJson },
  { name: 'bid page', page: NAMES.bidPage, route: NAMES.bidJson },
  { name: 'evaluation page', page: NAMES.evaluationPage, route: NAMES.evaluationJson },
];
