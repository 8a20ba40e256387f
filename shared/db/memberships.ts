/**
 * Organisation memberships and the invitations that lead to them, in the registry table.
 *
 * Nobody is made a member by someone else (issue 12, item 2): an owner's invitation is an item of its own,
 * and only the invited user's acceptance turns it into a membership, in one transaction conditioned on the
 * invitation still being open and the user not already a member, so of two racing answers (accept and
 * accept, accept and decline) exactly one wins. Answered invitations keep their outcome and time; ended
 * memberships are kept as former memberships. Key layout: `keys.ts`.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  type QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, InvalidStateError } from '../domain/errors';
import {
  closedInvitationReason,
  type Invitation,
  type InvitationOutcome,
  invitationState,
} from '../domain/invitations';
import type { MemberRole } from '../domain/memberships';
import { cancellationCodes } from './errors';
import { registryKeys } from './keys';

export type { MemberRole } from '../domain/memberships';

/** A user's membership of a provider organisation. */
export interface Membership {
  providerId: string;
  sub: string;
  role: MemberRole;
  addedAt: string;
  addedBy: string;
  /** The invitation the member accepted (absent for the owner who registered the organisation). */
  invitationId?: string;
}

/** A membership that ended: the member left, or an owner removed them. */
export interface FormerMembership extends Membership {
  leftAt: string;
  removedBy: string;
}

/** Reads and writes memberships and invitations. */
export interface MembershipRepository {
  /** Every organisation the user belongs to (a user belongs to few, so this reads them all). */
  listForUser(sub: string): Promise<Membership[]>;
  /** Every member of a provider. */
  listForProvider(providerId: string): Promise<Membership[]>;
  /** The user's membership of one provider, if any. */
  get(providerId: string, sub: string): Promise<Membership | undefined>;
  /**
   * Ends a membership, keeping it as a former membership. When `remainingOwner` is given the removal is
   * conditioned on that owner still being one, so the organisation cannot be left without an owner by two
   * removals at once.
   * @throws ConflictError when the member is already gone or the remaining owner went meanwhile.
   */
  remove(
    membership: Membership,
    ended: { at: string; by: string; remainingOwner: string | undefined },
  ): Promise<FormerMembership>;
  /**
   * The user's current and former memberships in one query (the ethical wall reads both: leaving an
   * organisation does not undo a connection made while a member).
   */
  affiliationsOfUser(sub: string): Promise<{ current: Membership[]; former: FormerMembership[] }>;
  /**
   * Stores a new invitation.
   * @throws ConflictError when the user is already a member, or has an open invitation to the provider.
   */
  invite(invitation: Invitation, now: Date): Promise<void>;
  /** One invitation by id (any status), read consistently. */
  getInvitation(id: string): Promise<Invitation | undefined>;
  /** The user's open invitations that have not expired at `now`, soonest to expire first. */
  listOpenInvitationsForUser(sub: string, now: Date): Promise<Invitation[]>;
  /** The provider's open invitations (expired ones included: the caller judges expiry at its own time). */
  listOpenInvitationsForProvider(providerId: string): Promise<Invitation[]>;
  /**
   * Answers an open invitation: `accepted` also writes the membership, in the same transaction. Conditioned
   * on the invitation being open at `now` and (when accepting) the user not being a member.
   * @returns the invitation as answered, and the membership when accepted.
   * @throws InvalidStateError when the invitation was already answered, withdrawn or has expired.
   * @throws ConflictError when the user is already a member.
   */
  answer(
    invitation: Invitation,
    outcome: InvitationOutcome,
    by: string,
    now: Date,
  ): Promise<{ invitation: Invitation; membership?: Membership }>;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** How many times a transaction that clashed with another one (and nothing else) is tried again. */
const CONFLICT_RETRIES = 3;

function toMembership(item: Record<string, unknown>): Membership {
  return {
    providerId: String(item.providerId),
    sub: String(item.sub),
    role: item.role === 'owner' ? 'owner' : 'member',
    addedAt: String(item.addedAt),
    addedBy: String(item.addedBy),
    ...(typeof item.invitationId === 'string' ? { invitationId: item.invitationId } : {}),
  };
}

function toFormer(item: Record<string, unknown>): FormerMembership {
  return { ...toMembership(item), leftAt: String(item.leftAt), removedBy: String(item.removedBy) };
}

const STATUSES = ['invited', 'accepted', 'declined', 'withdrawn'] as const;

function toInvitation(item: Record<string, unknown>): Invitation {
  const status = STATUSES.find((s) => s === item.status) ?? 'invited';
  return {
    id: String(item.id),
    providerId: String(item.providerId),
    sub: String(item.sub),
    role: item.role === 'owner' ? 'owner' : 'member',
    invitedBy: String(item.invitedBy),
    invitedAt: String(item.invitedAt),
    expiresAt: String(item.expiresAt),
    status,
    ...(typeof item.respondedAt === 'string' ? { respondedAt: item.respondedAt } : {}),
    ...(typeof item.respondedBy === 'string' ? { respondedBy: item.respondedBy } : {}),
  };
}

/** The invitation's fields as stored (no keys). */
function invitationFields(invitation: Invitation): Record<string, unknown> {
  return { ...invitation };
}

/** A DynamoDB membership repository over the registry table. */
export function createMembershipRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): MembershipRepository {
  const { client, tableName } = deps;

  async function queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName'>) {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery({ client }, { TableName: tableName, ...input })) {
      items.push(...(page.Items ?? []));
    }
    return items;
  }

  /**
   * Runs a transaction; one that clashed only with another transaction on the same items is tried again
   * (its conditions are checked afresh, so the loser of a race then fails on them). Returns the reason codes
   * of a refused one, so the caller can say which condition failed.
   */
  async function transact(items: TransactItem[]): Promise<string[] | undefined> {
    for (let attempt = 0; ; attempt++) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return undefined;
      } catch (error) {
        const codes = cancellationCodes(error);
        if (!codes) throw error;
        const conflictOnly =
          codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
        if (conflictOnly && attempt < CONFLICT_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1) + Math.random() * 30));
          continue;
        }
        if (conflictOnly) {
          throw new ConflictError('Someone else changed this at the same time; try again.', { cause: error });
        }
        return codes;
      }
    }
  }

  async function getInvitation(id: string): Promise<Invitation | undefined> {
    const result = await client.send(
      new GetCommand({ TableName: tableName, Key: registryKeys.invitation(id), ConsistentRead: true }),
    );
    return result.Item ? toInvitation(result.Item) : undefined;
  }

  return {
    async listForUser(sub) {
      const key = registryKeys.membershipsOfUser(sub);
      const items = await queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND begins_with(gsi1sk, :prefix)',
        ExpressionAttributeValues: { ':pk': key.gsi1pk, ':prefix': key.gsi1skPrefix },
      });
      return items.map(toMembership);
    },

    async listForProvider(providerId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': registryKeys.provider(providerId).pk, ':prefix': 'MEMBER#' },
        ConsistentRead: true,
      });
      return items.map(toMembership);
    },

    async get(providerId, sub) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: registryKeys.member(providerId, sub),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toMembership(result.Item) : undefined;
    },

    async remove(membership, ended) {
      const former: FormerMembership = { ...membership, leftAt: ended.at, removedBy: ended.by };
      const items: TransactItem[] = [
        {
          Delete: {
            TableName: tableName,
            Key: registryKeys.member(membership.providerId, membership.sub),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: {
              ...registryKeys.formerMemberItem(membership.providerId, membership.sub, ended.at),
              entity: 'former-member',
              ...former,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ];
      if (ended.remainingOwner) {
        items.push({
          ConditionCheck: {
            TableName: tableName,
            Key: registryKeys.member(membership.providerId, ended.remainingOwner),
            ConditionExpression: '#role = :owner',
            ExpressionAttributeNames: { '#role': 'role' },
            ExpressionAttributeValues: { ':owner': 'owner' },
          },
        });
      }
      const refused = await transact(items);
      if (refused) {
        throw new ConflictError(
          refused[0] === 'ConditionalCheckFailed'
            ? `${membership.sub} is no longer a member of this organisation.`
            : 'The organisation’s owners changed at the same time; reload the members and try again.',
        );
      }
      return former;
    },

    async affiliationsOfUser(sub) {
      const current = registryKeys.membershipsOfUser(sub);
      const former = registryKeys.formerMembershipsOfUser(sub);
      // FORMER# < INVITE# < MEMBER#: one range over the user's partition, open invitations left out.
      const items = await queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': current.gsi1pk,
          ':from': former.gsi1skPrefix,
          ':to': `${current.gsi1skPrefix}\uffff`,
        },
      });
      const sk = (item: Record<string, unknown>) => String(item.gsi1sk);
      return {
        current: items.filter((i) => sk(i).startsWith(current.gsi1skPrefix)).map(toMembership),
        former: items.filter((i) => sk(i).startsWith(former.gsi1skPrefix)).map(toFormer),
      };
    },

    async invite(invitation, now) {
      const refused = await transact([
        {
          // The invitation's own record; its index keys list it among the invited user's open invitations.
          Put: {
            TableName: tableName,
            Item: {
              ...registryKeys.invitation(invitation.id),
              ...registryKeys.invitationIndex(invitation.sub, invitation.expiresAt, invitation.id),
              entity: 'invitation',
              ...invitationFields(invitation),
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // At most one open invitation per person and provider: an expired one may be replaced.
          Put: {
            TableName: tableName,
            Item: {
              ...registryKeys.openInvitation(invitation.providerId, invitation.sub),
              entity: 'open-invitation',
              invitationId: invitation.id,
              ...invitationFields(invitation),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR expiresAt <= :now',
            ExpressionAttributeValues: { ':now': now.toISOString() },
          },
        },
        {
          ConditionCheck: {
            TableName: tableName,
            Key: registryKeys.member(invitation.providerId, invitation.sub),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      ]);
      if (!refused) return;
      if (refused[2] === 'ConditionalCheckFailed') {
        throw new ConflictError(`${invitation.sub} is already a member of this organisation.`);
      }
      if (refused[1] === 'ConditionalCheckFailed') {
        throw new ConflictError(
          `${invitation.sub} already has an open invitation to this organisation. It must be answered, withdrawn or expire before another is sent.`,
        );
      }
      throw new ConflictError('The invitation could not be stored; try again.');
    },

    getInvitation,

    async listOpenInvitationsForUser(sub, now) {
      const key = registryKeys.openInvitationsOfUser(sub, now.toISOString());
      const items = await queryAll({
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': key.gsi1pk, ':from': key.from, ':to': key.to },
      });
      return items.map(toInvitation).filter((i) => invitationState(i, now) === 'invited');
    },

    async listOpenInvitationsForProvider(providerId) {
      const items = await queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': registryKeys.provider(providerId).pk,
          ':prefix': registryKeys.openInvitationsPrefix,
        },
        ConsistentRead: true,
      });
      return items.map(toInvitation);
    },

    async answer(invitation, outcome, by, now) {
      const at = now.toISOString();
      const answered: Invitation = { ...invitation, status: outcome, respondedAt: at, respondedBy: by };
      const membership: Membership | undefined =
        outcome === 'accepted'
          ? {
              providerId: invitation.providerId,
              sub: invitation.sub,
              role: invitation.role,
              addedAt: at,
              addedBy: invitation.invitedBy,
              invitationId: invitation.id,
            }
          : undefined;
      const items: TransactItem[] = [
        {
          // The one condition every answer shares: still open at the request time. Two answers racing both
          // need it, so exactly one of them wins; the record keeps the outcome and loses its index keys.
          Update: {
            TableName: tableName,
            Key: registryKeys.invitation(invitation.id),
            UpdateExpression:
              'SET #status = :outcome, respondedAt = :at, respondedBy = :by REMOVE gsi1pk, gsi1sk',
            ConditionExpression: '#status = :invited AND expiresAt > :at',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':outcome': outcome, ':at': at, ':by': by, ':invited': 'invited' },
          },
        },
        {
          Delete: {
            TableName: tableName,
            Key: registryKeys.openInvitation(invitation.providerId, invitation.sub),
            ConditionExpression: 'invitationId = :id',
            ExpressionAttributeValues: { ':id': invitation.id },
          },
        },
      ];
      if (membership) {
        items.push({
          Put: {
            TableName: tableName,
            Item: {
              ...registryKeys.memberItem(membership.providerId, membership.sub),
              entity: 'member',
              ...membership,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      const refused = await transact(items);
      if (!refused) return { invitation: answered, ...(membership ? { membership } : {}) };
      // The invitation's own condition first: the loser of a race fails on every item (the winner wrote
      // all three), and what it should hear is that the invitation was answered.
      if (refused[0] !== 'ConditionalCheckFailed' && refused[2] === 'ConditionalCheckFailed') {
        throw new ConflictError(`${invitation.sub} is already a member of this organisation.`);
      }
      // Say what happened to it: read it again (the other answer has been written by now).
      const current = (await getInvitation(invitation.id)) ?? invitation;
      const state = invitationState(current, now);
      throw new InvalidStateError(closedInvitationReason(state === 'invited' ? 'expired' : state));
    },
  };
}
