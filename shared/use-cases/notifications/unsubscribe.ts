/**
 * One-click unsubscribe (issue 17, RFC 8058): the address every e-mail's `List-Unsubscribe` header names
 * (`unsubscribeUrl`, which the delivery calls), and what following it does (`unsubscribe`, for
 * `POST /unsubscribe/{token}` and the unsubscribe page alike). The token is the capability: it names the
 * user and what to stop, under an HMAC only the service can make (`unsubscribe-token.ts`).
 */
import type { SubscriptionRepository } from '../../db/subscriptions';
import { ConflictError } from '../../domain/errors';
import { stopEmails } from '../../domain/notifications/unsubscribe';
import {
  signUnsubscribeToken,
  type UnsubscribeScope,
  type UnsubscribeTarget,
  verifyUnsubscribeToken,
} from '../../domain/notifications/unsubscribe-token';
import { assertCanUnsubscribe } from '../../domain/policy';

/** What `unsubscribe` needs. */
export interface UnsubscribeDeps {
  subscriptions: SubscriptionRepository;
}

/**
 * How many times a change is tried when the user's subscriptions change between read and write (another
 * tab, another unsubscribe link followed at once): each try reads them again, so a race is lost only to a
 * storm of changes to one user's item, and then the caller is told to try again (409).
 */
export const UNSUBSCRIBE_ATTEMPTS = 5;

/**
 * The one-click unsubscribe address for a user and scope: `<serviceUrl>/unsubscribe/<token>`, the URL of an
 * e-mail's `List-Unsubscribe` header (with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`) and of its
 * footer's link. A GET of it shows a page with a button; only a POST stops anything.
 * @param serviceUrl the service's address (`SERVICE_URL`), without a trailing slash (one is dropped).
 * @param key the unsubscribe key (`shared/email/unsubscribe-key.ts`).
 * @throws UnsubscribeTokenError for a blank or over-long user id, an unknown scope or a short key.
 */
export function unsubscribeUrl(serviceUrl: string, key: Uint8Array, target: UnsubscribeTarget): string {
  return `${serviceUrl.replace(/\/+$/, '')}/unsubscribe/${signUnsubscribeToken(target, key)}`;
}

/**
 * What a token would stop, without stopping it (the page a GET shows before its button).
 * @throws NotFoundError for a token the service did not sign.
 */
export function unsubscribeScope(token: string, key: Uint8Array): UnsubscribeScope {
  return assertCanUnsubscribe(verifyUnsubscribeToken(token, key)).scope;
}

/**
 * Stops the e-mails a token names: switches its kind (or every e-mail) off, or removes its saved search,
 * in the user's subscriptions, by the same versioned write as `/your-alerts`. Idempotent: e-mails stopped
 * already are left as they are and nothing is written. Says what was stopped, never whose.
 * @throws NotFoundError for a token the service did not sign; nothing is read or written.
 * @throws ConflictError when the subscriptions changed under every one of `UNSUBSCRIBE_ATTEMPTS` tries.
 */
export async function unsubscribe(
  deps: UnsubscribeDeps,
  token: string,
  key: Uint8Array,
  now: Date,
): Promise<{ scope: UnsubscribeScope }> {
  const { sub, scope } = assertCanUnsubscribe(verifyUnsubscribeToken(token, key));
  for (let attempt = 1; ; attempt += 1) {
    const current = await deps.subscriptions.get(sub);
    const next = stopEmails(current, scope);
    if (next === undefined) return { scope };
    try {
      await deps.subscriptions.put(sub, next, current.version, now);
      return { scope };
    } catch (error) {
      // Changed between the read and the write: read again and stop the e-mails in what they are now.
      if (!(error instanceof ConflictError) || attempt >= UNSUBSCRIBE_ATTEMPTS) throw error;
    }
  }
}
