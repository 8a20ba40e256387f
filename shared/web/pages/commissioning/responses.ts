/**
 * Pre-qualification responses after the deadline, their marking and the shortlist (issue 14): the list
 * with each response's automatic results and marks, one response with its answers and the marking form,
 * and the shortlist page. Every page calls the use case its JSON route calls
 * (`GET /competitions/{id}/prequalification-responses`, `PUT …/marks`, `POST /competitions/{id}/shortlist`),
 * so the policy module decides each access and the audit log records each read; before the deadline, or
 * for anyone outside the wall, the use case refuses and the page stack shows the refusal.
 */
import { config } from '../../../config';
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  prequalificationRepository,
  publicationRepository,
} from '../../../db/repositories';
import type { PublicCompetition } from '../../../domain/competitions';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import { type Answer, type AutomaticResult, questionnaireFor } from '../../../domain/prequalification';
import { ulidSchema } from '../../../http/schemas/common';
import { markBody, PREQUALIFICATION_LIMITS, shortlistBody } from '../../../http/schemas/prequalification';
import {
  listResponsesForPanel,
  markResponse,
  type ResponseView,
  shortlist,
} from '../../../use-cases/prequalification/evaluate-responses';
import { fieldId, formErrors, humanise, issuesFromError, issuesOf, optionalText } from '../../forms';
import { escapeHtml, govukDateTime, linesHtml, pounds } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { type Breadcrumb, competitionPageContext } from './common';

/** The repositories the pre-qualification use cases need (as `functions/competitions/index.ts` builds them). */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    notifications: notificationRepository(),
    prequalification: prequalificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

/** A ULID from the address, or the 404 page: a malformed id names nothing. */
function idFrom(raw: string | undefined, what: string): string {
  const id = ulidSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError(`No ${what} at this address.`);
  return id.data;
}

/** How each automatic result reads, and its tag's colour. */
const RESULT_TAGS: Record<AutomaticResult, { text: string; colour: string }> = {
  pass: { text: 'Pass', colour: 'green' },
  fail: { text: 'Fail', colour: 'red' },
  review: { text: 'Evaluators decide', colour: 'yellow' },
};

const resultTag = (result: AutomaticResult) => {
  const shown = RESULT_TAGS[result];
  return `<strong class="govuk-tag govuk-tag--${shown.colour}">${escapeHtml(shown.text)}</strong>`;
};

/** Whether a response failed an automatic check (the shortlist cannot take it). */
const failedAutomatically = (response: ResponseView) =>
  response.automatic.exclusion.result === 'fail' || response.automatic.financial.result === 'fail';

/** The financial standing's numbers in words. */
function financialWords(response: ResponseView): string {
  const { combinedTurnoverPence, minimumTurnoverPence } = response.automatic.financial;
  const whose = response.consortium.length > 0 ? 'Combined turnover (with the consortium)' : 'Turnover';
  return `${whose} ${pounds(combinedTurnoverPence)}; minimum ${pounds(minimumTurnoverPence)}`;
}

/** The marks so far in a few words: "2 pass, 1 fail", or "None yet". */
function marksWords(response: ResponseView): string {
  const passes = response.marks.filter((m) => m.result === 'pass').length;
  const fails = response.marks.length - passes;
  if (response.marks.length === 0) return 'None yet';
  return [passes > 0 ? `${passes} pass` : '', fails > 0 ? `${fails} fail` : ''].filter(Boolean).join(', ');
}

/** The crumbs of a page below the responses list. */
function belowResponses(
  competition: PublicCompetition,
  principal: PageRequest['principal'],
): Record<string, unknown> {
  const context = competitionPageContext(competition, 'responses', { principal });
  return {
    ...context,
    breadcrumbs: [
      ...(context.breadcrumbs as Breadcrumb[]),
      { text: 'Responses', href: `/commissioning/${competition.id}/responses` },
    ],
  };
}

/** `GET /commissioning/{id}/responses`: every response with its automatic results and marks. */
async function responsesPage(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const view = await listResponsesForPanel(repositories(), request.principal, id, request.now);
  const { competition } = view;
  const rows = view.items.map((response) => [
    {
      html: `<a class="govuk-link" href="/commissioning/${id}/responses/${response.id}">${escapeHtml(response.providerName)}</a>${
        response.consortium.length > 0
          ? `<br><span class="govuk-body-s">with ${response.consortium.map((m) => escapeHtml(m.name)).join(', ')}</span>`
          : ''
      }`,
    },
    { text: govukDateTime(response.submittedAt) },
    {
      html: `${resultTag(response.automatic.exclusion.result)}<br><span class="govuk-body-s">${escapeHtml(response.automatic.exclusion.reason)}</span>`,
    },
    {
      html: `${resultTag(response.automatic.financial.result)}<br><span class="govuk-body-s">${escapeHtml(financialWords(response))}</span>`,
    },
    { text: marksWords(response) },
  ]);
  const marked = view.items.find((r) => r.id === request.query.marked);
  return render(request, 'commissioning/responses.njk', {
    ...competitionPageContext(competition, 'responses', { principal: request.principal }),
    title: `Pre-qualification responses – ${competition.title}`,
    competition,
    rows,
    may: view.may,
    shortlisting: competition.status === 'shortlisting',
    closedAt: govukDateTime(competition.prequalificationDeadline),
    marked: marked ? `Your mark for ${marked.providerName}’s response is saved` : undefined,
  });
}

/** A question as the response page shows it: a money question's "(pence)" dropped, as its answer is in pounds. */
export function questionLabel(questionId: string, text: string): string {
  return questionId.endsWith('-pence') ? text.replace(/\s*\(pence\)/, '') : text;
}

/** An answer as words: yes or no, money in pounds, numbers with separators, text with its line breaks. */
function answerHtml(questionId: string, answer: Answer | undefined): string {
  if (answer === undefined) return 'Not answered';
  if (typeof answer === 'boolean') return answer ? 'Yes' : 'No';
  if (typeof answer === 'number')
    return questionId.endsWith('-pence') ? escapeHtml(pounds(answer)) : answer.toLocaleString('en-GB');
  return linesHtml(answer);
}

/** A marking form sent back with problems. */
interface FailedMark {
  values: { result: string; comment: string };
  issues: FieldIssue[];
}

/** The response page: answers, consortium, automatic results, marks so far and the marking form. */
async function renderResponse(request: PageRequest, id: string, responseId: string, failed?: FailedMark) {
  const viewer = requireSession(request).sub;
  const view = await listResponsesForPanel(repositories(), request.principal, id, request.now);
  const { competition } = view;
  const response = view.items.find((r) => r.id === responseId);
  if (!response) throw new NotFoundError('No response at this address.');
  const answer = (questionId: string) =>
    Object.hasOwn(response.answers, questionId) ? response.answers[questionId] : undefined;
  const sections = questionnaireFor(competition.prequalificationTier).sections.map((section) => ({
    title: section.title,
    rows: section.questions.map((question) => ({
      // The questionnaire names its money questions in pence (the API's unit); the page shows pounds.
      key: { text: questionLabel(question.id, question.text) },
      value: { html: answerHtml(question.id, answer(question.id)) },
    })),
  }));
  const automatic = [
    {
      key: { text: 'Exclusion grounds' },
      value: {
        html: `${resultTag(response.automatic.exclusion.result)}<br>${escapeHtml(response.automatic.exclusion.reason)}`,
      },
    },
    {
      key: { text: 'Financial standing' },
      value: {
        html: `${resultTag(response.automatic.financial.result)}<br>${escapeHtml(financialWords(response))}`,
      },
    },
  ];
  const markRows = response.marks.map((mark) => [
    { text: mark.evaluator === viewer ? `${mark.evaluator} (you)` : mark.evaluator },
    { html: resultTag(mark.result) },
    { html: linesHtml(mark.comment) },
    { text: govukDateTime(mark.markedAt) },
  ]);
  const own = response.marks.find((m) => m.evaluator === viewer);
  const values = failed?.values ?? { result: own?.result ?? '', comment: own?.comment ?? '' };
  const { errorList, errors } = formErrors(failed?.issues ?? []);
  return render(
    request,
    'commissioning/response.njk',
    {
      ...belowResponses(competition, request.principal),
      title: `${response.providerName}’s response – ${competition.title}`,
      competition,
      response,
      submitted: govukDateTime(response.submittedAt),
      consortiumRows: response.consortium.map((m) => [{ text: m.name }, { text: m.role }]),
      automatic,
      sections,
      markRows,
      ownMarkedAt: own ? govukDateTime(own.markedAt) : undefined,
      // The policy module decides who may mark; the competition's state decides whether marking is open.
      marking: view.may.mark && competition.status === 'shortlisting',
      values,
      errorList,
      errors,
      maxComment: PREQUALIFICATION_LIMITS.comment.toLocaleString('en-GB'),
    },
    failed ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/responses/{responseId}`. */
async function responsePage(request: PageRequest) {
  requireSession(request);
  return renderResponse(
    request,
    idFrom(request.params.id, 'competition'),
    idFrom(request.params.responseId, 'response'),
  );
}

/** The marking form's messages in GOV.UK words, for the schema's generic ones. */
const MARK_MESSAGES: Record<string, string> = {
  result: 'Select whether the response passes or fails',
  comment: 'Enter a comment that explains your mark',
};

/** `POST /commissioning/{id}/responses/{responseId}`: a panel member's mark, as `PUT …/marks`. */
async function saveMark(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const responseId = idFrom(request.params.responseId, 'response');
  const values = { result: request.form.get('result') ?? '', comment: request.form.get('comment') ?? '' };
  const parsed = markBody.safeParse({
    result: optionalText(request.form, 'result'),
    comment: values.comment,
  });
  const issues = humanise(issuesOf(parsed), MARK_MESSAGES).map((issue) =>
    issue.path === 'comment' && issue.message.startsWith('Too big')
      ? {
          ...issue,
          message: `Use at most ${PREQUALIFICATION_LIMITS.comment.toLocaleString('en-GB')} characters`,
        }
      : issue,
  );
  if (!parsed.success) return renderResponse(request, id, responseId, { values, issues });
  try {
    await markResponse(repositories(), request.principal, id, responseId, parsed.data, request.now);
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderResponse(request, id, responseId, { values, issues: reported });
  }
  return redirect(`/commissioning/${id}/responses?marked=${responseId}`);
}

/** A shortlist form sent back with problems. */
interface FailedShortlist {
  chosen: string[];
  issues: FieldIssue[];
}

/**
 * A warning (not a refusal: the lead may shortlist anyway) when some panel member has not marked every
 * response, naming who has marks missing and how many; undefined when every mark is in.
 */
export function unmarkedWarning(
  items: readonly { marks: readonly { evaluator: string }[] }[],
  markers: readonly string[],
): string | undefined {
  const missing = markers
    .map((sub) => ({ sub, count: items.filter((r) => !r.marks.some((m) => m.evaluator === sub)).length }))
    .filter((m) => m.count > 0);
  if (missing.length === 0) return undefined;
  const who = missing
    .map((m) => `${m.sub} (${m.count} ${m.count === 1 ? 'response' : 'responses'})`)
    .join(', ');
  return `Not every panel member has marked every response. Still to mark: ${who}. You can still shortlist.`;
}

/** Where each shortlist problem is shown: the tender deadline's line, or the checkboxes. */
function shortlistField(path: string | undefined): string {
  return path === 'tenderDeadline' ? 'tenderDeadline' : 'responseIds';
}

/** The shortlist page: a checkbox for each response; those that failed automatically say so. */
async function renderShortlist(request: PageRequest, id: string, failed?: FailedShortlist) {
  requireSession(request);
  const view = await listResponsesForPanel(repositories(), request.principal, id, request.now);
  const { competition } = view;
  const chosen = new Set(failed?.chosen ?? []);
  const items = view.items.map((response) => ({
    value: response.id,
    text: response.providerName,
    // A response that failed an automatic check cannot be shortlisted: its box is not offered (the hint
    // says why), rather than refused after the form is sent.
    checked: chosen.has(response.id) && !failedAutomatically(response),
    disabled: failedAutomatically(response),
    hint: {
      text: failedAutomatically(response)
        ? `Failed the automatic checks: ${[
            response.automatic.exclusion.result === 'fail' ? response.automatic.exclusion.reason : '',
            response.automatic.financial.result === 'fail'
              ? `financial standing (${financialWords(response)})`
              : '',
          ]
            .filter(Boolean)
            .join('; ')}. It cannot be shortlisted.`
        : `Exclusion grounds: ${RESULT_TAGS[response.automatic.exclusion.result].text.toLowerCase()}. Financial standing: ${RESULT_TAGS[response.automatic.financial.result].text.toLowerCase()}. Marks: ${marksWords(response).toLowerCase()}.`,
    },
  }));
  const issues = (failed?.issues ?? []).map((issue) => ({ ...issue, path: shortlistField(issue.path) }));
  const { errorList, errors } = formErrors(issues, (path) =>
    path === 'tenderDeadline' ? '#tender-deadline' : `#${fieldId('responseIds')}`,
  );
  return render(
    request,
    'commissioning/shortlist.njk',
    {
      ...belowResponses(competition, request.principal),
      title: `Choose the shortlist – ${competition.title}`,
      competition,
      items,
      failedCount: view.items.filter(failedAutomatically).length,
      unmarked: unmarkedWarning(view.items, view.markers),
      // The policy module decides who shortlists (the lead); the state decides whether it is still open.
      deciding: view.may.shortlist && competition.status === 'shortlisting',
      shortlisting: competition.status === 'shortlisting',
      tenderDeadline: govukDateTime(competition.tenderDeadline),
      errorList,
      errors,
    },
    failed ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/shortlist`. */
async function shortlistPage(request: PageRequest) {
  return renderShortlist(request, idFrom(request.params.id, 'competition'));
}

/** The shortlist form's messages in GOV.UK words. */
const SHORTLIST_MESSAGES: Record<string, string> = {
  responseIds: 'Select at least one applicant to invite to tender',
};

/**
 * `POST /commissioning/{id}/shortlist`: the lead invites the chosen applicants to tender, as
 * `POST /competitions/{id}/shortlist`; then back to the task list with its success banner
 * (`?done=shortlisted`, `TASK_LIST_NOTICES` in `task-list.ts`).
 */
async function saveShortlist(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const chosen = request.form.getAll('responseIds');
  const parsed = shortlistBody.safeParse({ responseIds: chosen });
  if (!parsed.success) {
    const issues = humanise(issuesOf(parsed), SHORTLIST_MESSAGES).map((issue) =>
      issue.path?.startsWith('responseIds.')
        ? { ...issue, message: 'Select applicants from the list' }
        : issue.path === 'responseIds' && issue.message.startsWith('Too big')
          ? { ...issue, message: `Select at most ${PREQUALIFICATION_LIMITS.shortlist} applicants` }
          : issue,
    );
    return renderShortlist(request, id, { chosen, issues });
  }
  try {
    await shortlist(repositories(), request.principal, id, parsed.data, request.now, config().rules);
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderShortlist(request, id, { chosen, issues: reported });
  }
  return redirect(`/commissioning/${id}?done=shortlisted`);
}

/** This group's pages by route key. */
export const responsePages: PageMap = {
  'GET /commissioning/{id}/responses': responsesPage,
  'GET /commissioning/{id}/responses/{responseId}': responsePage,
  'POST /commissioning/{id}/responses/{responseId}': saveMark,
  'GET /commissioning/{id}/shortlist': shortlistPage,
  'POST /commissioning/{id}/shortlist': saveShortlist,
};
