/**
 * A deployed copy without a Cognito domain (a LocalStack deploy with `-c local=true`, say) has no way to
 * sign in: `/sign-in` says so with a 503 page, where it was a 500 (issue 13, item 15).
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { httpEvent, lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';

type Handler = typeof import('../../functions/web/sign-in')['handler'];
let handler: Handler;

beforeAll(async () => {
  await useTestTables();
  // In a Lambda (no local sign-in) and with no Cognito domain or client configured.
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'webSignIn';
  delete process.env.WEB_COGNITO_DOMAIN;
  delete process.env.WEB_COGNITO_CLIENT_ID;
  // Configuration is read once per process: load the function afresh, as a new Lambda would.
  vi.resetModules();
  ({ handler } = await import('../../functions/web/sign-in'));
});

describe('GET /sign-in without sign-in settings', () => {
  it('answers 503 with a page that says sign-in is not available, not a 500', async () => {
    const result = await handler(
      httpEvent({ routeKey: 'GET /sign-in', path: '/sign-in', headers: { accept: 'text/html' } }),
      lambdaContext(),
    );
    expect(result.statusCode, String(result.body)).toBe(503);
    expect(String(result.body)).toContain('not available');
    expect(String(result.headers?.['content-type'])).toContain('text/html');
  });
});
