/**
 * `POST /competitions/{id}/partnerships`: an owner of a verified provider agrees that it may be named in
 * another provider's bid or pre-qualification response. The agreement is what connects the named
 * organisation to the competition (its members then stand outside the wall), so nobody is walled out by a
 * bidder's say-so; a bid or response naming an organisation can be submitted only once it has agreed.
 * The same transaction puts the partner's row in its own "your competitions" list (`shared/db/
 * participation.ts`). Agreements are append-only (nothing withdraws one), so that row stays too.
 */

import type { CompetitionRepository } from '../../db/competitions';
import type { MembershipRepository } from '../../db/memberships';
import type { OutboxRepository } from '../../db/outbox';
import type { ProviderDataAccess } from '../../db/provider-data';
import type { ProviderRepository } from '../../db/providers';
import { effectiveStatus } from '../../domain/competitions';
import {
  DeadlinePassedError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../domain/errors';
import { agreementIssues, type PartnerRole, type Partnership } from '../../domain/partnerships';
import { assertCanAgreeToBeNamed, providerRelation, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { recordChange } from '../competitions/wall';

/** What agreeing needs: the registry and competitions on the function's credentials, the rest per provider. */
export interface PartnershipDeps {
  competitions: CompetitionRepository;
  memberships: MembershipRepository;
  providers: ProviderRepository;
  providerData: ProviderDataAccess;
  /**
   * The partner's taking-part mark (issue 17): named in a bid or application by its own agreement, it is
   * told of published answers and changed documents as the bidder is (it was told of document changes
   * before the outbox too, as a connected organisation).
   */
  outbox: Pick<OutboxRepository, 'takingPartItem'>;
}

/** The agreement, and whether this call recorded it (false: it had been given before). */
export interface AgreementResult {
  partnership: Partnership;
  created: boolean;
}

/**
 * Records that `input.providerId` agrees to be named by `input.bidderId` in the competition.
 * @throws ForbiddenError unless the caller owns `providerId` and it is verified
 * @throws ValidationError when the bidder is the same organisation, unknown or not verified
 * @throws DeadlinePassedError / InvalidStateError when the competition no longer takes bids
 */
export async function agreeToBeNamed(
  deps: PartnershipDeps,
  principal: Principal,
  competitionId: string,
  input: { providerId: string; bidderId: string; role: PartnerRole },
  now: Date,
): Promise<AgreementResult> {
  const user = requireUser(principal);
  const competition = await deps.competitions.get(competitionId);
  if (!competition || competition.status === 'draft')
    throw new NotFoundError(`No competition ${competitionId}.`);
  const status = effectiveStatus(competition, now);
  // Only while responses or bids can be made that would name the organisation: not while the panel
  // shortlists, when an agreement could serve only to wall out the organisation's own members.
  if (status !== 'prequalification' && status !== 'tendering') {
    if (status === 'cancelled') throw new InvalidStateError('This competition was cancelled.');
    if (status === 'shortlisting')
      throw new InvalidStateError(
        'Agreements are given while applications or bids are open, not during shortlisting.',
      );
    throw new DeadlinePassedError('The tender deadline has passed.');
  }
  const membership = (await deps.memberships.listForUser(user.sub)).find(
    (m) => m.providerId === input.providerId,
  );
  assertCanAgreeToBeNamed(providerRelation(principal, membership?.role));
  const [provider, bidder] = await deps.providers
    .getMany([input.providerId, input.bidderId])
    .then((found) => [input.providerId, input.bidderId].map((id) => found.find((p) => p.id === id)));
  if (provider?.status !== 'verified')
    throw new ForbiddenError('Only verified providers can be named in a bid.');
  const issues = agreementIssues(input.providerId, input.bidderId, bidder?.status);
  if (issues.length > 0) throw new ValidationError('The agreement cannot be recorded.', issues);

  const own = await deps.providerData.forProvider(input.providerId);
  const given = await own.partnerships.get(competitionId, input.bidderId, input.providerId);
  if (given) return { partnership: given, created: false };
  const at = now.toISOString();
  const partnership: Partnership = {
    competitionId,
    bidderId: input.bidderId,
    providerId: input.providerId,
    role: input.role,
    agreedAt: at,
    agreedBy: user.sub,
  };
  try {
    await recordChange(
      own,
      competitionId,
      // A `bid.` action: while bids are sealed the audit log shows neither who agreed nor the bidder.
      { at, actor: user.sub, action: 'bid.partner', resource: `bids/${input.bidderId}` },
      {
        items: [
          own.partnerships.openCheck(competitionId, at),
          ...own.partnerships.agreementItems(partnership),
          // The competition joins the partner's own "your competitions" with the agreement, atomically.
          ...own.partnerships.participationItems(partnership),
          ...deps.competitions.connectedItems(
            competitionId,
            [{ providerId: input.providerId, role: input.role }],
            at,
          ),
          deps.outbox.takingPartItem(competitionId, input.providerId, at),
        ],
        onRefused: (codes) =>
          codes[0] === 'ConditionalCheckFailed'
            ? new DeadlinePassedError('The competition stopped taking bids before the agreement was stored.')
            : undefined,
      },
    );
  } catch (error) {
    // Another owner agreed at the same moment: the first agreement stands, and this call reports it.
    const first = await own.partnerships.get(competitionId, input.bidderId, input.providerId);
    if (first) return { partnership: first, created: false };
    throw error;
  }
  return { partnership, created: true };
}

/** One organisation the user owns, as the agreement page offers it. */
export interface OwnedOrganisation {
  id: string;
  name: string;
  verified: boolean;
  /** When it agreed to be named by the lead organisation (when the page names one), if it has. */
  agreedAt: string | undefined;
  role: PartnerRole | undefined;
}

/** What the agreement page shows before anyone agrees. */
export interface PartnershipOffer {
  competition: { id: string; title: string };
  /** Whether agreements are taken now (pre-qualification or tendering), and if not why. */
  open: boolean;
  closedReason: string | undefined;
  /** The lead organisation that names the user's, when the page was given its id and it is verified. */
  lead: { id: string; name: string } | undefined;
  /** The organisations the user owns (verified or not), oldest membership first. */
  organisations: OwnedOrganisation[];
}

/**
 * What agreeing to be named would mean for the signed-in user in a competition (for the web page before
 * `agreeToBeNamed`): the organisations they own, whether each has already agreed to be named by `leadId`
 * (read through that organisation's own provider data access), the lead's name from the public registry,
 * and whether agreements are taken now. Nothing is recorded.
 * @throws NotFoundError for a competition that is not published
 * @throws ForbiddenError unless the user owns an organisation
 */
export async function partnershipOffer(
  deps: PartnershipDeps,
  principal: Principal,
  competitionId: string,
  leadId: string | undefined,
  now: Date,
): Promise<PartnershipOffer> {
  const user = requireUser(principal);
  const competition = await deps.competitions.get(competitionId);
  if (!competition || competition.status === 'draft')
    throw new NotFoundError(`No competition ${competitionId}.`);
  const owned = (await deps.memberships.listForUser(user.sub)).filter((m) => m.role === 'owner');
  assertCanAgreeToBeNamed(providerRelation(principal, owned.length > 0 ? 'owner' : undefined));
  const ids = owned.map((m) => m.providerId);
  const found = await deps.providers.getMany(leadId ? [...ids, leadId] : ids);
  const lead = leadId ? found.find((p) => p.id === leadId) : undefined;
  const organisations = await Promise.all(
    owned.map(async (m): Promise<OwnedOrganisation> => {
      const provider = found.find((p) => p.id === m.providerId);
      const verified = provider?.status === 'verified';
      const given =
        verified && leadId && leadId !== m.providerId
          ? await (await deps.providerData.forProvider(m.providerId)).partnerships.get(
              competitionId,
              leadId,
              m.providerId,
            )
          : undefined;
      return {
        id: m.providerId,
        name: provider?.name ?? m.providerId,
        verified,
        agreedAt: given?.agreedAt,
        role: given?.role,
      };
    }),
  );
  const status = effectiveStatus(competition, now);
  const open = status === 'prequalification' || status === 'tendering';
  const closedReason = open
    ? undefined
    : status === 'cancelled'
      ? 'This competition was cancelled.'
      : status === 'shortlisting'
        ? 'Agreements are given while applications or bids are open, not during shortlisting.'
        : 'The tender deadline has passed.';
  return {
    competition: { id: competition.id, title: competition.title },
    open,
    closedReason,
    lead: lead?.status === 'verified' ? { id: lead.id, name: lead.name } : undefined,
    organisations,
  };
}
