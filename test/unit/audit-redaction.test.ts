/**
 * While bids are sealed, the audit log and alerts tell nobody who is bidding (issue 12, item 4).
 */
import { describe, expect, it } from 'vitest';
import { redactWhileSealed, SEALED, seatReasonWhileSealed } from '../../shared/domain/audit-redaction';

const event = (action: string, extra: Record<string, string> = {}) => ({
  action,
  actor: 'bidder-owner',
  resource: 'competitions/C1/bids/P1',
  outcome: 'allowed' as const,
  ...extra,
});

describe('redactWhileSealed', () => {
  it.each(['bid.draft', 'bid.submit', 'bid.withdraw', 'prequalification.submit'])(
    'hides who did %s, and which bid, while sealed',
    (action) => {
      expect(redactWhileSealed(event(action), true)).toMatchObject({
        action,
        actor: SEALED,
        resource: `competitions/C1/bids/${SEALED}`,
      });
    },
  );

  it('hides who was refused at the wall while sealed', () => {
    const refused = { ...event('bids.read'), outcome: 'denied' as const, reason: '/problems/ethical-wall' };
    expect(redactWhileSealed(refused, true).actor).toBe(SEALED);
  });

  it('leaves commissioning events, other refusals and everything after the deadline as they are', () => {
    const panel = { ...event('panel.set'), actor: 'lead', resource: 'competitions/C1/panel' };
    expect(redactWhileSealed(panel, true)).toEqual(panel);
    const sealedRead = { ...event('bids.read'), outcome: 'denied' as const, reason: '/problems/sealed' };
    expect(redactWhileSealed(sealedRead, true)).toEqual(sealedRead);
    expect(redactWhileSealed(event('bid.submit'), false)).toEqual(event('bid.submit'));
  });
});

describe('seatReasonWhileSealed', () => {
  it('hides that a seat holder is connected to a bidder until the bids are open', () => {
    expect(seatReasonWhileSealed('connected to an applicant or bidder', true)).toBe('outside the wall');
    expect(seatReasonWhileSealed('connected to an applicant or bidder', false)).toBe(
      'connected to an applicant or bidder',
    );
  });

  it('shows the reasons that say nothing about bidders', () => {
    for (const reason of ['excluded', 'no declaration yet', 'declared a conflict']) {
      expect(seatReasonWhileSealed(reason, true)).toBe(reason);
    }
  });
});
