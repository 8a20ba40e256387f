/**
 * The scheduled reminders (issue 17): every hour (in AWS an EventBridge Scheduler schedule,
 * `infra/constructs/notification-reminders.ts`) this records deadline reminders for unsubmitted bid drafts
 * and reminders of spend returns due or overdue, as outbox events the delivery sends from the outbox
 * table's stream. Both sweeps record each reminder once (sweep marks), so a retried or doubled invocation
 * sends nothing twice.
 *
 * The time comes from the schedule (`<aws.scheduler.scheduled-time>`) when given, so a retry judges the
 * same moment as the first attempt; an operator may invoke it with none (now). A sweep that could not
 * finish some competitions or returns fails the invocation (the schedule retries, an alarm fires) after
 * recording everything else.
 */
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { contractRepository, outboxWriter, reminderStore } from '../../shared/db/repositories';
import { logger } from '../../shared/http/logger';
import { sweepDeadlineReminders } from '../../shared/use-cases/notifications/deadline-reminders';
import { sweepSpendReturnsDue } from '../../shared/use-cases/notifications/spend-return-reminders';

/** What the schedule (or an operator) sends. */
const remindersInput = z
  .object({
    /** When the schedule fired (ISO 8601). */
    scheduledTime: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** What one run recorded. */
export interface RemindersSummary {
  deadlineReminders: number;
  spendReturnReminders: number;
}

/** Raised when part of a sweep failed: the invocation fails so that the schedule retries it. */
export class ReminderSweepError extends Error {
  override readonly name = 'ReminderSweepError';
}

/** Runs both sweeps for the scheduled time (or now). */
export async function handler(event: unknown, context?: Context): Promise<RemindersSummary> {
  if (context) logger.addContext(context);
  const input = remindersInput.parse(event ?? {});
  const now = input.scheduledTime ? new Date(input.scheduledTime) : new Date();
  const deps = { reminders: reminderStore(), outbox: outboxWriter(), contracts: contractRepository() };
  // One after the other, each whatever the other did: a failing sweep does not hold back the other's reminders.
  const deadlines = await sweepDeadlineReminders(deps, now);
  const returns = await sweepSpendReturnsDue(deps, now);
  logger.info('Deadline reminders', {
    competitions: deadlines.competitions,
    recorded: deadlines.recorded.length,
    alreadyRecorded: deadlines.alreadyRecorded,
    failed: deadlines.failed.length,
  });
  logger.info('Spend-return reminders', {
    contracts: returns.contracts,
    recorded: returns.recorded.length,
    alreadyRecorded: returns.alreadyRecorded,
    filed: returns.filed,
    failed: returns.failed.length,
  });
  for (const failure of deadlines.failed)
    logger.error('Deadline reminders failed for a competition', {
      competitionId: failure.competitionId,
      error: failure.error as Error,
    });
  for (const failure of returns.failed)
    logger.error('A spend-return reminder failed', {
      contractId: failure.contractId,
      period: failure.period,
      error: failure.error as Error,
    });
  const failed = deadlines.failed.length + returns.failed.length;
  if (failed > 0) throw new ReminderSweepError(`${failed} reminder(s) could not be recorded; retry.`);
  return { deadlineReminders: deadlines.recorded.length, spendReturnReminders: returns.recorded.length };
}
