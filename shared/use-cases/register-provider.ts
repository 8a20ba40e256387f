/**
 * `POST /providers`: any signed-in user registers an organisation and becomes its owner. Registration
 * numbers are claimed in the same transaction as the profile, so two simultaneous registrations of one
 * number cannot both succeed.
 */
import { ulid } from 'ulid';
import type { ProviderRepository } from '../db/providers';
import { ValidationError } from '../domain/errors';
import { requireUser } from '../domain/policy';
import type { Principal } from '../domain/principal';
import {
  canonicalNumbers,
  type Provider,
  type ProviderDetails,
  providerRuleIssues,
} from '../domain/providers';

/** Registers a provider, pending verification. */
export async function registerProvider(
  deps: { providers: ProviderRepository },
  principal: Principal,
  details: ProviderDetails,
  now: Date,
): Promise<Provider> {
  const user = requireUser(principal);
  const issues = providerRuleIssues(details);
  if (issues.length > 0)
    throw new ValidationError(`The registration has ${issues.length} problem(s).`, issues);
  const at = now.toISOString();
  const provider: Provider = {
    ...details,
    ...canonicalNumbers(details),
    id: ulid(now.getTime()),
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  for (const key of Object.keys(provider) as (keyof Provider)[])
    if (provider[key] === undefined) delete provider[key];
  await deps.providers.register(provider, user.sub);
  return provider;
}
