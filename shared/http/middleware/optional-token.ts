/**
 * Optional identification on public routes in AWS. API Gateway's JWT authorizer guards only the routes
 * that require a token, so a public route (a competition page, which insiders may read with its
 * confidential section) receives no claims even when the caller sends a valid token. This verifies such a
 * token against the same Cognito issuer and audience and puts its claims where the authorizer would. A
 * missing or bad token leaves the caller anonymous: the route is public.
 */
import type { MiddlewareObj } from '@middy/core';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { HttpResult, StackEvent } from '../types';

type KeySet = ReturnType<typeof createRemoteJWKSet>;
let keySets: Map<string, KeySet> | undefined;

function keySetFor(issuer: string): KeySet {
  keySets ??= new Map();
  let keySet = keySets.get(issuer);
  if (!keySet) {
    // jose caches the keys and refetches on an unknown key id, so warm invocations verify locally.
    keySet = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    keySets.set(issuer, keySet);
  }
  return keySet;
}

/** Claims as API Gateway's authorizer passes them: strings, arrays flattened to `[a b]`. */
function asAuthorizerClaims(payload: JWTPayload): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  }
  return claims;
}

/** Verifies an optional bearer token on a public route when the issuer is configured. */
export function optionalToken(
  jwt: { issuer: string; audience: string } | undefined,
  verify: (token: string) => Promise<JWTPayload> = async (token) =>
    (
      await jwtVerify(token, keySetFor(jwt?.issuer ?? ''), {
        issuer: jwt?.issuer,
        audience: jwt?.audience,
        algorithms: ['RS256'],
      })
    ).payload,
): MiddlewareObj<StackEvent, HttpResult> {
  return {
    before: async (request) => {
      if (!jwt || request.event.requestContext.authorizer?.jwt?.claims) return;
      const token = /^Bearer\s+(\S+)$/i.exec(request.event.headers?.authorization ?? '')?.[1];
      if (!token) return;
      try {
        const claims = asAuthorizerClaims(await verify(token));
        request.event.requestContext.authorizer = { jwt: { claims, scopes: null } };
      } catch {
        // A bad token on a public route is ignored, as API Gateway would ignore it.
      }
    },
  };
}
