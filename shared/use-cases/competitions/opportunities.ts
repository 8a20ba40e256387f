/**
 * `GET /opportunities`: published competitions still open to newcomers, by region and service, closing
 * soonest first.
 */
import type { CompetitionRepository, OpportunityListing } from '../../db/competitions';
import type { Page } from '../../db/pagination';
import type { Coverage, Service } from '../../domain/reference-data';

/** One page of open opportunities. */
export function listOpportunities(
  deps: { competitions: CompetitionRepository },
  query: {
    region?: Coverage | undefined;
    service?: Service | undefined;
    limit: number;
    cursor?: string | undefined;
  },
  now: Date,
): Promise<Page<OpportunityListing>> {
  return deps.competitions.opportunities({ ...query, now });
}
