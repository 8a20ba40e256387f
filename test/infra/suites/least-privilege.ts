/**
 * Least privilege, proven on the synthesized template and computed from the route table: for every
 * function in `FUNCTIONS`, the DynamoDB actions its role has on every table and index are exactly those its
 * declared access implies – nothing on tables it does not declare. Functions added later are covered
 * without touching this file.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES, type TableName } from '../../../shared/db/table-names';
import { TABLES } from '../../../shared/db/tables';
import {
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
  type TableAccess,
} from '../../../shared/http/routes';
import { type DynamoGrants, dynamoGrantsOf, isDynamoAction, statementsOfRole } from '../iam';
import type { Synthesized } from '../synth';

/** The specification of each access level, written out here rather than imported from the infra code. */
const EXPECTED_ACTIONS: Record<TableAccess, string[]> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:ConditionCheckItem'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  append: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
};

/** What Powertools idempotency needs on its table. */
const IDEMPOTENCY_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** Access levels that may read the sealed table (all but `write`). */
const READS: TableAccess[] = ['read', 'readWrite', 'append'];

const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
const routes: readonly RouteDefinition[] = ROUTES;

/** Declares the least-privilege tests against a synthesized app. */
export function leastPrivilegeSuite(synth: Synthesized): void {
  const { stateless, statelessTemplate, stateful } = synth;

  function roleIdOf(id: FunctionId): string {
    const role = stateless.functions[id].role;
    if (!role) throw new Error(`Function ${id} has no role`);
    return stateless.getLogicalId(role.node.defaultChild as CfnElement);
  }

  const grantsByFunction = new Map<FunctionId, DynamoGrants>(
    functionIds.map((id) => [
      id,
      dynamoGrantsOf(stateless, statelessTemplate, roleIdOf(id), stateful.tables),
    ]),
  );

  function grantsOf(id: FunctionId): DynamoGrants {
    const grants = grantsByFunction.get(id);
    if (!grants) throw new Error(`No grants read for ${id}`);
    return grants;
  }

  function declaredAccess(id: FunctionId, table: TableName): TableAccess | undefined {
    return (definitions[id].tables as Partial<Record<TableName, TableAccess>>)[table];
  }

  const isIdempotent = (id: FunctionId) => routes.some((route) => route.function === id && route.idempotent);

  /** The actions a function must have on a table's ARN, from its declaration alone. */
  function expectedTableActions(id: FunctionId, table: TableName): string[] {
    const access = declaredAccess(id, table);
    const actions = new Set(access ? EXPECTED_ACTIONS[access] : []);
    if (table === 'idempotency' && isIdempotent(id))
      for (const action of IDEMPOTENCY_ACTIONS) actions.add(action);
    return [...actions].sort();
  }

  /** Index grants a function must have: Query on each index of each table it reads. */
  function expectedIndexGrants(id: FunctionId): Record<string, string[]> {
    const expected: Record<string, string[]> = {};
    for (const table of TABLE_NAMES) {
      const access = declaredAccess(id, table);
      if (!access || !READS.includes(access)) continue;
      for (const index of TABLES[table].indexes)
        expected[`${table}/index/${index.name}`] = ['dynamodb:Query'];
    }
    return expected;
  }

  const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();

  describe('least privilege, derived from FUNCTIONS', () => {
    it('reads grants for every function (the helper is not vacuous)', () => {
      expect(functionIds.length).toBeGreaterThan(0);
      const total = functionIds.reduce((sum, id) => sum + grantsOf(id).tables.size, 0);
      expect(total).toBeGreaterThan(0);
    });

    describe.each(functionIds)('function %s', (id) => {
      it.each(TABLE_NAMES)('has exactly its declared actions on the %s table', (table) => {
        expect(sorted(grantsOf(id).tables.get(table))).toEqual(expectedTableActions(id, table));
      });

      it('has Query, and only Query, on each index of the tables it reads, named one by one', () => {
        const actual = Object.fromEntries([...grantsOf(id).indexes].map(([key, set]) => [key, sorted(set)]));
        expect(actual).toEqual(expectedIndexGrants(id));
      });

      it('has no DynamoDB action on anything but its tables and indexes', () => {
        expect(grantsOf(id).elsewhere).toEqual([]);
      });

      it('uses no NotAction / NotResource and no AWS managed policy', () => {
        const roleId = roleIdOf(id);
        expect(statementsOfRole(statelessTemplate, roleId).filter((s) => s.negated)).toEqual([]);
        const role = statelessTemplate.findResources('AWS::IAM::Role')[roleId];
        expect(role?.Properties?.ManagedPolicyArns ?? []).toEqual([]);
      });

      it('gets the physical name of every table it is bound to, and of no other', () => {
        const variables = Object.keys(environmentOf(id)).filter((name) => name.endsWith('_TABLE_NAME'));
        const bound = TABLE_NAMES.filter((table) => expectedTableActions(id, table).length > 0);
        expect(variables.sort()).toEqual(bound.map((table) => `${table.toUpperCase()}_TABLE_NAME`).sort());
      });
    });

    it('no role in the stateless stack may Scan (DESIGN.md section 5)', () => {
      const roles = Object.keys(statelessTemplate.findResources('AWS::IAM::Role'));
      const scans = roles.flatMap((roleId) =>
        statementsOfRole(statelessTemplate, roleId).flatMap((statement) =>
          statement.actions.filter(
            (action) => isDynamoAction(action) && (/scan/i.test(action) || action.endsWith('*')),
          ),
        ),
      );
      expect(scans).toEqual([]);
    });

    it.each(functionIds)('%s cannot update, delete or batch-write the audit log', (id) => {
      const audit = sorted(grantsOf(id).tables.get('audit'));
      for (const forbidden of ['dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
        expect(audit).not.toContain(forbidden);
      }
    });

    it.each(functionIds)('%s can read the sealed table only if it declares read access to it', (id) => {
      const sealed = grantsOf(id).tables.get('sealed') ?? new Set<string>();
      const sealedIndexes = [...grantsOf(id).indexes.keys()].filter((key) => key.startsWith('sealed/'));
      const canRead =
        ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'].some((action) =>
          sealed.has(action),
        ) || sealedIndexes.length > 0;
      const access = declaredAccess(id, 'sealed');
      expect(canRead).toBe(access !== undefined && READS.includes(access));
    });

    it('platform reads the registry and touches nothing else', () => {
      const grants = grantsOf('platform');
      expect([...grants.tables.keys()]).toEqual(['registry']);
      expect(sorted(grants.tables.get('registry'))).toEqual([...EXPECTED_ACTIONS.read].sort());
    });
  });

  function environmentOf(id: FunctionId): Record<string, unknown> {
    const logicalId = stateless.getLogicalId(stateless.functions[id].node.defaultChild as CfnElement);
    const fn = statelessTemplate.findResources('AWS::Lambda::Function')[logicalId];
    return (fn?.Properties?.Environment?.Variables ?? {}) as Record<string, unknown>;
  }
}
