/**
 * What the pre-qualification pages (`/your-competitions/{id}/prequalification/…`) show before anything is
 * sent: the questionnaire of the competition's tier, the organisations the user may apply for, the answers
 * the applicant's current accreditation gives (shown, not asked again), and where each consortium member
 * stands (verified, accredited, agreed to be named). It reads nothing sealed but the agreements given to
 * the applicant, through the applicant's own provider data access. Submission itself is `submitResponse`,
 * the JSON route's use case, which applies every rule again.
 */
import type { AccreditationRepository } from '../../db/accreditations';
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { ProviderDataAccess } from '../../db/provider-data';
import type { ProviderRepository } from '../../db/providers';
import { accreditationStatus } from '../../domain/accreditation';
import { type Competition, effectiveStatus } from '../../domain/competitions';
import { DeadlinePassedError, ForbiddenError, InvalidStateError, NotFoundError } from '../../domain/errors';
import { requireUser } from '../../domain/policy';
import {
  type Answer,
  answersFromAccreditation,
  type Questionnaire,
  questionnaireFor,
} from '../../domain/prequalification';
import type { Principal } from '../../domain/principal';

/** What the application form reads. */
export interface ApplicationFormDeps {
  competitions: CompetitionRepository;
  providers: ProviderRepository;
  memberships: MembershipRepository;
  accreditations: AccreditationRepository;
  providerData: ProviderDataAccess;
}

/** The form of one competition for one user. */
export interface ApplicationForm {
  competition: Competition;
  questionnaire: Questionnaire;
  /** The verified organisations the user owns: those they may apply for. */
  owned: { id: string; name: string }[];
  /** The applicant: the one chosen, or the only one. */
  applicant: { id: string; name: string } | undefined;
  /** The applicant's current accreditation: until when, and the answers it gives. */
  accreditation: { validUntil: string; answers: Record<string, Answer> } | undefined;
}

/**
 * The form, for a user who owns a verified organisation, while the competition takes responses.
 * @throws NotFoundError (no such published competition), InvalidStateError (no pre-qualification, or not
 *   open), DeadlinePassedError (the deadline has passed), ForbiddenError (no verified organisation owned,
 *   or `chosen` is not one of them).
 */
export async function applicationForm(
  deps: ApplicationFormDeps,
  principal: Principal,
  competitionId: string,
  chosen: string | undefined,
  now: Date,
): Promise<ApplicationForm> {
  const user = requireUser(principal);
  const competition = await deps.competitions.get(competitionId);
  if (!competition || competition.status === 'draft')
    throw new NotFoundError(`No competition ${competitionId}.`);
  if (competition.prequalificationTier === 'none') {
    throw new InvalidStateError(
      'This competition has no pre-qualification: verified providers bid directly.',
    );
  }
  const status = effectiveStatus(competition, now);
  if (status !== 'prequalification') {
    if (['shortlisting', 'tendering', 'evaluation', 'standstill', 'awarded'].includes(status))
      throw new DeadlinePassedError('The pre-qualification deadline has passed.');
    throw new InvalidStateError(`This competition is ${status}.`);
  }
  const ownedIds = (await deps.memberships.listForUser(user.sub))
    .filter((m) => m.role === 'owner')
    .map((m) => m.providerId);
  const owned = (ownedIds.length > 0 ? await deps.providers.getMany(ownedIds) : [])
    .filter((p) => p.status === 'verified')
    .map((p) => ({ id: p.id, name: p.name }))
    .sort((a, b) => a.name.localeCompare(b.name));
  if (owned.length === 0) {
    throw new ForbiddenError('Only an owner of a verified organisation can apply.');
  }
  if (chosen !== undefined && !owned.some((o) => o.id === chosen)) {
    throw new ForbiddenError('You can apply only for a verified organisation you own.');
  }
  const applicant = owned.find((o) => o.id === chosen) ?? (owned.length === 1 ? owned[0] : undefined);
  const stored = applicant ? await deps.accreditations.get(applicant.id) : undefined;
  const accreditation =
    stored && accreditationStatus(stored.validUntil, now) === 'current'
      ? { validUntil: stored.validUntil, answers: answersFromAccreditation(stored) }
      : undefined;
  return {
    competition,
    questionnaire: questionnaireFor(competition.prequalificationTier),
    owned,
    applicant,
    accreditation,
  };
}

/** Where a consortium member stands: what `submitResponse` will require of it. */
export interface MemberStanding {
  providerId: string;
  role: string;
  /** Its name, when it is a registered provider. */
  name: string | undefined;
  verified: boolean;
  accredited: boolean;
  /** Whether it has agreed to be named in this applicant's response (`POST …/partnerships`). */
  agreed: boolean;
}

/**
 * Where each consortium member stands, for the applicant: registered and verified, currently accredited,
 * agreed to be named. Reads the agreements given to the applicant with the applicant's credentials.
 */
export async function consortiumStanding(
  deps: Pick<ApplicationFormDeps, 'providers' | 'accreditations' | 'providerData'>,
  competitionId: string,
  applicantId: string,
  members: readonly { providerId: string; role: string }[],
  now: Date,
): Promise<MemberStanding[]> {
  if (members.length === 0) return [];
  const ids = members.map((m) => m.providerId);
  const own = await deps.providerData.forProvider(applicantId);
  const [providers, agreed, accreditations] = await Promise.all([
    deps.providers.getMany(ids),
    own.partnerships.agreedAmong(competitionId, applicantId, ids),
    Promise.all(ids.map((id) => deps.accreditations.get(id))),
  ]);
  const byId = new Map(providers.map((p) => [p.id, p]));
  return members.map((m, i) => {
    const provider = byId.get(m.providerId);
    const accreditation = accreditations[i];
    return {
      providerId: m.providerId,
      role: m.role,
      name: provider?.name,
      verified: provider?.status === 'verified',
      accredited:
        accreditation !== undefined && accreditationStatus(accreditation.validUntil, now) === 'current',
      agreed: agreed.has(m.providerId),
    };
  });
}
