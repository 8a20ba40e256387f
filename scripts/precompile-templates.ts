/**
 * `npm run templates`: compiles every Nunjucks template the pages use into one CommonJS module,
 * `shared/web/templates.generated.cjs`, which `shared/web/render.ts` renders with Nunjucks' runtime-only
 * build (DESIGN.md section 5: the compiler alone would cost each web function about 88 KB of bundle).
 *
 * The templates are the service's own (all of `shared/web/templates/`, and those beside the pages in
 * `shared/web/pages/`) and the GOV.UK Frontend templates
 * they extend, include or import, followed to the last macro. A name is looked up in the service's folder
 * first, then in GOV.UK Frontend's `dist/`, the order the file-system loader used. The output depends on
 * the template sources and the installed nunjucks and govuk-frontend only, so it is reproducible: the
 * generated file is committed and a unit test (test/unit/templates-generated.test.ts) fails when it is out
 * of date.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { COMPILED_TEMPLATES } from '../shared/web/compiled-templates';
import { addFilters, ENVIRONMENT_OPTIONS, resolveTemplateName } from '../shared/web/template-setup';

const REPO_ROOT = resolve(import.meta.dirname, '..');

/** A template's reference to another (`extends`, `include`, `import`, `from … import`) in nunjucks' tree. */
interface TemplateRef {
  template: { typename: string; value?: unknown; lineno: number };
}

/**
 * The parts of nunjucks the type definitions leave out: its parser and node classes (src/parser.js,
 * src/nodes.js), the only way to list a template's references without rendering it.
 */
const internals = nunjucks as unknown as {
  parser: {
    parse(src: string, extensions: unknown[], opts: object): { findAll(type: unknown): TemplateRef[] };
  };
  nodes: Record<'Extends' | 'Include' | 'Import' | 'FromImport', unknown>;
};

function packageVersion(root: string, name: string): string {
  const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'));
  return String(manifest.version);
}

function ownTemplateNames(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((file) => file.split('\\').join('/'))
    .filter((file) => file.endsWith('.njk'))
    .sort();
}

/** The names `source` refers to, resolved to template names. */
function referencesOf(name: string, source: string): string[] {
  const tree = internals.parser.parse(source, [], ENVIRONMENT_OPTIONS);
  const { Extends, Include, Import, FromImport } = internals.nodes;
  const refs = [Extends, Include, Import, FromImport].flatMap((type) => tree.findAll(type));
  return refs.map(({ template }) => {
    // A name computed at render time could not be known here, and would fail only when that page renders.
    if (template.typename !== 'Literal' || typeof template.value !== 'string') {
      throw new Error(`${name}, line ${template.lineno + 1}: refers to a template by an expression`);
    }
    const ref = template.value;
    return ref.startsWith('./') || ref.startsWith('../') ? resolveTemplateName(name, ref) : ref;
  });
}

/**
 * The generated module's text: every template reachable from the service's own, compiled with an
 * environment set up as the renderer's, in name order.
 */
export function generateTemplatesModule(root: string = REPO_ROOT): string {
  const ownDir = join(root, 'shared/web/templates');
  // Page groups keep their templates beside their pages (`shared/web/pages/commissioning/…njk`), named by
  // their path from `shared/web/pages` (`commissioning/task-list.njk`).
  const pagesDir = join(root, 'shared/web/pages');
  const govukDir = join(root, 'node_modules/govuk-frontend/dist');
  const env = new nunjucks.Environment([], ENVIRONMENT_OPTIONS);
  addFilters(env);

  const ownNames = ownTemplateNames(ownDir);
  const pageNames = ownTemplateNames(pagesDir);
  const clash = pageNames.find((name) => ownNames.includes(name));
  if (clash) throw new Error(`${clash} is both in shared/web/templates and beside the pages: rename one`);
  const sources = new Map<string, string>();
  const pending = [
    ...ownNames.map((name) => ({ name, from: 'shared/web/templates' })),
    ...pageNames.map((name) => ({ name, from: 'shared/web/pages' })),
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { name, from } = next;
    if (sources.has(name)) continue;
    const file = [ownDir, pagesDir, govukDir].map((dir) => join(dir, name)).find((path) => existsSync(path));
    if (!file)
      throw new Error(`${from} refers to ${name}, found in none of ${ownDir}, ${pagesDir}, ${govukDir}`);
    const source = readFileSync(file, 'utf8');
    sources.set(name, source);
    for (const ref of referencesOf(name, source)) pending.push({ name: ref, from: name });
  }

  const entries = [...sources.keys()].sort().map((name) => {
    const code = nunjucks.precompileString(sources.get(name) ?? '', {
      name,
      env,
      // One template's code (a function body returning its root and blocks); `@types/nunjucks` types the
      // wrapper's argument as one template, nunjucks passes a list.
      wrapper: (compiled) => (compiled as unknown as { template: string }[])[0]?.template ?? '',
    });
    return `  ${JSON.stringify(name)}: (function () {\n${code}\n})(),`;
  });
  return [
    '// Generated by `npm run templates` (scripts/precompile-templates.ts): do not edit.',
    `// nunjucks ${packageVersion(root, 'nunjucks')}, govuk-frontend ${packageVersion(root, 'govuk-frontend')}, ${entries.length} templates.`,
    'module.exports = {',
    ...entries,
    '};',
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) {
  const text = generateTemplatesModule();
  writeFileSync(join(REPO_ROOT, COMPILED_TEMPLATES.path), text);
  console.log(`Wrote ${COMPILED_TEMPLATES.path} (${Math.round(text.length / 1024)} KB).`);
}
