/**
 * The demo sub-contracting data loads through the use cases after the demo providers, and shows a newcomer
 * figures as `demo-owner`: returns over four quarters, late payments, an amendment, a CSV upload, a dispute.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OWNER, DEMO_SUBCONTRACTOR, seedProviders } from '../../local/demo/providers';
import { seedSubcontracting } from '../../local/demo/subcontracting';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { completeQuarters } from '../../shared/domain/return-periods';
import { getMe } from '../../shared/use-cases/get-me';
import { listDisputes } from '../../shared/use-cases/subcontracting/disputes';
import { getContractFigures } from '../../shared/use-cases/subcontracting/figures';
import { listSubcontractPayments } from '../../shared/use-cases/subcontracting/payments';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

describe('demo sub-contracting', () => {
  it('names the last four complete quarters', () => {
    expect(completeQuarters(new Date('2026-11-22T00:00:00Z'), 4)).toEqual([
      '2025-Q4',
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
    ]);
    expect(completeQuarters(new Date('2027-01-01T00:00:00Z'), 2)).toEqual(['2026-Q3', '2026-Q4']);
  });

  it('loads contracts with returns, late payments, an amendment and a dispute the demo owner can see', async () => {
    await seedProviders(repositories(), 60);
    const summary = await seedSubcontracting(repositories(), config().rules);
    expect(summary).toMatch(
      /^3 contracts, 12 returns over .* 1 dispute by "demo-subcontractor"; "demo-owner" is prime of/,
    );
    const org = (await repositories().memberships.listForUser(DEMO_OWNER))[0]?.providerId ?? '';
    const contracts = await repositories().contracts.listForPrime(org, { limit: 10 });
    expect(contracts.items).toHaveLength(1);
    const owner: Principal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
    const contractId = contracts.items[0]?.id ?? '';
    const figures = await getContractFigures(repositories(), owner, contractId, config().rules);
    expect(figures.returns).toBe(4);
    expect(figures.disputes).toBe(1);
    expect(figures.subcontractedPence).toBeGreaterThan(0);
    expect(figures.promptPayment.paidWithin30DaysPercent).toBeLessThan(100);
    expect(figures.periods.map((p) => p.version)).toEqual([1, 1, 2, 1]);
    const report = await repositories().subcontracting.regionFigures(['national'], undefined);
    expect(report.get('national')?.subcontractedPence).toBeGreaterThan(0);
    // Seeding 60 providers and 12 returns: minutes on a busy shared machine, seconds on a quiet one.
  }, 180_000);

  it('names a sub-contractor user who sees the payments reported to it and the dispute it raised', async () => {
    const sub: Principal = { kind: 'user', sub: DEMO_SUBCONTRACTOR, email: undefined, groups: [] };
    const me = await getMe(repositories(), sub);
    expect(me.organisations).toHaveLength(1);
    const providerId = me.organisations[0]?.id ?? '';
    const payments = await listSubcontractPayments(repositories(), sub, providerId, { limit: 100 });
    expect(payments.items.length).toBeGreaterThan(0);
    expect(payments.items.every((p) => p.subcontractorRef === 'SUB-01')).toBe(true);
    const disputed = payments.items.filter((p) => p.dispute !== null);
    expect(disputed).toHaveLength(1);
    const owner: Principal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
    const disputes = await listDisputes(repositories(), owner, disputed[0]?.contractId ?? '', { limit: 10 });
    expect(disputes.items.map((d) => [d.raisedBy, d.lineId])).toEqual([
      [DEMO_SUBCONTRACTOR, disputed[0]?.lineId],
    ]);
  });
});
