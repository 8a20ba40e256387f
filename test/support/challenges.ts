/**
 * A competition in standstill for the challenge tests (issue 15): bids from three verified providers,
 * scored by two evaluators and moderated, A ranked first and awarded, all through the real use cases.
 */
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { decideAward, moderateBid, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import { LEAD, openCompetition } from './scenario';

const HOUR = 3_600_000;

const commissioner = (sub: string): UserPrincipal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups: ['commissioner'],
});

/** The panel every such competition has. */
export const PANEL = {
  evaluators: [commissioner('ch-evaluator-1'), commissioner('ch-evaluator-2')],
  moderator: commissioner('ch-moderator'),
};

/** A competition in standstill: bids from the three owners (A first, then B, then C), the award to A. */
export async function competitionInStandstill(options: {
  title: string;
  owners: Record<'A' | 'B' | 'C', UserPrincipal>;
  standstillDays: number;
}) {
  const id = await openCompetition({
    title: options.title,
    region: 'yorkshire_humber',
    service: 'victim_services',
  });
  const deps = withSharedProviderData(repositories());
  const bids = { A: '', B: '', C: '' };
  for (const [key, price] of [
    ['A', 50_000_00],
    ['B', 52_000_00],
    ['C', 55_000_00],
  ] as const) {
    await saveDraft(
      deps,
      options.owners[key],
      id,
      {
        pricePence: price,
        qualityResponses: { quality: `Method ${key}` },
        subcontractors: [],
        consortium: [],
      },
      new Date(),
    );
    bids[key] = (await submitBid(deps, options.owners[key], id, undefined, new Date())).bidId;
  }
  const evaluation = config().rules.evaluation;
  await setPanel(
    repositories(),
    LEAD,
    id,
    { evaluators: PANEL.evaluators.map((e) => e.sub), moderator: PANEL.moderator.sub },
    new Date(),
    evaluation,
  );
  for (const who of [LEAD, ...PANEL.evaluators, PANEL.moderator])
    await declare(repositories(), who, id, [], new Date());
  // After the tender deadline (an hour away): the bids are open.
  const decidedAt = new Date(Date.now() + 2 * HOUR);
  for (const [key, value] of [
    ['A', 5],
    ['B', 4],
    ['C', 3],
  ] as const) {
    for (const evaluator of PANEL.evaluators) {
      await scoreBid(
        repositories(),
        evaluator,
        id,
        bids[key],
        [{ criterionId: 'quality', score: value, justification: 'Evidence' }],
        decidedAt,
      );
    }
    await moderateBid(
      repositories(),
      PANEL.moderator,
      id,
      bids[key],
      [{ criterionId: 'quality', score: value, rationale: 'Agreed' }],
      decidedAt,
      evaluation,
    );
  }
  const decided = await decideAward(
    repositories(),
    LEAD,
    id,
    { bidId: bids.A, rationale: 'Ranked first' },
    decidedAt,
    { standstillDays: options.standstillDays },
  );
  return { id, bids, decidedAt, standstillEndsAt: new Date(decided.standstillEndsAt) };
}
