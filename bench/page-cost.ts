/**
 * Pages beside their JSON routes (issue 14): a workspace page calls the use case its JSON route calls, so
 * it must cost what the route costs in storage, and at most twice its latency (rendering the page is the
 * difference). The web session a page opens – the counterpart of the JWT authorizer, which costs a JSON
 * route no storage – is counted apart and shown, never compared.
 */

/** The default largest acceptable page/route p50 ratio. */
export const PAGE_ROUTE_LIMIT = 2;

/** A page and the JSON route whose use case it calls, by scenario name. */
export interface PageRoutePair {
  name: string;
  /** The page's scenario, e.g. `GET /commissioning (workspace page)`. */
  page: string;
  /** The JSON route's scenario, for the same user and data. */
  route: string;
  /** Largest acceptable page/route p50 ratio; 2 by default. */
  limit?: number;
}

/** One side's figures, as the comparison needs them. */
export interface PageRouteSide {
  name: string;
  /** Single-connection p50, in milliseconds. */
  p50: number;
  /** Calls per request on the service's tables (every table but the sessions table); null when unknown. */
  serviceCalls: number | null;
  /** Calls per request on the sessions table alone; null when unknown. */
  sessionCalls: number | null;
  /** Whether every sample request answered 2xx: an error path's figures say nothing of the page's. */
  succeeded: boolean;
}

/** The outcome of one comparison; a verdict is null when a side did not answer 2xx. */
export interface PageRouteComparison {
  name: string;
  page: PageRouteSide;
  route: PageRouteSide;
  limit: number;
  /** page p50 / route p50. */
  p50Ratio: number;
  latencyPass: boolean | null;
  /** Whether the page's service-table calls equal the route's. */
  callsPass: boolean | null;
}

/**
 * Compares a page with its JSON route: p50 within `limit` times the route's, and the same number of
 * storage calls on the service's tables. Unknown call counts fail rather than pass silently.
 */
export function comparePageToRoute(
  pair: PageRoutePair,
  page: PageRouteSide,
  route: PageRouteSide,
): PageRouteComparison {
  const limit = pair.limit ?? PAGE_ROUTE_LIMIT;
  const p50Ratio = route.p50 > 0 ? page.p50 / route.p50 : Number.NaN;
  const judged = page.succeeded && route.succeeded;
  const callsKnown = page.serviceCalls !== null && route.serviceCalls !== null;
  return {
    name: pair.name,
    page,
    route,
    limit,
    p50Ratio,
    // NaN comparisons are false, so an unmeasured p50 fails.
    latencyPass: judged ? p50Ratio <= limit : null,
    callsPass: judged ? callsKnown && page.serviceCalls === route.serviceCalls : null,
  };
}
