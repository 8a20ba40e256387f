/**
 * Platform routes: health, the OpenAPI document, the caller, and the 404 for unknown routes.
 */
import { membershipRepository, providerRepository } from '../../shared/db/repositories';
import { dispatch } from '../../shared/http/dispatch';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { buildOpenApiDocument, serverUrlOf } from '../../shared/http/openapi';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { platformRoutes } from '../../shared/http/route-table/platform';
import { platformSchemas } from '../../shared/http/schemas/platform';
import { getMe } from '../../shared/use-cases/get-me';

// Public routes (a token is optional); none idempotent, so no idempotency in the bundle.
const defineRoute = routesWith(platformRoutes, { optionalToken });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    memberships: membershipRepository(),
    providers: providerRepository(),
  };
}

let openApiDocument: ReturnType<typeof buildOpenApiDocument> | undefined;

export const handler = dispatch({
  'GET /health': defineRoute('GET /health', platformSchemas['GET /health'], async () =>
    json(200, { status: 'ok' }),
  ),
  'GET /openapi.json': defineRoute(
    'GET /openapi.json',
    platformSchemas['GET /openapi.json'],
    async ({ event, headers }) => {
      openApiDocument ??= buildOpenApiDocument();
      // `servers` names the address this request reached, so a client generated from the document calls
      // this deployment (the API's domain in AWS, the gateway's host and port locally).
      const serverUrl = serverUrlOf(event.requestContext.domainName, headers['x-forwarded-proto']);
      return json(
        200,
        { ...openApiDocument, servers: [{ url: serverUrl ?? '/' }] },
        { 'cache-control': 'public, max-age=300' },
      );
    },
  ),
  'GET /me': defineRoute('GET /me', platformSchemas['GET /me'], async ({ principal }) =>
    json(200, await getMe(repositories(), principal)),
  ),
});
