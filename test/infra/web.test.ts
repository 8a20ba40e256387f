/**
 * The web front door in the synthesized app: pages reach the web function without the JWT authorizer
 * (browsers send a session cookie, which the function checks); the local developer sign-in page cannot be
 * reached in AWS; assets come from a private bucket through CloudFront with long-lived cache headers; the
 * web function knows where assets are and which Cognito client signs users in, and never sees its cookie
 * key in the template.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDefinition } from '../../shared/http/routes';
import { LOCAL_SIGN_IN_PATH } from '../../shared/web/pages/sign-in';
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
      expect(['web', 'webSignIn', 'webContracts']).toContain(page.function);
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

  it.each(['web', 'webSignIn', 'webContracts'] as const)(
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

  it('gives the JSON functions none of the web settings', () => {
    const platform =
      template.toJSON().Resources[
        synth.stateless.getLogicalId(synth.stateless.functions.platform.node.defaultChild as never)
      ];
    expect(
      Object.keys(platform.Properties.Environment.Variables).filter((k) => k.startsWith('WEB_')),
    ).toEqual([]);
  });
});
