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
import type { FieldIssue } from './errors';

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
 * the organisation and says how it agrees.
 */
export function unagreedIssues(
  named: readonly NamedOrganisation[],
  agreed: ReadonlySet<string>,
  names: ReadonlyMap<string, string> = new Map(),
): FieldIssue[] {
  return named
    .filter((n) => !agreed.has(n.providerId))
    .map((n) => ({
      path: n.path,
      message: `${names.get(n.providerId) ?? n.providerId} has not agreed to be named: an owner of it agrees with POST /competitions/{id}/partnerships`,
    }));
}
