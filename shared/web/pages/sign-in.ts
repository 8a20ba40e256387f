/**
 * Sign-in and sign-out. In AWS: Cognito's hosted sign-in with the authorization-code flow and PKCE (the
 * verifier and state travel in an encrypted, short-lived cookie), the ID token fetched from the token
 * endpoint and verified against the pool's keys, then a session cookie. Locally (no Cognito configured,
 * not in Lambda): the local gateway's developer sign-in page (`local/web-sign-in.ts`).
 */
import { createHash } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { config } from '../../config';
import { UnauthenticatedError, ValidationError } from '../../domain/errors';
import { type PageRequest, redirect, render } from '../page';
import {
  COOKIES,
  clearCookie,
  cookie,
  newSession,
  randomToken,
  SESSION_SECONDS,
  seal,
  unseal,
} from '../session';

/** The path of the local developer sign-in page, served by the local gateway only. */
export const LOCAL_SIGN_IN_PATH = '/local/sign-in';

/** A requested `returnTo` if it is a same-site path, else undefined: it must never send a visitor elsewhere. */
export function requestedReturnTo(raw: string | undefined): string | undefined {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return undefined;
  return raw;
}

/** Only same-site paths: `returnTo`, or "Your organisations" when it is missing or points elsewhere. */
export function safeReturnTo(raw: string | undefined): string {
  return requestedReturnTo(raw) ?? '/your-organisation';
}

/**
 * Where a user lands after signing in when no page asked for sign-in: providers on their organisations
 * (which offers registration to those with none yet); commissioners, admins and auditors, whose workspace
 * is not on the web yet, on "Your account", which says what they can do here and what is coming.
 */
export function landingPage(groups: readonly string[]): string {
  return groups.length > 0 ? '/your-account' : '/your-organisation';
}

function callbackUrl(request: PageRequest): string {
  return `https://${request.event.requestContext.domainName}/sign-in/callback`;
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
  const returnTo = requestedReturnTo(request.query.returnTo);
  if (request.session) return redirect(returnTo ?? landingPage(request.session.groups));
  const { cognitoDomain, cognitoClientId, localSignIn } = config().web;
  if (!cognitoDomain || !cognitoClientId) {
    if (localSignIn) {
      const query = returnTo ? `?returnTo=${encodeURIComponent(returnTo)}` : '';
      return redirect(`${LOCAL_SIGN_IN_PATH}${query}`);
    }
    throw new Error('Sign-in is not configured: set WEB_COGNITO_DOMAIN and WEB_COGNITO_CLIENT_ID');
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
  const sealed = await seal({ ...transaction }, 600);
  return redirect(authorize.toString(), [cookie(COOKIES.signIn, sealed, 600)]);
}

let jwks: ReturnType<typeof createRemoteJWKSet> | undefined;

/** `GET /sign-in/callback`: swaps the code for tokens, verifies the ID token, starts the session. */
export async function signInCallback(request: PageRequest) {
  const { cognitoDomain, cognitoClientId, cognitoIssuer } = config().web;
  const transaction = await unseal<SignInTransaction>(request.cookies[COOKIES.signIn]);
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
  const { payload } = await jwtVerify(tokens.id_token, jwks, {
    issuer: cognitoIssuer,
    audience: cognitoClientId,
    algorithms: ['RS256'],
  });
  if (typeof payload.sub !== 'string') throw new ValidationError('The ID token names nobody.');
  const session = newSession({
    sub: payload.sub,
    email: typeof payload.email === 'string' ? payload.email : undefined,
    groups: payload['cognito:groups'],
  });
  return redirect(requestedReturnTo(transaction.returnTo) ?? landingPage(session.groups), [
    cookie(COOKIES.session, await seal({ ...session }, SESSION_SECONDS), SESSION_SECONDS),
    clearCookie(COOKIES.signIn),
  ]);
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

/** `POST /sign-out`: ends the session here, and at Cognito when signed in there. */
export async function signOut(request: PageRequest) {
  const { cognitoDomain, cognitoClientId } = config().web;
  const cookies = [clearCookie(COOKIES.session), clearCookie(COOKIES.registration)];
  if (!cognitoDomain || !cognitoClientId) return redirect('/', cookies);
  const logout = new URL(`${cognitoDomain}/logout`);
  logout.search = new URLSearchParams({
    client_id: cognitoClientId,
    logout_uri: `https://${request.event.requestContext.domainName}/`,
  }).toString();
  return redirect(logout.toString(), cookies);
}
