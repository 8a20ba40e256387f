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
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
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
  /** Every release of one process, in publication order (at most `limit`, the oldest). */
  record(ocid: string, limit: number): Promise<Release[]>;
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

    async record(ocid, limit) {
      const releases: Release[] = [];
      for await (const page of paginateQuery(
        { client, pageSize: Math.min(limit, 100) },
        {
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.recordPartition(ocid) },
        },
      )) {
        for (const item of page.Items ?? []) {
          releases.push(item.release as Release);
          if (releases.length >= limit) return releases;
        }
      }
      return releases;
    },
  };
}
