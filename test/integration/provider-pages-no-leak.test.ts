/**
 * Nothing the wall protects appears on any provider page (issue 15, "Done when"; DESIGN.md §3 and §3a),
 * over DynamoDB Local and the run's local S3 server.
 *
 * One competition is taken through every stage with the real use cases – published (a panel, declarations
 * with a conflict, an exclusion, clarification questions: one unanswered, one answered privately, one
 * published in edited wording), pre-qualification (responses), shortlisting (panel marks), tendering
 * (bids), sealed after the tender deadline, evaluation (scores, justifications, moderation), the award
 * decision in standstill (challenges) and awarded (challenges rejected, award confirmed). Every value the
 * wall protects is a distinctive random token (or an amount of money no other figure shares), so a match is
 * unambiguous.
 *
 * At each stage every GET page route of the provider-facing route tables (`web.ts`,
 * `web-provider-competitions.ts` and the `webOutcomes` pages of `web-outcomes.ts`, read from the tables
 * themselves, so a new page is swept too) whose path can be filled in is rendered through its web function's
 * handler for: an anonymous visitor, the owner and a plain member of another bidding organisation, and the
 * owner of an unrelated organisation. Once awarded, the contract is paid by results (issue 18) with the
 * viewing bidder as the winner's registered sub-contractor: the prime's outcome pages are the not-found page
 * to every viewer, and no participant reference shows anywhere, the sub-contractor's shares included. No response
 * may show a protected value; and so the sweep is not vacuous, each stage also checks what those viewers are
 * allowed to see: the title, the published answers, the bidder's own bid, questions and challenge, its
 * debrief (its own points and the winner's, with the winner's name – `decideAward`'s debrief rules), and the
 * winner and value on the opportunity page once the award is confirmed.
 *
 * What the design lets out is not flagged: the winner's name to bidders from the award decision
 * (debrief) and to everyone once confirmed, the award value once confirmed, a bidder's own data to its own
 * members, and organisations' names in the public directory (and on the consent page whose link names the
 * lead organisation by its directory id).
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as accountHandler } from '../../functions/web/account';
import { handler as applyingHandler } from '../../functions/web/applying';
import { handler as biddingHandler } from '../../functions/web/bidding';
import { handler as contractsHandler } from '../../functions/web/contracts';
import { handler as publicHandler } from '../../functions/web/index';
import { handler as outcomesHandler } from '../../functions/web/outcomes';
import { handler as paymentsHandler } from '../../functions/web/payments';
import { handler as questionsHandler } from '../../functions/web/provider-questions';
import { handler as signInHandler } from '../../functions/web/sign-in';
import { config } from '../../shared/config';
import { outcomeShareRepository, repositories } from '../../shared/db/repositories';
import { questionnaireFor } from '../../shared/domain/prequalification';
import { periodOf } from '../../shared/domain/subcontracting/dates';
import { webRoutes } from '../../shared/http/route-table/web';
import { webOutcomesRoutes } from '../../shared/http/route-table/web-outcomes';
import { webProviderCompetitionsRoutes } from '../../shared/http/route-table/web-provider-competitions';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { decideOutcomeClaim, submitOutcomeClaim } from '../../shared/use-cases/payment-by-results/claims';
import { setPaymentMechanism } from '../../shared/use-cases/payment-by-results/mechanism';
import { recordOutcomeShares } from '../../shared/use-cases/payment-by-results/shares';
import { shortlist } from '../../shared/use-cases/prequalification/evaluate-responses';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { confirmAward, decideAward } from '../../shared/use-cases/tenders/evaluation';
import { CONFIRMATION_STEP, steps } from '../../shared/web/pages/provider/prequalification-form';
import { STEPS as REGISTRATION_STEPS } from '../../shared/web/pages/register';
import { accredit, commissioner, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import {
  amountNeedles,
  applyAll,
  BIDDERS,
  type Bidder,
  bidAll,
  challengeAll,
  markAll,
  publishWalledCompetition,
  rejectAll,
  SCORED_CRITERIA,
  scoreAndModerateAll,
  token,
  wallSecrets,
} from '../support/wall-secrets';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, type PageHandler } from '../support/workspace';

const MINUTE = 60_000;
const DAY = 86_400_000;
const REGION = 'east_of_england' as const;
const SERVICE = 'accommodation' as const;

// ---------------------------------------------------------------------------------------------------------
// The confidential values, each a token (or a random amount); the people on the inside, and one the lead
// excluded: subs and e-mails are the panel's identities.

const secrets = wallSecrets();
const { S, LEAD, E1, E2, E3, MOD, EXCLUDED } = secrets;
const { BIDS, PREQUALIFICATION, MARKS, JUSTIFICATIONS, MODERATION, CHALLENGES } = secrets;

/** The organisations: W wins, R is the rival whose bid is secret, V is the viewing bidder, U took no part. */
type Org = 'W' | 'R' | 'V' | 'U';
const ORG = {
  W: { label: 'Winner', name: `${token('WinnerOrg')} Housing Trust`, owner: user(token('wowner')) },
  R: { label: 'Rival', name: `${token('RivalOrg')} Housing Trust`, owner: user(token('rowner')) },
  V: { label: 'Viewer bidder', name: `${token('ViewerOrg')} Housing Trust`, owner: user(token('vowner')) },
  U: { label: 'Unrelated', name: `${token('UnrelatedOrg')} Housing Trust`, owner: user(token('uowner')) },
} as const;
const V_MEMBER = user(token('vmember'));
const orgIds: Record<Org, string> = { W: '', R: '', V: '', U: '' };

/**
 * Payment by results on the awarded contract (issue 18): the winner W is its prime and names the viewing
 * bidder V as its registered sub-contractor, passing V a share of an outcome payment. Participants are
 * pseudonymous references (UUIDs, matched in any case) that only the prime's members and commissioners may
 * see: never the sub-contractor. The outcome's name only the prime and its sub-contractor see (V on its
 * shares); the claim's note and the decision's reason only the prime and commissioners.
 */
const PBR = {
  refs: [randomUUID(), randomUUID()],
  note: token('CLAIMNOTE'),
  reason: token('DECISIONWHY'),
  outcomeName: `Settled accommodation ${token('OUTCOMENAME')}`,
  commissioner: commissioner(token('pbrvalidator')),
};

// ---------------------------------------------------------------------------------------------------------
// Stages, viewers and the rule for each secret.

const STAGES = [
  'published',
  'prequalification',
  'shortlisting',
  'tendering',
  'sealed',
  'evaluation',
  'standstill',
  'awarded',
] as const;
type Stage = (typeof STAGES)[number];
const atOrAfter = (stage: Stage, from: Stage) => STAGES.indexOf(stage) >= STAGES.indexOf(from);

type Viewer = 'anonymous' | 'bidder owner' | 'bidder member' | 'unrelated owner';
const VIEWERS: Viewer[] = ['anonymous', 'bidder owner', 'bidder member', 'unrelated owner'];
const isBidder = (viewer: Viewer) => viewer === 'bidder owner' || viewer === 'bidder member';

/** A protected value: what betrays it on a page, and when it is protected from whom. */
interface Secret {
  label: string;
  needles: (string | RegExp)[];
  /** An organisation's name: public in the directory, so not a leak on its pages. */
  organisationName?: Org;
  protectedFrom: (viewer: Viewer, stage: Stage) => boolean;
}

const always = () => true;
const fromOutsiders = (viewer: Viewer) => !isBidder(viewer);

const nameNeedle = (org: Org) => ORG[org].name.split(' ')[0] as string;

const SECRETS: Secret[] = [
  { label: 'confidential notes', needles: [S.notes], protectedFrom: always },
  { label: 'budget ceiling', needles: amountNeedles(S.budgetCeilingPence), protectedFrom: always },
  { label: 'pre-tender estimate', needles: amountNeedles(S.preTenderEstimatePence), protectedFrom: always },
  ...[LEAD, E1, E2, E3, MOD].flatMap((p, i) => [
    { label: `panel member ${i} id`, needles: [p.sub], protectedFrom: always },
    { label: `panel member ${i} e-mail`, needles: [p.email.split('@')[0] as string], protectedFrom: always },
  ]),
  {
    label: 'excluded person',
    needles: [EXCLUDED.sub, EXCLUDED.email.split('@')[0] as string],
    protectedFrom: always,
  },
  { label: 'exclusion reason', needles: [S.exclusionReason], protectedFrom: always },
  { label: 'declared conflict', needles: [S.conflictNature], protectedFrom: always },
  { label: "rival's unanswered question", needles: [S.q1Unanswered], protectedFrom: always },
  { label: "rival's privately answered question", needles: [S.q2Private], protectedFrom: always },
  { label: 'private answer to the rival', needles: [S.q2PrivateAnswer], protectedFrom: always },
  { label: "rival's wording of the published question", needles: [S.q3AskedWording], protectedFrom: always },
  { label: "bidder's own question", needles: [S.q4Bidder], protectedFrom: fromOutsiders },
  { label: "rival's name", needles: [nameNeedle('R')], organisationName: 'R', protectedFrom: always },
  {
    label: "winner's name",
    needles: [nameNeedle('W')],
    organisationName: 'W',
    // Bidders learn it from the award decision (debrief); everyone once the award is confirmed.
    protectedFrom: (viewer, stage) =>
      !atOrAfter(stage, 'awarded') && !(isBidder(viewer) && atOrAfter(stage, 'standstill')),
  },
  {
    label: "viewing bidder's name",
    needles: [nameNeedle('V')],
    organisationName: 'V',
    protectedFrom: fromOutsiders,
  },
  ...BIDDERS.flatMap((b): Secret[] => {
    const own = b === 'V' ? fromOutsiders : always;
    return [
      { label: `${b}'s pre-qualification answer`, needles: [PREQUALIFICATION[b]], protectedFrom: own },
      { label: `panel's mark on ${b}'s response`, needles: [MARKS[b]], protectedFrom: always },
      { label: `${b}'s bid (quality)`, needles: [BIDS[b].quality, BIDS[b].social], protectedFrom: own },
      {
        label: `${b}'s price`,
        needles: amountNeedles(BIDS[b].pricePence),
        // The winner's price is the award value, public once the award is confirmed.
        protectedFrom: b === 'W' ? (_viewer, stage) => !atOrAfter(stage, 'awarded') : own,
      },
      {
        label: `evaluators' justifications of ${b}'s bid`,
        needles: [JUSTIFICATIONS[b].E1, JUSTIFICATIONS[b].E2],
        protectedFrom: always,
      },
      { label: `moderation of ${b}'s bid`, needles: [MODERATION[b]], protectedFrom: always },
    ];
  }),
  { label: 'award rationale', needles: [S.awardRationale], protectedFrom: always },
  { label: "rival's challenge grounds", needles: [CHALLENGES.R.grounds], protectedFrom: always },
  { label: "decision on the rival's challenge", needles: [CHALLENGES.R.reasons], protectedFrom: always },
  { label: "bidder's own challenge grounds", needles: [CHALLENGES.V.grounds], protectedFrom: fromOutsiders },
  ...PBR.refs.map(
    (ref, i): Secret => ({
      label: `participant ${i} ref`,
      needles: [new RegExp(ref, 'i')],
      protectedFrom: always,
    }),
  ),
  { label: 'note on a claimed participant', needles: [PBR.note], protectedFrom: always },
  { label: 'decision on the outcome claim', needles: [PBR.reason], protectedFrom: always },
  {
    label: "contract's proxy outcome",
    needles: [PBR.outcomeName.split(' ').at(-1) as string],
    // The sub-contractor (the viewing bidder) sees it on its shares.
    protectedFrom: fromOutsiders,
  },
  {
    label: "decision on the bidder's challenge",
    needles: [CHALLENGES.V.reasons],
    protectedFrom: fromOutsiders,
  },
];

// ---------------------------------------------------------------------------------------------------------
// The pages: every GET page route of the provider-facing tables, by its function's handler.

const HANDLERS: Record<string, PageHandler> = {
  web: publicHandler,
  webAccount: accountHandler,
  webSignIn: signInHandler,
  webContracts: contractsHandler,
  webPayments: paymentsHandler,
  webApplying: applyingHandler,
  webBidding: biddingHandler,
  webQuestions: questionsHandler,
  webOutcomes: outcomesHandler,
};
/** The payment-by-results pages of the provider side (the commissioner's are inside the wall). */
const OUTCOME_ROUTES = webOutcomesRoutes.filter((r) => r.function === 'webOutcomes' && r.method === 'GET');
const PAGE_ROUTES = [...webRoutes, ...webProviderCompetitionsRoutes, ...OUTCOME_ROUTES].filter(
  (r) => r.method === 'GET',
);
/** The routes of one contract: requested once there is a contract. */
const CONTRACT_ROUTES = PAGE_ROUTES.filter((r) => r.path.startsWith('/your-contracts/{id}')).length;

let competitionId = '';
let contractId: string | undefined;
const bidIds: Record<Bidder, string> = { W: '', R: '', V: '' };

/** One request to make: its path parameters and query, and names it may show (the directory's). */
interface Filling {
  params: Record<string, string>;
  query?: Record<string, string>;
  publicNames?: Org[];
}

/** Every way to fill in the route's path for this competition and viewer, or none when it cannot be. */
function fillings(path: string, viewer: Viewer): Filling[] {
  const own = viewer === 'unrelated owner' ? orgIds.U : isBidder(viewer) ? orgIds.V : undefined;
  const id = { id: competitionId };
  if (!path.includes('{')) {
    return [{ params: {}, ...(path.startsWith('/find-a-provider') ? { publicNames: ['W', 'R', 'V'] } : {}) }];
  }
  if (path === '/find-an-opportunity/{id}') return [{ params: id }];
  if (path === '/find-a-provider/{id}')
    return (['W', 'R', 'V'] as const).map((org) => ({ params: { id: orgIds[org] }, publicNames: [org] }));
  if (path === '/register-organisation/{step}')
    return Object.keys(REGISTRATION_STEPS).map((step) => ({ params: { step } }));
  if (path.startsWith('/your-organisation/{id}'))
    return [...(own ? [own] : []), orgIds.R, orgIds.W].map((org) => ({ params: { id: org } }));
  if (path.startsWith('/your-contracts/{id}')) return contractId ? [{ params: { id: contractId } }] : [];
  if (path === '/your-competitions/{id}/prequalification/{step}')
    return [...steps(questionnaireFor('core'), true), CONFIRMATION_STEP].map((step) => ({
      params: { ...id, step },
    }));
  if (path === '/your-competitions/{id}/bid/quality/{criterion}')
    return SCORED_CRITERIA.map((criterion) => ({ params: { ...id, criterion } }));
  if (path === '/your-competitions/{id}/partnership')
    // The consent page names the lead organisation its link gives, from the public registry.
    return [
      { params: id },
      { params: id, query: { lead: orgIds.R }, publicNames: ['R'] },
      { params: id, query: { lead: orgIds.W }, publicNames: ['W'] },
    ];
  if (path.startsWith('/your-competitions/{id}')) return [{ params: id }];
  // An unsubscribe link names a user, never a competition: a made-up token shows the not-found page, and a
  // real one only "Stop these e-mails?" (test/integration/unsubscribe.test.ts).
  if (path === '/unsubscribe/{token}') return [{ params: { token: 'v1.not-a-token.at-all' } }];
  throw new Error(`No way to fill in ${path}: say how this test should request it.`);
}

interface Seen {
  viewer: Viewer;
  routeKey: string;
  path: string;
  status: number;
  body: string;
  publicNames: Org[];
}

/** Renders every page for every viewer at `at` (each signed-in viewer with a session started then). */
async function sweep(at: number): Promise<Seen[]> {
  const now = new Date(at);
  const sessions: Record<Viewer, SignedIn | undefined> = {
    anonymous: undefined,
    'bidder owner': await signedIn(ORG.V.owner.sub, { now }),
    'bidder member': await signedIn(V_MEMBER.sub, { now }),
    'unrelated owner': await signedIn(ORG.U.owner.sub, { now }),
  };
  const seen: Seen[] = [];
  for (const viewer of VIEWERS) {
    for (const route of PAGE_ROUTES) {
      const handler = HANDLERS[route.function];
      if (!handler) throw new Error(`No handler for the ${route.function} function in this test`);
      const routeKey = `${route.method} ${route.path}`;
      for (const filling of fillings(route.path, viewer)) {
        const result = await callPage(handler, routeKey, {
          who: sessions[viewer],
          params: filling.params,
          ...(filling.query ? { query: filling.query } : {}),
          at,
        });
        const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) => filling.params[name] ?? '');
        seen.push({
          viewer,
          routeKey,
          path: filling.query ? `${path}?${new URLSearchParams(filling.query)}` : path,
          status: result.statusCode ?? 200,
          body: result.body,
          publicNames: filling.publicNames ?? [],
        });
      }
    }
  }
  return seen;
}

/** Every protected value a response shows, described for the failure message. */
function leaks(seen: Seen[], stage: Stage): string[] {
  const found: string[] = [];
  for (const page of seen) {
    for (const secret of SECRETS) {
      if (!secret.protectedFrom(page.viewer, stage)) continue;
      if (secret.organisationName && page.publicNames.includes(secret.organisationName)) continue;
      for (const needle of secret.needles) {
        const at = typeof needle === 'string' ? page.body.indexOf(needle) : page.body.search(needle);
        if (at >= 0) {
          const excerpt = page.body.slice(Math.max(0, at - 80), at + 80).replace(/\s+/g, ' ');
          found.push(
            `${stage}: ${page.viewer} ${page.path} (${page.status}) shows ${secret.label}: …${excerpt}…`,
          );
        }
      }
    }
  }
  return found;
}

/** The one response to the viewer for this path. */
function pageOf(seen: Seen[], viewer: Viewer, path: string): Seen {
  const page = seen.find((s) => s.viewer === viewer && s.path === path);
  if (!page) throw new Error(`${path} was not requested for ${viewer}`);
  return page;
}

/** The checks every stage makes: no leak, no broken page, and what the viewers may see is there. */
function expectSweepSound(seen: Seen[], stage: Stage): void {
  expect(leaks(seen, stage)).toEqual([]);
  expect(seen.filter((s) => s.status >= 500).map((s) => `${s.viewer} ${s.path} ${s.status}`)).toEqual([]);
  // Not vacuous: every route was requested for every viewer, signed-in viewers were signed in, and the
  // public page shows the competition and its published answer to everyone.
  expect(new Set(seen.map((s) => s.routeKey)).size).toBeGreaterThanOrEqual(
    PAGE_ROUTES.length - (contractId ? 0 : CONTRACT_ROUTES),
  );
  for (const viewer of VIEWERS) {
    const opportunity = pageOf(seen, viewer, `/find-an-opportunity/${competitionId}`);
    expect(opportunity.status).toBe(200);
    expect(opportunity.body).toContain(TITLE);
    expect(opportunity.body).toContain(S.q3PublishedWording);
    expect(opportunity.body).toContain(S.q3Answer);
    if (viewer !== 'anonymous') expect(pageOf(seen, viewer, '/your-account').status).toBe(200);
  }
  for (const viewer of ['bidder owner', 'bidder member'] as const) {
    const questions = pageOf(seen, viewer, `/your-competitions/${competitionId}/questions`);
    expect(questions.status).toBe(200);
    expect(questions.body).toContain(S.q4Bidder);
    expect(questions.body).toContain(S.q3Answer);
  }
}

const TITLE = `Move-on housing ${token('Title')}`;
let T0 = 0;

beforeAll(async () => {
  await useTestTables();
  T0 = Date.now();
  const now = new Date(T0);
  for (const key of ['W', 'R', 'V', 'U'] as const) {
    orgIds[key] = await verifiedProvider(ORG[key].owner.sub, ORG[key].name, {
      region: REGION,
      service: SERVICE,
    });
    if (key !== 'U') await accredit(ORG[key].owner.sub, orgIds[key]);
  }
  const invitation = await inviteMember(
    repositories(),
    ORG.V.owner,
    orgIds.V,
    { sub: V_MEMBER.sub, role: 'member' },
    now,
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), V_MEMBER, invitation.id, 'accepted', now);
  // The insiders are known to the identity store (sub and e-mail), as after their first sign-in.
  for (const person of [LEAD, E1, E2, E3, MOD, EXCLUDED])
    await signedIn(person.sub, { groups: ['commissioner'], email: person.email, now });
});

// Each stage renders some 200 pages: generous time on a shared two-core machine.
describe('provider pages never show what the wall protects', { timeout: 180_000 }, () => {
  it('when published: the panel, declarations, exclusion and questions stay inside', async () => {
    competitionId = await publishWalledCompetition(secrets, {
      title: TITLE,
      region: REGION,
      service: SERVICE,
      t0: T0,
      rivalOrganisation: orgIds.R,
      rival: ORG.R.owner,
      publishedAsker: ORG.R.owner,
      alsoAsked: [{ by: ORG.V.owner, question: S.q4Bidder }],
    });

    const seen = await sweep(T0 + 5 * MINUTE);
    expectSweepSound(seen, 'published');
  });

  it('in pre-qualification: the applicants and their responses stay sealed', async () => {
    await applyAll(secrets, ORG, competitionId, new Date(T0 + 10 * MINUTE));
    const seen = await sweep(T0 + 15 * MINUTE);
    expectSweepSound(seen, 'prequalification');
    for (const viewer of ['bidder owner', 'bidder member'] as const) {
      expect(pageOf(seen, viewer, '/your-competitions').body).toContain(TITLE);
    }
  });

  it('in shortlisting: the panel’s marks stay inside', async () => {
    const responses = await markAll(secrets, orgIds, competitionId, new Date(T0 + 7 * DAY + 5 * MINUTE));
    expect(responses).toHaveLength(3);
    const seen = await sweep(T0 + 7 * DAY + 10 * MINUTE);
    expectSweepSound(seen, 'shortlisting');
    await shortlist(
      repositories(),
      LEAD,
      competitionId,
      { responseIds: responses.map((r) => r.id) },
      new Date(T0 + 7 * DAY + 20 * MINUTE),
      { minTenderDays: 0 },
    );
  });

  it('while tendering: each bid is its bidder’s alone', async () => {
    Object.assign(bidIds, await bidAll(secrets, ORG, competitionId, new Date(T0 + 7 * DAY + 30 * MINUTE)));
    const seen = await sweep(T0 + 7 * DAY + 40 * MINUTE);
    expectSweepSound(seen, 'tendering');
    expectOwnBidShown(seen);
    // The matcher finds what it looks for: the bidder's own pages, judged as if an outsider saw them.
    const asOutsider = seen
      .filter((s) => s.viewer === 'bidder owner')
      .map((s) => ({ ...s, viewer: 'unrelated owner' as const }));
    const found = leaks(asOutsider, 'tendering').join('\n');
    for (const label of ["V's bid (quality)", "V's price", "bidder's own question", "viewing bidder's name"])
      expect(found).toContain(`shows ${label}`);
  });

  it('sealed after the tender deadline: nothing of the other bids shows', async () => {
    const seen = await sweep(T0 + 14 * DAY + 5 * MINUTE);
    expectSweepSound(seen, 'sealed');
    expectOwnBidShown(seen);
  });

  it('in evaluation: scores, justifications and moderation stay inside', async () => {
    await scoreAndModerateAll(secrets, competitionId, bidIds, new Date(T0 + 14 * DAY + 10 * MINUTE));
    const seen = await sweep(T0 + 14 * DAY + 20 * MINUTE);
    expectSweepSound(seen, 'evaluation');
    expectOwnBidShown(seen);
  });

  it('in standstill: the bidder’s debrief has its own points and the winner’s; challenges stay private', async () => {
    await decideAward(
      repositories(),
      LEAD,
      competitionId,
      { bidId: bidIds.W, rationale: S.awardRationale },
      new Date(T0 + 14 * DAY + 30 * MINUTE),
      { standstillDays: 10 },
    );
    await challengeAll(secrets, ORG, competitionId, new Date(T0 + 14 * DAY + 40 * MINUTE));
    const seen = await sweep(T0 + 14 * DAY + 50 * MINUTE);
    expectSweepSound(seen, 'standstill');
    expectOwnBidShown(seen);
    expectDebrief(seen);
    for (const viewer of ['bidder owner', 'bidder member'] as const) {
      expect(pageOf(seen, viewer, `/your-competitions/${competitionId}/challenge`).body).toContain(
        CHALLENGES.V.grounds,
      );
    }
  });

  it('once awarded: the winner and value are public, and nothing else is', async () => {
    expect(await rejectAll(secrets, orgIds, competitionId, new Date(T0 + 15 * DAY))).toBe(2);
    const confirmed = await confirmAward(
      repositories(),
      LEAD,
      competitionId,
      new Date(T0 + 24 * DAY + 31 * MINUTE),
    );
    contractId = confirmed.contractId;
    await payByResults(contractId, T0 + 24 * DAY + 32 * MINUTE);
    const seen = await sweep(T0 + 24 * DAY + 40 * MINUTE);
    expectSweepSound(seen, 'awarded');
    await expectOutcomesKept(seen, contractId, T0 + 24 * DAY + 40 * MINUTE);
    expectOwnBidShown(seen);
    expectDebrief(seen);
    for (const viewer of VIEWERS) {
      expect(pageOf(seen, viewer, `/find-an-opportunity/${competitionId}`).body).toMatch(
        /govuk-tag[^>]*>Awarded</,
      );
    }
    for (const viewer of ['bidder owner', 'bidder member'] as const) {
      const challenge = pageOf(seen, viewer, `/your-competitions/${competitionId}/challenge`).body;
      expect(challenge).toContain(CHALLENGES.V.grounds);
      expect(challenge).toContain(CHALLENGES.V.reasons);
    }
  });
});

/** The bidding organisation's members see its own bid (so the bid pages were really rendered). */
function expectOwnBidShown(seen: Seen[]): void {
  for (const viewer of ['bidder owner', 'bidder member'] as const) {
    const bidPages = seen
      .filter((s) => s.viewer === viewer && s.routeKey.startsWith('GET /your-competitions/{id}/bid'))
      .map((s) => s.body)
      .join('\n');
    expect(bidPages).toContain(BIDS.V.quality);
    expect(amountNeedles(BIDS.V.pricePence).some((needle) => needle.test(bidPages))).toBe(true);
  }
}

/** The debrief: the bidder's own rank and the winner's name, as `decideAward` wrote it. */
function expectDebrief(seen: Seen[]): void {
  for (const viewer of ['bidder owner', 'bidder member'] as const) {
    const debrief = pageOf(seen, viewer, `/your-competitions/${competitionId}/debrief`);
    expect(debrief.status).toBe(200);
    expect(debrief.body).toContain('It was ranked 3.');
    expect(debrief.body).toContain(nameNeedle('W'));
  }
  for (const viewer of ['anonymous', 'unrelated owner'] as const) {
    expect(pageOf(seen, viewer, `/your-competitions/${competitionId}/debrief`).status).not.toBe(200);
  }
}

/**
 * The awarded contract paid by results (issue 18): W's owner names V as a registered sub-contractor, a
 * commissioner connected to neither sets the mechanism, W's owner claims for two participants (one with a
 * note), the commissioner validates one with a reason, and W's owner passes V a share of the outcome.
 */
async function payByResults(id: string, at: number): Promise<void> {
  const now = new Date(at);
  const deps = { ...repositories(), outcomeShares: outcomeShareRepository() };
  const contract = await repositories().contracts.get(id);
  if (!contract) throw new Error(`No contract ${id}`);
  const period = periodOf(contract.startDate);
  await putSupplyChain(
    deps,
    ORG.W.owner,
    id,
    {
      subcontractors: [
        { ref: 'SUB-V', providerId: orgIds.V, services: [SERVICE], plannedValuePence: 10_000_00 },
      ],
    },
    now,
  );
  await setPaymentMechanism(
    deps,
    PBR.commissioner,
    id,
    {
      fromPeriod: period,
      upfrontPercent: 10,
      proxyOutcomes: [{ id: 'accommodation', name: PBR.outcomeName, tariffPence: 50_000 }],
      reoffending: { binary: { baselineRatePercent: 45, tariffPence: 200_000 }, followUpMonths: 12 },
      tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2 },
    },
    now,
  );
  const claim = await submitOutcomeClaim(
    deps,
    ORG.W.owner,
    id,
    {
      outcomeId: 'accommodation',
      period,
      tier: 'medium',
      participants: PBR.refs.map((ref, i) => ({
        ref,
        evidenceDate: contract.startDate,
        ...(i === 0 ? { note: PBR.note } : {}),
      })),
    },
    now,
  );
  await decideOutcomeClaim(
    deps,
    PBR.commissioner,
    id,
    claim.id,
    { decision: 'partly-validated', validatedRefs: [PBR.refs[0] as string], reason: PBR.reason },
    now,
  );
  await recordOutcomeShares(
    deps,
    ORG.W.owner,
    id,
    { shares: [{ providerId: orgIds.V, outcome: 'accommodation', percent: 25 }] },
    now,
  );
}

/**
 * The prime's outcome pages show nothing of the contract to anyone else – its sub-contractor included: the
 * not-found page, without even the title; the sub-contractor's members see their share on their payments
 * page, and no participant (the sweep's secrets). And so that is not vacuous, the prime's own outcomes page
 * shows what the secrets look for.
 */
async function expectOutcomesKept(seen: Seen[], id: string, at: number): Promise<void> {
  expect(OUTCOME_ROUTES.map((r) => r.path).sort()).toEqual([
    '/your-contracts/{id}/outcomes',
    '/your-contracts/{id}/outcomes/claim',
    '/your-contracts/{id}/outcomes/shares',
    '/your-contracts/{id}/outcomes/statement.csv',
  ]);
  for (const viewer of ['bidder owner', 'bidder member', 'unrelated owner'] as const) {
    for (const route of OUTCOME_ROUTES) {
      const page = pageOf(seen, viewer, route.path.replace('{id}', id));
      expect(page.status, `${viewer} ${page.path}`).toBe(404);
      expect(page.body, `${viewer} ${page.path}`).not.toContain(TITLE);
    }
  }
  for (const viewer of ['bidder owner', 'bidder member'] as const) {
    const payments = pageOf(seen, viewer, '/your-payments');
    expect(payments.body).toContain(`id="shares-${id}"`);
    expect(payments.body).toContain(PBR.outcomeName);
  }
  const prime = await signedIn(ORG.W.owner.sub, { now: new Date(at) });
  const path = `/your-contracts/${id}/outcomes`;
  const own = await callPage(outcomesHandler, 'GET /your-contracts/{id}/outcomes', {
    who: prime,
    params: { id },
    at,
  });
  expect(own.statusCode ?? 200).toBe(200);
  const asOutsider: Seen = {
    viewer: 'unrelated owner',
    routeKey: 'GET /your-contracts/{id}/outcomes',
    path,
    status: 200,
    body: own.body,
    publicNames: [],
  };
  const found = leaks([asOutsider], 'awarded').join('\n');
  // The participant not validated is named so it can be claimed again; the reason is the commissioner's.
  for (const label of ['participant 1 ref', 'decision on the outcome claim', "contract's proxy outcome"])
    expect(found).toContain(`shows ${label}`);
}
