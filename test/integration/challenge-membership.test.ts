/**
 * Raising a challenge re-checks membership in its write (attacker review of issue 15), as asking a question
 * does: a condition check on the challenger's membership item in the raise transaction, so a member removed
 * from the organisation after the challenge page was read – or whose removal the memberships index has not
 * caught up with yet – challenges nothing in its name. Over DynamoDB Local, on the process-wide
 * repositories and on per-bidder credentials under the bidder data role's policy (the IAM simulator
 * applies `PROVIDER_DATA_GRANTS.bidder`), which must allow that check and nothing more of the registry.
 */
import type { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as biddingHandler } from '../../functions/web/bidding';
import { PROVIDER_DATA_GRANTS } from '../../infra/table-access';
import { config } from '../../shared/config';
import { dynamoDbClient } from '../../shared/db/client';
import type { MembershipRepository } from '../../shared/db/memberships';
import {
  assumedRoleProviderData,
  type RoleAssumer,
  withSharedProviderData,
} from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { ForbiddenError } from '../../shared/domain/errors';
import type { UserPrincipal } from '../../shared/domain/principal';
import { type ChallengerDeps, raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { answerInvitation, inviteMember, removeMember } from '../../shared/use-cases/memberships';
import { competitionInStandstill } from '../support/challenges';
import { enforcingHandler, type Refusal, type SimStatement } from '../support/iam-simulator';
import { user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const DAY = 24 * 3_600_000;
const OWNERS = { A: user('cm-owner-a'), B: user('cm-owner-b'), C: user('cm-owner-c') } as const;
const providers = { A: '', B: '', C: '' };
let competition: Awaited<ReturnType<typeof competitionInStandstill>>;
/** During standstill: a day after the award decision. */
let during: Date;

/** Makes `member` a plain member of `providerId`, invited by its owner and accepted. */
async function join(providerId: string, owner: UserPrincipal, member: UserPrincipal): Promise<void> {
  const invitation = await inviteMember(
    repositories(),
    owner,
    providerId,
    { sub: member.sub, role: 'member' },
    new Date(),
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), member, invitation.id, 'accepted', new Date());
}

/**
 * The memberships as the raise reads them, taken before the removal: the memberships index (a GSI, read
 * eventually consistently in AWS) may still list a membership just removed.
 */
async function staleMemberships(member: UserPrincipal): Promise<Pick<MembershipRepository, 'listForUser'>> {
  const before = await repositories().memberships.listForUser(member.sub);
  return { listForUser: async () => before };
}

/** What the challenge partition of `providerId` holds for the award decision, and the raise events logged. */
async function traces(providerId: string, sub: string) {
  const stored = await repositories().challenges.get(
    competition.id,
    providerId,
    competition.decidedAt.toISOString(),
  );
  const page = await repositories().audit.page(competition.id, 500, undefined);
  const raised = page.items.filter((e) => e.action === 'challenge.raise' && e.actor === sub);
  return { stored, raised };
}

// Per-bidder credentials under the bidder data role's policy, as in `provider-credentials.test.ts`.
const sessions = new Map<string, Record<string, string>>();
const refusals: Refusal[] = [];
let assumedCount = 0;
const sts: RoleAssumer = {
  async send(command: AssumeRoleCommand) {
    assumedCount += 1;
    const token = `cm-session-${assumedCount}`;
    sessions.set(token, Object.fromEntries((command.input.Tags ?? []).map((t) => [t.Key, t.Value])));
    return {
      $metadata: {},
      Credentials: {
        AccessKeyId: `ASIACM${assumedCount}`,
        SecretAccessKey: 'fake-secret',
        SessionToken: token,
        Expiration: new Date(Date.now() + 900_000),
      },
    };
  },
};
const bidderStatements: SimStatement[] = Object.entries(PROVIDER_DATA_GRANTS.bidder).flatMap(
  ([table, grants]) =>
    (grants ?? []).map((grant) => ({ actions: grant.actions, table, conditions: grant.conditions })),
);

/** The challenger's dependencies with per-bidder credentials whose every request IAM (simulated) judges. */
function onBidderCredentials(): ChallengerDeps {
  const { tables, region, dynamodbEndpoint } = config();
  return {
    ...repositories(),
    providerData: assumedRoleProviderData({
      roleArn: 'arn:aws:iam::123456789012:role/bidder-data',
      sts,
      region,
      endpoint: dynamodbEndpoint,
      tables,
      requestHandler: enforcingHandler({
        base: dynamoDbClient().config.requestHandler,
        statements: bidderStatements,
        sessions,
        tables,
        refusals,
      }),
    }),
  };
}

beforeAll(async () => {
  await useTestTables();
  for (const key of ['A', 'B', 'C'] as const) {
    providers[key] = await verifiedProvider(OWNERS[key].sub, `Membership bidder ${key}`, {
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
  }
  competition = await competitionInStandstill({
    title: 'Challenges: membership re-checked',
    owners: OWNERS,
    standstillDays: 8,
  });
  during = new Date(competition.decidedAt.getTime() + DAY);
});

describe('a member removed between reading and raising', () => {
  it('is refused on the web after the page was loaded, and nothing is written', async () => {
    const member = user('cm-page-member');
    await join(providers.B, OWNERS.B, member);
    const who = await signedIn(member.sub, { now: during });
    const loaded = await callPage(biddingHandler, 'GET /your-competitions/{id}/challenge', {
      who,
      params: { id: competition.id },
      at: during.getTime(),
    });
    expect(loaded.statusCode).toBe(200);
    expect(loaded.body).toContain('name="grounds"');

    await removeMember(repositories(), OWNERS.B, providers.B, member.sub, new Date());
    const posted = await callPage(biddingHandler, 'POST /your-competitions/{id}/challenge', {
      who,
      params: { id: competition.id },
      at: during.getTime(),
      form: { grounds: 'Raised after I was removed.' },
    });
    expect(posted.statusCode).toBe(403);
    expect(pageText(posted)).not.toContain('Your challenge has been raised');
    expect(await traces(providers.B, member.sub)).toEqual({ stored: undefined, raised: [] });
  });

  it('is refused by the check in the write when the memberships read still listed the membership', async () => {
    const member = user('cm-stale-member');
    await join(providers.B, OWNERS.B, member);
    const memberships = await staleMemberships(member);
    await removeMember(repositories(), OWNERS.B, providers.B, member.sub, new Date());

    const raised = raiseChallenge(
      { ...withSharedProviderData(repositories()), memberships },
      member,
      competition.id,
      { grounds: 'Raised after I was removed.' },
      during,
    );
    await expect(raised).rejects.toBeInstanceOf(ForbiddenError);
    await expect(raised).rejects.toThrow('You are no longer a member of that organisation.');
    expect(await traces(providers.B, member.sub)).toEqual({ stored: undefined, raised: [] });

    // Nothing was written that would stand in the way of the organisation's own challenge.
    const own = await raiseChallenge(
      withSharedProviderData(repositories()),
      OWNERS.B,
      competition.id,
      { grounds: 'Our social value answer was not scored.' },
      during,
    );
    expect(own).toMatchObject({ status: 'open', providerId: providers.B });
  });
});

describe('on per-bidder credentials, under the bidder data policy', () => {
  it('checks the membership (allowed by IAM, refused by the condition) and stores nothing', async () => {
    const member = user('cm-credentials-member');
    await join(providers.C, OWNERS.C, member);
    const memberships = await staleMemberships(member);
    await removeMember(repositories(), OWNERS.C, providers.C, member.sub, new Date());
    refusals.length = 0;

    const raised = raiseChallenge(
      { ...onBidderCredentials(), memberships },
      member,
      competition.id,
      { grounds: 'Raised after I was removed.' },
      during,
    );
    await expect(raised).rejects.toBeInstanceOf(ForbiddenError);
    expect(refusals).toEqual([]);
    expect(await traces(providers.C, member.sub)).toEqual({ stored: undefined, raised: [] });
  });

  it('lets a member raise, with nothing refused', async () => {
    refusals.length = 0;
    const raised = await raiseChallenge(
      onBidderCredentials(),
      OWNERS.C,
      competition.id,
      { grounds: 'The price formula was misapplied.' },
      during,
    );
    expect(raised).toMatchObject({ status: 'open', providerId: providers.C });
    expect(refusals).toEqual([]);
  });
});
