/**
 * Builds the service's stacks into an app. Shared by the CDK entry point (`infra/app.ts`) and the infra
 * tests, so the tests check exactly what `cdk synth` and `cdk deploy` produce.
 */
import { type App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from './settings';
import { StatefulStack } from './stacks/stateful-stack';
import { StatelessStack } from './stacks/stateless-stack';

/** Options of `buildServiceApp`. */
export interface BuildOptions {
  /** Repository root: function entries, esbuild's project root and the lock file are resolved from it. */
  repoRoot: string;
  /** Run the cdk-nag AwsSolutions pack at synthesis (default true). */
  nag?: boolean;
}

/** The two stacks of the service. */
export interface ServiceStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

/**
 * Adds the stateful and the stateless stack to `app`, configured from its context, and the cdk-nag
 * AwsSolutions checks. Stacks are environment-agnostic (no account or region, no lookups), so synthesis
 * works offline and the same templates deploy to any account and region.
 */
export function buildServiceApp(app: App, options: BuildOptions): ServiceStacks {
  const settings = settingsFromContext(app.node);
  const tags = { service: settings.serviceName };
  const stateful = new StatefulStack(app, 'ProcurementStateful', {
    description: 'Offender services procurement: DynamoDB tables (retained, PITR, deletion-protected)',
    tags,
  });
  const stateless = new StatelessStack(app, 'ProcurementStateless', {
    description: 'Offender services procurement: user pool, HTTP API, functions and alarms',
    tags,
    tables: stateful.tables,
    documents: stateful.documents,
    settings,
    repoRoot: options.repoRoot,
  });
  stateless.addStackDependency(stateful, 'The functions are granted access to the tables');
  if (options.nag ?? true) Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { stateful, stateless };
}
