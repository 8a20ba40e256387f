/**
 * Applying the ethical wall in use cases: load the facts (one Query for the competition's state, the
 * caller's memberships, and which of the caller's organisations are connected to the competition), ask
 * the policy module, audit the outcome, and turn a refusal into its domain error.
 */
import type { AppendOptions, AuditRepository } from '../../db/audit';
import type { CompetitionRepository, CompetitionState } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { PendingAuditEvent } from '../../domain/audit';
import { bidsUnsealed } from '../../domain/competitions';
import {
  DeclarationRequiredError,
  type DomainError,
  EthicalWallError,
  ForbiddenError,
  NotFoundError,
  SealedError,
} from '../../domain/errors';
import {
  type CompetitionAction,
  type CompetitionResource,
  type CompetitionRole,
  decideCompetitionAccess,
  type WallFacts,
  wallAffiliations,
} from '../../domain/policy';
import type { Principal } from '../../domain/principal';

/** What the wall needs. */
export interface WallDeps {
  competitions: CompetitionRepository;
  memberships: MembershipRepository;
  audit: AuditRepository;
}

/** The state of a competition, loaded once per request. */
export async function loadCompetitionState(
  deps: Pick<WallDeps, 'competitions'>,
  id: string,
): Promise<CompetitionState> {
  const state = await deps.competitions.state(id);
  if (!state) throw new NotFoundError(`No competition ${id}.`);
  return state;
}

/**
 * A person's organisations as the wall counts them for one competition, and which of them are connected
 * to it: current memberships, and former ones left after the organisation connected (`wallAffiliations`).
 * One query for the memberships, one batch read for the connections.
 */
export async function affiliationsFor(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  competitionId: string,
  sub: string,
): Promise<{ organisations: string[]; connected: string[] }> {
  const { current, former } = await deps.memberships.affiliationsOfUser(sub);
  const candidates = [...current.map((m) => m.providerId), ...former.map((f) => f.providerId)];
  const connections =
    candidates.length > 0
      ? await deps.competitions.connectionsAmong(competitionId, candidates)
      : new Map<string, string>();
  return wallAffiliations(
    current.map((m) => m.providerId),
    former,
    connections,
  );
}

/** Builds the wall facts for a caller. */
export async function wallFacts(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  principal: Principal,
  state: CompetitionState,
  now: Date,
): Promise<WallFacts> {
  const { competition } = state;
  const { organisations: callerOrganisations, connected } =
    principal.kind === 'user'
      ? await affiliationsFor(deps, competition.id, principal.sub)
      : { organisations: [], connected: [] };
  return {
    leadSub: competition.leadSub,
    evaluators: state.panel?.evaluators ?? [],
    moderator: state.panel?.moderator,
    declarations: state.declarations,
    excluded: state.exclusions.map((e) => e.sub),
    connectedOrganisations: connected,
    callerOrganisations,
    // A bid is opened by the deadline passing while the competition runs (or by the status moving on);
    // a competition cancelled before its tender deadline keeps its bids sealed for good.
    tenderDeadlinePassed: bidsUnsealed(competition, now),
  };
}

/** The domain error of each refusal code. */
export const WALL_ERRORS: Record<
  'ethical-wall' | 'forbidden' | 'declaration-required' | 'sealed',
  new (
    detail: string,
  ) => DomainError
> = {
  'ethical-wall': EthicalWallError,
  forbidden: ForbiddenError,
  'declaration-required': DeclarationRequiredError,
  sealed: SealedError,
};

/** The audit `resource` of a competition resource. */
export function auditResource(competitionId: string, resource: string): string {
  return `competitions/${competitionId}/${resource}`;
}

/** What a use case asks of the wall: the access the policy module decides, and how the outcome is audited. */
export interface WallAccess {
  resource: CompetitionResource;
  action: CompetitionAction;
  auditAction: string;
  auditAllowed: boolean;
}

/**
 * Decides an access through the wall. A refusal is appended to the audit log (with an alert when the caller
 * is outside the wall) and thrown; an allowed read of inside information is appended when `auditAllowed`.
 * @returns the caller's role and the facts used, for the use case to go on with.
 */
export async function passWall(
  deps: WallDeps,
  principal: Principal,
  state: CompetitionState,
  access: WallAccess,
  now: Date,
  /** Facts the caller already loaded for this principal and state, to save reading them twice. */
  known?: WallFacts,
): Promise<{ role: CompetitionRole; facts: WallFacts }> {
  const facts = known ?? (await wallFacts(deps, principal, state, now));
  const decision = decideCompetitionAccess(principal, facts, access.resource, access.action);
  const actor = principal.kind === 'user' ? principal.sub : 'anonymous';
  const base = {
    at: now.toISOString(),
    actor,
    action: access.auditAction,
    resource: auditResource(state.competition.id, access.resource),
  };
  if (!decision.allowed) {
    await deps.audit.append(
      state.competition.id,
      { ...base, outcome: 'denied', reason: `/problems/${decision.code}` },
      { alert: decision.outsideWall },
    );
    if (decision.code === 'sealed') throw new SealedError(decision.reason, state.competition.tenderDeadline);
    throw new WALL_ERRORS[decision.code](decision.reason);
  }
  if (access.auditAllowed) await deps.audit.append(state.competition.id, { ...base, outcome: 'allowed' });
  return { role: decision.role, facts };
}

/**
 * Loads the competition and passes the wall for `access` (`loadCompetitionState`, then `passWall`): how
 * every use case that acts inside the wall begins, the state read once for the rest of it.
 * @returns the loaded state, the caller's role and the facts used
 */
export async function enterWall(
  deps: WallDeps,
  principal: Principal,
  id: string,
  access: WallAccess,
  now: Date,
): Promise<{ state: CompetitionState; role: CompetitionRole; facts: WallFacts }> {
  const state = await loadCompetitionState(deps, id);
  const { role, facts } = await passWall(deps, principal, state, access, now);
  return { state, role, facts };
}

/**
 * Appends an allowed state change to the competition's audit log, committing `options.items` (the change
 * itself) in the same transaction, with a digest of each item it writes; the sequencer chains the event
 * shortly after. `resource` is relative to the competition, e.g. `award`.
 */
export function recordChange(
  deps: { audit: AuditRepository },
  competitionId: string,
  change: { at: string; actor: string; action: string; resource: string },
  options: AppendOptions = {},
): Promise<PendingAuditEvent> {
  return deps.audit.append(
    competitionId,
    { ...change, resource: auditResource(competitionId, change.resource), outcome: 'allowed' },
    options,
  );
}
