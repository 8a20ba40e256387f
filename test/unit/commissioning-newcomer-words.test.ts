/**
 * The words of the commissioning workspace a newcomer tripped over (issue 14 review): risk levels, money
 * questions, limits, audited actions, the shortlist's missing marks and the publish page's warnings.
 */
import { describe, expect, it } from 'vitest';
import { scoresBody } from '../../shared/http/schemas/tenders';
import { riskName } from '../../shared/web/labels';
import { publicationWarnings } from '../../shared/web/pages/commissioning/publish-cancel';
import { questionLabel, unmarkedWarning } from '../../shared/web/pages/commissioning/responses';
import { actionWords, alertSubject } from '../../shared/web/pages/oversight/alerts';

describe('the workspace’s words', () => {
  it('names risk levels in their own words, not the organisation sizes sharing their codes', () => {
    expect(['low', 'medium', 'high'].map(riskName)).toEqual(['Low', 'Medium', 'High']);
  });

  it('drops "(pence)" from a money question whose answer is shown in pounds', () => {
    expect(
      questionLabel('financial.annual-turnover-pence', 'Annual turnover in your latest accounts (pence)'),
    ).toBe('Annual turnover in your latest accounts');
    expect(questionLabel('policies.equality', 'Do you have an equality policy (pence)?')).toBe(
      'Do you have an equality policy (pence)?',
    );
  });

  it('writes limits with thousands separators', () => {
    const parsed = scoresBody.safeParse({
      scores: [{ criterionId: 'quality', score: 3, justification: 'x'.repeat(100_000) }],
    });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/Use at most \d{1,3},\d{3} characters/);
  });

  it('says what an audited action was in plain words', () => {
    expect(actionWords('bids.read')).toBe('Read the bids');
    expect(actionWords('bid.read:01JBID0000000000000000000A')).toBe('Read a bid');
    expect(actionWords('something.new')).toBe('something.new');
    expect(actionWords('outcomes.commission')).toBe('Act for the commissioner on payment by results');
  });

  it("links a contract's alert to its outcomes page, a competition's to its audit trail", () => {
    expect(alertSubject({ competitionId: 'contract-01JCONTRACT0000000000000000' })).toEqual({
      href: '/commissioning/contracts/01JCONTRACT0000000000000000/outcomes',
      text: 'Contract 01JCONTRACT0000000000000000 (payment by results)',
    });
    expect(alertSubject({ competitionId: '01JCOMP', competitionTitle: 'Mentoring' })).toEqual({
      href: '/commissioning/01JCOMP/audit',
      text: 'Mentoring',
    });
  });

  it('warns, naming who, when not every panel member has marked every response', () => {
    const items = [{ marks: [{ evaluator: 'eva' }, { evaluator: 'mo' }] }, { marks: [{ evaluator: 'eva' }] }];
    expect(unmarkedWarning(items, ['eva', 'mo', 'evan'])).toBe(
      'Not every panel member has marked every response. Still to mark: mo (1 response), evan (2 responses). You can still shortlist.',
    );
    expect(unmarkedWarning(items, ['eva'])).toBeUndefined();
  });

  it('warns before publishing without a panel or the lead’s declaration', () => {
    expect(publicationWarnings({ panelSet: true, leadDeclared: true })).toEqual([]);
    const both = publicationWarnings({ panelSet: false, leadDeclared: false });
    expect(both).toHaveLength(2);
    expect(both[0]).toContain('No panel is set yet');
    expect(both[1]).toContain('You have not declared your interests yet');
  });
});
