/**
 * Demo competitions past evaluation: bid for, scored by both evaluators, moderated, ranked and awarded by
 * the lead, so they are in standstill – one whose standstill ends a few days after the data was loaded,
 * one whose standstill has ended, ready for the lead to confirm the award. Every step goes through the use
 * cases at the time it would have happened, each write judged against that earlier request time.
 */
import type { DomainRules } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import type { Repositories } from '../../shared/db/repositories';
import type { Coverage, Service } from '../../shared/domain/reference-data';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import {
  decideAward,
  getEvaluation,
  listBids,
  moderateBid,
  scoreBid,
} from '../../shared/use-cases/tenders/evaluation';
import {
  CRITERIA,
  DAY,
  DEMO_PANEL,
  declareNoConflicts,
  findCandidates,
  HOUR,
  LEAD,
  person,
  seatDemoPanel,
} from './competition-kit';

/** A competition to take to an award decision. */
export interface AwardedSpec {
  title: string;
  description: string;
  regions: Coverage[];
  services: Service[];
  /** When the lead decides the award: the standstill ends `standstillDays` after it. */
  decidedAt: Date;
  /** Organisations that must not bid (the tour's own, and any that declared an exclusion ground). */
  exclude: ReadonlySet<string>;
}

/** What was awarded. */
export interface Awarded {
  id: string;
  bids: number;
  winner: string;
  standstillEndsAt: string;
}

// Prices and scores differ enough to rank the bids clearly, and no price is abnormally low.
const PRICES = [84_000_00, 91_500_00, 78_900_00];
/** Each bid's scores for delivery, partnership and social value: evaluator 2 differs here and there. */
const SCORES = [
  [
    [4, 3, 3],
    [4, 4, 3],
  ],
  [
    [3, 4, 4],
    [4, 4, 3],
  ],
  [
    [3, 3, 2],
    [2, 3, 3],
  ],
];
const AGREED = [
  [4, 4, 3],
  [4, 4, 4],
  [3, 3, 2],
];
const QUALITY = CRITERIA.filter((c) => c.kind === 'quality');

/**
 * Takes a tier-none competition from publication to an award decision at `spec.decidedAt`: three demo
 * providers bid during a tender period that closed three days before the decision, the lead and the
 * panel declare just after the deadline, the evaluators score the next day and the moderator agrees the
 * scores the day after, and the lead awards to the bid ranked first. Answers undefined when the tier
 * settings put the contract through pre-qualification, or too few providers could bid.
 */
export async function seedAwarded(
  repos: Repositories,
  rules: DomainRules,
  spec: AwardedSpec,
): Promise<Awarded | undefined> {
  const deadline = new Date(spec.decidedAt.getTime() - 3 * DAY);
  const published = new Date(deadline.getTime() - (rules.minTenderDays + 7) * DAY);
  const competition = await createCompetition(
    repos,
    LEAD,
    {
      title: spec.title,
      description: spec.description,
      services: spec.services,
      regions: spec.regions,
      estimatedValuePence: 95_000_00,
      termMonths: 24,
      risk: 'low',
      tenderDeadline: deadline.toISOString(),
      criteria: CRITERIA,
    },
    published,
    rules,
  );
  if (competition.prequalificationTier !== 'none') return undefined;
  await publishCompetition(repos, LEAD, competition.id, published, rules);
  await seatDemoPanel(repos, competition.id, published, rules.evaluation);

  const candidates = (
    await findCandidates(
      repos,
      spec.regions,
      spec.services,
      spec.exclude,
      (found) => found.length >= PRICES.length,
    )
  ).slice(0, PRICES.length);
  if (candidates.length < 2) return undefined;
  const deps = withSharedProviderData(repos);
  // Spread over the tender period, whatever its configured length.
  const gap = (deadline.getTime() - published.getTime()) / (candidates.length + 1);
  for (const [i, bidder] of candidates.entries()) {
    const when = new Date(published.getTime() + Math.round((i + 1) * gap));
    await saveDraft(
      deps,
      bidder.owner,
      competition.id,
      {
        providerId: bidder.id,
        pricePence: PRICES[i] as number,
        qualityResponses: {
          delivery: `${bidder.name} would assign a named caseworker within five working days of referral, with evening and weekend appointments.`,
          partnership: 'We already share a referral protocol with the probation delivery units in the area.',
          'social-value': 'Paid peer-support roles for people who have used the service.',
        },
        subcontractors: [],
        consortium: [],
      },
      when,
    );
    await submitBid(deps, bidder.owner, competition.id, bidder.id, new Date(when.getTime() + HOUR));
  }

  await declareNoConflicts(repos, competition.id, new Date(deadline.getTime() + 2 * HOUR), true);
  const scoredAt = new Date(deadline.getTime() + DAY);
  const { items: bids } = await listBids(repos, LEAD, competition.id, scoredAt);
  // Bids are listed by name; the prices and scores follow the order they were submitted in.
  const ordered = candidates.flatMap((c) => bids.filter((b) => b.providerId === c.id));
  for (const [e, sub] of DEMO_PANEL.evaluators.entries()) {
    const evaluator = person(sub, ['commissioner']);
    for (const [i, bid] of ordered.entries()) {
      await scoreBid(
        repos,
        evaluator,
        competition.id,
        bid.bidId,
        QUALITY.map((criterion, c) => ({
          criterionId: criterion.id,
          score: SCORES[i]?.[e]?.[c] ?? 3,
          justification: `Scored against the published guidance for "${criterion.name}".`,
        })),
        new Date(scoredAt.getTime() + (e * ordered.length + i) * HOUR),
      );
    }
  }
  const moderator = person(DEMO_PANEL.moderator, ['commissioner']);
  const moderatedAt = new Date(deadline.getTime() + 2 * DAY);
  for (const [i, bid] of ordered.entries()) {
    await moderateBid(
      repos,
      moderator,
      competition.id,
      bid.bidId,
      QUALITY.map((criterion, c) => ({
        criterionId: criterion.id,
        score: AGREED[i]?.[c] ?? 3,
        rationale: 'Agreed at the moderation meeting from both evaluators’ notes.',
      })),
      new Date(moderatedAt.getTime() + i * HOUR),
      rules.evaluation,
    );
  }

  const evaluation = await getEvaluation(
    repos,
    LEAD,
    competition.id,
    new Date(spec.decidedAt.getTime() - HOUR),
  );
  const first = evaluation.ranking.find((entry) => entry.rank === 1);
  if (!first) return undefined;
  const decided = await decideAward(
    repos,
    LEAD,
    competition.id,
    {
      bidId: first.bidId,
      rationale: 'The highest-scoring bid: the strongest delivery model at a price within the budget.',
    },
    spec.decidedAt,
    rules,
  );
  return {
    id: competition.id,
    bids: ordered.length,
    winner: decided.award?.providerName ?? '',
    standstillEndsAt: decided.standstillEndsAt,
  };
}
