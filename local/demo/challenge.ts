/**
 * A demo competition in standstill with one open challenge (issue 15): awarded like the other standstill
 * demo (`award.ts`) a day before the data was loaded, then challenged by the owner of the bid ranked
 * second, through the same use case as `POST /competitions/{id}/challenges`. The lead sees it on
 * `/commissioning/{id}/challenges` and cannot confirm the award until deciding it; the challenger sees it on
 * `/your-competitions/{id}/challenge`.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import { raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { getEvaluation } from '../../shared/use-cases/tenders/evaluation';
import { type Awarded, seedAwarded } from './award';
import { DAY, HOUR, LEAD, person } from './competition-kit';

/** The title of the demo competition with an open challenge. */
export const CHALLENGED_TITLE = 'Drug and alcohol recovery support, South West';

/** What was seeded: the awarded competition and who challenged it. */
export interface Challenged extends Awarded {
  challengeId: string;
  challenger: string;
}

/**
 * Seeds the challenged competition; answers undefined when the tier settings or the providers ruled out
 * an award (as `seedAwarded` does).
 */
export async function seedChallenged(
  repos: Repositories,
  rules: DomainRules,
  now: Date,
  exclude: ReadonlySet<string>,
): Promise<Challenged | undefined> {
  const decidedAt = new Date(now.getTime() - DAY);
  const awarded = await seedAwarded(repos, rules, {
    title: CHALLENGED_TITLE,
    description:
      'Community recovery support for people on probation with drug or alcohol dependence across the South West, alongside treatment services.',
    regions: ['south_west'],
    services: ['drugs_alcohol'],
    decidedAt,
    exclude,
  });
  if (!awarded) return undefined;
  const evaluation = await getEvaluation(repos, LEAD, awarded.id, new Date(decidedAt.getTime() + HOUR));
  const second = evaluation.ranking.find((entry) => entry.rank === 2);
  if (!second) return undefined;
  const owner = (await repos.memberships.listForProvider(second.organisationId)).find(
    (m) => m.role === 'owner',
  );
  if (!owner) return undefined;
  const challenge = await raiseChallenge(
    withSharedProviderData(repos),
    person(owner.sub),
    awarded.id,
    {
      grounds:
        'Our partnership answer names the three probation delivery units we already work with, yet it scored lower than a bid that names none. We ask the panel to look at the partnership scores again.',
    },
    new Date(decidedAt.getTime() + 12 * HOUR),
  );
  return { ...awarded, challengeId: challenge.id, challenger: challenge.providerName };
}
