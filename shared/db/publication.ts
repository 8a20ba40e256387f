/**
 * The OCDS releases in the `publication` table (keys and access patterns in `keys.ts`,
 * `publicationKeys`).
 *
 * ## Publication order
 *
 * One counter item holds the number and date of the last release. A change that publishes reads it
 * (`prepare`), and its own transaction – the same one that writes the change – moves it on, conditioned on
 * the number read, and puts the releases numbered after it. Two changes publishing at once cannot take the
 * same number: the second transaction is refused (condition failure, or a transaction conflict on the
 * counter) and the change commits again with the next numbers (`moved`, `commitWithReleases` in
 * `shared/use-cases/publication/publish.ts`). So release numbers are contiguous and in commit order, and
 * release n+1 can only be written once release n has committed.
 *
 * A release's date is the publication time, held to be no earlier than the previous release's, so the
 * feed's sort key (`<date>#<number>`) orders by number and by date alike: `updatedFrom` and `updatedTo`
 * are a key condition, a cursor is a sort key, and a consumer polling with "updated from the last date I
 * saw" can never miss a release dated earlier than one it has seen.
 *
 * The feed reads the counter before it queries (`watermark`) and serves releases only up to that number.
 * Every one of them committed before the query began, so the query – which sees committed items, item by
 * item – cannot skip one that commits while it runs, and a cursor never passes a release not yet served.
 *
 * The alternative, a sequencer numbering releases from the table's stream as the audit log is chained
 * (`audit.ts`), takes contention off the writers but makes every release appear only after the stream
 * consumer ran, adds a moving part whose stall would silently stop the feed, and needs a second item per
 * release. Publication is a few human-scale events a minute, so a counter's contention costs little, and a
 * release is in the feed the moment its change commits.
 *
 * Each release is one item: the feed's key, and gsi1 keys for its process's record, which is read through
 * the index (eventually consistent: a release may reach its record a moment after the feed).
 *
 * The contracts list of the transparency CSV (issue 16) is here too: one item per contract over £10,000,
 * put by the transaction that creates the contract (`listedContractItems`). The transparency pages' reads
 * (the feed newest first, the list) are `shared/db/transparency.ts`, so the functions that only write
 * releases do not bundle them.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ListedContract } from '../domain/publication/listed-contracts';
import type { Release, ReleaseDraft } from '../domain/publication/ocds';
import type { PublicationContext } from '../domain/publication/releases';
import type { TransactItem } from './audit';
import { publicationKeys as keys } from './keys';

/** Where the feed is: the last release's number (0 before the first) and date. */
export interface FeedPosition {
  seq: number;
  date: string | undefined;
}

/** Releases ready to commit with a change. */
export interface PreparedPublication {
  /** The counter's move and one put per release: put them last in the change's transaction. */
  items: TransactItem[];
  /** The releases as they will be published. */
  releases: Release[];
  /**
   * Whether the feed has moved on since it was read (another change published meanwhile): a refusal of the
   * transaction may then be the counter's, and the change should commit again with new numbers.
   */
  moved(): Promise<boolean>;
}

/** One release in the feed, with its sort key (a cursor's position). */
export interface FeedEntry {
  key: string;
  seq: number;
  release: Release;
}

/** A range of the feed: after a position (exclusive), dated from/to (inclusive), at most `limit`. */
export interface FeedRange {
  after?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
}

/** How much of a process's releases one read may hold. */
export interface RecordBounds {
  /** The most releases. */
  limit: number;
  /** The most JSON (UTF-8 bytes) of releases; one release is always held, whatever its size. */
  maxBytes: number;
}

/** The latest releases of a process, as many as the bounds allow. */
export interface RecordReleases {
  /** In publication order (empty: nothing is published under the ocid). */
  releases: Release[];
  /** Whether they are every release of the process; false when earlier ones did not fit. */
  complete: boolean;
  /** When incomplete: the date of the process's first release, where the ones left out begin. */
  firstDate?: string;
}

/** The most releases `tendererIds` reads before giving up on finding the contract release. */
export const RECORD_READ_LIMIT = 1000;

/** Reads and writes the releases. */
export interface PublicationRepository {
  /** The publisher the releases are written for (configuration: ocid prefix, publisher and buyer). */
  context: PublicationContext;
  /** Numbers and dates `drafts` after the last release, as items for the change's own transaction. */
  prepare(drafts: readonly ReleaseDraft[], now: Date): Promise<PreparedPublication>;
  /** The number of the last committed release (0 when none), read consistently. */
  watermark(): Promise<number>;
  /** Releases of the feed in publication order within `range` (the caller caps them at the watermark). */
  feed(range: FeedRange): Promise<FeedEntry[]>;
  /**
   * The latest releases of one process within `bounds`, in publication order: all of them when they fit
   * (see `RecordReleases`). Reads newest first and stops at the bounds, so a process with years of spend
   * returns costs no more than the bounds.
   */
  record(ocid: string, bounds: RecordBounds): Promise<RecordReleases>;
  /**
   * The organisations a process's releases name as tenderers, read until its contract release (no one
   * tenders after it) and at most `RECORD_READ_LIMIT` releases.
   */
  tendererIds(ocid: string): Promise<string[]>;
  /**
   * The item that lists a new contract over £10,000 for the transparency CSV, for the transaction that
   * creates the contract (its id must be new). The list is read by `shared/db/transparency.ts`.
   */
  listedContractItems(listed: ListedContract): TransactItem[];
}

/** The largest sort-key suffix: after every `#<number>` of a date. */
const HIGH = '#\uffff';

function position(item: Record<string, unknown> | undefined): FeedPosition {
  return item
    ? { seq: Number(item.seq), date: typeof item.date === 'string' ? item.date : undefined }
    : { seq: 0, date: undefined };
}

/** A DynamoDB publication repository over the `publication` table. */
export function createPublicationRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
  context: PublicationContext;
}): PublicationRepository {
  const { client, tableName, context } = deps;

  async function readPosition(): Promise<FeedPosition> {
    const result = await client.send(
      new GetCommand({ TableName: tableName, Key: keys.counter, ConsistentRead: true }),
    );
    return position(result.Item);
  }

  return {
    context,

    async prepare(drafts, now) {
      const at = await readPosition();
      const requested = now.toISOString();
      // Never earlier than the release before: the feed's key orders by date and number alike.
      const date = at.date !== undefined && at.date > requested ? at.date : requested;
      const releases: Release[] = drafts.map((draft, i) => ({
        ...draft,
        id: `${draft.ocid}-${at.seq + i + 1}`,
        date,
      }));
      const last = at.seq + drafts.length;
      const counter: TransactItem = {
        Put: {
          TableName: tableName,
          Item: { ...keys.counter, entity: 'publication-counter', seq: last, date },
          ...(at.seq === 0
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'seq = :seq',
                ExpressionAttributeValues: { ':seq': at.seq },
              }),
        },
      };
      const puts: TransactItem[] = releases.map((release, i) => {
        const seq = at.seq + i + 1;
        return {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.feed(date, seq),
              ...keys.recordIndex(release.ocid, seq),
              entity: 'release',
              seq,
              ocid: release.ocid,
              date,
              release,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        };
      });
      return {
        items: drafts.length === 0 ? [] : [counter, ...puts],
        releases,
        moved: async () => (await readPosition()).seq !== at.seq,
      };
    },

    async watermark() {
      return (await readPosition()).seq;
    },

    async feed(range) {
      // The range of sort keys: after the cursor's key, from the first key of `from`'s instant, up to the
      // last key of `to`'s instant.
      const lower = range.after !== undefined ? `${range.after}\u0000` : range.from;
      const lowest =
        range.from !== undefined && lower !== undefined && range.from > lower ? range.from : lower;
      const upper = range.to !== undefined ? `${range.to}${HIGH}` : undefined;
      if (lowest !== undefined && upper !== undefined && lowest > upper) return [];
      const values: Record<string, string> = { ':pk': keys.feedPartition };
      let condition = 'pk = :pk';
      if (lowest !== undefined && upper !== undefined) {
        condition += ' AND sk BETWEEN :lo AND :hi';
        values[':lo'] = lowest;
        values[':hi'] = upper;
      } else if (lowest !== undefined) {
        condition += ' AND sk >= :lo';
        values[':lo'] = lowest;
      } else if (upper !== undefined) {
        condition += ' AND sk <= :hi';
        values[':hi'] = upper;
      }
      const input: QueryCommandInput = {
        TableName: tableName,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ConsistentRead: true,
        Limit: range.limit,
      };
      const result = await client.send(new QueryCommand(input));
      return (result.Items ?? []).map((item) => ({
        key: String(item.sk),
        seq: Number(item.seq),
        release: item.release as Release,
      }));
    },

    listedContractItems(listed) {
      return [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.listedContract(listed.listedAt, listed.contractId),
              entity: 'listed-contract',
              contract: listed,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    async record(ocid, bounds) {
      const newestFirst: Release[] = [];
      let bytes = 0;
      let complete = true;
      // One more than the limit per page at most: enough to tell "exactly the limit" from "more".
      reading: for await (const page of paginateQuery(
        { client, pageSize: Math.min(bounds.limit + 1, 100) },
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.recordPartition(ocid) },
          ScanIndexForward: false,
        },
      )) {
        for (const item of page.Items ?? []) {
          const release = item.release as Release;
          const size = Buffer.byteLength(JSON.stringify(release));
          if (
            newestFirst.length >= bounds.limit ||
            (newestFirst.length > 0 && bytes + size > bounds.maxBytes)
          ) {
            complete = false;
            break reading;
          }
          newestFirst.push(release);
          bytes += size;
        }
      }
      const releases = newestFirst.reverse();
      if (complete) return { releases, complete };
      // Where the releases left out begin: the oldest's date alone (one item, its date attribute).
      const first = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.recordPartition(ocid) },
          ExpressionAttributeNames: { '#date': 'date' },
          ProjectionExpression: '#date',
          Limit: 1,
        }),
      );
      const firstDate = first.Items?.[0]?.date;
      return { releases, complete, ...(typeof firstDate === 'string' ? { firstDate } : {}) };
    },

    async tendererIds(ocid) {
      const ids = new Set<string>();
      let read = 0;
      // Only what is needed of each release: its tags and its tenderers (tender releases carry documents).
      for await (const page of paginateQuery(
        { client, pageSize: 25 },
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.recordPartition(ocid) },
          ExpressionAttributeNames: { '#r': 'release', '#tag': 'tag', '#t': 'tender', '#ts': 'tenderers' },
          ProjectionExpression: '#r.#tag, #r.#t.#ts',
        },
      )) {
        for (const item of page.Items ?? []) {
          const release = (item.release ?? {}) as Partial<Release>;
          for (const tenderer of release.tender?.tenderers ?? []) ids.add(tenderer.id);
          read += 1;
          if (release.tag?.includes('contract') || read >= RECORD_READ_LIMIT) return [...ids];
        }
      }
      return [...ids];
    },
  };
}
