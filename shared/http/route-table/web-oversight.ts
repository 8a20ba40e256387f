/**
 * The verification queue (issue 16): GOV.UK-styled pages where admins verify registered providers or reject
 * them with a reason. Part of the route table (`shared/http/routes.ts`).
 *
 * Served by the oversight function (`webOversight`, declared with the workspace's functions in
 * `web-commissioning.ts`), which faces oversight, not the provider side: its role is the admins' and
 * auditors', shared with no provider-facing page. The pages call the use cases of `POST /providers/{id}/verify`
 * and `/reject`, so the policy decides (admins only) and the audit log records each decision and each
 * refused attempt, on the web exactly as on the API.
 *
 * Like every page route they are `public` to API Gateway (browsers carry a session cookie, not a bearer
 * token) and marked `kind: 'page'`; each page demands a signed-in session and its use case decides the rest.
 */
import { pagesOf, type RouteSpec } from '../route-types';

const oversight = pagesOf('webOversight');

/** Routes of this context. */
export const webOversightRoutes = [
  oversight(
    'GET',
    '/admin/providers',
    'The verification queue: providers waiting for an admin, longest first',
  ),
  oversight(
    'GET',
    '/admin/providers/{id}',
    'A registration to decide on, with its numbers linked to the public registers',
  ),
  oversight('GET', '/admin/providers/{id}/verify', 'Verify a provider: what it means, and the confirmation'),
  oversight('POST', '/admin/providers/{id}/verify', 'Verify a provider'),
  oversight('GET', '/admin/providers/{id}/reject', 'Reject a registration: the reason its owners will read'),
  oversight('POST', '/admin/providers/{id}/reject', 'Reject a registration'),
] as const satisfies readonly RouteSpec[];
