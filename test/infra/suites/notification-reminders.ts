/**
 * The scheduled reminders (issue 17) on the synthesized template: an hourly EventBridge Scheduler schedule
 * that passes the scheduled time to the reminders function, with a role that may invoke that one function
 * and nothing else; the function's DynamoDB access is exactly what the two sweeps read and write (evaluated
 * request by request with the IAM simulator): never a bid, a response, a score, the competition's partition,
 * a mail item, the registry or the audit log, and no Scan, UpdateItem or DeleteItem anywhere.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import {
  REMINDER_CONNECTED_ONLY,
  REMINDER_CONTRACTS_ONLY,
  REMINDER_OUTBOX_ONLY,
  REMINDER_PARTICIPATION_ONLY,
} from '../../../infra/constructs/notification-reminders';
import { NO_RETURN_VALUES } from '../../../infra/table-access';
import { outboxKeys, sealedKeys, subcontractingKeys } from '../../../shared/db/keys';
import { TABLE_NAMES } from '../../../shared/db/table-names';
import { allows, type Conditions, type SimStatement } from '../../support/iam-simulator';
import {
  canonical,
  conditionKey,
  dynamoGrantsOf,
  grantsByCondition,
  statementsOfRole,
  UNCONDITIONED,
} from '../iam';
import type { Synthesized } from '../synth';

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Declares the scheduled reminders' tests against a synthesized app. */
export function notificationRemindersSuite(synth: Synthesized): void {
  const { stateless, statelessTemplate, stateful } = synth;
  const reminders = () => stateless.notificationReminders;
  const logicalIdOf = (element: { node: { defaultChild?: unknown } }) =>
    stateless.getLogicalId(element.node.defaultChild as CfnElement);
  const functionRoleId = () => {
    const role = reminders().function.role;
    if (!role) throw new Error('The reminders function has no role');
    return logicalIdOf(role);
  };
  const resourcesOf = (type: string) => statelessTemplate.findResources(type) as Record<string, Resource>;
  const functionArn = () => canonical({ 'Fn::GetAtt': [logicalIdOf(reminders().function), 'Arn'] });

  describe('the scheduled reminders (issue 17)', () => {
    it('one schedule, every hour, passing the scheduled time to the reminders function', () => {
      const schedules = Object.values(resourcesOf('AWS::Scheduler::Schedule')).filter(
        (schedule) => canonical((schedule.Properties.Target as { Arn: never }).Arn) === functionArn(),
      );
      expect(schedules).toHaveLength(1);
      const properties = schedules[0]?.Properties ?? {};
      expect(properties).toMatchObject({
        ScheduleExpression: 'rate(1 hour)',
        State: 'ENABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
      const target = properties.Target as { RoleArn: unknown; Input: string; RetryPolicy: object };
      expect(canonical(target.RoleArn as never)).toBe(
        canonical({ 'Fn::GetAtt': [logicalIdOf(reminders().scheduleRole), 'Arn'] }),
      );
      expect(JSON.parse(target.Input)).toEqual({ scheduledTime: '<aws.scheduler.scheduled-time>' });
      expect(target.RetryPolicy).toMatchObject({ MaximumRetryAttempts: expect.any(Number) });
    });

    it("the schedule's role: assumed only by EventBridge Scheduler of this account, may invoke the reminders function alone", () => {
      const roleId = logicalIdOf(reminders().scheduleRole);
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
      expect(
        statementsOfRole(statelessTemplate, roleId).map(({ actions, resources, condition, negated }) => ({
          actions,
          resources: resources.map((resource) => canonical(resource)),
          condition,
          negated,
        })),
      ).toEqual([
        {
          actions: ['lambda:InvokeFunction'],
          resources: [functionArn()],
          condition: undefined,
          negated: false,
        },
      ]);
    });

    it('the function: exactly the reads and blind puts of the sweeps, on four tables and one index', () => {
      const grants = dynamoGrantsOf(stateless, statelessTemplate, functionRoleId(), stateful.tables);
      const expected: Record<string, Record<string, string[]>> = {
        sealed: {
          [conditionKey(REMINDER_CONNECTED_ONLY)]: ['dynamodb:Query'],
          [conditionKey(REMINDER_PARTICIPATION_ONLY)]: ['dynamodb:BatchGetItem'],
        },
        subcontracting: { [conditionKey(REMINDER_CONTRACTS_ONLY)]: ['dynamodb:BatchGetItem'] },
        outbox: { [conditionKey({ ...REMINDER_OUTBOX_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'] },
      };
      for (const table of TABLE_NAMES)
        expect(grantsByCondition(grants, table), table).toEqual(expected[table] ?? {});
      // One index, Query only: procurement gsi1 (competitions by next deadline, the contracts list).
      expect([...grants.indexes.keys()]).toHaveLength(1);
      const [index] = [...grants.indexes.keys()];
      expect(index).toMatch(/\/index\/gsi1$/);
      expect(grantsByCondition(grants, index ?? '')).toEqual({ [UNCONDITIONED]: ['dynamodb:Query'] });
      expect(grants.elsewhere).toEqual([]);
      const fn = resourcesOf('AWS::Lambda::Function')[logicalIdOf(reminders().function)];
      expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs22.x', Timeout: 300 });
    });

    it('evaluated: reads markers and participation, checks period heads, puts marks and events; nothing else', () => {
      const tableOf = new Map(
        (['sealed', 'subcontracting', 'outbox'] as const).map((name) => [
          canonical(stateless.resolve(stateful.tables[name].tableArn)),
          name,
        ]),
      );
      const statements: SimStatement[] = statementsOfRole(statelessTemplate, functionRoleId()).flatMap(
        (statement) =>
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
      const can = (action: string, table: string, pk: string, returnValues?: string) =>
        allows(
          statements,
          {
            action: `dynamodb:${action}`,
            table,
            leadingKeys: [pk],
            ...(returnValues ? { returnValues } : {}),
          },
          {},
        );
      const competitionId = '01JD0000000000000000000001';
      const providerId = '01JD0000000000000000000002';
      expect(can('Query', 'sealed', sealedKeys.connected(competitionId, providerId).pk)).toBe(true);
      expect(can('BatchGetItem', 'sealed', sealedKeys.participation(providerId, competitionId).pk)).toBe(
        true,
      );
      expect(can('BatchGetItem', 'subcontracting', subcontractingKeys.periodHead('K1', '2026-Q1').pk)).toBe(
        true,
      );
      expect(can('PutItem', 'outbox', outboxKeys.sweep('deadline#x').pk)).toBe(true);
      expect(can('PutItem', 'outbox', outboxKeys.event(competitionId).pk)).toBe(true);
      expect(can('PutItem', 'outbox', outboxKeys.event(competitionId).pk, 'ALL_OLD')).toBe(false);
      // No bid, response, score or competition partition; no reading a marker by key (who bids) beyond the
      // Query the sweep makes, no participation list of a provider by Query.
      for (const pk of [
        sealedKeys.bidDraft(competitionId, providerId).pk,
        sealedKeys.response(competitionId, providerId).pk,
        sealedKeys.partition(competitionId).pk,
        sealedKeys.confidential(competitionId).pk,
      ]) {
        for (const action of ['GetItem', 'BatchGetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'])
          expect(can(action, 'sealed', pk), `${action} ${pk}`).toBe(false);
      }
      expect(can('Query', 'sealed', sealedKeys.participation(providerId, competitionId).pk)).toBe(false);
      expect(can('PutItem', 'sealed', sealedKeys.participation(providerId, competitionId).pk)).toBe(false);
      // The outbox: no mail item, digest, suppression entry or taking-part list, and no reading back.
      for (const pk of [
        outboxKeys.mail(competitionId, 'user-1').pk,
        outboxKeys.digestPartition('2026-12-02'),
        outboxKeys.suppressed('someone@example.org').pk,
        outboxKeys.takingPartPartition(competitionId),
      ])
        expect(can('PutItem', 'outbox', pk), pk).toBe(false);
      for (const action of ['GetItem', 'Query', 'UpdateItem', 'DeleteItem'])
        expect(can(action, 'outbox', outboxKeys.sweep('deadline#x').pk), action).toBe(false);
      expect(can('PutItem', 'subcontracting', subcontractingKeys.periodHead('K1', '2026-Q1').pk)).toBe(false);
      expect(can('Query', 'subcontracting', subcontractingKeys.periodHead('K1', '2026-Q1').pk)).toBe(false);
    });
  });
}
