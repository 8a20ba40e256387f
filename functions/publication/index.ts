/**
 * The public OCDS feed (issue 16): release packages, records, the service's VCSE extension, and the CSV of
 * contracts over £10,000. Reads the publication table only.
 */
import { publicationRepository, transparencyRepository } from '../../shared/db/repositories';
import { VCSE_EXTENSION, VCSE_RELEASE_SCHEMA } from '../../shared/domain/publication/vcse-extension';
import { dispatch } from '../../shared/http/dispatch';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import { json } from '../../shared/http/response';
import { routesWith } from '../../shared/http/route-stack';
import { publicationRoutes } from '../../shared/http/route-table/publication';
import { publicationSchemas as s } from '../../shared/http/schemas/publication';
import type { HttpEvent } from '../../shared/http/types';
import { getRecord, listReleases } from '../../shared/use-cases/publication/read-feed';
import { listListedContracts } from '../../shared/use-cases/publication/transparency';
import { contractsCsvResponse } from '../../shared/web/pages/transparency/contracts-csv';

// Public routes (a token is optional); none idempotent, so no idempotency in the bundle.
const defineRoute = routesWith(publicationRoutes, { optionalToken });

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return { publication: publicationRepository(), transparency: transparencyRepository() };
}

/**
 * The service's address as this request reached it, for the packages' URIs (the same rule as the OpenAPI
 * document's `servers`, `serverUrlOf` in `shared/http/openapi.ts`, which this bundle leaves out): the domain
 * API Gateway answered on and the scheme it says it was reached by. A host that is not a host name (a forged
 * `Host` locally) gives a fixed local address rather than a URI built from it.
 */
function baseUrlOf(event: HttpEvent, forwardedProto: string | undefined): string {
  const domain = event.requestContext.domainName;
  const scheme =
    forwardedProto === undefined ? 'http' : /^https?$/.test(forwardedProto) ? forwardedProto : undefined;
  if (!domain || !scheme || !/^[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?$/.test(domain)) return 'http://localhost';
  return `${scheme}://${domain}`;
}

const cacheFor = (seconds: number) => ({ 'cache-control': `public, max-age=${seconds}` });

export const handler = dispatch({
  'GET /ocds/releases': defineRoute(
    'GET /ocds/releases',
    s['GET /ocds/releases'],
    async ({ query, receivedAt, event, headers }) =>
      json(
        200,
        await listReleases(repositories(), query, receivedAt, {
          baseUrl: baseUrlOf(event, headers['x-forwarded-proto']),
        }),
        cacheFor(30),
      ),
  ),
  'GET /ocds/records/{ocid}': defineRoute(
    'GET /ocds/records/{ocid}',
    s['GET /ocds/records/{ocid}'],
    async ({ params, receivedAt, event, headers }) =>
      json(
        200,
        await getRecord(repositories(), params.ocid, receivedAt, {
          baseUrl: baseUrlOf(event, headers['x-forwarded-proto']),
        }),
        cacheFor(30),
      ),
  ),
  'GET /transparency/contracts.csv': defineRoute(
    'GET /transparency/contracts.csv',
    s['GET /transparency/contracts.csv'],
    async ({ query }) => contractsCsvResponse(await listListedContracts(repositories(), query)),
  ),
  'GET /ocds/extensions/vcse/extension.json': defineRoute(
    'GET /ocds/extensions/vcse/extension.json',
    s['GET /ocds/extensions/vcse/extension.json'],
    async () => json(200, VCSE_EXTENSION, cacheFor(3600)),
  ),
  'GET /ocds/extensions/vcse/release-schema.json': defineRoute(
    'GET /ocds/extensions/vcse/release-schema.json',
    s['GET /ocds/extensions/vcse/release-schema.json'],
    async () => json(200, VCSE_RELEASE_SCHEMA, cacheFor(3600)),
  ),
});
