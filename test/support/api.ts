/**
 * Starts the local gateway in-process for end-to-end tests, over this file's tables, with a throw-away
 * signing key, and mints tokens for it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Gateway, startGateway } from '../../local/gateway';
import { loadOrCreateSigningKey, mintToken, type SigningKey } from '../../local/signing-key';
import { startAuditSequencer } from '../../local/streams';
import { useTestTables } from './tables';

/** A running test API. */
export interface TestApi {
  url: string;
  signingKey: SigningKey;
  gateway: Gateway;
  /** A bearer token for a user. */
  token(sub: string, groups?: string[], email?: string): Promise<string>;
  /** Waits until the audit sequencer has chained every audit event written so far. */
  drainAudit(): Promise<void>;
  /** fetch against the API with an optional bearer token and JSON body. */
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string },
  ): Promise<{ status: number; headers: Headers; body: unknown; text: string }>;
  stop(): Promise<void>;
}

/** Starts the API; call from `beforeAll` and stop in `afterAll`. */
export async function startTestApi(): Promise<TestApi> {
  await useTestTables();
  const dataDir = mkdtempSync(join(tmpdir(), 'api-test-'));
  const signingKey = await loadOrCreateSigningKey(dataDir);
  const gateway = await startGateway({ port: 0, signingKey, meter: true });
  // As on the local stack: the sequencer chains audit events from the audit table's stream.
  const sequencer = await startAuditSequencer({
    endpoint: String(process.env.DYNAMODB_ENDPOINT),
    idleMs: 20,
  });
  return {
    url: gateway.url,
    signingKey,
    gateway,
    token: (sub, groups = [], email) => mintToken(signingKey, { sub, groups, ...(email ? { email } : {}) }),
    drainAudit: () => sequencer.drain(),
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.rawBody;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response = await fetch(`${gateway.url}${path}`, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // Not JSON: keep the text.
      }
      return { status: response.status, headers: response.headers, body: parsed, text };
    },
    async stop() {
      await gateway.close();
      await sequencer.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
