/**
 * Web sessions in the sessions table: one item per signed-in browser, keyed by a hash of the session's
 * id (`sessionKeys.session`), with the expiry in the `ttl` attribute so DynamoDB deletes records nobody
 * signed out of. Every read is a GetItem on that key.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { parseGroupsClaim } from '../domain/principal';
import type { SessionRecord } from '../domain/sessions';
import { isConditionFailure } from './errors';
import { sessionKeys } from './keys';

/** Reads and writes web sessions. */
export interface SessionRepository {
  /** The session with this id, or undefined (never existed, signed out, or removed by TTL). */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Stores a new session (its id is fresh and random: an existing one is never overwritten). */
  create(record: SessionRecord): Promise<void>;
  /**
   * Records a look-up of the user (their groups and email now); false when the session is gone meanwhile
   * (signed out in another tab), which is never brought back.
   */
  recordCheck(record: SessionRecord): Promise<boolean>;
  /** Ends a session; ending one that is gone already is not an error. */
  delete(id: string): Promise<void>;
}

/** The TTL attribute's value: the expiry in epoch seconds, as DynamoDB's TTL reads it. */
export function ttlOf(record: Pick<SessionRecord, 'expiresAt'>): number {
  return Math.ceil(Date.parse(record.expiresAt) / 1000);
}

/** A DynamoDB session repository over the sessions table. */
export function createSessionRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SessionRepository {
  const { client, tableName } = deps;
  return {
    async get(id) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: sessionKeys.session(id), ConsistentRead: true }),
      );
      if (Item?.entity !== 'session' || typeof Item.sub !== 'string') return undefined;
      return {
        id,
        sub: Item.sub,
        ...(typeof Item.username === 'string' ? { username: Item.username } : {}),
        ...(typeof Item.email === 'string' ? { email: Item.email } : {}),
        groups: parseGroupsClaim(Item.groups),
        csrf: String(Item.csrf),
        startedAt: String(Item.startedAt),
        checkedAt: String(Item.checkedAt),
        expiresAt: String(Item.expiresAt),
      };
    },

    async create(record) {
      const { id: _id, ...stored } = record;
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...sessionKeys.session(record.id), entity: 'session', ...stored, ttl: ttlOf(record) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async recordCheck(record) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: sessionKeys.session(record.id),
            UpdateExpression: record.email
              ? 'SET #groups = :groups, checkedAt = :checkedAt, email = :email'
              : 'SET #groups = :groups, checkedAt = :checkedAt REMOVE email',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#groups': 'groups' },
            ExpressionAttributeValues: {
              ':groups': record.groups,
              ':checkedAt': record.checkedAt,
              ...(record.email ? { ':email': record.email } : {}),
            },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async delete(id) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: sessionKeys.session(id) }));
    },
  };
}
