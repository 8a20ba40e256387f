/**
 * `Idempotency-Key` support through Powertools idempotency, persisted in the idempotency table.
 *
 * The key covers the whole request: caller, method, path, query string and body. A record is found by
 * caller, path and key, so the same key on another path is another request (in AWS each function keeps its
 * own records anyway, so nothing else could be consistent). A retry must then repeat the method, the query
 * string and the body exactly to get the first response; anything else under the same key – another body,
 * query string or method – is refused with 409 `/problems/conflict` (API.md: "idempotency key reused with
 * another body"), never answered with the first request's response.
 *
 * Requests without the header are not made idempotent (Powertools would otherwise key them on the rest of
 * the expression and replay unrelated requests).
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import { config } from '../../config';
import { dynamoDbClient } from '../../db/client';
import type { HttpResult, StackEvent } from '../types';

/**
 * Where a record is found: the caller and the exact path, so one user's key can never replay another's,
 * then the key itself.
 */
export const IDEMPOTENCY_KEY_PATH =
  '[requestContext.authorizer.jwt.claims.sub, rawPath, headers."idempotency-key"]';

/** What a retry must repeat exactly to be answered with the first response: method, query string, body. */
export const IDEMPOTENT_REQUEST_PATH = '[requestContext.http.method, rawQueryString, body]';

let persistenceStore: DynamoDBPersistenceLayer | undefined;

function store(): DynamoDBPersistenceLayer {
  persistenceStore ??= new DynamoDBPersistenceLayer({
    tableName: config().tables.idempotency,
    awsSdkV3Client: dynamoDbClient(),
  });
  return persistenceStore;
}

/** Makes the route idempotent when the request carries an `Idempotency-Key` header. */
export function idempotentWhenKeyPresent(): MiddlewareObj<StackEvent, HttpResult> {
  const idempotencyConfig = new IdempotencyConfig({
    eventKeyJmesPath: IDEMPOTENCY_KEY_PATH,
    payloadValidationJmesPath: IDEMPOTENT_REQUEST_PATH,
    expiresAfterSeconds: config().idempotencyTtlSeconds,
    throwOnNoIdempotencyKey: false,
  });
  const inner = makeHandlerIdempotent({ persistenceStore: store(), config: idempotencyConfig });
  const active = (request: Request<StackEvent>) => {
    const key = request.event.headers?.['idempotency-key'];
    return typeof key === 'string' && key !== '';
  };
  type InnerHook = (request: Request<StackEvent, HttpResult>) => unknown;
  const call = (hook: unknown, request: Request<StackEvent, HttpResult>) =>
    typeof hook === 'function' ? (hook as InnerHook)(request) : undefined;
  return {
    before: (request) => (active(request) ? call(inner.before, request) : undefined) as Promise<void>,
    after: (request) => (active(request) ? call(inner.after, request) : undefined) as Promise<void>,
    onError: (request) => (active(request) ? call(inner.onError, request) : undefined) as Promise<void>,
  };
}
