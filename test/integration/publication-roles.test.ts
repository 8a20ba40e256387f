/**
 * A party's roles across a process's releases (issue 16, feed quality), over DynamoDB Local with the real
 * use cases: a compiled release takes each party's `roles` whole from the latest release naming it (OCDS
 * merges a list of strings by replacing it), so every release must repeat all the roles an organisation
 * holds in the process. A bidder that lost the award and is then paid by the winner as a sub-contractor is
 * a tenderer and a sub-contractor at once – in the spend return's release and in the compiled record.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { Release } from '../../shared/domain/publication/ocds';
import { ocidOf } from '../../shared/domain/publication/releases';
import { periodOf } from '../../shared/domain/subcontracting/dates';
import { fileSpendReturn } from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { confirmAward } from '../../shared/use-cases/tenders/evaluation';
import { competitionInStandstill } from '../support/challenges';
import { readRecord } from '../support/publication';
import { LEAD, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const DAY = 86_400_000;
const OWNERS = { A: user('roles-owner-a'), B: user('roles-owner-b'), C: user('roles-owner-c') } as const;
const providers = { A: '', B: '', C: '' };

beforeAll(async () => {
  await useTestTables();
  for (const key of ['A', 'B', 'C'] as const) {
    providers[key] = await verifiedProvider(OWNERS[key].sub, `Roles bidder ${key}`, {
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
  }
});

describe('a tenderer later paid as a sub-contractor', () => {
  it('keeps its tenderer role in the spend return’s release and in the compiled release', async () => {
    // A wins; B and C tendered too. After standstill the contract is let to A.
    const c = await competitionInStandstill({ title: 'Roles', owners: OWNERS, standstillDays: 1 });
    const { contractId } = await confirmAward(
      repositories(),
      LEAD,
      c.id,
      new Date(c.standstillEndsAt.getTime() + DAY),
    );
    const contract = await repositories().contracts.get(contractId);
    const start = contract?.startDate as string;
    await putSupplyChain(
      repositories(),
      OWNERS.A,
      contractId,
      {
        subcontractors: [
          { ref: 'B', providerId: providers.B, services: ['victim_services'], plannedValuePence: 10_000_00 },
          {
            ref: 'LOCAL',
            name: 'Roles Local Trust',
            sector: 'voluntary',
            size: 'small',
            services: [],
            plannedValuePence: 1,
          },
        ],
      },
      new Date(c.standstillEndsAt.getTime() + DAY),
    );
    // The quarter the contract started in, filed the day after it ends.
    const period = periodOf(start);
    const quarterEnd = Date.UTC(Number(period.slice(0, 4)), Number(period.slice(-1)) * 3, 1);
    await fileSpendReturn(
      repositories(),
      OWNERS.A,
      contractId,
      period,
      {
        format: 'json',
        issues: [],
        lines: [
          {
            position: 0,
            subcontractorRef: 'B',
            invoiceRef: 'I1',
            invoiceDate: start,
            paidDate: start,
            amountPence: 1_000_00,
          },
          {
            position: 1,
            subcontractorRef: 'LOCAL',
            invoiceRef: 'I2',
            invoiceDate: start,
            paidDate: start,
            amountPence: 7_00,
          },
        ],
      },
      new Date(quarterEnd + DAY),
      config().rules,
    );

    const record = (await readRecord(ocidOf(config().publication, c.id))).body.records[0];
    const releases = record?.releases ?? [];
    expect(releases.map((r) => r.tag.join())).toEqual(['tender', 'award', 'contract', 'implementation']);
    const rolesIn = (release: Release | undefined) =>
      new Map((release?.parties ?? []).map((p) => [p.id, p.roles]));
    // The release itself says it: a consumer compiling the feed with any OCDS tool gets the same roles.
    const implementation = rolesIn(releases.at(-1));
    expect(implementation.get(providers.B)).toEqual(['tenderer', 'subcontractor', 'payee']);
    expect(implementation.get(`${contractId}-sub-LOCAL`)).toEqual(['subcontractor', 'payee']);
    const compiled = rolesIn(record?.compiledRelease);
    expect(compiled.get(providers.A)).toEqual(['tenderer', 'supplier', 'payer']);
    expect(compiled.get(providers.B)).toEqual(['tenderer', 'subcontractor', 'payee']);
    expect(compiled.get(providers.C)).toEqual(['tenderer']);
  });
});
