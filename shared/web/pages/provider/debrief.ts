/**
 * `GET /your-competitions/{id}/debrief`: the bidder's debrief once the award decision is made – its own
 * points by criterion, total and rank, and the winner's – never another bidder's. Calls the JSON route's use
 * case (`getDebrief`, as `GET /competitions/{id}/debrief`), which resolves the user's organisation and
 * reads its debrief in its own bid partition, through that organisation's provider data access. A user of
 * several organisations that bid reads the one they chose (`biddingFor`: the page is wrapped, as the bid
 * pages are, by `withOrganisationChoice`).
 */
import { type Competition, effectiveStatus } from '../../../domain/competitions';
import { NotFoundError } from '../../../domain/errors';
import { getDebrief } from '../../../use-cases/tenders/bidder';
import { govukDateTime } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { competitionIdOf, providerBreadcrumbs, providerCompetitionDeps } from './common';
import { biddingFor } from './organisation';

/** Points as the debrief shows them: two decimals, as the totals are rounded. */
const points = (value: number) => value.toFixed(2);

/** The rows of the points table: each criterion, the user's points and the winner's. */
function pointRows(
  criteria: Competition['criteria'],
  yours: Record<string, number>,
  winner: Record<string, number>,
) {
  const of = (scores: Record<string, number>, id: string) =>
    Object.hasOwn(scores, id) ? (scores[id] ?? 0) : 0;
  return criteria.map((c) => [
    { text: `${c.name} (weight ${c.weight})` },
    { text: points(of(yours, c.id)), format: 'numeric' },
    { text: points(of(winner, c.id)), format: 'numeric' },
  ]);
}

/** `GET /your-competitions/{id}/debrief`. */
async function debriefPage(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const deps = providerCompetitionDeps();
  const competition = await deps.competitions.get(id);
  if (!competition || competition.status === 'draft') throw new NotFoundError(`No competition ${id}.`);
  // Refuses (409) before the award decision, (403) a user none of whose organisations bid.
  const debrief = await getDebrief(deps, request.principal, id, biddingFor(request));
  const status = effectiveStatus(competition, request.now);
  const inStandstill = status === 'standstill' && competition.award?.decidedAt === debrief.decidedAt;
  const standstillOver = request.now.getTime() >= Date.parse(debrief.standstillEndsAt);
  return render(request, 'provider/debrief.njk', {
    title: `Your debrief: ${competition.title}`,
    section: 'competitions',
    breadcrumbs: providerBreadcrumbs({ id: competition.id, title: competition.title }),
    competition: { id: competition.id, title: competition.title },
    successful: debrief.outcome === 'successful',
    rank: debrief.yours.rank,
    total: points(debrief.yours.totalPoints),
    winnerName: debrief.winner.name,
    winnerTotal: points(debrief.winner.totalPoints),
    rows: pointRows(competition.criteria, debrief.yours.scores, debrief.winner.scores),
    override: debrief.awardOverride,
    decidedAt: govukDateTime(debrief.decidedAt),
    standstillEnds: govukDateTime(debrief.standstillEndsAt),
    inStandstill,
    standstillOver,
    challengeHref: `/your-competitions/${encodeURIComponent(competition.id)}/challenge`,
  });
}

/** This group's pages by route key. */
export const debriefPages: PageMap = {
  'GET /your-competitions/{id}/debrief': debriefPage,
};
