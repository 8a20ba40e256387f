/**
 * The tender documents bucket (issue 15): files live here and only here, reached by browsers through
 * presigned URLs that the functions sign (`shared/storage/documents.ts`). State, so it sits in the
 * stateful stack and is retained: versioned (an overwrite or delete keeps the earlier object version, on top
 * of the service's own per-version keys), encrypted with S3-managed keys, public access blocked, ACLs off,
 * TLS only, and every request logged to an access-log bucket of its own.
 *
 * Grants are per function (`grantDocuments`), on the `competitions/` prefix only, as each function's
 * `documentsBucket` declares: the upload functions may put upload keys (`…/upload-<id>`) and nothing else,
 * so no URL they sign can write a confirmed version's file (`…/file-<id>`), which only the confirmation's
 * copy writes; nobody may delete a file, only an upload the confirmation refused or copied.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { documentKeys } from '../../shared/db/keys';
import type { DocumentsBucketAccess } from '../../shared/http/routes';
import { suppress } from '../nag';

/** Which document objects a grant covers: every one, uploads only, or confirmed files only. */
type DocumentObjects = 'all' | 'uploads' | 'files';

const PATTERNS: Record<DocumentObjects, string> = {
  all: `${documentKeys.objectPrefix}*`,
  uploads: documentKeys.uploadPattern,
  files: documentKeys.filePattern,
};

/** The S3 actions each access level means, and on which document objects: one statement each. */
export const DOCUMENT_GRANTS: Record<
  DocumentsBucketAccess,
  readonly { actions: readonly string[]; objects: DocumentObjects }[]
> = {
  upload: [{ actions: ['s3:PutObject'], objects: 'uploads' }],
  download: [{ actions: ['s3:GetObject'], objects: 'all' }],
  confirm: [
    { actions: ['s3:GetObject'], objects: 'all' },
    { actions: ['s3:PutObject'], objects: 'files' },
    { actions: ['s3:DeleteObject'], objects: 'uploads' },
  ],
  uploadAndConfirm: [
    { actions: ['s3:GetObject'], objects: 'all' },
    { actions: ['s3:PutObject'], objects: 'uploads' },
    { actions: ['s3:PutObject'], objects: 'files' },
    { actions: ['s3:DeleteObject'], objects: 'uploads' },
  ],
};

/** The documents bucket and its access-log bucket. */
export class DocumentsBucket extends Construct {
  readonly bucket: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.accessLogs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // Who read or uploaded which document and when: kept for two years, like the audit trail's reach.
      lifecycleRules: [{ expiration: Duration.days(730) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppress(this.accessLogs, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'This is the access-log bucket of the documents bucket: logging it into itself would log every log delivery, and a further bucket would only move the question.',
      },
    ]);
    this.bucket = new Bucket(this, 'Bucket', {
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'documents/',
      // Tender documents are records of the competitions: never deleted with a stack.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  /** The ARN pattern of every document file (`competitions/…`). */
  get objectsArn(): string {
    return this.bucket.arnForObjects(PATTERNS.all);
  }

  /** Lets `grantee` do what `access` means, on document objects only. */
  grantDocuments(grantee: IGrantable, access: DocumentsBucketAccess): void {
    for (const { actions, objects } of DOCUMENT_GRANTS[access]) {
      grantee.grantPrincipal.addToPrincipalPolicy(
        new PolicyStatement({
          actions: [...actions],
          resources: [this.bucket.arnForObjects(PATTERNS[objects])],
        }),
      );
    }
  }
}
