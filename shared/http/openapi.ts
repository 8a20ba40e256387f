/**
 * The OpenAPI 3.1 document, generated from the route table (paths, methods, who may call them) and the
 * zod schemas (request and response bodies, parameters), so it cannot drift from what the code accepts.
 *
 * Every schema named with `.meta({ id })` becomes one entry of `components/schemas` and is referenced
 * as `#/components/schemas/<id>` wherever it is used. zod does that itself when it converts a registry
 * with a `uri` (`z.toJSONSchema(registry, { uri })`): converting each route's schema on its own instead
 * nests a `$defs` block inside every schema, whose `#/$defs/…` references resolve from the document root
 * in OpenAPI tools, that is nowhere.
 */
import * as z from 'zod';
import { describeAccess } from '../domain/policy';
import { PROBLEM_TYPES } from './problem';
import { ROUTES, type RouteDefinition, routeKeyOf } from './routes';
import { problemSchema } from './schemas/common';
import { ROUTE_SCHEMAS } from './schemas/index';

type JsonSchema = Record<string, unknown>;
type Io = 'input' | 'output';

const COMPONENTS = '#/components/schemas/';

/** A schema the document uses directly: a route's parameters, body or response, or the problem body. */
interface Root {
  schema: z.ZodType;
  io: Io;
}

/**
 * The JSON Schemas of every root and of every named schema, as `components/schemas` entries and the
 * schema each root is written as in an operation (a `$ref` when the root is named, else inline).
 */
export interface ConvertedSchemas {
  components: Record<string, JsonSchema>;
  /** The JSON Schema a root is written as where the document uses it. */
  use(schema: z.ZodType, io: Io): JsonSchema;
  /** The full JSON Schema of a root (for parameters, whose properties become one parameter each). */
  body(schema: z.ZodType, io: Io): JsonSchema;
}

const pascal = (words: string) =>
  words
    .replace(/(?:^|[^a-zA-Z0-9]+)([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase())
    .replace(/[^a-zA-Z0-9]/g, '');

function refsIn(value: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === '$ref' && typeof child === 'string' && child.startsWith(COMPONENTS))
        found.add(child.slice(COMPONENTS.length));
      else refsIn(child, found);
    }
  }
  return found;
}

/**
 * Converts the roots and every schema they reach into JSON Schema with one definition per named schema.
 *
 * The registry holds every schema named in zod's global registry (under its own id) and every unnamed
 * root (under a name made from where it is used, e.g. `GetDirectoryQuery`, which only shows if another
 * schema also nests it). zod converts the registry once per direction: a request body is validated as
 * zod's *input* (defaults make fields optional; a plain object admits unknown keys, which it strips) and
 * a response is described as its *output* (every field there; no other keys). A named schema used both ways whose input and output differ is
 * written twice, `X` (the output) and `XInput`; so is any schema that reaches one.
 *
 * A schema that refers to itself must be named (`.meta({ id })`) so that its reference has a component
 * to point to; an unnamed one throws here, and so in the OpenAPI unit tests, rather than ship a document
 * with a reference no tool can follow.
 */
export function convertSchemas(roots: readonly (Root & { name: string })[]): ConvertedSchemas {
  const registry = z.registry<{ id: string }>();
  const idOf = new Map<z.ZodType, string>();
  // `.meta({ id })` files a schema in zod's global registry; its id map lists them. Those no route reaches
  // (a web form's, say) are converted too but left out of the document below. Two schemas given the same
  // id make zod's conversion throw ("Duplicate schema id"), so a clash cannot pass the tests unseen.
  for (const [id, schema] of z.globalRegistry._idmap) {
    registry.add(schema, { id });
    idOf.set(schema as z.ZodType, id);
  }
  const named = new Set(idOf.values());
  for (const root of roots) {
    if (idOf.has(root.schema)) continue;
    registry.add(root.schema, { id: root.name });
    idOf.set(root.schema, root.name);
  }
  const convert = (io: Io, inputNames: ReadonlySet<string>) => {
    const nameOf = (id: string) => (io === 'input' && inputNames.has(id) ? `${id}Input` : id);
    const { schemas } = z.toJSONSchema(registry, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
      uri: (id) => `${COMPONENTS}${nameOf(id)}`,
    });
    if (schemas.__shared)
      throw new Error(
        `A schema refers to itself without a name: give it .meta({ id }) (${JSON.stringify(schemas.__shared).slice(0, 200)})`,
      );
    const out: Record<string, JsonSchema> = {};
    for (const [id, schema] of Object.entries(schemas)) {
      // zod sets `$id` to the uri; a fragment is not a valid `$id`, and the component's key names it.
      const { $id: _id, $schema: _schema, ...rest } = schema as JsonSchema;
      out[id] = rest;
    }
    return out;
  };
  const reach = (converted: Record<string, JsonSchema>, io: Io) => {
    const seen = new Set<string>();
    const queue = roots.filter((root) => root.io === io).map((root) => idOf.get(root.schema) as string);
    while (queue.length > 0) {
      const id = queue.pop() as string;
      if (seen.has(id)) continue;
      seen.add(id);
      for (const ref of refsIn(converted[id], new Set())) queue.push(ref);
    }
    return seen;
  };

  const output = convert('output', new Set());
  let input = convert('input', new Set());
  const inOutput = reach(output, 'output');
  const inInput = reach(input, 'input');
  // Which schemas need an `Input` twin: those whose input differs from their output, and then those that
  // refer to one of them (their references differ). Repeat until nothing new differs.
  const twins = new Set<string>();
  for (;;) {
    const differ = [...inInput].filter(
      (id) => inOutput.has(id) && !twins.has(id) && JSON.stringify(input[id]) !== JSON.stringify(output[id]),
    );
    if (differ.length === 0) break;
    for (const id of differ) twins.add(id);
    input = convert('input', twins);
  }
  for (const id of twins)
    if (named.has(`${id}Input`))
      throw new Error(`Schema ids ${id} and ${id}Input clash in the OpenAPI document`);

  const use = (schema: z.ZodType, io: Io): JsonSchema => {
    const id = idOf.get(schema);
    if (id === undefined) throw new Error('Not a root of this conversion');
    if (named.has(id)) return { $ref: `${COMPONENTS}${io === 'input' && twins.has(id) ? `${id}Input` : id}` };
    return (io === 'input' ? input : output)[id] as JsonSchema;
  };
  const body = (schema: z.ZodType, io: Io): JsonSchema => {
    const id = idOf.get(schema) as string;
    return (io === 'input' ? input : output)[id] as JsonSchema;
  };

  // Components: every named schema the roots reach, in both directions; an unnamed root only when another
  // schema nests it (otherwise it is written inline where it is used).
  const components: Record<string, JsonSchema> = {};
  const referenced = new Set<string>();
  for (const root of roots) {
    const id = idOf.get(root.schema) as string;
    const schema = (root.io === 'input' ? input : output)[id];
    if (named.has(id)) referenced.add(root.io === 'input' && twins.has(id) ? `${id}Input` : id);
    refsIn(schema, referenced);
  }
  const queue = [...referenced];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (components[name]) continue;
    const isInputTwin = name.endsWith('Input') && twins.has(name.slice(0, -'Input'.length));
    const id = isInputTwin ? name.slice(0, -'Input'.length) : name;
    // A component reached only from requests is its input form, and from responses its output form.
    const schema = isInputTwin || !inOutput.has(id) ? input[id] : output[id];
    if (!schema) throw new Error(`The OpenAPI document refers to ${name}, which no schema defines`);
    components[name] = schema;
    for (const ref of refsIn(schema, new Set())) queue.push(ref);
  }
  return { components, use, body };
}

function parameters(
  converted: ConvertedSchemas,
  schema: z.ZodType | undefined,
  where: 'path' | 'query',
): JsonSchema[] {
  if (!schema) return [];
  const json = converted.body(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

function operationIdOf(route: RouteDefinition): string {
  return `${route.method.toLowerCase()}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`;
}

function operation(route: RouteDefinition, converted: ConvertedSchemas): JsonSchema {
  const schemas = ROUTE_SCHEMAS[routeKeyOf(route)];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(schemas?.responses ?? {})) {
    responses[status] = {
      description: 'Success',
      content: {
        [schemas?.responseMediaType ?? 'application/json']: {
          schema: converted.use(schema as z.ZodType, 'output'),
        },
      },
    };
  }
  const problems: (keyof typeof PROBLEM_TYPES)[] = ['validation', 'internal'];
  if (route.access !== 'public') problems.push('unauthenticated');
  if (Array.isArray(route.access)) problems.push('forbidden');
  for (const code of problems) {
    const { status, title } = PROBLEM_TYPES[code];
    responses[String(status)] = {
      description: title,
      content: { 'application/problem+json': { schema: converted.use(problemSchema, 'output') } },
    };
  }
  // The route's own refusals: one response per status, naming each problem type it may carry and when.
  for (const { code, when } of route.problems ?? []) {
    const { status, title } = PROBLEM_TYPES[code];
    const said = `${title} (\`/problems/${code}\`): ${when}`;
    const earlier = responses[String(status)]?.description as string | undefined;
    responses[String(status)] = {
      description: earlier ? `${earlier}; ${said}` : said,
      content: { 'application/problem+json': { schema: converted.use(problemSchema, 'output') } },
    };
  }
  const refusals = (route.problems ?? []).map(
    ({ code, when }) => ` Refused with ${PROBLEM_TYPES[code].status} \`/problems/${code}\` when ${when}.`,
  );
  const op: JsonSchema = {
    operationId: operationIdOf(route),
    summary: route.summary,
    description: `Who may call it: ${describeAccess(route.access)}.${refusals.join('')}`,
    tags: [route.tag],
    parameters: [
      ...parameters(converted, schemas?.params, 'path'),
      ...parameters(converted, schemas?.query, 'query'),
      ...(route.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A retry with the same key, method, query string and body returns the first response; the same key with anything different is a 409.',
              schema: { type: 'string', maxLength: 255 },
            },
          ]
        : []),
    ],
    responses,
    // An empty list says "no credentials needed" outright; leaving it out would leave tools guessing.
    security: route.access === 'public' ? [] : [{ bearer: [] }],
  };
  if (schemas?.body) {
    const content: JsonSchema = { 'application/json': { schema: converted.use(schemas.body, 'input') } };
    if (route.bodyTypes?.includes('csv')) content['text/csv'] = { schema: { type: 'string' } };
    op.requestBody = { required: true, content };
  }
  return op;
}

/** Every schema the API routes use, each named after where it is used. */
function apiRoots(routes: readonly RouteDefinition[]): (Root & { name: string })[] {
  const roots: (Root & { name: string })[] = [{ schema: problemSchema, io: 'output', name: 'Problem' }];
  for (const route of routes) {
    const schemas = ROUTE_SCHEMAS[routeKeyOf(route)];
    if (!schemas) continue;
    const name = pascal(operationIdOf(route));
    if (schemas.params) roots.push({ schema: schemas.params, io: 'input', name: `${name}Path` });
    if (schemas.query) roots.push({ schema: schemas.query, io: 'input', name: `${name}Query` });
    if (schemas.body) roots.push({ schema: schemas.body, io: 'input', name: `${name}Body` });
    for (const [status, schema] of Object.entries(schemas.responses))
      roots.push({ schema: schema as z.ZodType, io: 'output', name: `${name}Response${status}` });
  }
  return roots;
}

/**
 * The API's own address as the request that asked for the document saw it, for `servers`: the domain
 * API Gateway answered on (`requestContext.domainName`, the execute-api or custom domain; the `Host`
 * header locally) and the scheme it was reached by (`X-Forwarded-Proto`, which API Gateway always sets;
 * the local gateway sets none and serves plain HTTP). The API is on the `$default` stage, so there is no
 * stage prefix. Anything that does not look like a host name and a scheme (a forged `Host`) gives
 * `undefined`, and the document falls back to `/`, which OpenAPI resolves against wherever the document
 * was fetched from. Real tools accept both; an absolute URL also survives the document being saved to a
 * file and fed to a client generator, which a relative one does not.
 */
export function serverUrlOf(
  domainName: string | undefined,
  forwardedProto: string | undefined,
): string | undefined {
  if (!domainName || !/^[A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?$/.test(domainName)) return undefined;
  // API Gateway serves HTTPS only and says so; a request without the header came through the local gateway.
  const scheme =
    forwardedProto === undefined ? 'http' : /^https?$/.test(forwardedProto) ? forwardedProto : undefined;
  return scheme ? `${scheme}://${domainName}` : undefined;
}

/**
 * Builds the OpenAPI 3.1 document for every route. `serverUrl` is the API's address (see `serverUrlOf`);
 * without it `servers` is `/`: "the host this document came from".
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): JsonSchema {
  // HTML pages of the web front door are not part of the JSON API.
  const routes = (ROUTES as readonly RouteDefinition[]).filter((route) => route.kind !== 'page');
  const converted = convertSchemas(apiRoots(routes));
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    const item = paths[route.path] as Record<string, JsonSchema>;
    item[route.method.toLowerCase()] = operation(route, converted);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Offender services procurement and provider network',
      version: '0.1.0',
      description:
        'National Provider Network, competitions with proportionate pre-qualification, tender evaluation behind ethical walls, and sub-contracting returns. Money is integer pence; errors are RFC 9457 problem+json.',
    },
    servers: [{ url: options.serverUrl ?? '/' }],
    paths,
    components: {
      schemas: Object.fromEntries(
        Object.entries(converted.components).sort(([a], [b]) => a.localeCompare(b)),
      ),
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
