/**
 * The public OCDS feed (issue 16): `GET /ocds/releases` pages release packages in publication order, and
 * `GET /ocds/records/{ocid}` answers a process's record with its compiled release. Both read the
 * `publication` table only: releases are made from the public projection when they are written, so
 * nothing here needs – or could reach – anything the wall protects.
 */
import { decodeCursor, encodeCursor } from '../../db/pagination';
import type { PublicationRepository } from '../../db/publication';
import { NotFoundError, ValidationError } from '../../domain/errors';
import type { Release } from '../../domain/publication/ocds';
import {
  type RecordPackage,
  type ReleasePackage,
  recordPackage,
  releasePackage,
} from '../../domain/publication/packages';

/** What reading the feed needs. */
export interface FeedDeps {
  publication: Pick<PublicationRepository, 'context' | 'watermark' | 'feed' | 'record'>;
}

/** The most releases on one page, and the default. */
export const MAX_RELEASES_PER_PAGE = 100;
export const DEFAULT_RELEASES_PER_PAGE = 50;

/**
 * The most JSON one page's releases may take: a Lambda answer is at most 6 MB, and a release naming a
 * sub-contracting chain of 200 organisations is tens of KB. A page stops before the release that would
 * pass it (it always holds at least one), and the cursor goes on from there.
 */
export const MAX_PAGE_BYTES = 4_000_000;

/**
 * The most releases a record holds in its answer, and the most JSON they may take. Each spend return (and
 * each amendment of one) adds a release of up to ~170 KB (200 sub-contractors), so a long contract's
 * releases can pass what one answer may carry (a Lambda answer is at most 6 MB, and the compiled release
 * is about as large again as the releases it merges). A process past either bound is answered with its
 * latest releases that fit, no compiled release, and `earlierReleases`: the feed's range holding the rest.
 */
export const MAX_RECORD_RELEASES = 1000;
export const MAX_RECORD_BYTES = 2_000_000;

/** `GET /ocds/releases` query. */
export interface FeedQuery {
  cursor?: string | undefined;
  /** Releases dated at or after this instant (ISO 8601). */
  updatedFrom?: string | undefined;
  /** Releases dated at or before this instant (ISO 8601). */
  updatedTo?: string | undefined;
  limit: number;
}

/** Where the request was answered, for the packages' own URIs and the service's extension. */
export interface PackageAddress {
  baseUrl: string;
}

/**
 * A page of the feed. The cursor belongs to the filters it was taken with (another `updatedFrom` or
 * `updatedTo` refuses it with a 400). `nextCursor` is the position after this page's last release: read on
 * from it now, or later for what is published meanwhile; a page with no releases keeps the cursor it was
 * given (null when it was given none: nothing is published in that range yet).
 */
export async function listReleases(
  deps: FeedDeps,
  query: FeedQuery,
  now: Date,
  address: PackageAddress,
): Promise<ReleasePackage> {
  const from = query.updatedFrom === undefined ? undefined : new Date(query.updatedFrom).toISOString();
  const to = query.updatedTo === undefined ? undefined : new Date(query.updatedTo).toISOString();
  if (from !== undefined && to !== undefined && from > to) {
    throw new ValidationError('updatedFrom is after updatedTo.', [
      { path: 'query.updatedTo', message: 'Give an instant at or after updatedFrom' },
    ]);
  }
  const scope = ['ocds-releases', from, to] as const;
  const after = decodeCursor(query.cursor, scope);
  const limit = Math.min(Math.max(1, query.limit), MAX_RELEASES_PER_PAGE);
  // Read first: every release numbered up to here committed before the query below began (see
  // shared/db/publication.ts), so none of them can be missing from it.
  const watermark = await deps.publication.watermark();
  const entries = await deps.publication.feed({ after, from, to, limit });
  const releases: Release[] = [];
  let bytes = 0;
  let lastKey: string | undefined;
  for (const entry of entries) {
    if (entry.seq > watermark) break;
    const size = Buffer.byteLength(JSON.stringify(entry.release));
    if (releases.length > 0 && bytes + size > MAX_PAGE_BYTES) break;
    releases.push(entry.release);
    bytes += size;
    lastKey = entry.key;
  }
  const nextCursor = lastKey !== undefined ? encodeCursor(lastKey, scope) : (query.cursor ?? null);
  const search = new URLSearchParams();
  if (query.cursor !== undefined) search.set('cursor', query.cursor);
  if (query.updatedFrom !== undefined) search.set('updatedFrom', query.updatedFrom);
  if (query.updatedTo !== undefined) search.set('updatedTo', query.updatedTo);
  search.set('limit', String(limit));
  const { context } = deps.publication;
  return releasePackage(
    {
      uri: `${address.baseUrl}/ocds/releases?${search}`,
      baseUrl: address.baseUrl,
      publishedDate: now.toISOString(),
      publisherName: context.publisherName,
    },
    releases,
    nextCursor,
  );
}

/**
 * A contracting process's record: every release of its ocid, in publication order, and the compiled
 * release – or, past `MAX_RECORD_RELEASES` or `MAX_RECORD_BYTES`, its latest releases within them, no
 * compiled release, and `earlierReleases`: the feed from the process's first release to the oldest one
 * given (the feed holds other processes' releases of that time too: keep those of this ocid).
 * @throws NotFoundError when nothing has been published under that ocid.
 */
export async function getRecord(
  deps: FeedDeps,
  ocid: string,
  now: Date,
  address: PackageAddress,
): Promise<RecordPackage> {
  const read = await deps.publication.record(ocid, {
    limit: MAX_RECORD_RELEASES,
    maxBytes: MAX_RECORD_BYTES,
  });
  const [oldest] = read.releases;
  if (!oldest) throw new NotFoundError(`Nothing is published under the ocid ${ocid}.`);
  let earlierReleases: string | null = null;
  if (!read.complete) {
    const range = new URLSearchParams({ updatedFrom: read.firstDate ?? oldest.date, updatedTo: oldest.date });
    earlierReleases = `${address.baseUrl}/ocds/releases?${range}`;
  }
  return recordPackage(
    {
      uri: `${address.baseUrl}/ocds/records/${encodeURIComponent(ocid)}`,
      baseUrl: address.baseUrl,
      publishedDate: now.toISOString(),
      publisherName: deps.publication.context.publisherName,
    },
    read.releases,
    earlierReleases,
  );
}
