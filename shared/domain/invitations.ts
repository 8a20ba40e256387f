/**
 * Invitations to join a provider organisation (issue 12, item 2; DESIGN.md section 3): nobody becomes a
 * member, and so connected to whatever the organisation applies for or bids in, by someone else's say-so.
 * An owner invites; only the invited user can accept (becoming a member) or decline. Pure rules: expiry is
 * judged against the request time, so no scheduler is needed.
 */
import type { MemberRole } from './memberships';

/** What became of an invitation. Stored outcomes are kept with their time: the record is never deleted. */
export type InvitationOutcome = 'accepted' | 'declined' | 'withdrawn';

/** The stored status: `invited` until the invited user answers or an owner withdraws it. */
export type InvitationStatus = 'invited' | InvitationOutcome;

/** The status as of a moment: an unanswered invitation past its expiry is `expired`. */
export type InvitationState = InvitationStatus | 'expired';

/** An invitation to join a provider organisation. */
export interface Invitation {
  id: string;
  providerId: string;
  /** The invited user. */
  sub: string;
  role: MemberRole;
  invitedBy: string;
  invitedAt: string;
  /** After this moment the invitation can no longer be accepted. */
  expiresAt: string;
  status: InvitationStatus;
  /** When it was accepted, declined or withdrawn. */
  respondedAt?: string;
  /** Who answered it: the invited user, or the owner who withdrew it. */
  respondedBy?: string;
}

const DAY_MS = 24 * 3600 * 1000;

/** When an invitation sent at `invitedAt` expires. */
export function invitationExpiry(invitedAt: Date, validDays: number): string {
  return new Date(invitedAt.getTime() + validDays * DAY_MS).toISOString();
}

/** The invitation's state at `now`: its stored status, or `expired` once an open one has run out. */
export function invitationState(
  invitation: Pick<Invitation, 'status' | 'expiresAt'>,
  now: Date,
): InvitationState {
  if (invitation.status !== 'invited') return invitation.status;
  return new Date(invitation.expiresAt).getTime() > now.getTime() ? 'invited' : 'expired';
}

/** True while the invitation can be accepted, declined or withdrawn. */
export function isOpen(invitation: Pick<Invitation, 'status' | 'expiresAt'>, now: Date): boolean {
  return invitationState(invitation, now) === 'invited';
}

/** Why an invitation that is not open can no longer be answered, in the words of the person answering. */
export function closedInvitationReason(state: Exclude<InvitationState, 'invited'>): string {
  switch (state) {
    case 'accepted':
      return 'This invitation has already been accepted.';
    case 'declined':
      return 'This invitation has already been declined.';
    case 'withdrawn':
      return 'This invitation was withdrawn by the organisation.';
    case 'expired':
      return 'This invitation has expired. Ask an owner of the organisation to invite you again.';
  }
}
