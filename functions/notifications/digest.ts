/**
 * The daily digest of saved searches (issue 17): once a day (in AWS an EventBridge Scheduler schedule at
 * 07:00 Europe/London, `infra/constructs/daily-digest.ts`; locally a timer, `local/scheduler.ts`) this puts
 * one digest e-mail per user for the day before, which the outbox delivery then sends.
 *
 * The day comes from the schedule's time (`<aws.scheduler.scheduled-time>`), not the clock, so a retried
 * invocation covers the same day as the first; the digest is idempotent per user and day. A `day` may be
 * named instead (an operator re-running one day by hand).
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { outboxRepository } from '../../shared/db/repositories';
import { logger } from '../../shared/http/logger';
import {
  type DigestSummary,
  previousDay,
  sendDailyDigest,
} from '../../shared/use-cases/notifications/send-digest';

/** What the schedule (or an operator) sends. */
const digestInput = z
  .object({
    /** When the schedule fired (ISO 8601): the digest covers the UTC day before it. */
    scheduledTime: z.iso.datetime({ offset: true }).optional(),
    /** A day to send, `yyyy-mm-dd`, instead. */
    day: z.iso.date().optional(),
  })
  .strict();

/** Sends the digest of the day before the scheduled time (or of the day named). */
export async function handler(event: unknown, context?: Context): Promise<DigestSummary> {
  if (context) logger.addContext(context);
  const input = digestInput.parse(event ?? {});
  const day = input.day ?? previousDay(input.scheduledTime ? new Date(input.scheduledTime) : new Date());
  const summary = await sendDailyDigest({ outbox: outboxRepository() }, day);
  logger.info('Daily digest', { ...summary });
  return summary;
}
