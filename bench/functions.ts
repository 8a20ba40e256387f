/**
 * Per-function cold-start figures: the minified bundle as the CDK's NodejsFunction builds it, and the time
 * a fresh Node process takes to load it (the module-init part of a Lambda cold start).
 */
import { type ChildProcess, execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { TABLE_NAMES } from '../shared/db/table-names';
import { FUNCTIONS, type FunctionDefinition } from '../shared/http/routes';
import { COMPILED_TEMPLATES } from '../shared/web/compiled-templates';
import { progress } from './progress';
import { type FunctionReport, TARGETS } from './report';
import { median } from './stats';

/** A bundle on disk. */
export interface Bundle {
  outfile: string;
  bytes: number;
  /** esbuild's warnings (an `import.meta` in CommonJS output, for one, breaks at run time). */
  warnings: string[];
  /** The packages that weigh most in the output, largest first. */
  heaviest: { name: string; bytes: number }[];
  /** The input files that weigh most in the output (minified bytes each), largest first. */
  heaviestInputs: { path: string; bytes: number }[];
}

/** Module init times of one bundle. */
export interface InitTimes {
  runs: number[];
  median: number;
}

const running = new Set<ChildProcess>();

/** Ends init measurements still running (on Ctrl-C or a harness failure). */
export function stopInitProcesses(): void {
  for (const child of running) child.kill('SIGKILL');
  running.clear();
}

function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? '(this repository)';
}

function heaviestPackages(metafile: Metafile, top: number): { name: string; bytes: number }[] {
  const byPackage = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...byPackage]
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

function heaviestInputs(metafile: Metafile, top: number): { path: string; bytes: number }[] {
  return Object.values(metafile.outputs)
    .flatMap((output) => Object.entries(output.inputs))
    .map(([path, { bytesInOutput }]) => ({ path, bytes: bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, top);
}

/**
 * Bundles a function's entry exactly as the CDK's NodejsFunction does for Node.js 22 (bundle, minify,
 * platform node, target node22, CommonJS, `@aws-sdk/*` left to the runtime), into `outDir/<id>/index.js`.
 * The source map is written beside it, as the CDK writes it, but not counted: Lambda loads only index.js.
 */
export async function bundleFunction(options: {
  id: string;
  definition: FunctionDefinition;
  repoRoot: string;
  outDir: string;
}): Promise<Bundle> {
  const dir = join(options.outDir, options.id);
  mkdirSync(dir, { recursive: true });
  // The repository's package.json says "type": "module"; a Lambda asset has no package.json and is
  // CommonJS. This marker keeps Node reading the bundle as the runtime would.
  writeFileSync(join(options.outDir, 'package.json'), '{ "type": "commonjs" }\n');
  const outfile = join(dir, 'index.js');
  const result = await build({
    absWorkingDir: options.repoRoot,
    entryPoints: [resolve(options.repoRoot, options.definition.entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*', COMPILED_TEMPLATES.specifier],
    sourcemap: true,
    metafile: true,
    logLevel: 'silent',
  });
  // A web function requires its compiled templates from beside the bundle, where the CDK copies them.
  const imports = Object.values(result.metafile.outputs).flatMap((output) => output.imports);
  if (imports.some((entry) => entry.external && entry.path === COMPILED_TEMPLATES.specifier)) {
    copyFileSync(
      join(options.repoRoot, COMPILED_TEMPLATES.path),
      join(dir, basename(COMPILED_TEMPLATES.specifier)),
    );
  }
  return {
    outfile,
    bytes: statSync(outfile).size,
    warnings: result.warnings.map((warning) =>
      warning.location ? `${warning.location.file}:${warning.location.line}: ${warning.text}` : warning.text,
    ),
    heaviest: heaviestPackages(result.metafile, 3),
    heaviestInputs: heaviestInputs(result.metafile, 10),
  };
}

// Runs in the fresh process: times nothing but the require, as Lambda's init phase loads the handler.
const INIT_PROBE = `
const { performance } = require('node:perf_hooks');
const started = performance.now();
const loaded = require(process.argv[1]);
const initMs = performance.now() - started;
if (typeof loaded.handler !== 'function') throw new Error('the bundle does not export a handler');
process.stdout.write(JSON.stringify({ initMs }));
`;

function probeOnce(outfile: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      ['-e', INIT_PROBE, outfile],
      { env, timeout: 60_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        running.delete(child);
        if (error) {
          reject(new Error(`loading ${outfile} failed: ${error.message}\n${stderr}`));
          return;
        }
        const { initMs } = JSON.parse(stdout) as { initMs: number };
        resolvePromise(initMs);
      },
    );
    running.add(child);
  });
}

/**
 * Writes a stand-in "function" that only loads the DynamoDB SDK the handlers use: its init time, measured
 * like a real bundle's, shows how much of a function's init is the SDK and how busy the machine is.
 */
export function writeSdkOnlyBundle(outDir: string): string {
  const dir = join(outDir, '_sdk-only');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "commonjs" }\n');
  const outfile = join(dir, 'index.js');
  writeFileSync(
    outfile,
    "require('@aws-sdk/client-dynamodb');\nrequire('@aws-sdk/lib-dynamodb');\nexports.handler = async () => ({});\n",
  );
  return outfile;
}

/**
 * Loads the bundle `runs` times, each in a fresh `node` with only the given environment (as Lambda gives
 * a function only its own variables), and returns the require times. `@aws-sdk/*` is resolved from the
 * repository's node_modules, so its load time counts, as it does in Lambda.
 */
export async function measureInit(
  outfile: string,
  env: Record<string, string>,
  runs: number,
): Promise<InitTimes> {
  const times: number[] = [];
  for (let i = 0; i < runs; i += 1) times.push(await probeOnce(outfile, env));
  return { runs: times, median: median(times) };
}

/** The environment a function gets in Lambda, as far as its module init can tell. */
function lambdaEnvironment(id: string, definition: FunctionDefinition): Record<string, string> {
  const tables = Object.fromEntries(
    TABLE_NAMES.filter((table) => table in definition.tables).map((table) => [
      `${table.toUpperCase()}_TABLE_NAME`,
      `bench-${table}`,
    ]),
  );
  return {
    AWS_REGION: 'eu-west-2',
    AWS_LAMBDA_FUNCTION_NAME: `bench-${id}`,
    POWERTOOLS_SERVICE_NAME: 'offender-services-procurement',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    POWERTOOLS_METRICS_NAMESPACE: 'bench',
    POWERTOOLS_METRICS_DISABLED: 'true',
    ...tables,
  };
}

/**
 * Bundles every function in the route table and times its init in fresh processes, with and without
 * source maps, plus the SDK-only reference.
 */
export async function measureFunctions(
  settings: { initRuns: number },
  repoRoot: string,
): Promise<{ functions: FunctionReport[]; sdkOnlyInit: InitTimes }> {
  const outDir = join(repoRoot, 'bench-results', 'bundles');
  // Fresh each run, so a renamed or removed function leaves no stale bundle behind.
  rmSync(outDir, { recursive: true, force: true });
  progress(`reference: ${settings.initRuns} fresh-process loads of the DynamoDB SDK alone`);
  const sdkOnlyInit = await measureInit(
    writeSdkOnlyBundle(outDir),
    { AWS_REGION: 'eu-west-2' },
    settings.initRuns,
  );
  const reports: FunctionReport[] = [];
  for (const [id, definition] of Object.entries(FUNCTIONS) as [string, FunctionDefinition][]) {
    progress(`function ${id}: bundling ${definition.entry}`);
    const bundle = await bundleFunction({ id, definition, repoRoot, outDir });
    progress(`function ${id}: ${settings.initRuns} fresh-process loads, without and with source maps`);
    const env = lambdaEnvironment(id, definition);
    const init = await measureInit(bundle.outfile, env, settings.initRuns);
    const initWithSourceMaps = await measureInit(
      bundle.outfile,
      { ...env, NODE_OPTIONS: '--enable-source-maps' },
      settings.initRuns,
    );
    const bundleKb = bundle.bytes / 1024;
    reports.push({
      id,
      entry: definition.entry,
      bundleBytes: bundle.bytes,
      bundleKb,
      bundlePass: bundleKb <= TARGETS.bundleKb,
      heaviest: bundle.heaviest,
      warnings: bundle.warnings,
      init,
      initPass: init.median <= TARGETS.initMs,
      initWithSourceMaps,
    });
  }
  return { functions: reports, sdkOnlyInit };
}
