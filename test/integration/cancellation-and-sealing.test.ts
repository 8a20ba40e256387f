/**
 * Cancellation keeps what it interrupted sealed, and goes through the wall (issue 12, items 4 and 7):
 * responses to a competition cancelled during pre-qualification, and bids to one cancelled while tendering,
 * stay unreadable after their deadlines pass; cancelling answers with the public view only; an allowed
 * read is recorded only when it really happened.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { EthicalWallError, InvalidStateError, NotFoundError, SealedError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import { cancelCompetition } from '../../shared/use-cases/competitions/cancel-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import { listResponses } from '../../shared/use-cases/prequalification/evaluate-responses';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { getBid, listBids } from '../../shared/use-cases/tenders/evaluation';
import { accredit, LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const HOURS = (n: number) => new Date(Date.now() + n * 3_600_000);
const deps = () => withSharedProviderData(repositories());

async function auditActions(competitionId: string): Promise<string[]> {
  const page = await repositories().audit.page(competitionId, 100, undefined);
  return page.items.map((e) => `${e.action}:${e.outcome}:${e.actor}`);
}

beforeAll(async () => {
  await useTestTables();
});

describe('a competition cancelled during pre-qualification', () => {
  let competitionId: string;

  beforeAll(async () => {
    const providerId = await verifiedProvider('applicant-owner', 'Applicant Trust', {
      region: 'london',
      service: 'health',
    });
    await accredit('applicant-owner', providerId);
    competitionId = await openCompetition({
      title: 'Health in custody',
      region: 'london',
      service: 'health',
      prequalification: true,
    });
    await submitResponse(
      deps(),
      user('applicant-owner'),
      competitionId,
      { answers: { 'technical.relevant-experience': 'Ten years of prison health work.' } },
      new Date(),
    );
    await declare(repositories(), LEAD, competitionId, [], new Date());
  });

  it('answers the cancellation with the public view only', async () => {
    const cancelled = await cancelCompetition(
      repositories(),
      LEAD,
      competitionId,
      'Budget withdrawn.',
      new Date(),
    );
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelReason: 'Budget withdrawn.' });
    expect(cancelled).not.toHaveProperty('leadSub');
    expect(cancelled).not.toHaveProperty('shortlist');
    expect(cancelled).not.toHaveProperty('version');
  });

  it('keeps the responses sealed after the pre-qualification deadline passes, and records no read', async () => {
    await expect(listResponses(repositories(), LEAD, competitionId, HOURS(3))).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect(await auditActions(competitionId)).not.toContain('prequalification.read:allowed:lead');
  });
});

describe('a competition cancelled while tendering', () => {
  let competitionId: string;
  const lead = LEAD;

  beforeAll(async () => {
    await verifiedProvider('bidder-owner', 'Bidder Trust', { region: 'wales', service: 'drugs_alcohol' });
    competitionId = await openCompetition({
      title: 'Drug and alcohol support',
      region: 'wales',
      service: 'drugs_alcohol',
    });
    await saveDraft(
      deps(),
      user('bidder-owner'),
      competitionId,
      {
        pricePence: 40_000_00,
        qualityResponses: { quality: 'Our approach.' },
        subcontractors: [],
        consortium: [],
      },
      new Date(),
    );
    await submitBid(deps(), user('bidder-owner'), competitionId, undefined, new Date());
    await declare(repositories(), lead, competitionId, [], new Date());
    await cancelCompetition(repositories(), lead, competitionId, 'Requirement changed.', new Date());
  });

  it('keeps the bids sealed after the tender deadline passes', async () => {
    await expect(listBids(repositories(), lead, competitionId, HOURS(3))).rejects.toBeInstanceOf(SealedError);
  });
});

describe('reads recorded only when they happen', () => {
  it('records no allowed read for a bid that does not exist', async () => {
    await verifiedProvider('reader-owner', 'Reader Trust', { region: 'london', service: 'unpaid_work' });
    const competitionId = await openCompetition({
      title: 'Unpaid work',
      region: 'london',
      service: 'unpaid_work',
    });
    await declare(repositories(), LEAD, competitionId, [], new Date());
    await expect(
      getBid(repositories(), LEAD, competitionId, '01JD0000000000000000000099', HOURS(2)),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect((await auditActions(competitionId)).filter((a) => a.startsWith('bid.read'))).toEqual([]);
  });
});

describe('cancelling through the wall', () => {
  it('refuses a lead whose declaration names a conflict', async () => {
    const providerId = await verifiedProvider('conflict-owner', 'Conflict Trust', {
      region: 'london',
      service: 'victim_services',
    });
    const competitionId = await openCompetition({
      title: 'Victim services',
      region: 'london',
      service: 'victim_services',
    });
    const lead: Principal = LEAD;
    await declare(
      repositories(),
      lead,
      competitionId,
      [{ organisationId: providerId, nature: 'Trustee' }],
      new Date(),
    );
    await expect(
      cancelCompetition(repositories(), lead, competitionId, 'Changed my mind.', new Date()),
    ).rejects.toBeInstanceOf(EthicalWallError);
    expect(await auditActions(competitionId)).toContain('competition.cancel:denied:lead');
  });
});
