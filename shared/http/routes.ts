/**
 * The route table: the one list of HTTP routes that the CDK app turns into API Gateway routes and Lambda
 * functions, and that the local gateway serves, so local and AWS cannot drift. It also declares, for every
 * route, who may call it (see `shared/domain/policy.ts`) and, for every function, the least-privilege
 * table access it needs (asserted on the synthesized template by the infra tests).
 *
 * Each bounded context declares its part in `route-table/<context>.ts`; this module joins them and checks
 * that every route names a function that exists. Request and response schemas live beside the handlers
 * (`shared/http/schemas`) so each function bundles only its own; the OpenAPI document joins the two.
 */
import { challengesFunctions, challengesRoutes } from './route-table/challenges';
import { competitionsFunctions, competitionsRoutes } from './route-table/competitions';
import { documentsFunctions, documentsRoutes } from './route-table/documents';
import { notificationsFunctions, notificationsRoutes } from './route-table/notifications';
import { paymentByResultsFunctions, paymentByResultsRoutes } from './route-table/payment-by-results';
import { platformFunctions, platformRoutes } from './route-table/platform';
import { providersFunctions, providersRoutes } from './route-table/providers';
import { publicationFunctions, publicationRoutes } from './route-table/publication';
import { questionsFunctions, questionsRoutes } from './route-table/questions';
import { subcontractingFunctions, subcontractingRoutes } from './route-table/subcontracting';
import { tendersFunctions, tendersRoutes } from './route-table/tenders';
import { webFunctions, webRoutes } from './route-table/web';
import { webCommissioningFunctions, webCommissioningRoutes } from './route-table/web-commissioning';
import { webOutcomesFunctions, webOutcomesRoutes } from './route-table/web-outcomes';
import { webOversightRoutes } from './route-table/web-oversight';
import {
  webProviderCompetitionsFunctions,
  webProviderCompetitionsRoutes,
} from './route-table/web-provider-competitions';
import { webTransparencyFunctions, webTransparencyRoutes } from './route-table/web-transparency';
import type { FunctionDefinition, RouteSpec } from './route-types';

export type {
  DocumentsBucketAccess,
  FunctionDefinition,
  HttpMethod,
  ProviderDataKind,
  RouteSpec,
  TableAccess,
} from './route-types';

/** The functions, one per route group. */
export const FUNCTIONS = {
  ...platformFunctions,
  ...providersFunctions,
  ...competitionsFunctions,
  ...tendersFunctions,
  ...documentsFunctions,
  ...questionsFunctions,
  ...challengesFunctions,
  ...subcontractingFunctions,
  ...paymentByResultsFunctions,
  ...publicationFunctions,
  ...notificationsFunctions,
  ...webFunctions,
  ...webCommissioningFunctions,
  ...webProviderCompetitionsFunctions,
  ...webTransparencyFunctions,
  ...webOutcomesFunctions,
} as const satisfies Record<string, FunctionDefinition>;

/** A function id. */
export type FunctionId = keyof typeof FUNCTIONS;

/** One route. */
export interface RouteDefinition extends RouteSpec {
  function: FunctionId;
}

/** Every route. `routeKey` is `"METHOD /path"`, as API Gateway names it. */
export const ROUTES = [
  ...platformRoutes,
  ...providersRoutes,
  ...competitionsRoutes,
  ...tendersRoutes,
  ...documentsRoutes,
  ...questionsRoutes,
  ...challengesRoutes,
  ...subcontractingRoutes,
  ...paymentByResultsRoutes,
  ...publicationRoutes,
  ...notificationsRoutes,
  ...webRoutes,
  ...webCommissioningRoutes,
  ...webOversightRoutes,
  ...webProviderCompetitionsRoutes,
  ...webTransparencyRoutes,
  ...webOutcomesRoutes,
] as const satisfies readonly RouteDefinition[];

/** A route key such as `"GET /me"`. */
export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

/** The route key of a route definition. */
export function routeKeyOf(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/**
 * The function that answers requests no route matches (API Gateway's `$default` route: an unknown path, or
 * a known path with a method it does not answer): the web function, so a browser gets the GOV.UK 404 page
 * with the service's layout, while API clients get the same 404 problem+json as from any JSON function.
 */
export const DEFAULT_ROUTE_FUNCTION: FunctionId = 'web';

/** The route for a route key, or undefined. */
export function findRoute(routeKey: string): RouteDefinition | undefined {
  return (ROUTES as readonly RouteDefinition[]).find((route) => routeKeyOf(route) === routeKey);
}
