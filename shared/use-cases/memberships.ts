/**
 * Membership by invitation (issue 12, item 2; DESIGN.md section 3). An owner invites (`POST
 * /providers/{id}/members`); the invited user alone accepts or declines (`/me/invitations`); only an
 * acceptance makes them a member, and so connected to whatever the organisation applies for or bids in.
 * Members leave, owners remove others and withdraw open invitations; the last owner cannot go. The policy
 * module decides who may ask; the membership repository makes each answer one conditional transaction.
 */
import { ulid } from 'ulid';
import type { MemberRole, Membership, MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import { InvalidStateError, NotFoundError } from '../domain/errors';
import {
  closedInvitationReason,
  type Invitation,
  invitationExpiry,
  invitationState,
  isOpen,
} from '../domain/invitations';
import { ownerWhoRemains } from '../domain/memberships';
import {
  assertCanInvite,
  assertCanListInvitations,
  assertCanRemoveMember,
  assertIsInvitee,
  requireUser,
} from '../domain/policy';
import type { Principal } from '../domain/principal';
import type { ProviderStatus } from '../domain/providers';
import { loadProviderFor } from './providers';

type Deps = { providers: ProviderRepository; memberships: MembershipRepository };

/** An invitation as its invited user sees it: with the organisation it is to. */
export type InvitationForInvitee = Invitation & {
  organisation: { id: string; name: string; status: ProviderStatus };
};

/**
 * Invites a user to the organisation (owners only). The user is not a member, and not connected to
 * anything the organisation does, until they accept.
 * @param validDays how long the invitation stays open (`config().rules.invitationValidDays`).
 * @throws ConflictError when the user is already a member or already has an open invitation.
 */
export async function inviteMember(
  deps: Deps,
  principal: Principal,
  providerId: string,
  input: { sub: string; role: MemberRole },
  now: Date,
  validDays: number,
): Promise<Invitation> {
  const user = requireUser(principal);
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanInvite(relation, providerId);
  const invitation: Invitation = {
    id: ulid(now.getTime()),
    providerId,
    sub: input.sub,
    role: input.role,
    invitedBy: user.sub,
    invitedAt: now.toISOString(),
    expiresAt: invitationExpiry(now, validDays),
    status: 'invited',
  };
  await deps.memberships.invite(invitation, now);
  return invitation;
}

/** The organisation's open invitations at `now`, soonest to expire first (its owners and members). */
export async function listProviderInvitations(
  deps: Deps,
  principal: Principal,
  providerId: string,
  now: Date,
): Promise<{ items: Invitation[] }> {
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanListInvitations(relation, providerId);
  const open = (await deps.memberships.listOpenInvitationsForProvider(providerId)).filter((i) =>
    isOpen(i, now),
  );
  return { items: open.sort((a, b) => a.expiresAt.localeCompare(b.expiresAt)) };
}

/**
 * Withdraws an open invitation (owners only): sent to the wrong person, or no longer wanted.
 * @throws NotFoundError when the provider has no such invitation; InvalidStateError when it is not open.
 */
export async function withdrawInvitation(
  deps: Deps,
  principal: Principal,
  providerId: string,
  invitationId: string,
  now: Date,
): Promise<Invitation> {
  const user = requireUser(principal);
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanInvite(relation, providerId);
  const invitation = await deps.memberships.getInvitation(invitationId);
  if (!invitation || invitation.providerId !== providerId) {
    throw new NotFoundError(`No invitation ${invitationId} to this organisation.`);
  }
  assertOpen(invitation, now);
  return (await deps.memberships.answer(invitation, 'withdrawn', user.sub, now)).invitation;
}

/** The caller's open invitations at `now`, soonest to expire first, each with its organisation. */
export async function listMyInvitations(
  deps: Deps,
  principal: Principal,
  now: Date,
): Promise<{ items: InvitationForInvitee[] }> {
  const user = requireUser(principal);
  const open = await deps.memberships.listOpenInvitationsForUser(user.sub, now);
  const providers = new Map(
    (await deps.providers.getMany(open.map((i) => i.providerId))).map((p) => [p.id, p]),
  );
  return {
    items: open.flatMap((invitation) => {
      const provider = providers.get(invitation.providerId);
      return provider
        ? [{ ...invitation, organisation: { id: provider.id, name: provider.name, status: provider.status } }]
        : [];
    }),
  };
}

/**
 * The invited user accepts (becoming a member, in the same transaction) or declines. Anyone else is told
 * the invitation does not exist.
 * @throws NotFoundError | InvalidStateError (answered, withdrawn or expired) | ConflictError (already a member)
 */
export async function answerInvitation(
  deps: Pick<Deps, 'memberships'>,
  principal: Principal,
  invitationId: string,
  outcome: 'accepted' | 'declined',
  now: Date,
): Promise<{ invitation: Invitation; membership?: Membership }> {
  const user = requireUser(principal);
  const invitation = await deps.memberships.getInvitation(invitationId);
  if (!invitation) throw new NotFoundError(`No invitation ${invitationId}.`);
  assertIsInvitee(principal, invitation, invitationId);
  assertOpen(invitation, now);
  return deps.memberships.answer(invitation, outcome, user.sub, now);
}

/**
 * Ends a membership: a member leaves, or an owner removes someone. The last owner cannot go; the ended
 * membership is kept as a former one.
 * @throws NotFoundError | ForbiddenError | ConflictError (the last owner)
 */
export async function removeMember(
  deps: Deps,
  principal: Principal,
  providerId: string,
  sub: string,
  now: Date,
) {
  const user = requireUser(principal);
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanRemoveMember(principal, relation, providerId, sub);
  const members = await deps.memberships.listForProvider(providerId);
  const { remainingOwner, leaving } = ownerWhoRemains(members, sub);
  return deps.memberships.remove(leaving, { at: now.toISOString(), by: user.sub, remainingOwner });
}

function assertOpen(invitation: Invitation, now: Date): void {
  const state = invitationState(invitation, now);
  if (state !== 'invited') throw new InvalidStateError(closedInvitationReason(state));
}
