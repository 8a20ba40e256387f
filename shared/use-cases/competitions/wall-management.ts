/**
 * Running the wall: the lead sets the panel (refusing anyone outside the wall) and excludes people; the
 * lead and panel members sign declarations; the lead, auditors and admins read the wall.
 */
import type { Declaration, Exclusion, Panel } from '../../domain/competitions';
import { effectiveStatus } from '../../domain/competitions';
import { EthicalWallError, ForbiddenError, InvalidStateError } from '../../domain/errors';
import { panelEligibility, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { auditResource, loadCompetitionState, passWall, recordChange, type WallDeps } from './wall';

const CLOSED = ['awarded', 'cancelled'];

/** `PUT /competitions/{id}/panel`: the lead names evaluators and a moderator. */
export async function setPanel(
  deps: WallDeps,
  principal: Principal,
  id: string,
  input: { evaluators: string[]; moderator: string },
  now: Date,
): Promise<Panel> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const { facts } = await passWall(
    deps,
    principal,
    state,
    { resource: 'panel', action: 'manage', auditAction: 'panel.set', auditAllowed: false },
    now,
  );
  if (CLOSED.includes(effectiveStatus(state.competition, now)))
    throw new InvalidStateError('This competition is closed.');
  const candidates = [...new Set([...input.evaluators, input.moderator])];
  for (const sub of candidates) {
    const organisations = (await deps.memberships.listForUser(sub)).map((m) => m.providerId);
    const connected =
      organisations.length > 0 ? await deps.competitions.connectedAmong(id, organisations) : [];
    const eligibility = panelEligibility(
      { sub, organisations },
      { ...facts, connectedOrganisations: connected },
    );
    if (!eligibility.eligible) {
      await deps.audit.append(id, {
        at: now.toISOString(),
        actor: user.sub,
        action: 'panel.set',
        resource: auditResource(id, 'panel'),
        outcome: 'denied',
        reason: '/problems/ethical-wall',
      });
      throw new EthicalWallError(`${eligibility.reason} They cannot sit on the panel.`);
    }
  }
  const panel: Panel = {
    evaluators: [...new Set(input.evaluators)],
    moderator: input.moderator,
    setAt: now.toISOString(),
    setBy: user.sub,
  };
  await recordChange(
    deps,
    id,
    { at: panel.setAt, actor: user.sub, action: 'panel.set', resource: 'panel' },
    { items: deps.competitions.panelItems(id, panel) },
  );
  return panel;
}

/** `POST /competitions/{id}/declarations`: the lead or a panel member declares conflicts (or none). */
export async function declare(
  deps: WallDeps,
  principal: Principal,
  id: string,
  conflicts: Declaration['conflicts'],
  now: Date,
): Promise<Declaration> {
  const user = requireUser(principal);
  const state = await loadCompetitionState(deps, id);
  const seated =
    state.competition.leadSub === user.sub ||
    (state.panel?.evaluators ?? []).includes(user.sub) ||
    state.panel?.moderator === user.sub;
  if (!seated)
    throw new ForbiddenError(
      'Only the lead commissioner and panel members sign declarations for this competition.',
    );
  const declaration: Declaration = { sub: user.sub, conflicts, declaredAt: now.toISOString() };
  await recordChange(
    deps,
    id,
    {
      at: declaration.declaredAt,
      actor: user.sub,
      action: conflicts.length > 0 ? 'declaration.conflict' : 'declaration.no-conflict',
      resource: 'declarations',
    },
    { items: deps.competitions.declarationItems(id, declaration) },
  );
  return declaration;
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
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'wall', action: 'manage', auditAction: 'wall.exclude', auditAllowed: false },
    now,
  );
  if (input.sub === user.sub)
    throw new InvalidStateError('The lead cannot exclude themselves; hand the competition over first.');
  const exclusion: Exclusion = {
    sub: input.sub,
    reason: input.reason,
    excludedAt: now.toISOString(),
    excludedBy: user.sub,
  };
  await recordChange(
    deps,
    id,
    { at: exclusion.excludedAt, actor: user.sub, action: 'wall.exclude', resource: 'wall' },
    { items: deps.competitions.exclusionItems(id, exclusion) },
  );
  return exclusion;
}

/** The wall as the lead, auditors and admins see it. */
export interface WallView {
  competitionId: string;
  insiders: { sub: string; role: 'lead' | 'evaluator' | 'moderator' }[];
  excluded: { sub: string; reason: string; excludedAt: string }[];
  declarations: Declaration[];
  /** Seats whose holders are not yet inside (no declaration, or a conflict), with why. */
  pending: { sub: string; role: 'lead' | 'evaluator' | 'moderator'; reason: string }[];
}

/** `GET /competitions/{id}/wall`. */
export async function getWall(
  deps: WallDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<WallView> {
  const state = await loadCompetitionState(deps, id);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'wall', action: 'read', auditAction: 'wall.read', auditAllowed: true },
    now,
  );
  const seats: { sub: string; role: 'lead' | 'evaluator' | 'moderator' }[] = [
    { sub: state.competition.leadSub, role: 'lead' },
    ...(state.panel?.evaluators ?? []).map((sub) => ({ sub, role: 'evaluator' as const })),
    ...(state.panel ? [{ sub: state.panel.moderator, role: 'moderator' as const }] : []),
  ];
  const excluded = new Set(state.exclusions.map((e) => e.sub));
  const insiders: WallView['insiders'] = [];
  const pending: WallView['pending'] = [];
  for (const seat of seats) {
    const declaration = state.declarations[seat.sub];
    const organisations = (await deps.memberships.listForUser(seat.sub)).map((m) => m.providerId);
    const connected =
      organisations.length > 0 ? await deps.competitions.connectedAmong(id, organisations) : [];
    if (excluded.has(seat.sub)) pending.push({ ...seat, reason: 'excluded' });
    else if (connected.length > 0) pending.push({ ...seat, reason: 'connected to an applicant or bidder' });
    else if (!declaration) pending.push({ ...seat, reason: 'no declaration yet' });
    else if (declaration.conflicts.length > 0) pending.push({ ...seat, reason: 'declared a conflict' });
    else insiders.push(seat);
  }
  return {
    competitionId: id,
    insiders,
    excluded: state.exclusions.map((e) => ({ sub: e.sub, reason: e.reason, excludedAt: e.excludedAt })),
    declarations: Object.values(state.declarations),
    pending,
  };
}
