/**
 * `POST /providers/{id}/verify`: an admin verifies a pending provider, which lists it in the directory and
 * lets it take part in competitions, tells its members, and records the decision in the provider's audit
 * chain, all in one transaction (`provider-decisions.ts`). Verifying a verified provider changes nothing and
 * answers it as it is (a retry); a rejected one is verified only once its owners have corrected it and sent
 * it back (`shared/domain/provider-verification.ts`): until then, 409.
 */
import { ulid } from 'ulid';
import type { Principal } from '../domain/principal';
import { decisionFor, verified } from '../domain/provider-verification';
import type { Provider } from '../domain/providers';
import {
  assertSeen,
  type DecisionOptions,
  loadForDecision,
  type ProviderDecisionDeps,
  recordDecision,
} from './provider-decisions';

/** Verifies a provider. */
export async function verifyProvider(
  deps: ProviderDecisionDeps,
  principal: Principal,
  providerId: string,
  now: Date,
  options: DecisionOptions = {},
): Promise<Provider> {
  const { provider, admin } = await loadForDecision(deps, principal, providerId, 'verify', now);
  if (decisionFor(provider, 'verify') === 'unchanged') return provider;
  assertSeen(provider, options);
  const after = verified(provider, now);
  await recordDecision(
    deps,
    admin,
    'verify',
    { before: provider, items: deps.providers.verifyItems(provider, after) },
    {
      id: ulid(now.getTime()),
      providerId,
      type: 'verified',
      title: 'Your organisation is verified',
      message: `${provider.name} now appears in the National Provider Network directory and can take part in competitions.`,
      createdAt: now.toISOString(),
      link: `/providers/${providerId}`,
    },
    now,
  );
  return after;
}
