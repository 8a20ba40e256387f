/**
 * Shared steps of the provider use cases.
 */
import type { MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import { NotFoundError } from '../domain/errors';
import { type ProviderRelation, providerRelation } from '../domain/policy';
import type { Principal } from '../domain/principal';
import type { Provider } from '../domain/providers';

/** Loads a provider and the caller's relation to it. @throws NotFoundError when it does not exist. */
export async function loadProviderFor(
  deps: { providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
): Promise<{ provider: Provider; relation: ProviderRelation }> {
  const [provider, membership] = await Promise.all([
    deps.providers.get(providerId),
    principal.kind === 'user' ? deps.memberships.get(providerId, principal.sub) : Promise.resolve(undefined),
  ]);
  if (!provider) throw new NotFoundError(`No provider ${providerId}.`);
  return { provider, relation: providerRelation(principal, membership?.role) };
}
