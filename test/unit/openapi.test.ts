import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { ROUTES, type RouteDefinition, routeKeyOf } from '../../shared/http/routes';
import { ROUTE_SCHEMAS } from '../../shared/http/schemas/index';

/** The JSON API: every route but the HTML pages of the web front door, which the document leaves out. */
const API_ROUTES = (ROUTES as readonly RouteDefinition[]).filter((route) => route.kind !== 'page');

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument() as {
    openapi: string;
    paths: Record<
      string,
      Record<string, { security?: unknown; responses: Record<string, unknown>; operationId: string }>
    >;
  };

  it('is OpenAPI 3.1', () => {
    expect(doc.openapi).toBe('3.1.0');
  });

  it('documents every route of the route table, with schemas for each', () => {
    for (const route of API_ROUTES) {
      expect(ROUTE_SCHEMAS[routeKeyOf(route)], `schemas for ${routeKeyOf(route)}`).toBeDefined();
      const operation = doc.paths[route.path]?.[route.method.toLowerCase()];
      expect(operation, routeKeyOf(route)).toBeDefined();
      expect(Object.keys(operation?.responses ?? {}).some((status) => status.startsWith('2'))).toBe(true);
      if (route.access === 'public') expect(operation?.security).toBeUndefined();
      else expect(operation?.security).toEqual([{ bearer: [] }]);
    }
  });

  it('documents no route that the route table lacks', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(API_ROUTES.map(routeKeyOf).sort());
  });

  it('leaves out the HTML pages, which are not JSON API', () => {
    expect(API_ROUTES.length).toBeLessThan(ROUTES.length);
    expect(doc.paths['/find-a-provider']).toBeUndefined();
  });

  it('has unique operation ids', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
