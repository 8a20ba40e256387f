/**
 * The wall page of the commissioning workspace (`/commissioning/{id}/wall`): the panel, the exclusions,
 * the seats with their declarations, and the forms that change them.
 *
 * Whoever may read the wall (the lead inside it, auditors, admins) gets it through `getWall`, the JSON
 * route's use case, which audits the read. A lead who has not declared yet may set the panel and exclude
 * people (managing needs no declaration) but may not read the wall: they get the forms and no inside
 * information. Anyone else is refused by `getWall` itself, audited (and alerted when outside the wall)
 * exactly as `GET /competitions/{id}/wall` refuses them.
 */
import type { PublicCompetition } from '../../domain/competitions';
import { publicView } from '../../domain/competitions';
import { decideClearance, decideCompetitionAccess } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadForWorkspace } from './task-list';
import type { WallDeps } from './wall';
import { getWall, type WallView } from './wall-management';

/** What the wall page shows. */
export type WallWorkspace =
  | {
      kind: 'wall';
      competition: PublicCompetition;
      wall: WallView;
      /** The panel as set (from the wall's seats), for the panel form. */
      panel?: { evaluators: string[]; moderator: string } | undefined;
      /** Whether the viewer may change the wall: set the panel, exclude (the lead). */
      mayManage: boolean;
      /** Whether the viewer may lift exclusions (the lead, inside the wall). */
      mayLift: boolean;
      /**
       * The people with a declared conflict whose clearance the viewer may give (`decideClearance`): the
       * lead clears panel members', an admin the lead's; nobody their own.
       */
      clearable: string[];
    }
  | {
      kind: 'manage-only';
      competition: PublicCompetition;
      /** Whether a panel is set (its names are inside information: not before declaring). */
      panelSet: boolean;
    };

/** The wall page for the signed-in viewer. */
export async function getWallWorkspace(
  deps: WallDeps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<WallWorkspace> {
  const { state, facts } = await loadForWorkspace(deps, principal, id, now);
  const competition = publicView(state.competition, now);
  const read = decideCompetitionAccess(principal, facts, 'wall', 'read');
  const manage = decideCompetitionAccess(principal, facts, 'panel', 'manage');
  if (!read.allowed && manage.allowed) {
    return { kind: 'manage-only', competition, panelSet: state.panel !== undefined };
  }
  // Allowed: the audited read. Refused: the same refusal, audit event and alert as the JSON route.
  const wall = await getWall(deps, principal, id, now);
  const seats = [...wall.insiders, ...wall.pending];
  const moderator = seats.find((s) => s.role === 'moderator')?.sub;
  return {
    kind: 'wall',
    competition,
    wall,
    panel:
      moderator !== undefined
        ? { evaluators: seats.filter((s) => s.role === 'evaluator').map((s) => s.sub), moderator }
        : undefined,
    mayManage: manage.allowed,
    mayLift: decideCompetitionAccess(principal, facts, 'wall', 'decide').allowed,
    clearable: wall.declarations
      .filter((d) => d.conflicts.length > 0 && decideClearance(principal, facts, d.sub).allowed)
      .map((d) => d.sub),
  };
}
