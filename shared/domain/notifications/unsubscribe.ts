/**
 * What a one-click unsubscribe does to a user's subscriptions (issue 17; the token is
 * `unsubscribe-token.ts`). Pure: the rule, no I/O.
 *
 * - a kind (`award`, …): that kind's switch off;
 * - `all`: the master switch off (every kind keeps its own switch, so switching e-mail back on restores
 *   what the user had chosen);
 * - `saved-search:<id>`: that saved search removed. A search has no switch of its own, and a search that
 *   sends nothing is no search: removing it is what "stop these e-mails" means for it, and it is what the
 *   user would do on `/your-alerts`. A search already removed (or changed into another id) leaves nothing
 *   to do.
 *
 * Idempotent: applying a scope twice changes nothing the second time (`undefined`: nothing to write).
 */

import { EMAIL_KINDS, type EmailKind, type Subscriptions } from './subscriptions';
import type { UnsubscribeScope } from './unsubscribe-token';

/**
 * The subscriptions with the scope's e-mails stopped, or `undefined` when they are stopped already (nothing
 * to write).
 */
export function stopEmails(current: Subscriptions, scope: UnsubscribeScope): Subscriptions | undefined {
  if (scope === 'all') {
    if (!current.email.enabled) return undefined;
    return { ...current, email: { ...current.email, enabled: false } };
  }
  if (scope.startsWith('saved-search:')) {
    const id = scope.slice('saved-search:'.length);
    if (!current.savedSearches.some((search) => search.id === id)) return undefined;
    return { ...current, savedSearches: current.savedSearches.filter((search) => search.id !== id) };
  }
  const kind = scope as EmailKind;
  if (!current.email.kinds[kind]) return undefined;
  return { ...current, email: { ...current.email, kinds: { ...current.email.kinds, [kind]: false } } };
}

/** The words for what a scope stops, for the unsubscribe pages: never whose e-mails they are. */
export function scopeWords(scope: UnsubscribeScope): string {
  if (scope === 'all') return 'All e-mails from this service';
  if (scope.startsWith('saved-search:')) return 'E-mails about one of your saved searches';
  return EMAIL_KINDS[scope as EmailKind].name;
}
