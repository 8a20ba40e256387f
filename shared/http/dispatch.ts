/**
 * One Lambda function serves a route group; API Gateway tells it which route matched in
 * `event.routeKey`, so dispatch is a lookup, not a second round of path matching.
 */
import { type HttpHandler, notFoundHandler } from './route-stack';

/** Builds a function's handler from its routes; anything else (`$default`) gets a 404 problem. */
export function dispatch(routes: Record<string, HttpHandler>): HttpHandler {
  return async (event, context) => (routes[event.routeKey] ?? notFoundHandler)(event, context);
}
