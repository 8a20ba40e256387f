import { describe, expect, it } from 'vitest';
import { claimsAsApiGateway, matchRoute, routePrecedence } from '../../local/gateway';
import { FUNCTIONS, ROUTES, routeKeyOf } from '../../shared/http/routes';

describe('matchRoute', () => {
  it('matches every route in the table by its own path', () => {
    for (const route of ROUTES) {
      const concrete = route.path.replace(/\{(\w+)\}/g, 'x1');
      const matched = matchRoute(route.method, concrete);
      expect(matched && routeKeyOf(matched.route)).toBe(routeKeyOf(route));
    }
  });

  it('does not match another method or a longer path', () => {
    expect(matchRoute('POST', '/health')).toBeUndefined();
    expect(matchRoute('GET', '/health/extra')).toBeUndefined();
    // `GET /` is the web front door's start page; an unknown path still matches nothing.
    expect(matchRoute('GET', '/nowhere')).toBeUndefined();
  });
});

describe('route precedence (as API Gateway: at the first differing segment a literal beats a parameter)', () => {
  const segmentsOf = (path: string) => ({ path, segments: path.split('/').map((s) => s.startsWith('{')) });

  it('orders a fixed segment before a parameter wherever it stands, whatever the listing order', () => {
    const paths = [
      '/commissioning/{id}/publish',
      '/commissioning/{id}',
      '/commissioning/new/{step}',
      '/commissioning/alerts',
    ];
    const sorted = paths
      .map(segmentsOf)
      .sort(routePrecedence)
      .map((r) => r.path);
    expect(sorted.indexOf('/commissioning/new/{step}')).toBeLessThan(
      sorted.indexOf('/commissioning/{id}/publish'),
    );
    expect(sorted.indexOf('/commissioning/alerts')).toBeLessThan(sorted.indexOf('/commissioning/{id}'));
    // The decision is made at the first differing segment, not by counting parameters.
    const deeper = ['/a/{x}/b/c', '/a/b/{y}/{z}']
      .map(segmentsOf)
      .sort(routePrecedence)
      .map((r) => r.path);
    expect(deeper).toEqual(['/a/b/{y}/{z}', '/a/{x}/b/c']);
  });

  it('sends the workspace fixed paths to their own pages, not to a competition id', () => {
    const key = (method: string, path: string) => {
      const matched = matchRoute(method, path);
      return matched && routeKeyOf(matched.route);
    };
    expect(key('GET', '/commissioning/new')).toBe('GET /commissioning/new');
    expect(key('GET', '/commissioning/new/publish')).toBe('GET /commissioning/new/{step}');
    expect(key('POST', '/commissioning/new/cancel')).toBe('POST /commissioning/new/{step}');
    expect(key('GET', '/commissioning/alerts')).toBe('GET /commissioning/alerts');
    expect(key('GET', '/commissioning/01J0000000000000000000000A')).toBe('GET /commissioning/{id}');
    expect(matchRoute('GET', '/commissioning/01J0000000000000000000000A')?.pathParameters).toEqual({
      id: '01J0000000000000000000000A',
    });
    expect(key('GET', '/commissioning/01J0000000000000000000000A/publish')).toBe(
      'GET /commissioning/{id}/publish',
    );
  });
});

describe('claimsAsApiGateway', () => {
  it('flattens arrays and stringifies values as the JWT authorizer does', () => {
    expect(
      claimsAsApiGateway({ sub: 'a', 'cognito:groups': ['admin', 'auditor'], exp: 12, none: undefined }),
    ).toEqual({
      sub: 'a',
      'cognito:groups': '[admin auditor]',
      exp: '12',
    });
  });
});

describe('route table', () => {
  it('has unique route keys and every route names a function that exists', () => {
    const keys = ROUTES.map(routeKeyOf);
    expect(new Set(keys).size).toBe(keys.length);
    for (const route of ROUTES) expect(Object.keys(FUNCTIONS)).toContain(route.function);
  });
});
