/**
 * The public pages' Lambda handler (`web`) configured as CDK configures it in AWS, against DynamoDB Local
 * behind an IAM proxy (`test/support/aws-mode.ts`): the opportunity page reads a signed-in member's own
 * participation item through the viewer data role assumed for that organisation, so it offers "View or
 * change your bid" (issue 15) with nothing refused by either role; the function's own role cannot read that
 * item, and the viewer role cannot read the organisation's bid, or another organisation's list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { HttpResult } from '../../shared/http/types';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { type AwsMode, awsMode, type LambdaHandler } from '../support/aws-mode';
import { httpEvent, lambdaContext } from '../support/events';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import type { SignedIn, signedIn } from '../support/web-session';
import { pageText } from '../support/workspace';

let aws: AwsMode;
let handler: LambdaHandler;
let competitionId: string;
let bidder: SignedIn;
let other: SignedIn;
const providers: Record<'A' | 'B', string> = { A: '', B: '' };

const WHERE = { region: 'east_midlands', service: 'accommodation' } as const;

/** The opportunity page for `who`, as API Gateway would send it. */
async function opportunity(who: SignedIn): Promise<HttpResult & { body: string }> {
  const result = (await handler(
    httpEvent({
      routeKey: 'GET /find-an-opportunity/{id}',
      method: 'GET',
      path: `/find-an-opportunity/${competitionId}`,
      headers: { accept: 'text/html', cookie: who.cookie },
      pathParameters: { id: competitionId },
    }),
    lambdaContext(),
  )) as HttpResult;
  return { ...result, body: String(result.body ?? '') };
}

beforeAll(async () => {
  await useTestTables();
  providers.A = await verifiedProvider('aws-viewer-a', 'AWS-mode viewer A', WHERE);
  providers.B = await verifiedProvider('aws-viewer-b', 'AWS-mode viewer B', WHERE);
  competitionId = await openCompetition({ title: 'Move-on housing, Derby', ...WHERE });
  await saveDraft(
    withSharedProviderData(repositories()),
    user('aws-viewer-a'),
    competitionId,
    { pricePence: 40_000_00, qualityResponses: { quality: 'Plan' }, subcontractors: [], consortium: [] },
    new Date(),
  );
  aws = await awsMode('web');
  ({ handler } = (await import('../../functions/web/index')) as { handler: LambdaHandler });
  // Sessions sealed by the fresh module graph, the handler's (its cookie key is the one it opens them with).
  const sessions = (await import('../support/web-session')) as { signedIn: typeof signedIn };
  bidder = await sessions.signedIn('aws-viewer-a');
  other = await sessions.signedIn('aws-viewer-b');
});

afterAll(async () => {
  await aws?.close();
});

describe('the opportunity page as deployed, under the function role and the viewer data role', () => {
  it('offers each member what their own organisation did, with nothing refused', async () => {
    const a = await opportunity(bidder);
    expect(a.statusCode).toBe(200);
    expect(pageText(a)).toContain('View or change your bid');
    const b = await opportunity(other);
    expect(b.statusCode).toBe(200);
    expect(pageText(b)).toContain('Start your bid');
    expect(pageText(b)).not.toContain('View or change your bid');
    expect(aws.refusals).toEqual([]);
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

  it('the proxy does judge: neither the function role nor the viewer role reads a bid, nor the viewer role another’s list', async () => {
    const fresh = await import('../../shared/db/repositories');
    await expect(
      fresh.repositories().bids.listParticipation(providers.A, { limit: 1 }),
    ).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const { providerData } = await import('../../shared/db/provider-data');
    const asA = await providerData(() => {
      throw new Error('not local');
    }).forProvider(providers.A);
    await expect(asA.bids.getHead(competitionId, providers.A)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(asA.bids.listParticipation(providers.B, { limit: 1 })).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    expect(aws.refusals.map((r) => [r.principal, r.request.action, r.request.table])).toEqual([
      ['function', 'dynamodb:Query', 'sealed'],
      ['assumed', 'dynamodb:GetItem', 'sealed'],
      ['assumed', 'dynamodb:Query', 'sealed'],
    ]);
  });
});
