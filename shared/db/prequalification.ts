/**
 * Pre-qualification responses and evaluator marks in the `sealed` table. Submission is conditional on the
 * competition (in `procurement`) still being open at the request time, in the same transaction, so a
 * response racing the deadline can never land late.
 */
import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import type { Answer, AutomaticResult } from '../domain/prequalification';
import type { TransactItem } from './audit';
import { procurementKeys, sealedKeys } from './keys';

/** A submitted response. */
export interface PrequalificationResponse {
  id: string;
  competitionId: string;
  providerId: string;
  providerName: string;
  consortium: { providerId: string; name: string; role: string }[];
  answers: Record<string, Answer>;
  automatic: {
    exclusion: { result: AutomaticResult; reason: string };
    financial: { result: AutomaticResult; combinedTurnoverPence: number; minimumTurnoverPence: number };
  };
  submittedAt: string;
  submittedBy: string;
}

/** An evaluator's mark on a response. */
export interface ResponseMark {
  providerId: string;
  responseId: string;
  evaluator: string;
  result: 'pass' | 'fail';
  comment: string;
  markedAt: string;
}

/** Reads responses and builds their writes. */
export interface PrequalificationRepository {
  /** The response (replacing an earlier one of the same applicant), if the competition is still open at `at`. */
  submitItems(response: PrequalificationResponse, at: string): TransactItem[];
  /** Every response and mark of a competition. */
  list(competitionId: string): Promise<{ responses: PrequalificationResponse[]; marks: ResponseMark[] }>;
  markItems(competitionId: string, mark: ResponseMark): TransactItem[];
}

/** A DynamoDB pre-qualification repository. */
export function createPrequalificationRepository(deps: {
  client: DynamoDBDocumentClient;
  procurementTable: string;
  sealedTable: string;
}): PrequalificationRepository {
  const { client, procurementTable, sealedTable } = deps;

  /** Every item of a partition (with a sort key prefix, if given), keys stripped. */
  async function queryAll(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await client.send(
        new QueryCommand({
          TableName: sealedTable,
          KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':prefix': skPrefix } : {}) },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      for (const { pk: _pk, sk: _sk, entity: _entity, ...rest } of page.Items ?? []) items.push(rest);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  return {
    submitItems(response, at) {
      return [
        {
          ConditionCheck: {
            TableName: procurementTable,
            Key: procurementKeys.competition(response.competitionId),
            ConditionExpression: '#status = :open AND prequalificationDeadline > :at',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':open': 'prequalification', ':at': at },
          },
        },
        {
          Put: {
            TableName: sealedTable,
            Item: {
              ...sealedKeys.response(response.competitionId, response.providerId),
              entity: 'prequalification-response',
              ...response,
            },
          },
        },
      ];
    },

    async list(competitionId) {
      const [responses, marks] = await Promise.all([
        queryAll(sealedKeys.responsePartition(competitionId).pk),
        queryAll(sealedKeys.partition(competitionId).pk, 'MARK#'),
      ]);
      return {
        responses: (responses as unknown as PrequalificationResponse[]).sort((a, b) =>
          a.providerName.localeCompare(b.providerName),
        ),
        marks: marks as unknown as ResponseMark[],
      };
    },

    markItems(competitionId, mark) {
      return [
        {
          Put: {
            TableName: sealedTable,
            Item: {
              ...sealedKeys.mark(competitionId, mark.providerId, mark.evaluator),
              entity: 'response-mark',
              ...mark,
            },
          },
        },
      ];
    },
  };
}
