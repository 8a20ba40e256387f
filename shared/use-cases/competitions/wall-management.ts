/**
 * Running the wall: the lead sets the panel (refusing anyone outside the wall), excludes people and lifts
 * exclusions; the lead and panel members sign declarations (append-only) and only someone else clears a
 * declared conflict; the lead, auditors and admins read the wall.
 */
import type { CompetitionState } from '../../db/competitions';
import { seatReasonWhileSealed } from '../../domain/audit-redaction';
import type { Declaration, Exclusion, Panel } from '../../domain/competitions';
import { bidsUnsealed, effectiveStatus } from '../../domain/competitions';
import {
  type DeclarationRecord,
  type EffectiveDeclaration,
  type ExclusionRecord,
  effectiveDeclarations,
  nextVersion,
} from '../../domain/declarations';
import {
  ConflictError,
  EthicalWallError,
  type FieldIssue,
  ForbiddenError,
  InvalidStateError,
  ValidationError,
} from '../../domain/errors';
import { type EvaluationRules, panelIssues } from '../../domain/evaluation-rules';
import {
  decideClearance,
  decideDeclaration,
  panelEligibility,
  panelRoleEligibility,
  requireUser,
  type WallDecision,
  type WallFacts,
} from '../../domain/policy';
import type { Principal, UserPrincipal } from '../../domain/principal';
import type { IdentityDirectory } from '../../domain/sessions';
import {
  affiliationsFor,
  auditResource,
  enterWall,
  loadCompetitionState,
  recordChange,
  WALL_ERRORS,
  type WallAccess,
  type WallDeps,
  wallFacts,
} from './wall';

const CLOSED = ['awarded', 'cancelled'];

/** Setting the panel through the wall: the lead's, its refusal audited (`setPanel`, `setPanelByReference`). */
export const SET_PANEL: WallAccess = {
  resource: 'panel',
  action: 'manage',
  auditAction: 'panel.set',
  auditAllowed: false,
};

/** Excluding someone through the wall: the lead's, its refusal audited (`excludeFromWall`, `excludeByReference`). */
export const EXCLUDE: WallAccess = {
  resource: 'wall',
  action: 'manage',
  auditAction: 'wall.exclude',
  auditAllowed: false,
};

/**
 * What setting the panel needs: the wall's repositories and, to check that each person chosen holds the
 * commissioner role, the identity provider (`people`). The JSON route and the pages always pass it; demo
 * data and tests that seat people who have no account yet may leave it out.
 */
export type PanelDeps = WallDeps & { people?: IdentityDirectory | undefined };

/** `PUT /competitions/{id}/panel`: the lead names evaluators and a moderator; their seats change with it. */
export async function setPanel(
  deps: PanelDeps,
  principal: Principal,
  id: string,
  input: { evaluators: string[]; moderator: string },
  now: Date,
  rules: EvaluationRules,
): Promise<Panel> {
  const user = requireUser(principal);
  const { state, facts } = await enterWall(deps, principal, id, SET_PANEL, now);
  return setPanelOn(deps, user, { state, facts }, input, now, rules);
}

/**
 * The rest of `setPanel`, once the competition is loaded and the caller has passed the wall (as
 * `setPanelByReference` does before looking addresses up): nothing is read twice.
 * @param names how the form named each person chosen (their e-mail address), for the messages
 * @throws ValidationError (paths `evaluators`, `moderator`) for a panel that breaks the separation of duties,
 *   or that names someone the identity provider knows without the commissioner role (or disabled)
 * @throws EthicalWallError (audited, alerted) for someone outside the wall
 */
export async function setPanelOn(
  deps: PanelDeps,
  user: UserPrincipal,
  loaded: { state: CompetitionState; facts: WallFacts },
  input: { evaluators: string[]; moderator: string },
  now: Date,
  rules: EvaluationRules,
  names: ReadonlyMap<string, string> = new Map(),
): Promise<Panel> {
  const { state, facts } = loaded;
  const id = state.competition.id;
  if (CLOSED.includes(effectiveStatus(state.competition, now)))
    throw new InvalidStateError('This competition is closed.');
  const issues = panelIssues(input, state.competition.leadSub, rules);
  if (issues.length > 0)
    throw new ValidationError(
      `The panel breaks the separation of duties (${issues.length} problem(s)).`,
      issues,
    );
  const candidates = [...new Set([...input.evaluators, input.moderator])];
  for (const sub of candidates) {
    const { organisations, connected } = await affiliationsFor(deps, id, sub);
    const eligibility = panelEligibility(
      { sub, organisations },
      { ...facts, connectedOrganisations: connected },
    );
    if (!eligibility.eligible) {
      await deps.audit.append(
        id,
        {
          at: now.toISOString(),
          actor: user.sub,
          action: 'panel.set',
          resource: auditResource(id, 'panel'),
          outcome: 'denied',
          reason: '/problems/ethical-wall',
        },
        { alert: true },
      );
      // While bids are sealed the reason would say that this person's organisation applied or bid (who is
      // bidding is itself sealed), so the refusal names the person and the wall alone, and is alerted.
      throw new EthicalWallError(
        facts.tenderDeadlinePassed
          ? `${eligibility.reason} They cannot sit on the panel.`
          : `${sub} is outside the wall for this competition: they cannot sit on the panel.`,
      );
    }
  }
  // After the wall: someone connected to a bidder is refused as outside it (audited and alerted), whatever
  // their role.
  const roleIssues = await panelRoleIssues(deps.people, input, names);
  if (roleIssues.length > 0) {
    throw new ValidationError(
      'Only commissioners sit on a panel: some people chosen do not hold the commissioner role.',
      roleIssues,
    );
  }
  const panel: Panel = {
    evaluators: [...new Set(input.evaluators)],
    moderator: input.moderator,
    setAt: now.toISOString(),
    setBy: user.sub,
  };
  // The seats the panel gives and takes are written with it; the panel only if nobody set another since
  // it was read, so the seats always match the panel in force.
  await recordChange(
    deps,
    id,
    { at: panel.setAt, actor: user.sub, action: 'panel.set', resource: 'panel' },
    {
      items: deps.competitions.panelItems(id, panel, {
        competition: state.competition,
        previous: state.panel,
      }),
      onRefused: (codes) =>
        codes[0] === 'ConditionalCheckFailed'
          ? new ConflictError('Someone changed the panel at the same moment. Reload and try again.')
          : undefined,
    },
  );
  return panel;
}

/**
 * The people chosen who may not sit on a panel by their role (`panelRoleEligibility`), each against the
 * field that named them; none when no identity provider is given.
 */
async function panelRoleIssues(
  people: IdentityDirectory | undefined,
  input: { evaluators: string[]; moderator: string },
  names: ReadonlyMap<string, string>,
): Promise<FieldIssue[]> {
  if (!people) return [];
  const chosen = [
    ...[...new Set(input.evaluators)].map((sub) => ({ path: 'evaluators', sub })),
    { path: 'moderator', sub: input.moderator },
  ];
  const identities = await Promise.all(chosen.map(({ sub }) => people.find({ sub })));
  const issues: FieldIssue[] = [];
  chosen.forEach(({ path, sub }, index) => {
    const eligibility = panelRoleEligibility(names.get(sub) ?? sub, identities[index]);
    if (!eligibility.eligible) issues.push({ path, message: eligibility.reason });
  });
  return issues;
}

/** A concurrent write took the same version of a history: the caller should reload and try again. */
const versionTaken = () =>
  new ConflictError('Someone recorded a change to this person at the same moment. Reload and try again.');

/**
 * Audits a refused wall action (with an alert when the caller is outside the wall) and throws its error.
 */
async function refuse(
  deps: WallDeps,
  id: string,
  principal: Principal,
  decision: Extract<WallDecision, { allowed: false }>,
  audit: { action: string; resource: string },
  now: Date,
): Promise<never> {
  await deps.audit.append(
    id,
    {
      at: now.toISOString(),
      actor: principal.kind === 'user' ? principal.sub : 'anonymous',
      action: audit.action,
      resource: auditResource(id, audit.resource),
      outcome: 'denied',
      reason: `/problems/${decision.code}`,
    },
    { alert: decision.outsideWall },
  );
  throw new WALL_ERRORS[decision.code](decision.reason);
}

/**
 * `POST /competitions/{id}/declarations`: the lead or a panel member declares conflicts (or none). Each
 * declaration is a new version of the declarer's history: a declared conflict stays until someone else
 * clears it. Someone connected to an applicant or bidder, or excluded, is refused (audited, with an alert).
 */
export async function declare(
  deps: WallDeps,
  principal: Principal,
  id: string,
  conflicts: Declaration['conflicts'],
  now: Date,
): Promise<EffectiveDeclaration> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const facts = await wallFacts(deps, principal, state, now);
  const action = conflicts.length > 0 ? 'declaration.conflict' : 'declaration.no-conflict';
  const decision = decideDeclaration(principal, facts);
  if (!decision.allowed) {
    // Someone who is simply not seated is told so without an audit event: declaring is not inside access.
    if (decision.code === 'forbidden') throw new ForbiddenError(decision.reason);
    return refuse(deps, id, principal, decision, { action, resource: 'declarations' }, now);
  }
  const record: DeclarationRecord = {
    sub: user.sub,
    version: nextVersion(state.declarationHistory, user.sub),
    kind: 'declaration',
    conflicts: uniqueConflicts(conflicts),
    at: now.toISOString(),
    by: user.sub,
  };
  await recordChange(
    deps,
    id,
    { at: record.at, actor: user.sub, action, resource: 'declarations' },
    { items: deps.competitions.declarationItems(id, record), onRefused: versionTaken },
  );
  return effectiveAfter(state.declarationHistory, record);
}

/** The same organisation named twice is one conflict (the first nature given). */
function uniqueConflicts(conflicts: Declaration['conflicts']): Declaration['conflicts'] {
  const seen = new Set<string>();
  return conflicts.filter((c) => !seen.has(c.organisationId) && seen.add(c.organisationId));
}

function effectiveAfter(history: DeclarationRecord[], record: DeclarationRecord): EffectiveDeclaration {
  const effective = effectiveDeclarations([...history, record])[record.sub];
  if (!effective) throw new Error('a declaration history without a declaration');
  return effective;
}

/**
 * `POST /competitions/{id}/declarations/{sub}/clearance`: the lead clears a panel member's declared
 * conflict, or an admin the lead's, with a reason (audited). The person is inside again from then on,
 * until they declare another conflict.
 */
export async function clearDeclaration(
  deps: WallDeps,
  principal: Principal,
  id: string,
  declarer: string,
  reason: string,
  now: Date,
): Promise<EffectiveDeclaration> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const facts = await wallFacts(deps, principal, state, now);
  const decision = decideClearance(principal, facts, declarer);
  if (!decision.allowed) {
    return refuse(
      deps,
      id,
      principal,
      decision,
      { action: 'declaration.clear', resource: 'declarations' },
      now,
    );
  }
  if (CLOSED.includes(effectiveStatus(state.competition, now)))
    throw new InvalidStateError('This competition is closed.');
  const current = Object.hasOwn(state.declarations, declarer) ? state.declarations[declarer] : undefined;
  if (!current || current.conflicts.length === 0)
    throw new InvalidStateError(`${declarer} has no declared conflict to clear in this competition.`);
  const record: DeclarationRecord = {
    sub: declarer,
    version: nextVersion(state.declarationHistory, declarer),
    kind: 'clearance',
    conflicts: [],
    at: now.toISOString(),
    by: user.sub,
    reason,
  };
  await recordChange(
    deps,
    id,
    { at: record.at, actor: user.sub, action: 'declaration.clear', resource: 'declarations' },
    { items: deps.competitions.declarationItems(id, record), onRefused: versionTaken },
  );
  return effectiveAfter(state.declarationHistory, record);
}

/** `POST /competitions/{id}/wall/exclusions`: the lead puts someone outside the wall. */
export async function excludeFromWall(
  deps: WallDeps,
  principal: Principal,
  id: string,
  input: { sub: string; reason: string },
  now: Date,
): Promise<Exclusion> {
  const user = requireUser(principal);
  const { state } = await enterWall(deps, principal, id, EXCLUDE, now);
  if (input.sub === user.sub)
    throw new InvalidStateError('The lead cannot exclude themselves; hand the competition over first.');
  if (state.exclusions.some((e) => e.sub === input.sub))
    throw new InvalidStateError(`${input.sub} is already excluded from this competition.`);
  const record: ExclusionRecord = {
    sub: input.sub,
    version: nextVersion(state.exclusionHistory, input.sub),
    kind: 'exclusion',
    reason: input.reason,
    at: now.toISOString(),
    by: user.sub,
  };
  await recordChange(
    deps,
    id,
    { at: record.at, actor: user.sub, action: 'wall.exclude', resource: 'wall' },
    { items: deps.competitions.exclusionItems(id, record), onRefused: versionTaken },
  );
  return { sub: record.sub, reason: record.reason, excludedAt: record.at, excludedBy: record.by };
}

/**
 * `POST /competitions/{id}/wall/exclusions/{sub}/lift`: the lead lets an excluded person back, with a
 * reason (audited). The lead must be inside the wall, declared and conflict-free, to do it.
 */
export async function liftExclusion(
  deps: WallDeps,
  principal: Principal,
  id: string,
  excluded: string,
  reason: string,
  now: Date,
): Promise<ExclusionRecord> {
  const user = requireUser(principal);
  const { state } = await enterWall(
    deps,
    principal,
    id,
    { resource: 'wall', action: 'decide', auditAction: 'wall.lift-exclusion', auditAllowed: false },
    now,
  );
  if (!state.exclusions.some((e) => e.sub === excluded))
    throw new InvalidStateError(`${excluded} is not excluded from this competition.`);
  const record: ExclusionRecord = {
    sub: excluded,
    version: nextVersion(state.exclusionHistory, excluded),
    kind: 'lift',
    reason,
    at: now.toISOString(),
    by: user.sub,
  };
  await recordChange(
    deps,
    id,
    { at: record.at, actor: user.sub, action: 'wall.lift-exclusion', resource: 'wall' },
    { items: deps.competitions.exclusionItems(id, record), onRefused: versionTaken },
  );
  return record;
}

/** The wall as the lead, auditors and admins see it. */
export interface WallView {
  competitionId: string;
  insiders: { sub: string; role: 'lead' | 'evaluator' | 'moderator' }[];
  excluded: { sub: string; reason: string; excludedAt: string }[];
  /** Each seat holder's effective declaration. */
  declarations: EffectiveDeclaration[];
  /** Every declaration and clearance ever recorded, in order. */
  declarationHistory: DeclarationRecord[];
  /** Every exclusion and lift ever recorded, in order. */
  exclusionHistory: ExclusionRecord[];
  /** Seats whose holders are not yet inside (no declaration, or a conflict), with why. */
  pending: { sub: string; role: 'lead' | 'evaluator' | 'moderator'; reason: string }[];
}

/** A seat on the competition and whether its holder is inside the wall now. */
export interface SeatStanding {
  sub: string;
  role: 'lead' | 'evaluator' | 'moderator';
  inside: boolean;
  /** Why the holder is not inside (when `inside` is false). */
  reason?: 'excluded' | 'connected to an applicant or bidder' | 'no declaration yet' | 'declared a conflict';
}

/**
 * Every seat (the lead, each evaluator, the moderator) and whether its holder is inside the wall now: not
 * excluded, not connected to an applicant or bidder, declared and conflict-free. Reads each holder's
 * memberships and their connections.
 */
export async function seatStandings(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  state: CompetitionState,
  /** Only these seats (each costs a membership query and a connection read): all by default. */
  roles: readonly SeatStanding['role'][] = ['lead', 'evaluator', 'moderator'],
): Promise<SeatStanding[]> {
  const id = state.competition.id;
  const seats: { sub: string; role: SeatStanding['role'] }[] = [
    { sub: state.competition.leadSub, role: 'lead' as const },
    ...(state.panel?.evaluators ?? []).map((sub) => ({ sub, role: 'evaluator' as const })),
    ...(state.panel ? [{ sub: state.panel.moderator, role: 'moderator' as const }] : []),
  ].filter((seat) => roles.includes(seat.role));
  const excluded = new Set(state.exclusions.map((e) => e.sub));
  const standings: SeatStanding[] = [];
  for (const seat of seats) {
    const declaration = Object.hasOwn(state.declarations, seat.sub)
      ? state.declarations[seat.sub]
      : undefined;
    const { connected } = await affiliationsFor(deps, id, seat.sub);
    if (excluded.has(seat.sub)) standings.push({ ...seat, inside: false, reason: 'excluded' });
    else if (connected.length > 0)
      standings.push({ ...seat, inside: false, reason: 'connected to an applicant or bidder' });
    else if (!declaration) standings.push({ ...seat, inside: false, reason: 'no declaration yet' });
    else if (declaration.conflicts.length > 0)
      standings.push({ ...seat, inside: false, reason: 'declared a conflict' });
    else standings.push({ ...seat, inside: true });
  }
  return standings;
}

/** `GET /competitions/{id}/wall`. */
export async function getWall(
  deps: WallDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<WallView> {
  const { state } = await enterWall(
    deps,
    principal,
    id,
    { resource: 'wall', action: 'read', auditAction: 'wall.read', auditAllowed: true },
    now,
  );
  const standings = await seatStandings(deps, state);
  const sealed = !bidsUnsealed(state.competition, now);
  return {
    competitionId: id,
    insiders: standings.filter((s) => s.inside).map(({ sub, role }) => ({ sub, role })),
    excluded: state.exclusions.map((e) => ({ sub: e.sub, reason: e.reason, excludedAt: e.excludedAt })),
    declarations: Object.values(state.declarations),
    declarationHistory: state.declarationHistory,
    exclusionHistory: state.exclusionHistory,
    pending: standings
      .filter((s) => !s.inside)
      .map(({ sub, role, reason }) => ({
        sub,
        role,
        reason: seatReasonWhileSealed(reason ?? 'outside the wall', sealed),
      })),
  };
}
