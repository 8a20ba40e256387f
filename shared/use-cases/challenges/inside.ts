/**
 * The commissioning side of standstill challenges (issue 15): listing them (declared insiders and auditors
 * see all, audited; the challenger's members see their own) and the lead's decision.
 *
 * Deciding goes through the wall (`challenges`/`decide`: the lead, declared, not connected or excluded).
 * The decision, the challenge rewritten (only if still open), the competition's new state when upheld
 * (back to evaluation with the award withdrawn, or cancelled), the notifications, the OCDS release of an
 * upheld challenge (`awardCancellation`, or `tenderCancellation` with it) and the audit event commit in one
 * transaction.
 */
import { monotonicFactory } from 'ulid';
import type { BidRepository } from '../../db/bids';
import type { ChallengeRepository } from '../../db/challenges';
import type { CompetitionState } from '../../db/competitions';
import type { NotificationRepository } from '../../db/notifications';
import type { OutboxRepository } from '../../db/outbox';
import type { Page } from '../../db/pagination';
import type { NotificationDraft } from '../../db/providers';
import {
  assertDecidable,
  type Challenge,
  type ChallengeDecisionInput,
  competitionAfterUpheld,
  decidedChallenge,
  decisionAuditAction,
  decisionIssues,
} from '../../domain/challenges';
import type { Competition } from '../../domain/competitions';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import { challengeReadScope, decideCompetitionAccess, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import type { ReleaseDraft } from '../../domain/publication/ocds';
import { publicTenderFacts } from '../../domain/publication/projection';
import {
  awardCancellationRelease,
  type PublicationContext,
  tenderCancellationRelease,
} from '../../domain/publication/releases';
import { loadCompetitionState, passWall, recordChange, type WallDeps, wallFacts } from '../competitions/wall';
import { commitWithReleases, type PublicationDeps } from '../publication/publish';
import { type ChallengeView, viewChallenge } from './view';

const nextId = monotonicFactory();

/** What the inside use cases need. */
export type ChallengeInsideDeps = WallDeps &
  PublicationDeps & {
    challenges: ChallengeRepository;
    bids: Pick<BidRepository, 'getDebrief' | 'listHeads'>;
    notifications: Pick<NotificationRepository, 'addItems'>;
    /** Where the decision's e-mail to the challenger goes, in its transaction. */
    outbox: Pick<OutboxRepository, 'eventItems'>;
  };

/** A page of challenges, and what the page around them needs. */
export interface ChallengeList extends Page<ChallengeView> {
  /** Whose challenges these are: every one (inside, auditors) or the caller's organisations' own. */
  scope: 'all' | 'own';
  /** Whether the policy lets the caller decide challenges (the page offers the form). */
  mayDecide: boolean;
  competition: Pick<Competition, 'id' | 'title' | 'status' | 'award'>;
}

/**
 * `GET /competitions/{id}/challenges`. A member of an organisation connected to the competition reads its
 * own organisations' challenges (of the award decision each one's debrief is of), unaudited and never
 * refused; anyone else goes through the wall: declared insiders and auditors read every challenge (an
 * inside read, audited as `challenges.read`), everyone else is refused (the refusal audited, and alerted
 * when the caller is outside the wall).
 */
export async function listChallenges(
  deps: ChallengeInsideDeps,
  principal: Principal,
  competitionId: string,
  request: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<ChallengeList> {
  requireUser(principal);
  const state = await loadCompetitionState(deps, competitionId);
  const { competition } = state;
  const facts = await wallFacts(deps, principal, state, now);
  const summary = {
    id: competition.id,
    title: competition.title,
    status: competition.status,
    ...(competition.award ? { award: competition.award } : {}),
  };
  const scope = challengeReadScope(principal, facts);
  if (scope.scope === 'own') {
    const own = await Promise.all(
      scope.organisations.map(async (providerId) => {
        const debrief = await deps.bids.getDebrief(competitionId, providerId);
        return debrief ? deps.challenges.get(competitionId, providerId, debrief.decidedAt) : undefined;
      }),
    );
    const items = own
      .filter((c): c is Challenge => c !== undefined)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((c) => viewChallenge(c, competition, 'challenger'));
    return { items, nextCursor: null, scope: 'own', mayDecide: false, competition: summary };
  }
  await passWall(
    deps,
    principal,
    state,
    { resource: 'challenges', action: 'read', auditAction: 'challenges.read', auditAllowed: true },
    now,
    facts,
  );
  const page = await deps.challenges.list(competitionId, request);
  return {
    items: page.items.map((c) => viewChallenge(c, competition, 'inside')),
    nextCursor: page.nextCursor,
    scope: 'all',
    mayDecide: decideCompetitionAccess(principal, facts, 'challenges', 'decide').allowed,
    competition: summary,
  };
}

/** The notifications of a decision: the challenger always; on an upheld challenge every other bidder too. */
async function decisionNotifications(
  deps: ChallengeInsideDeps,
  competition: Competition,
  challenge: Challenge,
  input: ChallengeDecisionInput,
  now: Date,
): Promise<NotificationDraft[]> {
  const at = now.toISOString();
  const base = {
    createdAt: at,
    competitionId: competition.id,
    competitionTitle: competition.title,
  };
  const upheld = input.outcome === 'upheld';
  const cancelled = upheld && input.then === 'cancel';
  const challengerMessage = !upheld
    ? `Your challenge of the award decision was rejected. The reasons: ${input.reasons}`
    : cancelled
      ? `Your challenge of the award decision was upheld and the competition is cancelled. The reasons: ${input.reasons}`
      : `Your challenge of the award decision was upheld: the award decision is withdrawn and the bids will be evaluated again. The reasons: ${input.reasons}`;
  const notes: NotificationDraft[] = [
    {
      ...base,
      id: nextId(now.getTime()),
      providerId: challenge.providerId,
      type: upheld ? 'challenge-upheld' : 'challenge-rejected',
      title: `Your challenge was ${upheld ? 'upheld' : 'rejected'}: ${competition.title}`,
      message: challengerMessage,
      link: `/your-competitions/${competition.id}/challenge`,
    },
  ];
  if (upheld) {
    // Every bidder was told of the award decision, so every bidder is told it no longer stands (without
    // naming who challenged it).
    const others = (await deps.bids.listHeads(competition.id))
      .filter((h) => h.status === 'submitted' && h.providerId !== challenge.providerId)
      .map((h) => h.providerId);
    for (const providerId of [...new Set(others)]) {
      notes.push({
        ...base,
        id: nextId(now.getTime()),
        providerId,
        type: cancelled ? 'competition-cancelled' : 'award-withdrawn',
        title: `${cancelled ? 'Cancelled' : 'Award decision withdrawn'}: ${competition.title}`,
        message: cancelled
          ? 'A challenge of the award decision was upheld and the competition is cancelled: no contract will be let.'
          : 'A challenge of the award decision was upheld: the decision is withdrawn and the bids will be evaluated again. You will be told the new decision.',
        link: `/your-competitions/${competition.id}`,
      });
    }
  }
  return notes;
}

/**
 * The outbox event of a decision: an e-mail to the members of the challenging organisation only (its
 * inbox notification is written with the decision already, `decisionNotifications`). It says the outcome
 * and links to the challenge, where the reasons are: not the reasons themselves, which are the parties'
 * business and stay behind the sign-in.
 */
export function challengeDecisionEvent(
  competition: Pick<Competition, 'id' | 'title'>,
  challenge: Pick<Challenge, 'providerId'>,
  input: Pick<ChallengeDecisionInput, 'outcome' | 'then'>,
  now: Date,
): OutboxEvent {
  const upheld = input.outcome === 'upheld';
  const what = !upheld
    ? 'Your organisation’s challenge of the award decision was rejected.'
    : input.then === 'cancel'
      ? 'Your organisation’s challenge of the award decision was upheld and the competition is cancelled.'
      : 'Your organisation’s challenge of the award decision was upheld: the award decision is withdrawn and the bids will be evaluated again.';
  return {
    id: nextId(now.getTime()),
    kind: 'challenge-decision',
    createdAt: now.toISOString(),
    audience: { type: 'members', providerIds: [challenge.providerId] },
    message: {
      subject: subjectLine(`Your challenge was ${upheld ? 'upheld' : 'rejected'}: ${competition.title}`),
      paragraphs: [what, 'Sign in to read the decision and its reasons.'],
      action: { text: 'Read the decision', path: `/your-competitions/${competition.id}/challenge` },
    },
  };
}

/**
 * `POST /competitions/{id}/challenges/{challengeId}/decision`: the lead (declared, inside the wall) upholds
 * or rejects an open challenge of the award decision in force, with reasons. Upheld, the competition
 * returns to evaluation with the award withdrawn (scores and moderation kept) or is cancelled, as the lead
 * chooses. The challenger's organisation is told, and on an upheld challenge every other bidder too.
 * @throws the wall's refusal | ValidationError | NotFoundError | InvalidStateError (decided already, or
 *   its decision no longer in force) | ConflictError (a racing change)
 */
export async function decideChallenge(
  deps: ChallengeInsideDeps,
  principal: Principal,
  competitionId: string,
  challengeId: string,
  input: ChallengeDecisionInput,
  now: Date,
): Promise<ChallengeView> {
  const user = requireUser(principal);
  const state: CompetitionState = await loadCompetitionState(deps, competitionId);
  await passWall(
    deps,
    principal,
    state,
    { resource: 'challenges', action: 'decide', auditAction: 'challenge.decide', auditAllowed: false },
    now,
  );
  const issues = decisionIssues(input);
  if (issues.length > 0) throw new ValidationError('The decision is not complete.', issues);
  const { competition } = state;
  const challenge = await deps.challenges.find(competitionId, challengeId);
  if (!challenge) throw new NotFoundError(`No challenge ${challengeId} in this competition.`);
  assertDecidable(challenge, competition);
  const at = now.toISOString();
  const decided = decidedChallenge(challenge, input, user.sub, at);
  const after =
    input.outcome === 'upheld' && input.then
      ? competitionAfterUpheld(competition, input.then, input.reasons, at)
      : undefined;
  const notifications = await decisionNotifications(deps, competition, challenge, input, now);
  const releases = after ? upheldReleases(deps.publication.context, competition, after, at) : [];
  await commitWithReleases(deps, releases, now, (published) =>
    recordChange(
      deps,
      competitionId,
      { at, actor: user.sub, action: decisionAuditAction(input), resource: `challenges/${challengeId}` },
      {
        items: [
          ...deps.challenges.decisionItems(decided),
          ...(after ? deps.competitions.updateItems(competition, after) : []),
          ...deps.notifications.addItems(notifications),
          ...published,
          ...deps.outbox.eventItems(challengeDecisionEvent(competition, challenge, input, now)),
        ],
        onRefused: ([challengeCode, competitionCode]) => {
          if (challengeCode === 'ConditionalCheckFailed')
            return new ConflictError('This challenge was decided while you were deciding it: reload it.');
          if (competitionCode === 'ConditionalCheckFailed') {
            return new ConflictError(
              'The competition changed while you were deciding (the award may have been confirmed): reload it and try again.',
            );
          }
          return undefined;
        },
      },
    ),
  );
  return viewChallenge(decided, after ?? competition, 'inside');
}

/**
 * The releases of an upheld challenge: the published award decision is withdrawn (`awardCancellation`),
 * and with a cancellation the tender too (`tenderCancellation`, no reason: the challenge's reasons are its
 * parties' business).
 */
function upheldReleases(
  context: PublicationContext,
  before: Competition,
  after: Competition,
  at: string,
): ReleaseDraft[] {
  const withdrawnAward = before.award
    ? { supplier: { id: before.award.providerId, name: before.award.providerName }, withdrawnAt: at }
    : undefined;
  if (after.status === 'cancelled') {
    return [
      tenderCancellationRelease(context, publicTenderFacts(after), {
        cancelledAt: at,
        cause: 'challenge-upheld',
        ...(withdrawnAward ? { withdrawnAward } : {}),
      }),
    ];
  }
  return withdrawnAward
    ? [awardCancellationRelease(context, { competitionId: after.id }, withdrawnAward)]
    : [];
}

/** One challenge and what the page around it needs. */
export interface ChallengeInContext {
  challenge: ChallengeView;
  mayDecide: boolean;
  competition: Pick<Competition, 'id' | 'title' | 'status' | 'award'>;
}

/**
 * One challenge (`GET /commissioning/{id}/challenges/{challengeId}`, the page where the lead decides it):
 * the read `listChallenges` makes, for one challenge. Declared insiders and auditors through the wall
 * (audited as `challenges.read`); a connected organisation's member only its own (anyone else's is "not
 * found").
 */
export async function getChallenge(
  deps: ChallengeInsideDeps,
  principal: Principal,
  competitionId: string,
  challengeId: string,
  now: Date,
): Promise<ChallengeInContext> {
  requireUser(principal);
  const state = await loadCompetitionState(deps, competitionId);
  const { competition } = state;
  const facts = await wallFacts(deps, principal, state, now);
  const scope = challengeReadScope(principal, facts);
  if (scope.scope === 'wall') {
    await passWall(
      deps,
      principal,
      state,
      { resource: 'challenges', action: 'read', auditAction: 'challenges.read', auditAllowed: true },
      now,
      facts,
    );
  }
  const found = await deps.challenges.find(competitionId, challengeId);
  if (!found || (scope.scope === 'own' && !scope.organisations.includes(found.providerId))) {
    throw new NotFoundError(`No challenge ${challengeId} in this competition.`);
  }
  return {
    challenge: viewChallenge(found, competition, scope.scope === 'own' ? 'challenger' : 'inside'),
    mayDecide:
      scope.scope === 'wall' && decideCompetitionAccess(principal, facts, 'challenges', 'decide').allowed,
    competition: {
      id: competition.id,
      title: competition.title,
      status: competition.status,
      ...(competition.award ? { award: competition.award } : {}),
    },
  };
}
