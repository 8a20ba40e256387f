/**
 * The audit sequencer in AWS: a Lambda function on the audit table's DynamoDB stream that chains the
 * pending events every change writes (`functions/audit/sequencer.ts`, `shared/db/audit.ts`).
 *
 * - Fed only INSERTs of pending events (an event filter), from the oldest record kept, one batch at a time
 *   per shard (parallelisation 1), so each competition's events are chained in the order they were written.
 * - Partial batch responses (`reportBatchItemFailures`, Powertools' `BatchProcessor`) and bisection on error:
 *   a failing record is retried alone, with those after it; chaining is idempotent, so retries chain
 *   nothing twice.
 * - After its retries, a record's metadata goes to an encrypted SQS queue (the on-failure destination) and
 *   an alarm fires; the event itself stays pending in the table, counted by `verify`, never lost.
 * - Least privilege: on the audit table, read chain heads, put chained events, heads and digests, delete
 *   pending events, all blind (`AUDIT_SEQUENCER_GRANTS`); read the audit table's stream; nothing else.
 */
import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { suppress } from '../nag';
import { AUDIT_PENDING_PREFIX, AUDIT_SEQUENCER_GRANTS } from '../table-access';
import { ServiceFunction } from './service-function';
import type { ServiceTable } from './service-table';

/** Inputs of the sequencer. */
export interface AuditSequencerProps {
  /** The audit table; its definition must declare a stream. */
  table: ServiceTable;
  /** Handler module, absolute path. */
  entry: string;
  projectRoot: string;
  depsLockFilePath: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  alarmTopic: ITopic;
}

/** The stream consumer that chains audit events. */
export class AuditSequencer extends Construct {
  readonly function: ServiceFunction;
  /** Where records go once their retries are spent. */
  readonly failures: Queue;

  constructor(scope: Construct, id: string, props: AuditSequencerProps) {
    super(scope, id);
    if (!props.table.definition.stream || !props.table.tableStreamArn) {
      throw new Error(`The ${props.table.definition.name} table has no stream for the audit sequencer`);
    }
    this.function = new ServiceFunction(this, 'Function', {
      entry: props.entry,
      description:
        'Audit sequencer: chains the pending audit events of each competition, in order, from the audit table stream.',
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    this.function.bindTableGrants(props.table, AUDIT_SEQUENCER_GRANTS);

    this.failures = new Queue(this, 'Failures', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    suppress(this.failures, [
      {
        id: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the on-failure destination of the audit sequencer stream mapping (it holds the metadata of records whose retries are spent); a queue behind it would only move the same alarm.',
      },
    ]);

    this.function.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        parallelizationFactor: 1,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: 10,
        maxRecordAge: Duration.days(1),
        onFailure: new SqsDlq(this.failures),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { Keys: { pk: { S: FilterRule.beginsWith(AUDIT_PENDING_PREFIX) } } },
          }),
        ],
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
      'The audit sequencer failed (events wait pending until a retry chains them).',
    );
    alarm(
      'IteratorAgeAlarm',
      this.function.metric('IteratorAge', { period, statistic: 'Maximum' }),
      60_000,
      'Audit events wait more than a minute to be chained.',
    );
    alarm(
      'FailuresAlarm',
      this.failures.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' }),
      1,
      'An audit event could not be chained after every retry: it stays pending; see the failure queue.',
    );
  }
}
