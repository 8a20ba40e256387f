/**
 * cdk-nag AwsSolutions: no error and no warning left on either stack, and every suppression explained.
 *
 * The allowed suppressions are listed here on purpose: a new one has to be added to this list in review,
 * with the resource it applies to, instead of slipping in beside the code.
 */
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, ROUTES, type RouteDefinition } from '../../../shared/http/routes';
import { bucketDeploymentProvider } from '../bucket-deployment';
import type { Synthesized } from '../synth';

interface Suppression {
  id: string;
  reason: string;
  applies_to?: unknown[];
}

/** Every suppression in a template: on resources, and stack-wide in the template metadata. */
function suppressionsOf(template: Template): { resource: string; suppression: Suppression }[] {
  const json = template.toJSON() as {
    Metadata?: { cdk_nag?: { rules_to_suppress?: Suppression[] } };
    Resources: Record<string, { Metadata?: { cdk_nag?: { rules_to_suppress?: Suppression[] } } }>;
  };
  const stackWide = (json.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((suppression) => ({
    resource: '(stack)',
    suppression,
  }));
  const perResource = Object.entries(json.Resources).flatMap(([resource, body]) =>
    (body.Metadata?.cdk_nag?.rules_to_suppress ?? []).map((suppression) => ({ resource, suppression })),
  );
  return [...stackWide, ...perResource];
}

/** Declares the cdk-nag tests against a synthesized app (built with the AwsSolutions checks on). */
export function nagSuite(synth: Synthesized): void {
  const stacks: [string, Stack, Template][] = [
    ['stateful', synth.stateful, synth.statefulTemplate],
    ['stateless', synth.stateless, synth.statelessTemplate],
  ];

  describe.each(stacks)('cdk-nag AwsSolutions on the %s stack', (_name, stack, template) => {
    // Annotations.fromStack re-synthesizes the whole app (force), so read them once per stack.
    let annotations: Annotations | undefined;
    const nagMessages = () => {
      annotations ??= Annotations.fromStack(stack);
      return annotations;
    };

    it('reports no error', () => {
      expect(nagMessages().findError('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    });

    it('reports no warning', () => {
      expect(nagMessages().findWarning('*', Match.stringLikeRegexp('AwsSolutions-.*'))).toEqual([]);
    });

    it('every suppression says why, in at least 20 characters', () => {
      // The routes' nested stack reports its findings through its parent (it is no assembly artifact of
      // its own), and its suppressions are read with the stateless stack's.
      const templates = stack === synth.stateless ? [template, synth.routesTemplate] : [template];
      for (const { resource, suppression } of templates.flatMap(suppressionsOf)) {
        expect(suppression.id, resource).toMatch(/^AwsSolutions-[A-Z]+\d+$/);
        expect(suppression.reason.trim().length, `${suppression.id} on ${resource}`).toBeGreaterThanOrEqual(
          20,
        );
      }
    });
  });

  describe('the suppressions are the reviewed ones, and no more', () => {
    // The routes' nested stack is part of the stateless stack: its suppressions are reviewed with it.
    const stateless = [...suppressionsOf(synth.statelessTemplate), ...suppressionsOf(synth.routesTemplate)];
    const ofRule = (id: string) => stateless.filter(({ suppression }) => suppression.id === id);
    const provider = bucketDeploymentProvider(synth.statelessTemplate);
    const assetsBucket = synth.stateless.getLogicalId(
      synth.stateless.webAssets.bucket.node.defaultChild as CfnElement,
    );

    it("the stateful stack suppresses only S1 (no access log) on the documents bucket's own access-log bucket", () => {
      const logs = synth.stateful.getLogicalId(
        synth.stateful.documents.accessLogs.node.defaultChild as CfnElement,
      );
      expect(
        suppressionsOf(synth.statefulTemplate).map(({ resource, suppression }) => [resource, suppression.id]),
      ).toEqual([[logs, 'AwsSolutions-S1']]);
    });

    it('only the reviewed rules are suppressed', () => {
      const rules = new Set(stateless.map(({ suppression }) => suppression.id));
      expect([...rules].sort()).toEqual(
        [
          'AwsSolutions-APIG4',
          'AwsSolutions-IAM5',
          'AwsSolutions-L1',
          // The web front door's assets and session key (infra/constructs/web-assets.ts, stateless-stack.ts).
          'AwsSolutions-CFR1',
          'AwsSolutions-CFR2',
          'AwsSolutions-CFR4',
          'AwsSolutions-S1',
          'AwsSolutions-SMG4',
          // aws-cdk-lib's BucketDeployment provider, which uploads the web assets.
          'AwsSolutions-IAM4',
          // The audit sequencer's on-failure queue (infra/constructs/audit-sequencer.ts).
          'AwsSolutions-SQS3',
        ].sort(),
      );
    });

    it('web assets: CFR1, CFR2, CFR4 on the distribution, S1 on its log bucket, once each; SMG4 on the cookie key and the unsubscribe key alone', () => {
      const typeOf = (resource: string) =>
        synth.statelessTemplate.toJSON().Resources[resource].Type as string;
      for (const [rule, type] of [
        ['AwsSolutions-CFR1', 'AWS::CloudFront::Distribution'],
        ['AwsSolutions-CFR2', 'AWS::CloudFront::Distribution'],
        ['AwsSolutions-CFR4', 'AWS::CloudFront::Distribution'],
        ['AwsSolutions-S1', 'AWS::S3::Bucket'],
      ] as const) {
        const found = ofRule(rule);
        expect(found, rule).toHaveLength(1);
        expect(typeOf(found[0]?.resource ?? ''), rule).toBe(type);
      }
      // Neither key can be rotated on a schedule: sessions end, and sent unsubscribe links stop working.
      const keys = [synth.stateless.webCookieSecret, synth.stateless.unsubscribeKeySecret].map((secret) =>
        synth.stateless.getLogicalId(secret.node.defaultChild as CfnElement),
      );
      expect(
        ofRule('AwsSolutions-SMG4')
          .map(({ resource }) => resource)
          .sort(),
      ).toEqual(keys.sort());
      // S1 is waived for the log bucket only: the assets bucket itself logs to it.
      const s1 = ofRule('AwsSolutions-S1')[0]?.resource ?? '';
      const buckets = synth.statelessTemplate.findResources('AWS::S3::Bucket');
      const logged = Object.entries(buckets).filter(([, b]) => b.Properties?.LoggingConfiguration);
      expect(logged.map(([id]) => id)).not.toContain(s1);
      expect(logged).toHaveLength(1);
    });

    it('APIG4 (no authorizer) only on the public routes and $default', () => {
      const routes: readonly RouteDefinition[] = ROUTES;
      const publicKeys = routes.filter((r) => r.access === 'public').map((r) => `${r.method} ${r.path}`);
      const suppressedKeys = ofRule('AwsSolutions-APIG4').map(({ resource }) => {
        const route = synth.routesTemplate.toJSON().Resources[resource];
        expect(route.Type).toBe('AWS::ApiGatewayV2::Route');
        return route.Properties.RouteKey as string;
      });
      expect(suppressedKeys.sort()).toEqual([...publicKeys, '$default'].sort());
    });

    it("SQS3 (no dead-letter queue) only on the stream consumers' failure queues, themselves on-failure destinations", () => {
      const sqs3 = ofRule('AwsSolutions-SQS3').map(({ resource }) => resource);
      expect(sqs3.sort()).toEqual(
        [synth.stateless.auditSequencer.failures, synth.stateless.notificationDelivery.failures]
          .map((queue) => synth.stateless.getLogicalId(queue.node.defaultChild as CfnElement))
          .sort(),
      );
    });

    it('IAM5 (wildcard) only for "Resource::*", which X-Ray and the stream mapping need, on function roles', () => {
      const iam5 = ofRule('AwsSolutions-IAM5').filter(
        ({ resource }) => !provider.policyIds.includes(resource),
      );
      expect(iam5.length).toBeGreaterThan(0);
      // Besides "*": the documents prefix (competitions/*, or its upload or file keys) on the roles of the
      // functions declaring `documentsBucket` (test/infra/suites/documents.ts).
      const documentPolicies = (Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[])
        .filter((id) => (FUNCTIONS[id] as { documentsBucket?: string }).documentsBucket !== undefined)
        // The suppression sits on each such role and its default policy (where the grant is).
        .flatMap((id) => {
          const role = synth.stateless.functions[id].role;
          return [role?.node.defaultChild, role?.node.tryFindChild('DefaultPolicy')?.node.defaultChild];
        })
        .map((element) => synth.stateless.getLogicalId(element as CfnElement));
      expect(documentPolicies.length).toBeGreaterThan(0);
      for (const { resource, suppression } of iam5) {
        const documentFiles = suppression.applies_to?.some((finding) => typeof finding !== 'string');
        if (documentFiles) {
          expect(documentPolicies, resource).toContain(resource);
          expect(suppression.applies_to).toEqual([
            { regex: '/^Resource::.*DocumentsBucket.*\\/competitions\\/\\*(\\/(upload|file)-\\*)?$/' },
          ]);
        } else expect(suppression.applies_to).toEqual(['Resource::*']);
      }
      // The only "*" resources on any function role are X-Ray's, and the stream consumers' ListStreams
      // (which Lambda requires of a DynamoDB stream mapping and which has no resource to scope it to).
      const streamRoles = [synth.stateless.auditSequencer, synth.stateless.notificationDelivery].map(
        (consumer) => synth.stateless.getLogicalId(consumer.function.role?.node.defaultChild as CfnElement),
      );
      for (const [id, resource] of Object.entries(
        synth.statelessTemplate.findResources('AWS::IAM::Policy'),
      )) {
        if (provider.policyIds.includes(id)) continue;
        const roles = (resource.Properties.Roles as { Ref: string }[]).map((role) => role.Ref);
        for (const statement of resource.Properties.PolicyDocument.Statement as {
          Action: string | string[];
          Resource: unknown;
        }[]) {
          if (statement.Resource !== '*') continue;
          const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
          const allowed = (action: string) =>
            action.startsWith('xray:') ||
            (action === 'dynamodb:ListStreams' && roles.some((role) => streamRoles.includes(role)));
          expect(actions.every(allowed), actions.join()).toBe(true);
        }
      }
    });

    it('BucketDeployment provider: IAM5 only for its S3 action groups on the two buckets and CloudFront invalidation', () => {
      const iam5 = ofRule('AwsSolutions-IAM5').filter(({ resource }) =>
        provider.policyIds.includes(resource),
      );
      expect(iam5.map(({ resource }) => resource)).toEqual(provider.policyIds);
      expect(iam5).toHaveLength(1);
      expect([...(iam5[0]?.suppression.applies_to ?? [])].sort()).toEqual(
        [
          'Action::s3:Abort*',
          'Action::s3:DeleteObject*',
          'Action::s3:GetBucket*',
          'Action::s3:GetObject*',
          'Action::s3:List*',
          `Resource::<${assetsBucket}.Arn>/*`,
          'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
          'Resource::*',
        ].sort(),
      );
      // Its "*" resource is CloudFront invalidation's, and nothing else.
      const policy = synth.statelessTemplate.toJSON().Resources[provider.policyIds[0] ?? ''];
      for (const statement of policy.Properties.PolicyDocument.Statement as {
        Action: string | string[];
        Resource: unknown;
      }[]) {
        if (statement.Resource !== '*') continue;
        expect(statement.Action).toEqual(['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation']);
      }
    });

    it('IAM4 (managed policy) only on the BucketDeployment provider role, for basic Lambda logging', () => {
      const iam4 = ofRule('AwsSolutions-IAM4');
      expect(iam4.map(({ resource }) => resource)).toEqual([provider.roleId]);
      expect(iam4[0]?.suppression.applies_to).toEqual([
        'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
      ]);
    });

    it('L1 (runtime version) once per function and once on the BucketDeployment provider; COG2 (MFA) never: MFA is required', () => {
      const l1 = ofRule('AwsSolutions-L1').map(({ resource }) => resource);
      const functionIds = Object.keys(FUNCTIONS) as (keyof typeof FUNCTIONS)[];
      const ours = [
        ...functionIds.map((id) => synth.stateless.functions[id]),
        synth.stateless.auditSequencer.function,
        synth.stateless.dailyDigest.function,
        synth.stateless.sesEvents.function,
        synth.stateless.notificationDelivery.function,
        synth.stateless.notificationReminders.function,
      ].map((fn) => synth.stateless.getLogicalId(fn.node.defaultChild as CfnElement));
      expect(l1.sort()).toEqual([...ours, provider.functionId].sort());
      expect(ofRule('AwsSolutions-COG2')).toEqual([]);
    });
  });
}
