/**
 * Reading the clarification log (`GET /competitions/{id}/questions` and the pages). Everyone sees the
 * published answers, in the order published, with their dates and never with the asker; the members of an
 * asking organisation also see their own unanswered and privately answered questions; the declared
 * insiders see every question with the organisation that asked – an inside read, through the wall and
 * audited, like every other.
 */
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { Page } from '../../db/pagination';
import type { QuestionPageRequest, QuestionRepository } from '../../db/questions';
import type { Competition } from '../../domain/competitions';
import { NotFoundError } from '../../domain/errors';
import { decideCompetitionAccess } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { type Question, type QuestionReader, type QuestionView, viewQuestion } from '../../domain/questions';
import {
  auditResource,
  loadCompetitionState,
  passWall,
  type WallDeps,
  wallFacts,
} from '../competitions/wall';

/** A page of the log, and as whom it was read. */
export interface ClarificationLog {
  reader: QuestionReader['kind'];
  /** The competition (its record: pages show its title and deadlines). */
  competition: Competition;
  page: Page<QuestionView>;
}

/** What reading the log outside the wall needs (no wall, no audit: the provider-facing side). */
export interface OutsideReadDeps {
  competitions: Pick<CompetitionRepository, 'get'>;
  memberships: Pick<MembershipRepository, 'listForUser'>;
  questions: Pick<QuestionRepository, 'listPublished' | 'listForAskers'>;
}

/** What reading the log through the wall needs. */
export type WallReadDeps = WallDeps & { questions: QuestionRepository };

function views(reader: QuestionReader, page: Page<Question>) {
  return {
    items: page.items.flatMap((question) => viewQuestion(reader, question) ?? []),
    nextCursor: page.nextCursor,
  };
}

/** A competition that anyone may read the log of: published (a draft exists only for its lead). */
function published(competition: Competition | undefined, id: string, principal: Principal): Competition {
  const lead = principal.kind === 'user' && competition?.leadSub === principal.sub;
  if (!competition || (competition.status === 'draft' && !lead)) {
    throw new NotFoundError(`No competition ${id}.`);
  }
  return competition;
}

/** The log as a reader outside the wall sees it: published answers, and their organisations' own. */
async function outsideLog(
  deps: OutsideReadDeps,
  principal: Principal,
  competition: Competition,
  request: QuestionPageRequest,
): Promise<ClarificationLog> {
  const organisations =
    principal.kind === 'user'
      ? (await deps.memberships.listForUser(principal.sub)).map((m) => m.providerId)
      : [];
  const reader: QuestionReader =
    organisations.length > 0 ? { kind: 'asker', organisations } : { kind: 'public' };
  const page =
    reader.kind === 'asker'
      ? await deps.questions.listForAskers(competition.id, organisations, request)
      : await deps.questions.listPublished(competition.id, request);
  return { reader: reader.kind, competition, page: views(reader, page) };
}

/**
 * The log for the provider-facing side (the provider's questions page, the public opportunity page): never
 * the insiders' view, so it reads neither the wall nor the audit log.
 * @throws NotFoundError for an unknown competition or someone else's draft.
 */
export async function readOutsideLog(
  deps: OutsideReadDeps,
  principal: Principal,
  competitionId: string,
  request: QuestionPageRequest,
): Promise<ClarificationLog> {
  const competition = published(await deps.competitions.get(competitionId), competitionId, principal);
  return outsideLog(deps, principal, competition, request);
}

/**
 * `GET /competitions/{id}/questions`: the insiders' view for the declared lead and panel (audited), and the
 * outside view for everyone else. A seat holder or excluded person refused the inside view is recorded
 * (and alerted when outside the wall), as for the confidential section; other readers are not, since
 * reading published answers is no attempt on inside information.
 * @throws NotFoundError for an unknown competition or someone else's draft.
 */
export async function readClarificationLog(
  deps: WallReadDeps,
  principal: Principal,
  competitionId: string,
  request: QuestionPageRequest,
  now: Date,
): Promise<ClarificationLog> {
  const state = await loadCompetitionState(deps, competitionId);
  const competition = published(state.competition, competitionId, principal);
  if (principal.kind !== 'user') return outsideLog(deps, principal, competition, request);
  const { sub } = principal;
  const seated =
    competition.leadSub === sub ||
    (state.panel?.evaluators ?? []).includes(sub) ||
    state.panel?.moderator === sub;
  const excluded = state.exclusions.some((e) => e.sub === sub);
  // Only a seat can open the inside view: others need no wall facts (no connection markers read for them).
  if (!seated && !excluded) return outsideLog(deps, principal, competition, request);
  const facts = await wallFacts(deps, principal, state, now);
  const decision = decideCompetitionAccess(principal, facts, 'questions', 'read');
  if (!decision.allowed) {
    await deps.audit.append(
      competitionId,
      {
        at: now.toISOString(),
        actor: sub,
        action: 'questions.read',
        resource: auditResource(competitionId, 'questions'),
        outcome: 'denied',
        reason: `/problems/${decision.code}`,
      },
      { alert: decision.outsideWall },
    );
    return outsideLog(deps, principal, competition, request);
  }
  return insideLog(deps, principal, state, request, now, facts);
}

/**
 * The insiders' view, and nothing else (the commissioning side's questions page): every question with the
 * asking organisation, in the order asked. Refusals are thrown (and recorded) like every wall refusal.
 * @throws NotFoundError | EthicalWallError | ForbiddenError | DeclarationRequiredError
 */
export async function readInsideLog(
  deps: WallReadDeps,
  principal: Principal,
  competitionId: string,
  request: QuestionPageRequest,
  now: Date,
): Promise<ClarificationLog> {
  const state = await loadCompetitionState(deps, competitionId);
  published(state.competition, competitionId, principal);
  return insideLog(deps, principal, state, request, now);
}

async function insideLog(
  deps: WallReadDeps,
  principal: Principal,
  state: Awaited<ReturnType<typeof loadCompetitionState>>,
  request: QuestionPageRequest,
  now: Date,
  facts?: Awaited<ReturnType<typeof wallFacts>>,
): Promise<ClarificationLog> {
  await passWall(
    deps,
    principal,
    state,
    { resource: 'questions', action: 'read', auditAction: 'questions.read', auditAllowed: true },
    now,
    facts,
  );
  const reader: QuestionReader = { kind: 'insider' };
  const page = await deps.questions.listAll(state.competition.id, request);
  return { reader: reader.kind, competition: state.competition, page: views(reader, page) };
}

/**
 * One question with its asker, for the lead's answer form: the lead alone (declared), through the wall and
 * audited, as answering it is.
 * @throws NotFoundError | EthicalWallError | ForbiddenError | DeclarationRequiredError
 */
export async function readQuestionToAnswer(
  deps: WallReadDeps,
  principal: Principal,
  competitionId: string,
  questionId: string,
  now: Date,
): Promise<{ competition: Competition; question: QuestionView }> {
  const state = await loadCompetitionState(deps, competitionId);
  const competition = published(state.competition, competitionId, principal);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'questions', action: 'decide', auditAction: 'question.read', auditAllowed: true },
    now,
  );
  const question = await deps.questions.get(competitionId, questionId);
  if (!question) throw new NotFoundError(`No question ${questionId}.`);
  return { competition, question: viewQuestion({ kind: 'insider' }, question) as QuestionView };
}

/**
 * The published answers of a competition already read (the public opportunity page): the public view, in
 * the order published. No competition read, no membership read: nothing but the public log.
 */
export async function listPublishedAnswers(
  deps: { questions: Pick<QuestionRepository, 'listPublished'> },
  competitionId: string,
  request: QuestionPageRequest,
): Promise<Page<QuestionView>> {
  return views({ kind: 'public' }, await deps.questions.listPublished(competitionId, request));
}
