/**
 * `ServiceFunction.bindTable` for every access level, including those no function in the route table uses
 * yet (write, readWrite, append, appendBlind and the idempotency store), so the grants are proven before a
 * function relies on them; and `ProviderDataRole` with `bindProviderDataRole`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderDataRole } from '../../infra/constructs/provider-data-role';
import { ServiceFunction } from '../../infra/constructs/service-function';
import { StatefulStack } from '../../infra/stacks/stateful-stack';
import { auditKeys, procurementKeys, sealedKeys } from '../../shared/db/keys';
import type { TableAccess } from '../../shared/http/routes';
import { stringLike } from '../support/iam-simulator';
import {
  canonical,
  conditionKey,
  dynamoGrantsOf,
  grantsByCondition,
  statementsOfRole,
  UNCONDITIONED,
} from './iam';
import { cdkJsonContext, REPO_ROOT } from './synth';

const outdir = mkdtempSync(join(tmpdir(), 'procurement-fn-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

const app = new App({ outdir, context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
const { tables } = new StatefulStack(app, 'Tables');
const stack = new Stack(app, 'Functions');

function makeFunction(id: string): ServiceFunction {
  return new ServiceFunction(stack, id, {
    entry: join(REPO_ROOT, 'functions/platform/index.ts'),
    description: id,
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    environment: {},
    logRetention: RetentionDays.ONE_WEEK,
  });
}

const levels: TableAccess[] = ['read', 'write', 'readWrite', 'append', 'appendBlind'];
// The registry has four indexes, so index grants show; the audit table has none.
const byLevel = Object.fromEntries(
  levels.map((level) => {
    const fn = makeFunction(`${level}Fn`);
    fn.bindTable(tables.registry, level);
    fn.bindTable(tables.audit, level);
    return [level, fn];
  }),
) as Record<TableAccess, ServiceFunction>;
const idempotent = makeFunction('IdempotentFn');
idempotent.bindIdempotencyStore(tables.idempotency);

// `appendBlind` alone on the audit table, so its statements can be read one by one.
const blindOnly = makeFunction('BlindOnlyFn');
blindOnly.bindTable(tables.audit, 'appendBlind');

// A function that acts for one bidder at a time: a role of its own to assume per bidder.
const bidderFacing = makeFunction('BidderFacingFn');
const bidderRole = new ProviderDataRole(stack, 'BidderFacingProviderDataRole', {
  kind: 'bidder',
  assumedBy: bidderFacing.role as NonNullable<typeof bidderFacing.role>,
  tables,
  description: 'test',
});
bidderFacing.bindProviderDataRole(bidderRole);

// The same for one applicant at a time.
const applicantFacing = makeFunction('ApplicantFacingFn');
const applicantRole = new ProviderDataRole(stack, 'ApplicantFacingProviderDataRole', {
  kind: 'applicant',
  assumedBy: applicantFacing.role as NonNullable<typeof applicantFacing.role>,
  tables,
  description: 'test',
});
applicantFacing.bindProviderDataRole(applicantRole);

const template = Template.fromStack(stack);
const roleIdOf = (fn: ServiceFunction) => stack.getLogicalId(fn.role?.node.defaultChild as CfnElement);
const grantsOf = (fn: ServiceFunction) => dynamoGrantsOf(stack, template, roleIdOf(fn), tables);
const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();
const variablesOf = (fn: ServiceFunction) =>
  template.findResources('AWS::Lambda::Function')[stack.getLogicalId(fn.node.defaultChild as CfnElement)]
    ?.Properties?.Environment?.Variables as Record<string, unknown>;

const REGISTRY_INDEXES = ['gsi1', 'gsi2', 'gsi3', 'gsi4'].map((name) => `registry/index/${name}`);

/** The condition `appendBlind` puts on PutItem (with no return values), written out as IAM reads it. */
const AUDIT_PENDING_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITPENDING#*'] } };

/** The condition on the bidder data role's GetItem and PutItem: the tagged bidder's own partitions only. */
const OWN_BIDS_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BID#*#${aws:PrincipalTag/providerId}'] },
};

/** The condition on its other PutItem: connection markers only. */
const CONNECTED_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONNECTED#*'] } };

/** Agreements to be named that the tagged provider gave (it puts them and reads them back). */
const GIVEN_AGREEMENTS = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONSENT#*#${aws:PrincipalTag/providerId}'] },
};

/** Agreements given to the tagged provider as bidder or applicant (it reads them to submit). */
const RECEIVED_AGREEMENTS = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONSENT#*#${aws:PrincipalTag/providerId}#*'] },
};

/** The tagged organisation's own registry partition (a challenge checks the challenger's membership there). */
const OWN_PROVIDER_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['PROVIDER#${aws:PrincipalTag/providerId}'] },
};

/** The tagged organisation's own participation list ("your competitions"). */
const OWN_PARTICIPATION_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAKING#${aws:PrincipalTag/providerId}'] },
};

/** The condition on the applicant data role's PutItem of responses: the tagged applicant's own only. */
const OWN_RESPONSES_ONLY = {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
  'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['RESPONSE#*#${aws:PrincipalTag/providerId}'] },
};

/** The condition on blind writes: no return values. */
const NO_RETURN_VALUES = { StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] } };

/** The condition on its ConditionCheckItem in the procurement table: competitions only. */
const COMPETITIONS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['COMP#*'] } };

/** Taking-part marks in the outbox (issue 17), put with a question, an application or a bid. */
const TAKING_PART_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['TAKING#*'] } };

/** The one `dynamodb:LeadingKeys` pattern of a condition written as above. */
function leadingKeyPattern(condition: typeof OWN_BIDS_ONLY): string {
  const [pattern, ...rest] = condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
  if (!pattern || rest.length > 0) throw new Error('expected exactly one pattern');
  return pattern;
}

describe('ServiceFunction.bindTable', () => {
  it.each([
    ['read', ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'Query']],
    [
      'readWrite',
      [
        'BatchGetItem',
        'BatchWriteItem',
        'ConditionCheckItem',
        'DeleteItem',
        'GetItem',
        'PutItem',
        'Query',
        'UpdateItem',
      ],
    ],
    ['append', ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'PutItem', 'Query']],
  ] as const)('%s grants exactly %j on the table, with no condition', (level, actions) => {
    const grants = grantsOf(byLevel[level]);
    const expected = { [UNCONDITIONED]: actions.map((action) => `dynamodb:${action}`) };
    expect(grantsByCondition(grants, 'registry')).toEqual(expected);
    expect(grantsByCondition(grants, 'audit')).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it('write grants the item writes, only without return values (which would read the item)', () => {
    const grants = grantsOf(byLevel.write);
    const expected = {
      [conditionKey(NO_RETURN_VALUES)]: [
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ],
    };
    expect(grantsByCondition(grants, 'registry')).toEqual(expected);
    expect(grantsByCondition(grants, 'audit')).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it('appendBlind grants PutItem of pending audit events only, without return values, and nothing else: no read at all', () => {
    const grants = grantsOf(byLevel.appendBlind);
    const expected = {
      [conditionKey({ ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
    };
    expect(grantsByCondition(grants, 'registry')).toEqual(expected);
    expect(grantsByCondition(grants, 'audit')).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it('appendBlind is one statement on the table ARN, with the LeadingKeys condition as written', () => {
    const statements = statementsOfRole(template, roleIdOf(blindOnly)).filter((statement) =>
      statement.actions.some((action) => action.startsWith('dynamodb:')),
    );
    const auditArn = stack.resolve(tables.audit.tableArn);
    expect(statements).toEqual([
      {
        actions: ['dynamodb:PutItem'],
        resources: [auditArn],
        condition: { ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES },
        negated: false,
      },
    ]);
  });

  it('the pending-only condition matches pending events and no other key of the audit table', () => {
    const pattern = leadingKeyPattern(AUDIT_PENDING_ONLY);
    expect(stringLike(pattern, auditKeys.pending('comp-1', '01JD0000000000000000000001').pk)).toBe(true);
    expect(stringLike(pattern, auditKeys.head('comp-1').pk)).toBe(false);
    expect(stringLike(pattern, auditKeys.event('comp-1', 1).pk)).toBe(false);
    expect(stringLike(pattern, auditKeys.alert('2025-01-01T00:00:00Z', 'a').pk)).toBe(false);
    expect(stringLike(pattern, auditKeys.alerts().pk)).toBe(false);
  });

  it("the own-bids condition, with the session tag in place, matches that bidder's items and nothing else", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
    const pattern = leadingKeyPattern(OWN_BIDS_ONLY).replace('${aws:PrincipalTag/providerId}', 'prov-1');
    for (const key of [
      sealedKeys.bidPartition('comp-1', 'prov-1'),
      sealedKeys.bidDraft('comp-1', 'prov-1'),
      sealedKeys.bidHead('comp-1', 'prov-1'),
      sealedKeys.bidVersion('comp-1', 'prov-1', 3),
      sealedKeys.debrief('comp-1', 'prov-1'),
      sealedKeys.debrief('comp-2', 'prov-1'),
    ]) {
      expect(stringLike(pattern, key.pk), key.pk).toBe(true);
    }
    for (const key of [
      // Another bidder's partition, including one whose id ends with this one's.
      sealedKeys.bidHead('comp-1', 'prov-2'),
      sealedKeys.bidHead('comp-1', 'xprov-1'),
      sealedKeys.bidDraft('comp-1', 'prov-1x'),
      sealedKeys.connected('comp-1', 'prov-1'),
      sealedKeys.partition('comp-1'),
      sealedKeys.confidential('comp-1'),
      sealedKeys.response('comp-1', 'prov-1'),
      sealedKeys.mark('comp-1', 'prov-1', 'q1'),
      sealedKeys.score('comp-1', 'BID#comp-1#prov-1', 'c1'),
      sealedKeys.moderated('comp-1', 'BID#comp-1#prov-1'),
    ]) {
      expect(stringLike(pattern, key.pk), key.pk).toBe(false);
    }
    // The index partition listing a competition's bids is no item partition, and does not match either.
    expect(stringLike(pattern, sealedKeys.bidsOfCompetition('comp-1'))).toBe(false);
  });

  it('the connected-only condition matches connection markers and no bid or evaluation item', () => {
    const pattern = leadingKeyPattern(CONNECTED_ONLY);
    expect(stringLike(pattern, sealedKeys.connected('comp-1', 'prov-1').pk)).toBe(true);
    for (const key of [
      sealedKeys.bidPartition('comp-1', 'prov-1'),
      sealedKeys.bidHead('comp-1', 'prov-1'),
      sealedKeys.partition('comp-1'),
      sealedKeys.confidential('comp-1'),
      sealedKeys.response('comp-1', 'prov-1'),
    ]) {
      expect(stringLike(pattern, key.pk), key.pk).toBe(false);
    }
  });

  it.each(levels)('%s grants Query, unconditioned, on each index by name only when it queries', (level) => {
    const grants = grantsOf(byLevel[level]);
    const expected = ['write', 'appendBlind'].includes(level) ? [] : REGISTRY_INDEXES;
    expect([...grants.indexes.keys()].sort()).toEqual(expected);
    for (const index of grants.indexes.keys()) {
      expect(grantsByCondition(grants, index)).toEqual({ [UNCONDITIONED]: ['dynamodb:Query'] });
    }
  });

  it.each(['append', 'appendBlind'] as const)('%s never allows changing or removing an item', (level) => {
    const audit = grantsOf(byLevel[level]).tables.get('audit') ?? new Set();
    for (const forbidden of ['UpdateItem', 'DeleteItem', 'BatchWriteItem']) {
      expect(audit.has(`dynamodb:${forbidden}`)).toBe(false);
    }
  });

  it('the idempotency store gets what Powertools needs and the table name variable', () => {
    const grants = grantsOf(idempotent);
    expect(sorted(grants.tables.get('idempotency'))).toEqual([
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ]);
    expect(grants.indexes.size).toBe(0);
    expect(Object.keys(variablesOf(idempotent))).toContain('IDEMPOTENCY_TABLE_NAME');
  });

  it.each(levels)('%s sets <LOGICAL>_TABLE_NAME for each bound table', (level) => {
    expect(
      Object.keys(variablesOf(byLevel[level]))
        .filter((name) => name.endsWith('_TABLE_NAME'))
        .sort(),
    ).toEqual(['AUDIT_TABLE_NAME', 'REGISTRY_TABLE_NAME']);
  });
});

describe('ProviderDataRole and bindProviderDataRole', () => {
  const roleId = stack.getLogicalId(bidderRole.node.defaultChild as CfnElement);
  const role = () => template.findResources('AWS::IAM::Role')[roleId];

  it('is trusted by the one function role, to assume with a providerId session tag and no other tag', () => {
    expect(role()?.Properties?.AssumeRolePolicyDocument?.Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:TagSession'],
        Principal: {
          AWS: stack.resolve((bidderFacing.role as NonNullable<typeof bidderFacing.role>).roleArn),
        },
        Condition: {
          StringLike: { 'aws:RequestTag/providerId': '?*' },
          'ForAllValues:StringEquals': { 'aws:TagKeys': ['providerId'] },
        },
      },
    ]);
    expect(role()?.Properties?.ManagedPolicyArns ?? []).toEqual([]);
  });

  it("grants the bidder's own bid items, connection marker puts, competition and own-membership checks and blind audit appends, nothing else", () => {
    const grants = dynamoGrantsOf(stack, template, roleId, tables);
    expect(grantsByCondition(grants, 'sealed')).toEqual({
      [conditionKey(OWN_BIDS_ONLY)]: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      [conditionKey(OWN_PARTICIPATION_ONLY)]: ['dynamodb:PutItem', 'dynamodb:Query'],
      [conditionKey({ ...CONNECTED_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey(RECEIVED_AGREEMENTS)]: ['dynamodb:GetItem'],
      [conditionKey({ ...GIVEN_AGREEMENTS, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey(GIVEN_AGREEMENTS)]: ['dynamodb:GetItem'],
    });
    expect(grantsByCondition(grants, 'procurement')).toEqual({
      [conditionKey({ ...COMPETITIONS_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:ConditionCheckItem'],
    });
    expect(grantsByCondition(grants, 'registry')).toEqual({
      [conditionKey({ ...OWN_PROVIDER_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:ConditionCheckItem'],
    });
    expect(grantsByCondition(grants, 'audit')).toEqual({
      [conditionKey({ ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
    });
    expect(grantsByCondition(grants, 'outbox')).toEqual({
      [conditionKey({ ...TAKING_PART_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
    });
    expect([...grants.tables.keys()].sort()).toEqual([
      'audit',
      'outbox',
      'procurement',
      'registry',
      'sealed',
    ]);
    expect(grants.indexes.size).toBe(0);
    expect(grants.elsewhere).toEqual([]);
    expect(statementsOfRole(template, roleId).flatMap((s) => s.actions)).not.toContain('sts:AssumeRole');
  });

  it('keeps the sealed statements apart: one with several patterns would let GetItem read connection markers', () => {
    const sealedArn = stack.resolve(tables.sealed.tableArn);
    const sealed = statementsOfRole(template, roleId).filter(
      (s) => canonical(s.resources) === canonical([sealedArn]),
    );
    expect(sealed).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [sealedArn],
        condition: OWN_BIDS_ONLY,
        negated: false,
      },
      {
        actions: ['dynamodb:PutItem', 'dynamodb:Query'],
        resources: [sealedArn],
        condition: OWN_PARTICIPATION_ONLY,
        negated: false,
      },
      {
        actions: ['dynamodb:PutItem'],
        resources: [sealedArn],
        condition: { ...CONNECTED_ONLY, ...NO_RETURN_VALUES },
        negated: false,
      },
      {
        actions: ['dynamodb:GetItem'],
        resources: [sealedArn],
        condition: RECEIVED_AGREEMENTS,
        negated: false,
      },
      {
        actions: ['dynamodb:PutItem'],
        resources: [sealedArn],
        condition: { ...GIVEN_AGREEMENTS, ...NO_RETURN_VALUES },
        negated: false,
      },
      { actions: ['dynamodb:GetItem'], resources: [sealedArn], condition: GIVEN_AGREEMENTS, negated: false },
    ]);
  });

  it('the competitions-only condition matches the competition item a bid write checks, and no other partition', () => {
    const pattern = leadingKeyPattern(COMPETITIONS_ONLY);
    expect(stringLike(pattern, procurementKeys.competition('comp-1').pk)).toBe(true);
    expect(stringLike(pattern, 'OPEN#2026-11-22')).toBe(false);
  });

  it.each([
    ['bidder', bidderFacing, bidderRole],
    ['applicant', applicantFacing, applicantRole],
  ] as const)(
    'lets the %s-facing function assume its role (with the session tag) and nothing else, with no table grant of its own',
    (_kind, fn, role) => {
      const sts = statementsOfRole(template, roleIdOf(fn)).filter((s) =>
        s.actions.some((a) => a.startsWith('sts:')),
      );
      expect(sts).toEqual([
        {
          actions: ['sts:AssumeRole', 'sts:TagSession'],
          resources: [stack.resolve(role.roleArn)],
          negated: false,
        },
      ]);
      expect(grantsOf(fn).tables.size).toBe(0);
      expect(grantsOf(fn).indexes.size).toBe(0);
    },
  );

  it('gives the function the role ARN and the names of the tables the role reaches', () => {
    const variables = variablesOf(bidderFacing);
    expect(variables.PROVIDER_DATA_ROLE_ARN).toEqual(stack.resolve(bidderRole.roleArn));
    expect(
      Object.keys(variables)
        .filter((name) => name.endsWith('_TABLE_NAME'))
        .sort(),
    ).toEqual([
      'AUDIT_TABLE_NAME',
      'OUTBOX_TABLE_NAME',
      'PROCUREMENT_TABLE_NAME',
      'REGISTRY_TABLE_NAME',
      'SEALED_TABLE_NAME',
    ]);
  });
});

describe('ProviderDataRole for applicants', () => {
  const roleId = stack.getLogicalId(applicantRole.node.defaultChild as CfnElement);

  it("grants PutItem of the applicant's own response and connection markers, blind, competition checks and blind audit appends, nothing else", () => {
    const grants = dynamoGrantsOf(stack, template, roleId, tables);
    expect(grantsByCondition(grants, 'sealed')).toEqual({
      [conditionKey({ ...OWN_RESPONSES_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey({ ...OWN_PARTICIPATION_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey({ ...CONNECTED_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
      [conditionKey(RECEIVED_AGREEMENTS)]: ['dynamodb:GetItem'],
    });
    expect(grantsByCondition(grants, 'procurement')).toEqual({
      [conditionKey({ ...COMPETITIONS_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:ConditionCheckItem'],
    });
    expect(grantsByCondition(grants, 'audit')).toEqual({
      [conditionKey({ ...AUDIT_PENDING_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
    });
    expect(grantsByCondition(grants, 'outbox')).toEqual({
      [conditionKey({ ...TAKING_PART_ONLY, ...NO_RETURN_VALUES })]: ['dynamodb:PutItem'],
    });
    expect([...grants.tables.keys()].sort()).toEqual(['audit', 'outbox', 'procurement', 'sealed']);
    expect(grants.indexes.size).toBe(0);
    expect(grants.elsewhere).toEqual([]);
  });

  it("the own-responses condition, with the session tag in place, matches that applicant's response and nothing else", () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
    const pattern = leadingKeyPattern(OWN_RESPONSES_ONLY).replace('${aws:PrincipalTag/providerId}', 'prov-1');
    expect(stringLike(pattern, sealedKeys.response('comp-1', 'prov-1').pk)).toBe(true);
    for (const key of [
      sealedKeys.response('comp-1', 'prov-2'),
      sealedKeys.response('comp-1', 'xprov-1'),
      sealedKeys.partition('comp-1'),
      sealedKeys.mark('comp-1', 'prov-1', 'e1'),
      sealedKeys.bidHead('comp-1', 'prov-1'),
      sealedKeys.connected('comp-1', 'prov-1'),
    ])
      expect(stringLike(pattern, key.pk), key.pk).toBe(false);
  });
});
