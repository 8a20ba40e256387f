/**
 * The web front door's static assets in AWS: GOV.UK Frontend's CSS, JavaScript, fonts and images and the
 * service's `web.js`, in a private S3 bucket served only through CloudFront (origin access control), with
 * year-long immutable cache headers and CORS (module scripts and fonts are fetched in CORS mode from the
 * pages' API Gateway origin).
 *
 * `cdk deploy` uploads the files under `assets/` with a `BucketDeployment`, in the layout the local gateway
 * serves them (`local/web.ts`): GOV.UK Frontend's `assets/` folder (fonts, images, `manifest.json`), its
 * minified CSS and JavaScript, and the service's `shared/web/assets`. That adds aws-cdk-lib's
 * custom-resource Lambda (`Custom::CDKBucketDeployment…`, run only during deployments) and its role to the
 * stack: the only Lambda that is not a route-table function, and the infra tests name it as such.
 */
import { basename, join } from 'node:path';
import { type CfnElement, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
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
import type { Role } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { Construct, type IConstruct } from 'constructs';
import { COMPILED_TEMPLATES } from '../../shared/web/compiled-templates';
import { suppress } from '../nag';

/** The key prefix the pages load assets from (`assetsUrl`), in the bucket and behind the distribution. */
export const ASSETS_PREFIX = 'assets/';

/** What every uploaded asset is served with: a year, never revalidated (as the local gateway serves them). */
export const ASSETS_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** The GOV.UK Frontend files beside its `assets/` folder that the pages load: the layout's CSS, `web.js`'s import. */
export const GOVUK_FRONTEND_FILES = ['govuk-frontend.min.css', 'govuk-frontend.min.js'];

/** Where the web assets come from. */
export interface WebAssetsProps {
  /** Repository root: `node_modules/govuk-frontend` and `shared/web/assets` are found under it. */
  repoRoot: string;
}

/** The bucket and the distribution; `assetsUrl` is what the web function's `WEB_ASSETS_URL` gets. */
export class WebAssets extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** `https://<distribution>/assets`: where pages load assets from. */
  readonly assetsUrl: string;

  /** Uploads the files when they change (and on first deployment) and invalidates them in the distribution. */
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: WebAssetsProps) {
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

    // Three plain directories, staged as file assets (no bundling); content types are guessed per file
    // from the extension (text/css, text/javascript, font/woff2, image/svg+xml, application/json…).
    const govuk = join(props.repoRoot, 'node_modules/govuk-frontend/dist/govuk');
    this.deployment = new BucketDeployment(this, 'Upload', {
      sources: [
        Source.asset(join(govuk, 'assets')),
        // Only the two minified files of the package root, not its 8 MB of sources, maps and templates.
        Source.asset(govuk, { exclude: ['*', ...GOVUK_FRONTEND_FILES.map((file) => `!${file}`)] }),
        Source.asset(join(props.repoRoot, 'shared/web/assets')),
      ],
      destinationBucket: this.bucket,
      destinationKeyPrefix: ASSETS_PREFIX,
      cacheControl: [CacheControl.fromString(ASSETS_CACHE_CONTROL)],
      // The file names do not change between GOV.UK Frontend releases: drop the edge caches when they do.
      distribution: this.distribution,
      distributionPaths: [`/${ASSETS_PREFIX}*`],
      outputObjectKeys: false,
    });
    suppressDeploymentProvider(
      this,
      Stack.of(this).getLogicalId(this.bucket.node.defaultChild as CfnElement),
    );
  }
}

/**
 * The stack-level singleton Lambda that runs every `BucketDeployment` of a stack (aws-cdk-lib names it
 * `Custom::CDKBucketDeployment<uuid>`; its role, policy and log group are under it).
 */
function bucketDeploymentProvider(scope: IConstruct): LambdaFunction {
  const providers = Stack.of(scope).node.children.filter((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  const provider = providers[0];
  if (providers.length !== 1 || !(provider instanceof LambdaFunction) || !provider.role)
    throw new Error(`Expected one BucketDeployment provider function with a role, found ${providers.length}`);
  return provider;
}

/**
 * The cdk-nag findings of aws-cdk-lib's BucketDeployment provider, each on the one resource it is about:
 * L1 on the function, IAM4 on its role, IAM5 on the role's policy.
 */
function suppressDeploymentProvider(scope: IConstruct, bucketLogicalId: string): void {
  const provider = bucketDeploymentProvider(scope);
  const role = provider.role as Role;
  const cdkAssets = `arn:<AWS::Partition>:s3:::cdk-${DefaultStackSynthesizer.DEFAULT_QUALIFIER}-assets-<AWS::AccountId>-<AWS::Region>/*`;
  suppress(provider.node.defaultChild as IConstruct, [
    {
      id: 'AwsSolutions-L1',
      reason:
        'The runtime of the BucketDeployment provider (Python, with the AWS CLI layer) is chosen by aws-cdk-lib, which updates it; the function runs only during CloudFormation deployments.',
    },
  ]);
  suppress(role.node.defaultChild as IConstruct, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'aws-cdk-lib gives the BucketDeployment provider role AWSLambdaBasicExecutionRole: CloudWatch Logs writes only, for a function that runs only during deployments.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
    },
  ]);
  suppress(
    role.node.findChild('DefaultPolicy'),
    [
      {
        id: 'AwsSolutions-IAM5',
        reason:
          'aws-cdk-lib grants the BucketDeployment provider S3 action groups on the objects of exactly two buckets, the assets bucket (read and write) and the CDK bootstrap asset bucket (read only), and CloudFront Create/GetInvalidation on "*", which aws-cdk-lib does not scope to the distribution; the function runs only during deployments.',
        appliesTo: [
          'Action::s3:GetObject*',
          'Action::s3:GetBucket*',
          'Action::s3:List*',
          'Action::s3:DeleteObject*',
          'Action::s3:Abort*',
          `Resource::<${bucketLogicalId}.Arn>/*`,
          `Resource::${cdkAssets}`,
          'Resource::*',
        ],
      },
    ],
    true,
  );
}

/**
 * Commands that copy the web function's compiled templates (`npm run templates`) beside its bundle, where
 * `shared/web/render.ts` requires them: esbuild leaves them out of the bundle (`ServiceFunction`), as they
 * are larger than the rest of the function.
 */
export function copyWebTemplates(inputDir: string, outputDir: string): string[] {
  return [
    `cp "${inputDir}/${COMPILED_TEMPLATES.path}" "${outputDir}/${basename(COMPILED_TEMPLATES.specifier)}"`,
  ];
}
