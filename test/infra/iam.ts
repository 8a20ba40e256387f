/**
 * Reads, from a synthesized template, what DynamoDB access an IAM role really has, per table and per
 * index, so the least-privilege tests can compare it with what `FUNCTIONS` declares. It looks at every
 * place a role can get permissions from (policies attached to it, its inline policies, managed policies),
 * keeps apart actions granted under a `Condition` (e.g. only on some partition keys) from those granted
 * outright, and does not trust the infra code's own mapping: the expected grants live in the tests.
 */
import type { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';

/** A template fragment, as parsed JSON. */
type Json = unknown;

interface Statement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: Json;
  NotResource?: Json;
  Condition?: Json;
}

/** One allowed statement of a role. */
export interface RoleStatement {
  actions: string[];
  resources: Json[];
  /** The statement's `Condition`, when it has a non-empty one. */
  condition?: Json;
  /** `NotAction` / `NotResource`: never expected on a function role; reported so a test can fail on it. */
  negated: boolean;
}

/** The DynamoDB access of a role. */
export interface DynamoGrants {
  /**
   * Actions on each table ARN, by table key, under any condition or none: everything the role might do
   * there. For "can never" checks.
   */
  tables: Map<string, Set<string>>;
  /**
   * Actions on index ARNs, keyed `<table>/index/<name>` (a wildcard would appear as `<table>/index/*`),
   * under any condition or none.
   */
  indexes: Map<string, Set<string>>;
  /**
   * The grants of `tables` and `indexes` split by condition: for each table or index key, the actions by
   * `conditionKey` of the condition they are granted under, `UNCONDITIONED` for those granted outright.
   */
  byCondition: Map<string, Map<string, Set<string>>>;
  /** DynamoDB (or `*`) actions on anything else, e.g. `Resource: "*"`. Expected to be empty. */
  elsewhere: { actions: string[]; resource: Json }[];
}

const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** The `byCondition` key of actions granted without a condition. */
export const UNCONDITIONED = '(no condition)';

/** JSON with sorted keys, to compare CloudFormation expressions structurally. */
export function canonical(value: Json): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

/**
 * A stable key for an IAM `Condition` block: operators and condition keys sorted, each value list sorted
 * (IAM accepts a single value or a list, and their order means nothing). `UNCONDITIONED` for none.
 */
export function conditionKey(condition: Json | undefined): string {
  const operators = Object.entries((condition ?? {}) as Record<string, Record<string, unknown>>);
  if (operators.length === 0) return UNCONDITIONED;
  const normalized = Object.fromEntries(
    operators.map(([operator, keys]) => [
      operator,
      Object.fromEntries(
        Object.entries(keys).map(([key, values]) => [
          key,
          asArray(values as Json | Json[])
            .map((value) => canonical(value))
            .sort(),
        ]),
      ),
    ]),
  );
  return canonical(normalized);
}

const refersTo = (roles: Json, roleId: string) =>
  asArray(roles as Json[]).some((role) => canonical(role) === canonical({ Ref: roleId }));

/** Every Allow statement that applies to the role with logical id `roleId`. */
export function statementsOfRole(template: Template, roleId: string): RoleStatement[] {
  const documents: Json[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const resource of Object.values(template.findResources(type))) {
      const props = resource.Properties as { Roles?: Json; PolicyDocument: Json };
      if (refersTo(props.Roles, roleId)) documents.push(props.PolicyDocument);
    }
  }
  const role = template.findResources('AWS::IAM::Role')[roleId];
  if (!role) throw new Error(`No role ${roleId} in the template`);
  for (const inline of asArray((role.Properties as { Policies?: { PolicyDocument: Json }[] }).Policies)) {
    documents.push(inline.PolicyDocument);
  }
  return documents.flatMap((document) =>
    asArray((document as { Statement: Statement | Statement[] }).Statement)
      .filter((statement) => statement.Effect === 'Allow')
      .map((statement) => ({
        actions: asArray(statement.Action ?? statement.NotAction),
        resources: asArray((statement.Resource ?? statement.NotResource) as Json | Json[]),
        ...(conditionKey(statement.Condition) === UNCONDITIONED ? {} : { condition: statement.Condition }),
        negated: statement.NotAction !== undefined || statement.NotResource !== undefined,
      })),
  );
}

/** Whether an action could touch DynamoDB data: `dynamodb:…`, or a bare wildcard. */
export function isDynamoAction(action: string): boolean {
  return action === '*' || action.toLowerCase().startsWith('dynamodb:');
}

/**
 * The DynamoDB access of a role, per table of `tables` and per index. `stack` is the stack the role lives
 * in: table ARNs are resolved in its context, so cross-stack references compare equal.
 */
export function dynamoGrantsOf(
  stack: Stack,
  template: Template,
  roleId: string,
  tables: Record<string, ITable>,
): DynamoGrants {
  const arns = Object.entries(tables).map(([key, table]) => [key, canonical(stack.resolve(table.tableArn))]);
  const grants: DynamoGrants = {
    tables: new Map(),
    indexes: new Map(),
    byCondition: new Map(),
    elsewhere: [],
  };
  const add = (map: Map<string, Set<string>>, key: string, actions: string[]) => {
    const set = map.get(key) ?? new Set<string>();
    for (const action of actions) set.add(action);
    map.set(key, set);
  };
  const addConditioned = (key: string, condition: string, actions: string[]) => {
    const byCondition = grants.byCondition.get(key) ?? new Map<string, Set<string>>();
    add(byCondition, condition, actions);
    grants.byCondition.set(key, byCondition);
  };
  for (const statement of statementsOfRole(template, roleId)) {
    const actions = statement.actions.filter(isDynamoAction);
    if (actions.length === 0) continue;
    const condition = conditionKey(statement.condition);
    for (const resource of statement.resources) {
      const text = canonical(resource);
      const table = statement.negated ? undefined : arns.find(([, arn]) => arn === text)?.[0];
      if (table) {
        add(grants.tables, table, actions);
        addConditioned(table, condition, actions);
        continue;
      }
      const index = statement.negated ? undefined : indexOf(resource, arns);
      if (index) {
        add(grants.indexes, index, actions);
        addConditioned(index, condition, actions);
      } else grants.elsewhere.push({ actions, resource });
    }
  }
  return grants;
}

/** `{ "Fn::Join": ["", [<table ARN>, "/index/<name>"]] }` → `<table>/index/<name>`. */
function indexOf(resource: Json, arns: string[][]): string | undefined {
  const join = (resource as { 'Fn::Join'?: [string, Json[]] } | null)?.['Fn::Join'];
  if (join?.[0] !== '' || join[1].length !== 2) return undefined;
  const [arn, suffix] = join[1];
  const match = typeof suffix === 'string' ? /^\/index\/(.+)$/.exec(suffix) : null;
  const table = arns.find(([, tableArn]) => tableArn === canonical(arn))?.[0];
  return match && table ? `${table}/index/${match[1]}` : undefined;
}

/**
 * The grants on one table or index key as a plain object, `conditionKey` → sorted actions, for
 * `toEqual`. Empty when the role has nothing there.
 */
export function grantsByCondition(grants: DynamoGrants, key: string): Record<string, string[]> {
  return Object.fromEntries(
    [...(grants.byCondition.get(key) ?? new Map<string, Set<string>>())].map(([condition, actions]) => [
      condition,
      [...actions].sort(),
    ]),
  );
}
