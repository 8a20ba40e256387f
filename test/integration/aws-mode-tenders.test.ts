/**
 * The bidders' Lambda handler configured as CDK configures it in AWS, against DynamoDB Local behind an IAM
 * proxy (`test/support/aws-mode.ts`): requests on the function's own credentials are judged by the function
 * role's policy, requests on assumed-role credentials by the bidder data role's policy and the session's
 * tags. This exercises the code path only AWS would otherwise run — `providerData()` building an STS
 * client and per-bidder DynamoDB clients — and shows both policies are enough for every bidder route, and
 * that nothing the handler does needs more.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AwsMode, awsMode, callAs, type LambdaHandler } from '../support/aws-mode';
import { openCompetition, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

let aws: AwsMode;
let handler: LambdaHandler;
let competitionId: string;
const providers: Record<'A' | 'B', string> = { A: '', B: '' };

const YORKSHIRE_EMPLOYMENT = {
  region: 'yorkshire_humber',
  service: 'education_training_employment',
} as const;

/** Calls a bidder route of the handler for `sub`. */
const call = (
  sub: string,
  method: string,
  path: string,
  options: { body?: unknown; query?: Record<string, string>; idempotencyKey?: string } = {},
) =>
  callAs(handler, sub, {
    method,
    path,
    routeKey: `${method} ${path.replace(competitionId, '{id}')}`,
    pathParameters: { id: competitionId },
    ...options,
  });

beforeAll(async () => {
  await useTestTables();
  providers.A = await verifiedProvider('aws-owner-a', 'AWS-mode bidder A', YORKSHIRE_EMPLOYMENT);
  providers.B = await verifiedProvider('aws-owner-b', 'AWS-mode bidder B', YORKSHIRE_EMPLOYMENT);
  competitionId = await openCompetition({ title: 'Employment support, Yorkshire', ...YORKSHIRE_EMPLOYMENT });
  aws = await awsMode('tenders');
  ({ handler } = (await import('../../functions/tenders/bidder')) as { handler: LambdaHandler });
});

afterAll(async () => {
  await aws?.close();
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
    expect(aws.refusals).toEqual([]);
  });

  it('assumed the bidder data role once per bidder, tagged with that bidder', () => {
    expect(aws.stsCalls).toEqual([
      {
        roleArn: aws.roleArn,
        roleSessionName: `provider-${providers.A}`,
        durationSeconds: 900,
        tags: { providerId: providers.A },
      },
      {
        roleArn: aws.roleArn,
        roleSessionName: `provider-${providers.B}`,
        durationSeconds: 900,
        tags: { providerId: providers.B },
      },
    ]);
  });

  it('asks for no bidder credentials when the caller may not bid for the organisation named', async () => {
    const before = aws.stsCalls.length;
    const refused = await call('aws-owner-a', 'GET', `/competitions/${competitionId}/bid`, {
      query: { providerId: providers.B },
    });
    expect(refused.status).toBe(403);
    expect(aws.stsCalls.length).toBe(before);
    expect(aws.refusals).toEqual([]);
  });

  it('the proxy does judge: the function role alone cannot read a bid, and a session cannot read a rival', async () => {
    // The fresh module graph's repositories talk through the proxy on the function's own credentials.
    const fresh = await import('../../shared/db/repositories');
    await expect(fresh.repositories().bids.getHead(competitionId, providers.A)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const { providerData } = await import('../../shared/db/provider-data');
    const asA = await providerData(() => {
      throw new Error('not local');
    }).forProvider(providers.A);
    await expect(asA.bids.getHead(competitionId, providers.B)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(aws.refusals.map((r) => [r.principal, r.request.action, r.request.table])).toEqual([
      ['function', 'dynamodb:GetItem', 'sealed'],
      ['assumed', 'dynamodb:GetItem', 'sealed'],
    ]);
  });
});
