/**
 * `POST /competitions/{id}/questions/{questionId}/answer`: the declared lead answers a question, to all
 * (published, in wording that need not be the asker's) or to the asker alone. Answering is an inside action:
 * the wall decides it and it is audited. The answer, the asking organisation's notification, the audit
 * event and – for an answer to all – its OCDS `tenderAmendment` (the published wording and the answer,
 * never the asker) are written in one transaction, so none is ever without the others.
 */
import { monotonicFactory } from 'ulid';
import type { NotificationRepository } from '../../db/notifications';
import type { NotificationDraft } from '../../db/providers';
import type { QuestionRepository } from '../../db/questions';
import { effectiveStatus } from '../../domain/competitions';
import { ConflictError, NotFoundError } from '../../domain/errors';
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
  };

const nextId = monotonicFactory();

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
