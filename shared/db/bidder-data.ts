/**
 * A bidder's own data — its bid partition in the sealed table, and the audit appends that record its
 * changes — reached with credentials that can reach nothing else.
 *
 * The bidder-facing function's own role cannot touch the sealed table or the audit log at all. For each
 * request, once the use case has resolved which organisation the caller bids for (membership, shortlist,
 * verification), it asks this module for that provider's repositories. In AWS they are built on
 * credentials from STS `AssumeRole` on the bidder data role, with the session tagged
 * `providerId=<provider>`; the role's policy allows sealed items only under
 * `BID#*#${aws:PrincipalTag/providerId}`, so even a bug that put a rival's id into a key would be refused
 * by IAM, not just by the use case (see `infra/table-access.ts`, `BIDDER_DATA_GRANTS`). Locally there is no
 * IAM, and the process-wide repositories serve every provider.
 */
import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { config } from '../config';
import { type AuditRepository, createAuditRepository } from './audit';
import { type BidRepository, createBidRepository } from './bids';
import { createDocumentClient, createDynamoDbClient, dynamoDbClient } from './client';

/** The session tag the bidder data role's policy reads (`aws:PrincipalTag/providerId`). */
export const PROVIDER_TAG = 'providerId';

/** What a bidder's request may reach: its own bid partition, and audit appends. */
export interface BidderData {
  bids: BidRepository;
  audit: AuditRepository;
}

/** Hands out a provider's data access. */
export interface BidderDataAccess {
  /** Repositories whose credentials reach only `providerId`'s bid partitions (in AWS). */
  forProvider(providerId: string): Promise<BidderData>;
}

/** Thrown when STS answers without credentials, or the role ARN is missing where it is required. */
export class BidderCredentialsError extends Error {
  override readonly name = 'BidderCredentialsError';
}

/** The one STS call this module makes, so tests can pass their own. */
export interface RoleAssumer {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

/**
 * No per-provider credentials: every provider gets the same repositories. For DynamoDB Local (no IAM),
 * the demo data, the bench and tests of use cases.
 */
export function sharedBidderData(data: BidderData): BidderDataAccess {
  return { forProvider: async () => data };
}

/** `repos` plus a `bidderData` that serves every provider from them (local runs, demo data, bench, tests). */
export function withSharedBidderData<R extends BidderData>(repos: R): R & { bidderData: BidderDataAccess } {
  return { ...repos, bidderData: sharedBidderData({ bids: repos.bids, audit: repos.audit }) };
}

/** Options of `assumedRoleBidderData`. */
export interface AssumedRoleOptions {
  roleArn: string;
  sts: RoleAssumer;
  region: string;
  /** Another DynamoDB endpoint (tests against DynamoDB Local); unset in AWS. */
  endpoint?: string | undefined;
  tables: { sealed: string; procurement: string; audit: string };
  /** The HTTP handler of the process-wide client, so per-provider clients reuse its connections. */
  requestHandler?: Parameters<typeof createDynamoDbClient>[0]['requestHandler'];
  /** Session length asked of STS; 900 s is the shortest STS allows. */
  durationSeconds?: number;
  /** Credentials are renewed this long before they expire, so none expires mid-request. */
  refreshBeforeMs?: number;
  /** At most this many providers' credentials are kept; the least recently used go first. */
  maxProviders?: number;
  now?: () => number;
}

interface Entry {
  data: Promise<BidderData>;
  /** When to stop using these credentials (epoch ms); Infinity until STS has answered. */
  renewAt: number;
}

/**
 * Per-provider repositories on credentials from STS `AssumeRole` with the session tag `providerId`. Kept
 * per provider until shortly before they expire, so a warm function calls STS about once per bidder per
 * quarter of an hour; concurrent requests for one provider share one call; a failed call is not kept.
 */
export function assumedRoleBidderData(options: AssumedRoleOptions): BidderDataAccess {
  const now = options.now ?? Date.now;
  const durationSeconds = options.durationSeconds ?? 900;
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  const maxProviders = options.maxProviders ?? 200;
  const cache = new Map<string, Entry>();

  async function assume(providerId: string): Promise<{ data: BidderData; renewAt: number }> {
    const answer = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        // Shows in CloudTrail beside every DynamoDB call made with these credentials.
        RoleSessionName: `bidder-${providerId}`.slice(0, 64),
        DurationSeconds: durationSeconds,
        Tags: [{ Key: PROVIDER_TAG, Value: providerId }],
      }),
    );
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
      throw new BidderCredentialsError(`STS returned no credentials for ${options.roleArn}`);
    }
    const expiration = credentials.Expiration ?? new Date(now() + durationSeconds * 1000);
    const client = createDocumentClient(
      createDynamoDbClient({
        region: options.region,
        endpoint: options.endpoint,
        credentials: {
          accessKeyId: credentials.AccessKeyId,
          secretAccessKey: credentials.SecretAccessKey,
          sessionToken: credentials.SessionToken,
          expiration,
        },
        requestHandler: options.requestHandler,
      }),
    );
    const data: BidderData = {
      bids: createBidRepository({
        client,
        sealedTable: options.tables.sealed,
        procurementTable: options.tables.procurement,
      }),
      audit: createAuditRepository({ client, tableName: options.tables.audit }),
    };
    return { data, renewAt: expiration.getTime() - refreshBeforeMs };
  }

  return {
    forProvider(providerId) {
      const cached = cache.get(providerId);
      if (cached && now() < cached.renewAt) {
        // Most recently used last, so eviction below drops the least recently used.
        cache.delete(providerId);
        cache.set(providerId, cached);
        return cached.data;
      }
      const entry: Entry = {
        renewAt: Number.POSITIVE_INFINITY,
        data: assume(providerId).then(
          (assumed) => {
            entry.renewAt = assumed.renewAt;
            return assumed.data;
          },
          (error: unknown) => {
            if (cache.get(providerId) === entry) cache.delete(providerId);
            throw error;
          },
        ),
      };
      cache.delete(providerId);
      cache.set(providerId, entry);
      while (cache.size > maxProviders) {
        const oldest = cache.keys().next().value as string;
        cache.delete(oldest);
      }
      return entry.data;
    },
  };
}

let processWide: BidderDataAccess | undefined;

/**
 * The process-wide bidder data access: per-provider assumed-role credentials when `BIDDER_DATA_ROLE_ARN`
 * is set (in AWS), else `fallback` (the process-wide repositories, locally).
 */
export function bidderData(fallback: () => BidderData): BidderDataAccess {
  if (processWide) return processWide;
  const { bidderDataRoleArn, region, dynamodbEndpoint, tables } = config();
  processWide = bidderDataRoleArn
    ? assumedRoleBidderData({
        roleArn: bidderDataRoleArn,
        sts: new STSClient({ region }),
        region,
        endpoint: dynamodbEndpoint,
        tables,
        requestHandler: dynamoDbClient().config.requestHandler,
      })
    : sharedBidderData(fallback());
  return processWide;
}
