/**
 * What the local gateway adds for the web front door, and only locally:
 *
 * - `/assets/…`: GOV.UK Frontend's CSS, JavaScript, fonts and images (from the `govuk-frontend` package)
 *   and the service's own `web.js`, with long-lived cache headers, as CloudFront serves them in AWS;
 * - `/local/sign-in`: a developer sign-in page to pick a user id, email and groups. It is not in the route
 *   table, so it can never be deployed; the web function's `/sign-in` sends developers here when no Cognito
 *   is configured. It records the user in the local identity store (the stand-in for Cognito's user pool,
 *   which open sessions read their groups back from) and starts a session as the Cognito callback does.
 *   Like every page form, it refuses a post from another site (`Origin`).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve } from 'node:path';
import { localIdentityStore, sessionRepository } from '../shared/db/repositories';
import { GROUPS } from '../shared/domain/principal';
import type { HttpResult } from '../shared/http/types';
import { signInLocally } from '../shared/use-cases/sessions/local-sign-in';
import { contentSecurityPolicy, redirect, render } from '../shared/web/page';
import { LOCAL_SIGN_IN_PATH, landingPage, requestedReturnTo } from '../shared/web/pages/sign-in';
import { isCrossOrigin } from '../shared/web/post-guards';
import { randomToken, sessionCookie } from '../shared/web/session';

const REPO_ROOT = resolve(import.meta.dirname, '..');
const GOVUK = join(REPO_ROOT, 'node_modules/govuk-frontend/dist/govuk');

/** Where `/assets/<file>` comes from, first match wins; the same layout the CDK app uploads to S3. */
export const ASSET_ROOTS = [join(REPO_ROOT, 'shared/web/assets'), join(GOVUK, 'assets'), GOVUK];

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/manifest+json; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

/** Finds an asset file under the roots; never outside them (no `..` escapes). */
export function findAsset(relative: string): string | undefined {
  for (const root of ASSET_ROOTS) {
    const file = normalize(join(root, relative));
    if (!file.startsWith(`${root}/`)) continue;
    if (existsSync(file) && statSync(file).isFile() && TYPES[extname(file)]) return file;
  }
  return undefined;
}

function asset(path: string): HttpResult {
  let relative: string;
  try {
    relative = decodeURIComponent(path.slice('/assets/'.length));
  } catch {
    // A malformed `%` escape names no file.
    relative = '';
  }
  const file = relative ? findAsset(relative) : undefined;
  if (!file)
    return { statusCode: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
  return {
    statusCode: 200,
    headers: {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // As CloudFront serves them: a year, never revalidated; a new release of the files means new names.
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    },
    body: readFileSync(file).toString('base64'),
    isBase64Encoded: true,
  };
}

function withCsp(result: HttpResult, nonce: string): HttpResult {
  return {
    ...result,
    headers: {
      ...(result.headers ?? {}),
      'content-security-policy': contentSecurityPolicy(nonce),
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
    },
  };
}

/** A request as the local web paths need it. */
export interface LocalWebRequest {
  method: string;
  url: URL;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | undefined>;
  body: string;
}

function crossSiteRefusal(nonce: string): HttpResult {
  return withCsp(
    render(
      { session: undefined, nonce },
      'errors/error.njk',
      {
        title: 'You cannot do this',
        detail: 'This form did not come from this service. Go back and try again.',
        status: 403,
      },
      403,
    ),
    nonce,
  );
}

async function signInPage({ method, url, headers, body }: LocalWebRequest): Promise<HttpResult> {
  const nonce = randomToken(18);
  const query = url.searchParams;
  if (method === 'POST') {
    // A form posted from another site would sign the visitor in as whoever that site chose.
    if (isCrossOrigin(headers, headers.host ?? url.host, true)) return crossSiteRefusal(nonce);
    const form = new URLSearchParams(body);
    const sub = form.get('sub')?.trim() ?? '';
    const returnTo = requestedReturnTo(form.get('returnTo') ?? undefined);
    if (!/^[\w.@-]{1,128}$/.test(sub)) {
      const errors = { sub: { text: 'Enter a user id: letters, digits, dots, dashes, @ or underscores' } };
      return withCsp(
        render(
          { session: undefined, nonce },
          'local-sign-in.njk',
          {
            title: 'Sign in (local development)',
            groups: GROUPS,
            values: { sub, email: form.get('email') ?? '', groups: form.getAll('groups') },
            returnTo,
            errors,
            errorList: [{ text: errors.sub.text, href: '#sub' }],
          },
          400,
        ),
        nonce,
      );
    }
    const email = form.get('email')?.trim() || undefined;
    const now = new Date();
    const session = await signInLocally(
      { sessions: sessionRepository(), identities: localIdentityStore() },
      { sub, email, groups: form.getAll('groups') },
      now,
    );
    // No page asked for sign-in: each kind of user lands where their work is (`landingPage`).
    return redirect(returnTo ?? landingPage(session.groups), [await sessionCookie(session, now)]);
  }
  return withCsp(
    render({ session: undefined, nonce }, 'local-sign-in.njk', {
      title: 'Sign in (local development)',
      groups: GROUPS,
      values: { groups: [] },
      returnTo: requestedReturnTo(query.get('returnTo') ?? undefined),
      errors: {},
    }),
    nonce,
  );
}

/** Answers the local-only web paths, or undefined for everything else (the route table's business). */
export async function localWebResponse(request: LocalWebRequest): Promise<HttpResult | undefined> {
  const { method, url } = request;
  if (method === 'GET' && url.pathname.startsWith('/assets/')) return asset(url.pathname);
  if (url.pathname === LOCAL_SIGN_IN_PATH && (method === 'GET' || method === 'POST')) {
    return signInPage(request);
  }
  return undefined;
}
