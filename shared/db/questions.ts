/**
 * Clarification questions in the `procurement` table (issue 15): one partition per competition's questions,
 * the public log of published answers on gsi1 and each asking organisation's questions on gsi2. Key layout
 * and access patterns: `questionKeys` in `keys.ts`. Writes are returned as transaction items, so each
 * commits together with its guards, its notification and its audit event.
 *
 * Each asking organisation has a count of its questions waiting for an answer on the competition
 * (`questionKeys.pendingCount`): the ask adds one under the condition that it is below the cap, the answer
 * (to all or privately) takes one away, both in their own transactions, so concurrent asks can never pass
 * the cap together. The count sits in the questions' partition outside their sort-key prefix and without
 * index keys, so no listing reads it: it reveals the asker to nobody.
 */
import { type DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { isPublished, logOrderKey, type Question } from '../domain/questions';
import type { TransactItem } from './audit';
import { procurementKeys, questionKeys, registryKeys } from './keys';
import { decodeCursor, mergePage, type Page } from './pagination';

/** A page request. */
export interface QuestionPageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** What must still hold when a question is stored (each a condition check in its transaction). */
export interface AskGuards {
  /** The competition as read: its version must be unchanged, so its deadlines are those judged. */
  competition: { id: string; version: number };
  /** The asking organisation: still verified. */
  providerId: string;
  /** The asker: still a member of it. */
  sub: string;
  /** The most questions the organisation may have waiting for an answer on the competition at once. */
  maxPending: number;
}

/** Reads questions and builds their writes. */
export interface QuestionRepository {
  /** One question, or undefined. */
  get(competitionId: string, questionId: string): Promise<Question | undefined>;
  /** Every question of a competition, in the order asked (insiders). */
  listAll(competitionId: string, request: QuestionPageRequest): Promise<Page<Question>>;
  /** Published answers, in the order published (everyone). */
  listPublished(competitionId: string, request: QuestionPageRequest): Promise<Page<Question>>;
  /**
   * Published answers merged with the given organisations' own questions, in `logOrderKey` order (the
   * askers' members): their own questions appear once, as their own.
   */
  listForAskers(
    competitionId: string,
    providerIds: readonly string[],
    request: QuestionPageRequest,
  ): Promise<Page<Question>>;
  /**
   * A new question (refused if its id exists), guarded: the competition unchanged since it was read, the
   * provider verified, the asker a member, and the organisation's count of questions waiting for an answer
   * below `maxPending` (the count goes up by one). Items in that order: question, competition, provider,
   * member, count.
   */
  askItems(question: Question, guards: AskGuards): TransactItem[];
  /**
   * The question answered, written only if it is still unanswered, and its organisation's count of
   * questions waiting for an answer down by one. Items in that order: answer, count.
   */
  answerItems(answered: Question): TransactItem[];
}

/** The `entity` of an organisation's count of questions waiting for an answer. */
const PENDING_COUNT_ENTITY = 'question-waiting-count';

/** The stored item of a question: its keys, and the index keys its state calls for. */
function questionItem(question: Question): Record<string, unknown> {
  const order = logOrderKey(question);
  return {
    ...questionKeys.question(question.competitionId, question.id),
    ...(isPublished(question) ? questionKeys.publishedIndex(question.competitionId, order) : {}),
    ...questionKeys.askerIndex(question.competitionId, question.providerId, order),
    entity: 'question',
    ...question,
  };
}

function toQuestion(item: Record<string, unknown>): Question {
  const {
    pk: _pk,
    sk: _sk,
    entity: _entity,
    gsi1pk: _g1,
    gsi1sk: _g1s,
    gsi2pk: _g2,
    gsi2sk: _g2s,
    ...rest
  } = item;
  return rest as unknown as Question;
}

/** A DynamoDB question repository. */
export function createQuestionRepository(deps: {
  client: DynamoDBDocumentClient;
  procurementTable: string;
  /** The registry, where the ask's guards on the provider and the membership are checked. */
  registryTable: string;
}): QuestionRepository {
  const { client, procurementTable, registryTable } = deps;

  /** One partition's entries after `after` in ascending order: the base table, or an index. */
  async function readAfter(
    source: { index?: 'gsi1' | 'gsi2'; partition: string; prefix?: string },
    after: string | undefined,
    limit: number,
  ): Promise<{ key: string; question: Question }[]> {
    const pk = source.index ? `${source.index}pk` : 'pk';
    const sk = source.index ? `${source.index}sk` : 'sk';
    const from = after ?? source.prefix;
    const condition = after
      ? '#pk = :pk AND #sk > :from'
      : source.prefix
        ? '#pk = :pk AND begins_with(#sk, :from)'
        : '#pk = :pk';
    const result = await client.send(
      new QueryCommand({
        TableName: procurementTable,
        ...(source.index ? { IndexName: source.index } : { ConsistentRead: true }),
        KeyConditionExpression: condition,
        ExpressionAttributeNames: { '#pk': pk, ...(from !== undefined ? { '#sk': sk } : {}) },
        ExpressionAttributeValues: {
          ':pk': source.partition,
          ...(from !== undefined ? { ':from': from } : {}),
        },
        Limit: limit + 1,
      }),
    );
    return (result.Items ?? []).map((item) => ({ key: String(item[sk]), question: toQuestion(item) }));
  }

  return {
    async get(competitionId, questionId) {
      const result = await client.send(
        new GetCommand({
          TableName: procurementTable,
          Key: questionKeys.question(competitionId, questionId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toQuestion(result.Item) : undefined;
    },

    async listAll(competitionId, request) {
      const scope = ['questions', competitionId, 'all'];
      const after = decodeCursor(request.cursor, scope);
      const entries = await readAfter(
        { partition: questionKeys.partition(competitionId), prefix: questionKeys.questionPrefix },
        after,
        request.limit,
      );
      const page = mergePage([entries], (entry) => entry.key, request.limit, scope);
      return { items: page.items.map((entry) => entry.question), nextCursor: page.nextCursor };
    },

    async listPublished(competitionId, request) {
      const scope = ['questions', competitionId, 'published'];
      const after = decodeCursor(request.cursor, scope);
      const entries = await readAfter(
        { index: 'gsi1', partition: questionKeys.publishedPartition(competitionId) },
        after,
        request.limit,
      );
      const page = mergePage([entries], (entry) => entry.key, request.limit, scope);
      return { items: page.items.map((entry) => entry.question), nextCursor: page.nextCursor };
    },

    async listForAskers(competitionId, providerIds, request) {
      const organisations = [...new Set(providerIds)].sort();
      const scope = ['questions', competitionId, 'askers', ...organisations];
      const after = decodeCursor(request.cursor, scope);
      // The organisations' own first: `mergePage` keeps the first of two entries with one key, so a
      // published answer to one of them is shown as theirs.
      const partitions = await Promise.all([
        ...organisations.map((providerId) =>
          readAfter(
            { index: 'gsi2', partition: questionKeys.askerPartition(competitionId, providerId) },
            after,
            request.limit,
          ),
        ),
        readAfter(
          { index: 'gsi1', partition: questionKeys.publishedPartition(competitionId) },
          after,
          request.limit,
        ),
      ]);
      const page = mergePage(partitions, (entry) => entry.key, request.limit, scope);
      return { items: page.items.map((entry) => entry.question), nextCursor: page.nextCursor };
    },

    askItems(question, guards) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: questionItem(question),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          ConditionCheck: {
            TableName: procurementTable,
            Key: procurementKeys.competition(guards.competition.id),
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': guards.competition.version },
          },
        },
        {
          ConditionCheck: {
            TableName: registryTable,
            Key: registryKeys.provider(guards.providerId),
            ConditionExpression: '#status = :verified',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':verified': 'verified' },
          },
        },
        {
          ConditionCheck: {
            TableName: registryTable,
            Key: registryKeys.member(guards.providerId, guards.sub),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          // The cap, kept by the condition on the count itself: of two asks racing for the last place,
          // DynamoDB lets one transaction through and the other finds the count at the cap.
          Update: {
            TableName: procurementTable,
            Key: questionKeys.pendingCount(question.competitionId, question.providerId),
            UpdateExpression: 'SET #entity = :entity ADD #waiting :one',
            ConditionExpression: 'attribute_not_exists(#waiting) OR #waiting < :max',
            ExpressionAttributeNames: { '#entity': 'entity', '#waiting': 'waiting' },
            ExpressionAttributeValues: {
              ':entity': PENDING_COUNT_ENTITY,
              ':one': 1,
              ':max': guards.maxPending,
            },
          },
        },
      ];
    },

    answerItems(answered) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: questionItem(answered),
            ConditionExpression: '#status = :asked',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':asked': 'asked' },
          },
        },
        {
          // No condition: the answer's own condition (still unanswered) makes this happen once per question.
          // A question stored before counts existed makes the count go below zero, which only leaves its
          // organisation that many more places.
          Update: {
            TableName: procurementTable,
            Key: questionKeys.pendingCount(answered.competitionId, answered.providerId),
            UpdateExpression: 'SET #entity = :entity ADD #waiting :minusOne',
            ExpressionAttributeNames: { '#entity': 'entity', '#waiting': 'waiting' },
            ExpressionAttributeValues: { ':entity': PENDING_COUNT_ENTITY, ':minusOne': -1 },
          },
        },
      ];
    },
  };
}
