/**
 * `ServiceFunction.bindTable` for every access level, including those no function in the route table uses
 * yet (write, readWrite, append, appendBlind, bidder and the idempotency store), so the grants are proven
 * before a function relies on them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { afterAll, describe, expect, it } from 'vitest';
import { ServiceFunction } from '../../infra/constructs/service-function';
import { StatefulStack } from '../../infra/stacks/stateful-stack';
import { auditKeys, sealedKeys } from '../../shared/db/keys';
import type { TableAccess } from '../../shared/http/routes';
import { conditionKey, dynamoGrantsOf, grantsByCondition, statementsOfRole, UNCONDITIONED } from './iam';
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

const levels: TableAccess[] = ['read', 'write', 'readWrite', 'append', 'appendBlind', 'bidder'];
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

// `bidder` alone on the sealed table (which has an index, gsi1), as the bidder-facing function uses it.
const bidderOnly = makeFunction('BidderOnlyFn');
bidderOnly.bindTable(tables.sealed, 'bidder');

const template = Template.fromStack(stack);
const roleIdOf = (fn: ServiceFunction) => stack.getLogicalId(fn.role?.node.defaultChild as CfnElement);
const grantsOf = (fn: ServiceFunction) => dynamoGrantsOf(stack, template, roleIdOf(fn), tables);
const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();
const variablesOf = (fn: ServiceFunction) =>
  template.findResources('AWS::Lambda::Function')[stack.getLogicalId(fn.node.defaultChild as CfnElement)]
    ?.Properties?.Environment?.Variables as Record<string, unknown>;

const REGISTRY_INDEXES = ['gsi1', 'gsi2', 'gsi3', 'gsi4'].map((name) => `registry/index/${name}`);

/** The condition `appendBlind` puts on GetItem, written out as IAM reads it. */
const AUDIT_HEADS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['AUDITHEAD#*'] } };

/** The condition `bidder` puts on GetItem and PutItem of bid items: bid partitions only. */
const BIDS_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['BID#*'] } };

/** The condition `bidder` puts on its other PutItem: connection markers only. */
const CONNECTED_ONLY = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['CONNECTED#*'] } };

/** The one `dynamodb:LeadingKeys` pattern of a condition written as above. */
function leadingKeyPattern(condition: typeof BIDS_ONLY): string {
  const [pattern, ...rest] = condition['ForAllValues:StringLike']['dynamodb:LeadingKeys'];
  if (!pattern || rest.length > 0) throw new Error('expected exactly one pattern');
  return pattern;
}

/** IAM `StringLike`: `*` any run of characters, `?` any one character, the rest literal. */
function stringLike(pattern: string, value: string): boolean {
  const literal = (text: string) => text.replace(/[\\^$.|+()[\]{}]/g, '\\$&');
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : literal(c)))
    .join('');
  return new RegExp(`^${source}$`).test(value);
}

describe('ServiceFunction.bindTable', () => {
  it.each([
    ['read', ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'Query']],
    ['write', ['ConditionCheckItem', 'DeleteItem', 'PutItem', 'UpdateItem']],
    [
      'readWrite',
      ['BatchGetItem', 'ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    ],
    ['append', ['ConditionCheckItem', 'GetItem', 'PutItem', 'Query']],
  ] as const)('%s grants exactly %j on the table, with no condition', (level, actions) => {
    const grants = grantsOf(byLevel[level]);
    const expected = { [UNCONDITIONED]: actions.map((action) => `dynamodb:${action}`) };
    expect(grantsByCondition(grants, 'registry')).toEqual(expected);
    expect(grantsByCondition(grants, 'audit')).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it('appendBlind grants PutItem outright and GetItem only on audit chain heads, nothing else', () => {
    const grants = grantsOf(byLevel.appendBlind);
    const expected = {
      [UNCONDITIONED]: ['dynamodb:PutItem'],
      [conditionKey(AUDIT_HEADS_ONLY)]: ['dynamodb:GetItem'],
    };
    expect(grantsByCondition(grants, 'registry')).toEqual(expected);
    expect(grantsByCondition(grants, 'audit')).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it('appendBlind is two statements on the table ARN, the GetItem one with the LeadingKeys condition as written', () => {
    const statements = statementsOfRole(template, roleIdOf(blindOnly)).filter((statement) =>
      statement.actions.some((action) => action.startsWith('dynamodb:')),
    );
    const auditArn = stack.resolve(tables.audit.tableArn);
    expect(statements).toEqual([
      { actions: ['dynamodb:PutItem'], resources: [auditArn], negated: false },
      { actions: ['dynamodb:GetItem'], resources: [auditArn], condition: AUDIT_HEADS_ONLY, negated: false },
    ]);
  });

  it('the heads-only condition matches chain heads and no other key of the audit table', () => {
    const pattern = leadingKeyPattern(AUDIT_HEADS_ONLY);
    expect(stringLike(pattern, auditKeys.head('comp-1').pk)).toBe(true);
    expect(stringLike(pattern, auditKeys.event('comp-1', 1).pk)).toBe(false);
    expect(stringLike(pattern, auditKeys.alert('2025-01-01T00:00:00Z', 'a').pk)).toBe(false);
    expect(stringLike(pattern, auditKeys.alerts().pk)).toBe(false);
  });

  it('bidder grants GetItem and PutItem only on bid partitions, PutItem only on connection markers, nothing else', () => {
    const grants = grantsOf(byLevel.bidder);
    const expected = {
      [conditionKey(BIDS_ONLY)]: ['dynamodb:GetItem', 'dynamodb:PutItem'],
      [conditionKey(CONNECTED_ONLY)]: ['dynamodb:PutItem'],
    };
    expect(grantsByCondition(grants, 'registry')).toEqual(expected);
    expect(grantsByCondition(grants, 'audit')).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it('bidder is two statements on the table ARN, each with its own LeadingKeys condition as written, and no index', () => {
    const statements = statementsOfRole(template, roleIdOf(bidderOnly)).filter((statement) =>
      statement.actions.some((action) => action.startsWith('dynamodb:')),
    );
    const sealedArn = stack.resolve(tables.sealed.tableArn);
    // Two statements, not one with both patterns: that one would let GetItem read connection markers.
    expect(statements).toEqual([
      {
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        resources: [sealedArn],
        condition: BIDS_ONLY,
        negated: false,
      },
      { actions: ['dynamodb:PutItem'], resources: [sealedArn], condition: CONNECTED_ONLY, negated: false },
    ]);
    expect(grantsOf(bidderOnly).indexes.size).toBe(0);
    expect(Object.keys(variablesOf(bidderOnly)).filter((name) => name.endsWith('_TABLE_NAME'))).toEqual([
      'SEALED_TABLE_NAME',
    ]);
  });

  it('the bids-only condition matches bid items and no connection marker or evaluation item', () => {
    const pattern = leadingKeyPattern(BIDS_ONLY);
    for (const key of [
      sealedKeys.bidPartition('comp-1', 'prov-1'),
      sealedKeys.bidDraft('comp-1', 'prov-1'),
      sealedKeys.bidHead('comp-1', 'prov-1'),
      sealedKeys.bidVersion('comp-1', 'prov-1', 3),
      sealedKeys.debrief('comp-1', 'prov-1'),
    ]) {
      expect(stringLike(pattern, key.pk), key.pk).toBe(true);
    }
    for (const key of [
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
    const expected = ['write', 'appendBlind', 'bidder'].includes(level) ? [] : REGISTRY_INDEXES;
    expect([...grants.indexes.keys()].sort()).toEqual(expected);
    for (const index of grants.indexes.keys()) {
      expect(grantsByCondition(grants, index)).toEqual({ [UNCONDITIONED]: ['dynamodb:Query'] });
    }
  });

  it.each(['append', 'appendBlind', 'bidder'] as const)(
    '%s never allows changing or removing an item',
    (level) => {
      const audit = grantsOf(byLevel[level]).tables.get('audit') ?? new Set();
      for (const forbidden of ['UpdateItem', 'DeleteItem', 'BatchWriteItem']) {
        expect(audit.has(`dynamodb:${forbidden}`)).toBe(false);
      }
    },
  );

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
