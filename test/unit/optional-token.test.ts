import middy from '@middy/core';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { optionalToken } from '../../shared/http/middleware/optional-token';
import type { StackEvent } from '../../shared/http/types';
import { httpEvent, lambdaContext } from '../support/events';

const issuer = 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_TEST';
const audience = 'client-123';

async function setup() {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  await exportJWK(publicKey);
  const verify = async (token: string) =>
    (await jwtVerify(token, publicKey, { issuer, audience, algorithms: ['RS256'] })).payload;
  const sign = (claims: Record<string, unknown>, overrides: { iss?: string; aud?: string } = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256' })
      .setSubject('lead-1')
      .setIssuer(overrides.iss ?? issuer)
      .setAudience(overrides.aud ?? audience)
      .setExpirationTime('1h')
      .sign(privateKey);
  return { verify, sign };
}

async function claimsSeen(
  middleware: ReturnType<typeof optionalToken>,
  authorization?: string,
  existing?: Record<string, string>,
) {
  let seen: unknown;
  const handler = middy<StackEvent, { statusCode: number }>()
    .use(middleware)
    .handler(async (event) => {
      seen = event.requestContext.authorizer?.jwt?.claims;
      return { statusCode: 200 };
    });
  await handler(
    httpEvent({
      headers: authorization ? { authorization } : {},
      ...(existing ? { claims: existing } : {}),
    }) as StackEvent,
    lambdaContext(),
  );
  return seen;
}

describe('optionalToken', () => {
  it('puts the claims of a valid Cognito token where the authorizer would', async () => {
    const { verify, sign } = await setup();
    const token = await sign({ 'cognito:groups': ['commissioner'], email: 'lead@example.org' });
    expect(await claimsSeen(optionalToken({ issuer, audience }, verify), `Bearer ${token}`)).toMatchObject({
      sub: 'lead-1',
      'cognito:groups': '[commissioner]',
      email: 'lead@example.org',
    });
  });

  it('leaves the caller anonymous for a missing, malformed, foreign or wrong-audience token', async () => {
    const { verify, sign } = await setup();
    const middleware = optionalToken({ issuer, audience }, verify);
    expect(await claimsSeen(middleware)).toBeUndefined();
    expect(await claimsSeen(middleware, 'Bearer not-a-token')).toBeUndefined();
    expect(
      await claimsSeen(middleware, `Bearer ${await sign({}, { iss: 'https://evil.example' })}`),
    ).toBeUndefined();
    expect(await claimsSeen(middleware, `Bearer ${await sign({}, { aud: 'other-client' })}`)).toBeUndefined();
  });

  it('does nothing where no issuer is configured (locally) or claims are already there', async () => {
    const { verify, sign } = await setup();
    const token = await sign({});
    expect(await claimsSeen(optionalToken(undefined, verify), `Bearer ${token}`)).toBeUndefined();
    expect(
      await claimsSeen(optionalToken({ issuer, audience }, verify), `Bearer ${token}`, { sub: 'already' }),
    ).toEqual({ sub: 'already' });
  });
});
