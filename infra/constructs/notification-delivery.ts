/**
 * The notification delivery in AWS (issue 17): a Lambda function on the outbox table's DynamoDB stream
 * (`functions/notifications/deliver.ts`) that expands each event a change recorded into mail items and
 * sends each mail item once through SES.
 *
 * - Fed only INSERTs of events (`EVENT#`) and mail items (`MAIL#`) by an event filter, from the oldest
 *   record kept, so a consumer that was stopped delivers what was written meanwhile.
 * - Partial batch responses (`reportBatchItemFailures`, Powertools' `BatchProcessor`) and bisection on
 *   error: a failing record is retried alone; both steps are idempotent, so retries send nothing twice.
 * - After its retries, a record's metadata goes to an encrypted SQS queue (the on-failure destination);
 *   alarms on errors, on the stream's iterator age and on the queue's depth and age.
 * - Least privilege: on the outbox table, the delivery's own items (`NOTIFICATION_DELIVERY_OUTBOX_GRANTS`);
 *   on the registry, the reads that find an audience and the inbox writes (`..._REGISTRY_GRANTS`); look-ups
 *   of users in the user pool; `ses:SendEmail` from the service's identity and configuration set.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IUserPool } from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { type CfnFunction, FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { OUTBOX_STREAM_PREFIXES } from '../../shared/db/keys';
import { suppress } from '../nag';
import {
  NOTIFICATION_DELIVERY_OUTBOX_GRANTS,
  NOTIFICATION_DELIVERY_REGISTRY_GRANTS,
  NOTIFICATION_DELIVERY_REGISTRY_INDEXES,
} from '../table-access';
import { ServiceFunction } from './service-function';
import type { ServiceTable } from './service-table';

/** Inputs of the delivery. */
export interface NotificationDeliveryProps {
  /** The outbox table; its definition must declare a stream. */
  outbox: ServiceTable;
  registry: ServiceTable;
  userPool: IUserPool;
  /** The SES identity and configuration set ARNs the function may send with. */
  sesResources: string[];
  /** The From address it may send as. */
  fromAddress: string;
  entry: string;
  projectRoot: string;
  depsLockFilePath: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  alarmTopic: ITopic;
}

/** The stream consumer that sends e-mail. */
export class NotificationDelivery extends Construct {
  readonly function: ServiceFunction;
  /** Where records go once their retries are spent. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: NotificationDeliveryProps) {
    super(scope, id);
    if (!props.outbox.definition.stream || !props.outbox.tableStreamArn) {
      throw new Error(
        `The ${props.outbox.definition.name} table has no stream for the notification delivery`,
      );
    }
    this.function = new ServiceFunction(this, 'Function', {
      entry: props.entry,
      description:
        'Notification delivery: expands outbox events into e-mails and sends each once, from the outbox table stream.',
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    // Time to expand a large audience and to wait out the lease of a sender that died mid-send
    // (`SEND_LEASE_MS`, 45 s), rather than the route functions' 10 s.
    (this.function.node.defaultChild as CfnFunction).timeout = 120;
    this.function.bindTableGrants(props.outbox, NOTIFICATION_DELIVERY_OUTBOX_GRANTS);
    this.function.bindTableGrants(props.registry, NOTIFICATION_DELIVERY_REGISTRY_GRANTS);
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: NOTIFICATION_DELIVERY_REGISTRY_INDEXES.map(
          (index) => `${props.registry.tableArn}/index/${index}`,
        ),
      }),
    );
    // Each recipient's address, read when the e-mail is sent (`shared/db/cognito-identities.ts`: the user
    // and their groups), in this pool alone.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser'],
        resources: [props.userPool.userPoolArn],
      }),
    );
    // From the configured address alone, though the identity is the whole domain.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: props.sesResources,
        conditions: { StringEquals: { 'ses:FromAddress': props.fromAddress } },
      }),
    );

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.failures, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the on-failure destination of the notification delivery stream mapping (it holds the metadata of records whose retries are spent); a queue behind it would only move the same alarm.',
      },
    ]);

    this.function.addEventSource(
      new DynamoEventSource(props.outbox, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 25,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.failures),
        filters: OUTBOX_STREAM_PREFIXES.map((prefix) =>
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(prefix) } } },
          }),
        ),
      }),
    );

    const action = new SnsAction(props.alarmTopic);
    const alarm = (alarmId: string, metric: IMetric, threshold: number, description: string) => {
      const created = new Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
    };
    const period = Duration.minutes(5);
    alarm(
      'ErrorsAlarm',
      this.function.metricErrors({ period, statistic: 'Sum' }),
      1,
      'The notification delivery failed (records are retried; e-mails wait until then).',
    );
    alarm(
      'IteratorAgeAlarm',
      this.function.metric('IteratorAge', { period, statistic: 'Maximum' }),
      5 * 60_000,
      'Outbox records wait more than five minutes to be delivered.',
    );
    alarm(
      'FailuresDepthAlarm',
      this.failures.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
      'An outbox record could not be delivered after every retry: see the failure queue.',
    );
    alarm(
      'FailuresAgeAlarm',
      this.failures.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' }),
      24 * 3600,
      'An undelivered outbox record has waited a day in the failure queue without being looked at.',
    );
  }
}
