/**
 * What the oversight pages share: GOV.UK pagination over forward-only cursors, and the reasons of refusals
 * in words.
 */

/** GOV.UK pagination (`govukPagination`'s params) for one page of a list. */
export interface Pagination {
  previous?: { href: string; text: string };
  next?: { href: string; text: string };
}

/**
 * GOV.UK pagination for a list that only pages forwards (an opaque `nextCursor`, none backwards): "Next"
 * goes on from the cursor, and, past the first page, "First page" goes back to the start, as the
 * opportunities list does. Undefined when there is only one page.
 */
export function forwardPagination(
  path: string,
  kept: Record<string, string>,
  cursor: string | undefined,
  next: string | null,
): Pagination | undefined {
  const link = (extra: Record<string, string>) => {
    const query = new URLSearchParams({ ...kept, ...extra }).toString();
    return query ? `${path}?${query}` : path;
  };
  if (!cursor && !next) return undefined;
  return {
    ...(cursor ? { previous: { href: link({}), text: 'First page' } } : {}),
    ...(next ? { next: { href: link({ cursor: next }), text: 'Next' } } : {}),
  };
}

/** The refusals' problem types in words. */
const REASONS: Record<string, string> = {
  '/problems/ethical-wall': 'Outside the ethical wall',
  '/problems/forbidden': 'Not allowed for their role or seat',
  '/problems/declaration-required': 'No conflict-of-interest declaration yet',
  '/problems/sealed': 'Bids sealed until the tender deadline',
};

/** A refusal's reason (its problem type) in words; an unknown one as it is. */
export function reasonWords(reason: string): string {
  return Object.hasOwn(REASONS, reason) ? (REASONS[reason] ?? reason) : reason;
}
