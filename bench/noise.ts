/**
 * Per-request log output of the in-process handlers, muted while the benchmark runs and counted instead:
 * under load a route that logs on every request prints tens of thousands of lines, burying the progress
 * and the report. The first few lines of each kind still show, and the counts are reported: output on
 * every request is also noise (and cost) in CloudWatch.
 */

/** A kind of line to mute. */
interface NoiseRule {
  name: string;
  pattern: RegExp;
  /** Lines of this kind let through before muting starts. */
  showFirst: number;
}

const RULES: NoiseRule[] = [
  {
    // Powertools Metrics warns on every invocation that records no metric, POWERTOOLS_METRICS_DISABLED or not.
    name: 'Powertools "No application metrics to publish" warning',
    pattern: /^No application metrics to publish\./,
    showFirst: 0,
  },
  {
    // A failing route logs its error on every request; the first few say what is wrong.
    name: 'handler log lines at ERROR or WARN (Powertools logger)',
    pattern: /^\{"level":"(ERROR|WARN)"/,
    showFirst: 3,
  },
];

const counts = new Map<string, number>();

type Write = typeof process.stderr.write;

function filtered(original: Write, stream: NodeJS.WriteStream): Write {
  return ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : '';
    const rule = RULES.find((candidate) => candidate.pattern.test(text));
    const seen = rule ? (counts.get(rule.name) ?? 0) + 1 : 0;
    if (rule) counts.set(rule.name, seen);
    if (rule && seen > rule.showFirst) {
      // Honour a write callback, if any, so callers waiting on it are not left hanging.
      const callback = rest.find((arg): arg is () => void => typeof arg === 'function');
      callback?.();
      return true;
    }
    return (original as (...args: unknown[]) => boolean).call(stream, chunk, ...rest);
  }) as Write;
}

/** Starts muting the known noise on stdout and stderr of this process. */
export function muteKnownNoise(): void {
  process.stdout.write = filtered(process.stdout.write, process.stdout);
  process.stderr.write = filtered(process.stderr.write, process.stderr);
}

/** How many lines of each kind were printed or muted so far. */
export function mutedNoise(): { name: string; lines: number }[] {
  return [...counts].map(([name, lines]) => ({ name, lines }));
}
