/**
 * The local identity store: the stand-in for Cognito's user pool on the local stack. The developer sign-in
 * page (`local/web.ts`) records here each user it signs in, with the groups chosen; open sessions read
 * their user's groups back from here (the `IdentityDirectory` port), as they read them from Cognito in
 * AWS. Signing in again as the same user with other groups (or marking them disabled) changes what their
 * other sessions may do, within the hour. Kept in the sessions table (`LOCALUSER#<sub>`); never written in
 * AWS, where Cognito is the directory.
 *
 * Each identity with an e-mail address also has a small item keyed by the address (`LOCALEMAIL#<address>`)
 * naming its sub, so finding a user by e-mail is one GetItem, never a Scan. A pointer left behind when an
 * address changes is ignored: the identity it names must still have that address.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { parseGroupsClaim } from '../domain/principal';
import {
  type Identity,
  type IdentityDirectory,
  type IdentityLookup,
  normaliseEmail,
} from '../domain/sessions';
import { sessionKeys } from './keys';

/** The local identity store: the directory sessions read, and the developer sign-in's record of users. */
export interface LocalIdentityStore extends IdentityDirectory, IdentityLookup {
  /** Records (or replaces) a user as the developer sign-in page vouched for them. */
  save(identity: Identity, now: Date): Promise<void>;
}

/** A local identity store over the sessions table. */
export function createLocalIdentityStore(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): LocalIdentityStore {
  const { client, tableName } = deps;
  const find: IdentityDirectory['find'] = async ({ sub }) => {
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
  };

  return {
    find,

    async findByEmail(email) {
      const address = normaliseEmail(email);
      if (!address) return undefined;
      const { Item } = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: sessionKeys.localIdentityByEmail(address),
          ConsistentRead: true,
        }),
      );
      if (Item?.entity !== 'local-identity-email' || typeof Item.sub !== 'string') return undefined;
      const identity = await find({ sub: Item.sub });
      return identity?.email !== undefined && normaliseEmail(identity.email) === address
        ? identity
        : undefined;
    },

    async save(identity, now) {
      if (identity.email) {
        // Two writes, either of which may fail alone: harmless, as a pointer is believed only when the
        // identity it names has that address (`findByEmail`).
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: {
              ...sessionKeys.localIdentityByEmail(normaliseEmail(identity.email)),
              entity: 'local-identity-email',
              sub: identity.sub,
              updatedAt: now.toISOString(),
            },
          }),
        );
      }
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
