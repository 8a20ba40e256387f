/**
 * `definePage` wraps a page handler in the web front door's middy stack, the HTML counterpart of
 * `defineRoute` (`shared/http/route.ts`):
 *
 *   security headers (helmet's, via middy) · a strict Content-Security-Policy with a per-response nonce ·
 *   GOV.UK error pages for every error (no try/catch in pages) · Powertools logger · header normalisation ·
 *   cross-origin POSTs refused · form bodies capped and parsed · the session cookie's server-side session
 *   resumed into a principal · the CSRF token checked on every POST
 *
 * Pages that need a signed-in user call `requireSession`; an anonymous visitor is sent to sign in and
 * brought back afterwards.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpSecurityHeaders from '@middy/http-security-headers';
import type { Context } from 'aws-lambda';
import { config } from '../config';
import type { Membership } from '../db/memberships';
import { identityDirectory, membershipRepository, sessionRepository } from '../db/repositories';
import { govukDateTime } from '../domain/dates';
import {
  ContractWallError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  SealedError,
  UnauthenticatedError,
} from '../domain/errors';
import { ANONYMOUS, type Principal } from '../domain/principal';
import { PROBLEM_TYPES, problem, problemResponse } from '../http/problem';
import { prefersHtml } from '../http/problem-page';
import type { HttpEvent, HttpResult } from '../http/types';
import { organisationMemberships } from '../use-cases/belongs-to-organisation';
import { resumeSession } from '../use-cases/sessions/resume-session';
import { logger } from './logger';
import type { MultipartForm } from './multipart';
import { bodyBytes, FORM_BODY_LIMIT_BYTES, isCrossOrigin } from './post-guards';
import { renderTemplate } from './render';
import {
  COOKIES,
  csrfMatches,
  parseCookies,
  randomToken,
  type Session,
  sessionIdOf,
  sessionOf,
  sessionPrincipal,
} from './session';

/** A Lambda handler for page routes. */
export type PageHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** What a page handler receives. */
export interface PageRequest {
  event: HttpEvent;
  principal: Principal;
  session: Session | undefined;
  /** Path parameters. */
  params: Record<string, string | undefined>;
  /** Query string parameters; repeated ones arrive comma-joined, as API Gateway sends them. */
  query: Record<string, string | undefined>;
  /** The url-encoded form body of a POST (checkboxes give repeated names: use `getAll`). */
  form: URLSearchParams;
  /** A multipart POST's files and cut fields (`form` holds its text fields); undefined otherwise. */
  multipart: Pick<MultipartForm, 'files' | 'truncatedFields'> | undefined;
  cookies: Record<string, string>;
  /** When API Gateway received the request. */
  now: Date;
  /** The CSP nonce of this response. */
  nonce: string;
  /**
   * Whether the signed-in user belongs to a provider organisation: the header links to the organisation
   * workspace (your organisations, contracts, payments) only then, and to "Your account" otherwise.
   */
  memberOfOrganisation: boolean;
  /**
   * The signed-in user's memberships as read for `memberOfOrganisation` (undefined when not looked up): a
   * page whose use case needs them passes them on rather than read them again.
   */
  memberships?: readonly Membership[] | undefined;
}

/** How a page function builds its pages. */
export interface PageOptions {
  /**
   * Look up, for a signed-in user, whether they belong to an organisation (one membership query per page,
   * see `pageRequest`). On by default; off for the sign-in function, which reaches only the sessions table
   * and renders nothing but error pages.
   */
  membershipLookup?: boolean;
  /**
   * Reads `multipart/form-data` bodies (a form with a file input; `shared/web/multipart.ts`). Only a page
   * with such a form passes it, so only its function's bundle carries the parser; elsewhere a multipart
   * body has no fields, so it fails the CSRF check like any forged form.
   */
  multipart?: (body: Buffer, contentType: string) => Promise<MultipartForm>;
  /**
   * The largest request body a page of this function reads, in bytes: `FORM_BODY_LIMIT_BYTES` (1 MB) unless
   * a page with a file input says more (`PAGE_UPLOAD_BODY_BYTES`, 5 MB and the form around it). A larger
   * body is refused with the GOV.UK 413 page before it is parsed.
   */
  maxBodyBytes?: number;
  /**
   * The page's form needs no session: its address carries a capability the service signed (the one-click
   * unsubscribe link's token, `shared/web/pages/unsubscribe.ts`), so its POST is not asked for the session's
   * CSRF token, which a visitor who is not signed in does not have. A form posted from another site is
   * still refused by its `Origin`, before anything is read. Only pages whose every effect the capability
   * alone authorises may set it.
   */
  capabilityInPath?: boolean;
}

/** A page error the visitor can act on: shown as a GOV.UK error page with this status. */
export class PageNotFound extends DomainError {
  override readonly name = 'PageNotFound';
  readonly code = 'not-found';
}

type PageEvent = HttpEvent & { page?: PageRequest };

/**
 * The Content-Security-Policy of every page: only the service's own origin (and the assets origin, which
 * is CloudFront in AWS), scripts only from there or with this response's nonce (GOV.UK Frontend's one-line
 * `js-enabled` script), never framed, forms only back to the service or to Cognito's sign-out.
 */
export function contentSecurityPolicy(nonce: string, formTarget?: string): string {
  const { assetsUrl, cognitoDomain } = config().web;
  const assetsOrigin = /^https?:\/\//.test(assetsUrl) ? ` ${new URL(assetsUrl).origin}` : '';
  return [
    "default-src 'self'",
    `script-src 'self'${assetsOrigin} 'nonce-${nonce}'`,
    `style-src 'self'${assetsOrigin}`,
    `img-src 'self'${assetsOrigin}`,
    `font-src 'self'${assetsOrigin}`,
    `manifest-src 'self'${assetsOrigin}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    `form-action 'self'${cognitoDomain ? ` ${cognitoDomain}` : ''}${formTarget ? ` ${formTarget}` : ''}`,
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The groups whose members the header links to the commissioning workspace. */
const OFFICIAL_GROUPS: readonly string[] = ['commissioner', 'auditor', 'admin'];

/**
 * Whether the signed-in user holds a commissioning, audit or admin role: the workspace's pages are for
 * them. It decides where a page is shown, never what may be read (the use cases' policy does that).
 */
export function isOfficial(request: Pick<PageRequest, 'session'>): boolean {
  return request.session?.groups.some((group) => OFFICIAL_GROUPS.includes(group)) === true;
}

/** Renders a page with the layout's common context (user, CSRF token, nonce, assets, navigation). */
export function render(
  request: Pick<PageRequest, 'session' | 'nonce'> & Partial<Pick<PageRequest, 'memberOfOrganisation'>>,
  template: string,
  context: Record<string, unknown> = {},
  statusCode = 200,
): HttpResult {
  const body = renderTemplate(template, {
    ...context,
    cspNonce: request.nonce,
    assetPath: config().web.assetsUrl,
    signedIn: request.session !== undefined,
    memberOfOrganisation: request.memberOfOrganisation === true,
    // Commissioners, auditors and admins have the commissioning workspace (its pages decide access).
    official: isOfficial(request),
    user: request.session ? { sub: request.session.sub, email: request.session.email } : undefined,
    csrfToken: request.session?.csrf,
  });
  return {
    statusCode,
    // Pages show the visitor's own data: never stored by shared caches or the browser's back-forward cache.
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body,
  };
}

/** A 303 See Other (the POST/redirect/GET pattern), with cookies to set. */
export function redirect(location: string, cookies: string[] = []): HttpResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    ...(cookies.length > 0 ? { cookies } : {}),
    body: '',
  };
}

/** The signed-in session, or an UnauthenticatedError that sends the visitor to sign in. */
export function requireSession(request: PageRequest): Session {
  if (!request.session) throw new UnauthenticatedError('Sign in to see this page.');
  return request.session;
}

/**
 * Opens the session, parses the form and checks the CSRF token of a POST.
 *
 * For a signed-in user it also asks whether they belong to an organisation, on every page rather than once
 * at sign-in: one query of the user's memberships (a handful of items on an index, about half a read
 * unit), and the header is right the moment someone registers an organisation or is added to one, with no
 * session cookie to rewrite. The sign-in function could not answer at sign-in anyway: it reads no registry.
 */
function pageRequest(options: PageOptions): MiddlewareObj<PageEvent, HttpResult> {
  return {
    before: async (request) => {
      const { event } = request;
      const headers = event.headers ?? {};
      const method = event.requestContext.http.method;
      const now = new Date(event.requestContext.timeEpoch);
      if (method === 'POST') {
        // Before anything is read: a form posted from another site is refused whoever is signed in.
        if (isCrossOrigin(headers, event.requestContext.domainName)) {
          throw new ForbiddenError('This form did not come from this service. Go back and try again.');
        }
        const limit = options.maxBodyBytes ?? FORM_BODY_LIMIT_BYTES;
        if (bodyBytes(event) > limit) {
          throw new PayloadTooLargeError(
            `What you sent is larger than this service accepts (${Math.floor(limit / (1024 * 1024))}MB). Go back and send less, or a smaller file.`,
          );
        }
      }
      const cookies = parseCookies(event.cookies, headers.cookie);
      const session = await openPageSession(cookies[COOKIES.session], now);
      let form = new URLSearchParams();
      let multipart: PageRequest['multipart'];
      if (method === 'POST') {
        const raw = event.body ?? '';
        const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
        if ((headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
          form = new URLSearchParams(text);
        } else if (options.multipart && (headers['content-type'] ?? '').startsWith('multipart/form-data')) {
          // A form with a file input: its text fields (the CSRF token among them) are checked below alike.
          const bytes = Buffer.from(raw, event.isBase64Encoded ? 'base64' : 'utf8');
          const parsed = await options.multipart(bytes, headers['content-type'] ?? '');
          form = parsed.fields;
          multipart = { files: parsed.files, truncatedFields: parsed.truncatedFields };
        }
      }
      const principal = session ? sessionPrincipal(session) : ANONYMOUS;
      const memberships =
        session !== undefined && options.membershipLookup !== false
          ? await organisationMemberships({ memberships: membershipRepository() }, principal)
          : undefined;
      const memberOfOrganisation = (memberships?.length ?? 0) > 0;
      const page: PageRequest = {
        event,
        principal,
        session,
        params: event.pathParameters ?? {},
        query: event.queryStringParameters ?? {},
        form,
        multipart,
        cookies,
        now,
        nonce: randomToken(18),
        memberOfOrganisation,
        memberships,
      };
      event.page = page;
      // Every form posts the session's CSRF token: a form posted from another site cannot know it.
      if (
        method === 'POST' &&
        options.capabilityInPath !== true &&
        !csrfMatches(session, form.get('csrfToken') ?? undefined)
      ) {
        if (!session) throw new UnauthenticatedError('Sign in to continue.');
        throw new ForbiddenError(
          'This form has expired or did not come from this service. Go back and try again.',
        );
      }
    },
  };
}

/**
 * The session the cookie names, while its server-side record lives (`resumeSession`: signed out, expired,
 * or a user disabled or gone from the identity provider opens nothing).
 */
async function openPageSession(value: string | undefined, now: Date): Promise<Session | undefined> {
  const id = await sessionIdOf(value);
  if (!id) return undefined;
  const record = await resumeSession(
    { sessions: sessionRepository(), identities: identityDirectory() },
    id,
    now,
  );
  return record ? sessionOf(record) : undefined;
}

/** No page needs any powerful browser feature. */
const PERMISSIONS_POLICY =
  'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), display-capture=(), fullscreen=(), autoplay=()';

/**
 * A page whose form posts somewhere else (the tender document upload form, straight to S3) names that
 * origin in this response header; the CSP then allows that one form target on that one page, and the header
 * itself is not sent.
 */
export const FORM_TARGET_HEADER = 'x-page-form-target';

/** Sets the CSP with the response's nonce, and the permissions policy. */
function pageSecurityHeaders(): MiddlewareObj<PageEvent, HttpResult> {
  const apply = (request: { event: PageEvent; response: HttpResult | undefined | null }) => {
    if (!request.response) return;
    const nonce = request.event.page?.nonce ?? randomToken(18);
    const { [FORM_TARGET_HEADER]: formTarget, ...headers } = request.response.headers ?? {};
    request.response.headers = {
      ...headers,
      'Content-Security-Policy': contentSecurityPolicy(
        nonce,
        typeof formTarget === 'string' ? formTarget : undefined,
      ),
      'Permissions-Policy': PERMISSIONS_POLICY,
    };
  };
  return { after: async (request) => apply(request), onError: async (request) => apply(request) };
}

const STATUS_PAGES: Record<number, { title: string; template: string }> = {
  403: { title: 'You cannot do this', template: 'errors/error.njk' },
  404: { title: 'Page not found', template: 'errors/error.njk' },
  409: { title: 'This cannot be done', template: 'errors/error.njk' },
  413: { title: 'What you sent is too large', template: 'errors/error.njk' },
  500: { title: 'Sorry, there is a problem with the service', template: 'errors/error.njk' },
  503: { title: 'This part of the service is not available', template: 'errors/error.njk' },
};

/**
 * The plain words of the ethical wall's refusals (the same errors, statuses and audit events as the JSON
 * routes; the use case has already recorded the attempt, and alerted the admins when the caller is outside
 * the wall, before it threw).
 */
export function wallRefusal(error: DomainError): { title: string; lines: string[] } | undefined {
  switch (error.code) {
    case 'ethical-wall':
      if (error instanceof ContractWallError) {
        return {
          title: 'You are outside the ethical wall for this contract',
          lines: [
            error.message,
            'You can still read the contract’s payment terms, results and statement; another commissioner must make changes.',
          ],
        };
      }
      return {
        title: 'You are outside the ethical wall for this competition',
        lines: [
          'You cannot see or act on this competition’s inside information: its responses, bids, scores, ranking, panel or confidential section.',
          'This attempt has been recorded in the competition’s audit trail, and the service’s administrators have been alerted.',
        ],
      };
    case 'sealed': {
      const opensAt = error instanceof SealedError ? error.opensAt : undefined;
      return {
        title: 'Bids are sealed',
        lines: [
          opensAt
            ? `Nobody can read the bids before the tender deadline. They open when the tender deadline passes: ${govukDateTime(opensAt)}.`
            : 'Nobody can read the bids before the tender deadline.',
        ],
      };
    }
    case 'declaration-required':
      return {
        title: 'Declare your interests first',
        lines: [
          'You must sign a conflict-of-interest declaration for this competition before you can see its inside information or act on it.',
        ],
      };
    default:
      return undefined;
  }
}

/**
 * The way back from an error page inside the commissioning workspace: breadcrumbs, and a link to the
 * competition's task list when the address names a competition (or to "Your competitions" otherwise), so a
 * refusal or a missing page is not a dead end. Pages elsewhere keep the start page alone.
 */
export function workspaceWayBack(event: Pick<HttpEvent, 'rawPath' | 'pathParameters'>): {
  breadcrumbs?: { text: string; href: string }[];
  wayBack?: { text: string; href: string };
} {
  const path = event.rawPath ?? '';
  if (path !== '/commissioning' && !path.startsWith('/commissioning/')) return {};
  const crumbs = [{ text: 'Commissioning', href: '/commissioning' }];
  const id = event.pathParameters?.id;
  // `/commissioning/contracts/{id}` names a contract, not a competition.
  if (id && !path.startsWith('/commissioning/contracts/') && /^[\w-]{1,64}$/.test(id)) {
    const href = `/commissioning/${encodeURIComponent(id)}`;
    return {
      breadcrumbs: [...crumbs, { text: 'Competition', href }],
      wayBack: { text: 'Go to the competition’s task list', href },
    };
  }
  if (path === '/commissioning') return {};
  return { breadcrumbs: crumbs, wayBack: { text: 'Go to your competitions', href: '/commissioning' } };
}

/**
 * Every error becomes a GOV.UK error page: sign-in for the unauthenticated, the domain error's message
 * for expected refusals (a malformed id in a URL is a page that does not exist), and a generic page for
 * the unexpected, whose detail goes only to the log.
 */
function pageErrors(): MiddlewareObj<PageEvent, HttpResult> {
  return {
    onError: async (request) => {
      const { event, error } = request;
      const page = event.page ?? { session: undefined, nonce: randomToken(18) };
      if (error instanceof UnauthenticatedError) {
        const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
        const back = event.requestContext.http.method === 'GET' ? `${event.rawPath}${query}` : '/';
        request.response = redirect(`/sign-in?returnTo=${encodeURIComponent(back)}`);
        return;
      }
      let status = 500;
      let detail = 'Try again later.';
      let refusal: { title: string; lines: string[] } | undefined;
      if (error instanceof DomainError) {
        // The same status the JSON routes give the same error (one table, `shared/http/problem.ts`).
        status = PROBLEM_TYPES[error.code].status;
        detail = error.message;
        refusal = wallRefusal(error);
        logger.info('page refused', { code: error.code, status });
      } else {
        // Name, message and stack only: some libraries' errors carry what they were given (jose's, a
        // token's claims) as properties, which the logger would write out.
        const { name, message, stack } = error as Error;
        logger.error('unexpected page error', { error: { name, message, stack } });
      }
      const shown = STATUS_PAGES[status] ?? { title: 'There is a problem', template: 'errors/error.njk' };
      request.response = render(
        page,
        shown.template,
        {
          title: refusal?.title ?? shown.title,
          detail,
          lines: refusal?.lines ?? [],
          status,
          ...workspaceWayBack(event),
        },
        status,
      );
    },
  };
}

/**
 * A web function's handler from its pages, by route key (`event.routeKey`, as API Gateway names the
 * matched route); anything else (API Gateway's `$default` route: a mistyped address, or a known path with
 * a method it does not answer) gets the GOV.UK 404 page when a browser asks for HTML, and a 404
 * problem+json for API clients, as the JSON functions would answer. The web's own counterpart of
 * `shared/http/dispatch.ts`, so page bundles carry none of the JSON stack (idempotency, JSON parsing).
 */
export function dispatchPages(pages: Record<string, PageHandler>, options: PageOptions = {}): PageHandler {
  const notFoundPage = definePage(async () => {
    throw new NotFoundError('If you typed the web address, check it is correct.');
  }, options);
  return async (event, context) => {
    const page = pages[event.routeKey];
    if (page) return page(event, context);
    if (prefersHtml(event.headers)) return notFoundPage(event, context);
    const { method } = event.requestContext.http;
    const answer = problemResponse(problem('not-found', `No route matches ${method} ${event.rawPath}.`));
    return { ...answer, headers: { ...answer.headers, 'x-content-type-options': 'nosniff' } };
  };
}

/** A page body: reads the request, calls use cases, returns `render(…)` or `redirect(…)`. */
export type PageBody = (request: PageRequest) => Promise<HttpResult>;

/** A page group's bodies by route key (`'GET /commissioning/{id}'`); a function joins its groups' maps. */
export type PageMap = Record<string, PageBody>;

/** Wraps every body of `pages` with `definePage` and the same options. */
export function definePages(pages: PageMap, options: PageOptions = {}): Record<string, PageHandler> {
  return Object.fromEntries(Object.entries(pages).map(([key, body]) => [key, definePage(body, options)]));
}

/**
 * Builds the Lambda handler of one page route.
 * @param handle the page body: reads the request, calls use cases, returns `render(…)` or `redirect(…)`.
 * @param options how the function builds its pages (`PageOptions`).
 */
export function definePage(
  handle: (request: PageRequest) => Promise<HttpResult>,
  options: PageOptions = {},
): PageHandler {
  const handler = middy<PageEvent, HttpResult>()
    .use(
      httpSecurityHeaders({
        // Set per response with a nonce below; middy's would be static.
        contentSecurityPolicy: false,
        // Assets come from CloudFront in AWS: cross-origin resources without CORP headers must load.
        crossOriginEmbedderPolicy: false,
        // Set below: middy's list names features Chromium does not know, and it logs an error for each.
        permissionsPolicy: false,
        reportTo: false,
        poweredBy: false,
        // Other sites get no referrer; this site's own requests keep it, and so their `Origin`, which
        // `no-referrer` would turn into `null` on every form post (`isCrossOrigin`).
        referrerPolicy: { policy: 'same-origin' },
        // The legacy XSS auditor header: browsers dropped the auditor, and where it lingers it can be
        // abused to blank parts of a page; the Content-Security-Policy is what protects pages.
        xssProtection: false,
      }),
    )
    .use(pageSecurityHeaders())
    .use(pageErrors())
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(httpHeaderNormalizer())
    .use(pageRequest(options))
    .handler(async (event) => {
      if (!event.page) throw new Error('page request missing');
      return handle(event.page);
    });
  return (event, context) => handler(event as PageEvent, context);
}
