/**
 * SES bounces and complaints (issue 17): the subscriber of the SNS topic the SES configuration set's event
 * destination publishes to (`infra/constructs/ses-events.ts`). Thin: reads each SNS record with zod, hands
 * the message to `parseSesFeedback` and the result to `recordBounceOrComplaint`, which puts the addresses
 * on the suppression list.
 *
 * A message that is not an SES notification is logged and dropped (retrying it would never make it one); a
 * failure to write the list throws, and Lambda retries the invocation (SNS invokes asynchronously).
 */
import type { Context, SNSEvent } from 'aws-lambda';
import * as z from 'zod';
import { outboxRepository } from '../../shared/db/repositories';
import { parseSesFeedback, SesFeedbackError } from '../../shared/email/ses-feedback';
import { logger } from '../../shared/http/logger';
import { recordBounceOrComplaint } from '../../shared/use-cases/notifications/bounces';

/** SNS delivers one record per invocation; a few are allowed, a flood is not read. */
const snsEvent = z.object({
  Records: z
    .array(
      z
        .object({
          Sns: z
            .object({
              MessageId: z.string().max(100).optional(),
              Message: z.string(),
              Timestamp: z.string().max(64).optional(),
            })
            .loose(),
        })
        .loose(),
    )
    .max(10),
});

/** Handles one SNS invocation: every record's addresses put on the suppression list. */
export async function handler(event: SNSEvent, context: Context): Promise<void> {
  logger.addContext(context);
  const parsed = snsEvent.safeParse(event);
  if (!parsed.success) {
    logger.warn('Not an SNS event: nothing recorded');
    return;
  }
  const now = new Date();
  for (const record of parsed.data.Records) {
    let feedback: ReturnType<typeof parseSesFeedback>;
    try {
      feedback = parseSesFeedback(record.Sns.Message, now);
    } catch (error) {
      if (!(error instanceof SesFeedbackError)) throw error;
      // Never the message itself in the log: it holds readers' addresses.
      logger.warn('Not an SES bounce or complaint: nothing recorded', {
        messageId: record.Sns.MessageId,
        why: error.message,
      });
      continue;
    }
    const listed = await recordBounceOrComplaint({ outbox: outboxRepository() }, feedback);
    if (feedback) logger.info('Suppressed addresses', { type: feedback.type, count: listed });
  }
}
