/**
 * `POST /competitions/{id}/publish`: the lead publishes a draft; it becomes an opportunity, and an
 * `opportunity-match` event in the same transaction tells every verified provider whose regions and
 * services match, and every user whose saved search matches (issue 17: the delivery on the outbox's
 * stream writes their inbox notifications and sends the e-mails, so none is lost if the process dies
 * after the publication commits).
 */
import { ulid } from 'ulid';
import type { DomainRules } from '../../config';
import type { OutboxRepository } from '../../db/outbox';
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
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { ANY, type DirectoryPartition } from '../../domain/providers';
import { publicTenderFacts } from '../../domain/publication/projection';
import { tenderRelease } from '../../domain/publication/releases';
import { NATIONAL } from '../../domain/reference-data';
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
 * The event that tells matching providers and saved searches of a newly published competition: the
 * public facts only (title, regions, services, value, who it suits, the first deadline), with the inbox notification
 * the delivery writes for each matching organisation.
 */
export function opportunityEvent(after: Competition, id: string, now: Date): OutboxEvent {
  const at = now.toISOString();
  const closesAt = opportunityClosesAt(after);
  const direct = after.prequalificationTier === 'none';
  const closing = direct
    ? `Tenders close ${govukDateTime(closesAt)}. No pre-qualification: any verified provider may bid.`
    : `Pre-qualification closes ${govukDateTime(closesAt)} (${after.prequalificationTier} questionnaire).`;
  const title = `New opportunity: ${after.title}`;
  return {
    id,
    kind: 'opportunity-match',
    createdAt: at,
    audience: {
      type: 'opportunity',
      opportunity: {
        competitionId: after.id,
        title: after.title,
        regions: after.regions,
        services: after.services,
        estimatedValuePence: after.estimatedValuePence,
        // Saved searches that ask for VCSE or SME organisations match on this (left out when not said).
        ...(after.suitableFor?.length ? { suitableFor: after.suitableFor } : {}),
      },
    },
    message: {
      subject: subjectLine(title),
      paragraphs: [
        closing,
        direct
          ? 'Read the opportunity and its tender documents, and ask any clarification questions before the clarification deadline.'
          : 'To bid, your organisation applies first: only shortlisted providers are invited to tender.',
      ],
      // The page people read (`/competitions/<id>` is the JSON API's answer).
      action: { text: 'Read the opportunity', path: `/find-an-opportunity/${after.id}` },
    },
    inbox: {
      type: 'opportunity',
      title,
      message: closing,
      link: `/competitions/${after.id}`,
      competitionId: after.id,
      competitionTitle: after.title,
      closes: direct ? 'tender' : 'prequalification',
      closesAt,
      prequalificationTier: after.prequalificationTier,
    },
  };
}

/**
 * Publishes a competition, with its OCDS `tender` release and its `opportunity-match` outbox event in the
 * same transaction. Who is told is decided by the delivery, after the commit, so the answer cannot say
 * how many were: it is the published competition.
 */
export async function publishCompetition(
  deps: WallDeps & PublicationDeps & { outbox: Pick<OutboxRepository, 'eventItems'> },
  principal: Principal,
  id: string,
  now: Date,
  rules: DomainRules,
): Promise<Competition> {
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
  const event = opportunityEvent(after, ulid(now.getTime()), now);
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
          ...deps.outbox.eventItems(event),
        ],
        onRefused: () =>
          new ConflictError('The competition changed while publishing; reload it and try again.'),
      },
    ),
  );
  return after;
}
