/**
 * The spend-return reminders' sweep (issue 17), run by the hourly schedule (`functions/notifications/
 * reminders.ts`): for every contract whose return for a quarter is due within `SPEND_RETURN_DUE_SOON_DAYS`
 * or overdue (`spendReturnReminders` in `shared/domain/notifications/reminders.ts`) and not filed, one
 * outbox event (`spend-return-due`, to the prime's owners, who file returns), exactly once per contract,
 * period and stage (due, overdue): recorded with a sweep mark under `attribute_not_exists`, in one
 * transaction.
 *
 * Contracts are read from the contracts list (procurement gsi1 `CONTRACTS`, a page of 100 at a time, never
 * a Scan), so a sweep reads every contract once: contracts are let a few a day, and a contract's rule is a
 * few date comparisons; whether a return was filed is one batched key read per page of contracts, only for
 * those in a reminder window. A system job with no user principal: it tells a prime's owners about their
 * own contract only, and reads nothing of any return but whether it exists.
 */
import { ulid } from 'ulid';
import type { ContractRepository } from '../../db/contracts';
import type { OutboxWriter } from '../../db/outbox-writer';
import type { ReminderStore } from '../../db/reminders';
import type { Contract } from '../../domain/contracts';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import {
  type ReturnReminder,
  SPEND_RETURN_OVERDUE_DAYS,
  spendReturnReminderMark,
  spendReturnReminderMessage,
  spendReturnReminders,
} from '../../domain/notifications/reminders';

/** Contracts read per page. */
const PAGE_SIZE = 100;

/** What the sweep needs. */
export interface SpendReturnReminderDeps {
  contracts: Pick<ContractRepository, 'list'>;
  reminders: Pick<ReminderStore, 'filedReturns' | 'record'>;
  outbox: Pick<OutboxWriter, 'eventItems'>;
}

/** What one sweep did. */
export interface SpendReturnSweepResult {
  contracts: number;
  recorded: { contractId: string; period: string; stage: ReturnReminder['stage']; eventId: string }[];
  alreadyRecorded: number;
  /** Returns in a reminder window that were filed (no reminder). */
  filed: number;
  failed: { contractId: string; period: string; error: unknown }[];
}

/** The instant a mark must outlive: the end of the overdue window. */
function keepUntil(reminder: ReturnReminder): string {
  return new Date(
    Date.parse(`${reminder.dueDate}T00:00:00Z`) + SPEND_RETURN_OVERDUE_DAYS * 86_400_000,
  ).toISOString();
}

/**
 * Records a reminder for every return due soon or overdue on `now`'s day and not filed. A failure with one
 * return does not stop the others; it is reported in `failed`.
 */
export async function sweepSpendReturnsDue(
  deps: SpendReturnReminderDeps,
  now: Date,
): Promise<SpendReturnSweepResult> {
  const at = now.toISOString();
  const result: SpendReturnSweepResult = {
    contracts: 0,
    recorded: [],
    alreadyRecorded: 0,
    filed: 0,
    failed: [],
  };
  let cursor: string | undefined;
  do {
    const page = await deps.contracts.list({ limit: PAGE_SIZE, cursor });
    cursor = page.nextCursor ?? undefined;
    result.contracts += page.items.length;
    const due: { contract: Contract; reminder: ReturnReminder }[] = page.items.flatMap((contract) =>
      spendReturnReminders(contract, now).map((reminder) => ({ contract, reminder })),
    );
    if (due.length === 0) continue;
    const filed = await deps.reminders.filedReturns(
      due.map(({ contract, reminder }) => ({ contractId: contract.id, period: reminder.period })),
    );
    for (const { contract, reminder } of due) {
      if (filed.has(`${contract.id}#${reminder.period}`)) {
        result.filed += 1;
        continue;
      }
      const event: OutboxEvent = {
        id: ulid(now.getTime()),
        kind: 'spend-return-due',
        createdAt: at,
        audience: { type: 'owners', providerIds: [contract.primeProviderId] },
        message: spendReturnReminderMessage(contract, reminder),
      };
      try {
        const recorded = await deps.reminders.record(
          spendReturnReminderMark(contract.id, reminder),
          keepUntil(reminder),
          deps.outbox.eventItems(event),
          at,
        );
        if (recorded)
          result.recorded.push({
            contractId: contract.id,
            period: reminder.period,
            stage: reminder.stage,
            eventId: event.id,
          });
        else result.alreadyRecorded += 1;
      } catch (error) {
        result.failed.push({ contractId: contract.id, period: reminder.period, error });
      }
    }
  } while (cursor);
  return result;
}
