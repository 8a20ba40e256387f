/**
 * Benchmark scenarios of the provider's pages (issue 15): the public opportunity page with 50 published
 * clarification answers and 10 tender documents, and the provider's bid page, each beside its JSON routes
 * and each measured twice – with few and with many other competitions in the database – to show both are
 * flat in the number of other competitions. `BENCH_ONLY=provider-pages npm run bench` runs only these.
 *
 * The same competition is measured both times: first with `FEW` other competitions, then with `MANY`
 * (the rest added between the two halves), so only the amount of other data changes. Every other
 * competition has what the measured one has, smaller: a published answer, a document in S3 and a draft
 * bid from the measured bidder – an index over all questions, documents or a bidder's bids would grow with
 * them, which is what the comparison would catch.
 *
 * The opportunity page shows what three JSON routes answer – `GET /competitions/{id}`,
 * `GET /competitions/{id}/questions?limit=100` (all 50 answers, as the page shows them) and
 * `GET /competitions/{id}/documents` – so it is compared with the three together: its p50 with the sum of
 * theirs (a client needs all three answers to show the same, and the page does the same reads in one
 * request), and its storage calls with their sum (at most: reading the competition once for the three is
 * allowed, not required). All anonymous: the page is the same for everyone, and signed in it only adds the
 * session and the viewer's memberships. The bid page is compared with `GET /competitions/{id}/bid` alone,
 * for the same bidder (a web session for the page, a bearer token for the route).
 *
 * Everything is written through the use cases (and the files through their presigned PUTs to the local S3
 * server that the local stack starts, as `npm start` does).
 */
import { config } from '../shared/config';
import { withSharedProviderData } from '../shared/db/provider-data';
import { localIdentityStore, repositories, sessionRepository } from '../shared/db/repositories';
import type { Principal } from '../shared/domain/principal';
import { documentStorage } from '../shared/storage/documents';
import { createCompetition } from '../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../shared/use-cases/competitions/publish-competition';
import { declare } from '../shared/use-cases/competitions/wall-management';
import {
  addDocument,
  addDocumentVersion,
  confirmUpload,
} from '../shared/use-cases/documents/upload-document';
import { answerQuestion } from '../shared/use-cases/questions/answer-question';
import { askQuestion } from '../shared/use-cases/questions/ask-question';
import { signInLocally } from '../shared/use-cases/sessions/local-sign-in';
import { saveDraft, submitBid } from '../shared/use-cases/tenders/bidder';
import { sessionCookie } from '../shared/web/session';
import { compareFlatCost, type FlatCostComparison } from './flat-cost';
import { comparePageToRoute, type PageRouteComparison, type PageRouteSide } from './page-cost';
import type { RouteReport } from './report';
import type { BenchContext, FlatCostPair, Scenario } from './scenarios';
import { provider } from './scenarios-competitions';

/** Other competitions in the database for the first half of the scenarios. */
const FEW = 10;
/** Other competitions in the database for the second half. */
const MANY = 1_000;
const ANSWERS = 50;
const DOCUMENTS = 10;
/** Documents of the measured competition that also have an earlier version (shown on the page). */
const REVISED = 3;
/** Providers asking the measured competition's questions (asking is per organisation). */
const ASKERS = 5;
/** Set-up operations in flight at once: enough to keep DynamoDB Local busy, not so many it queues. */
const PARALLEL = 8;

const LEAD_SUB = 'bench-provider-pages-lead';
const BIDDER_SUB = 'bench-provider-pages-bidder';
const lead: Principal = { kind: 'user', sub: LEAD_SUB, email: undefined, groups: ['commissioner'] };
const bidder: Principal = { kind: 'user', sub: BIDDER_SUB, email: undefined, groups: [] };
const REGION = 'north_west' as const;
const SERVICE = 'education_training_employment' as const;

const criteria = [
  { id: 'delivery', name: 'Service delivery', kind: 'quality' as const, weight: 50 },
  { id: 'social-value', name: 'Social value', kind: 'quality' as const, weight: 20 },
  { id: 'price', name: 'Price', kind: 'price' as const, weight: 30 },
];

// A small but real PDF body: the presigned PUT is signed for its exact type and length.
const PDF = Buffer.from('%PDF-1.4\n% a benchmark tender document\n%%EOF\n', 'latin1');
const KINDS = ['specification', 'contract_terms', 'pricing_schedule', 'other'] as const;

const documentDeps = () => ({ ...repositories(), storage: documentStorage() });

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

/** A published tier-none competition, tendering for 30 days (questions stay open 25), its lead declared. */
async function openCompetition(title: string): Promise<string> {
  const competition = await createCompetition(
    repositories(),
    lead,
    {
      title,
      description: 'Benchmark data.',
      services: [SERVICE],
      regions: [REGION],
      estimatedValuePence: 60_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      criteria,
    },
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
  // Answering and uploading are inside actions: the lead must have declared.
  await declare(repositories(), lead, competition.id, [], new Date());
  return competition.id;
}

/** `asker` asks a question and the lead answers it to all. */
async function publishedAnswer(id: string, asker: Principal, n: number): Promise<void> {
  const asked = await askQuestion(
    repositories(),
    asker,
    id,
    { question: `Question ${n}: may the service be delivered with a partner in the region?` },
    new Date(),
    config().rules,
  );
  await answerQuestion(
    repositories(),
    lead,
    id,
    asked.id,
    {
      answer: `Answer ${n}: yes, named as a sub-contractor in the bid, with its share of the work.`,
      audience: 'all',
      publishedQuestion: `Question ${n}: may the service be delivered with a partner?`,
    },
    new Date(),
  );
}

/** A document recorded through the use case, its file stored by the presigned PUT it answered, confirmed. */
async function uploadedDocument(id: string, n: number, documentId?: string): Promise<string> {
  const input = {
    title: `Tender document ${n}`,
    kind: KINDS[n % KINDS.length] ?? 'other',
    fileName: `document-${n}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: PDF.length,
  };
  const ticket = documentId
    ? await addDocumentVersion(documentDeps(), lead, id, documentId, input, new Date(), config().documents)
    : await addDocument(documentDeps(), lead, id, input, new Date(), config().documents);
  const stored = await fetch(ticket.uploadUrl, {
    method: 'PUT',
    body: PDF,
    headers: { 'content-type': 'application/pdf' },
  });
  await stored.arrayBuffer();
  if (stored.status !== 200) throw new Error(`the local S3 server refused a document: ${stored.status}`);
  // The version becomes current (listed, recorded by bids) once confirmed, as a client confirms it.
  await confirmUpload(
    documentDeps(),
    lead,
    id,
    ticket.documentId,
    ticket.version,
    new Date(),
    config().documents,
  );
  return ticket.documentId;
}

/** The bidder's draft (and, when `submit`, a submitted version with a later draft beside it). */
async function bidOn(id: string, submit: boolean): Promise<void> {
  const deps = withSharedProviderData(repositories());
  const content = (pricePence: number) => ({
    pricePence,
    qualityResponses: { delivery: 'Our delivery plan.', 'social-value': 'Local employment.' },
    subcontractors: [],
    consortium: [],
  });
  await saveDraft(deps, bidder, id, content(55_000_00), new Date());
  if (!submit) return;
  await submitBid(deps, bidder, id, undefined, new Date());
  await saveDraft(deps, bidder, id, content(54_000_00), new Date());
}

/** Other competitions, numbered from `from`: each with a published answer, a document and a draft bid. */
async function otherCompetitions(ctx: BenchContext, from: number, to: number): Promise<void> {
  ctx.log(`adding other competitions ${from + 1} to ${to} (an answer, a document and a draft bid each)`);
  const asker: Principal = {
    kind: 'user',
    sub: 'bench-provider-pages-asker-0',
    email: undefined,
    groups: [],
  };
  await inParallel(to - from, async (i) => {
    const n = from + i;
    const id = await openCompetition(`Bench other competition ${n}`);
    await publishedAnswer(id, asker, n);
    await uploadedDocument(id, n);
    await bidOn(id, false);
    if ((i + 1) % 100 === 0) ctx.log(`  ${n + 1} of ${to} other competitions`);
  });
}

/** The measured competition: its id. */
interface Measured {
  id: string;
}

/** The measured competition with its answers, documents and bid, and `FEW` others. */
async function measuredCompetition(ctx: BenchContext): Promise<Measured> {
  ctx.log(`registering the bidder and ${ASKERS} asking providers`);
  await provider(BIDDER_SUB, 'Bench provider pages bidder', REGION, SERVICE);
  const askers: Principal[] = [];
  for (let a = 0; a < ASKERS; a += 1) {
    const sub = `bench-provider-pages-asker-${a}`;
    await provider(sub, `Bench provider pages asker ${a}`, REGION, SERVICE);
    askers.push({ kind: 'user', sub, email: undefined, groups: [] });
  }
  const id = await openCompetition('Bench provider pages tender');
  ctx.log(`${ANSWERS} published answers and ${DOCUMENTS} documents (${REVISED} with two versions)`);
  // In order, so they are published in the order asked, as a real log would be.
  for (let n = 0; n < ANSWERS; n += 1) {
    await publishedAnswer(id, askers[n % ASKERS] as Principal, n);
  }
  for (let n = 0; n < DOCUMENTS; n += 1) {
    const documentId = await uploadedDocument(id, n);
    if (n < REVISED) await uploadedDocument(id, n, documentId);
  }
  await bidOn(id, true);
  await otherCompetitions(ctx, 0, FEW);
  return { id };
}

let measured: Promise<Measured> | undefined;
let grown: Promise<Measured> | undefined;

/** The measured competition with `FEW` others (made once). */
function withFew(ctx: BenchContext): Promise<Measured> {
  measured ??= measuredCompetition(ctx);
  return measured;
}

/** The same competition once `MANY` others exist (added once, after the first half is measured). */
function withMany(ctx: BenchContext): Promise<Measured> {
  grown ??= withFew(ctx).then(async (m) => {
    await otherCompetitions(ctx, FEW, MANY);
    return m;
  });
  return grown;
}

/** The `Cookie` header of a web session for `sub`, started as the local developer sign-in starts one. */
async function sessionCookieHeader(sub: string): Promise<string> {
  const now = new Date();
  const session = await signInLocally(
    { sessions: sessionRepository(), identities: localIdentityStore() },
    { sub, email: undefined, groups: [] },
    now,
  );
  return (await sessionCookie(session, now)).split(';')[0] ?? '';
}

type Size = 'few' | 'many';
type Viewer = 'anonymous' | 'bidder JSON' | 'bidder page';

const others = (size: Size) => `${size === 'few' ? FEW : MANY.toLocaleString('en-GB')} other competitions`;

/** One scenario: `path` from the measured competition's id, as `viewer`, with `size` others. */
function providerScenario(
  label: string,
  template: string,
  size: Size,
  viewer: Viewer,
  path: (id: string) => string,
): Scenario {
  return {
    name: `${label} (provider-pages, ${viewer}, ${others(size)})`,
    method: 'GET',
    path: template,
    async setup(ctx) {
      const { id } = await (size === 'few' ? withFew(ctx) : withMany(ctx));
      const headers: Record<string, string> =
        viewer === 'bidder JSON'
          ? { authorization: `Bearer ${await ctx.token({ sub: BIDDER_SUB })}` }
          : viewer === 'bidder page'
            ? { cookie: await sessionCookieHeader(BIDDER_SUB) }
            : {};
      return { path: path(id), headers };
    },
  };
}

/** The scenarios of one size, each page just after its JSON routes, so they are measured moments apart. */
function scenariosOf(size: Size) {
  const s = {
    competition: providerScenario(
      'GET /competitions/{id}',
      '/competitions/ID',
      size,
      'anonymous',
      (id) => `/competitions/${id}`,
    ),
    questions: providerScenario(
      `GET /competitions/{id}/questions (${ANSWERS} answers)`,
      '/competitions/ID/questions?limit=100',
      size,
      'anonymous',
      (id) => `/competitions/${id}/questions?limit=100`,
    ),
    documents: providerScenario(
      `GET /competitions/{id}/documents (${DOCUMENTS} documents)`,
      '/competitions/ID/documents',
      size,
      'anonymous',
      (id) => `/competitions/${id}/documents`,
    ),
    opportunityPage: providerScenario(
      'GET /find-an-opportunity/{id}',
      '/find-an-opportunity/ID',
      size,
      'anonymous',
      (id) => `/find-an-opportunity/${id}`,
    ),
    bid: providerScenario(
      'GET /competitions/{id}/bid',
      '/competitions/ID/bid',
      size,
      'bidder JSON',
      (id) => `/competitions/${id}/bid`,
    ),
    bidPage: providerScenario(
      'GET /your-competitions/{id}/bid',
      '/your-competitions/ID/bid',
      size,
      'bidder page',
      (id) => `/your-competitions/${id}/bid`,
    ),
  };
  return s;
}

const FEW_SCENARIOS = scenariosOf('few');
const MANY_SCENARIOS = scenariosOf('many');

/** The scenarios: all of the few-others half, then all of the many-others half. */
export const PROVIDER_PAGE_SCENARIOS: Scenario[] = [
  ...Object.values(FEW_SCENARIOS),
  ...Object.values(MANY_SCENARIOS),
];

/** Few against many other competitions, for both pages and every JSON route beside them. */
export const PROVIDER_PAGE_FLAT_COST_PAIRS: FlatCostPair[] = (
  [
    ['opportunity page', 'opportunityPage'],
    ['bid page', 'bidPage'],
    ['GET /competitions/{id} (beside the opportunity page)', 'competition'],
    ['GET /competitions/{id}/questions (beside the opportunity page)', 'questions'],
    ['GET /competitions/{id}/documents (beside the opportunity page)', 'documents'],
    ['GET /competitions/{id}/bid (beside the bid page)', 'bid'],
  ] as const
).map(([name, key]) => ({
  name: `${name}, ${others('few')} vs ${others('many')}`,
  small: FEW_SCENARIOS[key].name,
  large: MANY_SCENARIOS[key].name,
}));

/** A page beside the JSON routes that together answer what it shows. */
interface CompositePair {
  name: string;
  page: string;
  routes: string[];
  /** Whether the page may make fewer storage calls than the routes together (it reads shared data once). */
  fewerCallsAllowed: boolean;
}

const compositePairs = (size: Size): CompositePair[] => {
  const s = size === 'few' ? FEW_SCENARIOS : MANY_SCENARIOS;
  return [
    {
      name: `opportunity page vs the sum of its 3 routes (calls: at most theirs), ${others(size)}`,
      page: s.opportunityPage.name,
      routes: [s.competition.name, s.questions.name, s.documents.name],
      fewerCallsAllowed: true,
    },
    {
      name: `bid page, ${others(size)}`,
      page: s.bidPage.name,
      routes: [s.bid.name],
      fewerCallsAllowed: false,
    },
  ];
};

function sideOf(route: RouteReport): PageRouteSide {
  return {
    name: route.name,
    p50: route.latency.latency.p50,
    serviceCalls: route.storage.serviceCalls,
    sessionCalls: route.storage.sessionCalls,
    succeeded: route.storage.statuses.every((status) => status >= 200 && status < 300),
  };
}

const sumOrNull = (values: (number | null)[]) =>
  values.some((value) => value === null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);

/**
 * The pages beside their JSON routes, for every pair whose scenarios were all measured: the routes of a
 * page that shows several are taken together (p50s and storage calls summed).
 */
export function providerPageComparisons(routes: RouteReport[]): PageRouteComparison[] {
  const comparisons: PageRouteComparison[] = [];
  for (const pair of [...compositePairs('few'), ...compositePairs('many')]) {
    const page = routes.find((route) => route.name === pair.page);
    const parts = pair.routes.map((name) => routes.find((route) => route.name === name));
    if (!page || parts.some((part) => !part)) continue;
    const sides = (parts as RouteReport[]).map(sideOf);
    const together: PageRouteSide = {
      name: sides.map((side) => side.name).join(' + '),
      p50: sides.reduce((sum, side) => sum + side.p50, 0),
      serviceCalls: sumOrNull(sides.map((side) => side.serviceCalls)),
      sessionCalls: sumOrNull(sides.map((side) => side.sessionCalls)),
      succeeded: sides.every((side) => side.succeeded),
    };
    const pageSide = sideOf(page);
    const comparison = comparePageToRoute(
      { name: pair.name, page: pair.page, route: together.name },
      pageSide,
      together,
    );
    if (pair.fewerCallsAllowed && comparison.callsPass !== null) {
      comparison.callsPass =
        pageSide.serviceCalls !== null &&
        together.serviceCalls !== null &&
        pageSide.serviceCalls <= together.serviceCalls;
    }
    comparisons.push(comparison);
  }
  return comparisons;
}

/** The few-against-many comparisons whose two scenarios were both measured. */
export function providerFlatCostComparisons(routes: RouteReport[]): FlatCostComparison[] {
  const comparisons: FlatCostComparison[] = [];
  for (const pair of PROVIDER_PAGE_FLAT_COST_PAIRS) {
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
