/**
 * The outbox's pure rules (issue 17): an event's bounds, and who gets what — a user's master switch, each
 * kind's switch, the suppression list and the daily digest — decided at the time of sending.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assertOutboxEvent,
  decide,
  MAX_EVENT_PARAGRAPHS,
  MAX_EVENT_PROVIDERS,
  MAX_PARAGRAPH_LENGTH,
  type OutboxEvent,
  OutboxEventError,
  reasonText,
} from '../../shared/domain/notifications/outbox';
import { defaultSubscriptions, EMAIL_KIND_NAMES } from '../../shared/domain/notifications/subscriptions';

const event = (overrides: Partial<OutboxEvent> = {}): OutboxEvent => ({
  id: '01JCX0000000000000000000AA',
  kind: 'award',
  createdAt: '2026-12-03T10:00:00.000Z',
  audience: { type: 'members', providerIds: ['p1'] },
  message: {
    subject: 'Award decision',
    paragraphs: ['Your bid was not successful.'],
    action: { text: 'Read it', path: '/your-competitions' },
  },
  ...overrides,
});

describe('an outbox event', () => {
  it('is accepted within its bounds', () => {
    expect(assertOutboxEvent(event())).toEqual(event());
  });

  it('is refused for an unknown kind, an empty or oversized audience, a long message or a link off the service', () => {
    expect(() => assertOutboxEvent(event({ kind: 'constructor' as never }))).toThrow(OutboxEventError);
    expect(() => assertOutboxEvent(event({ audience: { type: 'members', providerIds: [] } }))).toThrow(
      OutboxEventError,
    );
    const many = Array.from({ length: MAX_EVENT_PROVIDERS + 1 }, (_, i) => `p${i}`);
    expect(() => assertOutboxEvent(event({ audience: { type: 'owners', providerIds: many } }))).toThrow(
      OutboxEventError,
    );
    const message = event().message;
    expect(() =>
      assertOutboxEvent(
        event({ message: { ...message, paragraphs: Array(MAX_EVENT_PARAGRAPHS + 1).fill('x') } }),
      ),
    ).toThrow(OutboxEventError);
    expect(() =>
      assertOutboxEvent(
        event({ message: { ...message, paragraphs: ['x'.repeat(MAX_PARAGRAPH_LENGTH + 1)] } }),
      ),
    ).toThrow(OutboxEventError);
    for (const path of [
      'https://evil.example/',
      '//evil.example/x',
      'javascript:alert(1)',
      '/\\evil.example',
      '',
    ])
      expect(
        () => assertOutboxEvent(event({ message: { ...message, action: { text: 'Go', path } } })),
        path,
      ).toThrow(OutboxEventError);
  });

  it('never lets a link leave the service, whatever the path (fuzzed)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (path) => {
        const message = { ...event().message, action: { text: 'Go', path } };
        let accepted = true;
        try {
          assertOutboxEvent(event({ message }));
        } catch (error) {
          expect(error).toBeInstanceOf(OutboxEventError);
          accepted = false;
        }
        if (accepted) {
          expect(path.startsWith('/')).toBe(true);
          expect(new URL(path, 'https://service.example').host).toBe('service.example');
        }
      }),
    );
  });
});

describe('deciding whether a user gets an e-mail', () => {
  const on = defaultSubscriptions();

  it('sends every kind by default', () => {
    for (const kind of EMAIL_KIND_NAMES) expect(decide(on, { kind }, false)).toEqual({ action: 'send' });
  });

  it('skips a suppressed address, e-mail switched off and a kind switched off', () => {
    expect(decide(on, { kind: 'award' }, true)).toEqual({ action: 'skip', why: 'suppressed' });
    expect(decide({ ...on, email: { ...on.email, enabled: false } }, { kind: 'award' }, false).action).toBe(
      'skip',
    );
    const awardOff = { ...on, email: { ...on.email, kinds: { ...on.email.kinds, award: false } } };
    expect(decide(awardOff, { kind: 'award' }, false).action).toBe('skip');
    expect(decide(awardOff, { kind: 'shortlisting' }, false).action).toBe('send');
  });

  it('puts a daily saved search into the digest, and sends the digest itself', () => {
    const daily = { kind: 'saved-search' as const, savedSearchId: 's1', frequency: 'daily' as const };
    expect(decide(on, daily, false)).toEqual({ action: 'digest' });
    expect(decide(on, daily, false, { digest: true })).toEqual({ action: 'send' });
    expect(decide(on, { ...daily, frequency: 'immediate' }, false)).toEqual({ action: 'send' });
    const searchesOff = {
      ...on,
      email: { ...on.email, kinds: { ...on.email.kinds, 'saved-search': false } },
    };
    expect(decide(searchesOff, daily, false).action).toBe('skip');
  });

  it('says why, in words, for every kind', () => {
    for (const kind of EMAIL_KIND_NAMES) expect(reasonText({ kind }).length).toBeGreaterThan(10);
  });
});
