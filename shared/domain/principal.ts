/**
 * The caller, as the service sees it: built from verified JWT claims (by API Gateway's JWT authorizer in
 * AWS, by the local gateway locally). Organisation membership is data, not a claim, so it is not here.
 */

/** The groups a Cognito user can be in. Providers need no group. */
export const GROUPS = ['commissioner', 'admin', 'auditor'] as const;

/** One group. */
export type Group = (typeof GROUPS)[number];

/** A signed-in caller. */
export interface UserPrincipal {
  kind: 'user';
  sub: string;
  email: string | undefined;
  groups: Group[];
}

/** A caller without a token (public routes only). */
export interface AnonymousPrincipal {
  kind: 'anonymous';
}

/** Anyone calling the API. */
export type Principal = UserPrincipal | AnonymousPrincipal;

/** The anonymous caller. */
export const ANONYMOUS: AnonymousPrincipal = { kind: 'anonymous' };

/** True when the principal is signed in and in the group. */
export function hasGroup(principal: Principal, group: Group): boolean {
  return principal.kind === 'user' && principal.groups.includes(group);
}

/**
 * Reads `cognito:groups`, which arrives as a JSON array from a decoded token, and as the string
 * `"[commissioner admin]"` from API Gateway HTTP API's JWT authorizer (it flattens array claims).
 * Unknown groups are dropped rather than trusted.
 */
export function parseGroupsClaim(raw: unknown): Group[] {
  let values: unknown[] = [];
  if (Array.isArray(raw)) values = raw;
  else if (typeof raw === 'string') {
    const trimmed = raw.trim().replace(/^\[/, '').replace(/\]$/, '');
    values = trimmed.split(/[\s,]+/).filter((s) => s !== '');
  }
  const known = new Set<string>(GROUPS);
  return [...new Set(values.filter((v): v is Group => typeof v === 'string' && known.has(v)))];
}

/**
 * Builds the principal from verified claims, or `undefined` when there are none or `sub` is missing.
 */
export function principalFromClaims(claims: Record<string, unknown> | undefined): UserPrincipal | undefined {
  if (!claims) return undefined;
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  const email = typeof claims.email === 'string' && claims.email !== '' ? claims.email : undefined;
  return { kind: 'user', sub, email, groups: parseGroupsClaim(claims['cognito:groups']) };
}
