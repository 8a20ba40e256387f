/**
 * `POST /competitions/{id}/questions`: a member of a verified provider asks a clarification question while
 * the competition is published and before its clarification deadline. The question is stored with guards
 * in one transaction (the competition unchanged since its deadlines were judged, the provider still
 * verified, the asker still a member, the organisation below its cap of questions waiting for an answer)
 * and its audit event. Asking connects nobody: no connection marker is written, so asking never puts anyone
 * outside the wall.
 */
import { monotonicFactory } from 'ulid';
import type { DomainRules } from '../../config';
import type { AuditRepository } from '../../db/audit';
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { OutboxRepository } from '../../db/outbox';
import type { ProviderRepository } from '../../db/providers';
import type { QuestionRepository } from '../../db/questions';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyQuestionsError,
  ValidationError,
} from '../../domain/errors';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { assertCanAsk, type Question } from '../../domain/questions';
import { recordChange } from '../competitions/wall';

/** What asking needs. */
export interface AskQuestionDeps {
  competitions: Pick<CompetitionRepository, 'get'>;
  memberships: Pick<MembershipRepository, 'listForUser'>;
  providers: Pick<ProviderRepository, 'getMany'>;
  questions: Pick<QuestionRepository, 'askItems'>;
  audit: AuditRepository;
  /** Asking makes the organisation one of those taking part, told of published answers and changed documents. */
  outbox: Pick<OutboxRepository, 'takingPartItem'>;
}

/** What the asker sends. */
export interface AskQuestionInput {
  question: string;
  /** Which of the asker's organisations asks; needed only when they belong to several verified ones. */
  providerId?: string | undefined;
}

/** How many times a question is tried again when the competition changed under it. */
const ATTEMPTS = 3;

/**
 * How many times the write is tried when another transaction held one of its items: every ask of an
 * organisation moves its one count of questions waiting, so a burst of asks contends for it.
 */
const CONFLICT_ATTEMPTS = 10;

const nextId = monotonicFactory();

/** Thrown by the transaction when the competition changed after it was read: judge it again. */
class CompetitionChanged extends Error {}

/**
 * The organisation that asks: the one named (which the asker must belong to, and which must be verified),
 * or the asker's only verified organisation.
 * @throws ForbiddenError | ValidationError
 */
async function askingOrganisation(
  deps: Pick<AskQuestionDeps, 'memberships' | 'providers'>,
  sub: string,
  requested: string | undefined,
): Promise<{ providerId: string; providerName: string }> {
  const memberships = await deps.memberships.listForUser(sub);
  if (memberships.length === 0) {
    throw new ForbiddenError('Only members of a verified provider can ask clarification questions.');
  }
  if (requested !== undefined && !memberships.some((m) => m.providerId === requested)) {
    throw new ForbiddenError('You are not a member of that organisation.');
  }
  const candidates = requested !== undefined ? [requested] : memberships.map((m) => m.providerId);
  const verified = (await deps.providers.getMany(candidates)).filter((p) => p.status === 'verified');
  if (verified.length === 0) {
    throw new ForbiddenError(
      requested !== undefined
        ? 'That organisation is not verified yet: only verified providers can ask questions.'
        : 'Only members of a verified provider can ask clarification questions.',
    );
  }
  if (verified.length > 1) {
    throw new ValidationError('Say which organisation is asking.', [
      { path: 'providerId', message: 'You belong to several verified organisations: choose one' },
    ]);
  }
  const provider = verified[0] as (typeof verified)[number];
  return { providerId: provider.id, providerName: provider.name };
}

/**
 * The organisations a user may ask for: those they belong to that are verified, by name (the provider's
 * questions page offers the choice when there are several). None for the anonymous caller.
 */
export async function askingOrganisations(
  deps: Pick<AskQuestionDeps, 'memberships' | 'providers'>,
  principal: Principal,
): Promise<{ providerId: string; providerName: string }[]> {
  if (principal.kind !== 'user') return [];
  const memberships = await deps.memberships.listForUser(principal.sub);
  if (memberships.length === 0) return [];
  return (await deps.providers.getMany(memberships.map((m) => m.providerId)))
    .filter((provider) => provider.status === 'verified')
    .map((provider) => ({ providerId: provider.id, providerName: provider.name }))
    .sort((a, b) => a.providerName.localeCompare(b.providerName));
}

/**
 * Asks a question.
 * @throws NotFoundError for an unknown competition or a draft.
 * @throws InvalidStateError (cancelled) | DeadlinePassedError (after the clarification deadline).
 * @throws ForbiddenError when the caller is not a member of a verified provider.
 * @throws TooManyQuestionsError when the organisation already has `maxPendingQuestions` questions waiting
 *   for an answer on this competition.
 */
export async function askQuestion(
  deps: AskQuestionDeps,
  principal: Principal,
  competitionId: string,
  input: AskQuestionInput,
  now: Date,
  rules: Pick<DomainRules, 'clarificationDays' | 'maxPendingQuestions'>,
): Promise<{ id: string; status: 'asked' }> {
  const user = requireUser(principal);
  for (let attempt = 1; ; attempt += 1) {
    const competition = await deps.competitions.get(competitionId);
    if (!competition || competition.status === 'draft') {
      throw new NotFoundError(`No competition ${competitionId}.`);
    }
    assertCanAsk(competition, now, rules);
    const asker = await askingOrganisation(deps, user.sub, input.providerId);
    const at = now.toISOString();
    const question: Question = {
      id: nextId(now.getTime()),
      competitionId,
      providerId: asker.providerId,
      providerName: asker.providerName,
      askedBy: user.sub,
      askedAt: at,
      question: input.question,
      status: 'asked',
    };
    try {
      await recordChange(
        deps,
        competitionId,
        { at, actor: user.sub, action: 'question.ask', resource: `questions/${question.id}` },
        {
          items: [
            ...deps.questions.askItems(question, {
              competition: { id: competitionId, version: competition.version },
              providerId: asker.providerId,
              sub: user.sub,
              maxPending: rules.maxPendingQuestions,
            }),
            // Last, so the refusal codes below keep their places. Asking connects nobody (no marker), but
            // the organisation is told of answers and document changes from now on.
            deps.outbox.takingPartItem(competitionId, asker.providerId, at),
          ],
          conflictAttempts: CONFLICT_ATTEMPTS,
          onRefused: ([created, unchanged, verified, member, waiting]) => {
            if (unchanged === 'ConditionalCheckFailed') return new CompetitionChanged();
            if (verified === 'ConditionalCheckFailed')
              return new ForbiddenError('That organisation is no longer verified.');
            if (member === 'ConditionalCheckFailed')
              return new ForbiddenError('You are no longer a member of that organisation.');
            if (waiting === 'ConditionalCheckFailed')
              return new TooManyQuestionsError(rules.maxPendingQuestions);
            if (created === 'ConditionalCheckFailed') return new ConflictError('Try asking again.');
            return undefined;
          },
        },
      );
      return { id: question.id, status: 'asked' };
    } catch (error) {
      // The competition moved on (published, shortlisted, cancelled…) between the read and the write:
      // judge the deadline again on what it is now.
      if (!(error instanceof CompetitionChanged)) throw error;
      if (attempt >= ATTEMPTS) throw new ConflictError('The competition changed as you asked: try again.');
    }
  }
}
