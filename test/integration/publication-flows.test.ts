// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * Every release tag from the real flows (issue 16), over DynamoDB Local: cancellations by the lead (a
 * draft publishes nothing; a competition in standstill withdraws its award too), upheld challenges (the
 * award withdrawn and re-decided, or the competition cancelled), a directly registered contract's spend
 * returns, and changes that race – only the one that commits is published. Every page of the feed and every
 * record is validated against the OCDS 1.1.5 schema with the extensions merged in.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { ConflictError, InvalidStateError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import type { Release } from '../../shared/domain/publication/ocds';
import { awardIdOf, ocidOf } from '../../shared/domain/publication/releases';
import { raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { decideChallenge } from '../../shared/use-cases/challenges/inside';
import { cancelCompetition } from '../../shared/use-cases/competitions/cancel-competition';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { decideAward } from '../../shared/use-cases/tenders/evaluation';
import { competitionInStandstill } from '../support/challenges';
import { competitionBody } from '../support/competitions';
import { readRecord, readWholeFeed } from '../support/publication';
import { LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const DAY = 86_400_000;
const OWNERS = { A: user('pub-owner-a'), B: user('pub-owner-b'), C: user('pub-owner-c') } as const;
const providers = { A: '', B: '', C: '' };
const deps = () => withSharedProviderData(repositories());
const ocid = (id: string) => ocidOf(config().publication, id);
const during = (c: { decidedAt: Date }) => new Date(c.decidedAt.getTime() + DAY);

/** The releases of one process, from the whole (validated) feed. */
async function releasesOf(id: string): Promise<Release[]> {
  return (await readWholeFeed()).releases.filter((r) => r.ocid === ocid(id));
}

beforeAll(async () => {
  await useTestTables();
  for (const key of ['A', 'B', 'C'] as const) {
    providers[key] = await verifiedProvider(OWNERS[key].sub, `Publication bidder ${key}`, {
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
  }
});

describe('cancellations', () => {
  it('publish nothing for a draft, and a tenderCancellation with the lead’s reason for a published competition', async () => {
    const draft = await createCompetition(
      repositories(),
      LEAD,
      competitionBody() as never,
      new Date(),
      config().rules,
    );
    await cancelCompetition(repositories(), LEAD, draft.id, 'Drafted by mistake.', new Date());
    expect(await releasesOf(draft.id)).toEqual([]);

    const id = await openCompetition({ title: 'Cancelled', region: 'london', service: 'health' });
    await cancelCompetition(repositories(), LEAD, id, 'The service is moving in-house.', new Date());
    const releases = await releasesOf(id);
    expect(releases.map((r) => r.tag)).toEqual([['tender'], ['tenderCancellation']]);
    const [, cancelled] = releases as [Release, Release];
    expect(cancelled.tender?.status).toBe('cancelled');
    expect(cancelled.tender?.amendments?.[0]?.description).toBe('The service is moving in-house.');
    const record = await readRecord(ocid(id));
    expect(record.body.records[0]?.compiledRelease?.tender?.status).toBe('cancelled');
  });

  it('in standstill withdraw the published award with the tender', async () => {
    const c = await competitionInStandstill({
      title: 'Cancelled in standstill',
      owners: OWNERS,
      standstillDays: 8,
    });
    await cancelCompetition(repositories(), LEAD, c.id, 'Funding withdrawn.', during(c));
    const releases = await releasesOf(c.id);
    expect(releases.map((r) => r.tag)).toEqual([
      ['tender'],
      ['award'],
      ['tenderCancellation', 'awardCancellation'],
    ]);
    const compiled = (await readRecord(ocid(c.id))).body.records[0]?.compiledRelease;
    expect(compiled?.awards).toMatchObject([{ id: awardIdOf(providers.A), status: 'cancelled' }]);
    expect(compiled?.parties.find((p) => p.id === providers.A)?.roles).toEqual(['tenderer']);
  });
});

describe('upheld challenges', () => {
  it('withdraw the award (awardCancellation), and a new decision publishes a new award', async () => {
    const c = await competitionInStandstill({ title: 'Re-evaluated', owners: OWNERS, standstillDays: 8 });
    const challenge = await raiseChallenge(deps(), OWNERS.B, c.id, { grounds: 'Misread price' }, during(c));
    await decideChallenge(
      repositories(),
      LEAD,
      c.id,
      challenge.id,
      { outcome: 'upheld', reasons: 'The price was misread.', then: 're-evaluate' },
      during(c),
    );
    await decideAward(
      repositories(),
      LEAD,
      c.id,
      { bidId: c.bids.B, rationale: 'Second look', overrideReason: 'The price was misread' },
      during(c),
      { standstillDays: 8 },
    );
    const releases = await releasesOf(c.id);
    expect(releases.map((r) => r.tag)).toEqual([['tender'], ['award'], ['awardCancellation'], ['award']]);
    const text = JSON.stringify(releases);
    for (const secret of ['Misread price', 'The price was misread', 'Second look', 'Ranked first'])
      expect(text).not.toContain(secret);
    const compiled = (await readRecord(ocid(c.id))).body.records[0]?.compiledRelease;
    expect(compiled?.awards?.map((a) => [a.id, a.status])).toEqual([
      [awardIdOf(providers.A), 'cancelled'],
      [awardIdOf(providers.B), 'pending'],
    ]);
    expect(compiled?.parties.find((p) => p.id === providers.A)?.roles).toEqual(['tenderer']);
    expect(compiled?.parties.find((p) => p.id === providers.B)?.roles).toEqual(['tenderer', 'supplier']);
    expect(compiled?.tender?.numberOfTenderers).toBe(3);
  });

  it('or cancel the competition: tender and award cancelled, without the challenge’s reasons', async () => {
    const c = await competitionInStandstill({
      title: 'Cancelled by challenge',
      owners: OWNERS,
      standstillDays: 8,
    });
    const challenge = await raiseChallenge(deps(), OWNERS.C, c.id, { grounds: 'Flawed process' }, during(c));
    await decideChallenge(
      repositories(),
      LEAD,
      c.id,
      challenge.id,
      { outcome: 'upheld', reasons: 'The process was flawed.', then: 'cancel' },
      during(c),
    );
    const releases = await releasesOf(c.id);
    expect(releases.at(-1)?.tag).toEqual(['tenderCancellation', 'awardCancellation']);
    expect(JSON.stringify(releases)).not.toContain('The process was flawed');
    expect(JSON.stringify(releases)).not.toContain('Flawed process');
  });
});

describe('racing changes', () => {
  it('publish only the change that commits', async () => {
    const id = await openCompetition({ title: 'Raced', region: 'wales', service: 'unpaid_work' });
    const outcomes = await Promise.allSettled(
      ['First', 'Second', 'Third'].map((reason) =>
        cancelCompetition(repositories(), LEAD, id, reason, new Date()),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === 'rejected')
        expect(o.reason).toSatisfy((e) => e instanceof ConflictError || e instanceof InvalidStateError);
    const releases = await releasesOf(id);
    expect(releases.map((r) => r.tag.join())).toEqual(['tender', 'tenderCancellation']);
  });
});

describe('a contract registered directly', () => {
  it('publishes each accepted spend return as implementation transactions, under its own ocid', async () => {
    const commissioner: Principal = {
      kind: 'user',
      sub: 'pub-commissioner',
      email: undefined,
      groups: ['commissioner'],
    };
    const contract = await registerContract(
      repositories(),
      commissioner,
      {
        title: 'Victim services, Yorkshire',
        primeProviderId: providers.A,
        valuePence: 120_000_00,
        startDate: '2025-01-01',
        endDate: '2027-12-31',
        regions: ['yorkshire_humber'],
        services: ['victim_services'],
      },
      new Date(),
      config().rules,
    );
    await putSupplyChain(
      repositories(),
      OWNERS.A,
      contract.id,
      {
        subcontractors: [
          { ref: 'B', providerId: providers.B, services: ['victim_services'], plannedValuePence: 10_000_00 },
          {
            ref: 'LOCAL',
            name: 'Local Trust',
            sector: 'voluntary',
            size: 'small',
            services: [],
            plannedValuePence: 1,
          },
        ],
      },
      new Date(),
    );
    const line = (ref: string, invoice: string, pence: number, paid: string) => ({
      position: 0,
      subcontractorRef: ref,
      invoiceRef: invoice,
      invoiceDate: '2025-01-10',
      paidDate: paid,
      amountPence: pence,
    });
    const file = (lines: ReturnType<typeof line>[]) =>
      fileSpendReturn(
        repositories(),
        OWNERS.A,
        contract.id,
        '2025-Q1',
        { format: 'json', issues: [], lines },
        new Date(),
        config().rules,
      );
    await file([
      line('B', 'I1', 1_000_00, '2025-02-01'),
      line('B', 'I2', 50_05, '2025-03-03'),
      line('LOCAL', 'I3', 7_00, '2025-01-20'),
    ]);
    // The same body again stores nothing, and publishes nothing.
    await file([
      line('B', 'I1', 1_000_00, '2025-02-01'),
      line('B', 'I2', 50_05, '2025-03-03'),
      line('LOCAL', 'I3', 7_00, '2025-01-20'),
    ]);
    await file([line('B', 'I1', 1_000_00, '2025-02-01')]);
    const releases = await releasesOf(contract.id);
    expect(releases.map((r) => r.tag.join())).toEqual(['implementation', 'implementation']);
    const [first] = releases as [Release];
    expect(first.contracts?.[0]?.implementation?.transactions).toEqual([
      {
        id: '2025-Q1-B',
        date: '2025-03-03T00:00:00Z',
        value: { amount: 1050.05, currency: 'GBP' },
        payer: { id: providers.A, name: 'Publication bidder A' },
        payee: { id: providers.B, name: 'Publication bidder B' },
      },
      {
        id: '2025-Q1-LOCAL',
        date: '2025-01-20T00:00:00Z',
        value: { amount: 7, currency: 'GBP' },
        payer: { id: providers.A, name: 'Publication bidder A' },
        payee: { id: `${contract.id}-sub-LOCAL`, name: 'Local Trust' },
      },
    ]);
    expect(first.parties.find((p) => p.id === providers.B)).toMatchObject({
      roles: ['subcontractor', 'payee'],
      details: { scale: 'micro', vcse: true },
    });
    const compiled = (await readRecord(ocid(contract.id))).body.records[0]?.compiledRelease;
    expect(compiled?.contracts?.[0]?.implementation?.transactions.map((t) => [t.id, t.value.amount])).toEqual(
      [
        ['2025-Q1-B', 1000],
        ['2025-Q1-LOCAL', 0],
      ],
    );
    expect(compiled?.parties.find((p) => p.id === providers.A)?.roles).toEqual(['supplier', 'payer']);
  });
});

describe('the feed of this file', () => {
  it('holds every tag the flows above produce, every page valid', async () => {
    const tags = new Set((await readWholeFeed({}, 7)).releases.flatMap((r) => r.tag));
    expect(tags).toEqual(
      new Set(['tender', 'tenderCancellation', 'award', 'awardCancellation', 'implementation']),
    );
  });
});
