/**
 * Where an organisation stands in a competition it takes part in, and what to do next, at each stage.
 */
import { describe, expect, it } from 'vitest';
import type { Competition } from '../../shared/domain/competitions';
import { standing } from '../../shared/domain/taking-part';

const NOW = new Date('2026-12-09T10:00:00Z');
const base: Pick<
  Competition,
  | 'id'
  | 'status'
  | 'prequalificationTier'
  | 'prequalificationDeadline'
  | 'tenderDeadline'
  | 'shortlist'
  | 'award'
> = {
  id: 'C1',
  status: 'prequalification',
  prequalificationTier: 'core',
  prequalificationDeadline: '2026-12-12T17:00:00Z',
  tenderDeadline: '2026-12-20T17:00:00Z',
};

describe('standing', () => {
  it('an application before the pre-qualification deadline: change it, with that deadline', () => {
    const shown = standing(base, 'P1', { applied: true }, NOW);
    expect(shown.status).toBe('Applied');
    expect(shown.nextHref).toBe('/your-competitions/C1/prequalification');
    expect(shown.deadline?.at).toBe('2026-12-12T17:00:00Z');
  });

  it('after the pre-qualification deadline (by time alone): being assessed, nothing to do', () => {
    const shown = standing(base, 'P1', { applied: true }, new Date('2026-12-13T00:00:00Z'));
    expect(shown.status).toBe('Being assessed');
    expect(shown.nextHref).toBeUndefined();
  });

  it('while tendering: shortlisted or not, then draft, submitted, withdrawn', () => {
    const tendering = { ...base, status: 'tendering' as const, shortlist: ['P1'] };
    expect(standing(tendering, 'P2', { applied: true }, NOW).status).toBe('Not shortlisted');
    expect(standing(tendering, 'P1', { applied: true }, NOW)).toMatchObject({
      status: 'Shortlisted',
      next: 'Start your bid',
      deadline: { at: '2026-12-20T17:00:00Z' },
    });
    expect(
      standing(tendering, 'P1', { applied: true, bid: { status: 'draft', version: null } }, NOW).status,
    ).toBe('Bid in progress');
    expect(
      standing(tendering, 'P1', { applied: true, bid: { status: 'submitted', version: 2 } }, NOW).status,
    ).toBe('Bid submitted (version 2)');
    expect(
      standing(tendering, 'P1', { applied: true, bid: { status: 'withdrawn', version: 2 } }, NOW).status,
    ).toBe('Bid withdrawn');
  });

  it('tier none: any bidder bids without a shortlist', () => {
    const open = { ...base, status: 'tendering' as const, prequalificationTier: 'none' as const };
    expect(
      standing(open, 'P9', { applied: false, bid: { status: 'draft', version: null } }, NOW).status,
    ).toBe('Bid in progress');
  });

  it('after the tender deadline: evaluated, or no bid', () => {
    const closed = { ...base, status: 'tendering' as const, shortlist: ['P1'] };
    const after = new Date('2026-12-21T00:00:00Z');
    expect(
      standing(closed, 'P1', { applied: true, bid: { status: 'submitted', version: 1 } }, after).status,
    ).toBe('Bid being evaluated');
    expect(
      standing(closed, 'P1', { applied: true, bid: { status: 'draft', version: null } }, after).status,
    ).toBe('No bid submitted');
  });

  it('standstill and award: successful or not for this organisation only, with the debrief', () => {
    const award = {
      bidId: 'B1',
      providerId: 'P1',
      providerName: 'Winner',
      valuePence: 1,
      rationale: 'Best',
      decidedAt: '2026-12-22T10:00:00Z',
      standstillEndsAt: '2027-01-05T10:00:00Z',
    };
    const standstill = { ...base, status: 'standstill' as const, shortlist: ['P1', 'P2'], award };
    const bid = { status: 'submitted' as const, version: 1 };
    expect(standing(standstill, 'P1', { applied: true, bid }, NOW)).toMatchObject({
      status: 'Successful',
      nextHref: '/your-competitions/C1/debrief',
      deadline: { at: '2027-01-05T10:00:00Z' },
    });
    expect(standing(standstill, 'P2', { applied: true, bid }, NOW).status).toBe('Unsuccessful');
    expect(standing({ ...standstill, status: 'awarded' }, 'P2', { applied: true, bid }, NOW).status).toBe(
      'Not awarded',
    );
  });

  it('a cancelled competition: nothing to do', () => {
    expect(standing({ ...base, status: 'cancelled' }, 'P1', { applied: true }, NOW).status).toBe('Cancelled');
  });
});
