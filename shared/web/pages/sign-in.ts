/**
 * Sign-in and sign-out. In AWS: Cognito's hosted sign-in with the authorization-code flow and PKCE (the
 * verifier and state travel in an encrypted, short-lived cookie), the ID token fetched from the token
 * endpoint and verified against the pool's keys, then a session: a server-side record (sign-out deletes it)
 * and a cookie naming it. Locally (no Cognito configured, not in Lambda): the local gateway's developer
 * sign-in page (`local/web.ts`).
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, errors as joseErrors, jwtVerify } from 'jose';
import { config } from '../../config';
import { sessionRepository } from '../../db/repositories';
import { ServiceUnavailableError, UnauthenticatedError, ValidationError } from '../../domain/errors';
import { endSession } from '../../use-cases/sessions/end-session';
import { startSession } from '../../use-cases/sessions/start-session';
import { logger } from '../logger';
import { type PageRequest, redirect, render } from '../page';
import { COOKIES, clearCookie, cookie, randomToken, seal, sessionCookie, unseal } from '../session';

/** The path of the local developer sign-in page, served by the local gateway only. */
export const LOCAL_SIGN_IN_PATH = '/local/sign-in';

/** The longest `returnTo` honoured: a page address, not a payload. */
const MAX_RETURN_TO = 2048;

/** Stands for the site's origin when none is given: only same-origin-ness matters. */
const SITE = 'https://service.invalid';

/**
 * A requested `returnTo` if it names a page on this site, as a path (`/…`, never `//…`), else undefined:
 * it must never send a visitor elsewhere. It is resolved with the URL parser against the site's own origin,
 * as a browser would resolve it, and must stay on that origin. Control characters and backslashes are
 * refused anywhere, before parsing: browsers drop tabs and newlines from URLs and read `\` as `/`, so
 * `/\t/evil.example` and `/\\evil.example` would become `//evil.example`, and CR/LF would break the
 * `Location` header.
 * @param origin the site's origin (`https://<domain>`); any fixed origin gives the same answer for paths.
 */
export function requestedReturnTo(raw: string | undefined, origin: string = SITE): string | undefined {
  if (!raw || raw.length > MAX_RETURN_TO) return undefined;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this refuses.
  if (/[\u0000-\u001f\u007f-\u009f\\]/.test(raw)) return undefined;
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(raw, base);
  } catch {
    return undefined;
  }
  if (url.origin !== base.origin || (url.protocol !== 'https:' && url.protocol !== 'http:')) return undefined;
  // The path as the parser normalised it (`/a/../b` → `/b`); a path that normalises to `//…` (`/.//x`)
  // would be read by a browser as another host.
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//')) return undefined;
  return path;
}

/** Only same-site paths: `returnTo`, or "Your organisations" when it is missing or points elsewhere. */
export function safeReturnTo(raw: string | undefined, origin: string = SITE): string {
  return requestedReturnTo(raw, origin) ?? '/your-organisation';
}

/**
 * Where a user lands after signing in when no page asked for sign-in: providers on their organisations
 * (which offers registration to those with none yet); commissioners, admins and auditors on "Your account",
 * which says what their roles let them do and links to the commissioning workspace.
 */
export function landingPage(groups: readonly string[]): string {
  return groups.length > 0 ? '/your-account' : '/your-organisation';
}

/** The site's origin, as browsers see it: API Gateway serves the pages over HTTPS on this domain. */
function siteOrigin(request: PageRequest): string {
  return `https://${request.event.requestContext.domainName}`;
}

function callbackUrl(request: PageRequest): string {
  return `${siteOrigin(request)}/sign-in/callback`;
}

interface SignInTransaction {
  state: string;
  verifier: string;
  /** The page that asked for sign-in, or empty for the user's landing page. */
  returnTo: string;
}

/** `GET /sign-in`: off to Cognito (or the local sign-in page). */
export async function signIn(request: PageRequest) {
  // Without a page to return to, the landing page depends on who signs in: decided once they have.
  const returnTo = requestedReturnTo(request.query.returnTo, siteOrigin(request));
  if (request.session) return redirect(returnTo ?? landingPage(request.session.groups));
  const { cognitoDomain, cognitoClientId, localSignIn } = config().web;
  if (!cognitoDomain || !cognitoClientId) {
    if (localSignIn) {
      const query = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
      return redirect(`${LOCAL_SIGN_IN_PATH}${query}`);
    }
    // A deployment without a Cognito domain (a LocalStack deploy with `-c local=true`): say so, not a 500.
    throw new ServiceUnavailableError(
      'Signing in is not available on this copy of the service: its sign-in settings (WEB_COGNITO_DOMAIN and WEB_COGNITO_CLIENT_ID) are not set.',
    );
  }
  const transaction: SignInTransaction = {
    state: randomToken(),
    verifier: randomToken(48),
    returnTo: returnTo ?? '',
  };
  const challenge = createHash('sha256').update(transaction.verifier).digest('base64url');
  const authorize = new URL(`${cognitoDomain}/oauth2/authorize`);
  authorize.search = new URLSearchParams({
    response_type: 'code',
    client_id: cognitoClientId,
    redirect_uri: callbackUrl(request),
    scope: 'openid email profile',
    state: transaction.state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  const sealed = await seal('signIn', { ...transaction }, 600);
  return redirect(authorize.toString(), [cookie(COOKIES.signIn, sealed, 600)]);
}

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/** `GET /sign-in/callback`: swaps the code for tokens, verifies the ID token, starts the session. */
export async function signInCallback(request: PageRequest) {
  const { cognitoDomain, cognitoClientId, cognitoIssuer } = config().web;
  const transaction = await unseal<SignInTransaction>('signIn', request.cookies[COOKIES.signIn]);
  const { code, state } = request.query;
  if (!cognitoDomain || !cognitoClientId || !cognitoIssuer) throw new UnauthenticatedError('Sign in again.');
  if (!transaction || !code || !state || state !== transaction.state) {
    throw new ValidationError('The sign-in link has expired or was not started here. Sign in again.');
  }
  const response = await fetch(`${cognitoDomain}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: cognitoClientId,
      code,
      redirect_uri: callbackUrl(request),
      code_verifier: transaction.verifier,
    }),
  });
  if (!response.ok) throw new ValidationError('Cognito refused the sign-in. Sign in again.');
  const tokens = (await response.json()) as { id_token?: string };
  if (!tokens.id_token) throw new ValidationError('Cognito returned no ID token. Sign in again.');
  jwks ??= createRemoteJWKSet(new URL(`${cognitoIssuer}/.well-known/jwks.json`));
  const payload = await verifyIdToken(tokens.id_token, jwks, cognitoIssuer, cognitoClientId);
  if (typeof payload.sub !== 'string') throw new ValidationError('The ID token names nobody.');
  const session = await startSession(
    { sessions: sessionRepository() },
    {
      sub: payload.sub,
      username: typeof payload['cognito:username'] === 'string' ? payload['cognito:username'] : undefined,
      email: typeof payload.email === 'string' ? payload.email : undefined,
      groups: payload['cognito:groups'],
    },
    request.now,
  );
  return redirect(
    requestedReturnTo(transaction.returnTo, siteOrigin(request)) ?? landingPage(session.groups),
    [await sessionCookie(session, request.now), clearCookie(COOKIES.signIn)],
  );
}

/**
 * Verifies the ID token. jose's refusals carry the token's decoded claims (`payload`: email, groups…),
 * which the page stack would log with the error: a refusal is logged here by its code alone and becomes a
 * plain "sign in again".
 */
async function verifyIdToken(
  token: string,
  keys: ReturnType<typeof createRemoteJWKSet>,
  issuer: string,
  audience: string,
) {
  try {
    return (await jwtVerify(token, keys, { issuer, audience, algorithms: ['RS256'] })).payload;
  } catch (error) {
    if (!(error instanceof joseErrors.JOSEError)) throw error;
    logger.warn('ID token refused', { code: error.code, name: error.name });
    throw new ValidationError('The sign-in could not be verified. Sign in again.');
  }
}

/**
 * `GET /sign-out`: a page with the sign-out button. The header's button posts straight to `POST /sign-out`;
 * this page is for anyone who reaches the address otherwise (a reload after a refused sign-out, a typed
 * address), so the URL of that form is never a dead end. Signed-out visitors go to the start page.
 */
export async function signOutPage(request: PageRequest) {
  if (!request.session) return redirect('/');
  return render(request, 'sign-out.njk', { title: 'Sign out' });
}

/**
 * `POST /sign-out`: ends the session here – its record is deleted, so the cookie and any copy of it open
 * nothing – and at Cognito when signed in there.
 */
export async function signOut(request: PageRequest) {
  if (request.session) await endSession({ sessions: sessionRepository() }, request.session.id);
  const { cognitoDomain, cognitoClientId } = config().web;
  // Every cookie keeping a signed-in user's answers goes with the session (a shared computer); answers kept
  // server-side (creating a competition) went with its record.
  const cookies = [clearCookie(COOKIES.session), clearCookie(COOKIES.registration)];
  if (!cognitoDomain || !cognitoClientId) return redirect('/', cookies);
  const logout = new URL(`${cognitoDomain}/logout`);
  logout.search = new URLSearchParams({
    client_id: cognitoClientId,
    logout_uri: `${siteOrigin(request)}/`,
  }).toString();
  return redirect(logout.toString(), cookies);
}
