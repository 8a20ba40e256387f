/**
 * The scheduled reminders against DynamoDB Local (issue 17): a bid draft never submitted, 47 hours before
 * the tender deadline, gets one outbox event, once however often the sweep runs; a submitted bid, a
 * deadline 49 hours away and an organisation without a draft get none. A spend return due soon and overdue
 * gets one event each, once; a filed return gets none. Every competition, bid and return is made through
 * the real use cases; the events and sweep marks are read back from the outbox table.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { outboxKeys } from '../../shared/db/keys';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { reminderStore, repositories } from '../../shared/db/repositories';
import { DEADLINE_REMINDER_HOURS } from '../../shared/domain/notifications/reminders';
import type { Principal } from '../../shared/domain/principal';
import { cancelCompetition } from '../../shared/use-cases/competitions/cancel-competition';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { sweepDeadlineReminders } from '../../shared/use-cases/notifications/deadline-reminders';
import { sweepSpendReturnsDue } from '../../shared/use-cases/notifications/spend-return-reminders';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { competitionBody } from '../support/competitions';
import { startTestDelivery, TEST_SERVICE_URL, type TestDelivery } from '../support/outbox';
import { commissioner, LEAD, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const HOUR = 3_600_000;
const WHERE = { region: 'north_east', service: 'finance_benefit_debt' } as const;
const deps = () => ({
  reminders: reminderStore(),
  outbox: repositories().outbox,
  contracts: repositories().contracts,
});

beforeAll(async () => {
  await useTestTables();
});

/** An outbox item by key, read consistently. */
async function outboxItem(key: { pk: string; sk: string }) {
  const result = await documentClient().send(
    new GetCommand({ TableName: config().tables.outbox, Key: key, ConsistentRead: true }),
  );
  return result.Item;
}

/** A published competition of tier none (no pre-qualification) whose tenders close `hours` from now. */
async function openForBids(title: string, hours: number): Promise<{ id: string; tenderDeadline: string }> {
  const competition = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title,
      regions: [WHERE.region],
      services: [WHERE.service],
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      prequalificationDeadline: undefined,
      tenderDeadline: new Date(Date.now() + hours * HOUR).toISOString(),
    }) as never,
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), LEAD, competition.id, new Date(), config().rules);
  return { id: competition.id, tenderDeadline: competition.tenderDeadline };
}

const BID = {
  pricePence: 40_000_00,
  qualityResponses: { quality: 'Our plan', 'social-value': 'Local volunteers' },
  subcontractors: [],
  consortium: [],
};

async function draft(owner: Principal, competitionId: string): Promise<void> {
  await saveDraft(withSharedProviderData(repositories()), owner, competitionId, BID as never, new Date());
}

describe('deadline reminders', () => {
  it('reminds an unsubmitted draft 47 hours before the deadline once, and no one else', async () => {
    const drafter = user('rem-drafter');
    const submitter = user('rem-submitter');
    const idle = user('rem-idle');
    const laterDrafter = user('rem-later');
    const drafterId = await verifiedProvider(drafter.sub, 'Drafting Charity', WHERE);
    const submitterId = await verifiedProvider(submitter.sub, 'Submitting Charity', WHERE);
    const idleId = await verifiedProvider(idle.sub, 'Idle Charity', WHERE);
    const laterId = await verifiedProvider(laterDrafter.sub, 'Later Charity', WHERE);

    const soon = await openForBids('Debt advice closing in 47 hours', 47);
    const later = await openForBids('Debt advice closing in 49 hours', 49);
    await draft(drafter, soon.id);
    await draft(submitter, soon.id);
    await submitBid(withSharedProviderData(repositories()), submitter, soon.id, undefined, new Date());
    await draft(laterDrafter, later.id);

    const first = await sweepDeadlineReminders(deps(), new Date());
    expect(first.failed).toEqual([]);
    const mine = first.recorded.filter((r) => r.competitionId === soon.id || r.competitionId === later.id);
    // One event: the drafter of the competition closing in 47 hours. Not the submitter (its bid stands),
    // not the organisation with no draft, nothing for the competition 49 hours away.
    expect(mine.map((r) => [r.competitionId, r.providerId])).toEqual([[soon.id, drafterId]]);
    expect(first.recorded.some((r) => [submitterId, idleId, laterId].includes(r.providerId))).toBe(false);

    const [reminder] = mine;
    const event = await outboxItem(outboxKeys.event(reminder?.eventId ?? ''));
    expect(event).toMatchObject({
      kind: 'deadline-reminder',
      audience: { type: 'members', providerIds: [drafterId] },
      message: {
        subject: expect.stringMatching(
          /^Tenders for Debt advice closing in 47 hours close .*: your draft is not submitted$/,
        ),
        action: { path: `/your-competitions/${soon.id}/bid` },
      },
    });
    expect(event?.inbox).toBeUndefined();
    expect(
      await outboxItem(outboxKeys.sweep(`deadline#${soon.id}#${soon.tenderDeadline}#${drafterId}`)),
    ).toMatchObject({ entity: 'sweep-mark' });

    // The next run (the schedule is hourly; two may even overlap) records nothing more.
    const [second, third] = await Promise.all([
      sweepDeadlineReminders(deps(), new Date()),
      sweepDeadlineReminders(deps(), new Date()),
    ]);
    const again = [...second.recorded, ...third.recorded].filter((r) => r.competitionId === soon.id);
    expect(again).toEqual([]);
    expect(second.alreadyRecorded + third.alreadyRecorded).toBeGreaterThanOrEqual(2);

    // Two hours on, the other competition is within the window: its drafter is reminded then.
    const twoHoursOn = await sweepDeadlineReminders(deps(), new Date(Date.now() + 2 * HOUR));
    expect(twoHoursOn.recorded.filter((r) => r.competitionId === later.id).map((r) => r.providerId)).toEqual([
      laterId,
    ]);
  });

  it('reminds no one of a cancelled competition: cancelling takes it off the deadline index', async () => {
    const drafter = user('rem-cancelled-drafter');
    await verifiedProvider(drafter.sub, 'Cancelled Charity', WHERE);
    const cancelled = await openForBids('Debt advice to be cancelled', 30);
    await draft(drafter, cancelled.id);
    await declare(repositories(), LEAD, cancelled.id, [], new Date());
    await cancelCompetition(repositories(), LEAD, cancelled.id, 'Requirement changed.', new Date());
    const sweep = await sweepDeadlineReminders(deps(), new Date());
    expect(sweep.recorded.filter((r) => r.competitionId === cancelled.id)).toEqual([]);
    const listed = await reminderStore().competitionsClosing(
      new Date().toISOString(),
      new Date(Date.now() + DEADLINE_REMINDER_HOURS * HOUR).toISOString(),
    );
    expect(listed.map((c) => c.id)).not.toContain(cancelled.id);
  });

  it('lists a competition under its deadline only while it takes bids (pre-qualification drafts do not exist)', async () => {
    const competition = await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title: 'Accommodation with pre-qualification',
        prequalificationDeadline: new Date(Date.now() + 10 * HOUR).toISOString(),
        tenderDeadline: new Date(Date.now() + 30 * HOUR).toISOString(),
      }) as never,
      new Date(),
      config().rules,
    );
    // A draft is not listed: nothing to remind of before publication.
    const before = await reminderStore().competitionsClosing(
      new Date().toISOString(),
      new Date(Date.now() + DEADLINE_REMINDER_HOURS * HOUR).toISOString(),
    );
    expect(before.map((c) => c.id)).not.toContain(competition.id);
    await publishCompetition(repositories(), LEAD, competition.id, new Date(), config().rules);
    const listed = await reminderStore().competitionsClosing(
      new Date().toISOString(),
      new Date(Date.now() + DEADLINE_REMINDER_HOURS * HOUR).toISOString(),
    );
    expect(listed.find((c) => c.id === competition.id)?.prequalificationDeadline).toBe(
      competition.prequalificationDeadline,
    );
    const sweep = await sweepDeadlineReminders(deps(), new Date());
    expect(sweep.recorded.filter((r) => r.competitionId === competition.id)).toEqual([]);
  });
});

describe('spend-return reminders', () => {
  const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
  const registered = new Date('2026-01-05T10:00:00Z');

  async function contract(n: number) {
    const owner = user(`rem-prime-${n}`);
    const primeId = await verifiedProvider(owner.sub, `Prime ${n}`, WHERE);
    const created = await registerContract(
      repositories(),
      commissioner('rem-commissioner'),
      {
        title: `Reminder contract ${n}`,
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        regions: [WHERE.region],
        services: [WHERE.service],
        subcontracting: { targetPercent: 10 },
      },
      registered,
      RULES,
    );
    await putSupplyChain(
      repositories(),
      owner,
      created.id,
      {
        subcontractors: [
          {
            ref: 'MIC',
            name: 'Micro CIC',
            sector: 'voluntary',
            size: 'micro',
            services: [],
            plannedValuePence: 0,
          },
        ],
      },
      registered,
    );
    return { id: created.id, owner, primeId };
  }

  it('reminds a return due soon and then overdue once each, and never a filed one', async () => {
    const unfiled = await contract(1);
    const filed = await contract(2);
    await fileSpendReturn(
      repositories(),
      filed.owner,
      filed.id,
      '2026-Q1',
      {
        format: 'json',
        issues: [],
        lines: [
          {
            position: 0,
            subcontractorRef: 'MIC',
            invoiceRef: 'INV-1',
            invoiceDate: '2026-02-01',
            paidDate: '2026-02-20',
            amountPence: 12_000_00,
          },
        ],
      },
      new Date('2026-04-10T10:00:00Z'),
      RULES,
    );

    // Q1's return is due by 30 April: a week before, the prime's owners are reminded, once.
    const dueSoon = new Date('2026-04-25T09:00:00Z');
    const first = await sweepSpendReturnsDue(deps(), dueSoon);
    expect(first.failed).toEqual([]);
    const mine = (r: { contractId: string }) => r.contractId === unfiled.id || r.contractId === filed.id;
    expect(first.recorded.filter(mine).map((r) => [r.contractId, r.period, r.stage])).toEqual([
      [unfiled.id, '2026-Q1', 'due'],
    ]);
    expect(first.filed).toBeGreaterThanOrEqual(1);
    const event = await outboxItem(outboxKeys.event(first.recorded.find(mine)?.eventId ?? ''));
    expect(event).toMatchObject({
      kind: 'spend-return-due',
      audience: { type: 'owners', providerIds: [unfiled.primeId] },
      message: {
        subject: 'Spend return for Reminder contract 1 is due by 30 April 2026',
        action: { path: `/your-contracts/${unfiled.id}` },
      },
    });
    expect(
      (await sweepSpendReturnsDue(deps(), new Date('2026-04-26T09:00:00Z'))).recorded.filter(mine),
    ).toEqual([]);

    // Past the due date it is overdue: one more reminder, once.
    const overdue = await sweepSpendReturnsDue(deps(), new Date('2026-05-02T09:00:00Z'));
    expect(overdue.recorded.filter(mine).map((r) => [r.contractId, r.period, r.stage])).toEqual([
      [unfiled.id, '2026-Q1', 'overdue'],
    ]);
    expect(
      (await sweepSpendReturnsDue(deps(), new Date('2026-05-03T09:00:00Z'))).recorded.filter(mine),
    ).toEqual([]);
    expect(await outboxItem(outboxKeys.sweep(`spend-return#${unfiled.id}#2026-Q1#overdue`))).toBeDefined();
    expect(await outboxItem(outboxKeys.sweep(`spend-return#${filed.id}#2026-Q1#due`))).toBeUndefined();
  });
});

describe('the reminders, delivered (DynamoDB Local stream and the local mail catcher)', () => {
  let delivery: TestDelivery;
  beforeAll(async () => {
    delivery = await startTestDelivery();
  });
  afterAll(async () => {
    await delivery.stop();
  });

  it('e-mails the members of the organisation with the draft once, and no one else', async () => {
    const people = {
      drafter: user('mail-drafter'),
      submitter: user('mail-submitter'),
      idle: user('mail-idle'),
    };
    for (const [name, who] of Object.entries(people)) await delivery.remember(who.sub, `${name}@example.org`);
    await verifiedProvider(people.drafter.sub, 'Mail Drafting Charity', WHERE);
    await verifiedProvider(people.submitter.sub, 'Mail Submitting Charity', WHERE);
    await verifiedProvider(people.idle.sub, 'Mail Idle Charity', WHERE);
    const soon = await openForBids('Benefits advice closing tomorrow', 40);
    await draft(people.drafter, soon.id);
    await draft(people.submitter, soon.id);
    await submitBid(withSharedProviderData(repositories()), people.submitter, soon.id, undefined, new Date());

    await sweepDeadlineReminders(deps(), new Date());
    await sweepDeadlineReminders(deps(), new Date());
    await delivery.drain();
    const reminders = async (address: string) =>
      (await delivery.mailTo(address)).filter((mail) =>
        mail.subject.startsWith('Tenders for Benefits advice'),
      );
    const [mail, ...more] = await reminders('drafter@example.org');
    expect(more).toEqual([]);
    expect(mail?.subject).toMatch(/close .*: your draft is not submitted$/);
    expect(mail?.text).toContain(`${TEST_SERVICE_URL}/your-competitions/${soon.id}/bid`);
    expect(await reminders('submitter@example.org')).toEqual([]);
    expect(await reminders('idle@example.org')).toEqual([]);
  });

  it("e-mails a prime's owners that a spend return is due", async () => {
    const owner = user('mail-prime');
    await delivery.remember(owner.sub, 'prime@example.org');
    const primeId = await verifiedProvider(owner.sub, 'Mail Prime', WHERE);
    const created = await registerContract(
      repositories(),
      commissioner('mail-commissioner'),
      {
        title: 'Mailed reminder contract',
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        regions: [WHERE.region],
        services: [WHERE.service],
        subcontracting: { targetPercent: 10 },
      },
      new Date('2026-01-05T10:00:00Z'),
      { defaultSubcontractingTargetPercent: 10 },
    );
    await sweepSpendReturnsDue(deps(), new Date('2026-07-25T09:00:00Z'));
    await delivery.drain();
    const mails = (await delivery.mailTo('prime@example.org')).filter((mail) =>
      mail.subject.startsWith('Spend return for Mailed reminder contract'),
    );
    expect(mails.map((mail) => mail.subject)).toEqual([
      'Spend return for Mailed reminder contract is due by 30 July 2026',
    ]);
    expect(mails[0]?.text).toContain(`${TEST_SERVICE_URL}/your-contracts/${created.id}`);
  });
});
