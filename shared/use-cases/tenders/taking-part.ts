/**
 * "Your competitions" for providers (`GET /your-competitions`): the competitions the signed-in user's
 * organisations take part in – applied, drafting, bid, shortlisted, awarded – newest competition first, a
 * page at a time, each with where it stands and what to do next.
 *
 * No Scan and no index over other providers' data: each organisation's own participation partition
 * (`shared/db/participation.ts`) is read through that organisation's provider data access (in AWS, the
 * bidder role assumed for it, which reaches that partition and its bids alone), the partitions are merged
 * into one page, and the competitions' public records are read with one BatchGetItem. Page-only: API.md
 * has no JSON counterpart.
 *
 * An organisation that agreed to be named in another's bid has a row for that too (a partner row, put with
 * the agreement): it says the part and whose bid, and what happens next from the competition's public
 * record alone – nothing of the bidder's bid, which the partner's members may not read. The bidders' names
 * come from the registry with the organisations' own (one BatchGetItem).
 */

import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import { decodeCursor, mergePage } from '../../db/pagination';
import { participationSortKey, resumeBefore } from '../../db/participation';
import type { ProviderDataAccess } from '../../db/provider-data';
import type { ProviderRepository } from '../../db/providers';
import type { CompetitionStatus } from '../../domain/competitions';
import { partnerStanding } from '../../domain/partnerships';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { type Standing, standing } from '../../domain/taking-part';

/** What listing needs. */
export interface TakingPartDeps {
  competitions: CompetitionRepository;
  memberships: MembershipRepository;
  providers: ProviderRepository;
  providerData: ProviderDataAccess;
}

/** One row of "your competitions". */
export interface CompetitionTakingPart {
  competitionId: string;
  title: string;
  providerId: string;
  providerName: string;
  status: CompetitionStatus;
  standing: Standing;
  /** Set on a partner row: the bid the organisation agreed to be part of. */
  partnerOf?: { bidderId: string; bidderName: string } | undefined;
  updatedAt: string;
}

/** Organisations read at most: a user belongs to a handful; this bounds the reads of one page. */
export const MAX_ORGANISATIONS = 20;

/**
 * A page of the competitions the user's organisations take part in.
 * @throws ValidationError (400) for a cursor that is not this user's list's.
 */
export async function listCompetitionsTakingPart(
  deps: TakingPartDeps,
  principal: Principal,
  query: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<{ items: CompetitionTakingPart[]; nextCursor: string | null }> {
  const user = requireUser(principal);
  const scope = ['taking-part', user.sub];
  const after = decodeCursor(query.cursor, scope);
  const providerIds = [...new Set((await deps.memberships.listForUser(user.sub)).map((m) => m.providerId))]
    .sort()
    .slice(0, MAX_ORGANISATIONS);
  const partitions = await Promise.all(
    providerIds.map(async (providerId) => {
      const own = await deps.providerData.forProvider(providerId);
      // Strictly after the cursor, newest first (`resumeBefore`).
      return own.bids.listParticipation(providerId, {
        limit: query.limit + 1,
        before: resumeBefore(after, providerId),
      });
    }),
  );
  const page = mergePage(partitions, participationSortKey, query.limit, scope, 'desc');
  const organisations = new Set(
    page.items.flatMap((p) => (p.partnerOf ? [p.providerId, p.partnerOf.bidderId] : [p.providerId])),
  );
  const [summaries, providers] = await Promise.all([
    page.items.length > 0
      ? deps.competitions.summaries(page.items.map((p) => p.competitionId))
      : Promise.resolve(new Map()),
    organisations.size > 0 ? deps.providers.getMany([...organisations]) : Promise.resolve([]),
  ]);
  const names = new Map(providers.map((p) => [p.id, p.name]));
  const items: CompetitionTakingPart[] = [];
  for (const part of page.items) {
    const competition = summaries.get(part.competitionId)?.competition;
    if (!competition) continue;
    const bidderName = part.partnerOf ? (names.get(part.partnerOf.bidderId) ?? 'the lead organisation') : '';
    const shown = part.partnerOf
      ? partnerStanding(competition, part.partnerOf, bidderName, now)
      : standing(competition, part.providerId, part, now);
    items.push({
      competitionId: part.competitionId,
      title: competition.title,
      providerId: part.providerId,
      providerName: names.get(part.providerId) ?? '',
      status: competition.status,
      standing: shown,
      ...(part.partnerOf ? { partnerOf: { bidderId: part.partnerOf.bidderId, bidderName } } : {}),
      updatedAt: part.updatedAt,
    });
  }
  return { items, nextCursor: page.nextCursor };
}
