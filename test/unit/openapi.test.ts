import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { buildOpenApiDocument, convertSchemas, serverUrlOf } from '../../shared/http/openapi';
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
      // An empty list: "no credentials", said outright (Redocly's security-defined rule wants it said).
      if (route.access === 'public') expect(operation?.security).toEqual([]);
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

type Json = Record<string, unknown>;

/** Every `$ref` in a JSON value. */
function refsOf(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsOf(item, found);
  else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref') found.push(child as string);
      else refsOf(child, found);
    }
  return found;
}

describe('OpenAPI schemas', () => {
  const doc = buildOpenApiDocument() as {
    paths: Json;
    components: { schemas: Record<string, Json> };
    servers: { url: string }[];
  };
  const schemas = doc.components.schemas;

  it('puts every definition in components/schemas, where every reference points and resolves', () => {
    const text = JSON.stringify(doc);
    expect(text).not.toContain('"$defs"');
    const refs = refsOf(doc);
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\/[A-Za-z0-9]+$/);
      expect(schemas[ref.slice('#/components/schemas/'.length)], ref).toBeDefined();
    }
  });

  it('names the reusable schemas once, by their ids, and lists no unused ones', () => {
    for (const id of [
      'Provider',
      'ProviderRegistration',
      'Competition',
      'Problem',
      'DirectoryListing',
      'Contract',
    ])
      expect(schemas[id], id).toBeDefined();
    const used = new Set(refsOf(doc.paths).map((ref) => ref.split('/').pop()));
    for (let grown = true; grown; ) {
      grown = false;
      for (const name of [...used])
        for (const ref of refsOf(schemas[name as string])) {
          const target = ref.split('/').pop();
          if (!used.has(target)) {
            used.add(target);
            grown = true;
          }
        }
    }
    expect(Object.keys(schemas).sort()).toEqual([...used].sort());
    const post = doc.paths['/providers'] as {
      post: { requestBody: { content: Record<string, { schema: Json }> } };
    };
    expect(post.post.requestBody.content['application/json']?.schema).toEqual({
      $ref: '#/components/schemas/ProviderRegistration',
    });
  });

  it('keeps the bounds the zod schemas state', () => {
    const registration = schemas.ProviderRegistration as { properties: Record<string, Json> };
    expect(registration.properties.name).toMatchObject({ minLength: 1, maxLength: 200 });
    expect(registration.properties.regions).toMatchObject({ minItems: 1, maxItems: 10 });
    const directory = doc.paths['/directory'] as { get: { parameters: { name: string; schema: Json }[] } };
    const limit = directory.get.parameters.find((p) => p.name === 'limit');
    expect(limit?.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100, default: 25 });
    const spendReturn = schemas.SpendReturnSubmission as { properties: { lines: Json } };
    expect(spendReturn.properties.lines.maxItems).toEqual(expect.any(Number));
  });

  it('has a relative server when it is built without a request', () => {
    expect(doc.servers).toEqual([{ url: '/' }]);
    expect(buildOpenApiDocument({ serverUrl: 'https://api.example.org' }).servers).toEqual([
      { url: 'https://api.example.org' },
    ]);
  });
});

describe('serverUrlOf', () => {
  it('uses the domain API Gateway answered on, over HTTPS', () => {
    expect(serverUrlOf('abc123.execute-api.eu-west-2.amazonaws.com', 'https')).toBe(
      'https://abc123.execute-api.eu-west-2.amazonaws.com',
    );
  });

  it('uses the local gateway host and port over HTTP (no X-Forwarded-Proto)', () => {
    expect(serverUrlOf('localhost:3000', undefined)).toBe('http://localhost:3000');
  });

  it('gives nothing for a forged host or scheme, so the document falls back to a relative server', () => {
    expect(serverUrlOf('evil.example/"><script>', 'https')).toBeUndefined();
    expect(serverUrlOf('user@evil.example', 'https')).toBeUndefined();
    expect(serverUrlOf('api.example.org', 'javascript')).toBeUndefined();
    expect(serverUrlOf(undefined, 'https')).toBeUndefined();
  });
});

describe('convertSchemas', () => {
  // Ids unique to this file: `.meta({ id })` registers in zod's global registry.
  const Settings = z.object({ pageSize: z.number().int().max(50).default(10) }).meta({ id: 'TestSettings' });
  const Account = z.object({ name: z.string().max(20), settings: Settings }).meta({ id: 'TestAccount' });
  // Strict, so its input and output are the same (zod closes a plain object only on output).
  const Same = z
    .object({ note: z.string().max(5) })
    .strict()
    .meta({ id: 'TestSame' });
  interface Node {
    name: string;
    children: Node[];
  }
  const TreeNode: z.ZodType<Node> = z
    .object({
      name: z.string(),
      get children() {
        return z.array(TreeNode);
      },
    })
    .meta({ id: 'TestTreeNode' });

  it('writes a schema used both ways twice when its input and output differ, and so its parents', () => {
    const body = z.object({ account: Account, same: Same });
    const response = z.object({ account: Account, same: Same });
    const converted = convertSchemas([
      { schema: body, io: 'input', name: 'TestBody' },
      { schema: response, io: 'output', name: 'TestResponse' },
    ]);
    // Input: `pageSize` has a default, so a client may leave it out; output: it is always there.
    expect((converted.components.TestSettingsInput as Json).required).toBeUndefined();
    expect(converted.components.TestSettings).toMatchObject({ required: ['pageSize'] });
    expect(converted.components.TestAccountInput).toMatchObject({
      properties: { settings: { $ref: '#/components/schemas/TestSettingsInput' } },
    });
    expect(converted.components.TestAccount).toMatchObject({
      properties: { settings: { $ref: '#/components/schemas/TestSettings' } },
    });
    // Identical both ways: one component.
    expect(converted.components.TestSame).toBeDefined();
    expect(converted.components.TestSameInput).toBeUndefined();
    expect(converted.use(body, 'input')).toMatchObject({
      properties: { account: { $ref: '#/components/schemas/TestAccountInput' } },
    });
    expect(converted.components.TestBody).toBeUndefined();
  });

  it('resolves a named schema that refers to itself', () => {
    const converted = convertSchemas([{ schema: TreeNode, io: 'output', name: 'TestTree' }]);
    expect(converted.use(TreeNode, 'output')).toEqual({ $ref: '#/components/schemas/TestTreeNode' });
    expect(converted.components.TestTreeNode).toMatchObject({
      properties: { children: { items: { $ref: '#/components/schemas/TestTreeNode' } } },
    });
  });

  it('refuses an unnamed schema that refers to itself, which no reference could reach', () => {
    const Loop: z.ZodType<Node> = z.object({
      name: z.string(),
      get children() {
        return z.array(Loop);
      },
    });
    expect(() =>
      convertSchemas([{ schema: z.object({ root: Loop }), io: 'output', name: 'TestLoop' }]),
    ).toThrow(/refers to itself without a name/);
  });
});
