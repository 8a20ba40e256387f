/**
 * Who may do what with contracts and sub-contracting: the decisions in `shared/domain/policy.ts`.
 */
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../shared/domain/errors';
import {
  assertCanDisputeLine,
  assertCanListContracts,
  assertCanReadContract,
  assertCanReadSubcontractingReport,
  assertCanReadSubcontractPayments,
  assertCanRegisterContract,
  assertPrimeOwner,
  type ProviderRelation,
  providerRelation,
} from '../../shared/domain/policy';
import { ANONYMOUS, type Group, type Principal } from '../../shared/domain/principal';

const user = (groups: Group[] = []): Principal => ({ kind: 'user', sub: 'u', email: undefined, groups });

const outcome = (fn: () => unknown) => {
  try {
    fn();
    return 'allowed';
  } catch (error) {
    if (error instanceof NotFoundError) return 'not-found';
    if (error instanceof ForbiddenError) return 'forbidden';
    throw error;
  }
};

describe('contract access by relation to the prime', () => {
  const relations: ProviderRelation[] = ['owner', 'member', 'official', 'none'];

  it('lets members and officials read, hiding the contract from everyone else', () => {
    expect(relations.map((r) => outcome(() => assertCanReadContract(r, 'C')))).toEqual([
      'allowed',
      'allowed',
      'allowed',
      'not-found',
    ]);
  });

  it('lets only owners of the prime declare the supply chain and file returns', () => {
    expect(relations.map((r) => outcome(() => assertPrimeOwner(r, 'C')))).toEqual([
      'allowed',
      'forbidden',
      'forbidden',
      'not-found',
    ]);
  });

  it("shows a sub-contractor's payments to its own members only", () => {
    expect(relations.map((r) => outcome(() => assertCanReadSubcontractPayments(r, 'P')))).toEqual([
      'allowed',
      'allowed',
      'forbidden',
      'not-found',
    ]);
  });

  it('treats commissioners and admins as officials, auditors and providers without membership as strangers', () => {
    expect(providerRelation(user(['commissioner']), undefined)).toBe('official');
    expect(providerRelation(user(['admin']), undefined)).toBe('official');
    expect(providerRelation(user(['auditor']), undefined)).toBe('none');
    expect(providerRelation(user(), undefined)).toBe('none');
    expect(providerRelation(ANONYMOUS, 'owner')).toBe('none');
  });
});

describe('registering contracts and reading the report', () => {
  it('lets only commissioners register contracts', () => {
    expect(outcome(() => assertCanRegisterContract(user(['commissioner'])))).toBe('allowed');
    for (const p of [user(['admin']), user(['auditor']), user(), ANONYMOUS])
      expect(outcome(() => assertCanRegisterContract(p))).toBe('forbidden');
  });

  it('lets commissioners, admins and auditors read the report and list every contract', () => {
    for (const check of [assertCanReadSubcontractingReport, assertCanListContracts]) {
      for (const g of ['commissioner', 'admin', 'auditor'] as Group[])
        expect(outcome(() => check(user([g])))).toBe('allowed');
      for (const p of [user(), ANONYMOUS]) expect(outcome(() => check(p))).toBe('forbidden');
    }
  });
});

describe('disputes', () => {
  it('lets a member of the paid sub-contractor dispute, on its behalf', () => {
    expect(assertCanDisputeLine(['SUB'], ['OTHER', 'SUB'], 'L')).toBe('SUB');
  });

  it('hides the line from anyone else', () => {
    expect(outcome(() => assertCanDisputeLine(['SUB'], ['PRIME'], 'L'))).toBe('not-found');
    expect(outcome(() => assertCanDisputeLine([], ['SUB'], 'L'))).toBe('not-found');
    expect(outcome(() => assertCanDisputeLine(['SUB'], [], 'L'))).toBe('not-found');
  });
});
