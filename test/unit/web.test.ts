/**
 * The web front door's pure pieces: session cookies, CSRF, the Content-Security-Policy, safe redirects,
 * form mapping and Nunjucks autoescaping.
 */
import { describe, expect, it } from 'vitest';
import { fieldId, formErrors, humanise } from '../../shared/web/forms';
import { govukDate, label, pounds } from '../../shared/web/labels';
import { contentSecurityPolicy, render } from '../../shared/web/page';
import { accreditationFromForm, penceFromPounds } from '../../shared/web/pages/organisation';
import { registrationBody, registrationIssues, stepOf } from '../../shared/web/pages/register';
import { safeReturnTo } from '../../shared/web/pages/sign-in';
import {
  cookie,
  csrfMatches,
  newSession,
  openSession,
  parseCookies,
  seal,
  sessionPrincipal,
  unseal,
} from '../../shared/web/session';

describe('session cookie', () => {
  it('round-trips a session and yields the principal', async () => {
    const session = newSession({ sub: 'alice', email: 'alice@example.org', groups: '[admin nonsense]' });
    const opened = await openSession(await seal({ ...session }, 60));
    expect(opened).toEqual(session);
    expect(opened && sessionPrincipal(opened)).toEqual({
      kind: 'user',
      sub: 'alice',
      email: 'alice@example.org',
      groups: ['admin'],
    });
  });

  it('refuses a tampered, forged or expired cookie', async () => {
    const value = await seal({ ...newSession({ sub: 'alice' }) }, 60);
    const tampered = `${value.slice(0, -4)}${value.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`;
    expect(await openSession(tampered)).toBeUndefined();
    expect(await openSession('eyJhbGciOiJub25lIn0.e30.')).toBeUndefined();
    expect(await openSession(undefined)).toBeUndefined();
    expect(await unseal(await seal({ sub: 'alice' }, -10))).toBeUndefined();
  });

  it('is HttpOnly, Secure and SameSite=Lax', () => {
    expect(cookie('session', 'v', 60)).toBe('session=v; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax');
  });

  it('parses cookies from API Gateway v2 `cookies` and from the header', () => {
    expect(parseCookies(['a=1', 'b=2=3'], 'c=4; a=9')).toEqual({ a: '1', b: '2=3', c: '4' });
  });

  it('matches CSRF tokens only against the session', () => {
    const session = newSession({ sub: 'alice' });
    expect(csrfMatches(session, session.csrf)).toBe(true);
    expect(csrfMatches(session, `${session.csrf}x`)).toBe(false);
    expect(csrfMatches(session, undefined)).toBe(false);
    expect(csrfMatches(undefined, session.csrf)).toBe(false);
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
    for (const evil of ['https://evil.example', '//evil.example', '/\\evil.example', undefined, '']) {
      expect(safeReturnTo(evil)).toBe('/your-organisation');
    }
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
