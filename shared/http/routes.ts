/**
 * The route table: the one list of HTTP routes that the CDK app turns into API Gateway routes and Lambda
 * functions, and that the local gateway serves, so local and AWS cannot drift. It also declares, for every
 * route, who may call it (see `shared/domain/policy.ts`) and, for every function, the least-privilege
 * table access it needs (asserted on the synthesized template by the infra tests).
 *
 * Request and response schemas live beside the handlers (`shared/http/schemas`) so each function bundles
 * only its own; the OpenAPI document joins the two.
 */

import type { TableName } from '../db/table-names';
import type { RouteAccess } from '../domain/policy';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a function may do to a table:
 * - `read`: GetItem, BatchGetItem, Query;
 * - `write`: PutItem, UpdateItem, DeleteItem, ConditionCheckItem (no reads);
 * - `readWrite`: both;
 * - `append`: read, PutItem and ConditionCheckItem, never UpdateItem or DeleteItem (the audit log);
 * - `appendBlind`: PutItem, and GetItem only on items whose partition key starts with `AUDITHEAD#` (the
 *   heads of audit chains), so provider-facing functions can append to the audit log without reading it.
 */
export type TableAccess = 'read' | 'write' | 'readWrite' | 'append' | 'appendBlind';

/** One Lambda function: a route group in one bounded context. */
export interface FunctionDefinition {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** The tables this function touches, and how. Anything not listed it cannot touch. */
  tables: Partial<Record<TableName, TableAccess>>;
}

/** The functions, one per route group. */
export const FUNCTIONS = {
  platform: {
    entry: 'functions/platform/index.ts',
    description: 'Health, OpenAPI document, the caller (/me) and unknown routes.',
    tables: { registry: 'read' },
  },
  providers: {
    entry: 'functions/providers/index.ts',
    description:
      'Provider registration, profiles, membership, verification, accreditation and notifications.',
    tables: { registry: 'readWrite' },
  },
  competitions: {
    entry: 'functions/competitions/index.ts',
    description:
      'Commissioner side of competitions: create, publish (notifying matching providers), panel, declarations, exclusions, the wall, cancel; reads through the ethical wall.',
    tables: { procurement: 'readWrite', sealed: 'readWrite', registry: 'readWrite', audit: 'append' },
  },
  opportunities: {
    entry: 'functions/competitions/opportunities.ts',
    description: 'Public list of open opportunities (read-only, no inside information).',
    tables: { procurement: 'read' },
  },
  prequalification: {
    entry: 'functions/prequalification/index.ts',
    description:
      'Provider side of pre-qualification: submit a response. Writes sealed data it cannot read back, and appends to the audit log without reading it.',
    tables: { procurement: 'read', registry: 'read', sealed: 'write', audit: 'appendBlind' },
  },
  audit: {
    entry: 'functions/audit/index.ts',
    description: 'Audit trails, chain verification and alerts for auditors and admins.',
    // Append: a refused read is itself recorded (and alerted).
    tables: { audit: 'append', procurement: 'read', sealed: 'read', registry: 'read' },
  },
  directory: {
    entry: 'functions/providers/directory.ts',
    description: 'The public directory of verified providers (read-only).',
    tables: { registry: 'read' },
  },
} as const satisfies Record<string, FunctionDefinition>;

/** A function id. */
export type FunctionId = keyof typeof FUNCTIONS;

/** One route. */
export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path template, with `{name}` parameters. */
  path: string;
  function: FunctionId;
  access: RouteAccess;
  summary: string;
  tag: string;
  /** POST/PUT routes that honour `Idempotency-Key`. */
  idempotent?: boolean;
  /** Request body media types accepted; JSON when absent. */
  bodyTypes?: readonly ('json' | 'csv')[];
}

/** Every route. `routeKey` is `"METHOD /path"`, as API Gateway names it. */
export const ROUTES = [
  {
    method: 'GET',
    path: '/health',
    function: 'platform',
    access: 'public',
    summary: 'Liveness check',
    tag: 'platform',
  },
  {
    method: 'GET',
    path: '/openapi.json',
    function: 'platform',
    access: 'public',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'platform',
  },
  {
    method: 'GET',
    path: '/me',
    function: 'platform',
    access: 'user',
    summary: 'The caller and their organisations',
    tag: 'platform',
  },
  {
    method: 'POST',
    path: '/providers',
    function: 'providers',
    access: 'user',
    summary: 'Register an organisation; the caller becomes its owner',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/providers/{id}',
    function: 'providers',
    access: 'user',
    summary: "A provider's full profile (members, commissioners, admins)",
    tag: 'providers',
  },
  {
    method: 'PATCH',
    path: '/providers/{id}',
    function: 'providers',
    access: 'user',
    summary: "Edit a provider's profile (owners)",
    tag: 'providers',
  },
  {
    method: 'POST',
    path: '/providers/{id}/members',
    function: 'providers',
    access: 'user',
    summary: 'Add a member or owner (owners)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/providers/{id}/verify',
    function: 'providers',
    access: ['admin'],
    summary: 'Verify a provider, listing it in the directory (admins)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'PUT',
    path: '/providers/{id}/accreditation',
    function: 'providers',
    access: 'user',
    summary: 'Give the once-only accreditation, current for 12 months (owners)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/providers/{id}/accreditation',
    function: 'providers',
    access: 'user',
    summary: "A provider's accreditation (members, commissioners, admins)",
    tag: 'providers',
  },
  {
    method: 'GET',
    path: '/me/notifications',
    function: 'providers',
    access: 'user',
    summary: "Notifications for the caller's organisations, newest first",
    tag: 'providers',
  },
  {
    method: 'GET',
    path: '/directory',
    function: 'directory',
    access: 'public',
    summary: 'Verified providers by region, service, sector and size, ordered by name',
    tag: 'providers',
  },
  {
    method: 'POST',
    path: '/competitions',
    function: 'competitions',
    access: ['commissioner'],
    summary: 'Create a draft competition; the caller becomes its lead',
    tag: 'competitions',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}',
    function: 'competitions',
    access: 'public',
    summary: 'A published competition; insiders also see its confidential section',
    tag: 'competitions',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/publish',
    function: 'competitions',
    access: ['commissioner'],
    summary: 'Publish a draft (lead); matching providers are notified',
    tag: 'competitions',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/cancel',
    function: 'competitions',
    access: ['commissioner'],
    summary: 'Cancel a competition (lead)',
    tag: 'competitions',
    idempotent: true,
  },
  {
    method: 'PUT',
    path: '/competitions/{id}/panel',
    function: 'competitions',
    access: 'user',
    summary: 'Set the evaluation panel (lead); nobody outside the wall may sit on it',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/declarations',
    function: 'competitions',
    access: 'user',
    summary: 'Sign a conflict of interest declaration (lead or panel member)',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/wall/exclusions',
    function: 'competitions',
    access: 'user',
    summary: 'Exclude someone from the competition (lead)',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/wall',
    function: 'competitions',
    access: 'user',
    summary: 'Insiders, exclusions and declarations (lead, auditors, admins)',
    tag: 'wall',
  },
  {
    method: 'GET',
    path: '/opportunities',
    function: 'opportunities',
    access: 'public',
    summary: 'Published competitions still open, by region and service, closing soonest first',
    tag: 'competitions',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/audit',
    function: 'audit',
    access: ['auditor', 'admin'],
    summary: "A competition's audit trail, oldest first",
    tag: 'audit',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/audit/verify',
    function: 'audit',
    access: ['auditor', 'admin'],
    summary: "Recompute a competition's hash chain",
    tag: 'audit',
  },
  {
    method: 'GET',
    path: '/alerts',
    function: 'audit',
    access: ['admin', 'auditor'],
    summary: 'Denied attempts from outside ethical walls, newest first',
    tag: 'audit',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/questionnaire',
    function: 'opportunities',
    access: 'public',
    summary: "The pre-qualification questions of a published competition's tier",
    tag: 'prequalification',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/prequalification-responses',
    function: 'prequalification',
    access: 'user',
    summary: 'Apply (owner of a verified provider), alone or leading a consortium, before the deadline',
    tag: 'prequalification',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/prequalification-responses',
    function: 'competitions',
    access: 'user',
    summary: 'Responses with automatic results and marks (insiders, after the deadline)',
    tag: 'prequalification',
  },
  {
    method: 'PUT',
    path: '/competitions/{id}/prequalification-responses/{responseId}/marks',
    function: 'competitions',
    access: 'user',
    summary: "An evaluator's mark on a response",
    tag: 'prequalification',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/shortlist',
    function: 'competitions',
    access: 'user',
    summary: 'Shortlist applicants and open tendering (lead); applicants are told',
    tag: 'prequalification',
    idempotent: true,
  },
] as const satisfies readonly RouteDefinition[];

/** A route key such as `"GET /me"`. */
export type RouteKey = `${(typeof ROUTES)[number]['method']} ${(typeof ROUTES)[number]['path']}`;

/** The route key of a route definition. */
export function routeKeyOf(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The function that answers requests no route matches (API Gateway's `$default` route). */
export const DEFAULT_ROUTE_FUNCTION: FunctionId = 'platform';

/** The route for a route key, or undefined. */
export function findRoute(routeKey: string): RouteDefinition | undefined {
  return (ROUTES as readonly RouteDefinition[]).find((route) => routeKeyOf(route) === routeKey);
}
