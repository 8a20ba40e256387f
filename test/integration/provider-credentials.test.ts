/**
 * Per-provider credentials, end to end against DynamoDB Local: the bidder and applicant use cases run on
 * repositories built by `assumedRoleProviderData` (the code the tenders and pre-qualification Lambdas run
 * in AWS), with a fake STS that records each session's tags and an HTTP handler that applies the provider
 * data role's policy document (`PROVIDER_DATA_GRANTS[kind]`, the one CDK puts on the role) to every signed
 * request, answering refusals as DynamoDB does. DynamoDB Local has no IAM; this shows each policy is
 * enough for every operation of its kind, and that one provider's credentials cannot read or write
 * another's bid or response, list bids or responses, or read evaluation data or the audit log.
 */
import type { AssumeRoleCommand, AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_DATA_GRANTS } from '../../infra/table-access';
import { config } from '../../shared/config';
import { dynamoDbClient } from '../../shared/db/client';
import { auditKeys, sealedKeys } from '../../shared/db/keys';
import {
  assumedRoleProviderData,
  type ProviderDataAccess,
  type RoleAssumer,
} from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { ProviderDataKind } from '../../shared/http/routes';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import {
  type BidderDeps,
  getOwnBid,
  saveDraft,
  submitBid,
  withdrawBid,
} from '../../shared/use-cases/tenders/bidder';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import { enforcingHandler, type Refusal, type SimStatement } from '../support/iam-simulator';
import { accredit, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const ownerA = user('cred-owner-a');
const ownerB = user('cred-owner-b');
const ownerSub = user('cred-owner-sub');

/** A role's policy, statement by statement, as CDK writes it (`infra/constructs/provider-data-role.ts`). */
const statementsOf = (kind: ProviderDataKind): SimStatement[] =>
  Object.entries(PROVIDER_DATA_GRANTS[kind]).flatMap(([table, grants]) =>
    (grants ?? []).map((grant) => ({ actions: grant.actions, table, conditions: grant.conditions })),
  );

const sessions = new Map<string, Record<string, string>>();
const assumed: AssumeRoleCommandInput[] = [];
const refusals: Refusal[] = [];

/** STS as far as AssumeRole goes: a session token per call, its tags remembered for the handler. */
const sts: RoleAssumer = {
  async send(command: AssumeRoleCommand) {
    assumed.push(command.input);
    const token = `session-${assumed.length}`;
    sessions.set(token, Object.fromEntries((command.input.Tags ?? []).map((t) => [t.Key, t.Value])));
    return {
      $metadata: {},
      Credentials: {
        AccessKeyId: `ASIAFAKE${assumed.length}`,
        SecretAccessKey: 'fake-secret',
        SessionToken: token,
        Expiration: new Date(Date.now() + 900_000),
      },
    };
  },
};

let deps: BidderDeps;
let competitionId: string;
const ids: Record<'A' | 'B' | 'SUB', string> = { A: '', B: '', SUB: '' };

const WALES_DEBT = { region: 'wales', service: 'finance_benefit_debt' } as const;

const bid = (pricePence: number, subcontractor?: string) => ({
  pricePence,
  qualityResponses: { quality: 'Our plan' },
  subcontractors: subcontractor
    ? [
        {
          providerId: subcontractor,
          name: 'Sub',
          services: ['finance_benefit_debt' as const],
          sharePercent: 20,
        },
      ]
    : [],
  consortium: [],
});

/** `assumedRoleProviderData` for one kind of provider data role, under that role's policy. */
function accessFor(kind: ProviderDataKind): ProviderDataAccess {
  const { tables, region, dynamodbEndpoint } = config();
  return assumedRoleProviderData({
    roleArn: `arn:aws:iam::123456789012:role/${kind}-data`,
    sts,
    region,
    endpoint: dynamodbEndpoint,
    tables,
    requestHandler: enforcingHandler({
      base: dynamoDbClient().config.requestHandler,
      statements: statementsOf(kind),
      sessions,
      tables,
      refusals,
    }),
  });
}

beforeAll(async () => {
  await useTestTables();
  deps = { ...repositories(), providerData: accessFor('bidder') };
  ids.A = await verifiedProvider(ownerA.sub, 'Credential bidder A', WALES_DEBT);
  ids.B = await verifiedProvider(ownerB.sub, 'Credential bidder B', WALES_DEBT);
  ids.SUB = await verifiedProvider(ownerSub.sub, 'Credential sub-contractor', WALES_DEBT);
  competitionId = await openCompetition({ title: 'Debt advice, Wales', ...WALES_DEBT });
});

describe('bidder use cases on per-bidder credentials, under the bidder data policy', () => {
  it('drafts (naming a sub-contractor), submits, reads back and withdraws with nothing refused', async () => {
    await saveDraft(deps, ownerA, competitionId, bid(45_000_00, ids.SUB), new Date());
    // The sub-contractor agrees on its own credentials (it gives the agreement; A only reads it).
    const agreement = { providerId: ids.SUB, bidderId: ids.A, role: 'subcontractor' as const };
    await agreeToBeNamed(deps, ownerSub, competitionId, agreement, new Date());
    const submitted = await submitBid(deps, ownerA, competitionId, undefined, new Date());
    expect(submitted.version).toBe(1);
    const own = await getOwnBid(deps, ownerA, competitionId, undefined);
    expect(own).toMatchObject({ providerId: ids.A, status: 'submitted', version: 1 });
    await saveDraft(deps, ownerB, competitionId, bid(47_000_00), new Date());
    await submitBid(deps, ownerB, competitionId, undefined, new Date());
    await withdrawBid(deps, ownerB, competitionId, undefined, new Date());
    expect(refusals).toEqual([]);

    // What the writes left, read with the unrestricted (insiders') repositories.
    const heads = await repositories().bids.listHeads(competitionId);
    expect(heads.map((h) => [h.providerId, h.status]).sort()).toEqual(
      [
        [ids.A, 'submitted'],
        [ids.B, 'withdrawn'],
      ].sort(),
    );
    const connections = await repositories().competitions.connectionsAmong(competitionId, [
      ids.A,
      ids.B,
      ids.SUB,
    ]);
    expect([...connections.keys()].sort()).toEqual([ids.A, ids.B, ids.SUB].sort());
  });

  it('asks STS once per bidder, for the bidder data role, with the bidder in the session tag', () => {
    expect(assumed.map((input) => input.Tags)).toEqual([
      [{ Key: 'providerId', Value: ids.A }],
      [{ Key: 'providerId', Value: ids.SUB }],
      [{ Key: 'providerId', Value: ids.B }],
    ]);
    for (const input of assumed) {
      expect(input.RoleArn).toBe('arn:aws:iam::123456789012:role/bidder-data');
      expect(input.DurationSeconds).toBe(900);
      expect(input.RoleSessionName).toBe(`provider-${input.Tags?.[0]?.Value}`);
    }
  });
});

describe("one bidder's credentials against everything else in the sealed table", () => {
  const denied = (promise: Promise<unknown>) =>
    expect(promise).rejects.toMatchObject({ name: 'AccessDeniedException' });

  it("cannot read another bidder's draft, bid or debrief", async () => {
    const a = await deps.providerData.forProvider(ids.A);
    await denied(a.bids.getDraft(competitionId, ids.B));
    await denied(a.bids.getHead(competitionId, ids.B));
    await denied(a.bids.getDebrief(competitionId, ids.B));
    // Its own, the same calls, pass.
    expect(await a.bids.getHead(competitionId, ids.A)).toMatchObject({ providerId: ids.A });
  });

  it('cannot list bids, read scores or moderation, or read the audit log', async () => {
    const a = await deps.providerData.forProvider(ids.A);
    await denied(a.bids.listHeads(competitionId));
    await denied(a.bids.evaluationData(competitionId));
    await denied(a.audit.page(competitionId, 10, undefined));
    await denied(a.audit.verify(competitionId));
    await denied(a.audit.alerts(10, undefined));
  });

  it("cannot write into another bidder's partition, and the transaction leaves nothing behind", async () => {
    const a = await deps.providerData.forProvider(ids.A);
    const before = await repositories().bids.getHead(competitionId, ids.B);
    const at = new Date().toISOString();
    const forged = {
      ...bid(1),
      competitionId,
      providerId: ids.B,
      bidId: before?.bidId ?? 'x',
      updatedAt: at,
      updatedBy: ownerA.kind === 'user' ? ownerA.sub : 'x',
    };
    await denied(
      a.audit.append(
        competitionId,
        { at, actor: 'cred-owner-a', action: 'bid.draft', resource: 'forged', outcome: 'allowed' },
        {
          items: [a.bids.openCheck(competitionId, ids.B, at, false), ...a.bids.draftItems(forged)],
        },
      ),
    );
    expect(await repositories().bids.getDraft(competitionId, ids.B)).toMatchObject({ pricePence: 47_000_00 });
    expect(await repositories().bids.getHead(competitionId, ids.B)).toEqual(before);
  });

  it("cannot forge another organisation's agreement to be named, nor read agreements given to others", async () => {
    const a = await deps.providerData.forProvider(ids.A);
    const at = new Date().toISOString();
    // A claims that B agreed to be its sub-contractor: a put under B's agreements, refused.
    const forged = { competitionId, bidderId: ids.A, providerId: ids.B, role: 'subcontractor' as const };
    await denied(
      a.audit.append(
        competitionId,
        { at, actor: 'cred-owner-a', action: 'bid.partner', resource: 'forged', outcome: 'allowed' },
        { items: a.partnerships.agreementItems({ ...forged, agreedAt: at, agreedBy: 'cred-owner-a' }) },
      ),
    );
    expect(await repositories().partnerships.get(competitionId, ids.A, ids.B)).toBeUndefined();
    // Whether the sub-contractor agreed to partner someone else is not A's to read; its own agreement is.
    await denied(a.partnerships.get(competitionId, ids.B, ids.SUB));
    expect(await a.partnerships.get(competitionId, ids.A, ids.SUB)).toMatchObject({ providerId: ids.SUB });
  });

  it('refusals name the action and the partition IAM would have refused', () => {
    const seen = refusals.map(
      (r) => `${r.request.action} ${r.request.table} ${r.request.leadingKeys?.[0] ?? '(query)'}`,
    );
    expect(seen).toContain(`dynamodb:GetItem sealed ${sealedKeys.bidHead(competitionId, ids.B).pk}`);
    // A Query of an index names no partition; one of a table names the one its key condition does.
    expect(seen).toContain('dynamodb:Query sealed (query)');
    expect(seen).toContain(`dynamodb:Query sealed ${sealedKeys.partition(competitionId).pk}`);
    expect(seen).toContain(`dynamodb:Query audit ${auditKeys.alerts().pk}`);
    for (const refusal of refusals) expect(refusal.tags).toEqual({ providerId: ids.A });
  });
});

describe("an applicant's credentials, under the applicant data policy", () => {
  const ownerC = user('cred-owner-c');
  const ownerD = user('cred-owner-d');
  const applicants: Record<'C' | 'D', string> = { C: '', D: '' };
  let applicantDeps: Parameters<typeof submitResponse>[0];
  let prequalificationId: string;
  const denied = (promise: Promise<unknown>) =>
    expect(promise).rejects.toMatchObject({ name: 'AccessDeniedException' });

  beforeAll(async () => {
    applicantDeps = { ...repositories(), providerData: accessFor('applicant') };
    for (const [key, owner] of [
      ['C', ownerC],
      ['D', ownerD],
    ] as const) {
      applicants[key] = await verifiedProvider(owner.sub, `Credential applicant ${key}`, WALES_DEBT);
      await accredit(owner.sub, applicants[key]);
    }
    prequalificationId = await openCompetition({
      title: 'Debt advice, Wales (core)',
      prequalification: true,
      ...WALES_DEBT,
    });
  });

  it('submits responses with nothing refused, one STS session per applicant', async () => {
    const before = refusals.length;
    const answers = { 'technical.relevant-experience': 'Ten years of debt advice in Wales.' };
    await submitResponse(applicantDeps, ownerC, prequalificationId, { answers }, new Date());
    await submitResponse(applicantDeps, ownerD, prequalificationId, { answers }, new Date());
    expect(refusals.slice(before)).toEqual([]);
    expect(assumed.filter((input) => input.RoleArn?.endsWith('/applicant-data')).map((i) => i.Tags)).toEqual([
      [{ Key: 'providerId', Value: applicants.C }],
      [{ Key: 'providerId', Value: applicants.D }],
    ]);
    const { responses } = await repositories().prequalification.list(prequalificationId);
    expect(responses.map((r) => r.providerId).sort()).toEqual([applicants.C, applicants.D].sort());
  });

  it("cannot put another applicant's response, list responses or read marks", async () => {
    const c = await applicantDeps.providerData.forProvider(applicants.C);
    const before = (await repositories().prequalification.list(prequalificationId)).responses.find(
      (r) => r.providerId === applicants.D,
    );
    expect(before).toBeDefined();
    const at = new Date().toISOString();
    const forged = { ...(before as NonNullable<typeof before>), providerName: 'Forged', submittedAt: at };
    await denied(
      c.audit.append(
        prequalificationId,
        {
          at,
          actor: 'cred-owner-c',
          action: 'prequalification.submit',
          resource: 'forged',
          outcome: 'allowed',
        },
        { items: c.prequalification.submitItems(forged, at) },
      ),
    );
    const after = (await repositories().prequalification.list(prequalificationId)).responses.find(
      (r) => r.providerId === applicants.D,
    );
    expect(after).toEqual(before);
    await denied(c.prequalification.list(prequalificationId));
    // Nor a bid: an applicant's credentials are not a bidder's.
    await denied(c.bids.getHead(prequalificationId, applicants.C));
  });
});
