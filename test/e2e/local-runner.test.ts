/**
 * `npm start` as a user runs it: a child process with its own DynamoDB Local and data directory.
 * Checks readiness, tokens from `npm run token`, clean shutdown (no Java left), persistence across a
 * restart and the busy-port message.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/dynamodb-local';
import { createDocumentClient, createDynamoDbClient } from '../../shared/db/client';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'));
const children: ChildProcess[] = [];

function javaProcessesFor(dir: string): string[] {
  try {
    return execFileSync('pgrep', ['-af', 'DynamoDBLocal.jar'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line.includes(dir));
  } catch {
    return [];
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(port: number, extraEnv: Record<string, string> = {}): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      DYNAMODB_ENDPOINT: '',
      TABLE_PREFIX: '',
      // Demo data has its own test; here it would only compete for the CPU.
      SEED: 'none',
      // Any free ports for the mail catcher: other files start the stack at the same time.
      MAIL_SMTP_PORT: '0',
      MAIL_WEB_PORT: '0',
      ...extraEnv,
    },
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
  return { child, output: () => output, exited };
}

async function waitForHealth(port: number, started: Started, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    try {
      const response = await fetch(`http://localhost:${port}/health`);
      if (response.status === 200) return;
    } catch {
      // not yet listening
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no /health within ${timeoutMs} ms:\n${started.output()}`);
}

function dynamoEndpointFrom(output: string): string {
  const port = /DynamoDB Local listening on 127\.0\.0\.1:(\d+)/.exec(output)?.[1];
  if (!port) throw new Error(`no DynamoDB port in output:\n${output}`);
  return `http://127.0.0.1:${port}`;
}

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves /health, honours minted tokens, stops cleanly and keeps data across a restart', async () => {
    const port = await freePort();
    const first = start(port);
    await waitForHealth(port, first);
    expect(first.output()).toContain('Created tables');

    const token = execFileSync(
      process.execPath,
      ['--import', 'tsx', 'local/token.ts', '--sub', 'erin', '--groups', 'auditor'],
      {
        cwd: root,
        env: { ...process.env, DATA_DIR: dataDir },
        encoding: 'utf8',
      },
    );
    expect(token.trim()).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const me = await fetch(`http://localhost:${port}/me`, {
      headers: { authorization: `Bearer ${token.trim()}` },
    });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ sub: 'erin', groups: ['auditor'] });

    // Leave a marker in the database, then stop.
    const client = createDocumentClient(
      createDynamoDbClient({ region: 'eu-west-2', endpoint: dynamoEndpointFrom(first.output()) }),
    );
    await client.send(
      new PutCommand({ TableName: 'registry', Item: { pk: 'TEST#marker', sk: 'MARKER', value: 42 } }),
    );
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(javaProcessesFor(dataDir)).toEqual([]);

    const second = start(port);
    await waitForHealth(port, second);
    expect(second.output()).not.toContain('Created tables');
    const again = createDocumentClient(
      createDynamoDbClient({ region: 'eu-west-2', endpoint: dynamoEndpointFrom(second.output()) }),
    );
    const marker = await again.send(
      new GetCommand({ TableName: 'registry', Key: { pk: 'TEST#marker', sk: 'MARKER' } }),
    );
    expect(marker.Item?.value).toBe(42);
    // A token minted before the restart is still good: the key lives in the data directory.
    const meAgain = await fetch(`http://localhost:${port}/me`, {
      headers: { authorization: `Bearer ${token.trim()}` },
    });
    expect(meAgain.status).toBe(200);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(javaProcessesFor(dataDir)).toEqual([]);
  }, 90_000);

  it('says clearly when the port is busy, and leaves no Java behind', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((done) => blocker.listen(port, '127.0.0.1', () => done()));
    try {
      const started = start(port);
      expect(await started.exited).toBe(1);
      expect(started.output()).toMatch(new RegExp(`Port ${port} is already in use`));
      expect(javaProcessesFor(dataDir)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60_000);
});
