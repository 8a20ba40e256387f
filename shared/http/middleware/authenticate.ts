/**
 * Builds the principal from the verified JWT claims that API Gateway's authorizer (or the local gateway)
 * put on the event, then asks the policy module whether the route may be called at all.
 */
import type { MiddlewareObj } from '@middy/core';
import { authorizeRoute, type RouteAccess } from '../../domain/policy';
import { ANONYMOUS, principalFromClaims } from '../../domain/principal';
import type { HttpResult, StackEvent } from '../types';

/** Attaches `event.principal` and enforces the route's declared access. */
export function authenticate(access: RouteAccess): MiddlewareObj<StackEvent, HttpResult> {
  return {
    before: async (request) => {
      const claims = request.event.requestContext.authorizer?.jwt?.claims;
      const principal = principalFromClaims(claims) ?? ANONYMOUS;
      authorizeRoute(principal, access);
      request.event.principal = principal;
    },
  };
}
