/**
 * Nunjucks, set up once per process, with autoescaping on (`template-setup.ts`).
 *
 * The templates (this folder's `templates/` and the GOV.UK Frontend macros they use) are compiled ahead of
 * time into `templates.generated.cjs` by `npm run templates`, so pages render with Nunjucks' runtime-only
 * build: the web functions' bundles carry no template compiler and nothing parses a template at run time.
 * The same compiled code runs under `npm start`, in the tests and in Lambda, where the bundling copies the
 * file beside the bundle instead of inlining it (`compiled-templates.ts`).
 */
import type { Environment } from 'nunjucks';
import nunjucks from 'nunjucks/browser/nunjucks-slim.min.js';
import { addFilters, ENVIRONMENT_OPTIONS, resolveTemplateName } from './template-setup';
import templates from './templates.generated.cjs';

/**
 * The compiled templates. Nunjucks' own loader resolves a relative name (`./template.njk`) with Node's
 * `path.resolve`, against the working directory, which the runtime-only build does not even have; the
 * templates are named by their path from a template root, so a relative name resolves against that.
 */
class CompiledTemplates extends nunjucks.PrecompiledLoader {
  override resolve(from: string, to: string): string {
    return resolveTemplateName(from, to);
  }
}

/** A Nunjucks environment that renders `compiled` (a module `npm run templates` writes), set up as every page's. */
export function compiledEnvironment(compiled: Readonly<Record<string, unknown>>): Environment {
  const env = new nunjucks.Environment(new CompiledTemplates(compiled), ENVIRONMENT_OPTIONS);
  addFilters(env);
  return env;
}

let environment: Environment | undefined;

/** The process-wide Nunjucks environment. */
export function nunjucksEnvironment(): Environment {
  environment ??= compiledEnvironment(templates);
  return environment;
}

/** Renders a template to HTML. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return nunjucksEnvironment().render(template, context);
}
