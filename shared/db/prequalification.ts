/**
 * Pre-qualification responses and evaluator marks in the `sealed` table. Submission is conditional on the
 * competition (in `procurement`) still being open at the request time, in the same transaction, so a
 * response racing the deadline can never land late.
 */
import { type DynamoDBDocumentClient, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Answer, AutomaticResult } from '../domain/prequalification';
import type { TransactItem } from './audit';
import { procurementKeys, sealedKeys } from './keys';
import { type Participation, participationPut } from './participation';

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
  /** The applicant's own participation item, put (blind) with its response. */
  participationItems(participation: Participation): TransactItem[];
  /** Every response and mark of a competition. */
  list(competitionId: string): Promise<{ responses: PrequalificationResponse[]; marks: ResponseMark[] }>;
  /** Every response of a competition, without the marks (one query fewer). */
  responses(competitionId: string): Promise<PrequalificationResponse[]>;
  markItems(competitionId: string, mark: ResponseMark): TransactItem[];
}

/** A DynamoDB pre-qualification repository. */
export function createPrequalificationRepository(deps: {
  client: DynamoDBDocumentClient;
  procurementTable: string;
  sealedTable: string;
}): PrequalificationRepository {
  const { client, procurementTable, sealedTable } = deps;

  /** Every item a query finds, all pages, keys stripped. */
  async function queryAll(
    query: Pick<QueryCommandInput, 'IndexName' | 'KeyConditionExpression' | 'ExpressionAttributeValues'>,
  ): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery(
      { client },
      {
        TableName: sealedTable,
        ...query,
        // Indexes cannot be read consistently; the base table can.
        ...(query.IndexName ? {} : { ConsistentRead: true }),
      },
    )) {
      for (const item of page.Items ?? []) {
        const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _gs, entity: _entity, ...rest } = item;
        items.push(rest);
      }
    }
    return items;
  }

  async function responsesOf(competitionId: string): Promise<PrequalificationResponse[]> {
    // Responses are listed only after the deadline, when nothing changes them any more; the index is
    // eventually consistent, so a response stored in the last instant before the deadline shows once
    // the index has caught up (typically well under a second), not necessarily in a read made at once.
    const responses = await queryAll({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': sealedKeys.responsesOfCompetition(competitionId) },
    });
    return (responses as unknown as PrequalificationResponse[]).sort((a, b) =>
      a.providerName.localeCompare(b.providerName),
    );
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
              ...sealedKeys.responseIndex(response.competitionId, response.providerId),
              entity: 'prequalification-response',
              ...response,
            },
          },
        },
      ];
    },

    participationItems: (participation) => [participationPut(sealedTable, participation)],

    async list(competitionId) {
      const [responses, marks] = await Promise.all([
        responsesOf(competitionId),
        queryAll({
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': sealedKeys.partition(competitionId).pk, ':prefix': 'MARK#' },
        }),
      ]);
      return { responses, marks: marks as unknown as ResponseMark[] };
    },

    responses: responsesOf,

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
