/**
 * Bids, scores and moderation in the `sealed` table.
 *
 * Each bidder has a partition of its own (`BID#<competition>#<provider>`: draft, submitted versions, the
 * head that names the current bid, and later its debrief), which is all a bidder-facing function can reach.
 * Scores and moderation live in the competition's partition, which only wall-checked functions read.
 * Every bid write carries a condition check on the competition in the same transaction — still tendering,
 * the tender deadline after the request time, and the bidder on the shortlist when there is one — so a
 * write racing the deadline can never land late.
 */
import { type DynamoDBDocumentClient, GetCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { BidContent } from '../domain/bids';
import type { TransactItem } from './audit';
import { procurementKeys, sealedKeys } from './keys';
import { type Participation, participationPut, queryParticipation } from './participation';

/** A bidder's draft. */
export interface BidDraft extends BidContent {
  competitionId: string;
  providerId: string;
  bidId: string;
  updatedAt: string;
  updatedBy: string;
}

/** The current bid of a bidder: its latest submitted version, or its withdrawal. */
export interface BidHead {
  competitionId: string;
  providerId: string;
  providerName: string;
  bidId: string;
  status: 'submitted' | 'withdrawn';
  version: number;
  content: BidContent;
  submittedAt: string;
  submittedBy: string;
  withdrawnAt?: string | undefined;
  /** The tender documents' versions current at submission, by document id (issue 15). */
  documentVersions?: Record<string, number> | undefined;
}

/** One evaluator's scores for one bid. */
export interface EvaluatorScores {
  bidId: string;
  evaluator: string;
  scores: { criterionId: string; score: number; justification: string }[];
  scoredAt: string;
}

/** The moderator's agreed scores for one bid. */
export interface ModeratedScores {
  bidId: string;
  moderator: string;
  scores: { criterionId: string; score: number; rationale: string }[];
  moderatedAt: string;
}

/** What a bidder is told after the award decision. */
export interface Debrief {
  competitionId: string;
  providerId: string;
  outcome: 'successful' | 'unsuccessful';
  yours: { scores: Record<string, number>; totalPoints: number; rank: number };
  winner: { name: string; scores: Record<string, number>; totalPoints: number };
  /** Present when the award departed from the ranking: the winner's rank and the lead's reason. */
  awardOverride?: { winnerRank: number; reason: string } | undefined;
  decidedAt: string;
  standstillEndsAt: string;
}

/** The lead's record of how a bidder explained an abnormally low price. */
export interface PriceClarification {
  id: string;
  bidId: string;
  note: string;
  recordedAt: string;
  recordedBy: string;
}

/** Reads bids and builds their writes. */
export interface BidRepository {
  getDraft(competitionId: string, providerId: string): Promise<BidDraft | undefined>;
  getHead(competitionId: string, providerId: string): Promise<BidHead | undefined>;
  getDebrief(competitionId: string, providerId: string): Promise<Debrief | undefined>;
  /** The condition that the competition still takes bids from this provider at `at`. */
  openCheck(competitionId: string, providerId: string, at: string, shortlisted: boolean): TransactItem;
  draftItems(draft: BidDraft): TransactItem[];
  /** Stores `head` as the next version (the previous head must still be at `previousVersion`). */
  submitItems(head: BidHead, previousVersion: number | undefined): TransactItem[];
  withdrawItems(head: BidHead, previousVersion: number): TransactItem[];

  /** The bidder's own participation item, put with the bid write it describes. */
  participationItems(participation: Participation): TransactItem[];
  /** A page of the competitions the provider takes part in, newest first, before competition `before`. */
  listParticipation(
    providerId: string,
    options: { limit: number; before?: string | undefined },
  ): Promise<Participation[]>;

  /** Every submitted or withdrawn bid of a competition (insiders only). */
  listHeads(competitionId: string): Promise<BidHead[]>;
  /** Every evaluator score and moderated score of a competition (insiders only). */
  evaluationData(competitionId: string): Promise<{ scores: EvaluatorScores[]; moderated: ModeratedScores[] }>;
  scoreItems(competitionId: string, scores: EvaluatorScores): TransactItem[];
  moderatedItems(competitionId: string, moderated: ModeratedScores): TransactItem[];
  debriefItems(debrief: Debrief): TransactItem[];
  /** The price clarifications recorded for a bid, oldest first (insiders only). */
  priceClarifications(competitionId: string, bidId: string): Promise<PriceClarification[]>;
  /** Appends a price clarification (never overwrites one). */
  priceClarificationItems(competitionId: string, clarification: PriceClarification): TransactItem[];
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _entity, gsi1pk: _g, gsi1sk: _gs, ...rest } = item;
  return rest as T;
}

/** A DynamoDB bid repository. */
export function createBidRepository(deps: {
  client: DynamoDBDocumentClient;
  sealedTable: string;
  procurementTable: string;
}): BidRepository {
  const { client, sealedTable, procurementTable } = deps;
  const get = async <T>(key: Record<string, string>): Promise<T | undefined> => {
    const result = await client.send(
      new GetCommand({ TableName: sealedTable, Key: key, ConsistentRead: true }),
    );
    return result.Item ? strip<T>(result.Item) : undefined;
  };

  /** An unconditional put of one item into the sealed table (its key, its entity name, its attributes). */
  const put = (key: Record<string, string>, entity: string, body: object): TransactItem => ({
    Put: { TableName: sealedTable, Item: { ...key, entity, ...body } },
  });

  return {
    getDraft: (competitionId, providerId) => get<BidDraft>(sealedKeys.bidDraft(competitionId, providerId)),
    getHead: (competitionId, providerId) => get<BidHead>(sealedKeys.bidHead(competitionId, providerId)),
    getDebrief: (competitionId, providerId) => get<Debrief>(sealedKeys.debrief(competitionId, providerId)),

    openCheck(competitionId, providerId, at, shortlisted) {
      return {
        ConditionCheck: {
          TableName: procurementTable,
          Key: procurementKeys.competition(competitionId),
          ConditionExpression: shortlisted
            ? '#status = :tendering AND tenderDeadline > :at AND contains(shortlist, :provider)'
            : '#status = :tendering AND tenderDeadline > :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':tendering': 'tendering',
            ':at': at,
            ...(shortlisted ? { ':provider': providerId } : {}),
          },
        },
      };
    },

    draftItems(draft) {
      return [put(sealedKeys.bidDraft(draft.competitionId, draft.providerId), 'bid-draft', draft)];
    },

    submitItems(head, previousVersion) {
      return [
        {
          Put: {
            TableName: sealedTable,
            Item: {
              ...sealedKeys.bidVersion(head.competitionId, head.providerId, head.version),
              entity: 'bid-version',
              ...head,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: sealedTable,
            Item: {
              ...sealedKeys.bidHead(head.competitionId, head.providerId),
              ...sealedKeys.bidHeadIndex(head.competitionId, head.providerId),
              entity: 'bid-head',
              ...head,
            },
            ...(previousVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'version = :previous',
                  ExpressionAttributeValues: { ':previous': previousVersion },
                }),
          },
        },
      ];
    },

    withdrawItems(head, previousVersion) {
      return [
        {
          Put: {
            TableName: sealedTable,
            Item: {
              ...sealedKeys.bidHead(head.competitionId, head.providerId),
              ...sealedKeys.bidHeadIndex(head.competitionId, head.providerId),
              entity: 'bid-head',
              ...head,
            },
            ConditionExpression: 'version = :previous AND #status = :submitted',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':previous': previousVersion, ':submitted': 'submitted' },
          },
        },
      ];
    },

    participationItems: (participation) => [participationPut(sealedTable, participation)],
    listParticipation: (providerId, options) => queryParticipation(client, sealedTable, providerId, options),

    async listHeads(competitionId) {
      const heads: BidHead[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: sealedTable,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': sealedKeys.bidsOfCompetition(competitionId) },
        },
      )) {
        for (const item of page.Items ?? []) heads.push(strip<BidHead>(item));
      }
      return heads;
    },

    async evaluationData(competitionId) {
      const scores: EvaluatorScores[] = [];
      const moderated: ModeratedScores[] = [];
      for (const [prefix, into] of [
        ['SCORE#', scores],
        ['MODERATED#', moderated],
      ] as const) {
        for await (const page of paginateQuery(
          { client },
          {
            TableName: sealedTable,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': sealedKeys.partition(competitionId).pk, ':prefix': prefix },
            ConsistentRead: true,
          },
        )) {
          for (const item of page.Items ?? []) (into as unknown[]).push(strip(item));
        }
      }
      return { scores, moderated };
    },

    scoreItems(competitionId, scores) {
      return [put(sealedKeys.score(competitionId, scores.bidId, scores.evaluator), 'bid-scores', scores)];
    },

    moderatedItems(competitionId, moderated) {
      return [put(sealedKeys.moderated(competitionId, moderated.bidId), 'moderated-scores', moderated)];
    },

    debriefItems(debrief) {
      return [put(sealedKeys.debrief(debrief.competitionId, debrief.providerId), 'debrief', debrief)];
    },

    async priceClarifications(competitionId, bidId) {
      const found: PriceClarification[] = [];
      for await (const page of paginateQuery(
        { client },
        {
          TableName: sealedTable,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': sealedKeys.partition(competitionId).pk,
            ':prefix': `CLARIFY#${bidId}#`,
          },
          ConsistentRead: true,
        },
      )) {
        for (const item of page.Items ?? []) found.push(strip<PriceClarification>(item));
      }
      return found;
    },

    priceClarificationItems(competitionId, clarification) {
      const item = put(
        sealedKeys.priceClarification(competitionId, clarification.bidId, clarification.id),
        'price-clarification',
        clarification,
      );
      return [{ Put: { ...item.Put, ConditionExpression: 'attribute_not_exists(pk)' } } as TransactItem];
    },
  };
}
