/**
 * `GET /competitions/{id}`: the public view once published; the lead sees a draft; insiders also get the
 * confidential section (an audited read of inside information). Everyone else asking gets the public view.
 */
import type { DomainRules } from '../../config';
import type { CompetitionRepository } from '../../db/competitions';
import { type ConfidentialSection, type PublicCompetition, publicView } from '../../domain/competitions';
import { NotFoundError } from '../../domain/errors';
import { decideCompetitionAccess } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { clarificationDeadline } from '../../domain/questions';
import { auditResource, loadCompetitionState, passWall, type WallDeps, wallFacts } from './wall';

/** What a caller sees. */
export type CompetitionView = PublicCompetition & {
  leadSub?: string;
  confidential?: ConfidentialSection;
  /** When clarification questions close, worked out from the current deadline (issue 15). */
  clarificationDeadline?: string;
};

/** Reads a competition. */
export async function getCompetition(
  deps: WallDeps & { competitions: CompetitionRepository },
  principal: Principal,
  id: string,
  now: Date,
  rules: Pick<DomainRules, 'clarificationDays'>,
): Promise<CompetitionView> {
  const state = await loadCompetitionState(deps, id);
  const { competition } = state;
  const isLead = principal.kind === 'user' && principal.sub === competition.leadSub;
  if (competition.status === 'draft' && !isLead) throw new NotFoundError(`No competition ${id}.`);
  const view: CompetitionView = {
    ...publicView(competition, now),
    clarificationDeadline: clarificationDeadline(competition, now, rules),
  };
  if (principal.kind !== 'user') return view;
  const facts = await wallFacts(deps, principal, state, now);
  const decision = decideCompetitionAccess(principal, facts, 'confidential', 'read');
  if (!decision.allowed) {
    // Anyone may read the public view. A refusal of the confidential section is recorded (with an alert when
    // the caller is outside the wall) for those it concerns – the seat holders and the people the lead
    // excluded – but not for every provider reading an opportunity it bid in.
    const seated =
      facts.leadSub === principal.sub ||
      facts.evaluators.includes(principal.sub) ||
      facts.moderator === principal.sub;
    if (seated || facts.excluded.includes(principal.sub)) {
      await deps.audit.append(
        id,
        {
          at: now.toISOString(),
          actor: principal.sub,
          action: 'confidential.read',
          resource: auditResource(id, 'confidential'),
          outcome: 'denied',
          reason: `/problems/${decision.code}`,
        },
        { alert: decision.outsideWall },
      );
    }
    return view;
  }
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
