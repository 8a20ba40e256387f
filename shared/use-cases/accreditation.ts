/**
 * `PUT` and `GET /providers/{id}/accreditation`: the once-only accreditation, given by an owner and
 * current for a configured number of months (12 by default); read by members, commissioners and admins.
 */
import type { AccreditationRepository } from '../db/accreditations';
import type { MembershipRepository } from '../db/memberships';
import type { ProviderRepository } from '../db/providers';
import {
  type Accreditation,
  type AccreditationAnswers,
  type AccreditationStatus,
  accreditationRuleIssues,
  accreditationStatus,
  accreditationValidUntil,
} from '../domain/accreditation';
import { NotFoundError, ValidationError } from '../domain/errors';
import { assertCanReadProvider, assertProviderOwner, requireUser } from '../domain/policy';
import type { Principal } from '../domain/principal';
import { loadProviderFor } from './providers';

type Deps = {
  providers: ProviderRepository;
  memberships: MembershipRepository;
  accreditations: AccreditationRepository;
};

/** An accreditation with its status at the time of reading. */
export type AccreditationView = Accreditation & { status: AccreditationStatus };

/** Stores a new accreditation, replacing the previous one. */
export async function putAccreditation(
  deps: Deps,
  principal: Principal,
  providerId: string,
  answers: AccreditationAnswers,
  now: Date,
  validMonths: number,
): Promise<AccreditationView> {
  const user = requireUser(principal);
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertProviderOwner(relation, providerId);
  const issues = accreditationRuleIssues(answers, now);
  if (issues.length > 0)
    throw new ValidationError(`The accreditation has ${issues.length} problem(s).`, issues);
  const accreditation: Accreditation = {
    ...answers,
    providerId,
    submittedAt: now.toISOString(),
    submittedBy: user.sub,
    validUntil: accreditationValidUntil(now, validMonths).toISOString(),
  };
  await deps.accreditations.put(accreditation);
  return { ...accreditation, status: accreditationStatus(accreditation.validUntil, now) };
}

/** Reads the accreditation, current or expired. */
export async function getAccreditation(
  deps: Deps,
  principal: Principal,
  providerId: string,
  now: Date,
): Promise<AccreditationView> {
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanReadProvider(relation, providerId);
  const accreditation = await deps.accreditations.get(providerId);
  if (!accreditation) throw new NotFoundError('This organisation has not given its accreditation yet.');
  return { ...accreditation, status: accreditationStatus(accreditation.validUntil, now) };
}
