/**
 * Where the compiled templates live (`npm run templates` writes them; `render.ts` imports them). The Lambda
 * bundling leaves them out of a web function's bundle and copies the file beside it, where the specifier
 * `render.ts` imports them with finds it: the templates compile to about 350 KB of minified JavaScript,
 * more than a whole function's bundle budget (DESIGN.md section 5), and every web function would carry all
 * of them. Read by the CDK app (infra/constructs) and the bench (bench/functions.ts), which bundle alike.
 */
export const COMPILED_TEMPLATES = {
  /** The generated module, from the repository root. */
  path: 'shared/web/templates.generated.cjs',
  /** How `shared/web/render.ts` imports it: esbuild keeps this import as a `require` of a file beside the bundle. */
  specifier: './templates.generated.cjs',
} as const;
