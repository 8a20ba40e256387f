/**
 * The changes that tell people record what to tell in their own transaction (issue 17), over DynamoDB
 * Local and the local S3 server:
 *
 * - publishing a competition records one `opportunity-match` event (audience: the opportunity, with the
 *   inbox notification the delivery writes for each matching organisation); its answer no longer claims to
 *   know how many were told;
 * - making a tender document version current on a published competition records one `document-changed`
 *   event for the organisations taking part;
 * - an answer published to all records one `clarification-answer` event for the organisations taking part,
 *   naming nobody who asked; an answer to the asker alone records none;
 * - asking a question, applying, saving a draft bid, submitting it, withdrawing it and agreeing to be
 *   named in another's bid each put the organisation's taking-part mark (`TAKING#<competition>`) in the
 *   same transaction;
 * - a change refused records nothing: no event, no mark.
 *
 * Events are read back by key from this file's outbox table: each use case is given the real outbox
 * repository wrapped to remember the events it was asked to record, so the test knows their ids (event ids
 * are ULIDs made in the use case) and checks which of them the table holds.
 */
import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { outboxKeys } from '../../shared/db/keys';
import type { OutboxRepository } from '../../shared/db/outbox';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { ConflictError, DeadlinePassedError, ForbiddenError } from '../../shared/domain/errors';
import type { OutboxEvent } from '../../shared/domain/notifications/outbox';
import { documentStorage } from '../../shared/storage/documents';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import {
  addDocument,
  addDocumentVersion,
  confirmUpload,
  type DocumentUploadInput,
  type UploadTicket,
} from '../../shared/use-cases/documents/upload-document';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';
import { saveDraft, submitBid, withdrawBid } from '../../shared/use-cases/tenders/bidder';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import { competitionBody, inSeconds } from '../support/competitions';
import {
  accredit,
  draftCompetition,
  LEAD,
  openCompetition,
  user,
  verifiedProvider,
} from '../support/scenario';
import { useTestTables } from '../support/tables';

const table = () => config().tables.outbox;

/** The real outbox repository, remembering every event a use case asked it to record. */
function recordingOutbox(): { outbox: OutboxRepository; built: OutboxEvent[] } {
  const real = repositories().outbox;
  const built: OutboxEvent[] = [];
  const outbox = Object.create(real) as OutboxRepository;
  outbox.eventItems = (event) => {
    built.push(event);
    return real.eventItems(event);
  };
  return { outbox, built };
}

/** The stored event with this id, without its keys, or undefined. */
async function storedEvent(id: string): Promise<Record<string, unknown> | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: table(), Key: outboxKeys.event(id), ConsistentRead: true }),
  );
  return result.Item;
}

/** Those of the built events that the outbox table holds. */
async function stored(built: readonly OutboxEvent[]): Promise<OutboxEvent[]> {
  const found: OutboxEvent[] = [];
  for (const event of built) if (await storedEvent(event.id)) found.push(event);
  return found;
}

/** Whether the organisation's taking-part mark for the competition is in the outbox table. */
async function takingPart(competitionId: string, providerId: string): Promise<boolean> {
  const result = await documentClient().send(
    new GetCommand({
      TableName: table(),
      Key: outboxKeys.takingPart(competitionId, providerId),
      ConsistentRead: true,
    }),
  );
  return result.Item !== undefined;
}

/** Removes a mark, so the next write is seen to put it again. */
async function forget(competitionId: string, providerId: string): Promise<void> {
  await documentClient().send(
    new DeleteCommand({ TableName: table(), Key: outboxKeys.takingPart(competitionId, providerId) }),
  );
}

beforeAll(async () => {
  await useTestTables();
});

describe('publishing', () => {
  it('records one opportunity-match event with the publication, for the opportunity as published', async () => {
    const id = await draftCompetition({
      title: 'Outbox publication',
      region: 'north_east',
      service: 'victim_services',
    });
    const { outbox, built } = recordingOutbox();
    const published = await publishCompetition(
      { ...repositories(), outbox },
      LEAD,
      id,
      new Date(),
      config().rules,
    );
    // Who is told is the delivery's to find, after the commit: the answer does not pretend to know.
    expect(published).not.toHaveProperty('notified');
    const events = await stored(built);
    expect(events).toHaveLength(1);
    const event = (await storedEvent(events[0]?.id ?? '')) as unknown as OutboxEvent;
    expect(event).toMatchObject({
      kind: 'opportunity-match',
      audience: {
        type: 'opportunity',
        opportunity: {
          competitionId: id,
          title: 'Outbox publication',
          regions: ['north_east'],
          services: ['victim_services'],
          estimatedValuePence: 50_000_00,
        },
      },
      message: {
        subject: 'New opportunity: Outbox publication',
        action: { path: `/find-an-opportunity/${id}` },
      },
      inbox: {
        type: 'opportunity',
        title: 'New opportunity: Outbox publication',
        competitionId: id,
        closes: 'tender',
        closesAt: published.tenderDeadline,
      },
    });
    expect(event.message.paragraphs[0]).toMatch(/^Tenders close .*No pre-qualification/);
  });

  it('says when pre-qualification closes, for a competition with one', async () => {
    const id = await draftCompetition({
      title: 'Outbox publication with pre-qualification',
      region: 'north_east',
      service: 'victim_services',
      prequalification: true,
    });
    const { outbox, built } = recordingOutbox();
    await publishCompetition({ ...repositories(), outbox }, LEAD, id, new Date(), config().rules);
    const [event] = await stored(built);
    expect(event?.message.paragraphs[0]).toMatch(/^Pre-qualification closes .*\(core questionnaire\)/);
    expect(event?.inbox).toMatchObject({ closes: 'prequalification', prequalificationTier: 'core' });
  });

  it('records exactly one event when two publish the same draft at once, and none for the one refused', async () => {
    const id = await draftCompetition({
      title: 'Outbox publication race',
      region: 'north_east',
      service: 'victim_services',
    });
    const { outbox, built } = recordingOutbox();
    const results = await Promise.allSettled(
      [1, 2].map(() =>
        publishCompetition({ ...repositories(), outbox }, LEAD, id, new Date(), config().rules),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await stored(built)).toHaveLength(1);
  });

  it('records nothing when the publication is refused', async () => {
    const id = await draftCompetition({
      title: 'Outbox publication refused',
      region: 'north_east',
      service: 'victim_services',
    });
    const { outbox, built } = recordingOutbox();
    await expect(
      publishCompetition(
        { ...repositories(), outbox },
        { kind: 'user', sub: 'not-the-lead', email: undefined, groups: ['commissioner'] },
        id,
        new Date(),
        config().rules,
      ),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await stored(built)).toEqual([]);
  });
});

const PDF = Buffer.from('%PDF-1.4\n% the specification\n%%EOF\n', 'latin1');
const pdf = (title: string): DocumentUploadInput => ({
  title,
  kind: 'specification',
  fileName: 'specification.pdf',
  contentType: 'application/pdf',
  sizeBytes: PDF.length,
});

async function upload(ticket: UploadTicket): Promise<void> {
  const response = await fetch(ticket.uploadUrl, {
    method: 'PUT',
    body: PDF,
    headers: { 'content-type': 'application/pdf' },
  });
  expect(response.status).toBe(200);
}

describe('tender documents', () => {
  const deps = (outbox: OutboxRepository): DocumentDeps => ({
    ...repositories(),
    outbox,
    storage: documentStorage(),
  });
  const rules = () => config().documents;

  it('records one document-changed event for those taking part with each version made current, once published', async () => {
    const id = await openCompetition({
      title: 'Outbox documents',
      region: 'north_west',
      service: 'health',
    });
    const { outbox, built } = recordingOutbox();
    const ticket = await addDocument(deps(outbox), LEAD, id, pdf('Specification'), new Date(), rules());
    // Handing out the upload URL tells nobody: nothing is current yet.
    expect(await stored(built)).toEqual([]);
    await upload(ticket);
    await confirmUpload(deps(outbox), LEAD, id, ticket.documentId, 1, new Date(), rules());
    let events = await stored(built);
    expect(events).toHaveLength(1);
    expect(await storedEvent(events[0]?.id ?? '')).toMatchObject({
      kind: 'document-changed',
      audience: { type: 'taking-part', competitionId: id },
      message: {
        subject: 'New tender document: Specification',
        action: { path: `/find-an-opportunity/${id}` },
      },
      inbox: { type: 'document-changed', competitionId: id, closes: 'tender' },
    });

    // Confirming the same version again changes nothing, and records nothing more.
    await confirmUpload(deps(outbox), LEAD, id, ticket.documentId, 1, new Date(), rules()).catch(
      () => undefined,
    );
    expect(await stored(built)).toHaveLength(1);

    const second = await addDocumentVersion(
      deps(outbox),
      LEAD,
      id,
      ticket.documentId,
      pdf('Specification'),
      new Date(),
      rules(),
    );
    await upload(second);
    await confirmUpload(deps(outbox), LEAD, id, ticket.documentId, 2, new Date(), rules());
    events = await stored(built);
    expect(events).toHaveLength(2);
    expect(events[1]?.message.subject).toBe('Tender document changed: Specification is now version 2');
  });

  it("records nothing for a draft's documents: nobody takes part in a draft", async () => {
    const id = await draftCompetition({
      title: 'Outbox draft documents',
      region: 'north_west',
      service: 'health',
    });
    const { outbox, built } = recordingOutbox();
    const ticket = await addDocument(deps(outbox), LEAD, id, pdf('Draft spec'), new Date(), rules());
    await upload(ticket);
    await confirmUpload(deps(outbox), LEAD, id, ticket.documentId, 1, new Date(), rules());
    expect(built).toEqual([]);
  });
});

describe('clarification questions', () => {
  let id: string;
  let askerId: string;

  beforeAll(async () => {
    askerId = await verifiedProvider('outbox-asker', 'Outbox Asking Charity', {
      region: 'london',
      service: 'restorative_justice',
    });
    // Questions close days before the tender deadline: a deadline a month away.
    const created = await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title: 'Outbox questions',
        regions: ['london'],
        services: ['restorative_justice'],
        estimatedValuePence: 80_000_00,
        termMonths: 24,
        risk: 'low',
        prequalificationDeadline: undefined,
        tenderDeadline: inSeconds(30 * 86_400),
      }) as unknown as CreateCompetitionInput,
      new Date(),
      config().rules,
    );
    id = created.id;
    await publishCompetition(repositories(), LEAD, id, new Date(), config().rules);
    await declare(repositories(), LEAD, id, [], new Date());
  });

  const ask = (outbox: OutboxRepository, question: string) =>
    askQuestion(
      { ...repositories(), outbox },
      user('outbox-asker'),
      id,
      { question },
      new Date(),
      config().rules,
    );

  it('puts the asking organisation among those taking part, with the question', async () => {
    expect(await takingPart(id, askerId)).toBe(false);
    await ask(repositories().outbox, 'Is the service delivered in custody too?');
    expect(await takingPart(id, askerId)).toBe(true);
  });

  it('puts no mark when the question is refused by its transaction', async () => {
    const cappedId = await verifiedProvider('outbox-capped', 'Outbox Capped Asker', {
      region: 'london',
      service: 'restorative_justice',
    });
    const capped = (question: string, maxPendingQuestions: number) =>
      askQuestion(repositories(), user('outbox-capped'), id, { question }, new Date(), {
        ...config().rules,
        maxPendingQuestions,
      });
    await capped('First question', 5);
    await forget(id, cappedId);
    // One question waiting and a cap of one: the transaction's count refuses the second, and its mark.
    await expect(capped('Second question', 1)).rejects.toMatchObject({ code: 'too-many-questions' });
    expect(await takingPart(id, cappedId)).toBe(false);
  });

  it('records one clarification-answer event for those taking part when an answer is published, naming nobody', async () => {
    const asked = await ask(repositories().outbox, 'Can a consortium bid?');
    const { outbox, built } = recordingOutbox();
    await answerQuestion(
      { ...repositories(), outbox },
      LEAD,
      id,
      asked.id,
      { answer: 'Yes, with a lead member.', audience: 'all' },
      new Date(),
    );
    const events = await stored(built);
    expect(events).toHaveLength(1);
    const event = await storedEvent(events[0]?.id ?? '');
    expect(event).toMatchObject({
      kind: 'clarification-answer',
      audience: { type: 'taking-part', competitionId: id },
      message: { action: { path: `/your-competitions/${id}/questions` } },
    });
    // The asker keeps its own inbox notification (written in the same transaction); the event has none.
    expect(event).not.toHaveProperty('inbox');
    const text = JSON.stringify(event);
    for (const secret of ['Outbox Asking Charity', askerId, 'outbox-asker', 'Can a consortium bid?'])
      expect(text, secret).not.toContain(secret);
  });

  it('records nothing for an answer to the asker alone, nor for a second answer refused', async () => {
    const asked = await ask(repositories().outbox, 'Is our own referral route acceptable?');
    const { outbox, built } = recordingOutbox();
    await answerQuestion(
      { ...repositories(), outbox },
      LEAD,
      id,
      asked.id,
      { answer: 'Yes.', audience: 'asker' },
      new Date(),
    );
    expect(built).toEqual([]);
    const published = await ask(repositories().outbox, 'Are volunteer expenses allowable?');
    // Two answers at once: both read the question unanswered, the transaction lets one through.
    const results = await Promise.allSettled(
      ['Yes.', 'Yes, within limits.'].map((answer) =>
        answerQuestion(
          { ...repositories(), outbox },
          LEAD,
          id,
          published.id,
          { answer, audience: 'all' },
          new Date(),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
      ConflictError,
    );
    // Both built their event; only the answer that was stored recorded it.
    expect(built).toHaveLength(2);
    expect(await stored(built)).toHaveLength(1);
  });
});

describe('applying and bidding', () => {
  it('puts the applicant among those taking part, with its pre-qualification response', async () => {
    const applicantId = await verifiedProvider('outbox-applicant', 'Outbox Applicant', {
      region: 'wales',
      service: 'accommodation',
    });
    await accredit('outbox-applicant', applicantId);
    const id = await openCompetition({
      title: 'Outbox applications',
      region: 'wales',
      service: 'accommodation',
      prequalification: true,
    });
    await submitResponse(
      withSharedProviderData(repositories()),
      user('outbox-applicant'),
      id,
      { answers: { 'technical.relevant-experience': 'Ten years of move-on housing.' } },
      new Date(),
    );
    expect(await takingPart(id, applicantId)).toBe(true);
  });

  it('puts the bidder among those taking part with its draft, its submission and its withdrawal', async () => {
    const bidderId = await verifiedProvider('outbox-bidder', 'Outbox Bidder', {
      region: 'wales',
      service: 'health',
    });
    const id = await openCompetition({ title: 'Outbox bids', region: 'wales', service: 'health' });
    const deps = withSharedProviderData(repositories());
    const bidder = user('outbox-bidder');
    await saveDraft(
      deps,
      bidder,
      id,
      {
        pricePence: 40_000_00,
        qualityResponses: { quality: 'Our method' },
        subcontractors: [],
        consortium: [],
      },
      new Date(),
    );
    expect(await takingPart(id, bidderId)).toBe(true);
    await forget(id, bidderId);
    await submitBid(deps, bidder, id, undefined, new Date());
    expect(await takingPart(id, bidderId)).toBe(true);
    await forget(id, bidderId);
    await withdrawBid(deps, bidder, id, undefined, new Date());
    expect(await takingPart(id, bidderId)).toBe(true);
  });

  it('puts an organisation among those taking part when it agrees to be named in a bid', async () => {
    const bidderId = await verifiedProvider('outbox-lead-bidder', 'Outbox Lead Bidder', {
      region: 'wales',
      service: 'drugs_alcohol',
    });
    const partnerId = await verifiedProvider('outbox-partner', 'Outbox Partner', {
      region: 'wales',
      service: 'drugs_alcohol',
    });
    const id = await openCompetition({ title: 'Outbox partners', region: 'wales', service: 'drugs_alcohol' });
    await agreeToBeNamed(
      withSharedProviderData(repositories()),
      user('outbox-partner'),
      id,
      { providerId: partnerId, bidderId, role: 'subcontractor' },
      new Date(),
    );
    expect(await takingPart(id, partnerId)).toBe(true);
    // The bidder has done nothing yet: it is not taking part on its partner's say-so.
    expect(await takingPart(id, bidderId)).toBe(false);
  });

  it('puts no mark when the bid is refused by its transaction (the deadline passed meanwhile)', async () => {
    const bidderId = await verifiedProvider('outbox-late-bidder', 'Outbox Late Bidder', {
      region: 'wales',
      service: 'unpaid_work',
    });
    const id = await openCompetition({ title: 'Outbox late bid', region: 'wales', service: 'unpaid_work' });
    const stored = await repositories().competitions.get(id);
    if (!stored) throw new Error('no competition');
    // The use case judges the deadline on the competition it read; the transaction's guard on the one
    // stored, at the time of the request: read as if the deadline were a day later, written after it.
    const competitions = Object.create(repositories().competitions) as ReturnType<
      typeof repositories
    >['competitions'];
    competitions.get = async () => ({
      ...stored,
      tenderDeadline: new Date(Date.parse(stored.tenderDeadline) + 86_400_000).toISOString(),
    });
    const afterDeadline = new Date(Date.parse(stored.tenderDeadline) + 1_000);
    await expect(
      saveDraft(
        { ...withSharedProviderData(repositories()), competitions },
        user('outbox-late-bidder'),
        id,
        {
          pricePence: 40_000_00,
          qualityResponses: { quality: 'Too late' },
          subcontractors: [],
          consortium: [],
        },
        afterDeadline,
      ),
    ).rejects.toBeInstanceOf(DeadlinePassedError);
    expect(await takingPart(id, bidderId)).toBe(false);
  });
});
