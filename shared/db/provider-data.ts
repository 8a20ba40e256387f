/**
 * A provider organisation's own sealed data — a bidder's bid partition, an applicant's pre-qualification
 * response — and the audit appends that record its changes, reached with credentials that can reach
 * nothing else.
 *
 * The provider-facing functions that write sealed data (`tenders`, `prequalification`) have no grant of
 * their own on the sealed table or the audit log. For each request, once the use case has resolved which
 * organisation the caller acts for (membership, shortlist, verification), it asks this module for that
 * provider's repositories. In AWS they are built on credentials from STS `AssumeRole` on the function's
 * provider data role, with the session tagged `providerId=<provider>`; the role's policy allows sealed
 * items only under `BID#*#${aws:PrincipalTag/providerId}` (bidders) or
 * `RESPONSE#*#${aws:PrincipalTag/providerId}` (applicants), so even a bug that put a rival's id into a key
 * would be refused by IAM, not just by the use case (`PROVIDER_DATA_GRANTS` in `infra/table-access.ts`).
 * Locally there is no IAM, and the process-wide repositories serve every provider.
 */
import { AssumeRoleCommand, type AssumeRoleCommandOutput, STSClient } from '@aws-sdk/client-sts';
import { config } from '../config';
import { type AuditRepository, createAuditRepository } from './audit';
import { type BidRepository, createBidRepository } from './bids';
import { type ChallengeRepository, createChallengeRepository } from './challenges';
import { createDocumentClient, createDynamoDbClient, dynamoDbClient } from './client';
import { createPartnershipRepository, type PartnershipRepository } from './partnerships';
import { createPrequalificationRepository, type PrequalificationRepository } from './prequalification';

/** The session tag the provider data roles' policies read (`aws:PrincipalTag/providerId`). */
export const PROVIDER_TAG = 'providerId';

/**
 * Repositories on one provider's credentials. Each function's role allows only part of what they can
 * address: a bidder's role its bid partition, an applicant's its response; both put pending audit events.
 */
export interface ProviderData {
  bids: BidRepository;
  prequalification: PrequalificationRepository;
  /** Agreements to be named: those it gives (as a partner) and those given to it (as a bidder). */
  partnerships: PartnershipRepository;
  audit: AuditRepository;
  /**
   * A bidder's standstill challenges, in its bid partition (issue 15). Always there on per-provider
   * credentials; locally (shared repositories) only when the caller passed it, and the challenge use cases
   * then use the process-wide repository, which locally is the same table without IAM.
   */
  challenges?: ChallengeRepository;
}

/** Hands out a provider's data access. */
export interface ProviderDataAccess {
  /** Repositories whose credentials reach only `providerId`'s own bid or response (in AWS). */
  forProvider(providerId: string): Promise<ProviderData>;
}

/** Thrown when STS answers without credentials. */
export class ProviderCredentialsError extends Error {
  override readonly name = 'ProviderCredentialsError';
}

/** The one STS call this module makes, so tests can pass their own. */
export interface RoleAssumer {
  send(command: AssumeRoleCommand): Promise<AssumeRoleCommandOutput>;
}

/**
 * No per-provider credentials: every provider gets the same repositories. For DynamoDB Local (no IAM),
 * the demo data, the bench and tests of use cases.
 */
export function sharedProviderData(data: ProviderData): ProviderDataAccess {
  return { forProvider: async () => data };
}

/** `repos` plus a `providerData` that serves every provider from them (local runs, demo data, bench, tests). */
export function withSharedProviderData<R extends ProviderData>(
  repos: R,
): R & { providerData: ProviderDataAccess } {
  const { bids, prequalification, partnerships, audit, challenges } = repos;
  return {
    ...repos,
    providerData: sharedProviderData({
      bids,
      prequalification,
      partnerships,
      audit,
      ...(challenges ? { challenges } : {}),
    }),
  };
}

/** Options of `assumedRoleProviderData`. */
export interface AssumedRoleOptions {
  roleArn: string;
  sts: RoleAssumer;
  region: string;
  /** Another DynamoDB endpoint (tests against DynamoDB Local); unset in AWS. */
  endpoint?: string | undefined;
  /** The registry only for the challenger's membership check (`PROVIDER_DATA_GRANTS.bidder`). */
  tables: { sealed: string; procurement: string; audit: string; registry: string };
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
  data: Promise<ProviderData>;
  /** When to stop using these credentials (epoch ms); Infinity until STS has answered. */
  renewAt: number;
}

/**
 * Per-provider repositories on credentials from STS `AssumeRole` with the session tag `providerId`. Kept
 * per provider until shortly before they expire, so a warm function calls STS about once per provider per
 * quarter of an hour; concurrent requests for one provider share one call; a failed call is not kept.
 */
export function assumedRoleProviderData(options: AssumedRoleOptions): ProviderDataAccess {
  const now = options.now ?? Date.now;
  const durationSeconds = options.durationSeconds ?? 900;
  const refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
  const maxProviders = options.maxProviders ?? 200;
  const cache = new Map<string, Entry>();

  async function assume(providerId: string): Promise<{ data: ProviderData; renewAt: number }> {
    const answer = await options.sts.send(
      new AssumeRoleCommand({
        RoleArn: options.roleArn,
        // Shows in CloudTrail beside every DynamoDB call made with these credentials.
        RoleSessionName: `provider-${providerId}`.slice(0, 64),
        DurationSeconds: durationSeconds,
        Tags: [{ Key: PROVIDER_TAG, Value: providerId }],
      }),
    );
    const credentials = answer.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey || !credentials.SessionToken) {
      throw new ProviderCredentialsError(`STS returned no credentials for ${options.roleArn}`);
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
    const data: ProviderData = {
      bids: createBidRepository({
        client,
        sealedTable: options.tables.sealed,
        procurementTable: options.tables.procurement,
      }),
      prequalification: createPrequalificationRepository({
        client,
        sealedTable: options.tables.sealed,
        procurementTable: options.tables.procurement,
      }),
      partnerships: createPartnershipRepository({
        client,
        sealedTable: options.tables.sealed,
        procurementTable: options.tables.procurement,
      }),
      audit: createAuditRepository({ client, tableName: options.tables.audit, tables: options.tables }),
      challenges: createChallengeRepository({
        client,
        sealedTable: options.tables.sealed,
        procurementTable: options.tables.procurement,
        registryTable: options.tables.registry,
      }),
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

let processWide: ProviderDataAccess | undefined;

/**
 * The process-wide provider data access: per-provider assumed-role credentials when `PROVIDER_DATA_ROLE_ARN`
 * is set (in AWS), else `fallback` (the process-wide repositories, locally).
 */
export function providerData(fallback: () => ProviderData): ProviderDataAccess {
  if (processWide) return processWide;
  const { providerDataRoleArn, region, dynamodbEndpoint, tables } = config();
  processWide = providerDataRoleArn
    ? assumedRoleProviderData({
        roleArn: providerDataRoleArn,
        sts: new STSClient({ region }),
        region,
        endpoint: dynamodbEndpoint,
        tables,
        requestHandler: dynamoDbClient().config.requestHandler,
      })
    : sharedProviderData(fallback());
  return processWide;
}
