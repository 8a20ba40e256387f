/**
 * Against DynamoDB Local, with the audit sequencer reading the audit table's stream: events are written
 * pending with their change and chained once, in order; verification compares the chain with its head,
 * re-checks the stored items against the digests their changes recorded, and pages from checkpoints.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StreamReader } from '../../local/streams';
import { config } from '../../shared/config';
import { createAuditRepository, type TransactItem } from '../../shared/db/audit';
import { documentClient } from '../../shared/db/client';
import { auditKeys } from '../../shared/db/keys';
import type { AuditEventDraft } from '../../shared/domain/audit';
import { ValidationError } from '../../shared/domain/errors';
import { startTestSequencer } from '../support/audit';

const tables = () => config().tables;
const audit = () =>
  createAuditRepository({ client: documentClient(), tableName: tables().audit, tables: tables() });
let sequencer: StreamReader;

beforeAll(async () => {
  sequencer = await startTestSequencer();
});

afterAll(async () => {
  await sequencer.stop();
});

const draft = (n: number, action = 'test.change'): AuditEventDraft => ({
  at: new Date().toISOString(),
  actor: `user-${n}`,
  action,
  resource: `competitions/C/${n}`,
  outcome: 'allowed',
});

/** A score item of competition `id` in the sealed table, as a change would put it. */
const scorePut = (id: string, bidder: string, score: number): TransactItem => ({
  Put: {
    TableName: tables().sealed,
    Item: { pk: `COMP#${id}`, sk: `SCORE#${bidder}#evaluator`, entity: 'score', scores: { quality: score } },
  },
});

async function allEntries(id: string) {
  const entries = [];
  let cursor: string | undefined;
  do {
    const page = await audit().page(id, 7, cursor);
    entries.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return entries;
}

describe('writing and chaining', () => {
  it('accepts 30 simultaneous writes on one competition, then chains each exactly once, in order', async () => {
    const id = 'CHAIN-RACE';
    const written = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        audit().append(id, draft(i), { items: [scorePut(id, `B${i}`, 3)] }),
      ),
    );
    expect(written).toHaveLength(30);
    await sequencer.drain();
    const entries = await allEntries(id);
    expect(entries.map((e) => e.chained)).toEqual(Array(30).fill(true));
    expect(entries.map((e) => ('seq' in e ? e.seq : 0))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.id)).size).toBe(30);
    expect(new Set(entries.map((e) => e.id))).toEqual(new Set(written.map((w) => w.id)));
    expect(await audit().verify(id)).toEqual({
      valid: true,
      events: 30,
      chained: 30,
      pending: 0,
      complete: true,
    });
  });

  it('chains nothing twice when a stream record is delivered again', async () => {
    const id = 'CHAIN-REDELIVERED';
    const first = await audit().append(id, draft(1));
    await audit().append(id, draft(2));
    await sequencer.drain();
    // What a redelivered record makes the sequencer do, through a new repository (no cached head).
    expect(await audit().chain(first)).toBe('already-chained');
    expect(await audit().verify(id)).toMatchObject({ valid: true, events: 2, pending: 0 });
  });
});

describe('verification against the head', () => {
  it('finds the last event removed, then every event removed, then the head removed too', async () => {
    const id = 'CHAIN-TRUNCATED';
    for (let i = 0; i < 4; i += 1) await audit().append(id, draft(i));
    await sequencer.drain();
    expect(await audit().verify(id)).toMatchObject({ valid: true, events: 4 });
    const client = documentClient();
    await client.send(new DeleteCommand({ TableName: tables().audit, Key: auditKeys.event(id, 4) }));
    expect(await audit().verify(id)).toMatchObject({
      valid: false,
      events: 3,
      firstInvalidSeq: 4,
      problem: 'missing-events',
    });
    for (const seq of [1, 2, 3]) {
      await client.send(new DeleteCommand({ TableName: tables().audit, Key: auditKeys.event(id, seq) }));
    }
    expect(await audit().verify(id)).toMatchObject({ valid: false, events: 0, problem: 'missing-events' });
    await client.send(new DeleteCommand({ TableName: tables().audit, Key: auditKeys.head(id) }));
    expect(await audit().verify(id)).toMatchObject({ valid: false, problem: 'empty' });
  });

  it('finds a head that does not end the chain it heads', async () => {
    const id = 'CHAIN-ROLLED-BACK';
    for (let i = 0; i < 3; i += 1) await audit().append(id, draft(i));
    await sequencer.drain();
    await documentClient().send(
      new DeleteCommand({ TableName: tables().audit, Key: auditKeys.event(id, 3) }),
    );
    await documentClient().send(
      new PutCommand({
        TableName: tables().audit,
        Item: { ...auditKeys.head(id), entity: 'audit-head', seq: 2, hash: '3'.repeat(64) },
      }),
    );
    expect(await audit().verify(id)).toMatchObject({ valid: false, firstInvalidSeq: 2, problem: 'head' });
  });
});

describe('digests of the data changed', () => {
  it('finds a stored score edited after its change was recorded, and not a later recorded change', async () => {
    const id = 'CHAIN-DATA';
    await audit().append(id, draft(1, 'competition.create'));
    await audit().append(id, draft(2, 'scores.record'), {
      items: [scorePut(id, 'B1', 3), scorePut(id, 'B2', 4)],
    });
    await audit().append(id, draft(3, 'scores.record'), { items: [scorePut(id, 'B1', 2)] });
    await sequencer.drain();
    expect(await audit().verify(id)).toMatchObject({ valid: true, events: 3 });
    // B2's score, recorded by event 2, edited in the table.
    await documentClient().send(
      new UpdateCommand({
        TableName: tables().sealed,
        Key: { pk: `COMP#${id}`, sk: 'SCORE#B2#evaluator' },
        UpdateExpression: 'SET scores.quality = :five',
        ExpressionAttributeValues: { ':five': 5 },
      }),
    );
    expect(await audit().verify(id)).toMatchObject({ valid: false, firstInvalidSeq: 2, problem: 'data' });
    // Put back as recorded, it verifies again; B1's score deleted: its last change (event 3) recorded a
    // score, not a deletion.
    await documentClient().send(
      new PutCommand({ TableName: tables().sealed, Item: scorePut(id, 'B2', 4).Put?.Item }),
    );
    expect(await audit().verify(id)).toMatchObject({ valid: true });
    await documentClient().send(
      new DeleteCommand({ TableName: tables().sealed, Key: { pk: `COMP#${id}`, sk: 'SCORE#B1#evaluator' } }),
    );
    expect(await audit().verify(id)).toMatchObject({ valid: false, firstInvalidSeq: 3, problem: 'data' });
  });

  it('finds the record of an item’s last change rolled back to an earlier one', async () => {
    const id = 'CHAIN-DATA-ROLLBACK';
    await audit().append(id, draft(1), { items: [scorePut(id, 'B1', 1)] });
    await audit().append(id, draft(2), { items: [scorePut(id, 'B1', 4)] });
    await sequencer.drain();
    const key = JSON.stringify(['sealed', { pk: `COMP#${id}`, sk: 'SCORE#B1#evaluator' }]);
    const first = (
      await documentClient().send(new GetCommand({ TableName: tables().audit, Key: auditKeys.event(id, 1) }))
    ).Item;
    // The score put back to its first value, and the last-digest record with it.
    await documentClient().send(
      new PutCommand({ TableName: tables().sealed, Item: scorePut(id, 'B1', 1).Put?.Item }),
    );
    await documentClient().send(
      new PutCommand({
        TableName: tables().audit,
        Item: {
          ...auditKeys.data(id, key),
          entity: 'audit-data',
          seq: 1,
          digest: (first?.changes as { digest: string }[] | undefined)?.[0]?.digest,
        },
      }),
    );
    expect(await audit().verify(id)).toMatchObject({ valid: false, firstInvalidSeq: 2, problem: 'data' });
  });
});

describe('bounded verification', () => {
  it('verifies a long chain page by page from checkpoints, reporting progress', async () => {
    const id = 'CHAIN-LONG';
    for (let i = 0; i < 25; i += 1)
      await audit().append(id, draft(i), { items: [scorePut(id, `B${i % 4}`, i % 5)] });
    await sequencer.drain();
    const answers = [];
    let checkpoint: string | undefined;
    do {
      const answer = await audit().verify(id, { checkpoint, limit: 10 });
      answers.push(answer);
      checkpoint = answer.checkpoint;
    } while (checkpoint);
    expect(answers.map((a) => [a.valid, a.events, a.chained, a.complete])).toEqual([
      [true, 10, 25, false],
      [true, 20, 25, false],
      [true, 25, 25, true],
    ]);
    await expect(audit().verify(id, { checkpoint: 'bm90LWEtY2hlY2twb2ludA' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    // A checkpoint naming a position the chain never had does not verify.
    const forged = Buffer.from(JSON.stringify({ v: 1, seq: 20, hash: 'a'.repeat(64) })).toString('base64url');
    expect(await audit().verify(id, { checkpoint: forged })).toMatchObject({
      valid: false,
      firstInvalidSeq: 20,
    });
  });
});

describe('pending events', () => {
  it('shows events not chained yet after the chained ones, and counts them without calling the chain broken', async () => {
    const id = 'CHAIN-PENDING';
    await audit().append(id, draft(1), { items: [scorePut(id, 'B1', 1)] });
    await sequencer.drain();
    await sequencer.stop();
    try {
      // The sequencer is stopped: this change and its event are written, the event waits to be chained.
      await audit().append(id, draft(2, 'scores.record'), { items: [scorePut(id, 'B1', 2)] });
      const entries = await allEntries(id);
      expect(entries.map((e) => [e.action, e.chained])).toEqual([
        ['test.change', true],
        ['scores.record', false],
      ]);
      expect(entries[1]).not.toHaveProperty('seq');
      // The stored score matches the pending change, not the chained one: no false alarm.
      expect(await audit().verify(id)).toEqual({
        valid: true,
        events: 1,
        chained: 1,
        pending: 1,
        complete: true,
      });
    } finally {
      sequencer = await startTestSequencer();
    }
    await sequencer.drain();
    expect(await audit().verify(id)).toEqual({
      valid: true,
      events: 2,
      chained: 2,
      pending: 0,
      complete: true,
    });
  });
});
