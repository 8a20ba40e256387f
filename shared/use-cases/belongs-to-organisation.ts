/**
 * Whether the caller belongs to any provider organisation (as owner or member, verified or not): the web
 * pages show the organisation workspace (your organisations, contracts, payments) only to those who do.
 */
import type { MembershipRepository } from '../db/memberships';
import type { Principal } from '../domain/principal';

/** True when the principal is a signed-in user with at least one membership; anonymous callers have none. */
export async function belongsToOrganisation(
  deps: { memberships: MembershipRepository },
  principal: Principal,
): Promise<boolean> {
  if (principal.kind !== 'user') return false;
  return (await deps.memberships.listForUser(principal.sub)).length > 0;
}
