/**
 * Bounces and complaints in AWS (issue 17): the SES configuration set every e-mail is sent through
 * (`SES_CONFIGURATION_SET`, `shared/email/ses-mailer.ts`), whose event destination publishes BOUNCE and
 * COMPLAINT events to an SNS topic, whose one subscriber (`functions/notifications/ses-events.ts`) puts the
 * addresses on the outbox table's suppression list.
 *
 * - The topic is encrypted with a key of its own (SES may use it to publish, nothing else outside the
 *   account) and refuses requests without TLS; its policy lets SES publish only for this configuration
 *   set in this account.
 * - The function may PutItem on the outbox table, blind, and only items whose partition key starts with
 *   `SUPPRESSED#` (`SUPPRESSION_GRANTS`): it cannot read, change or remove anything, the suppression list
 *   included.
 * - Its errors raise an alarm; SNS's asynchronous invocation retries a failure twice.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailSendingEvent,
  EventDestination,
  SuppressionReasons,
} from 'aws-cdk-lib/aws-ses';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { SUPPRESSION_GRANTS } from '../table-access';
import { ServiceFunction } from './service-function';
import type { ServiceTable } from './service-table';

/** Inputs of the bounce and complaint handling. */
export interface SesEventsProps {
  /** The configuration set's name (`sesConfigurationSet` in `infra/settings.ts`). */
  configurationSetName: string;
  /** The outbox table, whose `SUPPRESSED#` items are the suppression list. */
  outbox: ServiceTable;
  /** Handler module, absolute path. */
  entry: string;
  projectRoot: string;
  depsLockFilePath: string;
  logRetention: RetentionDays;
  environment: Record<string, string>;
  alarmTopic: ITopic;
}

/** The configuration set, its bounce and complaint topic, and the function that keeps the suppression list. */
export class SesEvents extends Construct {
  readonly configurationSet: ConfigurationSet;
  readonly topic: Topic;
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: SesEventsProps) {
    super(scope, id);
    this.configurationSet = new ConfigurationSet(this, 'ConfigurationSet', {
      configurationSetName: props.configurationSetName,
      // Mail goes out over TLS or not at all: e-mails name competitions and link to the service.
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      // SES's own account-level list as well as ours: it stops a send before it leaves.
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });

    // A customer-managed key: SES cannot publish to a topic encrypted with the AWS-managed SNS key, whose
    // policy cannot be changed to let SES use it.
    const key = new Key(this, 'TopicKey', {
      description: 'Encrypts the SES bounce and complaint topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('ses.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.topic = new Topic(this, 'Topic', {
      displayName: 'SES bounces and complaints',
      masterKey: key,
      enforceSSL: true,
    });
    // Adds the topic policy statement that lets SES publish for this configuration set alone.
    this.configurationSet.addEventDestination('BouncesAndComplaints', {
      destination: EventDestination.snsTopic(this.topic),
      events: [EmailSendingEvent.BOUNCE, EmailSendingEvent.COMPLAINT],
    });

    this.function = new ServiceFunction(this, 'Function', {
      entry: props.entry,
      description:
        'SES bounces and complaints: puts permanently bouncing and complaining addresses on the suppression list.',
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      logRetention: props.logRetention,
      environment: props.environment,
    });
    this.function.bindTableGrants(props.outbox, SUPPRESSION_GRANTS);
    this.topic.addSubscription(new LambdaSubscription(this.function));

    const alarm = new Alarm(this, 'ErrorsAlarm', {
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      alarmDescription:
        'The SES bounce and complaint handler failed: an address may be missing from the suppression list.',
    });
    const action = new SnsAction(props.alarmTopic);
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
