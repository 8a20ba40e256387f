/**
 * The web front door's cookies: the session (who is signed in, and the CSRF token every form carries), the
 * sign-in transaction (PKCE verifier and state between `/sign-in` and its callback) and the registration
 * answers kept between question pages.
 *
 * Each is sealed with AES-256-GCM under the key from `shared/config.ts` (a random IV per cookie, the
 * expiry inside the authenticated plaintext): the browser can neither read nor forge nor extend one, so a
 * session cookie is as good as the verified token it was made from, in AWS (from Cognito's token endpoint)
 * and locally (from the local gateway's developer sign-in page) alike. Node's own cipher rather than a JWE
 * library keeps the page bundles small.
 */
import { createCipheriv, createDecipheriv, randomBytes, timingSafeEqual } from 'node:crypto';
import { config } from '../config';
import { type Group, parseGroupsClaim, type UserPrincipal } from '../domain/principal';

/** Cookie names. */
export const COOKIES = { session: 'session', signIn: 'sign-in', registration: 'registration' } as const;

/** How long a session lasts: a working day, like the Cognito ID token it comes from. */
export const SESSION_SECONDS = 8 * 3600;

/** What the session cookie holds. */
export interface Session {
  sub: string;
  email?: string | undefined;
  groups: Group[];
  /** The CSRF token every form of this session must send back. */
  csrf: string;
}

function key(): Uint8Array {
  const secret = config().web.cookieSecret;
  if (!secret) throw new Error('WEB_COOKIE_SECRET is not set: the web function cannot keep sessions');
  return secret;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Encrypts a payload into a cookie value (base64url of IV, ciphertext, tag) that expires after `seconds`. */
export async function seal(payload: Record<string, unknown>, seconds: number): Promise<string> {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const plain = JSON.stringify({ exp: Math.floor(Date.now() / 1000) + seconds, payload });
  const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return sealed.toString('base64url');
}

/** Decrypts a cookie value; undefined when absent, forged, tampered with or expired. */
export async function unseal<T>(value: string | undefined): Promise<T | undefined> {
  if (!value) return undefined;
  const sealed = Buffer.from(value, 'base64url');
  if (sealed.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key(), sealed.subarray(0, IV_BYTES));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]).toString('utf8');
    const { exp, payload } = JSON.parse(plain) as { exp?: unknown; payload?: T };
    if (typeof exp !== 'number' || exp <= Date.now() / 1000) return undefined;
    return payload;
  } catch {
    // A wrong tag (tampered or forged) throws in `final`: no session.
    return undefined;
  }
}

/** A fresh random token (CSRF tokens, PKCE verifiers, OAuth state, CSP nonces). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A new session for verified claims (`sub`, `email`, `cognito:groups`). */
export function newSession(claims: { sub: string; email?: string | undefined; groups?: unknown }): Session {
  return {
    sub: claims.sub,
    ...(claims.email ? { email: claims.email } : {}),
    groups: parseGroupsClaim(claims.groups),
    csrf: randomToken(),
  };
}

/** Opens the session cookie; undefined when there is no valid one. */
export async function openSession(value: string | undefined): Promise<Session | undefined> {
  const session = await unseal<Session>(value);
  if (!session || typeof session.sub !== 'string' || typeof session.csrf !== 'string') return undefined;
  return {
    sub: session.sub,
    email: session.email,
    groups: parseGroupsClaim(session.groups),
    csrf: session.csrf,
  };
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
 * `http://localhost` as secure, so this works locally too) and `SameSite=Lax` (sent on top-level
 * navigations, such as the return from Cognito, but not on cross-site form posts).
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
  const parsed: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at < 0) continue;
    const name = pair.slice(0, at).trim();
    if (name && !(name in parsed)) parsed[name] = pair.slice(at + 1).trim();
  }
  return parsed;
}
