/**
 * Notifications written after the change that causes them has committed (publishing, shortlisting, the
 * award decision). By then the change is done and the caller must be told so: a failure to notify is
 * logged and counted, never turned into an error answer that would invite a retry of a change that
 * already happened.
 *
 * Interim: issue 17 moves notifications into the change's own transaction through an outbox, after which
 * this best-effort step goes away.
 */
import type { NotificationRepository } from '../db/notifications';
import type { NotificationDraft } from '../db/providers';
import { failureReporter } from '../failure-reporter';

/** The metric counted once per committed change whose notifications could not be written. */
export const NOTIFICATION_FAILURE_METRIC = 'NotificationsNotWritten';

const MAX_LOGGED_IDS = 100;

/** What the change was, for the log line of a failure. */
export interface CommittedChange {
  /** The audit action of the change, e.g. `competition.publish`. */
  action: string;
  competitionId: string;
}

/**
 * Builds and writes the notifications of a committed change.
 * @param build the notifications to write; it may read (e.g. who matches), and its failure counts too.
 * @returns how many notifications were written, or `undefined` when they could not be (logged with the
 *   change's ids and counted as `NotificationsNotWritten`).
 */
export async function notifyAfterCommit(
  notifications: NotificationRepository,
  change: CommittedChange,
  build: () => NotificationDraft[] | Promise<NotificationDraft[]>,
): Promise<number | undefined> {
  let drafts: NotificationDraft[] | undefined;
  try {
    drafts = await build();
    await notifications.addMany(drafts);
    return drafts.length;
  } catch (error) {
    // The function's own logger and metrics (`failure-reporter.ts`): importing a use case reads no
    // configuration and builds no logger (the local stack, the bench and the demo data import use cases
    // before they set it), and a page function's bundle carries no metrics.
    const report = failureReporter();
    report.error('Notifications were not written after a committed change', {
      action: change.action,
      competitionId: change.competitionId,
      notifications: drafts?.length ?? null,
      // Enough to find who missed out; the count says whether the list is whole.
      providerIds: drafts?.slice(0, MAX_LOGGED_IDS).map((draft) => draft.providerId) ?? null,
      error,
    });
    report.count(NOTIFICATION_FAILURE_METRIC);
    return undefined;
  }
}
