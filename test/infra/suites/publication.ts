/**
 * The OCDS publication (issue 16) on the synthesized template: the public feed function reads the
 * `publication` table (and its record index) and nothing else – no table where inside information lives –
 * and never writes; the functions whose use cases publish releases can write the publication table, and
 * the rest cannot. Spelled out here, apart from the generic least-privilege suite, because the wall's second
 * layer for the feed rests on it.
 */
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import type { TableName } from '../../../shared/db/table-names';
import { FUNCTIONS, type FunctionDefinition, type FunctionId } from '../../../shared/http/routes';
import { dynamoGrantsOf, grantsByCondition, UNCONDITIONED } from '../iam';
import type { Synthesized } from '../synth';

/** The functions whose use cases write releases with their changes. */
const PUBLISHERS: FunctionId[] = [
  'competitions',
  'challenges',
  'questions',
  'evaluation',
  'contracts',
  // A new version of a published competition's document, made current by its confirmation (issue 16).
  'documentConfirmations',
  'webCommissioning',
  'webEvaluation',
  'webContracts',
];

const WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];

/** Declares the publication tests against a synthesized app. */
export function publicationSuite(synth: Synthesized): void {
  const { stateless, statelessTemplate, stateful } = synth;
  const definitions: Record<FunctionId, FunctionDefinition> = FUNCTIONS;
  const ids = Object.keys(definitions) as FunctionId[];
  const grantsOf = (id: FunctionId) => {
    const role = stateless.functions[id].role;
    if (!role) throw new Error(`Function ${id} has no role`);
    return dynamoGrantsOf(
      stateless,
      statelessTemplate,
      stateless.getLogicalId(role.node.defaultChild as CfnElement),
      stateful.tables,
    );
  };

  describe('the OCDS publication', () => {
    it('the feed function reads the publication table and its record index, and nothing else', () => {
      const grants = grantsOf('publication');
      expect([...grants.tables.keys()]).toEqual(['publication']);
      expect(grantsByCondition(grants, 'publication')).toEqual({
        [UNCONDITIONED]: [
          'dynamodb:BatchGetItem',
          'dynamodb:ConditionCheckItem',
          'dynamodb:GetItem',
          'dynamodb:Query',
        ],
      });
      expect([...grants.indexes.keys()]).toEqual(['publication/index/gsi1']);
      expect(grantsByCondition(grants, 'publication/index/gsi1')).toEqual({
        [UNCONDITIONED]: ['dynamodb:Query'],
      });
      expect(grants.elsewhere).toEqual([]);
      expect(definitions.publication.facing).toBe('public');
    });

    it('only the functions that publish releases can write them', () => {
      const writers = ids.filter((id) => {
        const actions = grantsOf(id).tables.get('publication' satisfies TableName) ?? new Set<string>();
        return WRITES.some((action) => actions.has(action)) || actions.has('dynamodb:*') || actions.has('*');
      });
      expect(writers.sort()).toEqual([...PUBLISHERS].sort());
    });
  });
}
