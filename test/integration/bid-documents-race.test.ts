/**
 * A bid submission records the tender document versions current at submission (issue 15), read before its
 * transaction: a version made current between that read and the write must not be missed. The write is
 * conditioned on the documents' revision read first, so it is refused, and the submission reads the
 * documents again and records the new version; if they keep changing it gives up with 409 conflict and
 * stores nothing. The race is made real: the documents repository the use case reads through commits a new
 * version (the same transaction items the confirmation writes) right after the read, on DynamoDB Local.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/db/client';
import type { DocumentRepository } from '../../shared/db/documents';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { DocumentVersion, TenderDocument } from '../../shared/domain/documents';
import { ConflictError } from '../../shared/domain/errors';
import { getOwnBid, SUBMIT_ATTEMPTS, saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';

const SPEC = '01JD000000000000000000RACE';

/** Makes `version` the current version of the specification, as confirming an upload does. */
async function makeCurrent(competitionId: string, version: number): Promise<void> {
  const at = new Date().toISOString();
  const document: TenderDocument = {
    competitionId,
    documentId: SPEC,
    title: 'Service specification',
    kind: 'specification',
    currentVersion: version,
    createdAt: at,
    updatedAt: at,
  };
  const stored: DocumentVersion = {
    version,
    fileName: `specification-v${version}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: 2048,
    uploadedAt: at,
    uploadedBy: 'lead',
  };
  const documents = repositories().documents;
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems:
        version === 1 ? documents.createItems(document, stored) : documents.versionItems(document, stored),
    }),
  );
}

/**
 * The documents as the use case reads them, with a version made current right after each of the next
 * `times` reads of the current versions: what the submission read is already stale when it writes.
 */
function racingDocuments(competitionId: string, times: number) {
  const real = repositories().documents;
  const state = { next: 0, reads: 0 };
  const documents: DocumentRepository = {
    ...real,
    async current(id) {
      const read = await real.current(id);
      state.reads += 1;
      if (state.reads <= times) {
        state.next = Math.max(state.next, ...read.map((d) => d.currentVersion)) + 1;
        await makeCurrent(competitionId, state.next);
      }
      return read;
    },
  };
  return { deps: { ...withSharedProviderData(repositories()), documents }, state };
}

const content = {
  pricePence: 40_000_00,
  qualityResponses: { quality: 'A caseworker for every tenant.' },
  subcontractors: [],
  consortium: [],
};

let competitionId: string;

beforeAll(async () => {
  await useTestTables();
  await verifiedProvider('race-first', 'Race First Trust', { region: 'london', service: 'accommodation' });
  await verifiedProvider('race-second', 'Race Second Trust', { region: 'london', service: 'accommodation' });
  await verifiedProvider('race-third', 'Race Third Trust', { region: 'london', service: 'accommodation' });
  competitionId = await openCompetition({
    title: 'Move-on housing',
    region: 'london',
    service: 'accommodation',
  });
  await makeCurrent(competitionId, 1);
  for (const sub of ['race-first', 'race-second', 'race-third']) {
    await saveDraft(withSharedProviderData(repositories()), user(sub), competitionId, content, new Date());
  }
});

describe('a document version made current while a bid is submitted', () => {
  it('is not missed: the submission is refused by the revision it read, reads again and records it', async () => {
    const { deps, state } = racingDocuments(competitionId, 1);
    const submitted = await submitBid(deps, user('race-first'), competitionId, undefined, new Date());
    // Version 2 was made current after the first read: the bid records it, not the version 1 it first read.
    expect(state.reads).toBe(2);
    expect(submitted.documentVersions).toEqual({ [SPEC]: 2 });
    const own = await getOwnBid(deps, user('race-first'), competitionId, undefined);
    expect(own.submitted).toMatchObject({ version: 1, documentVersions: { [SPEC]: 2 } });
  });

  it('is retried while the documents settle within the attempts', async () => {
    const { deps, state } = racingDocuments(competitionId, SUBMIT_ATTEMPTS - 1);
    const before = (await repositories().documents.current(competitionId))[0]?.currentVersion ?? 0;
    const submitted = await submitBid(deps, user('race-second'), competitionId, undefined, new Date());
    expect(state.reads).toBe(SUBMIT_ATTEMPTS);
    expect(submitted.documentVersions).toEqual({ [SPEC]: before + SUBMIT_ATTEMPTS - 1 });
  });

  it('refuses cleanly (409 conflict, nothing stored) when the documents keep changing', async () => {
    const { deps, state } = racingDocuments(competitionId, SUBMIT_ATTEMPTS);
    const refused = await submitBid(deps, user('race-third'), competitionId, undefined, new Date()).catch(
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ConflictError);
    expect((refused as ConflictError).message).toContain('tender documents kept changing');
    expect(state.reads).toBe(SUBMIT_ATTEMPTS);
    const own = await getOwnBid(deps, user('race-third'), competitionId, undefined);
    expect(own.submitted).toBeNull();
    expect(own.status).toBe('draft');
  });

  it('a quiet submission reads the documents once and records the current versions', async () => {
    const { deps, state } = racingDocuments(competitionId, 0);
    const current = (await repositories().documents.current(competitionId))[0]?.currentVersion;
    const submitted = await submitBid(deps, user('race-third'), competitionId, undefined, new Date());
    expect(state.reads).toBe(1);
    expect(submitted.documentVersions).toEqual({ [SPEC]: current });
  });
});
