/**
 * Web sessions in the sessions table: one item per signed-in browser, keyed by a hash of the session's
 * id (`sessionKeys.session`), with the expiry in the `ttl` attribute so DynamoDB deletes records nobody
 * signed out of. Every read is a GetItem on that key.
 *
 * Beside it, in the same partition, the session's drafts (`sessionKeys.draft`): answers typed into
 * question pages and not yet sent, one item per journey, written only while the session's record exists
 * (a transaction checks it), expiring with the session (the same `ttl`) and deleted with it at sign-out.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { parseGroupsClaim } from '../domain/principal';
import {
  DRAFT_KINDS,
  type DraftKind,
  MAX_DRAFT_BYTES,
  type SessionRecord,
  type StoredDraft,
} from '../domain/sessions';
import { cancellationCodes, isConditionFailure } from './errors';
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
  /** Ends a session, and its drafts with it; ending one that is gone already is not an error. */
  delete(id: string): Promise<void>;
}

/** Reads and writes the drafts of web sessions (in the sessions table, beside each session). */
export interface SessionDraftRepository {
  /** The session's draft of one journey, or undefined (none kept, or removed by TTL). */
  getDraft(id: string, kind: DraftKind): Promise<StoredDraft | undefined>;
  /**
   * Keeps a draft (replacing the journey's earlier one) while the session's record exists; false when the
   * session is gone (signed out in another tab), and then nothing is written.
   */
  putDraft(id: string, kind: DraftKind, draft: StoredDraft): Promise<boolean>;
  /** Drops the session's draft of one journey; none there is not an error. */
  deleteDraft(id: string, kind: DraftKind): Promise<void>;
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
      // The session and every draft of it at once: no answers outlive the sign-out.
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: tableName, Key: sessionKeys.session(id) } },
            ...DRAFT_KINDS.map((kind) => ({
              Delete: { TableName: tableName, Key: sessionKeys.draft(id, kind) },
            })),
          ],
        }),
      );
    },
  };
}

/** A DynamoDB repository of session drafts over the sessions table. */
export function createSessionDraftRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SessionDraftRepository {
  const { client, tableName } = deps;
  return {
    async getDraft(id, kind) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: sessionKeys.draft(id, kind), ConsistentRead: true }),
      );
      if (Item?.entity !== 'draft' || typeof Item.sub !== 'string') return undefined;
      if (!(Item.answers instanceof Uint8Array)) return undefined;
      let answers: string;
      try {
        // Bounded as the writer bounded it: a corrupt or foreign item cannot inflate without limit.
        answers = inflateRawSync(Item.answers, { maxOutputLength: MAX_DRAFT_BYTES }).toString('utf8');
      } catch {
        return undefined;
      }
      return {
        sub: Item.sub,
        answers,
        savedAt: String(Item.savedAt),
        expiresAt: String(Item.expiresAt),
      };
    },

    async putDraft(id, kind, draft) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: sessionKeys.session(id),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: {
                    ...sessionKeys.draft(id, kind),
                    entity: 'draft',
                    sub: draft.sub,
                    // Compressed: prose shrinks to a third or so, and so do the write and the reads.
                    answers: deflateRawSync(Buffer.from(draft.answers, 'utf8')),
                    savedAt: draft.savedAt,
                    expiresAt: draft.expiresAt,
                    ttl: ttlOf(draft),
                  },
                },
              },
            ],
          }),
        );
        return true;
      } catch (error) {
        if (cancellationCodes(error)?.[0] === 'ConditionalCheckFailed') return false;
        throw error;
      }
    },

    async deleteDraft(id, kind) {
      await client.send(new DeleteCommand({ TableName: tableName, Key: sessionKeys.draft(id, kind) }));
    },
  };
}
