/**
 * `GET /competitions/{id}`: the public view once published; the lead sees a draft; insiders also get the
 * confidential section (an audited read of inside information). Everyone else asking gets the public view.
 */
import type { CompetitionRepository } from '../../db/competitions';
import { type ConfidentialSection, type PublicCompetition, publicView } from '../../domain/competitions';
import { NotFoundError } from '../../domain/errors';
import { decideCompetitionAccess } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadCompetitionState, passWall, type WallDeps, wallFacts } from './wall';

/** What a caller sees. */
export type CompetitionView = PublicCompetition & { leadSub?: string; confidential?: ConfidentialSection };

/** Reads a competition. */
export async function getCompetition(
  deps: WallDeps & { competitions: CompetitionRepository },
  principal: Principal,
  id: string,
  now: Date,
): Promise<CompetitionView> {
  const state = await loadCompetitionState(deps, id);
  const { competition } = state;
  const isLead = principal.kind === 'user' && principal.sub === competition.leadSub;
  if (competition.status === 'draft' && !isLead) throw new NotFoundError(`No competition ${id}.`);
  const view: CompetitionView = publicView(competition, now);
  if (principal.kind !== 'user') return view;
  // Only callers with a seat are asked about the confidential section; a refusal here just means the public view.
  const facts = await wallFacts(deps, principal, state, now);
  if (!decideCompetitionAccess(principal, facts, 'confidential', 'read').allowed) return view;
  await passWall(
    deps,
    principal,
    state,
    { resource: 'confidential', action: 'read', auditAction: 'confidential.read', auditAllowed: true },
    now,
    facts,
  );
  return {
    ...view,
    leadSub: competition.leadSub,
    confidential: (await deps.competitions.confidential(id)) ?? {},
  };
}
