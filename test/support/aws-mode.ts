/**
 * Runs a provider-facing Lambda handler configured as CDK configures it in AWS, against DynamoDB Local:
 * `PROVIDER_DATA_ROLE_ARN` set, STS reached through `AWS_ENDPOINT_URL_STS` (a fake), and DynamoDB through
 * an IAM proxy that judges the function's own requests by the function role's policy (its declared
 * tables, plus the idempotency store if it has idempotent routes) and assumed-role requests by its provider
 * data role's policy and the session's tags. Call `awsMode` in `beforeAll` after the test data is in place
 * (it resets the module graph, so the handler imported afterwards reads the new environment).
 */
import { vi } from 'vitest';
import { IDEMPOTENCY_ACTIONS, PROVIDER_DATA_GRANTS, tableGrants } from '../../infra/table-access';
import { config } from '../../shared/config';
import type { TableName } from '../../shared/db/table-names';
import {
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
  type TableAccess,
} from '../../shared/http/routes';
import type { HttpEvent, HttpResult } from '../../shared/http/types';
import { type AssumeRoleCall, type ProxyRefusal, startFakeSts, startIamProxy } from './aws-fakes';
import { httpEvent, lambdaContext } from './events';
import type { SimStatement } from './iam-simulator';

/** A handler as a Lambda module exports it. */
export type LambdaHandler = (event: HttpEvent, context: unknown) => Promise<unknown>;

/** The fakes' records and how to stop them. */
export interface AwsMode {
  roleArn: string;
  stsCalls: AssumeRoleCall[];
  refusals: ProxyRefusal[];
  close(): Promise<void>;
}

const onTable = (table: string, grants: readonly { actions: readonly string[]; conditions?: unknown }[]) =>
  grants.map((grant) => ({
    actions: grant.actions,
    table,
    conditions: grant.conditions as SimStatement['conditions'],
  }));

/** The function role's statements, from the route table, as `infra/` turns them into IAM. */
export function functionRoleStatements(id: FunctionId): SimStatement[] {
  const definition: FunctionDefinition = FUNCTIONS[id];
  const routes: readonly RouteDefinition[] = ROUTES;
  const idempotent = routes.some((route) => route.function === id && route.idempotent);
  return [
    ...(Object.entries(definition.tables) as [TableName, TableAccess][]).flatMap(([table, access]) =>
      onTable(table, tableGrants(access)),
    ),
    ...(idempotent ? onTable('idempotency', [{ actions: IDEMPOTENCY_ACTIONS }]) : []),
  ];
}

/** Starts the fakes and points a fresh module graph at them. */
export async function awsMode(id: FunctionId): Promise<AwsMode> {
  const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
  const kind = definitions[id].providerDataRole;
  if (!kind) throw new Error(`${id} declares no provider data role`);
  const roleArn = `arn:aws:iam::123456789012:role/${id}-provider-data`;
  const sessions = new Map<string, Record<string, string>>();
  const stsCalls: AssumeRoleCall[] = [];
  const refusals: ProxyRefusal[] = [];
  const sts = await startFakeSts(sessions, stsCalls);
  const proxy = await startIamProxy({
    target: config().dynamodbEndpoint as string,
    tables: config().tables,
    functionRole: functionRoleStatements(id),
    assumedRole: Object.entries(PROVIDER_DATA_GRANTS[kind]).flatMap(([table, grants]) =>
      onTable(table, grants ?? []),
    ),
    sessions,
    refusals,
  });
  vi.stubEnv('PROVIDER_DATA_ROLE_ARN', roleArn);
  vi.stubEnv('AWS_ENDPOINT_URL_STS', sts.url);
  vi.stubEnv('DYNAMODB_ENDPOINT', proxy.url);
  vi.resetModules();
  return {
    roleArn,
    stsCalls,
    refusals,
    close: async () => {
      vi.unstubAllEnvs();
      await proxy.close();
      await sts.close();
    },
  };
}

/** Calls a handler as API Gateway would, for a signed-in `sub`; answers the status and parsed body. */
export async function callAs(
  handler: LambdaHandler,
  sub: string,
  request: {
    method: string;
    path: string;
    routeKey: string;
    pathParameters: Record<string, string>;
    body?: unknown;
    query?: Record<string, string>;
    idempotencyKey?: string;
  },
): Promise<{ status: number | undefined; body: Record<string, unknown> }> {
  const result = (await handler(
    httpEvent({
      method: request.method,
      path: request.path,
      routeKey: request.routeKey,
      pathParameters: request.pathParameters,
      claims: { sub },
      headers: {
        ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(request.idempotencyKey ? { 'idempotency-key': request.idempotencyKey } : {}),
      },
      ...(request.query ? { query: request.query } : {}),
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    }),
    lambdaContext(),
  )) as HttpResult;
  return {
    status: result.statusCode,
    body: JSON.parse(String(result.body ?? 'null')) as Record<string, unknown>,
  };
}
