/**
 * Membership by invitation against DynamoDB Local (issue 12, item 2): an invitation is not a membership;
 * accepting turns it into one in a single transaction, so racing answers have exactly one winner; answered
 * invitations keep their outcome; expiry is judged at the request time; the last owner cannot go, even when
 * two owners remove each other at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../../shared/db/repositories';
import { ConflictError, InvalidStateError, NotFoundError } from '../../shared/domain/errors';
import {
  answerInvitation,
  inviteMember,
  listMyInvitations,
  listProviderInvitations,
  removeMember,
  withdrawInvitation,
} from '../../shared/use-cases/memberships';
import { user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const DAYS = 14;
const DAY = 24 * 3600 * 1000;
let counter = 0;
/** A user id of this test run (the tables are shared by the file's tests). */
const someone = (name: string) => `${name}-${Date.now().toString(36)}-${++counter}`;

async function organisation(owner: string): Promise<string> {
  return verifiedProvider(owner, `Invitations ${owner}`, { region: 'london', service: 'accommodation' });
}

async function invite(providerId: string, owner: string, sub: string, now = new Date()) {
  return inviteMember(repositories(), user(owner), providerId, { sub, role: 'member' }, now, DAYS);
}

beforeAll(async () => {
  await useTestTables();
});

describe('an invitation', () => {
  it('is not a membership until the invited user accepts, and keeps its outcome afterwards', async () => {
    const owner = someone('owner');
    const invited = someone('invited');
    const providerId = await organisation(owner);
    const invitation = await invite(providerId, owner, invited);
    expect(invitation).toMatchObject({ status: 'invited', sub: invited, providerId, invitedBy: owner });

    expect(await repositories().memberships.listForUser(invited)).toEqual([]);
    expect(await repositories().memberships.get(providerId, invited)).toBeUndefined();
    const mine = await listMyInvitations(repositories(), user(invited), new Date());
    expect(mine.items.map((i) => [i.id, i.organisation.id])).toEqual([[invitation.id, providerId]]);
    const theirs = await listProviderInvitations(repositories(), user(owner), providerId, new Date());
    expect(theirs.items.map((i) => i.sub)).toEqual([invited]);

    const answered = await answerInvitation(
      repositories(),
      user(invited),
      invitation.id,
      'accepted',
      new Date(),
    );
    expect(answered.membership).toMatchObject({
      providerId,
      sub: invited,
      role: 'member',
      invitationId: invitation.id,
    });
    expect((await repositories().memberships.listForUser(invited)).map((m) => m.providerId)).toEqual([
      providerId,
    ]);
    expect((await listMyInvitations(repositories(), user(invited), new Date())).items).toEqual([]);
    expect(
      (await listProviderInvitations(repositories(), user(owner), providerId, new Date())).items,
    ).toEqual([]);
    const kept = await repositories().memberships.getInvitation(invitation.id);
    expect(kept).toMatchObject({ status: 'accepted', respondedBy: invited });
    expect(kept?.respondedAt).toBeDefined();
  });

  it('is refused for someone already a member or already invited', async () => {
    const owner = someone('owner');
    const invited = someone('invited');
    const providerId = await organisation(owner);
    await expect(invite(providerId, owner, owner)).rejects.toThrow(ConflictError);
    await invite(providerId, owner, invited);
    await expect(invite(providerId, owner, invited)).rejects.toThrow(/open invitation/);
    expect((await listMyInvitations(repositories(), user(invited), new Date())).items).toHaveLength(1);
  });

  it('can be answered by the invited user alone', async () => {
    const owner = someone('owner');
    const invited = someone('invited');
    const providerId = await organisation(owner);
    const invitation = await invite(providerId, owner, invited);
    for (const other of [owner, someone('stranger')]) {
      await expect(
        answerInvitation(repositories(), user(other), invitation.id, 'accepted', new Date()),
      ).rejects.toThrow(NotFoundError);
    }
    expect(await repositories().memberships.get(providerId, owner)).toMatchObject({ role: 'owner' });
    expect(await repositories().memberships.get(providerId, invited)).toBeUndefined();
  });

  it('expires at the configured time, judged when it is answered, and can then be sent again', async () => {
    const owner = someone('owner');
    const invited = someone('invited');
    const providerId = await organisation(owner);
    const longAgo = new Date(Date.now() - (DAYS + 1) * DAY);
    const old = await invite(providerId, owner, invited, longAgo);
    // Still open when looked at from before its expiry; gone from the list at today's time.
    expect((await listMyInvitations(repositories(), user(invited), longAgo)).items).toHaveLength(1);
    expect((await listMyInvitations(repositories(), user(invited), new Date())).items).toEqual([]);
    await expect(
      answerInvitation(repositories(), user(invited), old.id, 'accepted', new Date()),
    ).rejects.toThrow(/expired/);
    expect(await repositories().memberships.get(providerId, invited)).toBeUndefined();

    const again = await invite(providerId, owner, invited);
    await answerInvitation(repositories(), user(invited), again.id, 'accepted', new Date());
    expect(await repositories().memberships.get(providerId, invited)).toMatchObject({
      invitationId: again.id,
    });
  });

  it('can be withdrawn by an owner, and then not accepted', async () => {
    const owner = someone('owner');
    const invited = someone('invited');
    const providerId = await organisation(owner);
    const invitation = await invite(providerId, owner, invited);
    await expect(
      withdrawInvitation(repositories(), user(invited), providerId, invitation.id, new Date()),
    ).rejects.toThrow(NotFoundError);
    expect(
      await withdrawInvitation(repositories(), user(owner), providerId, invitation.id, new Date()),
    ).toMatchObject({
      status: 'withdrawn',
      respondedBy: owner,
    });
    await expect(
      answerInvitation(repositories(), user(invited), invitation.id, 'accepted', new Date()),
    ).rejects.toThrow(/withdrawn/);
    expect(await repositories().memberships.get(providerId, invited)).toBeUndefined();
  });
});

describe('racing answers', () => {
  it('let exactly one of two concurrent accepts win, making one membership', async () => {
    for (let round = 0; round < 4; round++) {
      const owner = someone('owner');
      const invited = someone('invited');
      const providerId = await organisation(owner);
      const invitation = await invite(providerId, owner, invited);
      const results = await Promise.allSettled(
        [0, 1].map(() =>
          answerInvitation(repositories(), user(invited), invitation.id, 'accepted', new Date()),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(InvalidStateError);
      const members = await repositories().memberships.listForProvider(providerId);
      expect(members.filter((m) => m.sub === invited)).toHaveLength(1);
    }
  });

  it('let exactly one of a concurrent accept and decline win, and the record agrees with the membership', async () => {
    for (let round = 0; round < 4; round++) {
      const owner = someone('owner');
      const invited = someone('invited');
      const providerId = await organisation(owner);
      const invitation = await invite(providerId, owner, invited);
      const outcomes = ['accepted', 'declined'] as const;
      const results = await Promise.allSettled(
        outcomes.map((outcome) =>
          answerInvitation(repositories(), user(invited), invitation.id, outcome, new Date()),
        ),
      );
      const winners = outcomes.filter((_, i) => results[i]?.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const stored = await repositories().memberships.getInvitation(invitation.id);
      expect(stored?.status).toBe(winners[0]);
      const member = await repositories().memberships.get(providerId, invited);
      expect(member !== undefined).toBe(winners[0] === 'accepted');
    }
  });
});

describe('leaving and removing', () => {
  it('keeps the last owner, lets members leave, and records former memberships', async () => {
    const owner = someone('owner');
    const member = someone('member');
    const providerId = await organisation(owner);
    const invitation = await invite(providerId, owner, member);
    await answerInvitation(repositories(), user(member), invitation.id, 'accepted', new Date());

    await expect(removeMember(repositories(), user(owner), providerId, owner, new Date())).rejects.toThrow(
      ConflictError,
    );
    await expect(removeMember(repositories(), user(member), providerId, owner, new Date())).rejects.toThrow(
      /Only an owner/,
    );
    const left = await removeMember(repositories(), user(member), providerId, member, new Date());
    expect(left).toMatchObject({ providerId, sub: member, removedBy: member });
    expect(await repositories().memberships.get(providerId, member)).toBeUndefined();
    expect(
      (await repositories().memberships.affiliationsOfUser(member)).former.map((f) => f.providerId),
    ).toEqual([providerId]);
  });

  it('never leaves an organisation without an owner when two owners remove each other at once', async () => {
    for (let round = 0; round < 3; round++) {
      const first = someone('first');
      const second = someone('second');
      const providerId = await organisation(first);
      const invitation = await inviteMember(
        repositories(),
        user(first),
        providerId,
        { sub: second, role: 'owner' },
        new Date(),
        DAYS,
      );
      await answerInvitation(repositories(), user(second), invitation.id, 'accepted', new Date());
      const results = await Promise.allSettled([
        removeMember(repositories(), user(first), providerId, second, new Date()),
        removeMember(repositories(), user(second), providerId, first, new Date()),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const owners = (await repositories().memberships.listForProvider(providerId)).filter(
        (m) => m.role === 'owner',
      );
      expect(owners).toHaveLength(1);
    }
  });
});
