/**
 * `GET /directory`: verified providers' public fields by region, service, sector and size, in name order.
 */

import type { Page } from '../db/pagination';
import type { DirectoryQuery, ProviderRepository } from '../db/providers';
import type { DirectoryListing } from '../domain/providers';

/** One page of the directory. */
export function searchDirectory(
  deps: { providers: ProviderRepository },
  query: DirectoryQuery,
): Promise<Page<DirectoryListing>> {
  return deps.providers.directory(query);
}
