/**
 * Commissioner side of competitions: your competitions, create, read, publish, cancel, and pre-qualification
 * marking and shortlisting. Running the wall itself (panel, declarations, exclusions) is `wall.ts`.
 */
import { config } from '../../shared/config';
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  prequalificationRepository,
  providerRepository,
  publicationRepository,
} from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { idempotentWhenKeyPresent } from '../../shared/http/middleware/idempotency';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { competitionsRoutes } from '../../shared/http/route-table/competitions';
import { competitionSchemas as s } from '../../shared/http/schemas/competitions';
import { prequalificationSchemas as p } from '../../shared/http/schemas/prequalification';
import { cancelCompetition } from '../../shared/use-cases/competitions/cancel-competition';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { getCompetition } from '../../shared/use-cases/competitions/get-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { listYourCompetitions } from '../../shared/use-cases/competitions/your-competitions';
import {
  listResponses,
  markResponse,
  shortlist,
} from '../../shared/use-cases/prequalification/evaluate-responses';

// Public routes (a token is optional) and idempotent ones.
const defineRoute = routesWith(competitionsRoutes, { optionalToken, idempotency: idempotentWhenKeyPresent });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    providers: providerRepository(),
    notifications: notificationRepository(),
    prequalification: prequalificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

export const handler = dispatch({
  'GET /me/competitions': defineRoute(
    'GET /me/competitions',
    s['GET /me/competitions'],
    async ({ principal, query, receivedAt }) =>
      json(200, await listYourCompetitions(repositories(), principal, query, receivedAt)),
  ),
  'POST /competitions': defineRoute(
    'POST /competitions',
    s['POST /competitions'],
    async ({ principal, body, receivedAt }) =>
      json(201, await createCompetition(repositories(), principal, body, receivedAt, config().rules)),
  ),
  'GET /competitions/{id}': defineRoute(
    'GET /competitions/{id}',
    s['GET /competitions/{id}'],
    async ({ principal, params, receivedAt }) =>
      json(200, await getCompetition(repositories(), principal, params.id, receivedAt, config().rules)),
  ),
  'POST /competitions/{id}/publish': defineRoute(
    'POST /competitions/{id}/publish',
    s['POST /competitions/{id}/publish'],
    async ({ principal, params, receivedAt }) =>
      json(200, await publishCompetition(repositories(), principal, params.id, receivedAt, config().rules)),
  ),
  'POST /competitions/{id}/cancel': defineRoute(
    'POST /competitions/{id}/cancel',
    s['POST /competitions/{id}/cancel'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await cancelCompetition(repositories(), principal, params.id, body.reason, receivedAt)),
  ),
  'GET /competitions/{id}/prequalification-responses': defineRoute(
    'GET /competitions/{id}/prequalification-responses',
    p['GET /competitions/{id}/prequalification-responses'],
    async ({ principal, params, receivedAt }) =>
      json(200, await listResponses(repositories(), principal, params.id, receivedAt)),
  ),
  'PUT /competitions/{id}/prequalification-responses/{responseId}/marks': defineRoute(
    'PUT /competitions/{id}/prequalification-responses/{responseId}/marks',
    p['PUT /competitions/{id}/prequalification-responses/{responseId}/marks'],
    async ({ principal, params, body, receivedAt }) =>
      json(
        200,
        await markResponse(repositories(), principal, params.id, params.responseId, body, receivedAt),
      ),
  ),
  'POST /competitions/{id}/shortlist': defineRoute(
    'POST /competitions/{id}/shortlist',
    p['POST /competitions/{id}/shortlist'],
    async ({ principal, params, body, receivedAt }) =>
      json(200, await shortlist(repositories(), principal, params.id, body, receivedAt, config().rules)),
  ),
});
