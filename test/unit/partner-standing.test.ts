import { describe, expect, it } from 'vitest';
import type { CompetitionStatus } from '../../shared/domain/competitions';
import { partnerStanding } from '../../shared/domain/partnerships';

const NOW = new Date('2026-12-02T12:00:00Z');
const competition = (status: CompetitionStatus) => ({
  status,
  prequalificationDeadline: '2026-12-10T17:00:00Z',
  tenderDeadline: '2027-01-20T17:00:00Z',
});
const agreement = { role: 'consortium-member' as const, agreedAt: '2026-11-30T10:00:00Z' };

describe('a partner’s row of your competitions', () => {
  it('says the part, whose bid and when it agreed, at every stage', () => {
    for (const status of [
      'prequalification',
      'shortlisting',
      'tendering',
      'evaluation',
      'standstill',
      'awarded',
      'cancelled',
    ] as const) {
      const shown = partnerStanding(competition(status), agreement, 'Bridges Trust', NOW);
      expect(shown.status).toBe('Consortium member');
      expect(shown.next).toMatch(
        /^You agreed to be part of Bridges Trust’s bid as a consortium member on 30 November 2026\. Nothing to do now/,
      );
      // Never a link into the lead's bid, debrief or challenge: the partner's members are not its members.
      expect(shown.nextHref).toBeUndefined();
      // Nothing of the lead's bid or its outcome: only the competition's public stage.
      expect(shown.next).not.toMatch(/submitted|shortlisted|successful|won|lost|rank|points/i);
    }
  });

  it('gives the deadline that matters while applications or bids are open, and none after', () => {
    const applying = partnerStanding(competition('prequalification'), agreement, 'Bridges Trust', NOW);
    expect(applying.deadline?.at).toBe('2026-12-10T17:00:00Z');
    expect(applying.next).toContain('Bridges Trust applies');
    const tendering = partnerStanding(competition('tendering'), agreement, 'Bridges Trust', NOW);
    expect(tendering.deadline?.at).toBe('2027-01-20T17:00:00Z');
    expect(tendering.next).toContain('Bridges Trust submits the bid');
    const evaluating = partnerStanding(
      competition('tendering'),
      agreement,
      'Bridges Trust',
      new Date('2027-01-21T09:00:00Z'),
    );
    expect(evaluating.deadline).toBeUndefined();
    expect(evaluating.next).toContain('the bids are being evaluated');
  });

  it('names a sub-contractor’s part, and greys a closed competition', () => {
    const shown = partnerStanding(
      competition('awarded'),
      { role: 'subcontractor', agreedAt: '2026-11-30T10:00:00Z' },
      'Bridges Trust',
      NOW,
    );
    expect(shown.status).toBe('Sub-contractor');
    expect(shown.next).toContain('as a sub-contractor');
    expect(shown.colour).toBe('grey');
  });
});
