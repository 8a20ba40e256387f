/**
 * A competition full of what the ethical wall protects, for the tests that nothing protected leaks
 * (`provider-pages-no-leak` to the provider pages, `publication-no-leak` to the OCDS feed): every protected
 * value is a distinctive random token (or an amount of money no other figure shares), so a match is
 * unambiguous; and the stages that put them in, through the real use cases over DynamoDB Local.
 *
 * The lead and panel are `wallInsiders()`; three organisations bid: W wins, R is the rival whose bid is
 * secret, V is the bidder whose side a test may take.
 */
import { randomBytes } from 'node:crypto';
import { config } from '../../shared/config';
import type { PrequalificationResponse } from '../../shared/db/prequalification';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import type { Region, Service } from '../../shared/domain/reference-data';
import { raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { decideChallenge } from '../../shared/use-cases/challenges/inside';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare, excludeFromWall, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { markResponse } from '../../shared/use-cases/prequalification/evaluate-responses';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { moderateBid, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import { competitionBody } from './competitions';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** A distinctive random token: letters of its label, then random hex. */
export const token = (label: string) => `${label}${randomBytes(6).toString('hex')}`;

/** An amount of pence in [from, from + £1,000), random, so no other figure shares it. */
export const amount = (fromPence: number) => fromPence + 1 + Math.floor(Math.random() * 99_998);

/**
 * How an amount may be written on a page, in JSON or in text: pence, pounds as a number, with pence, with
 * or without separators, and whole pounds with or without separators; none inside a longer number.
 */
export function amountNeedles(pence: number): RegExp[] {
  const pounds = pence / 100;
  const forms = new Set([
    String(pence),
    String(pounds),
    pounds.toFixed(2),
    pounds.toLocaleString('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
    String(Math.round(pounds)),
    Math.round(pounds).toLocaleString('en-GB'),
  ]);
  return [...forms].map(
    (form) => new RegExp(`(?<![\\w.,-])${form.replace(/[.,]/g, '\\$&')}(?![\\w-]|[.,]\\d)`),
  );
}

/** A commissioner on the inside (or excluded from it): the sub and e-mail address are tokens too. */
const insider = (label: string): UserPrincipal & { email: string } => ({
  kind: 'user',
  sub: token(`${label}sub`),
  email: `${token(`${label}mail`)}@justice.example.gov.uk`,
  groups: ['commissioner'],
});

/** The bidding organisations. */
export type Bidder = 'W' | 'R' | 'V';
export const BIDDERS: Bidder[] = ['W', 'R', 'V'];

/** The criteria of `competitionBody` that are scored. */
export const SCORED_CRITERIA = ['quality', 'social-value'] as const;

/** A fresh set of protected values: the competition's, its insiders', and each bidder's. */
export function wallSecrets() {
  const S = {
    notes: token('CONFNOTES'),
    budgetCeilingPence: amount(612_000_00),
    preTenderEstimatePence: amount(587_000_00),
    awardRationale: token('AWARDWHY'),
    exclusionReason: token('EXCLWHY'),
    conflictNature: token('CONFLICTNATURE'),
    q1Unanswered: token('QUNANSWERED'),
    q2Private: token('QPRIVATE'),
    q2PrivateAnswer: token('APRIVATE'),
    q3AskedWording: token('QASKEDWORDING'),
    q3PublishedWording: token('QPUBLISHED'),
    q3Answer: token('APUBLISHED'),
    q4Bidder: token('QBIDDEROWN'),
  } as const;
  /** What each bidder puts in: its answers are tokens, its price a random amount; W cheapest, V dearest. */
  const BIDS = {
    W: {
      quality: token('WBIDQUALITY'),
      social: token('WBIDSOCIAL'),
      pricePence: amount(455_000_00),
      score: 5,
    },
    R: {
      quality: token('RBIDQUALITY'),
      social: token('RBIDSOCIAL'),
      pricePence: amount(470_000_00),
      score: 4,
    },
    V: {
      quality: token('VBIDQUALITY'),
      social: token('VBIDSOCIAL'),
      pricePence: amount(485_000_00),
      score: 3,
    },
  } as const;
  const tokens = (label: string) =>
    Object.fromEntries(BIDDERS.map((b) => [b, token(`${b}${label}`)])) as Record<Bidder, string>;
  return {
    S,
    LEAD: insider('lead'),
    E1: insider('evaluatorone'),
    E2: insider('evaluatortwo'),
    E3: insider('conflicted'),
    MOD: insider('moderator'),
    EXCLUDED: insider('excluded'),
    BIDS,
    PREQUALIFICATION: tokens('PQANSWER'),
    MARKS: tokens('MARKNOTE'),
    JUSTIFICATIONS: Object.fromEntries(
      BIDDERS.map((b) => [b, { E1: token(`${b}JUSTIFYONE`), E2: token(`${b}JUSTIFYTWO`) }]),
    ) as Record<Bidder, { E1: string; E2: string }>,
    MODERATION: tokens('MODERATED'),
    CHALLENGES: {
      R: { grounds: token('RCHALLENGEGROUNDS'), reasons: token('RCHALLENGEREASONS') },
      V: { grounds: token('VCHALLENGEGROUNDS'), reasons: token('VCHALLENGEREASONS') },
    },
  } as const;
}

/** The protected values of one test file. */
export type WallSecrets = ReturnType<typeof wallSecrets>;

/** Each bidder's owner. */
export type Owners = Record<Bidder, { owner: UserPrincipal }>;

const rules = () => config().rules;
const providerData = () => withSharedProviderData(repositories());

/**
 * Creates the competition at `t0` (pre-qualification closing in 7 days, tenders in 14) with the confidential
 * values, sets the panel (E1, E2 and the conflicted E3; MOD moderates) and publishes it; a minute later the
 * lead, E1, E2 and MOD declare no conflict, E3 declares one with R, and the lead excludes EXCLUDED. Two
 * minutes after `t0` R asks a question left unanswered and one answered to it alone, `publishedAsker` the
 * one answered to all in other words, then each of `alsoAsked`; the answers come a minute later.
 * @returns the competition's id
 */
export async function publishWalledCompetition(
  secrets: WallSecrets,
  options: {
    title: string;
    region: Region;
    service: Service;
    t0: number;
    /** R's organisation, the one E3 declares a conflict with. */
    rivalOrganisation: string;
    rival: UserPrincipal;
    publishedAsker: UserPrincipal;
    alsoAsked?: { by: UserPrincipal; question: string }[];
  },
): Promise<string> {
  const { S, LEAD, E1, E2, E3, MOD, EXCLUDED } = secrets;
  const at = (minutes: number) => new Date(options.t0 + minutes * MINUTE);
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title: options.title,
      regions: [options.region],
      services: [options.service],
      prequalificationDeadline: new Date(options.t0 + 7 * DAY).toISOString(),
      tenderDeadline: new Date(options.t0 + 14 * DAY).toISOString(),
      confidential: {
        budgetCeilingPence: S.budgetCeilingPence,
        preTenderEstimatePence: S.preTenderEstimatePence,
        notes: S.notes,
      },
    }) as never,
    at(0),
    rules(),
  );
  const competitionId = created.id;
  await setPanel(
    repositories(),
    LEAD,
    competitionId,
    { evaluators: [E1.sub, E2.sub, E3.sub], moderator: MOD.sub },
    at(0),
    rules().evaluation,
  );
  await publishCompetition(repositories(), LEAD, competitionId, at(0), rules());
  for (const person of [LEAD, E1, E2, MOD]) await declare(repositories(), person, competitionId, [], at(1));
  await declare(
    repositories(),
    E3,
    competitionId,
    [{ organisationId: options.rivalOrganisation, nature: S.conflictNature }],
    at(1),
  );
  await excludeFromWall(
    repositories(),
    LEAD,
    competitionId,
    { sub: EXCLUDED.sub, reason: S.exclusionReason },
    at(1),
  );
  const ask = (who: UserPrincipal, question: string) =>
    askQuestion(repositories(), who, competitionId, { question }, at(2), rules());
  await ask(options.rival, S.q1Unanswered);
  const privately = await ask(options.rival, S.q2Private);
  const published = await ask(options.publishedAsker, S.q3AskedWording);
  for (const { by, question } of options.alsoAsked ?? []) await ask(by, question);
  await answerQuestion(
    repositories(),
    LEAD,
    competitionId,
    privately.id,
    { answer: S.q2PrivateAnswer, audience: 'asker' },
    at(3),
  );
  await answerQuestion(
    repositories(),
    LEAD,
    competitionId,
    published.id,
    { answer: S.q3Answer, audience: 'all', publishedQuestion: S.q3PublishedWording },
    at(3),
  );
  return competitionId;
}

/** Each bidder applies, its pre-qualification answer the token `PREQUALIFICATION` holds for it. */
export async function applyAll(
  secrets: WallSecrets,
  owners: Owners,
  competitionId: string,
  at: Date,
): Promise<void> {
  for (const b of BIDDERS) {
    await submitResponse(
      providerData(),
      owners[b].owner,
      competitionId,
      { answers: { 'technical.relevant-experience': secrets.PREQUALIFICATION[b] } },
      at,
    );
  }
}

/** E1 passes every response, each with the bidder's `MARKS` note. @returns the responses */
export async function markAll(
  secrets: WallSecrets,
  organisations: Record<Bidder, string>,
  competitionId: string,
  at: Date,
): Promise<PrequalificationResponse[]> {
  const responses = await repositories().prequalification.responses(competitionId);
  for (const response of responses) {
    const b = BIDDERS.find((key) => organisations[key] === response.providerId) as Bidder;
    await markResponse(
      repositories(),
      secrets.E1,
      competitionId,
      response.id,
      { result: 'pass', comment: secrets.MARKS[b] },
      at,
    );
  }
  return responses;
}

/**
 * Each bidder saves its bid (`BIDS`: answers, price) and submits it, naming the sub-contractors
 * `subcontractorsOf` gives it (none by default). @returns each bidder's bid id
 */
export async function bidAll(
  secrets: WallSecrets,
  owners: Owners,
  competitionId: string,
  at: Date,
  subcontractorsOf: (b: Bidder) => { name: string; services: Service[]; sharePercent: number }[] = () => [],
): Promise<Record<Bidder, string>> {
  const bidIds: Record<Bidder, string> = { W: '', R: '', V: '' };
  for (const b of BIDDERS) {
    const bid = secrets.BIDS[b];
    await saveDraft(
      providerData(),
      owners[b].owner,
      competitionId,
      {
        pricePence: bid.pricePence,
        qualityResponses: { quality: bid.quality, 'social-value': bid.social },
        subcontractors: subcontractorsOf(b),
        consortium: [],
      },
      at,
    );
    bidIds[b] = (await submitBid(providerData(), owners[b].owner, competitionId, undefined, at)).bidId;
  }
  return bidIds;
}

/**
 * E1 and E2 score every bid (each bidder's `BIDS` score on both criteria, with their `JUSTIFICATIONS`), and
 * MOD moderates each to the same score with the bidder's `MODERATION` rationale.
 */
export async function scoreAndModerateAll(
  secrets: WallSecrets,
  competitionId: string,
  bidIds: Record<Bidder, string>,
  at: Date,
): Promise<void> {
  const { E1, E2, MOD, BIDS, JUSTIFICATIONS, MODERATION } = secrets;
  for (const b of BIDDERS) {
    for (const [key, evaluator] of [
      ['E1', E1],
      ['E2', E2],
    ] as const) {
      await scoreBid(
        repositories(),
        evaluator,
        competitionId,
        bidIds[b],
        SCORED_CRITERIA.map((criterionId) => ({
          criterionId,
          score: BIDS[b].score,
          justification: JUSTIFICATIONS[b][key],
        })),
        at,
      );
    }
    await moderateBid(
      repositories(),
      MOD,
      competitionId,
      bidIds[b],
      SCORED_CRITERIA.map((criterionId) => ({ criterionId, score: BIDS[b].score, rationale: MODERATION[b] })),
      at,
      rules().evaluation,
    );
  }
}

/** R and V challenge the award decision, each on its `CHALLENGES` grounds. */
export async function challengeAll(
  secrets: WallSecrets,
  owners: Owners,
  competitionId: string,
  at: Date,
): Promise<void> {
  for (const b of ['R', 'V'] as const) {
    await raiseChallenge(
      providerData(),
      owners[b].owner,
      competitionId,
      { grounds: secrets.CHALLENGES[b].grounds },
      at,
    );
  }
}

/**
 * The lead rejects every challenge, each with its challenger's `CHALLENGES` reasons.
 * @returns how many challenges there were
 */
export async function rejectAll(
  secrets: WallSecrets,
  organisations: Record<Bidder, string>,
  competitionId: string,
  at: Date,
): Promise<number> {
  const challenges = await repositories().challenges.list(competitionId, { limit: 25 });
  for (const challenge of challenges.items) {
    const b = challenge.providerId === organisations.R ? 'R' : 'V';
    await decideChallenge(
      repositories(),
      secrets.LEAD,
      competitionId,
      challenge.id,
      { outcome: 'rejected', reasons: secrets.CHALLENGES[b].reasons },
      at,
    );
  }
  return challenges.items.length;
}
