/**
 * The tender documents bucket (issue 15) on the synthesized templates: the bucket itself (versioned,
 * encrypted, public access blocked, TLS only, access-logged, retained) and, for every function, exactly the
 * S3 access its `documentsBucket` declaration names – PutObject for uploads, GetObject for downloads, on
 * the `competitions/` prefix only – and the bucket's name only where it is declared.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionDefinition, type FunctionId } from '../../../shared/http/routes';
import { canonical, statementsOfRole } from '../iam';
import type { Synthesized } from '../synth';

/** What each declaration must grant, written out here rather than taken from the infra code. */
const EXPECTED_S3_ACTIONS = {
  upload: ['s3:PutObject'],
  download: ['s3:GetObject'],
  uploadAndDownload: ['s3:GetObject', 's3:PutObject'],
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

    it.each(ids)('%s has exactly the S3 actions its declaration names, on document files only', (id) => {
      const access = definitions[id].documentsBucket;
      const statements = s3StatementsOf(id);
      if (!access) {
        expect(statements).toEqual([]);
        return;
      }
      expect(statements).toHaveLength(1);
      const [statement] = statements;
      expect([...(statement?.actions ?? [])].sort()).toEqual([...EXPECTED_S3_ACTIONS[access]]);
      expect(statement?.condition).toBeUndefined();
      // One resource: the bucket's objects under competitions/, never the whole bucket or another one.
      expect(statement?.resources).toHaveLength(1);
      const resource = JSON.stringify(statement?.resources[0]);
      expect(resource).toContain('/competitions/*');
      expect(resource).toMatch(new RegExp(bucketId));
    });

    it('the upload function cannot read a document, and the download function cannot write one', () => {
      const actions = (id: FunctionId) => s3StatementsOf(id).flatMap((s) => s.actions);
      expect(actions('documents')).toEqual(['s3:PutObject']);
      expect(actions('documentDownloads')).toEqual(['s3:GetObject']);
    });

    it('no function may delete a document, list the bucket or change its settings', () => {
      for (const id of ids) {
        for (const action of s3StatementsOf(id).flatMap((s) => s.actions)) {
          expect(['s3:GetObject', 's3:PutObject'], `${id}: ${action}`).toContain(action);
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
