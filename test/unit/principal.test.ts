import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GROUPS, hasGroup, parseGroupsClaim, principalFromClaims } from '../../shared/domain/principal';

describe('parseGroupsClaim', () => {
  it.each([
    [
      ['commissioner', 'admin'],
      ['commissioner', 'admin'],
    ],
    ['[commissioner admin]', ['commissioner', 'admin']],
    ['[auditor]', ['auditor']],
    ['[]', []],
    ['commissioner,auditor', ['commissioner', 'auditor']],
    [undefined, []],
    [42, []],
    [['superuser', 'admin'], ['admin']],
    ['[admin admin]', ['admin']],
  ])('reads %j as %j', (raw, expected) => {
    expect(parseGroupsClaim(raw)).toEqual(expected);
  });

  it('never returns a group that is not known, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.string())), (raw) => {
        for (const group of parseGroupsClaim(raw)) expect(GROUPS).toContain(group);
      }),
    );
  });
});

describe('principalFromClaims', () => {
  it('builds a user from API Gateway claims', () => {
    expect(
      principalFromClaims({ sub: 'u1', email: 'u1@example.org', 'cognito:groups': '[commissioner]' }),
    ).toEqual({
      kind: 'user',
      sub: 'u1',
      email: 'u1@example.org',
      groups: ['commissioner'],
    });
  });

  it.each([[undefined], [{}], [{ sub: '' }], [{ sub: 7 }]])(
    'returns undefined without a usable sub: %j',
    (claims) => {
      expect(principalFromClaims(claims as Record<string, unknown> | undefined)).toBeUndefined();
    },
  );

  it('answers group membership', () => {
    const user = principalFromClaims({ sub: 'u', 'cognito:groups': ['auditor'] });
    expect(user && hasGroup(user, 'auditor')).toBe(true);
    expect(user && hasGroup(user, 'admin')).toBe(false);
    expect(hasGroup({ kind: 'anonymous' }, 'admin')).toBe(false);
  });
});
