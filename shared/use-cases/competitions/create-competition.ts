/**
 * `POST /competitions` (and the web's "Create a competition" pages): a commissioner creates a draft
 * competition and becomes its lead. The tier is computed from value, term and risk; the confidential section
 * goes to the sealed table; the lead's seat (`GET /me/competitions`) is written in the same transaction.
 */
import { ulid } from 'ulid';
import type { DomainRules } from '../../config';
import type { AuditRepository } from '../../db/audit';
import type { CompetitionRepository } from '../../db/competitions';
import {
  type Competition,
  type CompetitionDraft,
  type ConfidentialSection,
  competitionDraftIssues,
  defaultMinimumTurnoverPence,
  maximumMinimumTurnoverPence,
  prequalificationTier,
  utc,
} from '../../domain/competitions';
import { ValidationError } from '../../domain/errors';
import { assertCanCreateCompetition, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { recordChange } from './wall';

/** The creation request. */
export interface CreateCompetitionInput extends CompetitionDraft {
  minimumTurnoverPence?: number | undefined;
  confidential?: ConfidentialSection | undefined;
}

/** Creates a draft competition. */
export async function createCompetition(
  deps: { competitions: CompetitionRepository; audit: AuditRepository },
  principal: Principal,
  input: CreateCompetitionInput,
  now: Date,
  rules: DomainRules,
): Promise<Competition & { confidential: ConfidentialSection }> {
  const user = requireUser(principal);
  // The route demands the role too; the web's question pages reach this use case without a route rule.
  assertCanCreateCompetition(principal);
  const { confidential = {}, minimumTurnoverPence, ...given } = input;
  // Deadlines are stored in UTC: conditions and sort keys compare them as strings, which only works when
  // every deadline is written the same way (a `+01:00` offset would sort wrongly against a `Z` time).
  const draft = {
    ...given,
    tenderDeadline: utc(given.tenderDeadline),
    prequalificationDeadline:
      given.prequalificationDeadline === undefined ? undefined : utc(given.prequalificationDeadline),
  };
  const tier = prequalificationTier(draft, rules);
  const issues = competitionDraftIssues(draft, tier, now);
  const cap = maximumMinimumTurnoverPence(
    draft.estimatedValuePence,
    draft.termMonths,
    rules.turnoverMultipleCap,
  );
  if (minimumTurnoverPence !== undefined && minimumTurnoverPence > cap) {
    issues.push({
      path: 'minimumTurnoverPence',
      message: `The minimum turnover may be at most ${rules.turnoverMultipleCap} × the annual contract value (${cap} pence)`,
    });
  }
  if (issues.length > 0)
    throw new ValidationError(`The competition has ${issues.length} problem(s).`, issues);
  const at = now.toISOString();
  const competition: Competition = {
    ...draft,
    ...(draft.subcontracting === undefined
      ? { subcontracting: { targetPercent: rules.defaultSubcontractingTargetPercent } }
      : {}),
    id: ulid(now.getTime()),
    status: 'draft',
    prequalificationTier: tier,
    leadSub: user.sub,
    minimumTurnoverPence:
      minimumTurnoverPence ?? defaultMinimumTurnoverPence(draft.estimatedValuePence, draft.termMonths),
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (competition.prequalificationDeadline === undefined) delete competition.prequalificationDeadline;
  await recordChange(
    deps,
    competition.id,
    { at, actor: user.sub, action: 'competition.create', resource: 'competition' },
    { items: deps.competitions.createItems(competition, confidential) },
  );
  return { ...competition, confidential };
}
