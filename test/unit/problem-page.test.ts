/**
 * Errors for browsers (issue 11): the JSON stack answers a browser's request (Accept asks for HTML first)
 * with a small GOV.UK-styled HTML page, escaped, with a strict CSP that lets the stylesheet load; every
 * other client keeps problem+json. The web function's `$default` answer negotiates the same way.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../shared/domain/errors';
import { problem } from '../../shared/http/problem';
import { negotiatedProblem, prefersHtml, problemPage } from '../../shared/http/problem-page';
import { buildRouteHandler } from '../../shared/http/route';
import { dispatchPages } from '../../shared/web/page';
import { httpEvent, lambdaContext } from '../support/events';

const CHROME = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

describe('prefersHtml', () => {
  it.each([
    [CHROME, true],
    ['text/html', true],
    ['TEXT/HTML; q=1', true],
    ['application/json', false],
    ['application/problem+json', false],
    ['*/*', false],
    ['', false],
    ['application/json, text/html', false],
    ['text/html;q=0.5, application/json', false],
    ['text/html, application/json;q=0.5', true],
    ['text/html;q=0', false],
  ])('Accept %j → %s', (accept, expected) => {
    expect(prefersHtml(accept === '' ? {} : { accept })).toBe(expected);
  });

  it('finds the header whatever its case', () => {
    expect(prefersHtml({ Accept: CHROME })).toBe(true);
    expect(prefersHtml(undefined)).toBe(false);
  });
});

describe('problemPage', () => {
  it('escapes every value and keeps the status, with a CSP that allows only the stylesheet', () => {
    const page = problemPage(
      problem('validation', 'Bad <script>alert(1)</script>', [{ path: 'a"b', message: '<img src=x>' }]),
      'https://d111.cloudfront.net/assets',
    );
    expect(page.statusCode).toBe(400);
    expect(page.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).not.toContain('<script>');
    expect(page.body).not.toContain('<img');
    expect(page.body).toContain('Bad &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).toContain('<code>a&quot;b</code>');
    expect(page.body).toContain('href="https://d111.cloudfront.net/assets/govuk-frontend.min.css"');
    expect(page.body).toContain('<h1 class="govuk-heading-l">Your request is not valid</h1>');
    const csp = String(page.headers?.['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self' https://d111.cloudfront.net");
    expect(csp).not.toContain('script-src');
  });

  it('negotiatedProblem gives API clients the problem+json they had', () => {
    const json = negotiatedProblem(problem('not-found', 'No such thing.'), { accept: '*/*' }, '/assets');
    expect(json.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(json.body))).toMatchObject({ type: '/problems/not-found', status: 404 });
  });
});

describe('the JSON stack in a browser', () => {
  const handler = buildRouteHandler({ access: 'public' }, {}, async () => {
    throw new NotFoundError('No competition with id X.');
  });

  it('answers a browser with the HTML page, security headers included', async () => {
    const result = await handler(
      httpEvent({ path: '/competitions/X', headers: { accept: CHROME } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    const headers = Object.fromEntries(
      Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    expect(headers['content-type']).toBe('text/html; charset=utf-8');
    expect(headers['content-security-policy']).toContain("style-src 'self'");
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(result.body).toContain('No competition with id X.');
  });

  it('answers an API client with problem+json, as before', async () => {
    const result = await handler(
      httpEvent({ path: '/competitions/X', headers: { accept: 'application/json' } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
  });

  it('keeps validation details on the page', async () => {
    const invalid = buildRouteHandler({ access: 'public' }, {}, async () => {
      throw new ValidationError('The request has 1 problem.', [
        { path: 'params.id', message: 'Must be a ULID' },
      ]);
    });
    const result = await invalid(httpEvent({ headers: { accept: CHROME } }), lambdaContext());
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('<code>params.id</code>: Must be a ULID');
  });
});

describe("the web function's $default answer", () => {
  const handler = dispatchPages({});

  it('is the GOV.UK 404 page for a browser', async () => {
    const result = await handler(
      httpEvent({ routeKey: '$default', path: '/admin', headers: { accept: CHROME } }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.body).toContain('Page not found');
    expect(result.body).toContain('govuk-service-navigation');
  });

  it('is a 404 problem+json for an API client, naming the method and path', async () => {
    const result = await handler(
      httpEvent({
        routeKey: '$default',
        method: 'DELETE',
        path: '/me',
        headers: { accept: 'application/json' },
      }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(404);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(result.body))).toMatchObject({
      type: '/problems/not-found',
      detail: 'No route matches DELETE /me.',
    });
  });
});
