/**
 * The users whose saved searches a new opportunity matches (issue 17), for the delivery of an `opportunity`
 * audience (`deliver.ts`). Read from the saved-search index (`SEARCHES#<region>`, written with each user's
 * subscriptions): one Query per region partition the opportunity can match, never a Scan of every user.
 *
 * Which partitions: a national opportunity is in every region, so every search matches it on region: it is
 * read from `SEARCHES#*`, which holds each user's searches once (not every region's partition, which would
 * read a user once per region they name). Any other opportunity is read from its own regions' partitions
 * and national's: a search is in the partition of every region it names, so that covers every search
 * `matchesSavedSearch` can accept (the national partition is read too so that a search of `national` is
 * judged by that rule rather than by which partitions happened to be read).
 */
import {
  EVERY_SEARCH,
  type IndexedSearch,
  type RegionSearches,
  type SearchPartition,
  type SubscriptionRepository,
} from '../../db/subscriptions';
import {
  type Frequency,
  matchesSavedSearch,
  type OpportunityFacts,
} from '../../domain/notifications/subscriptions';
import { type Coverage, NATIONAL } from '../../domain/reference-data';

/** What finding the recipients reads. */
export interface SavedSearchRecipientDeps {
  subscriptions: Pick<SubscriptionRepository, 'searchesIn'>;
}

/** One user a new opportunity is sent to for a saved search, and which search it was. */
export interface SavedSearchRecipient {
  sub: string;
  searchId: string;
  frequency: Frequency;
}

/** The index partitions an opportunity's matching searches are in. */
export function searchPartitionsFor(opportunity: Pick<OpportunityFacts, 'regions'>): SearchPartition[] {
  if (opportunity.regions.includes(NATIONAL)) return [EVERY_SEARCH];
  return [...new Set<Coverage>([...opportunity.regions, NATIONAL])];
}

/**
 * Every user with a saved search that matches the opportunity, once each: their first matching search (in
 * the order they keep them), or their first that is sent at once when some are and some go in the daily
 * digest — the sooner e-mail is the one they asked for. Users in user order.
 */
export async function savedSearchRecipients(
  deps: SavedSearchRecipientDeps,
  opportunity: OpportunityFacts,
): Promise<SavedSearchRecipient[]> {
  const pages = await Promise.all(
    searchPartitionsFor(opportunity).map(async (region) => {
      const found: RegionSearches[] = [];
      for await (const page of deps.subscriptions.searchesIn(region)) found.push(...page);
      return found;
    }),
  );

  // A user's items in different partitions may be of different versions when they saved a change while
  // these were read: only the newest version's searches count, so a removed search is never used.
  const byUser = new Map<string, { version: number; searches: Map<string, IndexedSearch> }>();
  for (const entry of pages.flat()) {
    const seen = byUser.get(entry.sub);
    if (seen && seen.version > entry.version) continue;
    const current =
      seen && seen.version === entry.version ? seen : { version: entry.version, searches: new Map() };
    for (const search of entry.searches) current.searches.set(search.id, search);
    byUser.set(entry.sub, current);
  }

  const recipients: SavedSearchRecipient[] = [];
  for (const [sub, { searches }] of byUser) {
    const matching = [...searches.values()]
      .filter((search) => matchesSavedSearch(search, opportunity))
      .sort((a, b) => a.position - b.position);
    const chosen = matching.find((search) => search.frequency === 'immediate') ?? matching[0];
    if (chosen) recipients.push({ sub, searchId: chosen.id, frequency: chosen.frequency });
  }
  return recipients.sort((a, b) => (a.sub < b.sub ? -1 : a.sub > b.sub ? 1 : 0));
}
