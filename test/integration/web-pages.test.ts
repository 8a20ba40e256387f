/**
 * The web function and the local gateway's web extras over DynamoDB Local, without a browser: sign-in
 * redirects, CSRF refusals that store nothing, GOV.UK error pages with the CSP, assets and the local
 * developer sign-in page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as accountHandler } from '../../functions/web/account';
import { handler as pageHandler } from '../../functions/web/index';
import { handler as signInHandler } from '../../functions/web/sign-in';
import { repositories } from '../../shared/db/repositories';
import type { HttpResult } from '../../shared/http/types';
import { COOKIES } from '../../shared/web/session';
import { startTestApi, type TestApi } from '../support/api';
import { httpEvent, lambdaContext } from '../support/events';
import { signedIn } from '../support/web-session';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api.stop();
});

async function page(
  routeKey: string,
  options: { path: string; pathParameters?: Record<string, string>; body?: string; cookie?: string } = {
    path: '/',
  },
): Promise<HttpResult> {
  const method = routeKey.split(' ')[0] ?? 'GET';
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  if (options.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  // Each web function serves its own routes, as API Gateway routes them.
  // Each page is served by the function the route table names: public pages, signed-in users' pages, sign-in.
  const handler = routeKey.includes('/sign-')
    ? signInHandler
    : /\/(register-organisation|your-)/.test(routeKey)
      ? accountHandler
      : pageHandler;
  return handler(
    httpEvent({
      routeKey,
      method,
      path: options.path,
      headers,
      ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
      ...(options.body !== undefined ? { body: options.body } : {}),
    }),
    lambdaContext(),
  );
}

const sessionCookie = (sub: string) => signedIn(sub);

describe('web pages', () => {
  it('sends anonymous visitors of private pages to sign in, and back afterwards', async () => {
    const result = await page('GET /your-organisation', { path: '/your-organisation' });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/sign-in?returnTo=%2Fyour-organisation');
    const signIn = await page('GET /sign-in', { path: '/sign-in' });
    // No Cognito configured and not in Lambda: the local gateway's developer sign-in page. No returnTo was
    // given here, so none is passed on: the landing page depends on who signs in (`landingPage`).
    expect(signIn.headers?.location).toBe('/local/sign-in');
  });

  it('refuses a form posted without the session CSRF token, storing nothing', async () => {
    const { cookie } = await sessionCookie('csrf-victim');
    const body = 'name=Forged&legalForm=sole_trader&sector=private&size=micro';
    for (const token of ['', '&csrfToken=guessed']) {
      const result = await page('POST /register-organisation/{step}', {
        path: '/register-organisation/check-your-answers',
        pathParameters: { step: 'check-your-answers' },
        body: `${body}${token}`,
        cookie,
      });
      expect(result.statusCode).toBe(403);
      expect(result.headers?.['content-type']).toContain('text/html');
      expect(result.body).toContain('did not come from this service');
    }
    expect((await repositories().memberships.listForUser('csrf-victim')).length).toBe(0);
    // Without a session at all, a POST is sent to sign in.
    const anonymous = await page('POST /sign-out', { path: '/sign-out', body: 'csrfToken=x' });
    expect(anonymous.statusCode).toBe(303);
  });

  it('keeps the answers between question pages in an encrypted cookie', async () => {
    const { session, cookie } = await sessionCookie('drafter');
    const result = await page('POST /register-organisation/{step}', {
      path: '/register-organisation/organisation',
      pathParameters: { step: 'organisation' },
      body: `csrfToken=${session.csrf}&name=Hope+Street&legalForm=sole_trader&sector=private&size=micro`,
      cookie,
    });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/register-organisation/services');
    const draft = result.cookies?.find((c) => c.startsWith(`${COOKIES.registration}=`)) ?? '';
    expect(draft).toContain('HttpOnly; Secure; SameSite=Lax');
    expect(draft).not.toContain('Hope');
    const back = await page('GET /register-organisation/{step}', {
      path: '/register-organisation/organisation',
      pathParameters: { step: 'organisation' },
      cookie: `${cookie}; ${draft.split(';')[0]}`,
    });
    expect(back.body).toContain('value="Hope Street"');
  });

  it('answers unknown ids and steps with a GOV.UK 404 page under the CSP, nonce in step', async () => {
    const notFound = await page('GET /find-a-provider/{id}', {
      path: '/find-a-provider/nope',
      pathParameters: { id: 'nope' },
    });
    expect(notFound.statusCode).toBe(404);
    expect(notFound.body).toContain('Page not found');
    const csp = String(notFound.headers?.['Content-Security-Policy']);
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(notFound.body).toContain(`nonce="${nonce}"`);
    expect(notFound.headers?.['X-Frame-Options']).toBe('DENY');
    const { cookie } = await sessionCookie('lost');
    const step = await page('GET /register-organisation/{step}', {
      path: '/register-organisation/nowhere',
      pathParameters: { step: 'nowhere' },
      cookie,
    });
    expect(step.statusCode).toBe(404);
  });
});

describe('local gateway web extras', () => {
  it('serves GOV.UK Frontend assets with year-long caching, and nothing outside them', async () => {
    for (const path of [
      '/assets/govuk-frontend.min.css',
      '/assets/govuk-frontend.min.js',
      '/assets/web.js',
      '/assets/images/favicon.svg',
    ]) {
      const response = await fetch(`${api.url}${path}`);
      expect(response.status, path).toBe(200);
      expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    for (const path of [
      '/assets/../../package.json',
      '/assets/%2e%2e/%2e%2e/package.json',
      '/assets/missing.css',
    ]) {
      expect((await fetch(`${api.url}${path}`)).status, path).toBe(404);
    }
  });

  it('has a developer sign-in page that starts a session cookie', async () => {
    const form = await fetch(`${api.url}/local/sign-in?returnTo=/your-organisation`);
    expect(form.status).toBe(200);
    expect(form.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const signedIn = await fetch(`${api.url}/local/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'sub=dev-1&email=dev%40example.org&groups=admin&returnTo=%2Fyour-organisation',
    });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/your-organisation');
    const setCookie = signedIn.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^__Host-session=.+; Path=\/; Max-Age=28800; HttpOnly; Secure; SameSite=Lax$/);
    // "Your account" shows who is signed in (the header no longer does: "Sign out" is in the navigation).
    const mine = await fetch(`${api.url}/your-account`, {
      headers: { cookie: setCookie.split(';')[0] ?? '' },
    });
    expect(mine.status).toBe(200);
    expect(await mine.text()).toContain('dev@example.org');
  });
});
