/**
 * What the template compiler (`npm run templates`, scripts/precompile-templates.ts) and the renderer
 * (`render.ts`) must agree on: the Nunjucks environment's options and filters, and how a relative template
 * name resolves. Both set up their environment from here, so the compiled code and the runtime that runs it
 * cannot drift apart.
 */
import { posix } from 'node:path';
import type { Environment } from 'nunjucks';
import { govukDate, label, pounds } from './labels';

/**
 * Autoescaping on: every value a page shows is escaped unless a template says otherwise, and none does with
 * user data. A missing value renders as nothing, as GOV.UK Frontend's macros expect.
 */
export const ENVIRONMENT_OPTIONS = { autoescape: true, throwOnUndefined: false } as const;

/** Adds the service's filters (codes to words, pence to pounds, ISO dates to GOV.UK dates). */
export function addFilters(env: Environment): void {
  env.addFilter('label', (code: unknown) => (typeof code === 'string' ? label(code) : ''));
  env.addFilter('pounds', (pence: unknown) => (typeof pence === 'number' ? pounds(pence) : ''));
  env.addFilter('govukDate', (iso: unknown) => (typeof iso === 'string' ? govukDate(iso) : ''));
}

/**
 * The name a relative reference (`./template.njk`, `../../macros/attributes.njk`, as GOV.UK Frontend's
 * macros write them) stands for, from the name of the template that makes it: templates are named by their
 * path from a template root (`govuk/components/input/macro.njk`), never by a path on disk.
 */
export function resolveTemplateName(parent: string, name: string): string {
  return posix.join(posix.dirname(parent), name);
}
