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
import { type PageRequest, redirect } from '../page';
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

/** Only same-site paths: `returnTo` must never send a visitor to another site. */
export function safeReturnTo(raw: string | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return '/your-organisation';
  return raw;
}

function callbackUrl(request: PageRequest): string {
  return `https://${request.event.requestContext.domainName}/sign-in/callback`;
}

interface SignInTransaction {
  state: string;
  verifier: string;
  returnTo: string;
}

/** `GET /sign-in`: off to Cognito (or the local sign-in page). */
export async function signIn(request: PageRequest) {
  const returnTo = safeReturnTo(request.query.returnTo);
  if (request.session) return redirect(returnTo);
  const { cognitoDomain, cognitoClientId, localSignIn } = config().web;
  if (!cognitoDomain || !cognitoClientId) {
    if (localSignIn) return redirect(`${LOCAL_SIGN_IN_PATH}?returnTo=${encodeURIComponent(returnTo)}`);
    throw new Error('Sign-in is not configured: set WEB_COGNITO_DOMAIN and WEB_COGNITO_CLIENT_ID');
  }
  const transaction: SignInTransaction = { state: randomToken(), verifier: randomToken(48), returnTo };
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
  return redirect(safeReturnTo(transaction.returnTo), [
    cookie(COOKIES.session, await seal({ ...session }, SESSION_SECONDS), SESSION_SECONDS),
    clearCookie(COOKIES.signIn),
  ]);
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
