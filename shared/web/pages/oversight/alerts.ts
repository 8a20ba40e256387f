/**
 * Breach-attempt alerts: denied attempts from outside a competition's wall, newest first, for admins and
 * auditors (`listAlerts` decides: the API gives `GET /alerts` to both). The page calls the use case of
 * `GET /alerts` (`listAlertsWithTitles` is `listAlerts` with each competition's title), so an alert's actor
 * stays hidden while that competition's bids are sealed, as on the API.
 */
import { auditRepository, competitionRepository } from '../../../db/repositories';
import { competitionSchemas } from '../../../http/schemas/competitions';
import { listAlertsWithTitles } from '../../../use-cases/competitions/audit-log';
import { escapeHtml, govukDateTime } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { commissioningBreadcrumbs } from '../commissioning/common';
import { forwardPagination, reasonWords } from './paging';

/** What each audited action was, in plain words (the audit log's codes are for software). */
const ACTION_WORDS: Record<string, string> = {
  'audit.read': 'Read the audit trail',
  'audit.verify': 'Verify the audit trail',
  'award.confirm': 'Confirm the award',
  'award.decide': 'Decide the award',
  'bid.read': 'Read a bid',
  'bids.read': 'Read the bids',
  'challenge.decide': 'Decide a challenge',
  'challenges.read': 'Read the challenges',
  'competition.cancel': 'Cancel the competition',
  'confidential.read': 'Read the confidential section',
  'declaration.clear': 'Clear a declared conflict',
  'declaration.form': 'Open the declaration form',
  'document.upload': 'Upload a tender document',
  'documents.read': 'Read the tender documents',
  'evaluation.read': 'Read the evaluation and ranking',
  'moderation.record': 'Record moderated scores',
  'panel.read': 'Read the panel',
  'panel.set': 'Set the panel',
  'prequalification.mark': 'Mark a pre-qualification response',
  'prequalification.read': 'Read the pre-qualification responses',
  'price.clarify': 'Record a price clarification',
  'question.answer': 'Answer a clarification question',
  'question.read': 'Read a clarification question',
  'questions.read': 'Read the clarification questions',
  'scores.record': 'Record scores',
  'shortlist.decide': 'Decide the shortlist',
  'wall.exclude': 'Exclude someone from the competition',
  'wall.lift-exclusion': 'Lift an exclusion',
  'wall.read': 'Read the wall',
  'outcomes.commission': 'Act for the commissioner on payment by results',
};

const CONTRACT_SCOPE = 'contract-';

/**
 * Where an alert's audit chain is read, and what it is called: a competition's audit trail, or – for a
 * contract's chain (payment by results, `contract-<id>`) – the contract's outcomes page.
 */
export function alertSubject(alert: { competitionId: string; competitionTitle?: string | undefined }): {
  href: string;
  text: string;
} {
  if (alert.competitionId.startsWith(CONTRACT_SCOPE)) {
    const contractId = alert.competitionId.slice(CONTRACT_SCOPE.length);
    return {
      href: `/commissioning/contracts/${encodeURIComponent(contractId)}/outcomes`,
      text: `Contract ${contractId} (payment by results)`,
    };
  }
  return {
    href: `/commissioning/${encodeURIComponent(alert.competitionId)}/audit`,
    text: alert.competitionTitle ?? `Competition ${alert.competitionId}`,
  };
}

/**
 * An audited action in plain words: its code up to the first colon (`bid.read:<bidId>` is reading one
 * bid), or the code itself, readable, when the page does not know it.
 */
export function actionWords(action: string): string {
  const code = action.split(':')[0] ?? action;
  return Object.hasOwn(ACTION_WORDS, code) ? (ACTION_WORDS[code] as string) : action;
}

/** The repositories `listAlerts` needs. */
function repositories() {
  return { competitions: competitionRepository(), audit: auditRepository() };
}

const PAGE_SIZE = 25;
const alertsQuery = competitionSchemas['GET /alerts'].query;
const PATH = '/commissioning/alerts';

/** `GET /commissioning/alerts`. */
async function alertsGet(request: PageRequest) {
  requireSession(request);
  const parsed = alertsQuery.safeParse({
    limit: request.query.limit ?? PAGE_SIZE,
    ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
  });
  // A hand-edited limit shows the first page of the usual size rather than an error.
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  const page = await listAlertsWithTitles(repositories(), request.principal, query, request.now);
  const rows = page.items.map((alert) => [
    { text: govukDateTime(alert.at) },
    {
      html: (({ href, text }) =>
        `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}<span class="govuk-visually-hidden">: audit trail</span></a>`)(
        alertSubject(alert),
      ),
    },
    { html: `<span class="app-break-anywhere">${escapeHtml(alert.actor)}</span>` },
    {
      html: `${escapeHtml(actionWords(alert.action))}<br><span class="govuk-body-s app-break-anywhere">${escapeHtml(alert.resource)}</span>`,
    },
    { text: reasonWords(alert.reason) },
  ]);
  const kept: Record<string, string> = query.limit !== PAGE_SIZE ? { limit: String(query.limit) } : {};
  return render(request, 'oversight/alerts.njk', {
    title: 'Breach-attempt alerts',
    section: 'commissioning',
    breadcrumbs: commissioningBreadcrumbs(),
    rows,
    firstPage: !query.cursor,
    pagination: forwardPagination(PATH, kept, query.cursor, page.nextCursor),
  });
}

/** This group's pages by route key. */
export const alertPages: PageMap = {
  'GET /commissioning/alerts': alertsGet,
};
