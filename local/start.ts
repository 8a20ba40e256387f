/**
 * `npm start`: the API on http://localhost:$PORT with an embedded DynamoDB Local, a local S3-compatible
 * server for tender documents and a local mail catcher. Ctrl-C or SIGTERM stops everything it started.
 */
import { localConfig } from './local-config';
import { type LocalStack, startLocalStack } from './stack';

const log = (line: string) => console.log(`[local] ${line}`);

async function main(): Promise<void> {
  const settings = localConfig();
  log(`Data directory: ${settings.dataDir}`);
  let stack: LocalStack | undefined;
  let stopping = false;
  let stopWhenStarted: (() => void) | undefined;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal} received, stopping…`);
    // A signal while the stack is still starting (the gateway answers /health before the stream readers
    // and timers are up) waits for the start to finish, so what was started is stopped: never Java left.
    if (!stack) await new Promise<void>((resolve) => (stopWhenStarted = resolve));
    await stack?.stop();
    log('Stopped.');
    process.exit(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
  // `npm start` runs us under npm and a shell; when npm is killed the shell may die without passing the
  // signal on. Being re-parented means whoever started us is gone, so stop rather than leave Java behind.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop('parent process exited');
  }, 500).unref();

  stack = await startLocalStack({
    port: settings.port,
    dataDir: settings.dataDir,
    dynamodbEndpoint: settings.dynamodbEndpoint,
    s3Endpoint: settings.s3Endpoint,
    mailEndpoint: settings.mailEndpoint,
    mail: { smtpPort: settings.mailSmtpPort, webPort: settings.mailWebPort },
    seed: settings.seed,
    logLevel: settings.logLevel,
    meter: true,
    log,
  });
  if (stopWhenStarted) {
    stopWhenStarted();
    return;
  }
  log(
    `Tender documents in S3 at ${stack.s3Endpoint} (bucket ${process.env.DOCUMENTS_BUCKET_NAME || 'documents'})`,
  );
  log(
    stack.mailCatcher
      ? `E-mail is caught, never sent: read it at ${stack.mailCatcher.url} (SMTP ${stack.mailEndpoint})`
      : `E-mail goes to ${stack.mailEndpoint}`,
  );
  log(`API ready at ${stack.url}  (try: curl ${stack.url}/health)`);
  log('Mint a token with: npm run --silent token -- --sub alice --groups commissioner');
  log('Press Ctrl-C to stop.');
}

main().catch((error: unknown) => {
  console.error(`[local] Could not start: ${(error as Error).message}`);
  process.exit(1);
});
