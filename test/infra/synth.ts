/**
 * Synthesizes the service app in-process for the infra tests: the context of `cdk.json` (feature flags and
 * settings, so the tests see what `cdk synth` produces) plus the settings a deploy must name, cdk-nag on,
 * and esbuild bundling skipped.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildServiceApp, type ServiceStacks } from '../../infra/build';

/** Repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The `context` of `cdk.json`. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

/**
 * The sign-in settings a deploy must name (`DEPLOY_SETTINGS` in `infra/settings.ts`), as an operator would
 * give them: the tests check the stacks a real deploy gets, hosted sign-in domain included.
 */
export const DEPLOY_CONTEXT = {
  callbackUrls: 'https://procurement.example.gov.uk/sign-in/callback',
  logoutUrls: 'https://procurement.example.gov.uk/',
  cognitoDomainPrefix: 'offender-procurement-test',
} as const;

/** A synthesized app and the templates of its stacks. */
export interface Synthesized extends ServiceStacks {
  app: App;
  outdir: string;
  statefulTemplate: Template;
  statelessTemplate: Template;
  /** The stateless stack's nested stack of API routes, integrations and the authorizer. */
  routesTemplate: Template;
  /**
   * What a value in the routes template stands for in the stateless stack: a `Ref` to one of the nested
   * stack's parameters is replaced by the value the parent passes it (a function's `Fn::GetAtt`, …).
   */
  fromRoutes(value: unknown): unknown;
  /** Removes the output directory. */
  dispose(): void;
}

/**
 * Builds and synthesizes the app once. `aws:cdk:bundling-stacks: []` tells every asset to skip bundling
 * (the CLI sets the same key to bundle only the stacks it was asked for), so no esbuild run happens here.
 */
export function synthesize(extraContext: Record<string, unknown> = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'procurement-cdk-'));
  const app = new App({
    outdir,
    context: { ...cdkJsonContext(), ...DEPLOY_CONTEXT, ...extraContext, 'aws:cdk:bundling-stacks': [] },
  });
  let stacks: ServiceStacks;
  try {
    stacks = buildServiceApp(app, { repoRoot: REPO_ROOT });
    app.synth();
  } catch (error) {
    // A failed synthesis (a cdk-nag error fails it) never reaches the caller's afterAll.
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...stacks,
    app,
    outdir,
    statefulTemplate: Template.fromStack(stacks.stateful),
    statelessTemplate: Template.fromStack(stacks.stateless),
    routesTemplate: Template.fromStack(stacks.stateless.routes),
    fromRoutes: (value) => {
      const parent = Template.fromStack(stacks.stateless).toJSON().Resources as Record<
        string,
        { Properties?: { Parameters?: Record<string, unknown> } }
      >;
      const nested =
        parent[stacks.stateless.getLogicalId(stacks.stateless.routes.nestedStackResource as CfnElement)];
      const ref = (value as { Ref?: string } | undefined)?.Ref;
      return ref !== undefined && nested?.Properties?.Parameters?.[ref] !== undefined
        ? nested.Properties.Parameters[ref]
        : value;
    },
    dispose: () => rmSync(outdir, { recursive: true, force: true }),
  };
}
