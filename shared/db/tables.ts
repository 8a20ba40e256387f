/**
 * The table definitions: the single source of truth used by the CDK stateful stack, the local runner
 * (which creates them in DynamoDB Local) and the tests.
 *
 * Tables are split by trust boundary so IAM can keep, for example, provider-facing functions away from
 * sealed bids and evaluation data, and make the audit log append-only. Web sessions have a table of their
 * own for the same reason: every web function must read, refresh and delete them, including the read-only
 * public pages and the sign-in function, which reach no other data; in the registry they would need write
 * access to providers and memberships, and no JSON function needs them at all. Inside each table the keys are
 * generic (`pk`, `sk`, `gsiNpk`, `gsiNsk`) with prefixed values built in `keys.ts`; the access patterns
 * that justify each index are documented there.
 */
import type { TableName } from './table-names';

/** A global secondary index; every key attribute is a string and every index projects all attributes. */
export interface IndexDefinition {
  name: string;
  partitionKey: string;
  sortKey: string;
}

/** One DynamoDB table. */
export interface TableDefinition {
  name: TableName;
  /** What lives here and who may touch it. */
  purpose: string;
  partitionKey: string;
  sortKey?: string;
  indexes: IndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, when items expire. */
  ttlAttribute?: string;
  /**
   * The table's stream, when something consumes it (DynamoDB Streams → Lambda in AWS; locally a reader of
   * DynamoDB Local's stream calls the same handler, `local/streams.ts`).
   */
  stream?: { viewType: 'NEW_IMAGE'; consumer: string };
}

const gsi = (n: number): IndexDefinition => ({
  name: `gsi${n}`,
  partitionKey: `gsi${n}pk`,
  sortKey: `gsi${n}sk`,
});

/** Every table, by logical name. */
export const TABLES: Record<TableName, TableDefinition> = {
  registry: {
    name: 'registry',
    purpose:
      'National Provider Network: providers, memberships, unique registration numbers, directory entries, accreditations, notifications.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [gsi(1), gsi(2), gsi(3), gsi(4)],
  },
  procurement: {
    name: 'procurement',
    purpose:
      'Competitions, their public and confidential sections, panels, declarations, wall exclusions, contracts.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [gsi(1), gsi(2)],
  },
  sealed: {
    name: 'sealed',
    purpose:
      'Inside information: pre-qualification responses, bids, scores and moderation. Only wall-checked functions read it.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [gsi(1)],
  },
  subcontracting: {
    name: 'subcontracting',
    purpose: 'Supply chains, versioned spend returns, disputes and the figures maintained on write.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [gsi(1), gsi(2)],
  },
  audit: {
    name: 'audit',
    purpose:
      'Append-only, hash-chained audit events per competition, and alerts. Writers may put, never update or delete; the sequencer chains pending events.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    // The sequencer chains each pending event from its INSERT record (shared/db/audit.ts).
    stream: { viewType: 'NEW_IMAGE', consumer: 'functions/audit/sequencer.ts' },
  },
  idempotency: {
    name: 'idempotency',
    purpose: 'Powertools idempotency records for create and submit routes.',
    partitionKey: 'id',
    indexes: [],
    ttlAttribute: 'expiration',
  },
  sessions: {
    name: 'sessions',
    purpose:
      'Web sessions (one record per signed-in browser, deleted at sign-out, expiring by TTL) and, locally only, the identities the developer sign-in page vouched for. Only the web functions reach it.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    // Records of sessions nobody signed out of go by themselves; pages also check the expiry, as TTL lags.
    ttlAttribute: 'ttl',
  },
  publication: {
    name: 'publication',
    purpose:
      'The OCDS releases (issue 16): public by design, so the public feed function reads this table and nothing else; written only in the same transaction as the change each release describes.',
    partitionKey: 'pk',
    sortKey: 'sk',
    // gsi1: every release of one contracting process (the record), in publication order.
    indexes: [gsi(1)],
  },
  outbox: {
    name: 'outbox',
    purpose:
      'The notification outbox (issue 17): events every change writes in its own transaction, the e-mails they lead to (each sent once), who takes part in each competition, the suppression list, and the daily digests. Only the delivery reads it.',
    partitionKey: 'pk',
    sortKey: 'sk',
    indexes: [],
    // Sent e-mails and delivered events expire once redelivery can no longer bring them back.
    ttlAttribute: 'ttl',
    // The delivery expands each event and sends each e-mail from their INSERT records (shared/db/outbox.ts).
    stream: { viewType: 'NEW_IMAGE', consumer: 'functions/notifications/deliver.ts' },
  },
};

/** All table definitions as a list. */
export const TABLE_LIST: TableDefinition[] = Object.values(TABLES);
