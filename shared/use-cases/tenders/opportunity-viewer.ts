/**
 * Who is looking at an opportunity (`/find-an-opportunity/{id}`), for the actions it offers them: the
 * organisations the signed-in user belongs to (and owns); while the shortlisted are tendering, which of those
 * the shortlist names; and what each of them has done in the competition (applied, a bid drafted,
 * submitted or withdrawn), so the page offers "View or change your bid" rather than "Start your bid". The
 * shortlist is read only for the viewer's own organisations and never shown: the public view leaves it out.
 *
 * What an organisation has done is its participation item (`shared/db/participation.ts`), in its own
 * partition of the sealed table, read through that organisation's provider data access (in AWS, the viewer
 * role assumed for it, which may only Query that partition): one Query per organisation, of one item.
 */
import type { CompetitionRepository } from '../../db/competitions';
import type { Membership, MembershipRepository } from '../../db/memberships';
import type { ProviderDataAccess } from '../../db/provider-data';
import type { PublicCompetition } from '../../domain/competitions';
import type { Principal } from '../../domain/principal';
import type { TakingPart } from '../../domain/taking-part';
import { MAX_ORGANISATIONS } from './taking-part';

/** What it reads. */
export interface OpportunityViewerDeps {
  memberships: MembershipRepository;
  competitions: CompetitionRepository;
  /** The viewer's organisations' own participation; without it, nothing they did is read. */
  providerData?: ProviderDataAccess;
}

/** The viewer's organisations, those of them on the shortlist (when it matters now), and what they did. */
export interface OpportunityViewer {
  providerIds: string[];
  ownedProviderIds: string[];
  shortlisted: string[];
  /** One per organisation that applied or bid (partner agreements are not the organisation's own part). */
  takingPart: (TakingPart & { providerId: string })[];
}

/** Statuses in which nothing an organisation did can be offered to it: not published, or cancelled. */
const NOTHING_TO_OFFER: readonly string[] = ['draft', 'cancelled'];

/**
 * Who is looking at `competition` (its public view, at the moment of the request).
 * @param known the user's memberships when the caller has already read them (the page header's lookup):
 *   passed on, not read again.
 */
export async function opportunityViewer(
  deps: OpportunityViewerDeps,
  principal: Principal,
  competition: Pick<PublicCompetition, 'id' | 'status' | 'prequalificationTier'>,
  known: { memberships?: readonly Membership[] | undefined } = {},
): Promise<OpportunityViewer> {
  if (principal.kind !== 'user')
    return { providerIds: [], ownedProviderIds: [], shortlisted: [], takingPart: [] };
  const memberships = known.memberships ?? (await deps.memberships.listForUser(principal.sub));
  const providerIds = memberships.map((m) => m.providerId);
  // Owners may agree to be named in another organisation's bid (the page it links to decides).
  const ownedProviderIds = memberships.filter((m) => m.role === 'owner').map((m) => m.providerId);
  const matters =
    providerIds.length > 0 &&
    competition.prequalificationTier !== 'none' &&
    competition.status === 'tendering';
  const read = deps.providerData;
  const [stored, takingPart] = await Promise.all([
    matters ? deps.competitions.get(competition.id) : Promise.resolve(undefined),
    read && !NOTHING_TO_OFFER.includes(competition.status)
      ? Promise.all(
          [...new Set(providerIds)]
            .slice(0, MAX_ORGANISATIONS)
            .map((id) => ownPart(read, id, competition.id)),
        )
      : Promise.resolve([]),
  ]);
  const shortlist = stored?.shortlist ?? [];
  return {
    providerIds,
    ownedProviderIds,
    shortlisted: providerIds.filter((id) => shortlist.includes(id)),
    takingPart: takingPart.filter((part) => part !== undefined),
  };
}

/**
 * The organisation's own participation item for the competition, if any. Its partition sorts by sort key
 * `COMP#<competition>`, with the organisation's partner items for that competition just after
 * (`COMP#<competition>#PARTNER#<bidder>`, `participationSortKey`): reading backwards from just before the
 * first of those, the first item is the competition's own when there is one (any other is an older
 * competition's), so one item is read.
 */
async function ownPart(
  access: ProviderDataAccess,
  providerId: string,
  competitionId: string,
): Promise<(TakingPart & { providerId: string }) | undefined> {
  const { bids } = await access.forProvider(providerId);
  const [item] = await bids.listParticipation(providerId, { limit: 1, before: `${competitionId}#PARTNER#` });
  if (!item || item.competitionId !== competitionId || item.partnerOf) return undefined;
  return { providerId, applied: item.applied, ...(item.bid ? { bid: item.bid } : {}) };
}
