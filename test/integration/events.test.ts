/**
 * Every route has a sample API Gateway v2 event under events/, and its handler answers it without a
 * server error (the same path `npm run invoke` takes).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, ROUTES, routeKeyOf } from '../../shared/http/routes';
import type { HttpEvent, HttpResult } from '../../shared/http/types';
import { lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';

const root = resolve(import.meta.dirname, '../..');
const events = readdirSync(join(root, 'events'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => ({
    file,
    event: JSON.parse(readFileSync(join(root, 'events', file), 'utf8')) as HttpEvent,
  }));

beforeAll(async () => {
  await useTestTables();
});

describe('sample events', () => {
  it('cover every route', () => {
    const covered = new Set(events.map((e) => e.event.routeKey));
    const missing = ROUTES.map(routeKeyOf).filter((key) => !covered.has(key));
    expect(missing).toEqual([]);
  });

  it.each(events.map((e) => [e.file, e.event] as const))(
    '%s is answered without a server error',
    async (_file, event) => {
      const route = ROUTES.find((r) => routeKeyOf(r) === event.routeKey);
      expect(route, `route for ${event.routeKey}`).toBeDefined();
      if (!route) return;
      const module = (await import(pathToFileURL(join(root, FUNCTIONS[route.function].entry)).href)) as {
        handler: (e: HttpEvent, c: unknown) => Promise<HttpResult>;
      };
      const result = await module.handler(
        { ...event, requestContext: { ...event.requestContext, timeEpoch: Date.now() } },
        lambdaContext(),
      );
      expect(result.statusCode).toBeLessThan(500);
    },
  );
});
