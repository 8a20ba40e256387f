/**
 * The daily digest of saved searches (issue 17) on the synthesized template: an EventBridge Scheduler
 * schedule at 07:00 Europe/London that passes the scheduled time to the digest function, with a role that
 * may invoke that one function and nothing else; the function may read digest entries and put digest mail
 * items on the outbox table, blind, and nothing more (evaluated request by request with the IAM simulator).
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { DIGEST_MAIL_ONLY, DIGEST_PARTITIONS_ONLY } from '../../../infra/constructs/daily-digest';
import { NO_RETURN_VALUES } from '../../../infra/table-access';
import { outboxKeys } from '../../../shared/db/keys';
import { TABLE_NAMES } from '../../../shared/db/table-names';
import { digestEventId } from '../../../shared/use-cases/notifications/send-digest';
import { allows, type Conditions, type SimStatement } from '../../support/iam-simulator';
import { canonical, conditionKey, dynamoGrantsOf, grantsByCondition, statementsOfRole } from '../iam';
import type { Synthesized } from '../synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Declares the daily digest tests against a synthesized app. */
export function dailyDigestSuite(synth: Synthesized): void {
  const { stateless, statelessTemplate, stateful } = synth;
  const digest = () => stateless.dailyDigest;
  const logicalIdOf = (element: { node: { defaultChild?: unknown } }) =>
    stateless.getLogicalId(element.node.defaultChild as CfnElement);
  const functionRoleId = () => {
    const role = digest().function.role;
    if (!role) throw new Error('The digest function has no role');
    return logicalIdOf(role);
  };
  const resourcesOf = (type: string) => statelessTemplate.findResources(type) as Record<string, Resource>;

  describe('the daily digest (issue 17)', () => {
    it('one schedule, at 07:00 Europe/London every day, passing the scheduled time to the digest function', () => {
      // The digest's own schedule (the scheduled reminders have theirs: notification-reminders.ts).
      const schedules = Object.values(resourcesOf('AWS::Scheduler::Schedule')).filter(
        (schedule) =>
          canonical((schedule.Properties.Target as { Arn: never }).Arn) ===
          canonical({ 'Fn::GetAtt': [logicalIdOf(digest().function), 'Arn'] }),
      );
      expect(schedules).toHaveLength(1);
      const properties = schedules[0]?.Properties ?? {};
      expect(properties).toMatchObject({
        ScheduleExpression: 'cron(0 7 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/London',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
      const target = properties.Target as {
        Arn: unknown;
        RoleArn: unknown;
        Input: string;
        RetryPolicy: object;
      };
      expect(canonical(target.Arn as never)).toBe(
        canonical({ 'Fn::GetAtt': [logicalIdOf(digest().function), 'Arn'] }),
      );
      expect(canonical(target.RoleArn as never)).toBe(
        canonical({ 'Fn::GetAtt': [logicalIdOf(digest().scheduleRole), 'Arn'] }),
      );
      expect(JSON.parse(target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
      expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: expect.any(Number) });
    });

    it("the schedule's role: assumed only by EventBridge Scheduler of this account, may invoke the digest function alone", () => {
      const roleId = logicalIdOf(digest().scheduleRole);
      const role = resourcesOf('AWS::IAM::Role')[roleId];
      expect(role?.Properties.AssumeRolePolicyDocument).toEqual({
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'scheduler.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      });
      expect(role?.Properties.ManagedPolicyArns).toBeUndefined();
      const statements = statementsOfRole(statelessTemplate, roleId);
      expect(
        statements.map(({ actions, resources, condition, negated }) => ({
          actions,
          resources: resources.map((resource) => canonical(resource)),
          condition,
          negated,
        })),
      ).toEqual([
        {
          actions: ['lambda:InvokeFunction'],
          // The function itself: no `:*`, so no version or alias of it, and no other function.
          resources: [canonical({ 'Fn::GetAtt': [logicalIdOf(digest().function), 'Arn'] })],
          condition: undefined,
          negated: false,
        },
      ]);
    });

    it('the function: Query of digest partitions and blind puts of digest mail items on the outbox table, nothing on any other table', () => {
      const grants = dynamoGrantsOf(stateless, statelessTemplate, functionRoleId(), stateful.tables);
      for (const table of TABLE_NAMES) {
        expect(grantsByCondition(grants, table), table).toEqual(
          table === 'outbox'
            ? {
                [conditionKey(DIGEST_PARTITIONS_ONLY)]: ['dynamodb:Query'],
                [conditionKey({ ...DIGEST_MAIL_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
              }
            : {},
        );
      }
      expect(grants.indexes.size).toBe(0);
      expect(grants.elsewhere).toEqual([]);
      // A batch job: more time than a request's 10 seconds.
      const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(digest().function)];
      expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 300 });
    });

    it('evaluated: may read a day of entries and put that day of digests, never another mail item, an event or a read of mail', () => {
      const outboxArn = canonical(stateless.resolve(stateful.tables.outbox.tableArn));
      const statements: SimStatement[] = statementsOfRole(statelessTemplate, functionRoleId()).flatMap(
        (statement) =>
          statement.resources
            .filter((resource) => canonical(resource) === outboxArn)
            .map(() => ({
              actions: statement.actions,
              table: 'outbox',
              conditions: statement.condition as Conditions | undefined,
            })),
      );
      const can = (action: string, pk: string, returnValues?: string) =>
        allows(
          statements,
          {
            action: `dynamodb:${action}`,
            table: 'outbox',
            leadingKeys: [pk],
            ...(returnValues ? { returnValues } : {}),
          },
          {},
        );
      const day = '2026-12-02';
      const digestMail = outboxKeys.mail(digestEventId(day), 'user-1').pk;
      const eventMail = outboxKeys.mail('01JD0000000000000000000001', 'user-1').pk;
      expect(can('Query', outboxKeys.digestPartition(day))).toBe(true);
      expect(can('PutItem', digestMail)).toBe(true);
      expect(can('PutItem', digestMail, 'ALL_OLD')).toBe(false);
      for (const pk of [
        eventMail,
        outboxKeys.event('01JD0000000000000000000001').pk,
        outboxKeys.digestPartition(day),
      ])
        expect(can('PutItem', pk), pk).toBe(false);
      for (const pk of [digestMail, eventMail]) {
        expect(can('GetItem', pk), pk).toBe(false);
        expect(can('UpdateItem', pk), pk).toBe(false);
        expect(can('DeleteItem', pk), pk).toBe(false);
        expect(can('Query', pk), pk).toBe(false);
      }
      expect(can('Query', outboxKeys.takingPartPartition('C1'))).toBe(false);
    });
  });
}
