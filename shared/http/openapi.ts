/**
 * The OpenAPI 3.1 document, generated from the route table (paths, methods, who may call them) and the
 * zod schemas (request and response bodies, parameters), so it cannot drift from what the code accepts.
 */
import * as z from 'zod';
import { describeAccess } from '../domain/policy';
import { PROBLEM_TYPES } from './problem';
import { ROUTES, type RouteDefinition, routeKeyOf } from './routes';
import { problemSchema } from './schemas/common';
import { ROUTE_SCHEMAS } from './schemas/index';

type JsonSchema = Record<string, unknown>;

function toSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = toSchema(schema, 'input');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: property,
  }));
}

function operation(route: RouteDefinition): JsonSchema {
  const schemas = ROUTE_SCHEMAS[routeKeyOf(route)];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, schema] of Object.entries(schemas?.responses ?? {})) {
    responses[status] = {
      description: 'Success',
      content: { 'application/json': { schema: toSchema(schema as z.ZodType, 'output') } },
    };
  }
  const problems: (keyof typeof PROBLEM_TYPES)[] = ['validation', 'internal'];
  if (route.access !== 'public') problems.push('unauthenticated');
  if (Array.isArray(route.access)) problems.push('forbidden');
  for (const code of problems) {
    const { status, title } = PROBLEM_TYPES[code];
    responses[String(status)] = {
      description: title,
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  const op: JsonSchema = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[^a-zA-Z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    summary: route.summary,
    description: `Who may call it: ${describeAccess(route.access)}.`,
    tags: [route.tag],
    parameters: [
      ...parameters(schemas?.params, 'path'),
      ...parameters(schemas?.query, 'query'),
      ...(route.idempotent
        ? [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description: 'A retry with the same key and body returns the first response.',
              schema: { type: 'string', maxLength: 255 },
            },
          ]
        : []),
    ],
    responses,
  };
  if (route.access !== 'public') op.security = [{ bearer: [] }];
  if (schemas?.body) {
    const content: JsonSchema = { 'application/json': { schema: toSchema(schemas.body, 'input') } };
    if (route.bodyTypes?.includes('csv')) content['text/csv'] = { schema: { type: 'string' } };
    op.requestBody = { required: true, content };
  }
  return op;
}

/** Builds the OpenAPI 3.1 document for every route. */
export function buildOpenApiDocument(): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of ROUTES as readonly RouteDefinition[]) {
    // HTML pages of the web front door are not part of the JSON API.
    if (route.kind === 'page') continue;
    paths[route.path] ??= {};
    const item = paths[route.path] as Record<string, JsonSchema>;
    item[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Offender services procurement and provider network',
      version: '0.1.0',
      description:
        'National Provider Network, competitions with proportionate pre-qualification, tender evaluation behind ethical walls, and sub-contracting returns. Money is integer pence; errors are RFC 9457 problem+json.',
    },
    paths,
    components: {
      schemas: { Problem: toSchema(problemSchema, 'output') },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}
