/**
 * The cap on clarification questions waiting for an answer (attacker review of issue 15): one organisation
 * filing thousands of questions would bury the lead, so each asking organisation may have at most
 * `MAX_PENDING_QUESTIONS` unanswered questions on one competition at once. Over DynamoDB Local: the cap
 * holds when N + 5 asks race (a counter moved under a condition in each ask's transaction), an answer to
 * all or to the asker frees a place (the counter moves in the answer's transaction), other organisations
 * and other competitions are untouched, the JSON route refuses with 409 `/problems/too-many-questions`,
 * the provider's page says so in a GOV.UK error, the OpenAPI document declares the bound, and the counter
 * shows on no listing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as askHandler } from '../../functions/questions/ask';
import { handler as providerQuestions } from '../../functions/web/provider-questions';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import { TooManyQuestionsError } from '../../shared/domain/errors';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';
import { readClarificationLog, readOutsideLog } from '../../shared/use-cases/questions/read-questions';
import { httpEvent, lambdaContext } from '../support/events';
import { LEAD, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const DAY = 24 * 3600 * 1000;
const rules = () => config().rules;
/** The cap as configured: the default, 20. */
const N = () => rules().maxPendingQuestions;

const ASKER = 'cap-asker';
const OTHER = 'cap-other';

/** A published competition led by `LEAD`, open for questions for three weeks, the lead declared. */
async function competition(title: string): Promise<string> {
  const now = new Date();
  const created = await createCompetition(
    repositories(),
    LEAD,
    {
      title,
      description: 'Resettlement support.',
      services: ['finance_benefit_debt'],
      regions: ['north_east'],
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(now.getTime() + 30 * DAY).toISOString(),
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

const ask = (sub: string, competitionId: string, n: number) =>
  askQuestion(repositories(), user(sub), competitionId, { question: `Question ${n}?` }, new Date(), rules());

/** Asks `count` questions one after another. */
async function askMany(sub: string, competitionId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) ids.push((await ask(sub, competitionId, n)).id);
  return ids;
}

let askerId: string;

beforeAll(async () => {
  await useTestTables();
  askerId = await verifiedProvider(ASKER, 'Tyneside Resettlement Trust', {
    region: 'north_east',
    service: 'finance_benefit_debt',
  });
  await verifiedProvider(OTHER, 'Wearside Money Advice', {
    region: 'north_east',
    service: 'finance_benefit_debt',
  });
});

describe('the cap on questions waiting for an answer', () => {
  it('is 20 by default, read from MAX_PENDING_QUESTIONS', () => {
    expect(N()).toBe(20);
  });

  it('lets exactly N of N + 5 racing asks through; the others are refused with the limit, and nothing of them is stored', async () => {
    const id = await competition('Cap: racing asks');
    const results = await Promise.allSettled(Array.from({ length: N() + 5 }, (_, n) => ask(ASKER, id, n)));
    const asked = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected').map((r) => r.reason);
    expect(asked).toHaveLength(N());
    expect(refused).toHaveLength(5);
    for (const reason of refused) {
      expect(reason).toBeInstanceOf(TooManyQuestionsError);
      expect((reason as TooManyQuestionsError).limit).toBe(N());
      expect((reason as Error).message).toContain(`${N()} questions waiting for an answer`);
    }
    const stored = await repositories().questions.listAll(id, { limit: 100 });
    expect(stored.items).toHaveLength(N());
  });

  it('frees a place for each answer, to all or to the asker alone, and no more', async () => {
    const id = await competition('Cap: answers free places');
    const ids = await askMany(ASKER, id, N());
    await expect(ask(ASKER, id, 100)).rejects.toBeInstanceOf(TooManyQuestionsError);

    await answerQuestion(
      repositories(),
      LEAD,
      id,
      ids[0] as string,
      { answer: 'Yes.', audience: 'all', publishedQuestion: 'May a bidder do this?' },
      new Date(),
    );
    await ask(ASKER, id, 101);
    await expect(ask(ASKER, id, 102)).rejects.toBeInstanceOf(TooManyQuestionsError);

    await answerQuestion(
      repositories(),
      LEAD,
      id,
      ids[1] as string,
      { answer: 'Only for you: no.', audience: 'asker' },
      new Date(),
    );
    await ask(ASKER, id, 103);
    await expect(ask(ASKER, id, 104)).rejects.toBeInstanceOf(TooManyQuestionsError);
  });

  it('is per organisation and per competition', async () => {
    const id = await competition('Cap: per organisation');
    const elsewhere = await competition('Cap: another competition');
    await askMany(ASKER, id, N());
    await expect(ask(ASKER, id, 100)).rejects.toBeInstanceOf(TooManyQuestionsError);
    expect((await ask(OTHER, id, 0)).status).toBe('asked');
    expect((await ask(ASKER, elsewhere, 0)).status).toBe('asked');
  });

  it('shows the counter on no listing: insiders see the questions only, other organisations nothing of the asker', async () => {
    const id = await competition('Cap: no trace');
    await askMany(ASKER, id, 2);
    const inside = await readClarificationLog(repositories(), LEAD, id, { limit: 100 }, new Date());
    expect(inside.page.items).toHaveLength(2);
    for (const item of inside.page.items) expect(item.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const rival = await readOutsideLog(repositories(), user(OTHER), id, { limit: 100 });
    expect(JSON.stringify(rival)).not.toContain(askerId);
    expect(JSON.stringify(rival)).not.toContain('Tyneside');
    const anonymous = await readOutsideLog(repositories(), { kind: 'anonymous' }, id, { limit: 100 });
    expect(anonymous.page.items).toEqual([]);
  });
});

describe('the refusal over HTTP and on the web', () => {
  let id: string;
  beforeAll(async () => {
    id = await competition('Cap: refusals');
    await askMany(ASKER, id, N());
  });

  it('answers the JSON route with 409 problem+json naming the limit', async () => {
    const result = await askHandler(
      httpEvent({
        routeKey: 'POST /competitions/{id}/questions',
        method: 'POST',
        path: `/competitions/${id}/questions`,
        headers: { 'content-type': 'application/json' },
        pathParameters: { id },
        body: JSON.stringify({ question: 'One more?' }),
        claims: { sub: ASKER },
      }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(409);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    const problem = JSON.parse(String(result.body)) as { type: string; status: number; detail: string };
    expect(problem.type).toBe('/problems/too-many-questions');
    expect(problem.status).toBe(409);
    expect(problem.detail).toContain(`${N()} questions waiting for an answer`);
  });

  it('shows the provider a GOV.UK error, keeping what was typed', async () => {
    const who = await signedIn(ASKER);
    const typed = 'Can we deliver from our Gateshead office?';
    const page = await callPage(providerQuestions, 'POST /your-competitions/{id}/questions', {
      who,
      params: { id },
      form: { question: typed },
    });
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('govuk-error-summary');
    expect(page.body).toMatch(/<title>Error: /);
    const message = `You have ${N()} questions waiting for an answer. You can ask more once some are answered.`;
    expect(pageText(page)).toContain(message);
    expect(page.body).toContain(typed);
    expect((await repositories().questions.listAll(id, { limit: 100 })).items).toHaveLength(N());
  });
});

describe('the OpenAPI document', () => {
  it('declares the bound on the ask route: in its description and as a 409 response', () => {
    const document = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { description: string; responses: Record<string, unknown> }>>;
    };
    const operation = document.paths['/competitions/{id}/questions']?.post;
    expect(operation?.description).toContain('/problems/too-many-questions');
    expect(operation?.description).toContain('MAX_PENDING_QUESTIONS');
    const conflict = operation?.responses['409'] as { description: string; content: Record<string, unknown> };
    expect(conflict.description).toContain('/problems/too-many-questions');
    expect(Object.keys(conflict.content)).toEqual(['application/problem+json']);
  });
});
