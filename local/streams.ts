/**
 * Local stream readers: what Lambda's event source mapping does in AWS, for DynamoDB Local. A reader
 * follows one table's stream (every shard, from the oldest record kept, so nothing written while the stack
 * was down is missed) and calls a stream handler — the same module the Lambda runs — with batches in the
 * Lambda event format. Like Lambda with partial batch responses, it resumes from the first record the
 * handler reports failed, after a pause, so a failed record is retried with those after it.
 *
 * `drain()` waits until every record written before the call has been handled: tests use it instead of
 * sleeping, and the stack's `stop()` drains before stopping.
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  type GetRecordsCommandOutput,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

/** A stream handler, as a Lambda module exports it. */
export type StreamHandler = (
  event: DynamoDBStreamEvent,
  context: Context,
) => Promise<DynamoDBBatchResponse | undefined>;

/** Options of a stream reader. */
export interface StreamReaderOptions {
  /** DynamoDB Local's endpoint. */
  endpoint: string;
  region: string;
  /** The table's physical name. */
  tableName: string;
  /** A name for logs and the Lambda context (e.g. `auditSequencer`). */
  name: string;
  handler: StreamHandler;
  /**
   * Which records reach the handler, as the event source mapping's filter does in AWS (the others are
   * skipped, and read past); all when absent.
   */
  filter?: (record: DynamoDBRecord) => boolean;
  /** Records per batch (Lambda's default for streams is 100). */
  batchSize?: number;
  /** Pause after a read that found nothing. */
  idleMs?: number;
  /** Pause before retrying a failed batch. */
  retryMs?: number;
  log?: (line: string) => void;
}

/** A running stream reader. */
export interface StreamReader {
  /** Resolves once every record written before the call has been handled (rejects after `timeoutMs`). */
  drain(timeoutMs?: number): Promise<void>;
  /** Stops reading (after the batch in hand). */
  stop(): Promise<void>;
}

interface ShardState {
  id: string;
  /** The shard this one continues: read only once the parent is read to its end. */
  parent: string | undefined;
  iterator: string | undefined;
  /** The last record handled, to resume after it if the iterator expires. */
  lastSequence: string | undefined;
  closed: boolean;
  /** No retry before this time (epoch ms), after a failed batch. */
  retryAt: number;
}

/** Stream read errors that only mean "ask for a new iterator": not logged. */
const ROUTINE_STREAM_ERRORS = new Set(['ExpiredIteratorException', 'TrimmedDataAccessException']);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function context(name: string): Context {
  const deadline = Date.now() + 60_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${name}`,
    memoryLimitInMB: '512',
    awsRequestId: `${name}-${Date.now()}`,
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** A stream record from the Streams API in the form Lambda hands to a handler. */
function lambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const data = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion,
    eventSource: record.eventSource,
    awsRegion: record.awsRegion,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(data.ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(data.ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
      Keys: data.Keys as NonNullable<DynamoDBRecord['dynamodb']>['Keys'],
      NewImage: data.NewImage as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'],
      OldImage: data.OldImage as NonNullable<DynamoDBRecord['dynamodb']>['OldImage'],
      SequenceNumber: data.SequenceNumber,
      SizeBytes: data.SizeBytes,
      StreamViewType: data.StreamViewType,
    },
  } as DynamoDBRecord;
}

/** Starts reading a table's stream; fails if the table has none. */
export async function startStreamReader(options: StreamReaderOptions): Promise<StreamReader> {
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? 100;
  const idleMs = options.idleMs ?? 100;
  const retryMs = options.retryMs ?? 500;
  const clientConfig = {
    region: options.region,
    endpoint: options.endpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
  const dynamodb = new DynamoDBClient(clientConfig);
  const streams = new DynamoDBStreamsClient(clientConfig);
  const table = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
  dynamodb.destroy();
  const streamArn = table.Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${options.tableName} has no stream for ${options.name} to read`);

  const shards = new Map<string, ShardState>();
  let running = true;
  /** Whether the last pass read a full batch somewhere (more is waiting: read again at once). */
  let fullBatch = false;
  /** Completed passes over every shard, and which of them found nothing to do. */
  let passes = 0;
  let lastQuietPass = -1;
  const waiters: { afterPass: number; resolve: () => void }[] = [];

  async function refreshShards(): Promise<void> {
    let start: string | undefined;
    do {
      const description = await streams.send(
        new DescribeStreamCommand({
          StreamArn: streamArn,
          ...(start ? { ExclusiveStartShardId: start } : {}),
        }),
      );
      for (const shard of description.StreamDescription?.Shards ?? []) {
        if (!shard.ShardId || shards.has(shard.ShardId)) continue;
        shards.set(shard.ShardId, {
          id: shard.ShardId,
          parent: shard.ParentShardId,
          iterator: undefined,
          lastSequence: undefined,
          closed: false,
          retryAt: 0,
        });
      }
      start = description.StreamDescription?.LastEvaluatedShardId;
    } while (start);
  }

  async function iteratorFor(shard: ShardState): Promise<string | undefined> {
    const answer = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.id,
        ...(shard.lastSequence
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: shard.lastSequence }
          : { ShardIteratorType: 'TRIM_HORIZON' }),
      }),
    );
    return answer.ShardIterator;
  }

  /** Reads and handles one batch of a shard. @returns whether it did anything (or has work waiting). */
  async function readShard(shard: ShardState): Promise<boolean> {
    if (Date.now() < shard.retryAt) return true;
    shard.iterator ??= await iteratorFor(shard);
    if (!shard.iterator) {
      shard.closed = true;
      return false;
    }
    let answer: GetRecordsCommandOutput;
    try {
      answer = await streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: batchSize }));
    } catch (error) {
      // An expired or trimmed iterator is routine (iterators last 15 minutes; DynamoDB Local trims the
      // shard a fresh table starts with): ask for a new one after the last record handled. Anything
      // else is worth a line in the log.
      const name = (error as Error).name;
      if (!ROUTINE_STREAM_ERRORS.has(name))
        log(`${options.name}: reading the stream failed (${name}); resuming`);
      shard.iterator = undefined;
      return true;
    }
    const records = answer.Records ?? [];
    if (records.length >= batchSize) fullBatch = true;
    if (records.length === 0) {
      shard.iterator = answer.NextShardIterator;
      if (!shard.iterator) shard.closed = true;
      return false;
    }
    const event: DynamoDBStreamEvent = {
      Records: records
        .map((r) => lambdaRecord(r, streamArn as string))
        .filter((r) => options.filter?.(r) ?? true),
    };
    let failedFrom: string | undefined;
    try {
      const response =
        event.Records.length > 0 ? await options.handler(event, context(options.name)) : undefined;
      const failures = response?.batchItemFailures ?? [];
      if (failures.length > 0) {
        // Like Lambda: resume from the lowest failed sequence number.
        failedFrom = failures
          .map((f) => f.itemIdentifier)
          .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0))[0];
      }
    } catch (error) {
      log(`${options.name}: the handler failed (${(error as Error).message}); retrying the batch`);
      failedFrom = records[0]?.dynamodb?.SequenceNumber;
    }
    if (failedFrom !== undefined) {
      const previous = records[records.findIndex((r) => r.dynamodb?.SequenceNumber === failedFrom) - 1];
      shard.lastSequence = previous?.dynamodb?.SequenceNumber ?? shard.lastSequence;
      shard.iterator = shard.lastSequence
        ? undefined
        : (
            await streams.send(
              new GetShardIteratorCommand({
                StreamArn: streamArn,
                ShardId: shard.id,
                ShardIteratorType: 'AT_SEQUENCE_NUMBER',
                SequenceNumber: failedFrom,
              }),
            )
          ).ShardIterator;
      shard.retryAt = Date.now() + retryMs;
      return true;
    }
    shard.lastSequence = records[records.length - 1]?.dynamodb?.SequenceNumber ?? shard.lastSequence;
    shard.iterator = answer.NextShardIterator;
    if (!shard.iterator) shard.closed = true;
    return true;
  }

  async function pass(): Promise<boolean> {
    let busy = false;
    const open = [...shards.values()].filter((shard) => !shard.closed);
    // A child shard continues its parent: read the parent to its end first (Lambda's order too), so the
    // records of one key stay in order across a shard roll-over.
    const ready = open.filter((shard) => !(shard.parent && shards.get(shard.parent)?.closed === false));
    for (const shard of ready) {
      if (await readShard(shard)) busy = true;
    }
    // A shard that closed hands over to its children: look for them.
    if (open.some((shard) => shard.closed) || open.length === 0) await refreshShards();
    return busy;
  }

  await refreshShards();
  const loop = (async () => {
    while (running) {
      let busy = true;
      fullBatch = false;
      try {
        busy = await pass();
      } catch (error) {
        log(`${options.name}: ${(error as Error).message}`);
      }
      passes += 1;
      if (!busy) lastQuietPass = passes;
      for (const waiter of waiters.filter((w) => lastQuietPass > w.afterPass)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      // Unless a full batch shows more is waiting, pause between reads even when busy: under load the
      // records gather into batches (as Lambda's batching does), and each competition's events in a batch
      // are chained in one transaction instead of one each.
      if (running && !fullBatch) await sleep(idleMs);
    }
  })();

  return {
    drain(timeoutMs = 20_000) {
      // A pass that starts after this call and finds nothing has seen every record written before it.
      const afterPass = passes + 1;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.splice(
            waiters.findIndex((w) => w.resolve === done),
            1,
          );
          reject(new Error(`${options.name} did not catch up with its stream within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.push({ afterPass, resolve: done });
      });
    },
    async stop() {
      running = false;
      await loop;
      streams.destroy();
    },
  };
}

/**
 * The audit sequencer's reader: the audit table's stream into `functions/audit/sequencer.ts`, as the
 * Lambda's event source mapping does in AWS. Imports the configuration and the handler only when called,
 * after the caller has set the environment they read.
 */
export async function startAuditSequencer(options: {
  endpoint: string;
  log?: (line: string) => void;
  idleMs?: number;
}): Promise<StreamReader> {
  const { config } = await import('../shared/config');
  const { handler } = await import('../functions/audit/sequencer');
  const { AUDIT_PENDING_PREFIX } = await import('../shared/db/keys');
  return startStreamReader({
    endpoint: options.endpoint,
    region: config().region,
    tableName: config().tables.audit,
    name: 'auditSequencer',
    handler,
    // The filter of the Lambda's event source mapping (infra/constructs/audit-sequencer.ts): pending
    // events' INSERTs only.
    filter: (record) =>
      record.eventName === 'INSERT' && (record.dynamodb?.Keys?.pk?.S ?? '').startsWith(AUDIT_PENDING_PREFIX),
    ...(options.log ? { log: options.log } : {}),
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
  });
}

/**
 * The notification delivery's reader: the outbox table's stream into the handler
 * `functions/notifications/deliver.ts` makes, as the Lambda's event source mapping does in AWS, with an
 * SMTP mailer for the local mail catcher (or the server `mailEndpoint` names) in place of SES. Imports the
 * configuration and the handler only when called, after the caller has set the environment they read.
 */
export async function startOutboxDelivery(options: {
  endpoint: string;
  /** The SMTP server e-mail goes to. */
  mailEndpoint: string;
  /** Where links in e-mails lead. */
  serviceUrl: string;
  log?: (line: string) => void;
  idleMs?: number;
  batchSize?: number;
}): Promise<StreamReader> {
  const { config, mailConfig } = await import('../shared/config');
  const { createDeliveryHandler } = await import('../functions/notifications/deliver');
  const { OUTBOX_STREAM_PREFIXES } = await import('../shared/db/keys');
  const repositories = await import('../shared/db/repositories');
  const { createSmtpMailer } = await import('../shared/email/smtp-mailer');
  const { unsubscribeKey } = await import('../shared/email/unsubscribe-key');
  const { savedSearchRecipients } = await import('../shared/use-cases/notifications/saved-search-recipients');
  // The key the unsubscribe route checks tokens with (the data directory's, or the process's in tests).
  const key = await unsubscribeKey();
  const { deliverySettings } = await import('../shared/use-cases/notifications/delivery-settings');
  const mailer = createSmtpMailer({ endpoint: options.mailEndpoint, from: mailConfig().from });
  const handler = createDeliveryHandler(async () => ({
    outbox: repositories.outboxRepository(),
    memberships: repositories.membershipRepository(),
    providers: repositories.providerRepository(),
    notifications: repositories.notificationRepository(),
    subscriptions: repositories.subscriptionRepository(),
    identities: repositories.identityDirectory(),
    savedSearches: (opportunity) =>
      savedSearchRecipients({ subscriptions: repositories.subscriptionRepository() }, opportunity),
    mailer,
    settings: deliverySettings({ serviceUrl: options.serviceUrl, unsubscribeKey: key }),
  }));
  const reader = await startStreamReader({
    endpoint: options.endpoint,
    region: config().region,
    tableName: config().tables.outbox,
    name: 'notificationDelivery',
    handler,
    // The filter of the Lambda's event source mapping (infra/constructs/notification-delivery.ts): INSERTs
    // of events and mail items only.
    filter: (record) =>
      record.eventName === 'INSERT' &&
      OUTBOX_STREAM_PREFIXES.some((prefix) => (record.dynamodb?.Keys?.pk?.S ?? '').startsWith(prefix)),
    ...(options.log ? { log: options.log } : {}),
    ...(options.idleMs !== undefined ? { idleMs: options.idleMs } : {}),
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
  });
  return {
    drain: (timeoutMs) => reader.drain(timeoutMs),
    stop: async () => {
      await reader.stop();
      mailer.close();
    },
  };
}
