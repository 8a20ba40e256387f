/**
 * A notification failure after a committed change does not turn the success into an error (issue 13,
 * item 10): publishing, shortlisting and deciding the award, each given a notification repository that
 * throws, still answer with the change, which is committed in DynamoDB Local; the failure is logged with
 * the competition's id and counted. And the contract let by confirming an award ends on the last day of its
 * term without running into the next month (item 9).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { config } from '../../shared/config';
import type { NotificationRepository } from '../../shared/db/notifications';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { logger, metrics } from '../../shared/http/logger';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { listNotifications } from '../../shared/use-cases/list-notifications';
import { NOTIFICATION_FAILURE_METRIC } from '../../shared/use-cases/notify-after-commit';
import { shortlist } from '../../shared/use-cases/prequalification/evaluate-responses';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { confirmAward, decideAward, moderateBid, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import {
  accredit,
  commissioner,
  draftCompetition,
  LEAD,
  openCompetition,
  seatPanel,
  user,
  verifiedProvider,
} from '../support/scenario';
import { useTestTables } from '../support/tables';

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

function expectFailureRecorded(action: string, competitionId: string) {
  expect(logged).toHaveBeenCalledWith(
    'Notifications were not written after a committed change',
    expect.objectContaining({ action, competitionId, error: expect.any(Error) }),
  );
  expect(counted).toHaveBeenCalledWith(NOTIFICATION_FAILURE_METRIC, 'Count', 1);
}

describe('publishing', () => {
  it('answers with the published competition when the notifications cannot be written', async () => {
    const providerId = await verifiedProvider('after-owner-1', 'After Commit One', {
      region: 'south_west',
      service: 'accommodation',
    });
    const draftId = await draftCompetition({
      title: 'Published despite a failure',
      description: 'A competition whose notifications fail.',
      region: 'south_west',
      service: 'accommodation',
    });
    watchFailures();
    const notifications = failingNotifications();
    const published = await publishCompetition(
      { ...repositories(), notifications },
      LEAD,
      draftId,
      new Date(),
      config().rules,
    );
    expect(notifications.attempts).toBe(1);
    expect(published).toMatchObject({ id: draftId, status: 'tendering' });
    expect(published).not.toHaveProperty('notified');
    // Committed: the stored competition is published and listed as an opportunity.
    expect(await repositories().competitions.get(draftId)).toMatchObject({
      status: 'tendering',
      version: 2,
    });
    const open = await repositories().competitions.opportunities({
      region: 'south_west',
      limit: 100,
      now: new Date(),
    });
    expect(open.items.map((o) => o.id)).toContain(draftId);
    expectFailureRecorded('competition.publish', draftId);
    // Nothing was written for the matching provider: the failure was real, not retried behind the scenes.
    const inbox = await listNotifications(repositories(), user('after-owner-1'), { limit: 100 });
    expect(inbox.items.filter((n) => n.competitionId === draftId)).toEqual([]);
    expect(providerId).toEqual(expect.any(String));
  });

  it('answers with the published competition when finding whom to notify fails', async () => {
    const draftId = await draftCompetition({
      title: 'Published while the directory is unreachable',
      description: 'A competition whose recipients cannot be read.',
      region: 'south_west',
      service: 'accommodation',
    });
    watchFailures();
    const providers = Object.create(repositories().providers) as ReturnType<typeof repositories>['providers'];
    providers.listedIn = async () => {
      throw new Error('Connection reset (simulated)');
    };
    const published = await publishCompetition(
      { ...repositories(), providers },
      LEAD,
      draftId,
      new Date(),
      config().rules,
    );
    expect(published).toMatchObject({ status: 'tendering' });
    expect(await repositories().competitions.get(draftId)).toMatchObject({ status: 'tendering' });
    expectFailureRecorded('competition.publish', draftId);
  });
});

describe('shortlisting', () => {
  it('answers with the shortlist when the applicants cannot be told', async () => {
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
    // Between the pre-qualification deadline (1 hour) and the tender deadline (2 hours).
    const decided = await shortlist(
      { ...repositories(), notifications },
      LEAD,
      competitionId,
      { responseIds: [response.id] },
      HOURS(1.5),
      { minTenderDays: 0 },
    );
    expect(notifications.attempts).toBe(1);
    expect(decided).toMatchObject({ status: 'tendering', shortlist: [providerId] });
    expect(await repositories().competitions.get(competitionId)).toMatchObject({
      status: 'tendering',
      shortlist: [providerId],
    });
    expectFailureRecorded('shortlist.decide', competitionId);
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

  it('answers with the decision when the bidders cannot be told', async () => {
    watchFailures();
    const notifications = failingNotifications();
    const decided = await decideAward(
      { ...repositories(), notifications },
      LEAD,
      competitionId,
      { bidId, rationale: 'Best value' },
      HOURS(2),
      rules,
    );
    expect(notifications.attempts).toBe(1);
    expect(decided).toMatchObject({ status: 'standstill', award: { bidId } });
    expect(await repositories().competitions.get(competitionId)).toMatchObject({
      status: 'standstill',
      award: { bidId },
    });
    expectFailureRecorded('award.decide', competitionId);
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
