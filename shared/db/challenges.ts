/**
 * Standstill challenges in the `sealed` table (issue 15).
 *
 * A challenge lives in the challenging bidder's own partition (`BID#<competition>#<provider>`, sk
 * `CHALLENGE#<award decided at>`), beside its bid and debrief: the bidder-facing functions put and read it
 * with the per-bidder credentials they already hold for that partition (`providerDataRole: 'bidder'`), and
 * gain no grant on anything else. Insiders list a competition's challenges through gsi1
 * (`CHALLENGES#<competition>`, by challenge id).
 *
 * The invariant "no award is confirmed while a challenge of it is open" is kept by conditions, not by a
 * read: raising a challenge checks, in its transaction, that the competition is still in standstill on the
 * same award decision (and that the challenger is still a member of the organisation, as asking a question
 * does: a member removed after the page was read cannot still challenge in its name); confirming the award checks, in its transaction, that no bidder's challenge of that
 * decision (one key per bidder, known from the bids) is open. DynamoDB serialises the two transactions, so
 * whichever commits second is refused. Deciding a challenge rewrites it with a condition that it is still
 * open, so two decisions cannot both land.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Challenge } from '../domain/challenges';
import type { TransactItem } from './audit';
import { IncompleteReadError } from './errors';
import { procurementKeys, registryKeys, sealedKeys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

/**
 * The most bidders whose challenges one confirmation can guard: a DynamoDB transaction holds 100 items,
 * and confirming also writes the competition, the contract and its audit event.
 */
export const MAX_GUARDED_BIDDERS = 90;

/** How many times a batch read is retried for unprocessed keys before it fails. */
const BATCH_READ_ATTEMPTS = 5;

/** What the award confirmation needs: the guard on open challenges, and a read of them to say why. */
export interface ChallengeGuard {
  /** The challenges of one award decision by these bidders (those that exist), read consistently. */
  ofDecision(
    competitionId: string,
    awardDecidedAt: string,
    providerIds: readonly string[],
  ): Promise<Challenge[]>;
  /**
   * One condition check per bidder: its challenge of the decision does not exist or is not open. In the
   * confirmation's transaction, these make an open challenge refuse the confirmation.
   */
  noneOpenItems(
    competitionId: string,
    awardDecidedAt: string,
    providerIds: readonly string[],
  ): TransactItem[];
}

/** Reads challenges and builds their writes. */
export interface ChallengeRepository extends ChallengeGuard {
  /** An organisation's challenge of one award decision (its own partition), read consistently. */
  get(competitionId: string, providerId: string, awardDecidedAt: string): Promise<Challenge | undefined>;
  /** One challenge by id (insiders): found through gsi1, then read consistently. */
  find(competitionId: string, challengeId: string): Promise<Challenge | undefined>;
  /** A page of the competition's challenges in the order raised (insiders). */
  list(
    competitionId: string,
    request: { limit: number; cursor?: string | undefined },
  ): Promise<Page<Challenge>>;
  /**
   * Raising: the challenge (refused if this organisation already challenged this decision), a check that
   * the competition is still in standstill on that decision, and a check that the challenger
   * (`challenge.raisedBy`) is still a member of the organisation. Items in that order.
   */
  raiseItems(challenge: Challenge): TransactItem[];
  /** Deciding: the challenge rewritten, refused unless it is still open. */
  decisionItems(decided: Challenge): TransactItem[];
}

function strip(item: Record<string, unknown>): Challenge {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g, gsi1sk: _gs, ...rest } = item;
  return rest as unknown as Challenge;
}

/** A DynamoDB challenge repository. */
export function createChallengeRepository(deps: {
  client: DynamoDBDocumentClient;
  sealedTable: string;
  procurementTable: string;
  /** The registry, where the raise checks the challenger's membership. */
  registryTable: string;
}): ChallengeRepository {
  const { client, sealedTable, procurementTable, registryTable } = deps;

  const itemOf = (challenge: Challenge) => ({
    ...sealedKeys.challenge(challenge.competitionId, challenge.providerId, challenge.awardDecidedAt),
    ...sealedKeys.challengeIndex(challenge.competitionId, challenge.id),
    entity: 'challenge',
    ...challenge,
  });

  async function get(competitionId: string, providerId: string, awardDecidedAt: string) {
    const result = await client.send(
      new GetCommand({
        TableName: sealedTable,
        Key: sealedKeys.challenge(competitionId, providerId, awardDecidedAt),
        ConsistentRead: true,
      }),
    );
    return result.Item ? strip(result.Item) : undefined;
  }

  return {
    get,

    async ofDecision(competitionId, awardDecidedAt, providerIds) {
      const found: Challenge[] = [];
      const unique = [...new Set(providerIds)];
      for (let i = 0; i < unique.length; i += 100) {
        let keys: Record<string, unknown>[] | undefined = unique
          .slice(i, i + 100)
          .map((p) => sealedKeys.challenge(competitionId, p, awardDecidedAt));
        for (let attempt = 0; keys && keys.length > 0 && attempt < BATCH_READ_ATTEMPTS; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** (attempt - 1)));
          const result: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({ RequestItems: { [sealedTable]: { Keys: keys, ConsistentRead: true } } }),
          );
          for (const item of result.Responses?.[sealedTable] ?? []) found.push(strip(item));
          keys = result.UnprocessedKeys?.[sealedTable]?.Keys;
        }
        if (keys && keys.length > 0)
          throw new IncompleteReadError(`${keys.length} challenges could not be read; try again.`);
      }
      return found.sort((a, b) => a.id.localeCompare(b.id));
    },

    noneOpenItems(competitionId, awardDecidedAt, providerIds) {
      const unique = [...new Set(providerIds)];
      if (unique.length > MAX_GUARDED_BIDDERS) {
        throw new Error(
          `A confirmation can guard the challenges of ${MAX_GUARDED_BIDDERS} bidders at most (there are ${unique.length}).`,
        );
      }
      return unique.map((providerId) => ({
        ConditionCheck: {
          TableName: sealedTable,
          Key: sealedKeys.challenge(competitionId, providerId, awardDecidedAt),
          ConditionExpression: 'attribute_not_exists(pk) OR #status <> :open',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':open': 'open' },
        },
      }));
    },

    async find(competitionId, challengeId) {
      const result = await client.send(
        new QueryCommand({
          TableName: sealedTable,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk = :id',
          ExpressionAttributeValues: {
            ':pk': sealedKeys.challengesOfCompetition(competitionId),
            ':id': challengeId,
          },
        }),
      );
      const indexed = result.Items?.[0];
      if (!indexed) return undefined;
      // The index is eventually consistent: the item itself is read again, consistently, by its key.
      const found = strip(indexed);
      return get(competitionId, found.providerId, found.awardDecidedAt);
    },

    async list(competitionId, request) {
      const scope = ['challenges', competitionId];
      const after = decodeCursor(request.cursor, scope);
      const result = await client.send(
        new QueryCommand({
          TableName: sealedTable,
          IndexName: 'gsi1',
          KeyConditionExpression: after ? 'gsi1pk = :pk AND gsi1sk > :after' : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': sealedKeys.challengesOfCompetition(competitionId),
            ...(after ? { ':after': after } : {}),
          },
          Limit: request.limit + 1,
        }),
      );
      const entries = (result.Items ?? []).map((item) => strip(item));
      return mergePage([entries], (c) => c.id, request.limit, scope);
    },

    raiseItems(challenge) {
      return [
        {
          Put: {
            TableName: sealedTable,
            Item: itemOf(challenge),
            // One challenge per organisation and award decision.
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // Blind (the bidder role's guard on competitions): still in standstill on the same decision.
          ConditionCheck: {
            TableName: procurementTable,
            Key: procurementKeys.competition(challenge.competitionId),
            ConditionExpression:
              '#status = :standstill AND #award.#decidedAt = :decidedAt AND attribute_not_exists(#award.#awardedAt)',
            ExpressionAttributeNames: {
              '#status': 'status',
              '#award': 'award',
              '#decidedAt': 'decidedAt',
              '#awardedAt': 'awardedAt',
            },
            ExpressionAttributeValues: {
              ':standstill': 'standstill',
              ':decidedAt': challenge.awardDecidedAt,
            },
          },
        },
        {
          // Blind too (the bidder role may only check its own organisation's registry items): the
          // challenger is still a member, so removal between the page and the write refuses the challenge.
          ConditionCheck: {
            TableName: registryTable,
            Key: registryKeys.member(challenge.providerId, challenge.raisedBy),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ];
    },

    decisionItems(decided) {
      return [
        {
          Put: {
            TableName: sealedTable,
            Item: itemOf(decided),
            ConditionExpression: '#status = :open',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':open': 'open' },
          },
        },
      ];
    },
  };
}
