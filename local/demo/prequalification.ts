/**
 * Demo pre-qualification: applications from demo providers – accredited ones, which answer only what
 * their accreditation does not; a consortium whose member agreed to be named; and one applicant that
 * declares a mandatory exclusion ground, so the automatic fail shows – and a competition whose
 * pre-qualification deadline passed yesterday, with those applications waiting to be marked and shortlisted.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import type { PrequalificationTier } from '../../shared/domain/competitions';
import { type Answer, questionnaireFor } from '../../shared/domain/prequalification';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import {
  type Candidate,
  CRITERIA,
  DAY,
  declareNoConflicts,
  findCandidates,
  HOUR,
  LEAD,
  seatDemoPanel,
} from './competition-kit';

/** The competition in demo shortlisting (the tour finds it by this title). */
export const SHORTLISTING_TITLE = 'Accredited programmes and peer mentoring, Yorkshire and the Humber';

/** What a set of applications came to. */
export interface Applications {
  /** Every response submitted. */
  responses: number;
  /** Every organisation that applied or was named in an application. */
  applicants: string[];
  /** The organisation that declared a mandatory exclusion ground, if one applied. */
  declarantId: string | undefined;
  /** The applicant that declared a mandatory exclusion ground (fails automatically), if one applied. */
  excluded: string | undefined;
  /** The consortium lead and its member, if a consortium applied. */
  consortium: { lead: string; member: string } | undefined;
}

/**
 * The answers an applicant gives to the tier's questionnaire. An accredited applicant is not asked what its
 * accreditation answers; one without answers everything itself, including the exclusion grounds.
 */
function answersFor(
  tier: PrequalificationTier,
  applicant: Candidate,
  own: { mandatoryExclusion: boolean; turnoverPence: number },
): Record<string, Answer> {
  const all: Record<string, Answer> = {
    'supplier.details-confirmed': true,
    'exclusion.mandatory': own.mandatoryExclusion,
    'exclusion.discretionary': false,
    'financial.annual-turnover-pence': own.turnoverPence,
    'financial.accounts-examined': true,
    'technical.relevant-experience': `${applicant.name} has delivered two contracts of this kind for probation regions since 2021, and a pilot with a local authority.`,
    'technical.case-study':
      'Of 120 people supported last year, 87 met the goals in their plan within six months, checked with their probation practitioners.',
    'technical.safeguarding-lead': 'Our operations director, reachable through the duty line at any hour.',
    'technical.quality-assurance':
      'Monthly case-file audits, feedback from the people we support and an annual external review.',
    'insurance.employers-liability-pence': 500_000_000,
    'insurance.public-liability-pence': 200_000_000,
    'policies.equality': true,
    'policies.safeguarding': true,
    'policies.health-and-safety': true,
  };
  const asked = questionnaireFor(tier)
    .sections.flatMap((s) => s.questions)
    .filter((q) => !(q.answeredByAccreditation && applicant.accreditation));
  return Object.fromEntries(asked.flatMap((q) => (q.id in all ? [[q.id, all[q.id] as Answer]] : [])));
}

/**
 * Demo providers apply for a competition in pre-qualification, spread over `window` (which must lie inside
 * its pre-qualification period): up to two on their own, a consortium (its accredited member agrees to be
 * named first, as the API requires) and one declaring a mandatory exclusion ground. Applicants without an
 * accreditation answer every question themselves, giving a turnover comfortably above the competition's
 * minimum.
 */
export async function applyFor(
  repos: Repositories,
  competition: { id: string; prequalificationTier: PrequalificationTier; minimumTurnoverPence: number },
  candidates: Candidate[],
  window: { from: Date; until: Date },
): Promise<Applications> {
  const deps = withSharedProviderData(repos);
  const accredited = candidates.filter((c) => c.accreditation);
  const others = candidates.filter((c) => !c.accreditation);
  // A consortium member must be accredited; leads and lone applicants need not be.
  const member = accredited[0];
  const pool = [...accredited.slice(1), ...others];
  const alone = pool.slice(0, 2);
  const lead = member ? pool[2] : undefined;
  const declarant = others.find((c) => !alone.includes(c) && c !== lead);
  const turnoverPence = Math.max(15_000_000, Math.round(competition.minimumTurnoverPence * 1.4));
  // Five steps at most: two lone applications, the member's agreement, the consortium's, the declarant's.
  const step = (window.until.getTime() - window.from.getTime()) / 4;
  let taken = 0;
  const next = () => new Date(window.from.getTime() + Math.round(taken++ * step));
  const apply = (applicant: Candidate, mandatoryExclusion: boolean, consortium?: Candidate) =>
    submitResponse(
      deps,
      applicant.owner,
      competition.id,
      {
        providerId: applicant.id,
        answers: answersFor(competition.prequalificationTier, applicant, {
          mandatoryExclusion,
          turnoverPence,
        }),
        ...(consortium
          ? { consortium: [{ providerId: consortium.id, role: 'Delivers the service in rural areas' }] }
          : {}),
      },
      next(),
    );

  let responses = 0;
  for (const applicant of alone) {
    await apply(applicant, false);
    responses += 1;
  }
  if (member && lead) {
    const when = next();
    await agreeToBeNamed(
      deps,
      member.owner,
      competition.id,
      { providerId: member.id, bidderId: lead.id, role: 'consortium-member' },
      when,
    );
    await apply(lead, false, member);
    responses += 1;
  }
  if (declarant) {
    await apply(declarant, true);
    responses += 1;
  }
  return {
    responses,
    applicants: [...alone, ...(member && lead ? [lead, member] : []), ...(declarant ? [declarant] : [])].map(
      (c) => c.id,
    ),
    declarantId: declarant?.id,
    excluded: declarant?.name,
    consortium: member && lead ? { lead: lead.name, member: member.name } : undefined,
  };
}

/**
 * Whether `found` holds the applicants `applyFor` uses: an accredited consortium member, three more
 * applicants and one without an accreditation to declare the exclusion ground.
 */
export function enoughApplicants(found: readonly Candidate[]): boolean {
  const accredited = found.filter((c) => c.accreditation).length;
  return accredited >= 1 && found.length >= 5 && found.length - accredited >= 2;
}

/** Describes a set of applications in a few words, for the loader's log. */
export function describeApplications(applications: Applications): string {
  const parts = [`${applications.responses} applications`];
  if (applications.consortium) parts.push('one from a consortium');
  if (applications.excluded) parts.push('one failing on a mandatory exclusion ground');
  return parts.join(', ');
}

/**
 * A competition whose pre-qualification deadline passed a day before the data was loaded: published with
 * the shortest period the rules allow plus a few days, applied for during it, and declared for by the lead
 * and the panel after the deadline, once the applicants are known. Its tender deadline leaves the minimum
 * tender period after today and two weeks more, so the lead can shortlist at once with it. Each step goes
 * through the use cases at the time it would have happened.
 */
export async function seedShortlisting(
  repos: Repositories,
  rules: DomainRules,
  now: Date,
  /** Organisations that must not apply (the tour's own, and those that applied elsewhere). */
  exclude: ReadonlySet<string>,
): Promise<{ id: string; applications: Applications } | undefined> {
  const deadline = new Date(now.getTime() - DAY);
  const published = new Date(deadline.getTime() - (rules.minPrequalificationDays + 4) * DAY);
  const competition = await createCompetition(
    repos,
    LEAD,
    {
      title: SHORTLISTING_TITLE,
      description:
        'Accredited behaviour programmes and peer mentoring for people on probation across Yorkshire and the Humber, delivered with the region’s probation delivery units.',
      services: ['attitudes_thinking_behaviour'],
      regions: ['yorkshire_humber'],
      estimatedValuePence: 450_000_00,
      termMonths: 36,
      risk: 'medium',
      prequalificationDeadline: deadline.toISOString(),
      tenderDeadline: new Date(now.getTime() + (rules.minTenderDays + 14) * DAY).toISOString(),
      // A third of the annual value: the commissioner wants small specialist organisations to qualify.
      minimumTurnoverPence: 50_000_00,
      criteria: CRITERIA,
      confidential: { budgetCeilingPence: 480_000_00 },
    },
    published,
    rules,
  );
  // Other tier settings may leave this contract without pre-qualification: then there is nothing to shortlist.
  if (competition.prequalificationTier === 'none') return undefined;
  await publishCompetition(repos, LEAD, competition.id, published, rules);
  await seatDemoPanel(repos, competition.id, published, rules.evaluation);
  const candidates = await findCandidates(
    repos,
    competition.regions,
    competition.services,
    exclude,
    enoughApplicants,
  );
  const applications = await applyFor(repos, competition, candidates, {
    from: new Date(published.getTime() + HOUR),
    until: new Date(deadline.getTime() - 2 * HOUR),
  });
  await declareNoConflicts(repos, competition.id, new Date(deadline.getTime() + 2 * HOUR), true);
  return { id: competition.id, applications };
}
