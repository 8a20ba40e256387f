/**
 * `POST /competitions/{id}/cancel`: the lead cancels a competition that is not yet awarded; it leaves the
 * opportunity lists at once.
 */
import type { Competition } from '../../domain/competitions';
import { effectiveStatus } from '../../domain/competitions';
import { ConflictError, ForbiddenError, InvalidStateError } from '../../domain/errors';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadCompetitionState, recordChange, type WallDeps } from './wall';

/** Cancels a competition. */
export async function cancelCompetition(
  deps: WallDeps,
  principal: Principal,
  id: string,
  reason: string,
  now: Date,
): Promise<Competition> {
  const user = requireUser(principal);
  const { competition } = await loadCompetitionState(deps, id);
  if (competition.leadSub !== user.sub)
    throw new ForbiddenError('Only the lead commissioner can cancel this competition.');
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
  return after;
}
