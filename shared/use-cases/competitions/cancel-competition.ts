/**
 * `POST /competitions/{id}/cancel`: the lead cancels a competition that is not yet awarded; it leaves the
 * opportunity lists at once, and a published one's OCDS `tenderCancellation` release is written with it. Cancelling goes through the wall like any inside action (a lead who is now
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
import { publicTenderFacts } from '../../domain/publication/projection';
import { tenderCancellationRelease } from '../../domain/publication/releases';
import { commitWithReleases, type PublicationDeps } from '../publication/publish';
import { loadCompetitionState, passWall, recordChange, type WallDeps } from './wall';

/** Cancels a competition. */
export async function cancelCompetition(
  deps: WallDeps & PublicationDeps,
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
  // A draft was never public: its cancellation is not published either. In standstill the award decision
  // (published) is withdrawn with it.
  const releases =
    competition.status === 'draft'
      ? []
      : [
          tenderCancellationRelease(deps.publication.context, publicTenderFacts(after), {
            cancelledAt: at,
            cause: 'commissioner',
            reason,
            ...(competition.status === 'standstill' && competition.award
              ? {
                  withdrawnAward: {
                    supplier: { id: competition.award.providerId, name: competition.award.providerName },
                    withdrawnAt: at,
                  },
                }
              : {}),
          }),
        ];
  await commitWithReleases(deps, releases, now, (published) =>
    recordChange(
      deps,
      id,
      { at, actor: user.sub, action: 'competition.cancel', resource: 'competition' },
      {
        items: [
          ...deps.competitions.updateItems(competition, after),
          ...deps.competitions.closeItems(competition),
          ...published,
        ],
        onRefused: () =>
          new ConflictError('The competition changed while cancelling; reload it and try again.'),
      },
    ),
  );
  return publicView(after, now);
}
