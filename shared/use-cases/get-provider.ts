/**
 * `GET /providers/{id}`: the full profile with its members, for members, commissioners and admins; anyone
 * else is told there is no such provider. Why a registration was rejected is shown to its members and to
 * admins only (`canReadRejectionReason`).
 */
import type { MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import { assertCanReadProvider, canReadRejectionReason } from '../domain/policy';
import type { Principal } from '../domain/principal';
import type { Provider } from '../domain/providers';
import { loadProviderFor } from './providers';

/** A profile with its members. */
export type ProviderProfile = Provider & { members: { sub: string; role: 'owner' | 'member' }[] };

/** Reads a provider's profile. */
export async function getProvider(
  deps: { providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
): Promise<ProviderProfile> {
  const { provider, relation } = await loadProviderFor(deps, principal, providerId);
  assertCanReadProvider(relation, providerId);
  const members = await deps.memberships.listForProvider(providerId);
  const { rejection: _rejection, ...withoutReason } = provider;
  return {
    ...(canReadRejectionReason(principal, relation) ? provider : withoutReason),
    members: members.map((m) => ({ sub: m.sub, role: m.role })).sort((a, b) => a.sub.localeCompare(b.sub)),
  };
}
