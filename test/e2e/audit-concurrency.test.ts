/**
 * The audit chain is not the competition's bottleneck (issue 12, item 9): a deadline rush of 50 bidders
 * saving and submitting at the same moment, with outsiders' refused reads in between, through the HTTP API
 * on the local stack. Every write is accepted, each has exactly one audit event, every refusal is a refusal
 * of access (never "the audit log is busy"), and once the sequencer has caught up the chain verifies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repositories } from '../../shared/db/repositories';
import { SEALED } from '../../shared/domain/audit-redaction';
import { startTestApi, type TestApi } from '../support/api';
import { openCompetition, verifiedProvider } from '../support/scenario';

const BIDDERS = 50;
const OUTSIDERS = 25;
let api: TestApi;
let competitionId: string;
const providerOf = new Map<string, string>();

beforeAll(async () => {
  api = await startTestApi();
  for (let i = 0; i < BIDDERS; i += 1) {
    const owner = `rush-owner-${i}`;
    providerOf.set(
      owner,
      await verifiedProvider(owner, `Rush bidder ${i}`, {
        region: 'wales',
        service: 'education_training_employment',
      }),
    );
  }
  // Tier none: any verified provider may bid, no pre-qualification first.
  competitionId = await openCompetition({
    title: 'Education, Wales',
    region: 'wales',
    service: 'education_training_employment',
  });
}, 120_000);

afterAll(async () => {
  await api?.stop();
});

async function as(sub: string, groups: string[], method: string, path: string, body?: unknown) {
  return api.call(method, path, {
    token: await api.token(sub, groups),
    ...(body !== undefined ? { body } : {}),
  });
}

describe('a deadline rush', () => {
  it('accepts 50 simultaneous bid saves and submissions beside refused outside reads, one audit event each', async () => {
    const owners = [...providerOf.keys()];
    const bid = async (owner: string, i: number) => {
      const saved = await as(owner, [], 'PUT', `/competitions/${competitionId}/bid`, {
        pricePence: 40_000_00 + i,
        qualityResponses: { quality: `Our plan, version ${i}` },
      });
      const submitted = await as(owner, [], 'POST', `/competitions/${competitionId}/bid/submit`);
      return [saved, submitted];
    };
    const outsider = (k: number) =>
      as(`curious-${k}`, ['commissioner'], 'GET', `/competitions/${competitionId}/bids`).then((r) => [r]);
    const answers = (
      await Promise.all([...owners.map(bid), ...Array.from({ length: OUTSIDERS }, (_, k) => outsider(k))])
    ).flat();

    const statuses = answers.map((a) => a.status);
    // Not one 409 ("The audit log is busy"), nor any 5xx: writes succeed, outside reads are refused.
    expect(statuses.filter((s) => s === 409 || s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(2 * BIDDERS);
    expect(statuses.filter((s) => s === 403)).toHaveLength(OUTSIDERS);

    await api.drainAudit();
    const auditor = await api.token('rush-auditor', ['auditor']);
    const events: { action: string; actor: string; outcome: string; chained: boolean; seq?: number }[] = [];
    let cursor: string | null = null;
    do {
      const page = await api.call(
        'GET',
        `/competitions/${competitionId}/audit?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        { token: auditor },
      );
      expect(page.status).toBe(200);
      const body = page.body as { items: typeof events; nextCursor: string | null };
      events.push(...body.items);
      cursor = body.nextCursor;
    } while (cursor);

    expect(events.every((e) => e.chained)).toBe(true);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // While bids are sealed the auditor's view hides who bid (issue 12, item 4); the stored events name them.
    expect(events.filter((e) => e.action.startsWith('bid.')).every((e) => e.actor === SEALED)).toBe(true);
    const stored = (await repositories().audit.page(competitionId, 1000, undefined)).items;
    expect(stored).toHaveLength(events.length);
    for (const owner of owners) {
      const own = stored.filter((e) => e.actor === owner).map((e) => `${e.action}:${e.outcome}`);
      expect(own.sort(), owner).toEqual(['bid.draft:allowed', 'bid.submit:allowed']);
    }
    expect(events.filter((e) => e.action === 'bids.read' && e.outcome === 'denied')).toHaveLength(OUTSIDERS);

    const verify = await api.call('GET', `/competitions/${competitionId}/audit/verify`, { token: auditor });
    expect(verify.body).toEqual({
      valid: true,
      events: events.length,
      chained: events.length,
      pending: 0,
      complete: true,
    });
  }, 120_000);
});
