/**
 * Running the ethical wall: the lead sets the panel and excludes people (and lifts exclusions); the lead
 * and panel members sign declarations, and someone else clears a declared conflict; the lead, auditors
 * and admins read the wall. A function of its own: it needs no write access to sealed data or the registry.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  competitionRepository,
  identityDirectory,
  membershipRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { competitionsRoutes } from '../../shared/http/route-table/competitions';
import { competitionSchemas as s } from '../../shared/http/schemas/competitions';
import {
  clearDeclaration,
  declare,
  excludeFromWall,
  getWall,
  liftExclusion,
  setPanel,
} from '../../shared/use-cases/competitions/wall-management';

// Idempotent routes; none public, so no token verification (jose) in the bundle.
const defineRoute = routesWith(competitionsRoutes, { idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
  };
}

export const handler = dispatch({
  'PUT /competitions/{id}/panel': defineRoute(
    'PUT /competitions/{id}/panel',
    s['PUT /competitions/{id}/panel'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await setPanel(
          // The identity provider says whether each person chosen holds the commissioner role.
          { ...repositories(), people: identityDirectory() },
          principal,
          params.id,
          body,
          receivedAt,
          config().rules.evaluation,
        ),
      ),
  ),
  'POST /competitions/{id}/declarations': defineRoute(
    'POST /competitions/{id}/declarations',
    s['POST /competitions/{id}/declarations'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await declare(repositories(), principal, params.id, body.conflicts, receivedAt)),
  ),
  'POST /competitions/{id}/declarations/{sub}/clearance': defineRoute(
    'POST /competitions/{id}/declarations/{sub}/clearance',
    s['POST /competitions/{id}/declarations/{sub}/clearance'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        201,
        await clearDeclaration(repositories(), principal, params.id, params.sub, body.reason, receivedAt),
      ),
  ),
  'POST /competitions/{id}/wall/exclusions/{sub}/lift': defineRoute(
    'POST /competitions/{id}/wall/exclusions/{sub}/lift',
    s['POST /competitions/{id}/wall/exclusions/{sub}/lift'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        201,
        await liftExclusion(repositories(), principal, params.id, params.sub, body.reason, receivedAt),
      ),
  ),
  'POST /competitions/{id}/wall/exclusions': defineRoute(
    'POST /competitions/{id}/wall/exclusions',
    s['POST /competitions/{id}/wall/exclusions'],
    async ({ principal, params, body, receivedAt }) =>
      json(201, await excludeFromWall(repositories(), principal, params.id, body, receivedAt)),
  ),
  'GET /competitions/{id}/wall': defineRoute(
    'GET /competitions/{id}/wall',
    s['GET /competitions/{id}/wall'],
    async ({ principal, params, receivedAt }) =>
      json(200, await getWall(repositories(), principal, params.id, receivedAt)),
  ),
});
