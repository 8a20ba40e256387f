/**
 * The verification queue for admins (`/admin/providers`): pending registrations, longest waiting first, and
 * one registration in full for the decision. Admins only; anyone else is refused alike, so nobody learns
 * which registrations are waiting.
 */
import type { MembershipRepository } from '../db/memberships';
import type { Page } from '../db/pagination';
import type { ProviderRepository } from '../db/providers';
import { InvalidStateError } from '../domain/errors';
import { assertCanDecideOnProviders } from '../domain/policy';
import type { Principal } from '../domain/principal';
import { decisionFor, type ProviderDecision } from '../domain/provider-verification';
import type { Provider } from '../domain/providers';
import { getProvider, type ProviderProfile } from './get-provider';

/** One page of the queue. */
export async function listVerificationQueue(
  deps: { providers: ProviderRepository },
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Provider>> {
  assertCanDecideOnProviders(principal, 'review');
  return deps.providers.pendingQueue(page);
}

/** A registration as an admin reviews it: the full profile, its members, its latest rejection if any. */
export async function reviewProvider(
  deps: { providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
): Promise<ProviderProfile> {
  assertCanDecideOnProviders(principal, 'review');
  return getProvider(deps, principal, providerId);
}

/**
 * A registration as the verify and reject pages show it before the decision: what `reviewProvider` gives,
 * once the decision fits its state (the same 409 the decision itself would give; a verified provider has no
 * verification left to confirm).
 * @throws ForbiddenError | NotFoundError | InvalidStateError
 */
export async function reviewForDecision(
  deps: { providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
  decision: ProviderDecision,
): Promise<ProviderProfile> {
  const profile = await reviewProvider(deps, principal, providerId);
  if (decisionFor(profile, decision) === 'unchanged') {
    throw new InvalidStateError(`${profile.name} is already verified.`);
  }
  return profile;
}
