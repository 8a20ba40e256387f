/**
 * The web front door's cookies: the session (which server-side session this browser holds), the sign-in
 * transaction (PKCE verifier and state between `/sign-in` and its callback) and the registration answers
 * kept between question pages.
 *
 * Each is sealed with AES-256-GCM under the key of `cookie-key.ts` (a random IV per cookie, the expiry
 * inside the authenticated plaintext): the browser can neither read nor forge nor extend one. Each kind is
 * also bound to its purpose: the purpose is the cipher's additional authenticated data, so a cookie of one
 * kind does not open as another (a session cookie pasted into the registration cookie opens as nothing,
 * and is never sealed again as something else). Node's own cipher rather than a JWE library keeps the page
 * bundles small.
 *
 * The session cookie names a session record (`shared/use-cases/sessions`), which sign-out deletes and
 * every page checks: the cookie alone is not a session.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Group, UserPrincipal } from '../domain/principal';
import { type SessionRecord, secondsLeft } from '../domain/sessions';
import { cookieKey } from './cookie-key';

/**
 * Cookie names, each with the `__Host-` prefix: browsers accept such a cookie only with `Secure`,
 * `Path=/` and no `Domain`, so no sibling subdomain can set or shadow it.
 */
export const COOKIES = {
  session: '__Host-session',
  signIn: '__Host-sign-in',
  registration: '__Host-registration',
} as const;

/** What a sealed cookie is for: sealed for one purpose, it opens for that purpose only. */
export type CookiePurpose = keyof typeof COOKIES;

/** What a page knows of the signed-in session. */
export interface Session {
  /** The session record's id (sign-out ends it). */
  id: string;
  sub: string;
  email?: string | undefined;
  groups: Group[];
  /** The CSRF token every form of this session must send back. */
  csrf: string;
  /** When the session ends (ISO): whatever is kept for it (answers not yet sent) ends then too. */
  expiresAt: string;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The additional authenticated data of a purpose: part of the tag, never of the cookie. */
function aad(purpose: CookiePurpose): Buffer {
  return Buffer.from(`offender-services-web-cookie:${purpose}`, 'utf8');
}

/** Encrypts a payload into a cookie value (base64url of IV, ciphertext, tag) for one purpose, expiring after `seconds`. */
export async function seal(
  purpose: CookiePurpose,
  payload: Record<string, unknown>,
  seconds: number,
): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', await cookieKey(), iv);
  cipher.setAAD(aad(purpose));
  const plain = JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds, payload });
  const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString('base64url');
}

/** Decrypts a cookie value sealed for `purpose`; undefined when absent, forged, tampered with, expired or of another purpose. */
export async function unseal<T>(purpose: CookiePurpose, value: string | undefined): Promise<T | undefined> {
  if (!value) return undefined;
  const sealed = Buffer.from(value, 'base64url');
  if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
  const key = await cookieKey();
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(aad(purpose));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
    const { exp, payload } = JSON.parse(plain) as { exp?: unknown; payload?: T };
    if (typeof exp !== 'number' || exp <= Date.now() / 1000) return undefined;
    return payload;
  } catch {
    // A wrong tag (tampered, forged, or sealed for another purpose) throws in `final`: nothing.
    return undefined;
  }
}

/** A fresh random token (PKCE verifiers, OAuth state, CSP nonces). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** What a page sees of a live session record. */
export function sessionOf(record: SessionRecord): Session {
  return {
    id: record.id,
    sub: record.sub,
    ...(record.email ? { email: record.email } : {}),
    groups: [...record.groups],
    csrf: record.csrf,
    expiresAt: record.expiresAt,
  };
}

/** The `Set-Cookie` value naming a session just started: it lasts as long as the session's record. */
export async function sessionCookie(record: SessionRecord, now: Date): Promise<string> {
  const seconds = secondsLeft(record, now);
  return cookie(COOKIES.session, await seal('session', { sid: record.id }, seconds), seconds);
}

/** The session id a session cookie names; undefined when it is not a valid session cookie. */
export async function sessionIdOf(value: string | undefined): Promise<string | undefined> {
  const payload = await unseal<{ sid?: unknown }>('session', value);
  return typeof payload?.sid === 'string' && payload.sid !== '' ? payload.sid : undefined;
}

/** The principal a session stands for. */
export function sessionPrincipal(session: Session): UserPrincipal {
  return { kind: 'user', sub: session.sub, email: session.email, groups: [...session.groups] };
}

/** True when a submitted CSRF token matches the session's, compared in constant time. */
export function csrfMatches(session: Session | undefined, submitted: string | undefined): boolean {
  if (!session || !submitted) return false;
  const expected = Buffer.from(session.csrf);
  const actual = Buffer.from(submitted);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/**
 * A `Set-Cookie` value: always `HttpOnly` (no script reads it), `Secure` (browsers treat
 * `http://localhost` as secure, so this works locally too), `Path=/` and no `Domain` (which the `__Host-`
 * names demand) and `SameSite=Lax` (sent on top-level navigations, such as the return from Cognito, but
 * not on cross-site form posts).
 */
export function cookie(name: string, value: string, maxAgeSeconds: number): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=Lax`;
}

/** A `Set-Cookie` value that removes a cookie. */
export function clearCookie(name: string): string {
  return cookie(name, '', 0);
}

/** Parses the request's cookies (API Gateway v2 passes them in `event.cookies`, or in the header). */
export function parseCookies(
  cookies: readonly string[] | undefined,
  header: string | undefined,
): Record<string, string> {
  const pairs = [...(cookies ?? []), ...(header ? header.split(';') : [])];
  const parsed: Record<string, string> = Object.create(null);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (name && !(name in parsed)) parsed[name] = pair.slice(at + 1).trim();
  }
  return parsed;
}
