/**
 * `POST /competitions/{id}/prequalification-responses`: the owner of a verified provider applies, alone or
 * as the lead of a consortium whose members are verified, accredited and have agreed to be named
 * (`agreeToBeNamed`, which connects them). Answers a current accreditation
 * gives are taken from it; the automatic results are worked out at once. The response is written only if
 * the competition is still open at the request time (a condition in the same transaction), and the
 * applicant then stands outside the competition's wall.
 */
import { ulid } from 'ulid';
import type { AccreditationRepository } from '../../db/accreditations';
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { OutboxRepository } from '../../db/outbox';
import type { PrequalificationResponse } from '../../db/prequalification';
import type { ProviderDataAccess } from '../../db/provider-data';
import type { ProviderRepository } from '../../db/providers';
import { type Accreditation, accreditationStatus } from '../../domain/accreditation';
import { effectiveStatus } from '../../domain/competitions';
import {
  DeadlinePassedError,
  type FieldIssue,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import { unagreedIssues } from '../../domain/partnerships';
import { requireUser } from '../../domain/policy';
import {
  exclusionResult,
  financialResult,
  mergeAnswers,
  questionnaireFor,
} from '../../domain/prequalification';
import type { Principal } from '../../domain/principal';
import { recordChange } from '../competitions/wall';

/**
 * What submitting needs. No response or audit repository of its own: the applicant's response and the
 * audit append go through `providerData`, only after the applicant is resolved, with credentials (in AWS)
 * that reach that applicant's response alone.
 */
type Deps = {
  competitions: CompetitionRepository;
  providers: ProviderRepository;
  memberships: MembershipRepository;
  accreditations: AccreditationRepository;
  providerData: ProviderDataAccess;
  /** Applying makes the organisation one of those taking part (told of answers and document changes). */
  outbox: Pick<OutboxRepository, 'takingPartItem'>;
};

/** The application. */
export interface ResponseInput {
  /** The applicant; optional when the caller owns exactly one verified organisation. */
  providerId?: string | undefined;
  answers: Record<string, unknown>;
  consortium?: { providerId: string; role: string }[] | undefined;
}

/** What the applicant is told. */
export interface SubmittedResponse {
  id: string;
  status: 'submitted';
  providerId: string;
  submittedAt: string;
  automatic: PrequalificationResponse['automatic'];
}

async function currentAccreditation(
  deps: Deps,
  providerId: string,
  now: Date,
): Promise<Accreditation | undefined> {
  const accreditation = await deps.accreditations.get(providerId);
  return accreditation && accreditationStatus(accreditation.validUntil, now) === 'current'
    ? accreditation
    : undefined;
}

/** Submits (or replaces) a pre-qualification response. */
export async function submitResponse(
  deps: Deps,
  principal: Principal,
  competitionId: string,
  input: ResponseInput,
  now: Date,
): Promise<SubmittedResponse> {
  const user = requireUser(principal);
  const competition = await deps.competitions.get(competitionId);
  if (!competition || competition.status === 'draft')
    throw new NotFoundError(`No competition ${competitionId}.`);
  const status = effectiveStatus(competition, now);
  if (competition.prequalificationTier === 'none') {
    throw new InvalidStateError(
      'This competition has no pre-qualification: verified providers bid directly.',
    );
  }
  if (status !== 'prequalification') {
    if (['shortlisting', 'tendering', 'evaluation', 'standstill', 'awarded'].includes(status)) {
      throw new DeadlinePassedError('The pre-qualification deadline has passed.');
    }
    throw new InvalidStateError(`This competition is ${status}.`);
  }

  // The applicant: named, or the caller's only owned organisation.
  const owned = (await deps.memberships.listForUser(user.sub))
    .filter((m) => m.role === 'owner')
    .map((m) => m.providerId);
  let applicantId = input.providerId;
  if (applicantId === undefined) {
    if (owned.length !== 1) {
      throw new ValidationError('Say which organisation is applying.', [
        {
          path: 'providerId',
          message:
            owned.length === 0 ? 'You own no organisation' : 'You own several organisations: choose one',
        },
      ]);
    }
    applicantId = owned[0] as string;
  }
  if (!owned.includes(applicantId))
    throw new ForbiddenError('Only an owner of the applying organisation can apply for it.');
  const consortium = input.consortium ?? [];
  const ids = [applicantId, ...consortium.map((m) => m.providerId)];
  const providers = new Map((await deps.providers.getMany(ids)).map((p) => [p.id, p]));
  const applicant = providers.get(applicantId);
  if (!applicant) throw new NotFoundError(`No provider ${applicantId}.`);
  if (applicant.status !== 'verified')
    throw new ForbiddenError('Only verified providers can apply; ask an admin to verify your organisation.');

  const issues: FieldIssue[] = [];
  const memberTurnovers: number[] = [];
  const seen = new Set<string>([applicantId]);
  for (const [i, member] of consortium.entries()) {
    const provider = providers.get(member.providerId);
    if (seen.has(member.providerId)) {
      issues.push({ path: `consortium.${i}.providerId`, message: 'Each organisation may appear once' });
      continue;
    }
    seen.add(member.providerId);
    if (provider?.status !== 'verified') {
      issues.push({
        path: `consortium.${i}.providerId`,
        message: 'Consortium members must be verified providers',
      });
      continue;
    }
    const accreditation = await currentAccreditation(deps, member.providerId, now);
    if (!accreditation) {
      issues.push({
        path: `consortium.${i}.providerId`,
        message: `${provider.name} has no current accreditation`,
      });
      continue;
    }
    memberTurnovers.push(accreditation.financial.annualTurnoverPence);
  }
  const accreditation = await currentAccreditation(deps, applicantId, now);
  const merged = mergeAnswers(
    questionnaireFor(competition.prequalificationTier),
    input.answers,
    accreditation,
  );
  issues.push(...merged.issues);
  // Consortium members are parties only by their own agreement, which is also what connects them.
  const own = await deps.providerData.forProvider(applicantId);
  const named = consortium.map((m, i) => ({ path: `consortium.${i}.providerId`, providerId: m.providerId }));
  const agreed = await own.partnerships.agreedAmong(
    competitionId,
    applicantId,
    named.map((n) => n.providerId),
  );
  const names = new Map([...providers.values()].map((p) => [p.id, p.name]));
  issues.push(
    ...unagreedIssues(
      named.filter((n) => !issues.some((i) => i.path === n.path)),
      agreed,
      names,
    ),
  );
  if (issues.length > 0) throw new ValidationError(`The response has ${issues.length} problem(s).`, issues);

  const at = now.toISOString();
  const applicantTurnover = Number(merged.answers['financial.annual-turnover-pence'] ?? 0);
  const response: PrequalificationResponse = {
    id: ulid(now.getTime()),
    competitionId,
    providerId: applicantId,
    providerName: applicant.name,
    consortium: consortium.map((m) => ({
      providerId: m.providerId,
      role: m.role,
      name: providers.get(m.providerId)?.name ?? '',
    })),
    answers: merged.answers,
    automatic: {
      exclusion: exclusionResult(accreditation, merged.answers),
      financial: financialResult([applicantTurnover, ...memberTurnovers], competition.minimumTurnoverPence),
    },
    submittedAt: at,
    submittedBy: user.sub,
  };
  const connections = [{ providerId: applicantId, role: 'applicant' }];
  await recordChange(
    own,
    competitionId,
    { at, actor: user.sub, action: 'prequalification.submit', resource: 'prequalification-responses' },
    {
      items: [
        ...own.prequalification.submitItems(response, at),
        // "Your competitions": no bid can exist yet (bids open after pre-qualification), so this is all.
        ...own.prequalification.participationItems({
          competitionId,
          providerId: applicantId,
          applied: true,
          responseId: response.id,
          updatedAt: at,
        }),
        ...deps.competitions.connectedItems(competitionId, connections, at),
        deps.outbox.takingPartItem(competitionId, applicantId, at),
      ],
      onRefused: () =>
        new DeadlinePassedError('The pre-qualification deadline passed before the response was stored.'),
    },
  );
  return {
    id: response.id,
    status: 'submitted',
    providerId: applicantId,
    submittedAt: at,
    automatic: response.automatic,
  };
}
