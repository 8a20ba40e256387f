/**
 * Signed-in web sessions for tests that call the web functions directly: a session record in this test
 * file's sessions table (through the same use cases as sign-in) and the cookie naming it.
 */
import { localIdentityStore, sessionRepository } from '../../shared/db/repositories';
import type { SessionRecord } from '../../shared/domain/sessions';
import { signInLocally } from '../../shared/use-cases/sessions/local-sign-in';
import { COOKIES, sessionCookie } from '../../shared/web/session';

/** A session and its `Cookie` header pair (`__Host-session=…`). */
export interface SignedIn {
  session: SessionRecord;
  /** `name=value`, as a browser sends it. */
  cookie: string;
  /** The sealed cookie value alone. */
  value: string;
}

/**
 * Signs a user in as the local developer sign-in does: recorded in the local identity store with these
 * groups, and a session started.
 */
export async function signedIn(
  sub: string,
  options: { groups?: string[]; email?: string; now?: Date } = {},
): Promise<SignedIn> {
  const now = options.now ?? new Date();
  const session = await signInLocally(
    { sessions: sessionRepository(), identities: localIdentityStore() },
    { sub, email: options.email, groups: options.groups ?? [] },
    now,
  );
  const setCookie = await sessionCookie(session, now);
  const pair = setCookie.split(';')[0] ?? '';
  return { session, cookie: pair, value: pair.slice(COOKIES.session.length + 1) };
}

/** The value of a cookie a response sets, or '' when it sets none of that name. */
export function cookieSet(cookies: readonly string[] | undefined, name: string): string {
  return (
    cookies
      ?.find((c) => c.startsWith(`${name}=`))
      ?.split(';')[0]
      ?.slice(name.length + 1) ?? ''
  );
}
