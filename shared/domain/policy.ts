/**
 * The authorization policy: every access decision the service makes lives in this module (DESIGN.md
 * section 3, layer 1). Handlers never decide access; the HTTP stack calls `authorizeRoute` with the access
 * rule each route declares in the route table, and use cases call the finer rules below (membership,
 * competition roles, the ethical wall) with the data they have loaded.
 */
import { ContractWallError, ForbiddenError, NotFoundError, UnauthenticatedError } from './errors';
import type { Group, Principal, UserPrincipal } from './principal';
import type { Identity } from './sessions';

/**
 * Who may call a route, as declared in the route table:
 * - `public`: anyone; a token, when sent and valid, still identifies the caller;
 * - `user`: any signed-in user;
 * - a list of groups: a signed-in user in at least one of them.
 * Finer rules (owner of this provider, lead of this competition, inside the wall) are decided by the use
 * case through this module.
 */
export type RouteAccess = 'public' | 'user' | readonly Group[];

/** Human-readable form of an access rule, for documentation and the OpenAPI document. */
export function describeAccess(access: RouteAccess): string {
  if (access === 'public') return 'public';
  if (access === 'user') return 'any signed-in user';
  return `signed-in users in group ${access.join(' or ')}`;
}

/**
 * Decides whether the principal may call a route at all.
 * @throws UnauthenticatedError when a token is required and absent.
 * @throws ForbiddenError when the caller lacks every group the route allows.
 */
export function authorizeRoute(principal: Principal, access: RouteAccess): void {
  if (access === 'public') return;
  if (principal.kind !== 'user') throw new UnauthenticatedError('A valid bearer token is required.');
  if (access === 'user') return;
  if (!access.some((group) => principal.groups.includes(group))) {
    throw new ForbiddenError(`This action needs the ${access.join(' or ')} role.`);
  }
}

/**
 * Narrows a principal to a signed-in user for use cases that need one.
 * @throws UnauthenticatedError for the anonymous caller.
 */
export function requireUser(principal: Principal): UserPrincipal {
  if (principal.kind !== 'user') throw new UnauthenticatedError('A valid bearer token is required.');
  return principal;
}

/**
 * E-mail preferences and saved searches (issue 17): every signed-in user has their own and reaches only
 * those – the user is the token's `sub`, never a parameter – whatever their groups or organisations.
 * @throws UnauthenticatedError for the anonymous caller.
 */
export function assertCanManageOwnSubscriptions(principal: Principal): UserPrincipal {
  return requireUser(principal);
}

/**
 * One-click unsubscribe (issue 17, RFC 8058; `POST /unsubscribe/{token}` and the unsubscribe page, both
 * public): nobody signs in – a mail provider posts on the reader's behalf – so the link itself is the
 * capability. Whoever holds a token the service signed may stop that user's e-mails of that scope, and
 * nothing else; anything else is a link that does not exist, whoever asks (signed in or not), and the
 * refusal never says whose a token might have been.
 * @param target what the token names when its MAC verified, else undefined.
 * @throws NotFoundError for a token the service did not sign (forged, changed, another key's, garbage).
 */
export function assertCanUnsubscribe<T>(target: T | undefined): T {
  if (target === undefined) {
    throw new NotFoundError(
      'This unsubscribe link is not valid. Check it is the whole link from the e-mail, or change which e-mails you get on Your alerts.',
    );
  }
  return target;
}

/** How a caller relates to a provider organisation. */
export type ProviderRelation = 'owner' | 'member' | 'official' | 'none';

/**
 * The caller's relation to a provider: its owners and members by membership; commissioners and admins as
 * officials, who may read profiles and accreditations but not change them.
 */
export function providerRelation(
  principal: Principal,
  membershipRole: 'owner' | 'member' | undefined,
): ProviderRelation {
  if (principal.kind !== 'user') return 'none';
  if (membershipRole) return membershipRole;
  if (principal.groups.includes('commissioner') || principal.groups.includes('admin')) return 'official';
  return 'none';
}

/**
 * Reading a provider's full profile or accreditation: members, commissioners and admins. Anyone else is
 * told it does not exist, so the registry cannot be probed for pending organisations.
 * @throws NotFoundError
 */
export function assertCanReadProvider(relation: ProviderRelation, providerId: string): void {
  if (relation === 'none') throw new NotFoundError(`No provider ${providerId}.`);
}

/**
 * Changing a provider (profile, members, accreditation): owners only. Those who may read it learn that
 * they may not change it; others learn nothing.
 * @throws NotFoundError | ForbiddenError
 */
export function assertProviderOwner(relation: ProviderRelation, providerId: string): void {
  assertCanReadProvider(relation, providerId);
  if (relation !== 'owner') throw new ForbiddenError('Only an owner of this organisation can do this.');
}

/**
 * Agreeing that an organisation may be named in another's bid or application (which connects it, and so
 * walls out all its members): its owners only. Not a read of the organisation, so everyone else is
 * refused alike, whatever they may read.
 * @throws ForbiddenError
 */
export function assertCanAgreeToBeNamed(relation: ProviderRelation): void {
  if (relation !== 'owner')
    throw new ForbiddenError('Only an owner of the organisation can agree to it being named.');
}

/**
 * Verifying providers: admins only.
 * @throws ForbiddenError
 */
export function assertCanVerifyProviders(principal: Principal): void {
  assertCanDecideOnProviders(principal, 'verify');
}

/** Whether the principal decides on registrations (the verification queue, verify, reject): admins. */
export function canDecideOnProviders(principal: Principal): boolean {
  return principal.kind === 'user' && principal.groups.includes('admin');
}

/**
 * The verification queue and its decisions (`/admin/providers`, `POST /providers/{id}/verify` and
 * `/reject`): admins only. Everyone else is refused alike, whether or not the organisation exists, so
 * nobody learns which registrations are waiting.
 * @throws ForbiddenError
 */
export function assertCanDecideOnProviders(principal: Principal, what: 'verify' | 'reject' | 'review'): void {
  if (canDecideOnProviders(principal)) return;
  const words = {
    verify: 'verify providers',
    reject: 'reject providers',
    review: 'see the verification queue',
  };
  throw new ForbiddenError(`Only an admin can ${words[what]}.`);
}

/**
 * Whether a reader of a provider's profile sees why its registration was rejected: its own members, who must
 * act on it, and admins, who decided it. Commissioners see the status alone: the reason is between the
 * organisation and the admins.
 */
export function canReadRejectionReason(principal: Principal, relation: ProviderRelation): boolean {
  return relation === 'owner' || relation === 'member' || canDecideOnProviders(principal);
}

// ---------------------------------------------------------------------------------------------------------
// The commissioning workspace (issue 14): who has one, and which competitions it lists.
// ---------------------------------------------------------------------------------------------------------

/** Which competitions a workspace lists: every one (oversight), or those the user holds a seat on. */
export type WorkspaceScope = 'every-competition' | 'own-seats';

/**
 * The commissioning workspace ("Your competitions", `GET /me/competitions`): commissioners, auditors and
 * admins. Auditors and admins, who lead nothing, oversee every competition; commissioners see those they
 * lead or sit on the panel of. Listing shows titles, statuses and roles only, never inside information.
 * @throws UnauthenticatedError | ForbiddenError
 */
export function assertCanUseWorkspace(principal: Principal): WorkspaceScope {
  const user = requireUser(principal);
  if (user.groups.includes('auditor') || user.groups.includes('admin')) return 'every-competition';
  if (user.groups.includes('commissioner')) return 'own-seats';
  throw new ForbiddenError(
    'The commissioning workspace is for commissioners, auditors and admins. If you run competitions, ask an administrator to give you the commissioner role.',
  );
}

/** Whether the principal may create competitions (and so be offered to): commissioners only. */
export function canCreateCompetition(principal: Principal): boolean {
  return principal.kind === 'user' && principal.groups.includes('commissioner');
}

/**
 * Creating a competition (and becoming its lead): commissioners only.
 * @throws UnauthenticatedError | ForbiddenError
 */
export function assertCanCreateCompetition(principal: Principal): void {
  requireUser(principal);
  if (!canCreateCompetition(principal)) {
    throw new ForbiddenError(
      'Only a commissioner can create a competition. If you run competitions, ask an administrator to give you the commissioner role.',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// The ethical wall (DESIGN.md section 3): who may see and decide on a competition's inside information.
// ---------------------------------------------------------------------------------------------------------

/** Inside information and the competition's own management, by resource. */
export type CompetitionResource =
  | 'competition'
  | 'confidential'
  | 'panel'
  | 'wall'
  | 'prequalification-responses'
  | 'bids'
  | 'scores'
  | 'moderation'
  | 'evaluation'
  | 'audit'
  /** The clarification log with its askers (issue 15); answering a question is `decide`. */
  | 'questions'
  /** Standstill challenges of the award (issue 15); deciding one is `decide`. */
  | 'challenges'
  /** Tender documents (issue 15): uploading is `manage`; reading a draft's documents is `read`. */
  | 'documents';

/**
 * What is done to a resource:
 * - `read`: see it;
 * - `mark`: evaluators and moderators record marks or scores;
 * - `moderate`: the moderator agrees final scores;
 * - `decide`: the lead decides on it (shortlist, award; on the wall: clearing a panel member's declared
 *   conflict, lifting an exclusion);
 * - `manage`: the lead runs the competition (panel, exclusions); needs no declaration.
 */
export type CompetitionAction = 'read' | 'mark' | 'moderate' | 'decide' | 'manage';

/** What the wall needs to know about a competition and the caller. */
export interface WallFacts {
  leadSub: string;
  evaluators: readonly string[];
  moderator?: string | undefined;
  /** Declarations by sub; a declaration with conflicts puts its declarer outside. */
  declarations: Readonly<Record<string, { conflicts: readonly unknown[] }>>;
  /** Users the lead excluded. */
  excluded: readonly string[];
  /** Organisations that applied, bid, or are named in a bid as consortium members or sub-contractors. */
  connectedOrganisations: readonly string[];
  /** Organisations the caller belongs to. */
  callerOrganisations: readonly string[];
  /** Whether the tender deadline has passed (bids are sealed before it). */
  tenderDeadlinePassed: boolean;
}

/** The caller's seat at a competition. */
export type CompetitionRole = 'lead' | 'evaluator' | 'moderator' | 'auditor' | 'admin';

/** The outcome of a wall decision. */
export type WallDecision =
  | { allowed: true; role: CompetitionRole }
  | {
      allowed: false;
      code: 'ethical-wall' | 'forbidden' | 'declaration-required' | 'sealed';
      reason: string;
      /** True when the caller is outside the wall (connected, excluded or conflicted): alerts watch these. */
      outsideWall: boolean;
    };

const deny = (
  code: 'ethical-wall' | 'forbidden' | 'declaration-required' | 'sealed',
  reason: string,
  outsideWall = false,
): WallDecision => ({ allowed: false, code, reason, outsideWall });

/** Who, besides the lead, may do what to each resource once inside. */
const PANEL_ACCESS: Record<
  CompetitionResource,
  Partial<Record<CompetitionAction, readonly ('evaluator' | 'moderator')[]>>
> = {
  competition: {},
  confidential: { read: ['evaluator', 'moderator'] },
  panel: { read: ['evaluator', 'moderator'] },
  wall: {},
  'prequalification-responses': { read: ['evaluator', 'moderator'], mark: ['evaluator', 'moderator'] },
  bids: { read: ['evaluator', 'moderator'] },
  scores: { read: ['evaluator', 'moderator'], mark: ['evaluator'] },
  moderation: { read: ['evaluator', 'moderator'], moderate: ['moderator'] },
  evaluation: { read: ['evaluator', 'moderator'] },
  audit: {},
  questions: { read: ['evaluator', 'moderator'] },
  // Declared panel members may read the challenges of the award they scored; only the lead decides them.
  challenges: { read: ['evaluator', 'moderator'] },
  // A draft's documents, before anyone outside may see them: declared panel members read them.
  documents: { read: ['evaluator', 'moderator'] },
};

/** What the lead may do to each resource. */
const LEAD_ACCESS: Record<CompetitionResource, readonly CompetitionAction[]> = {
  // Running the competition itself (cancelling it): the lead, through the wall like any inside action.
  competition: ['manage'],
  confidential: ['read', 'manage'],
  panel: ['read', 'manage'],
  wall: ['read', 'manage', 'decide'],
  'prequalification-responses': ['read', 'decide'],
  bids: ['read'],
  scores: ['read'],
  moderation: ['read'],
  evaluation: ['read', 'decide'],
  audit: [],
  // Reading who asked, and answering: an inside action like any other (declared, not connected).
  questions: ['read', 'decide'],
  challenges: ['read', 'decide'],
  // Publishing documents is running the competition, like publishing it: no declaration needed.
  documents: ['read', 'manage'],
};

/** What a viewer with no seat is told while bids are sealed, connected to a bidder or not. */
export const OUTSIDE_WITHOUT_SEAT =
  'Only the lead commissioner and the panel, once each has declared no conflict, are inside the wall.';

/**
 * Why a connected caller is outside. While bids are sealed, who applied or bid is sealed too: someone with
 * no seat (and not excluded) is told only what anyone without a seat is told, so no page or route can be
 * used to learn, competition by competition, where an organisation of theirs is bidding. Seat holders and
 * the excluded are told why: it is about their own seat. The refusal is `ethical-wall` all the same.
 */
function connectedReason(facts: WallFacts, sub: string, reason: string): string {
  const seated = facts.leadSub === sub || facts.moderator === sub || facts.evaluators.includes(sub);
  if (facts.tenderDeadlinePassed || seated || facts.excluded.includes(sub)) return reason;
  return OUTSIDE_WITHOUT_SEAT;
}

/** What a seat holder who no longer holds the commissioner role is told. */
export const SEAT_WITHOUT_ROLE =
  'Your seat on this competition needs the commissioner role, which you no longer hold. Ask an administrator if you still run competitions.';

/** Whether a principal may use a lead's or panel member's seat: commissioners only, judged now. */
function holdsSeatRole(principal: UserPrincipal): boolean {
  return principal.groups.includes('commissioner');
}

/**
 * The ethical wall's decision for one access to a competition's data, in this order:
 * 1. anyone connected to an applicant or bidder, excluded by the lead, or with a declared conflict is
 *    outside the wall (`ethical-wall`), whatever else is true of them;
 * 2. auditors and admins may read the wall and the audit log; nobody else may read the audit log;
 * 3. bids and everything made from them stay sealed until the tender deadline, for everyone (`sealed`);
 * 4. only the lead and the panel have a seat (`forbidden` otherwise), each limited to their part, and a
 *    seat opens nothing to someone who does not hold the commissioner role now (`forbidden`);
 * 5. the lead and panel need a declaration before reading or deciding on inside information
 *    (`declaration-required`); managing the competition (panel, exclusions) needs none.
 */
export function decideCompetitionAccess(
  principal: Principal,
  facts: WallFacts,
  resource: CompetitionResource,
  action: CompetitionAction,
): WallDecision {
  if (principal.kind !== 'user') return deny('forbidden', 'Sign in first.');
  const { sub } = principal;
  const connected =
    principal.kind === 'user' &&
    facts.callerOrganisations.some((o) => facts.connectedOrganisations.includes(o));
  if (connected) {
    return deny(
      'ethical-wall',
      connectedReason(
        facts,
        sub,
        'You belong to an organisation that applied for or bid in this competition.',
      ),
      true,
    );
  }
  // Oversight cannot be excluded: the lead's exclusions (and a seat's declarations) apply to commissioning,
  // never to an auditor's or admin's reading of the wall and the audit log. Only a connection, which
  // nobody can be given without consenting to a membership, shuts them out.
  if ((resource === 'wall' || resource === 'audit') && action === 'read') {
    if (principal.groups.includes('auditor')) return { allowed: true, role: 'auditor' };
    if (principal.groups.includes('admin')) return { allowed: true, role: 'admin' };
  }
  // Auditors read standstill challenges (issue 15) as they read the wall: the lead cannot exclude them.
  if (resource === 'challenges' && action === 'read' && principal.groups.includes('auditor')) {
    return { allowed: true, role: 'auditor' };
  }
  if (facts.excluded.includes(sub)) {
    return deny('ethical-wall', 'The lead commissioner has excluded you from this competition.', true);
  }
  const declaration = Object.hasOwn(facts.declarations, sub) ? facts.declarations[sub] : undefined;
  const isLead = facts.leadSub === sub;
  const panelRoles: ('evaluator' | 'moderator')[] = [];
  if (facts.evaluators.includes(sub)) panelRoles.push('evaluator');
  if (facts.moderator === sub) panelRoles.push('moderator');
  if ((isLead || panelRoles.length > 0) && declaration && declaration.conflicts.length > 0) {
    return deny('ethical-wall', 'Your declaration names a conflict of interest in this competition.', true);
  }
  if (resource === 'audit' && action === 'read') {
    return deny('forbidden', 'Only auditors and admins read the audit log.');
  }
  // A seat is given to a commissioner (DESIGN.md section 1) and opens nothing to someone who no longer is
  // one: the role is read from the token or session now, so removing it closes every seat at once.
  if ((isLead || panelRoles.length > 0) && !holdsSeatRole(principal)) {
    return deny('forbidden', SEAT_WITHOUT_ROLE);
  }

  // Bids are sealed for everyone until the deadline: no seat, role or declaration opens them early.
  const sealedResources: CompetitionResource[] = ['bids', 'scores', 'moderation', 'evaluation'];
  if (sealedResources.includes(resource) && !facts.tenderDeadlinePassed) {
    return deny('sealed', 'Bids are sealed until the tender deadline.');
  }

  let role: CompetitionRole | undefined;
  if (isLead && LEAD_ACCESS[resource].includes(action)) role = 'lead';
  else {
    const allowedRoles = PANEL_ACCESS[resource][action] ?? [];
    role = panelRoles.find((r) => allowedRoles.includes(r));
  }
  if (!role) {
    return deny(
      'forbidden',
      isLead || panelRoles.length > 0
        ? 'Your seat on this competition does not allow this.'
        : 'Only the lead commissioner and the panel of this competition can do this.',
    );
  }
  if (action !== 'manage' && !declaration) {
    return deny(
      'declaration-required',
      'Sign a conflict of interest declaration for this competition first.',
    );
  }
  return { allowed: true, role };
}

/** The sections of a competition's workspace pages (its tab navigation). */
export type CompetitionTab =
  | 'tasks'
  | 'wall'
  | 'questions'
  | 'documents'
  | 'responses'
  | 'bids'
  | 'evaluation'
  | 'challenges'
  | 'audit';

/**
 * The sections a viewer could ever open on a competition, for its tab navigation: a tab the rules above
 * refuse whatever happens (the wall to an evaluator, bids to an auditor, the audit trail to a lead,
 * responses where there is no pre-qualification) is not offered. Where a section opens depends on what
 * may still change (a declaration, the deadline), the tab stays: its page says why not yet.
 * @param seats the viewer's seats here when the page knows them; unknown, any seat is assumed possible
 * @param hasPrequalification whether the competition has a pre-qualification stage (unknown: assumed)
 */
export function competitionTabs(
  principal: Principal,
  seats: readonly ('lead' | 'evaluator' | 'moderator')[] | undefined,
  hasPrequalification = true,
): CompetitionTab[] {
  const groups = principal.kind === 'user' ? principal.groups : [];
  const oversight = groups.includes('auditor') || groups.includes('admin');
  // A seat opens something only to a commissioner (`decideCompetitionAccess`).
  const seated = groups.includes('commissioner') && (seats === undefined || seats.length > 0);
  const lead = groups.includes('commissioner') && (seats === undefined || seats.includes('lead'));
  const tabs: CompetitionTab[] = ['tasks'];
  if (lead || oversight) tabs.push('wall');
  if (seated) tabs.push('questions');
  tabs.push('documents');
  if (seated && hasPrequalification) tabs.push('responses');
  if (seated) tabs.push('bids', 'evaluation');
  if (seated || groups.includes('auditor')) tabs.push('challenges');
  if (oversight) tabs.push('audit');
  return tabs;
}

/**
 * Whether a person may sit on a panel by their role (DESIGN.md section 1: evaluators and moderators are
 * commissioners), from what the identity provider says of them now. A person it knows must be enabled and
 * hold the commissioner role: a provider user, an auditor or an admin without it is refused, as is a
 * disabled account. A user id it does not know belongs to nobody who can sign in (Cognito chooses every
 * user id), so a seat for it opens nothing; it is allowed, as the panel of a competition prepared before
 * its people have accounts may name them.
 */
export function panelRoleEligibility(
  sub: string,
  identity: Identity | undefined,
): { eligible: true } | { eligible: false; reason: string } {
  if (!identity) return { eligible: true };
  if (!identity.enabled) {
    return { eligible: false, reason: `${sub}'s account is disabled: they cannot sit on the panel.` };
  }
  if (!identity.groups.includes('commissioner')) {
    return {
      eligible: false,
      reason: `${sub} does not hold the commissioner role: only commissioners sit on a panel.`,
    };
  }
  return { eligible: true };
}

/**
 * Whether a user may sit on a competition's panel: not connected to an applicant or bidder, not excluded,
 * no conflict declared.
 */
export function panelEligibility(
  candidate: { sub: string; organisations: readonly string[] },
  facts: Pick<WallFacts, 'excluded' | 'connectedOrganisations' | 'declarations'>,
): { eligible: true } | { eligible: false; reason: string } {
  if (candidate.organisations.some((o) => facts.connectedOrganisations.includes(o))) {
    return {
      eligible: false,
      reason: `${candidate.sub} belongs to an organisation that applied for or bid in this competition.`,
    };
  }
  if (facts.excluded.includes(candidate.sub))
    return { eligible: false, reason: `${candidate.sub} is excluded from this competition.` };
  const declared = Object.hasOwn(facts.declarations, candidate.sub)
    ? facts.declarations[candidate.sub]
    : undefined;
  if ((declared?.conflicts.length ?? 0) > 0) {
    return { eligible: false, reason: `${candidate.sub} has declared a conflict of interest.` };
  }
  return { eligible: true };
}

/**
 * The organisations that tie a person to a competition for the wall: those they belong to now, and any
 * they once belonged to that is connected to it – leaving does not undo a connection (an insider cannot
 * leave the bid team to get back in). This fails closed: a connection marker keeps only the time of its
 * latest write (every draft save rewrites it), so "left before it connected" cannot be told apart from
 * "left, then the bidder saved again", and a former member of a connected organisation stays outside.
 * @param connections the connected organisations (their connection time is not used), by provider id
 */
export function wallAffiliations(
  current: readonly string[],
  former: readonly { providerId: string; leftAt: string }[],
  connections: ReadonlyMap<string, string>,
): { organisations: string[]; connected: string[] } {
  const organisations = new Set(current);
  for (const f of former) if (connections.has(f.providerId)) organisations.add(f.providerId);
  return {
    organisations: [...organisations],
    connected: [...organisations].filter((o) => connections.has(o)),
  };
}

/**
 * Signing a declaration: only the lead and panel members have one to sign; anyone connected to an applicant
 * or bidder, or excluded by the lead, is outside the wall and may not declare their way in (refused as
 * `ethical-wall`, which the alerts watch).
 */
export function decideDeclaration(principal: Principal, facts: WallFacts): WallDecision {
  if (principal.kind !== 'user') return deny('forbidden', 'Sign in first.');
  const { sub } = principal;
  if (facts.callerOrganisations.some((o) => facts.connectedOrganisations.includes(o))) {
    return deny(
      'ethical-wall',
      connectedReason(
        facts,
        sub,
        'You belong to an organisation that applied for or bid in this competition: you cannot declare.',
      ),
      true,
    );
  }
  if (facts.excluded.includes(sub)) {
    return deny('ethical-wall', 'The lead commissioner has excluded you from this competition.', true);
  }
  const seated = facts.leadSub === sub || facts.moderator === sub || facts.evaluators.includes(sub);
  if (seated && !holdsSeatRole(principal)) return deny('forbidden', SEAT_WITHOUT_ROLE);
  if (facts.leadSub === sub) return { allowed: true, role: 'lead' };
  if (facts.moderator === sub) return { allowed: true, role: 'moderator' };
  if (facts.evaluators.includes(sub)) return { allowed: true, role: 'evaluator' };
  return deny(
    'forbidden',
    'Only the lead commissioner and panel members sign declarations for this competition.',
  );
}

/**
 * Clearing a declared conflict: never by the person who declared it. A panel member's conflict is cleared by
 * the lead, who must be inside the wall (declared, no conflict, not connected or excluded); the lead's own
 * conflict only by an admin who is not connected to an applicant or bidder.
 */
export function decideClearance(principal: Principal, facts: WallFacts, declarer: string): WallDecision {
  if (principal.kind !== 'user') return deny('forbidden', 'Sign in first.');
  if (principal.sub === declarer) {
    return deny('forbidden', 'Nobody can clear their own declared conflict.');
  }
  if (declarer === facts.leadSub) {
    if (!principal.groups.includes('admin')) {
      return deny('forbidden', "Only an admin can clear the lead commissioner's declared conflict.");
    }
    if (facts.callerOrganisations.some((o) => facts.connectedOrganisations.includes(o))) {
      return deny(
        'ethical-wall',
        connectedReason(
          facts,
          principal.sub,
          'You belong to an organisation that applied for or bid in this competition.',
        ),
        true,
      );
    }
    return { allowed: true, role: 'admin' };
  }
  return decideCompetitionAccess(principal, facts, 'wall', 'decide');
}

// ---------------------------------------------------------------------------------------------------------
// Contracts and sub-contracting: the caller's relation to a contract is their relation to its prime
// provider (`providerRelation`), so commissioners and admins read as officials.
// ---------------------------------------------------------------------------------------------------------

/**
 * Registering a contract directly: commissioners only.
 * @throws ForbiddenError
 */
export function assertCanRegisterContract(principal: Principal): void {
  if (!(principal.kind === 'user' && principal.groups.includes('commissioner'))) {
    throw new ForbiddenError('Only a commissioner can register a contract.');
  }
}

/**
 * Reading a contract, its supply chain, returns, figures and disputes: the prime's members, commissioners
 * and admins. Anyone else is told it does not exist.
 * @throws NotFoundError
 */
export function assertCanReadContract(relation: ProviderRelation, contractId: string): void {
  if (relation === 'none') throw new NotFoundError(`No contract ${contractId}.`);
}

/**
 * Declaring the supply chain and filing spend returns: owners of the prime provider only. Those who may
 * read the contract learn that they may not change it; others learn nothing.
 * @throws NotFoundError | ForbiddenError
 */
export function assertPrimeOwner(relation: ProviderRelation, contractId: string): void {
  assertCanReadContract(relation, contractId);
  if (relation !== 'owner') {
    throw new ForbiddenError('Only an owner of the prime provider can change its supply chain or returns.');
  }
}

/**
 * What primes reported paying a provider: that provider's members (owners and members) only; officials
 * read the prime's returns instead.
 * @throws NotFoundError | ForbiddenError
 */
export function assertCanReadSubcontractPayments(relation: ProviderRelation, providerId: string): void {
  assertCanReadProvider(relation, providerId);
  if (relation !== 'owner' && relation !== 'member') {
    throw new ForbiddenError("Only the sub-contractor's own members can see the payments reported to it.");
  }
}

/**
 * Disputing a line of a return: members of the registered sub-contractor the line was reported as paid
 * to. Anyone else is told the line does not exist, so returns cannot be probed.
 * @param paidProviderIds the registered providers paid on the line (at most one)
 * @param callerOrganisations the providers the caller belongs to
 * @returns the provider on whose behalf the caller disputes
 * @throws NotFoundError
 */
export function assertCanDisputeLine(
  paidProviderIds: readonly string[],
  callerOrganisations: readonly string[],
  lineId: string,
): string {
  const provider = paidProviderIds.find((id) => callerOrganisations.includes(id));
  if (!provider) throw new NotFoundError(`No line ${lineId} reported as paid to your organisation.`);
  return provider;
}

/**
 * The network-wide sub-contracting report: commissioners, admins and auditors.
 * @throws ForbiddenError
 */
export function assertCanReadSubcontractingReport(principal: Principal): void {
  const allowed: Group[] = ['commissioner', 'admin', 'auditor'];
  if (!(principal.kind === 'user' && allowed.some((g) => principal.groups.includes(g)))) {
    throw new ForbiddenError('Only commissioners, admins and auditors can read the sub-contracting report.');
  }
}

/**
 * Listing every contract: commissioners, admins and auditors (a prime lists its own through its provider).
 * @throws ForbiddenError
 */
export function assertCanListContracts(principal: Principal): void {
  const allowed: Group[] = ['commissioner', 'admin', 'auditor'];
  if (!(principal.kind === 'user' && allowed.some((g) => principal.groups.includes(g)))) {
    throw new ForbiddenError('Only commissioners, admins and auditors can list every contract.');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Payment by results (issue 18): the prime's owners claim; commissioners set the mechanism, enter cohorts
// and results and decide claims, unless connected to the prime or one of its sub-contractors.
// ---------------------------------------------------------------------------------------------------------

/**
 * Reading a contract's mechanism, claims and statement: the prime's members and commissioners (and admins),
 * as for the contract itself. Anyone else is told it does not exist.
 * @throws NotFoundError
 */
export function assertCanReadOutcomes(relation: ProviderRelation, contractId: string): void {
  assertCanReadContract(relation, contractId);
}

/**
 * The commissioner's payment-by-results pages (in the commissioning workspace, inside the wall): commissioners
 * and admins. The prime's members read the same figures on their own pages (`/your-contracts/{id}/outcomes`);
 * here they, and everyone else, are told these pages are not theirs before any form is shown.
 * @throws ForbiddenError
 */
export function assertCanUseCommissionerOutcomePages(principal: Principal): void {
  const allowed: Group[] = ['commissioner', 'admin'];
  if (!(principal.kind === 'user' && allowed.some((g) => principal.groups.includes(g)))) {
    throw new ForbiddenError(
      "These payment-by-results pages are for commissioners. A prime's members see the contract's payments under Your contracts.",
    );
  }
}

/**
 * Claiming proxy outcomes: owners of the prime only.
 * @throws NotFoundError | ForbiddenError
 */
export function assertCanClaimOutcomes(relation: ProviderRelation, contractId: string): void {
  assertCanReadContract(relation, contractId);
  if (relation !== 'owner') {
    throw new ForbiddenError('Only an owner of the prime provider can claim outcome payments.');
  }
}

/**
 * Recording the shares of outcome payments the prime passes on to its sub-contractors: owners of the prime
 * only, as for claims (the prime's members and commissioners may read them).
 * @throws NotFoundError | ForbiddenError
 */
export function assertCanShareOutcomes(relation: ProviderRelation, contractId: string): void {
  assertCanReadContract(relation, contractId);
  if (relation !== 'owner') {
    throw new ForbiddenError('Only an owner of the prime provider can record the shares it passes on.');
  }
}

/**
 * The commissioner's side of payment by results – the mechanism, cohorts, results and decisions on claims:
 * commissioners not connected to the prime or any registered sub-contractor of the contract (the wall's
 * connection rule: a current or former member of one of those organisations is connected, since leaving
 * does not undo a connection). Those who may read the contract learn why they may not act; others nothing.
 * @param connectedOrganisations the prime and the registered sub-contractors of the contract
 * @param callerOrganisations the providers the caller belongs or belonged to
 * @throws NotFoundError | ForbiddenError | ContractWallError
 */
export function assertCanCommissionOutcomes(
  principal: Principal,
  relation: ProviderRelation,
  contractId: string,
  facts: { connectedOrganisations: readonly string[]; callerOrganisations: readonly string[] },
): void {
  assertCanReadContract(relation, contractId);
  if (!(principal.kind === 'user' && principal.groups.includes('commissioner'))) {
    throw new ForbiddenError('Only a commissioner can set payment terms, enter results or decide claims.');
  }
  if (facts.callerOrganisations.some((o) => facts.connectedOrganisations.includes(o))) {
    throw new ContractWallError(
      'You are connected to the prime provider or one of its sub-contractors on this contract, so you cannot set its payment terms, enter its results or decide its claims. Ask another commissioner.',
    );
  }
}

// ---------------------------------------------------------------------------------------------------------
// Membership by invitation (issue 12, item 2): nobody becomes a member, and so connected to what the
// organisation applies for or bids in, by someone else's say-so.
// ---------------------------------------------------------------------------------------------------------

/**
 * Inviting someone to join a provider, or withdrawing an invitation: owners only. Those who may read the
 * provider learn that they may not; others learn nothing.
 * @throws NotFoundError | ForbiddenError
 */
export function assertCanInvite(relation: ProviderRelation, providerId: string): void {
  assertCanReadProvider(relation, providerId);
  if (relation !== 'owner') throw new ForbiddenError('Only an owner of this organisation can invite people.');
}

/**
 * A provider's open invitations: its owners and members, who see who is about to join them. Officials read
 * the members on the profile; who has been asked is the organisation's own business.
 * @throws NotFoundError | ForbiddenError
 */
export function assertCanListInvitations(relation: ProviderRelation, providerId: string): void {
  assertCanReadProvider(relation, providerId);
  if (relation !== 'owner' && relation !== 'member') {
    throw new ForbiddenError("Only the organisation's own members can see its invitations.");
  }
}

/**
 * Accepting or declining an invitation: the invited user alone. Anyone else (an owner of the organisation,
 * an admin) is told it does not exist, so invitations cannot be probed or answered on someone's behalf.
 * @throws NotFoundError
 */
export function assertIsInvitee(
  principal: Principal,
  invitation: { sub: string },
  invitationId: string,
): void {
  if (!(principal.kind === 'user' && principal.sub === invitation.sub)) {
    throw new NotFoundError(`No invitation ${invitationId}.`);
  }
}

/**
 * Taking someone out of an organisation: any member may leave; owners may remove others. Members asking to
 * remove someone else are refused; people outside learn nothing. (The last owner cannot go: a domain rule,
 * `ownerWhoRemains`.)
 * @throws NotFoundError | ForbiddenError
 */
export function assertCanRemoveMember(
  principal: Principal,
  relation: ProviderRelation,
  providerId: string,
  sub: string,
): void {
  assertCanReadProvider(relation, providerId);
  const self = principal.kind === 'user' && principal.sub === sub;
  if (self && (relation === 'owner' || relation === 'member')) return;
  if (relation !== 'owner') {
    throw new ForbiddenError('Only an owner of this organisation can remove other members.');
  }
}

// ---------------------------------------------------------------------------------------------------------
// Which organisation a user bids for (issue 15).
// ---------------------------------------------------------------------------------------------------------

/**
 * Which organisation a user acts for on a competition's bid pages: one of their organisations that may bid
 * there now (`candidates`: those they are a member of that are verified and, unless the competition has no
 * pre-qualification, shortlisted) – the one they chose while it still is one, or their only one. A choice
 * is the user's say-so (kept with their session, or posted by the choice page): never trusted, it counts
 * only while it is among the candidates at the time of the request. The bid use cases check the
 * organisation again (an owner to write).
 * @returns the organisation, or `choose` (the candidates) when several may bid and no valid one was chosen
 * @throws ForbiddenError when none of the user's organisations may bid
 */
export function decideBiddingOrganisation(
  candidates: readonly string[],
  chosen: string | undefined,
  shortlisted: boolean,
): { providerId: string } | { choose: string[] } {
  if (candidates.length === 0) {
    throw new ForbiddenError(
      shortlisted
        ? 'None of your organisations is shortlisted for this competition.'
        : 'None of your organisations can bid in this competition: only verified providers bid.',
    );
  }
  if (chosen !== undefined && candidates.includes(chosen)) return { providerId: chosen };
  return candidates.length === 1 ? { providerId: candidates[0] as string } : { choose: [...candidates] };
}

// ---------------------------------------------------------------------------------------------------------
// Challenges of an award decision during standstill (issue 15).
// ---------------------------------------------------------------------------------------------------------

/**
 * Which organisation a caller challenges an award for: one of the organisations they are a member of that
 * bid (had its bid ranked in the award decision), the one named or their only such organisation.
 * @param memberOf the organisations the caller is a member of (any role: API.md says "member")
 * @param bidders those of them that bid in the decision challenged
 * @returns the challenging organisation, or `choose` (the candidates) when several bid and none is named
 * @throws ForbiddenError when none of the caller's organisations bid, or the one named did not
 */
export function decideChallenger(
  memberOf: readonly string[],
  bidders: readonly string[],
  requested: string | undefined,
): { providerId: string } | { choose: string[] } {
  if (requested !== undefined) {
    if (!memberOf.includes(requested)) throw new ForbiddenError('You are not a member of that organisation.');
    if (!bidders.includes(requested)) {
      throw new ForbiddenError(
        'That organisation did not bid in this competition: it cannot challenge the award decision.',
      );
    }
    return { providerId: requested };
  }
  const eligible = memberOf.filter((id) => bidders.includes(id));
  if (eligible.length === 0) {
    throw new ForbiddenError(
      'Only members of an organisation that bid in this competition can challenge its award decision.',
    );
  }
  return eligible.length === 1 ? { providerId: eligible[0] as string } : { choose: eligible };
}

/** What a caller may read of a competition's challenges. */
export type ChallengeReadScope =
  /** Whatever the wall allows (`decideCompetitionAccess` on `challenges`/`read`): insiders and auditors. */
  | { scope: 'wall' }
  /** Only those of these organisations: members of organisations connected to the competition. */
  | { scope: 'own'; organisations: string[] };

/**
 * Reading challenges. A member of an organisation connected to the competition (a bidder among them) sees
 * its own organisations' challenges only and is not refused: a bidder looking for its own challenge is no
 * breach of the wall, and it learns nothing of anyone else's. Everyone else is decided by the wall:
 * declared insiders and auditors read them all, anyone else is refused (and the refusal audited).
 */
export function challengeReadScope(principal: Principal, facts: WallFacts): ChallengeReadScope {
  const own =
    principal.kind === 'user'
      ? facts.callerOrganisations.filter((o) => facts.connectedOrganisations.includes(o))
      : [];
  return own.length > 0 ? { scope: 'own', organisations: own } : { scope: 'wall' };
}

// ---------------------------------------------------------------------------------------------------------
// Tender documents (issue 15).
// ---------------------------------------------------------------------------------------------------------

/**
 * Reading a competition's documents: anyone once it is published (they are published with it); before
 * that, its insiders only – the lead (who uploads them, and needs no declaration for that, so none to read
 * them back either) and declared panel members. Anyone connected or excluded is outside, as ever.
 */
export function decideDocumentsRead(
  principal: Principal,
  facts: WallFacts,
  published: boolean,
): { allowed: true; audience: 'public' | 'inside' } | Extract<WallDecision, { allowed: false }> {
  if (published) return { allowed: true, audience: 'public' };
  const isLead = principal.kind === 'user' && principal.sub === facts.leadSub;
  const decision = decideCompetitionAccess(principal, facts, 'documents', isLead ? 'manage' : 'read');
  return decision.allowed ? { allowed: true, audience: 'inside' } : decision;
}
