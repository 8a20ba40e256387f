/**
 * Opaque list cursors and the merge of several sorted partitions into one page.
 *
 * A cursor holds the sort key of the last item returned and a tag of the list it came from (the list's
 * kind, the partitions and the filters its query names). The next page reads every partition the query
 * names from just after that sort key. This is exact for one partition and for several merged ones alike.
 *
 * The tag binds a cursor to its query: one taken from competition A's audit log, or from provider X's
 * notifications, is refused with a 400 on any other list instead of being read as a position there. The
 * tag is not secret (anyone can compute it), so it is not what keeps a reader out of other partitions:
 * the partition keys always come from the query, never from the cursor, and the cursor's sort key is
 * checked (shape, length, well-formed text) so a forged one answers 400 rather than a DynamoDB error.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ValidationError } from '../domain/errors';

/**
 * What a cursor belongs to: the list's kind, then the partitions and filters its query names, e.g.
 * `['audit', competitionId]`. Two queries with equal scopes read the same partitions in the same order.
 */
export type CursorScope = readonly (string | undefined)[];

/** The longest cursor accepted, as the query schema states it (`shared/http/schemas/common.ts`). */
export const MAX_CURSOR_LENGTH = 2048;

/**
 * The longest sort key a cursor may carry, in UTF-8 bytes. DynamoDB refuses a key condition value over
 * 1,024 bytes with an error, and repositories append to the sort key (`\u0000`, `\uffff`), so the bound
 * leaves room; every sort key this service writes is far shorter.
 */
export const MAX_CURSOR_SORT_KEY_BYTES = 512;

const CURSOR_VERSION = 2;

/** The tag of a scope: 96 bits of SHA-256, enough to tell lists apart and short enough for a URL. */
function scopeTag(scope: CursorScope): string {
  return createHash('sha256')
    .update(JSON.stringify(scope.map((part) => part ?? null)))
    .digest('base64url')
    .slice(0, 16);
}

const cursorBody = z.strictObject({
  v: z.literal(CURSOR_VERSION),
  s: z.string().length(16),
  after: z
    .string()
    .min(1)
    // A lone surrogate cannot be sent to DynamoDB as UTF-8; a long key is refused by DynamoDB.
    .refine((after) => {
      const bytes = Buffer.from(after, 'utf8');
      return bytes.length <= MAX_CURSOR_SORT_KEY_BYTES && bytes.toString('utf8') === after;
    }),
});

function invalidCursor(parameter: string, message: string): ValidationError {
  return new ValidationError('The cursor is not valid.', [{ path: `query.${parameter}`, message }]);
}

/** Encodes the position after `sortKey` in the list named by `scope`. */
export function encodeCursor(sortKey: string, scope: CursorScope): string {
  return Buffer.from(JSON.stringify({ v: CURSOR_VERSION, s: scopeTag(scope), after: sortKey })).toString(
    'base64url',
  );
}

/**
 * Decodes a cursor from `?cursor=` (or another query `parameter`) for the list named by `scope`: the sort
 * key to read from.
 * @throws ValidationError naming `query.<parameter>` when it was not made by `encodeCursor` for this
 *   scope – whatever the text (it never throws anything else).
 */
export function decodeCursor(
  cursor: string | undefined,
  scope: CursorScope,
  parameter = 'cursor',
): string | undefined {
  if (cursor === undefined) return undefined;
  const refuse = (message: string) => invalidCursor(parameter, message);
  if (cursor.length > MAX_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(cursor)) {
    throw refuse('Use the nextCursor of a previous page');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw refuse('Use the nextCursor of a previous page');
  }
  const body = cursorBody.safeParse(parsed);
  if (!body.success) throw refuse('Use the nextCursor of a previous page');
  if (body.data.s !== scopeTag(scope)) {
    throw refuse('This cursor belongs to another list: use the nextCursor of this list');
  }
  return body.data.after;
}

/** One page of a list. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Merges partitions, each already sorted by `sortKey` in `direction` and each read with a limit of
 * `limit + 1`, into one page: the first `limit` items overall, duplicates (the same sort key in two
 * partitions) dropped, and a cursor for `scope` when more remain.
 */
export function mergePage<T>(
  partitions: T[][],
  sortKey: (item: T) => string,
  limit: number,
  scope: CursorScope,
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
    nextCursor: merged.length > limit && last !== undefined ? encodeCursor(sortKey(last), scope) : null,
  };
}
