/**
 * The deadline reminders' sweep (issue 17), run by the hourly schedule (`functions/notifications/
 * reminders.ts`): for every competition whose next deadline is within `DEADLINE_REMINDER_HOURS`, every
 * organisation with a bid draft it never submitted gets one outbox event (`deadline-reminder`, to its
 * members), exactly once per competition, deadline and organisation: the event is recorded in the same
 * transaction as a sweep mark put under `attribute_not_exists`, so a second sweep (or two at once) records
 * nothing more. A moved deadline is a new deadline, and is reminded of again.
 *
 * A system job, with no user principal and so no policy decision: nobody asks it for anything and it
 * answers no one. It may read who is connected to a competition and where each one's bid stands (inside
 * information the wall keeps from people) because what it learns goes only to the organisation it is
 * about: each event names one organisation, says only that organisation's own standing, and the delivery
 * sends it to that organisation's members alone. It reads no bid content, no response and no score (the
 * participation item's `bid` status alone: `shared/db/reminders.ts`), and its role can read nothing more
 * (`REMINDER_GRANTS` in `infra/table-access.ts`). No audit event: nobody read anything, and the reminder
 * changes nothing of the competition.
 */
import { ulid } from 'ulid';
import type { OutboxWriter } from '../../db/outbox-writer';
import type { ReminderStore } from '../../db/reminders';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import {
  DEADLINE_REMINDER_HOURS,
  deadlineReminderDue,
  deadlineReminderMark,
  deadlineReminderMessage,
  nextDeadline,
  remindOfDeadline,
} from '../../domain/notifications/reminders';

/** What the sweep needs. */
export interface DeadlineReminderDeps {
  reminders: Pick<ReminderStore, 'competitionsClosing' | 'connectedProviders' | 'bidStandings' | 'record'>;
  outbox: Pick<OutboxWriter, 'eventItems'>;
}

/** What one sweep did. */
export interface DeadlineSweepResult {
  /** Competitions whose deadline is within the window. */
  competitions: number;
  /** The reminders recorded by this sweep, one event each. */
  recorded: { competitionId: string; providerId: string; deadline: string; eventId: string }[];
  /** Reminders that were recorded by an earlier sweep. */
  alreadyRecorded: number;
  /** Competitions the sweep could not finish (it runs again within the hour and records only what is missing). */
  failed: { competitionId: string; error: unknown }[];
}

/**
 * Records a reminder for every unsubmitted draft whose competition closes within the window at `now`.
 * A failure with one competition does not stop the others; it is reported in `failed`.
 */
export async function sweepDeadlineReminders(
  deps: DeadlineReminderDeps,
  now: Date,
): Promise<DeadlineSweepResult> {
  const at = now.toISOString();
  const until = new Date(now.getTime() + DEADLINE_REMINDER_HOURS * 3_600_000).toISOString();
  const result: DeadlineSweepResult = { competitions: 0, recorded: [], alreadyRecorded: 0, failed: [] };
  for (const competition of await deps.reminders.competitionsClosing(at, until)) {
    const deadline = nextDeadline(competition);
    // The index is read eventually consistently: the record it lists decides.
    if (!deadline || !deadlineReminderDue(deadline.at, now)) continue;
    result.competitions += 1;
    // Only a draft is reminded of: no read at all for a deadline nothing can be drafted for.
    if (!remindOfDeadline(deadline.kind, 'draft')) continue;
    try {
      const connected = await deps.reminders.connectedProviders(competition.id);
      const standings = await deps.reminders.bidStandings(competition.id, connected);
      for (const [providerId, standing] of standings) {
        if (!remindOfDeadline(deadline.kind, standing)) continue;
        const event: OutboxEvent = {
          id: ulid(now.getTime()),
          kind: 'deadline-reminder',
          createdAt: at,
          audience: { type: 'members', providerIds: [providerId] },
          message: deadlineReminderMessage(competition, deadline),
        };
        const recorded = await deps.reminders.record(
          deadlineReminderMark(competition.id, deadline.at, providerId),
          deadline.at,
          deps.outbox.eventItems(event),
          at,
        );
        if (recorded)
          result.recorded.push({
            competitionId: competition.id,
            providerId,
            deadline: deadline.at,
            eventId: event.id,
          });
        else result.alreadyRecorded += 1;
      }
    } catch (error) {
      result.failed.push({ competitionId: competition.id, error });
    }
  }
  return result;
}
