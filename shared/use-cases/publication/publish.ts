/**
 * Writing releases with the changes they describe (issue 16). A use case that changes a public fact builds
 * its release drafts from the public projection (`shared/domain/publication`), and commits its own
 * transaction through `commitWithReleases`, which adds the releases (and the feed counter's move) to it:
 * the feed never misses a change, nor shows one that did not happen.
 */
import type { TransactItem } from '../../db/audit';
import { cancellationCodes } from '../../db/errors';
import type { ProviderRepository } from '../../db/providers';
import type { PublicationRepository } from '../../db/publication';
import type { ReleaseDraft } from '../../domain/publication/ocds';
import { type PublicOrganisation, publicOrganisation } from '../../domain/publication/projection';

/** What a publishing use case needs: the publisher's settings and where releases are numbered. */
export interface PublicationDeps {
  publication: Pick<PublicationRepository, 'context' | 'prepare'>;
}

/** What naming organisations in releases needs: their public registry facts. */
export interface PartyDeps {
  providers: Pick<ProviderRepository, 'getMany'>;
}

/**
 * How many times a change commits again because other changes took the release numbers it was given. Each
 * refusal means another publication went through, so this bounds how many may overtake one change; with
 * the pauses below it covers dozens of changes publishing in the same instant.
 */
const MAX_PUBLICATION_ATTEMPTS = 30;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Commits a change with the releases that describe it: `commit` receives the publication's items to put
 * last in its transaction (none when there are no drafts). When the transaction is refused and the feed
 * has moved on meanwhile, the refusal may be the feed counter's (another change published first), so the
 * change commits again with the next numbers (as after a transaction conflict); any other refusal is the
 * change's own, and is thrown as `commit` threw it. A commit refused for both reasons at once is refused again on the next attempt for
 * its own, so it ends the same way.
 */
export async function commitWithReleases<T>(
  deps: PublicationDeps,
  drafts: readonly ReleaseDraft[],
  now: Date,
  commit: (items: TransactItem[]) => Promise<T>,
): Promise<T> {
  if (drafts.length === 0) return commit([]);
  for (let attempt = 1; ; attempt += 1) {
    const prepared = await deps.publication.prepare(drafts, now);
    try {
      return await commit(prepared.items);
    } catch (error) {
      // A transaction conflict (another change's transaction held the counter at that instant) is worth
      // another try too, even when that change then failed and the feed stayed where it was.
      const conflict = cancellationCodes(error)?.includes('TransactionConflict') ?? false;
      if (attempt >= MAX_PUBLICATION_ATTEMPTS || !(conflict || (await prepared.moved()))) throw error;
      // Spread the retries: those who lost the same number do not all come back at once.
      await sleep(Math.random() * Math.min(100, 5 * attempt));
    }
  }
}

/**
 * Organisations as releases name them: their registry name, sector and size, by id, in the order asked.
 * @throws Error when one is not in the registry (organisations that bid or hold contracts always are)
 */
export async function publicOrganisations(
  deps: PartyDeps,
  providerIds: readonly string[],
): Promise<PublicOrganisation[]> {
  const unique = [...new Set(providerIds)];
  if (unique.length === 0) return [];
  const found = new Map((await deps.providers.getMany(unique)).map((p) => [p.id, p]));
  return unique.map((id) => {
    const provider = found.get(id);
    if (!provider) throw new Error(`Provider ${id} is not in the registry: it cannot be named in a release`);
    return publicOrganisation(provider);
  });
}

/** One organisation as releases name it (see `publicOrganisations`). */
export async function publicOrganisationOf(deps: PartyDeps, providerId: string): Promise<PublicOrganisation> {
  const [organisation] = await publicOrganisations(deps, [providerId]);
  if (!organisation) throw new Error(`Provider ${providerId} is not in the registry`);
  return organisation;
}
