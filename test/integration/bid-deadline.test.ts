/**
 * Bid submissions fired across the tender deadline against DynamoDB Local: none is accepted late, and
 * after the deadline bids are immutable.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { DeadlinePassedError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import { useTestTables } from '../support/tables';

const lead: Principal = { kind: 'user', sub: 'lead', email: undefined, groups: ['commissioner'] };
const admin: Principal = { kind: 'user', sub: 'admin', email: undefined, groups: ['admin'] };

beforeAll(async () => {
  await useTestTables();
});

describe('bids racing the tender deadline', () => {
  it('accepts every submission made before the deadline and none after', async () => {
    const bidders: Principal[] = [];
    for (let i = 0; i < 10; i += 1) {
      const owner: Principal = { kind: 'user', sub: `bidder-${i}`, email: undefined, groups: [] };
      const provider = await registerProvider(
        repositories(),
        owner,
        {
          name: `Bidder ${i}`,
          legalForm: 'unincorporated_association',
          sector: 'voluntary',
          size: 'micro',
          regions: ['north_east'],
          services: ['finance_benefit_debt'],
          contact: { name: 'B', email: 'b@example.org' },
        },
        new Date(),
      );
      await verifyProvider(repositories(), admin, provider.id, new Date());
      bidders.push(owner);
    }
    const competition = await createCompetition(
      repositories(),
      lead,
      {
        title: 'Debt advice, North East',
        description: 'Debt advice for people on probation.',
        services: ['finance_benefit_debt'],
        regions: ['north_east'],
        estimatedValuePence: 50_000_00,
        termMonths: 12,
        risk: 'low',
        tenderDeadline: new Date(Date.now() + 4000).toISOString(),
        criteria: [
          { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
          { id: 'price', name: 'Price', kind: 'price', weight: 40 },
        ],
      },
      new Date(),
      config().rules,
    );
    await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
    for (const bidder of bidders) {
      await saveDraft(
        withSharedProviderData(repositories()),
        bidder,
        competition.id,
        { pricePence: 40_000_00, qualityResponses: { quality: 'Plan' }, subcontractors: [], consortium: [] },
        new Date(),
      );
    }
    const deadline = Date.parse(competition.tenderDeadline);
    const outcomes = await Promise.all(
      bidders.map(async (bidder, i) => {
        await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() - 250 + i * 50)));
        const at = new Date();
        try {
          await submitBid(withSharedProviderData(repositories()), bidder, competition.id, undefined, at);
          return { at: at.getTime(), accepted: true };
        } catch (error) {
          expect(error).toBeInstanceOf(DeadlinePassedError);
          return { at: at.getTime(), accepted: false };
        }
      }),
    );
    for (const outcome of outcomes) expect(outcome.accepted).toBe(outcome.at < deadline);
    expect(outcomes.some((o) => o.accepted)).toBe(true);
    expect(outcomes.some((o) => !o.accepted)).toBe(true);
    const heads = await repositories().bids.listHeads(competition.id);
    expect(heads.length).toBe(outcomes.filter((o) => o.accepted).length);
    for (const head of heads) expect(Date.parse(head.submittedAt)).toBeLessThan(deadline);
  });

  it('refuses in the database a write judged after the deadline, even when the use case checks are skipped', async () => {
    const competition = await createCompetition(
      repositories(),
      lead,
      {
        title: 'Debt advice, North East (2)',
        description: 'Debt advice.',
        services: ['finance_benefit_debt'],
        regions: ['north_east'],
        estimatedValuePence: 50_000_00,
        termMonths: 12,
        risk: 'low',
        tenderDeadline: new Date(Date.now() + 60_000).toISOString(),
        criteria: [
          { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
          { id: 'price', name: 'Price', kind: 'price', weight: 40 },
        ],
      },
      new Date(),
      config().rules,
    );
    await publishCompetition(repositories(), lead, competition.id, new Date(), config().rules);
    const late = new Date(Date.parse(competition.tenderDeadline) + 1).toISOString();
    const draft = {
      competitionId: competition.id,
      providerId: 'P-LATE',
      bidId: '01JD0000000000000000000009',
      pricePence: 1,
      qualityResponses: {},
      subcontractors: [],
      consortium: [],
      updatedAt: late,
      updatedBy: 'x',
    };
    const refused = repositories().audit.append(
      competition.id,
      { at: late, actor: 'x', action: 'bid.draft', resource: 'r', outcome: 'allowed' },
      {
        items: [
          repositories().bids.openCheck(competition.id, 'P-LATE', late, false),
          ...repositories().bids.draftItems(draft),
        ],
        onRefused: () => new DeadlinePassedError('late'),
      },
    );
    await expect(refused).rejects.toBeInstanceOf(DeadlinePassedError);
    expect(await repositories().bids.getDraft(competition.id, 'P-LATE')).toBeUndefined();
  });
});
