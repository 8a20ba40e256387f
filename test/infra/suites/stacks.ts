/**
 * The synthesized stacks against the design: tables from `shared/db/tables.ts` with every protection, one
 * function per `FUNCTIONS` entry with the fixed runtime settings, one API route per `ROUTES` entry with the
 * right authorization, stage throttling and access logs, Cognito, alarms and outputs. Everything is
 * derived from the shared definitions, so new tables, functions and routes are checked automatically.
 */
import { readdirSync } from 'node:fs';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { TABLE_LIST } from '../../../shared/db/tables';
import { GROUPS } from '../../../shared/domain/principal';
import {
  DEFAULT_ROUTE_FUNCTION,
  FUNCTIONS,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
} from '../../../shared/http/routes';
import { bucketDeploymentProvider } from '../bucket-deployment';
import { cdkJsonContext, DEPLOY_CONTEXT, type Synthesized } from '../synth';

const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
const routes: readonly RouteDefinition[] = ROUTES;
type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };

/** Declares the template tests of both stacks against a synthesized app. */
export function stacksSuite(synth: Synthesized): void {
  const { stateful, stateless, statefulTemplate, statelessTemplate } = synth;
  const context = cdkJsonContext();
  const logicalIdOf = (element: { node: { defaultChild?: unknown } }, stack: Stack = stateless) =>
    stack.getLogicalId(element.node.defaultChild as CfnElement);
  const resourcesOf = (type: string) => statelessTemplate.findResources(type) as Record<string, Resource>;

  describe('stateful stack', () => {
    it('has one table per definition and, besides, only the documents bucket and its access-log bucket', () => {
      statefulTemplate.resourceCountIs('AWS::DynamoDB::Table', TABLE_LIST.length);
      // The buckets' TLS-only policies come with them (test/infra/suites/documents.ts checks them).
      statefulTemplate.resourceCountIs('AWS::S3::Bucket', 2);
      statefulTemplate.resourceCountIs('AWS::S3::BucketPolicy', 2);
      const types = new Set(
        Object.values(statefulTemplate.toJSON().Resources as Record<string, Resource>).map((r) => r.Type),
      );
      expect([...types].sort()).toEqual(['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::S3::BucketPolicy']);
    });

    describe.each(TABLE_LIST)('table $name', (definition) => {
      const table = () => {
        const logicalId = logicalIdOf(stateful.tables[definition.name], stateful);
        return statefulTemplate.toJSON().Resources[logicalId] as Resource & { UpdateReplacePolicy?: string };
      };

      it('is on-demand, point-in-time recoverable, deletion-protected, retained and encrypted', () => {
        const { Properties, DeletionPolicy, UpdateReplacePolicy } = table();
        expect(Properties.BillingMode).toBe('PAY_PER_REQUEST');
        expect(Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(Properties.DeletionProtectionEnabled).toBe(true);
        expect(DeletionPolicy).toBe('Retain');
        expect(UpdateReplacePolicy).toBe('Retain');
        // AWS managed key: SSE on, no customer key.
        expect(Properties.SSESpecification).toEqual({ SSEEnabled: true });
      });

      it('has the keys, indexes and TTL of its definition', () => {
        const { Properties } = table();
        const keySchema = [
          { AttributeName: definition.partitionKey, KeyType: 'HASH' },
          ...(definition.sortKey ? [{ AttributeName: definition.sortKey, KeyType: 'RANGE' }] : []),
        ];
        expect(Properties.KeySchema).toEqual(keySchema);
        const indexes = definition.indexes.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' },
            { AttributeName: index.sortKey, KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        }));
        expect(Properties.GlobalSecondaryIndexes ?? []).toEqual(indexes);
        const stringKeys = [
          definition.partitionKey,
          ...(definition.sortKey ? [definition.sortKey] : []),
          ...definition.indexes.flatMap((index) => [index.partitionKey, index.sortKey]),
        ];
        expect(Properties.AttributeDefinitions).toEqual(
          stringKeys.map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        );
        expect(Properties.TimeToLiveSpecification).toEqual(
          definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
        );
        expect(Properties.StreamSpecification).toEqual(
          definition.stream ? { StreamViewType: definition.stream.viewType } : undefined,
        );
      });
    });
  });

  describe('functions', () => {
    it('one Lambda function per FUNCTIONS entry, and no other but the audit sequencer, the daily digest, the scheduled reminders, the SES events handler, the notification delivery and the web assets BucketDeployment provider', () => {
      const provider = bucketDeploymentProvider(statelessTemplate).functionId;
      const ours = functionIds.map((id) => logicalIdOf(stateless.functions[id]));
      const sequencer = logicalIdOf(stateless.auditSequencer.function);
      const digest = logicalIdOf(stateless.dailyDigest.function);
      const reminders = logicalIdOf(stateless.notificationReminders.function);
      const sesEvents = logicalIdOf(stateless.sesEvents.function);
      const delivery = logicalIdOf(stateless.notificationDelivery.function);
      expect(ours).not.toContain(provider);
      expect(Object.keys(resourcesOf('AWS::Lambda::Function')).sort()).toEqual(
        [...ours, sequencer, digest, reminders, sesEvents, delivery, provider].sort(),
      );
    });

    it.each(functionIds)(
      '%s: Node.js 22 on arm64, active tracing, fixed timeout and memory, own log group',
      (id) => {
        const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(stateless.functions[id])];
        expect(fn?.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          TracingConfig: { Mode: 'Active' },
          Handler: 'index.handler',
          Timeout: 10,
          MemorySize: 512,
          Description: FUNCTIONS[id].description,
          LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
        });
      },
    );

    it.each(functionIds)('%s: environment for source maps, Powertools and the domain rules', (id) => {
      const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(stateless.functions[id])];
      expect((fn?.Properties.Environment as { Variables: object } | undefined)?.Variables).toMatchObject({
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'offender-services-procurement',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        MIN_PREQUALIFICATION_DAYS: String(context.minPrequalificationDays),
        MIN_TENDER_DAYS: String(context.minTenderDays),
        STANDSTILL_DAYS: String(context.standstillDays),
      });
    });

    it('log groups keep logs for the configured retention', () => {
      // aws-cdk-lib's BucketDeployment provider has its own log group, with aws-cdk-lib's retention.
      const { logGroupIds } = bucketDeploymentProvider(statelessTemplate);
      expect(logGroupIds).toHaveLength(1);
      const groups = Object.entries(resourcesOf('AWS::Logs::LogGroup'))
        .filter(([id]) => !logGroupIds.includes(id))
        .map(([, group]) => group);
      // One per function (the audit sequencer, the daily digest, the reminders, the SES events handler and
      // the notification delivery too) plus the API access log.
      expect(groups).toHaveLength(functionIds.length + 6);
      for (const group of groups) expect(group.Properties.RetentionInDays).toBe(context.logRetentionDays);
    });

    it('bundling was skipped in this synthesis (no esbuild run): the only staged assets are the web assets upload', () => {
      const provider = bucketDeploymentProvider(statelessTemplate);
      const resources = statelessTemplate.toJSON().Resources as Record<string, Resource>;
      const hashOf = (key: unknown) => String(key).replace(/\.zip$/, '');
      const deploymentAssets = [
        // The uploaded directories, the provider's code and its AWS CLI layer.
        ...provider.deployments.flatMap(
          (id) => (resources[id]?.Properties.SourceObjectKeys as string[]) ?? [],
        ),
        (resources[provider.functionId]?.Properties.Code as { S3Key?: string } | undefined)?.S3Key,
        ...provider.layerIds.map(
          (id) => (resources[id]?.Properties.Content as { S3Key?: string } | undefined)?.S3Key,
        ),
      ].map(hashOf);
      const staged = readdirSync(synth.outdir)
        .filter((name) => name.startsWith('asset.'))
        .map((name) => hashOf(name.slice('asset.'.length)));
      expect(staged.sort()).toEqual([...new Set(deploymentAssets)].sort());
      // None of them is a function bundle.
      for (const id of functionIds) {
        const code = resourcesOf('AWS::Lambda::Function')[logicalIdOf(stateless.functions[id])]?.Properties
          .Code as { S3Key?: string };
        expect(staged).not.toContain(hashOf(code.S3Key));
      }
    });
  });

  describe('HTTP API', () => {
    const routeResourcesOf = (type: string) =>
      synth.routesTemplate.findResources(type) as Record<string, Resource>;
    const routeResources = () => Object.values(routeResourcesOf('AWS::ApiGatewayV2::Route'));
    const routeByKey = (key: string) => routeResources().find((route) => route.Properties.RouteKey === key);
    const jwtAuthorizerId = () => {
      // The authorizer belongs to the API, in the stateless stack; the routes name it by parameter.
      const [id, ...others] = Object.keys(resourcesOf('AWS::ApiGatewayV2::Authorizer'));
      expect(others).toEqual([]);
      return id;
    };
    /** The function a route's integration invokes. */
    const targetFunctionOf = (route: Resource | undefined): string | undefined => {
      const target = route?.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
      const integration = routeResourcesOf('AWS::ApiGatewayV2::Integration')[target['Fn::Join'][1][1].Ref];
      // The function's ARN reaches the nested stack as a parameter.
      const uri = synth.fromRoutes(integration?.Properties.IntegrationUri) as {
        'Fn::GetAtt': [string, string];
      };
      return uri['Fn::GetAtt'][0];
    };

    it('one route per ROUTES entry plus $default', () => {
      expect(routeResources()).toHaveLength(routes.length + 1);
    });

    it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
      '%s: authorization follows its access rule and it targets its function',
      (key, route) => {
        const resource = routeByKey(key);
        expect(resource, key).toBeDefined();
        if (route.access === 'public') {
          expect(resource?.Properties.AuthorizationType).toBe('NONE');
          expect(resource?.Properties.AuthorizerId).toBeUndefined();
        } else {
          expect(resource?.Properties.AuthorizationType).toBe('JWT');
          expect(synth.fromRoutes(resource?.Properties.AuthorizerId)).toEqual({ Ref: jwtAuthorizerId() });
        }
        expect(targetFunctionOf(resource)).toBe(logicalIdOf(stateless.functions[route.function]));
      },
    );

    it('$default goes, unauthenticated, to the function that answers 404', () => {
      const route = routeByKey('$default');
      expect(route?.Properties.AuthorizationType).toBe('NONE');
      expect(targetFunctionOf(route)).toBe(logicalIdOf(stateless.functions[DEFAULT_ROUTE_FUNCTION]));
    });

    it('the JWT authorizer trusts the user pool as issuer and the app client as audience', () => {
      const userPool = logicalIdOf(stateless.userPool);
      const client = logicalIdOf(stateless.userPoolClient);
      statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [{ Ref: client }],
          Issuer: {
            'Fn::Join': [
              '',
              [
                'https://cognito-idp.',
                { Ref: 'AWS::Region' },
                '.',
                { Ref: 'AWS::URLSuffix' },
                '/',
                { Ref: userPool },
              ],
            ],
          },
        },
      });
    });

    it('the default stage is throttled and access-logged', () => {
      statelessTemplate.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: {
          ThrottlingBurstLimit: context.throttleBurstLimit,
          ThrottlingRateLimit: context.throttleRateLimit,
        },
        AccessLogSettings: {
          DestinationArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
          Format: Match.stringLikeRegexp('\\$context\\.requestId.*\\$context\\.status'),
        },
      });
    });
  });

  describe('Cognito', () => {
    it('user pool: self sign-up by email, strong passwords, MFA required (authenticator app), threat protection, retained', () => {
      const pool = resourcesOf('AWS::Cognito::UserPool')[logicalIdOf(stateless.userPool)];
      expect(pool?.DeletionPolicy).toBe('Retain');
      expect(pool?.Properties).toMatchObject({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        UsernameAttributes: ['email'],
        AutoVerifiedAttributes: ['email'],
        // Required of everyone, so of the admin, commissioner and auditor groups (MFA is a pool setting).
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'ACTIVE',
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
      });
    });

    it('has exactly the groups the policy knows', () => {
      const names = Object.values(resourcesOf('AWS::Cognito::UserPoolGroup')).map(
        (g) => g.Properties.GroupName,
      );
      expect(names.sort()).toEqual([...GROUPS].sort());
    });

    it('app client: public, authorization code flow only, back to the URLs the deploy names', () => {
      statelessTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        PreventUserExistenceErrors: 'ENABLED',
        CallbackURLs: [DEPLOY_CONTEXT.callbackUrls],
        LogoutURLs: [DEPLOY_CONTEXT.logoutUrls],
      });
      const urls = Object.values(resourcesOf('AWS::Cognito::UserPoolClient')).flatMap((client) => [
        ...((client.Properties.CallbackURLs as string[] | undefined) ?? []),
        ...((client.Properties.LogoutURLs as string[] | undefined) ?? []),
      ]);
      expect(urls.filter((url) => url.includes('localhost'))).toEqual([]);
    });

    it('hosted sign-in domain: the prefix the deploy names', () => {
      const domains = Object.values(resourcesOf('AWS::Cognito::UserPoolDomain'));
      expect(domains.map((domain) => domain.Properties.Domain)).toEqual([DEPLOY_CONTEXT.cognitoDomainPrefix]);
    });
  });

  describe('the audit sequencer', () => {
    const sequencer = () => stateless.auditSequencer;

    it('consumes the audit table stream: pending events only, in order, with partial batch responses, bisection and an on-failure queue', () => {
      const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).filter(
        (mapping) =>
          JSON.stringify(mapping.Properties.FunctionName) ===
          JSON.stringify({ Ref: logicalIdOf(sequencer().function) }),
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.Properties).toEqual({
        FunctionName: { Ref: logicalIdOf(sequencer().function) },
        EventSourceArn: stateless.resolve(stateful.tables.audit.tableStreamArn),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 100,
        ParallelizationFactor: 1,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86_400,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(sequencer().failures), 'Arn'] } },
        },
        FilterCriteria: {
          Filters: [
            {
              Pattern: JSON.stringify({
                eventName: ['INSERT'],
                dynamodb: { Keys: { pk: { S: [{ prefix: 'AUDITPENDING#' }] } } },
              }),
            },
          ],
        },
      });
    });

    it('runs the sequencer handler with the fixed runtime settings and the audit table name only', () => {
      const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(sequencer().function)];
      expect(fn?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
      });
      const variables = Object.keys(
        (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {},
      ).filter((name) => name.endsWith('_TABLE_NAME'));
      expect(variables).toEqual(['AUDIT_TABLE_NAME']);
    });

    it('keeps failed records in an encrypted queue that refuses plain HTTP, and alarms on it, on errors and on lag', () => {
      const queue = resourcesOf('AWS::SQS::Queue')[logicalIdOf(sequencer().failures)];
      expect(queue?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      });
      statelessTemplate.hasResourceProperties('AWS::SQS::QueuePolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
      const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
      const fnDimension = [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(sequencer().function) } }];
      for (const metric of ['Errors', 'IteratorAge'])
        expect(alarms).toContainEqual(
          expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: fnDimension }),
        );
      expect(alarms).toContainEqual(
        expect.objectContaining({ Namespace: 'AWS/SQS', MetricName: 'ApproximateNumberOfMessagesVisible' }),
      );
    });
  });

  describe('alarms', () => {
    const alarms = () =>
      Object.values(resourcesOf('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
    const topic = () => logicalIdOf(stateless.alarmTopic);

    it('API 5xx', () => {
      expect(alarms()).toContainEqual(
        expect.objectContaining({
          Namespace: 'AWS/ApiGateway',
          MetricName: '5xx',
          Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalIdOf(stateless.api) } }],
        }),
      );
    });

    it('API throttling, counted from 429s in the access log', () => {
      statelessTemplate.hasResourceProperties('AWS::Logs::MetricFilter', {
        FilterPattern: '{ $.status = "429" }',
        MetricTransformations: [Match.objectLike({ MetricName: 'ThrottledRequests' })],
      });
      expect(alarms()).toContainEqual(expect.objectContaining({ MetricName: 'ThrottledRequests' }));
    });

    it.each(functionIds)('%s: Errors and Throttles', (id) => {
      const dimensions = [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(stateless.functions[id]) } }];
      for (const metric of ['Errors', 'Throttles']) {
        expect(alarms()).toContainEqual(
          expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: dimensions }),
        );
      }
    });

    it('every alarm notifies the topic', () => {
      expect(alarms().length).toBeGreaterThanOrEqual(2 + 2 * functionIds.length);
      for (const alarm of alarms()) expect(alarm.AlarmActions).toEqual([{ Ref: topic() }]);
    });

    it('the topic is KMS-encrypted and refuses publishing without TLS', () => {
      statelessTemplate.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      });
      statelessTemplate.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });
  });

  describe('outputs', () => {
    it.each(['ApiUrl', 'UserPoolId', 'UserPoolClientId'])('%s', (name) => {
      statelessTemplate.hasOutput(name, {});
    });
  });
}
