// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * The rules of standstill challenges (issue 15), no I/O: when one may be raised, what a decision needs,
 * how a challenge stands against the competition, what an upheld challenge does to the competition, and
 * who may raise, read and decide (the policy module).
 */
import { describe, expect, it } from 'vitest';
import {
  assertChallengeable,
  assertDecidable,
  type Challenge,
  challengeStatus,
  competitionAfterUpheld,
  decidedChallenge,
  decisionAuditAction,
  decisionIssues,
  standstillRefusal,
} from '../../shared/domain/challenges';
import type { Competition } from '../../shared/domain/competitions';
import { InvalidStateError } from '../../shared/domain/errors';
import {
  challengeReadScope,
  decideChallenger,
  decideCompetitionAccess,
  type WallFacts,
} from '../../shared/domain/policy';
import type { Principal } from '../../shared/domain/principal';

const DECIDED = '2026-11-01T10:00:00.000Z';

const award = {
  bidId: 'bid-a',
  providerId: 'A',
  providerName: 'A Trust',
  valuePence: 100,
  rationale: 'Best',
  decidedAt: DECIDED,
  standstillEndsAt: '2026-11-09T10:00:00.000Z',
};

function competition(overrides: Partial<Competition> = {}): Competition {
  return {
    id: 'c1',
    title: 'Test',
    description: 'Test',
    services: ['health'],
    regions: ['london'],
    estimatedValuePence: 100,
    termMonths: 12,
    risk: 'low',
    tenderDeadline: '2026-10-01T10:00:00.000Z',
    criteria: [],
    status: 'standstill',
    prequalificationTier: 'none',
    leadSub: 'lead',
    minimumTurnoverPence: 0,
    createdAt: '2026-09-01T10:00:00.000Z',
    updatedAt: '2026-09-01T10:00:00.000Z',
    award,
    version: 7,
    ...overrides,
  };
}

const challenge = (overrides: Partial<Challenge> = {}): Challenge => ({
  id: '01JD0000000000000000000001',
  competitionId: 'c1',
  providerId: 'B',
  providerName: 'B Trust',
  grounds: 'Wrong',
  raisedBy: 'owner-b',
  raisedAt: '2026-11-02T10:00:00.000Z',
  awardDecidedAt: DECIDED,
  status: 'open',
  ...overrides,
});

describe('raising a challenge', () => {
  it('is allowed in standstill, and answers the decision in force', () => {
    expect(standstillRefusal(competition())).toBeUndefined();
    expect(assertChallengeable(competition())).toBe(DECIDED);
  });

  it.each([
    [
      'evaluation, no award yet',
      { status: 'evaluation', award: undefined },
      /no award decision to challenge/,
    ],
    ['tendering', { status: 'tendering', award: undefined }, /no award decision to challenge/],
    ['awarded', { status: 'awarded', award: { ...award, awardedAt: DECIDED, contractId: 'k' } }, /confirmed/],
    ['cancelled', { status: 'cancelled' }, /cancelled/],
    ['standstill but already confirmed', { award: { ...award, awardedAt: DECIDED } }, /confirmed/],
  ] as const)('is refused (409) when %s', (_name, overrides, message) => {
    const c = competition(overrides as Partial<Competition>);
    expect(standstillRefusal(c)).toMatch(message);
    expect(() => assertChallengeable(c)).toThrow(InvalidStateError);
  });
});

describe('a decision', () => {
  it('needs what follows exactly when upheld', () => {
    expect(decisionIssues({ outcome: 'upheld', reasons: 'x' })).toMatchObject([{ path: 'then' }]);
    expect(decisionIssues({ outcome: 'rejected', reasons: 'x', then: 'cancel' })).toMatchObject([
      { path: 'then' },
    ]);
    expect(decisionIssues({ outcome: 'upheld', reasons: 'x', then: 'cancel' })).toEqual([]);
    expect(decisionIssues({ outcome: 'rejected', reasons: 'x' })).toEqual([]);
  });

  it('is refused for a challenge already decided, or of a decision no longer in force', () => {
    expect(() => assertDecidable(challenge({ status: 'rejected' }), competition())).toThrow(
      /already decided/,
    );
    expect(() =>
      assertDecidable(challenge(), competition({ status: 'evaluation', award: undefined })),
    ).toThrow(/no longer in force/);
    expect(() =>
      assertDecidable(
        challenge(),
        competition({ award: { ...award, decidedAt: '2026-11-05T00:00:00.000Z' } }),
      ),
    ).toThrow(/no longer in force/);
    expect(() => assertDecidable(challenge(), competition())).not.toThrow();
  });

  it('records the outcome, and what follows only when upheld', () => {
    const rejected = decidedChallenge(challenge(), { outcome: 'rejected', reasons: 'No' }, 'lead', 'T');
    expect(rejected).toMatchObject({
      status: 'rejected',
      decision: { outcome: 'rejected', decidedBy: 'lead' },
    });
    expect(rejected.decision).not.toHaveProperty('then');
    const upheld = decidedChallenge(
      challenge(),
      { outcome: 'upheld', reasons: 'Yes', then: 'cancel' },
      'lead',
      'T',
    );
    expect(upheld.decision?.then).toBe('cancel');
    expect(decisionAuditAction({ outcome: 'rejected', reasons: 'x' })).toBe('challenge.reject');
    expect(decisionAuditAction({ outcome: 'upheld', reasons: 'x', then: 'cancel' })).toBe(
      'challenge.uphold-cancel',
    );
    expect(decisionAuditAction({ outcome: 'upheld', reasons: 'x', then: 're-evaluate' })).toBe(
      'challenge.uphold-reevaluate',
    );
  });
});

describe('an upheld challenge', () => {
  it('returns the competition to evaluation with the award withdrawn, as a new version', () => {
    const after = competitionAfterUpheld(competition(), 're-evaluate', 'Misread', 'T');
    expect(after).toMatchObject({ status: 'evaluation', version: 8, updatedAt: 'T' });
    expect(after).not.toHaveProperty('award');
  });

  it('or cancels it with the reasons', () => {
    const after = competitionAfterUpheld(competition(), 'cancel', 'Flawed', 'T');
    expect(after).toMatchObject({ status: 'cancelled', cancelledAt: 'T', version: 8 });
    expect(after.cancelReason).toContain('Flawed');
  });
});

describe('how a challenge stands', () => {
  it('is open only while its decision is the one in force, in standstill', () => {
    expect(challengeStatus(challenge(), competition())).toBe('open');
    expect(challengeStatus(challenge(), competition({ status: 'evaluation', award: undefined }))).toBe(
      'superseded',
    );
    expect(challengeStatus(challenge({ status: 'upheld' }), competition({ status: 'evaluation' }))).toBe(
      'upheld',
    );
  });
});

describe('the policy', () => {
  const facts = (overrides: Partial<WallFacts> = {}): WallFacts => ({
    leadSub: 'lead',
    evaluators: ['e1'],
    moderator: 'm',
    declarations: { lead: { conflicts: [] }, e1: { conflicts: [] }, m: { conflicts: [] } },
    excluded: [],
    connectedOrganisations: ['A', 'B'],
    callerOrganisations: [],
    tenderDeadlinePassed: true,
    ...overrides,
  });
  const who = (
    sub: string,
    groups: ('commissioner' | 'auditor' | 'admin')[] = ['commissioner'],
  ): Principal => ({
    kind: 'user',
    sub,
    email: undefined,
    groups,
  });

  it('picks the bidding organisation a member challenges for', () => {
    expect(decideChallenger(['B'], ['B'], undefined)).toEqual({ providerId: 'B' });
    expect(decideChallenger(['B', 'X'], ['B'], undefined)).toEqual({ providerId: 'B' });
    expect(decideChallenger(['A', 'B'], ['A', 'B'], undefined)).toEqual({ choose: ['A', 'B'] });
    expect(decideChallenger(['A', 'B'], ['A', 'B'], 'B')).toEqual({ providerId: 'B' });
  });

  it('refuses non-members and organisations that did not bid', () => {
    expect(() => decideChallenger(['X'], [], undefined)).toThrow(/Only members of an organisation that bid/);
    expect(() => decideChallenger(['B'], ['B'], 'A')).toThrow(/not a member/);
    expect(() => decideChallenger(['X'], [], 'X')).toThrow(/did not bid/);
  });

  it('gives members of connected organisations their own challenges, and everyone else the wall', () => {
    expect(challengeReadScope(who('owner-b', []), facts({ callerOrganisations: ['B', 'Z'] }))).toEqual({
      scope: 'own',
      organisations: ['B'],
    });
    expect(challengeReadScope(who('lead'), facts())).toEqual({ scope: 'wall' });
    expect(challengeReadScope({ kind: 'anonymous' }, facts())).toEqual({ scope: 'wall' });
  });

  it('lets declared insiders and auditors read, and only the declared lead decide', () => {
    const read = (p: Principal, f = facts()) => decideCompetitionAccess(p, f, 'challenges', 'read');
    const decide = (p: Principal, f = facts()) => decideCompetitionAccess(p, f, 'challenges', 'decide');
    expect(read(who('lead'))).toMatchObject({ allowed: true, role: 'lead' });
    expect(read(who('e1'))).toMatchObject({ allowed: true, role: 'evaluator' });
    expect(read(who('m'))).toMatchObject({ allowed: true, role: 'moderator' });
    expect(read(who('ann', ['auditor']))).toMatchObject({ allowed: true, role: 'auditor' });
    // Excluding an auditor does not shut them out, as for the wall and the audit log.
    expect(read(who('ann', ['auditor']), facts({ excluded: ['ann'] }))).toMatchObject({ allowed: true });
    expect(read(who('someone'))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(read(who('admin', ['admin']))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(decide(who('lead'))).toMatchObject({ allowed: true, role: 'lead' });
    expect(decide(who('e1'))).toMatchObject({ allowed: false, code: 'forbidden' });
    expect(decide(who('ann', ['auditor']))).toMatchObject({ allowed: false });
    // An undeclared or conflicted lead, or one connected to a bidder, cannot decide.
    expect(decide(who('lead'), facts({ declarations: {} }))).toMatchObject({
      allowed: false,
      code: 'declaration-required',
    });
    expect(
      decide(who('lead'), facts({ declarations: { lead: { conflicts: [{ organisationId: 'A' }] } } })),
    ).toMatchObject({ allowed: false, code: 'ethical-wall' });
    expect(decide(who('lead'), facts({ callerOrganisations: ['A'] }))).toMatchObject({
      allowed: false,
      code: 'ethical-wall',
    });
    expect(decide(who('lead'), facts({ excluded: ['lead'] }))).toMatchObject({
      allowed: false,
      code: 'ethical-wall',
    });
  });
});
