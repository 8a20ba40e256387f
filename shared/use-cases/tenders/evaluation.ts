/**
 * The commissioning side of a tender, all through the ethical wall: insiders read sealed bids after the
 * deadline, evaluators score independently (each sees only their own scores until a bid is moderated), the
 * moderator agrees final scores, the evaluation ranks the bids, and the lead decides the award, starting
 * the standstill period, then confirms it, which lets the contract.
 */
import { ulid } from 'ulid';
import type { DomainRules } from '../../config';
import type { TransactItem } from '../../db/audit';
import type {
  BidHead,
  BidRepository,
  Debrief,
  EvaluatorScores,
  ModeratedScores,
  PriceClarification,
} from '../../db/bids';
import type { ChallengeGuard } from '../../db/challenges';
import type { CompetitionState } from '../../db/competitions';
import type { OutboxRepository } from '../../db/outbox';
import type { PublicationRepository } from '../../db/publication';
import {
  type Competition,
  type CompetitionStatus,
  effectiveStatus,
  type PublicCompetition,
  publicView,
} from '../../domain/competitions';
import type { Contract } from '../../domain/contracts';
import { govukDateTime, lastDayOfTerm } from '../../domain/dates';
import {
  ChallengeOpenError,
  ConflictError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import {
  awardRefusal,
  type EvaluationRules,
  independentScores,
  moderationsInForce,
} from '../../domain/evaluation-rules';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import {
  type CompetitionAction,
  type CompetitionResource,
  type CompetitionRole,
  decideCompetitionAccess,
  requireUser,
  type WallFacts,
} from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { listedContract } from '../../domain/publication/listed-contracts';
import { publicTenderFacts } from '../../domain/publication/projection';
import { awardRelease, contractRelease } from '../../domain/publication/releases';
import { type Evaluation, evaluate, scoreIssues } from '../../domain/scoring';
import { loadCompetitionState, passWall, recordChange, type WallDeps } from '../competitions/wall';
import { seatStandings } from '../competitions/wall-management';
import {
  commitWithReleases,
  type PartyDeps,
  type PublicationDeps,
  publicOrganisationOf,
  publicOrganisations,
} from '../publication/publish';

/** Creates the contract of a confirmed award in the same transaction. */
export interface ContractWriter {
  createItems(contract: Contract): TransactItem[];
}

/** What the evaluation use cases need. */
export type EvaluationDeps = WallDeps & {
  bids: BidRepository;
  contracts: ContractWriter;
  /** Standstill challenges (issue 15): an open one blocks the award's confirmation. */
  challenges: ChallengeGuard;
};

/**
 * What the award decision and its confirmation need besides: they publish their OCDS releases, naming the
 * tenderers and the supplier from the registry.
 */
export type AwardDeps = EvaluationDeps &
  PublicationDeps &
  PartyDeps & {
    // The contract over £10,000 an award lets is listed for the transparency CSV with it.
    publication: Pick<PublicationRepository, 'listedContractItems'>;
    /** Where the award decision's outcome events go, in its transaction. */
    outbox: Pick<OutboxRepository, 'eventItems'>;
  };

/** A bid as insiders see it. */
export interface InsiderBid {
  bidId: string;
  providerId: string;
  providerName: string;
  status: 'submitted' | 'withdrawn';
  version: number;
  submittedAt: string;
  pricePence: number;
  qualityResponses: Record<string, string>;
  subcontractors: BidHead['content']['subcontractors'];
  consortium: BidHead['content']['consortium'];
  /** The caller's own scores, or everyone's for the moderator and the lead, or once the bid is moderated. */
  scores: EvaluatorScores[];
  moderated: ModeratedScores | null;
}

function toInsiderBid(
  head: BidHead,
  scores: EvaluatorScores[],
  moderated: ModeratedScores | undefined,
): InsiderBid {
  return {
    bidId: head.bidId,
    providerId: head.providerId,
    providerName: head.providerName,
    status: head.status,
    version: head.version,
    submittedAt: head.submittedAt,
    pricePence: head.content.pricePence,
    qualityResponses: head.content.qualityResponses,
    subcontractors: head.content.subcontractors,
    consortium: head.content.consortium,
    scores,
    moderated: moderated ?? null,
  };
}

/** Which evaluator scores a caller may see for a bid: only their own until it is moderated. */
function visibleScores(
  role: CompetitionRole,
  sub: string,
  all: EvaluatorScores[],
  moderated: boolean,
): EvaluatorScores[] {
  if (role === 'lead' || role === 'moderator' || moderated) return all;
  return all.filter((s) => s.evaluator === sub);
}

async function insideBids(deps: EvaluationDeps, state: CompetitionState) {
  const heads = await deps.bids.listHeads(state.competition.id);
  const data = await deps.bids.evaluationData(state.competition.id);
  return { heads, ...data };
}

/**
 * What the web pages show around the bids, beside what the JSON routes answer: the competition as anyone
 * may see it (its title, criteria and deadlines), and what the policy module lets the caller do, so a page
 * offers only the forms its reader may send (the use case still decides when one is sent).
 */
export interface PanelContext {
  /** The competition's public view, from the state the wall already loaded (no extra read). */
  competition: PublicCompetition;
  /** The caller's seat for reading bids, as the policy module decided it. */
  role: CompetitionRole;
  /**
   * Whether the policy module lets the caller record their own scores, agree moderated ones, and record
   * how a bidder explained its price (`recordPriceClarification`: deciding on the evaluation, the lead's).
   */
  may: { score: boolean; moderate: boolean; clarifyPrice: boolean };
  /** The evaluators seated on the panel, for those the policy lets read the panel; otherwise empty. */
  evaluators: string[];
}

function panelContext(
  principal: Principal,
  state: CompetitionState,
  role: CompetitionRole,
  facts: WallFacts,
  now: Date,
): PanelContext {
  const allowed = (resource: CompetitionResource, action: CompetitionAction) =>
    decideCompetitionAccess(principal, facts, resource, action).allowed;
  return {
    competition: publicView(state.competition, now),
    role,
    may: {
      score: allowed('scores', 'mark'),
      moderate: allowed('moderation', 'moderate'),
      clarifyPrice: allowed('evaluation', 'decide'),
    },
    evaluators: allowed('panel', 'read') ? [...(state.panel?.evaluators ?? [])] : [],
  };
}

async function readBids(deps: EvaluationDeps, principal: Principal, id: string, now: Date) {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const { role, facts } = await passWall(
    deps,
    principal,
    state,
    { resource: 'bids', action: 'read', auditAction: 'bids.read', auditAllowed: true },
    now,
  );
  const { heads, scores, moderated } = await insideBids(deps, state);
  const items = heads
    .sort((a, b) => a.providerName.localeCompare(b.providerName))
    .map((head) => {
      const agreed = moderated.find((m) => m.bidId === head.bidId);
      const own = scores.filter((s) => s.bidId === head.bidId);
      return toInsiderBid(head, visibleScores(role, user.sub, own, agreed !== undefined), agreed);
    });
  return { items, context: panelContext(principal, state, role, facts, now) };
}

/** `GET /competitions/{id}/bids`. */
export async function listBids(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<{ items: InsiderBid[] }> {
  const { items } = await readBids(deps, principal, id, now);
  return { items };
}

/**
 * `listBids` for the web pages (`GET /commissioning/{id}/bids`): the same read, the same audit event and
 * the same storage calls, with the `PanelContext` around it.
 */
export async function listBidsForPanel(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<{ items: InsiderBid[] } & PanelContext> {
  const { items, context } = await readBids(deps, principal, id, now);
  return { items, ...context };
}

async function findBid(deps: EvaluationDeps, state: CompetitionState, bidId: string) {
  const data = await insideBids(deps, state);
  const head = data.heads.find((h) => h.bidId === bidId);
  if (!head) throw new NotFoundError(`No bid ${bidId} in this competition.`);
  return { ...data, head };
}

async function readBid(deps: EvaluationDeps, principal: Principal, id: string, bidId: string, now: Date) {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const { role, facts } = await passWall(
    deps,
    principal,
    state,
    { resource: 'bids', action: 'read', auditAction: `bid.read:${bidId}`, auditAllowed: false },
    now,
  );
  const { head, scores, moderated } = await findBid(deps, state, bidId);
  // Recorded only once the bid is found: a read that ends in "no such bid" read nothing.
  await recordChange(deps, id, {
    at: now.toISOString(),
    actor: user.sub,
    action: `bid.read:${bidId}`,
    resource: 'bids',
  });
  const agreed = moderated.find((m) => m.bidId === bidId);
  const bid = toInsiderBid(
    head,
    visibleScores(
      role,
      user.sub,
      scores.filter((s) => s.bidId === bidId),
      agreed !== undefined,
    ),
    agreed,
  );
  return { bid, context: panelContext(principal, state, role, facts, now) };
}

/** `GET /competitions/{id}/bids/{bidId}`. */
export async function getBid(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  bidId: string,
  now: Date,
): Promise<InsiderBid> {
  return (await readBid(deps, principal, id, bidId, now)).bid;
}

/**
 * `getBid` for the web pages (`GET /commissioning/{id}/bids/{bidId}`): the same read, the same audit event
 * and the same storage calls, with the `PanelContext` around it.
 */
export async function getBidForPanel(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  bidId: string,
  now: Date,
): Promise<{ bid: InsiderBid } & PanelContext> {
  const { bid, context } = await readBid(deps, principal, id, bidId, now);
  return { bid, ...context };
}

function assertEvaluating(competition: Competition, now: Date): void {
  const status = effectiveStatus(competition, now);
  if (status !== 'evaluation')
    throw new InvalidStateError(
      `Scores can be recorded during evaluation only; this competition is ${status}.`,
    );
}

/**
 * What scoring and moderation both start with: the wall (the caller's right to this kind of score; an
 * allowed write is audited with the scores themselves, a refusal here), the competition in evaluation, and
 * the bid still submitted. Answers the competition's state.
 */
async function submittedBidToScore(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  bidId: string,
  wall: { resource: 'scores' | 'moderation'; action: 'mark' | 'moderate'; auditAction: string },
  now: Date,
): Promise<CompetitionState> {
  const state = await loadCompetitionState(deps, id);
  await passWall(deps, principal, state, { ...wall, auditAllowed: false }, now);
  assertEvaluating(state.competition, now);
  const { head } = await findBid(deps, state, bidId);
  if (head.status !== 'submitted') throw new InvalidStateError('This bid was withdrawn.');
  return state;
}

/** `PUT /competitions/{id}/bids/{bidId}/scores`: an evaluator's own scores. */
export async function scoreBid(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  bidId: string,
  scores: EvaluatorScores['scores'],
  now: Date,
): Promise<EvaluatorScores> {
  const user = requireUser(principal);
  const state = await submittedBidToScore(
    deps,
    principal,
    id,
    bidId,
    { resource: 'scores', action: 'mark', auditAction: 'scores.record' },
    now,
  );
  const issues = scoreIssues(
    state.competition.criteria,
    scores.map((s) => ({ ...s, note: s.justification })),
    'justification',
  );
  if (issues.length > 0) throw new ValidationError(`The scores have ${issues.length} problem(s).`, issues);
  const record: EvaluatorScores = { bidId, evaluator: user.sub, scores, scoredAt: now.toISOString() };
  await recordChange(
    deps,
    id,
    { at: record.scoredAt, actor: user.sub, action: 'scores.record', resource: `bids/${bidId}/scores` },
    { items: deps.bids.scoreItems(id, record) },
  );
  return record;
}

/** `PUT /competitions/{id}/bids/{bidId}/moderated-scores`: the moderator's agreed scores. */
export async function moderateBid(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  bidId: string,
  scores: ModeratedScores['scores'],
  now: Date,
  rules: EvaluationRules,
): Promise<ModeratedScores> {
  const user = requireUser(principal);
  const state = await submittedBidToScore(
    deps,
    principal,
    id,
    bidId,
    { resource: 'moderation', action: 'moderate', auditAction: 'moderation.record' },
    now,
  );
  // Moderation agrees scores that evaluators gave independently: it waits for enough of them, counting
  // only evaluators still seated and inside the wall.
  const standings = await seatStandings(deps, state, ['evaluator']);
  const insideEvaluators = new Set(
    standings.filter((s) => s.role === 'evaluator' && s.inside).map((s) => s.sub),
  );
  const { scores: recorded } = await deps.bids.evaluationData(id);
  const independent = independentScores(
    recorded.filter((s) => s.bidId === bidId),
    insideEvaluators,
  );
  if (independent < rules.minEvaluatorsPerBid) {
    throw new InvalidStateError(
      `This bid has scores from ${independent} evaluator(s) inside the wall; moderation needs at least ${rules.minEvaluatorsPerBid}.`,
    );
  }
  const issues = scoreIssues(
    state.competition.criteria,
    scores.map((s) => ({ ...s, note: s.rationale })),
    'rationale',
  );
  const quality = state.competition.criteria.filter((c) => c.kind === 'quality');
  for (const criterion of quality) {
    if (!scores.some((s) => s.criterionId === criterion.id))
      issues.push({ path: 'scores', message: `Agree a score for "${criterion.name}"` });
  }
  if (issues.length > 0)
    throw new ValidationError(`The moderated scores have ${issues.length} problem(s).`, issues);
  const record: ModeratedScores = { bidId, moderator: user.sub, scores, moderatedAt: now.toISOString() };
  await recordChange(
    deps,
    id,
    {
      at: record.moderatedAt,
      actor: user.sub,
      action: 'moderation.record',
      resource: `bids/${bidId}/moderation`,
    },
    { items: deps.bids.moderatedItems(id, record) },
  );
  return record;
}

/** The evaluation, with the moderations that no longer count (their moderator is not seated and inside). */
export type EvaluationView = Evaluation & {
  setAside: { bidId: string; moderator: string; moderatedAt: string }[];
};

/**
 * Ranks the submitted bids from the moderations that count: only those by the moderator now seated and
 * inside the wall. A moderation by someone since replaced, excluded, connected or conflicted is set aside,
 * and its bid waits for a new one (the evaluation is incomplete until then).
 */
async function evaluationOf(
  deps: EvaluationDeps,
  state: CompetitionState,
  heads: BidHead[],
  moderated: ModeratedScores[],
): Promise<EvaluationView> {
  return (await evaluationWithCounted(deps, state, heads, moderated)).evaluation;
}

/** `evaluationOf`, with the moderations it counted (the evaluation page says what each bid still lacks). */
async function evaluationWithCounted(
  deps: EvaluationDeps,
  state: CompetitionState,
  heads: BidHead[],
  moderated: ModeratedScores[],
): Promise<{ evaluation: EvaluationView; counted: ModeratedScores[] }> {
  const standings = await seatStandings(deps, state, ['moderator']);
  const moderator = standings.find((s) => s.role === 'moderator' && s.inside)?.sub;
  const { counted, setAside } = moderationsInForce(moderated, moderator);
  return {
    evaluation: {
      ...rank(state.competition, heads, counted),
      setAside: setAside.map(({ bidId, moderator: by, moderatedAt }) => ({
        bidId,
        moderator: by,
        moderatedAt,
      })),
    },
    counted,
  };
}

function rank(competition: Competition, heads: BidHead[], moderated: ModeratedScores[]): Evaluation {
  const submitted = heads.filter((h) => h.status === 'submitted');
  return evaluate(
    competition.criteria,
    submitted.map((head) => ({
      bidId: head.bidId,
      organisationId: head.providerId,
      pricePence: head.content.pricePence,
      moderated: Object.fromEntries(
        (moderated.find((m) => m.bidId === head.bidId)?.scores ?? []).map((s) => [s.criterionId, s.score]),
      ),
    })),
  );
}

/** `GET /competitions/{id}/evaluation`. */
export async function getEvaluation(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<EvaluationView> {
  return (await readEvaluation(deps, principal, id, now)).evaluation;
}

/** A submitted bid as the evaluation page names it: who bid, and the price its price points come from. */
export interface EvaluatedBid {
  bidId: string;
  providerName: string;
  pricePence: number;
  /** The quality criteria (by id) without a moderated score that counts: the evaluation waits for them. */
  missingCriteria: string[];
}

/** The evaluation with what the evaluation page shows around it. */
export interface EvaluationInContext {
  evaluation: EvaluationView;
  /** The competition as the page needs it; `status` is the effective status at the time of the read. */
  competition: Pick<Competition, 'id' | 'title' | 'criteria' | 'tenderDeadline' | 'award'> & {
    status: CompetitionStatus;
  };
  /** The submitted bids, by the ranking's bid ids. */
  bids: EvaluatedBid[];
  /** Whether the policy module lets the caller decide (and confirm) the award: the page offers the forms. */
  mayDecide: boolean;
  /** In standstill: how many challenges of the award decision are open (confirmation waits for them). */
  openChallenges: number;
}

/**
 * `GET /commissioning/{id}/evaluation` (the page): exactly `getEvaluation` – the same wall decision, audit
 * event (`evaluation.read`) and reads – with what the page shows beside the ranking, taken from the same
 * reads: the bidders' names and prices, what each bid still lacks, and whether the caller may decide.
 */
export async function getEvaluationInContext(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<EvaluationInContext> {
  const { state, facts, heads, counted, evaluation } = await readEvaluation(deps, principal, id, now);
  const { competition } = state;
  const quality = competition.criteria.filter((c) => c.kind === 'quality');
  const bids = heads
    .filter((head) => head.status === 'submitted')
    .map((head) => {
      const agreed = new Set(
        (counted.find((m) => m.bidId === head.bidId)?.scores ?? []).map((s) => s.criterionId),
      );
      return {
        bidId: head.bidId,
        providerName: head.providerName,
        pricePence: head.content.pricePence,
        missingCriteria: quality.filter((c) => !agreed.has(c.id)).map((c) => c.id),
      };
    });
  const decision = competition.status === 'standstill' ? competition.award : undefined;
  const openChallenges = decision
    ? (
        await deps.challenges.ofDecision(
          id,
          decision.decidedAt,
          heads.map((h) => h.providerId),
        )
      ).filter((c) => c.status === 'open').length
    : 0;
  return {
    openChallenges,
    evaluation,
    competition: {
      id: competition.id,
      title: competition.title,
      criteria: competition.criteria,
      tenderDeadline: competition.tenderDeadline,
      award: competition.award,
      status: effectiveStatus(competition, now),
    },
    bids,
    // Asked of the policy with the facts the read already loaded: nothing more is read or recorded.
    mayDecide: decideCompetitionAccess(principal, facts, 'evaluation', 'decide').allowed,
  };
}

/** The read behind `getEvaluation` and `getEvaluationInContext`: one path, so both cost and audit alike. */
async function readEvaluation(deps: EvaluationDeps, principal: Principal, id: string, now: Date) {
  const state = await loadCompetitionState(deps, id);
  const { facts } = await passWall(
    deps,
    principal,
    state,
    { resource: 'evaluation', action: 'read', auditAction: 'evaluation.read', auditAllowed: true },
    now,
  );
  const { heads, moderated } = await insideBids(deps, state);
  const { evaluation, counted } = await evaluationWithCounted(deps, state, heads, moderated);
  return { state, facts, heads, counted, evaluation };
}

/**
 * `POST /competitions/{id}/bids/{bidId}/price-clarification`: the lead records how a bidder explained a
 * price flagged as abnormally low (a bid so flagged cannot win without one). Appended, never overwritten.
 */
export async function recordPriceClarification(
  deps: EvaluationDeps,
  principal: Principal,
  id: string,
  bidId: string,
  note: string,
  now: Date,
): Promise<PriceClarification> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'evaluation', action: 'decide', auditAction: 'price.clarify', auditAllowed: false },
    now,
  );
  if (effectiveStatus(state.competition, now) !== 'evaluation')
    throw new InvalidStateError('Price clarifications are recorded during evaluation.');
  const { head } = await findBid(deps, state, bidId);
  if (head.status !== 'submitted') throw new InvalidStateError('This bid was withdrawn.');
  const clarification: PriceClarification = {
    id: ulid(now.getTime()),
    bidId,
    note,
    recordedAt: now.toISOString(),
    recordedBy: user.sub,
  };
  await recordChange(
    deps,
    id,
    {
      at: clarification.recordedAt,
      actor: user.sub,
      action: 'price.clarify',
      resource: `bids/${bidId}/price`,
    },
    { items: deps.bids.priceClarificationItems(id, clarification) },
  );
  return clarification;
}

const DAY_MS = 86_400_000;

/**
 * The outbox events of an award decision: one for the successful bidder and one for the unsuccessful
 * bidders (if any), each addressed to exactly those organisations and saying nothing of anyone else (no
 * winner's name, score, price or ranking: each reads its own debrief), with the inbox notification the
 * delivery writes for each of them.
 */
export function awardEvents(
  competition: Pick<Competition, 'id' | 'title'>,
  outcome: { successful: string[]; unsuccessful: string[]; standstillEndsAt: string },
  now: Date,
): OutboxEvent[] {
  const at = now.toISOString();
  const { id, title } = competition;
  const link = `/competitions/${id}/debrief`;
  const standstill = `The standstill period ends ${govukDateTime(outcome.standstillEndsAt)}.`;
  const successful = [...new Set(outcome.successful)];
  const unsuccessful = [...new Set(outcome.unsuccessful)].filter((p) => !successful.includes(p));
  const events: OutboxEvent[] = [];
  for (const [providerIds, won] of [
    [successful, true],
    [unsuccessful, false],
  ] as const) {
    if (providerIds.length === 0) continue;
    const heading = `${won ? 'Successful' : 'Unsuccessful'}: ${title}`;
    events.push({
      id: ulid(now.getTime()),
      kind: 'award',
      createdAt: at,
      audience: { type: 'members', providerIds },
      message: {
        subject: subjectLine(heading),
        paragraphs: [
          won
            ? 'The award decision is made: your organisation’s bid is successful.'
            : 'The award decision is made: your organisation’s bid was not successful this time.',
          `Your debrief is ready. ${standstill}${won ? ' The contract is let once the standstill period has passed.' : ' You may challenge the decision before then.'}`,
        ],
        action: { text: 'Read your debrief', path: link },
      },
      inbox: {
        type: won ? 'award-successful' : 'award-unsuccessful',
        title: heading,
        message: `The award decision is made. Your debrief is ready; the standstill period ends ${govukDateTime(outcome.standstillEndsAt)}.`,
        link,
        competitionId: id,
        competitionTitle: title,
        standstillEndsAt: outcome.standstillEndsAt,
      },
    });
  }
  return events;
}

/** `POST /competitions/{id}/award`: the lead's award decision, once the evaluation is complete. */
export async function decideAward(
  deps: AwardDeps,
  principal: Principal,
  id: string,
  input: { bidId: string; rationale: string; overrideReason?: string | undefined },
  now: Date,
  rules: Pick<DomainRules, 'standstillDays'>,
): Promise<Competition & { standstillEndsAt: string }> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'evaluation', action: 'decide', auditAction: 'award.decide', auditAllowed: false },
    now,
  );
  const { competition } = state;
  if (effectiveStatus(competition, now) !== 'evaluation')
    throw new InvalidStateError('The award is decided during evaluation.');
  const { heads, moderated } = await insideBids(deps, state);
  const evaluation = await evaluationOf(deps, state, heads, moderated);
  if (!evaluation.complete)
    throw new InvalidStateError(
      'The evaluation is not complete: every bid needs moderated scores from the moderator inside the wall.',
    );
  const winner = evaluation.ranking.find((r) => r.bidId === input.bidId);
  if (!winner)
    throw new ValidationError('That bid cannot be awarded.', [
      { path: 'bidId', message: 'Not a submitted bid of this competition' },
    ]);
  const clarified =
    !winner.abnormallyLow || (await deps.bids.priceClarifications(id, input.bidId)).length > 0;
  const refusal = awardRefusal(winner, input, clarified);
  if (refusal?.kind === 'override-reason-required')
    throw new ValidationError('The award departs from the ranking without a reason.', [refusal.issue]);
  if (refusal) throw new InvalidStateError(refusal.message);
  const override =
    winner.rank !== 1 && input.overrideReason
      ? { rank: winner.rank, reason: input.overrideReason }
      : undefined;
  const winnerHead = heads.find((h) => h.bidId === input.bidId) as BidHead;
  const at = now.toISOString();
  const standstillEndsAt = new Date(now.getTime() + rules.standstillDays * DAY_MS).toISOString();
  const after: Competition = {
    ...competition,
    status: 'standstill',
    award: {
      bidId: input.bidId,
      providerId: winnerHead.providerId,
      providerName: winnerHead.providerName,
      valuePence: winnerHead.content.pricePence,
      rationale: input.rationale,
      ...(override ? { override } : {}),
      decidedAt: at,
      standstillEndsAt,
    },
    updatedAt: at,
    version: competition.version + 1,
  };
  const debriefs: Debrief[] = evaluation.ranking.map((entry) => ({
    competitionId: id,
    providerId: entry.organisationId,
    outcome: entry.bidId === input.bidId ? 'successful' : 'unsuccessful',
    yours: { scores: entry.byCriterion, totalPoints: entry.totalPoints, rank: entry.rank },
    winner: { name: winnerHead.providerName, scores: winner.byCriterion, totalPoints: winner.totalPoints },
    ...(override ? { awardOverride: { winnerRank: override.rank, reason: override.reason } } : {}),
    decidedAt: at,
    standstillEndsAt,
  }));
  // The decision is public (OCDS `award`): the supplier, the value, and from now on the tenderers – every
  // organisation whose bid stood. Nothing of the evaluation (ranking, scores, rationale, override) is.
  const release = awardRelease(deps.publication.context, publicTenderFacts(after), {
    supplier: await publicOrganisationOf(deps, winnerHead.providerId),
    valuePence: winnerHead.content.pricePence,
    decidedAt: at,
    tenderers: await publicOrganisations(
      deps,
      heads.filter((h) => h.status === 'submitted').map((h) => h.providerId),
    ),
  });
  // Each bidder is told its own outcome with the decision (one event per outcome): the debrief says the rest.
  const events = awardEvents(
    competition,
    {
      successful: debriefs.filter((d) => d.outcome === 'successful').map((d) => d.providerId),
      unsuccessful: debriefs.filter((d) => d.outcome === 'unsuccessful').map((d) => d.providerId),
      standstillEndsAt,
    },
    now,
  );
  // Items: the competition, one debrief per ranked bid, the release and the feed counter, at most two
  // events and the audit event: bids + 6, within DynamoDB's 100 up to 94 bids (confirming guards 90 at
  // most: `MAX_GUARDED_BIDDERS`).
  await commitWithReleases(deps, [release], now, (published) =>
    recordChange(
      deps,
      id,
      // An award past the ranking's first is its own kind of event, so auditors find every one of them.
      { at, actor: user.sub, action: override ? 'award.decide-override' : 'award.decide', resource: 'award' },
      {
        items: [
          ...deps.competitions.updateItems(competition, after),
          ...debriefs.flatMap((d) => deps.bids.debriefItems(d)),
          ...published,
          ...events.flatMap((event) => deps.outbox.eventItems(event)),
        ],
        onRefused: () =>
          new ConflictError('The competition changed while deciding the award; reload it and try again.'),
      },
    ),
  );
  return { ...after, standstillEndsAt };
}

/** `POST /competitions/{id}/award/confirm`: after standstill, the award stands and the contract is let. */
export async function confirmAward(
  deps: AwardDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<Competition & { contractId: string }> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'evaluation', action: 'decide', auditAction: 'award.confirm', auditAllowed: false },
    now,
  );
  const { competition } = state;
  const award = competition.award;
  if (competition.status !== 'standstill' || !award)
    throw new InvalidStateError('There is no award decision in standstill to confirm.');
  // Issue 15: an open challenge of this decision blocks it. Read here to say so; the transaction below
  // checks it again, bidder by bidder, so a challenge raised meanwhile refuses the confirmation.
  const bidders = (await deps.bids.listHeads(id)).map((h) => h.providerId);
  const open = (await deps.challenges.ofDecision(id, award.decidedAt, bidders)).filter(
    (c) => c.status === 'open',
  );
  if (open.length > 0) throw new ChallengeOpenError(challengeOpenDetail(open.length));
  if (now.getTime() < Date.parse(award.standstillEndsAt)) {
    throw new InvalidStateError(`The standstill period runs until ${govukDateTime(award.standstillEndsAt)}.`);
  }
  const at = now.toISOString();
  const start = at.slice(0, 10);
  const contract: Contract = {
    id: ulid(now.getTime()),
    title: competition.title,
    competitionId: id,
    primeProviderId: award.providerId,
    valuePence: award.valuePence,
    startDate: start,
    endDate: lastDayOfTerm(now, competition.termMonths),
    regions: competition.regions,
    services: competition.services,
    subcontracting: competition.subcontracting ?? { targetPercent: 10 },
    createdAt: at,
    createdBy: user.sub,
  };
  const after: Competition = {
    ...competition,
    status: 'awarded',
    award: { ...award, awardedAt: at, contractId: contract.id },
    updatedAt: at,
    version: competition.version + 1,
  };
  const guards = deps.challenges.noneOpenItems(id, award.decidedAt, bidders);
  const supplier = await publicOrganisationOf(deps, award.providerId);
  const listed = listedContract(contract, supplier);
  const release = contractRelease(deps.publication.context, {
    contractId: contract.id,
    title: contract.title,
    competitionId: id,
    supplier,
    valuePence: contract.valuePence,
    startDate: contract.startDate,
    endDate: contract.endDate,
    signedAt: at,
  });
  await commitWithReleases(deps, [release], now, (published) =>
    recordChange(
      deps,
      id,
      { at, actor: user.sub, action: 'award.confirm', resource: 'award' },
      {
        items: [
          ...deps.competitions.updateItems(competition, after),
          ...guards,
          ...deps.contracts.createItems(contract),
          ...(listed ? deps.publication.listedContractItems(listed) : []),
          ...published,
        ],
        onRefused: (codes) =>
          codes.slice(1, 1 + guards.length).includes('ConditionalCheckFailed')
            ? new ChallengeOpenError(challengeOpenDetail(1))
            : new ConflictError(
                'The competition changed while confirming the award; reload it and try again.',
              ),
      },
    ),
  );
  return { ...after, contractId: contract.id };
}

/** Why the award cannot be confirmed while challenges are open. */
function challengeOpenDetail(open: number): string {
  return `${open === 1 ? 'A challenge' : `${open} challenges`} of the award decision ${open === 1 ? 'is' : 'are'} open: the award can be confirmed once the lead has decided ${open === 1 ? 'it' : 'them'}.`;
}
