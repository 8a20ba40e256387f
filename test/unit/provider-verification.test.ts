/**
 * The rules of verifying and rejecting registrations (issue 16), without I/O: which decision fits which
 * state, what each decision makes of a provider, how a corrected registration returns to the queue and in
 * which order the queue is; who reads a rejection's reason; where each registration number is checked.
 */
import { describe, expect, it } from 'vitest';
import { InvalidStateError } from '../../shared/domain/errors';
import {
  assertCanDecideOnProviders,
  canReadRejectionReason,
  type ProviderRelation,
} from '../../shared/domain/policy';
import { ANONYMOUS, type Group, type Principal } from '../../shared/domain/principal';
import {
  afterOwnerEdit,
  decisionFor,
  type ProviderDecision,
  rejected,
  verified,
  waitingSince,
} from '../../shared/domain/provider-verification';
import type { Provider, ProviderStatus } from '../../shared/domain/providers';
import { verificationView } from '../../shared/web/pages/organisation';
import { registerLinks } from '../../shared/web/pages/oversight/admin-providers';

const NOW = new Date('2026-11-21T12:00:00.000Z');

const provider = (overrides: Partial<Provider> = {}): Provider => ({
  id: '01JD0000000000000000000000',
  name: 'Harbour Lights Trust',
  legalForm: 'charitable_incorporated_organisation',
  charityNumber: '1101073',
  sector: 'voluntary',
  size: 'small',
  regions: ['north_west'],
  services: ['accommodation'],
  contact: { name: 'Sam', email: 'sam@example.org' },
  status: 'pending',
  createdAt: '2026-11-01T09:00:00.000Z',
  updatedAt: '2026-11-01T09:00:00.000Z',
  version: 1,
  ...overrides,
});

const user = (groups: readonly string[]): Principal => ({
  kind: 'user',
  sub: 'someone',
  email: undefined,
  groups: [...groups] as Group[],
});

describe('which decision fits which state', () => {
  const cases: [ProviderStatus, ProviderDecision, 'decide' | 'unchanged' | RegExp][] = [
    ['pending', 'verify', 'decide'],
    ['pending', 'reject', 'decide'],
    ['verified', 'verify', 'unchanged'],
    ['verified', 'reject', /is verified: only a registration waiting for verification can be rejected/],
    ['rejected', 'reject', /is already rejected/],
    ['rejected', 'verify', /can be verified once its owners correct their details/],
  ];
  it.each(cases)('%s, %s → %s', (status, decision, expected) => {
    const decide = () => decisionFor(provider({ status }), decision);
    if (expected instanceof RegExp) {
      expect(decide).toThrow(InvalidStateError);
      expect(decide).toThrow(expected);
    } else expect(decide()).toBe(expected);
  });
});

describe('what a decision makes of a provider', () => {
  it('verifies: status, time, the next version; an earlier rejection is kept as history', () => {
    const before = provider({
      rejection: { reason: 'Wrong number', rejectedAt: '2026-11-10T10:00:00.000Z', rejectedBy: 'admin' },
      resubmittedAt: '2026-11-12T10:00:00.000Z',
      version: 4,
    });
    expect(verified(before, NOW)).toEqual({
      ...before,
      status: 'verified',
      verifiedAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      version: 5,
    });
  });

  it('rejects: status, the reason with when and by whom, the next version', () => {
    expect(rejected(provider(), 'Wrong number', 'admin-1', NOW)).toEqual({
      ...provider(),
      status: 'rejected',
      rejection: { reason: 'Wrong number', rejectedAt: NOW.toISOString(), rejectedBy: 'admin-1' },
      updatedAt: NOW.toISOString(),
      version: 2,
    });
  });
});

describe('the owners’ corrections and the queue’s order', () => {
  it('sends a rejected registration back to the queue when its owners save it, and nothing else', () => {
    const edited = provider({ status: 'rejected', version: 3, name: 'Corrected' });
    expect(afterOwnerEdit({ status: 'rejected' }, edited, NOW)).toEqual({
      ...edited,
      status: 'pending',
      resubmittedAt: NOW.toISOString(),
    });
    for (const status of ['pending', 'verified'] as const) {
      const same = provider({ status });
      expect(afterOwnerEdit({ status }, same, NOW)).toBe(same);
    }
  });

  it('orders the queue by registration, or by resubmission for a corrected one', () => {
    expect(waitingSince(provider())).toBe('2026-11-01T09:00:00.000Z');
    expect(waitingSince(provider({ resubmittedAt: '2026-11-20T08:00:00.000Z' }))).toBe(
      '2026-11-20T08:00:00.000Z',
    );
  });
});

describe('who decides, and who reads the reason', () => {
  it('lets admins alone decide or see the queue', () => {
    expect(() => assertCanDecideOnProviders(user(['admin']), 'reject')).not.toThrow();
    for (const groups of [[], ['commissioner'], ['auditor'], ['commissioner', 'auditor']] as const) {
      expect(() => assertCanDecideOnProviders(user(groups), 'reject')).toThrow(
        'Only an admin can reject providers.',
      );
      expect(() => assertCanDecideOnProviders(user(groups), 'review')).toThrow(
        'Only an admin can see the verification queue.',
      );
    }
    expect(() => assertCanDecideOnProviders(ANONYMOUS, 'verify')).toThrow(
      'Only an admin can verify providers.',
    );
  });

  it('shows the reason to the organisation’s members and to admins, not to commissioners', () => {
    const cases: [ProviderRelation, string[], boolean][] = [
      ['owner', [], true],
      ['member', [], true],
      ['member', ['commissioner'], true],
      ['official', ['admin'], true],
      ['official', ['commissioner'], false],
      ['none', [], false],
    ];
    for (const [relation, groups, sees] of cases) {
      expect(canReadRejectionReason(user(groups), relation), `${relation} ${groups}`).toBe(sees);
    }
  });
});

describe('the members’ page', () => {
  const rejection = { reason: 'Wrong number', rejectedAt: '2026-11-10T10:00:00.000Z', rejectedBy: 'admin' };

  it('says why and what next while rejected, that the correction waits once resubmitted, nothing once verified', () => {
    expect(verificationView({ status: 'rejected', rejection })).toMatchObject({
      rejected: true,
      reason: 'Wrong number',
    });
    expect(
      verificationView({ status: 'pending', rejection, resubmittedAt: '2026-11-12T10:00:00.000Z' }),
    ).toMatchObject({ rejected: false, reason: 'Wrong number', resubmittedOn: expect.any(String) });
    expect(verificationView({ status: 'verified', rejection })).toBeUndefined();
    expect(verificationView({ status: 'pending' })).toBeUndefined();
  });
});

describe('where each number is checked', () => {
  it('links each charity number to its own country’s register, and a company number to Companies House', () => {
    expect(registerLinks({ charityNumber: '1101073' })).toEqual([
      {
        what: 'Charity number',
        number: '1101073',
        register: 'Charity Commission register',
        href: 'https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/1101073',
      },
    ]);
    expect(registerLinks({ charityNumber: 'SC012345' })[0]?.href).toBe(
      'https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number=SC012345',
    );
    expect(registerLinks({ charityNumber: 'NIC100002' })[0]?.href).toBe(
      'https://www.charitycommissionni.org.uk/charity-details/?regId=100002&subId=0',
    );
    expect(registerLinks({ companyNumber: 'SC123456' })).toEqual([
      {
        what: 'Company number',
        number: 'SC123456',
        register: 'Companies House',
        href: 'https://find-and-update.company-information.service.gov.uk/company/SC123456',
      },
    ]);
    expect(registerLinks({ charityNumber: '1101073', companyNumber: '04567890' }).map((l) => l.what)).toEqual(
      ['Charity number', 'Company number'],
    );
    expect(registerLinks({})).toEqual([]);
  });
});
