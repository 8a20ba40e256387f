/**
 * The organisations a user may bid for in one competition (for "Which organisation are you bidding for?",
 * `shared/web/pages/provider/organisation.ts`): those they are a member of that are verified and, unless
 * the competition has no pre-qualification, shortlisted. Read from the registry and the competition's
 * public record only (no sealed data, nothing audited); `decideBiddingOrganisation` in the policy decides
 * which of them a choice may name, and the bid use cases check the organisation again on every write.
 */
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { ProviderRepository } from '../../db/providers';
import { NotFoundError } from '../../domain/errors';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';

/** What listing needs: the registry and competitions, on the function's own credentials. */
export interface BiddingOrganisationDeps {
  competitions: Pick<CompetitionRepository, 'get'>;
  memberships: Pick<MembershipRepository, 'listForUser'>;
  providers: Pick<ProviderRepository, 'getMany'>;
}

/** One organisation the user may bid for, and their part in it. */
export interface BiddingOrganisation {
  id: string;
  name: string;
  /** A member reads its bid; only an owner changes it. */
  role: 'owner' | 'member';
}

/** The competition as the choice page names it, and the user's organisations that may bid in it. */
export interface BiddingOrganisations {
  competition: { id: string; title: string };
  /** Whether only shortlisted organisations may bid (a competition with pre-qualification). */
  shortlisted: boolean;
  /** Oldest membership first, as the registry lists them. */
  organisations: BiddingOrganisation[];
}

/**
 * The user's organisations that may bid in the competition: one Query of their memberships, a GetItem of
 * the competition, and one BatchGetItem of the organisations (none without a membership).
 * @throws NotFoundError for a competition that is not published
 */
export async function biddingOrganisations(
  deps: BiddingOrganisationDeps,
  principal: Principal,
  competitionId: string,
): Promise<BiddingOrganisations> {
  const user = requireUser(principal);
  const [competition, memberships] = await Promise.all([
    deps.competitions.get(competitionId),
    deps.memberships.listForUser(user.sub),
  ]);
  if (!competition || competition.status === 'draft')
    throw new NotFoundError(`No competition ${competitionId}.`);
  const shortlist = competition.prequalificationTier === 'none' ? undefined : (competition.shortlist ?? []);
  const members = memberships.filter((m) => !shortlist || shortlist.includes(m.providerId));
  const found = members.length > 0 ? await deps.providers.getMany(members.map((m) => m.providerId)) : [];
  const organisations = members.flatMap((m): BiddingOrganisation[] => {
    const provider = found.find((p) => p.id === m.providerId);
    return provider?.status === 'verified' ? [{ id: provider.id, name: provider.name, role: m.role }] : [];
  });
  return {
    competition: { id: competition.id, title: competition.title },
    shortlisted: shortlist !== undefined,
    organisations,
  };
}
