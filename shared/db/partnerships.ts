/**
 * Partnerships in the `sealed` table: an organisation's agreement to be named in a bidder's bid or
 * application (`sealedKeys.consent`), one item per (competition, bidder, named organisation), never
 * overwritten. Reached through a provider's own credentials (`ProviderData`): in AWS the named
 * organisation's role may put and read only agreements it gives, the bidder's role read only agreements
 * given to it (`PROVIDER_DATA_GRANTS` in `infra/table-access.ts`). The agreement is put with the partner's
 * row in its own participation list (`TAKING#<partner>`, which the same role may put).
 */
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Partnership } from '../domain/partnerships';
import type { TransactItem } from './audit';
import { procurementKeys, sealedKeys } from './keys';
import { partnerParticipationPut } from './participation';

/** Reads and records partnerships. */
export interface PartnershipRepository {
  /** One agreement, if given. */
  get(competitionId: string, bidderId: string, providerId: string): Promise<Partnership | undefined>;
  /** Which of `providerIds` agreed to be named by `bidderId` in the competition. */
  agreedAmong(competitionId: string, bidderId: string, providerIds: readonly string[]): Promise<Set<string>>;
  /** The agreement, put only if not given before (append-only). */
  agreementItems(partnership: Partnership): TransactItem[];
  /**
   * The partner's row in its own "your competitions" list (`shared/db/participation.ts`), put with the
   * agreement by the same credentials.
   */
  participationItems(partnership: Partnership): TransactItem[];
  /**
   * A condition check that the competition still takes applications or bids at `at`: in
   * pre-qualification before its deadline, or tendering before the tender deadline.
   */
  openCheck(competitionId: string, at: string): TransactItem;
}

/** A DynamoDB partnership repository. */
export function createPartnershipRepository(deps: {
  client: DynamoDBDocumentClient;
  sealedTable: string;
  procurementTable: string;
}): PartnershipRepository {
  const { client, sealedTable, procurementTable } = deps;
  async function get(competitionId: string, bidderId: string, providerId: string) {
    const result = await client.send(
      new GetCommand({
        TableName: sealedTable,
        Key: sealedKeys.consent(competitionId, bidderId, providerId),
        ConsistentRead: true,
      }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, entity: _entity, ...partnership } = result.Item;
    return partnership as Partnership;
  }
  return {
    get,
    async agreedAmong(competitionId, bidderId, providerIds) {
      // GetItem each (a bid names a bounded handful): the bidder's role may not BatchGetItem.
      const unique = [...new Set(providerIds)];
      const found = await Promise.all(unique.map((id) => get(competitionId, bidderId, id)));
      return new Set(found.flatMap((p) => (p ? [p.providerId] : [])));
    },
    openCheck(competitionId, at) {
      return {
        ConditionCheck: {
          TableName: procurementTable,
          Key: procurementKeys.competition(competitionId),
          // A stored `prequalification` past its deadline is shortlisting: each deadline is checked.
          ConditionExpression:
            '(#status = :prequalification AND prequalificationDeadline > :at) OR (#status = :tendering AND tenderDeadline > :at)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':prequalification': 'prequalification',
            ':tendering': 'tendering',
            ':at': at,
          },
        },
      };
    },
    participationItems: (partnership) => [partnerParticipationPut(sealedTable, partnership)],
    agreementItems(partnership) {
      return [
        {
          Put: {
            TableName: sealedTable,
            Item: {
              ...sealedKeys.consent(partnership.competitionId, partnership.bidderId, partnership.providerId),
              entity: 'partnership',
              ...partnership,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
    },
  };
}
