/**
 * The local stack: DynamoDB Local (unless `DYNAMODB_ENDPOINT` names another), the local S3-compatible server
 * with the documents bucket (unless `S3_ENDPOINT` names another), the local mail catcher (unless
 * `MAIL_ENDPOINT` names another SMTP server), the tables from the shared definitions, demo data for an
 * empty data directory, and the local gateway in front of the handlers.
 * `npm start`, the benchmark and the end-to-end tests all start it through here.
 */
import { join } from 'node:path';
import { loadOrCreateCookieKey } from './cookie-key';
import { assertPortFree, type DynamoDbLocal, startDynamoDbLocal } from './dynamodb-local';
import type { Gateway } from './gateway';
import { exportHandlerEnvironment } from './local-config';
import { type MailCatcher, startMailCatcher } from './mail-catcher';
import { installMeter } from './meter';
import { startReminderTimer } from './reminder-timer';
import { type S3Local, startS3Local } from './s3-server';
import { startDigestTimer } from './scheduler';
import { loadOrCreateSigningKey, type SigningKey } from './signing-key';
import { type StreamReader, startAuditSequencer, startOutboxDelivery } from './streams';
import { loadOrCreateUnsubscribeKey } from './unsubscribe-key';

/** Options of the local stack. */
export interface LocalStackOptions {
  port: number;
  dataDir: string;
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  dynamodbEndpoint?: string | undefined;
  /** Use this S3 endpoint (LocalStack) instead of starting the local S3-compatible server. */
  s3Endpoint?: string | undefined;
  /** Send e-mail to this SMTP server instead of starting the local mail catcher. */
  mailEndpoint?: string | undefined;
  /** The mail catcher's SMTP and web ports (0, the default, for any free one; `npm start` uses 1025 and 1080). */
  mail?: { smtpPort: number; webPort: number } | undefined;
  /** Keep DynamoDB Local in memory instead of under the data directory. */
  inMemory?: boolean;
  /** Prefix for table names, so several data sets can share one DynamoDB. */
  tablePrefix?: string;
  seed: 'demo' | 'none';
  logLevel?: string;
  meter?: boolean;
  log?: (line: string) => void;
}

/** A running local stack. */
export interface LocalStack {
  url: string;
  endpoint: string;
  /** The S3 endpoint of the documents bucket. */
  s3Endpoint: string;
  /** The SMTP server e-mail goes to: the mail catcher's, or the one `mailEndpoint` named. */
  mailEndpoint: string;
  /** The local mail catcher, unless `mailEndpoint` named another server. */
  mailCatcher: MailCatcher | undefined;
  gateway: Gateway;
  signingKey: SigningKey;
  /** Tables created by this start (empty when the data directory already had them). */
  createdTables: string[];
  /** Settles when the demo data (if any) has loaded. */
  seeded: Promise<void>;
  /** The audit sequencer's stream reader (`drain()` waits until every audit event written is chained). */
  auditSequencer: StreamReader;
  /** The notification delivery's stream reader (`drain()` waits until every outbox record is delivered). */
  notificationDelivery: StreamReader;
  stop(): Promise<void>;
}

/** Starts everything; on failure, stops whatever it had started. */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const log = options.log ?? (() => undefined);
  let dynamo: DynamoDbLocal | undefined;
  let s3: S3Local | undefined;
  let mailCatcher: MailCatcher | undefined;
  // Fail fast on a busy port, before spending seconds starting Java.
  if (options.port !== 0) await assertPortFree(options.port);
  try {
    let endpoint = options.dynamodbEndpoint;
    if (!endpoint) {
      dynamo = await startDynamoDbLocal({
        ...(options.inMemory ? {} : { dbPath: join(options.dataDir, 'dynamodb') }),
        log,
      });
      endpoint = dynamo.endpoint;
    } else {
      log(`Using the DynamoDB endpoint ${endpoint}`);
    }
    // The documents bucket's files, beside DynamoDB Local's (or in a temporary directory when in memory).
    const bucket = process.env.DOCUMENTS_BUCKET_NAME || 'documents';
    let s3Endpoint = options.s3Endpoint;
    if (!s3Endpoint) {
      s3 = await startS3Local({
        ...(options.inMemory ? {} : { directory: join(options.dataDir, 's3') }),
        buckets: [bucket],
        log,
      });
      s3Endpoint = s3.endpoint;
    } else {
      log(`Using the S3 endpoint ${s3Endpoint}`);
    }
    // E-mail goes to the local catcher (caught, never relayed) unless another SMTP server is named.
    let mailEndpoint = options.mailEndpoint;
    if (!mailEndpoint) {
      mailCatcher = await startMailCatcher({
        smtpPort: options.mail?.smtpPort ?? 0,
        webPort: options.mail?.webPort ?? 0,
        log,
      });
      mailEndpoint = mailCatcher.smtpEndpoint;
    } else {
      log(`Sending e-mail to ${mailEndpoint}`);
    }
    exportHandlerEnvironment({
      dynamodbEndpoint: endpoint,
      s3Endpoint,
      mailEndpoint,
      // Links in e-mails lead to this gateway (known here only for a fixed port).
      ...(options.port !== 0 ? { serviceUrl: `http://localhost:${options.port}` } : {}),
      logLevel: options.logLevel ?? 'WARN',
      ...(options.tablePrefix !== undefined ? { tablePrefix: options.tablePrefix } : {}),
      // Like the token signing key: web sessions survive a restart with the same data directory.
      webCookieSecret: loadOrCreateCookieKey(options.dataDir),
      // Likewise the unsubscribe key: links in caught e-mail keep working after a restart.
      unsubscribeKey: loadOrCreateUnsubscribeKey(options.dataDir),
    });
    // Imported only now: these modules read the configuration that the line above completes.
    const { config, mailConfig } = await import('../shared/config');
    // A malformed mail setting (MAIL_FROM, SERVICE_URL, …) fails the start, not the first e-mail.
    mailConfig();
    const { dynamoDbClient } = await import('../shared/db/client');
    const { ensureTables } = await import('../shared/db/create-tables');
    const client = dynamoDbClient();
    const createdTables = await ensureTables(client, config().tables);
    if (createdTables.length > 0) log(`Created tables: ${createdTables.join(', ')}`);
    if (!s3) {
      // Another S3 (LocalStack): the bucket is created there if it is missing, as the tables are.
      const { ensureDocumentsBucket } = await import('./s3-bucket');
      if (await ensureDocumentsBucket()) log(`Created the bucket ${config().documents.bucket}`);
    }
    // Data kept under the data directory may predate the current key layout.
    if (dynamo && !options.inMemory) {
      const { migrateLocalData } = await import('./migrate');
      await migrateLocalData({
        dataDir: options.dataDir,
        client,
        sealedTable: config().tables.sealed,
        fresh: createdTables.includes('sealed'),
        rebuildDirectoryCounts: async () => {
          const { providerRepository } = await import('../shared/db/repositories');
          return providerRepository().rebuildDirectoryCounts();
        },
        log,
      });
    }
    if (options.meter) installMeter(client);
    const signingKey = await loadOrCreateSigningKey(options.dataDir);
    // Also imported only now: the gateway's page support loads shared modules that read the configuration.
    const { startGateway } = await import('./gateway');
    const gateway = await startGateway({
      port: options.port,
      signingKey,
      meter: options.meter ?? false,
      log,
    });
    // Chains the audit events every change writes pending, as the stream-fed Lambda does in AWS.
    const auditSequencer = await startAuditSequencer({ endpoint, log });
    // Delivers the outbox (notifications and e-mail) from its table's stream, as the Lambda does in AWS, to
    // the mail catcher; links lead to this gateway.
    const notificationDelivery = await startOutboxDelivery({
      endpoint,
      mailEndpoint,
      serviceUrl: mailConfig().serviceUrl ?? gateway.url,
      log,
    });
    // The daily digest of saved searches at 07:00 London, as EventBridge Scheduler invokes it in AWS.
    const digestTimer = await startDigestTimer({ log });
    // The deadline and spend-return reminders every hour, as EventBridge Scheduler invokes them in AWS.
    const reminderTimer = await startReminderTimer({ log });
    // Demo data loads after the API is up, so a fresh start is ready in seconds; the log says when it is in.
    const seeded =
      options.seed === 'demo' && createdTables.includes('registry')
        ? import('./seed').then(({ seedDemoData }) => seedDemoData(log))
        : Promise.resolve();
    seeded.catch((error: unknown) => log(`Demo data failed to load: ${(error as Error).message}`));
    return {
      seeded,
      url: gateway.url,
      endpoint,
      s3Endpoint,
      mailEndpoint,
      mailCatcher,
      gateway,
      signingKey,
      createdTables,
      auditSequencer,
      notificationDelivery,
      stop: async () => {
        await gateway.close();
        await digestTimer.stop();
        await reminderTimer.stop();
        await auditSequencer.stop();
        await notificationDelivery.stop();
        await mailCatcher?.stop();
        await s3?.stop();
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await mailCatcher?.stop();
    await s3?.stop();
    await dynamo?.stop();
    throw error;
  }
}
