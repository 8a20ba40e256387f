/**
 * The rules of the scheduled reminders (issue 17), pure: when a competition's deadline is close enough to
 * remind the organisations that have not submitted their draft, and when a prime's spend return for a
 * quarter is due or overdue. The sweeps (`shared/use-cases/notifications/deadline-reminders.ts`,
 * `spend-return-reminders.ts`) read the candidates and ask these rules; each reminder is then recorded once
 * under a sweep mark, so the rules may be asked as often as the schedule likes.
 */
import type { Competition } from '../competitions';
import type { Contract } from '../contracts';
import { govukDate, govukDateTime } from '../dates';
import { daysBetween, isoDay, type Period, periodBounds, periodOf } from '../subcontracting/dates';
import type { DeadlineKind, NextDeadline } from './next-deadline';
import type { EventMessage } from './outbox';
import { subjectLine } from './subject-line';

export { type DeadlineKind, type NextDeadline, nextDeadline } from './next-deadline';

/** How close a deadline must be for an unsubmitted draft to be reminded of it. */
export const DEADLINE_REMINDER_HOURS = 48;

/**
 * Whether a deadline is within the reminder window at `now`: still ahead, and at most
 * `DEADLINE_REMINDER_HOURS` away. A deadline that is not a date is never due (nothing to remind of).
 */
export function deadlineReminderDue(deadline: string, now: Date): boolean {
  const at = Date.parse(deadline);
  if (Number.isNaN(at)) return false;
  return at > now.getTime() && at - now.getTime() <= DEADLINE_REMINDER_HOURS * 3_600_000;
}

/** Where an organisation's bid stands, as its participation item records it. */
export type BidStanding = 'draft' | 'submitted' | 'withdrawn' | undefined;

/**
 * Whether an organisation is reminded of a deadline: for the tender deadline, when it saved a bid draft and
 * never submitted it (`draft`); not once it submitted (even if it saved a newer draft since: its bid
 * stands), not when it withdrew (a decision it made), not without a draft. A pre-qualification response
 * has no saved draft (it is sent whole, in one request), so no one is reminded of a
 * pre-qualification deadline until such drafts exist.
 */
export function remindOfDeadline(kind: DeadlineKind, bid: BidStanding): boolean {
  return kind === 'tender' && bid === 'draft';
}

/** The sweep mark of one deadline reminder: one per competition, deadline and organisation. */
export function deadlineReminderMark(competitionId: string, deadline: string, providerId: string): string {
  return `deadline#${competitionId}#${deadline}#${providerId}`;
}

/** What a deadline reminder says (to the members of the organisation with the draft, and no one else). */
export function deadlineReminderMessage(
  competition: Pick<Competition, 'id' | 'title'>,
  deadline: NextDeadline,
): EventMessage {
  const when = govukDateTime(deadline.at);
  return {
    subject: subjectLine(`Tenders for ${competition.title} close ${when}: your draft is not submitted`),
    paragraphs: [
      `Your organisation saved a draft bid for ${competition.title} but has not submitted it.`,
      `Tenders close ${when}. Only a submitted bid is considered: a draft is not.`,
    ],
    action: { text: 'Check and submit your bid', path: `/your-competitions/${competition.id}/bid` },
  };
}

/** Days after a quarter's last day (or the contract's, if it ends sooner) by which its return is due. */
export const SPEND_RETURN_DUE_DAYS = 30;
/** How many days before it is due a prime is reminded of a return not yet filed. */
export const SPEND_RETURN_DUE_SOON_DAYS = 7;
/**
 * How many days after it fell due a return can still be reminded of as overdue: a sweep that did not run
 * for longer (an outage) tells no one of an old quarter, rather than flood primes with past quarters.
 */
export const SPEND_RETURN_OVERDUE_DAYS = 30;

/** Whether a reminder says a return is due soon or overdue. */
export type ReturnStage = 'due' | 'overdue';

/** One return a prime should be reminded of, if it has not filed it. */
export interface ReturnReminder {
  period: Period;
  stage: ReturnStage;
  /** The last day to file it, `YYYY-MM-DD`. */
  dueDate: string;
}

/** The day `days` after an ISO date. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * When a period's return is due: `SPEND_RETURN_DUE_DAYS` after the period's last day, or the contract's
 * last day when the contract ends inside the period (a return can be filed from the day after that day:
 * `filingPeriodProblem`). Undefined for a period that is not a quarter or lies outside the contract.
 */
export function spendReturnDueDate(
  period: string,
  contract: Pick<Contract, 'startDate' | 'endDate'>,
): string | undefined {
  const bounds = periodBounds(period);
  if (!bounds || bounds.end < contract.startDate || bounds.start > contract.endDate) return undefined;
  const lastDay = contract.endDate < bounds.end ? contract.endDate : bounds.end;
  return addDays(lastDay, SPEND_RETURN_DUE_DAYS);
}

/** The quarter before a quarter. */
function quarterBefore(period: Period): Period {
  const year = Number(period.slice(0, 4));
  const quarter = Number(period.slice(-1));
  return (quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`) as Period;
}

/**
 * The returns of a contract a prime should be reminded of on `now`'s (UTC) day, if not filed: `due` from
 * `SPEND_RETURN_DUE_SOON_DAYS` before the due date to the due date itself, `overdue` for
 * `SPEND_RETURN_OVERDUE_DAYS` after it. Only the current and the previous two quarters can be in either
 * window (a quarter that ended earlier fell due more than 60 days ago), so a contract is judged in three
 * steps whatever its term.
 */
export function spendReturnReminders(
  contract: Pick<Contract, 'startDate' | 'endDate'>,
  now: Date,
): ReturnReminder[] {
  const today = isoDay(now);
  const current = periodOf(today);
  const reminders: ReturnReminder[] = [];
  for (const period of [quarterBefore(quarterBefore(current)), quarterBefore(current), current]) {
    const dueDate = spendReturnDueDate(period, contract);
    if (!dueDate) continue;
    const late = daysBetween(dueDate, today);
    if (late > 0 && late <= SPEND_RETURN_OVERDUE_DAYS) reminders.push({ period, stage: 'overdue', dueDate });
    else if (late <= 0 && -late <= SPEND_RETURN_DUE_SOON_DAYS)
      reminders.push({ period, stage: 'due', dueDate });
  }
  return reminders;
}

/** The sweep mark of one spend-return reminder: one per contract, period and stage. */
export function spendReturnReminderMark(
  contractId: string,
  reminder: Pick<ReturnReminder, 'period' | 'stage'>,
) {
  return `spend-return#${contractId}#${reminder.period}#${reminder.stage}`;
}

const QUARTER_MONTHS = ['January to March', 'April to June', 'July to September', 'October to December'];

/** A quarter in words: "January to March 2026". */
export function quarterInWords(period: Period): string {
  return `${QUARTER_MONTHS[Number(period.slice(-1)) - 1]} ${period.slice(0, 4)}`;
}

/** What a spend-return reminder says (to the prime's owners). */
export function spendReturnReminderMessage(
  contract: Pick<Contract, 'id' | 'title'>,
  reminder: ReturnReminder,
): EventMessage {
  const quarter = quarterInWords(reminder.period);
  const by = govukDate(reminder.dueDate);
  return {
    subject: subjectLine(
      reminder.stage === 'due'
        ? `Spend return for ${contract.title} is due by ${by}`
        : `Spend return for ${contract.title} is overdue`,
    ),
    paragraphs: [
      reminder.stage === 'due'
        ? `Your spend return for ${quarter} on ${contract.title} is due by ${by}.`
        : `Your spend return for ${quarter} on ${contract.title} was due by ${by} and has not been filed.`,
      'The return says what your organisation paid its sub-contractors in the quarter. If you paid none, file a return with no lines.',
    ],
    action: { text: 'File your spend return', path: `/your-contracts/${contract.id}` },
  };
}
