/**
 * The audit sequencer's handler, given stream batches by hand (no stream reader here), against DynamoDB
 * Local: it chains pending events in order, ignores every other record, reports a failed record and holds
 * back the later records of the same competition (never chaining them ahead of it), and chains nothing
 * twice when a batch is delivered again.
 */
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/audit/sequencer';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { auditKeys } from '../../shared/db/keys';
import { auditRepository } from '../../shared/db/repositories';
import type { PendingAuditEvent } from '../../shared/domain/audit';
import { lambdaContext } from '../support/events';
import { useTestTables } from '../support/tables';

beforeAll(async () => {
  await useTestTables();
});

let sequence = 0;

/** The stream record of a pending event's INSERT, as Lambda delivers it. */
async function insertRecord(pending: PendingAuditEvent): Promise<DynamoDBRecord> {
  const stored = await documentClient().send(
    new GetCommand({
      TableName: config().tables.audit,
      Key: auditKeys.pending(pending.competitionId, pending.id),
    }),
  );
  sequence += 1;
  return {
    eventName: 'INSERT',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall(auditKeys.pending(pending.competitionId, pending.id)) as never,
      NewImage: marshall(stored.Item ?? {}, { removeUndefinedValues: true }) as never,
      SequenceNumber: String(sequence).padStart(21, '0'),
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

const write = (competitionId: string, action: string) =>
  auditRepository().append(competitionId, {
    at: new Date().toISOString(),
    actor: 'someone',
    action,
    resource: `competitions/${competitionId}/x`,
    outcome: 'allowed',
  });

const run = (records: DynamoDBRecord[]) =>
  handler({ Records: records } as DynamoDBStreamEvent, lambdaContext());

async function actions(competitionId: string): Promise<string[]> {
  const page = await auditRepository().page(competitionId, 100, undefined);
  // Events written by a change have an id (the blocker below has none).
  return page.items
    .filter((e) => e.id !== undefined)
    .map((e) => `${e.action}${e.chained ? '' : ' (pending)'}`);
}

describe('the sequencer handler', () => {
  it('holds back the later events of a competition whose event failed, chains the others, then catches up in order', async () => {
    const [x1, y1, x2] = [
      await write('SEQ-X', 'first'),
      await write('SEQ-Y', 'only'),
      await write('SEQ-X', 'second'),
    ];
    // Something in the way of X's first chained event: chaining it fails until it is gone.
    const blocker = { ...auditKeys.event('SEQ-X', 1), entity: 'audit-event', note: 'in the way' };
    await documentClient().send(new PutCommand({ TableName: config().tables.audit, Item: blocker }));
    const records = [await insertRecord(x1), await insertRecord(y1), await insertRecord(x2)];
    const other: DynamoDBRecord = {
      eventName: 'REMOVE',
      dynamodb: { Keys: marshall(auditKeys.pending('SEQ-Z', 'gone')) as never, SequenceNumber: '9' },
    };

    const first = await run([...records, other]);
    expect(first.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([
      records[0]?.dynamodb?.SequenceNumber,
      records[2]?.dynamodb?.SequenceNumber,
    ]);
    expect(await actions('SEQ-Y')).toEqual(['only']);
    expect(await actions('SEQ-X')).toEqual(['first (pending)', 'second (pending)']);

    await documentClient().send(
      new DeleteCommand({ TableName: config().tables.audit, Key: auditKeys.event('SEQ-X', 1) }),
    );
    // Lambda retries from the first failed record, with every record after it: Y's again too.
    const retried = await run(records.slice(0));
    expect(retried.batchItemFailures).toEqual([]);
    expect(await actions('SEQ-X')).toEqual(['first', 'second']);
    expect(await actions('SEQ-Y')).toEqual(['only']);
    expect(await auditRepository().verify('SEQ-X')).toMatchObject({ valid: true, events: 2, pending: 0 });
    expect(await auditRepository().verify('SEQ-Y')).toMatchObject({ valid: true, events: 1, pending: 0 });
  });
});
