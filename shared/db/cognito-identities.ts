/**
 * Cognito as the identity directory of web sessions (the `IdentityDirectory` port): is the user still
 * there and enabled (`AdminGetUser`), and which groups are they in now (`AdminListGroupsForUser`) – the
 * same groups the ID token's `cognito:groups` listed at sign-in. It also finds a user by e-mail address
 * (`ListUsers` filtered on `email`, the `IdentityLookup` port), for the commissioning workspace's panel.
 *
 * The SDK client is loaded on the first look-up, not at module load: a session is looked up at most once an
 * hour, so most invocations never need it and cold starts do not pay for it (the Lambda runtime ships the
 * SDK; bundles leave `@aws-sdk/*` out).
 */
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { parseGroupsClaim } from '../domain/principal';
import { type IdentityDirectory, type IdentityLookup, normaliseEmail } from '../domain/sessions';

/** Pages of groups read at most (60 groups each): far more than the three groups the service knows. */
const MAX_GROUP_PAGES = 5;

/**
 * The user pool id and its region from the pool's token issuer
 * (`https://cognito-idp.<region>.amazonaws.com/<region>_<id>`).
 */
export function userPoolOf(issuer: string): { userPoolId: string; region: string } {
  const userPoolId = new URL(issuer).pathname.replace(/^\/+|\/+$/g, '');
  const region = /^([a-z]{2}(?:-[a-z]+)+-\d+)_/.exec(userPoolId)?.[1];
  if (!userPoolId || !region) throw new Error(`WEB_COGNITO_ISSUER does not name a user pool: ${issuer}`);
  return { userPoolId, region };
}

/**
 * A Cognito identity directory for the user pool that issues the ID tokens (`issuer`, as
 * `WEB_COGNITO_ISSUER` names it). `endpoint` points it at a stand-in (tests).
 */
export function createCognitoIdentityDirectory(deps: {
  issuer: string;
  endpoint?: string | undefined;
}): IdentityDirectory & IdentityLookup {
  let loaded: Promise<{ client: CognitoIdentityProviderClient; sdk: Sdk; userPoolId: string }> | undefined;
  const load = () => {
    loaded ??= import('@aws-sdk/client-cognito-identity-provider').then((sdk) => {
      const { userPoolId, region } = userPoolOf(deps.issuer);
      const client = new sdk.CognitoIdentityProviderClient({
        region,
        ...(deps.endpoint ? { endpoint: deps.endpoint } : {}),
        maxAttempts: 3,
      });
      return { sdk, client, userPoolId };
    });
    return loaded;
  };
  const directory: IdentityDirectory = {
    async find({ sub, username }) {
      const { client, sdk, userPoolId } = await load();
      const Username = username ?? sub;
      try {
        const user = await client.send(new sdk.AdminGetUserCommand({ UserPoolId: userPoolId, Username }));
        const attribute = (name: string) => user.UserAttributes?.find((a) => a.Name === name)?.Value;
        const groups: string[] = [];
        let NextToken: string | undefined;
        for (let page = 0; page < MAX_GROUP_PAGES; page += 1) {
          const listed = await client.send(
            new sdk.AdminListGroupsForUserCommand({
              UserPoolId: userPoolId,
              Username,
              Limit: 60,
              ...(NextToken ? { NextToken } : {}),
            }),
          );
          for (const group of listed.Groups ?? []) if (group.GroupName) groups.push(group.GroupName);
          NextToken = listed.NextToken;
          if (!NextToken) break;
        }
        const email = attribute('email');
        return {
          // A user deleted and another created under the same name is not the session's user.
          sub: attribute('sub') ?? '',
          ...(email ? { email } : {}),
          groups: parseGroupsClaim(groups),
          enabled: user.Enabled === true,
        };
      } catch (error) {
        if ((error as { name?: string }).name === 'UserNotFoundException') return undefined;
        throw error;
      }
    },
  };
  return {
    find: directory.find,
    async findByEmail(email) {
      const address = normaliseEmail(email);
      // The filter is a quoted string in ListUsers' own syntax: an address that could break out of the
      // quotes is nobody's.
      if (!address || /["\\]/.test(address)) return undefined;
      const { client, sdk, userPoolId } = await load();
      // The filter matches the stored value exactly: the address in lower case (as most are stored), then
      // as typed when that differs (an address stored with capitals, typed the same way).
      const list = async (value: string) =>
        (
          await client.send(
            new sdk.ListUsersCommand({ UserPoolId: userPoolId, Filter: `email = "${value}"`, Limit: 2 }),
          )
        ).Users ?? [];
      const typed = email.trim();
      let users = await list(address);
      if (users.length === 0 && typed !== address) users = await list(typed);
      // Two answers would be two users with one address (the pool's sign-in alias forbids it): nobody.
      const [user] = users;
      if (users.length !== 1 || !user?.Username) return undefined;
      // Only a confirmed, enabled account whose address was verified: an address someone claimed at sign-up
      // and never confirmed must not put that unusable account on a panel.
      const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
      if (user.UserStatus !== 'CONFIRMED' || user.Enabled !== true || attribute('email_verified') !== 'true')
        return undefined;
      const sub = attribute('sub');
      if (!sub) return undefined;
      // The groups and the enabled flag as every session reads them.
      const identity = await directory.find({ sub, username: user.Username });
      return identity?.sub === sub ? identity : undefined;
    },
  };
}

type Sdk = typeof import('@aws-sdk/client-cognito-identity-provider');
