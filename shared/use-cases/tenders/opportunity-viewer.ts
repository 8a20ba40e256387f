/**
 * Who is looking at an opportunity (`/find-an-opportunity/{id}`), for the actions it offers them: the
 * organisations the signed-in user belongs to (and owns) and, while the shortlisted are tendering, which of those
 * the shortlist names. The shortlist is read only for the viewer's own organisations and never shown:
 * the public view leaves it out.
 */
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { PublicCompetition } from '../../domain/competitions';
import type { Principal } from '../../domain/principal';

/** The viewer's organisations, and those of them on the shortlist (when it matters now). */
export async function opportunityViewer(
  deps: { memberships: MembershipRepository; competitions: CompetitionRepository },
  principal: Principal,
  competition: Pick<PublicCompetition, 'id' | 'status' | 'prequalificationTier'>,
): Promise<{ providerIds: string[]; ownedProviderIds: string[]; shortlisted: string[] }> {
  if (principal.kind !== 'user') return { providerIds: [], ownedProviderIds: [], shortlisted: [] };
  const memberships = await deps.memberships.listForUser(principal.sub);
  const providerIds = memberships.map((m) => m.providerId);
  // Owners may agree to be named in another organisation's bid (the page it links to decides).
  const ownedProviderIds = memberships.filter((m) => m.role === 'owner').map((m) => m.providerId);
  const matters =
    providerIds.length > 0 &&
    competition.prequalificationTier !== 'none' &&
    competition.status === 'tendering';
  const shortlist = matters ? ((await deps.competitions.get(competition.id))?.shortlist ?? []) : [];
  return { providerIds, ownedProviderIds, shortlisted: providerIds.filter((id) => shortlist.includes(id)) };
}
