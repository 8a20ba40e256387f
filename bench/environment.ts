/**
 * Where and when the figures were taken, so two reports can be compared knowingly.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { Environment } from './report';

function firstLine(command: string, args: string[], cwd: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', cwd });
  if (result.error || result.status !== 0) return 'unknown';
  // `java -version` writes to stderr.
  return `${result.stdout}${result.stderr}`.trim().split('\n')[0] ?? 'unknown';
}

/** Describes this machine, its load, the Java and Node versions and the commit under test. */
export function describeEnvironment(repoRoot: string): Environment {
  const status = firstLine('git', ['status', '--porcelain'], repoRoot);
  const dirty = status !== '' && status !== 'unknown' ? ' (+ uncommitted changes)' : '';
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown',
    os: `${os.platform()} ${os.release()} (${os.arch()})`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    loadAverage: os.loadavg(),
    java: firstLine('java', ['-version'], repoRoot),
    commit: firstLine('git', ['rev-parse', '--short', 'HEAD'], repoRoot) + dirty,
  };
}
