/**
 * The provider's clarification questions page (`/your-competitions/{id}/questions`, issue 15): ask a
 * question, see your organisations' own questions (unanswered, answered privately or published) and every
 * published answer. The same use cases as `POST` and `GET /competitions/{id}/questions` on their outside
 * side: this page never shows the insiders' view, so its function reads no wall, no sealed data and no
 * audit log; asking writes the question and its audit event, blind.
 */
import { config } from '../../../config';
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  outboxWriter,
  providerRepository,
  questionRepository,
} from '../../../db/repositories';
import { govukDateTime } from '../../../domain/dates';
import { type FieldIssue, TooManyQuestionsError } from '../../../domain/errors';
import { clarificationDeadline, QUESTION_LIMITS, type QuestionView } from '../../../domain/questions';
import { pageQuerySchema, ulidSchema } from '../../../http/schemas/common';
import { askQuestionBody } from '../../../http/schemas/questions';
import { askingOrganisations, askQuestion } from '../../../use-cases/questions/ask-question';
import { listPublishedAnswers, readOutsideLog } from '../../../use-cases/questions/read-questions';
import { formErrors, humanise, issuesFromError, issuesOf } from '../../forms';
import { type PageMap, PageNotFound, type PageRequest, redirect, render, requireSession } from '../../page';
import { answersSection } from '../clarification-answers';

/** The repositories these pages' use cases need, and no others. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    providers: providerRepository(),
    questions: questionRepository(),
    audit: auditRepository(),
    outbox: outboxWriter(),
  };
}

/** How many of an organisation's own questions, and of the published answers, one page shows. */
const PAGE_SIZE = 100;

/** The competition id of the address, or the 404 page. */
function competitionIdOf(request: Pick<PageRequest, 'params'>): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new PageNotFound('No competition at this address.');
  return id.data;
}

/** One of the organisation's own questions, as the page words it. */
function ownQuestion(question: QuestionView) {
  const published = question.audience === 'all';
  return {
    id: question.id,
    question: question.askedQuestion ?? question.question,
    publishedAs: published && question.askedQuestion ? question.question : undefined,
    organisation: question.askedBy?.providerName ?? '',
    askedAt: govukDateTime(question.askedAt),
    answer: question.answer,
    answeredAt: question.answeredAt ? govukDateTime(question.answeredAt) : undefined,
    status:
      question.status !== 'answered'
        ? { text: 'Waiting for an answer', classes: 'govuk-tag--yellow' }
        : published
          ? { text: 'Answered to all bidders', classes: 'govuk-tag--green' }
          : { text: 'Answered to your organisation', classes: 'govuk-tag--blue' },
  };
}

/** Renders the page, with what was typed and its problems. */
async function renderQuestions(
  request: PageRequest,
  id: string,
  typed: { question: string; providerId: string } = { question: '', providerId: '' },
  issues: FieldIssue[] = [],
) {
  requireSession(request);
  const deps = repositories();
  const log = await readOutsideLog(deps, request.principal, id, { limit: PAGE_SIZE });
  const { competition } = log;
  const cursor = pageQuerySchema.shape.cursor.safeParse(request.query.answers);
  const published = await listPublishedAnswers(deps, id, {
    limit: PAGE_SIZE,
    cursor: cursor.success ? cursor.data : undefined,
  });
  const organisations = await askingOrganisations(deps, request.principal);
  const answers = answersSection(
    competition,
    published,
    `/your-competitions/${id}/questions`,
    request.now,
    config().rules,
  );
  // The form only while questions are open, and only for members of a verified provider.
  const canAsk = answers.closes !== undefined && organisations.length > 0;
  const { errorList, errors } = formErrors(issues, (path) =>
    path === 'providerId' ? '#providerId' : '#question',
  );
  return render(
    request,
    'provider/questions.njk',
    {
      title: `Questions: ${competition.title}`,
      breadcrumbs: [
        { text: 'Home', href: '/' },
        { text: 'Your competitions', href: '/your-competitions' },
        { text: competition.title, href: `/find-an-opportunity/${competition.id}` },
      ],
      competition,
      own: log.page.items.filter((item) => item.askedBy !== undefined).map(ownQuestion),
      // When questions close is said once: beside the question field when the form is shown, not again
      // above the published answers (where the opportunity page, which has no form, says it).
      answers: canAsk ? { ...answers, closes: undefined } : answers,
      closes: answers.closes,
      canAsk,
      notMember: organisations.length === 0,
      closedAt: answers.closes
        ? undefined
        : govukDateTime(clarificationDeadline(competition, request.now, config().rules)),
      organisations: organisations.map((provider) => ({
        value: provider.providerId,
        text: provider.providerName,
        checked: typed.providerId === provider.providerId,
      })),
      maxQuestion: QUESTION_LIMITS.question,
      asked: request.query.done === 'asked',
      values: typed,
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-competitions/{id}/questions`. */
async function questionsPage(request: PageRequest) {
  requireSession(request);
  return renderQuestions(request, competitionIdOf(request));
}

/** `POST /your-competitions/{id}/questions`: ask. */
async function ask(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const typed = {
    question: request.form.get('question') ?? '',
    providerId: request.form.get('providerId') ?? '',
  };
  const parsed = askQuestionBody.safeParse({
    question: typed.question,
    ...(typed.providerId ? { providerId: typed.providerId } : {}),
  });
  const issues = humanise(issuesOf(parsed), {
    question: 'Enter your question',
    providerId: 'Choose which of your organisations is asking',
  });
  if (!parsed.success) return renderQuestions(request, id, typed, issues);
  try {
    await askQuestion(repositories(), request.principal, id, parsed.data, request.now, config().rules);
  } catch (error) {
    if (error instanceof TooManyQuestionsError) {
      // What was typed is kept, to be sent once an answer frees a place.
      return renderQuestions(request, id, typed, [
        {
          path: 'question',
          message: `You have ${error.limit} questions waiting for an answer. You can ask more once some are answered.`,
        },
      ]);
    }
    const found = issuesFromError(error);
    if (!found) throw error;
    return renderQuestions(
      request,
      id,
      typed,
      found.map((issue) => ({ ...issue, path: issue.path === 'providerId' ? 'providerId' : 'question' })),
    );
  }
  return redirect(`/your-competitions/${id}/questions?done=asked`);
}

/** This group's pages by route key. */
export const providerQuestionPages: PageMap = {
  'GET /your-competitions/{id}/questions': questionsPage,
  'POST /your-competitions/{id}/questions': ask,
};
