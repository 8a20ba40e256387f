/**
 * The Idempotency-Key covers the whole request (issue 13, item 8): caller, method, path, query string and
 * body. A retry that repeats all of them gets the first response; the same key with another method, query
 * string or body is a 409 and runs nothing; another path or caller is another request. Through the real
 * middy stack and the idempotency table in DynamoDB Local.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { json } from '../../shared/http/response';
import { buildRouteHandler } from '../../shared/http/route';
import type { HttpResult } from '../../shared/http/types';
import { httpEvent, lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

let runs = 0;
const handler = buildRouteHandler(
  { access: 'user', idempotent: true },
  {
    query: z.object({ dryRun: z.enum(['true', 'false']).optional(), limit: z.string().optional() }),
    body: z.object({ n: z.number() }),
  },
  async ({ body, query }) => {
    runs += 1;
    return json(201, { run: runs, n: body.n, dryRun: query.dryRun ?? null });
  },
);

const parse = (result: HttpResult) => JSON.parse(result.body ?? 'null') as Record<string, unknown>;

function send(
  key: string,
  request: {
    method?: string;
    path?: string;
    query?: Record<string, string>;
    body?: unknown;
    sub?: string;
  } = {},
) {
  return handler(
    httpEvent({
      method: request.method ?? 'POST',
      path: request.path ?? '/things',
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
      body: JSON.stringify(request.body ?? { n: 1 }),
      ...(request.query ? { query: request.query } : {}),
      claims: { sub: request.sub ?? 'alice' },
    }),
    lambdaContext(),
  );
}

/** Sends `first`, then `second` under the same key; returns both answers and how many times the handler ran. */
async function twice(key: string, first: Parameters<typeof send>[1], second: Parameters<typeof send>[1]) {
  const before = runs;
  const a = await send(key, first);
  const b = await send(key, second);
  return { a, b, ran: runs - before };
}

describe('Idempotency-Key covers the whole request', () => {
  it('replays the first response for an exact retry: same method, path, query string and body', async () => {
    const request = { query: { dryRun: 'true' }, body: { n: 7 } };
    const { a, b, ran } = await twice('whole-1', request, request);
    expect(ran).toBe(1);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(parse(b)).toEqual(parse(a));
  });

  it('refuses the same key with another query string: 409, and the handler does not run again', async () => {
    const { a, b, ran } = await twice(
      'whole-2',
      { query: { dryRun: 'true' } },
      { query: { dryRun: 'false' } },
    );
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(409);
    expect(parse(b)).toMatchObject({ type: '/problems/conflict', status: 409 });
    expect(ran).toBe(1);
  });

  it('refuses the same key with a query string added or dropped', async () => {
    const added = await twice('whole-3', {}, { query: { limit: '5' } });
    expect([added.a.statusCode, added.b.statusCode, added.ran]).toEqual([201, 409, 1]);
    const dropped = await twice('whole-4', { query: { limit: '5' } }, {});
    expect([dropped.a.statusCode, dropped.b.statusCode, dropped.ran]).toEqual([201, 409, 1]);
  });

  it('refuses the same key with another method on the same path', async () => {
    const { a, b, ran } = await twice('whole-5', { method: 'POST' }, { method: 'PUT' });
    expect([a.statusCode, b.statusCode, ran]).toEqual([201, 409, 1]);
    expect(b.headers?.['Content-Type'] ?? b.headers?.['content-type']).toContain('application/problem+json');
  });

  it('refuses the same key with another body', async () => {
    const { a, b, ran } = await twice('whole-6', { body: { n: 1 } }, { body: { n: 2 } });
    expect([a.statusCode, b.statusCode, ran]).toEqual([201, 409, 1]);
  });

  it('treats the same key on another path, or from another caller, as another request', async () => {
    const path = await twice('whole-7', { path: '/things' }, { path: '/other-things' });
    expect([path.a.statusCode, path.b.statusCode, path.ran]).toEqual([201, 201, 2]);
    const caller = await twice('whole-8', { sub: 'alice' }, { sub: 'bob' });
    expect([caller.a.statusCode, caller.b.statusCode, caller.ran]).toEqual([201, 201, 2]);
  });
});
