/**
 * The daily digest of saved searches in AWS (issue 17): an EventBridge Scheduler schedule, every day at
 * 07:00 Europe/London (so 07:00 in winter and in summer time alike), invokes `functions/notifications/
 * digest.ts` with the time it fired; the function puts one digest mail item per user for the UTC day before,
 * which the outbox delivery sends from the outbox table's stream.
 *
 * - Least privilege. The function: on the outbox table, Query the digest partitions (`DIGEST#…`) and put
 *   digest mail items (`MAIL#DIGEST-…`), blind; nothing else, no other table. The schedule's role:
 *   `lambda:InvokeFunction` on this one function (no version or alias wildcard), assumable only by
 *   EventBridge Scheduler for schedules of this account.
 * - Retries: the schedule retries a failed invocation (the run is idempotent per user and day, and the day
 *   comes from the scheduled time, so a retry covers the same day); an alarm fires on the function's errors.
 */
import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
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
import { type IamConditions, NO_RETURN_VALUES, type TableGrant } from '../table-access';
import { ServiceFunction } from './service-function';
import type { ServiceTable } from './service-table';

/** Digest entries: pk `DIGEST#<day>` (`outboxKeys.digestPartition`). */
export const DIGEST_PARTITIONS_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['DIGEST#*'] },
};

/** Digest mail items: pk `MAIL#DIGEST-<day>#<sub>` (`outboxKeys.mail` with `digestEventId`). */
export const DIGEST_MAIL_ONLY: IamConditions = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['MAIL#DIGEST-*'] },
};

/**
 * The digest function's grants on the outbox table: read a day's entries, put each user's digest mail item
 * (conditional, blind). No GetItem, UpdateItem or DeleteItem, and no event or other user's mail item.
 */
export const DIGEST_GRANTS: readonly TableGrant[] = [
  { actions: ['dynamodb:Query'], conditions: DIGEST_PARTITIONS_ONLY },
  { actions: ['dynamodb:PutItem'], conditions: { ...DIGEST_MAIL_ONLY, ...NO_RETURN_VALUES } },
];

/** When the schedule fires: 07:00 in London, whatever the season. */
export const DIGEST_SCHEDULE = { hour: '7', minute: '0', timeZone: 'Europe/London' } as const;

/** Inputs of the daily digest. */
export interface DailyDigestProps {
  /** The outbox table. */
  table: ServiceTable;
  /** Handler module, absolute path. */
  entry: string;
  projectRoot: string;
  depsLockFilePath: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  alarmTopic: ITopic;
}

/** The digest function and its schedule. */
export class DailyDigest extends Construct {
  readonly function: ServiceFunction;
  readonly schedule: Schedule;
  /** The role EventBridge Scheduler invokes the function with. */
  readonly scheduleRole: Role;

  constructor(scope: Construct, id: string, props: DailyDigestProps) {
    super(scope, id);
    this.function = new ServiceFunction(this, 'Function', {
      entry: props.entry,
      description:
        'Daily digest: puts one e-mail per user of the saved-search matches of the day before, for the outbox delivery to send.',
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    // A batch job, not a request: it reads a whole day's entries. Five minutes puts tens of thousands of
    // digests; a run cut short is finished by the retry (users done already are skipped).
    (this.function.node.defaultChild as CfnFunction).timeout = 300;
    this.function.bindTableGrants(props.table, DIGEST_GRANTS);

    const { account } = Stack.of(this);
    this.scheduleRole = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': account } },
      }),
      description: 'EventBridge Scheduler: invokes the daily digest function, and nothing else',
    });
    this.scheduleRole.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
    );
    const target: IScheduleTarget = {
      bind: (_schedule: ISchedule): ScheduleTargetConfig => ({
        arn: this.function.functionArn,
        role: this.scheduleRole,
        input: ScheduleTargetInput.fromObject({ scheduledTime: ContextAttribute.scheduledTime }),
        retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 6 * 3600 },
      }),
    };
    this.schedule = new Schedule(this, 'Schedule', {
      description: 'Daily digest of saved searches, 07:00 Europe/London',
      schedule: ScheduleExpression.cron({
        minute: DIGEST_SCHEDULE.minute,
        hour: DIGEST_SCHEDULE.hour,
        timeZone: TimeZone.of(DIGEST_SCHEDULE.timeZone),
      }),
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
        'The daily digest failed (the schedule retries; users whose digest was put are not sent it again).',
    });
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
