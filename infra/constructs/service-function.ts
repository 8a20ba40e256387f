/**
 * One Lambda function of the service: a `NodejsFunction` with the settings every function shares fixed in
 * one place (DESIGN.md section 4: Node.js 22, arm64, esbuild-minified with source maps, tracing, log
 * retention), its own role and log group, and table grants that name each DynamoDB action.
 */
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { TableAccess } from '../../shared/http/routes';
import { COMPILED_TEMPLATES } from '../../shared/web/compiled-templates';
import { suppress } from '../nag';
import { IDEMPOTENCY_ACTIONS, queriesIndexes, type TableGrant, tableGrants } from '../table-access';
import type { ProviderDataRole } from './provider-data-role';
import type { ServiceTable } from './service-table';

/** What differs between functions. */
export interface ServiceFunctionProps {
  /** Handler module, absolute path; it exports `handler`. */
  entry: string;
  description: string;
  /** Repository root: esbuild's working directory and where `package-lock.json` lives. */
  projectRoot: string;
  depsLockFilePath: string;
  /** Environment variables besides the ones every function gets and the table names `bindTable` sets. */
  environment: Record<string, string>;
  logRetention: RetentionDays;
  /**
   * Shell commands run after esbuild, from the repository root, to put files the bundle reads at run time
   * beside it (the web function's compiled templates); absent for the JSON functions.
   */
  afterBundling?: (inputDir: string, outputDir: string) => string[];
}

/** The environment variable holding a table's physical name, as `shared/config.ts` reads it. */
export function tableNameVariable(logicalName: string): string {
  return `${logicalName.toUpperCase()}_TABLE_NAME`;
}

/** A service Lambda function. */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    // A role of our own instead of the default one: the default attaches the AWS managed
    // AWSLambdaBasicExecutionRole (logs on every log group in the account); this one may write to its own
    // log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    // An explicit log group rather than the deprecated `logRetention` (which needs a custom resource).
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: props.logRetention });
    super(scope, id, {
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      projectRoot: props.projectRoot,
      depsLockFilePath: props.depsLockFilePath,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      timeout: Duration.seconds(10),
      // Lambda CPU scales with memory; 512 MB keeps cold starts and JSON work short at little cost.
      memorySize: 512,
      role,
      logGroup,
      bundling: {
        minify: true,
        sourceMap: true,
        // The map only needs to translate stack traces; the sources themselves would just make it big.
        sourcesContent: false,
        target: 'node22',
        // The Node.js 22 runtime ships AWS SDK v3; bundling it would only grow the zip and the cold start.
        // The web functions' compiled templates stay a file beside the bundle (`afterBundling` copies it).
        externalModules: ['@aws-sdk/*', COMPILED_TEMPLATES.specifier],
        ...(props.afterBundling
          ? {
              commandHooks: {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: props.afterBundling,
              },
            }
          : {}),
      },
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    logGroup.grantWrite(role);
    suppress(
      role,
      [
        {
          id: 'AwsSolutions-IAM5',
          reason:
            'Active tracing adds xray:PutTraceSegments and xray:PutTelemetryRecords on "*": X-Ray defines no resource types for these actions, so they cannot be scoped further.',
          appliesTo: ['Resource::*'],
        },
      ],
      true,
    );
    suppress(this, [
      {
        id: 'AwsSolutions-L1',
        reason:
          'Node.js 22 is the runtime the design fixes (DESIGN.md section 4) and the one the bundle targets; moving to a newer runtime is a deliberate, tested change, not a lint fix.',
      },
    ]);
  }

  /**
   * Lets this function use a table the way its definition in `shared/http/routes.ts` declares, and
   * nothing more: the table ARN gets the statements of `access` (one per condition, e.g. `appendBlind`'s
   * PutItem limited to pending audit events);
   * when the access queries, each of the table's indexes (named one by one, no wildcard) gets
   * `dynamodb:Query`. Sets `<LOGICAL>_TABLE_NAME`.
   */
  bindTable(table: ServiceTable, access: TableAccess): void {
    this.grantOnTable(table, tableGrants(access), queriesIndexes(access));
  }

  /**
   * Lets this function assume `role` for one bidder at a time (with the session tag its trust policy
   * requires) and sets `PROVIDER_DATA_ROLE_ARN`, plus `<LOGICAL>_TABLE_NAME` of the tables the role reaches:
   * the function needs their names to address them with the role's credentials, but no grant of its own.
   */
  bindProviderDataRole(role: ProviderDataRole): void {
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['sts:AssumeRole', 'sts:TagSession'], resources: [role.roleArn] }),
    );
    this.addEnvironment('PROVIDER_DATA_ROLE_ARN', role.roleArn);
    for (const table of Object.values(role.tables)) {
      this.addEnvironment(tableNameVariable(table.definition.name), table.tableName);
    }
  }

  /**
   * Lets Powertools idempotency keep its records in `table` (get, conditional put, complete, delete on
   * failure) and sets `IDEMPOTENCY_TABLE_NAME`.
   */
  bindIdempotencyStore(table: ServiceTable): void {
    this.grantOnTable(table, [{ actions: IDEMPOTENCY_ACTIONS }], false);
  }

  /**
   * Grants exactly `grants` on a table (no index) and sets `<LOGICAL>_TABLE_NAME`: for a function that is
   * not in the route table, such as the audit sequencer, whose grants no access level describes.
   */
  bindTableGrants(table: ServiceTable, grants: readonly TableGrant[]): void {
    this.grantOnTable(table, grants, false);
  }

  private grantOnTable(table: ServiceTable, grants: readonly TableGrant[], withIndexes: boolean): void {
    for (const { actions, conditions } of grants) {
      this.addToRolePolicy(
        new PolicyStatement({ actions: [...actions], resources: [table.tableArn], conditions }),
      );
    }
    const indexArns = table.definition.indexes.map((index) => `${table.tableArn}/index/${index.name}`);
    if (withIndexes && indexArns.length > 0) {
      this.addToRolePolicy(new PolicyStatement({ actions: ['dynamodb:Query'], resources: indexArns }));
    }
    this.addEnvironment(tableNameVariable(table.definition.name), table.tableName);
  }
}
