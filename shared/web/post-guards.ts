/**
 * What every page POST must pass before it is read: it comes from this site (`Origin`, the defence that
 * also covers forms without a session, such as the local developer sign-in), and its body is no larger
 * than the page reads (a body past Lambda's limits, or one echoed back, must never get that far).
 */
import { config } from '../config';
import type { HttpEvent } from '../http/types';

/** The largest form a page reads unless its function says otherwise: 1 MB, as for JSON bodies (DESIGN.md). */
export const FORM_BODY_LIMIT_BYTES = 1024 * 1024;

/** The size of a request body as the browser sent it (API Gateway base64-encodes binary bodies). */
export function bodyBytes(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>): number {
  const raw = event.body ?? '';
  return event.isBase64Encoded ? Buffer.byteLength(raw, 'base64') : Buffer.byteLength(raw, 'utf8');
}

/**
 * True when a POST comes from another site: its `Origin` is not this site's, or, from a browser that sends
 * no `Origin`, its `Sec-Fetch-Site` says so. `Origin: null` (a sandboxed frame, a page whose referrer policy
 * is `no-referrer`, a redirect) counts as this site's only when `Sec-Fetch-Site` – which no page can set –
 * says `same-origin`. A request with neither header (no browser sends a form that way) is left to the CSRF
 * token.
 * @param host the site's host as API Gateway saw it (`requestContext.domainName`, or `Host` locally).
 * @param allowHttp true outside Lambda, where the local gateway serves `http://localhost:<port>`.
 */
export function isCrossOrigin(
  headers: Record<string, string | undefined>,
  host: string,
  allowHttp: boolean = config().web.localSignIn,
): boolean {
  const origin = headers.origin?.trim().toLowerCase();
  const fetchSite = headers['sec-fetch-site'];
  if (origin === 'null') return fetchSite !== 'same-origin';
  if (origin !== undefined) {
    const site = host.toLowerCase();
    const allowed = [`https://${site}`, ...(allowHttp ? [`http://${site}`] : [])];
    return !allowed.includes(origin);
  }
  return fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none';
}
