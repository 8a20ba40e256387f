/**
 * The scheduled reminders in AWS (issue 17): an EventBridge Scheduler schedule, every hour, invokes
 * `functions/notifications/reminders.ts` with the time it fired; the function records deadline reminders
 * for unsubmitted bid drafts and reminders of spend returns due or overdue as outbox events, each once (a
 * sweep mark in the same transaction), which the outbox delivery sends from the outbox table's stream.
 *
 * A construct of its own beside the daily digest's (`daily-digest.ts`, the same shape): that one is built
 * around the digest's function and grants, and the two jobs share nothing but the pattern.
 *
 * - Least privilege (`REMINDER_GRANTS`, `REMINDER_INDEX_QUERY`). The function: on the procurement table,
 *   Query its gsi1 alone (competitions by next deadline, the contracts list: listings, never sealed data);
 *   on the sealed table, Query connection markers (`CONNECTED#…`) and BatchGetItem participation items
 *   (`TAKING#…`: where each organisation's bid stands), nothing of any bid, response, score or the
 *   competition's partition; on the sub-contracting table, BatchGetItem in contracts' partitions (whether a
 *   period's head exists); on the outbox table, PutItem of sweep marks and events, blind. No UpdateItem,
 *   DeleteItem or Scan anywhere; nothing on the registry or the audit log. The schedule's role:
 *   `lambda:InvokeFunction` on this one function, assumable only by EventBridge Scheduler of this account.
 * - Retries: the schedule retries a failed invocation (both sweeps record each reminder once, so a retry
 *   records only what is missing); an alarm fires on the function's errors.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ContextAttribute,
  type ISchedule,
  type IScheduleTarget,
  Schedule,
  ScheduleExpression,
  type ScheduleTargetConfig,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { TableName } from '../../shared/db/table-names';
import { CONNECTED_PREFIX, type IamConditions, NO_RETURN_VALUES, type TableGrant } from '../table-access';
import { ServiceFunction } from './service-function';
import type { ServiceTable } from './service-table';

/** Limits item actions to the partitions whose keys start with these prefixes. */
const leadingKeys = (...patterns: string[]): IamConditions => ({
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': patterns },
});

/** Connection markers: pk `CONNECTED#<competitionId>` (`sealedKeys.connected`). */
export const REMINDER_CONNECTED_ONLY = leadingKeys(`${CONNECTED_PREFIX}*`);
/** Participation items: pk `TAKING#<providerId>` (`sealedKeys.participation`). */
export const REMINDER_PARTICIPATION_ONLY = leadingKeys('TAKING#*');
/** Contracts' partitions in the sub-contracting table: pk `CONTRACT#<id>` (period heads, `FIG#<period>`). */
export const REMINDER_CONTRACTS_ONLY = leadingKeys('CONTRACT#*');
/** Sweep marks and outbox events: pk `SWEEP#…` (`outboxKeys.sweep`) and `EVENT#…` (`outboxKeys.event`). */
export const REMINDER_OUTBOX_ONLY = leadingKeys('SWEEP#*', 'EVENT#*');

/** The reminders function's grants on each table's items (its one index Query is `REMINDER_INDEX_QUERY`). */
export const REMINDER_GRANTS: Readonly<Partial<Record<TableName, readonly TableGrant[]>>> = {
  sealed: [
    { actions: ['dynamodb:Query'], conditions: REMINDER_CONNECTED_ONLY },
    { actions: ['dynamodb:BatchGetItem'], conditions: REMINDER_PARTICIPATION_ONLY },
  ],
  subcontracting: [{ actions: ['dynamodb:BatchGetItem'], conditions: REMINDER_CONTRACTS_ONLY }],
  outbox: [{ actions: ['dynamodb:PutItem'], conditions: { ...REMINDER_OUTBOX_ONLY, ...NO_RETURN_VALUES } }],
};

/**
 * The one index the function queries: procurement gsi1, whose partitions are listings (open opportunities,
 * published answers, competitions by next deadline, every contract), none of them sealed.
 */
export const REMINDER_INDEX_QUERY = { table: 'procurement', index: 'gsi1' } as const;

/** How often the schedule fires. */
export const REMINDER_RATE_HOURS = 1;

/** Inputs of the reminders. */
export interface NotificationRemindersProps {
  /** The tables the function reaches (procurement, sealed, subcontracting, outbox). */
  tables: Readonly<Record<'procurement' | 'sealed' | 'subcontracting' | 'outbox', ServiceTable>>;
  /** Handler module, absolute path. */
  entry: string;
  projectRoot: string;
  depsLockFilePath: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  alarmTopic: ITopic;
}

/** The reminders function and its hourly schedule. */
export class NotificationReminders extends Construct {
  readonly function: ServiceFunction;
  readonly schedule: Schedule;
  /** The role EventBridge Scheduler invokes the function with. */
  readonly scheduleRole: Role;

  constructor(scope: Construct, id: string, props: NotificationRemindersProps) {
    super(scope, id);
    this.function = new ServiceFunction(this, 'Function', {
      entry: props.entry,
      description:
        'Scheduled reminders: deadlines close with an unsubmitted bid draft, spend returns due or overdue, as outbox events.',
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    // A batch job, not a request: a sweep reads every open competition and every contract.
    (this.function.node.defaultChild as CfnFunction).timeout = 300;
    for (const [name, grants] of Object.entries(REMINDER_GRANTS) as [TableName, readonly TableGrant[]][]) {
      const table = props.tables[name as keyof NotificationRemindersProps['tables']];
      this.function.bindTableGrants(table, grants);
    }
    const procurement = props.tables[REMINDER_INDEX_QUERY.table];
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${procurement.tableArn}/index/${REMINDER_INDEX_QUERY.index}`],
      }),
    );
    // The table's name, for the index Query (no item action on the table itself).
    this.function.bindTableGrants(procurement, []);

    const { account } = Stack.of(this);
    this.scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      description: 'EventBridge Scheduler: invokes the scheduled reminders function, and nothing else',
    });
    this.scheduleRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
    );
    const target: IScheduleTarget = {
      bind: (_schedule: ISchedule): ScheduleTargetConfig => ({
        arn: this.function.functionArn,
        role: this.scheduleRole,
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        // The next hour's run covers anything a spent retry missed.
        retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
      }),
    };
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Scheduled reminders: deadlines and spend returns, every hour',
      schedule: ScheduleExpression.rate(Duration.hours(REMINDER_RATE_HOURS)),
      target,
    });

    const action = new SnsAction(props.alarmTopic);
    const alarm = new Alarm(this, 'ErrorsAlarm', {
      metric: this.function.metricErrors({ period: Duration.hours(1), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'The scheduled reminders failed for some competitions or returns (the schedule retries; reminders recorded already are not recorded again).',
    });
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
