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

  it('names each organisation that has not agreed, at its place, and in plain words who agrees where', () => {
    const issues = unagreedIssues(named, new Set(['A']), new Map([['B', 'Bridges Trust']]));
    expect(issues).toEqual([
      {
        path: 'subcontractors.2.providerId',
        message:
          'Bridges Trust has not agreed to be named yet. Ask an owner of Bridges Trust to agree on this competition’s ‘Agree to be named’ page (linked from the opportunity page), then submit again',
      },
    ]);
    // No API call in words meant for a person (an API client reads the same words in `errors`).
    expect(issues[0]?.message).not.toMatch(/POST|\/competitions/);
  });

  it('names an organisation by the name the submission gave it, else by its id', () => {
    const withName = [{ path: 'subcontractors.0.providerId', providerId: 'C', name: 'Castle Care' }];
    expect(unagreedIssues(withName, new Set())[0]?.message).toMatch(
      /^Castle Care has not agreed to be named yet\. Ask an owner of Castle Care to agree/,
    );
    expect(unagreedIssues(withName, new Set(), new Map([['C', 'Castle Care CIC']]))[0]?.message).toMatch(
      /^Castle Care CIC has not agreed/,
    );
    expect(unagreedIssues(named, new Set())[0]?.message).toMatch(
      /^The organisation with id A has not agreed to be named yet\. Ask one of its owners to agree/,
    );
  });
});
