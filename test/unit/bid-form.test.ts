/**
 * The bid pages' answers as typed: the order of the tasks, the price, a sub-contractor, what is missing.
 */
import { describe, expect, it } from 'vitest';
import type { Criterion } from '../../shared/domain/competitions';
import {
  EMPTY_BID,
  incompleteTasks,
  nextTask,
  parsePrice,
  parseSubcontractor,
  qualityAnswerIssues,
  subcontractorTyped,
} from '../../shared/web/pages/provider/bid-form';

const CRITERIA: Criterion[] = [
  { id: 'approach', name: 'Approach', kind: 'quality', weight: 40 },
  { id: 'price', name: 'Price', kind: 'price', weight: 30 },
  { id: 'social-value', name: 'Social value', kind: 'quality', weight: 30 },
];

describe('the bid form', () => {
  it('goes through the quality criteria in order, then price, sub-contractors and the check', () => {
    expect(nextTask(CRITERIA, 'quality/approach')).toBe('quality/social-value');
    expect(nextTask(CRITERIA, 'quality/social-value')).toBe('price');
    expect(nextTask(CRITERIA, 'price')).toBe('subcontractors');
    expect(nextTask(CRITERIA, 'subcontractors')).toBe('check');
  });

  it('reads a price in pounds exactly, leaves a blank one unset and refuses the rest', () => {
    expect(parsePrice('£1,234.5')).toEqual({ pence: 123_450 });
    expect(parsePrice('1.15')).toEqual({ pence: 115 });
    expect(parsePrice('')).toEqual({ pence: 0 });
    expect(parsePrice('0')).toEqual({ issue: { path: 'price', message: 'Your price must be more than £0' } });
    expect(parsePrice('ten pounds')).toMatchObject({ issue: { path: 'price' } });
  });

  it('bounds a quality answer', () => {
    expect(qualityAnswerIssues('x'.repeat(5000))).toEqual([]);
    expect(qualityAnswerIssues('x'.repeat(5001))).toHaveLength(1);
  });

  it('reads a sub-contractor, and says what is wrong with each field', () => {
    expect(
      parseSubcontractor(
        { name: 'Help CIC', providerId: '', services: ['accommodation'], share: '12.5%' },
        [],
      ),
    ).toEqual({ subcontractor: { name: 'Help CIC', services: ['accommodation'], sharePercent: 12.5 } });
    const wrong = parseSubcontractor({ name: '', providerId: 'x', services: ['nonsense'], share: '' }, []);
    expect('issues' in wrong && wrong.issues.map((i) => i.path)).toEqual([
      'name',
      'providerId',
      'services',
      'share',
    ]);
    expect(subcontractorTyped({ name: '', providerId: '', services: [], share: '' })).toBe(false);
  });

  it('lists what is missing before a bid can be submitted', () => {
    expect(incompleteTasks(EMPTY_BID, CRITERIA)).toEqual(['Approach', 'Social value', 'Price']);
    expect(
      incompleteTasks(
        { ...EMPTY_BID, pricePence: 1, qualityResponses: { approach: 'a', 'social-value': ' b ' } },
        CRITERIA,
      ),
    ).toEqual([]);
  });
});

describe('the actions on an opportunity', async () => {
  const { opportunityActions } = await import('../../shared/web/pages/provider/opportunity-actions');
  const NOW = new Date('2026-12-09T10:00:00Z');
  const competition = {
    id: 'C1',
    status: 'prequalification' as const,
    prequalificationTier: 'core' as const,
    prequalificationDeadline: '2026-12-12T17:00:00Z',
    tenderDeadline: '2026-12-20T17:00:00Z',
    shortlist: ['P1'],
  };
  const texts = (actions: { text: string }[]) => actions.map((a) => a.text);

  it('asks a visitor to sign in, and a user of no organisation to register one', () => {
    expect(texts(opportunityActions(competition, { signedIn: false, providerIds: [] }, NOW))).toEqual([
      'Sign in to take part',
    ]);
    expect(texts(opportunityActions(competition, { signedIn: true, providerIds: [] }, NOW))).toEqual([
      'Register your organisation to take part',
    ]);
  });

  it('offers applying and asking during pre-qualification', () => {
    expect(
      opportunityActions(competition, { signedIn: true, providerIds: ['P2'] }, NOW).map((a) => a.href),
    ).toEqual(['/your-competitions/C1/prequalification', '/your-competitions/C1/questions']);
  });

  it('offers bidding to the shortlisted only (anyone for tier none), and nothing once closed', () => {
    const tendering = { ...competition, status: 'tendering' as const };
    expect(texts(opportunityActions(tendering, { signedIn: true, providerIds: ['P1'] }, NOW))).toContain(
      'Start your bid',
    );
    expect(opportunityActions(tendering, { signedIn: true, providerIds: ['P2'] }, NOW)).toEqual([]);
    expect(
      texts(
        opportunityActions(
          { ...tendering, prequalificationTier: 'none' },
          { signedIn: true, providerIds: ['P2'] },
          NOW,
        ),
      ),
    ).toContain('Start your bid');
    expect(
      opportunityActions(
        tendering,
        { signedIn: true, providerIds: ['P1'] },
        new Date('2026-12-21T00:00:00Z'),
      ),
    ).toEqual([]);
  });

  it('offers an organisation its own application or bid once it has one: to change before the deadline, to read after', () => {
    const tendering = { ...competition, status: 'tendering' as const };
    const applied = { signedIn: true, providerIds: ['P1'], takingPart: [{ applied: true }] };
    const drafted = {
      ...applied,
      takingPart: [{ applied: true, bid: { status: 'draft' as const, version: null } }],
    };
    expect(texts(opportunityActions(competition, applied, NOW))[0]).toBe('View or change your application');
    expect(texts(opportunityActions(tendering, drafted, NOW))[0]).toBe('View or change your bid');
    // Shortlisted, no bid yet; not shortlisted, with an application.
    expect(texts(opportunityActions(tendering, applied, NOW))[0]).toBe('Start your bid');
    expect(
      opportunityActions(tendering, { ...applied, providerIds: ['P2'] }, NOW).map((a) => [a.text, a.href]),
    ).toEqual([['See where your application stands', '/your-competitions']]);
    // After the tender deadline: the bid to read, nothing else.
    const after = new Date('2026-12-21T00:00:00Z');
    expect(opportunityActions(tendering, drafted, after).map((a) => [a.text, a.href])).toEqual([
      ['View your bid', '/your-competitions/C1/bid'],
    ]);
    expect(opportunityActions({ ...tendering, status: 'cancelled' }, drafted, NOW)).toEqual([]);
  });
});

describe('the pre-qualification form', async () => {
  const form = await import('../../shared/web/pages/provider/prequalification-form');
  const { questionnaireFor } = await import('../../shared/domain/prequalification');
  const core = questionnaireFor('core');
  const questions = core.sections.flatMap((s) => s.questions);
  const q = (id: string) => questions.find((x) => x.id === id) as (typeof questions)[number];

  it('has a page per topic, the organisation first when the user owns several, then consortium and check', () => {
    expect(form.steps(core, false)).toEqual([...core.sections.map((s) => s.id), 'consortium', 'check']);
    expect(form.steps(core, true)[0]).toBe('organisation');
  });

  it('reads yes/no, pounds and text, and says what is wrong with each', () => {
    const parsed = form.parseTopic(
      [q('exclusion.mandatory'), q('financial.annual-turnover-pence'), q('technical.relevant-experience')],
      new URLSearchParams({
        'exclusion.mandatory': 'no',
        'financial.annual-turnover-pence': '£1,200.50',
        'technical.relevant-experience': ' Two contracts ',
      }),
    );
    expect(parsed.issues).toEqual([]);
    expect(parsed.answers).toEqual({
      'exclusion.mandatory': false,
      'financial.annual-turnover-pence': 120_050,
      'technical.relevant-experience': 'Two contracts',
    });
    const wrong = form.parseTopic(
      [q('exclusion.mandatory'), q('financial.annual-turnover-pence'), q('technical.relevant-experience')],
      new URLSearchParams({ 'exclusion.mandatory': 'maybe', 'financial.annual-turnover-pence': 'lots' }),
    );
    expect(wrong.issues.map((i) => i.path)).toEqual([
      'exclusion.mandatory',
      'financial.annual-turnover-pence',
      'technical.relevant-experience',
    ]);
  });

  it('reads answers back in words, amounts in pounds', () => {
    expect(form.answerText(q('exclusion.mandatory'), false)).toBe('No');
    expect(form.answerText(q('financial.annual-turnover-pence'), 90_000_000)).toBe('£900,000');
    expect(form.questionText(q('financial.annual-turnover-pence'))).toBe(
      'Annual turnover in your latest accounts',
    );
    expect(form.typedValue(q('financial.annual-turnover-pence'), 120_050)).toBe('1200.50');
  });

  it('checks a consortium member as typed', () => {
    const ok = form.parseMember(
      new URLSearchParams({ providerId: '01jd2q3r4s5t6v7w8x9y0z1a2b', role: 'Housing' }),
      'A',
      [],
    );
    expect(ok).toEqual({ member: { providerId: '01JD2Q3R4S5T6V7W8X9Y0Z1A2B', role: 'Housing' } });
    const self = form.parseMember(
      new URLSearchParams({ providerId: '01JD2Q3R4S5T6V7W8X9Y0Z1A2B', role: 'x' }),
      '01JD2Q3R4S5T6V7W8X9Y0Z1A2B',
      [],
    );
    expect('issues' in self && self.issues[0]?.message).toMatch(/Your own organisation/);
  });
});
