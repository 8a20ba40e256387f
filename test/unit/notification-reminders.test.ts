/**
 * The rules of the scheduled reminders (issue 17): which deadline a competition waits for, when it is close
 * enough to remind, who is reminded, and when a spend return is due or overdue.
 */
import { describe, expect, it } from 'vitest';
import { assertOutboxEvent } from '../../shared/domain/notifications/outbox';
import {
  DEADLINE_REMINDER_HOURS,
  deadlineReminderDue,
  deadlineReminderMark,
  deadlineReminderMessage,
  nextDeadline,
  quarterInWords,
  remindOfDeadline,
  SPEND_RETURN_DUE_DAYS,
  spendReturnDueDate,
  spendReturnReminderMark,
  spendReturnReminderMessage,
  spendReturnReminders,
} from '../../shared/domain/notifications/reminders';

const HOUR = 3_600_000;
const now = new Date('2026-12-03T10:00:00.000Z');
const inHours = (hours: number) => new Date(now.getTime() + hours * HOUR).toISOString();

describe('nextDeadline', () => {
  const deadlines = {
    prequalificationDeadline: '2026-12-10T17:00:00.000Z',
    tenderDeadline: '2027-01-10T17:00:00.000Z',
  };

  it('is the pre-qualification deadline while applications are taken, the tender deadline while bids are', () => {
    expect(nextDeadline({ status: 'prequalification', ...deadlines })).toEqual({
      kind: 'prequalification',
      at: deadlines.prequalificationDeadline,
    });
    expect(nextDeadline({ status: 'tendering', ...deadlines })).toEqual({
      kind: 'tender',
      at: deadlines.tenderDeadline,
    });
  });

  it('is none before publication, once bids are evaluated, awarded or cancelled', () => {
    for (const status of [
      'draft',
      'shortlisting',
      'evaluation',
      'standstill',
      'awarded',
      'cancelled',
    ] as const) {
      expect(nextDeadline({ status, ...deadlines }), status).toBeUndefined();
    }
  });

  it('is none for a pre-qualification stage without its deadline (a defect of the data, never a guess)', () => {
    expect(
      nextDeadline({
        status: 'prequalification',
        prequalificationDeadline: undefined,
        tenderDeadline: deadlines.tenderDeadline,
      }),
    ).toBeUndefined();
  });
});

describe('deadlineReminderDue', () => {
  it(`is due from ${DEADLINE_REMINDER_HOURS} hours before the deadline until it passes`, () => {
    expect(deadlineReminderDue(inHours(47), now)).toBe(true);
    expect(deadlineReminderDue(inHours(48), now)).toBe(true);
    expect(deadlineReminderDue(inHours(0.001), now)).toBe(true);
  });

  it('is not due further off, at the deadline, after it, or for a deadline that is not a date', () => {
    expect(deadlineReminderDue(inHours(49), now)).toBe(false);
    expect(deadlineReminderDue(new Date(now.getTime() + 48 * HOUR + 1).toISOString(), now)).toBe(false);
    expect(deadlineReminderDue(now.toISOString(), now)).toBe(false);
    expect(deadlineReminderDue(inHours(-1), now)).toBe(false);
    expect(deadlineReminderDue('next Tuesday', now)).toBe(false);
    expect(deadlineReminderDue('', now)).toBe(false);
  });
});

describe('remindOfDeadline', () => {
  it('reminds an organisation of the tender deadline only when it has a draft it never submitted', () => {
    expect(remindOfDeadline('tender', 'draft')).toBe(true);
    expect(remindOfDeadline('tender', 'submitted')).toBe(false);
    expect(remindOfDeadline('tender', 'withdrawn')).toBe(false);
    expect(remindOfDeadline('tender', undefined)).toBe(false);
  });

  it('reminds no one of a pre-qualification deadline (a response has no saved draft)', () => {
    expect(remindOfDeadline('prequalification', 'draft')).toBe(false);
    expect(remindOfDeadline('prequalification', undefined)).toBe(false);
  });
});

describe('deadline reminder message', () => {
  const deadline = { kind: 'tender' as const, at: '2026-12-05T17:00:00.000Z' };

  it('says the title and the deadline, links to the bid page, and is a valid event', () => {
    const message = deadlineReminderMessage({ id: '01KCOMP', title: 'Debt advice, North East' }, deadline);
    expect(message.subject).toBe(
      'Tenders for Debt advice, North East close 5 December 2026 at 5pm: your draft is not submitted',
    );
    expect(message.action.path).toBe('/your-competitions/01KCOMP/bid');
    expect(() =>
      assertOutboxEvent({
        id: '01KEVENT',
        kind: 'deadline-reminder',
        createdAt: now.toISOString(),
        audience: { type: 'members', providerIds: ['01KPROVIDER'] },
        message,
      }),
    ).not.toThrow();
  });

  it('keeps the subject within bounds and on one line for the longest title', () => {
    const message = deadlineReminderMessage({ id: '01KCOMP', title: `A\n${'x'.repeat(300)}` }, deadline);
    expect(message.subject.length).toBeLessThanOrEqual(200);
    expect(message.subject).not.toMatch(/\n/);
  });

  it('marks one reminder per competition, deadline and organisation', () => {
    expect(deadlineReminderMark('C', '2026-12-05T17:00:00.000Z', 'P')).toBe(
      'deadline#C#2026-12-05T17:00:00.000Z#P',
    );
    expect(deadlineReminderMark('C', '2026-12-06T17:00:00.000Z', 'P')).not.toBe(
      deadlineReminderMark('C', '2026-12-05T17:00:00.000Z', 'P'),
    );
  });
});

describe('spend returns due and overdue', () => {
  const contract = { startDate: '2026-01-01', endDate: '2027-12-31' };
  const on = (day: string) => new Date(`${day}T10:00:00.000Z`);

  it(`is due ${SPEND_RETURN_DUE_DAYS} days after the quarter, or after the contract's last day inside it`, () => {
    expect(spendReturnDueDate('2026-Q1', contract)).toBe('2026-04-30');
    expect(spendReturnDueDate('2026-Q4', contract)).toBe('2027-01-30');
    expect(spendReturnDueDate('2026-Q2', { startDate: '2026-01-01', endDate: '2026-05-15' })).toBe(
      '2026-06-14',
    );
  });

  it('has no due date for a period outside the contract or one that is not a quarter', () => {
    expect(spendReturnDueDate('2025-Q4', contract)).toBeUndefined();
    expect(spendReturnDueDate('2028-Q1', contract)).toBeUndefined();
    expect(spendReturnDueDate('2026-Q5', contract)).toBeUndefined();
    expect(spendReturnDueDate('2026-03', contract)).toBeUndefined();
    expect(spendReturnDueDate('', contract)).toBeUndefined();
  });

  it('reminds from 7 days before the due date to the due date itself', () => {
    expect(spendReturnReminders(contract, on('2026-04-22'))).toEqual([]);
    expect(spendReturnReminders(contract, on('2026-04-23'))).toEqual([
      { period: '2026-Q1', stage: 'due', dueDate: '2026-04-30' },
    ]);
    expect(spendReturnReminders(contract, on('2026-04-30'))).toEqual([
      { period: '2026-Q1', stage: 'due', dueDate: '2026-04-30' },
    ]);
  });

  it('is overdue from the day after the due date, for 30 days, then no more', () => {
    expect(spendReturnReminders(contract, on('2026-05-01'))).toEqual([
      { period: '2026-Q1', stage: 'overdue', dueDate: '2026-04-30' },
    ]);
    expect(spendReturnReminders(contract, on('2026-05-30'))).toEqual([
      { period: '2026-Q1', stage: 'overdue', dueDate: '2026-04-30' },
    ]);
    expect(spendReturnReminders(contract, on('2026-05-31'))).toEqual([]);
  });

  it('reminds nothing while a quarter is in progress, before the contract starts, or long after it ended', () => {
    expect(spendReturnReminders(contract, on('2026-02-15'))).toEqual([]);
    expect(
      spendReturnReminders({ startDate: '2027-01-01', endDate: '2027-12-31' }, on('2026-04-25')),
    ).toEqual([]);
    expect(
      spendReturnReminders({ startDate: '2025-01-01', endDate: '2025-12-31' }, on('2026-04-25')),
    ).toEqual([]);
  });

  it("reminds of a contract's last, short quarter when the contract ends inside it", () => {
    const ending = { startDate: '2025-01-01', endDate: '2026-05-15' };
    expect(spendReturnReminders(ending, on('2026-06-10'))).toEqual([
      { period: '2026-Q2', stage: 'due', dueDate: '2026-06-14' },
    ]);
    expect(spendReturnReminders(ending, on('2026-06-15'))).toEqual([
      { period: '2026-Q2', stage: 'overdue', dueDate: '2026-06-14' },
    ]);
  });

  it('crosses the year: the fourth quarter is due at the end of January', () => {
    expect(spendReturnReminders(contract, on('2027-01-25'))).toEqual([
      { period: '2026-Q4', stage: 'due', dueDate: '2027-01-30' },
    ]);
  });

  it('words the reminder for the prime, with a link to the contract, as a valid event', () => {
    const due = spendReturnReminderMessage(
      { id: '01KCONTRACT', title: 'Accommodation, North West' },
      { period: '2026-Q1', stage: 'due', dueDate: '2026-04-30' },
    );
    expect(due.subject).toBe('Spend return for Accommodation, North West is due by 30 April 2026');
    expect(due.paragraphs[0]).toContain('January to March 2026');
    expect(due.action.path).toBe('/your-contracts/01KCONTRACT');
    const overdue = spendReturnReminderMessage(
      { id: '01KCONTRACT', title: 'Accommodation, North West' },
      { period: '2026-Q1', stage: 'overdue', dueDate: '2026-04-30' },
    );
    expect(overdue.subject).toBe('Spend return for Accommodation, North West is overdue');
    expect(() =>
      assertOutboxEvent({
        id: '01KEVENT',
        kind: 'spend-return-due',
        createdAt: now.toISOString(),
        audience: { type: 'owners', providerIds: ['01KPRIME'] },
        message: overdue,
      }),
    ).not.toThrow();
    expect(quarterInWords('2026-Q4')).toBe('October to December 2026');
  });

  it('marks one reminder per contract, period and stage', () => {
    expect(spendReturnReminderMark('K', { period: '2026-Q1', stage: 'due' })).toBe(
      'spend-return#K#2026-Q1#due',
    );
    expect(spendReturnReminderMark('K', { period: '2026-Q1', stage: 'overdue' })).toBe(
      'spend-return#K#2026-Q1#overdue',
    );
  });
});
