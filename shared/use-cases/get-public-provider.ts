/**
 * A provider's public page (`GET /find-a-provider/{id}` on the web): only what the directory lists – no
 * contact details, registration numbers or members – and only for a verified provider. A pending or
 * suspended one does not exist as far as the public is concerned.
 */
import type { ProviderRepository } from '../db/providers';
import { NotFoundError } from '../domain/errors';
import { type DirectoryListing, toDirectoryListing } from '../domain/providers';

/** The directory listing of a verified provider. */
export async function getPublicProvider(
  deps: { providers: ProviderRepository },
  providerId: string,
): Promise<DirectoryListing> {
  const provider = await deps.providers.get(providerId);
  if (provider?.status !== 'verified') throw new NotFoundError('No provider is listed at this address.');
  return toDirectoryListing(provider);
}
