/**
 * `POST /competitions/{id}/publish`: the lead publishes a draft; it becomes an opportunity and every
 * verified provider whose regions and services match is notified.
 */
import { ulid } from 'ulid';
import type { DomainRules } from '../../config';
import type { NotificationRepository } from '../../db/notifications';
import type { ProviderRepository } from '../../db/providers';
import {
  type Competition,
  effectiveStatus,
  MAX_OPPORTUNITY_ENTRIES,
  opportunityClosesAt,
  opportunityEntryCount,
  publicationProblem,
} from '../../domain/competitions';
import { govukDateTime } from '../../domain/dates';
import { ConflictError, ForbiddenError, InvalidStateError } from '../../domain/errors';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { ANY, type DirectoryPartition } from '../../domain/providers';
import { publicTenderFacts } from '../../domain/publication/projection';
import { tenderRelease } from '../../domain/publication/releases';
import { NATIONAL } from '../../domain/reference-data';
import { notifyAfterCommit } from '../notify-after-commit';
import { commitWithReleases, type PublicationDeps } from '../publication/publish';
import { loadCompetitionState, recordChange, type WallDeps } from './wall';

/** The directory partitions whose providers match a competition: its services in its regions (national providers too). */
export function matchingPartitions(
  competition: Pick<Competition, 'regions' | 'services'>,
): DirectoryPartition[] {
  const regions: DirectoryPartition['region'][] = competition.regions.includes(NATIONAL)
    ? [ANY]
    : [...competition.regions, NATIONAL];
  return regions.flatMap((region) => competition.services.map((service) => ({ region, service })));
}

/**
 * Publishes a competition, with its OCDS `tender` release in the same transaction. `notified` is how many
 * providers were told; it is absent when the notifications could not be written after publishing (logged
 * and counted, the publication stands).
 */
export async function publishCompetition(
  deps: WallDeps & PublicationDeps & { providers: ProviderRepository; notifications: NotificationRepository },
  principal: Principal,
  id: string,
  now: Date,
  rules: DomainRules,
): Promise<Competition & { notified?: number }> {
  const user = requireUser(principal);
  const { competition } = await loadCompetitionState(deps, id);
  if (competition.leadSub !== user.sub)
    throw new ForbiddenError('Only the lead commissioner can publish this competition.');
  if (effectiveStatus(competition, now) !== 'draft')
    throw new InvalidStateError('Only a draft can be published.');
  const problem = publicationProblem(competition, now, rules);
  if (problem) throw new InvalidStateError(problem);
  // Creation caps this; a draft stored before the cap could not be published in one transaction.
  if (opportunityEntryCount(competition) > MAX_OPPORTUNITY_ENTRIES) {
    throw new InvalidStateError(
      'This competition lists too many regions for its services to be published: cancel it and create it again with national, or fewer regions or services.',
    );
  }
  const at = now.toISOString();
  const after: Competition = {
    ...competition,
    status: competition.prequalificationTier === 'none' ? 'tendering' : 'prequalification',
    publishedAt: at,
    updatedAt: at,
    version: competition.version + 1,
  };
  const release = tenderRelease(deps.publication.context, publicTenderFacts(after));
  await commitWithReleases(deps, [release], now, (published) =>
    recordChange(
      deps,
      id,
      { at, actor: user.sub, action: 'competition.publish', resource: 'competition' },
      {
        items: [
          ...deps.competitions.updateItems(competition, after),
          ...deps.competitions.openItems(after),
          ...published,
        ],
        onRefused: () =>
          new ConflictError('The competition changed while publishing; reload it and try again.'),
      },
    ),
  );
  const closesAt = opportunityClosesAt(after);
  const direct = after.prequalificationTier === 'none';
  // Published: from here on a failure to notify is logged, not answered (see notifyAfterCommit).
  const notified = await notifyAfterCommit(
    deps.notifications,
    { action: 'competition.publish', competitionId: id },
    async () =>
      (await deps.providers.listedIn(matchingPartitions(after))).map((providerId) => ({
        id: ulid(now.getTime()),
        providerId,
        type: 'opportunity',
        title: `New opportunity: ${after.title}`,
        message: direct
          ? `Tenders close ${govukDateTime(closesAt)}. No pre-qualification: any verified provider may bid.`
          : `Pre-qualification closes ${govukDateTime(closesAt)} (${after.prequalificationTier} questionnaire).`,
        createdAt: at,
        link: `/competitions/${id}`,
        competitionId: id,
        competitionTitle: after.title,
        closes: direct ? ('tender' as const) : ('prequalification' as const),
        closesAt,
        prequalificationTier: after.prequalificationTier,
      })),
  );
  return notified === undefined ? after : { ...after, notified };
}
