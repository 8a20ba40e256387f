/**
 * Types of the route table (see `routes.ts`). Kept apart so each context's part of the table can use them
 * without importing the whole table.
 *
 * The route table: the one list of HTTP routes that the CDK app turns into API Gateway routes and Lambda
 * functions, and that the local gateway serves, so local and AWS cannot drift. It also declares, for every
 * route, who may call it (see `shared/domain/policy.ts`) and, for every function, the least-privilege
 * table access it needs (asserted on the synthesized template by the infra tests).
 *
 * Request and response schemas live beside the handlers (`shared/http/schemas`) so each function bundles
 * only its own; the OpenAPI document joins the two.
 */

import type { TableName } from '../db/table-names';
import type { DomainErrorCode } from '../domain/errors';
import type { RouteAccess } from '../domain/policy';

/** HTTP methods the API uses. */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * What a function may do to a table:
 * - `read`: GetItem, BatchGetItem, Query;
 * - `write`: PutItem, UpdateItem, DeleteItem, ConditionCheckItem, never with return values (so no reads);
 * - `readWrite`: both;
 * - `append`: read, PutItem and ConditionCheckItem, never UpdateItem or DeleteItem (the audit log);
 * - `appendBlind`: PutItem (no return values), and GetItem only on items whose partition key starts with `AUDITHEAD#` (the
 *   heads of audit chains), so provider-facing functions can append to the audit log without reading it.
 * - `enqueue` (the outbox table, issue 17): PutItem alone, blind, and only of events (`EVENT#…`) and
 *   taking-part marks (`TAKING#…`): a change records what to tell, in its own transaction, and reads
 *   nothing of the outbox, nor writes an e-mail, a digest entry or the suppression list.
 * - `mark` (the outbox table): PutItem alone, blind, and only of taking-part marks: what a provider-facing
 *   function that records no event needs (a clarification question), so it can never put an event, whose
 *   e-mail the delivery would send.
 */
export type TableAccess = 'read' | 'write' | 'readWrite' | 'append' | 'appendBlind' | 'enqueue' | 'mark';

/** What a per-provider role is for (see `FunctionDefinition.providerDataRole`). */
export type ProviderDataKind = 'bidder' | 'applicant' | 'viewer';

/** One Lambda function: a route group in one bounded context. */
export interface FunctionDefinition {
  /** Handler module, relative to the repository root; it exports `handler`. */
  entry: string;
  description: string;
  /** The tables this function touches, and how. Anything not listed it cannot touch. */
  tables: Partial<Record<TableName, TableAccess>>;
  /**
   * For a function that acts for one provider organisation at a time: it gets a role of its own to assume
   * per request with the session tag `providerId`, whose policy (`PROVIDER_DATA_GRANTS[kind]` in
   * `infra/table-access.ts`) reaches that provider's own items in the sealed table and nothing else there:
   * - `bidder`: its bid partitions (GetItem, PutItem);
   * - `applicant`: its pre-qualification responses (PutItem, blind);
   * and for both, connection markers (PutItem, blind), the competition (ConditionCheckItem, the deadline
   * guard) and audit appends. Those tables need not, and should not, appear in `tables`.
   * - `viewer`: only a Query of its own participation list (what it applied for and bid on), for a page
   *   that says so to its members; it writes nothing and reaches no bid, response or audit event.
   */
  providerDataRole?: ProviderDataKind;
  /**
   * Which side of the ethical wall it serves: `public` and `provider` functions serve the public and
   * provider organisations (bidders, applicants, sub-contractors) and must never reach inside information;
   * `inside` functions serve the commissioning side, every access decided by the wall policy; `oversight`
   * functions serve auditors and admins. The infra tests hold each side to its limits.
   */
  facing: 'public' | 'provider' | 'inside' | 'oversight';
  /**
   * What the function may do to tender document files in the documents bucket (issue 15), on the
   * `competitions/` prefix only, and so which presigned URLs it can usefully sign (a URL works only for
   * what its signer may do). Uploads write keys of their own (`…/upload-<id>`), which the confirmation
   * checks and copies to the version's file (`…/file-<id>`), a key only the confirmation writes:
   * - `upload`: `s3:PutObject` on upload keys only (presigned PUTs and browser POST forms);
   * - `download`: `s3:GetObject` (presigned GETs; HeadObject);
   * - `confirm`: `s3:GetObject` (HeadObject, the file's first bytes, the copy's source), `s3:PutObject` on
   *   files only (the copy), `s3:DeleteObject` on upload keys only (a refused or copied upload);
   * - `uploadAndConfirm`: both of those.
   * Absent: no access to the bucket, and no `DOCUMENTS_BUCKET_NAME`.
   */
  documentsBucket?: DocumentsBucketAccess;
}

/** A function's access to the documents bucket (`FunctionDefinition.documentsBucket`). */
export type DocumentsBucketAccess = 'upload' | 'download' | 'confirm' | 'uploadAndConfirm';

/** One route as a context declares it; `routes.ts` checks that its function exists. */
export interface RouteSpec {
  method: HttpMethod;
  /** API Gateway path template, with `{name}` parameters. */
  path: string;
  function: string;
  access: RouteAccess;
  summary: string;
  tag: string;
  /** POST/PUT routes that honour `Idempotency-Key`. */
  idempotent?: boolean;
  /** Request body media types accepted; JSON when absent. */
  bodyTypes?: readonly ('json' | 'csv')[];
  /**
   * Refusals particular to this route that a client should plan for (a bound beyond what the body's schema
   * says, such as a cap on how many of something may be waiting), each with when it happens: the OpenAPI
   * document states them in the operation's description and lists them among its responses.
   */
  problems?: readonly { code: DomainErrorCode; when: string }[];
  /**
   * `page`: an HTML page of the web front door (`route-table/web.ts`), not part of the JSON API: left out
   * of the OpenAPI document. Pages are `public` to API Gateway because browsers send a session cookie, not
   * a bearer token; the web function authenticates the cookie itself.
   */
  kind?: 'page';
}

/** A function as a context declares it. */
export type FunctionSpec = FunctionDefinition;

/**
 * The page routes of one web function: `pagesOf('webCommissioning')('GET', '/commissioning', 'Your
 * competitions')`. Every page route is `public` to API Gateway (browsers carry a session cookie, not a
 * bearer token; the web function authenticates the cookie itself), tagged `web` and of `kind: 'page'`, so
 * the OpenAPI document leaves it out. `routes.ts` checks that the function exists.
 */
export function pagesOf<F extends string>(fn: F) {
  return (method: 'GET' | 'POST', path: string, summary: string) =>
    ({ method, path, function: fn, access: 'public', summary, tag: 'web', kind: 'page' }) as const;
}
