/**
 * `defineRoute` with every optional middleware given: the HTTP stack of `route-stack.ts` (see there) with
 * the optional token of public routes and idempotency always at hand, whichever routes a function has.
 *
 * A handler module whose function has no public or no idempotent routes takes `routesWith` from
 * `route-stack.ts` instead, with only the middlewares it needs, and its bundle leaves the others out
 * (jose, ~18 KB minified; Powertools idempotency and JMESPath, ~40 KB). This module bundles both.
 */
import { idempotentWhenKeyPresent } from './middleware/idempotency';
import { optionalToken } from './middleware/optional-token';
import type { RouteSchemas } from './middleware/validate';
import {
  buildRouteHandler as buildWith,
  type HttpHandler,
  type Infer,
  type RouteMiddleware,
  routesWith,
} from './route-stack';
import type { RouteSpec } from './route-types';
import type { HttpResult, RouteRequest } from './types';

export {
  type HttpHandler,
  MissingRouteMiddlewareError,
  notFoundHandler,
  type RouteMiddleware,
  routesWith,
  securityHeaders,
} from './route-stack';

/** Both optional middlewares: what a function with public and idempotent routes passes to `routesWith`. */
export const EVERY_ROUTE_MIDDLEWARE = {
  optionalToken,
  idempotency: idempotentWhenKeyPresent,
} as const satisfies Required<RouteMiddleware>;

/**
 * The `defineRoute` of one context's part of the route table (`route-table/<context>.ts`), with both
 * optional middlewares (see `routesWith` in `route-stack.ts`, which takes only those a function needs).
 */
export function routesOf<const R extends readonly RouteSpec[]>(routes: R) {
  const defineRoute = routesWith(routes, EVERY_ROUTE_MIDDLEWARE);
  return defineRoute as <S extends RouteSchemas>(
    routeKey: `${R[number]['method']} ${R[number]['path']}`,
    schemas: S,
    handle: (
      request: RouteRequest<Infer<S['params']>, Infer<S['query']>, Infer<S['body']>>,
    ) => Promise<HttpResult>,
  ) => HttpHandler;
}

/**
 * Builds the handler for a route definition with both optional middlewares; `defineRoute` is the form
 * handlers use, this one lets tests wrap a trivial handler in the real stack.
 */
export function buildRouteHandler<S extends RouteSchemas>(
  route: Pick<RouteSpec, 'access' | 'idempotent'>,
  schemas: S,
  handle: (
    request: RouteRequest<Infer<S['params']>, Infer<S['query']>, Infer<S['body']>>,
  ) => Promise<HttpResult>,
): HttpHandler {
  return buildWith(route, schemas, handle, EVERY_ROUTE_MIDDLEWARE);
}
