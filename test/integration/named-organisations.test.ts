/**
 * Nobody is made a party to a bid on the bidder's say-so (issue 12, item 2): a bid may name only
 * registered, verified providers as consortium members or sub-contractors; naming one connects nobody but
 * the bidder (it walled out every member of any organisation a bidder chose to name), the named
 * organisation connects itself when an owner agrees, and the bid is submitted only once all it names have
 * agreed. An organisation named twice is one name (it was a 500: one transaction writing one item twice).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { ForbiddenError, ValidationError } from '../../shared/domain/errors';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

let competitionId: string;
let bidderId: string;
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
  bidderId = await verifiedProvider('named-bidder', 'Named Bidder', where);
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

  it('connect nobody but the bidder until they agree; the bid waits for their agreement', async () => {
    const deps = withSharedProviderData(repositories());
    const connected = async (id: string) => [
      ...(await repositories().competitions.connectionsAmong(competitionId, [id])).keys(),
    ];
    const saved = await draft({
      qualityResponses: { quality: 'Our approach' },
      consortium: [{ providerId: partnerId, role: 'member' }],
      subcontractors: [sub(partnerId), sub(partnerId)],
    });
    expect(saved.status).toBe('draft');
    expect(await connected(partnerId)).toEqual([]);
    expect(await connected(bidderId)).toEqual([bidderId]);

    const submit = () => submitBid(deps, user('named-bidder'), competitionId, undefined, new Date());
    await expect(submit()).rejects.toMatchObject({
      name: 'ValidationError',
      issues: [{ path: 'consortium.0.providerId', message: expect.stringContaining('has not agreed') }],
    });

    // The bidder cannot agree for the partner; the partner's owner can, once.
    const agreement = { providerId: partnerId, bidderId, role: 'consortium-member' as const };
    await expect(
      agreeToBeNamed(deps, user('named-bidder'), competitionId, agreement, new Date()),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(await connected(partnerId)).toEqual([]);
    const first = await agreeToBeNamed(deps, user('named-partner'), competitionId, agreement, new Date());
    expect(first).toMatchObject({ created: true, partnership: { agreedBy: 'named-partner' } });
    expect(await connected(partnerId)).toEqual([partnerId]);
    const again = await agreeToBeNamed(
      deps,
      user('named-partner'),
      competitionId,
      { ...agreement, role: 'subcontractor' },
      new Date(),
    );
    expect(again).toEqual({ created: false, partnership: first.partnership });

    await expect(submit()).resolves.toMatchObject({ status: 'submitted', version: 1 });
  });

  it('refuse an agreement with itself, an unknown or unverified bidder', async () => {
    const deps = withSharedProviderData(repositories());
    const agree = (bidder: string) =>
      agreeToBeNamed(
        deps,
        user('named-partner'),
        competitionId,
        { providerId: partnerId, bidderId: bidder, role: 'subcontractor' },
        new Date(),
      );
    for (const bidder of [partnerId, '01JD00000000000000000GHOST', pendingId]) {
      await expect(agree(bidder)).rejects.toMatchObject({ issues: [{ path: 'bidderId' }] });
      expect(await repositories().partnerships.get(competitionId, bidder, partnerId)).toBeUndefined();
    }
  });
});
