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
      html: `<a class="govuk-link" href="/commissioning/${encodeURIComponent(alert.competitionId)}/audit">${escapeHtml(alert.competitionTitle ?? `Competition ${alert.competitionId}`)}<span class="govuk-visually-hidden">: audit trail</span></a>`,
    },
    { html: `<span class="app-break-anywhere">${escapeHtml(alert.actor)}</span>` },
    {
      html: `<code>${escapeHtml(alert.action)}</code><br><span class="govuk-body-s app-break-anywhere">${escapeHtml(alert.resource)}</span>`,
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
