/**
 * The web front door's static assets in AWS: GOV.UK Frontend's CSS, JavaScript, fonts and images and the
 * service's `web.js`, in a private S3 bucket served only through CloudFront (origin access control), with
 * year-long immutable cache headers and CORS (module scripts and fonts are fetched in CORS mode from the
 * pages' API Gateway origin).
 *
 * Files are uploaded under `assets/` with `aws s3 sync` after deploying (README, "Web pages"), not by a
 * `BucketDeployment`: that would add a custom-resource Lambda and a staged asset to the stack, which the
 * infra tests forbid so that every Lambda in the stack is one of the route table's functions.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { suppress } from '../nag';

/** The bucket and the distribution; `assetsUrl` is what the web function's `WEB_ASSETS_URL` gets. */
export class WebAssets extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution>/assets`: where pages load assets from. */
  readonly assetsUrl: string;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    // Access logs of the bucket and the distribution. CloudFront standard logging writes with ACLs, so
    // this bucket (and only this one) lets object writers own their objects.
    const logs = new Bucket(this, 'AccessLogs', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.OBJECT_WRITER,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    suppress(logs, [
      {
        id: 'AwsSolutions-S1',
        reason:
          'This is the access-log bucket of the assets bucket and the distribution: logging it into itself would log every log delivery, and a further bucket would only move the question.',
      },
    ]);

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      serverAccessLogsBucket: logs,
      serverAccessLogsPrefix: 'bucket/',
      // Only published files of an npm package: rebuilt from the lock file at any time.
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: 'GOV.UK Frontend assets: cached for a year, readable cross-origin by the pages',
      corsBehavior: {
        accessControlAllowOrigins: ['*'],
        accessControlAllowMethods: ['GET', 'HEAD'],
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        originOverride: true,
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Cache-Control', value: 'public, max-age=31536000, immutable', override: true },
          { header: 'Cross-Origin-Resource-Policy', value: 'cross-origin', override: true },
        ],
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: 'Offender services procurement: web assets',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
      },
      priceClass: PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: logs,
      logFilePrefix: 'distribution/',
    });
    suppress(this.distribution, [
      {
        id: 'AwsSolutions-CFR1',
        reason:
          'The assets are the public GOV.UK Frontend files; restricting countries would only break pages for providers and staff travelling abroad.',
      },
      {
        id: 'AwsSolutions-CFR2',
        reason:
          'The distribution serves static, public, read-only files from S3 (GET and HEAD only); there is no application logic behind it for a web ACL to protect.',
      },
      {
        id: 'AwsSolutions-CFR4',
        reason:
          'No custom domain yet: the default *.cloudfront.net certificate cannot set a minimum TLS version; attach a certificate with TLSv1.2_2021 when the service gets its own domain.',
      },
    ]);
    this.assetsUrl = `https://${this.distribution.distributionDomainName}/assets`;
  }
}

/**
 * Commands that copy the web function's Nunjucks templates beside its bundle: the service's own and GOV.UK
 * Frontend's `.njk` files (not its 9 MB of CSS, fonts and images, which CloudFront serves). The function
 * finds them from its working directory (`shared/web/render.ts`).
 */
export function copyWebTemplates(inputDir: string, outputDir: string): string[] {
  const govuk = `${inputDir}/node_modules/govuk-frontend/dist`;
  return [
    `cp -R "${inputDir}/shared/web/templates" "${outputDir}/templates"`,
    `cd "${govuk}" && find govuk -name '*.njk' | while read -r f; do mkdir -p "${outputDir}/node_modules/govuk-frontend/dist/$(dirname "$f")" && cp "$f" "${outputDir}/node_modules/govuk-frontend/dist/$f"; done`,
  ];
}
