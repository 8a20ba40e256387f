/**
 * Demo competitions: one open for pre-qualification (with applications from demo providers), one open to
 * bids with no questionnaire (the demo owner has a draft bid in it), a draft, and one past its tender
 * deadline with submitted bids and a declared panel, ready to score — each created, published, applied and
 * bid for through the same use cases as the API, so each has a real audit trail.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { DEMO_OWNER, DEMO_SUBCONTRACTOR } from './providers';

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
    rules.evaluation,
  );
  await declare(repos, lead, accommodation.id, [], now);

  // A few accredited demo providers apply (those whose owners own exactly one organisation) – not the
  // demo owner's, which is left for a newcomer to apply with.
  const [ownOrganisation] = await repos.memberships.listForUser(DEMO_OWNER);
  const listed = await repos.providers.directory({
    region: 'north_west',
    service: 'accommodation',
    limit: 20,
  });
  let applied = 0;
  for (const listing of listed.items) {
    if (listing.id === ownOrganisation?.providerId) continue;
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

  const evaluation = await seedEvaluation(repos, rules, lead, now);

  return `4 competitions led by "${DEMO_COMMISSIONER}": one in pre-qualification (${applied} applications), one open to bids with no questionnaire${drafted}, one draft, ${evaluation}`;
}

/** The panel of the demo competition in evaluation: mint tokens for these subs (group `commissioner`). */
export const DEMO_PANEL = {
  evaluators: ['demo-evaluator-1', 'demo-evaluator-2'],
  moderator: 'demo-moderator',
} as const;

/** The title of the demo competition in evaluation (the tour finds it by this title). */
export const EVALUATION_TITLE = 'Family support for people in prison, London';

/**
 * A competition past its tender deadline with bids to score, so evaluation can be tried at once. Every step
 * goes through the use cases at the time it would have happened: published, bid for and closed in the
 * past – each write judged against that earlier request time, exactly as the API judges a request – with
 * the panel's declarations signed after the deadline, once the bidders are known.
 */
async function seedEvaluation(
  repos: Repositories,
  rules: DomainRules,
  lead: Principal,
  now: Date,
): Promise<string> {
  const day = (offset: number) => new Date(now.getTime() + offset * DAY);
  // Published with the shortest tender period the rules allow, closed two days ago.
  const deadline = day(-2);
  const published = day(-2 - rules.minTenderDays - 7);
  const competition = await createCompetition(
    repos,
    lead,
    {
      title: EVALUATION_TITLE,
      description:
        'Family contact, visits support and parenting programmes for people in London prisons and their families, from reception to release.',
      services: ['children_families'],
      regions: ['london'],
      estimatedValuePence: 90_000_00,
      termMonths: 24,
      risk: 'low',
      tenderDeadline: deadline.toISOString(),
      criteria,
    },
    published,
    rules,
  );
  // Bids without pre-qualification need a small low-risk contract; different tier settings skip it.
  if (competition.prequalificationTier !== 'none') return 'no competition in evaluation (tier settings)';
  await publishCompetition(repos, lead, competition.id, published, rules);
  await setPanel(
    repos,
    lead,
    competition.id,
    { evaluators: [...DEMO_PANEL.evaluators], moderator: DEMO_PANEL.moderator },
    published,
    rules.evaluation,
  );

  // Bidders: verified providers working with families in London (or nationally), not the demo owner's or
  // demo sub-contractor's organisations, each bid submitted by its owner a week or two before the deadline.
  const excluded = new Set(
    (
      await Promise.all([
        repos.memberships.listForUser(DEMO_OWNER),
        repos.memberships.listForUser(DEMO_SUBCONTRACTOR),
      ])
    ).flatMap((ms) => ms.map((m) => m.providerId)),
  );
  const candidates = (
    await Promise.all(
      (['london', 'national'] as const).map((region) =>
        repos.providers.directory({ region, service: 'children_families', limit: 20 }),
      ),
    )
  ).flatMap((page) => page.items);
  const prices = [84_500_00, 88_000_00, 79_900_00];
  const bidders: string[] = [];
  for (const listing of candidates) {
    if (bidders.length >= prices.length || excluded.has(listing.id)) continue;
    const owner = (await repos.memberships.listForProvider(listing.id)).find((m) => m.role === 'owner');
    if (!owner || (await repos.memberships.listForUser(owner.sub)).length !== 1) continue;
    const bidder: Principal = { kind: 'user', sub: owner.sub, email: undefined, groups: [] };
    const when = day(-2 - 14 + bidders.length * 3);
    const deps = withSharedProviderData(repos);
    await saveDraft(
      deps,
      bidder,
      competition.id,
      {
        providerId: listing.id,
        pricePence: prices[bidders.length] as number,
        qualityResponses: {
          delivery: `${listing.name} runs family days and a visits helpline in four London prisons, with a caseworker for each family from reception.`,
          partnership: 'We work with the prisons’ family engagement leads and two local carers’ charities.',
          'social-value': 'Volunteering places for people released from custody, with accredited training.',
        },
        subcontractors: [],
        consortium: [],
      },
      when,
    );
    await submitBid(deps, bidder, competition.id, listing.id, new Date(when.getTime() + 3_600_000));
    bidders.push(listing.name);
  }

  // After the deadline the lead and the panel know who bid, and sign their declarations.
  const signed = new Date(deadline.getTime() + 3_600_000);
  await declare(repos, lead, competition.id, [], signed);
  for (const sub of [...DEMO_PANEL.evaluators, DEMO_PANEL.moderator]) {
    const member: Principal = { kind: 'user', sub, email: undefined, groups: ['commissioner'] };
    await declare(repos, member, competition.id, [], signed);
  }
  return `one past its tender deadline with ${bidders.length} submitted bids for evaluators "${DEMO_PANEL.evaluators.join('", "')}" and moderator "${DEMO_PANEL.moderator}" to score ("${EVALUATION_TITLE}", ${competition.id})`;
}
