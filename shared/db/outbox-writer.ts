/**
 * What a change puts in the outbox, in its own transaction (issue 17): its event, and the mark that an
 * organisation takes part in a competition. Apart from the delivery's repository (`outbox.ts`) because every
 * function that records a change bundles it, and none of them needs the delivery's reads and moves.
 */
import { assertOutboxEvent, type OutboxEvent } from '../domain/notifications/outbox';
import type { TransactItem } from './audit';
import { outboxKeys } from './keys';

/** How long delivered mail items and events are kept (redelivery stops long before: a day at most). */
export const KEEP_SECONDS = 30 * 24 * 3600;

/** The outbox items a change writes. */
export interface OutboxWriter {
  /** The transaction item that records an event with the change that causes it. */
  eventItems(event: OutboxEvent): TransactItem[];
  /** The transaction item that marks an organisation as taking part in a competition (a blind put). */
  takingPartItem(competitionId: string, providerId: string, at: string): TransactItem;
}

/** The outbox writer of a table. */
export function createOutboxWriter(deps: { tableName: string }): OutboxWriter {
  const { tableName } = deps;
  return {
    eventItems(event) {
      assertOutboxEvent(event);
      return [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...outboxKeys.event(event.id),
              entity: 'outbox-event',
              ...event,
              ttl: Math.floor(new Date(event.createdAt).getTime() / 1000) + KEEP_SECONDS,
            },
            // Event ids are new ULIDs: one that exists is a defect, never overwritten.
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    takingPartItem(competitionId, providerId, at) {
      return {
        Put: {
          TableName: tableName,
          Item: { ...outboxKeys.takingPart(competitionId, providerId), entity: 'taking-part', at },
        },
      };
    },
  };
}
