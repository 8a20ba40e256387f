/**
 * Issue 11: web sessions outlive a restart of `npm start`. The session cookie key lives in the data
 * directory (`$DATA_DIR/web-cookie-key`, like the token signing key), so a browser signed in before a
 * restart is still signed in after it with the same DATA_DIR, and not with another one. Each start is a
 * child process, as a developer runs it, against the test run's DynamoDB Local (no second Java start).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COOKIE_KEY_FILE } from '../../local/cookie-key';
import { freePort } from '../../local/dynamodb-local';

const root = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
const children: ChildProcess[] = [];

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'web-session-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Starts `local/start.ts` on a free port with this data directory; resolves once `/health` answers. */
async function startLocal(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dir,
    SEED: 'none',
    // Any free ports for the mail catcher: other files start the stack at the same time.
    MAIL_SMTP_PORT: '0',
    MAIL_WEB_PORT: '0',
  };
  // The key must come from the data directory, not from the environment.
  delete env.WEB_COOKIE_SECRET;
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no /health within 30 s:\n${output}`);
    const ok = await fetch(`${url}/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((wait) => setTimeout(wait, 200));
  }
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    },
  };
}

/** Signs in on the local developer page; returns the session cookie (`__Host-session=…`). */
async function signIn(url: string, sub: string): Promise<string> {
  const response = await fetch(`${url}/local/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
    body: new URLSearchParams({ sub, returnTo: '/your-account' }).toString(),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  const session = response.headers.getSetCookie().find((value) => value.startsWith('__Host-session='));
  if (!session) throw new Error('no session cookie');
  return session.split(';')[0] ?? '';
}

/** `/your-account` with the cookie: the page when the session opens, a redirect to sign in when not. */
function account(url: string, cookie: string): Promise<Response> {
  return fetch(`${url}/your-account`, { headers: { cookie }, redirect: 'manual' });
}

describe('web sessions across restarts of the local stack', () => {
  it('a session cookie made before a restart still opens after it, with the same DATA_DIR only', async () => {
    const dir = dataDir();
    const first = await startLocal(dir);
    const cookie = await signIn(first.url, 'restart-user');
    const before = await account(first.url, cookie);
    expect(before.status).toBe(200);
    expect(await before.text()).toContain('restart-user');
    await first.stop();

    // The key is on disk, readable by its owner only.
    const keyFile = join(dir, COOKIE_KEY_FILE);
    expect(statSync(keyFile).mode & 0o077).toBe(0);
    expect(Buffer.from(readFileSync(keyFile, 'utf8').trim(), 'base64url')).toHaveLength(32);

    const second = await startLocal(dir);
    try {
      const after = await account(second.url, cookie);
      expect(after.status).toBe(200);
      expect(await after.text()).toContain('restart-user');
    } finally {
      await second.stop();
    }

    const elsewhere = await startLocal(dataDir());
    try {
      const refused = await account(elsewhere.url, cookie);
      expect(refused.status).toBe(303);
      expect(refused.headers.get('location')).toBe('/sign-in?returnTo=%2Fyour-account');
    } finally {
      await elsewhere.stop();
    }
  }, 120_000);
});
