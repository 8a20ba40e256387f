/**
 * Where a use case reports a failure it must not turn into an error answer (a best-effort step after a
 * committed change, such as writing its notifications): logged, and counted where the function publishes
 * metrics.
 *
 * A port rather than an import of the logger: the JSON functions' logger module (`http/logger.ts`)
 * installs a reporter that logs and counts with their Powertools logger and metrics, the web functions'
 * (`web/logger.ts`) one that logs with theirs. So a use case shared by a JSON route and a page brings
 * neither into the other's bundle: the page functions publish no metrics, and their bundles carry no
 * Powertools metrics (~12 KB minified).
 *
 * When both are loaded in one process (the local stack, tests) the JSON functions' reporter is the one
 * used, as the JSON logger module was before. Outside both stacks (scripts) failures go to stderr.
 */

/** Reports failures that must not fail the request. */
export interface FailureReporter {
  /** Logs the failure as an error-level structured line. */
  error(message: string, attributes: Record<string, unknown>): void;
  /** Counts one occurrence in the named metric (a no-op where the function publishes none). */
  count(metric: string): void;
}

const stderrReporter: FailureReporter = {
  error: (message, attributes) => console.error(message, attributes),
  count: () => {},
};

let installed: FailureReporter | undefined;
let installedBy: 'json' | 'web' | undefined;

/**
 * Installs the reporter of a function's stack: `json` (logger and metrics) replaces any other, `web`
 * (logger only) is installed only when no reporter is.
 */
export function installFailureReporter(reporter: FailureReporter, stack: 'json' | 'web'): void {
  if (stack === 'web' && installedBy !== undefined) return;
  installed = reporter;
  installedBy = stack;
}

/** The installed reporter, or one writing to stderr when no stack installed one. */
export function failureReporter(): FailureReporter {
  return installed ?? stderrReporter;
}
