/**
 * The authorization policy: every access decision the service makes lives in this module (DESIGN.md
 * section 3, layer 1). Handlers never decide access; the HTTP stack calls `authorizeRoute` with the access
 * rule each route declares in the route table, and use cases call the finer rules below (membership,
 * competition roles, the ethical wall) with the data they have loaded.
 */
import { ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';
import type { Group, Principal, UserPrincipal } from './principal';

/**
 * Who may call a route, as declared in the route table:
 * - `public`: anyone; a token, when sent and valid, still identifies the caller;
 * - `user`: any signed-in user;
 * - a list of groups: a signed-in user in at least one of them.
 * Finer rules (owner of this provider, lead of this competition, inside the wall) are decided by the use
 * case through this module.
 */
export type RouteAccess = 'public' | 'user' | readonly Group[];

/** Human-readable form of an access rule, for documentation and the OpenAPI document. */
export function describeAccess(access: RouteAccess): string {
  if (access === 'public') return 'public';
  if (access === 'user') return 'any signed-in user';
  return `signed-in users in group ${access.join(' or ')}`;
}

/**
 * Decides whether the principal may call a route at all.
 * @throws UnauthenticatedError when a token is required and absent.
 * @throws ForbiddenError when the caller lacks every group the route allows.
 */
export function authorizeRoute(principal: Principal, access: RouteAccess): void {
  if (access === 'public') return;
  if (principal.kind !== 'user') throw new UnauthenticatedError('A valid bearer token is required.');
  if (access === 'user') return;
  if (!access.some((group) => principal.groups.includes(group))) {
    throw new ForbiddenError(`This action needs the ${access.join(' or ')} role.`);
  }
}

/**
 * Narrows a principal to a signed-in user for use cases that need one.
 * @throws UnauthenticatedError for the anonymous caller.
 */
export function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new UnauthenticatedError('A valid bearer token is required.');
  return principal;
}

/** How a caller relates to a provider organisation. */
export type ProviderRelation = 'owner' | 'member' | 'official' | 'none';

/**
 * The caller's relation to a provider: its owners and members by membership; commissioners and admins as
 * officials, who may read profiles and accreditations but not change them.
 */
export function providerRelation(
  principal: Principal,
  membershipRole: 'owner' | 'member' | undefined,
): ProviderRelation {
  if (principal.kind !== 'user') return 'none';
  if (membershipRole) return membershipRole;
  if (principal.groups.includes('commissioner') || principal.groups.includes('admin')) return 'official';
  return 'none';
}

/**
 * Reading a provider's full profile or accreditation: members, commissioners and admins. Anyone else is
 * told it does not exist, so the registry cannot be probed for pending organisations.
 * @throws NotFoundError
 */
export function assertCanReadProvider(relation: ProviderRelation, providerId: string): void {
  if (relation === 'none') throw new NotFoundError(`No provider ${providerId}.`);
}

/**
 * Changing a provider (profile, members, accreditation): owners only. Those who may read it learn that
 * they may not change it; others learn nothing.
 * @throws NotFoundError | ForbiddenError
 */
export function assertProviderOwner(relation: ProviderRelation, providerId: string): void {
  assertCanReadProvider(relation, providerId);
  if (relation !== 'owner') throw new ForbiddenError('Only an owner of this organisation can do this.');
}

/**
 * Verifying providers: admins only.
 * @throws ForbiddenError
 */
export function assertCanVerifyProviders(principal: Principal): void {
  if (!(principal.kind === 'user' && principal.groups.includes('admin'))) {
    throw new ForbiddenError('Only an admin can verify providers.');
  }
}
