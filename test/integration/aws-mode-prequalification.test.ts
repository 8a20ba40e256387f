/**
 * The pre-qualification Lambda handler configured as CDK configures it in AWS, against DynamoDB Local
 * behind an IAM proxy (`test/support/aws-mode.ts`): its own role reads competitions and the registry, and
 * each applicant's response goes through the applicant data role assumed for that applicant. Both policies
 * are enough for a submission (alone and as a consortium lead, repeated with an idempotency key), and
 * neither lets the function read a response back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealedKeys } from '../../shared/db/keys';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import { type AwsMode, awsMode, callAs, type LambdaHandler } from '../support/aws-mode';
import { accredit, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

let aws: AwsMode;
let handler: LambdaHandler;
let competitionId: string;
const providers: Record<'C' | 'D' | 'M', string> = { C: '', D: '', M: '' };

const NORTH_EAST_RECOVERY = { region: 'north_east', service: 'drugs_alcohol' } as const;

async function accreditedProvider(sub: string, name: string): Promise<string> {
  const id = await verifiedProvider(sub, name, NORTH_EAST_RECOVERY);
  await accredit(sub, id);
  return id;
}

const submit = (sub: string, body: unknown, idempotencyKey?: string) =>
  callAs(handler, sub, {
    method: 'POST',
    path: `/competitions/${competitionId}/prequalification-responses`,
    routeKey: 'POST /competitions/{id}/prequalification-responses',
    pathParameters: { id: competitionId },
    body,
    ...(idempotencyKey ? { idempotencyKey } : {}),
  });

beforeAll(async () => {
  await useTestTables();
  providers.C = await accreditedProvider('aws-applicant-c', 'AWS-mode applicant C');
  providers.D = await accreditedProvider('aws-applicant-d', 'AWS-mode applicant D');
  providers.M = await accreditedProvider('aws-member-m', 'AWS-mode consortium member M');
  competitionId = await openCompetition({
    title: 'Drug and alcohol recovery, North East',
    prequalification: true,
    ...NORTH_EAST_RECOVERY,
  });
  aws = await awsMode('prequalification');
  ({ handler } = (await import('../../functions/prequalification/index')) as { handler: LambdaHandler });
});

afterAll(async () => {
  await aws?.close();
});

describe('the pre-qualification handler as deployed, under both roles', () => {
  const answers = { 'technical.relevant-experience': 'Twelve years of recovery work in the North East.' };

  it('takes a response alone and one as a consortium lead, with nothing refused by either role', async () => {
    const alone = await submit('aws-applicant-c', { answers }, 'response-c-1');
    expect(alone).toMatchObject({ status: 201, body: { status: 'submitted', providerId: providers.C } });
    const replay = await submit('aws-applicant-c', { answers }, 'response-c-1');
    expect(replay).toMatchObject({ status: 201, body: { id: alone.body.id } });
    const asLead = { answers, consortium: [{ providerId: providers.M, role: 'Outreach partner' }] };
    // M has not agreed yet: the response is refused (read through D's role) and nothing is stored.
    const early = await submit('aws-applicant-d', asLead);
    expect(early).toMatchObject({ status: 400, body: { errors: [{ path: 'consortium.0.providerId' }] } });
    await agreeToBeNamed(
      withSharedProviderData(repositories()),
      user('aws-member-m'),
      competitionId,
      { providerId: providers.M, bidderId: providers.D, role: 'consortium-member' },
      new Date(),
    );
    const consortium = await submit('aws-applicant-d', asLead);
    expect(consortium).toMatchObject({ status: 201, body: { providerId: providers.D } });
    expect(aws.refusals).toEqual([]);
    const { responses } = await repositories().prequalification.list(competitionId);
    expect(responses.map((r) => r.providerId).sort()).toEqual([providers.C, providers.D].sort());
  });

  it('assumed the applicant data role once per applicant, tagged with that applicant', () => {
    expect(aws.stsCalls.map((call) => [call.roleArn, call.tags])).toEqual([
      [aws.roleArn, { providerId: providers.C }],
      [aws.roleArn, { providerId: providers.D }],
    ]);
  });

  it('refuses an applicant naming an organisation it does not own, before asking for any credentials', async () => {
    const before = aws.stsCalls.length;
    const rival = await submit('aws-applicant-c', { answers, providerId: providers.D });
    expect(rival.status).toBe(403);
    const nobody = await submit('aws-nobody', { answers });
    expect(nobody).toMatchObject({ status: 400, body: { type: '/problems/validation' } });
    expect(aws.stsCalls.length).toBe(before);
  });

  it('the proxy does judge: neither the function role nor an applicant session can read responses', async () => {
    const fresh = await import('../../shared/db/repositories');
    await expect(fresh.repositories().prequalification.list(competitionId)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const { providerData } = await import('../../shared/db/provider-data');
    const asC = await providerData(() => {
      throw new Error('not local');
    }).forProvider(providers.C);
    await expect(asC.prequalification.list(competitionId)).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    // Listing runs two queries at once (the responses index and the marks); each is refused.
    const refused = new Set(aws.refusals.map((r) => `${r.principal} ${r.request.action} ${r.request.table}`));
    expect([...refused].sort()).toEqual(['assumed dynamodb:Query sealed', 'function dynamodb:Query sealed']);
    // What was stored sits under each applicant's own key.
    expect(sealedKeys.response(competitionId, providers.C).pk).toBe(
      `RESPONSE#${competitionId}#${providers.C}`,
    );
  });
});
