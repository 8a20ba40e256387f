import { describe, expect, it } from 'vitest';
import { agreementIssues, unagreedIssues } from '../../shared/domain/partnerships';

describe('agreeing to be named', () => {
  it('needs a verified bidder other than the organisation itself', () => {
    expect(agreementIssues('P', 'B', 'verified')).toEqual([]);
    expect(agreementIssues('P', 'P', 'verified')).toEqual([
      { path: 'bidderId', message: 'An organisation cannot be its own partner' },
    ]);
    expect(agreementIssues('P', 'B', undefined)).toEqual([
      { path: 'bidderId', message: 'No registered provider has this id' },
    ]);
    for (const status of ['pending', 'rejected'] as const) {
      expect(agreementIssues('P', 'B', status)).toEqual([
        { path: 'bidderId', message: 'Only verified providers bid or apply' },
      ]);
    }
  });
});

describe('a submission naming organisations', () => {
  const named = [
    { path: 'consortium.0.providerId', providerId: 'A' },
    { path: 'subcontractors.2.providerId', providerId: 'B' },
  ];

  it('passes when every named organisation agreed', () => {
    expect(unagreedIssues(named, new Set(['A', 'B']))).toEqual([]);
    expect(unagreedIssues([], new Set())).toEqual([]);
  });

  it('names each organisation that has not agreed, at its place, and how it agrees', () => {
    const issues = unagreedIssues(named, new Set(['A']), new Map([['B', 'Bridges Trust']]));
    expect(issues).toEqual([
      {
        path: 'subcontractors.2.providerId',
        message: expect.stringMatching(/^Bridges Trust has not agreed to be named.*partnerships/),
      },
    ]);
    expect(unagreedIssues(named, new Set())[0]?.message).toMatch(/^A has not agreed/);
  });
});
