/**
 * The public directory of verified providers. A function of its own so it runs with read-only access.
 */
import { providerRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { providersRoutes } from '../../shared/http/route-table/providers';
import { providerSchemas as s } from '../../shared/http/schemas/providers';
import { searchDirectory } from '../../shared/use-cases/search-directory';

// Public routes (a token is optional); none idempotent, so no idempotency in the bundle.
const defineRoute = routesWith(providersRoutes, { optionalToken });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    providers: providerRepository(),
  };
}

export const handler = dispatch({
  'GET /directory': defineRoute('GET /directory', s['GET /directory'], async ({ query }) =>
    json(200, await searchDirectory(repositories(), query), { 'cache-control': 'public, max-age=60' }),
  ),
});
