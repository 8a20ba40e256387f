/**
 * Calling the commissioning workspace's web functions as API Gateway would, and reading what they answer:
 * the set-up and reading helpers the workspace's integration tests share (`web-commissioning-*`,
 * `web-oversight`).
 */
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from '../../shared/http/types';
import { httpEvent, lambdaContext } from './events';
import type { SignedIn } from './web-session';

/** A web function's handler. */
export type PageHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** One page request. */
export interface PageCall {
  /** The signed-in session (its cookie is sent; a form gets its CSRF token). Anonymous when absent. */
  who?: SignedIn | undefined;
  /** Path parameters; the path is the route's template with them filled in, unless `path` is given. */
  params?: Record<string, string>;
  path?: string;
  /** Form fields (a POST); repeated names as arrays. The session's CSRF token is added unless `csrf` is false. */
  form?: Record<string, string | string[]>;
  csrf?: boolean;
  query?: Record<string, string>;
  /** The request's time (epoch ms): the clock the pages read. Now by default. */
  at?: number;
}

/** Calls `handler` for the page route `routeKey` (`GET /commissioning/{id}`), as API Gateway would. */
export async function callPage(
  handler: PageHandler,
  routeKey: string,
  call: PageCall = {},
): Promise<HttpResult & { body: string }> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const params = call.params ?? {};
  const path =
    call.path ?? template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''));
  const headers: Record<string, string> = { accept: 'text/html' };
  if (call.who) headers.cookie = call.who.cookie;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = new URLSearchParams();
    if (call.csrf !== false && call.who) fields.append('csrfToken', call.who.session.csrf);
    for (const [name, value] of Object.entries(call.form ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) fields.append(name, one);
    }
    body = fields.toString();
  }
  const event = httpEvent({
    routeKey,
    method,
    path,
    headers,
    ...(Object.keys(params).length > 0 ? { pathParameters: params } : {}),
    ...(body !== undefined ? { body } : {}),
    ...(call.query ? { query: call.query } : {}),
  });
  if (call.at !== undefined) {
    event.requestContext.timeEpoch = call.at;
    event.requestContext.time = new Date(call.at).toISOString();
  }
  const result = await handler(event, lambdaContext());
  return { ...result, body: String(result.body ?? '') };
}

/** The text of a page without tags, entities as typed and whitespace collapsed: what a reader sees. */
export function pageText(result: { body?: string | undefined } | string): string {
  const html = typeof result === 'string' ? result : String(result.body ?? '');
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&')
    .replace(/\s+/g, ' ');
}

/** How many `h1` elements a page has (each page has one). */
export function h1Count(html: string): number {
  return (html.match(/<h1[\s>]/g) ?? []).length;
}

/** The cells of each body row of the table with this id, as text. */
export function tableRows(html: string | undefined, id: string): string[][] {
  const table = new RegExp(`<table[^>]*id="${id}"[^>]*>([\\s\\S]*?)</table>`).exec(html ?? '')?.[1] ?? '';
  const body = /<tbody[^>]*>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[dh][^>]*>([\s\S]*?)<\/t[dh]>/g)].map((cell) =>
      (cell[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    ),
  );
}

/** The `href` of the pagination link with this rel, entities decoded. */
export function paginationHref(html: string | undefined, rel: 'next' | 'prev'): string | undefined {
  const href = new RegExp(`<a[^>]*href="([^"]+)"[^>]*rel="${rel}"`).exec(html ?? '')?.[1];
  return href?.replaceAll('&amp;', '&');
}
