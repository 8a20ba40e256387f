/**
 * The shared middy stack around trivial handlers: validation, malformed JSON, body limits, principal,
 * unexpected errors and Idempotency-Key (persisted in DynamoDB Local).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConflictError } from '../../shared/domain/errors';
import { json } from '../../shared/http/response';
import { buildRouteHandler } from '../../shared/http/route';
import type { HttpResult } from '../../shared/http/types';
import { httpEvent, lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

const bodySchema = z.object({
  name: z.string().min(1),
  contact: z.object({ email: z.email() }),
  valuePence: z.number().int().nonnegative(),
});

const echo = buildRouteHandler(
  { access: 'user' },
  {
    params: z.object({ id: z.string().length(3) }),
    query: z.object({ limit: z.coerce.number().int().min(1).max(100).default(25) }),
    body: bodySchema,
  },
  async ({ params, query, body, principal }) => json(200, { params, query, body, principal }),
);

const claims = { sub: 'alice', 'cognito:groups': '[commissioner]' };
const header = (result: HttpResult, name: string) =>
  Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name)?.[1];
const parse = (result: HttpResult) => JSON.parse(result.body ?? 'null') as Record<string, unknown>;

function post(body: string | undefined, extra: Partial<Parameters<typeof httpEvent>[0]> = {}) {
  return echo(
    httpEvent({
      method: 'POST',
      path: '/things/abc',
      pathParameters: { id: 'abc' },
      headers: { 'Content-Type': 'application/json' },
      claims,
      ...(body !== undefined ? { body } : {}),
      ...extra,
    }),
    lambdaContext(),
  );
}

describe('validation', () => {
  it('passes parsed values and the principal to the handler', async () => {
    const result = await post(
      JSON.stringify({ name: 'A', contact: { email: 'a@example.org' }, valuePence: 5 }),
      {
        query: { limit: '10' },
      },
    );
    expect(result.statusCode).toBe(200);
    expect(parse(result)).toEqual({
      params: { id: 'abc' },
      query: { limit: 10 },
      body: { name: 'A', contact: { email: 'a@example.org' }, valuePence: 5 },
      principal: { kind: 'user', sub: 'alice', groups: ['commissioner'] },
    });
  });

  it('lists every problem in params, query and body at once', async () => {
    const result = await post(JSON.stringify({ name: '', contact: { email: 'nope' }, valuePence: 1.5 }), {
      pathParameters: { id: 'toolong' },
      query: { limit: '500' },
    });
    expect(result.statusCode).toBe(400);
    expect(header(result, 'content-type')).toBe('application/problem+json');
    const body = parse(result);
    expect(body.type).toBe('/problems/validation');
    const paths = (body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(['contact.email', 'name', 'params.id', 'query.limit', 'valuePence']);
  });

  it('answers malformed JSON with a validation problem', async () => {
    const result = await post('{"name": ');
    expect(result.statusCode).toBe(400);
    expect(parse(result)).toMatchObject({
      type: '/problems/validation',
      detail: 'The request body is not valid JSON.',
    });
  });

  it('refuses a body that is not sent as JSON', async () => {
    const result = await post('name=A', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(result.statusCode).toBe(400);
    expect(parse(result)).toMatchObject({ type: '/problems/validation' });
  });

  it('refuses a missing body', async () => {
    const result = await post(undefined);
    expect(result.statusCode).toBe(400);
  });
});

describe('authentication', () => {
  it('refuses a protected route without claims before looking at the body', async () => {
    const result = await echo(httpEvent({ method: 'POST', path: '/things/abc', body: '{' }), lambdaContext());
    expect(result.statusCode).toBe(401);
    expect(parse(result)).toMatchObject({ type: '/problems/unauthenticated' });
  });

  it('refuses callers outside the route groups', async () => {
    const adminsOnly = buildRouteHandler({ access: ['admin'] }, {}, async () => json(200, {}));
    const result = await adminsOnly(httpEvent({ claims }), lambdaContext());
    expect(result.statusCode).toBe(403);
    expect(parse(result)).toMatchObject({ type: '/problems/forbidden' });
  });
});

describe('body limits', () => {
  it('answers 413 for a JSON body over 1 MB', async () => {
    const big = JSON.stringify({
      name: 'x'.repeat(1024 * 1024),
      contact: { email: 'a@example.org' },
      valuePence: 1,
    });
    const result = await post(big);
    expect(result.statusCode).toBe(413);
    expect(parse(result)).toMatchObject({ type: '/problems/payload-too-large' });
  });
});

describe('errors', () => {
  it('maps domain errors and hides unexpected ones behind a generic 500', async () => {
    const clash = buildRouteHandler({ access: 'public' }, {}, async () => {
      throw new ConflictError('Someone else changed it.');
    });
    const crash = buildRouteHandler({ access: 'public' }, {}, async () => {
      throw new TypeError('secret internal detail');
    });
    const conflict = await clash(httpEvent({}), lambdaContext());
    expect(conflict.statusCode).toBe(409);
    expect(parse(conflict)).toMatchObject({ type: '/problems/conflict', detail: 'Someone else changed it.' });
    const internal = await crash(httpEvent({}), lambdaContext());
    expect(internal.statusCode).toBe(500);
    expect(internal.body).not.toContain('secret internal detail');
    expect(header(internal, 'x-content-type-options')).toBe('nosniff');
  });
});

describe('Idempotency-Key', () => {
  let calls = 0;
  const create = buildRouteHandler(
    { access: 'user', idempotent: true },
    { body: z.object({ n: z.number() }) },
    async ({ body }) => {
      calls += 1;
      return json(201, { created: calls, n: body.n });
    },
  );
  const send = (key: string | undefined, body: unknown, sub = 'alice') =>
    create(
      httpEvent({
        method: 'POST',
        path: '/things',
        headers: { 'content-type': 'application/json', ...(key ? { 'Idempotency-Key': key } : {}) },
        body: JSON.stringify(body),
        claims: { sub },
      }),
      lambdaContext(),
    );

  it('replays the first response for a retry with the same key and body', async () => {
    const first = await send('key-1', { n: 1 });
    const retry = await send('key-1', { n: 1 });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(parse(retry)).toEqual(parse(first));
    expect(header(retry, 'x-content-type-options')).toBe('nosniff');
  });

  it('answers 409 when the key is reused with another body', async () => {
    await send('key-2', { n: 1 });
    const clash = await send('key-2', { n: 2 });
    expect(clash.statusCode).toBe(409);
    expect(parse(clash)).toMatchObject({ type: '/problems/conflict' });
  });

  it('keeps keys apart per caller', async () => {
    const alice = await send('key-3', { n: 1 }, 'alice');
    const bob = await send('key-3', { n: 1 }, 'bob');
    expect(parse(bob).created).not.toBe(parse(alice).created);
  });

  it('runs every request without a key', async () => {
    const a = await send(undefined, { n: 1 });
    const b = await send(undefined, { n: 1 });
    expect(parse(b).created).toBe((parse(a).created as number) + 1);
  });
});
