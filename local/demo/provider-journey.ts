/**
 * Demo data for the provider's side of competitions (issue 15): `demo-owner`'s organisation, beside the
 * draft bid `competitions.ts` gives it, applied to a competition still in pre-qualification (it can change
 * its answers and apply again until the deadline) and has submitted a bid in a competition open to bids
 * (it can resubmit or withdraw). "Your competitions" then shows each stage with what to do next.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import { questionnaireFor } from '../../shared/domain/prequalification';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { CRITERIA, DAY, declareNoConflicts, LEAD, person, seatDemoPanel } from './competition-kit';
import { DEMO_OWNER } from './providers';

/** The competition `demo-owner`'s organisation applied to (the tour finds it by this title). */
export const APPLIED_TITLE = 'Family ties and visits support, North West';
/** The competition it submitted a bid in. */
export const SUBMITTED_TITLE = 'Supported lodgings for young adults leaving custody, London';

/** Seeds `demo-owner`'s application and submitted bid; a one-line summary. */
export async function seedProviderJourney(repos: Repositories, rules: DomainRules): Promise<string> {
  const now = new Date();
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();
  const [own] = await repos.memberships.listForUser(DEMO_OWNER);
  const provider = own ? await repos.providers.get(own.providerId) : undefined;
  if (provider?.status !== 'verified') return `none: "${DEMO_OWNER}" has no verified organisation`;
  const owner = person(DEMO_OWNER);
  const deps = withSharedProviderData(repos);

  const applied = await createCompetition(
    repos,
    LEAD,
    {
      title: APPLIED_TITLE,
      description:
        'Help for families to stay in touch with someone in prison in the North West: visits, family days and support after release.',
      services: ['children_families'],
      regions: ['north_west'],
      estimatedValuePence: 420_000_00,
      termMonths: 24,
      risk: 'medium',
      prequalificationDeadline: at(Math.max(10, rules.minPrequalificationDays + 2)),
      tenderDeadline: at(Math.max(45, rules.minPrequalificationDays + rules.minTenderDays + 15)),
      criteria: CRITERIA,
    },
    now,
    rules,
  );
  await publishCompetition(repos, LEAD, applied.id, now, rules);
  // What its accreditation does not answer (with the default tiers: one text question of the core tier).
  const answers = Object.fromEntries(
    questionnaireFor(applied.prequalificationTier)
      .sections.flatMap((section) => section.questions)
      .filter((q) => !q.answeredByAccreditation)
      .map((q) => [
        q.id,
        q.type === 'text'
          ? `${provider.name} has run family visits support in two prisons since 2022 and a family-days programme with a local authority.`
          : q.type === 'boolean'
            ? true
            : 0,
      ]),
  );
  if (applied.prequalificationTier !== 'none') {
    await submitResponse(deps, owner, applied.id, { providerId: provider.id, answers }, now);
  }

  const submitted = await createCompetition(
    repos,
    LEAD,
    {
      title: SUBMITTED_TITLE,
      description:
        'Supported lodgings with trained hosts for young adults aged 18 to 25 leaving custody to London.',
      services: ['accommodation'],
      regions: ['london'],
      estimatedValuePence: 90_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: at(Math.max(21, rules.minTenderDays + 3)),
      criteria: CRITERIA,
    },
    now,
    rules,
  );
  await publishCompetition(repos, LEAD, submitted.id, now, rules);
  await seatDemoPanel(repos, submitted.id, now, rules.evaluation);
  await declareNoConflicts(repos, submitted.id, now, false);
  await saveDraft(
    deps,
    owner,
    submitted.id,
    {
      providerId: provider.id,
      pricePence: 86_000_00,
      qualityResponses: {
        delivery: 'Twelve vetted hosts across six boroughs; a key worker visits each young adult weekly.',
        partnership: 'We work with the London probation region and three leaving-care teams already.',
        'social-value': 'Hosts are recruited locally and half of our staff have lived experience.',
      },
      subcontractors: [],
      consortium: [],
    },
    now,
  );
  const receipt = await submitBid(deps, owner, submitted.id, provider.id, now);
  return `"${DEMO_OWNER}" applied to "${APPLIED_TITLE}" (${applied.id}) and submitted version ${receipt.version} of a bid in "${SUBMITTED_TITLE}" (${submitted.id})`;
}
