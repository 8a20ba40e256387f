/**
 * Demo publication (issue 16): a competition taken through to a signed contract, so `/transparency` shows
 * every kind of notice the other demo data does not – the earlier seeders publish tenders, changes (answers
 * to all, documents, new deadlines), award decisions and, through the demo contracts' spend returns,
 * payments to sub-contractors; none confirms an award (the tour leaves "Confirm the award" to try). Every
 * notice, and the contract's row in `GET /transparency/contracts.csv`, is written by the use cases in the
 * transaction of the change it describes; nothing here writes a release or a listing itself.
 */
import type { DomainRules } from '../../shared/config';
import type { Repositories } from '../../shared/db/repositories';
import type { Coverage, Service } from '../../shared/domain/reference-data';
import { confirmAward } from '../../shared/use-cases/tenders/evaluation';
import { seedAwarded } from './award';
import { DAY, findCandidates, HOUR, LEAD, reservedOrganisations } from './competition-kit';

/** The title of the demo competition whose award is confirmed and contract let. */
export const CONTRACT_SIGNED_TITLE = 'Employment and training support after release, South East';

const REGIONS_OF_IT: Coverage[] = ['south_east'];
const SERVICES_OF_IT: Service[] = ['education_training_employment'];

/** Seeds the demo competition with a let contract; answers a one-line summary. */
export async function seedPublication(repos: Repositories, rules: DomainRules): Promise<string> {
  const now = new Date();
  // Not the tour's own organisations, nor any that declared a mandatory exclusion ground: neither should
  // turn up as the supplier of a published contract.
  const reserved = await reservedOrganisations(repos);
  const declarants = (await findCandidates(repos, REGIONS_OF_IT, SERVICES_OF_IT, reserved))
    .filter((c) => (c.accreditation?.exclusionGrounds.mandatory.length ?? 0) > 0)
    .map((c) => c.id);
  // Decided long enough ago for the standstill to have ended, whatever its configured length.
  const decidedAt = new Date(now.getTime() - (rules.standstillDays + 10) * DAY);
  const awarded = await seedAwarded(repos, rules, {
    title: CONTRACT_SIGNED_TITLE,
    description:
      'Help into work, training and education for people leaving prison to the South East, from the last weeks in custody to the first months in a job.',
    regions: REGIONS_OF_IT,
    services: SERVICES_OF_IT,
    decidedAt,
    exclude: new Set([...reserved, ...declarants]),
  });
  if (!awarded) return 'no contract let (tier settings, or too few bidders)';
  const confirmedAt = new Date(Math.min(now.getTime() - HOUR, Date.parse(awarded.standstillEndsAt) + DAY));
  const confirmed = await confirmAward(repos, LEAD, awarded.id, confirmedAt);
  return `"${CONTRACT_SIGNED_TITLE}" awarded to ${awarded.winner} and its contract let (${confirmed.contractId}): see /transparency`;
}
