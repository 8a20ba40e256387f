import { describe, expect, it } from 'vitest';
import { ForbiddenError, UnauthenticatedError } from '../../shared/domain/errors';
import {
  assertCanAgreeToBeNamed,
  authorizeRoute,
  describeAccess,
  type RouteAccess,
  requireUser,
} from '../../shared/domain/policy';
import { ANONYMOUS, type Principal } from '../../shared/domain/principal';

const user = (...groups: ('commissioner' | 'admin' | 'auditor')[]): Principal => ({
  kind: 'user',
  sub: 's',
  email: undefined,
  groups,
});

describe('authorizeRoute decision table', () => {
  const cases: [string, RouteAccess, Principal, 'allow' | 'unauthenticated' | 'forbidden'][] = [
    ['public / anonymous', 'public', ANONYMOUS, 'allow'],
    ['public / provider user', 'public', user(), 'allow'],
    ['user / anonymous', 'user', ANONYMOUS, 'unauthenticated'],
    ['user / provider user', 'user', user(), 'allow'],
    ['user / admin', 'user', user('admin'), 'allow'],
    ['commissioner / anonymous', ['commissioner'], ANONYMOUS, 'unauthenticated'],
    ['commissioner / provider user', ['commissioner'], user(), 'forbidden'],
    ['commissioner / admin only', ['commissioner'], user('admin'), 'forbidden'],
    ['commissioner / commissioner', ['commissioner'], user('commissioner'), 'allow'],
    ['admin or auditor / auditor', ['admin', 'auditor'], user('auditor'), 'allow'],
    ['admin or auditor / commissioner', ['admin', 'auditor'], user('commissioner'), 'forbidden'],
    ['admin or auditor / both', ['admin', 'auditor'], user('admin', 'auditor'), 'allow'],
  ];

  it.each(cases)('%s → %s', (_label, access, principal, expected) => {
    const run = () => authorizeRoute(principal, access);
    if (expected === 'allow') expect(run).not.toThrow();
    if (expected === 'unauthenticated') expect(run).toThrow(UnauthenticatedError);
    if (expected === 'forbidden') expect(run).toThrow(ForbiddenError);
  });
});

describe('requireUser', () => {
  it('narrows a user and refuses the anonymous caller', () => {
    expect(requireUser(user('admin')).sub).toBe('s');
    expect(() => requireUser(ANONYMOUS)).toThrow(UnauthenticatedError);
  });
});

describe('describeAccess', () => {
  it('says who may call', () => {
    expect(describeAccess('public')).toBe('public');
    expect(describeAccess('user')).toBe('any signed-in user');
    expect(describeAccess(['admin', 'auditor'])).toBe('signed-in users in group admin or auditor');
  });
});

describe('agreeing to be named in a bid', () => {
  it('is for the organisation’s owners alone', () => {
    expect(() => assertCanAgreeToBeNamed('owner')).not.toThrow();
    for (const relation of ['member', 'official', 'none'] as const)
      expect(() => assertCanAgreeToBeNamed(relation), relation).toThrow(ForbiddenError);
  });
});
