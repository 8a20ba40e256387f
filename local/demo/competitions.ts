/**
 * Demo competitions: one open for pre-qualification (with applications from demo providers), one open to
 * bids with no questionnaire (the demo owner has a draft bid in it), and a draft — each created, published
 * and applied to through the same use cases as the API, so each has a real audit trail.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { DEMO_OWNER } from './providers';

/** The demo lead commissioner: mint a token for this sub with the commissioner group. */
export const DEMO_COMMISSIONER = 'demo-commissioner';

const DAY = 86_400_000;
const criteria = [
  { id: 'delivery', name: 'Delivery model and outcomes', kind: 'quality' as const, weight: 45 },
  { id: 'partnership', name: 'Partnership and local knowledge', kind: 'quality' as const, weight: 15 },
  { id: 'social-value', name: 'Social value', kind: 'quality' as const, weight: 10 },
  { id: 'price', name: 'Price', kind: 'price' as const, weight: 30 },
];

/** Seeds the demo competitions; returns a one-line summary. */
export async function seedCompetitions(repos: Repositories, rules: DomainRules): Promise<string> {
  const now = new Date();
  const lead: Principal = {
    kind: 'user',
    sub: DEMO_COMMISSIONER,
    email: 'commissioner@example.org',
    groups: ['commissioner'],
  };
  const at = (days: number) => new Date(now.getTime() + days * DAY).toISOString();

  const accommodation = await createCompetition(
    repos,
    lead,
    {
      title: 'Accommodation support for prison leavers, North West',
      description:
        'Supported housing, tenancy sustainment and move-on support for people leaving custody to the North West, working with probation practitioners from the day of release.',
      services: ['accommodation'],
      regions: ['north_west'],
      estimatedValuePence: 1_800_000_00,
      termMonths: 36,
      risk: 'medium',
      prequalificationDeadline: at(Math.max(14, rules.minPrequalificationDays + 4)),
      tenderDeadline: at(Math.max(60, rules.minPrequalificationDays + rules.minTenderDays + 20)),
      criteria,
      subcontracting: { targetPercent: 20, voluntarySectorTargetPercent: 50 },
      confidential: { budgetCeilingPence: 1_950_000_00, notes: 'Incumbent contract ends 31 March.' },
    },
    now,
    rules,
  );
  await publishCompetition(repos, lead, accommodation.id, now, rules);
  await setPanel(
    repos,
    lead,
    accommodation.id,
    { evaluators: ['demo-evaluator-1', 'demo-evaluator-2'], moderator: 'demo-moderator' },
    now,
  );
  await declare(repos, lead, accommodation.id, [], now);

  // A few accredited demo providers apply (those whose owners own exactly one organisation).
  const listed = await repos.providers.directory({
    region: 'north_west',
    service: 'accommodation',
    limit: 20,
  });
  let applied = 0;
  for (const listing of listed.items) {
    const accreditation = await repos.accreditations.get(listing.id);
    if (!accreditation || applied >= 3) continue;
    const members = await repos.memberships.listForProvider(listing.id);
    const owner = members.find((m) => m.role === 'owner');
    if (!owner) continue;
    const principal: Principal = { kind: 'user', sub: owner.sub, email: undefined, groups: [] };
    await submitResponse(
      withSharedProviderData(repos),
      principal,
      accommodation.id,
      {
        providerId: listing.id,
        answers: {
          'technical.relevant-experience': `${listing.name} has run supported housing for people on licence since 2019.`,
          'technical.case-study':
            'Of 120 people housed last year, 87 were still in their tenancy after six months.',
          'technical.safeguarding-lead':
            'Our operations director, reachable through the duty line at any hour.',
          'technical.quality-assurance':
            'Monthly case-file audits, service-user feedback and an annual external review.',
          'financial.accounts-examined': true,
        },
      },
      now,
    );
    applied += 1;
  }

  const victims = await createCompetition(
    repos,
    lead,
    {
      title: 'Restorative justice conferencing, London',
      description:
        'Victim-led restorative justice conferences, preparation and follow-up across London boroughs.',
      services: ['restorative_justice', 'victim_services'],
      regions: ['london'],
      estimatedValuePence: 85_000_00,
      termMonths: 24,
      risk: 'low',
      tenderDeadline: at(Math.max(30, rules.minTenderDays + 5)),
      criteria,
    },
    now,
    rules,
  );
  await publishCompetition(repos, lead, victims.id, now, rules);
  const [ownOrganisation] = await repos.memberships.listForUser(DEMO_OWNER);
  let drafted = '';
  const ownProvider = ownOrganisation ? await repos.providers.get(ownOrganisation.providerId) : undefined;
  if (ownProvider?.status === 'verified') {
    await saveDraft(
      withSharedProviderData(repos),
      { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] },
      victims.id,
      {
        providerId: ownProvider.id,
        pricePence: 79_500_00,
        qualityResponses: {
          delivery: 'Trained facilitators in every borough, conferences within six weeks of referral.',
        },
        subcontractors: [],
        consortium: [],
      },
      now,
    );
    drafted = `; "${DEMO_OWNER}" has a draft bid in it`;
  }

  await createCompetition(
    repos,
    lead,
    {
      title: 'Education, training and employment, Wales',
      description: 'Employment support for people on probation in Wales (draft, not yet published).',
      services: ['education_training_employment'],
      regions: ['wales'],
      estimatedValuePence: 2_400_000_00,
      termMonths: 48,
      risk: 'high',
      prequalificationDeadline: at(30),
      tenderDeadline: at(90),
      criteria,
    },
    now,
    rules,
  );

  return `3 competitions led by "${DEMO_COMMISSIONER}": one in pre-qualification (${applied} applications), one open to bids with no questionnaire${drafted}, one draft`;
}
