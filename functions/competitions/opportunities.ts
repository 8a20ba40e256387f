/**
 * The public list of open opportunities. A function of its own: read-only, and no access to inside
 * information.
 */
import { competitionRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { competitionsRoutes } from '../../shared/http/route-table/competitions';
import { competitionSchemas as s } from '../../shared/http/schemas/competitions';
import { prequalificationSchemas as p } from '../../shared/http/schemas/prequalification';
import { listOpportunities } from '../../shared/use-cases/competitions/opportunities';
import { getQuestionnaire } from '../../shared/use-cases/prequalification/questionnaire';

// Public routes (a token is optional); none idempotent, so no idempotency in the bundle.
const defineRoute = routesWith(competitionsRoutes, { optionalToken });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    competitions: competitionRepository(),
  };
}

export const handler = dispatch({
  'GET /opportunities': defineRoute(
    'GET /opportunities',
    s['GET /opportunities'],
    async ({ query, receivedAt }) =>
      json(200, await listOpportunities(repositories(), query, receivedAt), {
        'cache-control': 'public, max-age=30',
      }),
  ),
  'GET /competitions/{id}/questionnaire': defineRoute(
    'GET /competitions/{id}/questionnaire',
    p['GET /competitions/{id}/questionnaire'],
    async ({ params }) =>
      json(200, await getQuestionnaire(repositories(), params.id), {
        'cache-control': 'public, max-age=300',
      }),
  ),
});
