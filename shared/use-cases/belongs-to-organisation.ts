/**
 * Whether the caller belongs to any provider organisation (as owner or member, verified or not): the web
 * pages show the organisation workspace (your organisations, contracts, payments) only to those who do.
 */
import type { Membership, MembershipRepository } from '../db/memberships';
import type { Principal } from '../domain/principal';

/**
 * The principal's memberships (none for anonymous callers): what the page header asks, kept for the page
 * itself, so a page whose use case needs them (the bid pages) does not read them again.
 */
export async function organisationMemberships(
  deps: { memberships: MembershipRepository },
  principal: Principal,
): Promise<Membership[]> {
  if (principal.kind !== 'user') return [];
  return deps.memberships.listForUser(principal.sub);
}

/** True when the principal is a signed-in user with at least one membership; anonymous callers have none. */
export async function belongsToOrganisation(
  deps: { memberships: MembershipRepository },
  principal: Principal,
): Promise<boolean> {
  return (await organisationMemberships(deps, principal)).length > 0;
}
