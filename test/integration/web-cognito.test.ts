/**
 * Sign-in as it runs in AWS, against a stand-in for Cognito's hosted UI endpoints on localhost: the
 * authorization-code flow with PKCE (S256), the state check, the ID token verified against the pool's
 * JWKS, then the session (a record and the cookie naming it); a refused ID token logged by its code
 * alone, never its claims; and sign-out at Cognito, which ends the session record.
 *
 * The web settings come from the environment, read once per test file (the test setup has already read
 * it), so this file puts the Cognito settings into the loaded configuration, as `WEB_COGNITO_*` would.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handler } from '../../functions/web/sign-in';
import { config } from '../../shared/config';
import { sessionRepository } from '../../shared/db/repositories';
import type { HttpResult } from '../../shared/http/types';
import { logger } from '../../shared/web/logger';
import { COOKIES, sessionIdOf } from '../../shared/web/session';
import { httpEvent, lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';
import { signedIn } from '../support/web-session';

const { privateKey, publicKey } = await generateKeyPair('RS256');
const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
const received: URLSearchParams[] = [];
let issuer = '';
let challenge = '';

const cognito: Server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/pool/.well-known/jwks.json') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    return;
  }
  if (url.pathname === '/oauth2/token' && req.method === 'POST') {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', async () => {
      const form = new URLSearchParams(body);
      received.push(form);
      // Cognito refuses a verifier that does not hash to the challenge sent to /authorize.
      const verifier = form.get('code_verifier') ?? '';
      const code = form.get('code');
      if (
        createHash('sha256').update(verifier).digest('base64url') !== challenge ||
        (code !== 'good-code' && code !== 'other-audience')
      ) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"invalid_grant"}');
        return;
      }
      const idToken = await new SignJWT({
        email: code === 'good-code' ? 'ada@example.org' : 'private-claim@example.org',
        'cognito:groups': ['admin'],
        'cognito:username': 'ada-username',
        token_use: 'id',
      })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setSubject('cognito-user-1')
        .setIssuer(issuer)
        .setAudience(code === 'good-code' ? 'web-client' : 'another-client')
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id_token: idToken }));
    });
    return;
  }
  res.writeHead(404).end();
});
await new Promise<void>((done) => cognito.listen(0, '127.0.0.1', () => done()));
const address = cognito.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
issuer = `${base}/pool`;
Object.assign(config().web, { cognitoDomain: base, cognitoClientId: 'web-client', cognitoIssuer: issuer });

beforeAll(() => useTestTables());
afterAll(() => new Promise<void>((done) => cognito.close(() => done())));

function call(
  routeKey: string,
  path: string,
  query: Record<string, string> = {},
  cookie = '',
): Promise<HttpResult> {
  return handler(
    httpEvent({ routeKey, path, query, ...(cookie ? { headers: { cookie } } : {}) }),
    lambdaContext(),
  );
}

const cookieValue = (result: HttpResult, name: string) =>
  result.cookies
    ?.find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0]
    ?.slice(name.length + 1) ?? '';

describe('Cognito sign-in with PKCE', () => {
  it('sends the visitor to the hosted sign-in with an S256 challenge and state, remembered in a cookie', async () => {
    const result = await call('GET /sign-in', '/sign-in', { returnTo: '/your-organisation' });
    expect(result.statusCode).toBe(303);
    const location = new URL(String(result.headers?.location));
    expect(`${location.origin}${location.pathname}`).toBe(`${base}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'web-client',
      redirect_uri: 'https://localhost/sign-in/callback',
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(cookieValue(result, COOKIES.signIn)).not.toBe('');
  });

  it('swaps the code for a verified ID token and starts the session; a wrong state or code starts nothing', async () => {
    const start = await call('GET /sign-in', '/sign-in', { returnTo: '/find-a-provider' });
    const authorize = new URL(String(start.headers?.location));
    challenge = authorize.searchParams.get('code_challenge') ?? '';
    const state = authorize.searchParams.get('state') ?? '';
    const transaction = `${COOKIES.signIn}=${cookieValue(start, COOKIES.signIn)}`;

    const forged = await call(
      'GET /sign-in/callback',
      '/sign-in/callback',
      { code: 'good-code', state: 'other' },
      transaction,
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.cookies ?? []).toEqual([]);
    const badCode = await call(
      'GET /sign-in/callback',
      '/sign-in/callback',
      { code: 'stolen', state },
      transaction,
    );
    expect(badCode.statusCode).toBe(400);

    const result = await call(
      'GET /sign-in/callback',
      '/sign-in/callback',
      { code: 'good-code', state },
      transaction,
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/find-a-provider');
    expect(received.at(-1)?.get('redirect_uri')).toBe('https://localhost/sign-in/callback');
    const id = await sessionIdOf(cookieValue(result, COOKIES.session));
    const session = id ? await sessionRepository().get(id) : undefined;
    expect(session).toMatchObject({
      sub: 'cognito-user-1',
      username: 'ada-username',
      email: 'ada@example.org',
      groups: ['admin'],
    });
    expect(result.cookies?.find((c) => c.startsWith(`${COOKIES.signIn}=`))).toContain('Max-Age=0');
  });

  it('with no page to return to, lands an admin (no organisation workspace yet) on Your account', async () => {
    const start = await call('GET /sign-in', '/sign-in');
    const authorize = new URL(String(start.headers?.location));
    challenge = authorize.searchParams.get('code_challenge') ?? '';
    const result = await call(
      'GET /sign-in/callback',
      '/sign-in/callback',
      { code: 'good-code', state: authorize.searchParams.get('state') ?? '' },
      `${COOKIES.signIn}=${cookieValue(start, COOKIES.signIn)}`,
    );
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/your-account');
  });

  it('refuses an ID token for another client, logging its code but none of its claims', async () => {
    const start = await call('GET /sign-in', '/sign-in');
    const authorize = new URL(String(start.headers?.location));
    challenge = authorize.searchParams.get('code_challenge') ?? '';
    const logged: unknown[] = [];
    const spies = (['debug', 'info', 'warn', 'error'] as const).map((level) =>
      vi.spyOn(logger, level).mockImplementation((...args: unknown[]) => {
        logged.push(args);
      }),
    );
    let result: HttpResult;
    try {
      result = await call(
        'GET /sign-in/callback',
        '/sign-in/callback',
        { code: 'other-audience', state: authorize.searchParams.get('state') ?? '' },
        `${COOKIES.signIn}=${cookieValue(start, COOKIES.signIn)}`,
      );
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
    const text = JSON.stringify(logged);
    expect(text).not.toContain('private-claim@example.org');
    expect(text).not.toContain('cognito-user-1');
    expect(text).toContain('ERR_JWT_CLAIM_VALIDATION_FAILED');
    // "Sign in again", not an error page of the service's own.
    expect(result.statusCode).toBe(400);
    expect(result.cookies ?? []).toEqual([]);
  });

  it('signs out at Cognito too, and ends the session record', async () => {
    const { session, cookie } = await signedIn('cognito-user-1');
    const result = await handler(
      httpEvent({
        routeKey: 'POST /sign-out',
        method: 'POST',
        path: '/sign-out',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: `csrfToken=${session.csrf}`,
      }),
      lambdaContext(),
    );
    expect(await sessionRepository().get(session.id)).toBeUndefined();
    expect(result.statusCode).toBe(303);
    const logout = new URL(String(result.headers?.location));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${base}/logout`);
    expect(logout.searchParams.get('client_id')).toBe('web-client');
    expect(result.cookies?.find((c) => c.startsWith(`${COOKIES.session}=`))).toContain('Max-Age=0');
  });
});
