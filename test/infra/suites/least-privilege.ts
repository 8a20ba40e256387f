/**
 * Least privilege, proven on the synthesized template and computed from the route table: for every
 * function in `FUNCTIONS`, the DynamoDB actions its role has on every table and index, and the conditions
 * that limit them, are exactly those its declared access implies – nothing on tables it does not declare.
 * Provider-facing functions (derived from the routes) are also checked never to read sealed items or query
 * the audit log with their own role; a function that acts for one provider at a time (`providerDataRole`)
 * reaches that provider's own bid or response through a role assumed per provider, whose synthesized policy is
 * checked statement by statement and evaluated against one bidder's and its rivals' keys. Functions added
 * later are covered without touching this file.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { auditKeys, procurementKeys, registryKeys, sealedKeys } from '../../../shared/db/keys';
import { TABLE_NAMES, type TableName } from '../../../shared/db/table-names';
import { TABLES } from '../../../shared/db/tables';
import type { Group } from '../../../shared/domain/principal';
import {
  FUNCTIONS,
  type FunctionDefinition,
  type FunctionId,
  type ProviderDataKind,
  ROUTES,
  type RouteDefinition,
  type TableAccess,
} from '../../../shared/http/routes';
import { allows, type Conditions, type SimStatement } from '../../support/iam-simulator';
import {
  canonical,
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
  write: [],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:BatchWriteItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:ConditionCheckItem',
  ],
  append: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:ConditionCheckItem',
  ],
  appendBlind: [],
  enqueue: [],
  mark: [],
};

/** Writes that may not ask for return values (which would read the item written). */
const NO_RETURN_VALUES = { StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] } };

/** Item writes. */
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:ConditionCheckItem',
];

/** Only items whose partition key starts with `AUDITHEAD#`: the heads of audit chains. */
const AUDIT_HEADS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITHEAD#*'] } };

/** Only pending audit events, `AUDITPENDING#<competition>`: what a change writes, and the sequencer deletes. */
const AUDIT_PENDING_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITPENDING#*'] } };

/** What the sequencer writes: chained events, chain heads and last digests. */
const AUDIT_CHAIN_ONLY = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDIT#*', 'AUDITHEAD#*', 'AUDITDATA#*'] },
};

/**
 * Only the partitions of the bidder named by the session tag: `BID#<competition>#<that provider>` (draft,
 * versions, head, debrief).
 */
const OWN_BIDS_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BID#*#${aws:PrincipalTag/providerId}'] },
};

/** Only the tagged organisation's own registry partition: `PROVIDER#<that provider>` (its memberships). */
const OWN_PROVIDER_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROVIDER#${aws:PrincipalTag/providerId}'] },
};

/** Only competitions' partitions in the procurement table. */
const COMPETITIONS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['COMP#*'] } };

/** Only items whose partition key starts with `CONNECTED#`: connection markers. */
const CONNECTED_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONNECTED#*'] } };

/** What a change puts in the outbox (issue 17): its event and taking-part marks, nothing the delivery writes. */
const OUTBOX_PRODUCER_ONLY = {
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['EVENT#*', 'TAKING#*'] },
};

/** Taking-part marks alone (`TAKING#<competition>`), as a per-provider role puts them with its write. */
const TAKING_PART_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAKING#*'] } };

/** Actions each access level has only under a condition, by `conditionKey` of that condition. */
const EXPECTED_CONDITIONED: Record<TableAccess, Record<string, string[]>> = {
  read: {},
  readWrite: {},
  append: {},
  write: { [conditionKey(NO_RETURN_VALUES)]: WRITE_ACTIONS },
  appendBlind: {
    [conditionKey({ ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
  },
  enqueue: {
    [conditionKey({ ...OUTBOX_PRODUCER_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
  },
  mark: {
    [conditionKey({ ...TAKING_PART_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
  },
};

/** Only the tagged applicant's own responses: `RESPONSE#<competition>#<that provider>`. */
const OWN_RESPONSES_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RESPONSE#*#${aws:PrincipalTag/providerId}'] },
};

/** The tagged organisation's own participation list ("your competitions"): `TAKING#<that provider>`. */
const OWN_PARTICIPATION_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAKING#${aws:PrincipalTag/providerId}'] },
};

/** Agreements to be named that the tagged provider gave: `CONSENT#<competition>#<bidder>#<that provider>`. */
const GIVEN_AGREEMENTS = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONSENT#*#${aws:PrincipalTag/providerId}'] },
};

/** Agreements given to the tagged provider as a bidder: `CONSENT#<competition>#<that provider>#<named>`. */
const RECEIVED_AGREEMENTS = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONSENT#*#${aws:PrincipalTag/providerId}#*'] },
};

/** What both kinds of provider data role may do besides their own items. */
const EXPECTED_PROVIDER_COMMON: Partial<Record<TableName, Record<string, string[]>>> = {
  procurement: {
    [conditionKey({ ...COMPETITIONS_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:ConditionCheckItem'],
  },
  audit: {
    [conditionKey({ ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
  },
  // The mark that the organisation takes part, put with its application or bid (issue 17).
  outbox: {
    [conditionKey({ ...TAKING_PART_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
  },
};

/** What each kind of provider data role may do, table by table: `conditionKey` → actions. Nothing else. */
const EXPECTED_PROVIDER_DATA: Record<
  ProviderDataKind,
  Partial<Record<TableName, Record<string, string[]>>>
> = {
  bidder: {
    ...EXPECTED_PROVIDER_COMMON,
    sealed: {
      [conditionKey(OWN_BIDS_ONLY)]: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      [conditionKey(OWN_PARTICIPATION_ONLY)]: ['dynamodb:PutItem', 'dynamodb:Query'],
      [conditionKey({ ...CONNECTED_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey(RECEIVED_AGREEMENTS)]: ['dynamodb:GetItem'],
      [conditionKey({ ...GIVEN_AGREEMENTS, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey(GIVEN_AGREEMENTS)]: ['dynamodb:GetItem'],
    },
    // A challenge's check that the challenger is still a member: its own organisation's partition, blind.
    registry: {
      [conditionKey({ ...OWN_PROVIDER_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:ConditionCheckItem'],
    },
  },
  applicant: {
    ...EXPECTED_PROVIDER_COMMON,
    sealed: {
      [conditionKey({ ...OWN_RESPONSES_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey({ ...OWN_PARTICIPATION_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey({ ...CONNECTED_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey(RECEIVED_AGREEMENTS)]: ['dynamodb:GetItem'],
    },
  },
  // The opportunity page's own participation read: nothing written, nothing else read.
  viewer: {
    sealed: { [conditionKey(OWN_PARTICIPATION_ONLY)]: ['dynamodb:Query'] },
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

/** Access levels that read some items (all but the blind ones, `write`, `appendBlind` and `enqueue`). */
const READS: TableAccess[] = ['read', 'readWrite', 'append'];

/** Item actions that return items. */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];

/**
 * The sealed reads in a role's grants on the sealed table (`grantsByCondition`): for each condition, the
 * actions that return items (or could: a wildcard). Any condition counts: a read limited to some keys is
 * still a read. Empty when there is none.
 */
function sealedReads(sealed: Record<string, string[]>): Record<string, string[]> {
  const reads = (action: string) => READ_ACTIONS.includes(action) || action.includes('*');
  const found: Record<string, string[]> = {};
  for (const [condition, actions] of Object.entries(sealed)) {
    const these = actions.filter(reads);
    if (these.length > 0) found[condition] = these;
  }
  return found;
}

/** Groups whose routes are not provider-facing. */
const OFFICIAL_GROUPS: readonly Group[] = ['commissioner', 'admin', 'auditor'];

const functionIds = Object.keys(FUNCTIONS) as FunctionId[];
const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;

/** Functions that act for one bidder at a time, through a role assumed per bidder. */
const PROVIDER_DATA_FUNCTIONS: FunctionId[] = functionIds.filter(
  (id) => definitions[id].providerDataRole !== undefined,
);

/** The kind of a function's provider data role. */
function kindOf(id: FunctionId): ProviderDataKind {
  const kind = definitions[id].providerDataRole;
  if (!kind) throw new Error(`${id} declares no provider data role`);
  return kind;
}
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

  const tableOfArn = new Map(
    Object.entries(stateful.tables).map(([name, table]) => [
      canonical(stateless.resolve(table.tableArn)),
      name,
    ]),
  );

  /** A role's synthesized statements, in the terms of the test IAM evaluator. */
  function simStatementsOf(roleId: string): SimStatement[] {
    return statementsOfRole(statelessTemplate, roleId).flatMap((statement) =>
      statement.resources.map((resource) => ({
        actions: statement.actions,
        table: tableOfArn.get(canonical(resource)) ?? `(not a table: ${canonical(resource)})`,
        conditions: statement.condition as Conditions | undefined,
      })),
    );
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

      it('gets the physical name of every table it is bound to or reaches through its provider data role, and of no other', () => {
        const variables = Object.keys(environmentOf(id)).filter((name) => name.endsWith('_TABLE_NAME'));
        const bound = TABLE_NAMES.filter(
          (table) =>
            Object.keys(expectedTableGrants(id, table)).length > 0 ||
            (definitions[id].providerDataRole !== undefined &&
              EXPECTED_PROVIDER_DATA[kindOf(id)][table] !== undefined),
        );
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

    it.each(functionIds.filter((id) => declaredAccess(id, 'registry') === 'readWrite'))(
      '%s, which writes the registry, may batch-write it (notifications fan out in batches)',
      (id) => {
        // `shared/db/notifications.ts` sends BatchWriteItem; a role without it passed locally, where
        // nothing checks IAM, and was refused in AWS on every publish, shortlist and upload that notifies.
        expect(grantsOf(id).tables.get('registry')?.has('dynamodb:BatchWriteItem')).toBe(true);
      },
    );

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
          // An oversight function open to API Gateway must be a page function (every route a page, whose
          // session the function opens itself and whose use cases let only auditors and admins in): a
          // JSON oversight route names its groups, so the JWT authorizer's claims reach the policy.
          const pagesOnly = routes
            .filter((route) => route.function === id)
            .every((route) => route.kind === 'page');
          const allowed = pagesOnly
            ? ['public', 'provider', 'inside', 'oversight']
            : ['public', 'provider', 'inside'];
          expect(allowed, id).toContain(definitions[id].facing);
        }
      });

      it('the sealed-read check finds reads under any condition, and lets writes through', () => {
        const get = ['dynamodb:GetItem'];
        expect(sealedReads({ [UNCONDITIONED]: WRITE_ACTIONS })).toEqual({});
        expect(sealedReads({ [UNCONDITIONED]: get })).toEqual({ [UNCONDITIONED]: get });
        expect(sealedReads({ [UNCONDITIONED]: ['dynamodb:*'] })).toEqual({ [UNCONDITIONED]: ['dynamodb:*'] });
        for (const condition of [
          conditionKey(OWN_BIDS_ONLY),
          conditionKey(CONNECTED_ONLY),
          conditionKey(AUDIT_HEADS_ONLY),
        ])
          expect(sealedReads({ [condition]: [...get, 'dynamodb:PutItem'] })).toEqual({ [condition]: get });
        for (const action of ['dynamodb:Query', 'dynamodb:BatchGetItem', 'dynamodb:Get*'])
          expect(sealedReads({ [UNCONDITIONED]: [action] })).toEqual({ [UNCONDITIONED]: [action] });
      });

      it.each(PROVIDER_FACING)(
        '%s reads no sealed item (GetItem, BatchGetItem, Query) with its own role, under any condition, and no sealed index',
        (id) => {
          expect(sealedReads(grantsByCondition(grantsOf(id), 'sealed'))).toEqual({});
          expect(indexGrantsOn(id, 'sealed')).toEqual([]);
        },
      );

      it.each(PROVIDER_FACING)(
        '%s cannot read through its writes: no return values on tables it may not read',
        (id) => {
          const statements = simStatementsOf(roleIdOf(id));
          const blindTables = TABLE_NAMES.filter((table) => {
            const access = declaredAccess(id, table);
            return (
              access === 'write' || access === 'appendBlind' || access === 'enqueue' || access === 'mark'
            );
          });
          for (const table of blindTables)
            for (const action of WRITE_ACTIONS)
              for (const pk of ['BID#C1#PROVB', 'COMP#C1', 'AUDIT#C1', 'AUDITHEAD#C1', 'AUDITPENDING#C1'])
                expect(
                  allows(statements, { action, table, leadingKeys: [pk], returnValues: 'ALL_OLD' }, {}),
                  `${action} ${table} ${pk}`,
                ).toBe(false);
        },
      );

      it.each(PROVIDER_FACING)(
        '%s cannot write evaluation data, confidential sections, marks or bids with its own role',
        (id) => {
          const statements = simStatementsOf(roleIdOf(id));
          for (const key of [
            sealedKeys.score('C1', 'B1', 'E1'),
            sealedKeys.moderated('C1', 'B1'),
            sealedKeys.mark('C1', 'PROVB', 'E1'),
            sealedKeys.confidential('C1'),
            sealedKeys.bidHead('C1', 'PROVB'),
            sealedKeys.debrief('C1', 'PROVB'),
          ])
            for (const action of WRITE_ACTIONS)
              expect(
                allows(statements, { action, table: 'sealed', leadingKeys: [key.pk] }, {}),
                `${action} ${key.pk}`,
              ).toBe(false);
        },
      );

      it.each(PROVIDER_FACING)('%s cannot Query the audit log or its indexes', (id) => {
        expect(grantsOf(id).tables.get('audit')?.has('dynamodb:Query') ?? false).toBe(false);
        expect(indexGrantsOn(id, 'audit')).toEqual([]);
      });
    });

    describe('per-provider credentials (functions declaring providerDataRole)', () => {
      const roleOf = (id: FunctionId) => {
        const role = stateless.providerDataRoles[id];
        if (!role) throw new Error(`No provider data role for ${id}`);
        return role;
      };
      const providerRoleId = (id: FunctionId) =>
        stateless.getLogicalId(roleOf(id).node.defaultChild as CfnElement);
      const simStatements = (id: FunctionId) => simStatementsOf(providerRoleId(id));

      it("the functions that write a provider's sealed data use one: tenders (and challenges, issue 15) for bidders, pre-qualification for applicants; the public pages one that only reads participation", () => {
        expect(Object.fromEntries(PROVIDER_DATA_FUNCTIONS.map((id) => [id, kindOf(id)]))).toEqual({
          prequalification: 'applicant',
          tenders: 'bidder',
          challenge: 'bidder',
          webApplying: 'applicant',
          webBidding: 'bidder',
          web: 'viewer',
        });
      });

      it.each(PROVIDER_DATA_FUNCTIONS)('%s may assume its provider data role, and no other role', (id) => {
        const sts = statementsOfRole(statelessTemplate, roleIdOf(id)).filter((statement) =>
          statement.actions.some((action) => action.startsWith('sts:') || action === '*'),
        );
        expect(sts).toEqual([
          {
            actions: ['sts:AssumeRole', 'sts:TagSession'],
            resources: [stateless.resolve(roleOf(id).roleArn)],
            negated: false,
          },
        ]);
        expect(environmentOf(id).PROVIDER_DATA_ROLE_ARN).toEqual(stateless.resolve(roleOf(id).roleArn));
      });

      it.each(PROVIDER_DATA_FUNCTIONS)(
        "%s's provider data role trusts that function's role alone, with a providerId session tag and no other",
        (id) => {
          const role = statelessTemplate.findResources('AWS::IAM::Role')[providerRoleId(id)];
          expect(role?.Properties?.AssumeRolePolicyDocument?.Statement).toEqual([
            {
              Effect: 'Allow',
              Action: ['sts:AssumeRole', 'sts:TagSession'],
              Principal: { AWS: stateless.resolve(stateless.functions[id].role?.roleArn) },
              Condition: {
                StringLike: { 'aws:RequestTag/providerId': '?*' },
                'ForAllValues:StringEquals': { 'aws:TagKeys': ['providerId'] },
              },
            },
          ]);
          expect(role?.Properties?.ManagedPolicyArns ?? []).toEqual([]);
        },
      );

      it.each(PROVIDER_DATA_FUNCTIONS)(
        "%s's provider data role has exactly its kind's grants, under exactly their conditions, and no index",
        (id) => {
          const grants = dynamoGrantsOf(stateless, statelessTemplate, providerRoleId(id), stateful.tables);
          for (const table of TABLE_NAMES)
            expect(grantsByCondition(grants, table), table).toEqual(
              EXPECTED_PROVIDER_DATA[kindOf(id)][table] ?? {},
            );
          expect(grants.indexes.size).toBe(0);
          expect(grants.elsewhere).toEqual([]);
          const statements = statementsOfRole(statelessTemplate, providerRoleId(id));
          expect(statements.filter((statement) => statement.negated)).toEqual([]);
          expect(
            statements.flatMap((statement) => statement.actions).filter((a) => !isDynamoAction(a)),
          ).toEqual([]);
        },
      );

      it.each(PROVIDER_DATA_FUNCTIONS.filter((id) => kindOf(id) === 'bidder'))(
        "%s's bidder data role, evaluated for bidder A: its own bid, and not a rival's bid, bid lists, evaluation data or the audit log",
        (id) => {
          const statements = simStatements(id);
          const asA = { providerId: 'PROVA' };
          const can = (
            action: string,
            table: string,
            pk: string | undefined,
            tags: Record<string, string> = asA,
          ) =>
            allows(
              statements,
              { action: `dynamodb:${action}`, table, leadingKeys: pk === undefined ? undefined : [pk] },
              tags,
            );
          // What a bid write and a bid read need.
          for (const key of [
            sealedKeys.bidDraft('C1', 'PROVA'),
            sealedKeys.bidHead('C1', 'PROVA'),
            sealedKeys.bidVersion('C1', 'PROVA', 2),
          ]) {
            expect(can('GetItem', 'sealed', key.pk)).toBe(true);
            expect(can('PutItem', 'sealed', key.pk)).toBe(true);
          }
          expect(can('GetItem', 'sealed', sealedKeys.debrief('C1', 'PROVA').pk)).toBe(true);
          expect(can('PutItem', 'sealed', sealedKeys.connected('C1', 'PROVB').pk)).toBe(true);
          expect(can('ConditionCheckItem', 'procurement', procurementKeys.competition('C1').pk)).toBe(true);
          // A challenge's membership check: its own organisation's registry partition, by condition only.
          expect(can('ConditionCheckItem', 'registry', registryKeys.member('PROVA', 'someone').pk)).toBe(
            true,
          );
          for (const pk of [
            registryKeys.member('PROVB', 'someone').pk,
            registryKeys.member('XPROVA', 'someone').pk,
            registryKeys.member('PROVAX', 'someone').pk,
          ])
            expect(can('ConditionCheckItem', 'registry', pk), pk).toBe(false);
          expect(can('ConditionCheckItem', 'registry', registryKeys.member('PROVA', 'someone').pk, {})).toBe(
            false,
          );
          for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'BatchGetItem'])
            expect(can(action, 'registry', registryKeys.member('PROVA', 'someone').pk), action).toBe(false);
          // Its audit event: a blind put of its own pending event; nothing of the chain read or written.
          expect(can('PutItem', 'audit', auditKeys.pending('C1', '01JD0000000000000000000001').pk)).toBe(
            true,
          );
          expect(can('PutItem', 'audit', auditKeys.event('C1', 7).pk)).toBe(false);
          expect(can('PutItem', 'audit', auditKeys.head('C1').pk)).toBe(false);
          expect(can('GetItem', 'audit', auditKeys.head('C1').pk)).toBe(false);
          // Other bids: rivals, one whose id ends with A's, and any bid without the session tag.
          for (const key of [sealedKeys.bidHead('C1', 'PROVB'), sealedKeys.bidHead('C1', 'XPROVA')]) {
            expect(can('GetItem', 'sealed', key.pk), key.pk).toBe(false);
            expect(can('PutItem', 'sealed', key.pk), key.pk).toBe(false);
          }
          expect(can('GetItem', 'sealed', sealedKeys.bidHead('C1', 'PROVA').pk, {})).toBe(false);
          // Agreements to be named: A gives (puts, reads back) its own, reads those given to it, and can
          // neither forge B's agreement to anyone nor learn whom else B partners.
          expect(can('PutItem', 'sealed', sealedKeys.consent('C1', 'PROVB', 'PROVA').pk)).toBe(true);
          expect(can('GetItem', 'sealed', sealedKeys.consent('C1', 'PROVB', 'PROVA').pk)).toBe(true);
          expect(can('GetItem', 'sealed', sealedKeys.consent('C1', 'PROVA', 'PROVB').pk)).toBe(true);
          expect(can('PutItem', 'sealed', sealedKeys.consent('C1', 'PROVA', 'PROVB').pk)).toBe(false);
          expect(can('GetItem', 'sealed', sealedKeys.consent('C1', 'PROVB', 'PROVC').pk)).toBe(false);
          expect(can('PutItem', 'sealed', sealedKeys.consent('C1', 'PROVC', 'PROVB').pk)).toBe(false);
          expect(can('GetItem', 'sealed', sealedKeys.consent('C1', 'PROVB', 'XPROVA').pk)).toBe(false);
          // Evaluation data, confidential sections, responses, connection markers: not by key.
          for (const key of [
            sealedKeys.score('C1', 'BID#C1#PROVA', 'quality'),
            sealedKeys.moderated('C1', 'BID#C1#PROVA'),
            sealedKeys.confidential('C1'),
            sealedKeys.response('C1', 'PROVA'),
            sealedKeys.connected('C1', 'PROVA'),
          ])
            expect(can('GetItem', 'sealed', key.pk), key.pk).toBe(false);
          // Its own participation list ("your competitions"): put and read a page; not a rival's.
          const taking = (provider: string) => sealedKeys.participation(provider, 'C1').pk;
          expect(can('Query', 'sealed', taking('PROVA'))).toBe(true);
          expect(can('PutItem', 'sealed', taking('PROVA'))).toBe(true);
          for (const pk of [taking('PROVB'), taking('XPROVA'), taking('PROVAX')]) {
            expect(can('Query', 'sealed', pk), pk).toBe(false);
            expect(can('PutItem', 'sealed', pk), pk).toBe(false);
          }
          expect(can('Query', 'sealed', taking('PROVA'), {})).toBe(false);
          // No other listing anywhere, no audit reading, no reading competitions or anything else.
          for (const key of [sealedKeys.bidPartition('C1', 'PROVA'), sealedKeys.connected('C1', 'PROVA')])
            expect(can('Query', 'sealed', key.pk), key.pk).toBe(false);
          for (const table of TABLE_NAMES) {
            expect(can('Query', table, undefined), table).toBe(false);
            expect(can('Scan', table, undefined), table).toBe(false);
          }
          expect(can('BatchGetItem', 'sealed', sealedKeys.bidHead('C1', 'PROVA').pk)).toBe(false);
          expect(can('GetItem', 'audit', auditKeys.event('C1', 1).pk)).toBe(false);
          expect(can('GetItem', 'procurement', procurementKeys.competition('C1').pk)).toBe(false);
          expect(can('UpdateItem', 'sealed', sealedKeys.bidHead('C1', 'PROVA').pk)).toBe(false);
          expect(can('DeleteItem', 'sealed', sealedKeys.bidHead('C1', 'PROVA').pk)).toBe(false);
          // Writes outside its own partition cannot read back what they touch (ReturnValues ALL_OLD, or
          // ReturnValuesOnConditionCheckFailure): a connection marker, a competition's panel.
          const blind = (action: string, table: string, pk: string, returnValues: string) =>
            allows(statements, { action: `dynamodb:${action}`, table, leadingKeys: [pk], returnValues }, asA);
          const marker = sealedKeys.connected('C1', 'PROVB').pk;
          expect(blind('PutItem', 'sealed', marker, 'NONE')).toBe(true);
          expect(blind('PutItem', 'sealed', marker, 'ALL_OLD')).toBe(false);
          expect(blind('ConditionCheckItem', 'procurement', procurementKeys.panel('C1').pk, 'ALL_OLD')).toBe(
            false,
          );
          const membership = registryKeys.member('PROVA', 'someone').pk;
          expect(blind('ConditionCheckItem', 'registry', membership, 'NONE')).toBe(true);
          expect(blind('ConditionCheckItem', 'registry', membership, 'ALL_OLD')).toBe(false);
          expect(
            blind('PutItem', 'audit', auditKeys.pending('C1', '01JD0000000000000000000001').pk, 'ALL_OLD'),
          ).toBe(false);
        },
      );

      it.each(PROVIDER_DATA_FUNCTIONS.filter((id) => kindOf(id) === 'applicant'))(
        "%s's applicant data role, evaluated for applicant A: put its own response, blind, and nothing else of anyone's",
        (id) => {
          const statements = simStatements(id);
          const asA = { providerId: 'PROVA' };
          const can = (action: string, table: string, pk: string | undefined, returnValues?: string) =>
            allows(
              statements,
              {
                action: `dynamodb:${action}`,
                table,
                leadingKeys: pk === undefined ? undefined : [pk],
                ...(returnValues ? { returnValues } : {}),
              },
              asA,
            );
          const own = sealedKeys.response('C1', 'PROVA').pk;
          expect(can('PutItem', 'sealed', own)).toBe(true);
          expect(can('PutItem', 'sealed', own, 'ALL_OLD')).toBe(false);
          expect(can('GetItem', 'sealed', own)).toBe(false);
          expect(can('PutItem', 'sealed', sealedKeys.connected('C1', 'PROVB').pk)).toBe(true);
          expect(can('ConditionCheckItem', 'procurement', procurementKeys.competition('C1').pk)).toBe(true);
          expect(can('PutItem', 'audit', auditKeys.pending('C1', '01JD0000000000000000000003').pk)).toBe(
            true,
          );
          expect(can('PutItem', 'audit', auditKeys.event('C1', 3).pk)).toBe(false);
          expect(can('GetItem', 'audit', auditKeys.head('C1').pk)).toBe(false);
          // Another applicant's response (including an id ending with A's), marks, scores, bids: nothing.
          for (const key of [
            sealedKeys.response('C1', 'PROVB'),
            sealedKeys.response('C1', 'XPROVA'),
            sealedKeys.mark('C1', 'PROVA', 'e1'),
            sealedKeys.score('C1', 'B1', 'e1'),
            sealedKeys.confidential('C1'),
            sealedKeys.bidHead('C1', 'PROVA'),
          ])
            for (const action of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'])
              expect(can(action, 'sealed', key.pk), `${action} ${key.pk}`).toBe(false);
          for (const table of TABLE_NAMES) expect(can('Query', table, undefined), table).toBe(false);
          // Its participation item: put blind, never read back; another's not at all.
          const taking = sealedKeys.participation('PROVA', 'C1').pk;
          expect(can('PutItem', 'sealed', taking)).toBe(true);
          expect(can('PutItem', 'sealed', taking, 'ALL_OLD')).toBe(false);
          expect(can('Query', 'sealed', taking)).toBe(false);
          expect(can('GetItem', 'sealed', taking)).toBe(false);
          expect(can('PutItem', 'sealed', sealedKeys.participation('PROVB', 'C1').pk)).toBe(false);
          expect(
            allows(statements, { action: 'dynamodb:PutItem', table: 'sealed', leadingKeys: [own] }, {}),
          ).toBe(false);
        },
      );

      it.each(PROVIDER_DATA_FUNCTIONS.filter((id) => kindOf(id) === 'viewer'))(
        "%s's viewer data role, evaluated for organisation A: Query its own participation list, and nothing else of anyone's",
        (id) => {
          const statements = simStatements(id);
          const can = (
            action: string,
            table: string,
            pk: string | undefined,
            tags = { providerId: 'PROVA' },
          ) =>
            allows(
              statements,
              { action: `dynamodb:${action}`, table, leadingKeys: pk === undefined ? undefined : [pk] },
              tags,
            );
          const taking = (provider: string) => sealedKeys.participation(provider, 'C1').pk;
          expect(can('Query', 'sealed', taking('PROVA'))).toBe(true);
          // Another's list (including ids ending or starting with A's), or any list without the tag.
          for (const pk of [taking('PROVB'), taking('XPROVA'), taking('PROVAX')])
            expect(can('Query', 'sealed', pk), pk).toBe(false);
          expect(can('Query', 'sealed', taking('PROVA'), {} as { providerId: string })).toBe(false);
          // Nothing written, not even its own list; no item read by key, no batch.
          for (const action of ['PutItem', 'UpdateItem', 'DeleteItem', 'GetItem', 'BatchGetItem'])
            expect(can(action, 'sealed', taking('PROVA')), action).toBe(false);
          // Its own bid, response, markers, agreements, evaluation data: nothing.
          for (const key of [
            sealedKeys.bidHead('C1', 'PROVA'),
            sealedKeys.bidDraft('C1', 'PROVA'),
            sealedKeys.response('C1', 'PROVA'),
            sealedKeys.connected('C1', 'PROVA'),
            sealedKeys.consent('C1', 'PROVB', 'PROVA'),
            sealedKeys.score('C1', 'B1', 'e1'),
            sealedKeys.confidential('C1'),
          ])
            for (const action of ['GetItem', 'Query', 'PutItem'])
              expect(can(action, 'sealed', key.pk), `${action} ${key.pk}`).toBe(false);
          for (const table of TABLE_NAMES) {
            expect(can('Query', table, undefined), table).toBe(false);
            expect(can('Scan', table, undefined), table).toBe(false);
          }
          expect(can('PutItem', 'audit', auditKeys.pending('C1', '01JD0000000000000000000004').pk)).toBe(
            false,
          );
          expect(can('ConditionCheckItem', 'procurement', procurementKeys.competition('C1').pk)).toBe(false);
        },
      );

      it('no other role in the stateless stack may assume a provider data role, or any role', () => {
        const bidderRoles = new Map(
          PROVIDER_DATA_FUNCTIONS.map((id) => [canonical(stateless.resolve(roleOf(id).roleArn)), id]),
        );
        const roles = Object.keys(statelessTemplate.findResources('AWS::IAM::Role'));
        for (const roleId of roles) {
          for (const statement of statementsOfRole(statelessTemplate, roleId)) {
            if (!statement.actions.some((a) => a === '*' || a.toLowerCase().startsWith('sts:'))) continue;
            const targets = statement.resources.map((resource) => bidderRoles.get(canonical(resource)));
            expect(
              targets.every((target) => target !== undefined),
              roleId,
            ).toBe(true);
            for (const target of targets) expect(roleId).toBe(roleIdOf(target as FunctionId));
          }
        }
      });
    });

    describe('the audit sequencer (the audit stream consumer, not in FUNCTIONS)', () => {
      const sequencerRoleId = () => {
        const role = stateless.auditSequencer.function.role;
        if (!role) throw new Error('The sequencer has no role');
        return stateless.getLogicalId(role.node.defaultChild as CfnElement);
      };
      const grants = () => dynamoGrantsOf(stateless, statelessTemplate, sequencerRoleId(), stateful.tables);

      it('reads chain heads, puts chained events, heads and digests, deletes pending events, all blind, and nothing else on any table', () => {
        for (const table of TABLE_NAMES)
          expect(grantsByCondition(grants(), table), table).toEqual(
            table === 'audit'
              ? {
                  [conditionKey(AUDIT_HEADS_ONLY)]: ['dynamodb:GetItem'],
                  [conditionKey({ ...AUDIT_CHAIN_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
                  [conditionKey({ ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:DeleteItem'],
                }
              : {},
          );
        expect(grants().indexes.size).toBe(0);
      });

      it("reads the audit table's stream and no other (ListStreams has no resource to scope it to)", () => {
        const streamArn = canonical(stateless.resolve(stateful.tables.audit.tableStreamArn));
        const elsewhere = grants()
          .elsewhere.map(({ actions, resource }) => ({
            actions: [...actions].sort(),
            resource: canonical(resource),
          }))
          .sort((a, b) => (a.actions[0] ?? '').localeCompare(b.actions[0] ?? ''));
        expect(elsewhere).toEqual([
          {
            actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
            resource: streamArn,
          },
          { actions: ['dynamodb:ListStreams'], resource: canonical('*') },
        ]);
      });

      it('evaluated: may delete only pending events, never a chained event, a head, a digest or an alert, and may not read events', () => {
        const statements = simStatementsOf(sequencerRoleId());
        const can = (action: string, pk: string, returnValues?: string) =>
          allows(
            statements,
            {
              action: `dynamodb:${action}`,
              table: 'audit',
              leadingKeys: [pk],
              ...(returnValues ? { returnValues } : {}),
            },
            {},
          );
        const pending = auditKeys.pending('C1', '01JD0000000000000000000001').pk;
        const event = auditKeys.event('C1', 1).pk;
        const head = auditKeys.head('C1').pk;
        const data = auditKeys.data('C1', '["sealed",{}]').pk;
        expect(can('DeleteItem', pending)).toBe(true);
        expect(can('DeleteItem', pending, 'ALL_OLD')).toBe(false);
        for (const pk of [event, head, data, auditKeys.alerts().pk])
          expect(can('DeleteItem', pk), pk).toBe(false);
        for (const pk of [event, head, data]) {
          expect(can('PutItem', pk), pk).toBe(true);
          expect(can('PutItem', pk, 'ALL_OLD'), pk).toBe(false);
        }
        for (const pk of [pending, auditKeys.alerts().pk]) expect(can('PutItem', pk), pk).toBe(false);
        expect(can('GetItem', head)).toBe(true);
        for (const pk of [event, pending, data]) expect(can('GetItem', pk), pk).toBe(false);
        for (const pk of [event, head, pending]) expect(can('UpdateItem', pk), pk).toBe(false);
        expect(
          allows(statements, { action: 'dynamodb:Query', table: 'audit', leadingKeys: undefined }, {}),
        ).toBe(false);
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
