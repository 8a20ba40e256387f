/**
 * The web front door in the synthesized app: pages reach the web function without the JWT authorizer
 * (browsers send a session cookie, which the function checks); the local developer sign-in page cannot be
 * reached in AWS; assets come from a private bucket through CloudFront with long-lived cache headers; the
 * web function knows where assets are and which Cognito client signs users in, and never sees its cookie
 * key in the template.
 */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type CfnElement, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ASSET_ROOTS } from '../../local/web';
import { DEFAULT_ROUTE_FUNCTION, ROUTES, type RouteDefinition } from '../../shared/http/routes';
import { LOCAL_SIGN_IN_PATH } from '../../shared/web/pages/sign-in';
import { bucketDeploymentProvider } from './bucket-deployment';
import { statementsOfRole } from './iam';
import { synthesize } from './synth';

const synth = synthesize();
afterAll(() => synth.dispose());
const template = synth.statelessTemplate;
const resources = (type: string) => Object.values(template.findResources(type));
const pages = (ROUTES as readonly RouteDefinition[]).filter((route) => route.kind === 'page');

describe('web front door in AWS', () => {
  it('has every page route, public to API Gateway, served by a web function', () => {
    expect(pages.length).toBeGreaterThan(10);
    const keys = resources('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey as string);
    for (const page of pages) {
      expect(['web', 'webAccount', 'webSignIn', 'webContracts', 'webPayments']).toContain(page.function);
      expect(page.access).toBe('public');
      expect(keys).toContain(`${page.method} ${page.path}`);
    }
  });

  it('cannot reach the local developer sign-in page: no route for it, and $default answers 404', () => {
    const keys = resources('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey as string);
    expect(keys.filter((key) => key.includes(LOCAL_SIGN_IN_PATH) || key.includes('/local/'))).toEqual([]);
    expect((ROUTES as readonly RouteDefinition[]).some((r) => r.path.startsWith('/local'))).toBe(false);
    expect(keys).toContain('$default');
  });

  it('sends whatever no route matches ($default) to the web function, without the JWT authorizer', () => {
    // Unknown paths and known paths with another method: a GOV.UK 404 page for browsers, problem+json for
    // API clients (`dispatchPages`), rather than API Gateway's own {"message":"Not Found"}.
    expect(DEFAULT_ROUTE_FUNCTION).toBe('web');
    const all = template.toJSON().Resources as Record<
      string,
      { Type: string; Properties: Record<string, unknown> }
    >;
    const defaults = Object.values(all).filter(
      (r) => r.Type === 'AWS::ApiGatewayV2::Route' && r.Properties.RouteKey === '$default',
    );
    expect(defaults).toHaveLength(1);
    const route = defaults[0];
    expect(route?.Properties.AuthorizationType).toBe('NONE');
    const target = route?.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
    const integration = all[target['Fn::Join'][1][1].Ref];
    const uri = integration?.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] };
    expect(uri['Fn::GetAtt'][0]).toBe(
      synth.stateless.getLogicalId(synth.stateless.functions.web.node.defaultChild as never),
    );
    // The web function's $default answers need no permission beyond its own routes': the API may invoke it.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: Match.objectLike({
        'Fn::GetAtt': [
          synth.stateless.getLogicalId(synth.stateless.functions.web.node.defaultChild as never),
          'Arn',
        ],
      }),
      Principal: 'apigateway.amazonaws.com',
    });
  });

  it('serves assets from a private, TLS-only bucket through CloudFront with origin access control', () => {
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Logging: Match.anyValue(),
      }),
    });
  });

  it('answers assets with year-long immutable caching, CORS for module scripts and fonts, nosniff', () => {
    template.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        CustomHeadersConfig: {
          Items: Match.arrayWith([
            { Header: 'Cache-Control', Value: 'public, max-age=31536000, immutable', Override: true },
          ]),
        },
        CorsConfig: Match.objectLike({ AccessControlAllowMethods: { Items: ['GET', 'HEAD'] } }),
        SecurityHeadersConfig: Match.objectLike({ ContentTypeOptions: { Override: true } }),
      }),
    });
  });

  describe('the CDK app uploads the assets (BucketDeployment)', () => {
    const provider = bucketDeploymentProvider(template);
    const assetsBucket = synth.stateless.getLogicalId(
      synth.stateless.webAssets.bucket.node.defaultChild as CfnElement,
    );
    const distribution = synth.stateless.getLogicalId(
      synth.stateless.webAssets.distribution.node.defaultChild as CfnElement,
    );
    const deployment = () => template.toJSON().Resources[provider.deployments[0] ?? ''];

    it('into the assets bucket under assets/, cached a year and immutable, invalidating the distribution', () => {
      expect(provider.deployments).toHaveLength(1);
      expect(deployment().Properties).toMatchObject({
        DestinationBucketName: { Ref: assetsBucket },
        DestinationBucketKeyPrefix: 'assets/',
        Prune: true,
        SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
        DistributionId: { Ref: distribution },
        DistributionPaths: ['/assets/*'],
      });
      // Content types are guessed per file, never forced to one for all.
      expect(deployment().Properties.SystemMetadata['content-type']).toBeUndefined();
    });

    it('uploads what the local gateway serves to the pages: GOV.UK Frontend assets, its minified CSS and JS, web.js', () => {
      const hashes = (deployment().Properties.SourceObjectKeys as string[]).map((key) =>
        key.replace(/\.zip$/, ''),
      );
      const files = (dir: string): string[] =>
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => relative(dir, join(entry.parentPath, entry.name)));
      const uploaded = hashes.flatMap((hash) => files(join(synth.outdir, `asset.${hash}`)));
      for (const needed of [
        'govuk-frontend.min.css',
        'govuk-frontend.min.js',
        'web.js',
        'manifest.json',
        'fonts/bold-b542beb274-v2.woff2',
        'images/favicon.svg',
      ])
        expect(uploaded).toContain(needed);
      // Every uploaded file is one the local gateway serves under /assets/ from the same roots.
      const [own, govukAssets, govuk] = ASSET_ROOTS;
      expect(uploaded.sort()).toEqual(
        [
          ...files(own ?? ''),
          ...files(govukAssets ?? ''),
          ...files(govuk ?? '').filter((file) => /^govuk-frontend\.min\.(css|js)$/.test(file)),
        ].sort(),
      );
    });

    it("the provider's role writes only to the assets bucket and reads only the CDK asset bucket", () => {
      const statements = statementsOfRole(template, provider.roleId);
      expect(statements.filter((s) => s.negated)).toEqual([]);
      const bucketArns = [
        { 'Fn::GetAtt': [assetsBucket, 'Arn'] },
        { 'Fn::Join': ['', [{ 'Fn::GetAtt': [assetsBucket, 'Arn'] }, '/*']] },
      ];
      // The bootstrap asset bucket, as the default synthesizer names it in the template.
      const cdkAssets = JSON.stringify({
        'Fn::Sub': DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
          /\$\{Qualifier\}/,
          DefaultStackSynthesizer.DEFAULT_QUALIFIER,
        ),
      });
      const readActions = ['s3:GetBucket*', 's3:GetObject*', 's3:List*'];
      for (const statement of statements) {
        const s3 = statement.actions.filter((action) => action.startsWith('s3:'));
        if (s3.length === 0) {
          expect(statement.actions.sort()).toEqual([
            'cloudfront:CreateInvalidation',
            'cloudfront:GetInvalidation',
          ]);
          continue;
        }
        const onAssets = JSON.stringify(statement.resources) === JSON.stringify(bucketArns);
        const onCdkAssets = statement.resources.every((resource) =>
          JSON.stringify(resource).includes(cdkAssets),
        );
        expect(onAssets || onCdkAssets, JSON.stringify(statement)).toBe(true);
        // Anything beyond reading happens only on the assets bucket.
        if (!onAssets) expect([...s3].sort()).toEqual(readActions);
      }
      const writes = statements.filter((s) => s.actions.some((a) => /^s3:(Put|Delete|Abort)/.test(a)));
      expect(writes).toHaveLength(1);
      expect(writes[0]?.resources).toEqual(bucketArns);
      expect(writes[0]?.condition).toBeUndefined();
    });
  });

  it.each(['web', 'webAccount', 'webSignIn', 'webContracts', 'webPayments'] as const)(
    'configures %s: assets URL, Cognito client and issuer, cookie key by reference only',
    (id) => {
      const fn =
        template.toJSON().Resources[
          synth.stateless.getLogicalId(synth.stateless.functions[id].node.defaultChild as never)
        ];
      const variables = fn.Properties.Environment.Variables as Record<string, unknown>;
      expect(JSON.stringify(variables.WEB_ASSETS_URL)).toContain('DomainName');
      expect(variables.WEB_COGNITO_CLIENT_ID).toBeDefined();
      expect(JSON.stringify(variables.WEB_COGNITO_ISSUER)).toContain('cognito-idp');
      // A CloudFormation dynamic reference: resolved at deploy time, never written into the template.
      expect(JSON.stringify(variables.WEB_COOKIE_SECRET)).toContain('{{resolve:secretsmanager:');
    },
  );

  it('gives the JSON functions none of the web settings but the assets URL (for their error page)', () => {
    const platform =
      template.toJSON().Resources[
        synth.stateless.getLogicalId(synth.stateless.functions.platform.node.defaultChild as never)
      ];
    const variables = platform.Properties.Environment.Variables as Record<string, unknown>;
    expect(Object.keys(variables).filter((k) => k.startsWith('WEB_'))).toEqual(['WEB_ASSETS_URL']);
    expect(JSON.stringify(variables.WEB_ASSETS_URL)).toContain('DomainName');
  });
});
