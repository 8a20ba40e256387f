/**
 * The optional middlewares of the JSON stack (`shared/http/route-stack.ts`): a handler module gives
 * `routesWith` only those its function's routes need, so a function without public routes bundles no token
 * verification and one without idempotent routes no idempotency; a route that needs one it was not given
 * is refused when the handler is built (and when compiling), never served without it. Every JSON
 * function's handler module loads, so each was given what its routes need.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { MiddlewareObj } from '@middy/core';
import { describe, expect, it } from 'vitest';
import { json } from '../../shared/http/response';
import { routesOf } from '../../shared/http/route';
import {
  buildRouteHandler,
  MissingRouteMiddlewareError,
  type RouteMiddleware,
  routesWith,
} from '../../shared/http/route-stack';
import type { RouteSpec } from '../../shared/http/route-types';
import { FUNCTIONS, type FunctionDefinition } from '../../shared/http/routes';
import type { HttpResult, StackEvent } from '../../shared/http/types';
import { httpEvent, lambdaContext } from '../support/events';

const ROUTES = [
  { method: 'GET', path: '/open', function: 'f', access: 'public', summary: 'Open', tag: 't' },
  { method: 'GET', path: '/mine', function: 'f', access: 'user', summary: 'Mine', tag: 't' },
  {
    method: 'POST',
    path: '/things',
    function: 'f',
    access: 'user',
    summary: 'Create',
    tag: 't',
    idempotent: true,
  },
] as const satisfies readonly RouteSpec[];

const ok = async () => json(200, { ok: true });

/** Middleware factories that record their use and do nothing else. */
function recordingMiddleware() {
  const used: string[] = [];
  const pass = (name: string): MiddlewareObj<StackEvent, HttpResult> => ({
    before: async () => {
      used.push(name);
    },
  });
  const middleware = {
    optionalToken: ((jwt) => {
      used.push(`optionalToken built (${jwt === undefined ? 'no issuer' : 'issuer'})`);
      return pass('optionalToken');
    }) satisfies NonNullable<RouteMiddleware['optionalToken']>,
    idempotency: (() => pass('idempotency')) satisfies NonNullable<RouteMiddleware['idempotency']>,
  };
  return { used, middleware };
}

const user = { sub: 'user-1', 'cognito:groups': '[commissioner]' };

describe('routesWith', () => {
  it('refuses a public route without the optional-token middleware', () => {
    const defineRoute = routesWith(ROUTES, {});
    // @ts-expect-error a public route's key is not servable without `optionalToken`
    expect(() => defineRoute('GET /open', {}, ok)).toThrow(MissingRouteMiddlewareError);
  });

  it('refuses an idempotent route without the idempotency middleware', () => {
    const { middleware } = recordingMiddleware();
    const defineRoute = routesWith(ROUTES, { optionalToken: middleware.optionalToken });
    // @ts-expect-error an idempotent route's key is not servable without `idempotency`
    expect(() => defineRoute('POST /things', {}, ok)).toThrow(MissingRouteMiddlewareError);
  });

  it('serves a route that needs neither without either', async () => {
    const defineRoute = routesWith(ROUTES, {});
    const handler = defineRoute('GET /mine', {}, ok);
    const response = await handler(httpEvent({ path: '/mine', claims: user }), lambdaContext());
    expect(response.statusCode).toBe(200);
  });

  it('runs the middlewares it was given on the routes that need them, and only there', async () => {
    const { used, middleware } = recordingMiddleware();
    const defineRoute = routesWith(ROUTES, middleware);
    const open = defineRoute('GET /open', {}, ok);
    const mine = defineRoute('GET /mine', {}, ok);
    const create = defineRoute('POST /things', {}, ok);

    expect((await open(httpEvent({ path: '/open' }), lambdaContext())).statusCode).toBe(200);
    expect((await mine(httpEvent({ path: '/mine', claims: user }), lambdaContext())).statusCode).toBe(200);
    const created = await create(
      httpEvent({ method: 'POST', path: '/things', claims: user, body: '{}' }),
      lambdaContext(),
    );
    expect(created.statusCode).toBe(200);
    expect(used).toEqual([
      expect.stringMatching(/^optionalToken built/),
      'optionalToken',
      // Nothing for GET /mine.
      'idempotency',
    ]);
  });

  it('names only route keys of its table (a key of no route does not compile and is refused)', () => {
    const defineRoute = routesWith(ROUTES, recordingMiddleware().middleware);
    // @ts-expect-error not a route of this table
    expect(() => defineRoute('GET /things', {}, ok)).toThrow('not in the route table');
  });
});

describe('route.ts, the stack with both middlewares', () => {
  it('serves public and idempotent routes alike', () => {
    const defineRoute = routesOf(ROUTES);
    expect(typeof defineRoute('GET /open', {}, ok)).toBe('function');
    expect(typeof defineRoute('POST /things', {}, ok)).toBe('function');
  });

  it('builds a handler for any route in tests', () => {
    const handler = buildRouteHandler({ access: 'user', idempotent: true }, {}, ok, {
      idempotency: recordingMiddleware().middleware.idempotency,
    });
    expect(typeof handler).toBe('function');
  });
});

describe('the JSON functions', () => {
  const jsonFunctions = (Object.entries(FUNCTIONS) as [string, FunctionDefinition][]).filter(
    ([, definition]) => !definition.entry.startsWith('functions/web/'),
  );

  it('are many (not vacuous)', () => {
    expect(jsonFunctions.length).toBeGreaterThan(10);
  });

  it.each(jsonFunctions)(
    '%s loads: each of its routes has the middlewares it needs',
    async (_id, definition) => {
      const entry = pathToFileURL(join(import.meta.dirname, '..', '..', definition.entry)).href;
      const module = (await import(entry)) as { handler?: unknown };
      expect(typeof module.handler).toBe('function');
    },
    30_000,
  );
});
