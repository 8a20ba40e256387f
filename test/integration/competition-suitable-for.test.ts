/**
 * Who a competition suits (issue 17), over DynamoDB Local: a commissioner may say a competition suits
 * VCSE organisations, SMEs or both; the answer is stored, returned and published, and a saved search for
 * VCSE opportunities then finds it — through the real use cases (createCompetition, publishCompetition),
 * the event in this file's outbox table, and `savedSearchRecipients` reading the saved-search index. A
 * competition that says nothing is found by no such search. The bounds of the body (no repeats, known
 * codes, at most 2) are the route's, refused with 400 problem+json, and stated in the OpenAPI document;
 * the public opportunity page says who it suits when the commissioner said.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/competitions/index';
import { handler as publicPages } from '../../functions/web/index';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { outboxKeys } from '../../shared/db/keys';
import type { OutboxRepository } from '../../shared/db/outbox';
import { repositories, subscriptionRepository } from '../../shared/db/repositories';
import type { OutboxEvent } from '../../shared/domain/notifications/outbox';
import type { SuitableFor } from '../../shared/domain/notifications/subscriptions';
import type { UserPrincipal } from '../../shared/domain/principal';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import type { HttpResult } from '../../shared/http/types';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { listOpportunities } from '../../shared/use-cases/competitions/opportunities';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { savedSearchRecipients } from '../../shared/use-cases/notifications/saved-search-recipients';
import { changeSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { competitionBody } from '../support/competitions';
import { httpEvent, lambdaContext } from '../support/events';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { callPage, pageText } from '../support/workspace';

const run = Math.random().toString(36).slice(2, 8);
const hour = 3_600_000;

beforeAll(async () => {
  await useTestTables();
}, 60_000);

/** The real outbox repository, remembering the events a use case asked it to record. */
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

/** The event as the outbox table holds it. */
async function storedEvent(id: string): Promise<OutboxEvent | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: config().tables.outbox, Key: outboxKeys.event(id), ConsistentRead: true }),
  );
  return Item as OutboxEvent | undefined;
}

/**
 * A draft of tier none (£50,000, 12 months, low risk) in Wales for housing, suitable for `suitableFor`
 * when given, created by the lead; then published. Returns its id and the event as stored.
 */
async function published(title: string, suitableFor?: SuitableFor[]) {
  const competition = await createCompetition(
    repositories(),
    LEAD,
    {
      title,
      description: `${title}: a test competition.`,
      services: ['accommodation'],
      regions: ['wales'],
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(Date.now() + hour).toISOString(),
      criteria: [
        { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
        { id: 'price', name: 'Price', kind: 'price', weight: 40 },
      ],
      ...(suitableFor ? { suitableFor } : {}),
    },
    new Date(),
    config().rules,
  );
  const { outbox, built } = recordingOutbox();
  await publishCompetition({ ...repositories(), outbox }, LEAD, competition.id, new Date(), config().rules);
  expect(built).toHaveLength(1);
  const event = await storedEvent(built[0]?.id ?? '');
  expect(event).toBeDefined();
  return { id: competition.id, event: event as OutboxEvent };
}

describe('a saved search for opportunities suitable for VCSE organisations', () => {
  const vera = `suit-vera-${run}`;
  const user: UserPrincipal = { kind: 'user', sub: vera, email: undefined, groups: [] };

  beforeAll(async () => {
    await changeSubscriptions(
      { subscriptions: subscriptionRepository() },
      user,
      0,
      {
        kind: 'replace',
        email: { enabled: true },
        savedSearches: [
          { regions: ['wales'], services: ['accommodation'], suitableFor: 'vcse', frequency: 'immediate' },
        ],
      },
      new Date(),
    );
  });

  it('matches a competition published as suitable for VCSE organisations, through its outbox event', async () => {
    const { id, event } = await published('Suitable for VCSE', ['vcse']);
    expect(event.audience).toMatchObject({
      type: 'opportunity',
      opportunity: { competitionId: id, suitableFor: ['vcse'] },
    });
    if (event.audience.type !== 'opportunity') throw new Error('not an opportunity event');
    const found = await savedSearchRecipients(
      { subscriptions: subscriptionRepository() },
      event.audience.opportunity,
    );
    expect(found.filter((r) => r.sub === vera)).toEqual([
      expect.objectContaining({ sub: vera, frequency: 'immediate' }),
    ]);
  });

  it('does not match a competition that says nothing of who it suits', async () => {
    const { event } = await published('Says nothing');
    if (event.audience.type !== 'opportunity') throw new Error('not an opportunity event');
    expect(event.audience.opportunity).not.toHaveProperty('suitableFor');
    const found = await savedSearchRecipients(
      { subscriptions: subscriptionRepository() },
      event.audience.opportunity,
    );
    expect(found.map((r) => r.sub)).not.toContain(vera);
  });

  it('does not match a competition suitable for SMEs alone', async () => {
    const { event } = await published('Suitable for SMEs', ['sme']);
    if (event.audience.type !== 'opportunity') throw new Error('not an opportunity event');
    expect(event.audience.opportunity.suitableFor).toEqual(['sme']);
    const found = await savedSearchRecipients(
      { subscriptions: subscriptionRepository() },
      event.audience.opportunity,
    );
    expect(found.map((r) => r.sub)).not.toContain(vera);
  });

  it('lists who it suits in the open opportunities, and nothing for one that says nothing', async () => {
    const { id: both } = await published('Suitable for both', ['vcse', 'sme']);
    const { id: silent } = await published('Silent listing');
    const seen = new Map<string, unknown>();
    let cursor: string | undefined;
    do {
      const page = await listOpportunities(
        repositories(),
        { region: 'wales', service: 'accommodation', limit: 100, cursor },
        new Date(),
      );
      for (const item of page.items) seen.set(item.id, item);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen.get(both)).toMatchObject({ suitableFor: ['vcse', 'sme'] });
    expect(seen.get(silent)).toBeDefined();
    expect(seen.get(silent)).not.toHaveProperty('suitableFor');
  });
});

describe('the public opportunity page', () => {
  const page = async (id: string) => {
    const result = await callPage(publicPages, 'GET /find-an-opportunity/{id}', { params: { id } });
    expect(result.statusCode).toBe(200);
    return pageText(result);
  };

  it('says who the opportunity suits when the commissioner said, and nothing when not', async () => {
    const { id: both } = await published('Page suitable for both', ['vcse', 'sme']);
    expect(await page(both)).toContain('Suitable for VCSE organisations, Small and medium-sized enterprises');
    const { id: silent } = await published('Page says nothing');
    expect(await page(silent)).not.toContain('Suitable for');
  });
});

describe('POST /competitions with suitableFor', () => {
  const claims = { sub: `suit-lead-${run}`, 'cognito:groups': '[commissioner]' };
  const parse = (result: HttpResult) => JSON.parse(String(result.body ?? 'null')) as Record<string, unknown>;
  const header = (result: HttpResult, name: string) =>
    Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
  const create = (body: Record<string, unknown>) =>
    handler(
      httpEvent({
        routeKey: 'POST /competitions',
        method: 'POST',
        path: '/competitions',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        claims,
      }),
      lambdaContext(),
    ) as Promise<HttpResult>;

  it('stores and returns it, and GET /competitions/{id} returns it to the public once published', async () => {
    const result = await create(competitionBody({ suitableFor: ['sme', 'vcse'] }));
    expect(result.statusCode, String(result.body)).toBe(201);
    const created = parse(result);
    expect(created.suitableFor).toEqual(['sme', 'vcse']);
    const id = String(created.id);
    expect((await repositories().competitions.get(id))?.suitableFor).toEqual(['sme', 'vcse']);
    await publishCompetition(
      repositories(),
      { kind: 'user', sub: claims.sub, email: undefined, groups: ['commissioner'] },
      id,
      new Date(),
      config().rules,
    );
    const read = (await handler(
      httpEvent({
        routeKey: 'GET /competitions/{id}',
        path: `/competitions/${id}`,
        pathParameters: { id },
      }),
      lambdaContext(),
    )) as HttpResult;
    expect(read.statusCode, String(read.body)).toBe(200);
    expect(parse(read).suitableFor).toEqual(['sme', 'vcse']);
  });

  it('creates without it, as API.md lists the body, and returns none', async () => {
    const result = await create(competitionBody());
    expect(result.statusCode, String(result.body)).toBe(201);
    expect(parse(result)).not.toHaveProperty('suitableFor');
  });

  it.each([
    ['a repeat', ['vcse', 'vcse']],
    ['an unknown kind', ['large']],
    ['more than 2', ['vcse', 'sme', 'vcse']],
    ['a string, not a list', 'vcse'],
  ])('refuses %s with 400 problem+json at path suitableFor', async (_name, suitableFor) => {
    const result = await create(competitionBody({ suitableFor }));
    expect(result.statusCode).toBe(400);
    expect(header(result, 'content-type')).toBe('application/problem+json');
    const problem = parse(result);
    expect(problem.type).toBe('/problems/validation');
    const paths = (problem.errors as { path: string }[]).map((e) => e.path);
    expect(paths.every((path) => path.startsWith('suitableFor'))).toBe(true);
    expect(paths.length).toBeGreaterThan(0);
  });

  it('states the bounds in the OpenAPI document', () => {
    const doc = buildOpenApiDocument() as {
      components: { schemas: Record<string, { properties: Record<string, Record<string, unknown>> }> };
    };
    const schema = doc.components.schemas.NewCompetitionInput ?? doc.components.schemas.NewCompetition;
    const property = schema?.properties.suitableFor;
    expect(property).toMatchObject({ type: 'array', maxItems: 2, uniqueItems: true });
    expect(JSON.stringify(property)).toContain('"vcse"');
    expect(String(property?.description)).toContain('API.md');
  });
});
