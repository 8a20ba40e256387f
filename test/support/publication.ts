/**
 * Reading the OCDS feed as a client does (issue 16): through the publication function's handler, with API
 * Gateway v2 events, so the route's validation, the use case and the repository are all exercised.
 */
import { expect } from 'vitest';
import { handler } from '../../functions/publication/index';
import type { RecordPackage, ReleasePackage } from '../../shared/domain/publication/packages';
import { httpEvent, lambdaContext } from './events';
import { releaseErrors, releasePackageErrors } from './ocds';

/** One answer of the publication function. */
export interface Answer<T> {
  status: number;
  body: T;
  text: string;
}

/** `GET /ocds/releases` with a query. */
export async function getReleases(query: Record<string, string> = {}): Promise<Answer<ReleasePackage>> {
  const result = await handler(
    httpEvent({ routeKey: 'GET /ocds/releases', path: '/ocds/releases', query }),
    lambdaContext(),
  );
  const text = String(result.body ?? '');
  return { status: result.statusCode ?? 200, body: JSON.parse(text) as ReleasePackage, text };
}

/** `GET /ocds/records/{ocid}`. */
export async function getRecord(ocid: string): Promise<Answer<RecordPackage>> {
  const result = await handler(
    httpEvent({
      routeKey: 'GET /ocds/records/{ocid}',
      path: `/ocds/records/${ocid}`,
      pathParameters: { ocid },
    }),
    lambdaContext(),
  );
  const text = String(result.body ?? '');
  return { status: result.statusCode ?? 200, body: JSON.parse(text) as RecordPackage, text };
}

/**
 * Every page of the feed from the start (or `query`'s filters), each checked: 200, and – when it holds
 * releases – valid against the release package schema with the extensions merged in.
 */
export async function readWholeFeed(
  query: Record<string, string> = {},
  limit = 100,
): Promise<{ pages: Answer<ReleasePackage>[]; releases: ReleasePackage['releases'] }> {
  const pages: Answer<ReleasePackage>[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await getReleases({ ...query, limit: String(limit), ...(cursor ? { cursor } : {}) });
    expect(page.status, page.text).toBe(200);
    if (page.body.releases.length === 0) break;
    expect(releasePackageErrors(page.body)).toEqual([]);
    pages.push(page);
    cursor = page.body.nextCursor ?? undefined;
    if (!cursor) break;
  }
  return { pages, releases: pages.flatMap((p) => p.body.releases) };
}

/** A record, checked: 200, every release and the compiled release valid. */
export async function readRecord(ocid: string): Promise<Answer<RecordPackage>> {
  const record = await getRecord(ocid);
  expect(record.status, record.text).toBe(200);
  const [entry] = record.body.records;
  expect(entry?.ocid).toBe(ocid);
  for (const release of entry?.releases ?? []) expect(releaseErrors(release)).toEqual([]);
  expect(releaseErrors(entry?.compiledRelease)).toEqual([]);
  return record;
}
