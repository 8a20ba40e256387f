/**
 * `GET /competitions/{id}/questionnaire`: the questions of a published competition's tier.
 */
import type { CompetitionRepository } from '../../db/competitions';
import { NotFoundError } from '../../domain/errors';
import { type Questionnaire, questionnaireFor } from '../../domain/prequalification';

/** The questionnaire of a published competition. */
export async function getQuestionnaire(
  deps: { competitions: CompetitionRepository },
  id: string,
): Promise<Questionnaire> {
  const competition = await deps.competitions.get(id);
  if (!competition || competition.status === 'draft') throw new NotFoundError(`No competition ${id}.`);
  return questionnaireFor(competition.prequalificationTier);
}
