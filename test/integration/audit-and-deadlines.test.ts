/**
 * Against DynamoDB Local: concurrent audit appends are all accepted and chained into one chain; opportunities drop out when they
 * close without any write; a response racing the deadline never lands late.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamReader } from '../../local/streams';
import { config } from '../../shared/config';
import { createAuditRepository } from '../../shared/db/audit';
import { documentClient } from '../../shared/db/client';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { DeadlinePassedError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/principal';
import { putAccreditation } from '../../shared/use-cases/accreditation';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { verifyProvider } from '../../shared/use-cases/verify-provider';
import { startTestSequencer } from '../support/audit';
import { useTestTables } from '../support/tables';

const lead: Principal = { kind: 'user', sub: 'lead', email: undefined, groups: ['commissioner'] };
const admin: Principal = { kind: 'user', sub: 'admin', email: undefined, groups: ['admin'] };
const rules = config().rules;

const body = (seconds: { prequal: number; tender: number }, overrides: Record<string, unknown> = {}) => ({
  title: 'Drug and alcohol recovery, Wales',
  description: 'Recovery support.',
  services: ['drugs_alcohol' as const],
  regions: ['wales' as const],
  estimatedValuePence: 300_000_00,
  termMonths: 24,
  risk: 'medium' as const,
  prequalificationDeadline: new Date(Date.now() + seconds.prequal * 1000).toISOString(),
  tenderDeadline: new Date(Date.now() + seconds.tender * 1000).toISOString(),
  criteria: [
    { id: 'quality', name: 'Quality', kind: 'quality' as const, weight: 70 },
    { id: 'price', name: 'Price', kind: 'price' as const, weight: 30 },
  ],
  ...overrides,
});

let sequencer: StreamReader;

beforeAll(async () => {
  await useTestTables();
  sequencer = await startTestSequencer();
});

afterAll(async () => {
  await sequencer.stop();
});

describe('audit chain under concurrency', () => {
  it('refuses none of 25 simultaneous appends, and chains them into one unbroken chain', async () => {
    const audit = createAuditRepository({ client: documentClient(), tableName: config().tables.audit });
    const results = await Promise.allSettled(
      Array.from({ length: 25 }, (_, i) =>
        audit.append('RACE', {
          at: new Date().toISOString(),
          actor: `u${i}`,
          action: 'test',
          resource: 'r',
          outcome: 'allowed',
        }),
      ),
    );
    // Before, writers raced for the chain's head and some were refused ("The audit log is busy").
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    await sequencer.drain();
    const page = await audit.page('RACE', 100, undefined);
    expect(page.items.map((e) => ('seq' in e ? e.seq : undefined))).toEqual(
      Array.from({ length: 25 }, (_, i) => i + 1),
    );
    expect(await audit.verify('RACE')).toEqual({
      valid: true,
      events: 25,
      chained: 25,
      pending: 0,
      complete: true,
    });
  });
});

describe('deadlines without a scheduler', () => {
  it('drops a closed opportunity from the list with no write at all', async () => {
    const created = await createCompetition(
      repositories(),
      lead,
      body({ prequal: 2, tender: 3600 }),
      new Date(),
      rules,
    );
    await publishCompetition(repositories(), lead, created.id, new Date(), rules);
    const open = await repositories().competitions.opportunities({
      region: 'wales',
      service: 'drugs_alcohol',
      now: new Date(),
      limit: 100,
    });
    expect(open.items.map((o) => o.id)).toContain(created.id);
    const later = new Date(Date.now() + 3000);
    const closed = await repositories().competitions.opportunities({
      region: 'wales',
      service: 'drugs_alcohol',
      now: later,
      limit: 100,
    });
    expect(closed.items.map((o) => o.id)).not.toContain(created.id);
  });

  it('never stores a response that races the deadline', async () => {
    const owners: Principal[] = [];
    for (let i = 0; i < 8; i += 1) {
      const owner: Principal = { kind: 'user', sub: `racer-owner-${i}`, email: undefined, groups: [] };
      const provider = await registerProvider(
        repositories(),
        owner,
        {
          name: `Racer ${i}`,
          legalForm: 'unincorporated_association',
          sector: 'voluntary',
          size: 'small',
          regions: ['wales'],
          services: ['drugs_alcohol'],
          contact: { name: 'R', email: 'r@example.org' },
        },
        new Date(),
      );
      await verifyProvider(repositories(), admin, provider.id, new Date());
      await putAccreditation(
        repositories(),
        owner,
        provider.id,
        {
          exclusionGrounds: { mandatory: [], discretionary: [] },
          financial: {
            annualTurnoverPence: 900_000_00,
            accountsYearEnd: `${new Date().getUTCFullYear() - 1}-03-31`,
          },
          insurance: { employersLiabilityPence: 1, publicLiabilityPence: 1 },
          policies: { equality: true, safeguarding: true, healthAndSafety: true },
        },
        new Date(),
        12,
      );
      owners.push(owner);
    }
    const created = await createCompetition(
      repositories(),
      lead,
      body({ prequal: 1.5, tender: 3600 }),
      new Date(),
      rules,
    );
    await publishCompetition(repositories(), lead, created.id, new Date(), rules);
    const deadline = Date.parse(created.prequalificationDeadline ?? '');
    // Fire submissions spread across the deadline; each is judged at the moment it is made.
    const attempts = owners.map(async (owner, i) => {
      await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now() - 200 + i * 60)));
      const at = new Date();
      try {
        await submitResponse(
          withSharedProviderData(repositories()),
          owner,
          created.id,
          { answers: { 'technical.relevant-experience': 'x' } },
          at,
        );
        return { at, stored: true };
      } catch (error) {
        expect(error).toBeInstanceOf(DeadlinePassedError);
        return { at, stored: false };
      }
    });
    const outcomes = await Promise.all(attempts);
    for (const outcome of outcomes) {
      if (outcome.stored) expect(outcome.at.getTime()).toBeLessThan(deadline);
    }
    expect(outcomes.some((o) => !o.stored)).toBe(true);
    const { responses } = await repositories().prequalification.list(created.id);
    expect(responses.length).toBe(outcomes.filter((o) => o.stored).length);
    for (const response of responses) expect(Date.parse(response.submittedAt)).toBeLessThan(deadline);
  });

  it('stores deadlines given with an offset in UTC, so the deadline conditions compare like with like', async () => {
    const created = await createCompetition(
      repositories(),
      lead,
      body(
        { prequal: 3600, tender: 7200 },
        {
          prequalificationDeadline: '2031-06-01T12:00:00+01:00',
          tenderDeadline: '2031-07-01T09:30:00-04:00',
        },
      ),
      new Date(),
      rules,
    );
    const stored = await repositories().competitions.get(created.id);
    expect(stored?.prequalificationDeadline).toBe('2031-06-01T11:00:00.000Z');
    expect(stored?.tenderDeadline).toBe('2031-07-01T13:30:00.000Z');
  });
});
