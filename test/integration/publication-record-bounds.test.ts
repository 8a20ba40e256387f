/**
 * How large a record answer may be (issue 16, feed quality), over DynamoDB Local through the publication
 * function: a process's releases grow with every spend return and every amendment, so
 * `GET /ocds/records/{ocid}` holds at most `MAX_RECORD_RELEASES` releases and `MAX_RECORD_BYTES` of them.
 * Past either bound the answer is the latest releases that fit, no compiled release (compiling only part
 * of them would state old values as current), and `earlierReleases`: the feed's range where the others
 * are. The OpenAPI document states the bounds.
 *
 * The releases are written as the service writes them – drafts from the release builders, numbered by the
 * repository and committed in a transaction (`commitWithReleases`) – many to a transaction, to be quick.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { repositories } from '../../shared/db/repositories';
import type { ReleaseDraft } from '../../shared/domain/publication/ocds';
import type { PublicContractFacts, PublicPayment } from '../../shared/domain/publication/projection';
import { implementationRelease, ocidOf } from '../../shared/domain/publication/releases';
import { buildOpenApiDocument } from '../../shared/http/openapi';
import { commitWithReleases } from '../../shared/use-cases/publication/publish';
import { MAX_RECORD_BYTES, MAX_RECORD_RELEASES } from '../../shared/use-cases/publication/read-feed';
import { releaseErrors } from '../support/ocds';
import { getRecord, readRecord, readWholeFeed } from '../support/publication';
import { useTestTables } from '../support/tables';

const START = Date.parse('2031-01-01T00:00:00.000Z');

/** A contract registered directly (its own process), with `subs` sub-contractors paid every return. */
function contractFacts(contractId: string): PublicContractFacts {
  return {
    contractId,
    title: `Bounds contract ${contractId}`,
    supplier: { id: `${contractId}-prime`, name: 'Bounds Prime Ltd', sector: 'private', size: 'large' },
    valuePence: 1_000_000_00,
    startDate: '2030-01-01',
    endDate: '2049-12-31',
    signedAt: '2029-12-01T00:00:00.000Z',
  };
}

/** The `n`th version of a return paying `subs` sub-contractors (each amendment is one more release). */
function returnRelease(contract: PublicContractFacts, n: number, subs: number): ReleaseDraft {
  const payments: PublicPayment[] = Array.from({ length: subs }, (_, i) => ({
    subcontractorRef: `SUB-${String(i).padStart(3, '0')}`,
    name: `Bounds sub-contractor ${i} with a name as long as a real charity’s name tends to be`,
    sector: 'voluntary',
    size: 'small',
    amountPence: 1_000_00 + n,
    lastPaidDate: '2030-03-01',
  }));
  return implementationRelease(config().publication, contract, {
    period: '2030-Q1',
    version: n,
    periodEnd: '2030-03-31',
    payments,
  });
}

let batches = 0;

/** Publishes `drafts`, `perTransaction` to a transaction, each batch a second after the one before. */
async function publish(drafts: ReleaseDraft[], perTransaction: number): Promise<void> {
  const client = documentClient();
  for (let i = 0; i < drafts.length; i += perTransaction) {
    batches += 1;
    await commitWithReleases(
      repositories(),
      drafts.slice(i, i + perTransaction),
      new Date(START + batches * 1000),
      (items) => client.send(new TransactWriteCommand({ TransactItems: items })),
    );
  }
}

beforeAll(async () => {
  await useTestTables();
});

describe('a record past the release bound', () => {
  it('holds the latest releases, no compiled release, and where in the feed the earlier ones are', async () => {
    const contract = contractFacts('BOUNDS-MANY');
    const ocid = ocidOf(config().publication, contract.contractId);
    const total = MAX_RECORD_RELEASES + 5;
    // 99 releases and the counter fill a transaction.
    await publish(
      Array.from({ length: total }, (_, i) => returnRelease(contract, i + 1, 1)),
      99,
    );
    const answer = await getRecord(ocid);
    expect(answer.status, answer.text).toBe(200);
    const [record] = answer.body.records;
    const given = record?.releases ?? [];
    expect(given).toHaveLength(MAX_RECORD_RELEASES);
    expect(record?.compiledRelease).toBeUndefined();
    for (const release of given.slice(0, 3)) expect(releaseErrors(release)).toEqual([]);
    // The latest, in publication order: versions 6 to 1,005 of the return.
    const versions = given.map((r) => r.contracts?.[0]?.implementation?.transactions[0]?.value.amount);
    expect(versions[0]).toBe(1000 + 6 / 100);
    expect(versions.at(-1)).toBe(1000 + total / 100);
    const numbers = given.map((r) => Number(r.id.slice(ocid.length + 1)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));

    // The feed's range from the first release to the oldest given holds the five left out.
    const earlier = new URL(answer.body.earlierReleases as string);
    expect(earlier.pathname).toBe('/ocds/releases');
    const range = Object.fromEntries(earlier.searchParams);
    expect(Object.keys(range).sort()).toEqual(['updatedFrom', 'updatedTo']);
    const inRange = (await readWholeFeed(range)).releases.filter((r) => r.ocid === ocid);
    const left = inRange.filter((r) => !given.some((g) => g.id === r.id));
    expect(left.map((r) => r.contracts?.[0]?.implementation?.transactions[0]?.value.amount)).toEqual(
      [1, 2, 3, 4, 5].map((n) => 1000 + n / 100),
    );
  });

  it('is bounded by size too: releases of hundreds of sub-contractors stop at the byte bound', async () => {
    const contract = contractFacts('BOUNDS-LARGE');
    const ocid = ocidOf(config().publication, contract.contractId);
    const drafts = Array.from({ length: 25 }, (_, i) => returnRelease(contract, i + 1, 200));
    const size = Buffer.byteLength(JSON.stringify(drafts[0]));
    // Each is some 100 KB: 25 pass the bound, 10 to a transaction keep within its 4 MB.
    expect(size * drafts.length).toBeGreaterThan(MAX_RECORD_BYTES);
    await publish(drafts, 10);
    const answer = await getRecord(ocid);
    expect(answer.status, answer.text).toBe(200);
    const given = answer.body.records[0]?.releases ?? [];
    expect(given.length).toBeGreaterThan(0);
    expect(given.length).toBeLessThan(drafts.length);
    expect(Buffer.byteLength(JSON.stringify(given))).toBeLessThanOrEqual(MAX_RECORD_BYTES + given.length);
    expect(answer.body.records[0]?.compiledRelease).toBeUndefined();
    expect(answer.body.earlierReleases).toMatch(/\/ocds\/releases\?updatedFrom=.+&updatedTo=.+/);
    // The latest of them, up to the newest.
    expect(given.at(-1)?.contracts?.[0]?.implementation?.transactions[0]?.value.amount).toBe(1000.25);
  }, 120_000);
});

describe('a record within the bounds', () => {
  it('holds every release and the compiled release, and says nothing is left out', async () => {
    const contract = contractFacts('BOUNDS-FEW');
    const ocid = ocidOf(config().publication, contract.contractId);
    await publish(
      Array.from({ length: 3 }, (_, i) => returnRelease(contract, i + 1, 2)),
      1,
    );
    const answer = await readRecord(ocid);
    expect(answer.body.records[0]?.releases).toHaveLength(3);
    expect(answer.body.records[0]?.compiledRelease?.tag).toEqual(['compiled']);
    expect(answer.body.earlierReleases).toBeNull();
  });
});

describe('the OpenAPI document', () => {
  it('states the record’s bounds, and what is answered past them', () => {
    const text = JSON.stringify(buildOpenApiDocument());
    const record = JSON.stringify(
      (buildOpenApiDocument() as { paths: Record<string, unknown> }).paths['/ocds/records/{ocid}'],
    );
    expect(record).toContain('1,000 releases or 2 MB');
    expect(text).toContain('earlierReleases');
    expect(MAX_RECORD_BYTES).toBe(2_000_000);
    expect(MAX_RECORD_RELEASES).toBe(1000);
  });
});
