/**
 * Tender document metadata in the procurement table (keys in `keys.ts`, `documentKeys`): one item per
 * document (title, kind, current version) and one per version (file name, type, size, when and by whom),
 * all in the competition's `DOCS#` partition, so listing a competition's documents with every version is one
 * Query. The files themselves are in S3 (`shared/storage/documents.ts`).
 *
 * A version goes through two states. When the lead is handed an upload URL (`reserveItems`) its number is
 * taken and its item written `pending`: nobody sees it, no bid records it. Once its file is in the bucket
 * the version is made current (`createItems` / `versionItems`, the pending item replaced): only then does
 * it show in listings, count for bids and move the documents' revision. An upload never made so never
 * leaves a version that cannot be downloaded. A browser form upload (`form-upload.ts`) takes no number in
 * advance: it makes its version current directly, on the number nobody has taken. A pending version names
 * its upload's own object key (`uploadId`) and why its last file was refused, if one was (`problem`); a
 * current one names the copy of its file the confirmation made (`objectKey`), which downloads read.
 *
 * Versions are append-only (a put conditioned on the version not existing, or on its pending item), a
 * version number is taken once (the document's `latestVersion` moves only from the one read), and the
 * current version only moves forward, so two uploads at once cannot both become version 2.
 *
 * The documents' revision (`documentKeys.revision`, in the competition's partition) moves by one with every
 * version made current, in the same transaction: a bid submission reads it before the current versions and
 * conditions its own transaction on it (`revisionCheck`), so a version made current in between refuses the
 * submission instead of being missed. The same item keeps the count of the competition's documents
 * (`documentCount`), moved only when a new document is created and conditioned on the cap, so two new
 * documents recorded at the same instant cannot both take the last place.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  DOCUMENT_CHANGE_STATUSES,
  type DocumentKind,
  type DocumentVersion,
  MAX_DOCUMENTS_PER_COMPETITION,
  type TenderDocument,
  type TenderDocumentWithVersions,
  type UploadRejection,
} from '../domain/documents';
import type { TransactItem } from './audit';
import { documentKeys, procurementKeys, sealedKeys } from './keys';

/** A document as stored: with the last version number handed out, confirmed or not. */
export type StoredDocument = TenderDocument & {
  /** The last version number taken (absent when none was taken beyond the current one). */
  latestVersion?: number | undefined;
};

/** A version handed out for upload and not yet confirmed: what the lead said the file would be. */
export interface PendingVersion extends DocumentVersion {
  documentId: string;
  /** The document's title and kind once this version is current (new documents take theirs from it). */
  title: string;
  kind: DocumentKind;
  /** When the upload URL stops working. */
  uploadExpiresAt: string;
  /**
   * The id of the upload's own object key (`documentKeys.upload`), the one its URL is signed for. Absent
   * on versions handed out before uploads had keys of their own (their URL wrote `documentKeys.object`).
   */
  uploadId?: string | undefined;
  /** Why the last file uploaded for it was refused at its confirmation (removed; the version stays pending). */
  problem?: UploadRejection | undefined;
}

/** One version's item: a current (or earlier) version, or one still pending. */
export type StoredVersion =
  | (DocumentVersion & { pending?: false | undefined })
  | (PendingVersion & { pending: true });

/** Reads document metadata and builds its writes. */
export interface DocumentRepository {
  /** Every document of a competition with its current and earlier versions (newest first), oldest first. */
  list(competitionId: string): Promise<TenderDocumentWithVersions[]>;
  /** The same Query: the documents, and the versions handed out for upload and not confirmed. */
  listWithPending(
    competitionId: string,
  ): Promise<{ documents: TenderDocumentWithVersions[]; pending: PendingVersion[] }>;
  /** Every document of a competition, without versions (its current version only). */
  current(competitionId: string): Promise<StoredDocument[]>;
  get(competitionId: string, documentId: string): Promise<StoredDocument | undefined>;
  /** One version's item, current or pending. */
  getVersion(competitionId: string, documentId: string, version: number): Promise<StoredVersion | undefined>;
  /**
   * Takes the next version number for an upload and records it pending: for a new document (`previous`
   * undefined) its version 1; otherwise `previous`'s next number, refused if another upload took it first.
   */
  reserveItems(
    competitionId: string,
    pending: PendingVersion,
    previous: StoredDocument | undefined,
  ): TransactItem[];
  /**
   * Records why the file uploaded for a pending version was refused (the version stays pending: another
   * file may be uploaded and confirmed). Nothing happens if the version is no longer pending.
   */
  recordProblem(
    competitionId: string,
    documentId: string,
    version: number,
    problem: UploadRejection,
  ): Promise<void>;
  /**
   * Discards a pending version (its upload abandoned): its item goes, refused (ConditionalCheckFailed) if
   * it is no longer pending. Its number stays taken (`latestVersion`), so no other file is given it.
   */
  discardItems(competitionId: string, documentId: string, version: number): TransactItem[];
  /**
   * A new document with `version` current; refused if the document exists. `confirming`: the version was
   * reserved and is pending (its item is replaced); otherwise the version must not exist.
   */
  createItems(document: TenderDocument, version: DocumentVersion, options?: CreateOptions): TransactItem[];
  /**
   * Makes `version` the current version of an existing document; refused unless the current version is
   * older. `confirming` as for `createItems`; without it, the number must also be one nobody took.
   */
  versionItems(
    document: TenderDocument,
    version: DocumentVersion,
    options?: { confirming?: boolean },
  ): TransactItem[];
  /**
   * The guard every document change carries: the competition is still in a status that takes changes and
   * its tender deadline is after `at` (the request time), checked in the same transaction.
   */
  changeableCheck(competitionId: string, at: string): TransactItem;
  /** The documents' revision now (0 before any version was made current). */
  revision(competitionId: string): Promise<number>;
  /** Refuses a transaction (ConditionalCheckFailed) if the documents' revision moved from `revision`. */
  revisionCheck(competitionId: string, revision: number): TransactItem;
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

/** A version item's own fields: no keys, no competition or document id. */
function versionOf(item: Record<string, unknown>): StoredVersion {
  const { competitionId: _c, ...rest } = strip<StoredVersion & { competitionId?: string }>(item);
  if (rest.pending === true) return rest;
  const { documentId: _d, ...version } = rest as DocumentVersion & { documentId?: string };
  return version;
}

/** How a new document is recorded (`createItems`). */
export interface CreateOptions {
  /** The version was reserved and is pending (its item is replaced); otherwise it must not exist. */
  confirming?: boolean;
  /**
   * The competition's documents as counted before (the count a competition whose revision item predates
   * the count starts from); 0 when not given.
   */
  documentsBefore?: number;
  /**
   * The most documents the competition may have (`MAX_DOCUMENTS_PER_COMPETITION` unless given): the count
   * moved in the transaction refuses one more.
   */
  maxDocuments?: number;
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

  async function listWithPending(competitionId: string) {
    const items = await query(competitionId);
    const documents = new Map<string, TenderDocumentWithVersions>();
    const versions: { documentId: string; version: DocumentVersion }[] = [];
    const pending: PendingVersion[] = [];
    for (const item of items) {
      const sk = String(item.sk);
      if (sk.startsWith(documentKeys.documentsPrefix)) {
        const document = strip<TenderDocument>(item);
        documents.set(document.documentId, { ...document, versions: [] });
      } else if (sk.startsWith('VER#')) {
        const version = versionOf(item);
        if (version.pending === true) {
          const { pending: _p, ...rest } = version;
          pending.push(rest);
        } else versions.push({ documentId: String(item.documentId), version });
      }
    }
    for (const { documentId, version } of versions) documents.get(documentId)?.versions.push(version);
    const list = [...documents.values()].sort(byCreation);
    for (const document of list) document.versions.sort((a, b) => b.version - a.version);
    return { documents: list, pending };
  }

  function versionPut(
    competitionId: string,
    documentId: string,
    version: DocumentVersion,
    confirming: boolean,
  ): TransactItem {
    return {
      Put: {
        TableName: procurementTable,
        Item: {
          ...documentKeys.version(competitionId, documentId, version.version),
          entity: 'documentVersion',
          competitionId,
          documentId,
          ...version,
        },
        // Made current from its pending item, or written for the first time: never over a current version.
        ...(confirming
          ? {
              ConditionExpression: 'attribute_exists(pk) AND pending = :pending',
              ExpressionAttributeValues: { ':pending': true },
            }
          : { ConditionExpression: 'attribute_not_exists(pk)' }),
      },
    };
  }

  function revisionBump(competitionId: string, at: string): TransactItem {
    return {
      Update: {
        TableName: procurementTable,
        Key: documentKeys.revision(competitionId),
        UpdateExpression:
          'SET revision = if_not_exists(revision, :zero) + :one, entity = :entity, updatedAt = :at',
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':entity': 'documentRevision', ':at': at },
      },
    };
  }

  return {
    async list(competitionId) {
      return (await listWithPending(competitionId)).documents;
    },

    listWithPending,

    async current(competitionId) {
      const items = await query(competitionId, documentKeys.documentsPrefix);
      return items.map((item) => strip<StoredDocument>(item)).sort(byCreation);
    },

    async get(competitionId, documentId) {
      const result = await client.send(
        new GetCommand({
          TableName: procurementTable,
          Key: documentKeys.document(competitionId, documentId),
          ConsistentRead: true,
        }),
      );
      return result.Item ? strip<StoredDocument>(result.Item) : undefined;
    },

    async getVersion(competitionId, documentId, version) {
      const result = await client.send(
        new GetCommand({
          TableName: procurementTable,
          Key: documentKeys.version(competitionId, documentId, version),
          ConsistentRead: true,
        }),
      );
      return result.Item ? versionOf(result.Item) : undefined;
    },

    reserveItems(competitionId, pending, previous) {
      const items: TransactItem[] = [];
      if (previous) {
        items.push({
          Update: {
            TableName: procurementTable,
            Key: documentKeys.document(competitionId, pending.documentId),
            UpdateExpression: 'SET latestVersion = :next',
            // The number read is still the last one taken: two uploads at once cannot both take it.
            ConditionExpression:
              '(attribute_not_exists(latestVersion) AND currentVersion = :previous) OR latestVersion = :previous',
            ExpressionAttributeValues: { ':next': pending.version, ':previous': pending.version - 1 },
          },
        });
      }
      items.push({
        Put: {
          TableName: procurementTable,
          Item: {
            ...documentKeys.version(competitionId, pending.documentId, pending.version),
            entity: 'documentVersion',
            competitionId,
            ...pending,
            pending: true,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      return items;
    },

    async recordProblem(competitionId, documentId, version, problem) {
      try {
        await client.send(
          new UpdateCommand({
            TableName: procurementTable,
            Key: documentKeys.version(competitionId, documentId, version),
            UpdateExpression: 'SET problem = :problem',
            ConditionExpression: 'pending = :pending',
            ExpressionAttributeValues: { ':problem': problem, ':pending': true },
          }),
        );
      } catch (error) {
        // Confirmed or discarded meanwhile: there is no pending version to say it of.
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
      }
    },

    discardItems(competitionId, documentId, version) {
      return [
        {
          Delete: {
            TableName: procurementTable,
            Key: documentKeys.version(competitionId, documentId, version),
            ConditionExpression: 'pending = :pending',
            ExpressionAttributeValues: { ':pending': true },
          },
        },
      ];
    },

    createItems(document, version, options = {}) {
      const at = version.uploadedAt;
      const before = options.documentsBefore ?? 0;
      const max = options.maxDocuments ?? MAX_DOCUMENTS_PER_COMPETITION;
      return [
        {
          Put: {
            TableName: procurementTable,
            Item: {
              ...documentKeys.document(document.competitionId, document.documentId),
              entity: 'document',
              ...document,
              latestVersion: version.version,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        versionPut(document.competitionId, document.documentId, version, options.confirming === true),
        // Last, so a refusal of the count is told by the last code. The count of documents moves in the
        // transaction that creates one, on the revision item it moves anyway: two new documents recorded
        // at the same instant cannot both take the last place, whatever the counts read before said.
        {
          Update: {
            TableName: procurementTable,
            Key: documentKeys.revision(document.competitionId),
            UpdateExpression:
              'SET revision = if_not_exists(revision, :zero) + :one, entity = :entity, updatedAt = :at, documentCount = if_not_exists(documentCount, :before) + :one',
            // Counted from `documentsBefore` when no count was kept yet (a full competition refuses it).
            ConditionExpression:
              before < max
                ? 'attribute_not_exists(documentCount) OR documentCount < :max'
                : 'documentCount < :max',
            ExpressionAttributeValues: {
              ':zero': 0,
              ':one': 1,
              ':entity': 'documentRevision',
              ':at': at,
              ':before': before,
              ':max': max,
            },
          },
        },
      ];
    },

    versionItems(document, version, options = {}) {
      const confirming = options.confirming === true;
      return [
        {
          Update: {
            TableName: procurementTable,
            Key: documentKeys.document(document.competitionId, document.documentId),
            // The title and kind may be corrected with a new version; the creation time stays. A version
            // taken in advance leaves the last number taken alone (a later one may be pending).
            UpdateExpression: `SET currentVersion = :next, updatedAt = :at, #title = :title, #kind = :kind${confirming ? '' : ', latestVersion = :next'}`,
            ConditionExpression: confirming
              ? 'currentVersion < :next'
              : 'currentVersion < :next AND (attribute_not_exists(latestVersion) OR latestVersion < :next)',
            ExpressionAttributeNames: { '#title': 'title', '#kind': 'kind' },
            ExpressionAttributeValues: {
              ':next': version.version,
              ':at': version.uploadedAt,
              ':title': document.title,
              ':kind': document.kind,
            },
          },
        },
        versionPut(document.competitionId, document.documentId, version, confirming),
        revisionBump(document.competitionId, version.uploadedAt),
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

    async revision(competitionId) {
      const result = await client.send(
        new GetCommand({
          TableName: procurementTable,
          Key: documentKeys.revision(competitionId),
          ProjectionExpression: 'revision',
          ConsistentRead: true,
        }),
      );
      return typeof result.Item?.revision === 'number' ? result.Item.revision : 0;
    },

    revisionCheck(competitionId, revision) {
      return {
        ConditionCheck: {
          TableName: procurementTable,
          Key: documentKeys.revision(competitionId),
          ...(revision === 0
            ? { ConditionExpression: 'attribute_not_exists(revision)' }
            : {
                ConditionExpression: 'revision = :revision',
                ExpressionAttributeValues: { ':revision': revision },
              }),
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
