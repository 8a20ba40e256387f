import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AuditEvent,
  chainEvent,
  chainVerifier,
  GENESIS_HASH,
  hashEvent,
  itemDigest,
  verifyChain,
} from '../../shared/domain/audit';

const draft = (n: number) => ({
  at: new Date(1_800_000_000_000 + n * 1000).toISOString(),
  actor: `user-${n % 3}`,
  action: n % 2 === 0 ? 'bids.read' : 'competition.publish',
  resource: `competition/C1/${n}`,
  outcome: (n % 5 === 0 ? 'denied' : 'allowed') as 'allowed' | 'denied',
  ...(n % 5 === 0 ? { reason: '/problems/ethical-wall' } : {}),
});

function chain(length: number): AuditEvent[] {
  const events: AuditEvent[] = [];
  for (let i = 0; i < length; i += 1) events.push(chainEvent('C1', events[events.length - 1], draft(i)));
  return events;
}

describe('audit chain', () => {
  it('starts from the genesis hash and links each event to the one before', () => {
    const events = chain(3);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[0]?.prevHash).toBe(GENESIS_HASH);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[2]?.prevHash).toBe(events[1]?.hash);
    expect(verifyChain('C1', events, events[2])).toEqual({ valid: true, events: 3 });
    expect(verifyChain('C1', [], undefined)).toEqual({ valid: true, events: 0 });
  });

  it('hashes every field', () => {
    const event = chain(2)[1];
    if (!event) throw new Error('no event');
    expect(event.outcome).toBe('allowed');
    for (const change of [
      { actor: 'someone-else' },
      { action: 'x' },
      { resource: 'y' },
      { outcome: 'denied' as const },
      { at: new Date(0).toISOString() },
      { reason: 'z' },
      { seq: 7 },
      { prevHash: '1'.repeat(64) },
      { competitionId: 'C2' },
    ]) {
      const { hash: _hash, ...rest } = { ...event, ...change };
      expect(hashEvent(rest), JSON.stringify(change)).not.toBe(event.hash);
    }
  });

  it('detects any edited, removed, reordered or inserted event', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.nat(),
        fc.constantFrom('edit', 'remove', 'swap', 'insert'),
        (length, at, kind) => {
          const events = chain(length);
          const i = at % length;
          const tampered = [...events];
          if (kind === 'edit') tampered[i] = { ...(tampered[i] as AuditEvent), actor: 'mallory' };
          if (kind === 'remove') tampered.splice(i, 1);
          if (kind === 'swap') {
            const j = (i + 1) % length;
            [tampered[i], tampered[j]] = [tampered[j] as AuditEvent, tampered[i] as AuditEvent];
          }
          if (kind === 'insert') tampered.splice(i, 0, chainEvent('C1', undefined, draft(99)));
          // The head is kept apart from the events, so removing the very last one is caught too.
          const result = verifyChain('C1', tampered, events[length - 1]);
          expect(result.valid).toBe(false);
        },
      ),
    );
  });

  it('refuses events of another competition', () => {
    const events = chain(2);
    expect(verifyChain('C2', events, events[1]).valid).toBe(false);
  });

  it('compares the end of the chain with its head: removing the last events, or all of them, is invalid', () => {
    const events = chain(5);
    const head = events[4];
    expect(verifyChain('C1', events.slice(0, 4), head)).toEqual({
      valid: false,
      events: 4,
      firstInvalidSeq: 5,
      problem: 'missing-events',
    });
    expect(verifyChain('C1', [], head)).toMatchObject({
      valid: false,
      firstInvalidSeq: 1,
      problem: 'missing-events',
    });
    // A head that does not match the last event (rewritten or rolled back), or no head under events.
    expect(verifyChain('C1', events, { seq: 5, hash: '1'.repeat(64) })).toMatchObject({
      valid: false,
      problem: 'head',
    });
    expect(verifyChain('C1', events, undefined)).toMatchObject({ valid: false, problem: 'head' });
  });

  it('resumes from a checkpoint and counts from the start of the chain', () => {
    const events = chain(6);
    const first = chainVerifier('C1');
    for (const event of events.slice(0, 3)) first.add(event);
    const checkpoint = first.position();
    const rest = chainVerifier('C1', checkpoint);
    for (const event of events.slice(3)) rest.add(event);
    rest.finish(events[5]);
    expect(rest.result()).toEqual({ valid: true, events: 6 });
    // A checkpoint that is not where the chain really was does not link.
    const forged = chainVerifier('C1', { seq: 3, hash: '2'.repeat(64) });
    forged.add(events[3] as AuditEvent);
    expect(forged.result()).toMatchObject({ valid: false, firstInvalidSeq: 4, problem: 'event' });
  });

  it('hashes the pending id and the digests of the data changed, when an event has them', () => {
    const changes = [
      { table: 'sealed', key: { pk: 'COMP#C1', sk: 'SCORE#B#u' }, digest: itemDigest({ score: 3 }) },
    ];
    const event = chainEvent('C1', undefined, { ...draft(1), id: '01JD0000000000000000000001', changes });
    const { hash: _hash, ...rest } = event;
    expect(hashEvent(rest)).toBe(event.hash);
    const edited = { ...rest, changes: [{ ...changes[0], digest: itemDigest({ score: 5 }) }] } as typeof rest;
    expect(hashEvent(edited)).not.toBe(event.hash);
    expect(hashEvent({ ...rest, id: '01JD0000000000000000000002' })).not.toBe(event.hash);
    // Events chained before ids and digests existed keep the hash they were stored with.
    const old = chainEvent('C1', undefined, draft(1));
    const fields = ['C1', 1, old.at, old.actor, old.action, old.resource, old.outcome, null, GENESIS_HASH];
    expect(old.hash).toBe(createHash('sha256').update(JSON.stringify(fields)).digest('hex'));
  });

  it('digests an item the same however it was built or read back', () => {
    const written = {
      pk: 'COMP#C1',
      sk: 'SCORE#B#u',
      scores: { quality: 3, price: 4 },
      note: undefined,
      tags: ['a'],
    };
    const readBack = { tags: ['a'], scores: { price: 4, quality: 3 }, sk: 'SCORE#B#u', pk: 'COMP#C1' };
    expect(itemDigest(written)).toBe(itemDigest(readBack));
    expect(itemDigest({ ...readBack, scores: { price: 4, quality: 5 } })).not.toBe(itemDigest(readBack));
  });
});
