/**
 * Helpers to turn DynamoDB's refusals into domain errors at the repository boundary.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** True when a single conditional write was refused. */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as { name?: string })?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * For a cancelled transaction, the reason code of each item in order (`None`, `ConditionalCheckFailed`,
 * `TransactionConflict`, …); `undefined` when the error is not a cancelled transaction.
 */
export function cancellationCodes(error: unknown): string[] | undefined {
  if (
    !(error instanceof TransactionCanceledException) &&
    (error as { name?: string })?.name !== 'TransactionCanceledException'
  ) {
    return undefined;
  }
  const reasons = (error as TransactionCanceledException).CancellationReasons ?? [];
  return reasons.map((reason) => reason.Code ?? 'None');
}

/**
 * Thrown when DynamoDB still leaves keys unprocessed after the retries: a read that decides who may see
 * something must fail (the request is answered with an error and can be retried), never answer from part
 * of the data, which would let a connected person in.
 */
export class IncompleteReadError extends Error {
  override readonly name = 'IncompleteReadError';
}
