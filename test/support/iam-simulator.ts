/**
 * A small IAM evaluator for DynamoDB item actions, and an HTTP handler that applies it to signed requests
 * on their way to DynamoDB Local (which has no IAM), so tests can run the real code paths under the real
 * policy document and see what AWS would refuse.
 *
 * It understands what this project's policies use and fails closed on anything else: Allow statements with
 * exact actions, one table per statement, conditions `StringLike` / `ForAllValues:StringLike` on
 * `dynamodb:LeadingKeys` with `${aws:PrincipalTag/…}` variables, and `StringEqualsIfExists` on
 * `dynamodb:ReturnValues` (taken to cover `ReturnValuesOnConditionCheckFailure` too). An unknown operator or condition key makes
 * the statement not apply, so a policy this evaluator does not understand can only refuse more.
 */
import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';

/** An IAM condition block: operator → condition key → values. */
export type Conditions = Record<string, Record<string, string[] | string>>;

/** One Allow statement on one table (logical name). */
export interface SimStatement {
  actions: readonly string[];
  table: string;
  conditions?: Conditions | undefined;
}

/** One item action a request performs. */
export interface ItemRequest {
  /** e.g. `dynamodb:GetItem`. */
  action: string;
  /** Logical table name. */
  table: string;
  /** The partition key values the action touches; undefined when they cannot be told (a Query). */
  leadingKeys: string[] | undefined;
  /** The return values asked for (`ReturnValues`, `ReturnValuesOnConditionCheckFailure`), if any. */
  returnValues?: string | undefined;
}

/** IAM `StringLike`: `*` any run of characters, `?` any one character, the rest literal. */
export function stringLike(pattern: string, value: string): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Replaces `${aws:PrincipalTag/x}` with the tag's value; undefined when a tag is missing. */
function substitute(value: string, tags: Readonly<Record<string, string>>): string | undefined {
  let missing = false;
  const result = value.replace(/\$\{aws:PrincipalTag\/([^}]+)\}/g, (_match, name: string) => {
    const tag = tags[name];
    if (tag === undefined) missing = true;
    return tag ?? '';
  });
  if (/\$\{/.test(result)) return undefined;
  return missing ? undefined : result;
}

function conditionHolds(
  conditions: Conditions | undefined,
  request: ItemRequest,
  tags: Readonly<Record<string, string>>,
): boolean {
  for (const [operator, keys] of Object.entries(conditions ?? {})) {
    for (const [key, raw] of Object.entries(keys)) {
      if (key === 'dynamodb:ReturnValues') {
        if (operator !== 'StringEqualsIfExists') return false;
        const allowed = Array.isArray(raw) ? raw : [raw];
        if (request.returnValues !== undefined && !allowed.includes(request.returnValues)) return false;
        continue;
      }
      if (key !== 'dynamodb:LeadingKeys') return false;
      const patterns = (Array.isArray(raw) ? raw : [raw]).map((p) => substitute(p, tags));
      if (patterns.some((p) => p === undefined)) return false;
      const matches = (value: string) => patterns.some((p) => stringLike(p as string, value));
      const values = request.leadingKeys;
      if (values === undefined) return false;
      if (operator === 'ForAllValues:StringLike') {
        if (!values.every(matches)) return false;
      } else if (operator === 'StringLike' || operator === 'ForAnyValue:StringLike') {
        if (!values.some(matches)) return false;
      } else return false;
    }
  }
  return true;
}

/** Whether some statement allows the request, for a session carrying `tags`. */
export function allows(
  statements: readonly SimStatement[],
  request: ItemRequest,
  tags: Readonly<Record<string, string>>,
): boolean {
  return statements.some(
    (statement) =>
      statement.table === request.table &&
      statement.actions.includes(request.action) &&
      conditionHolds(statement.conditions, request, tags),
  );
}

type Attr = { S?: string };
type Key = Record<string, Attr>;

/**
 * The partition a Query of a table (not an index) names, as IAM reads `dynamodb:LeadingKeys` from its key
 * condition (`pk = :pk`, alone or `AND` a sort key condition); undefined when it cannot be told, which no
 * condition on leading keys allows.
 */
function queriedPartition(body: Record<string, unknown>): string[] | undefined {
  if (body.IndexName !== undefined || typeof body.KeyConditionExpression !== 'string') return undefined;
  const names = (body.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (body.ExpressionAttributeValues ?? {}) as Record<string, Attr>;
  for (const clause of body.KeyConditionExpression.split(/\s+AND\s+/i)) {
    const match = /^\(?\s*(#?\w+)\s*=\s*(:\w+)\s*\)?$/.exec(clause.trim());
    if (!match) continue;
    const [, name = '', value = ''] = match;
    if ((names[name] ?? name) !== 'pk') continue;
    const pk = values[value]?.S;
    return pk === undefined ? undefined : [pk];
  }
  return undefined;
}

/**
 * The item actions of a DynamoDB JSON-protocol request (`X-Amz-Target` `DynamoDB_20120810.<Operation>`),
 * with physical table names and the `pk` values they touch.
 */
export function itemRequests(operation: string, body: Record<string, unknown>): ItemRequest[] {
  const pk = (key: Key | undefined) => (key?.pk?.S === undefined ? [] : [key.pk.S]);
  /** The first return values other than NONE asked for, else NONE if any were named, else undefined. */
  const returned = (detail: Record<string, unknown> | undefined) => {
    const asked = [detail?.ReturnValues, detail?.ReturnValuesOnConditionCheckFailure].filter(
      (value): value is string => typeof value === 'string',
    );
    return asked.find((value) => value !== 'NONE') ?? asked[0];
  };
  const one = (
    action: string,
    table: unknown,
    key: Key | undefined,
    detail: Record<string, unknown> | undefined = body,
  ): ItemRequest => {
    const returnValues = returned(detail);
    return {
      action: `dynamodb:${action}`,
      table: String(table),
      leadingKeys: pk(key),
      ...(returnValues === undefined ? {} : { returnValues }),
    };
  };
  switch (operation) {
    case 'GetItem':
    case 'DeleteItem':
    case 'UpdateItem':
      return [one(operation, body.TableName, body.Key as Key)];
    case 'PutItem':
      return [one(operation, body.TableName, body.Item as Key)];
    case 'Query':
      return [
        { action: 'dynamodb:Query', table: String(body.TableName), leadingKeys: queriedPartition(body) },
      ];
    case 'Scan':
      return [{ action: `dynamodb:${operation}`, table: String(body.TableName), leadingKeys: undefined }];
    case 'BatchGetItem':
      return Object.entries(body.RequestItems as Record<string, { Keys: Key[] }>).map(([table, r]) => ({
        action: 'dynamodb:BatchGetItem',
        table,
        leadingKeys: r.Keys.flatMap(pk),
      }));
    case 'TransactWriteItems':
      return (body.TransactItems as Record<string, { TableName: string; Key?: Key; Item?: Key }>[]).map(
        (item) => {
          const [kind, detail] = Object.entries(item)[0] ?? [];
          const action = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem' }[kind ?? ''];
          return one(
            action ?? 'ConditionCheckItem',
            detail?.TableName,
            detail?.Key ?? detail?.Item,
            detail as Record<string, unknown> | undefined,
          );
        },
      );
    case 'TransactGetItems':
      return (body.TransactItems as { Get: { TableName: string; Key: Key } }[]).map((item) =>
        one('GetItem', item.Get.TableName, item.Get.Key, {}),
      );
    default:
      return [{ action: `dynamodb:${operation}`, table: String(body.TableName), leadingKeys: undefined }];
  }
}

/**
 * Judges one DynamoDB JSON-protocol request as IAM would: the first item action `statements` do not allow
 * for a session carrying `tags`, or undefined when all are allowed. `tags` undefined means a session IAM
 * does not know (expired or forged): everything is refused. `logical` maps physical table names to the
 * logical ones the statements use.
 */
export function refusedItem(request: {
  target: string;
  body: string;
  statements: readonly SimStatement[];
  tags: Readonly<Record<string, string>> | undefined;
  logical: ReadonlyMap<string, string>;
}): ItemRequest | undefined {
  const operation = request.target.replace(/^DynamoDB_\d+\./, '');
  const items = itemRequests(operation, JSON.parse(request.body || '{}') as Record<string, unknown>).map(
    (item) => ({ ...item, table: request.logical.get(item.table) ?? `(unknown table ${item.table})` }),
  );
  const { tags } = request;
  return items.find((item) => !tags || !allows(request.statements, item, tags));
}

/** The body DynamoDB answers a refused request with (HTTP 400, `application/x-amz-json-1.0`). */
export function accessDeniedBody(refused: ItemRequest, who: string): string {
  const keys = (refused.leadingKeys ?? ['?']).join(', ');
  return JSON.stringify({
    __type: 'com.amazon.coral.service#AccessDeniedException',
    message: `${who} is not authorized to perform: ${refused.action} on ${refused.table} (${keys})`,
  });
}

/** Physical → logical table names, from a logical → physical map. */
export function logicalTables(tables: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(tables).map(([name, physical]) => [physical, name]));
}

interface SignedRequest {
  headers: Record<string, string>;
  body?: unknown;
}

interface Handler {
  handle(request: SignedRequest, options?: unknown): Promise<{ response: unknown }>;
  metadata?: unknown;
  updateHttpClientConfig?(key: never, value: never): void;
  httpHandlerConfigs?(): unknown;
  destroy?(): void;
}

/** A refusal, as the enforcing handler records it. */
export interface Refusal {
  tags: Record<string, string>;
  request: ItemRequest;
}

/**
 * An HTTP handler for DynamoDB clients that applies `statements` to every request signed with a session
 * token that `sessions` knows (the fake STS registers each session's tags there), and answers a refused
 * one as DynamoDB would: HTTP 400 `AccessDeniedException`. Requests without a known session token are
 * refused too: the per-provider clients must never fall back to other credentials. Physical table names
 * are mapped to logical ones with `tables` (logical → physical).
 */
export function enforcingHandler(options: {
  base: DynamoDBClientConfig['requestHandler'];
  statements: readonly SimStatement[];
  sessions: ReadonlyMap<string, Record<string, string>>;
  tables: Readonly<Record<string, string>>;
  refusals?: Refusal[];
}): DynamoDBClientConfig['requestHandler'] {
  const base = options.base as unknown as Handler;
  const logical = logicalTables(options.tables);
  const handler: Handler = {
    async handle(request, handlerOptions) {
      const header = (name: string) =>
        Object.entries(request.headers).find(([key]) => key.toLowerCase() === name)?.[1];
      const tags = options.sessions.get(header('x-amz-security-token') ?? '');
      const raw = request.body ?? '{}';
      const refused = refusedItem({
        target: header('x-amz-target') ?? '',
        body: typeof raw === 'string' ? raw : new TextDecoder().decode(raw as Uint8Array),
        statements: options.statements,
        tags,
        logical,
      });
      if (refused) {
        options.refusals?.push({ tags: tags ?? {}, request: refused });
        return {
          response: {
            statusCode: 400,
            reason: 'Bad Request',
            headers: {
              'content-type': 'application/x-amz-json-1.0',
              'x-amzn-requestid': 'simulated-iam',
            },
            body: Buffer.from(accessDeniedBody(refused, 'this session')),
          },
        };
      }
      return base.handle(request, handlerOptions);
    },
    // The SDK reads these of any handler; they belong to the wrapped one.
    metadata: base.metadata,
    updateHttpClientConfig: (key, value) => base.updateHttpClientConfig?.(key, value),
    httpHandlerConfigs: () => base.httpHandlerConfigs?.() ?? {},
    // The wrapped handler is the process-wide client's: never closed from here.
    destroy: () => undefined,
  };
  return handler as unknown as DynamoDBClientConfig['requestHandler'];
}
