/**
 * The test IAM evaluator (`test/support/iam-simulator.ts`) that the bidder credentials tests rely on: it
 * must refuse what IAM refuses, and fail closed on policies it does not understand.
 */
import { describe, expect, it } from 'vitest';
import { OWN_PARTICIPATION_KEY } from '../../infra/table-access';
import { allows, itemRequests, type SimStatement, stringLike } from '../support/iam-simulator';

// biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, which IAM (not JavaScript) fills in
const OWN = 'BID#*#${aws:PrincipalTag/providerId}';
const statements: SimStatement[] = [
  {
    actions: ['dynamodb:GetItem', 'dynamodb:PutItem'],
    table: 'sealed',
    conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [OWN] } },
  },
  { actions: ['dynamodb:PutItem'], table: 'audit' },
];
const get = (pk: string, table = 'sealed') => ({ action: 'dynamodb:GetItem', table, leadingKeys: [pk] });

describe('stringLike', () => {
  it('treats * and ? as wildcards and everything else literally', () => {
    expect(stringLike('BID#*#A', 'BID#c1#A')).toBe(true);
    expect(stringLike('BID#*#A', 'BID#c1#B')).toBe(false);
    expect(stringLike('BID#*#A', 'BID#c1#XA')).toBe(false);
    expect(stringLike('?*', '')).toBe(false);
    expect(stringLike('?*', 'x')).toBe(true);
    expect(stringLike('a.b', 'axb')).toBe(false);
    expect(stringLike('(x)+', '(x)+')).toBe(true);
  });
});

describe('allows', () => {
  it('fills in the principal tag and matches the leading keys', () => {
    expect(allows(statements, get('BID#c1#A'), { providerId: 'A' })).toBe(true);
    expect(allows(statements, get('BID#c1#B'), { providerId: 'A' })).toBe(false);
  });

  it('refuses when the tag is missing, the action or table differs, or the keys are unknown', () => {
    expect(allows(statements, get('BID#c1#A'), {})).toBe(false);
    expect(allows(statements, { ...get('BID#c1#A'), action: 'dynamodb:Query' }, { providerId: 'A' })).toBe(
      false,
    );
    expect(allows(statements, get('BID#c1#A', 'procurement'), { providerId: 'A' })).toBe(false);
    expect(allows(statements, { ...get('x'), leadingKeys: undefined }, { providerId: 'A' })).toBe(false);
  });

  it('needs every leading key to match under ForAllValues', () => {
    const both = { action: 'dynamodb:GetItem', table: 'sealed', leadingKeys: ['BID#c1#A', 'BID#c1#B'] };
    expect(allows(statements, both, { providerId: 'A' })).toBe(false);
  });

  it('applies unconditioned statements to any key of their table', () => {
    expect(allows(statements, { ...get('ANY', 'audit'), action: 'dynamodb:PutItem' }, {})).toBe(true);
  });

  it('applies StringEqualsIfExists on return values: absent or allowed passes, anything else is refused', () => {
    const blind: SimStatement[] = [
      {
        actions: ['dynamodb:PutItem'],
        table: 'audit',
        conditions: { StringEqualsIfExists: { 'dynamodb:ReturnValues': ['NONE'] } },
      },
    ];
    const put = { action: 'dynamodb:PutItem', table: 'audit', leadingKeys: ['AUDIT#1'] };
    expect(allows(blind, put, {})).toBe(true);
    expect(allows(blind, { ...put, returnValues: 'NONE' }, {})).toBe(true);
    expect(allows(blind, { ...put, returnValues: 'ALL_OLD' }, {})).toBe(false);
    const strict: SimStatement[] = [
      { ...blind[0], conditions: { StringEquals: { 'dynamodb:ReturnValues': ['NONE'] } } } as SimStatement,
    ];
    expect(allows(strict, { ...put, returnValues: 'NONE' }, {})).toBe(false);
  });

  it('fails closed on an operator or condition key it does not know', () => {
    const odd: SimStatement[] = [
      {
        actions: ['dynamodb:GetItem'],
        table: 'sealed',
        conditions: { StringNotLike: { 'dynamodb:LeadingKeys': ['X'] } },
      },
      {
        actions: ['dynamodb:GetItem'],
        table: 'sealed',
        conditions: { StringLike: { 'aws:SourceIp': ['*'] } },
      },
    ];
    expect(allows(odd, get('BID#c1#A'), { providerId: 'A' })).toBe(false);
  });
});

describe('itemRequests', () => {
  it('splits a transaction into its item actions with their partition keys', () => {
    expect(
      itemRequests('TransactWriteItems', {
        TransactItems: [
          { ConditionCheck: { TableName: 'p', Key: { pk: { S: 'COMP#1' }, sk: { S: 'META' } } } },
          { Put: { TableName: 's', Item: { pk: { S: 'BID#1#A' }, sk: { S: 'DRAFT' } } } },
          { Update: { TableName: 's', Key: { pk: { S: 'X' } } } },
          { Delete: { TableName: 's', Key: { pk: { S: 'Y' } } } },
        ],
      }),
    ).toEqual([
      { action: 'dynamodb:ConditionCheckItem', table: 'p', leadingKeys: ['COMP#1'] },
      { action: 'dynamodb:PutItem', table: 's', leadingKeys: ['BID#1#A'] },
      { action: 'dynamodb:UpdateItem', table: 's', leadingKeys: ['X'] },
      { action: 'dynamodb:DeleteItem', table: 's', leadingKeys: ['Y'] },
    ]);
  });

  it('reports the return values a write asks for, including on condition check failure', () => {
    expect(
      itemRequests('PutItem', { TableName: 's', Item: { pk: { S: 'K' } }, ReturnValues: 'ALL_OLD' }),
    ).toEqual([{ action: 'dynamodb:PutItem', table: 's', leadingKeys: ['K'], returnValues: 'ALL_OLD' }]);
    expect(
      itemRequests('TransactWriteItems', {
        TransactItems: [
          {
            ConditionCheck: {
              TableName: 'p',
              Key: { pk: { S: 'COMP#1' } },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            },
          },
        ],
      }),
    ).toEqual([
      { action: 'dynamodb:ConditionCheckItem', table: 'p', leadingKeys: ['COMP#1'], returnValues: 'ALL_OLD' },
    ]);
  });

  it('reads keys of single-item and batch reads; queries have no known keys', () => {
    expect(itemRequests('GetItem', { TableName: 's', Key: { pk: { S: 'K' } } })).toEqual([
      { action: 'dynamodb:GetItem', table: 's', leadingKeys: ['K'] },
    ]);
    expect(
      itemRequests('BatchGetItem', {
        RequestItems: { s: { Keys: [{ pk: { S: 'K1' } }, { pk: { S: 'K2' } }] } },
      }),
    ).toEqual([{ action: 'dynamodb:BatchGetItem', table: 's', leadingKeys: ['K1', 'K2'] }]);
    expect(itemRequests('Query', { TableName: 's' })).toEqual([
      { action: 'dynamodb:Query', table: 's', leadingKeys: undefined },
    ]);
  });

  it('reads the partition a Query of a table names in its key condition, as IAM does; not an index’s', () => {
    const query = (extra: Record<string, unknown>) =>
      itemRequests('Query', {
        TableName: 's',
        ExpressionAttributeValues: { ':pk': { S: 'TAKING#A' } },
        ...extra,
      });
    expect(query({ KeyConditionExpression: 'pk = :pk' })[0]?.leadingKeys).toEqual(['TAKING#A']);
    expect(query({ KeyConditionExpression: 'pk = :pk AND sk < :before' })[0]?.leadingKeys).toEqual([
      'TAKING#A',
    ]);
    expect(
      query({ KeyConditionExpression: '#p = :pk', ExpressionAttributeNames: { '#p': 'pk' } })[0]?.leadingKeys,
    ).toEqual(['TAKING#A']);
    expect(query({ KeyConditionExpression: 'sk = :pk' })[0]?.leadingKeys).toBeUndefined();
    expect(
      query({ KeyConditionExpression: 'gsi1pk = :pk', IndexName: 'gsi1' })[0]?.leadingKeys,
    ).toBeUndefined();
    // Judged under a leading-keys condition like any other item action.
    const statements: SimStatement[] = [
      {
        actions: ['dynamodb:Query'],
        table: 's',
        conditions: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': [OWN_PARTICIPATION_KEY],
          },
        },
      },
    ];
    const [own] = query({ KeyConditionExpression: 'pk = :pk' });
    expect(own && allows(statements, own, { providerId: 'A' })).toBe(true);
    expect(own && allows(statements, own, { providerId: 'B' })).toBe(false);
  });
});
