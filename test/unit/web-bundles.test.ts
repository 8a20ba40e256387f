/**
 * The web functions as Lambda gets them (bundled as the CDK bundles them, bench/functions.ts): no template
 * compiler inside (DESIGN.md section 5, bundles ≤ 300 KB), and the compiled templates found beside the
 * bundle where the CDK's `afterBundling` copies them, so a cold start loads them.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunction, measureInit } from '../../bench/functions';
import { copyWebTemplates } from '../../infra/constructs/web-assets';
import { FUNCTIONS, type FunctionDefinition } from '../../shared/http/routes';
import { COMPILED_TEMPLATES } from '../../shared/web/compiled-templates';

const ROOT = join(import.meta.dirname, '..', '..');
const WEB_FUNCTIONS = (Object.entries(FUNCTIONS) as [string, FunctionDefinition][]).filter(([, definition]) =>
  definition.entry.startsWith('functions/web/'),
);
const outDir = mkdtempSync(join(tmpdir(), 'web-bundles-'));
// Lambda's Node.js runtime provides @aws-sdk/*, which the bundles leave out; here the repository does.
symlinkSync(join(ROOT, 'node_modules'), join(outDir, 'node_modules'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the web functions’ bundles', () => {
  it('are the five web functions (not vacuous)', () => {
    expect(WEB_FUNCTIONS.map(([id]) => id)).toEqual(
      expect.arrayContaining(['web', 'webAccount', 'webSignIn', 'webContracts', 'webPayments']),
    );
  });

  it.each(WEB_FUNCTIONS)(
    '%s carries no Nunjucks lexer, parser or compiler, and requires the compiled templates',
    async (id, definition) => {
      const bundle = await bundleFunction({ id, definition, repoRoot: ROOT, outDir });
      const code = readFileSync(bundle.outfile, 'utf8');
      // Method names survive minification: the parser's and the compiler's. (Not toContain: a failure
      // would print the whole bundle.)
      expect(code.includes('parseExpression'), 'the bundle has Nunjucks’ parser').toBe(false);
      expect(code.includes('compileCallExtension'), 'the bundle has Nunjucks’ compiler').toBe(false);
      const required = code.includes(`require("${COMPILED_TEMPLATES.specifier}")`);
      expect(required, `the bundle does not require ${COMPILED_TEMPLATES.specifier}`).toBe(true);
      expect(bundle.warnings).toEqual([]);
    },
    60_000,
  );

  it('loads in a fresh process from an asset laid out as the CDK lays it out', async () => {
    const [id, definition] = WEB_FUNCTIONS[0] as [string, FunctionDefinition];
    const bundle = await bundleFunction({ id, definition, repoRoot: ROOT, outDir });
    const asset = join(outDir, 'asset');
    mkdirSync(asset);
    copyFileSync(bundle.outfile, join(asset, 'index.js'));
    // The CDK runs the afterBundling commands in a shell, from the repository root.
    for (const command of copyWebTemplates(ROOT, asset)) execFileSync('sh', ['-c', command], { cwd: ROOT });
    expect(readdirSync(asset).sort()).toEqual(['index.js', 'templates.generated.cjs']);

    const init = await measureInit(join(asset, 'index.js'), { AWS_REGION: 'eu-west-2' }, 1);

    expect(init.runs).toHaveLength(1);
  }, 60_000);
});
