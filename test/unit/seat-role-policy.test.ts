/**
 * A seat (lead or panel) opens the competition only to someone who holds the commissioner role now, and a
 * connected viewer without a seat is told, while bids are sealed, only what anyone without a seat is told
 * (issue 14 review: a newcomer's walk of the workspace).
 */
import { describe, expect, it } from 'vitest';
import {
  type CompetitionAction,
  type CompetitionResource,
  competitionTabs,
  decideClearance,
  decideCompetitionAccess,
  decideDeclaration,
  OUTSIDE_WITHOUT_SEAT,
  SEAT_WITHOUT_ROLE,
  type WallFacts,
} from '../../shared/domain/policy';
import type { Group, Principal } from '../../shared/domain/principal';

const user = (sub: string, ...groups: Group[]): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});

const facts = (tenderDeadlinePassed: boolean, callerOrganisations: string[] = []): WallFacts => ({
  leadSub: 'lead',
  evaluators: ['eval'],
  moderator: 'mod',
  declarations: { lead: { conflicts: [] }, eval: { conflicts: [] }, mod: { conflicts: [] } },
  excluded: [],
  connectedOrganisations: ['BIDDER'],
  callerOrganisations,
  tenderDeadlinePassed,
});

const RESOURCES: CompetitionResource[] = [
  'competition',
  'confidential',
  'panel',
  'wall',
  'prequalification-responses',
  'bids',
  'scores',
  'moderation',
  'evaluation',
  'questions',
  'challenges',
  'documents',
];
const ACTIONS: CompetitionAction[] = ['read', 'mark', 'moderate', 'decide', 'manage'];

describe('a seat without the commissioner role', () => {
  it('opens nothing to a lead or panel member whose role was removed, on any resource or action', () => {
    const opened: string[] = [];
    for (const sub of ['lead', 'eval', 'mod'])
      for (const resource of RESOURCES)
        for (const action of ACTIONS) {
          const decision = decideCompetitionAccess(user(sub), facts(true), resource, action);
          if (decision.allowed) opened.push(`${sub} ${action} ${resource}`);
          else if (decision.code === 'forbidden') expect(decision.reason).toBe(SEAT_WITHOUT_ROLE);
        }
    expect(opened).toEqual([]);
  });

  it('still opens the same seats to them with the role', () => {
    expect(decideCompetitionAccess(user('eval', 'commissioner'), facts(true), 'bids', 'read')).toEqual({
      allowed: true,
      role: 'evaluator',
    });
    expect(
      decideCompetitionAccess(user('lead', 'commissioner'), facts(true), 'evaluation', 'decide'),
    ).toEqual({ allowed: true, role: 'lead' });
  });

  it('leaves an auditor or admin their own oversight powers, but not the seat’s', () => {
    for (const group of ['auditor', 'admin'] as const) {
      const seated = user('eval', group);
      expect(decideCompetitionAccess(seated, facts(true), 'wall', 'read').allowed).toBe(true);
      expect(decideCompetitionAccess(seated, facts(true), 'bids', 'read')).toMatchObject({
        allowed: false,
        code: 'forbidden',
      });
    }
    expect(decideCompetitionAccess(user('eval', 'auditor'), facts(true), 'challenges', 'read').allowed).toBe(
      true,
    );
  });

  it('cannot declare, or clear a conflict, without the role', () => {
    expect(decideDeclaration(user('eval'), facts(false))).toMatchObject({
      allowed: false,
      code: 'forbidden',
    });
    expect(decideDeclaration(user('lead', 'auditor'), facts(false))).toMatchObject({ allowed: false });
    expect(decideDeclaration(user('lead', 'commissioner'), facts(false))).toEqual({
      allowed: true,
      role: 'lead',
    });
    expect(decideClearance(user('lead'), facts(true), 'eval').allowed).toBe(false);
  });
});

describe('a connected viewer without a seat while bids are sealed', () => {
  it('is told only what anyone without a seat is told, still as an ethical-wall refusal', () => {
    for (const resource of ['bids', 'wall', 'panel', 'confidential'] as const) {
      const decision = decideCompetitionAccess(
        user('outsider', 'commissioner'),
        facts(false, ['BIDDER']),
        resource,
        'read',
      );
      expect(decision).toEqual({
        allowed: false,
        code: 'ethical-wall',
        reason: OUTSIDE_WITHOUT_SEAT,
        outsideWall: true,
      });
    }
    expect(decideDeclaration(user('outsider', 'commissioner'), facts(false, ['BIDDER']))).toMatchObject({
      code: 'ethical-wall',
      reason: OUTSIDE_WITHOUT_SEAT,
    });
  });

  it('is told why once bids are open, and a seat holder is always told why', () => {
    const open = decideCompetitionAccess(
      user('outsider', 'commissioner'),
      facts(true, ['BIDDER']),
      'bids',
      'read',
    );
    expect(open).toMatchObject({
      code: 'ethical-wall',
      reason: expect.stringContaining('applied for or bid'),
    });
    const seated = decideCompetitionAccess(
      user('eval', 'commissioner'),
      facts(false, ['BIDDER']),
      'panel',
      'read',
    );
    expect(seated).toMatchObject({
      code: 'ethical-wall',
      reason: expect.stringContaining('applied for or bid'),
    });
  });
});

describe('competitionTabs', () => {
  it('offers each viewer only the sections the wall could ever let them open', () => {
    expect(competitionTabs(user('lead', 'commissioner'), ['lead'], true)).toEqual([
      'tasks',
      'wall',
      'questions',
      'documents',
      'responses',
      'bids',
      'evaluation',
      'challenges',
    ]);
    expect(competitionTabs(user('eval', 'commissioner'), ['evaluator'], false)).toEqual([
      'tasks',
      'questions',
      'documents',
      'bids',
      'evaluation',
      'challenges',
    ]);
    expect(competitionTabs(user('aud', 'auditor'), [], true)).toEqual([
      'tasks',
      'wall',
      'documents',
      'challenges',
      'audit',
    ]);
    // A seat without the commissioner role opens nothing of the seat's.
    expect(competitionTabs(user('eval'), ['evaluator'], true)).toEqual(['tasks', 'documents']);
    // Seats unknown: whatever a seat could open stays, the audit trail does not.
    expect(competitionTabs(user('c', 'commissioner'), undefined)).not.toContain('audit');
    expect(competitionTabs(user('c', 'commissioner'), undefined)).toContain('wall');
  });
});
