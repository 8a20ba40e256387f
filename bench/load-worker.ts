/**
 * The load generator, run in a child process by `load.ts`: autocannon in the same process as the gateway
 * would share its event loop and measure itself as much as the handlers.
 *
 * It receives one `LoadRequest` over IPC, runs autocannon, and replies with one `LoadReply`.
 */
import autocannon from 'autocannon';
import type { LoadReply, LoadRequest, LoadResult } from './load-protocol';
import { summarise } from './stats';

function fire(request: LoadRequest, durationSeconds: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // autocannon's own histogram rounds to whole milliseconds, too coarse next to a ~1 ms DynamoDB Local
    // floor, so latencies are taken from its per-response event, which carries the exact duration.
    const samples: number[] = [];
    const instance = autocannon(
      {
        url: request.url,
        method: request.method as autocannon.Request['method'],
        headers: request.headers,
        ...(request.body !== undefined ? { body: request.body } : {}),
        connections: request.connections,
        duration: durationSeconds,
        timeout: 10,
      },
      (error: unknown, result: autocannon.Result) => {
        if (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        const requests = samples.length;
        resolve({
          connections: request.connections,
          durationSeconds: result.duration,
          requests,
          requestsPerSecond: result.duration > 0 ? requests / result.duration : 0,
          latency: summarise(samples),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
        });
      },
    );
    instance.on('response', (_client, _statusCode, _bytes, responseTime) => {
      samples.push(responseTime);
    });
  });
}

async function run(request: LoadRequest): Promise<LoadResult> {
  if (request.warmupSeconds > 0) await fire(request, request.warmupSeconds);
  return fire(request, request.durationSeconds);
}

process.once('message', (message: LoadRequest) => {
  run(message)
    .then(
      (result): LoadReply => ({ ok: true, result }),
      (error: unknown): LoadReply => ({ ok: false, error: (error as Error).stack ?? String(error) }),
    )
    .then((reply) => process.send?.(reply, () => process.exit(0)));
});
