/**
 * The stateless stack: Cognito user pool, HTTP API with a JWT authorizer, one Lambda function per route
 * group, and alarms. Everything here is derived from the route table in `shared/http/routes.ts` – the same
 * table the local gateway serves – so adding a route or a function there is all it takes to deploy it.
 */
import { join } from 'node:path';
import { CfnOutput, Duration, NestedStack, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  HttpMethod,
  HttpNoneAuthorizer,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type IHttpRouteAuthorizer,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Alarm, ComparisonOperator, type IMetric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  StandardThreatProtectionMode,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
} from 'aws-cdk-lib/aws-cognito';
import { PolicyStatement, type Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { FilterPattern, LogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { TableName } from '../../shared/db/table-names';
import { GROUPS } from '../../shared/domain/principal';
import {
  DEFAULT_ROUTE_FUNCTION,
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
  type TableAccess,
} from '../../shared/http/routes';
import { AuditSequencer } from '../constructs/audit-sequencer';
import { DailyDigest } from '../constructs/daily-digest';
import type { DocumentsBucket } from '../constructs/documents-bucket';
import { NotificationDelivery } from '../constructs/notification-delivery';
import { NotificationReminders } from '../constructs/notification-reminders';
import { ProviderDataRole } from '../constructs/provider-data-role';
import { ServiceFunction } from '../constructs/service-function';
import type { ServiceTable } from '../constructs/service-table';
import { SesEvents } from '../constructs/ses-events';
import { copyWebTemplates, WebAssets } from '../constructs/web-assets';
import { suppress } from '../nag';
import type { ServiceSettings } from '../settings';

/** Inputs of the stateless stack. */
export interface StatelessStackProps extends StackProps {
  /** The tables of the stateful stack, by logical name. */
  tables: Record<TableName, ServiceTable>;
  /** The tender documents bucket of the stateful stack (issue 15). */
  documents: DocumentsBucket;
  settings: ServiceSettings;
  /** Repository root: entries in `FUNCTIONS` are relative to it. */
  repoRoot: string;
}

/** `platform` → `Platform`; `spend-returns` → `SpendReturns`. */
function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
}

/** Functions answering at least one route that honours `Idempotency-Key`. */
function idempotentFunctions(): Set<FunctionId> {
  const routes: readonly RouteDefinition[] = ROUTES;
  return new Set(routes.filter((route) => route.idempotent === true).map((route) => route.function));
}

/** Cognito, API, functions and alarms. */
export class StatelessStack extends Stack {
  /** The functions by id, for tests and for stacks that extend this one. */
  readonly functions: Record<FunctionId, ServiceFunction>;
  /** The provider data role of each function declaring `providerDataRole`, by function id. */
  readonly providerDataRoles: Partial<Record<FunctionId, ProviderDataRole>> = {};
  readonly api: HttpApi;
  /**
   * The API's routes, their integrations, invoke permissions and the JWT authorizer, in a nested stack:
   * one route per page and JSON route took this stack past CloudFormation's 500 resources per stack.
   */
  readonly routes: NestedStack;
  readonly stage: HttpStage;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  readonly alarmTopic: Topic;
  /** The web front door's assets: S3 behind CloudFront. */
  readonly webAssets: WebAssets;
  /** The audit table stream's consumer, which chains the audit events changes write pending. */
  readonly auditSequencer: AuditSequencer;
  /** The outbox table stream's consumer, which sends e-mail (issue 17). */
  readonly notificationDelivery: NotificationDelivery;
  /** The daily digest of saved searches: a function and its EventBridge Scheduler schedule (issue 17). */
  readonly dailyDigest: DailyDigest;
  /** The hourly reminders (deadlines, spend returns): a function and its EventBridge Scheduler schedule (issue 17). */
  readonly notificationReminders: NotificationReminders;
  /** The key of the web cookies, which the web functions read at run time. */
  readonly webCookieSecret: Secret;
  /**
   * The key of the one-click unsubscribe tokens (issue 17), which the functions that make or check them
   * read at run time: `grantUnsubscribeKey` gives one the secret's ARN and `GetSecretValue` on it alone.
   */
  readonly unsubscribeKeySecret: Secret;
  /** The functions `grantUnsubscribeKey` let read the unsubscribe key (for the infra tests). */
  readonly unsubscribeKeyReaders: ServiceFunction[] = [];
  /** The SES configuration set, its bounce and complaint topic, and the suppression list's writer. */
  readonly sesEvents: SesEvents;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { settings } = props;

    const { userPool, client } = this.createUserPool(settings);
    this.userPool = userPool;
    this.userPoolClient = client;
    this.alarmTopic = this.createAlarmTopic(settings);
    this.functions = this.createFunctions(props);
    this.webAssets = new WebAssets(this, 'WebAssets', { repoRoot: props.repoRoot });
    this.webCookieSecret = this.configureWebFunction(settings);
    this.unsubscribeKeySecret = this.createUnsubscribeKey();
    // The unsubscribe route and pages check tokens; the delivery, which makes them, is granted the same way.
    this.grantUnsubscribeKey(this.functions.notifications);
    this.grantUnsubscribeKey(this.functions.webAccount);
    const { api, stage, throttled, routes } = this.createApi(settings);
    this.api = api;
    this.stage = stage;
    this.routes = routes;
    this.createAlarms(throttled);
    this.auditSequencer = new AuditSequencer(this, 'AuditSequencer', {
      table: props.tables.audit,
      entry: join(props.repoRoot, 'functions/audit/sequencer.ts'),
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      logRetention: settings.logRetention,
      environment: { POWERTOOLS_SERVICE_NAME: settings.serviceName, POWERTOOLS_LOG_LEVEL: settings.logLevel },
      alarmTopic: this.alarmTopic,
    });
    this.notificationDelivery = this.createNotificationDelivery(props);
    this.dailyDigest = new DailyDigest(this, 'DailyDigest', {
      table: props.tables.outbox,
      entry: join(props.repoRoot, 'functions/notifications/digest.ts'),
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      logRetention: settings.logRetention,
      environment: { POWERTOOLS_SERVICE_NAME: settings.serviceName, POWERTOOLS_LOG_LEVEL: settings.logLevel },
      alarmTopic: this.alarmTopic,
    });
    this.notificationReminders = new NotificationReminders(this, 'NotificationReminders', {
      tables: props.tables,
      entry: join(props.repoRoot, 'functions/notifications/reminders.ts'),
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      logRetention: settings.logRetention,
      environment: { POWERTOOLS_SERVICE_NAME: settings.serviceName, POWERTOOLS_LOG_LEVEL: settings.logLevel },
      alarmTopic: this.alarmTopic,
    });
    this.sesEvents = new SesEvents(this, 'SesEvents', {
      configurationSetName: settings.sesConfigurationSet,
      outbox: props.tables.outbox,
      entry: join(props.repoRoot, 'functions/notifications/ses-events.ts'),
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      logRetention: settings.logRetention,
      environment: { POWERTOOLS_SERVICE_NAME: settings.serviceName, POWERTOOLS_LOG_LEVEL: settings.logLevel },
      alarmTopic: this.alarmTopic,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alarmTopic.topicArn });
    new CfnOutput(this, 'WebAssetsBucket', { value: this.webAssets.bucket.bucketName });
    new CfnOutput(this, 'WebAssetsUrl', { value: this.webAssets.assetsUrl });
  }

  /**
   * The web functions' settings (`shared/config.ts`, `WEB_*`) and what they may do beyond their tables:
   * where assets are, the Cognito client and hosted domain they sign users in with (and the pool they look
   * users up in), and where the key of their cookies is. The key is generated in
   * Secrets Manager and never enters the template or a function's configuration (where anyone allowed
   * `lambda:GetFunctionConfiguration` could read it): each web function gets the secret's ARN and may
   * `GetSecretValue` on that secret alone, and reads it once per execution environment
   * (`shared/web/cookie-key.ts`).
   */
  private configureWebFunction(settings: ServiceSettings): Secret {
    const cookieSecret = new Secret(this, 'WebCookieSecret', {
      description: 'Encrypts the web front door session cookies (32 bytes, base64url)',
      // 43 characters of [A-Za-z0-9] decode, as base64url, to exactly 32 bytes.
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
    });
    suppress(cookieSecret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the cookie key signs every user out, and the web functions keep the key for the life of an execution environment; it is rotated by hand (update the secret, then update the web functions so new environments read it, as the README says), not on a schedule.',
      },
    ]);
    const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
    const webIds = (Object.keys(definitions) as FunctionId[]).filter((id) =>
      definitions[id].entry.startsWith('functions/web/'),
    );
    // The JSON functions answer a browser's request with a small HTML error page (`problem-page.ts`) that
    // loads the GOV.UK stylesheet: they need where assets are, and no other web setting (no cookie key).
    for (const id of Object.keys(definitions) as FunctionId[]) {
      if (!webIds.includes(id)) this.functions[id].addEnvironment('WEB_ASSETS_URL', this.webAssets.assetsUrl);
    }
    for (const web of webIds.map((id) => this.functions[id])) {
      web.addEnvironment('WEB_ASSETS_URL', this.webAssets.assetsUrl);
      web.addEnvironment('WEB_COGNITO_CLIENT_ID', this.userPoolClient.userPoolClientId);
      web.addEnvironment(
        'WEB_COGNITO_ISSUER',
        `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      );
      web.addEnvironment('WEB_COOKIE_SECRET_ARN', cookieSecret.secretArn);
      // GetSecretValue alone, on this secret alone: `grantRead` would add DescribeSecret, which the
      // function never calls. The secret uses the AWS managed key, which needs no grant of its own.
      web.addToRolePolicy(
        new PolicyStatement({
          actions: ['secretsmanager:GetSecretValue'],
          resources: [cookieSecret.secretArn],
        }),
      );
      // Every page checks its session, and at least hourly looks the user up again in the pool (still
      // there and enabled, and their groups now: `shared/db/cognito-identities.ts`): those two reads, on
      // this pool alone.
      web.addToRolePolicy(
        new PolicyStatement({
          actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser'],
          resources: [this.userPool.userPoolArn],
        }),
      );
      // The workspace's panel and exclusion forms take a person by e-mail address as well as user id
      // (`findByEmail` in `shared/db/cognito-identities.ts`): ListUsers filtered on the address, on this
      // pool alone, for that function alone.
      if (web === this.functions.webCommissioning) {
        web.addToRolePolicy(
          new PolicyStatement({ actions: ['cognito-idp:ListUsers'], resources: [this.userPool.userPoolArn] }),
        );
      }
      if (settings.cognitoDomainPrefix) {
        web.addEnvironment(
          'WEB_COGNITO_DOMAIN',
          `https://${settings.cognitoDomainPrefix}.auth.${this.region}.amazoncognito.com`,
        );
      }
    }
    // The JSON route that sets a panel checks, as the wall page does, that each person chosen holds the
    // commissioner role (`setPanel`): it looks them up in this pool the same way, with those two reads alone.
    this.functions.wall.addEnvironment('WEB_COGNITO_ISSUER', this.cognitoIssuer());
    this.functions.wall.addToRolePolicy(
      new PolicyStatement({
        actions: ['cognito-idp:AdminGetUser', 'cognito-idp:AdminListGroupsForUser'],
        resources: [this.userPool.userPoolArn],
      }),
    );
    return cookieSecret;
  }

  /**
   * The notification delivery (issue 17): the outbox stream's consumer, sending through SES from the
   * configured address's identity and the service's configuration set, with links to the site the sign-in
   * callback names.
   */
  private createNotificationDelivery(props: StatelessStackProps): NotificationDelivery {
    const { settings } = props;
    const address = settings.mailFrom;
    const domain = address.slice(address.lastIndexOf('@') + 1);
    const identity = (name: string) =>
      `arn:${this.partition}:ses:${this.region}:${this.account}:identity/${name}`;
    const siteUrl = (settings.callbackUrls[0] ?? 'http://localhost:3000/sign-in/callback').replace(
      /\/sign-in\/callback$/,
      '',
    );
    const delivery = new NotificationDelivery(this, 'NotificationDelivery', {
      outbox: props.tables.outbox,
      registry: props.tables.registry,
      userPool: this.userPool,
      sesResources: [
        identity(domain),
        identity(address),
        `arn:${this.partition}:ses:${this.region}:${this.account}:configuration-set/${settings.sesConfigurationSet}`,
      ],
      fromAddress: address,
      entry: join(props.repoRoot, 'functions/notifications/deliver.ts'),
      projectRoot: props.repoRoot,
      depsLockFilePath: join(props.repoRoot, 'package-lock.json'),
      logRetention: settings.logRetention,
      environment: {
        POWERTOOLS_SERVICE_NAME: settings.serviceName,
        POWERTOOLS_LOG_LEVEL: settings.logLevel,
        MAIL_FROM: address,
        SES_CONFIGURATION_SET: settings.sesConfigurationSet,
        SERVICE_URL: siteUrl,
        WEB_COGNITO_ISSUER: `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      },
      alarmTopic: this.alarmTopic,
    });
    this.grantUnsubscribeKey(delivery.function);
    return delivery;
  }

  /**
   * The one-click unsubscribe key (issue 17): generated in Secrets Manager, never in the template or a
   * function's configuration, as the cookie key is. Changing it revokes every unsubscribe link already
   * sent, so it is not rotated on a schedule.
   */
  private createUnsubscribeKey(): Secret {
    const secret = new Secret(this, 'UnsubscribeKey', {
      description: 'Signs the one-click unsubscribe links of e-mails (32 bytes, base64url)',
      // 43 characters of [A-Za-z0-9] decode, as base64url, to 32 bytes.
      generateSecretString: { passwordLength: 43, excludePunctuation: true, includeSpace: false },
    });
    suppress(secret, [
      {
        id: 'AwsSolutions-SMG4',
        reason:
          'Rotating the unsubscribe key breaks the unsubscribe link of every e-mail already sent (RFC 8058 links must keep working while the e-mail sits in an inbox); it is changed by hand only if it leaks, as the README says.',
      },
    ]);
    return secret;
  }

  /**
   * Lets a function make or check unsubscribe tokens: `UNSUBSCRIBE_KEY_ARN` and `GetSecretValue` on that
   * secret alone (`shared/email/unsubscribe-key.ts` reads it once per execution environment).
   */
  grantUnsubscribeKey(fn: ServiceFunction): void {
    this.unsubscribeKeyReaders.push(fn);
    fn.addEnvironment('UNSUBSCRIBE_KEY_ARN', this.unsubscribeKeySecret.secretArn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.unsubscribeKeySecret.secretArn],
      }),
    );
  }

  /**
   * The issuer Cognito writes into its tokens (`iss`), spelled out rather than taken from the pool's
   * ProviderURL attribute, whose documented form lacks the scheme.
   */
  private cognitoIssuer(): string {
    return `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`;
  }

  private createUserPool(settings: ServiceSettings): { userPool: UserPool; client: UserPoolClient } {
    const userPool = new UserPool(this, 'UserPool', {
      // Providers register themselves; commissioner, admin and auditor rights are granted by group.
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      keepOriginal: { email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // A second factor for everyone, by authenticator app (TOTP). The admin, commissioner and auditor
      // groups must have one, and Cognito's MFA setting is the pool's, not a group's. The alternatives were
      // weighed: a trigger refusing staff tokens without MFA (pre-authentication or pre-token generation)
      // locks staff out before they can set one up, because Cognito's hosted sign-in walks a user through
      // authenticator setup only when the pool requires MFA; a separate pool for staff would need a second
      // app client, issuer and JWT authorizer for every route. Requiring it of providers as well matches
      // GOV.UK One Login (two factors for every account) and protects the bids and contracts they hold.
      // TOTP rather than SMS (weaker, and a cost per message) or email (needs an SES sending identity).
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // Plus tier for threat protection: compromised-credential checks and adaptive authentication that
      // asks risky sign-ins for MFA or blocks them (AwsSolutions-COG8).
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // The accounts are state even though this stack is not: never lose them to a stack replacement.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const group of GROUPS) {
      userPool.addGroup(`${pascal(group)}Group`, { groupName: group, description: `The ${group} role` });
    }
    const client = userPool.addClient('WebClient', {
      // A public client (browser or CLI) cannot keep a secret, so it has none: authorization code flow
      // with PKCE, where Cognito checks the code_verifier against the code_challenge the client sent.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: settings.callbackUrls,
        logoutUrls: settings.logoutUrls,
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
    });
    if (settings.cognitoDomainPrefix) {
      userPool.addDomain('Domain', { cognitoDomain: { domainPrefix: settings.cognitoDomainPrefix } });
    }
    return { userPool, client };
  }

  private createAlarmTopic(settings: ServiceSettings): Topic {
    // A customer-managed key: CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed
    // SNS key, because its key policy cannot be changed to let CloudWatch use it.
    const key = new Key(this, 'AlarmTopicKey', {
      description: 'Encrypts the alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const topic = new Topic(this, 'AlarmTopic', {
      displayName: 'Procurement service alarms',
      masterKey: key,
      enforceSSL: true,
    });
    if (settings.alarmEmail) topic.addSubscription(new EmailSubscription(settings.alarmEmail));
    return topic;
  }

  private createFunctions(props: StatelessStackProps): Record<FunctionId, ServiceFunction> {
    const { settings, tables, repoRoot } = props;
    const idempotent = idempotentFunctions();
    const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
    const entries = (Object.keys(definitions) as FunctionId[]).map((id) => {
      const definition = definitions[id];
      const fn = new ServiceFunction(this, `${pascal(id)}Function`, {
        entry: join(repoRoot, definition.entry),
        description: definition.description,
        projectRoot: repoRoot,
        depsLockFilePath: join(repoRoot, 'package-lock.json'),
        logRetention: settings.logRetention,
        ...(definition.entry.startsWith('functions/web/') ? { afterBundling: copyWebTemplates } : {}),
        environment: {
          POWERTOOLS_SERVICE_NAME: settings.serviceName,
          POWERTOOLS_LOG_LEVEL: settings.logLevel,
          MIN_PREQUALIFICATION_DAYS: String(settings.rules.minPrequalificationDays),
          MIN_TENDER_DAYS: String(settings.rules.minTenderDays),
          STANDSTILL_DAYS: String(settings.rules.standstillDays),
          // Public routes have no authorizer, so a handler checks an optional bearer token itself (an
          // insider reading a competition) against the same issuer and audience as the JWT authorizer.
          JWT_ISSUER: this.cognitoIssuer(),
          JWT_AUDIENCE: this.userPoolClient.userPoolClientId,
        },
      });
      const declared = Object.entries(definition.tables) as [TableName, TableAccess][];
      for (const [name, access] of declared) fn.bindTable(tables[name], access);
      if (idempotent.has(id)) fn.bindIdempotencyStore(tables.idempotency);
      // Tender document files: the S3 actions its declaration names on the documents prefix (uploads,
      // files or both), and the bucket's name; a function declaring nothing gets neither.
      if (definition.documentsBucket) {
        props.documents.grantDocuments(fn, definition.documentsBucket);
        fn.addEnvironment('DOCUMENTS_BUCKET_NAME', props.documents.bucket.bucketName);
        suppress(
          fn.role as Role,
          [
            {
              id: 'AwsSolutions-IAM5',
              reason:
                'Document files are keyed competitions/<competition>/documents/<document>/v<version>/(upload|file)-<id>, one object per upload and per confirmed version; the function presigns URLs for (or confirms uploads of) any competition it is asked about (the policy module decides who may), so its grants cover the competitions/ prefix – narrowed to upload or file keys where it writes or deletes – and only the S3 actions its work needs.',
              // The bucket's ARN is the stateful stack's: cdk-nag renders the reference more than one way.
              appliesTo: [
                { regex: '/^Resource::.*DocumentsBucket.*\\/competitions\\/\\*(\\/(upload|file)-\\*)?$/' },
              ],
            },
          ],
          true,
        );
      }
      if (definition.providerDataRole) {
        if (!fn.role) throw new Error(`Function ${id} has no role to trust`);
        const kind = definition.providerDataRole;
        const role = new ProviderDataRole(this, `${pascal(id)}ProviderDataRole`, {
          kind,
          assumedBy: fn.role,
          tables,
          description: `Assumed by ${id} for one ${kind} at a time (session tag providerId): that provider's own items only`,
        });
        fn.bindProviderDataRole(role);
        this.providerDataRoles[id] = role;
      }
      return [id, fn] as const;
    });
    return Object.fromEntries(entries) as Record<FunctionId, ServiceFunction>;
  }

  private createApi(settings: ServiceSettings): {
    api: HttpApi;
    stage: HttpStage;
    throttled: MetricFilter;
    routes: NestedStack;
  } {
    const api = new HttpApi(this, 'Api', {
      description: 'Offender services procurement API',
      // The stage is created below, with throttling and access logs.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', { retention: settings.logRetention });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: settings.throttle.burstLimit, rateLimit: settings.throttle.rateLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            ip: '$context.identity.sourceIp',
            userAgent: '$context.identity.userAgent',
            sub: '$context.authorizer.claims.sub',
            responseLength: '$context.responseLength',
            responseLatency: '$context.responseLatency',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });

    // HTTP APIs publish no throttle metric: throttled requests are 429s folded into `4xx`. Count them from
    // the access log so that throttling has its own alarm.
    const throttled = new MetricFilter(this, 'ThrottledRequests', {
      logGroup: accessLogs,
      filterPattern: FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: 'OffenderServicesProcurement',
      metricName: 'ThrottledRequests',
      metricValue: '1',
      defaultValue: 0,
    });

    const issuer = this.cognitoIssuer();
    const jwt = new HttpJwtAuthorizer('CognitoJwt', issuer, {
      jwtAudience: [this.userPoolClient.userPoolClientId],
    });
    const none = new HttpNoneAuthorizer();
    // One integration per function, shared by its routes. The invoke permission covers this API as a
    // whole rather than one permission per route, so a function's resource policy stays far below the 20 KB
    // limit however many routes the group grows to; the API only sends a function the routes mapped to it.
    const integrations = Object.fromEntries(
      (Object.keys(this.functions) as FunctionId[]).map((id) => [
        id,
        new HttpLambdaIntegration(`${pascal(id)}Integration`, this.functions[id], {
          scopePermissionToRoute: false,
        }),
      ]),
    ) as Record<FunctionId, HttpLambdaIntegration>;

    // Routes, and with them (bound at the first route using each) the integrations, invoke permissions and
    // the authorizer, live in a nested stack: a route per page and JSON route is most of the resources, and
    // a stack may hold 500. The nested stack takes the API, the functions and the pool by parameter.
    const routeStack = new NestedStack(this, 'Routes', {
      description: 'Offender services procurement: the HTTP API routes, their integrations and authorizer',
    });
    const routes: readonly RouteDefinition[] = ROUTES;
    for (const route of routes) {
      // Group rules ('commissioner', …) cannot be expressed in a JWT authorizer without scopes; the
      // authorizer proves who the caller is and the handler's policy module decides the rest.
      const authorizer: IHttpRouteAuthorizer = route.access === 'public' ? none : jwt;
      const httpRoute = new HttpRoute(routeStack, `Route ${route.method} ${route.path}`, {
        httpApi: api,
        routeKey: HttpRouteKey.with(route.path, HttpMethod[route.method]),
        integration: integrations[route.function],
        authorizer,
      });
      if (route.access === 'public') {
        suppress(httpRoute, [
          {
            id: 'AwsSolutions-APIG4',
            reason: `${route.method} ${route.path} is declared public in shared/http/routes.ts (${route.summary}): it must answer callers without a token.`,
          },
        ]);
      }
    }

    // Everything no route matches (an unknown path, a known path with another method) goes to the web
    // function rather than API Gateway's own `{"message":"Not Found"}`: a 404 GOV.UK page for browsers,
    // problem+json for API clients.
    const defaultRoute = new HttpRoute(routeStack, 'Route $default', {
      httpApi: api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations[DEFAULT_ROUTE_FUNCTION],
      authorizer: none,
    });
    suppress(defaultRoute, [
      {
        id: 'AwsSolutions-APIG4',
        reason:
          'The $default route only answers requests that match no route, with a 404 (a GOV.UK page for browsers, problem+json for API clients); demanding a token there would turn every unknown path into an unexplained 401.',
      },
    ]);
    return { api, stage, throttled, routes: routeStack };
  }

  private createAlarms(throttled: MetricFilter): void {
    const action = new SnsAction(this.alarmTopic);
    const alarm = (id: string, metric: IMetric, description: string) => {
      const created = new Alarm(this, id, {
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No traffic is not a failure.
        treatMissingData: TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
    };
    const period = Duration.minutes(5);
    // No client input may cause a 5xx (DESIGN.md section 5), so a single one is worth a look.
    alarm(
      'Api5xxAlarm',
      this.api.metricServerError({ period, statistic: 'Sum' }),
      'The HTTP API answered with a 5xx.',
    );
    alarm(
      'ApiThrottleAlarm',
      throttled.metric({ period, statistic: 'Sum' }),
      'The HTTP API throttled requests (stage burst or rate limit reached).',
    );
    for (const [id, fn] of Object.entries(this.functions)) {
      alarm(
        `${pascal(id)}ErrorsAlarm`,
        fn.metricErrors({ period, statistic: 'Sum' }),
        `Function ${id} failed (unhandled error or timeout).`,
      );
      alarm(
        `${pascal(id)}ThrottlesAlarm`,
        fn.metricThrottles({ period, statistic: 'Sum' }),
        `Function ${id} was throttled (account or reserved concurrency reached).`,
      );
    }
  }
}
