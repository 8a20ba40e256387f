/**
 * The tender documents bucket (issue 15) on the synthesized templates: the bucket itself (versioned,
 * encrypted, public access blocked, TLS only, access-logged, retained) and, for every function, exactly the
 * S3 access its `documentsBucket` declaration names – PutObject on upload keys for uploads, GetObject for
 * downloads, and for confirmations GetObject, PutObject on confirmed files and DeleteObject on upload keys,
 * all under the `competitions/` prefix – and the bucket's name only where it is declared. A confirmed
 * version's file (`…/file-<id>`) is written only by the functions that confirm, never by a presigned URL.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDefinition, type FunctionId } from '../../../shared/http/routes';
import { canonical, statementsOfRole } from '../iam';
import type { Synthesized } from '../synth';

const ALL = 'competitions/*';
const UPLOADS = 'competitions/*/upload-*';
const FILES = 'competitions/*/file-*';

/**
 * What each declaration must grant, as "action objects" pairs, written out here rather than taken from the
 * infra code.
 */
const EXPECTED_S3_GRANTS = {
  upload: [`s3:PutObject ${UPLOADS}`],
  download: [`s3:GetObject ${ALL}`],
  confirm: [`s3:DeleteObject ${UPLOADS}`, `s3:GetObject ${ALL}`, `s3:PutObject ${FILES}`],
  uploadAndConfirm: [
    `s3:DeleteObject ${UPLOADS}`,
    `s3:GetObject ${ALL}`,
    `s3:PutObject ${FILES}`,
    `s3:PutObject ${UPLOADS}`,
  ],
} as const;

/** Declares the documents bucket tests against a synthesized app. */
export function documentsSuite(synth: Synthesized): void {
  const { stateful, stateless, statefulTemplate, statelessTemplate } = synth;
  const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
  const ids = Object.keys(definitions) as FunctionId[];
  const bucketId = stateful.getLogicalId(stateful.documents.bucket.node.defaultChild as CfnElement);
  const logsId = stateful.getLogicalId(stateful.documents.accessLogs.node.defaultChild as CfnElement);

  function roleIdOf(id: FunctionId): string {
    const role = stateless.functions[id].role;
    if (!role) throw new Error(`Function ${id} has no role`);
    return stateless.getLogicalId(role.node.defaultChild as CfnElement);
  }

  /** The S3 statements of a function's role: actions and resources as JSON. */
  function s3StatementsOf(id: FunctionId) {
    return statementsOfRole(statelessTemplate, roleIdOf(id)).filter((s) =>
      s.actions.some((action) => action.startsWith('s3:') || action === '*'),
    );
  }

  /** A function's S3 grants as sorted "action objects" pairs (objects: the key pattern in the bucket). */
  function s3GrantsOf(id: FunctionId): string[] {
    return s3StatementsOf(id)
      .flatMap((statement) =>
        statement.actions.flatMap((action) =>
          statement.resources.map((resource) => {
            const text = JSON.stringify(resource);
            expect(text, `${id}: ${text}`).toMatch(new RegExp(bucketId));
            return `${action} ${text.match(/\/(competitions\/[^"]*)"/)?.[1] ?? text}`;
          }),
        ),
      )
      .sort();
  }

  function environmentOf(id: FunctionId): Record<string, unknown> {
    const logicalId = stateless.getLogicalId(stateless.functions[id].node.defaultChild as CfnElement);
    const fn = statelessTemplate.findResources('AWS::Lambda::Function')[logicalId];
    return (fn?.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
  }

  describe('the documents bucket', () => {
    const bucket = statefulTemplate.findResources('AWS::S3::Bucket')[bucketId];

    it('is versioned, encrypted at rest, with every kind of public access blocked and ACLs off', () => {
      expect(bucket?.Properties?.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket?.Properties?.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      });
      expect(bucket?.Properties?.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket?.Properties?.OwnershipControls).toEqual({
        Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }],
      });
    });

    it('is retained when its stack goes, like the tables', () => {
      expect(bucket?.DeletionPolicy).toBe('Retain');
      expect(bucket?.UpdateReplacePolicy).toBe('Retain');
    });

    it('logs every request to its own access-log bucket', () => {
      expect(bucket?.Properties?.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: logsId },
        LogFilePrefix: 'documents/',
      });
    });

    it('refuses any request without TLS (a bucket policy denying aws:SecureTransport false)', () => {
      const policies = Object.values(statefulTemplate.findResources('AWS::S3::BucketPolicy')).filter(
        (p) => canonical(p.Properties?.Bucket) === canonical({ Ref: bucketId }),
      );
      const statements = policies.flatMap(
        (p) => (p.Properties?.PolicyDocument?.Statement ?? []) as Record<string, unknown>[],
      );
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });
  });

  describe('grants on the documents bucket, per function', () => {
    const declared = ids.filter((id) => definitions[id].documentsBucket !== undefined);

    it('some functions are declared (the check is not vacuous): the upload and download functions at least', () => {
      expect(definitions.documents.documentsBucket).toBe('upload');
      expect(definitions.documentDownloads.documentsBucket).toBe('download');
    });

    it.each(ids)('%s has exactly the S3 actions its declaration names, on document objects only', (id) => {
      const access = definitions[id].documentsBucket;
      const statements = s3StatementsOf(id);
      if (!access) {
        expect(statements).toEqual([]);
        return;
      }
      for (const statement of statements) expect(statement.condition).toBeUndefined();
      // The bucket's objects under competitions/ (uploads or files where it writes or deletes), never the
      // whole bucket or another one.
      expect(s3GrantsOf(id)).toEqual([...EXPECTED_S3_GRANTS[access]]);
    });

    it('the upload function cannot read a document, and the download function cannot write one', () => {
      expect(s3GrantsOf('documents')).toEqual([`s3:PutObject ${UPLOADS}`]);
      expect(s3GrantsOf('documentDownloads')).toEqual([`s3:GetObject ${ALL}`]);
      expect(definitions.documentConfirmations.documentsBucket).toBe('confirm');
    });

    it('only the functions that confirm uploads write a confirmed file: no presigned upload can reach one', () => {
      const writers = ids.filter((id) =>
        s3GrantsOf(id).some((grant) => grant.startsWith('s3:PutObject') && !grant.endsWith(UPLOADS)),
      );
      expect(writers.sort()).toEqual(['documentConfirmations', 'webCommissioning']);
      for (const id of writers) expect(s3GrantsOf(id)).not.toContain(`s3:PutObject ${ALL}`);
    });

    it('no function may delete a confirmed file, list the bucket or change its settings', () => {
      for (const id of ids) {
        for (const grant of s3GrantsOf(id)) {
          const [action] = grant.split(' ');
          expect(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], `${id}: ${grant}`).toContain(action);
          if (action === 's3:DeleteObject') expect(grant, id).toBe(`s3:DeleteObject ${UPLOADS}`);
        }
      }
    });

    it.each(ids)('%s gets DOCUMENTS_BUCKET_NAME only if it is declared', (id) => {
      const variables = environmentOf(id);
      if (declared.includes(id)) {
        expect(JSON.stringify(variables.DOCUMENTS_BUCKET_NAME)).toMatch(new RegExp(bucketId));
      } else {
        expect(variables.DOCUMENTS_BUCKET_NAME).toBeUndefined();
      }
    });
  });
}
