/**
 * `POST /providers/{id}/members`: an owner adds a member or another owner.
 */
import type { MemberRole, Membership, MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import { assertProviderOwner, requireUser } from '../domain/policy';
import type { Principal } from '../domain/principal';
import { loadProviderFor } from './providers';

/** Adds a member. @throws ConflictError when the user already belongs to the organisation. */
export async function addMember(
  deps: { providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
  member: { sub: string; role: MemberRole },
  now: Date,
): Promise<Membership> {
  const user = requireUser(principal);
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertProviderOwner(relation, providerId);
  const membership: Membership = {
    providerId,
    sub: member.sub,
    role: member.role,
    addedAt: now.toISOString(),
    addedBy: user.sub,
  };
  await deps.memberships.add(membership);
  return membership;
}
