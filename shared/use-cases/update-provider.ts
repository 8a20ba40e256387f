/**
 * `PATCH /providers/{id}`: owners edit their profile. The merged profile is validated as a whole; the
 * profile, its registration-number claims and (when verified) its directory entries change together. Saving
 * a rejected registration sends it back for verification (`afterOwnerEdit`): it waits in the queue again.
 */
import type { MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import { ValidationError } from '../domain/errors';
import { assertProviderOwner } from '../domain/policy';
import type { Principal } from '../domain/principal';
import { afterOwnerEdit } from '../domain/provider-verification';
import {
  canonicalNumbers,
  type Provider,
  type ProviderDetails,
  providerRuleIssues,
} from '../domain/providers';
import { loadProviderFor } from './providers';

/** A partial edit; `null` removes an optional field. */
export type ProviderChanges = {
  [K in keyof ProviderDetails]?: ProviderDetails[K] | null;
};

/** Applies an owner's edit. */
export async function updateProvider(
  deps: { providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
  changes: ProviderChanges,
  now: Date,
): Promise<Provider> {
  const { provider, relation } = await loadProviderFor(deps, principal, providerId);
  assertProviderOwner(relation, providerId);
  const merged: Record<string, unknown> = { ...provider };
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  const details = merged as unknown as ProviderDetails;
  const issues = providerRuleIssues(details);
  if (issues.length > 0) throw new ValidationError(`The change has ${issues.length} problem(s).`, issues);
  const after: Provider = afterOwnerEdit(
    provider,
    {
      ...(merged as unknown as Provider),
      ...canonicalNumbers(details),
      updatedAt: now.toISOString(),
      version: provider.version + 1,
    },
    now,
  );
  for (const key of Object.keys(after) as (keyof Provider)[]) if (after[key] === undefined) delete after[key];
  await deps.providers.update(provider, after);
  return after;
}
