/**
 * Declarations and exclusions as append-only histories, and who may declare or clear (issue 12, items 1
 * and 3): pure rules, no I/O.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  currentExclusions,
  type DeclarationRecord,
  type ExclusionRecord,
  effectiveDeclarations,
  nextVersion,
} from '../../shared/domain/declarations';
import {
  decideClearance,
  decideDeclaration,
  type WallFacts,
  wallAffiliations,
} from '../../shared/domain/policy';
import type { Group, Principal } from '../../shared/domain/principal';

const conflict = (organisationId: string) => ({ organisationId, nature: `works for ${organisationId}` });
const declaration = (sub: string, version: number, organisations: string[] = []): DeclarationRecord => ({
  sub,
  version,
  kind: 'declaration',
  conflicts: organisations.map(conflict),
  at: `2026-12-01T10:00:0${version}.000Z`,
  by: sub,
});
const clearance = (sub: string, version: number, by = 'lead'): DeclarationRecord => ({
  sub,
  version,
  kind: 'clearance',
  conflicts: [],
  at: `2026-12-01T10:00:0${version}.000Z`,
  by,
  reason: 'historic',
});

describe('effectiveDeclarations', () => {
  it('keeps a conflict when the declarer later declares none', () => {
    const effective = effectiveDeclarations([declaration('eva', 1, ['A']), declaration('eva', 2)]);
    expect(effective.eva?.conflicts).toEqual([conflict('A')]);
    expect(effective.eva?.version).toBe(2);
  });

  it('accumulates conflicts, one per organisation, until a clearance', () => {
    const history = [
      declaration('eva', 1, ['A']),
      declaration('eva', 2, ['A', 'B']),
      clearance('eva', 3),
      declaration('eva', 4),
    ];
    expect(effectiveDeclarations(history.slice(0, 2)).eva?.conflicts.map((c) => c.organisationId)).toEqual([
      'A',
      'B',
    ]);
    const cleared = effectiveDeclarations(history).eva;
    expect(cleared).toMatchObject({ conflicts: [], clearedBy: 'lead', version: 4 });
  });

  it('puts a person outside again when they declare a new conflict after a clearance', () => {
    const effective = effectiveDeclarations([
      declaration('eva', 1, ['A']),
      clearance('eva', 2),
      declaration('eva', 3, ['C']),
    ]);
    expect(effective.eva?.conflicts).toEqual([conflict('C')]);
  });

  it('reads records in version order whatever order they arrive in', () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray(
          [declaration('eva', 1, ['A']), declaration('eva', 2), clearance('eva', 3), declaration('eva', 4)],
          { minLength: 4, maxLength: 4 },
        ),
        (shuffled) => {
          expect(effectiveDeclarations(shuffled).eva).toMatchObject({ conflicts: [], version: 4 });
        },
      ),
    );
  });

  it('ignores a clearance with no declaration before it, and treats prototype names as plain keys', () => {
    const effective = effectiveDeclarations([clearance('ghost', 1), declaration('constructor', 1, ['A'])]);
    expect(Object.keys(effective)).toEqual(['constructor']);
    expect(effective['constructor' as string]?.conflicts).toEqual([conflict('A')]);
    expect(effective.toString).toBeUndefined();
  });

  it('numbers each person’s history from 1, after a legacy record (version 0)', () => {
    const history = [declaration('eva', 0), declaration('eva', 1), declaration('max', 1)];
    expect(nextVersion(history, 'eva')).toBe(2);
    expect(nextVersion(history, 'max')).toBe(2);
    expect(nextVersion(history, 'new')).toBe(1);
  });
});

describe('currentExclusions', () => {
  const record = (sub: string, version: number, kind: ExclusionRecord['kind']): ExclusionRecord => ({
    sub,
    version,
    kind,
    reason: kind,
    at: `2026-12-01T10:00:0${version}.000Z`,
    by: 'lead',
  });

  it('is the people whose latest record is an exclusion', () => {
    expect(
      currentExclusions([
        record('ann', 1, 'exclusion'),
        record('ann', 2, 'lift'),
        record('bob', 1, 'exclusion'),
        record('cat', 1, 'exclusion'),
        record('cat', 2, 'lift'),
        record('cat', 3, 'exclusion'),
      ]).map((e) => e.sub),
    ).toEqual(['bob', 'cat']);
  });
});

const user = (sub: string, ...groups: Group[]): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups,
});
const facts = (overrides: Partial<WallFacts> = {}): WallFacts => ({
  leadSub: 'lead',
  evaluators: ['eva'],
  moderator: 'mod',
  declarations: { lead: { conflicts: [] }, eva: { conflicts: [conflict('A')] } },
  excluded: [],
  connectedOrganisations: ['BIDDER'],
  callerOrganisations: [],
  tenderDeadlinePassed: false,
  ...overrides,
});

describe('decideDeclaration', () => {
  it('lets the lead and panel members declare', () => {
    expect(decideDeclaration(user('lead', 'commissioner'), facts())).toMatchObject({ allowed: true });
    expect(decideDeclaration(user('eva', 'commissioner'), facts())).toMatchObject({ allowed: true });
    expect(decideDeclaration(user('mod', 'commissioner'), facts())).toMatchObject({ allowed: true });
  });

  it('refuses someone with no seat as forbidden, and nobody anonymous', () => {
    expect(decideDeclaration(user('other', 'commissioner'), facts())).toMatchObject({ code: 'forbidden' });
    expect(decideDeclaration({ kind: 'anonymous' }, facts())).toMatchObject({ code: 'forbidden' });
  });

  it('refuses a connected or excluded seat holder at the wall, as outside it', () => {
    expect(
      decideDeclaration(user('eva', 'commissioner'), facts({ callerOrganisations: ['BIDDER'] })),
    ).toMatchObject({ code: 'ethical-wall', outsideWall: true });
    expect(decideDeclaration(user('mod', 'commissioner'), facts({ excluded: ['mod'] }))).toMatchObject({
      code: 'ethical-wall',
      outsideWall: true,
    });
  });
});

describe('decideClearance', () => {
  it("lets a declared, conflict-free lead clear a panel member's conflict", () => {
    expect(decideClearance(user('lead', 'commissioner'), facts(), 'eva')).toMatchObject({ allowed: true });
  });

  it('refuses the declarer, other panel members and a lead who is not inside', () => {
    expect(decideClearance(user('eva', 'commissioner'), facts(), 'eva')).toMatchObject({ allowed: false });
    expect(decideClearance(user('mod', 'commissioner'), facts(), 'eva')).toMatchObject({ allowed: false });
    expect(decideClearance(user('lead', 'commissioner'), facts({ declarations: {} }), 'eva')).toMatchObject({
      code: 'declaration-required',
    });
    expect(
      decideClearance(
        user('lead', 'commissioner'),
        facts({ declarations: { lead: { conflicts: [conflict('B')] } } }),
        'eva',
      ),
    ).toMatchObject({ code: 'ethical-wall' });
  });

  it("leaves the lead's own conflict to an unconnected admin", () => {
    expect(decideClearance(user('lead', 'commissioner', 'admin'), facts(), 'lead')).toMatchObject({
      allowed: false,
    });
    expect(decideClearance(user('boss', 'commissioner'), facts(), 'lead')).toMatchObject({
      code: 'forbidden',
    });
    expect(decideClearance(user('root', 'admin'), facts(), 'lead')).toMatchObject({ allowed: true });
    expect(
      decideClearance(user('root', 'admin'), facts({ callerOrganisations: ['BIDDER'] }), 'lead'),
    ).toMatchObject({ code: 'ethical-wall' });
  });
});

describe('wallAffiliations', () => {
  const connections = new Map([
    ['BIDDER', '2026-12-01T10:00:00.000Z'],
    ['SUBBY', '2026-12-01T12:00:00.000Z'],
  ]);

  it('counts current memberships, and every former one of a connected organisation', () => {
    expect(
      wallAffiliations(
        ['ELSEWHERE'],
        [
          { providerId: 'BIDDER', leftAt: '2026-12-02T09:00:00.000Z' },
          // Left "before" the stored time: that time is rewritten by every draft save, so it proves nothing.
          { providerId: 'SUBBY', leftAt: '2026-11-30T09:00:00.000Z' },
          { providerId: 'UNCONNECTED', leftAt: '2026-11-30T09:00:00.000Z' },
        ],
        connections,
      ),
    ).toEqual({ organisations: ['ELSEWHERE', 'BIDDER', 'SUBBY'], connected: ['BIDDER', 'SUBBY'] });
  });
});
