import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AuditEvent, chainEvent, GENESIS_HASH, hashEvent, verifyChain } from '../../shared/domain/audit';

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
    expect(verifyChain('C1', events)).toEqual({ valid: true, events: 3 });
    expect(verifyChain('C1', [])).toEqual({ valid: true, events: 0 });
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
          const result = verifyChain('C1', tampered);
          // Removing the very last event leaves a valid (shorter) chain: the count shows it.
          if (kind === 'remove' && i === length - 1)
            expect(result).toEqual({ valid: true, events: length - 1 });
          else expect(result.valid).toBe(false);
        },
      ),
    );
  });

  it('refuses events of another competition', () => {
    expect(verifyChain('C2', chain(2)).valid).toBe(false);
  });
});
