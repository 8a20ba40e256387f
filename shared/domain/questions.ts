/**
 * Clarification questions (issue 15; DESIGN.md section 3a), pure: when a competition takes questions, what
 * answering one does, and who sees what of the clarification log.
 *
 * A question is private to the asking organisation and the competition's declared insiders until it is
 * answered. The lead answers it to everyone – in wording of their own, so the published question does not
 * identify the asker – or, when it concerns the asker alone, to the asker privately. Published answers are
 * public, in the order they were published, with their dates and never with the asker. Asking connects
 * nobody to the competition: a question is not a response or a bid.
 */
import type { DomainRules } from '../config';
import { type CompetitionStatus, effectiveStatus } from './competitions';
import { ConflictError, DeadlinePassedError, InvalidStateError, ValidationError } from './errors';

/** The longest texts of a question and its answer (with the keys, far under DynamoDB's 400 KB). */
export const QUESTION_LIMITS = {
  question: 2_000,
  answer: 10_000,
} as const;

/** Who an answer goes to: everyone (published), or the asking organisation alone. */
export type AnswerAudience = 'all' | 'asker';

/** A question's state: asked, then answered (once). */
export type QuestionStatus = 'asked' | 'answered';

/** A clarification question as stored. */
export interface Question {
  id: string;
  competitionId: string;
  /** The organisation that asked, and its name when it asked (insiders see both). */
  providerId: string;
  providerName: string;
  /** The member who asked. */
  askedBy: string;
  askedAt: string;
  /** The wording as asked: the asker's members and the insiders see it, nobody else. */
  question: string;
  status: QuestionStatus;
  answer?: string | undefined;
  audience?: AnswerAudience | undefined;
  /** The wording published with an answer to all (the lead's edit of `question`). */
  publishedQuestion?: string | undefined;
  answeredAt?: string | undefined;
  answeredBy?: string | undefined;
}

/** What a competition must tell about itself for the clarification rules. */
export type ClarificationCompetition = {
  status: CompetitionStatus;
  prequalificationDeadline?: string | undefined;
  tenderDeadline: string;
};

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The deadline that matters now: the pre-qualification deadline while it is ahead, else the tender
 * deadline. Worked out at `now` from the stored deadlines, never stored itself, so a deadline that moves
 * (shortlisting sets the tender deadline's period) moves the clarification deadline with it.
 */
export function currentDeadline(
  competition: Pick<ClarificationCompetition, 'prequalificationDeadline' | 'tenderDeadline'>,
  now: Date,
): { kind: 'prequalification' | 'tender'; at: string } {
  const prequalification = competition.prequalificationDeadline;
  if (prequalification !== undefined && now.getTime() < Date.parse(prequalification)) {
    return { kind: 'prequalification', at: prequalification };
  }
  return { kind: 'tender', at: competition.tenderDeadline };
}

/**
 * The clarification deadline at `now`: `clarificationDays` before the current deadline (`currentDeadline`),
 * as a UTC ISO string. Questions are taken strictly before it.
 */
export function clarificationDeadline(
  competition: Pick<ClarificationCompetition, 'prequalificationDeadline' | 'tenderDeadline'>,
  now: Date,
  rules: Pick<DomainRules, 'clarificationDays'>,
): string {
  const deadline = Date.parse(currentDeadline(competition, now).at);
  return new Date(deadline - rules.clarificationDays * DAY_MS).toISOString();
}

/** The statuses in which a published competition takes questions (its deadlines still to come). */
const ASKING_STATUSES: readonly CompetitionStatus[] = ['prequalification', 'shortlisting', 'tendering'];

/**
 * Whether a question may be asked at `now`. A draft is not checked here: it does not exist for anyone who
 * could ask (the use case answers 404).
 * @throws InvalidStateError when the competition was cancelled.
 * @throws DeadlinePassedError once the clarification deadline has passed (or tenders have closed).
 */
export function assertCanAsk(
  competition: ClarificationCompetition,
  now: Date,
  rules: Pick<DomainRules, 'clarificationDays'>,
): void {
  const status = effectiveStatus(competition, now);
  if (status === 'cancelled') throw new InvalidStateError('This competition was cancelled.');
  const deadline = clarificationDeadline(competition, now, rules);
  if (!ASKING_STATUSES.includes(status) || now.getTime() >= Date.parse(deadline)) {
    throw new DeadlinePassedError(
      `Clarification questions closed at ${deadline}, ${rules.clarificationDays} days before the ${currentDeadline(competition, now).kind === 'prequalification' ? 'pre-qualification' : 'tender'} deadline.`,
    );
  }
}

/** What the lead gives to answer a question. */
export interface AnswerInput {
  answer: string;
  audience: AnswerAudience;
  /** The wording to publish (answers to all only); the asked wording when absent. */
  publishedQuestion?: string | undefined;
}

/**
 * The question once answered, or why it cannot be.
 * @throws ConflictError when it was answered already (an answer, once given, stays: bidders relied on it).
 * @throws InvalidStateError when the competition was cancelled.
 * @throws ValidationError when a published wording is given for a private answer.
 */
export function answerQuestion(
  question: Question,
  competition: Pick<ClarificationCompetition, 'status'>,
  input: AnswerInput,
  at: string,
  by: string,
): Question {
  if (competition.status === 'cancelled') throw new InvalidStateError('This competition was cancelled.');
  if (question.status === 'answered') throw new ConflictError('This question has been answered already.');
  if (input.audience === 'asker' && input.publishedQuestion !== undefined) {
    throw new ValidationError('A private answer publishes no wording.', [
      {
        path: 'publishedQuestion',
        message: 'Leave the published wording out when you answer the asker alone',
      },
    ]);
  }
  return {
    ...question,
    status: 'answered',
    answer: input.answer,
    audience: input.audience,
    ...(input.audience === 'all' ? { publishedQuestion: input.publishedQuestion ?? question.question } : {}),
    answeredAt: at,
    answeredBy: by,
  };
}

/** Whether an answer is published (public). */
export function isPublished(question: Question): boolean {
  return question.status === 'answered' && question.audience === 'all';
}

/**
 * Who is reading the clarification log:
 * - `public`: anyone else (anonymous, other bidders, undeclared or excluded panel members) – published
 *   answers only;
 * - `asker`: members of one or more asking organisations (their ids) – also their own questions;
 * - `insider`: the declared lead and panel – every question, with the asking organisation.
 */
export type QuestionReader =
  | { kind: 'public' }
  | { kind: 'asker'; organisations: readonly string[] }
  | { kind: 'insider' };

/** A question as one reader sees it. */
export interface QuestionView {
  id: string;
  /** The published wording for a published answer; the wording as asked otherwise. */
  question: string;
  answer?: string | undefined;
  answeredAt?: string | undefined;
  /** The fields below: only for the asker's members and insiders. */
  status?: QuestionStatus | undefined;
  audience?: AnswerAudience | undefined;
  askedAt?: string | undefined;
  /** The wording as asked, when it differs from `question` (the lead edited it to publish it). */
  askedQuestion?: string | undefined;
  askedBy?: { providerId: string; providerName: string } | undefined;
}

/** Whether a reader may see a question at all. */
export function canSee(reader: QuestionReader, question: Question): boolean {
  if (isPublished(question) || reader.kind === 'insider') return true;
  return reader.kind === 'asker' && reader.organisations.includes(question.providerId);
}

/**
 * A question as a reader sees it, or undefined when they may not see it. The public view has the published
 * wording, the answer and its date, and nothing else: not the asker, not when it was asked.
 */
export function viewQuestion(reader: QuestionReader, question: Question): QuestionView | undefined {
  if (!canSee(reader, question)) return undefined;
  const published = isPublished(question);
  const shown = published ? (question.publishedQuestion ?? question.question) : question.question;
  const view: QuestionView = { id: question.id, question: shown };
  if (question.status === 'answered') {
    view.answer = question.answer;
    view.answeredAt = question.answeredAt;
  }
  const own = reader.kind === 'asker' && reader.organisations.includes(question.providerId);
  if (reader.kind === 'insider' || own) {
    view.status = question.status;
    if (question.audience) view.audience = question.audience;
    view.askedAt = question.askedAt;
    if (shown !== question.question) view.askedQuestion = question.question;
    view.askedBy = { providerId: question.providerId, providerName: question.providerName };
  }
  return view;
}

/**
 * The order of the clarification log for askers and the public: published answers by when they were
 * published; an organisation's own unpublished questions by when they were answered, or asked. One key for
 * both, so a page merges the published list with the organisation's own.
 */
export function logOrderKey(question: Pick<Question, 'id' | 'askedAt' | 'answeredAt'>): string {
  return `${question.answeredAt ?? question.askedAt}#${question.id}`;
}
