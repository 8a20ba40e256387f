/**
 * A provider organisation's list of the competitions it takes part in ("your competitions"), in the
 * `sealed` table: one item per organisation and competition, in a partition of the organisation's own
 * (`sealedKeys.participation`: pk `TAKING#<providerId>`, sk `COMP#<competitionId>`).
 *
 * Why an item of its own: the provider's response and bid live in partitions keyed by competition, so
 * "which competitions does this organisation take part in" could otherwise be answered only by a Scan or by
 * an index over every provider's data (which a per-provider role could not be limited to). The item is put
 * in the same transaction as the response, draft, submission or withdrawal it describes, by the same
 * per-provider credentials, so it can never disagree with them; each of those writes knows the whole state
 * it records (a bid in a competition with pre-qualification implies a response: only the shortlisted bid),
 * so a blind put replaces it. Reading it back is a Query of the provider's own partition, which the bidder
 * role may make (`PROVIDER_DATA_GRANTS` in `infra/table-access.ts`); the applicant role may only put it.
 * Competition ids are ULIDs, so the partition sorts newest competition first when read backwards.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { TransactItem } from './audit';
import { sealedKeys } from './keys';

/** What the organisation has done in one competition (the rest is read from the competition itself). */
export interface Participation {
  competitionId: string;
  providerId: string;
  /** Set once it applied (pre-qualification); implied for a bid in a competition with pre-qualification. */
  applied: boolean;
  /** The response's reference, when the write that put this item knew it (the application itself). */
  responseId?: string | undefined;
  /**
   * Its bid: a draft never submitted, or the current head (a submitted version, or withdrawn). A draft is
   * kept once saved, beside whatever was submitted.
   */
  bid?:
    | {
        status: 'draft' | 'submitted' | 'withdrawn';
        /** The submitted version (none for a draft never submitted). */
        version: number | null;
      }
    | undefined;
  updatedAt: string;
}

/** The put of a participation item (unconditional: the transaction it joins carries the conditions). */
export function participationPut(sealedTable: string, participation: Participation): TransactItem {
  return {
    Put: {
      TableName: sealedTable,
      Item: {
        ...sealedKeys.participation(participation.providerId, participation.competitionId),
        entity: 'participation',
        ...participation,
      },
    },
  };
}

/** One page of a provider's participation, newest competition first. */
export async function queryParticipation(
  client: DynamoDBDocumentClient,
  sealedTable: string,
  providerId: string,
  options: { limit: number; before?: string | undefined },
): Promise<Participation[]> {
  const { pk } = sealedKeys.participation(providerId, '');
  const result = await client.send(
    new QueryCommand({
      TableName: sealedTable,
      KeyConditionExpression: options.before ? 'pk = :pk AND sk < :before' : 'pk = :pk',
      ExpressionAttributeValues: {
        ':pk': pk,
        ...(options.before ? { ':before': sealedKeys.participation(providerId, options.before).sk } : {}),
      },
      ScanIndexForward: false,
      Limit: options.limit,
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).map((item) => {
    const { pk: _pk, sk: _sk, entity: _entity, ...rest } = item;
    return rest as Participation;
  });
}
