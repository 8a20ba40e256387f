/**
 * The notification delivery: the one consumer of the outbox table's stream (issue 17). In AWS a Lambda on
 * the stream (`infra/constructs/notification-delivery.ts`: INSERTs of events and mail items only, partial
 * batch responses, bisection, an on-failure queue, alarms); locally `local/streams.ts` reads DynamoDB
 * Local's stream and calls the handler `createDeliveryHandler` makes here, with an SMTP mailer for the local
 * mail catcher instead of SES.
 *
 * Each record is handled alone (Powertools' `BatchProcessor`): an event is expanded into mail items, a mail
 * item is sent. A record that fails is reported in `batchItemFailures` and retried; both steps are
 * idempotent (`shared/use-cases/notifications/deliver.ts`), so a retried or redelivered record sends nothing
 * twice.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { config, mailConfig } from '../../shared/config';
import { outboxItemFromImage } from '../../shared/db/outbox';
import {
  identityDirectory,
  membershipRepository,
  notificationRepository,
  outboxRepository,
  providerRepository,
  subscriptionRepository,
} from '../../shared/db/repositories';
import { assertOutboxEvent } from '../../shared/domain/notifications/outbox';
import { createSesClient, createSesMailer } from '../../shared/email/ses-mailer';
import { unsubscribeKey } from '../../shared/email/unsubscribe-key';
import { logger } from '../../shared/http/logger';
import { type DeliveryDeps, expandEvent, sendMail } from '../../shared/use-cases/notifications/deliver';
import { deliverySettings } from '../../shared/use-cases/notifications/delivery-settings';
import { savedSearchRecipients } from '../../shared/use-cases/notifications/saved-search-recipients';

/** A stream handler, as Lambda calls it. */
export type DeliveryHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse>;

/**
 * Makes the stream handler around the delivery's dependencies (built on first use, after the environment
 * is read).
 */
export function createDeliveryHandler(deps: () => Promise<DeliveryDeps>): DeliveryHandler {
  const processor = new BatchProcessor(EventType.DynamoDBStreams);
  const handleRecord = async (record: DynamoDBRecord, context: Context): Promise<void> => {
    if (record.eventName !== 'INSERT') return;
    const item = outboxItemFromImage(record.dynamodb?.NewImage as Parameters<typeof outboxItemFromImage>[0]);
    if (!item) return;
    if (item.type === 'event') {
      // Events are checked when a change writes them; checked again here, as the table could hold one
      // written some other way (a defect, or a role that may put events): such an event is logged and
      // dropped, never sent, and not retried (a retry would not change it).
      try {
        assertOutboxEvent(item.event);
      } catch (error) {
        logger.error('Outbox event dropped: not one the service sends', {
          eventId: item.event.id,
          error: error as Error,
        });
        return;
      }
      const { recipients, newMail } = await expandEvent(await deps(), item.event);
      logger.info('Outbox event expanded', {
        eventId: item.event.id,
        kind: item.event.kind,
        recipients,
        newMail,
      });
      return;
    }
    const outcome = await sendMail(await deps(), item.mail, new Date(), {
      // Waiting out a dead sender's lease, if this invocation has the time for it (10 s kept in hand).
      maxWaitMs: Math.max(0, context.getRemainingTimeInMillis() - 10_000),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    });
    logger.info('Mail delivered', { eventId: item.mail.eventId, kind: item.mail.kind, outcome });
  };
  return (event, context) =>
    processPartialResponse(event, (record: DynamoDBRecord) => handleRecord(record, context), processor, {
      context,
      // One at a time: a batch's mail items share one mailer connection, and order keeps logs readable.
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
}

let lambdaDeps: Promise<DeliveryDeps> | undefined;

/** The delivery's dependencies in AWS: SES sends; the unsubscribe key is read once from Secrets Manager. */
function deliveryDeps(): Promise<DeliveryDeps> {
  lambdaDeps ??= unsubscribeKey().then((key): DeliveryDeps => {
    const mail = mailConfig();
    if (!mail.serviceUrl) throw new Error('SERVICE_URL is not set: e-mails would have no links');
    return {
      outbox: outboxRepository(),
      memberships: membershipRepository(),
      providers: providerRepository(),
      notifications: notificationRepository(),
      subscriptions: subscriptionRepository(),
      identities: identityDirectory(),
      savedSearches: (opportunity) =>
        savedSearchRecipients({ subscriptions: subscriptionRepository() }, opportunity),
      mailer: createSesMailer({
        client: createSesClient({ region: config().region }),
        sender: {
          from: mail.from,
          fromIdentityArn: mail.sesFromIdentityArn,
          configurationSet: mail.sesConfigurationSet,
        },
      }),
      settings: deliverySettings({ serviceUrl: mail.serviceUrl, unsubscribeKey: key }),
    };
  });
  lambdaDeps.catch(() => {
    // A failed start is tried again by the next batch, not remembered.
    lambdaDeps = undefined;
  });
  return lambdaDeps;
}

/** The Lambda handler. */
export const handler = createDeliveryHandler(deliveryDeps);
