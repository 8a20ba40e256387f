/**
 * `GET /directory`: verified providers' public fields by region, service, sector and size, in name order,
 * paged both ways, with how many match in all (read from counts kept on write, never counted on read).
 */

import type { DirectoryPage, DirectoryQuery, ProviderRepository } from '../db/providers';

/** One page of the directory and the number of providers the filters match. */
export async function searchDirectory(
  deps: { providers: ProviderRepository },
  query: DirectoryQuery,
): Promise<DirectoryPage & { total: number }> {
  const { limit: _limit, cursor: _cursor, before: _before, ...filters } = query;
  const [page, total] = await Promise.all([
    deps.providers.directory(query),
    deps.providers.directoryCount(filters),
  ]);
  return { ...page, total };
}
