/**
 * The commissioning side of clarification questions (`/commissioning/{id}/questions`, issue 15): every
 * question with the organisation that asked, for the declared insiders only (an audited inside read, the
 * same use case as `GET /competitions/{id}/questions` for insiders), and the lead's answer form per
 * question – edit the wording to publish, answer, and choose who it goes to. The POST calls the JSON
 * route's use case, `answerQuestion`; its refusals (outside the wall, undeclared, answered already) are the
 * same, shown as GOV.UK pages.
 */
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  publicationRepository,
  questionRepository,
} from '../../../db/repositories';
import { govukDateTime } from '../../../domain/dates';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import type { QuestionView } from '../../../domain/questions';
import { pageQuerySchema, ulidSchema } from '../../../http/schemas/common';
import { answerQuestionBody } from '../../../http/schemas/questions';
import { answerQuestion } from '../../../use-cases/questions/answer-question';
import { readInsideLog, readQuestionToAnswer } from '../../../use-cases/questions/read-questions';
import { formErrors, humanise, issuesFromError, issuesOf, optionalText } from '../../forms';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionPageContext } from './common';
import { competitionIdOf } from './competition-params';

/** The repositories these pages' use cases need, and no others. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    questions: questionRepository(),
    notifications: notificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

const PAGE_SIZE = 25;

/** The question id of the address, or the 404 page. */
function questionIdOf(request: Pick<PageRequest, 'params'>): string {
  const id = ulidSchema.safeParse(request.params.questionId);
  if (!id.success) throw new NotFoundError('No question at this address.');
  return id.data;
}

/** Who a question's answer went to, in words. */
function answeredTo(question: QuestionView): string {
  if (question.status !== 'answered') return 'Not answered yet';
  return question.audience === 'all'
    ? `Published to all on ${govukDateTime(question.answeredAt)}`
    : `Answered to the asker alone on ${govukDateTime(question.answeredAt)}`;
}

/** A question as the list shows it. */
function listed(competitionId: string, question: QuestionView) {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const asked = question.askedQuestion ?? question.question;
  return {
    rows: [
      row('Asked', govukDateTime(question.askedAt)),
      row('Question as asked', asked),
      ...(question.audience === 'all' ? [row('Published wording', question.question)] : []),
      ...(question.answer !== undefined ? [row('Answer', question.answer)] : []),
      row('Answered', answeredTo(question)),
    ],
    id: question.id,
    asked: question.askedQuestion ?? question.question,
    published: question.audience === 'all' ? question.question : undefined,
    answer: question.answer,
    askedBy: question.askedBy?.providerName ?? '',
    askedAt: govukDateTime(question.askedAt),
    status:
      question.status === 'answered'
        ? {
            text: question.audience === 'all' ? 'Published' : 'Answered privately',
            classes: 'govuk-tag--green',
          }
        : { text: 'To answer', classes: 'govuk-tag--yellow' },
    answeredTo: answeredTo(question),
    href: `/commissioning/${competitionId}/questions/${question.id}`,
    unanswered: question.status !== 'answered',
  };
}

/** `GET /commissioning/{id}/questions`: every question, with who asked (declared insiders only). */
async function questionsPage(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const query = pageQuerySchema.safeParse({ limit: PAGE_SIZE, cursor: request.query.cursor });
  const log = await readInsideLog(
    repositories(),
    request.principal,
    id,
    query.success ? query.data : { limit: PAGE_SIZE },
    request.now,
  );
  const { competition } = log;
  const items = log.page.items.map((question) => listed(id, question));
  const lead = request.session?.sub === competition.leadSub;
  return render(request, 'commissioning/questions.njk', {
    title: `Clarification questions: ${competition.title}`,
    ...competitionPageContext(competition, 'questions', { principal: request.principal }),
    competition,
    items,
    lead,
    answered: request.query.done === 'answered',
    next: log.page.nextCursor
      ? `/commissioning/${id}/questions?cursor=${encodeURIComponent(log.page.nextCursor)}`
      : undefined,
    first: request.query.cursor ? `/commissioning/${id}/questions` : undefined,
  });
}

/** What the answer form holds. */
interface AnswerValues {
  publishedQuestion: string;
  answer: string;
  audience: string;
}

/** Renders the answer form, with what was typed and its problems. */
async function renderAnswer(
  request: PageRequest,
  id: string,
  questionId: string,
  typed?: AnswerValues,
  issues: FieldIssue[] = [],
) {
  const { competition, question } = await readQuestionToAnswer(
    repositories(),
    request.principal,
    id,
    questionId,
    request.now,
  );
  const { errorList, errors } = formErrors(issues, (path) =>
    path === 'audience' ? '#audience' : `#${path || 'answer'}`,
  );
  const asked = question.askedQuestion ?? question.question;
  return render(
    request,
    'commissioning/question.njk',
    {
      title: `Answer a question: ${competition.title}`,
      ...competitionPageContext(competition, 'questions', { principal: request.principal }),
      competition,
      question: listed(id, question),
      done: question.status === 'answered',
      values: typed ?? { publishedQuestion: asked, answer: '', audience: '' },
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/questions/{questionId}`: the question and its answer form (the lead). */
async function answerPage(request: PageRequest) {
  requireSession(request);
  return renderAnswer(request, competitionIdOf(request), questionIdOf(request));
}

/** `POST /commissioning/{id}/questions/{questionId}`: answer it. */
async function answer(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const questionId = questionIdOf(request);
  const typed: AnswerValues = {
    publishedQuestion: request.form.get('publishedQuestion') ?? '',
    answer: request.form.get('answer') ?? '',
    audience: request.form.get('audience') ?? '',
  };
  // The published wording goes only with an answer to all; with a private one the box is ignored.
  const parsed = answerQuestionBody.safeParse({
    answer: typed.answer,
    audience: typed.audience || undefined,
    ...(typed.audience === 'all'
      ? { publishedQuestion: optionalText(request.form, 'publishedQuestion') }
      : {}),
  });
  const issues = humanise(issuesOf(parsed), {
    answer: 'Enter your answer',
    audience: 'Choose who the answer goes to',
  });
  if (!parsed.success || issues.length > 0) return renderAnswer(request, id, questionId, typed, issues);
  try {
    await answerQuestion(repositories(), request.principal, id, questionId, parsed.data, request.now);
  } catch (error) {
    const found = issuesFromError(error);
    if (!found) throw error;
    return renderAnswer(request, id, questionId, typed, found);
  }
  return redirect(`/commissioning/${id}/questions?done=answered`);
}

/** This group's pages by route key. */
export const questionPages: PageMap = {
  'GET /commissioning/{id}/questions': questionsPage,
  'GET /commissioning/{id}/questions/{questionId}': answerPage,
  'POST /commissioning/{id}/questions/{questionId}': answer,
};
