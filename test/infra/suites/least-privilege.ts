/**
 * Least privilege, proven on the synthesized template and computed from the route table: for every
 * function in `FUNCTIONS`, the DynamoDB actions its role has on every table and index, and the conditions
 * that limit them, are exactly those its declared access implies – nothing on tables it does not declare.
 * Provider-facing functions (derived from the routes) are also checked never to read sealed items (but their
 * own bid partitions, by key) or query the audit log. Functions added later are covered without touching this file.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { TABLE_NAMES, type TableName } from '../../../shared/db/table-names';
import { TABLES } from '../../../shared/db/tables';
import type { Group } from '../../../shared/domain/principal';
import {
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
  type TableAccess,
} from '../../../shared/http/routes';
import {
  conditionKey,
  type DynamoGrants,
  dynamoGrantsOf,
  grantsByCondition,
  isDynamoAction,
  statementsOfRole,
  UNCONDITIONED,
} from '../iam';
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
  appendBlind: ['dynamodb:PutItem'],
  bidder: [],
};

/** Only items whose partition key starts with `AUDITHEAD#`: the heads of audit chains. */
const AUDIT_HEADS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITHEAD#*'] } };

/** Only items whose partition key starts with `BID#`: bid partitions (draft, versions, head, debrief). */
const BIDS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BID#*'] } };

/** Only items whose partition key starts with `CONNECTED#`: connection markers. */
const CONNECTED_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONNECTED#*'] } };

/** Actions each access level has only under a condition, by `conditionKey` of that condition. */
const EXPECTED_CONDITIONED: Record<TableAccess, Record<string, string[]>> = {
  read: {},
  write: {},
  readWrite: {},
  append: {},
  appendBlind: { [conditionKey(AUDIT_HEADS_ONLY)]: ['dynamodb:GetItem'] },
  bidder: {
    [conditionKey(BIDS_ONLY)]: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    [conditionKey(CONNECTED_ONLY)]: ['dynamodb:PutItem'],
  },
};

/** What Powertools idempotency needs on its table. */
const IDEMPOTENCY_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
];

/** Access levels that query, and so get Query on the table's indexes. */
const QUERIES: TableAccess[] = ['read', 'readWrite', 'append'];

/**
 * Access levels that read some items (all but `write`; `appendBlind` only audit chain heads, `bidder`
 * only bid partitions).
 */
const READS: TableAccess[] = ['read', 'readWrite', 'append', 'appendBlind', 'bidder'];

/** Item actions that return items. */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/**
 * The sealed reads a provider-facing function must not have, from its grants on the sealed table
 * (`grantsByCondition`): for each condition, the actions that return items (or could: a wildcard), except
 * GetItem under exactly `BIDS_ONLY` – a bidder reading items of a bid partition by key is the one sealed
 * read a provider-facing function may have. Any read granted outright, under another condition (e.g. one
 * that also lets `CONNECTED#*` through) or by another action fails. Empty when there is none.
 */
function forbiddenSealedReads(sealed: Record<string, string[]>): Record<string, string[]> {
  const bidsOnly = conditionKey(BIDS_ONLY);
  const reads = (action: string) => READ_ACTIONS.includes(action) || action.includes('*');
  const forbidden: Record<string, string[]> = {};
  for (const [condition, actions] of Object.entries(sealed)) {
    const allowed = (action: string) => condition === bidsOnly && action === 'dynamodb:GetItem';
    const found = actions.filter((action) => reads(action) && !allowed(action));
    if (found.length > 0) forbidden[condition] = found;
  }
  return forbidden;
}

/** Groups whose routes are not provider-facing. */
const OFFICIAL_GROUPS: readonly Group[] = ['commissioner', 'admin', 'auditor'];

const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
const routes: readonly RouteDefinition[] = ROUTES;

const requiresOfficialGroup = (route: RouteDefinition) =>
  route.access !== 'public' &&
  route.access !== 'user' &&
  route.access.some((group) => OFFICIAL_GROUPS.includes(group));

/**
 * Functions declared as serving the public or provider organisations (`facing`): every caller they serve
 * may be a provider (or anyone), so they must not read sealed items or audit events. A declaration cannot
 * dodge this: a function none of whose routes requires an official group must declare itself public or
 * provider-facing unless its every access goes through the ethical wall (`inside`) or oversight roles.
 */
const PROVIDER_FACING: FunctionId[] = functionIds.filter(
  (id) => definitions[id].facing === 'public' || definitions[id].facing === 'provider',
);

/** Functions that answer no route needing an official group: the wall or the use case is all that guards them. */
const OPEN_ROUTED: FunctionId[] = functionIds.filter((id) => {
  const own = routes.filter((route) => route.function === id);
  return own.length > 0 && !own.some(requiresOfficialGroup);
});

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

  /**
   * The grants a function must have on a table's ARN, from its declaration alone: `conditionKey` → sorted
   * actions, `UNCONDITIONED` for those granted outright.
   */
  function expectedTableGrants(id: FunctionId, table: TableName): Record<string, string[]> {
    const access = declaredAccess(id, table);
    const unconditioned = new Set(access ? EXPECTED_ACTIONS[access] : []);
    if (table === 'idempotency' && isIdempotent(id))
      for (const action of IDEMPOTENCY_ACTIONS) unconditioned.add(action);
    const expected: Record<string, string[]> = {};
    if (unconditioned.size > 0) expected[UNCONDITIONED] = [...unconditioned].sort();
    for (const [condition, actions] of Object.entries(access ? EXPECTED_CONDITIONED[access] : {}))
      expected[condition] = [...actions].sort();
    return expected;
  }

  /** Index grants a function must have: Query, unconditioned, on each index of each table it queries. */
  function expectedIndexGrants(id: FunctionId): Record<string, Record<string, string[]>> {
    const expected: Record<string, Record<string, string[]>> = {};
    for (const table of TABLE_NAMES) {
      const access = declaredAccess(id, table);
      if (!access || !QUERIES.includes(access)) continue;
      for (const index of TABLES[table].indexes)
        expected[`${table}/index/${index.name}`] = { [UNCONDITIONED]: ['dynamodb:Query'] };
    }
    return expected;
  }

  /** Index keys (`<table>/index/<name>`) of a table the function has any grant on. */
  const indexGrantsOn = (id: FunctionId, table: TableName) =>
    [...grantsOf(id).indexes.keys()].filter((key) => key.startsWith(`${table}/`));

  const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();

  describe('least privilege, derived from FUNCTIONS', () => {
    it('reads grants for every function (the helper is not vacuous)', () => {
      expect(functionIds.length).toBeGreaterThan(0);
      const total = functionIds.reduce((sum, id) => sum + grantsOf(id).tables.size, 0);
      expect(total).toBeGreaterThan(0);
    });

    describe.each(functionIds)('function %s', (id) => {
      it.each(TABLE_NAMES)(
        'has exactly its declared actions, under exactly their conditions, on the %s table',
        (table) => {
          expect(grantsByCondition(grantsOf(id), table)).toEqual(expectedTableGrants(id, table));
        },
      );

      it('has Query, and only Query, unconditioned, on each index of the tables it queries, named one by one', () => {
        const grants = grantsOf(id);
        const actual = Object.fromEntries(
          [...grants.indexes.keys()].map((key) => [key, grantsByCondition(grants, key)]),
        );
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
        const bound = TABLE_NAMES.filter((table) => Object.keys(expectedTableGrants(id, table)).length > 0);
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
      // Under any condition: an item read limited to some keys is still a read.
      const sealed = grantsOf(id).tables.get('sealed') ?? new Set<string>();
      const canRead =
        READ_ACTIONS.some((action) => sealed.has(action)) || indexGrantsOn(id, 'sealed').length > 0;
      const access = declaredAccess(id, 'sealed');
      // `write` (e.g. a provider putting its pre-qualification response) is no read.
      expect(canRead).toBe(access !== undefined && READS.includes(access));
    });

    describe('provider-facing functions (declared public or provider)', () => {
      it('are declared, and there are some', () => {
        expect(PROVIDER_FACING.length).toBeGreaterThan(0);
      });

      it('every function open to any signed-in user is either provider-facing or a wall-checked inside function', () => {
        for (const id of OPEN_ROUTED) {
          expect(['public', 'provider', 'inside'], id).toContain(definitions[id].facing);
        }
      });

      it('the sealed-read check lets through GetItem under exactly the bids-only condition, and nothing else', () => {
        const get = ['dynamodb:GetItem'];
        const bidsOnly = conditionKey(BIDS_ONLY);
        const both = conditionKey({
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BID#*', 'CONNECTED#*'] },
        });
        const anyBid = conditionKey({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BID*'] } });
        const forAny = conditionKey({ 'ForAnyValue:StringLike': { 'dynamodb:LeadingKeys': ['BID#*'] } });
        // What `bidder` grants, and writes of any kind, pass.
        expect(forbiddenSealedReads(EXPECTED_CONDITIONED.bidder)).toEqual({});
        expect(forbiddenSealedReads({ [UNCONDITIONED]: EXPECTED_ACTIONS.write })).toEqual({});
        // Any read granted outright fails, GetItem included.
        expect(forbiddenSealedReads({ [UNCONDITIONED]: get })).toEqual({ [UNCONDITIONED]: get });
        expect(forbiddenSealedReads({ [UNCONDITIONED]: ['dynamodb:*'] })).toEqual({
          [UNCONDITIONED]: ['dynamodb:*'],
        });
        // GetItem under any other condition fails: connection markers, both prefixes, looser patterns.
        for (const condition of [
          conditionKey(CONNECTED_ONLY),
          conditionKey(AUDIT_HEADS_ONLY),
          both,
          anyBid,
          forAny,
        ])
          expect(forbiddenSealedReads({ [condition]: get })).toEqual({ [condition]: get });
        // Other reads fail even under the bids-only condition: no listing, no batch reads.
        for (const action of ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:Get*'])
          expect(forbiddenSealedReads({ [bidsOnly]: [...get, action] })).toEqual({ [bidsOnly]: [action] });
      });

      it.each(PROVIDER_FACING)(
        '%s reads no sealed item (GetItem, BatchGetItem, Query) but by GetItem on bid partitions, and no sealed index',
        (id) => {
          expect(forbiddenSealedReads(grantsByCondition(grantsOf(id), 'sealed'))).toEqual({});
          expect(indexGrantsOn(id, 'sealed')).toEqual([]);
        },
      );

      it.each(PROVIDER_FACING)('%s cannot Query the audit log or its indexes', (id) => {
        expect(grantsOf(id).tables.get('audit')?.has('dynamodb:Query') ?? false).toBe(false);
        expect(indexGrantsOn(id, 'audit')).toEqual([]);
      });
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
