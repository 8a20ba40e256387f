/**
 * The web front door's pure pieces: sealed cookies bound to their purpose, CSRF, the
 * Content-Security-Policy, safe redirects, form mapping and Nunjucks autoescaping.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldId, formErrors, humanise } from '../../shared/web/forms';
import { govukDate, label, pounds } from '../../shared/web/labels';
import { contentSecurityPolicy, render } from '../../shared/web/page';
import { accreditationFromForm, penceFromPounds } from '../../shared/web/pages/organisation';
import { registrationBody, registrationIssues, stepOf } from '../../shared/web/pages/register';
import { requestedReturnTo, safeReturnTo } from '../../shared/web/pages/sign-in';
import { echoedPaste, MAX_ECHOED_PASTE_BYTES } from '../../shared/web/pages/spend-return-upload';
import { isCrossOrigin } from '../../shared/web/post-guards';
import {
  COOKIES,
  type CookiePurpose,
  cookie,
  csrfMatches,
  parseCookies,
  type Session,
  seal,
  sessionIdOf,
  sessionPrincipal,
  unseal,
} from '../../shared/web/session';

const PURPOSES: CookiePurpose[] = ['session', 'signIn', 'registration'];

describe('sealed cookies', () => {
  it('round-trip for their own purpose', async () => {
    for (const purpose of PURPOSES) {
      expect(await unseal(purpose, await seal(purpose, { sid: 'abc', name: 'x' }, 60))).toEqual({
        sid: 'abc',
        name: 'x',
      });
    }
    expect(await sessionIdOf(await seal('session', { sid: 'abc' }, 60))).toBe('abc');
  });

  it('never open as another kind: a session cookie is no registration draft, and the reverse', async () => {
    for (const sealedFor of PURPOSES) {
      const value = await seal(sealedFor, { sid: 'session-id', registeredId: 'x' }, 60);
      for (const openedAs of PURPOSES.filter((p) => p !== sealedFor)) {
        expect(await unseal(openedAs, value), `${sealedFor} opened as ${openedAs}`).toBeUndefined();
      }
    }
    expect(await sessionIdOf(await seal('registration', { sid: 'session-id' }, 60))).toBeUndefined();
  });

  it('refuses a tampered, forged or expired cookie', async () => {
    const value = await seal('session', { sid: 'abc' }, 60);
    const tampered = `${value.slice(0, -4)}${value.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await sessionIdOf(tampered)).toBeUndefined();
    expect(await sessionIdOf('eyJhbGciOiJub25lIn0.e30.')).toBeUndefined();
    expect(await sessionIdOf(undefined)).toBeUndefined();
    expect(await unseal('session', await seal('session', { sid: 'abc' }, -10))).toBeUndefined();
  });

  it('are __Host- cookies: HttpOnly, Secure, Path=/, no Domain, SameSite=Lax', () => {
    for (const name of Object.values(COOKIES)) expect(name).toMatch(/^__Host-/);
    const set = cookie(COOKIES.session, 'v', 60);
    expect(set).toBe('__Host-session=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax');
    expect(set).not.toMatch(/domain=/i);
  });

  it('parses cookies from API Gateway v2 `cookies` and from the header', () => {
    expect(parseCookies(['a=1', 'b=2=3'], 'c=4; a=9')).toEqual({ a: '1', b: '2=3', c: '4' });
    expect(Object.getPrototypeOf(parseCookies([], '__proto__=x'))).toBeNull();
  });

  it('matches CSRF tokens only against the session', () => {
    const session: Session = {
      id: 'id',
      sub: 'alice',
      groups: ['admin'],
      csrf: 'token-123',
      expiresAt: '2030-01-01T00:00:00Z',
    };
    expect(csrfMatches(session, session.csrf)).toBe(true);
    expect(csrfMatches(session, `${session.csrf}x`)).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(undefined, session.csrf)).toBe(false);
    expect(sessionPrincipal(session)).toEqual({
      kind: 'user',
      sub: 'alice',
      email: undefined,
      groups: ['admin'],
    });
  });
});

describe('page security', () => {
  it('allows only the service itself, scripts by nonce, and no framing', () => {
    const csp = contentSecurityPolicy('abc');
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self' 'nonce-abc'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('*');
  });

  it('sends visitors back only to paths on this site', () => {
    expect(safeReturnTo('/find-a-provider?region=london')).toBe('/find-a-provider?region=london');
    expect(safeReturnTo('/a/../find-a-provider#top')).toBe('/find-a-provider#top');
    expect(requestedReturnTo('https://www.example.gov.uk/x?y=1', 'https://www.example.gov.uk')).toBe(
      '/x?y=1',
    );
    for (const evil of [
      'https://evil.example',
      '//evil.example',
      '/\\evil.example',
      // Browsers drop tabs and newlines from URLs: each of these would be //evil.example.
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '\t//evil.example',
      // CR/LF would split the Location header (a 500 before).
      '/x\r\nSet-Cookie: a=b',
      // A path that the URL parser normalises to //evil.example.
      '/.//evil.example',
      '/a/..//evil.example',
      'javascript:alert(1)',
      'http:evil.example',
      `/${'a'.repeat(3000)}`,
      undefined,
      '',
    ]) {
      expect(safeReturnTo(evil), JSON.stringify(evil)).toBe('/your-organisation');
    }
  });

  it('whatever returnTo a client sends, answers a same-origin path starting with a single /', () => {
    const origin = 'https://www.example.gov.uk';
    const piece = fc.constantFrom(
      '/',
      '//',
      '\\',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u007f',
      '\u0085',
      ' ',
      '.',
      '..',
      '@',
      ':',
      '?',
      '#',
      '%',
      '%2f',
      '%5c',
      '%09',
      'evil.example',
      'http:',
      'https:',
      'javascript:',
      'localhost',
      '\u3002',
      '／',
      'é',
    );
    const hostile = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')),
      fc.tuple(fc.array(piece, { maxLength: 4 }), fc.webUrl()).map(([parts, url]) => parts.join('') + url),
    );
    fc.assert(
      fc.property(hostile, (raw) => {
        const path = safeReturnTo(raw, origin);
        expect(path.startsWith('/')).toBe(true);
        expect(path.startsWith('//')).toBe(false);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: none may reach the Location header.
        expect(path).not.toMatch(/[\u0000-\u001f\u007f\\]/);
        // As a browser would resolve it: on this site, whichever way it reads the path.
        expect(new URL(path, origin).origin).toBe(origin);
        expect(new URL(path.replace(/[\t\n\r]/g, ''), origin).origin).toBe(origin);
      }),
      { numRuns: 2000 },
    );
  });

  it("tells a cross-site form post from this site's own", () => {
    const host = 'www.example.gov.uk';
    expect(isCrossOrigin({ origin: 'https://www.example.gov.uk' }, host, false)).toBe(false);
    expect(isCrossOrigin({ origin: 'https://evil.example' }, host, false)).toBe(true);
    expect(isCrossOrigin({ origin: 'null' }, host, false)).toBe(true);
    expect(isCrossOrigin({ origin: 'null', 'sec-fetch-site': 'cross-site' }, host, false)).toBe(true);
    expect(isCrossOrigin({ origin: 'null', 'sec-fetch-site': 'same-origin' }, host, false)).toBe(false);
    expect(isCrossOrigin({ origin: 'http://www.example.gov.uk' }, host, false)).toBe(true);
    expect(isCrossOrigin({ origin: 'http://localhost:3000' }, 'localhost:3000', true)).toBe(false);
    expect(isCrossOrigin({ 'sec-fetch-site': 'cross-site' }, host, false)).toBe(true);
    expect(isCrossOrigin({ 'sec-fetch-site': 'same-site' }, host, false)).toBe(true);
    expect(isCrossOrigin({ 'sec-fetch-site': 'same-origin' }, host, false)).toBe(false);
    expect(isCrossOrigin({}, host, false)).toBe(false);
  });

  it('echoes a refused paste back only while it is small', () => {
    expect(echoedPaste('a,b\n1,2')).toBe('a,b\n1,2');
    expect(echoedPaste('x'.repeat(MAX_ECHOED_PASTE_BYTES))).toHaveLength(MAX_ECHOED_PASTE_BYTES);
    expect(echoedPaste('x'.repeat(7 * 1024 * 1024))).toBe('');
  });

  it('escapes everything a page shows (Nunjucks autoescape), and stamps the nonce on the only inline script', () => {
    const result = render({ session: undefined, nonce: 'n0nce' }, 'errors/error.njk', {
      title: '<script>alert(1)</script>',
      detail: '"><img src=x onerror=alert(1)>',
    });
    expect(result.body).not.toContain('<script>alert(1)</script>');
    expect(result.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(result.body).not.toContain('<img src=x');
    const inline = [...(result.body ?? '').matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(inline.length).toBe(1);
    expect(inline[0]?.[1]).toContain('nonce="n0nce"');
  });
});

describe('registration answers', () => {
  it('map API paths to question pages and element ids', () => {
    expect(stepOf('contact.email')).toBe('contact');
    expect(stepOf('regions')).toBe('services');
    expect(stepOf('charityNumber')).toBe('organisation');
    expect(fieldId('contact.email')).toBe('contact-email');
  });

  it('become the API body, blanks left out', () => {
    expect(
      registrationBody({ name: 'X', charityNumber: ' ', contactName: 'A', contactEmail: 'a@b.org' }),
    ).toEqual({
      name: 'X',
      regions: [],
      services: [],
      contact: { name: 'A', email: 'a@b.org' },
    });
  });

  it('report schema problems in GOV.UK words and the registry rules once the legal form is known', () => {
    const { issues, details } = registrationIssues({ name: 'X', legalForm: 'charitable_trust' });
    expect(details).toBeUndefined();
    const byPath = Object.fromEntries(issues.map((i) => [i.path, i.message]));
    expect(byPath.sector).toBe('Select the sector your organisation is in');
    expect(byPath.charityNumber).toContain('must give its charity number');
  });

  it('build the error summary linked to each field', () => {
    const shown = formErrors([
      { path: 'contact.email', message: 'Bad' },
      { row: 3, field: 'amount', message: 'No' },
    ]);
    expect(shown.errorList).toEqual([
      { text: 'Bad', href: '#contact-email' },
      { text: 'Row 3: No', href: '#amount' },
    ]);
    expect(humanise([{ path: 'a', message: 'Invalid option: x' }], { a: 'Select a' })[0]?.message).toBe(
      'Select a',
    );
  });

  it('show a message for a field whose path is a prototype name', () => {
    const shown = formErrors([
      { path: 'constructor', message: 'First' },
      { path: 'constructor', message: 'Second' },
    ]);
    expect(shown.errors.constructor).toEqual({ text: 'First' });
  });
});

describe('accreditation form', () => {
  it('reads pounds as pence', () => {
    expect(penceFromPounds('£250,000')).toBe(25_000_000);
    expect(penceFromPounds('1234.5')).toBe(123_450);
    expect(penceFromPounds('')).toBeUndefined();
    expect(penceFromPounds('lots')).toBeNaN();
  });

  it('builds the API body, reporting amounts it cannot read against their field', () => {
    const form = new URLSearchParams(
      'turnover=lots&employersLiability=10&publicLiability=20&accountsYearEnd-day=31&accountsYearEnd-month=3&accountsYearEnd-year=2026&policies=equality&mandatory=fraud&groundsDetails=Old',
    );
    const { body, issues } = accreditationFromForm(form);
    expect(issues).toEqual([
      { path: 'financial.annualTurnoverPence', message: expect.stringContaining('pounds') },
    ]);
    expect(body).toMatchObject({
      exclusionGrounds: { mandatory: [{ code: 'fraud', details: 'Old' }], discretionary: [] },
      financial: { accountsYearEnd: '2026-03-31' },
      insurance: { employersLiabilityPence: 1000, publicLiabilityPence: 2000 },
      policies: { equality: true, safeguarding: false, healthAndSafety: false },
    });
  });
});

describe('labels', () => {
  it('names codes, money and dates for people', () => {
    expect(label('yorkshire_humber')).toBe('Yorkshire and the Humber');
    expect(label('unpaid_work')).toBe('Unpaid work');
    expect(pounds(12_345_600)).toBe('£123,456');
    expect(pounds(150)).toBe('£1.50');
    expect(govukDate('2026-03-31T12:00:00Z')).toBe('31 March 2026');
  });
});
