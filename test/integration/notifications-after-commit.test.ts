/**
 * Issue 13, item 10 asked that a notification failure after a committed change not turn the success into
 * an error. Since issue 17 publishing, shortlisting and deciding the award record their outbox events in
 * their own transactions (test/integration/outbox-producers.test.ts and outbox-outcomes.test.ts), so no
 * notification is written after the commit: shortlisting and the award decision, each given a
 * notification repository that throws, never call it, answer with the change and log no failure. And the
 * contract let by confirming an award ends on the last day of its term without running into the next
 * month (item 9).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { config } from '../../shared/config';
import type { NotificationRepository } from '../../shared/db/notifications';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { logger, metrics } from '../../shared/http/logger';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { shortlist } from '../../shared/use-cases/prequalification/evaluate-responses';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { confirmAward, decideAward, moderateBid, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import {
  accredit,
  commissioner,
  LEAD,
  openCompetition,
  seatPanel,
  user,
  verifiedProvider,
} from '../support/scenario';
import { useTestTables } from '../support/tables';

/** The metric the after-commit notifications counted their failures with, before issue 17 removed them. */
const NOTIFICATION_FAILURE_METRIC = 'NotificationsNotWritten';

const HOURS = (n: number) => new Date(Date.now() + n * 3_600_000);

/** A notification repository whose writes fail, as DynamoDB does when throttled or unreachable. */
function failingNotifications(): NotificationRepository & { attempts: number } {
  const real = repositories().notifications;
  const failing = {
    attempts: 0,
    async addMany() {
      failing.attempts += 1;
      throw new Error('Rate exceeded (simulated)');
    },
    listForProviders: real.listForProviders.bind(real),
    addItems: real.addItems.bind(real),
  };
  return failing;
}

let logged: ReturnType<typeof vi.spyOn>;
let counted: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  await useTestTables();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function watchFailures() {
  logged = vi.spyOn(logger, 'error');
  counted = vi.spyOn(metrics, 'addMetric');
}

describe('shortlisting', () => {
  it('writes nothing after the shortlist commits: a failing notification store is never asked', async () => {
    const providerId = await verifiedProvider('after-applicant', 'After Commit Applicant', {
      region: 'wales',
      service: 'health',
    });
    await accredit('after-applicant', providerId);
    const competitionId = await openCompetition({
      title: 'Shortlisted despite a failure',
      region: 'wales',
      service: 'health',
      prequalification: true,
    });
    const response = await submitResponse(
      withSharedProviderData(repositories()),
      user('after-applicant'),
      competitionId,
      { answers: { 'technical.relevant-experience': 'Ten years of prison health work.' } },
      new Date(),
    );
    await declare(repositories(), LEAD, competitionId, [], new Date());
    watchFailures();
    const notifications = failingNotifications();
    // Issue 17: the outcome events go to the outbox in the decision's own transaction, so nothing is
    // written after it commits (a notification store that fails is never asked).
    const deps = { ...repositories(), notifications };
    // Between the pre-qualification deadline (1 hour) and the tender deadline (2 hours).
    const decided = await shortlist(deps, LEAD, competitionId, { responseIds: [response.id] }, HOURS(1.5), {
      minTenderDays: 0,
    });
    expect(notifications.attempts).toBe(0);
    expect(decided).toMatchObject({ status: 'tendering', shortlist: [providerId] });
    expect(await repositories().competitions.get(competitionId)).toMatchObject({
      status: 'tendering',
      shortlist: [providerId],
    });
    expect(logged).not.toHaveBeenCalled();
    expect(counted).not.toHaveBeenCalledWith(NOTIFICATION_FAILURE_METRIC, 'Count', 1);
  });
});

describe('the award', () => {
  const E1 = commissioner('after-evaluator-1');
  const E2 = commissioner('after-evaluator-2');
  const MOD = commissioner('after-moderator');
  const rules = config().rules;
  let competitionId: string;
  let bidId: string;

  beforeAll(async () => {
    // A 13-month term, so a contract starting on 31 January ends in a February (item 9).
    competitionId = await openCompetition({
      title: 'Awarded despite a failure',
      description: 'A competition whose award notifications fail.',
      region: 'east_midlands',
      service: 'finance_benefit_debt',
      termMonths: 13,
    });
    await verifiedProvider('after-bidder', 'After Commit Bidder', {
      region: 'east_midlands',
      service: 'finance_benefit_debt',
    });
    const deps = withSharedProviderData(repositories());
    await saveDraft(
      deps,
      user('after-bidder'),
      competitionId,
      {
        pricePence: 40_000_00,
        qualityResponses: { quality: 'Our method' },
        subcontractors: [],
        consortium: [],
      },
      new Date(),
    );
    bidId = (await submitBid(deps, user('after-bidder'), competitionId, undefined, new Date())).bidId;
    await seatPanel(competitionId, { evaluators: [E1.sub, E2.sub], moderator: MOD.sub });
    for (const who of [E1, E2]) {
      await scoreBid(
        repositories(),
        who,
        competitionId,
        bidId,
        [{ criterionId: 'quality', score: 4, justification: 'Evidence in the method statement' }],
        HOURS(2),
      );
    }
    await moderateBid(
      repositories(),
      MOD,
      competitionId,
      bidId,
      [{ criterionId: 'quality', score: 4, rationale: 'Agreed at moderation' }],
      HOURS(2),
      rules.evaluation,
    );
  });

  it('writes nothing after the award decision commits: a failing notification store is never asked', async () => {
    watchFailures();
    const notifications = failingNotifications();
    // Issue 17: as for the shortlist, nothing is written after the decision commits.
    const deps = { ...repositories(), notifications };
    const decided = await decideAward(
      deps,
      LEAD,
      competitionId,
      { bidId, rationale: 'Best value' },
      HOURS(2),
      rules,
    );
    expect(notifications.attempts).toBe(0);
    expect(decided).toMatchObject({ status: 'standstill', award: { bidId } });
    expect(await repositories().competitions.get(competitionId)).toMatchObject({
      status: 'standstill',
      award: { bidId },
    });
    expect(logged).not.toHaveBeenCalled();
    expect(counted).not.toHaveBeenCalledWith(NOTIFICATION_FAILURE_METRIC, 'Count', 1);
  });

  it('lets the contract from 31 January for 13 months end on 28 February, not in March', async () => {
    const confirmed = await confirmAward(
      repositories(),
      LEAD,
      competitionId,
      new Date('2099-01-31T10:00:00Z'),
    );
    const contract = await repositories().contracts.get(confirmed.contractId);
    expect(contract).toMatchObject({ startDate: '2099-01-31', endDate: '2100-02-28' });
  });
});
