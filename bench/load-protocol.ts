/**
 * The messages between the benchmark and its load-generator child process (see `load-worker.ts`).
 */
import type { Percentiles } from './stats';

/** What to fire at the gateway, and for how long. */
export interface LoadRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** A discarded run first, so JIT and connection set-up are not measured. */
  warmupSeconds: number;
}

/** What one measured run saw. */
export interface LoadResult {
  connections: number;
  durationSeconds: number;
  requests: number;
  requestsPerSecond: number;
  /** Every response's latency, whatever its status (non-2xx responses are counted separately). */
  latency: Percentiles;
  non2xx: number;
  /** Connection errors, timeouts included. */
  errors: number;
  timeouts: number;
}

/** The child's single reply. */
export type LoadReply = { ok: true; result: LoadResult } | { ok: false; error: string };
