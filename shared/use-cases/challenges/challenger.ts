/**
 * The challenger's side (issue 15): a member of an organisation that bid raises a challenge of the award
 * decision during standstill, and reads its own challenge and the lead's decision.
 *
 * These run on the bidder-facing side: the function's own role reads competitions and the registry; the
 * organisation's debrief and challenge (in its own bid partition) and the audit append are reached through
 * `providerData`, on credentials (in AWS) for that organisation alone. Nothing here reads another
 * organisation's data, the bids, the scores or the evaluation.
 */
import { monotonicFactory } from 'ulid';
import type { ChallengeRepository } from '../../db/challenges';
import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { ProviderData, ProviderDataAccess } from '../../db/provider-data';
import type { ProviderRepository } from '../../db/providers';
import { assertChallengeable, type Challenge } from '../../domain/challenges';
import type { Competition } from '../../domain/competitions';
import {
  ConflictError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import { decideChallenger, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { recordChange } from '../competitions/wall';
import { type ChallengeView, viewChallenge } from './view';

const nextId = monotonicFactory();

/** What the challenger's use cases need. */
export interface ChallengerDeps {
  competitions: Pick<CompetitionRepository, 'get'>;
  memberships: Pick<MembershipRepository, 'listForUser'>;
  providers: Pick<ProviderRepository, 'get'>;
  providerData: ProviderDataAccess;
  /**
   * The process-wide challenge repository, used only when `providerData` carries none: locally, where every
   * provider shares the process's repositories (no IAM). In AWS the per-provider one is always there.
   */
  challenges: ChallengeRepository;
}

async function loadCompetition(deps: ChallengerDeps, id: string): Promise<Competition> {
  const competition = await deps.competitions.get(id);
  if (!competition || competition.status === 'draft') throw new NotFoundError(`No competition ${id}.`);
  return competition;
}

/** The organisation's own challenge repository (see `ChallengerDeps.challenges`). */
function challengesOf(deps: ChallengerDeps, own: ProviderData): ChallengeRepository {
  return own.challenges ?? deps.challenges;
}

/**
 * The caller's organisations that bid in the award decision made at `decidedAt` (their debrief is of that
 * decision), each with its own data access. Only the organisation named is looked at when one is.
 */
async function biddingOrganisations(
  deps: ChallengerDeps,
  sub: string,
  competitionId: string,
  decidedAt: string | undefined,
  requested: string | undefined,
) {
  const memberOf = (await deps.memberships.listForUser(sub)).map((m) => m.providerId);
  const candidates = requested === undefined ? memberOf : memberOf.filter((id) => id === requested);
  const looked = await Promise.all(
    candidates.map(async (providerId) => {
      const own = await deps.providerData.forProvider(providerId);
      const debrief = await own.bids.getDebrief(competitionId, providerId);
      const bid = debrief !== undefined && (decidedAt === undefined || debrief.decidedAt === decidedAt);
      return { providerId, own, debrief: bid ? debrief : undefined };
    }),
  );
  const bidders = looked.filter((o) => o.debrief !== undefined);
  return { memberOf, bidders };
}

/** Which of the caller's bidding organisations acts, or why none can. */
function chooseOrganisation<T extends { providerId: string }>(
  memberOf: string[],
  bidders: T[],
  requested: string | undefined,
): T {
  const decision = decideChallenger(
    memberOf,
    bidders.map((b) => b.providerId),
    requested,
  );
  if ('choose' in decision) {
    throw new ValidationError('Say which organisation is challenging.', [
      { path: 'providerId', message: 'You belong to several organisations that bid: choose one' },
    ]);
  }
  return bidders.find((b) => b.providerId === decision.providerId) as T;
}

/**
 * `POST /competitions/{id}/challenges`: a member of an organisation that bid challenges the award decision
 * in force, during standstill. One challenge per organisation and decision. The challenge, a check that the
 * competition is still in standstill on that decision, a check that the caller is still a member of the
 * organisation, and the audit event commit together: a challenge racing the award's confirmation either
 * lands before it (and the confirmation is refused) or is refused, and a member removed after the
 * memberships were read challenges nothing.
 * @throws NotFoundError | InvalidStateError (not in standstill) | ForbiddenError (did not bid, or no
 *   longer a member) |
 *   ValidationError (several organisations bid and none is named) | ConflictError (already challenged)
 */
export async function raiseChallenge(
  deps: ChallengerDeps,
  principal: Principal,
  competitionId: string,
  input: { grounds: string; providerId?: string | undefined },
  now: Date,
): Promise<ChallengeView> {
  const user = requireUser(principal);
  const competition = await loadCompetition(deps, competitionId);
  const decidedAt = assertChallengeable(competition);
  const { memberOf, bidders } = await biddingOrganisations(
    deps,
    user.sub,
    competitionId,
    decidedAt,
    input.providerId,
  );
  const { providerId, own } = chooseOrganisation(memberOf, bidders, input.providerId);
  const provider = await deps.providers.get(providerId);
  if (!provider) throw new NotFoundError(`No provider ${providerId}.`);
  const at = now.toISOString();
  const challenge: Challenge = {
    id: nextId(now.getTime()),
    competitionId,
    providerId,
    providerName: provider.name,
    grounds: input.grounds,
    raisedBy: user.sub,
    raisedAt: at,
    awardDecidedAt: decidedAt,
    status: 'open',
  };
  await recordChange(
    { audit: own.audit },
    competitionId,
    { at, actor: user.sub, action: 'challenge.raise', resource: `challenges/${challenge.id}` },
    {
      items: challengesOf(deps, own).raiseItems(challenge),
      onRefused: ([put, standstill, member]) => {
        if (member === 'ConditionalCheckFailed') {
          return new ForbiddenError('You are no longer a member of that organisation.');
        }
        if (put === 'ConditionalCheckFailed') {
          return new ConflictError(
            'Your organisation has already challenged this award decision: see its challenge and the decision on it.',
          );
        }
        if (standstill === 'ConditionalCheckFailed') {
          return new InvalidStateError(
            'The standstill period is over: the award decision was confirmed, withdrawn or the competition cancelled while you were writing.',
          );
        }
        return undefined;
      },
    },
  );
  return viewChallenge(challenge, competition, 'challenger');
}

/** The caller's organisations that may challenge, when there are several: the page asks which one does. */
export interface ChallengerChoice {
  competition: Pick<Competition, 'id' | 'title'>;
  organisations: { providerId: string; providerName: string }[];
}

/**
 * The caller's organisations with a debrief in this competition, by name: the provider's challenge page
 * asks which of them challenges when there are several (`getOwnChallenge` and `raiseChallenge` refuse to
 * guess). Read, like them, through each organisation's own provider data access.
 * @throws NotFoundError
 */
export async function challengerChoice(
  deps: ChallengerDeps,
  principal: Principal,
  competitionId: string,
): Promise<ChallengerChoice> {
  const user = requireUser(principal);
  const competition = await loadCompetition(deps, competitionId);
  const { bidders } = await biddingOrganisations(deps, user.sub, competitionId, undefined, undefined);
  const organisations = await Promise.all(
    bidders.map(async ({ providerId }) => ({
      providerId,
      providerName: (await deps.providers.get(providerId))?.name ?? providerId,
    })),
  );
  return {
    competition: { id: competition.id, title: competition.title },
    organisations: organisations.sort((a, b) => a.providerName.localeCompare(b.providerName)),
  };
}

/** The caller's organisation's challenge of the award decision its debrief is of, as the provider page shows it. */
export interface OwnChallenge {
  competition: Pick<Competition, 'id' | 'title' | 'status'> & {
    standstillEndsAt?: string | undefined;
  };
  providerId: string;
  providerName: string;
  /** Whether a challenge can be raised now (in standstill, none raised yet for this decision). */
  mayRaise: boolean;
  /** Why not, when it cannot (in words for the page). */
  refusal?: string | undefined;
  challenge: ChallengeView | null;
}

/**
 * The caller's organisation's challenge (for `/your-competitions/{id}/challenge`): read by key in the
 * organisation's own partition, of the decision its debrief is of, with whether one may be raised now.
 * The `own` branch of `GET /competitions/{id}/challenges`, on the bidder's credentials.
 * @throws NotFoundError | ForbiddenError (the caller's organisations did not bid) | ValidationError
 */
export async function getOwnChallenge(
  deps: ChallengerDeps,
  principal: Principal,
  competitionId: string,
  requested: string | undefined,
): Promise<OwnChallenge> {
  const user = requireUser(principal);
  const competition = await loadCompetition(deps, competitionId);
  const { memberOf, bidders } = await biddingOrganisations(
    deps,
    user.sub,
    competitionId,
    undefined,
    requested,
  );
  if (bidders.length === 0 && requested === undefined) {
    throw new ForbiddenError(
      'None of your organisations has a debrief in this competition: it did not bid, or the award has not been decided yet.',
    );
  }
  const { providerId, own, debrief } = chooseOrganisation(memberOf, bidders, requested);
  const decidedAt = debrief?.decidedAt as string;
  const [stored, provider] = await Promise.all([
    challengesOf(deps, own).get(competitionId, providerId, decidedAt),
    deps.providers.get(providerId),
  ]);
  let refusal: string | undefined;
  try {
    const inForce = assertChallengeable(competition);
    if (inForce !== decidedAt) refusal = 'The award decision has changed: read your new debrief first.';
    else if (stored) refusal = 'Your organisation has already challenged this award decision.';
  } catch (error) {
    if (!(error instanceof InvalidStateError)) throw error;
    refusal = error.message;
  }
  return {
    competition: {
      id: competition.id,
      title: competition.title,
      status: competition.status,
      ...(competition.award ? { standstillEndsAt: competition.award.standstillEndsAt } : {}),
    },
    providerId,
    providerName: provider?.name ?? providerId,
    mayRaise: refusal === undefined,
    ...(refusal ? { refusal } : {}),
    challenge: stored ? viewChallenge(stored, competition, 'challenger') : null,
  };
}
