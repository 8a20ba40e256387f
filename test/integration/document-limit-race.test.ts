/**
 * The cap on a competition's documents (`MAX_DOCUMENTS_PER_COMPETITION`) under races, over DynamoDB Local
 * and the local S3 server: the documents counted before a new document is recorded are only an early
 * message, since two confirmations at the same instant both count 49. The count moved in the recording
 * transaction holds the cap: of two new documents confirmed together with one place left, one is recorded
 * and the other refused with the same error as the early check (409 `invalid-state`).
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import type { DocumentRepository } from '../../shared/db/documents';
import { repositories } from '../../shared/db/repositories';
import {
  type DocumentVersion,
  MAX_DOCUMENTS_PER_COMPETITION,
  type TenderDocument,
} from '../../shared/domain/documents';
import { InvalidStateError } from '../../shared/domain/errors';
import { documentStorage } from '../../shared/storage/documents';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import {
  addDocument,
  confirmUpload,
  type UploadTicket,
} from '../../shared/use-cases/documents/upload-document';
import { competitionBody, inSeconds } from '../support/competitions';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';

const PDF = Buffer.from('%PDF-1.4\n% a tender document\n%%EOF\n', 'latin1');

let id: string;

beforeEach(async () => {
  await useTestTables();
  id = (
    await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title: 'Documents raced to the cap',
        prequalificationDeadline: undefined,
        estimatedValuePence: 80_000_00,
        risk: 'low',
        termMonths: 24,
        tenderDeadline: inSeconds(3600),
      }) as unknown as CreateCompetitionInput,
      new Date(),
      config().rules,
    )
  ).id;
});

/**
 * Records `count` documents directly, as confirming their uploads does: `counted` keeps the documents'
 * count as every recording does now; otherwise the documents are written as before the count was kept.
 */
async function seedDocuments(count: number, counted: boolean, from = 1): Promise<void> {
  const documents = repositories().documents;
  for (let n = from; n < from + count; n++) {
    const at = new Date().toISOString();
    const documentId = `01JD0000000000000000SEED${String(n).padStart(2, '0')}`;
    const document: TenderDocument = {
      competitionId: id,
      documentId,
      title: `Document ${n}`,
      kind: 'other',
      currentVersion: 1,
      createdAt: at,
      updatedAt: at,
    };
    const version: DocumentVersion = {
      version: 1,
      fileName: `document-${n}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
      uploadedAt: at,
      uploadedBy: 'lead',
    };
    const items = documents.createItems(document, version);
    await documentClient().send(
      new TransactWriteCommand({ TransactItems: counted ? items : items.slice(0, 2) }),
    );
  }
}

/**
 * The repositories, with the documents' early count held until `callers` have read it: every confirmation
 * counts the same documents before any of them is recorded, as at the same instant.
 */
function racingDeps(callers: number): DocumentDeps {
  const real = repositories().documents;
  let waiting = 0;
  let release: () => void = () => undefined;
  const together = new Promise<void>((resolve) => {
    release = resolve;
  });
  const documents: DocumentRepository = {
    ...real,
    async current(competitionId) {
      const read = await real.current(competitionId);
      waiting += 1;
      if (waiting >= callers) release();
      await together;
      return read;
    },
  };
  return { ...repositories(), documents, storage: documentStorage() };
}

async function uploadTicket(title: string): Promise<UploadTicket> {
  const input = {
    title,
    kind: 'other' as const,
    fileName: `${title}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: PDF.length,
  };
  const deps = { ...repositories(), storage: documentStorage() };
  return addDocument(deps, LEAD, id, input, new Date(), config().documents);
}

async function uploadFile(ticket: UploadTicket): Promise<void> {
  const put = await fetch(ticket.uploadUrl, {
    method: 'PUT',
    body: PDF,
    headers: { 'content-type': 'application/pdf' },
  });
  expect(put.status).toBe(200);
}

/** Two new documents' uploads, handed out while there was room, confirmed together at 49 documents. */
async function raceTwoAtTheCap(counted: boolean) {
  const tickets = [await uploadTicket('first-extra'), await uploadTicket('second-extra')];
  await seedDocuments(MAX_DOCUMENTS_PER_COMPETITION - 1, counted);
  for (const ticket of tickets) await uploadFile(ticket);
  const deps = racingDeps(tickets.length);
  const outcomes = await Promise.allSettled(
    tickets.map((ticket) =>
      confirmUpload(deps, LEAD, id, ticket.documentId, 1, new Date(), config().documents),
    ),
  );
  const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  expect(refused).toHaveLength(1);
  expect(refused[0]).toBeInstanceOf(InvalidStateError);
  expect(String((refused[0] as Error).message)).toMatch(/at most 50 documents/);
  expect(await repositories().documents.current(id)).toHaveLength(MAX_DOCUMENTS_PER_COMPETITION);
}

describe('the documents cap when two new documents are recorded at the same instant', () => {
  it('with one place left, records one of two confirmations and refuses the other', async () => {
    await raceTwoAtTheCap(true);
  }, 60_000);

  it('holds for a competition whose documents were recorded before their count was kept', async () => {
    await raceTwoAtTheCap(false);
  }, 60_000);

  it('a full competition refuses one more document even when its early count is stale', async () => {
    await seedDocuments(MAX_DOCUMENTS_PER_COMPETITION - 2, true);
    const ticket = await uploadTicket('late');
    await seedDocuments(2, true, MAX_DOCUMENTS_PER_COMPETITION - 1);
    await uploadFile(ticket);
    const stale: DocumentDeps = {
      ...repositories(),
      documents: { ...repositories().documents, current: async () => [] },
      storage: documentStorage(),
    };
    await expect(
      confirmUpload(stale, LEAD, id, ticket.documentId, 1, new Date(), config().documents),
    ).rejects.toThrow(InvalidStateError);
    expect(await repositories().documents.current(id)).toHaveLength(MAX_DOCUMENTS_PER_COMPETITION);
  }, 60_000);
});
