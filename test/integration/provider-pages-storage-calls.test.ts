/**
 * What the provider's pages cost in storage calls (issue 15), counted as the benchmark counts them
 * (`bench/sample.ts`: every command the handlers send on the shared DynamoDB client, with the tables it
 * names; calls reaching only the sessions table are the page's session, the counterpart of the JSON routes'
 * JWT authorizer): the bid page reads the competition and the user's memberships once each (the header's
 * lookup is passed on), so it costs what `GET /competitions/{id}/bid` costs, plus the one Query of the
 * documents whose titles it shows once a bid was submitted; the opportunity page reads the competition once
 * (its documents no longer read it again). And the opportunity page says who won and for how much once the
 * award is confirmed – never before, not during standstill. Over DynamoDB Local, through the functions'
 * handlers.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedCall, splitCalls, tablesOf } from '../../bench/sample';
import { handler as bidderApi } from '../../functions/tenders/bidder';
import { handler as biddingPages } from '../../functions/web/bidding';
import { handler as publicPages } from '../../functions/web/index';
import { config } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/db/client';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { DocumentVersion, TenderDocument } from '../../shared/domain/documents';
import type { UserPrincipal } from '../../shared/domain/principal';
import type { HttpResult } from '../../shared/http/types';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { confirmAward } from '../../shared/use-cases/tenders/evaluation';
import { competitionInStandstill } from '../support/challenges';
import { httpEvent, lambdaContext } from '../support/events';
import { LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';

// Every command the handlers send while `recording` is set, with the logical tables it names.
let recording: RecordedCall[] | undefined;
const logical = new Map(Object.entries(config().tables).map(([name, physical]) => [physical, name]));
dynamoDbClient().middlewareStack.add(
  (next, context) => async (args) => {
    recording?.push({
      command: String(context.commandName),
      tables: tablesOf(args.input).map((table) => logical.get(table) ?? table),
    });
    return next(args);
  },
  { step: 'initialize', name: 'providerPagesCallCounter' },
);

/** Runs `request` and answers its response with the storage calls it made. */
async function counted(request: () => Promise<HttpResult>) {
  recording = [];
  try {
    const result = await request();
    const calls = recording;
    return { result, calls, ...splitCalls(calls) };
  } finally {
    recording = undefined;
  }
}

const competitionReads = (calls: RecordedCall[]) =>
  calls.filter((c) => c.tables.join() === 'procurement' && /^Get(Item)?Command$/.test(c.command)).length;
const membershipQueries = (calls: RecordedCall[]) =>
  calls.filter((c) => c.tables.join() === 'registry' && /^Query(Command)?/.test(c.command)).length;

function bidPage(id: string, who: SignedIn) {
  return biddingPages(
    get('GET /your-competitions/{id}/bid', `/your-competitions/${id}/bid`, id, {
      accept: 'text/html',
      cookie: who.cookie,
    }),
    lambdaContext(),
  );
}

function bidJson(id: string, sub: string) {
  return bidderApi(
    get('GET /competitions/{id}/bid', `/competitions/${id}/bid`, id, {}, { sub, 'cognito:groups': '[]' }),
    lambdaContext(),
  );
}

function opportunityPage(id: string) {
  return publicPages(
    get('GET /find-an-opportunity/{id}', `/find-an-opportunity/${id}`, id, { accept: 'text/html' }),
    lambdaContext(),
  );
}

function get(
  routeKey: string,
  path: string,
  id: string,
  headers: Record<string, string>,
  claims?: Record<string, string>,
) {
  return httpEvent({
    routeKey,
    method: 'GET',
    path,
    headers,
    pathParameters: { id },
    ...(claims ? { claims } : {}),
  });
}

/** Stores a document's current version as the confirmation does (no file: these pages only name it). */
async function storeDocument(competitionId: string, documentId: string, title: string): Promise<void> {
  const at = new Date().toISOString();
  const document: TenderDocument = {
    competitionId,
    documentId,
    title,
    kind: 'specification',
    currentVersion: 1,
    createdAt: at,
    updatedAt: at,
  };
  const version: DocumentVersion = {
    version: 1,
    fileName: 'specification.pdf',
    contentType: 'application/pdf',
    sizeBytes: 1024,
    uploadedAt: at,
    uploadedBy: 'lead',
  };
  await documentClient().send(
    new TransactWriteCommand({ TransactItems: repositories().documents.createItems(document, version) }),
  );
}

const text = (result: HttpResult) =>
  String(result.body ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

const content = {
  pricePence: 45_000_00,
  qualityResponses: { quality: 'Caseworkers in every town.' },
  subcontractors: [],
  consortium: [],
};

let competitionId: string;
let bidder: SignedIn;

beforeAll(async () => {
  await useTestTables();
  await verifiedProvider('calls-bidder', 'Calls Bidder Trust', { region: 'wales', service: 'accommodation' });
  competitionId = await openCompetition({
    title: 'Supported housing',
    region: 'wales',
    service: 'accommodation',
  });
  await storeDocument(competitionId, '01JD00000000000000000CALLS', 'Service specification');
  bidder = await signedIn('calls-bidder');
});

describe('the bid page', () => {
  it('with a draft, costs what GET /competitions/{id}/bid costs: competition and memberships read once', async () => {
    const deps = withSharedProviderData(repositories());
    await saveDraft(deps, user('calls-bidder'), competitionId, content, new Date());
    const json = await counted(() => bidJson(competitionId, 'calls-bidder'));
    expect(json.result.statusCode).toBe(200);
    const page = await counted(() => bidPage(competitionId, bidder));
    expect(page.result.statusCode).toBe(200);
    // Opening the session (and, now and then, renewing it) reaches the sessions table alone.
    expect(page.session).toBeGreaterThanOrEqual(1);
    expect(competitionReads(page.calls)).toBe(1);
    expect(membershipQueries(page.calls)).toBe(1);
    expect(page.service).toBe(json.service);
    expect(json.service).toBe(5);
  });

  it('once submitted, adds only the one Query of the documents it names', async () => {
    const deps = withSharedProviderData(repositories());
    await submitBid(deps, user('calls-bidder'), competitionId, undefined, new Date());
    const json = await counted(() => bidJson(competitionId, 'calls-bidder'));
    const page = await counted(() => bidPage(competitionId, bidder));
    expect(page.result.statusCode).toBe(200);
    expect(text(page.result)).toContain('Service specification (Specification): version 1');
    expect(competitionReads(page.calls)).toBe(1);
    expect(membershipQueries(page.calls)).toBe(1);
    expect(page.service).toBe(json.service + 1);
  });
});

describe('the opportunity page', () => {
  it('reads the competition once: the competition, the published answers, the documents', async () => {
    const page = await counted(() => opportunityPage(competitionId));
    expect(page.result.statusCode).toBe(200);
    expect(text(page.result)).toContain('Service specification');
    expect(page.session).toBe(0);
    expect(competitionReads(page.calls)).toBe(1);
    expect(page.service).toBe(3);
    expect(page.tables).toEqual({ procurement: 3 });
  });
});

describe('the award on the opportunity page', () => {
  const owner = (sub: string): UserPrincipal => user(sub);
  const owners = { A: owner('award-a'), B: owner('award-b'), C: owner('award-c') };
  let awarded: { id: string; decidedAt: Date; standstillEndsAt: Date };

  beforeAll(async () => {
    for (const [key, who] of Object.entries(owners)) {
      await verifiedProvider(who.sub, `Award Trust ${key}`, {
        region: 'yorkshire_humber',
        service: 'victim_services',
      });
    }
    awarded = await competitionInStandstill({ title: 'Victim support, awarded', owners, standstillDays: 0 });
  });

  it('says nothing of the winner during standstill (the decision is the bidders’ business)', async () => {
    const page = text(await opportunityPage(awarded.id));
    expect(page).not.toContain('Awarded to');
    expect(page).not.toContain('Award Trust');
    expect(page).not.toContain('Contract award');
  });

  it('says who won, for how much and when once the award is confirmed', async () => {
    const confirmedAt = new Date(awarded.standstillEndsAt.getTime() + 60_000);
    await confirmAward(repositories(), LEAD, awarded.id, confirmedAt);
    const page = text(await opportunityPage(awarded.id));
    const day = new Intl.DateTimeFormat('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'Europe/London',
    }).format(confirmedAt);
    expect(page).toContain(`Awarded to Award Trust A for £50,000 on ${day}.`);
    // Only the winner: no other bidder, no score, no ranking.
    expect(page).not.toContain('Award Trust B');
    expect(page).not.toContain('Award Trust C');
  });
});
