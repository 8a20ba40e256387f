/**
 * Nunjucks, set up once per process, with autoescaping on: every value a page shows is escaped unless a
 * template says otherwise, and none does with user data.
 *
 * Templates are found in this folder's `templates/` and in GOV.UK Frontend's `dist/` (its `govuk/…`
 * macros). Locally both are on disk beside the sources; in Lambda the bundling step copies them beside the
 * bundle, where the working directory is the bundle's folder.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import nunjucks from 'nunjucks';
import { govukDate, label, pounds } from './labels';

function templateDirs(): string[] {
  const here = import.meta.dirname ?? process.cwd();
  const candidates = [
    join(here, 'templates'),
    resolve(process.cwd(), 'templates'),
    resolve(here, '../../node_modules/govuk-frontend/dist'),
    resolve(process.cwd(), 'node_modules/govuk-frontend/dist'),
  ];
  const dirs = [...new Set(candidates)].filter((dir) => existsSync(dir));
  if (!dirs.some((dir) => existsSync(join(dir, 'govuk', 'template.njk')))) {
    throw new Error(`GOV.UK Frontend templates not found in ${candidates.join(', ')}`);
  }
  return dirs;
}

let environment: nunjucks.Environment | undefined;

/** The process-wide Nunjucks environment. */
export function nunjucksEnvironment(): nunjucks.Environment {
  if (environment) return environment;
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(templateDirs()), {
    autoescape: true,
    throwOnUndefined: false,
  });
  env.addFilter('label', (code: unknown) => (typeof code === 'string' ? label(code) : ''));
  env.addFilter('pounds', (pence: unknown) => (typeof pence === 'number' ? pounds(pence) : ''));
  env.addFilter('govukDate', (iso: unknown) => (typeof iso === 'string' ? govukDate(iso) : ''));
  environment = env;
  return env;
}

/** Renders a template to HTML. */
export function renderTemplate(template: string, context: Record<string, unknown>): string {
  return nunjucksEnvironment().render(template, context);
}
