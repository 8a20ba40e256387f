/**
 * `POST /providers/{id}/verify`: an admin verifies a provider, which lists it in the directory and lets it
 * take part in competitions. Verifying a verified provider changes nothing.
 */
import { ulid } from 'ulid';
import type { ProviderRepository } from '../db/providers';
import { NotFoundError } from '../domain/errors';
import { assertCanVerifyProviders } from '../domain/policy';
import type { Principal } from '../domain/principal';
import type { Provider } from '../domain/providers';

/** Verifies a provider. */
export async function verifyProvider(
  deps: { providers: ProviderRepository },
  principal: Principal,
  providerId: string,
  now: Date,
): Promise<Provider> {
  assertCanVerifyProviders(principal);
  const provider = await deps.providers.get(providerId);
  if (!provider) throw new NotFoundError(`No provider ${providerId}.`);
  if (provider.status === 'verified') return provider;
  const at = now.toISOString();
  const after: Provider = {
    ...provider,
    status: 'verified',
    verifiedAt: at,
    updatedAt: at,
    version: provider.version + 1,
  };
  await deps.providers.verify(provider, after, {
    id: ulid(now.getTime()),
    providerId,
    type: 'verified',
    title: 'Your organisation is verified',
    message: `${provider.name} now appears in the National Provider Network directory and can take part in competitions.`,
    createdAt: at,
    link: `/providers/${providerId}`,
  });
  return after;
}
