/**
 * The demo data loads through the use cases and shows up where a newcomer looks for it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_COMMISSIONER, seedCompetitions } from '../../local/demo/competitions';
import { DEMO_OWNER, demoProviders, seedProviders } from '../../local/demo/providers';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import { providerRuleIssues } from '../../shared/domain/providers';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

describe('demo providers', () => {
  it('are the same every time, valid, and varied across sectors, sizes and coverage', () => {
    const providers = demoProviders(300);
    expect(providers).toEqual(demoProviders(300));
    expect(providers).toHaveLength(300);
    for (const details of providers) expect(providerRuleIssues(details)).toEqual([]);
    expect(new Set(providers.map((p) => p.name)).size).toBe(300);
    expect(new Set(providers.map((p) => p.sector))).toEqual(new Set(['voluntary', 'private', 'public']));
    expect(new Set(providers.map((p) => p.size))).toEqual(new Set(['micro', 'small', 'medium', 'large']));
    expect(providers.some((p) => p.regions.includes('national'))).toBe(true);
  });

  it('load into an empty registry: verified ones in the directory, the demo owner with an organisation', async () => {
    const summary = await seedProviders(repositories(), 30);
    expect(summary).toMatch(/^30 providers \(28 verified, 2 pending\)/);
    const page = await repositories().providers.directory({ limit: 100 });
    expect(page.items).toHaveLength(28);
    const memberships = await repositories().memberships.listForUser(DEMO_OWNER);
    expect(memberships).toHaveLength(1);
    const accreditation = await repositories().accreditations.get(memberships[0]?.providerId ?? '');
    expect(accreditation?.financial.annualTurnoverPence).toBeGreaterThan(0);
  });

  it('competitions load after the providers: two open opportunities with applications and a draft bid', async () => {
    const summary = await seedCompetitions(repositories(), config().rules);
    expect(summary).toContain(DEMO_COMMISSIONER);
    const open = await repositories().competitions.opportunities({ now: new Date(), limit: 100 });
    expect(open.items.map((o) => o.prequalificationTier).sort()).toEqual(['full', 'none']);
    const prequal = open.items.find((o) => o.prequalificationTier !== 'none');
    const audit = await repositories().audit.verify(prequal?.id ?? '');
    expect(audit.valid).toBe(true);
    expect(audit.events).toBeGreaterThan(3);
  });
});
