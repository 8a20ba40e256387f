/**
 * Membership by invitation (issue 12, item 2): the pure rules (expiry judged at the request time, the last
 * owner stays) and the policy (who may invite, answer, list and remove).
 */
import { describe, expect, it } from 'vitest';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/domain/errors';
import {
  closedInvitationReason,
  invitationExpiry,
  invitationState,
  isOpen,
} from '../../shared/domain/invitations';
import { ownerWhoRemains } from '../../shared/domain/memberships';
import {
  assertCanInvite,
  assertCanListInvitations,
  assertCanRemoveMember,
  assertIsInvitee,
  type ProviderRelation,
} from '../../shared/domain/policy';
import type { Group, Principal } from '../../shared/domain/principal';

const sent = new Date('2026-03-01T09:30:00.000Z');
const user = (sub: string, groups: Group[] = []): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});

describe('invitation expiry', () => {
  it('expires the configured number of days after it was sent', () => {
    expect(invitationExpiry(sent, 14)).toBe('2026-03-15T09:30:00.000Z');
    expect(invitationExpiry(sent, 1)).toBe('2026-03-02T09:30:00.000Z');
  });

  it('is open until its expiry and expired from that moment, judged at the time asked', () => {
    const invitation = { status: 'invited' as const, expiresAt: invitationExpiry(sent, 14) };
    expect(invitationState(invitation, new Date('2026-03-15T09:29:59.999Z'))).toBe('invited');
    expect(isOpen(invitation, new Date('2026-03-15T09:29:59.999Z'))).toBe(true);
    expect(invitationState(invitation, new Date('2026-03-15T09:30:00.000Z'))).toBe('expired');
    expect(isOpen(invitation, new Date('2026-04-01T00:00:00.000Z'))).toBe(false);
  });

  it('keeps an answered invitation’s outcome, whenever it is read', () => {
    for (const status of ['accepted', 'declined', 'withdrawn'] as const) {
      const answered = { status, expiresAt: invitationExpiry(sent, 14) };
      expect(invitationState(answered, sent)).toBe(status);
      expect(invitationState(answered, new Date('2027-01-01T00:00:00Z'))).toBe(status);
      expect(isOpen(answered, sent)).toBe(false);
    }
  });

  it('says why a closed invitation cannot be answered', () => {
    expect(closedInvitationReason('expired')).toMatch(/expired.*invite you again/);
    expect(closedInvitationReason('accepted')).toMatch(/already been accepted/);
    expect(closedInvitationReason('declined')).toMatch(/already been declined/);
    expect(closedInvitationReason('withdrawn')).toMatch(/withdrawn/);
  });
});

describe('the last owner', () => {
  const members = [
    { sub: 'olive', role: 'owner' as const },
    { sub: 'owen', role: 'owner' as const },
    { sub: 'mel', role: 'member' as const },
  ];

  it('lets a member go with no owner to keep', () => {
    expect(ownerWhoRemains(members, 'mel')).toMatchObject({
      remainingOwner: undefined,
      role: 'member',
      leaving: { sub: 'mel' },
    });
  });

  it('lets an owner go while another owner remains, and names that owner', () => {
    expect(ownerWhoRemains(members, 'olive')).toMatchObject({
      remainingOwner: 'owen',
      role: 'owner',
      leaving: { sub: 'olive' },
    });
  });

  it('refuses the last owner, and someone who is not a member', () => {
    const one = [
      { sub: 'olive', role: 'owner' as const },
      { sub: 'mel', role: 'member' as const },
    ];
    expect(() => ownerWhoRemains(one, 'olive')).toThrow(ConflictError);
    expect(() => ownerWhoRemains(one, 'stranger')).toThrow(NotFoundError);
  });
});

describe('who may do what', () => {
  const relations: ProviderRelation[] = ['owner', 'member', 'official', 'none'];

  it('lets owners alone invite; members and officials are refused, others learn nothing', () => {
    const outcome = (relation: ProviderRelation) => {
      try {
        assertCanInvite(relation, 'P1');
        return 'allowed';
      } catch (error) {
        return (error as { code: string }).code;
      }
    };
    expect(relations.map(outcome)).toEqual(['allowed', 'forbidden', 'forbidden', 'not-found']);
  });

  it('shows open invitations to the organisation’s own people only', () => {
    expect(() => assertCanListInvitations('owner', 'P1')).not.toThrow();
    expect(() => assertCanListInvitations('member', 'P1')).not.toThrow();
    expect(() => assertCanListInvitations('official', 'P1')).toThrow(ForbiddenError);
    expect(() => assertCanListInvitations('none', 'P1')).toThrow(NotFoundError);
  });

  it('lets only the invited user answer: anyone else, an admin included, is told it does not exist', () => {
    const invitation = { sub: 'ivy' };
    expect(() => assertIsInvitee(user('ivy'), invitation, 'I1')).not.toThrow();
    expect(() => assertIsInvitee(user('olive'), invitation, 'I1')).toThrow(NotFoundError);
    expect(() => assertIsInvitee(user('root', ['admin']), invitation, 'I1')).toThrow(NotFoundError);
    expect(() => assertIsInvitee({ kind: 'anonymous' }, invitation, 'I1')).toThrow(NotFoundError);
  });

  it('lets anyone leave, owners remove others, and nobody else remove anyone', () => {
    expect(() => assertCanRemoveMember(user('mel'), 'member', 'P1', 'mel')).not.toThrow();
    expect(() => assertCanRemoveMember(user('olive'), 'owner', 'P1', 'olive')).not.toThrow();
    expect(() => assertCanRemoveMember(user('olive'), 'owner', 'P1', 'mel')).not.toThrow();
    expect(() => assertCanRemoveMember(user('mel'), 'member', 'P1', 'olive')).toThrow(ForbiddenError);
    expect(() => assertCanRemoveMember(user('cass', ['commissioner']), 'official', 'P1', 'mel')).toThrow(
      ForbiddenError,
    );
    expect(() => assertCanRemoveMember(user('cass', ['commissioner']), 'official', 'P1', 'cass')).toThrow(
      ForbiddenError,
    );
    expect(() => assertCanRemoveMember(user('eve'), 'none', 'P1', 'eve')).toThrow(NotFoundError);
  });
});
