/**
 * Audit trails, chain verification and alerts, for auditors and admins.
 */
import { auditRepository, competitionRepository, membershipRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { competitionsRoutes } from '../../shared/http/route-table/competitions';
import { competitionSchemas as s } from '../../shared/http/schemas/competitions';
import { listAlerts, readAuditLog, verifyAuditLog } from '../../shared/use-cases/competitions/audit-log';

// No public or idempotent routes: neither optional middleware is bundled.
const defineRoute = routesWith(competitionsRoutes, {});

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
  };
}

export const handler = dispatch({
  'GET /competitions/{id}/audit': defineRoute(
    'GET /competitions/{id}/audit',
    s['GET /competitions/{id}/audit'],
    async ({ principal, params, query, receivedAt }) =>
      json(200, await readAuditLog(repositories(), principal, params.id, query, receivedAt)),
  ),
  'GET /competitions/{id}/audit/verify': defineRoute(
    'GET /competitions/{id}/audit/verify',
    s['GET /competitions/{id}/audit/verify'],
    async ({ principal, params, query, receivedAt }) =>
      json(200, await verifyAuditLog(repositories(), principal, params.id, receivedAt, query)),
  ),
  'GET /alerts': defineRoute('GET /alerts', s['GET /alerts'], async ({ principal, query, receivedAt }) =>
    json(200, await listAlerts(repositories(), principal, query, receivedAt)),
  ),
});
