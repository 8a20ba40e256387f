/**
 * Applying the ethical wall in use cases: load the facts (one Query for the competition's state, the
 * caller's memberships, and which of the caller's organisations are connected to the competition), ask
 * the policy module, audit the outcome, and turn a refusal into its domain error.
 */
import type { AppendOptions, AuditRepository } from '../../db/audit';
import type { CompetitionRepository, CompetitionState } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { AuditEvent } from '../../domain/audit';
import { effectiveStatus } from '../../domain/competitions';
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

/** Builds the wall facts for a caller. */
export async function wallFacts(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  principal: Principal,
  state: CompetitionState,
  now: Date,
): Promise<WallFacts> {
  const { competition } = state;
  const callerOrganisations =
    principal.kind === 'user'
      ? (await deps.memberships.listForUser(principal.sub)).map((m) => m.providerId)
      : [];
  const connected =
    callerOrganisations.length > 0
      ? await deps.competitions.connectedAmong(competition.id, callerOrganisations)
      : [];
  const status = effectiveStatus(competition, now);
  return {
    leadSub: competition.leadSub,
    evaluators: state.panel?.evaluators ?? [],
    moderator: state.panel?.moderator,
    declarations: state.declarations,
    excluded: state.exclusions.map((e) => e.sub),
    connectedOrganisations: connected,
    callerOrganisations,
    tenderDeadlinePassed:
      now.getTime() >= Date.parse(competition.tenderDeadline) ||
      ['evaluation', 'standstill', 'awarded'].includes(status),
  };
}

const ERRORS: Record<
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

/**
 * Decides an access through the wall. A refusal is appended to the audit log (with an alert when the caller
 * is outside the wall) and thrown; an allowed read of inside information is appended when `auditAllowed`.
 * @returns the caller's role and the facts used, for the use case to go on with.
 */
export async function passWall(
  deps: WallDeps,
  principal: Principal,
  state: CompetitionState,
  access: {
    resource: CompetitionResource;
    action: CompetitionAction;
    auditAction: string;
    auditAllowed: boolean;
  },
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
    throw new ERRORS[decision.code](decision.reason);
  }
  if (access.auditAllowed) await deps.audit.append(state.competition.id, { ...base, outcome: 'allowed' });
  return { role: decision.role, facts };
}

/**
 * Appends an allowed state change to the competition's audit chain, committing `options.items` (the
 * change itself) in the same transaction. `resource` is relative to the competition, e.g. `award`.
 */
export function recordChange(
  deps: { audit: AuditRepository },
  competitionId: string,
  change: { at: string; actor: string; action: string; resource: string },
  options: AppendOptions = {},
): Promise<AuditEvent> {
  return deps.audit.append(
    competitionId,
    { ...change, resource: auditResource(competitionId, change.resource), outcome: 'allowed' },
    options,
  );
}
