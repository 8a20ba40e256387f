/**
 * Content negotiation for errors: API clients get RFC 9457 problem+json, browsers (whose `Accept` asks for
 * HTML first) get a small GOV.UK-styled HTML page saying the same thing.
 *
 * This module is bundled into every JSON function, so it is deliberately tiny: no Nunjucks, no templates,
 * just a string with every dynamic value escaped. The web functions render their full GOV.UK error pages
 * with the service layout; this page is for addresses of the JSON API opened in a browser (a mistyped
 * link, `/me` without a token) and carries the service's stylesheet, name and a way back.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { escapeHtml } from './escape-html';
import { type Problem, problemResponse } from './problem';

/** The service's name, as the web pages' header shows it. */
const SERVICE_NAME = 'Offender services provider network';

/** The quality (`q`) of each media range in an `Accept` header, lower-cased. */
function mediaRanges(accept: string): Map<string, number> {
  const ranges = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [range, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!range) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    ranges.set(range, Number.isFinite(quality) ? quality : 0);
  }
  return ranges;
}

/**
 * True when the client asks for HTML before JSON: browsers send `text/html,…,*\/*;q=0.8`; API clients send
 * `application/json`, `*\/*` or nothing. Only explicit HTML and JSON ranges count (a wildcard says nothing
 * about preference), and a tie goes to JSON, the API's own format.
 */
export function prefersHtml(headers: Record<string, string | undefined> | undefined): boolean {
  const accept = headerValue(headers, 'accept');
  if (!accept) return false;
  const ranges = mediaRanges(accept);
  const html = Math.max(ranges.get('text/html') ?? 0, ranges.get('application/xhtml+xml') ?? 0);
  const json = Math.max(
    ranges.get('application/json') ?? 0,
    ranges.get('application/problem+json') ?? 0,
    ranges.get('application/*') ?? 0,
  );
  return html > 0 && html > json;
}

/** A header by name, whatever its case (events reach the error mapper before or after normalisation). */
function headerValue(
  headers: Record<string, string | undefined> | undefined,
  name: string,
): string | undefined {
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key ? headers[key] : undefined;
}

/** What a browser user can do next, by status. */
function nextStep(status: number): string {
  if (status === 401) {
    return 'This address is part of the service’s API, for software that signs in with a token. To use the service in a browser, <a class="govuk-link" href="/sign-in">sign in</a> and use its pages.';
  }
  if (status === 404) {
    return 'If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.';
  }
  return 'This address is part of the service’s API, for software rather than people.';
}

/**
 * The Content-Security-Policy of the HTML problem page: nothing but the stylesheet and its fonts and
 * images, from the service's own origin or the assets origin (CloudFront in AWS); no scripts, no forms,
 * never framed.
 */
export function problemPageCsp(assetsUrl: string): string {
  const assetsOrigin = /^https?:\/\//.test(assetsUrl) ? ` ${new URL(assetsUrl).origin}` : '';
  return [
    "default-src 'none'",
    `style-src 'self'${assetsOrigin}`,
    `font-src 'self'${assetsOrigin}`,
    `img-src 'self'${assetsOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The problem as a small GOV.UK-styled HTML page with the same status. */
export function problemPage(body: Problem, assetsUrl: string): APIGatewayProxyStructuredResultV2 {
  const title = escapeHtml(body.title);
  const errors = (body.errors ?? [])
    .map(
      (issue) =>
        `<li>${issue.path ? `<code>${escapeHtml(issue.path)}</code>: ` : ''}${escapeHtml(issue.message)}</li>`,
    )
    .join('');
  const html = `<!DOCTYPE html>
<html lang="en" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${SERVICE_NAME} – GOV.UK</title>
<link rel="stylesheet" href="${escapeHtml(assetsUrl)}/govuk-frontend.min.css">
</head>
<body class="govuk-template__body">
<a href="#main-content" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header"><div class="govuk-header__container govuk-width-container"><div class="govuk-header__logo"><a href="/" class="govuk-header__homepage-link">GOV.UK</a></div></div></header>
<section aria-label="Service information" class="govuk-service-navigation"><div class="govuk-width-container"><div class="govuk-service-navigation__container"><span class="govuk-service-navigation__service-name"><a href="/" class="govuk-service-navigation__link">${SERVICE_NAME}</a></span></div></div></section>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main-content">
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">
<h1 class="govuk-heading-l">${title}</h1>
<p class="govuk-body">${escapeHtml(body.detail)}</p>
${errors ? `<ul class="govuk-list govuk-list--bullet">${errors}</ul>` : ''}
<p class="govuk-body">${nextStep(body.status)}</p>
<p class="govuk-body"><a class="govuk-link" href="/">Go to the start page</a></p>
</div></div>
</main>
</div>
<footer class="govuk-footer"><div class="govuk-width-container"><p class="govuk-footer__meta-custom">${SERVICE_NAME}</p></div></footer>
</body>
</html>
`;
  return {
    statusCode: body.status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      // Never stored (as problem+json answers), so the two forms of one address never mix in a cache.
      'cache-control': 'no-store',
      'content-security-policy': problemPageCsp(assetsUrl),
    },
    body: html,
  };
}

/** The problem as the client asked for it: an HTML page for browsers, problem+json for everyone else. */
export function negotiatedProblem(
  body: Problem,
  headers: Record<string, string | undefined> | undefined,
  assetsUrl: string,
): APIGatewayProxyStructuredResultV2 {
  return prefersHtml(headers) ? problemPage(body, assetsUrl) : problemResponse(body);
}
