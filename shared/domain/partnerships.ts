/**
 * Partnerships: an organisation's own agreement to be named in another organisation's bid or
 * pre-qualification response, as a consortium member or sub-contractor.
 *
 * Being named connects an organisation to the competition, which puts all its members outside the wall.
 * Nobody is made a party by someone else's say-so (DESIGN.md §3): naming an organisation in a draft
 * connects nobody but the bidder; the named organisation connects itself when one of its owners agrees,
 * and a bid or response can be submitted only once everyone it names has agreed. Agreements are
 * append-only: once given, an agreement (and the connection it made) stays. Pure: no I/O.
 */
import { type Competition, effectiveStatus } from './competitions';
import { govukDate } from './dates';
import type { FieldIssue } from './errors';
import type { Standing } from './taking-part';

/** The parts an organisation can agree to play in a bidder's bid or application. */
export const PARTNER_ROLES = ['consortium-member', 'subcontractor'] as const;

/** A part an organisation can agree to play. */
export type PartnerRole = (typeof PARTNER_ROLES)[number];

/** An organisation's recorded agreement to be named by a bidder in one competition. */
export interface Partnership {
  competitionId: string;
  /** The organisation whose bid or application names the partner. */
  bidderId: string;
  /** The organisation that agreed to be named. */
  providerId: string;
  role: PartnerRole;
  agreedAt: string;
  /** The owner of `providerId` who agreed. */
  agreedBy: string;
}

/** One organisation a bid or response names, with where (the field path used in error lists). */
export interface NamedOrganisation {
  path: string;
  providerId: string;
  /** The name the submission gives it, if any (a sub-contractor's); the registry's name wins. */
  name?: string | undefined;
}

/**
 * Why an organisation cannot agree to be named by `bidderId`, as field issues (empty when it can).
 * @param bidderStatus the bidder's registry status, undefined when no provider has that id
 */
export function agreementIssues(
  providerId: string,
  bidderId: string,
  bidderStatus: 'pending' | 'verified' | 'rejected' | undefined,
): FieldIssue[] {
  if (bidderId === providerId)
    return [{ path: 'bidderId', message: 'An organisation cannot be its own partner' }];
  if (bidderStatus === undefined)
    return [{ path: 'bidderId', message: 'No registered provider has this id' }];
  if (bidderStatus !== 'verified')
    return [{ path: 'bidderId', message: 'Only verified providers bid or apply' }];
  return [];
}

/**
 * The named organisations that have not agreed to be named, as field issues for a submission: each names
 * the organisation and says, in plain words, who agrees and where. The same words reach a person on the
 * bid or application pages and an API client in the problem's `errors` (which the README and OpenAPI
 * document as `POST /competitions/{id}/partnerships`): the page is where a partner's owner most often
 * agrees, from the link on the competition's opportunity page.
 * @param names organisations' names by id; an organisation without one is named by its id
 */
export function unagreedIssues(
  named: readonly NamedOrganisation[],
  agreed: ReadonlySet<string>,
  names: ReadonlyMap<string, string> = new Map(),
): FieldIssue[] {
  return named
    .filter((n) => !agreed.has(n.providerId))
    .map((n) => {
      const name = names.get(n.providerId) ?? n.name;
      const who = name ?? `The organisation with id ${n.providerId}`;
      const owner = name ? `an owner of ${name}` : 'one of its owners';
      return {
        path: n.path,
        message: `${who} has not agreed to be named yet. Ask ${owner} to agree on this competition’s ‘Agree to be named’ page (linked from the opportunity page), then submit again`,
      };
    });
}

/** The parts as a partner's row of "your competitions" names them. */
export const PARTNER_ROLE_NAMES: Record<PartnerRole, { tag: string; as: string }> = {
  'consortium-member': { tag: 'Consortium member', as: 'a consortium member' },
  subcontractor: { tag: 'Sub-contractor', as: 'a sub-contractor' },
};

const CLOSES = { future: 'closes', past: 'closed' };

/**
 * Where a partner organisation stands in a competition at `now` ("your competitions"): the part it agreed
 * to play in `bidderName`'s bid, when, and what happens next – from the competition's public record and the
 * partner's own agreement only. Nothing of the bidder's bid (drafted, submitted, shortlisted, successful):
 * the partner's members are not the bidder's, and may not read it.
 */
export function partnerStanding(
  competition: Pick<Competition, 'status' | 'prequalificationDeadline' | 'tenderDeadline'>,
  agreement: { role: PartnerRole; agreedAt: string },
  bidderName: string,
  now: Date,
): Standing {
  const role = PARTNER_ROLE_NAMES[agreement.role];
  const agreed = `You agreed to be part of ${bidderName}’s bid as ${role.as} on ${govukDate(agreement.agreedAt)}.`;
  const status = effectiveStatus(competition, now);
  const row = (next: string, closed = false): Standing => ({
    status: role.tag,
    colour: closed ? 'grey' : 'blue',
    next: `${agreed} ${next}`,
  });
  switch (status) {
    case 'prequalification':
      return {
        ...row(`Nothing to do now: ${bidderName} applies`),
        ...(competition.prequalificationDeadline
          ? { deadline: { at: competition.prequalificationDeadline, verb: CLOSES } }
          : {}),
      };
    case 'shortlisting':
      return row('Nothing to do now: the applications are being assessed');
    case 'tendering':
      return {
        ...row(`Nothing to do now: ${bidderName} submits the bid`),
        deadline: { at: competition.tenderDeadline, verb: CLOSES },
      };
    case 'evaluation':
      return row('Nothing to do now: the bids are being evaluated');
    case 'standstill':
    case 'awarded':
      return row(
        `Nothing to do now: the award has been decided, and ${bidderName} has been told its outcome`,
        true,
      );
    case 'cancelled':
      return row('Nothing to do now: the competition was cancelled', true);
    default:
      return row('Nothing to do now');
  }
}
