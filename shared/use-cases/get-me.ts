/**
 * `GET /me`: who the caller is and which organisations they belong to.
 */
import type { MembershipRepository } from '../db/memberships';
import { requireUser } from '../domain/policy';
import type { Principal } from '../domain/principal';

/** The caller's view of themselves. */
export interface Me {
  sub: string;
  email: string | null;
  groups: string[];
  organisations: { id: string; name: string; role: 'owner' | 'member' }[];
}

/** Describes the signed-in caller. */
export async function getMe(deps: { memberships: MembershipRepository }, principal: Principal): Promise<Me> {
  const user = requireUser(principal);
  const memberships = await deps.memberships.listForUser(user.sub);
  return {
    sub: user.sub,
    email: user.email ?? null,
    groups: [...user.groups],
    organisations: memberships
      .map((m) => ({ id: m.providerId, name: m.providerName, role: m.role }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
