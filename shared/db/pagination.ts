/**
 * Opaque list cursors and the merge of several sorted partitions into one page.
 *
 * A cursor holds the sort key of the last item returned; the next page reads every partition from just
 * after it. This is exact for one partition and for several merged ones alike, and a tampered cursor can
 * only move the reader within partitions the query already names.
 */
import { ValidationError } from '../domain/errors';

/** Encodes the position after `sortKey`. */
export function encodeCursor(sortKey: string): string {
  return Buffer.from(JSON.stringify({ v: 1, after: sortKey })).toString('base64url');
}

/**
 * Decodes a cursor from `?cursor=`.
 * @throws ValidationError naming `query.cursor` when it was not made by `encodeCursor`.
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const invalid = () =>
    new ValidationError('The cursor is not valid.', [
      { path: 'query.cursor', message: 'Use the nextCursor of a previous page' },
    ]);
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const after = (parsed as { v?: unknown; after?: unknown } | null)?.after;
  if (
    (parsed as { v?: unknown }).v !== 1 ||
    typeof after !== 'string' ||
    after.length === 0 ||
    after.length > 1024
  ) {
    throw invalid();
  }
  return after;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Merges partitions, each already sorted by `sortKey` in `direction` and each read with a limit of
 * `limit + 1`, into one page: the first `limit` items overall, duplicates (the same sort key in two
 * partitions) dropped, and a cursor when more remain.
 */
export function mergePage<T>(
  partitions: T[][],
  sortKey: (item: T) => string,
  limit: number,
  direction: 'asc' | 'desc' = 'asc',
): Page<T> {
  const sign = direction === 'asc' ? 1 : -1;
  const merged = partitions
    .flat()
    .sort((a, b) => sign * (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
    .filter((item, i, all) => i === 0 || sortKey(item) !== sortKey(all[i - 1] as T));
  const items = merged.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items,
    nextCursor: merged.length > limit && last !== undefined ? encodeCursor(sortKey(last)) : null,
  };
}
