/**
 * `ServiceFunction.bindTable` for every access level, including those no function in the route table uses
 * yet (write, readWrite, append and the idempotency store), so the grants are proven before a function
 * relies on them.
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
import type { TableAccess } from '../../shared/http/routes';
import { dynamoGrantsOf } from './iam';
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

const levels: TableAccess[] = ['read', 'write', 'readWrite', 'append'];
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

const template = Template.fromStack(stack);
const grantsOf = (fn: ServiceFunction) =>
  dynamoGrantsOf(stack, template, stack.getLogicalId(fn.role?.node.defaultChild as CfnElement), tables);
const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();

const REGISTRY_INDEXES = ['gsi1', 'gsi2', 'gsi3', 'gsi4'].map((name) => `registry/index/${name}`);

describe('ServiceFunction.bindTable', () => {
  it.each([
    ['read', ['BatchGetItem', 'ConditionCheckItem', 'GetItem', 'Query']],
    ['write', ['ConditionCheckItem', 'DeleteItem', 'PutItem', 'UpdateItem']],
    [
      'readWrite',
      ['BatchGetItem', 'ConditionCheckItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'],
    ],
    ['append', ['ConditionCheckItem', 'GetItem', 'PutItem', 'Query']],
  ] as const)('%s grants exactly %j on the table', (level, actions) => {
    const grants = grantsOf(byLevel[level]);
    const expected = actions.map((action) => `dynamodb:${action}`);
    expect(sorted(grants.tables.get('registry'))).toEqual(expected);
    expect(sorted(grants.tables.get('audit'))).toEqual(expected);
    expect(grants.elsewhere).toEqual([]);
  });

  it.each(levels)('%s grants Query on each index by name only when it reads', (level) => {
    const indexes = grantsOf(byLevel[level]).indexes;
    const expected = level === 'write' ? [] : REGISTRY_INDEXES;
    expect([...indexes.keys()].sort()).toEqual(expected);
    for (const actions of indexes.values()) expect(sorted(actions)).toEqual(['dynamodb:Query']);
  });

  it('append never allows changing or removing an item', () => {
    const audit = grantsOf(byLevel.append).tables.get('audit') ?? new Set();
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
    const logicalId = stack.getLogicalId(idempotent.node.defaultChild as CfnElement);
    const variables = template.findResources('AWS::Lambda::Function')[logicalId]?.Properties?.Environment
      ?.Variables as Record<string, unknown>;
    expect(Object.keys(variables)).toContain('IDEMPOTENCY_TABLE_NAME');
  });

  it('sets <LOGICAL>_TABLE_NAME for each bound table', () => {
    const logicalId = stack.getLogicalId(byLevel.read.node.defaultChild as CfnElement);
    const variables = template.findResources('AWS::Lambda::Function')[logicalId]?.Properties?.Environment
      ?.Variables as Record<string, unknown>;
    expect(
      Object.keys(variables)
        .filter((name) => name.endsWith('_TABLE_NAME'))
        .sort(),
    ).toEqual(['AUDIT_TABLE_NAME', 'REGISTRY_TABLE_NAME']);
  });
});
