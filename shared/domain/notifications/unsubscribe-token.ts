/**
 * One-click unsubscribe tokens (RFC 8058; issue 17): the last segment of `POST /unsubscribe/{token}`, the
 * address every e-mail's `List-Unsubscribe` header names. Whoever holds the e-mail may stop e-mails of that
 * kind without signing in – mail providers POST to the address on the reader's behalf – so the token itself
 * must say, unforgeably, whose e-mails and which kind: an HMAC-SHA256 over the user and the scope, with a
 * key only the service holds.
 *
 *     u1.<base64url of {"s":sub,"k":scope}>.<base64url of HMAC-SHA256(key, "unsubscribe.u1." + payload)>
 *
 * Tokens do not expire: an unsubscribe link must keep working for as long as the e-mail sits in an inbox,
 * and all it can ever do is switch e-mails off. Changing the key revokes every token. Pure: the key is a
 * parameter (the service keeps it as a secret), and hashing is no I/O.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EMAIL_KIND_NAMES, type EmailKind } from './subscriptions';

/**
 * What a token stops: one kind of e-mail, every e-mail (`all`), or one saved search's alerts
 * (`saved-search:<id>`).
 */
export type UnsubscribeScope = EmailKind | 'all' | `saved-search:${string}`;

/** Whose e-mails, and which. */
export interface UnsubscribeTarget {
  sub: string;
  scope: UnsubscribeScope;
}

/** Raised when a token cannot be made (an over-long user id, an unknown scope, a short key). */
export class UnsubscribeTokenError extends Error {
  override readonly name = 'UnsubscribeTokenError';
}

const VERSION = 'u1';
/** Separates these MACs from any other the same key might make. */
const CONTEXT = `unsubscribe.${VERSION}.`;
/** Longest user id a token carries, in UTF-8 bytes (Cognito's are 36 characters). */
export const MAX_TOKEN_SUB_BYTES = 128;
/**
 * Longest token accepted (the longest user id and scope make 290 characters): longer input is refused
 * before any work.
 */
export const MAX_UNSUBSCRIBE_TOKEN_LENGTH = 400;
/** Shortest key: 256 bits, as HMAC-SHA256 deserves. */
export const MIN_UNSUBSCRIBE_KEY_BYTES = 32;

const SEARCH_SCOPE = /^saved-search:[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether a string is a scope a token may carry. */
export function isUnsubscribeScope(value: string): value is UnsubscribeScope {
  return (
    value === 'all' || (EMAIL_KIND_NAMES as readonly string[]).includes(value) || SEARCH_SCOPE.test(value)
  );
}

const subFits = (sub: string) => sub !== '' && Buffer.byteLength(sub, 'utf8') <= MAX_TOKEN_SUB_BYTES;

function mac(key: Uint8Array, payload: string): Buffer {
  return createHmac('sha256', key).update(CONTEXT).update(payload).digest();
}

function assertKey(key: Uint8Array): void {
  if (key.length < MIN_UNSUBSCRIBE_KEY_BYTES) {
    throw new UnsubscribeTokenError(
      `The unsubscribe key must be at least ${MIN_UNSUBSCRIBE_KEY_BYTES} bytes`,
    );
  }
}

/**
 * Makes the token for a user and scope.
 * @throws UnsubscribeTokenError for a blank or over-long user id, an unknown scope or a short key.
 */
export function signUnsubscribeToken(target: UnsubscribeTarget, key: Uint8Array): string {
  assertKey(key);
  if (!subFits(target.sub)) {
    throw new UnsubscribeTokenError(`A user id in a token is 1 to ${MAX_TOKEN_SUB_BYTES} bytes`);
  }
  if (!isUnsubscribeScope(target.scope)) throw new UnsubscribeTokenError(`Unknown scope ${target.scope}`);
  const payload = Buffer.from(JSON.stringify({ s: target.sub, k: target.scope })).toString('base64url');
  return `${VERSION}.${payload}.${mac(key, payload).toString('base64url')}`;
}

/**
 * The user and scope a token names, or undefined for anything that is not a token this key made (any other
 * version, a changed payload or MAC, a token over `MAX_UNSUBSCRIBE_TOKEN_LENGTH`). Never throws on input.
 */
export function verifyUnsubscribeToken(token: string, key: Uint8Array): UnsubscribeTarget | undefined {
  assertKey(key);
  if (token.length > MAX_UNSUBSCRIBE_TOKEN_LENGTH) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) return undefined;
  const [, payload = '', signature = ''] = parts;
  if (!/^[A-Za-z0-9_-]+$/.test(payload) || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return undefined;
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  // Compared in constant time, so the MAC cannot be found byte by byte from response times.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const { s, k } = (decoded ?? {}) as { s?: unknown; k?: unknown };
  if (typeof s !== 'string' || !subFits(s)) return undefined;
  if (typeof k !== 'string' || !isUnsubscribeScope(k)) return undefined;
  return { sub: s, scope: k };
}
