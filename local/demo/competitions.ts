/**
 * Demo competitions, all led by `demo-commissioner`, one at each stage: a draft; one open for
 * pre-qualification with applications from demo providers; one past its pre-qualification deadline with
 * applications to mark and shortlist; one open to bids with no questionnaire (the demo owner has a draft bid
 * in it); one past its tender deadline with submitted bids to score; and two awarded and in standstill – one
 * whose standstill ends a few days from now, one whose standstill has ended, ready to confirm. Each is
 * created, published, applied and bid for, and evaluated through the same use cases as the API, so each has
 * a real audit trail; each has the demo panel and a lead who has declared no conflict.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { type Awarded, seedAwarded } from './award';
import { seedChallenged } from './challenge';
import {
  CRITERIA as criteria,
  DAY,
  DEMO_COMMISSIONER,
  DEMO_PANEL,
  declareNoConflicts,
  findCandidates,
  HOUR,
  LEAD as lead,
  reservedOrganisations,
  seatDemoPanel,
} from './competition-kit';
import {
  applyFor,
  describeApplications,
  enoughApplicants,
  SHORTLISTING_TITLE,
  seedShortlisting,
} from './prequalification';
import { DEMO_OWNER } from './providers';

export { DEMO_COMMISSIONER, DEMO_PANEL, SHORTLISTING_TITLE };

/** The title of the demo competition open for pre-qualification. */
export const PREQUALIFICATION_TITLE = 'Accommodation support for prison leavers, North West';
/** The title of the demo competition whose standstill runs on after the data is loaded. */
export const STANDSTILL_TITLE = 'Support for victims of crime, East of England';
/** The title of the demo competition whose standstill has ended, ready for "Confirm the award". */
export const STANDSTILL_ENDED_TITLE = 'Debt and benefits advice for people on probation, North West';
/** How many days after loading the demo standstill ends (when the standstill period is that long). */
export const STANDSTILL_ENDS_IN_DAYS = 3;

/** The demo competitions by stage: the id of each (absent when the tier settings ruled one out). */
export interface DemoCompetitions {
  draft: string;
  prequalification: string;
  shortlisting?: string | undefined;
  tendering: string;
  evaluation?: string | undefined;
  standstill?: string | undefined;
  standstillEnded?: string | undefined;
  /** In standstill with one open challenge from a bidder (issue 15). */
  challenged?: string | undefined;
}

/** Seeds the demo competitions; returns a one-line summary. */
export async function seedCompetitions(repos: Repositories, rules: DomainRules): Promise<string> {
  return (await loadDemoCompetitions(repos, rules)).summary;
}

/** Seeds the demo competitions; answers a one-line summary and each stage's competition. */
export async function loadDemoCompetitions(
  repos: Repositories,
  rules: DomainRules,
): Promise<{ summary: string; competitions: DemoCompetitions }> {
  const now = new Date();
  // Competitions that share no applicant or bidder are loaded side by side, to keep a fresh start quick.
  const [open, later] = await Promise.all([
    seedOpenToBidsAndDraft(repos, rules, now),
    seedFromPrequalification(repos, rules, now),
  ]);
  const { accommodation, applications, shortlisting, evaluation, standstill, standstillEnded, challenged } =
    later;
  const count =
    3 + [shortlisting, evaluation.id, standstill, standstillEnded, challenged].filter(Boolean).length;
  const summary = [
    `${count} competitions led by "${DEMO_COMMISSIONER}": one draft`,
    `one in pre-qualification (${describeApplications(applications)})`,
    shortlisting
      ? `one past its pre-qualification deadline to shortlist (${describeApplications(shortlisting.applications)}; "${SHORTLISTING_TITLE}", ${shortlisting.id})`
      : 'none to shortlist (tier settings)',
    `one open to bids with no questionnaire${open.drafted}`,
    evaluation.summary,
    describeAwarded('in standstill', standstill),
    describeAwarded('past standstill, ready to confirm', standstillEnded),
    challenged
      ? `one in standstill with an open challenge from ${challenged.challenger} (${challenged.id})`
      : 'none challenged (tier settings, or too few bidders)',
  ].join(', ');
  return {
    summary,
    competitions: {
      draft: open.draft,
      prequalification: accommodation.id,
      shortlisting: shortlisting?.id,
      tendering: open.tendering,
      evaluation: evaluation.id,
      standstill: standstill?.id,
      standstillEnded: standstillEnded?.id,
      challenged: challenged?.id,
    },
  };
}

/** When `days` from `now` falls. */
const daysFrom = (now: Date, days: number) => new Date(now.getTime() + days * DAY).toISOString();

/**
 * A competition open for pre-qualification, published five days ago so that its applications came in over
 * the days since.
 */
async function seedOpenPrequalification(
  repos: Repositories,
  rules: DomainRules,
  now: Date,
  reserved: ReadonlySet<string>,
) {
  const at = (days: number) => daysFrom(now, days);
  const opened = new Date(now.getTime() - 5 * DAY);

  const accommodation = await createCompetition(
    repos,
    lead,
    {
      title: PREQUALIFICATION_TITLE,
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
    opened,
    rules,
  );
  await publishCompetition(repos, lead, accommodation.id, opened, rules);
  await seatDemoPanel(repos, accommodation.id, opened, rules.evaluation);
  await declareNoConflicts(repos, accommodation.id, opened, false);

  // Demo providers apply – not the demo owner's organisation, which is left for a newcomer to apply with.
  const applications = await applyFor(
    repos,
    accommodation,
    await findCandidates(repos, accommodation.regions, accommodation.services, reserved, enoughApplicants),
    { from: new Date(opened.getTime() + HOUR), until: new Date(now.getTime() - HOUR) },
  );
  return { accommodation, applications };
}

/**
 * A competition open to bids with no questionnaire (the demo owner has a draft bid in it) and a draft, both
 * created now.
 */
async function seedOpenToBidsAndDraft(
  repos: Repositories,
  rules: DomainRules,
  now: Date,
): Promise<{ tendering: string; draft: string; drafted: string }> {
  const at = (days: number) => daysFrom(now, days);
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
  await seatDemoPanel(repos, victims.id, now, rules.evaluation);
  await declareNoConflicts(repos, victims.id, now, false);
  let drafted = '';
  const [ownOrganisation] = await repos.memberships.listForUser(DEMO_OWNER);
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

  const draft = await createCompetition(
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

  await seatDemoPanel(repos, draft.id, now, rules.evaluation);
  await declareNoConflicts(repos, draft.id, now, false);
  return { tendering: victims.id, draft: draft.id, drafted };
}

/**
 * The pre-qualification competitions and then those past their tender deadline, each excluding the
 * organisations the earlier ones make unfit to take part.
 */
async function seedFromPrequalification(repos: Repositories, rules: DomainRules, now: Date) {
  const reserved = await reservedOrganisations(repos);
  const { accommodation, applications } = await seedOpenPrequalification(repos, rules, now, reserved);
  // Applied for before the others are loaded, so that nobody applies for both pre-qualifications, and an
  // organisation that declared a mandatory exclusion ground does not turn up bidding elsewhere.
  const shortlisting = await seedShortlisting(
    repos,
    rules,
    now,
    new Set([...reserved, ...applications.applicants]),
  );
  const unfit = new Set(
    [...reserved, applications.declarantId, shortlisting?.applications.declarantId].filter(
      (id): id is string => id !== undefined,
    ),
  );
  // Awards decided so that one standstill ends a few days from now and the other ended two days ago
  // (decided in the past, whatever the standstill period is set to).
  const decided = (endsInDays: number) =>
    new Date(Math.min(now.getTime() - HOUR, now.getTime() + (endsInDays - rules.standstillDays) * DAY));
  // The competitions past their tender deadline share only the providers, which they read: loaded side by
  // side, they keep a fresh start quick.
  const [evaluation, standstill, standstillEnded, challenged] = await Promise.all([
    seedEvaluation(repos, rules, lead, now, unfit),
    seedAwarded(repos, rules, {
      title: STANDSTILL_TITLE,
      description:
        'Emotional and practical support for victims of crime across the East of England, from first contact to the end of any court case.',
      regions: ['east_of_england'],
      services: ['victim_services'],
      decidedAt: decided(STANDSTILL_ENDS_IN_DAYS),
      exclude: unfit,
    }),
    seedAwarded(repos, rules, {
      title: STANDSTILL_ENDED_TITLE,
      description:
        'Benefit claims, debt advice and help opening a bank account for people on probation in the North West.',
      regions: ['north_west'],
      services: ['finance_benefit_debt'],
      decidedAt: decided(-2),
      exclude: unfit,
    }),
    seedChallenged(repos, rules, now, unfit),
  ]);
  return { accommodation, applications, shortlisting, evaluation, standstill, standstillEnded, challenged };
}

function describeAwarded(stage: string, awarded: Awarded | undefined): string {
  return awarded
    ? `one ${stage} (${awarded.bids} bids, awarded to ${awarded.winner}; standstill ends ${awarded.standstillEndsAt}, ${awarded.id})`
    : `none ${stage} (tier settings, or too few bidders)`;
}

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
  /** Organisations that must not bid. */
  excluded: ReadonlySet<string>,
): Promise<{ summary: string; id?: string }> {
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
  if (competition.prequalificationTier !== 'none')
    return { summary: 'no competition in evaluation (tier settings)' };
  await publishCompetition(repos, lead, competition.id, published, rules);
  await seatDemoPanel(repos, competition.id, published, rules.evaluation);

  // Bidders: verified providers working with families in London (or nationally), not those `excluded` (the
  // demo owner's, the demo sub-contractor's), each bid submitted by its owner a week or two before the deadline.
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
  await declareNoConflicts(repos, competition.id, new Date(deadline.getTime() + HOUR), true);
  return {
    id: competition.id,
    summary: `one past its tender deadline with ${bidders.length} submitted bids for evaluators "${DEMO_PANEL.evaluators.join('", "')}" and moderator "${DEMO_PANEL.moderator}" to score ("${EVALUATION_TITLE}", ${competition.id})`,
  };
}
