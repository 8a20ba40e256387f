/**
 * `POST /competitions/{id}/cancel`: the lead cancels a competition that is not yet awarded; it leaves the
 * opportunity lists at once. Cancelling goes through the wall like any inside action (a lead who is now
 * outside it cannot), and answers with the public view only: the shortlist, the award and the lead stay
 * inside.
 */
import {
  type Competition,
  effectiveStatus,
  type PublicCompetition,
  publicView,
} from '../../domain/competitions';
import { ConflictError, InvalidStateError } from '../../domain/errors';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadCompetitionState, passWall, recordChange, type WallDeps } from './wall';

/** Cancels a competition. */
export async function cancelCompetition(
  deps: WallDeps,
  principal: Principal,
  id: string,
  reason: string,
  now: Date,
): Promise<PublicCompetition> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const { competition } = state;
  await passWall(
    deps,
    principal,
    state,
    { resource: 'competition', action: 'manage', auditAction: 'competition.cancel', auditAllowed: false },
    now,
  );
  const status = effectiveStatus(competition, now);
  if (status === 'awarded' || status === 'cancelled')
    throw new InvalidStateError(`A competition that is ${status} cannot be cancelled.`);
  const at = now.toISOString();
  const after: Competition = {
    ...competition,
    status: 'cancelled',
    cancelledAt: at,
    cancelReason: reason,
    updatedAt: at,
    version: competition.version + 1,
  };
  await recordChange(
    deps,
    id,
    { at, actor: user.sub, action: 'competition.cancel', resource: 'competition' },
    {
      items: [
        ...deps.competitions.updateItems(competition, after),
        ...deps.competitions.closeItems(competition),
      ],
      onRefused: () =>
        new ConflictError('The competition changed while cancelling; reload it and try again.'),
    },
  );
  return publicView(after, now);
}
