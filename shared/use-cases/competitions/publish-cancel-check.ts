/**
 * The check pages before publishing and cancelling (`/commissioning/{id}/publish` and `/cancel` on the
 * web): what will be published, or what is about to be cancelled, for the one person who may do it. They
 * refuse with the errors `publishCompetition` and `cancelCompetition` would throw for the same caller and
 * state (a non-lead 403, a wrong state 409), so nobody fills in a form that cannot succeed; the POSTs call
 * those use cases, which decide again and audit.
 */
import type { DomainRules } from '../../config';
import {
  effectiveStatus,
  MAX_OPPORTUNITY_ENTRIES,
  opportunityEntryCount,
  type PublicCompetition,
  publicationProblem,
  publicView,
} from '../../domain/competitions';
import { ForbiddenError, InvalidStateError } from '../../domain/errors';
import { decideCompetitionAccess } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadForWorkspace } from './task-list';
import { WALL_ERRORS, type WallDeps } from './wall';

/** A draft about to be published. */
export interface PublicationCheck {
  competition: PublicCompetition;
  /** Why it cannot be published now (deadlines too near), as `publishCompetition` would refuse it. */
  problem?: string | undefined;
  /** Whether the panel is set: publishing does not need one, but nobody marks or scores without it. */
  panelSet: boolean;
  /** Whether the lead has declared: publishing needs none, but every inside read and decision does. */
  leadDeclared: boolean;
}

/**
 * What publishing a draft would publish, for its lead.
 * @throws ForbiddenError for anyone but the lead; InvalidStateError (409) once it is not a draft
 */
export async function checkPublication(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  principal: Principal,
  id: string,
  now: Date,
  rules: DomainRules,
): Promise<PublicationCheck> {
  const { user, state } = await loadForWorkspace(deps, principal, id, now);
  const { competition } = state;
  // The same checks, in the same order, as `publishCompetition`.
  if (competition.leadSub !== user.sub)
    throw new ForbiddenError('Only the lead commissioner can publish this competition.');
  if (effectiveStatus(competition, now) !== 'draft')
    throw new InvalidStateError('Only a draft can be published.');
  const tooMany =
    opportunityEntryCount(competition) > MAX_OPPORTUNITY_ENTRIES
      ? 'This competition lists too many regions for its services to be published: cancel it and create it again with national, or fewer regions or services.'
      : undefined;
  return {
    competition: publicView(competition, now),
    problem: publicationProblem(competition, now, rules) ?? tooMany,
    panelSet: state.panel !== undefined,
    leadDeclared: Object.hasOwn(state.declarations, user.sub),
  };
}

/**
 * The competition about to be cancelled, for the one who may cancel it: the lead, through the wall
 * (`competition` manage, as `cancelCompetition` decides). Opening the form is not an inside read, so a
 * refusal here is not audited; the POST's `cancelCompetition` audits any refused attempt.
 * @throws the wall's refusal; InvalidStateError (409) once awarded or cancelled
 */
export async function checkCancellation(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  principal: Principal,
  id: string,
  now: Date,
): Promise<PublicCompetition> {
  const { state, facts } = await loadForWorkspace(deps, principal, id, now);
  const decision = decideCompetitionAccess(principal, facts, 'competition', 'manage');
  if (!decision.allowed) {
    // Not the ethical-wall error: its page says the attempt was recorded, and opening a form is not one.
    // Its reason is not shown either: it would say whether the viewer's organisation applied or bid.
    if (decision.code === 'ethical-wall')
      throw new ForbiddenError('Only the lead commissioner, inside the wall, can cancel this competition.');
    throw new WALL_ERRORS[decision.code](decision.reason);
  }
  const status = effectiveStatus(state.competition, now);
  if (status === 'awarded' || status === 'cancelled')
    throw new InvalidStateError(`A competition that is ${status} cannot be cancelled.`);
  return publicView(state.competition, now);
}
