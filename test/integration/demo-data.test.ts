/**
 * The demo data loads through the use cases and shows up where a newcomer looks for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_COMMISSIONER,
  DEMO_PANEL,
  EVALUATION_TITLE,
  seedCompetitions,
} from '../../local/demo/competitions';
import { DEMO_OWNER, demoProviders, seedProviders } from '../../local/demo/providers';
import type { StreamReader } from '../../local/streams';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import { effectiveStatus } from '../../shared/domain/competitions';
import type { Principal } from '../../shared/domain/principal';
import { providerRuleIssues } from '../../shared/domain/providers';
import { getWall } from '../../shared/use-cases/competitions/wall-management';
import { listNotifications } from '../../shared/use-cases/list-notifications';
import { listBids, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import { startTestSequencer } from '../support/audit';
import { useTestTables } from '../support/tables';

// The audit trail is chained from the audit table's stream, as `npm start` does: drained before checks.
let sequencer: StreamReader;

beforeAll(async () => {
  await useTestTables();
  sequencer = await startTestSequencer();
});

afterAll(async () => {
  await sequencer.stop();
});

const lead: Principal = { kind: 'user', sub: DEMO_COMMISSIONER, email: undefined, groups: ['commissioner'] };

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
  }, 120_000);

  it('competitions load after the providers: two open opportunities with applications and a draft bid', async () => {
    const summary = await seedCompetitions(repositories(), config().rules);
    expect(summary).toContain(DEMO_COMMISSIONER);
    expect(summary).toMatch(/one past its tender deadline with [2-9] submitted bids/);
    const open = await repositories().competitions.opportunities({ now: new Date(), limit: 100 });
    expect(open.items.map((o) => o.prequalificationTier).sort()).toEqual(['full', 'none']);
    const prequal = open.items.find((o) => o.prequalificationTier !== 'none');
    await sequencer.drain();
    const audit = await repositories().audit.verify(prequal?.id ?? '');
    expect(audit.valid).toBe(true);
    expect(audit.events).toBeGreaterThan(3);
  }, 120_000);

  it('tell the demo owner of new matching opportunities, as the README says', async () => {
    const owner: Principal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
    const inbox = await listNotifications(repositories(), owner, { limit: 25 });
    const opportunities = inbox.items.filter((n) => n.type === 'opportunity');
    expect(opportunities.map((n) => n.title)).toEqual(
      expect.arrayContaining([
        'New opportunity: Accommodation support for prison leavers, North West',
        'New opportunity: Restorative justice conferencing, London',
        `New opportunity: ${EVALUATION_TITLE}`,
      ]),
    );
    expect(inbox.items.some((n) => n.type !== 'opportunity')).toBe(true); // "verified"
  });

  it('leave one competition past its tender deadline, with submitted bids and a declared panel that can score now', async () => {
    const owner: Principal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
    const inbox = await listNotifications(repositories(), owner, { limit: 25 });
    // Found as the README's tour finds it: the link of the demo owner's notification.
    const link = inbox.items.find((n) => n.title.includes(EVALUATION_TITLE))?.link ?? '';
    const id = link.split('/').pop() ?? '';
    const now = new Date();
    const competition = await repositories().competitions.get(id);
    expect(competition && effectiveStatus(competition, now)).toBe('evaluation');
    expect(Date.parse(competition?.tenderDeadline ?? '')).toBeLessThan(now.getTime());

    const evaluator: Principal = {
      kind: 'user',
      sub: DEMO_PANEL.evaluators[0],
      email: undefined,
      groups: ['commissioner'],
    };
    const deps = repositories();
    const bids = await listBids(deps, evaluator, id, now);
    const submitted = bids.items.filter((b) => b.status === 'submitted');
    expect(submitted.length).toBeGreaterThanOrEqual(2);
    // Declared: every panel member and the lead are inside the wall, so the first evaluator scores at once.
    const wall = await getWall(repositories(), lead, id, now);
    expect(wall.pending).toEqual([]);
    expect(wall.declarations.map((d) => d.sub).sort()).toEqual(
      [DEMO_COMMISSIONER, ...DEMO_PANEL.evaluators, DEMO_PANEL.moderator].sort(),
    );
    const scored = await scoreBid(
      deps,
      evaluator,
      id,
      submitted[0]?.bidId ?? '',
      [
        { criterionId: 'delivery', score: 4, justification: 'A caseworker for every family.' },
        { criterionId: 'partnership', score: 3, justification: 'Local partners named.' },
        { criterionId: 'social-value', score: 3, justification: 'Volunteering places.' },
      ],
      now,
    );
    expect(scored.evaluator).toBe(DEMO_PANEL.evaluators[0]);
    await sequencer.drain();
    expect((await repositories().audit.verify(id)).valid).toBe(true);
  });
});
