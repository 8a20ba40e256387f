/**
 * The notification delivery (issue 17) on the synthesized template: a Lambda on the outbox table's stream
 * fed only INSERTs of events and mail items, with partial batch responses, bisection and an encrypted
 * on-failure queue; alarms on its errors and lag and on the queue's depth and age; and a role that may do
 * what delivering needs and nothing else: its own outbox items, the registry reads that find an audience,
 * inbox writes, user look-ups in this pool, and SES sending from the configured identity only.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../infra/settings';
import { outboxKeys, registryKeys } from '../../../shared/db/keys';
import { allows, type Conditions, type SimStatement } from '../../support/iam-simulator';
import { canonical, statementsOfRole } from '../iam';
import type { Synthesized } from '../synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Declares the delivery's tests against a synthesized app. */
export function notificationDeliverySuite(synth: Synthesized): void {
  const { stateless, statelessTemplate, stateful } = synth;
  const delivery = () => stateless.notificationDelivery;
  const logicalIdOf = (element: { node: { defaultChild?: unknown } }) =>
    stateless.getLogicalId(element.node.defaultChild as CfnElement);
  const resourcesOf = (type: string): Record<string, Resource> =>
    statelessTemplate.findResources(type) as Record<string, Resource>;

  describe('the notification delivery', () => {
    it('consumes the outbox stream: INSERTs of events and mail items only, with partial batch responses, bisection and an on-failure queue', () => {
      const mappings = Object.values(resourcesOf('AWS::Lambda::EventSourceMapping')).filter(
        (mapping) =>
          JSON.stringify(mapping.Properties.FunctionName) ===
          JSON.stringify({ Ref: logicalIdOf(delivery().function) }),
      );
      expect(mappings).toHaveLength(1);
      expect(mappings[0]?.Properties).toEqual({
        FunctionName: { Ref: logicalIdOf(delivery().function) },
        EventSourceArn: stateless.resolve(stateful.tables.outbox.tableStreamArn),
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 25,
        BisectBatchOnFunctionError: true,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        MaximumRetryAttempts: 10,
        MaximumRecordAgeInSeconds: 86_400,
        DestinationConfig: {
          OnFailure: { Destination: { 'Fn::GetAtt': [logicalIdOf(delivery().failures), 'Arn'] } },
        },
        FilterCriteria: {
          Filters: ['EVENT#', 'MAIL#'].map((prefix) => ({
            Pattern: JSON.stringify({
              eventName: ['INSERT'],
              dynamodb: { Keys: { pk: { S: [{ prefix }] } } },
            }),
          })),
        },
      });
    });

    it('runs with the outbox and registry table names, the sender, the configuration set, the site and the unsubscribe key by ARN', () => {
      const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(delivery().function)];
      const variables =
        (fn?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
      expect(
        Object.keys(variables)
          .filter((name) => name.endsWith('_TABLE_NAME'))
          .sort(),
      ).toEqual(['OUTBOX_TABLE_NAME', 'REGISTRY_TABLE_NAME']);
      expect(variables).toMatchObject({
        MAIL_FROM: DEFAULT_SETTINGS.mailFrom,
        SES_CONFIGURATION_SET: DEFAULT_SETTINGS.sesConfigurationSet,
      });
      expect(typeof variables.SERVICE_URL).toBe('string');
      expect(variables.UNSUBSCRIBE_KEY_ARN).toBeDefined();
      expect(variables.UNSUBSCRIBE_KEY).toBeUndefined();
    });

    it('keeps failed records in an encrypted queue and alarms on its depth and age, on errors and on lag', () => {
      const queue = resourcesOf('AWS::SQS::Queue')[logicalIdOf(delivery().failures)];
      expect(queue?.Properties).toMatchObject({
        SqsManagedSseEnabled: true,
        MessageRetentionPeriod: 1_209_600,
      });
      const alarms = Object.values(resourcesOf('AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);
      const fnDimension = [{ Name: 'FunctionName', Value: { Ref: logicalIdOf(delivery().function) } }];
      for (const metric of ['Errors', 'IteratorAge'])
        expect(alarms).toContainEqual(
          expect.objectContaining({ Namespace: 'AWS/Lambda', MetricName: metric, Dimensions: fnDimension }),
        );
      const queueDimension = [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalIdOf(delivery().failures), 'QueueName'] } },
      ];
      for (const metric of ['ApproximateNumberOfMessagesVisible', 'ApproximateAgeOfOldestMessage'])
        expect(alarms).toContainEqual(
          expect.objectContaining({ Namespace: 'AWS/SQS', MetricName: metric, Dimensions: queueDimension }),
        );
    });

    describe('least privilege', () => {
      const roleId = () => {
        const role = delivery().function.role;
        if (!role) throw new Error('The delivery has no role');
        return logicalIdOf(role);
      };
      const tables = [
        'outbox',
        'registry',
        'sealed',
        'procurement',
        'subcontracting',
        'audit',
        'publication',
      ] as const;
      const statements = (): SimStatement[] => {
        const tableOf = new Map(
          tables.map((name) => [canonical(stateless.resolve(stateful.tables[name].tableArn)), name]),
        );
        return statementsOfRole(statelessTemplate, roleId()).flatMap((statement) =>
          statement.resources.flatMap((resource) => {
            const table = tableOf.get(canonical(resource));
            return table
              ? [
                  {
                    actions: statement.actions,
                    table,
                    conditions: statement.condition as Conditions | undefined,
                  },
                ]
              : [];
          }),
        );
      };
      const may = (action: string, table: string, leadingKey?: string) =>
        allows(
          statements(),
          {
            action,
            table,
            leadingKeys: leadingKey === undefined ? undefined : [leadingKey],
            returnValues: 'NONE',
          },
          {},
        );

      it('sends and moves its mail items, lists who takes part, reads the suppression list, adds digest entries', () => {
        const mail = outboxKeys.mail('E', 'u').pk;
        for (const action of ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'])
          expect(may(action, 'outbox', mail), action).toBe(true);
        expect(may('dynamodb:Query', 'outbox', outboxKeys.takingPartPartition('C'))).toBe(true);
        expect(may('dynamodb:GetItem', 'outbox', outboxKeys.suppressed('a@example.org').pk)).toBe(true);
        expect(may('dynamodb:PutItem', 'outbox', outboxKeys.digestPartition('2026-12-03'))).toBe(true);
      });

      it('never writes an event, the suppression list or a taking-part mark, and never deletes or scans', () => {
        expect(may('dynamodb:PutItem', 'outbox', outboxKeys.event('E').pk)).toBe(false);
        expect(may('dynamodb:PutItem', 'outbox', outboxKeys.suppressed('a@example.org').pk)).toBe(false);
        expect(may('dynamodb:PutItem', 'outbox', outboxKeys.takingPart('C', 'P').pk)).toBe(false);
        expect(may('dynamodb:DeleteItem', 'outbox', outboxKeys.mail('E', 'u').pk)).toBe(false);
        expect(may('dynamodb:Scan', 'outbox')).toBe(false);
        expect(may('dynamodb:Scan', 'registry')).toBe(false);
      });

      it('reads members and subscriptions and writes inbox notifications in the registry, and nothing else there', () => {
        expect(may('dynamodb:Query', 'registry', 'PROVIDER#P')).toBe(true);
        expect(may('dynamodb:GetItem', 'registry', registryKeys.subscriptions('u').pk)).toBe(true);
        expect(may('dynamodb:BatchWriteItem', 'registry', registryKeys.notifications('P').pk)).toBe(true);
        expect(may('dynamodb:Query', 'registry', registryKeys.notifications('P').pk)).toBe(false);
        expect(may('dynamodb:PutItem', 'registry', registryKeys.subscriptions('u').pk)).toBe(false);
        expect(may('dynamodb:UpdateItem', 'registry', 'PROVIDER#P')).toBe(false);
        expect(may('dynamodb:DeleteItem', 'registry', 'PROVIDER#P')).toBe(false);
      });

      it('reaches no sealed, procurement, subcontracting, audit or publication data', () => {
        for (const table of ['sealed', 'procurement', 'subcontracting', 'audit', 'publication'])
          for (const action of ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:Scan'])
            expect(may(action, table, 'X'), `${action} ${table}`).toBe(false);
      });

      it('sends e-mail from the configured identity and configuration set only', () => {
        const ses = statementsOfRole(statelessTemplate, roleId()).filter((s) =>
          s.actions.some((a) => a.startsWith('ses:')),
        );
        expect(ses.flatMap((s) => s.actions)).toEqual(['ses:SendEmail']);
        const resources = JSON.stringify(ses.map((s) => s.resources));
        expect(resources).toContain('identity/example.org');
        expect(resources).toContain(`configuration-set/${DEFAULT_SETTINGS.sesConfigurationSet}`);
        expect(resources).not.toContain('identity/*');
      });
    });
  });
}
