/**
 * Benchmark scenarios of the OCDS feed (issue 16): a page of `GET /ocds/releases` (the default 50
 * releases) read from the start and from a cursor at the end of the feed, and the record of a five-release
 * process (`GET /ocds/records/{ocid}`), each over a feed of 100 releases and then of 5,000, to show that
 * neither costs more as the feed grows: a page is one Query of its own key range and a record one Query of
 * its process's index partition. Then the record of a process with 1,200 releases (a contract's spend
 * returns and their amendments, over years), past the record's bounds: what the largest answer costs.
 * `BENCH_ONLY=ocds npm run bench` runs only these.
 *
 * They run first (`run.ts`): every other group publishes releases as it sets up (spend returns, published
 * competitions), and the first feed must hold exactly 100. The releases are drafts of the real release
 * builders, numbered by the publication repository and committed 99 to a transaction with the counter's
 * move – the publish path (`commitWithReleases`) without the change each would describe, which no
 * scenario here reads.
 */
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { config } from '../shared/config';
import { publicationKeys } from '../shared/db/keys';
import { encodeCursor } from '../shared/db/pagination';
import { createPublicationRepository, type PublicationRepository } from '../shared/db/publication';
import type { ReleaseDraft } from '../shared/domain/publication/ocds';
import type {
  PublicContractFacts,
  PublicOrganisation,
  PublicPayment,
  PublicTenderFacts,
} from '../shared/domain/publication/projection';
import {
  awardRelease,
  contractRelease,
  implementationRelease,
  ocidOf,
  tenderRelease,
} from '../shared/domain/publication/releases';
import { commitWithReleases } from '../shared/use-cases/publication/publish';
import { compareFlatCost, type FlatCostComparison } from './flat-cost';
import type { RouteReport } from './report';
import type { BenchContext, FlatCostPair, Scenario } from './scenarios';

/** The feed's size in the first scenarios and in the second. */
export const FEW = 100;
export const MANY = 5000;
/** Releases of each ordinary process: tender, award, contract, two spend returns. */
const PER_PROCESS = 5;
/** Releases of the long contract: its spend returns and their amendments. */
export const LONG = 1200;
/** Releases in one transaction: 99 and the counter fill one (DynamoDB's limit is 100 items). */
const PER_TRANSACTION = 99;
/** The sub-contractors each spend return pays. */
const SUBS = 6;

const org = (id: string, name: string, size: PublicOrganisation['size']): PublicOrganisation => ({
  id,
  name,
  sector: size === 'large' ? 'private' : 'voluntary',
  size,
});
const WINNER = org('bench-ocds-winner', 'Bench OCDS Winner Ltd', 'large');
const TENDERERS = [WINNER, org('bench-ocds-rival', 'Bench OCDS Rival Trust', 'small')];

function payments(n: number): PublicPayment[] {
  return Array.from({ length: SUBS }, (_, i) => ({
    subcontractorRef: `SUB-${i}`,
    name: `Bench OCDS sub-contractor ${i} Community Interest Company`,
    sector: 'voluntary',
    size: 'micro',
    amountPence: 12_345_00 + n * 10 + i,
    lastPaidDate: '2030-03-15',
  }));
}

/** The five releases of process `i`: a competition from its tender to its second spend return. */
function processDrafts(i: number): ReleaseDraft[] {
  const context = config().publication;
  const competitionId = `BENCH-OCDS-${String(i).padStart(5, '0')}`;
  const facts: PublicTenderFacts = {
    competitionId,
    title: `Bench OCDS competition ${i}`,
    description: 'Accommodation support for people leaving prison, measured by the benchmark.',
    services: ['accommodation'],
    regions: ['north_west'],
    estimatedValuePence: 500_000_00,
    termMonths: 24,
    prequalificationTier: 'none',
    tenderDeadline: '2030-01-31T12:00:00.000Z',
    criteria: [
      { name: 'Quality', kind: 'quality', weight: 70 },
      { name: 'Price', kind: 'price', weight: 30 },
    ],
    publishedAt: '2030-01-01T09:00:00.000Z',
  };
  const contract: PublicContractFacts & { competitionId: string } = {
    contractId: `${competitionId}-C`,
    title: facts.title,
    competitionId,
    supplier: WINNER,
    valuePence: 480_000_00,
    startDate: '2030-03-01',
    endDate: '2032-02-29',
    signedAt: '2030-03-01T09:00:00.000Z',
  };
  const returned = (version: number) =>
    implementationRelease(
      context,
      contract,
      { period: '2030-Q1', version, periodEnd: '2030-03-31', payments: payments(version) },
      { tendererIds: TENDERERS.map((t) => t.id) },
    );
  return [
    tenderRelease(context, facts),
    awardRelease(context, facts, {
      supplier: WINNER,
      valuePence: contract.valuePence,
      decidedAt: '2030-02-10T09:00:00.000Z',
      tenderers: TENDERERS,
    }),
    contractRelease(context, contract),
    returned(1),
    returned(2),
  ];
}

/** The long contract (registered directly): its spend returns, a quarter's versions after another. */
const LONG_CONTRACT: PublicContractFacts = {
  contractId: 'BENCH-OCDS-LONG',
  title: 'Bench OCDS long contract',
  supplier: WINNER,
  valuePence: 20_000_000_00,
  startDate: '2030-01-01',
  endDate: '2049-12-31',
  signedAt: '2029-12-01T09:00:00.000Z',
};

function longDrafts(): ReleaseDraft[] {
  return Array.from({ length: LONG }, (_, n) => {
    // Twenty years of quarters, fifteen versions of each (a return and its amendments).
    const quarter = Math.floor(n / 15);
    const period = `${2030 + Math.floor(quarter / 4)}-Q${(quarter % 4) + 1}`;
    return implementationRelease(config().publication, LONG_CONTRACT, {
      period,
      version: (n % 15) + 1,
      periodEnd: `${period.slice(0, 4)}-12-31`,
      payments: payments(n),
    });
  });
}

/** The process whose record is measured over both feeds (five releases). */
const SMALL_OCID = () => ocidOf(config().publication, 'BENCH-OCDS-00000');
const LONG_OCID = () => ocidOf(config().publication, LONG_CONTRACT.contractId);

function publicationOf(ctx: BenchContext): PublicationRepository {
  return createPublicationRepository({
    client: ctx.client,
    tableName: ctx.tables.publication,
    context: config().publication,
  });
}

/** Publishes `drafts` through the publish path, `PER_TRANSACTION` at a time. */
async function publish(ctx: BenchContext, drafts: ReleaseDraft[]): Promise<void> {
  const deps = { publication: publicationOf(ctx) };
  for (let i = 0; i < drafts.length; i += PER_TRANSACTION) {
    await commitWithReleases(deps, drafts.slice(i, i + PER_TRANSACTION), new Date(), (items) =>
      ctx.client.send(new TransactWriteCommand({ TransactItems: items })),
    );
  }
}

let few: Promise<void> | undefined;
let many: Promise<void> | undefined;

/** The first feed: 20 processes of five releases, into an empty feed. */
function fewReleases(ctx: BenchContext): Promise<void> {
  few ??= (async () => {
    const before = await publicationOf(ctx).watermark();
    if (before !== 0) {
      throw new Error(
        `the feed already holds ${before} releases: the OCDS scenarios must run before any other group publishes`,
      );
    }
    ctx.log(`ocds: ${FEW} releases (${FEW / PER_PROCESS} processes of ${PER_PROCESS})`);
    await publish(ctx, Array.from({ length: FEW / PER_PROCESS }, (_, i) => processDrafts(i)).flat());
  })();
  return few;
}

/** The second feed: the long contract's 1,200 releases among 740 more processes, 5,000 in all. */
function manyReleases(ctx: BenchContext): Promise<void> {
  many ??= (async () => {
    await fewReleases(ctx);
    const processes = (MANY - FEW - LONG) / PER_PROCESS;
    ctx.log(`ocds: ${MANY - FEW} more releases (${processes} processes, and ${LONG} of one contract)`);
    const half = Math.floor(processes / 2);
    const ordinary = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => processDrafts(FEW / PER_PROCESS + from + i)).flat();
    // The long contract's releases in the middle of the feed, as a long contract's are among others'.
    await publish(ctx, ordinary(0, half));
    await publish(ctx, longDrafts());
    await publish(ctx, ordinary(half, processes - half));
    const total = await publicationOf(ctx).watermark();
    if (total !== MANY) throw new Error(`the feed holds ${total} releases, not ${MANY}`);
  })();
  return many;
}

/**
 * A cursor from which the feed's last page (the default 50) is read: the position of the 51st release from
 * the end, as the previous page's `nextCursor` would give it to a reader polling the feed.
 */
async function cursorAtTheEnd(ctx: BenchContext): Promise<string> {
  const result = await ctx.client.send(
    new QueryCommand({
      TableName: ctx.tables.publication,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': publicationKeys.feedPartition },
      ProjectionExpression: 'sk',
      ScanIndexForward: false,
      Limit: 51,
    }),
  );
  const key = result.Items?.at(-1)?.sk;
  if (typeof key !== 'string') throw new Error('the feed is empty');
  // The scope of an unfiltered feed cursor (`listReleases`).
  return encodeCursor(key, ['ocds-releases', undefined, undefined]);
}

const feed = (releases: number) => `feed of ${releases.toLocaleString('en-GB')} releases`;

export const NAMES = {
  first: (releases: number) => `GET /ocds/releases (first page, ${feed(releases)})`,
  end: (releases: number) => `GET /ocds/releases (last page from a cursor, ${feed(releases)})`,
  record: (releases: number) => `GET /ocds/records/{ocid} (5 releases, ${feed(releases)})`,
  long: `GET /ocds/records/{ocid} (${LONG.toLocaleString('en-GB')} releases: the latest within the bounds, ${feed(MANY)})`,
};

function scenarios(releases: number, seed: (ctx: BenchContext) => Promise<void>): Scenario[] {
  return [
    {
      name: NAMES.first(releases),
      method: 'GET',
      path: '/ocds/releases',
      async setup(ctx) {
        await seed(ctx);
        return undefined;
      },
    },
    {
      name: NAMES.end(releases),
      method: 'GET',
      path: '/ocds/releases',
      async setup(ctx) {
        await seed(ctx);
        return { path: `/ocds/releases?cursor=${await cursorAtTheEnd(ctx)}` };
      },
    },
    {
      name: NAMES.record(releases),
      method: 'GET',
      path: '/ocds/records/{ocid}',
      async setup(ctx) {
        await seed(ctx);
        return { path: `/ocds/records/${SMALL_OCID()}` };
      },
    },
  ];
}

/** The scenarios: the feed's pages and a small record over 100 releases, then over 5,000; the long record. */
export const OCDS_SCENARIOS: Scenario[] = [
  ...scenarios(FEW, fewReleases),
  ...scenarios(MANY, manyReleases),
  {
    name: NAMES.long,
    method: 'GET',
    path: '/ocds/records/{ocid}',
    async setup(ctx) {
      await manyReleases(ctx);
      return { path: `/ocds/records/${LONG_OCID()}` };
    },
  },
];

/** Each over 100 and over 5,000 releases: DESIGN.md's 1.2 limit on p50 and consumed capacity. */
export const OCDS_FLAT_COST_PAIRS: FlatCostPair[] = [
  { name: 'OCDS feed first page', small: NAMES.first(FEW), large: NAMES.first(MANY) },
  { name: 'OCDS feed last page from a cursor', small: NAMES.end(FEW), large: NAMES.end(MANY) },
  { name: 'OCDS record of a five-release process', small: NAMES.record(FEW), large: NAMES.record(MANY) },
];

/** The few-against-many comparisons whose two scenarios were both measured. */
export function ocdsFlatCostComparisons(routes: RouteReport[]): FlatCostComparison[] {
  const comparisons: FlatCostComparison[] = [];
  for (const pair of OCDS_FLAT_COST_PAIRS) {
    const small = routes.find((route) => route.name === pair.small);
    const large = routes.find((route) => route.name === pair.large);
    if (!small || !large) continue;
    const side = (route: RouteReport) => ({
      name: route.name,
      p50: route.latency.latency.p50,
      capacity: route.storage.capacity,
    });
    comparisons.push(compareFlatCost(pair, side(small), side(large)));
  }
  return comparisons;
}
