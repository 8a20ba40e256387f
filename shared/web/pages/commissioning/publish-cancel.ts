/**
 * Publishing a draft and cancelling a competition (`/commissioning/{id}/publish`, `/cancel`): a check page
 * with what will be published and a button, and a reason form before cancelling. The check pages come from
 * `publish-cancel-check.ts` (the same refusals as the POSTs: 403 for anyone but the lead, 409 in the wrong
 * state); the POSTs call the JSON routes' use cases, `publishCompetition` and `cancelCompetition`, and send
 * the lead back to the task list with a success banner.
 */
import { config } from '../../../config';
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  providerRepository,
  publicationRepository,
} from '../../../db/repositories';
import type { PublicCompetition } from '../../../domain/competitions';
import type { FieldIssue } from '../../../domain/errors';
import { COMPETITION_LIMITS } from '../../../http/schemas/competitions';
import { cancelCompetition } from '../../../use-cases/competitions/cancel-competition';
import { checkCancellation, checkPublication } from '../../../use-cases/competitions/publish-cancel-check';
import { publishCompetition } from '../../../use-cases/competitions/publish-competition';
import { formErrors } from '../../forms';
import { govukDate, govukDateTime, label, pounds, tierName } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionPageContext, statusTag } from './common';
import { competitionIdOf } from './competition-params';

/** The repositories these pages' use cases need, and no others. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    providers: providerRepository(),
    notifications: notificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

/** The summary-list rows of what a competition publishes (its public view). */
export function publicationRows(
  competition: PublicCompetition,
): { key: { text: string }; value: { text: string } }[] {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  return [
    row('Title', competition.title),
    row('Description', competition.description),
    row('Services', competition.services.map(label).join(', ')),
    row('Regions', competition.regions.map(label).join(', ')),
    row('Estimated value', pounds(competition.estimatedValuePence)),
    row('Term', `${competition.termMonths} months`),
    row('Pre-qualification', tierName(competition.prequalificationTier)),
    ...(competition.prequalificationDeadline
      ? [row('Pre-qualification closes', govukDateTime(competition.prequalificationDeadline))]
      : []),
    row('Tenders close', govukDateTime(competition.tenderDeadline)),
    row('Award criteria', competition.criteria.map((c) => `${c.name} (${c.kind}): ${c.weight}%`).join('; ')),
  ];
}

/**
 * What the lead should know before publishing, though publishing does not need it (API.md: publishing
 * needs no declaration, and no panel): without a panel nobody can mark or score, and without a declaration
 * the lead cannot read a response or decide anything once it runs.
 */
export function publicationWarnings(check: { panelSet: boolean; leadDeclared: boolean }): string[] {
  const warnings: string[] = [];
  if (!check.panelSet) {
    warnings.push(
      'No panel is set yet. You can publish without one, but nobody can mark responses or score bids until you choose the evaluators and the moderator.',
    );
  }
  if (!check.leadDeclared) {
    warnings.push(
      'You have not declared your interests yet. You can publish without a declaration, but you must declare before you can read responses or bids, shortlist or decide the award.',
    );
  }
  return warnings;
}

/** `GET /commissioning/{id}/publish`: what will be published, and the button. */
async function publishPage(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const check = await checkPublication(repositories(), request.principal, id, request.now, config().rules);
  return render(request, 'commissioning/publish.njk', {
    title: `Check and publish: ${check.competition.title}`,
    ...competitionPageContext(check.competition, 'tasks', { principal: request.principal }),
    competition: check.competition,
    rows: publicationRows(check.competition),
    problem: check.problem,
    warnings: publicationWarnings(check),
  });
}

/** `POST /commissioning/{id}/publish`. */
async function publish(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  await publishCompetition(repositories(), request.principal, id, request.now, config().rules);
  return redirect(`/commissioning/${id}?done=published`);
}

/** The issues of a cancellation reason: required, within the API's limit. */
export function cancelReasonIssues(reason: string): FieldIssue[] {
  if (!reason) return [{ path: 'reason', message: 'Enter why you are cancelling this competition' }];
  if (reason.length > COMPETITION_LIMITS.reason) {
    return [
      { path: 'reason', message: `The reason must be ${COMPETITION_LIMITS.reason} characters or fewer` },
    ];
  }
  return [];
}

/** Renders the cancel form, with what was typed and its problems. */
async function renderCancel(request: PageRequest, id: string, reason = '', issues: FieldIssue[] = []) {
  const competition = await checkCancellation(repositories(), request.principal, id, request.now);
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    'commissioning/cancel.njk',
    {
      title: `Cancel: ${competition.title}`,
      ...competitionPageContext(competition, 'tasks', { principal: request.principal }),
      competition,
      status: statusTag(competition.status),
      published: competition.publishedAt ? govukDate(competition.publishedAt) : undefined,
      maxReason: COMPETITION_LIMITS.reason,
      values: { reason },
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/cancel`. */
async function cancelPage(request: PageRequest) {
  requireSession(request);
  return renderCancel(request, competitionIdOf(request));
}

/** `POST /commissioning/{id}/cancel`. */
async function cancel(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const reason = (request.form.get('reason') ?? '').trim();
  const issues = cancelReasonIssues(reason);
  if (issues.length > 0) return renderCancel(request, id, reason, issues);
  await cancelCompetition(repositories(), request.principal, id, reason, request.now);
  return redirect(`/commissioning/${id}?done=cancelled`);
}

/** This group's pages by route key. */
export const publishCancelPages: PageMap = {
  'GET /commissioning/{id}/publish': publishPage,
  'POST /commissioning/{id}/publish': publish,
  'GET /commissioning/{id}/cancel': cancelPage,
  'POST /commissioning/{id}/cancel': cancel,
};
