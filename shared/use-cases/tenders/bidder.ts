/**
 * The bidder's side of a tender: keep one draft, submit it (versions 1, 2, …), withdraw it, read it back,
 * and after the award decision read the debrief. Every write is conditioned on the competition still
 * taking this bidder's bid at the request time, in the same transaction; after the tender deadline,
 * nothing changes (409 deadline-passed). A submission also records the tender document versions current
 * then, conditioned on the documents' revision it read them at: a version made current in between makes
 * it read them again rather than record a stale set.
 */
import { ulid } from 'ulid';
import type { BidDraft, BidHead, Debrief } from '../../db/bids';
import type { CompetitionRepository } from '../../db/competitions';
import type { DocumentRepository } from '../../db/documents';
import type { Membership, MembershipRepository } from '../../db/memberships';
import type { OutboxRepository } from '../../db/outbox';
import type { Participation } from '../../db/participation';
import type { ProviderData, ProviderDataAccess } from '../../db/provider-data';
import type { ProviderRepository } from '../../db/providers';
import {
  type BidContent,
  bidContentIssues,
  namedOrganisationIssues,
  namedOrganisations,
  nextBidStatus,
} from '../../domain/bids';
import { type Competition, effectiveStatus } from '../../domain/competitions';
import { currentVersions } from '../../domain/documents';
import {
  ConflictError,
  DeadlinePassedError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import { unagreedIssues } from '../../domain/partnerships';
import { requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { recordChange } from '../competitions/wall';

/**
 * What the bidder use cases need. No bid or audit repository of their own: a bidder's bid partition and
 * audit appends are reached through `providerData`, only after the caller's organisation is resolved, with
 * credentials (in AWS) that reach that organisation's partition alone.
 */
export interface BidderDeps {
  competitions: CompetitionRepository;
  memberships: MembershipRepository;
  providers: ProviderRepository;
  providerData: ProviderDataAccess;
  /**
   * The outbox's mark that the bidder takes part (`takingPartItem`), put with every draft, submission and
   * withdrawal, so it is told of published answers and changed documents (issue 17).
   */
  outbox: Pick<OutboxRepository, 'takingPartItem'>;
  /**
   * The tender documents (procurement, read), so a submitted bid records the versions it answered
   * (issue 15), conditioned on their revision. The functions always give it; without it a bid records none.
   */
  documents?: Pick<DocumentRepository, 'current' | 'revision' | 'revisionCheck'>;
}

/**
 * What the caller has read already and the use case would otherwise read again (a page reads the
 * competition for its own header, and the user's memberships for every page): passed in, read once. Both
 * must be the stored records of this competition and of this principal; what is decided from them is
 * decided here as ever.
 */
export interface AlreadyLoaded {
  /** The stored competition (not its public view: the shortlist decides who may bid). */
  competition?: Competition | undefined;
  /** The principal's memberships, as `MembershipRepository.listForUser` answers them. */
  memberships?: readonly Membership[] | undefined;
}

/** How many times a submission reads the documents again when they change under it, before giving up. */
export const SUBMIT_ATTEMPTS = 3;

/** The bidder's view of its bid. */
export interface OwnBid {
  competitionId: string;
  providerId: string;
  bidId: string;
  status: 'draft' | 'submitted' | 'withdrawn';
  version: number | null;
  draft: BidDraft | null;
  submitted: BidHead | null;
}

const PASSED = ['evaluation', 'standstill', 'awarded'];

/**
 * The stored competition a bidder acts on: not found while a draft (as `GET /competitions/{id}` says). The
 * bid pages read it with this once, show its public view, and pass it to `getOwnBid`.
 * @param known the competition already read, if any (used when it is this one)
 */
export async function competitionForBidder(
  deps: Pick<BidderDeps, 'competitions'>,
  id: string,
  known?: Competition,
): Promise<Competition> {
  return loadCompetition(deps, id, known);
}

async function loadCompetition(
  deps: Pick<BidderDeps, 'competitions'>,
  id: string,
  known?: Competition,
): Promise<Competition> {
  const competition = known?.id === id ? known : await deps.competitions.get(id);
  if (!competition || competition.status === 'draft') throw new NotFoundError(`No competition ${id}.`);
  return competition;
}

function assertTakingBids(competition: Competition, now: Date): void {
  const status = effectiveStatus(competition, now);
  if (status === 'tendering') return;
  if (PASSED.includes(status))
    throw new DeadlinePassedError('The tender deadline has passed: bids can no longer change.');
  throw new InvalidStateError(`This competition is ${status}: it is not taking bids.`);
}

/**
 * Which organisation the caller bids for: the one named, or their only eligible one. Writes need an owner;
 * reads any member. For tiers with pre-qualification only shortlisted providers bid; for tier none any
 * verified provider. Answers with that organisation's own data access (`own`): the only way the bidder
 * use cases reach bids, so credentials are always those of the organisation just resolved.
 */
async function resolveBidder(
  deps: BidderDeps,
  principal: Principal,
  competition: Competition,
  requested: string | undefined,
  write: boolean,
  known?: readonly Membership[],
): Promise<{ providerId: string; providerName: string; own: ProviderData }> {
  const user = requireUser(principal);
  const memberships = (known ?? (await deps.memberships.listForUser(user.sub))).filter(
    (m) => m.sub === user.sub && (!write || m.role === 'owner'),
  );
  const shortlist = competition.prequalificationTier === 'none' ? undefined : (competition.shortlist ?? []);
  const eligible = memberships.map((m) => m.providerId).filter((id) => !shortlist || shortlist.includes(id));
  let providerId = requested;
  if (providerId === undefined) {
    if (eligible.length !== 1) {
      if (eligible.length === 0) {
        throw new ForbiddenError(
          shortlist
            ? 'None of your organisations is shortlisted for this competition.'
            : 'You do not own an organisation that can bid.',
        );
      }
      throw new ValidationError('Say which organisation is bidding.', [
        { path: 'providerId', message: 'You belong to several eligible organisations: choose one' },
      ]);
    }
    providerId = eligible[0] as string;
  }
  if (!memberships.some((m) => m.providerId === providerId)) {
    throw new ForbiddenError(
      write
        ? 'Only an owner of the bidding organisation can do this.'
        : 'You are not a member of that organisation.',
    );
  }
  if (shortlist && !shortlist.includes(providerId))
    throw new ForbiddenError('That organisation is not shortlisted for this competition.');
  const provider = await deps.providers.get(providerId);
  if (!provider) throw new NotFoundError(`No provider ${providerId}.`);
  if (provider.status !== 'verified') throw new ForbiddenError('Only verified providers can bid.');
  return { providerId, providerName: provider.name, own: await deps.providerData.forProvider(providerId) };
}

/**
 * The bidder's participation item ("your competitions", `shared/db/participation.ts`) as a bid write
 * leaves it. In a competition with pre-qualification only the shortlisted bid, so bidding there implies
 * having applied.
 */
function participationOf(
  competition: Competition,
  providerId: string,
  status: 'draft' | 'submitted' | 'withdrawn',
  version: number | undefined,
  at: string,
): Participation {
  return {
    competitionId: competition.id,
    providerId,
    applied: competition.prequalificationTier !== 'none',
    bid: { status, version: version ?? null },
    updatedAt: at,
  };
}

function deadlineRefusal(): DeadlinePassedError {
  return new DeadlinePassedError('The tender deadline passed before the bid was stored.');
}

/** `PUT /competitions/{id}/bid`: saves the caller's draft. */
export async function saveDraft(
  deps: BidderDeps,
  principal: Principal,
  competitionId: string,
  input: BidContent & { providerId?: string | undefined },
  now: Date,
): Promise<OwnBid> {
  const user = requireUser(principal);
  const competition = await loadCompetition(deps, competitionId);
  assertTakingBids(competition, now);
  const { providerId, providerName, own } = await resolveBidder(
    deps,
    principal,
    competition,
    input.providerId,
    true,
  );
  const { providerId: _requested, ...content } = input;
  const named = namedOrganisations(providerId, content).map((n) => n.providerId);
  const registry = new Map(
    (named.length > 0 ? await deps.providers.getMany(named) : []).map((p) => [p.id, p.status] as const),
  );
  const issues = [
    ...bidContentIssues(content, competition.criteria, false),
    ...namedOrganisationIssues(content, providerId, registry),
  ];
  if (issues.length > 0) throw new ValidationError(`The bid has ${issues.length} problem(s).`, issues);
  const [existing, head] = await Promise.all([
    own.bids.getDraft(competitionId, providerId),
    own.bids.getHead(competitionId, providerId),
  ]);
  const at = now.toISOString();
  const draft: BidDraft = {
    ...content,
    competitionId,
    providerId,
    bidId: existing?.bidId ?? head?.bidId ?? ulid(now.getTime()),
    updatedAt: at,
    updatedBy: user.sub,
  };
  // Drafting a bid puts the bidder outside the competition's wall. The organisations it names are not
  // connected by the bidder's say-so: each connects itself when it agrees (`agreeToBeNamed`).
  await recordChange(
    own,
    competitionId,
    { at, actor: user.sub, action: 'bid.draft', resource: `bids/${providerId}` },
    {
      items: [
        own.bids.openCheck(competitionId, providerId, at, competition.prequalificationTier !== 'none'),
        ...own.bids.draftItems(draft),
        ...own.bids.participationItems(
          participationOf(competition, providerId, head ? head.status : 'draft', head?.version, at),
        ),
        ...deps.competitions.connectedItems(competitionId, [{ providerId, role: 'bidder' }], at),
        deps.outbox.takingPartItem(competitionId, providerId, at),
      ],
      onRefused: deadlineRefusal,
    },
  );
  return toOwnBid(competitionId, providerId, draft, head ?? null, providerName);
}

function toOwnBid(
  competitionId: string,
  providerId: string,
  draft: BidDraft | null,
  head: BidHead | null,
  _providerName?: string,
): OwnBid {
  const bidId = head?.bidId ?? draft?.bidId;
  if (!bidId) throw new NotFoundError('You have no bid in this competition.');
  return {
    competitionId,
    providerId,
    bidId,
    status: head?.status ?? 'draft',
    version: head?.version ?? null,
    draft,
    submitted: head,
  };
}

/** What a submission answers. */
export interface SubmittedBid {
  status: 'submitted';
  version: number;
  bidId: string;
  submittedAt: string;
  documentVersions: Record<string, number>;
}

/** A submission's transaction was refused only because a tender document version was made current meanwhile. */
class DocumentsChangedError extends ConflictError {}

/**
 * `POST /competitions/{id}/bid/submit`: the draft becomes the next submitted version, recording the tender
 * document versions current at submission. Should a version be made current between reading them and the
 * write, the write is refused by its revision check and the submission starts again, reading the documents
 * anew (up to `SUBMIT_ATTEMPTS` times; then 409 conflict, nothing stored).
 */
export async function submitBid(
  deps: BidderDeps,
  principal: Principal,
  competitionId: string,
  requestedProviderId: string | undefined,
  now: Date,
): Promise<SubmittedBid> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await submitOnce(deps, principal, competitionId, requestedProviderId, now);
    } catch (error) {
      if (!(error instanceof DocumentsChangedError)) throw error;
      if (attempt >= SUBMIT_ATTEMPTS) {
        throw new ConflictError(
          'The tender documents kept changing while your bid was being submitted: check them and submit again.',
        );
      }
    }
  }
}

async function submitOnce(
  deps: BidderDeps,
  principal: Principal,
  competitionId: string,
  requestedProviderId: string | undefined,
  now: Date,
): Promise<SubmittedBid> {
  const user = requireUser(principal);
  const competition = await loadCompetition(deps, competitionId);
  assertTakingBids(competition, now);
  const { providerId, providerName, own } = await resolveBidder(
    deps,
    principal,
    competition,
    requestedProviderId,
    true,
  );
  const [draft, head] = await Promise.all([
    own.bids.getDraft(competitionId, providerId),
    own.bids.getHead(competitionId, providerId),
  ]);
  const next = nextBidStatus(draft ? (head?.status ?? 'draft') : undefined, 'submit');
  if (typeof next !== 'string' || !draft) throw new InvalidStateError('Save a draft bid first.');
  const { competitionId: _c, providerId: _p, bidId, updatedAt: _u, updatedBy: _b, ...content } = draft;
  const named = namedOrganisations(providerId, content);
  const agreed = await own.partnerships.agreedAmong(
    competitionId,
    providerId,
    named.map((n) => n.providerId),
  );
  const issues = [...bidContentIssues(content, competition.criteria, true), ...unagreedIssues(named, agreed)];
  if (issues.length > 0)
    throw new ValidationError(`The bid cannot be submitted: ${issues.length} problem(s).`, issues);
  const at = now.toISOString();
  // The versions current now: a document changed after this is told to the bidder (documents use cases).
  // The revision first, then the versions: a version made current after the revision was read moves it, and
  // the write below, conditioned on the revision, is refused rather than record the versions without it.
  const documents = deps.documents;
  const revision = documents ? await documents.revision(competitionId) : undefined;
  const documentVersions = documents ? currentVersions(await documents.current(competitionId)) : {};
  const submitted: BidHead = {
    competitionId,
    providerId,
    providerName,
    bidId,
    status: 'submitted',
    version: (head?.version ?? 0) + 1,
    content,
    submittedAt: at,
    submittedBy: user.sub,
    documentVersions,
  };
  await recordChange(
    own,
    competitionId,
    { at, actor: user.sub, action: 'bid.submit', resource: `bids/${bidId}` },
    {
      items: [
        own.bids.openCheck(competitionId, providerId, at, competition.prequalificationTier !== 'none'),
        // Second, so its refusal is told from the deadline's (first) and the bid's own (after it).
        ...(documents && revision !== undefined ? [documents.revisionCheck(competitionId, revision)] : []),
        ...own.bids.submitItems(submitted, head?.version),
        // The draft stays (it is what the next resubmission starts from).
        ...own.bids.participationItems(
          participationOf(competition, providerId, 'submitted', submitted.version, at),
        ),
        deps.outbox.takingPartItem(competitionId, providerId, at),
      ],
      onRefused: (codes) => {
        if (codes[0] === 'ConditionalCheckFailed') return deadlineRefusal();
        if (documents && codes[1] === 'ConditionalCheckFailed')
          return new DocumentsChangedError('A tender document changed while the bid was being submitted.');
        return new InvalidStateError('The bid changed meanwhile; try again.');
      },
    },
  );
  return { status: 'submitted', version: submitted.version, bidId, submittedAt: at, documentVersions };
}

/** `POST /competitions/{id}/bid/withdraw`: withdraws the submitted bid before the deadline. */
export async function withdrawBid(
  deps: BidderDeps,
  principal: Principal,
  competitionId: string,
  requestedProviderId: string | undefined,
  now: Date,
): Promise<{ status: 'withdrawn'; bidId: string; withdrawnAt: string }> {
  const user = requireUser(principal);
  const competition = await loadCompetition(deps, competitionId);
  assertTakingBids(competition, now);
  const { providerId, own } = await resolveBidder(deps, principal, competition, requestedProviderId, true);
  const head = await own.bids.getHead(competitionId, providerId);
  const next = nextBidStatus(head?.status, 'withdraw');
  if (typeof next !== 'string' || !head)
    throw new InvalidStateError('Only a submitted bid can be withdrawn.');
  const at = now.toISOString();
  const withdrawn: BidHead = { ...head, status: 'withdrawn', withdrawnAt: at };
  await recordChange(
    own,
    competitionId,
    { at, actor: user.sub, action: 'bid.withdraw', resource: `bids/${head.bidId}` },
    {
      items: [
        own.bids.openCheck(competitionId, providerId, at, competition.prequalificationTier !== 'none'),
        ...own.bids.withdrawItems(withdrawn, head.version),
        ...own.bids.participationItems(
          participationOf(competition, providerId, 'withdrawn', head.version, at),
        ),
        // A withdrawn bidder may bid again before the deadline: it is still told of changes.
        deps.outbox.takingPartItem(competitionId, providerId, at),
      ],
      onRefused: (codes) =>
        codes[0] === 'ConditionalCheckFailed'
          ? deadlineRefusal()
          : new InvalidStateError('The bid changed meanwhile; try again.'),
    },
  );
  return { status: 'withdrawn', bidId: head.bidId, withdrawnAt: at };
}

/**
 * `GET /competitions/{id}/bid`: the bidder's members read their own bid, whenever.
 * @param loaded what the caller has read already (the bid pages: the competition and the user's
 *   memberships), so neither is read twice
 */
export async function getOwnBid(
  deps: BidderDeps,
  principal: Principal,
  competitionId: string,
  requestedProviderId: string | undefined,
  loaded: AlreadyLoaded = {},
): Promise<OwnBid> {
  const competition = await loadCompetition(deps, competitionId, loaded.competition);
  const { providerId, own } = await resolveBidder(
    deps,
    principal,
    competition,
    requestedProviderId,
    false,
    loaded.memberships,
  );
  const [draft, head] = await Promise.all([
    own.bids.getDraft(competitionId, providerId),
    own.bids.getHead(competitionId, providerId),
  ]);
  return toOwnBid(competitionId, providerId, draft ?? null, head ?? null);
}

/** `GET /competitions/{id}/debrief`: after the award decision, the bidder's own scores and the winner's. */
export async function getDebrief(
  deps: BidderDeps,
  principal: Principal,
  competitionId: string,
  requestedProviderId: string | undefined,
): Promise<Omit<Debrief, 'competitionId' | 'providerId'>> {
  const competition = await loadCompetition(deps, competitionId);
  if (!['standstill', 'awarded'].includes(competition.status)) {
    throw new InvalidStateError('Debriefs are given once the award decision is made.');
  }
  const { providerId, own } = await resolveBidder(deps, principal, competition, requestedProviderId, false);
  const debrief = await own.bids.getDebrief(competitionId, providerId);
  if (!debrief) throw new NotFoundError('Your organisation did not bid in this competition.');
  const { competitionId: _c, providerId: _p, ...rest } = debrief;
  return rest;
}
