/**
 * Runs one autocannon measurement in a child process and waits for its result.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadReply, LoadRequest, LoadResult } from './load-protocol';

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** Child processes still running, so an interrupted benchmark can end them. */
const running = new Set<ChildProcess>();

/** Ends every load generator still running (on Ctrl-C or a harness failure). */
export function stopLoadGenerators(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

/**
 * Fires `request` at the gateway from a fresh child process (which inherits `--import tsx` through
 * `process.execArgv`) and resolves with what it measured.
 */
export function runLoad(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(WORKER, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    running.add(child);
    let reply: LoadReply | undefined;
    child.once('message', (message: LoadReply) => {
      reply = message;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      running.delete(child);
      if (reply?.ok) resolve(reply.result);
      else if (reply) reject(new Error(`load generator failed: ${reply.error}`));
      else reject(new Error(`load generator exited (${signal ?? `code ${code}`}) without a result`));
    });
    child.send(request);
  });
}
