/**
 * `POST /providers/{id}/reject`: an admin rejects a pending registration with a reason its members read (on
 * `GET /providers/{id}`, their organisation page and in a notification), in one transaction with the audit
 * event of the decision (`provider-decisions.ts`). Only a pending registration can be rejected (409
 * otherwise). The owners then correct their details and save them, which sends the registration back to
 * the queue (`afterOwnerEdit`), where an admin may verify it.
 */
import { ulid } from 'ulid';
import type { Principal } from '../domain/principal';
import { decisionFor, rejected } from '../domain/provider-verification';
import type { Provider } from '../domain/providers';
import {
  assertSeen,
  type DecisionOptions,
  loadForDecision,
  type ProviderDecisionDeps,
  recordDecision,
} from './provider-decisions';

/** Rejects a pending registration with `reason` (already validated: trimmed, 1 to `REJECTION_REASON_MAX`). */
export async function rejectProvider(
  deps: ProviderDecisionDeps,
  principal: Principal,
  providerId: string,
  reason: string,
  now: Date,
  options: DecisionOptions = {},
): Promise<Provider> {
  const { provider, admin } = await loadForDecision(deps, principal, providerId, 'reject', now);
  decisionFor(provider, 'reject');
  assertSeen(provider, options);
  const after = rejected(provider, reason, admin.sub, now);
  await recordDecision(
    deps,
    admin,
    'reject',
    { before: provider, items: deps.providers.rejectItems(provider, after) },
    {
      id: ulid(now.getTime()),
      providerId,
      type: 'rejected',
      title: 'Your registration was not verified',
      message: `${provider.name} was not verified, so it is not listed in the directory yet. The reason: ${reason} Correct your organisation’s details and save them to send it back for verification.`,
      createdAt: now.toISOString(),
      link: `/providers/${providerId}`,
    },
    now,
  );
  return after;
}
