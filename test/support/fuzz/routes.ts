/**
 * The JSON routes to fuzz, read from the OpenAPI document the API serves (built from the route table and
 * the zod schemas by `shared/http/openapi.ts`): each route's path parameters, query parameters, request
 * body schema and media types, and the zod schema of each documented success response.
 */
import type { z } from 'zod';
import type { TableName } from '../../../shared/db/table-names';
import { buildOpenApiDocument } from '../../../shared/http/openapi';
import { FUNCTIONS, findRoute } from '../../../shared/http/routes';
import { ROUTE_SCHEMAS } from '../../../shared/http/schemas/index';
import type { JsonSchema } from './schema-arbitrary';

/** One parameter of an operation. */
export interface Parameter {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One JSON route, as the document describes it. */
export interface RoutePlan {
  key: string;
  method: string;
  path: string;
  /** False when the document says the route needs no credentials. */
  needsToken: boolean;
  idempotent: boolean;
  pathParams: Parameter[];
  queryParams: Parameter[];
  /** The request body's JSON Schema, when the route takes one. */
  body: JsonSchema | undefined;
  acceptsCsv: boolean;
  /** The media type of its 2xx answers, when not JSON (a CSV download). */
  responseMediaType: string | undefined;
  /** The zod schema of each documented success status. */
  responses: Record<string, z.ZodType>;
  /** The body of a CSV spend return, from the document's description (`header` then rows). */
  csvHeader: string | undefined;
  /**
   * The tables the route's function may write (its own grants, its per-provider role's, the idempotency
   * records), which a refused request must leave as they were. The audit log is left out: a refused
   * confidential read is recorded there by design. A function that may only read cannot write in AWS
   * (IAM, asserted by the infra tests), so its routes need no snapshot.
   */
  writes: TableName[];
}

/** The tables a route's function may write (see `RoutePlan.writes`). */
function writableTables(key: string, idempotent: boolean): TableName[] {
  const route = findRoute(key);
  if (!route) throw new Error(`${key} is in the document but not in the route table`);
  const fn = FUNCTIONS[route.function] as (typeof FUNCTIONS)[keyof typeof FUNCTIONS] & {
    providerDataRole?: string;
  };
  const tables = new Set<TableName>();
  for (const [table, access] of Object.entries(fn.tables) as [TableName, string][])
    if (access !== 'read') tables.add(table);
  // A per-provider role writes that provider's items in the sealed table (bids, responses, markers).
  if (fn.providerDataRole) tables.add('sealed');
  if (idempotent) tables.add('idempotency');
  tables.delete('audit');
  return [...tables].sort();
}

interface Operation {
  parameters?: (Parameter & { in: string })[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

/** The document, and every JSON route in it. */
export function routePlans(): { components: Record<string, JsonSchema>; routes: RoutePlan[] } {
  const document = buildOpenApiDocument() as {
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const components = document.components.schemas;
  const routes: RoutePlan[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const key = `${method.toUpperCase()} ${path}`;
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      const jsonBody = content['application/json']?.schema;
      const referenced =
        typeof jsonBody?.$ref === 'string' ? components[jsonBody.$ref.split('/').pop() ?? ''] : jsonBody;
      const description = typeof referenced?.description === 'string' ? referenced.description : '';
      routes.push({
        key,
        method: method.toUpperCase(),
        path,
        needsToken: (operation.security ?? []).length > 0,
        idempotent: parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
        pathParams: parameters.filter((p) => p.in === 'path'),
        queryParams: parameters.filter((p) => p.in === 'query'),
        body: jsonBody,
        acceptsCsv: 'text/csv' in content,
        responseMediaType: ROUTE_SCHEMAS[key]?.responseMediaType,
        responses: Object.fromEntries(
          Object.entries(ROUTE_SCHEMAS[key]?.responses ?? {}).map(([status, schema]) => [
            status,
            schema as z.ZodType,
          ]),
        ),
        csvHeader: /header (\S+)/.exec(description)?.[1],
        writes: writableTables(
          key,
          parameters.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
        ),
      });
    }
  }
  return { components, routes };
}

/** Fills a path template with already-escaped segments. */
export function fillPath(template: string, segments: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => segments[name] ?? '');
}
