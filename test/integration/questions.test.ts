/**
 * Clarification question use cases and repository against DynamoDB Local (issue 15): the ask's guards
 * hold in its transaction (a competition changed since it was read is judged again; an organisation no
 * longer verified, or an asker no longer a member, stores nothing), two racing answers leave one answer and
 * one notification, the clarification deadline is judged on the deadline that is current, and the demo
 * data loads through the use cases.
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCompetitions, PREQUALIFICATION_TITLE } from '../../local/demo/competitions';
import { seedProviders } from '../../local/demo/providers';
import { seedQuestions } from '../../local/demo/questions';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { registryKeys } from '../../shared/db/keys';
import { repositories } from '../../shared/db/repositories';
import {
  ConflictError,
  DeadlinePassedError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
} from '../../shared/domain/errors';
import type { Question } from '../../shared/domain/questions';
import { cancelCompetition } from '../../shared/use-cases/competitions/cancel-competition';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { listNotifications } from '../../shared/use-cases/list-notifications';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';
import { readClarificationLog, readOutsideLog } from '../../shared/use-cases/questions/read-questions';
import { LEAD, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const DAY = 24 * 3600 * 1000;
const rules = () => config().rules;

/** A published competition led by `LEAD`: tier core when `prequalificationDays` is given, else tier none. */
async function competition(tenderDays: number, prequalificationDays?: number): Promise<string> {
  const now = new Date();
  const created = await createCompetition(
    repositories(),
    LEAD,
    {
      title: 'Resettlement support, Yorkshire',
      description: 'Resettlement support.',
      services: ['finance_benefit_debt'],
      regions: ['yorkshire_humber'],
      estimatedValuePence: prequalificationDays === undefined ? 50_000_00 : 300_000_00,
      termMonths: prequalificationDays === undefined ? 12 : 24,
      risk: prequalificationDays === undefined ? 'low' : 'medium',
      ...(prequalificationDays === undefined
        ? {}
        : { prequalificationDeadline: new Date(now.getTime() + prequalificationDays * DAY).toISOString() }),
      tenderDeadline: new Date(now.getTime() + tenderDays * DAY).toISOString(),
      criteria: [
        { id: 'quality', name: 'Quality', kind: 'quality', weight: 70 },
        { id: 'price', name: 'Price', kind: 'price', weight: 30 },
      ],
    },
    now,
    rules(),
  );
  await publishCompetition(repositories(), LEAD, created.id, now, rules());
  await declare(repositories(), LEAD, created.id, [], now);
  return created.id;
}

let providerId: string;

beforeAll(async () => {
  await useTestTables();
  providerId = await verifiedProvider('owner', 'Yorkshire Money Advice', {
    region: 'yorkshire_humber',
    service: 'finance_benefit_debt',
  });
});

describe('asking', () => {
  it('judges the clarification deadline on the current deadline: pre-qualification, then tender', async () => {
    // Pre-qualification closes in 4 days (clarification closed a day ago); tenders in 30.
    const id = await competition(30, 4);
    await expect(
      askQuestion(repositories(), user('owner'), id, { question: 'Now?' }, new Date(), rules()),
    ).rejects.toThrow(DeadlinePassedError);
    // Once pre-qualification has closed, questions about the tender stage are taken again.
    const shortlisting = new Date(Date.now() + 5 * DAY);
    const asked = await askQuestion(
      repositories(),
      user('owner'),
      id,
      { question: 'About the tender?' },
      shortlisting,
      rules(),
    );
    expect(asked.status).toBe('asked');
  });

  it('refuses a cancelled competition and an unknown one', async () => {
    const id = await competition(20);
    await cancelCompetition(repositories(), LEAD, id, 'Budget withdrawn', new Date());
    await expect(
      askQuestion(repositories(), user('owner'), id, { question: 'Still on?' }, new Date(), rules()),
    ).rejects.toThrow(InvalidStateError);
    await expect(
      askQuestion(
        repositories(),
        user('owner'),
        '01JD0000000000000000000000',
        { question: 'Hello?' },
        new Date(),
        rules(),
      ),
    ).rejects.toThrow(NotFoundError);
  });

  it('judges again when the competition changed between the read and the write', async () => {
    const id = await competition(20);
    const repos = repositories();
    let reads = 0;
    // The first read is stale: the competition is cancelled after it, before the write.
    const competitions = {
      get: async (competitionId: string) => {
        const read = await repos.competitions.get(competitionId);
        reads += 1;
        if (reads === 1) await cancelCompetition(repos, LEAD, competitionId, 'Withdrawn', new Date());
        return read;
      },
    };
    await expect(
      askQuestion({ ...repos, competitions }, user('owner'), id, { question: 'Race?' }, new Date(), rules()),
    ).rejects.toThrow(InvalidStateError);
    expect(reads).toBe(2);
    const log = await repos.questions.listForAskers(id, [providerId], { limit: 10 });
    expect(log.items).toEqual([]);
  });

  it('stores nothing when the organisation stopped being verified after it was read', async () => {
    const id = await competition(20);
    const repos = repositories();
    const providers = {
      getMany: async (ids: string[]) => {
        const found = await repos.providers.getMany(ids);
        // An admin suspends it just after the read.
        await documentClient().send(
          new UpdateCommand({
            TableName: config().tables.registry,
            Key: registryKeys.provider(providerId),
            UpdateExpression: 'SET #status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          }),
        );
        return found;
      },
    };
    try {
      await expect(
        askQuestion(
          { ...repos, providers },
          user('owner'),
          id,
          { question: 'Verified?' },
          new Date(),
          rules(),
        ),
      ).rejects.toThrow(ForbiddenError);
      const log = await repos.questions.listAll(id, { limit: 10 });
      expect(log.items).toEqual([]);
    } finally {
      await documentClient().send(
        new UpdateCommand({
          TableName: config().tables.registry,
          Key: registryKeys.provider(providerId),
          UpdateExpression: 'SET #status = :verified',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':verified': 'verified' },
        }),
      );
    }
  });

  it('asks for the organisation when the asker belongs to several verified ones', async () => {
    const id = await competition(20);
    const second = await verifiedProvider('owner', 'Second Organisation', {
      region: 'yorkshire_humber',
      service: 'finance_benefit_debt',
    });
    await expect(
      askQuestion(repositories(), user('owner'), id, { question: 'Which?' }, new Date(), rules()),
    ).rejects.toMatchObject({ issues: [{ path: 'providerId' }] });
    const asked = await askQuestion(
      repositories(),
      user('owner'),
      id,
      { question: 'This one.', providerId: second },
      new Date(),
      rules(),
    );
    const own = await readOutsideLog(repositories(), user('owner'), id, { limit: 10 });
    expect(own.page.items.map((q) => [q.id, q.askedBy?.providerId])).toEqual([[asked.id, second]]);
  });
});

describe('answering', () => {
  it('two racing answers leave one answer and one notification', async () => {
    const id = await competition(20);
    const rival = await verifiedProvider('racer', 'Racing Charity', {
      region: 'yorkshire_humber',
      service: 'finance_benefit_debt',
    });
    const { id: questionId } = await askQuestion(
      repositories(),
      user('racer'),
      id,
      { question: 'Who wins?' },
      new Date(),
      rules(),
    );
    const results = await Promise.allSettled(
      ['First answer', 'Second answer'].map((answer) =>
        answerQuestion(repositories(), LEAD, id, questionId, { answer, audience: 'all' }, new Date()),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(ConflictError);
    const inbox = await listNotifications(repositories(), user('racer'), { limit: 50 });
    expect(inbox.items.filter((n) => n.type === 'question-answered' && n.providerId === rival)).toHaveLength(
      1,
    );
    const stored = (await repositories().questions.get(id, questionId)) as Question;
    const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
      answer: string;
    }>;
    expect(stored.answer).toBe(winner.value.answer);
  });

  it('refuses a lead who has not declared (an inside action)', async () => {
    const now = new Date();
    const created = await createCompetition(
      repositories(),
      LEAD,
      {
        title: 'Undeclared lead',
        description: 'x',
        services: ['finance_benefit_debt'],
        regions: ['yorkshire_humber'],
        estimatedValuePence: 50_000_00,
        termMonths: 12,
        risk: 'low',
        tenderDeadline: new Date(now.getTime() + 20 * DAY).toISOString(),
        criteria: [
          { id: 'quality', name: 'Quality', kind: 'quality', weight: 70 },
          { id: 'price', name: 'Price', kind: 'price', weight: 30 },
        ],
      },
      now,
      rules(),
    );
    await publishCompetition(repositories(), LEAD, created.id, now, rules());
    const { id: questionId } = await askQuestion(
      repositories(),
      user('owner'),
      created.id,
      { question: 'Anyone there?', providerId },
      now,
      rules(),
    );
    await expect(
      answerQuestion(repositories(), LEAD, created.id, questionId, { answer: 'Yes', audience: 'all' }, now),
    ).rejects.toMatchObject({ code: 'declaration-required' });
    const log = await readClarificationLog(repositories(), LEAD, created.id, { limit: 10 }, now);
    // Refused the inside view, the undeclared lead reads what the public reads.
    expect(log.reader).toBe('public');
    expect(log.page.items).toEqual([]);
  });
});

describe('demo data', () => {
  it('publishes answers in order and leaves the demo owner one question to be answered', async () => {
    // The first 60 of the 300 `npm start` loads, as the demo data test does: enough for every competition.
    await seedProviders(repositories(), 60);
    await loadDemoCompetitions(repositories(), rules());
    const summary = await seedQuestions(repositories(), rules());
    expect(summary).toMatch(/^3 published answers, one private answer and one question from "demo-owner"/);
    const seats = await repositories().competitions.seats('demo-commissioner', { limit: 50 });
    const summaries = await repositories().competitions.summaries(seats.items.map((s) => s.competitionId));
    const demo = [...summaries.values()].find((s) => s.competition.title === PREQUALIFICATION_TITLE);
    const id = demo?.competition.id as string;
    const published = await repositories().questions.listPublished(id, { limit: 10 });
    expect(published.items).toHaveLength(3);
    const times = published.items.map((q) => q.answeredAt ?? '');
    expect([...times].sort()).toEqual(times);
    expect(published.items[1]?.publishedQuestion).toBe(
      'Can a provider bid to deliver the service in part of the region only?',
    );
    const all = await repositories().questions.listAll(id, { limit: 10 });
    expect(all.items.filter((q) => q.status === 'asked')).toHaveLength(1);
  }, 180_000);
});
