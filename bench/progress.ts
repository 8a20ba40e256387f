/**
 * Progress lines on stderr, so stdout carries only the report.
 */

const started = performance.now();

/** Prints a progress line, stamped with the seconds since the benchmark started. */
export function progress(line: string): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(1).padStart(5);
  process.stderr.write(`[bench ${seconds}s] ${line}\n`);
}
