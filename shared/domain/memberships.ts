/**
 * Membership of a provider organisation: who may leave or remove whom, and the organisation is never left
 * without an owner. Pure rules; the policy module (`policy.ts`) decides who may ask.
 */
import { ConflictError, NotFoundError } from './errors';

/** A role in an organisation. */
export type MemberRole = 'owner' | 'member';

/**
 * For removing `sub` from an organisation whose current members are `members`: the membership that ends
 * (`leaving`), and the owner who will remain
 * (the removal is conditioned on that owner's membership, so two owners removing each other at once cannot
 * both succeed), or none when `sub` is not an owner.
 * @throws NotFoundError when `sub` is not a member.
 * @throws ConflictError when `sub` is the last owner: an organisation always has someone who can manage it.
 */
export function ownerWhoRemains<M extends { sub: string; role: MemberRole }>(
  members: readonly M[],
  sub: string,
): { remainingOwner: string | undefined; role: MemberRole; leaving: M } {
  const leaving = members.find((m) => m.sub === sub);
  if (!leaving) throw new NotFoundError(`${sub} is not a member of this organisation.`);
  if (leaving.role !== 'owner') return { remainingOwner: undefined, role: leaving.role, leaving };
  const other = members.find((m) => m.role === 'owner' && m.sub !== sub);
  if (!other) {
    throw new ConflictError(
      'The last owner cannot leave the organisation. Invite another owner first, and leave once they have accepted.',
    );
  }
  return { remainingOwner: other.sub, role: 'owner', leaving };
}
