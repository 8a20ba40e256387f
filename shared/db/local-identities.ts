/**
 * The local identity store: the stand-in for Cognito's user pool on the local stack. The developer sign-in
 * page (`local/web.ts`) records here each user it signs in, with the groups chosen; open sessions read
 * their user's groups back from here (the `IdentityDirectory` port), as they read them from Cognito in
 * AWS. Signing in again as the same user with other groups (or marking them disabled) changes what their
 * other sessions may do, within the hour. Kept in the sessions table (`LOCALUSER#<sub>`); never written in
 * AWS, where Cognito is the directory.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseGroupsClaim } from '../domain/principal';
import type { Identity, IdentityDirectory } from '../domain/sessions';
import { sessionKeys } from './keys';

/** The local identity store: the directory sessions read, and the developer sign-in's record of users. */
export interface LocalIdentityStore extends IdentityDirectory {
  /** Records (or replaces) a user as the developer sign-in page vouched for them. */
  save(identity: Identity, now: Date): Promise<void>;
}

/** A local identity store over the sessions table. */
export function createLocalIdentityStore(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): LocalIdentityStore {
  const { client, tableName } = deps;
  return {
    async find({ sub }) {
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: sessionKeys.localIdentity(sub), ConsistentRead: true }),
      );
      if (Item?.entity !== 'local-identity') return undefined;
      return {
        sub,
        ...(typeof Item.email === 'string' ? { email: Item.email } : {}),
        groups: parseGroupsClaim(Item.groups),
        enabled: Item.enabled === true,
      };
    },

    async save(identity, now) {
      await client.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            ...sessionKeys.localIdentity(identity.sub),
            entity: 'local-identity',
            sub: identity.sub,
            ...(identity.email ? { email: identity.email } : {}),
            groups: identity.groups,
            enabled: identity.enabled,
            updatedAt: now.toISOString(),
          },
        }),
      );
    },
  };
}
