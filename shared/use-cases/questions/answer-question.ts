/**
 * `POST /competitions/{id}/questions/{questionId}/answer`: the declared lead answers a question, to all
 * (published, in wording that need not be the asker's) or to the asker alone. Answering is an inside action:
 * the wall decides it and it is audited. The answer, the asking organisation's notification, the audit
 * event and – for an answer to all – its OCDS `tenderAmendment` (the published wording and the answer,
 * never the asker) and its `clarification-answer` outbox event (every organisation taking part is told,
 * again never who asked) are written in one transaction, so none is ever without the others.
 */
import { monotonicFactory } from 'ulid';
import type { NotificationRepository } from '../../db/notifications';
import type { OutboxRepository } from '../../db/outbox';
import type { NotificationDraft } from '../../db/providers';
import type { QuestionRepository } from '../../db/questions';
import { effectiveStatus } from '../../domain/competitions';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import type { Principal } from '../../domain/principal';
import { publicTenderFacts } from '../../domain/publication/projection';
import { tenderAmendmentRelease } from '../../domain/publication/releases';
import {
  type AnswerInput,
  answerQuestion as answered,
  type QuestionView,
  viewQuestion,
} from '../../domain/questions';
import { loadCompetitionState, passWall, recordChange, type WallDeps } from '../competitions/wall';
import { commitWithReleases, type PublicationDeps } from '../publication/publish';

/** What answering needs. */
export type AnswerQuestionDeps = WallDeps &
  PublicationDeps & {
    questions: Pick<QuestionRepository, 'get' | 'answerItems'>;
    notifications: Pick<NotificationRepository, 'addItems'>;
    outbox: Pick<OutboxRepository, 'eventItems'>;
  };

const nextId = monotonicFactory();

/**
 * The event that tells every organisation taking part that an answer was published. It names the
 * competition only: never the asker, nor anything of the question beyond the published log everyone reads.
 */
export function answerPublishedEvent(
  competition: { id: string; title: string },
  id: string,
  now: Date,
): OutboxEvent {
  return {
    id,
    kind: 'clarification-answer',
    createdAt: now.toISOString(),
    audience: { type: 'taking-part', competitionId: competition.id },
    message: {
      subject: subjectLine(`Clarification answer published: ${competition.title}`),
      paragraphs: [
        `A clarification question about ${competition.title} has been answered, and the answer is published for every organisation taking part.`,
        'Read it with the other answers before you apply or bid: it may change what you need to say.',
      ],
      action: {
        text: 'Read the clarification answers',
        path: `/your-competitions/${competition.id}/questions`,
      },
    },
  };
}

/**
 * Answers a question.
 * @returns the answered question as insiders see it.
 * @throws NotFoundError | EthicalWallError | ForbiddenError | DeclarationRequiredError (the wall)
 * @throws ConflictError when it was answered already; InvalidStateError when the competition was cancelled.
 */
export async function answerQuestion(
  deps: AnswerQuestionDeps,
  principal: Principal,
  competitionId: string,
  questionId: string,
  input: AnswerInput,
  now: Date,
): Promise<QuestionView> {
  const state = await loadCompetitionState(deps, competitionId);
  const { competition } = state;
  if (competition.status === 'draft') throw new NotFoundError(`No competition ${competitionId}.`);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'questions', action: 'decide', auditAction: 'question.answer', auditAllowed: false },
    now,
  );
  const question = await deps.questions.get(competitionId, questionId);
  if (!question) throw new NotFoundError(`No question ${questionId}.`);
  const at = now.toISOString();
  const actor = principal.kind === 'user' ? principal.sub : 'anonymous';
  const after = answered(question, { status: effectiveStatus(competition, now) }, input, at, actor);
  const notification: NotificationDraft = {
    id: nextId(now.getTime()),
    providerId: question.providerId,
    type: 'question-answered',
    title: `Your question about ${competition.title} has been answered`,
    message:
      after.audience === 'all'
        ? 'The answer is published with the other clarification answers, in wording that does not name your organisation.'
        : 'The answer was sent to your organisation alone.',
    createdAt: at,
    link: `/competitions/${competitionId}/questions`,
    competitionId,
    competitionTitle: competition.title,
  };
  const releases =
    after.audience === 'all'
      ? [
          tenderAmendmentRelease(deps.publication.context, publicTenderFacts(competition), {
            kind: 'answer',
            answer: {
              questionId,
              question: after.publishedQuestion ?? after.question,
              answer: after.answer ?? '',
              answeredAt: at,
            },
          }),
        ]
      : [];
  // An answer to the asker alone is theirs: nobody else is told of it.
  const told =
    after.audience === 'all'
      ? deps.outbox.eventItems(answerPublishedEvent(competition, nextId(now.getTime()), now))
      : [];
  await commitWithReleases(deps, releases, now, (published) =>
    recordChange(
      deps,
      competitionId,
      { at, actor, action: 'question.answer', resource: `questions/${questionId}` },
      {
        items: [
          ...deps.questions.answerItems(after),
          ...deps.notifications.addItems([notification]),
          ...published,
          ...told,
        ],
        onRefused: ([answer]) =>
          answer === 'ConditionalCheckFailed'
            ? new ConflictError('This question has been answered already.')
            : undefined,
      },
    ),
  );
  return viewQuestion({ kind: 'insider' }, after) as QuestionView;
}
