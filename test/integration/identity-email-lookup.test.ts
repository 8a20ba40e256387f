/**
 * Finding a user by e-mail address (the `IdentityLookup` port, issue 14: a lead chooses panel members by
 * e-mail): in the local identity store over DynamoDB Local (one GetItem on an address item, never a Scan),
 * and in Cognito through `ListUsers` filtered on `email`, against a stand-in for Cognito's API.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCognitoIdentityDirectory } from '../../shared/db/cognito-identities';
import { localIdentityStore } from '../../shared/db/repositories';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

describe('the local identity store', () => {
  it('finds a user by e-mail address whatever its case, and nobody for an unknown address', async () => {
    const store = localIdentityStore();
    const now = new Date();
    await store.save(
      { sub: 'ada', email: 'Ada.Lovelace@Example.org', groups: ['commissioner'], enabled: true },
      now,
    );
    expect(await store.findByEmail('ada.lovelace@example.org')).toEqual({
      sub: 'ada',
      email: 'Ada.Lovelace@Example.org',
      groups: ['commissioner'],
      enabled: true,
    });
    expect(await store.findByEmail('  ADA.LOVELACE@EXAMPLE.ORG ')).toMatchObject({ sub: 'ada' });
    expect(await store.findByEmail('nobody@example.org')).toBeUndefined();
    expect(await store.findByEmail('')).toBeUndefined();
  });

  it('forgets an old address once the user has another: a stale pointer names nobody', async () => {
    const store = localIdentityStore();
    const now = new Date();
    await store.save({ sub: 'grace', email: 'grace@old.example', groups: [], enabled: true }, now);
    await store.save({ sub: 'grace', email: 'grace@new.example', groups: [], enabled: true }, now);
    expect(await store.findByEmail('grace@new.example')).toMatchObject({ sub: 'grace' });
    expect(await store.findByEmail('grace@old.example')).toBeUndefined();
  });
});

describe('Cognito', () => {
  it('lists users filtered on the address, then reads the one found as sessions do', async () => {
    const seen: { target: string; body: Record<string, unknown> }[] = [];
    const users = [
      { username: 'ada-username', sub: 'sub-ada', email: 'ada@example.org', groups: ['commissioner'] },
      { username: 'twin-1', sub: 'sub-t1', email: 'twin@example.org', groups: [] },
      { username: 'twin-2', sub: 'sub-t2', email: 'twin@example.org', groups: [] },
      { username: 'grace-username', sub: 'sub-grace', email: 'Grace@Example.org', groups: [] },
      // Claimed at sign-up, never confirmed: not a person who can sit on a panel.
      {
        username: 'claimed',
        sub: 'sub-claimed',
        email: 'claimed@example.org',
        groups: [],
        status: 'UNCONFIRMED',
      },
      {
        username: 'unverified',
        sub: 'sub-unverified',
        email: 'unverified@example.org',
        groups: [],
        verified: 'false',
      },
      {
        username: 'disabled',
        sub: 'sub-disabled',
        email: 'disabled@example.org',
        groups: [],
        enabled: false,
      },
    ] as {
      username: string;
      sub: string;
      email: string;
      groups: string[];
      status?: string;
      verified?: string;
      enabled?: boolean;
    }[];
    const read = (req: IncomingMessage) =>
      new Promise<string>((done) => {
        let text = '';
        req.on('data', (chunk) => {
          text += chunk;
        });
        req.on('end', () => done(text));
      });
    const cognito = createServer(async (req, res) => {
      const target = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const body = JSON.parse(await read(req)) as Record<string, unknown>;
      seen.push({ target, body });
      const json = (payload: unknown) =>
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify(payload));
      if (target === 'ListUsers') {
        const address = /^email = "(.*)"$/.exec(String(body.Filter))?.[1];
        json({
          Users: users
            .filter((u) => u.email === address)
            .slice(0, Number(body.Limit))
            .map((u) => ({
              Username: u.username,
              Enabled: u.enabled ?? true,
              UserStatus: u.status ?? 'CONFIRMED',
              Attributes: [
                { Name: 'sub', Value: u.sub },
                { Name: 'email', Value: u.email },
                { Name: 'email_verified', Value: u.verified ?? 'true' },
              ],
            })),
        });
        return;
      }
      const user = users.find((u) => u.username === body.Username);
      if (target === 'AdminGetUser') {
        json({
          Username: body.Username,
          Enabled: true,
          UserAttributes: [
            { Name: 'sub', Value: user?.sub },
            { Name: 'email', Value: user?.email },
          ],
        });
        return;
      }
      json({ Groups: (user?.groups ?? []).map((GroupName) => ({ GroupName })) });
    });
    await new Promise<void>((done) => cognito.listen(0, '127.0.0.1', () => done()));
    try {
      const directory = createCognitoIdentityDirectory({
        issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TestPool',
        endpoint: `http://127.0.0.1:${(cognito.address() as AddressInfo).port}`,
      });
      expect(await directory.findByEmail(' Ada@Example.org ')).toEqual({
        sub: 'sub-ada',
        email: 'ada@example.org',
        groups: ['commissioner'],
        enabled: true,
      });
      expect(seen[0]).toEqual({
        target: 'ListUsers',
        body: { UserPoolId: 'eu-west-2_TestPool', Filter: 'email = "ada@example.org"', Limit: 2 },
      });
      expect(seen.slice(1).map((s) => s.target)).toEqual(['AdminGetUser', 'AdminListGroupsForUser']);
      expect(seen[1]?.body).toEqual({ UserPoolId: 'eu-west-2_TestPool', Username: 'ada-username' });

      // An address stored with capitals is found as typed, after the lower-case look-up finds nobody.
      const before = seen.length;
      expect(await directory.findByEmail('Grace@Example.org')).toMatchObject({ sub: 'sub-grace' });
      expect(seen.slice(before, before + 2).map((s) => s.body.Filter)).toEqual([
        'email = "grace@example.org"',
        'email = "Grace@Example.org"',
      ]);

      expect(await directory.findByEmail('nobody@example.org')).toBeUndefined();
      // Two users with one address: nobody, rather than a guess.
      expect(await directory.findByEmail('twin@example.org')).toBeUndefined();
      // Only a confirmed, enabled account with a verified address.
      for (const address of ['claimed@example.org', 'unverified@example.org', 'disabled@example.org'])
        expect(await directory.findByEmail(address), address).toBeUndefined();
      // An address that would break out of the filter's quotes is nobody's, and is never sent.
      const calls = seen.length;
      expect(await directory.findByEmail('x" or email ^= "')).toBeUndefined();
      expect(seen.length).toBe(calls);
    } finally {
      await new Promise<void>((done) => cognito.close(() => done()));
    }
  });
});
