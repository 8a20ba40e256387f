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
 *
 * An organisation that agrees to be named in another's bid (a consortium member or sub-contractor,
 * `agreeToBeNamed`) gets a partner item in the same partition, put in the agreement's transaction by the
 * partner's own credentials: sk `COMP#<competitionId>#PARTNER#<bidderId>`, just after the competition's own
 * item, so an organisation that also bids keeps both, and neither blind put replaces the other. It records
 * only what the partner did (whose bid, which part, when): never anything of the bidder's bid, which the
 * partner's members may not read. Agreements are append-only, so the item is never removed.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerRole, Partnership } from '../domain/partnerships';
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
  /**
   * Set on a partner item only: the organisation agreed to be named in `bidderId`'s bid or application (it
   * neither applied nor bid itself by that agreement).
   */
  partnerOf?: { bidderId: string; role: PartnerRole; agreedAt: string } | undefined;
  updatedAt: string;
}

/** The merge key of a row across an organisation's partitions, newest first: competition, organisation, bidder. */
export function participationSortKey(
  p: Pick<Participation, 'competitionId' | 'providerId' | 'partnerOf'>,
): string {
  // Ids hold no space; a partner row sorts after (so, newest first, before) the competition's own row, as
  // its sort key does in the partition.
  return p.partnerOf
    ? `${p.competitionId} ${p.providerId} ${p.partnerOf.bidderId}`
    : `${p.competitionId} ${p.providerId}`;
}

/**
 * Where one organisation's partition resumes after a merged cursor (`participationSortKey` of the last row
 * shown), for `queryParticipation`'s `before`; undefined from the start.
 */
export function resumeBefore(after: string | undefined, providerId: string): string | undefined {
  if (after === undefined) return undefined;
  const [competitionId = '', afterProvider, afterBidder] = after.split(' ');
  // An organisation sorting before the cursor's has every row of the cursor's competition still to come:
  // `~` sorts after `#PARTNER#…` (and after nothing else a ULID can hold at that place).
  if (afterProvider !== undefined && providerId < afterProvider) return `${competitionId}~`;
  if (providerId === afterProvider && afterBidder !== undefined)
    return `${competitionId}#PARTNER#${afterBidder}`;
  return competitionId;
}

/**
 * The partner item of an agreement to be named (unconditional: the agreement's transaction carries the
 * conditions), in the partner's own partition.
 */
export function partnerParticipationPut(sealedTable: string, partnership: Partnership): TransactItem {
  const participation: Participation = {
    competitionId: partnership.competitionId,
    providerId: partnership.providerId,
    applied: false,
    partnerOf: { bidderId: partnership.bidderId, role: partnership.role, agreedAt: partnership.agreedAt },
    updatedAt: partnership.agreedAt,
  };
  return {
    Put: {
      TableName: sealedTable,
      Item: {
        ...sealedKeys.partnerParticipation(
          partnership.providerId,
          partnership.competitionId,
          partnership.bidderId,
        ),
        entity: 'participation',
        ...participation,
      },
    },
  };
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

/**
 * One page of a provider's participation, newest competition first (a competition's partner rows before its
 * own). `before` is exclusive: a position as `resumeBefore` gives it (a competition id, optionally followed
 * by `#PARTNER#<bidderId>` or `~`).
 */
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
