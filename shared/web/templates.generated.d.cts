/**
 * The type of `templates.generated.cjs`, which `npm run templates` writes (this file is written by hand).
 */

/** Every template the pages use, compiled by Nunjucks, keyed by template name (`contracts/list.njk`). */
declare const templates: Readonly<Record<string, unknown>>;
export = templates;
