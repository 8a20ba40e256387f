/**
 * The wall's read of connection markers fails closed (issue 12 review): when DynamoDB keeps leaving keys
 * unprocessed (throttling), `connectionsAmong` used to give up after five tries and answer from what it
 * had read, so a connected person whose marker was never read counted as unconnected, inside the wall.
 * DynamoDB Local never throttles, so this drives the repository with a client that always does.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createCompetitionRepository } from '../../shared/db/competitions';
import { IncompleteReadError } from '../../shared/db/errors';

/** A document client whose BatchGetItem serves the first key and leaves every other key unprocessed. */
function throttlingClient(calls: { keys: number }[]): DynamoDBDocumentClient {
  return {
    send: async (command: {
      input: { RequestItems: Record<string, { Keys: Record<string, string>[] }> };
    }) => {
      const [[table, { Keys }]] = Object.entries(command.input.RequestItems) as [
        [string, { Keys: Record<string, string>[] }],
      ];
      calls.push({ keys: Keys.length });
      const [first, ...rest] = Keys;
      const served = calls.length === 1 && first ? [{ ...first, providerId: first.sk, at: 'then' }] : [];
      return {
        Responses: { [table]: served },
        UnprocessedKeys: { [table]: { Keys: calls.length === 1 ? rest : Keys } },
      };
    },
  } as unknown as DynamoDBDocumentClient;
}

describe('connectionsAmong under throttling', () => {
  it('fails after its retries instead of answering from part of the markers', async () => {
    const calls: { keys: number }[] = [];
    const repo = createCompetitionRepository({
      client: throttlingClient(calls),
      procurementTable: 'procurement',
      sealedTable: 'sealed',
    });
    await expect(repo.connectionsAmong('COMP', ['P1', 'P2', 'P3'])).rejects.toBeInstanceOf(
      IncompleteReadError,
    );
    expect(calls.map((c) => c.keys)).toEqual([3, 2, 2, 2, 2]);
  });
});
