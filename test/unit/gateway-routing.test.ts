import { describe, expect, it } from 'vitest';
import { claimsAsApiGateway, matchRoute } from '../../local/gateway';
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
