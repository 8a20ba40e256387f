/**
 * A file written under an upload's key while its confirmation checks it (issue 15, attacker findings), over
 * DynamoDB Local and the local S3 server: the confirmation reads the file's first bytes and copies it only
 * while it is still the object its HeadObject saw (If-Match, CopySourceIfMatch: S3's conditions, which the
 * local server's front enforces as S3 does, s3rver alone ignoring them). Another object written in between
 * is never copied to the version's file: the confirmation is refused as a clash, the version stays pending.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import {
  type DocumentStorage,
  documentStorage,
  ObjectChangedError,
  s3Client,
} from '../../shared/storage/documents';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import { addDocument, confirmUpload } from '../../shared/use-cases/documents/upload-document';
import { competitionBody, inSeconds } from '../support/competitions';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';

const PDF = Buffer.from('%PDF-1.4\n% checked\n%%EOF\n', 'latin1');
const OTHER = Buffer.from('%PDF-1.4\n% swapped\n%%EOF\n', 'latin1');

const put = (key: string, body: Buffer, contentType = 'application/pdf') =>
  s3Client().send(
    new PutObjectCommand({
      Bucket: config().documents.bucket,
      Key: key,
      Body: body,
      ContentType: contentType,
    }),
  );

let id: string;

beforeAll(async () => {
  await useTestTables();
  id = (
    await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title: 'Swapped while checked',
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

describe("the local S3 server's conditions on the object read or copied", () => {
  const key = `competitions/${'01JRACE0000000000000000000'}/documents/D/v000001/upload-01JRACE0000000000000000001`;
  const to = key.replace('upload-', 'file-');

  it('a ranged read or a copy names the object it expects: another one there is refused (412)', async () => {
    await put(key, PDF);
    const first = await documentStorage().head(key);
    expect(first?.etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(await documentStorage().readStart(key, { bytes: 5, etag: first?.etag ?? '' })).toEqual(
      Buffer.from('%PDF-'),
    );
    await put(key, OTHER);
    await expect(documentStorage().readStart(key, { bytes: 5, etag: first?.etag ?? '' })).rejects.toThrow(
      ObjectChangedError,
    );
    await expect(documentStorage().copy({ from: key, to, etag: first?.etag ?? '' })).rejects.toThrow(
      ObjectChangedError,
    );
    expect(await documentStorage().head(to)).toBeUndefined();
    const second = await documentStorage().head(key);
    const copied = await documentStorage().copy({ from: key, to, etag: second?.etag ?? '' });
    expect(copied.etag).toBe(second?.etag);
    expect(await documentStorage().head(to)).toMatchObject({ sizeBytes: OTHER.length, etag: second?.etag });
  });
});

describe('a file swapped between the check and the copy', () => {
  it('is never the version: the confirmation is refused as a clash and the version stays pending', async () => {
    const storage = documentStorage();
    // The real bucket, with another object written under the upload's key just after it was looked at.
    let swapped = false;
    const racing: DocumentStorage = {
      ...storage,
      async head(key) {
        const seen = await storage.head(key);
        if (seen && key.includes('/upload-') && !swapped) {
          swapped = true;
          await put(key, OTHER);
        }
        return seen;
      },
    };
    const deps: DocumentDeps = { ...repositories(), storage: racing };
    const ticket = await addDocument(
      deps,
      LEAD,
      id,
      {
        title: 'Specification',
        kind: 'specification',
        fileName: 'specification.pdf',
        contentType: 'application/pdf',
        sizeBytes: PDF.length,
      },
      new Date(),
      config().documents,
    );
    expect(
      (
        await fetch(ticket.uploadUrl, {
          method: 'PUT',
          body: PDF,
          headers: { 'content-type': 'application/pdf' },
        })
      ).status,
    ).toBe(200);
    await expect(
      confirmUpload(deps, LEAD, id, ticket.documentId, 1, new Date(), config().documents),
    ).rejects.toMatchObject({ code: 'conflict' });
    expect(swapped).toBe(true);
    expect(await repositories().documents.getVersion(id, ticket.documentId, 1)).toMatchObject({
      pending: true,
    });
    expect(await repositories().documents.list(id)).toEqual([]);
  });
});
