/**
 * The tender documents bucket (issue 15): files live here and only here, reached by browsers through
 * presigned URLs that the functions sign (`shared/storage/documents.ts`). State, so it sits in the
 * stateful stack and is retained: versioned (an overwrite or delete keeps the earlier object version, on top
 * of the service's own per-version keys), encrypted with S3-managed keys, public access blocked, ACLs off,
 * TLS only, and every request logged to an access-log bucket of its own.
 *
 * Grants are per function (`grantDocuments`): `s3:PutObject` or `s3:GetObject` on the `competitions/`
 * prefix only, as each function's `documentsBucket` declares.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { documentKeys } from '../../shared/db/keys';
import type { DocumentsBucketAccess } from '../../shared/http/routes';
import { suppress } from '../nag';

/** The S3 actions each access level means, on document objects only. */
export const DOCUMENT_ACTIONS: Record<DocumentsBucketAccess, readonly string[]> = {
  upload: ['s3:PutObject'],
  download: ['s3:GetObject'],
  uploadAndDownload: ['s3:GetObject', 's3:PutObject'],
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
    return this.bucket.arnForObjects(`${documentKeys.objectPrefix}*`);
  }

  /** Lets `grantee` do what `access` means, on document files only. */
  grantDocuments(grantee: IGrantable, access: DocumentsBucketAccess): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({ actions: [...DOCUMENT_ACTIONS[access]], resources: [this.objectsArn] }),
    );
  }
}
