/**
 * Choosing people for a competition by user id or by e-mail address (the commissioning workspace's wall
 * page): the panel (evaluators and a moderator) and exclusions. Each address is looked up in the identity
 * provider and replaced by the user id the wall works with, then the JSON route's use case (`setPanel`,
 * `excludeFromWall`) does the rest, so its rules, refusals and audit events are the same on the web.
 *
 * The caller's right to set the panel or exclude is decided (and a refusal audited) before any address is
 * looked up: nobody who may not choose these people learns which addresses have an account.
 */
import type { Exclusion, Panel } from '../../domain/competitions';
import { EthicalWallError, type FieldIssue, ValidationError } from '../../domain/errors';
import type { EvaluationRules } from '../../domain/evaluation-rules';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import type { IdentityDirectory, IdentityLookup } from '../../domain/sessions';
import { enterWall, type WallDeps } from './wall';
import { EXCLUDE, excludeFromWall, SET_PANEL, setPanelOn } from './wall-management';

/**
 * What choosing people needs: the wall's repositories and the identity provider, to find people by e-mail
 * address and to check that each person chosen for the panel holds the commissioner role.
 */
export type ChoosePeopleDeps = WallDeps & { identities: IdentityLookup & IdentityDirectory };

/**
 * The panel named someone who is outside the wall (connected to an applicant or bidder, excluded, or with a
 * declared conflict): the same refusal as the JSON route's (403 `ethical-wall`, audited), told apart from a
 * refusal of the caller so that the page can show it against the field that named them.
 */
export class PanelCandidateOutsideWallError extends EthicalWallError {}

/** A reference typed by a person: an e-mail address when it has an `@`, otherwise a user id. */
export function isEmailReference(reference: string): boolean {
  return reference.includes('@');
}

/**
 * The user ids of `references` (ids kept, addresses looked up), in order, or the issues of those that name
 * nobody, each against `path`.
 */
async function resolve(
  identities: IdentityLookup,
  references: readonly { path: string; reference: string }[],
): Promise<{ subs: string[]; issues: FieldIssue[]; names: Map<string, string> }> {
  const subs: string[] = [];
  const issues: FieldIssue[] = [];
  const names = new Map<string, string>();
  for (const { path, reference } of references) {
    if (!isEmailReference(reference)) {
      subs.push(reference);
      continue;
    }
    const identity = await identities.findByEmail(reference);
    if (identity) {
      subs.push(identity.sub);
      names.set(identity.sub, reference);
    } else issues.push({ path, message: `Nobody has an account with the e-mail address ${reference}` });
  }
  return { subs, issues, names };
}

/**
 * `PUT /competitions/{id}/panel` with evaluators and the moderator given by user id or e-mail address.
 * @throws ValidationError naming each address nobody has (paths `evaluators`, `moderator`), or the
 *   separation-of-duties issues `setPanel` finds, or each person chosen without the commissioner role
 * @throws PanelCandidateOutsideWallError when a chosen person is outside the wall
 * @throws the wall's refusal of the caller (audited, as `setPanel` does)
 */
export async function setPanelByReference(
  deps: ChoosePeopleDeps,
  principal: Principal,
  id: string,
  input: { evaluators: string[]; moderator: string },
  now: Date,
  rules: EvaluationRules,
): Promise<Panel> {
  const user = requireUser(principal);
  // The same decision and audit as `setPanel`'s first step, before any address is looked up.
  const { state, facts } = await enterWall(deps, principal, id, SET_PANEL, now);
  const { subs, issues, names } = await resolve(deps.identities, [
    ...input.evaluators.map((reference) => ({ path: 'evaluators', reference })),
    { path: 'moderator', reference: input.moderator },
  ]);
  if (issues.length > 0) throw new ValidationError('Some people could not be found.', issues);
  const moderator = subs.pop() ?? input.moderator;
  try {
    // The state and facts read above, not read again.
    return await setPanelOn(
      { ...deps, people: deps.identities },
      user,
      { state, facts },
      { evaluators: subs, moderator },
      now,
      rules,
      names,
    );
  } catch (error) {
    // The caller passed the wall above: a wall refusal now is about someone they chose.
    if (error instanceof EthicalWallError) throw new PanelCandidateOutsideWallError(error.message);
    throw error;
  }
}

/**
 * `POST /competitions/{id}/wall/exclusions` with the person given by user id or e-mail address.
 * @throws ValidationError when an address names nobody (path `person`)
 * @throws the wall's refusal of the caller (audited, as `excludeFromWall` does)
 */
export async function excludeByReference(
  deps: ChoosePeopleDeps,
  principal: Principal,
  id: string,
  input: { person: string; reason: string },
  now: Date,
): Promise<Exclusion> {
  // The same decision and audit as `excludeFromWall`'s first step, before the address is looked up.
  await enterWall(deps, principal, id, EXCLUDE, now);
  const { subs, issues } = await resolve(deps.identities, [{ path: 'person', reference: input.person }]);
  const [sub] = subs;
  if (issues.length > 0 || sub === undefined) {
    throw new ValidationError('The person could not be found.', issues);
  }
  return excludeFromWall(deps, principal, id, { sub, reason: input.reason }, now);
}
