/**
 * Where sign-in sends people (issue 11): back to the page that asked, when it is one of ours; otherwise
 * providers to their organisations and commissioners, admins and auditors to "Your account".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/sign-in';
import { landingPage, requestedReturnTo } from '../../shared/web/pages/sign-in';
import { httpEvent, lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';
import { signedIn } from '../support/web-session';

beforeAll(() => useTestTables());

describe('sign-in landing', () => {
  it('lands each kind of user where their work is', () => {
    expect(landingPage([])).toBe('/your-organisation');
    expect(landingPage(['commissioner'])).toBe('/your-account');
    expect(landingPage(['admin'])).toBe('/your-account');
    expect(landingPage(['auditor', 'commissioner'])).toBe('/your-account');
  });

  it('honours only same-site returnTo paths', () => {
    expect(requestedReturnTo('/find-a-provider?region=london')).toBe('/find-a-provider?region=london');
    for (const evil of [
      undefined,
      '',
      'https://evil.example',
      '//evil.example',
      '/\\\\evil.example',
      '/\t/evil.example',
      '/\r\n/evil.example',
    ]) {
      expect(requestedReturnTo(evil)).toBeUndefined();
    }
  });

  it('GET /sign-in when already signed in goes to the landing page, or to the page asked for', async () => {
    const { cookie } = await signedIn('auditor-1', { groups: ['auditor'] });
    const landing = await handler(
      httpEvent({ routeKey: 'GET /sign-in', path: '/sign-in', headers: { cookie } }),
      lambdaContext(),
    );
    expect(landing.headers?.location).toBe('/your-account');
    const asked = await handler(
      httpEvent({
        routeKey: 'GET /sign-in',
        path: '/sign-in',
        query: { returnTo: '/find-an-opportunity' },
        headers: { cookie },
      }),
      lambdaContext(),
    );
    expect(asked.headers?.location).toBe('/find-an-opportunity');
  });

  it('drops a returnTo that a browser would read as another site, rather than pass it on', async () => {
    for (const returnTo of ['/\t/evil.example', '/\r\n/evil.example', '/.//evil.example']) {
      const result = await handler(
        httpEvent({ routeKey: 'GET /sign-in', path: '/sign-in', query: { returnTo } }),
        lambdaContext(),
      );
      expect(result.statusCode).toBe(303);
      expect(result.headers?.location).toBe('/local/sign-in');
    }
  });

  it('sends a signed-out visitor to the local sign-in page without a returnTo when none was asked for', async () => {
    const result = await handler(httpEvent({ routeKey: 'GET /sign-in', path: '/sign-in' }), lambdaContext());
    expect(result.headers?.location).toBe('/local/sign-in');
  });
});
