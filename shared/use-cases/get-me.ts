/**
 * `GET /me`: who the caller is and which organisations they belong to.
 */
import type { MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import { requireUser } from '../domain/policy';
import type { Principal } from '../domain/principal';
import type { ProviderStatus } from '../domain/providers';

/** The caller's view of themselves. */
export interface Me {
  sub: string;
  email: string | null;
  groups: string[];
  organisations: { id: string; name: string; role: 'owner' | 'member'; status: ProviderStatus }[];
}

/** Describes the signed-in caller. */
export async function getMe(
  deps: { memberships: MembershipRepository; providers: ProviderRepository },
  principal: Principal,
): Promise<Me> {
  const user = requireUser(principal);
  const memberships = await deps.memberships.listForUser(user.sub);
  const providers = new Map(
    (await deps.providers.getMany(memberships.map((m) => m.providerId))).map((p) => [p.id, p]),
  );
  return {
    sub: user.sub,
    email: user.email ?? null,
    groups: [...user.groups],
    organisations: memberships
      .flatMap((m) => {
        const provider = providers.get(m.providerId);
        return provider
          ? [{ id: provider.id, name: provider.name, role: m.role, status: provider.status }]
          : [];
      })
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
