// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * Outcomes told through the outbox (issue 17), against DynamoDB Local: each change records its events in
 * its own transaction, addressed to exactly the organisations concerned, and a refused change records none.
 *
 * - a shortlist: one `shortlisting` event for the shortlisted organisations and one for the others, each
 *   with the inbox notification the delivery writes (which used to be written after the commit);
 * - an award decision: one `award` event for the successful bidder and one for the unsuccessful ones;
 * - a challenge decision: one `challenge-decision` event for the challenging organisation's members (its
 *   inbox notification is written with the decision, so the event carries none);
 * - a dispute: one `dispute-raised` event for the owners of the contract's prime.
 *
 * Messages never name a rival, a score or a price. Every event any use case here builds is remembered (the
 * process-wide outbox repository, wrapped), read back by key and attributed to its competition or contract
 * by its link, so "exactly these events" includes "no other event about it". A competition listed under 96
 * entries (published before the cap) is shortlisted with both events and a new deadline: more than one
 * transaction holds, so the entries that do not fit follow the decision. The last part runs the delivery
 * (the outbox stream reader and a mail catcher, as `npm start` does) and reads the inboxes and e-mails.
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { outboxKeys } from '../../shared/db/keys';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { Competition } from '../../shared/domain/competitions';
import {
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../shared/domain/errors';
import type { OutboxEvent } from '../../shared/domain/notifications/outbox';
import type { UserPrincipal } from '../../shared/domain/principal';
import { REGIONS, SERVICES } from '../../shared/domain/reference-data';
import type { SpendLine } from '../../shared/domain/subcontracting';
import { raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { decideChallenge } from '../../shared/use-cases/challenges/inside';
import { recordChange } from '../../shared/use-cases/competitions/wall';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { shortlist } from '../../shared/use-cases/prequalification/evaluate-responses';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { disputeLine } from '../../shared/use-cases/subcontracting/disputes';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { decideAward } from '../../shared/use-cases/tenders/evaluation';
import { competitionInStandstill, PANEL } from '../support/challenges';
import { startTestDelivery, type TestDelivery } from '../support/outbox';
import { accredit, LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const HOURS = (n: number) => new Date(Date.now() + n * HOUR);
const commissioner = (sub: string): UserPrincipal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups: ['commissioner'],
});

/**
 * Every event any use case of this test process asked the outbox to record: the process-wide repository
 * (`repositories().outbox`, which every use case here is given) wrapped while this file runs. Which of them
 * were committed is read back by key.
 */
const built: OutboxEvent[] = [];
let unwrap: (() => void) | undefined;

function recordEverything(): void {
  const outbox = repositories().outbox;
  const real = outbox.eventItems.bind(outbox);
  outbox.eventItems = (event) => {
    built.push(event);
    return real(event);
  };
  unwrap = () => {
    outbox.eventItems = real;
  };
}

/** The committed events about one competition or contract (those whose link or inbox names it), as stored. */
async function eventsAbout(id: string): Promise<OutboxEvent[]> {
  const about = built.filter((e) => e.message.action.path.includes(id) || e.inbox?.competitionId === id);
  const stored: OutboxEvent[] = [];
  for (const event of about) {
    const result = await documentClient().send(
      new GetCommand({
        TableName: config().tables.outbox,
        Key: outboxKeys.event(event.id),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) continue;
    const { pk: _pk, sk: _sk, entity: _entity, ttl: _ttl, ...item } = result.Item;
    stored.push(item as OutboxEvent);
  }
  // Publishing's own event is another part's (test/integration/outbox-producers.test.ts).
  return stored.filter((e) => e.kind !== 'opportunity-match').sort((a, b) => a.id.localeCompare(b.id));
}

/** An event's audience's organisations, sorted (for `members` and `owners` audiences). */
function audienceOf(event: OutboxEvent | undefined): { type: string; providerIds: string[] } {
  if (!event) throw new Error('No such event');
  const { audience } = event;
  if (audience.type !== 'members' && audience.type !== 'owners') throw new Error(`Audience ${audience.type}`);
  return { type: audience.type, providerIds: [...audience.providerIds].sort() };
}

/** Everything an event would show anyone: its message and its inbox notification, as text. */
const shown = (event: OutboxEvent | undefined) => JSON.stringify([event?.message, event?.inbox]);

beforeAll(async () => {
  await useTestTables();
  recordEverything();
});

afterAll(() => {
  unwrap?.();
});

describe('shortlisting', () => {
  const OWNERS = [user('oo-applicant-1'), user('oo-applicant-2'), user('oo-applicant-3')] as const;
  const NAMES = ['Shortlist Applicant One', 'Shortlist Applicant Two', 'Shortlist Applicant Three'];
  const providers: string[] = [];
  let competitionId: string;
  let responses: string[];

  beforeAll(async () => {
    for (const [i, owner] of OWNERS.entries()) {
      const id = await verifiedProvider(owner.sub, NAMES[i] ?? '', { region: 'wales', service: 'health' });
      await accredit(owner.sub, id);
      providers.push(id);
    }
    competitionId = await openCompetition({
      title: 'Outbox shortlisting',
      region: 'wales',
      service: 'health',
      prequalification: true,
    });
    responses = [];
    for (const owner of OWNERS) {
      const response = await submitResponse(
        withSharedProviderData(repositories()),
        owner,
        competitionId,
        { answers: { 'technical.relevant-experience': `Experience of ${owner.sub}.` } },
        new Date(),
      );
      responses.push(response.id);
    }
    await declare(repositories(), LEAD, competitionId, [], new Date());
  });

  it('records nothing when the shortlist is refused (not the lead, or invalid)', async () => {
    await expect(
      shortlist(
        repositories(),
        commissioner('oo-not-the-lead'),
        competitionId,
        { responseIds: [responses[0] ?? ''] },
        HOURS(1.5),
        { minTenderDays: 0 },
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      shortlist(
        repositories(),
        LEAD,
        competitionId,
        { responseIds: ['01JD0000000000000000000000'] },
        HOURS(1.5),
        { minTenderDays: 0 },
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await eventsAbout(competitionId)).toEqual([]);
  });

  it('records one event for the shortlisted and one for the others, in the decision, naming no rival', async () => {
    const decided = await shortlist(
      repositories(),
      LEAD,
      competitionId,
      { responseIds: [responses[0] ?? '', responses[1] ?? ''] },
      HOURS(1.5),
      { minTenderDays: 0 },
    );
    const events = await eventsAbout(competitionId);
    expect(events).toHaveLength(2);
    const invited = events.find((e) => e.inbox?.type === 'shortlisted');
    const declined = events.find((e) => e.inbox?.type === 'not-shortlisted');
    expect(events.every((e) => e.kind === 'shortlisting')).toBe(true);
    expect(audienceOf(invited)).toEqual({
      type: 'members',
      providerIds: [providers[0], providers[1]].sort(),
    });
    expect(audienceOf(declined)).toEqual({ type: 'members', providerIds: [providers[2]] });
    expect(invited).toMatchObject({
      message: {
        subject: 'Shortlisted: Outbox shortlisting',
        action: { path: `/competitions/${competitionId}` },
      },
      inbox: {
        title: 'Shortlisted: Outbox shortlisting',
        competitionId,
        competitionTitle: 'Outbox shortlisting',
        closes: 'tender',
        closesAt: decided.tenderDeadline,
      },
    });
    expect(declined).toMatchObject({
      message: { subject: 'Not shortlisted: Outbox shortlisting' },
      inbox: { title: 'Not shortlisted: Outbox shortlisting', competitionId },
    });
    // Each says only its own outcome: no organisation, response or result of anyone else.
    for (const other of [providers[2], NAMES[2], responses[2]]) expect(shown(invited)).not.toContain(other);
    for (const other of [...providers.slice(0, 2), ...NAMES.slice(0, 2), ...responses.slice(0, 2)])
      expect(shown(declined)).not.toContain(other);
    for (const event of events) expect(shown(event)).not.toMatch(/pass|fail|score|mark/i);
  });

  it('records nothing more when shortlisting again is refused', async () => {
    await expect(
      shortlist(repositories(), LEAD, competitionId, { responseIds: [responses[2] ?? ''] }, HOURS(1.5), {
        minTenderDays: 0,
      }),
    ).rejects.toBeInstanceOf(InvalidStateError);
    expect(await eventsAbout(competitionId)).toHaveLength(2);
  });

  it('records only the shortlisted event when every applicant is shortlisted', async () => {
    const id = await openCompetition({
      title: 'Outbox shortlisting, everyone',
      region: 'wales',
      service: 'health',
      prequalification: true,
    });
    const response = await submitResponse(
      withSharedProviderData(repositories()),
      OWNERS[0],
      id,
      { answers: { 'technical.relevant-experience': 'Experience.' } },
      new Date(),
    );
    await declare(repositories(), LEAD, id, [], new Date());
    await shortlist(repositories(), LEAD, id, { responseIds: [response.id] }, HOURS(1.5), {
      minTenderDays: 0,
    });
    const events = await eventsAbout(id);
    expect(events.map((e) => [e.inbox?.type, audienceOf(e).providerIds])).toEqual([
      ['shortlisted', [providers[0]]],
    ]);
  });
});

describe('shortlisting a competition listed under 96 entries (published before the cap)', () => {
  /** The opportunity entries of a competition (its `OPP#` items). */
  async function entries(id: string): Promise<number> {
    const result = await documentClient().send(
      new QueryCommand({
        TableName: config().tables.procurement,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :opp)',
        ExpressionAttributeValues: { ':pk': `COMP#${id}`, ':opp': 'OPP#' },
        ConsistentRead: true,
        Select: 'COUNT',
      }),
    );
    return result.Count ?? 0;
  }

  it('keeps the decision and both events in one transaction, and deletes the entries that do not fit after it', async () => {
    const owners = [user('oo-wide-1'), user('oo-wide-2')];
    const ids: string[] = [];
    for (const [i, owner] of owners.entries()) {
      const id = await verifiedProvider(owner.sub, `Wide applicant ${i}`, {
        region: 'london',
        service: 'health',
      });
      await accredit(owner.sub, id);
      ids.push(id);
    }
    const id = await openCompetition({
      title: 'Outbox shortlisting, widest',
      region: 'london',
      service: 'health',
      prequalification: true,
    });
    // As publishing wrote it before the cap: 7 regions × 11 services, (7 + 1) × (11 + 1) = 96 entries.
    const before = (await repositories().competitions.get(id)) as Competition;
    const wide: Competition = {
      ...before,
      regions: REGIONS.slice(0, 7),
      services: SERVICES.slice(0, 11),
      version: before.version + 1,
    };
    await recordChange(
      repositories(),
      id,
      { at: new Date().toISOString(), actor: 'lead', action: 'test.widen', resource: 'competition' },
      {
        items: [
          ...repositories().competitions.updateItems(before, wide),
          ...repositories().competitions.openItems(wide),
        ],
      },
    );
    expect(await entries(id)).toBe(96);
    const responses: string[] = [];
    for (const owner of owners) {
      const response = await submitResponse(
        withSharedProviderData(repositories()),
        owner,
        id,
        { answers: { 'technical.relevant-experience': 'Experience.' } },
        new Date(),
      );
      responses.push(response.id);
    }
    await declare(repositories(), LEAD, id, [], new Date());
    // A new tender deadline (a release and the feed counter) and both outcomes: 96 + 1 + 2 + 2 + 1 = 102.
    const decided = await shortlist(
      repositories(),
      LEAD,
      id,
      { responseIds: [responses[0] ?? ''], tenderDeadline: HOURS(30).toISOString() },
      HOURS(1.5),
      { minTenderDays: 0 },
    );
    expect(decided).toMatchObject({ status: 'tendering', shortlist: [ids[0]] });
    const outcomes = (await eventsAbout(id)).map((e) => [e.inbox?.type, audienceOf(e).providerIds]);
    expect(outcomes.sort()).toEqual([
      ['not-shortlisted', [ids[1]]],
      ['shortlisted', [ids[0]]],
    ]);
    expect(await entries(id)).toBe(0);
  });
});

describe('the award decision and a challenge decision', () => {
  const OWNERS = { A: user('oo-owner-a'), B: user('oo-owner-b'), C: user('oo-owner-c') } as const;
  const providers = { A: '', B: '', C: '' };
  let c: Awaited<ReturnType<typeof competitionInStandstill>>;

  beforeAll(async () => {
    for (const key of ['A', 'B', 'C'] as const) {
      providers[key] = await verifiedProvider(OWNERS[key].sub, `Outcome bidder ${key}`, {
        region: 'yorkshire_humber',
        service: 'victim_services',
      });
    }
    c = await competitionInStandstill({ title: 'Outbox award', owners: OWNERS, standstillDays: 8 });
  });

  it('records one award event for the successful bidder and one for the unsuccessful, naming no rival', async () => {
    const events = await eventsAbout(c.id);
    expect(events).toHaveLength(2);
    expect(events.every((e) => e.kind === 'award')).toBe(true);
    const won = events.find((e) => e.inbox?.type === 'award-successful');
    const lost = events.find((e) => e.inbox?.type === 'award-unsuccessful');
    expect(audienceOf(won)).toEqual({ type: 'members', providerIds: [providers.A] });
    expect(audienceOf(lost)).toEqual({ type: 'members', providerIds: [providers.B, providers.C].sort() });
    const standstillEndsAt = c.standstillEndsAt.toISOString();
    for (const event of [won, lost]) {
      expect(event).toMatchObject({
        message: { action: { path: `/competitions/${c.id}/debrief` } },
        inbox: { competitionId: c.id, competitionTitle: 'Outbox award', standstillEndsAt },
      });
      // No bidder named, no price, no score, no rank: each reads its own debrief.
      const text = shown(event);
      for (const key of ['A', 'B', 'C'] as const) {
        expect(text).not.toContain(`Outcome bidder ${key}`);
        expect(text).not.toContain(providers[key]);
      }
      expect(text).not.toMatch(/50,?000|52,?000|55,?000|£|points|rank|score/i);
    }
    expect(won?.message.subject).toBe('Successful: Outbox award');
    expect(lost?.message.subject).toBe('Unsuccessful: Outbox award');
  });

  it('records nothing when an award decision is refused', async () => {
    await expect(
      decideAward(
        repositories(),
        PANEL.evaluators[0] as UserPrincipal,
        c.id,
        { bidId: c.bids.B, rationale: 'Not mine to decide' },
        new Date(c.decidedAt.getTime() + HOUR),
        config().rules,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      decideAward(
        repositories(),
        LEAD,
        c.id,
        { bidId: c.bids.B, rationale: 'Again, in standstill' },
        new Date(c.decidedAt.getTime() + HOUR),
        config().rules,
      ),
    ).rejects.toBeInstanceOf(InvalidStateError);
    expect(await eventsAbout(c.id)).toHaveLength(2);
  });

  it("records one challenge-decision event for the challenger's members only, none when refused", async () => {
    const during = new Date(c.decidedAt.getTime() + DAY);
    const challenge = await raiseChallenge(
      withSharedProviderData(repositories()),
      OWNERS.B,
      c.id,
      { grounds: 'Our answer was not read.' },
      during,
    );
    const before = (await eventsAbout(c.id)).length;
    await expect(
      decideChallenge(
        repositories(),
        PANEL.evaluators[0] as UserPrincipal,
        c.id,
        challenge.id,
        { outcome: 'rejected', reasons: 'Not mine' },
        during,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      decideChallenge(repositories(), LEAD, c.id, challenge.id, { outcome: 'upheld', reasons: 'x' }, during),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await eventsAbout(c.id)).toHaveLength(before);

    await decideChallenge(
      repositories(),
      LEAD,
      c.id,
      challenge.id,
      { outcome: 'rejected', reasons: 'The answer was read and scored by both evaluators.' },
      during,
    );
    const decisions = (await eventsAbout(c.id)).filter((e) => e.kind === 'challenge-decision');
    expect(decisions).toHaveLength(1);
    const [event] = decisions;
    expect(audienceOf(event)).toEqual({ type: 'members', providerIds: [providers.B] });
    // Its inbox notification was written with the decision: the event asks the delivery for none.
    expect(event?.inbox).toBeUndefined();
    expect(event?.message).toMatchObject({
      subject: 'Your challenge was rejected: Outbox award',
      action: { path: `/your-competitions/${c.id}/challenge` },
    });
    // The reasons stay behind the sign-in; nobody else is named.
    const text = shown(event);
    expect(text).not.toContain('scored by both evaluators');
    for (const key of ['A', 'C'] as const) expect(text).not.toContain(`Outcome bidder ${key}`);

    // Deciding it again is refused, and records nothing.
    await expect(
      decideChallenge(
        repositories(),
        LEAD,
        c.id,
        challenge.id,
        { outcome: 'rejected', reasons: 'x' },
        during,
      ),
    ).rejects.toBeInstanceOf(InvalidStateError);
    expect((await eventsAbout(c.id)).filter((e) => e.kind === 'challenge-decision')).toHaveLength(1);
  });
});

describe('a dispute', () => {
  const NOW = new Date('2026-11-22T10:00:00Z');
  const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
  const PRIME_OWNER = user('oo-prime-owner');
  const SUB_OWNER = user('oo-sub-owner');
  let contractId: string;
  let primeId: string;
  let subId: string;
  let lines: SpendLine[];

  beforeAll(async () => {
    primeId = await verifiedProvider(PRIME_OWNER.sub, 'Dispute Prime', {
      region: 'london',
      service: 'health',
    });
    subId = await verifiedProvider(SUB_OWNER.sub, 'Dispute Sub', { region: 'london', service: 'health' });
    const contract = await registerContract(
      repositories(),
      commissioner('oo-commissioner'),
      {
        title: 'Outbox dispute contract',
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        regions: ['london'],
        services: ['health'],
        subcontracting: { targetPercent: 10 },
      },
      NOW,
      RULES,
    );
    contractId = contract.id;
    await putSupplyChain(
      repositories(),
      PRIME_OWNER,
      contractId,
      { subcontractors: [{ ref: 'SUB', providerId: subId, services: [], plannedValuePence: 0 }] },
      NOW,
    );
    const filed = await fileSpendReturn(
      repositories(),
      PRIME_OWNER,
      contractId,
      '2026-Q1',
      {
        format: 'json',
        issues: [],
        lines: [
          {
            position: 0,
            subcontractorRef: 'SUB',
            invoiceRef: 'INV-OO-1',
            invoiceDate: '2026-01-02',
            paidDate: '2026-01-10',
            amountPence: 1234_56,
          },
          {
            position: 1,
            subcontractorRef: 'SUB',
            invoiceRef: 'INV-OO-2',
            invoiceDate: '2026-01-03',
            paidDate: '2026-01-11',
            amountPence: 2000_00,
          },
        ],
      },
      NOW,
      RULES,
    );
    lines = filed.spendReturn.lines as SpendLine[];
  });

  it("records one dispute-raised event for the prime's owners, naming the contract and period only", async () => {
    const target = { contractId, period: '2026-Q1', lineId: lines[0]?.lineId ?? '' };
    await disputeLine(repositories(), SUB_OWNER, target, 'We were paid £12.34 less than invoiced.', NOW);
    const events = await eventsAbout(contractId);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event?.kind).toBe('dispute-raised');
    expect(audienceOf(event)).toEqual({ type: 'owners', providerIds: [primeId] });
    expect(event?.inbox).toBeUndefined();
    expect(event?.message.action.path).toBe(`/your-contracts/${contractId}`);
    const text = shown(event);
    expect(text).toContain('Outbox dispute contract');
    expect(text).toContain('2026-Q1');
    // Not the reason, the invoice, the amount or who disputed it.
    for (const hidden of ['paid £12.34', 'INV-OO-1', '1234', 'Dispute Sub', subId, SUB_OWNER.sub])
      expect(text).not.toContain(hidden);
  });

  it('records nothing when a dispute is refused', async () => {
    const target = { contractId, period: '2026-Q1', lineId: lines[0]?.lineId ?? '' };
    // Disputed already: a conflict.
    await expect(disputeLine(repositories(), SUB_OWNER, target, 'Again', NOW)).rejects.toBeInstanceOf(
      ConflictError,
    );
    // Not paid to the caller's organisation: not found.
    await expect(
      disputeLine(repositories(), PRIME_OWNER, { ...target, lineId: lines[1]?.lineId ?? '' }, 'Mine?', NOW),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await eventsAbout(contractId)).toHaveLength(1);
  });
});

describe('delivered', () => {
  let delivery: TestDelivery;
  const PREFIX = 'oo-mail';
  const OWNERS = [user(`${PREFIX}-a`), user(`${PREFIX}-b`)] as const;
  const MEMBER = user(`${PREFIX}-a-member`);
  const OUTSIDER = user(`${PREFIX}-outsider`);
  const email = (p: UserPrincipal) => `${p.sub}@example.org`;
  const providers: string[] = [];

  beforeAll(async () => {
    delivery = await startTestDelivery();
    for (const [i, owner] of OWNERS.entries()) {
      const id = await verifiedProvider(owner.sub, `Mail applicant ${i}`, {
        region: 'north_west',
        service: 'accommodation',
      });
      await accredit(owner.sub, id);
      providers.push(id);
    }
    const invitation = await inviteMember(
      repositories(),
      OWNERS[0],
      providers[0] ?? '',
      { sub: MEMBER.sub, role: 'member' },
      new Date(),
      14,
    );
    await answerInvitation(repositories(), MEMBER, invitation.id, 'accepted', new Date());
    await verifiedProvider(OUTSIDER.sub, 'Mail outsider', { region: 'north_west', service: 'accommodation' });
    for (const who of [...OWNERS, MEMBER, OUTSIDER]) await delivery.remember(who.sub, email(who));
  });

  afterAll(async () => {
    await delivery?.stop();
  });

  it("gives each applicant's members its own outcome, in the inbox and by e-mail, and nobody else anything", async () => {
    const competitionId = await openCompetition({
      title: 'Outbox shortlisting delivered',
      region: 'north_west',
      service: 'accommodation',
      prequalification: true,
    });
    const responses: string[] = [];
    for (const owner of OWNERS) {
      const response = await submitResponse(
        withSharedProviderData(repositories()),
        owner,
        competitionId,
        { answers: { 'technical.relevant-experience': 'Experience.' } },
        new Date(),
      );
      responses.push(response.id);
    }
    await declare(repositories(), LEAD, competitionId, [], new Date());
    await delivery.drain();
    const before = (await delivery.allMail()).length;
    await shortlist(repositories(), LEAD, competitionId, { responseIds: [responses[0] ?? ''] }, HOURS(1.5), {
      minTenderDays: 0,
    });
    await delivery.drain();

    const inbox = async (providerId: string) =>
      (await repositories().notifications.listForProviders([providerId], 50, undefined)).items
        .filter((n) => n.competitionId === competitionId && n.type !== 'opportunity')
        .map((n) => n.type);
    expect(await inbox(providers[0] ?? '')).toEqual(['shortlisted']);
    expect(await inbox(providers[1] ?? '')).toEqual(['not-shortlisted']);

    const subjects = async (who: UserPrincipal) =>
      (await delivery.mailTo(email(who)))
        .map((m) => m.subject)
        .filter((s) => s.includes('Outbox shortlisting delivered') && !s.startsWith('New opportunity'));
    expect(await subjects(OWNERS[0])).toEqual(['Shortlisted: Outbox shortlisting delivered']);
    expect(await subjects(MEMBER)).toEqual(['Shortlisted: Outbox shortlisting delivered']);
    expect(await subjects(OWNERS[1])).toEqual(['Not shortlisted: Outbox shortlisting delivered']);
    expect(await subjects(OUTSIDER)).toEqual([]);
    // Three e-mails in all: one per member of each applicant, nobody else.
    const all = (await delivery.allMail()).slice(before);
    expect(
      all.filter((m) => /^(Not )?[Ss]hortlisted: Outbox shortlisting delivered$/.test(m.subject)),
    ).toHaveLength(3);
  });

  it("tells the prime's owners of a dispute by e-mail, and not its other members", async () => {
    // The prime is OWNERS[0]'s organisation, whose plain member must get nothing.
    const NOW = new Date('2026-11-22T10:00:00Z');
    const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
    const primeId = providers[0] ?? '';
    const subId = providers[1] ?? '';
    const contract = await registerContract(
      repositories(),
      commissioner('oo-commissioner'),
      {
        title: 'Outbox dispute delivered',
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        regions: ['north_west'],
        services: ['accommodation'],
        subcontracting: { targetPercent: 10 },
      },
      NOW,
      RULES,
    );
    await putSupplyChain(
      repositories(),
      OWNERS[0],
      contract.id,
      { subcontractors: [{ ref: 'SUB', providerId: subId, services: [], plannedValuePence: 0 }] },
      NOW,
    );
    const filed = await fileSpendReturn(
      repositories(),
      OWNERS[0],
      contract.id,
      '2026-Q1',
      {
        format: 'json',
        issues: [],
        lines: [
          {
            position: 0,
            subcontractorRef: 'SUB',
            invoiceRef: 'INV-MAIL-1',
            invoiceDate: '2026-01-02',
            paidDate: '2026-01-10',
            amountPence: 500_00,
          },
        ],
      },
      NOW,
      RULES,
    );
    const [line] = filed.spendReturn.lines as SpendLine[];
    await delivery.drain();
    await disputeLine(
      repositories(),
      OWNERS[1],
      { contractId: contract.id, period: '2026-Q1', lineId: line?.lineId ?? '' },
      'Not received.',
      NOW,
    );
    await delivery.drain();
    const subjects = async (who: UserPrincipal) =>
      (await delivery.mailTo(email(who)))
        .map((m) => m.subject)
        .filter((s) => s.includes('Outbox dispute delivered'));
    expect(await subjects(OWNERS[0])).toEqual(['A payment is disputed: Outbox dispute delivered']);
    expect(await subjects(MEMBER)).toEqual([]);
    expect(await subjects(OWNERS[1])).toEqual([]);
    expect(await subjects(OUTSIDER)).toEqual([]);
  });
});
