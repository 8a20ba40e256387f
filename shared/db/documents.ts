/**
 * Tender document metadata in the procurement table (keys in `keys.ts`, `documentKeys`): one item per
 * document (title, kind, current version) and one per version (file name, type, size, when and by whom),
 * all in the competition's `DOCS#` partition, so listing a competition's documents with every version is one
 * Query. The files themselves are in S3 (`shared/storage/documents.ts`).
 *
 * Versions are append-only (a put conditioned on the version not existing), and a new version moves the
 * document's current version only if it is still the one read, so two uploads at once cannot both become
 * version 2.
 */
import { type DynamoDBDocumentClient, GetCommand, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  DOCUMENT_CHANGE_STATUSES,
  type DocumentVersion,
  type TenderDocument,
  type TenderDocumentWithVersions,
} from '../domain/documents';
import type { TransactItem } from './audit';
import { documentKeys, procurementKeys, sealedKeys } from './keys';

/** Reads document metadata and builds its writes. */
export interface DocumentRepository {
  /** Every document of a competition with its versions (newest first), oldest document first. */
  list(competitionId: string): Promise<TenderDocumentWithVersions[]>;
  /** Every document of a competition, without versions (its current version only). */
  current(competitionId: string): Promise<TenderDocument[]>;
  get(competitionId: string, documentId: string): Promise<TenderDocument | undefined>;
  /** A new document and its version 1; refused if the document exists. */
  createItems(document: TenderDocument, version: DocumentVersion): TransactItem[];
  /** The next version; refused unless the document is still at `version.version - 1`. */
  versionItems(document: TenderDocument, version: DocumentVersion): TransactItem[];
  /**
   * The guard every document change carries: the competition is still in a status that takes changes and
   * its tender deadline is after `at` (the request time), checked in the same transaction.
   */
  changeableCheck(competitionId: string, at: string): TransactItem;
  /**
   * The organisations connected to the competition (applied, drafted or submitted a bid, named in one): the
   * connection markers the wall reads for every inside decision. Who is told when a document changes; no bid
   * is read for it.
   */
  connectedOrganisations(competitionId: string): Promise<string[]>;
}

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
  return rest as T;
}

/** A DynamoDB document repository. */
export function createDocumentRepository(deps: {
  client: DynamoDBDocumentClient;
  procurementTable: string;
  sealedTable: string;
}): DocumentRepository {
  const { client, procurementTable, sealedTable } = deps;

  async function query(competitionId: string, prefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery(
      { client },
      {
        TableName: procurementTable,
        KeyConditionExpression: prefix ? 'pk = :pk AND begins_with(sk, :prefix)' : 'pk = :pk',
        ExpressionAttributeValues: {
          ':pk': documentKeys.partition(competitionId),
          ...(prefix ? { ':prefix': prefix } : {}),
        },
        ConsistentRead: true,
      },
    )) {
      items.push(...(page.Items ?? []));
    }
    return items;
  }

  const byCreation = (a: TenderDocument, b: TenderDocument) =>
    a.createdAt.localeCompare(b.createdAt) || a.documentId.localeCompare(b.documentId);

  return {
    async list(competitionId) {
      const items = await query(competitionId);
      const documents = new Map<string, TenderDocumentWithVersions>();
      const versions: (DocumentVersion & { documentId: string })[] = [];
      for (const item of items) {
        const sk = String(item.sk);
        if (sk.startsWith(documentKeys.documentsPrefix)) {
          const document = strip<TenderDocument>(item);
          documents.set(document.documentId, { ...document, versions: [] });
        } else if (sk.startsWith('VER#')) {
          versions.push(strip<DocumentVersion & { documentId: string }>(item));
        }
      }
      for (const { documentId, competitionId: _c, ...version } of versions as (DocumentVersion & {
        documentId: string;
        competitionId?: string;
      })[]) {
        documents.get(documentId)?.versions.push(version);
      }
      const list = [...documents.values()].sort(byCreation);
      for (const document of list) document.versions.sort((a, b) => b.version - a.version);
      return list;
    },

    async current(competitionId) {
      const items = await query(competitionId, documentKeys.documentsPrefix);
      return items.map((item) => strip<TenderDocument>(item)).sort(byCreation);
    },

    async get(competitionId, documentId) {
      const result = await client.send(
        new GetCommand({
          TableName: procurementTable,
          Key: documentKeys.document(competitionId, documentId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? strip<TenderDocument>(result.Item) : undefined;
    },

    createItems(document, version) {
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...documentKeys.document(document.competitionId, document.documentId),
              entity: 'document',
              ...document,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...documentKeys.version(document.competitionId, document.documentId, version.version),
              entity: 'documentVersion',
              competitionId: document.competitionId,
              documentId: document.documentId,
              ...version,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    versionItems(document, version) {
      return [
        {
          Update: {
            TableName: procurementTable,
            Key: documentKeys.document(document.competitionId, document.documentId),
            // The title and kind may be corrected with a new version; the creation time stays.
            UpdateExpression: 'SET currentVersion = :next, updatedAt = :at, #title = :title, #kind = :kind',
            ConditionExpression: 'currentVersion = :previous',
            ExpressionAttributeNames: { '#title': 'title', '#kind': 'kind' },
            ExpressionAttributeValues: {
              ':next': version.version,
              ':previous': version.version - 1,
              ':at': version.uploadedAt,
              ':title': document.title,
              ':kind': document.kind,
            },
          },
        },
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...documentKeys.version(document.competitionId, document.documentId, version.version),
              entity: 'documentVersion',
              competitionId: document.competitionId,
              documentId: document.documentId,
              ...version,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },

    changeableCheck(competitionId, at) {
      return {
        ConditionCheck: {
          TableName: procurementTable,
          Key: procurementKeys.competition(competitionId),
          ConditionExpression: '#status IN (:s0, :s1, :s2, :s3) AND tenderDeadline > :at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ...Object.fromEntries(DOCUMENT_CHANGE_STATUSES.map((status, i) => [`:s${i}`, status])),
            ':at': at,
          },
        },
      };
    },

    async connectedOrganisations(competitionId) {
      const providers: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName: sealedTable,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': sealedKeys.connected(competitionId, '').pk },
            ProjectionExpression: 'providerId',
            ConsistentRead: true,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) providers.push(String(item.providerId));
        start = page.LastEvaluatedKey;
      } while (start);
      return providers;
    },
  };
}
