/**
 * The ethical wall as a decision table: every kind of principal × every resource × every action × every
 * competition status, against expectations written from DESIGN.md section 3 and ../shared/API.md.
 */
import { describe, expect, it } from 'vitest';
import { COMPETITION_STATUSES, type CompetitionStatus } from '../../shared/domain/competitions';
import {
  type CompetitionAction,
  type CompetitionResource,
  decideCompetitionAccess,
  panelEligibility,
  type WallFacts,
} from '../../shared/domain/policy';
import type { Group, Principal } from '../../shared/domain/principal';

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
  'audit',
];
const ACTIONS: CompetitionAction[] = ['read', 'mark', 'moderate', 'decide', 'manage'];

const user = (sub: string, ...groups: Group[]): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});

const baseFacts = (status: CompetitionStatus): WallFacts => ({
  leadSub: 'lead',
  evaluators: ['eval', 'eval-undeclared', 'eval-conflicted', 'inhouse'],
  moderator: 'mod',
  declarations: {
    lead: { conflicts: [] },
    eval: { conflicts: [] },
    mod: { conflicts: [] },
    'eval-conflicted': { conflicts: [{ organisationId: 'RIVAL' }] },
    inhouse: { conflicts: [] },
  },
  excluded: ['excluded'],
  connectedOrganisations: ['RIVAL', 'INHOUSE', 'SUBBY'],
  callerOrganisations: [],
  tenderDeadlinePassed: ['evaluation', 'standstill', 'awarded'].includes(status),
});

type Kind = {
  name: string;
  principal: Principal;
  organisations?: string[];
  facts?: (f: WallFacts) => WallFacts;
};
const KINDS: Kind[] = [
  { name: 'declared lead', principal: user('lead', 'commissioner') },
  {
    name: 'undeclared lead',
    principal: user('lead', 'commissioner'),
    facts: (f) => ({ ...f, declarations: { ...f.declarations, lead: undefined as never } }),
  },
  {
    name: 'conflicted lead',
    principal: user('lead', 'commissioner'),
    facts: (f) => ({ ...f, declarations: { ...f.declarations, lead: { conflicts: [{}] } } }),
  },
  { name: 'declared evaluator', principal: user('eval', 'commissioner') },
  { name: 'undeclared evaluator', principal: user('eval-undeclared', 'commissioner') },
  { name: 'conflicted evaluator', principal: user('eval-conflicted', 'commissioner') },
  { name: 'declared moderator', principal: user('mod', 'commissioner') },
  { name: 'commissioner off the panel', principal: user('other', 'commissioner') },
  { name: 'excluded commissioner', principal: user('excluded', 'commissioner') },
  {
    name: 'in-house bid team commissioner on the panel',
    principal: user('inhouse', 'commissioner'),
    organisations: ['INHOUSE'],
  },
  { name: 'rival bidder', principal: user('rival'), organisations: ['RIVAL'] },
  { name: "named sub-contractor's staff", principal: user('subby'), organisations: ['SUBBY'] },
  { name: 'unconnected provider user', principal: user('provider'), organisations: ['ELSEWHERE'] },
  { name: 'admin', principal: user('admin', 'admin') },
  { name: 'admin in a bidding organisation', principal: user('admin2', 'admin'), organisations: ['RIVAL'] },
  { name: 'auditor', principal: user('auditor', 'auditor') },
  {
    name: 'auditor the lead excluded',
    principal: user('auditor', 'auditor'),
    facts: (f) => ({ ...f, excluded: [...f.excluded, 'auditor'] }),
  },
  {
    name: 'admin the lead excluded',
    principal: user('admin', 'admin'),
    facts: (f) => ({ ...f, excluded: [...f.excluded, 'admin'] }),
  },
  { name: 'anonymous', principal: { kind: 'anonymous' } },
];

type Expected = 'allow' | 'ethical-wall' | 'forbidden' | 'declaration-required' | 'sealed';
const SEALED: CompetitionResource[] = ['bids', 'scores', 'moderation', 'evaluation'];

/** What the brief says each kind may do. */
function expected(
  kind: string,
  resource: CompetitionResource,
  action: CompetitionAction,
  status: CompetitionStatus,
): Expected {
  const sealedNow = SEALED.includes(resource) && !['evaluation', 'standstill', 'awarded'].includes(status);
  const outside = [
    'conflicted lead',
    'conflicted evaluator',
    'excluded commissioner',
    'in-house bid team commissioner on the panel',
    'rival bidder',
    "named sub-contractor's staff",
    'admin in a bidding organisation',
  ];
  if (kind === 'anonymous') return 'forbidden';
  if (outside.includes(kind)) return 'ethical-wall';
  // Oversight cannot be excluded: an exclusion only shuts an auditor or admin out of what they could not
  // see anyway.
  if (kind === 'auditor the lead excluded' || kind === 'admin the lead excluded') {
    if ((resource === 'wall' || resource === 'audit') && action === 'read') return 'allow';
    return 'ethical-wall';
  }
  if (kind === 'admin' || kind === 'auditor') {
    if ((resource === 'wall' || resource === 'audit') && action === 'read') return 'allow';
    return sealedNow ? 'sealed' : 'forbidden';
  }
  // Sealed for everyone before the deadline, whatever their seat.
  if (sealedNow) return 'sealed';
  const leadMay: Partial<Record<CompetitionResource, CompetitionAction[]>> = {
    competition: ['manage'],
    confidential: ['read', 'manage'],
    panel: ['read', 'manage'],
    wall: ['read', 'manage', 'decide'],
    'prequalification-responses': ['read', 'decide'],
    bids: ['read'],
    scores: ['read'],
    moderation: ['read'],
    evaluation: ['read', 'decide'],
  };
  const panelRead: CompetitionResource[] = [
    'confidential',
    'panel',
    'prequalification-responses',
    'bids',
    'scores',
    'moderation',
    'evaluation',
  ];
  let seat = false;
  if (kind === 'declared lead' || kind === 'undeclared lead')
    seat = leadMay[resource]?.includes(action) ?? false;
  if (kind === 'declared evaluator' || kind === 'undeclared evaluator') {
    seat =
      (action === 'read' && panelRead.includes(resource)) ||
      (action === 'mark' && (resource === 'scores' || resource === 'prequalification-responses'));
  }
  if (kind === 'declared moderator') {
    seat =
      (action === 'read' && panelRead.includes(resource)) ||
      (action === 'mark' && resource === 'prequalification-responses') ||
      (action === 'moderate' && resource === 'moderation');
  }
  if (!seat) return 'forbidden';
  if (action !== 'manage' && kind.startsWith('undeclared')) return 'declaration-required';
  return 'allow';
}

describe('decideCompetitionAccess', () => {
  const cases = KINDS.flatMap((kind) =>
    RESOURCES.flatMap((resource) =>
      ACTIONS.flatMap((action) =>
        COMPETITION_STATUSES.map((status) => [kind, resource, action, status] as const),
      ),
    ),
  );

  it(`covers ${KINDS.length} principals × ${RESOURCES.length} resources × ${ACTIONS.length} actions × ${COMPETITION_STATUSES.length} statuses`, () => {
    expect(cases.length).toBe(KINDS.length * RESOURCES.length * ACTIONS.length * COMPETITION_STATUSES.length);
    const mismatches: string[] = [];
    for (const [kind, resource, action, status] of cases) {
      let facts: WallFacts = { ...baseFacts(status), callerOrganisations: kind.organisations ?? [] };
      if (kind.facts) facts = kind.facts(facts);
      const decision = decideCompetitionAccess(kind.principal, facts, resource, action);
      const got = decision.allowed ? 'allow' : decision.code;
      const want = expected(kind.name, resource, action, status);
      if (got !== want)
        mismatches.push(`${kind.name} ${action} ${resource} (${status}): got ${got}, want ${want}`);
    }
    expect(mismatches).toEqual([]);
  });

  it('flags denials from outside the wall for the alerts, and no others', () => {
    const facts = { ...baseFacts('evaluation'), callerOrganisations: ['RIVAL'] };
    const rival = decideCompetitionAccess(user('rival'), facts, 'bids', 'read');
    expect(rival).toMatchObject({ allowed: false, code: 'ethical-wall', outsideWall: true });
    const stranger = decideCompetitionAccess(
      user('provider'),
      { ...facts, callerOrganisations: [] },
      'bids',
      'read',
    );
    expect(stranger).toMatchObject({ allowed: false, code: 'forbidden', outsideWall: false });
  });

  it('names the role of whoever is let in', () => {
    const facts = baseFacts('evaluation');
    expect(decideCompetitionAccess(user('lead', 'commissioner'), facts, 'bids', 'read')).toEqual({
      allowed: true,
      role: 'lead',
    });
    expect(decideCompetitionAccess(user('mod', 'commissioner'), facts, 'moderation', 'moderate')).toEqual({
      allowed: true,
      role: 'moderator',
    });
    expect(decideCompetitionAccess(user('auditor', 'auditor'), facts, 'audit', 'read')).toEqual({
      allowed: true,
      role: 'auditor',
    });
  });
});

describe('panelEligibility', () => {
  const facts = baseFacts('shortlisting');

  it('refuses connected, excluded and conflicted candidates and accepts others', () => {
    expect(panelEligibility({ sub: 'x', organisations: ['INHOUSE'] }, facts).eligible).toBe(false);
    expect(panelEligibility({ sub: 'excluded', organisations: [] }, facts).eligible).toBe(false);
    expect(panelEligibility({ sub: 'eval-conflicted', organisations: [] }, facts).eligible).toBe(false);
    expect(panelEligibility({ sub: 'new-person', organisations: ['ELSEWHERE'] }, facts)).toEqual({
      eligible: true,
    });
  });
});
