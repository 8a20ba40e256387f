/**
 * `defineRoute` wraps a route handler in the one middy stack every handler uses:
 *
 *   outer: problem+json errors · security headers · Powertools logger and metrics · header normalisation
 *   inner: optional token (public routes) · authentication and route access · body size limit · JSON
 *          parsing · zod validation · idempotency (idempotent routes)
 *
 * Two stacks because an idempotent replay answers early from the inner stack, skipping its `after` hooks;
 * the outer stack still adds the security headers and maps errors for replays and fresh answers alike.
 *
 * This module imports neither of the two middlewares only some routes need: the optional token of public
 * routes (jose, ~18 KB minified) and idempotency (Powertools idempotency and JMESPath, ~40 KB). A handler
 * module passes the ones its function's routes need (`RouteMiddleware`), so a function without public or
 * idempotent routes does not bundle them; a route that needs one it was not given is refused when the
 * handler module loads. `route.ts` is the same stack with both always given.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { config } from '../config';
import { NotFoundError } from '../domain/errors';
import { ANONYMOUS } from '../domain/principal';
import { logger, metrics } from './logger';
import { authenticate } from './middleware/authenticate';
import { bodyLimit } from './middleware/body-limit';
import type { idempotentWhenKeyPresent } from './middleware/idempotency';
import type { optionalToken } from './middleware/optional-token';
import { problemErrors, toProblem } from './middleware/problem-errors';
import { type RouteSchemas, validate } from './middleware/validate';
import type { RouteSpec } from './route-types';
import type { HttpEvent, HttpResult, RouteRequest, StackEvent } from './types';

/** The parsed type of a schema, or undefined for none. */
export type Infer<S> = S extends z.ZodType ? z.output<S> : undefined;

/** A Lambda handler for API Gateway HTTP API events. */
export type HttpHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * Security headers (helmet's defaults). The content security policy and the other HTML-only headers apply
 * to the one HTML answer the JSON functions give, the error page a browser gets (`problem-page.ts`): it
 * may load the service's stylesheet and nothing else.
 */
export const securityHeaders = () =>
  httpSecurityHeaders({
    // Set by the error page itself (`problemPageCsp`): middy's default would block its stylesheet.
    contentSecurityPolicy: false,
    // The stylesheet comes from CloudFront in AWS, which sends no Cross-Origin-Resource-Policy header.
    crossOriginEmbedderPolicy: false,
    // middy's list names features Chromium does not know, and it logs an error for each; no feature is
    // needed by a page without scripts anyway.
    permissionsPolicy: false,
    // No reporting endpoint exists to receive reports, and no server banner should be sent at all.
    reportTo: false,
    poweredBy: false,
    // The legacy XSS auditor header: gone from browsers, abusable where it lingers; the CSP protects.
    xssProtection: false,
  });

/**
 * The middlewares only some routes need, given by the handler module of a function whose routes need them
 * (so the others do not bundle them):
 * - `optionalToken` (`middleware/optional-token.ts`): every `public` route, to identify a caller who sends
 *   a token anyway (API Gateway's authorizer guards only the other routes);
 * - `idempotency` (`middleware/idempotency.ts`, its `idempotentWhenKeyPresent`): every `idempotent` route.
 */
export interface RouteMiddleware {
  optionalToken?: typeof optionalToken;
  idempotency?: typeof idempotentWhenKeyPresent;
}

/** Route specs that need a middleware `M` does not give. */
type Unservable<M extends RouteMiddleware> =
  | (M extends { optionalToken: typeof optionalToken } ? never : { access: 'public' })
  | (M extends { idempotency: typeof idempotentWhenKeyPresent } ? never : { idempotent: true });

/** The route keys (`"METHOD /path"`) of the routes in `R` that middleware `M` can serve. */
export type ServableRouteKey<R extends RouteSpec, M extends RouteMiddleware> =
  R extends Unservable<M> ? never : `${R['method']} ${R['path']}`;

/**
 * The `defineRoute` of one context's part of the route table (`route-table/<context>.ts`), with the
 * optional middlewares the calling function's routes need. Handlers take it from their own context's
 * routes, so a function's bundle carries that part of the table only, not every context's routes and
 * summaries; the route key is checked against those routes (and against `middleware`: a public or
 * idempotent route needs its middleware) when compiling, and again when the handler module loads.
 *
 * `defineRoute(routeKey, schemas, handle)` builds the Lambda handler for one route: `routeKey` e.g.
 * `"GET /me"`, `schemas` the zod schemas for `params`, `query` and `body`, `handle` the route body, which
 * receives validated input and the principal and calls one use case.
 */
export function routesWith<const R extends readonly RouteSpec[], const M extends RouteMiddleware>(
  routes: R,
  middleware: M,
) {
  return function defineRoute<S extends RouteSchemas>(
    routeKey: ServableRouteKey<R[number], M>,
    schemas: S,
    handle: (
      request: RouteRequest<Infer<S['params']>, Infer<S['query']>, Infer<S['body']>>,
    ) => Promise<HttpResult>,
  ): HttpHandler {
    const route = routes.find((candidate) => `${candidate.method} ${candidate.path}` === routeKey);
    if (!route) throw new Error(`Route ${routeKey} is not in the route table`);
    return buildRouteHandler(route, schemas, handle, middleware);
  };
}

/** Thrown when a handler module defines a route without a middleware the route needs. */
export class MissingRouteMiddlewareError extends Error {
  override readonly name = 'MissingRouteMiddlewareError';
}

/**
 * Builds the handler for a route definition; `defineRoute` is the form handlers use, this one lets tests
 * wrap a trivial handler in the real stack.
 * @param middleware the optional middlewares; a public route without `optionalToken`, or an idempotent
 *   one without `idempotency`, is refused (MissingRouteMiddlewareError) rather than served without it.
 */
export function buildRouteHandler<S extends RouteSchemas>(
  route: Pick<RouteSpec, 'access' | 'idempotent'>,
  schemas: S,
  handle: (
    request: RouteRequest<Infer<S['params']>, Infer<S['query']>, Infer<S['body']>>,
  ) => Promise<HttpResult>,
  middleware: RouteMiddleware,
): HttpHandler {
  const { maxJsonBodyBytes, maxCsvBodyBytes } = config();

  const inner = middy<StackEvent, HttpResult>();
  if (route.access === 'public') {
    if (!middleware.optionalToken) {
      throw new MissingRouteMiddlewareError('A public route needs the optionalToken middleware');
    }
    inner.use(middleware.optionalToken(config().jwt));
  }
  inner
    .use(authenticate(route.access))
    .use(bodyLimit({ json: maxJsonBodyBytes, csv: maxCsvBodyBytes }))
    .use(httpJsonBodyParser({ disableContentTypeError: true }))
    .use(validate(schemas));
  if (route.idempotent) {
    if (!middleware.idempotency) {
      throw new MissingRouteMiddlewareError('An idempotent route needs the idempotency middleware');
    }
    inner.use(middleware.idempotency());
  }
  inner.handler(async (event, context) => {
    const validated = event.validated ?? { params: undefined, query: undefined, body: undefined };
    return handle({
      principal: event.principal ?? ANONYMOUS,
      params: validated.params as Infer<S['params']>,
      query: validated.query as Infer<S['query']>,
      body: validated.body as Infer<S['body']>,
      headers: event.headers ?? {},
      receivedAt: new Date(event.requestContext.timeEpoch),
      requestId: event.requestContext.requestId,
      event,
      context,
    });
  });

  return outerStack((event, context) => inner(event as StackEvent, context));
}

/** Wraps a handler in the outer stack: errors as problems, security headers, logging, header normalisation. */
function outerStack(handler: HttpHandler): HttpHandler {
  return middy<HttpEvent, HttpResult>()
    .use(securityHeaders())
    .use(problemErrors({ logger, assetsUrl: config().web.assetsUrl }))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(requestMetrics())
    .use(httpHeaderNormalizer())
    .handler(handler);
}

/**
 * One `Requests` count per invocation and a `ServerErrors` count for 5xx answers, so every invocation
 * publishes something (Powertools warns on empty metrics) and alarms can watch function-level errors.
 */
function requestMetrics(): MiddlewareObj<HttpEvent, HttpResult> {
  const count = (serverError: boolean) => {
    metrics.addMetric('Requests', MetricUnit.Count, 1);
    if (serverError) metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
  };
  return {
    after: async (request) => count((request.response?.statusCode ?? 200) >= 500),
    // Runs before the problem mapper has answered, so judge the error itself.
    onError: async (request) => count((toProblem(request.error)?.status ?? 500) >= 500),
  };
}

/** Answers requests that match no route (API Gateway's `$default` route) with a 404 problem. */
export const notFoundHandler: HttpHandler = outerStack(async (event) => {
  throw new NotFoundError(`No route matches ${event.requestContext.http.method} ${event.rawPath}.`);
});
