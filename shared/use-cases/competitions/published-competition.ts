/**
 * A published competition as anyone may see it: the public view, never the confidential section, whoever
 * asks. Pages that show opportunities use this rather than `getCompetition`, so they need neither the wall
 * nor the audit log (and the functions serving them have no access to either).
 */
import type { CompetitionRepository } from '../../db/competitions';
import { type PublicCompetition, publicView } from '../../domain/competitions';
import { NotFoundError } from '../../domain/errors';

/**
 * Reads a published competition's public view.
 * @throws NotFoundError for an unknown id or a draft.
 */
export async function getPublishedCompetition(
  deps: { competitions: Pick<CompetitionRepository, 'get'> },
  id: string,
  now: Date,
): Promise<PublicCompetition> {
  const competition = await deps.competitions.get(id);
  if (!competition || competition.status === 'draft') throw new NotFoundError(`No competition ${id}.`);
  return publicView(competition, now);
}
