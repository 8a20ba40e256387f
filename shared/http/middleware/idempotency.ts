/**
 * `Idempotency-Key` support through Powertools idempotency, persisted in the idempotency table. A retry
 * with the same key, caller, path and body returns the first response; the same key with another body is a
 * 409. Requests without the header are not made idempotent (Powertools would otherwise key them on the
 * rest of the expression and replay unrelated requests).
 */
import { IdempotencyConfig } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { makeHandlerIdempotent } from '@aws-lambda-powertools/idempotency/middleware';
import type { MiddlewareObj, Request } from '@middy/core';
import { config } from '../../config';
import { dynamoDbClient } from '../../db/client';
import type { HttpResult, StackEvent } from '../types';

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
    // The key is scoped to the caller and the exact path, so one user's key can never replay another's.
    eventKeyJmesPath: '[requestContext.authorizer.jwt.claims.sub, rawPath, headers."idempotency-key"]',
    payloadValidationJmesPath: 'body',
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
