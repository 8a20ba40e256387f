/**
 * The audit sequencer: the one consumer of the audit table's stream. Each change writes its audit event
 * pending, blind, in its own transaction (`shared/db/audit.ts`); this function chains them, in stream order,
 * behind the competition's head. In AWS it is a Lambda on the table's DynamoDB stream (`infra/constructs/
 * audit-sequencer.ts`: INSERTs of pending events only, partial batch responses, bisection, an on-failure
 * queue); locally `local/streams.ts` reads DynamoDB Local's stream and calls this same handler.
 *
 * Records are processed one after another (not in parallel), and a batch's events of one competition are
 * chained together in the order they were written, as few transactions as they fit in; once an event of a
 * competition fails, the later ones of that competition in the batch fail too, so none is chained ahead of
 * it. The batch response names them; Lambda retries from the first, and chaining is idempotent (an event
 * chained already is recognised), so a retried batch chains nothing twice.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { pendingEventFromImage } from '../../shared/db/audit';
import { auditRepository } from '../../shared/db/repositories';
import type { PendingAuditEvent } from '../../shared/domain/audit';
import { logger } from '../../shared/http/logger';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Thrown for a record not chained: it failed, or an earlier record of its competition failed in this batch. */
class HeldBackError extends Error {
  override readonly name = 'HeldBackError';
}

/**
 * Handles one stream batch.
 * @returns the records to retry (`batchItemFailures`): a failed record and the later ones of its competition.
 */
export async function handler(event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> {
  // The batch's pending events, per competition in stream order: when the first of a competition comes
  // up, all of them are chained together (one transaction for as many as fit, not one per event).
  const byCompetition = new Map<string, PendingAuditEvent[]>();
  for (const record of event.Records) {
    const pending = pendingOf(record);
    if (pending)
      byCompetition.set(pending.competitionId, [
        ...(byCompetition.get(pending.competitionId) ?? []),
        pending,
      ]);
  }
  const results = new Map<string, Promise<{ outcomes: Map<string, unknown>; error?: unknown }>>();
  const chainRecord = async (record: DynamoDBRecord): Promise<void> => {
    const pending = pendingOf(record);
    if (!pending) return;
    const { competitionId } = pending;
    let result = results.get(competitionId);
    if (!result) {
      result = auditRepository().chainAll(byCompetition.get(competitionId) ?? [pending]);
      results.set(competitionId, result);
    }
    const { outcomes, error } = await result;
    if (outcomes.has(pending.id)) return;
    // Not chained: this event failed, or an earlier one of its competition did and it was held back so
    // that none is chained ahead of it.
    logger.error('Could not chain an audit event', {
      competitionId,
      eventId: pending.id,
      error: error as Error,
    });
    throw new HeldBackError(`Audit event ${pending.id} of competition ${competitionId} is not chained yet`, {
      cause: error,
    });
  };
  return processPartialResponse(event, chainRecord, processor, {
    context,
    processInParallel: false,
    // A batch that fails whole is retried whole, as Lambda does with a thrown error: no need to throw.
    throwOnFullBatchFailure: false,
  });
}

/** The pending event a record inserted, if it is one (the event source mapping filters the rest in AWS). */
function pendingOf(record: DynamoDBRecord): PendingAuditEvent | undefined {
  if (record.eventName !== 'INSERT') return undefined;
  return pendingEventFromImage(record.dynamodb?.NewImage as Record<string, unknown> | undefined);
}
