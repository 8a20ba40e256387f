/**
 * The bidders' Lambda handler configured as CDK configures it in AWS (`BIDDER_DATA_ROLE_ARN` set, STS and
 * DynamoDB reached through the SDK's endpoint settings), run against DynamoDB Local behind an IAM proxy:
 * requests on the function's own credentials are judged by the function role's policy (what the route
 * table declares for `tenders`, plus the idempotency store), requests on assumed-role credentials by the
 * bidder data role's policy and the session's tags. This exercises the code path only AWS would otherwise
 * run — `bidderData()` building an STS client and per-bidder DynamoDB clients — and shows both policies are
 * enough for every bidder route, and that nothing the handler does needs more.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIDDER_DATA_GRANTS, IDEMPOTENCY_ACTIONS, tableGrants } from '../../infra/table-access';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { TableName } from '../../shared/db/table-names';
import type { Principal } from '../../shared/domain/principal';
import { FUNCTIONS, type TableAccess } from '../../shared/http/routes';
import type { HttpEvent, HttpResult } from '../../shared/http/types';

type HttpHandler = (event: HttpEvent, context: unknown) => Promise<unknown>;

import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import {
  type AssumeRoleCall,
  type FakeServer,
  type ProxyRefusal,
  startFakeSts,
  startIamProxy,
} from '../support/aws-fakes';
import { httpEvent, lambdaContext } from '../support/events';
import type { SimStatement } from '../support/iam-simulator';
import { useTestTables } from '../support/tables';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/TendersFunctionBidderDataRole';
const admin: Principal = { kind: 'user', sub: 'admin', email: undefined, groups: ['admin'] };
const lead: Principal = { kind: 'user', sub: 'lead', email: undefined, groups: ['commissioner'] };

/** Statements of a grant list on one table, in the evaluator's terms. */
const onTable = (table: string, grants: readonly { actions: readonly string[]; conditions?: unknown }[]) =>
  grants.map((grant) => ({
    actions: grant.actions,
    table,
    conditions: grant.conditions as SimStatement['conditions'],
  }));

/** The tenders function role: its declared tables, and the idempotency store (its routes are idempotent). */
const functionRole: SimStatement[] = [
  ...(Object.entries(FUNCTIONS.tenders.tables) as [TableName, TableAccess][]).flatMap(([table, access]) =>
    onTable(table, tableGrants(access)),
  ),
  ...onTable('idempotency', [{ actions: IDEMPOTENCY_ACTIONS }]),
];
const assumedRole: SimStatement[] = Object.entries(BIDDER_DATA_GRANTS).flatMap(([table, grants]) =>
  onTable(table, grants ?? []),
);

const sessions = new Map<string, Record<string, string>>();
const stsCalls: AssumeRoleCall[] = [];
const refusals: ProxyRefusal[] = [];
let sts: FakeServer;
let proxy: FakeServer;
let handler: HttpHandler;
let competitionId: string;
const providers: Record<'A' | 'B', string> = { A: '', B: '' };

async function verifiedProvider(sub: string, name: string): Promise<string> {
  const owner: Principal = { kind: 'user', sub, email: undefined, groups: [] };
  const provider = await registerProvider(
    repositories(),
    owner,
    {
      name,
      legalForm: 'unincorporated_association',
      sector: 'voluntary',
      size: 'micro',
      regions: ['yorkshire_humber'],
      services: ['education_training_employment'],
      contact: { name: 'C', email: 'c@example.org' },
    },
    new Date(),
  );
  await verifyProvider(repositories(), admin, provider.id, new Date());
  return provider.id;
}

/** Calls the handler as API Gateway would, for `sub`. */
async function call(
  sub: string,
  method: string,
  path: string,
  options: { body?: unknown; query?: Record<string, string>; idempotencyKey?: string } = {},
) {
  const template = path.replace(competitionId, '{id}');
  const result = (await handler(
    httpEvent({
      method,
      path,
      routeKey: `${method} ${template}`,
      pathParameters: { id: competitionId },
      claims: { sub },
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {}),
      },
      ...(options.query ? { query: options.query } : {}),
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    }),
    lambdaContext(),
  )) as HttpResult;
  return { status: result.statusCode, body: JSON.parse(result.body ?? 'null') as Record<string, unknown> };
}

beforeAll(async () => {
  await useTestTables();
  providers.A = await verifiedProvider('aws-owner-a', 'AWS-mode bidder A');
  providers.B = await verifiedProvider('aws-owner-b', 'AWS-mode bidder B');
  const competition = await createCompetition(
    repositories(),
    lead,
    {
      title: 'Employment support, Yorkshire',
      description: 'Employment support for people on probation.',
      services: ['education_training_employment'],
      regions: ['yorkshire_humber'],
      estimatedValuePence: 60_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(Date.now() + 3_600_000).toISOString(),
      criteria: [
        { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
        { id: 'price', name: 'Price', kind: 'price', weight: 40 },
      ],
    },
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
  competitionId = competition.id;

  sts = await startFakeSts(sessions, stsCalls);
  proxy = await startIamProxy({
    target: config().dynamodbEndpoint as string,
    tables: config().tables,
    functionRole,
    assumedRole,
    sessions,
    refusals,
  });
  // The environment CDK gives the function, then a fresh module graph that reads it.
  vi.stubEnv('BIDDER_DATA_ROLE_ARN', ROLE_ARN);
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
  vi.stubEnv('DYNAMODB_ENDPOINT', proxy.url);
  vi.resetModules();
  ({ handler } = (await import('../../functions/tenders/bidder')) as { handler: HttpHandler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await proxy?.close();
  await sts?.close();
});

describe('the tenders handler as deployed, under both roles', () => {
  it('serves every bidder route with nothing refused by either role', async () => {
    const bid = {
      pricePence: 55_000_00,
      qualityResponses: { quality: 'Plan' },
      subcontractors: [],
      consortium: [],
    };
    const path = `/competitions/${competitionId}/bid`;
    expect((await call('aws-owner-a', 'PUT', path, { body: bid, idempotencyKey: 'draft-a-1' })).status).toBe(
      200,
    );
    const submitted = await call('aws-owner-a', 'POST', `${path}/submit`, { idempotencyKey: 'submit-a-1' });
    expect(submitted).toMatchObject({ status: 200, body: { status: 'submitted', version: 1 } });
    // The same key again: answered from the idempotency store, not submitted twice.
    const replay = await call('aws-owner-a', 'POST', `${path}/submit`, { idempotencyKey: 'submit-a-1' });
    expect(replay).toMatchObject({ status: 200, body: { version: 1 } });
    expect(await call('aws-owner-a', 'GET', path)).toMatchObject({
      status: 200,
      body: { providerId: providers.A, status: 'submitted', version: 1 },
    });
    expect((await call('aws-owner-b', 'PUT', path, { body: bid })).status).toBe(200);
    expect((await call('aws-owner-b', 'POST', `${path}/submit`)).status).toBe(200);
    expect((await call('aws-owner-b', 'POST', `${path}/withdraw`)).body).toMatchObject({
      status: 'withdrawn',
    });
    // Before the award decision there is no debrief (a domain answer, not an IAM one).
    expect((await call('aws-owner-a', 'GET', `/competitions/${competitionId}/debrief`)).status).toBe(409);
    expect(refusals).toEqual([]);
  });

  it('assumed the bidder data role once per bidder, tagged with that bidder', () => {
    expect(stsCalls).toEqual([
      {
        roleArn: ROLE_ARN,
        roleSessionName: `bidder-${providers.A}`,
        durationSeconds: 900,
        tags: { providerId: providers.A },
      },
      {
        roleArn: ROLE_ARN,
        roleSessionName: `bidder-${providers.B}`,
        durationSeconds: 900,
        tags: { providerId: providers.B },
      },
    ]);
  });

  it('asks for no bidder credentials when the caller may not bid for the organisation named', async () => {
    const before = stsCalls.length;
    const refused = await call('aws-owner-a', 'GET', `/competitions/${competitionId}/bid`, {
      query: { providerId: providers.B },
    });
    expect(refused.status).toBe(403);
    expect(stsCalls.length).toBe(before);
    expect(refusals).toEqual([]);
  });

  it('the proxy does judge: the function role alone cannot read a bid, and a session cannot read a rival', async () => {
    // The fresh module graph's repositories talk through the proxy on the function's own credentials.
    const fresh = await import('../../shared/db/repositories');
    await expect(fresh.repositories().bids.getHead(competitionId, providers.A)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const { bidderData } = await import('../../shared/db/bidder-data');
    const asA = await bidderData(() => {
      throw new Error('not local');
    }).forProvider(providers.A);
    await expect(asA.bids.getHead(competitionId, providers.B)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(refusals.map((r) => [r.principal, r.request.action, r.request.table])).toEqual([
      ['function', 'dynamodb:GetItem', 'sealed'],
      ['assumed', 'dynamodb:GetItem', 'sealed'],
    ]);
  });
});
