/**
 * Nunjucks' runtime-only build: it renders templates compiled ahead of time (`npm run templates`) and has no
 * lexer, parser or compiler, which keeps them out of the web functions' bundles. The minified file is the
 * one nunjucks ships for production; esbuild makes 1.5 KB more of the readable one, and webContracts sits at
 * its 300 KB budget. Only the parts `render.ts` uses are declared; `@types/nunjucks` describes the full
 * build and mistypes the loader's argument.
 */
declare module 'nunjucks/browser/nunjucks-slim.min.js' {
  import type { Environment, ILoader, Loader } from 'nunjucks';

  const slim: {
    Environment: typeof Environment;
    /** Serves compiled templates, keyed by template name. */
    PrecompiledLoader: new (
      compiled: Readonly<Record<string, unknown>>,
    ) => Loader & ILoader;
  };
  export default slim;
}
