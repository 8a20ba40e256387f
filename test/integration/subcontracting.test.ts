/**
 * Sub-contracting against DynamoDB Local: versions and figures written in one transaction, figures equal
 * to a recomputation from the stored latest versions after a random run of filings, concurrent amendments
 * of one period (one wins, the rest get a conflict or find their content already current), concurrent
 * first returns and quarter-end contention on shared regional items, the sub-contractor's view following
 * the latest version, the size of a 5,000-line return, and one open dispute per line under races.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../../shared/db/repositories';
import { decodeChunks, encodeChunks } from '../../shared/db/subcontracting';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import type { Coverage } from '../../shared/domain/reference-data';
import {
  addSums,
  contractValueSums,
  FIGURE_REGIONS,
  type FigureRegion,
  type FigureSums,
  lineIdOf,
  periodValueSums,
  planReturnWrite,
  returnSums,
  type SpendLine,
  spendOnly,
  splitAcross,
  zeroSums,
} from '../../shared/domain/subcontracting';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { disputeLine } from '../../shared/use-cases/subcontracting/disputes';
import { listSubcontractPayments } from '../../shared/use-cases/subcontracting/payments';
import {
  fileSpendReturn,
  type SpendReturnSubmission,
} from '../../shared/use-cases/subcontracting/spend-returns';
import { putSupplyChain } from '../../shared/use-cases/subcontracting/supply-chain';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import { uniqueDigits } from '../support/fixtures';
import { useTestTables } from '../support/tables';

const RULES = { promptPaymentDays: 30, defaultSubcontractingTargetPercent: 10 };
const NOW = new Date('2026-11-22T10:00:00Z');
const user = (sub: string, groups: ('commissioner' | 'admin')[] = []): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});
const commissioner = user('int-commissioner', ['commissioner']);
const admin = user('int-admin', ['admin']);

let counter = 0;
async function verifiedProvider(owner: Principal, sector: 'voluntary' | 'private', size: 'small' | 'large') {
  counter += 1;
  const provider = await registerProvider(
    repositories(),
    owner,
    {
      name: `Integration provider ${counter}`,
      legalForm: 'charitable_incorporated_organisation',
      charityNumber: uniqueDigits(7),
      sector,
      size,
      regions: ['london'],
      services: ['health'],
      contact: { name: 'A', email: 'a@example.org' },
    },
    NOW,
  );
  await verifyProvider(repositories(), admin, provider.id, NOW);
  return provider.id;
}

interface Fixture {
  contractId: string;
  owner: Principal;
  subProviderId: string;
}

/** A verified prime with a contract in the given regions, and a supply chain of four sub-contractors. */
async function contractWithChain(regions: Coverage[], valuePence = 10_000_000_00): Promise<Fixture> {
  counter += 1;
  const owner = user(`int-prime-${counter}`);
  const primeId = await verifiedProvider(owner, 'private', 'large');
  const subProviderId = await verifiedProvider(user(`int-sub-${counter}`), 'voluntary', 'small');
  const contract = await registerContract(
    repositories(),
    commissioner,
    {
      title: `Contract ${counter}`,
      primeProviderId: primeId,
      valuePence,
      startDate: '2025-01-01',
      endDate: '2027-12-31',
      regions,
      services: ['health'],
      subcontracting: { targetPercent: 12.5 },
    },
    NOW,
    RULES,
  );
  await putSupplyChain(
    repositories(),
    owner,
    contract.id,
    {
      subcontractors: [
        { ref: 'REG', providerId: subProviderId, services: [], plannedValuePence: 0 },
        {
          ref: 'PRI',
          name: 'Private Co',
          sector: 'private',
          size: 'large',
          services: [],
          plannedValuePence: 0,
        },
        {
          ref: 'MIC',
          name: 'Micro CIC',
          sector: 'voluntary',
          size: 'micro',
          services: [],
          plannedValuePence: 0,
        },
        { ref: 'PUB', name: 'Council', sector: 'public', size: 'medium', services: [], plannedValuePence: 0 },
      ],
    },
    NOW,
  );
  return { contractId: contract.id, owner, subProviderId };
}

type LineSpec = { ref: string; amount: number; day: number; wait: number };

function json(period: string, specs: LineSpec[], tag = ''): SpendReturnSubmission {
  const [year, q] = period.split('-Q').map(Number) as [number, number];
  return {
    format: 'json',
    issues: [],
    lines: specs.map((s, i) => {
      const paid = new Date(Date.UTC(year, (q - 1) * 3, 1 + s.day));
      const invoice = new Date(paid.getTime() - s.wait * 86_400_000);
      return {
        position: i,
        subcontractorRef: s.ref,
        invoiceRef: `INV-${tag}${i}`,
        invoiceDate: invoice.toISOString().slice(0, 10),
        paidDate: paid.toISOString().slice(0, 10),
        amountPence: s.amount,
      };
    }),
  };
}

const file = (f: Fixture, period: string, submission: SpendReturnSubmission) =>
  fileSpendReturn(repositories(), f.owner, f.contractId, period, submission, NOW, RULES);

/** Reads every figure item of the given contracts and regions, keyed as the recomputation keys them. */
async function storedFigures(contractIds: string[], periods: string[]): Promise<Map<string, FigureSums>> {
  const out = new Map<string, FigureSums>();
  for (const id of contractIds) {
    const items = await repositories().subcontracting.contractFigures(id);
    if (items.cumulative) out.set(`${id}#ALL`, items.cumulative);
    for (const p of items.periods) out.set(`${id}#${p.period}`, p.sums);
  }
  for (const period of [...periods, undefined]) {
    const regions = await repositories().subcontracting.regionFigures(FIGURE_REGIONS, period);
    for (const [region, sums] of regions) if (sums) out.set(`REGION#${region}#${period ?? 'ALL'}`, sums);
  }
  return out;
}

/** The same items recomputed from the contracts and the latest stored version of each of their returns. */
async function recomputed(contractIds: string[], periods: string[]): Promise<Map<string, FigureSums>> {
  const out = new Map<string, FigureSums>();
  const add = (key: string, sums: FigureSums) => out.set(key, addSums(out.get(key) ?? zeroSums(), sums));
  for (const id of contractIds) {
    const contract = await repositories().contracts.get(id);
    if (!contract) throw new Error('no contract');
    let filed = false;
    for (const period of periods) {
      const head = await repositories().subcontracting.periodHead(id, period);
      if (!head) continue;
      const version = await repositories().subcontracting.returnVersion(id, period, head.version);
      if (!version) throw new Error('no version');
      const profiles = new Map(Object.entries(version.subcontractors));
      const sums = spendOnly(returnSums(version.lines, profiles, RULES.promptPaymentDays));
      const periodSums = addSums(periodValueSums(contract, period), sums);
      out.set(`${id}#${period}`, periodSums);
      add(`${id}#ALL`, sums);
      for (const share of splitAcross(contract, periodSums))
        add(`REGION#${share.region}#${period}`, share.sums);
      for (const share of splitAcross(contract, sums)) add(`REGION#${share.region}#ALL`, share.sums);
      filed = true;
    }
    if (filed) {
      add(`${id}#ALL`, contractValueSums(contract));
      for (const share of splitAcross(contract, contractValueSums(contract)))
        add(`REGION#${share.region}#ALL`, share.sums);
    }
  }
  return out;
}

/** Drops all-zero items (a region touched only by a delta that cancelled out). */
const nonZero = (map: Map<string, FigureSums>) =>
  new Map([...map].filter(([, sums]) => Object.values(sums).some((v) => v !== 0)));

beforeAll(async () => {
  await useTestTables();
});

describe('figures maintained on write in the same transaction', () => {
  it('equal a recomputation from the stored latest versions after a random run of filings and amendments', async () => {
    const fixtures = [
      await contractWithChain(['london', 'wales', 'south_west']),
      await contractWithChain(['national']),
      await contractWithChain(['south_west']),
    ];
    const periods = ['2026-Q1', '2026-Q2', '2026-Q3'];
    const specArb = fc.record({
      ref: fc.constantFrom('REG', 'PRI', 'MIC', 'PUB'),
      amount: fc.integer({ min: 1, max: 9_999_999 }),
      day: fc.integer({ min: 0, max: 88 }),
      wait: fc.integer({ min: 0, max: 70 }),
    });
    const filings = fc.sample(
      fc.record({
        fixture: fc.constantFrom(...fixtures),
        period: fc.constantFrom(...periods),
        lines: fc.array(specArb, { maxLength: 5 }),
      }),
      { numRuns: 30, seed: 20261122 },
    );
    for (const f of filings) await file(f.fixture, f.period, json(f.period, f.lines));
    const ids = fixtures.map((f) => f.contractId);
    // Other tests in this file use other regions' items too, so compare only this run's contracts' shares:
    // recompute over these contracts, and check the regional items of regions only these contracts use.
    const stored = await storedFigures(ids, periods);
    const expected = await recomputed(ids, periods);
    for (const [key, sums] of nonZero(expected)) {
      if (key.startsWith('REGION#')) continue;
      expect(stored.get(key), key).toEqual(sums);
    }
    for (const region of ['wales', 'south_west', 'national'] as FigureRegion[]) {
      for (const period of [...periods, 'ALL']) {
        const key = `REGION#${region}#${period}`;
        expect(stored.get(key) ?? zeroSums(), key).toEqual(expected.get(key) ?? zeroSums());
      }
    }
  });
});

describe('versions', () => {
  it('keeps every version, returns the current one for the same content, and moves the sub-contractor view', async () => {
    const f = await contractWithChain(['north_east']);
    const v1 = await file(
      f,
      '2026-Q2',
      json('2026-Q2', [
        { ref: 'REG', amount: 1000, day: 3, wait: 10 },
        { ref: 'PRI', amount: 2000, day: 5, wait: 40 },
      ]),
    );
    expect(v1).toMatchObject({ created: true, spendReturn: { version: 1, totalPence: 3000 } });
    const same = await file(
      f,
      '2026-Q2',
      json('2026-Q2', [
        { ref: 'REG', amount: 1000, day: 3, wait: 10 },
        { ref: 'PRI', amount: 2000, day: 5, wait: 40 },
      ]),
    );
    expect(same).toMatchObject({ created: false, spendReturn: { version: 1 } });
    const payments = () => repositories().subcontracting.payments(f.subProviderId, { limit: 10 });
    expect((await payments()).items.map((p) => [p.version, p.amountPence])).toEqual([[1, 1000]]);

    // Version 2 pays only the unregistered sub-contractor: the registered one's view empties.
    const v2 = await file(
      f,
      '2026-Q2',
      json('2026-Q2', [{ ref: 'PRI', amount: 2500, day: 5, wait: 40 }], 'b'),
    );
    expect(v2).toMatchObject({ created: true, spendReturn: { version: 2, totalPence: 2500 } });
    expect((await payments()).items).toEqual([]);
    const v3 = await file(f, '2026-Q2', json('2026-Q2', [{ ref: 'REG', amount: 700, day: 6, wait: 1 }], 'c'));
    expect(v3.spendReturn.version).toBe(3);
    expect((await payments()).items.map((p) => [p.version, p.amountPence, p.daysToPay])).toEqual([
      [3, 700, 1],
    ]);

    const stored = await repositories().subcontracting.returnVersion(f.contractId, '2026-Q2', 1);
    expect(stored?.lines.map((l) => l.amountPence)).toEqual([1000, 2000]);
    expect(stored?.subcontractors).toMatchObject({
      REG: { providerId: f.subProviderId, sector: 'voluntary' },
    });
    const figures = await repositories().subcontracting.contractFigures(f.contractId);
    expect(figures.cumulative?.subcontractedPence).toBe(700);
    expect(figures.cumulative?.invoices).toBe(1);
  });

  it('stores nothing when any line is bad', async () => {
    const f = await contractWithChain(['east_midlands']);
    await expect(
      file(
        f,
        '2026-Q1',
        json('2026-Q1', [
          { ref: 'REG', amount: 10, day: 1, wait: 1 },
          { ref: 'NOPE', amount: 10, day: 1, wait: 1 },
        ]),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(await repositories().subcontracting.periodHead(f.contractId, '2026-Q1')).toBeUndefined();
    expect((await repositories().subcontracting.contractFigures(f.contractId)).cumulative).toBeUndefined();
  });
});

describe('concurrency', () => {
  it('lets exactly one of several filings prepared against the same version apply (the head is conditioned)', async () => {
    const f = await contractWithChain(['yorkshire_humber']);
    await file(f, '2026-Q1', json('2026-Q1', [{ ref: 'PRI', amount: 100, day: 1, wait: 1 }]));
    const repo = repositories().subcontracting;
    const contract = await repositories().contracts.get(f.contractId);
    const state = await repo.filingState(f.contractId, '2026-Q1');
    if (!contract || !state.head) throw new Error('no contract or head');
    const head = state.head;
    const profiles = new Map([['MIC', { sector: 'voluntary' as const, size: 'micro' as const }]]);
    const writes = Array.from({ length: 6 }, (_, i) => {
      const lines: SpendLine[] = [
        {
          lineId: lineIdOf('MIC', `R${i}`),
          subcontractorRef: 'MIC',
          invoiceRef: `R${i}`,
          invoiceDate: '2026-01-02',
          paidDate: '2026-01-03',
          amountPence: 1000 * (i + 1),
        },
      ];
      const sums = returnSums(lines, profiles, 30);
      return repo.fileReturn({
        contract,
        previous: head,
        contractFiled: true,
        version: {
          contractId: f.contractId,
          period: '2026-Q1',
          version: 2,
          hash: `hash-${i}`,
          lines,
          totalPence: 1000 * (i + 1),
          format: 'json',
          submittedAt: NOW.toISOString(),
          submittedBy: f.owner.kind === 'user' ? f.owner.sub : '',
          subcontractors: { MIC: { name: 'Micro CIC', sector: 'voluntary', size: 'micro' } },
        },
        plan: planReturnWrite({
          contract,
          period: '2026-Q1',
          previous: head.sums,
          contractFiled: true,
          sums,
        }),
        paid: [],
      });
    });
    const outcomes = await Promise.all(writes);
    const written = outcomes.filter((o) => o.written);
    expect(written).toHaveLength(1);
    const winner = written[0] as { head: { totalPence: number } };
    const figures = await repo.contractFigures(f.contractId);
    expect(figures.cumulative?.subcontractedPence).toBe(winner.head.totalPence);
    expect(figures.cumulative?.invoices).toBe(1);
    const region = (await repo.regionFigures(['yorkshire_humber'], '2026-Q1')).get('yorkshire_humber');
    expect(region?.subcontractedPence).toBe(winner.head.totalPence);
  });

  it('answers simultaneous amendments through the use case with new versions or 409s, never a double count', async () => {
    const f = await contractWithChain(['yorkshire_humber']);
    await file(f, '2026-Q2', json('2026-Q2', [{ ref: 'PRI', amount: 100, day: 1, wait: 1 }]));
    const bodies = Array.from({ length: 6 }, (_, i) =>
      json('2026-Q2', [{ ref: 'MIC', amount: 1000 * (i + 1), day: 2, wait: 2 }], `r${i}`),
    );
    const outcomes = await Promise.allSettled(bodies.map((b) => file(f, '2026-Q2', b)));
    const won = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const lost = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []));
    expect(won.length).toBeGreaterThanOrEqual(1);
    for (const reason of lost) expect(reason).toBeInstanceOf(ConflictError);
    // Each winner applied against a different previous version.
    const versions = won.map((o) => o.spendReturn.version).sort();
    expect(versions).toEqual(Array.from({ length: won.length }, (_, i) => i + 2));
    const last = won.find((o) => o.spendReturn.version === versions[versions.length - 1]);
    const head = await repositories().subcontracting.periodHead(f.contractId, '2026-Q2');
    expect(head?.version).toBe(1 + won.length);
    const figures = await repositories().subcontracting.contractFigures(f.contractId);
    expect(figures.periods.find((p) => p.period === '2026-Q2')?.sums.subcontractedPence).toBe(
      last?.spendReturn.totalPence,
    );
    expect(figures.cumulative?.invoices).toBe(1); // only the latest version's one line
  });

  it('files simultaneous identical bodies once; the others find it current', async () => {
    const f = await contractWithChain(['west_midlands']);
    const body = json('2026-Q3', [{ ref: 'REG', amount: 4242, day: 4, wait: 4 }]);
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => file(f, '2026-Q3', body)));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(outcomes.map((o) => o.spendReturn.version)).toEqual([1, 1, 1, 1, 1]);
    const figures = await repositories().subcontracting.contractFigures(f.contractId);
    expect(figures.cumulative?.subcontractedPence).toBe(4242);
  });

  it("counts a contract's value once when its first returns for several periods race", async () => {
    const f = await contractWithChain(['east_of_england'], 1_000_000);
    const periods = ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4', '2026-Q1'];
    await Promise.all(periods.map((p) => file(f, p, json(p, [{ ref: 'PRI', amount: 10, day: 1, wait: 0 }]))));
    const figures = await repositories().subcontracting.contractFigures(f.contractId);
    expect(figures.cumulative?.contractValuePence).toBe(1_000_000);
    expect(figures.cumulative?.subcontractedPence).toBe(50);
    expect(figures.periods).toHaveLength(5);
    const region = (await repositories().subcontracting.regionFigures(['east_of_england'], undefined)).get(
      'east_of_england',
    );
    expect(region?.contractValuePence).toBe(1_000_000);
  });

  it('keeps shared regional items exact when many primes file at quarter end', async () => {
    const fixtures = await Promise.all(
      Array.from({ length: 6 }, () => contractWithChain(['north_west', 'south_east'], 400_000)),
    );
    await Promise.all(
      fixtures.map((f, i) =>
        file(f, '2026-Q2', json('2026-Q2', [{ ref: 'MIC', amount: 1000 + i, day: 1, wait: 1 }])),
      ),
    );
    const regions = await repositories().subcontracting.regionFigures(
      ['north_west', 'south_east'],
      '2026-Q2',
    );
    const both = (field: keyof FigureSums) =>
      (regions.get('north_west')?.[field] ?? 0) + (regions.get('south_east')?.[field] ?? 0);
    expect(both('subcontractedPence')).toBe(6 * 1000 + 15);
    expect(both('invoices')).toBe(6);
    expect(both('contractValuePence')).toBe(
      6 *
        periodValueSums(
          {
            valuePence: 400_000,
            startDate: '2025-01-01',
            endDate: '2027-12-31',
            subcontracting: { targetPercent: 12.5 },
          },
          '2026-Q2',
        ).contractValuePence,
    );
  });
});

describe('storage of large returns', () => {
  const specs = (n: number, width: 'typical' | 'widest'): SpendLine[] =>
    Array.from({ length: n }, (_, i) => {
      const invoiceRef =
        width === 'widest' ? `INV-${String(i).padStart(60, '0')}` : `INV-2026-${String(i).padStart(5, '0')}`;
      const subcontractorRef = width === 'widest' ? `SUB-${'X'.repeat(36)}` : `SC-${i % 40}`;
      return {
        lineId: lineIdOf(subcontractorRef, invoiceRef),
        subcontractorRef,
        invoiceRef,
        invoiceDate: '2026-04-01',
        paidDate: '2026-06-30',
        amountPence: 99_999_999_99 - i,
      };
    });

  it('encodes a 5,000-line return compactly: one item when typical, three at the widest refs', () => {
    const typical = encodeChunks(specs(5000, 'typical'));
    const widest = encodeChunks(specs(5000, 'widest'));
    const bytes = (chunks: string[]) => chunks.reduce((s, c) => s + Buffer.byteLength(c), 0);
    // Measured: 268,749 bytes typical (1 chunk); 694,997 bytes with 40-character sub-contractor refs and
    // 64-character invoice refs (3 chunks of at most 300 KB), all in the one transaction.
    expect(typical).toHaveLength(1);
    expect(bytes(typical)).toBeLessThan(300_000);
    expect(widest).toHaveLength(3);
    expect(decodeChunks(widest)).toEqual(specs(5000, 'widest'));
  });

  it('files and reads back a 5,000-line CSV return paying a registered sub-contractor, in one transaction', async () => {
    const f = await contractWithChain(['east_midlands']);
    const rows = Array.from(
      { length: 5000 },
      (_, i) =>
        `${i % 2 === 0 ? 'REG' : `SUB-${'X'.repeat(36)}`},INV-${String(i).padStart(60, '0')},2026-04-01,2026-06-30,1.${String(i % 100).padStart(2, '0')}`,
    );
    await putSupplyChain(
      repositories(),
      f.owner,
      f.contractId,
      {
        subcontractors: [
          { ref: 'REG', providerId: f.subProviderId, services: [], plannedValuePence: 0 },
          {
            ref: `SUB-${'X'.repeat(36)}`,
            name: 'Wide',
            sector: 'private',
            size: 'small',
            services: [],
            plannedValuePence: 0,
          },
        ],
      },
      NOW,
    );
    const text = ['subcontractor_ref,invoice_ref,invoice_date,paid_date,amount', ...rows].join('\n');
    const filed = await file(f, '2026-Q2', { format: 'csv', text });
    expect(filed.spendReturn).toMatchObject({ version: 1, lineCount: 5000 });
    const back = await repositories().subcontracting.returnVersion(f.contractId, '2026-Q2', 1);
    expect(back?.lines).toHaveLength(5000);
    expect(back?.totalPence).toBe(filed.spendReturn.totalPence);
    const head = await repositories().subcontracting.periodHead(f.contractId, '2026-Q2');
    expect(head?.chunks).toBe(2);
    expect(head?.paidProviders).toEqual({ [f.subProviderId]: 1 });
  });
});

describe('disputes', () => {
  it('stores exactly one of several simultaneous disputes of one line; the others get a conflict', async () => {
    const f = await contractWithChain(['london']);
    const filed = await file(
      f,
      '2026-Q1',
      json(
        '2026-Q1',
        [
          { ref: 'REG', amount: 1000, day: 3, wait: 2 },
          { ref: 'REG', amount: 2000, day: 4, wait: 2 },
        ],
        'dispute-',
      ),
    );
    const [first, second] = filed.spendReturn.lines as [SpendLine, SpendLine];
    const members = await repositories().memberships.listForProvider(f.subProviderId);
    const subOwner = user(members.find((m) => m.role === 'owner')?.sub ?? '');
    const target = { contractId: f.contractId, period: '2026-Q1', lineId: first.lineId };

    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => disputeLine(repositories(), subOwner, target, `Reason ${i}`, NOW)),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r.reason).toBeInstanceOf(ConflictError);
    expect(await repositories().subcontracting.disputesOfPeriod(f.contractId, '2026-Q1')).toHaveLength(1);
    expect((await repositories().subcontracting.contractFigures(f.contractId)).disputes).toBe(1);

    // Later, one at a time: refused too, with the reason in words.
    await expect(disputeLine(repositories(), subOwner, target, 'Again', NOW)).rejects.toThrow(
      /already disputed/,
    );
    // Another line of the same return is still disputable, and the payments view marks both.
    await disputeLine(repositories(), subOwner, { ...target, lineId: second.lineId }, 'Other', NOW);
    const payments = await listSubcontractPayments(repositories(), subOwner, f.subProviderId, { limit: 10 });
    expect(payments.items.map((p) => p.dispute !== null)).toEqual([true, true]);
  });
});
