/**
 * Nobody is made a party to a bid on the bidder's say-so (issue 12, item 2): a bid may name only
 * registered, verified providers as consortium members or sub-contractors, and an organisation named twice
 * is one connection (it was a 500: one transaction writing the same item twice).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { ValidationError } from '../../shared/domain/errors';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

let competitionId: string;
let partnerId: string;
let pendingId: string;
const where = { region: 'yorkshire_humber', service: 'restorative_justice' } as const;
const draft = (content: Record<string, unknown>) =>
  saveDraft(
    withSharedProviderData(repositories()),
    user('named-bidder'),
    competitionId,
    { pricePence: 10_000_00, qualityResponses: {}, subcontractors: [], consortium: [], ...content },
    new Date(),
  );
const sub = (providerId: string) => ({
  providerId,
  name: 'Partner',
  services: ['restorative_justice' as const],
  sharePercent: 20,
});

beforeAll(async () => {
  await useTestTables();
  await verifiedProvider('named-bidder', 'Named Bidder', where);
  partnerId = await verifiedProvider('named-partner', 'Named Partner', where);
  pendingId = (
    await registerProvider(
      repositories(),
      user('named-pending'),
      {
        name: 'Not Yet Verified',
        legalForm: 'unincorporated_association',
        sector: 'voluntary',
        size: 'micro',
        regions: [where.region],
        services: [where.service],
        contact: { name: 'Contact', email: 'contact@example.org' },
      },
      new Date(),
    )
  ).id;
  competitionId = await openCompetition({ title: 'Restorative justice', ...where });
});

describe('organisations named in a bid', () => {
  it('must exist and be verified, or nothing is stored', async () => {
    const refused = draft({
      consortium: [{ providerId: '01JD00000000000000000GHOST', role: 'member' }],
      subcontractors: [sub(pendingId)],
    });
    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({
      issues: [{ path: 'consortium.0.providerId' }, { path: 'subcontractors.0.providerId' }],
    });
    expect([
      ...(await repositories().competitions.connectionsAmong(competitionId, [pendingId])).keys(),
    ]).toEqual([]);
  });

  it('connect an organisation named twice once, without failing', async () => {
    const saved = await draft({
      consortium: [{ providerId: partnerId, role: 'member' }],
      subcontractors: [sub(partnerId), sub(partnerId)],
    });
    expect(saved.status).toBe('draft');
    expect([
      ...(await repositories().competitions.connectionsAmong(competitionId, [partnerId])).keys(),
    ]).toEqual([partnerId]);
  });
});
