/**
 * A competition's task list (the commissioning workspace's `/commissioning/{id}`): the public facts of the
 * competition, the viewer's place relative to its wall as the policy module decides it, and – only for
 * viewers the policy lets read them – the inside facts the tasks depend on, each read the way its JSON
 * route reads it and audited alike: the wall (seats and declarations) through `getWall`, the panel alone
 * through the wall with a `panel.read` event.
 *
 * Nothing here is a new rule: every access is `decideCompetitionAccess` (or `decideDeclaration`) on the
 * same facts the JSON routes use.
 */
import type { BidHead, BidRepository, EvaluatorScores, ModeratedScores } from '../../db/bids';
import type { CompetitionState } from '../../db/competitions';
import { type PublicCompetition, publicView } from '../../domain/competitions';
import type { EffectiveDeclaration } from '../../domain/declarations';
import { type DomainError, NotFoundError } from '../../domain/errors';
import {
  assertCanUseWorkspace,
  decideCompetitionAccess,
  decideDeclaration,
  OUTSIDE_WITHOUT_SEAT,
  requireUser,
  type WallDecision,
  type WallFacts,
} from '../../domain/policy';
import type { Principal, UserPrincipal } from '../../domain/principal';
import { auditResource, loadCompetitionState, passWall, WALL_ERRORS, type WallDeps, wallFacts } from './wall';
import { getWall } from './wall-management';

/** A seat on a competition. */
export type SeatRole = 'lead' | 'evaluator' | 'moderator';

/** Where the viewer stands relative to the competition's wall. */
export type WallPosition =
  /** A seat holder, declared and conflict-free: may see what their seat allows. */
  | { place: 'inside'; role: SeatRole }
  /** A seat holder who has not declared yet. */
  | { place: 'declaration-required' }
  /**
   * Everyone else: `ethical-wall` when connected to an applicant or bidder, excluded, or with a declared
   * conflict (`reason` says which, in the policy's words); `no-seat` when simply not the lead or on the panel.
   */
  | { place: 'outside'; cause: 'ethical-wall' | 'no-seat'; reason: string };

/** A seat and whether its holder is inside the wall now (as the wall shows it: redacted while sealed). */
export interface SeatView {
  sub: string;
  role: SeatRole;
  inside: boolean;
  /** Why not, when not inside. */
  reason?: string | undefined;
}

/** What the task list shows. */
export interface TaskListView {
  /** The public view (effective status); a draft only to its lead and panel. */
  competition: PublicCompetition;
  viewer: {
    sub: string;
    /** The viewer's own seats on the competition. */
    seats: SeatRole[];
    position: WallPosition;
    /** Set when the viewer reads the wall as an auditor or admin (oversight, not a seat). */
    oversight?: 'auditor' | 'admin' | undefined;
    /** The viewer's own effective declaration, when they have declared. */
    declaration?: EffectiveDeclaration | undefined;
    /** Whether the policy lets the viewer run the competition (cancel it, set the panel, exclude). */
    mayManage: boolean;
  };
  /** Whether a panel is set: told to those who may set or read it. */
  panelSet?: boolean | undefined;
  /** The panel: for those who may read it (an audited read). */
  panel?: { evaluators: string[]; moderator: string } | undefined;
  /** Every seat with its holder's standing: for those who may read the wall (`getWall`, audited). */
  seats?: SeatView[] | undefined;
  /** When the standstill ends: for those who may read the evaluation, once the award is decided. */
  standstillEndsAt?: string | undefined;
  /**
   * How far scoring and moderation have gone, during evaluation, for those who may read the evaluation (an
   * audited read, as `GET …/evaluation`): submitted bids, bids each evaluator has scored, bids moderated.
   */
  progress?: EvaluationProgress | undefined;
}

/** Scoring and moderation so far: counts only, by evaluator. */
export interface EvaluationProgress {
  bids: number;
  scoredBy: Record<string, number>;
  moderated: number;
}

/** The reads the task list makes of the bids, for the progress of an evaluation. */
export type TaskListDeps = WallDeps & { bids?: Pick<BidRepository, 'listHeads' | 'evaluationData'> };

/** Counts, from the submitted bids and the scores recorded, how far the evaluation has gone. */
export function evaluationProgress(
  heads: readonly Pick<BidHead, 'bidId' | 'status'>[],
  data: {
    scores: readonly Pick<EvaluatorScores, 'bidId' | 'evaluator'>[];
    moderated: readonly Pick<ModeratedScores, 'bidId'>[];
  },
): EvaluationProgress {
  const submitted = new Set(heads.filter((h) => h.status === 'submitted').map((h) => h.bidId));
  // Keys are user ids: no prototype to find `constructor` on.
  const scored = new Map<string, Set<string>>();
  for (const s of data.scores) {
    if (!submitted.has(s.bidId)) continue;
    const bids = scored.get(s.evaluator) ?? new Set<string>();
    bids.add(s.bidId);
    scored.set(s.evaluator, bids);
  }
  const scoredBy: Record<string, number> = Object.create(null);
  for (const [evaluator, bids] of scored) scoredBy[evaluator] = bids.size;
  const moderated = new Set(data.moderated.filter((m) => submitted.has(m.bidId)).map((m) => m.bidId)).size;
  return { bids: submitted.size, scoredBy, moderated };
}

/** The viewer's seats from the wall facts. */
function seatsOf(sub: string, facts: WallFacts): SeatRole[] {
  const seats: SeatRole[] = [];
  if (facts.leadSub === sub) seats.push('lead');
  if (facts.evaluators.includes(sub)) seats.push('evaluator');
  if (facts.moderator === sub) seats.push('moderator');
  return seats;
}

/**
 * The viewer's place relative to the wall, from the policy's decision on reading the panel: the one piece
 * of inside information every seat (lead, evaluator, moderator) may read once declared, and never sealed.
 */
export function wallPosition(decision: WallDecision): WallPosition {
  if (decision.allowed) {
    const role = decision.role;
    // Reading the panel is allowed to seats alone: an oversight role (never given for it) is no seat.
    if (role === 'lead' || role === 'evaluator' || role === 'moderator') return { place: 'inside', role };
  } else if (decision.code === 'declaration-required') {
    return { place: 'declaration-required' };
  } else if (decision.code === 'ethical-wall') {
    return { place: 'outside', cause: 'ethical-wall', reason: decision.reason };
  }
  return {
    place: 'outside',
    cause: 'no-seat',
    reason: 'You are not the lead commissioner of this competition or on its panel.',
  };
}

/**
 * While bids are sealed, who applied or bid is sealed too: a viewer with no seat who is outside because an
 * organisation of theirs applied or bid is told only that they are outside the wall, as anyone without a
 * seat is, so the task list cannot be used to learn, competition by competition, where a (former)
 * organisation is bidding. Seat holders and the excluded are told why: it is about their own seat.
 */
export function sealedPosition(position: WallPosition, facts: WallFacts, sub: string): WallPosition {
  if (position.place !== 'outside' || facts.tenderDeadlinePassed) return position;
  if (seatsOf(sub, facts).length > 0 || facts.excluded.includes(sub)) return position;
  return { place: 'outside', cause: 'ethical-wall', reason: OUTSIDE_WITHOUT_SEAT };
}

/** What a viewer with no seat is told while bids are sealed (the policy's words, on every page alike). */
export { OUTSIDE_WITHOUT_SEAT };

/**
 * Loads a competition for a workspace page: a draft exists only for its lead and the panel the lead named
 * (as `GET /competitions/{id}` shows a draft to its lead alone, and a panel member must be able to declare).
 * @throws NotFoundError
 */
export async function loadForWorkspace(
  deps: Pick<WallDeps, 'competitions' | 'memberships'>,
  principal: Principal,
  id: string,
  now: Date,
): Promise<{ user: UserPrincipal; state: CompetitionState; facts: WallFacts }> {
  const user = requireUser(principal);
  // The workspace is for commissioners, auditors and admins (as "Your competitions" is): a provider user
  // has nothing to do here, and must not probe competitions for where it stands.
  assertCanUseWorkspace(principal);
  const state = await loadCompetitionState(deps, id);
  const facts = await wallFacts(deps, principal, state, now);
  if (state.competition.status === 'draft' && seatsOf(user.sub, facts).length === 0) {
    throw new NotFoundError(`No competition ${id}.`);
  }
  return { user, state, facts };
}

/** The task list of a competition for the signed-in viewer. */
export async function getTaskList(
  deps: TaskListDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<TaskListView> {
  const { user, state, facts } = await loadForWorkspace(deps, principal, id, now);
  const decide = (resource: Parameters<typeof decideCompetitionAccess>[2], action: 'read' | 'manage') =>
    decideCompetitionAccess(principal, facts, resource, action);
  const position = sealedPosition(wallPosition(decide('panel', 'read')), facts, user.sub);
  const wallRead = decide('wall', 'read');
  const panelManage = decide('panel', 'manage');
  const declaration = Object.hasOwn(state.declarations, user.sub) ? state.declarations[user.sub] : undefined;
  const view: TaskListView = {
    competition: publicView(state.competition, now),
    viewer: {
      sub: user.sub,
      seats: seatsOf(user.sub, facts),
      position,
      oversight:
        wallRead.allowed && (wallRead.role === 'auditor' || wallRead.role === 'admin')
          ? wallRead.role
          : undefined,
      declaration,
      mayManage: decide('competition', 'manage').allowed,
    },
  };
  if (wallRead.allowed) {
    // The JSON route's read of the wall, audited as `wall.read`.
    const wall = await getWall(deps, principal, id, now);
    const seats: SeatView[] = [
      ...wall.insiders.map((s) => ({ ...s, inside: true })),
      ...wall.pending.map((s) => ({ ...s, inside: false })),
    ];
    const order: SeatRole[] = ['lead', 'evaluator', 'moderator'];
    view.seats = seats.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role));
    const evaluators = view.seats.filter((s) => s.role === 'evaluator').map((s) => s.sub);
    const moderator = view.seats.find((s) => s.role === 'moderator')?.sub;
    view.panelSet = moderator !== undefined;
    view.panel = moderator !== undefined ? { evaluators, moderator } : undefined;
  } else if (position.place === 'inside') {
    // A panel member reads the panel (not the wall): through the wall, audited as `panel.read`.
    await passWall(
      deps,
      principal,
      state,
      { resource: 'panel', action: 'read', auditAction: 'panel.read', auditAllowed: true },
      now,
      facts,
    );
    view.panelSet = state.panel !== undefined;
    view.panel = state.panel
      ? { evaluators: [...state.panel.evaluators], moderator: state.panel.moderator }
      : undefined;
  } else if (panelManage.allowed) {
    // A lead who has not declared may set the panel but not read it: whether one is set, no names.
    view.panelSet = state.panel !== undefined;
  }
  const evaluation = decide('evaluation', 'read');
  if (evaluation.allowed && state.competition.award) {
    view.standstillEndsAt = state.competition.award.standstillEndsAt;
  }
  if (evaluation.allowed && deps.bids && view.competition.status === 'evaluation') {
    // Reading how far scoring has gone is reading the evaluation: through the wall, audited as the JSON
    // route's read of it is.
    await passWall(
      deps,
      principal,
      state,
      { resource: 'evaluation', action: 'read', auditAction: 'evaluation.read', auditAllowed: true },
      now,
      facts,
    );
    const [heads, data] = await Promise.all([deps.bids.listHeads(id), deps.bids.evaluationData(id)]);
    view.progress = evaluationProgress(heads, data);
  }
  return view;
}

/** What the declaration page shows. */
export interface DeclarationForm {
  competition: PublicCompetition;
  /** The seat the viewer declares for. */
  role: SeatRole;
  /** The viewer's effective declaration so far, if any. */
  declaration?: EffectiveDeclaration | undefined;
}

/**
 * The declaration form of a competition for the signed-in viewer: only the lead and panel members have one
 * (`decideDeclaration`). Someone connected to an applicant or bidder, or excluded, is refused as
 * `POST /competitions/{id}/declarations` refuses them – audited, with an alert – since opening the form is
 * the start of an attempt to declare their way inside; someone with no seat is simply told so.
 * @throws EthicalWallError | ForbiddenError | NotFoundError
 */
export async function getDeclarationForm(
  deps: WallDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<DeclarationForm> {
  const { user, state, facts } = await loadForWorkspace(deps, principal, id, now);
  const decision = decideDeclaration(principal, facts);
  if (!decision.allowed) {
    if (decision.outsideWall) {
      await deps.audit.append(
        id,
        {
          at: now.toISOString(),
          actor: user.sub,
          action: 'declaration.form',
          resource: auditResource(id, 'declarations'),
          outcome: 'denied',
          reason: `/problems/${decision.code}`,
        },
        { alert: true },
      );
    }
    const refusal: DomainError = new WALL_ERRORS[decision.code](decision.reason);
    throw refusal;
  }
  const role: SeatRole =
    decision.role === 'evaluator' || decision.role === 'moderator' ? decision.role : 'lead';
  return {
    competition: publicView(state.competition, now),
    role,
    declaration: Object.hasOwn(state.declarations, user.sub) ? state.declarations[user.sub] : undefined,
  };
}
