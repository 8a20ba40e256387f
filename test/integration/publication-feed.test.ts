/**
 * The OCDS feed's order and cursor (issue 16), over DynamoDB Local, through the publication function: a
 * reader paging while many competitions are published at once sees every release exactly once, in
 * publication order; `updatedFrom`/`updatedTo` select by release date; a cursor belongs to its filters;
 * bad input is a 400 and an unknown ocid a 404, as problem+json.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { Release } from '../../shared/domain/publication/ocds';
import { ocidOf } from '../../shared/domain/publication/releases';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { competitionBody } from '../support/competitions';
import { releasePackageErrors } from '../support/ocds';
import { getRecord, getReleases, readWholeFeed } from '../support/publication';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';

const HOUR = 3_600_000;

/** Creates a draft whose deadlines are well after `at`. */
async function draft(title: string, at: Date): Promise<string> {
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title,
      prequalificationDeadline: new Date(at.getTime() + 24 * HOUR).toISOString(),
      tenderDeadline: new Date(at.getTime() + 48 * HOUR).toISOString(),
    }) as never,
    at,
    config().rules,
  );
  return created.id;
}

/** The publication number of a release (its id is `<ocid>-<number>`). */
const numberOf = (release: Release) => Number(release.id.slice(release.ocid.length + 1));

beforeAll(async () => {
  await useTestTables();
});

describe('the release feed', () => {
  it('pages every release exactly once, in publication order, while competitions are published at once', async () => {
    const COUNT = 24;
    const ids = await Promise.all(
      Array.from({ length: COUNT }, (_, i) => draft(`Concurrent ${i}`, new Date())),
    );
    const seen: Release[] = [];
    let cursor: string | undefined;
    let publishing = true;
    const reader = (async () => {
      // Small pages, read as fast as they come, until the publishers are done and the feed is drained.
      for (let reads = 0; reads < 2_000; reads += 1) {
        const page = await getReleases({ limit: '5', ...(cursor ? { cursor } : {}) });
        expect(page.status, page.text).toBe(200);
        if (page.body.releases.length > 0) expect(releasePackageErrors(page.body)).toEqual([]);
        seen.push(...page.body.releases);
        cursor = page.body.nextCursor ?? undefined;
        if (!publishing && page.body.releases.length === 0) return;
      }
      throw new Error('The reader never drained the feed');
    })();
    await Promise.all(
      ids.map((id) => publishCompetition(repositories(), LEAD, id, new Date(), config().rules)),
    );
    publishing = false;
    await reader;

    // Exactly once each, numbered 1..COUNT in order, dates never going back.
    expect(seen.map(numberOf)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(new Set(seen.map((r) => r.ocid))).toEqual(
      new Set(ids.map((id) => ocidOf(config().publication, id))),
    );
    for (let i = 1; i < seen.length; i += 1)
      expect((seen[i] as Release).date >= (seen[i - 1] as Release).date).toBe(true);
    expect(seen.every((r) => r.tag.join() === 'tender')).toBe(true);
    // The same as a reader who came afterwards.
    expect((await readWholeFeed()).releases).toEqual(seen);
  }, 120_000);

  it('selects by release date with updatedFrom and updatedTo, inclusive', async () => {
    const base = Date.now() + 10 * 24 * HOUR;
    const stamps = [1, 2, 3, 4].map((h) => new Date(base + h * HOUR));
    const published: string[] = [];
    for (const [i, at] of stamps.entries()) {
      const id = await draft(`Dated ${i}`, at);
      await publishCompetition(repositories(), LEAD, id, at, config().rules);
      published.push(ocidOf(config().publication, id));
    }
    const range = await readWholeFeed({
      updatedFrom: (stamps[1] as Date).toISOString(),
      updatedTo: (stamps[2] as Date).toISOString(),
    });
    expect(range.releases.map((r) => r.ocid)).toEqual(published.slice(1, 3));
    expect(range.releases.map((r) => r.date)).toEqual(stamps.slice(1, 3).map((d) => d.toISOString()));
    const from = await readWholeFeed({ updatedFrom: (stamps[2] as Date).toISOString() }, 1);
    expect(from.releases.map((r) => r.ocid)).toEqual(published.slice(2));
    expect(from.pages).toHaveLength(2);
    // Offsets are instants too.
    const offset = new Date((stamps[3] as Date).getTime() + HOUR).toISOString().replace('Z', '+01:00');
    expect((await readWholeFeed({ updatedFrom: offset })).releases.map((r) => r.ocid)).toEqual(
      published.slice(3),
    );
  });

  it('keeps the cursor of an empty page, to poll from later', async () => {
    const first = await getReleases({ limit: '100' });
    let cursor = first.body.nextCursor as string;
    for (;;) {
      const next = await getReleases({ limit: '100', cursor });
      if (next.body.releases.length === 0) {
        expect(next.body.nextCursor).toBe(cursor);
        break;
      }
      cursor = next.body.nextCursor as string;
    }
    const id = await draft('Later', new Date(Date.now() + 20 * 24 * HOUR));
    await publishCompetition(repositories(), LEAD, id, new Date(Date.now() + 20 * 24 * HOUR), config().rules);
    const later = await getReleases({ cursor });
    expect(later.body.releases.map((r) => r.ocid)).toEqual([ocidOf(config().publication, id)]);
  });

  it('refuses a cursor taken with other filters, a range the wrong way round and an oversized page', async () => {
    const page = await getReleases({ limit: '1' });
    const cursor = page.body.nextCursor as string;
    const other = await getReleases({ cursor, updatedFrom: '2020-01-01T00:00:00Z' });
    expect(other.status).toBe(400);
    expect(other.text).toContain('query.cursor');
    const backwards = await getReleases({
      updatedFrom: '2030-01-02T00:00:00Z',
      updatedTo: '2030-01-01T00:00:00Z',
    });
    expect(backwards.status).toBe(400);
    expect((await getReleases({ limit: '101' })).status).toBe(400);
    expect((await getReleases({ updatedFrom: 'yesterday' })).status).toBe(400);
    expect((await getReleases({ cursor: 'forged' })).status).toBe(400);
  });
});

describe('records', () => {
  it('answers 404 problem+json for an ocid nothing was published under, and 400 for one that cannot be', async () => {
    const unknown = await getRecord(ocidOf(config().publication, '01JD0000000000000000000099'));
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ type: '/problems/not-found', status: 404 });
    expect((await getRecord('not an ocid')).status).toBe(400);
  });
});
