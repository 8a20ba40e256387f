/**
 * Runs DynamoDB Local — AWS's own engine, the jar shipped inside the npm package
 * `amplify-dynamodb-simulator` — with the machine's Java, on a free port, and stops it again.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, Socket } from 'node:net';
import { dirname, join, resolve } from 'node:path';

/** Raised when Java or the jar is missing, or the engine does not come up. */
export class DynamoDbLocalError extends Error {
  override readonly name = 'DynamoDbLocalError';
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  endpoint: string;
  port: number;
  process: ChildProcess;
  /** Stops the Java process and waits for it to exit. */
  stop(): Promise<void>;
}

/** Finds a free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Rejects with a clear message when something already listens on the port. */
export async function assertPortFree(port: number, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((done, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${port} is already in use. Stop whatever is listening there, or start on another port: PORT=${port + 1} npm start`,
            )
          : error,
      ),
    );
    server.listen(port, host, () => server.close(() => done()));
  });
}

function emulatorDir(): string {
  const require = createRequire(import.meta.url);
  let packageJson: string;
  try {
    packageJson = require.resolve('amplify-dynamodb-simulator/package.json');
  } catch {
    throw new DynamoDbLocalError(
      'The npm package amplify-dynamodb-simulator is not installed: run `npm install`.',
    );
  }
  const dir = join(dirname(packageJson), 'emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) {
    throw new DynamoDbLocalError(
      `DynamoDBLocal.jar is missing from ${dir}: reinstall amplify-dynamodb-simulator.`,
    );
  }
  return dir;
}

/** Checks that a Java runtime is on the PATH, with a message that says how to get one. */
export function assertJava(): void {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new DynamoDbLocalError(
      [
        'Java was not found, and DynamoDB Local (the embedded database) needs it.',
        'Install a Java 17 (or newer) runtime, for example:',
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
        '  macOS:         brew install openjdk@17',
        'or point the service at another DynamoDB with DYNAMODB_ENDPOINT=http://localhost:8000.',
      ].join('\n'),
    );
  }
}

async function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new DynamoDbLocalError(`DynamoDB Local exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((done) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new DynamoDbLocalError(`DynamoDB Local did not open port ${port} within ${timeoutMs} ms`);
}

/**
 * Starts DynamoDB Local.
 * @param options.dbPath directory for its files, or `undefined` for an in-memory database (tests).
 * @param options.heap Java heap ceiling, `512m` by default so the local stack stays modest.
 */
export async function startDynamoDbLocal(options: {
  dbPath?: string;
  port?: number;
  heap?: string;
  log?: (line: string) => void;
}): Promise<DynamoDbLocal> {
  assertJava();
  const dir = emulatorDir();
  const port = options.port ?? (await freePort());
  const args = [
    `-Xmx${options.heap ?? '512m'}`,
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    // One database whatever the client's credentials or region.
    '-sharedDb',
  ];
  if (options.dbPath) {
    const dbPath = resolve(options.dbPath);
    mkdirSync(dbPath, { recursive: true });
    args.push('-dbPath', dbPath);
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
    if (output.length > 10_000) output = output.slice(-10_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitForPort(port, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new DynamoDbLocalError(`${(error as Error).message}\n${output}`);
  }
  options.log?.(`DynamoDB Local listening on 127.0.0.1:${port}`);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  };
  return { endpoint: `http://127.0.0.1:${port}`, port, process: child, stop };
}
