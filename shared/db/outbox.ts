/**
 * The notification outbox in its own table (issue 17; keys and access patterns in `keys.ts`, `outboxKeys`).
 *
 * - A change puts its event (`eventItems`) in the transaction that makes the change, so either both are
 *   written or neither is: nothing a change should tell anyone is lost if the process dies after it commits.
 * - The delivery, on the table's stream, expands each event into one `MAIL#` item per user (`putMail`,
 *   under `attribute_not_exists`: a redelivered event puts nothing twice) and, from each mail item's INSERT,
 *   sends it once: `claim` moves it from `pending` to `sending` under a condition, `finish` records `sent`
 *   or `skipped`. A sender that died between the two leaves it `sending`; after the lease it may be claimed
 *   again (at most one duplicate, and only for a process killed mid-send).
 * - Provider-side writes put a `TAKING#` item in the same transaction as a question, an application, a
 *   draft or a bid (`takingPartItem`), so "everyone taking part" is one Query for the delivery and needs no
 *   read of the sealed data.
 * - Bounces and complaints put the address on the suppression list (`suppress`); the delivery honours it.
 * - Daily-digest entries wait in a partition per day (`addToDigest`) for the digest job.
 */

import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError } from '../domain/errors';
import type { EventMessage, OutboxEvent, Reason } from '../domain/notifications/outbox';
import type { EmailKind } from '../domain/notifications/subscriptions';
import { isConditionFailure } from './errors';
import { outboxKeys } from './keys';
import { createOutboxWriter, KEEP_SECONDS, type OutboxWriter } from './outbox-writer';

/**
 * The outbox item a stream record's new image holds, when it is one the delivery handles (an event or a
 * mail item); `undefined` for anything else.
 */
export function outboxItemFromImage(
  image: Record<string, AttributeValue> | undefined,
): { type: 'event'; event: OutboxEvent } | { type: 'mail'; mail: Mail } | undefined {
  if (!image) return undefined;
  const item = unmarshall(image);
  const { pk: _pk, sk: _sk, entity, ttl: _ttl, state: _state, ...rest } = item;
  if (entity === 'outbox-event') return { type: 'event', event: rest as OutboxEvent };
  if (entity === 'mail') return { type: 'mail', mail: rest as Mail };
  return undefined;
}

/** One e-mail to one user, as the delivery puts it. */
export interface Mail {
  eventId: string;
  sub: string;
  kind: EmailKind;
  reason: Reason;
  message: EventMessage;
  createdAt: string;
}

/** Where a mail item stands. */
export type MailState = 'pending' | 'sending' | 'sent' | 'skipped';

/**
 * What `claim` found: the claim (its time is the token `release` and `finish` must name, so a sender whose
 * lease ran out cannot end another's claim), a mail item sent or skipped already, or one another sender
 * holds since `claimedAt`.
 */
export type ClaimOutcome =
  | { outcome: 'claimed'; claimedAt: string }
  | { outcome: 'done' }
  | { outcome: 'busy'; claimedAt: string };

/** One digest entry: a saved-search match waiting for the day's digest. */
export interface DigestEntry {
  sub: string;
  eventId: string;
  savedSearchId: string;
  subject: string;
  path: string;
  at: string;
}

/** Reads and writes the outbox. */
export interface OutboxRepository extends OutboxWriter {
  /** Every organisation taking part in a competition. */
  listTakingPart(competitionId: string): Promise<string[]>;
  /** Puts a mail item unless it exists; returns whether it was new. */
  putMail(mail: Mail): Promise<boolean>;
  /** The mail item, with its state. */
  getMail(eventId: string, sub: string): Promise<(Mail & { state: MailState }) | undefined>;
  /**
   * Claims a pending mail item for sending (or one whose sender's lease ran out).
   * @returns the claim, `done` when it was sent or skipped already, `busy` when another sender holds it.
   */
  claim(eventId: string, sub: string, now: Date, leaseMs: number): Promise<ClaimOutcome>;
  /** Gives a claimed mail item back (not sent: a retry may claim it at once), if the claim is still this one. */
  release(eventId: string, sub: string, claimedAt: string): Promise<void>;
  /**
   * Records how a claimed mail item ended.
   * @throws ConflictError when the claim is no longer this one (its lease ran out and another took it).
   */
  finish(
    eventId: string,
    sub: string,
    outcome: { state: 'sent'; messageId: string } | { state: 'skipped'; why: string },
    now: Date,
    claimedAt: string,
  ): Promise<void>;
  /** Whether an address is on the suppression list. */
  isSuppressed(email: string): Promise<boolean>;
  /** Puts an address on the suppression list (a bounce or a complaint); idempotent. */
  suppress(email: string, why: { type: string; at: string }): Promise<void>;
  /** Adds an entry to a day's digest (idempotent: one per user and event). */
  addToDigest(day: string, entry: DigestEntry): Promise<void>;
  /** A day's digest entries, in user order (every page). */
  listDigest(day: string): AsyncGenerator<DigestEntry[]>;
}

/** A DynamoDB outbox repository. */
export function createOutboxRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): OutboxRepository {
  const { client, tableName } = deps;
  const ttl = (now: Date) => Math.floor(now.getTime() / 1000) + KEEP_SECONDS;
  return {
    ...createOutboxWriter({ tableName }),

    async listTakingPart(competitionId) {
      const ids: string[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': outboxKeys.takingPartPartition(competitionId) },
          ProjectionExpression: 'sk',
        },
      )) {
        for (const item of page.Items ?? []) ids.push(String(item.sk));
      }
      return ids;
    },

    async putMail(mail) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...outboxKeys.mail(mail.eventId, mail.sub),
              entity: 'mail',
              ...mail,
              state: 'pending',
              ttl: ttl(new Date(mail.createdAt)),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async getMail(eventId, sub) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: outboxKeys.mail(eventId, sub), ConsistentRead: true }),
      );
      if (!result.Item) return undefined;
      const { pk: _pk, sk: _sk, entity: _entity, ttl: _ttl, ...mail } = result.Item;
      return mail as Mail & { state: MailState };
    },

    async claim(eventId, sub, now, leaseMs) {
      const claimedAt = now.toISOString();
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: outboxKeys.mail(eventId, sub),
            UpdateExpression: 'SET #state = :sending, claimedAt = :now ADD attempts :one',
            ConditionExpression:
              'attribute_exists(pk) AND (#state = :pending OR (#state = :sending AND claimedAt < :expired))',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':sending': 'sending',
              ':pending': 'pending',
              ':now': claimedAt,
              ':expired': new Date(now.getTime() - leaseMs).toISOString(),
              ':one': 1,
            },
          }),
        );
        return { outcome: 'claimed', claimedAt };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        const mail = (await this.getMail(eventId, sub)) as
          | (Mail & { state: MailState; claimedAt?: string })
          | undefined;
        return mail?.state === 'sending'
          ? { outcome: 'busy', claimedAt: mail.claimedAt ?? claimedAt }
          : { outcome: 'done' };
      }
    },

    async release(eventId, sub, claimedAt) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: outboxKeys.mail(eventId, sub),
            UpdateExpression: 'SET #state = :pending',
            ConditionExpression: '#state = :sending AND claimedAt = :mine',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pending': 'pending', ':sending': 'sending', ':mine': claimedAt },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async finish(eventId, sub, outcome, now, claimedAt) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: outboxKeys.mail(eventId, sub),
            UpdateExpression:
              outcome.state === 'sent'
                ? 'SET #state = :state, finishedAt = :now, messageId = :detail'
                : 'SET #state = :state, finishedAt = :now, why = :detail',
            ConditionExpression: '#state = :sending AND claimedAt = :mine',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':state': outcome.state,
              ':now': now.toISOString(),
              ':detail': outcome.state === 'sent' ? outcome.messageId : outcome.why,
              ':sending': 'sending',
              ':mine': claimedAt,
            },
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new ConflictError(`Mail ${eventId} to ${sub} was claimed by another sender meanwhile`);
        }
        throw error;
      }
    },

    async isSuppressed(email) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: outboxKeys.suppressed(email),
          ProjectionExpression: 'pk',
        }),
      );
      return result.Item !== undefined;
    },

    async suppress(email, why) {
      // The address itself is not stored: the hash is enough to honour the list, and a leaked table names
      // nobody.
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...outboxKeys.suppressed(email), entity: 'suppressed', type: why.type, at: why.at },
        }),
      );
    },

    async addToDigest(day, entry) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...outboxKeys.digest(day, entry.sub, entry.eventId),
            entity: 'digest-entry',
            ...entry,
            ttl: ttl(new Date(entry.at)),
          },
        }),
      );
    },

    async *listDigest(day) {
      for await (const page of paginateQuery(
        { client },
        {
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': outboxKeys.digestPartition(day) },
        },
      )) {
        yield (page.Items ?? []).map((item) => {
          const { pk: _pk, sk: _sk, entity: _entity, ttl: _ttl, ...entry } = item;
          return entry as DigestEntry;
        });
      }
    },
  };
}
