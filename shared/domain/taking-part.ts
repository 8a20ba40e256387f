/**
 * Where a provider organisation stands in a competition it takes part in, and what it can do next (pure):
 * the status and next step of each row of "your competitions", worked out from the competition's public
 * record at a moment (its effective status, deadlines, shortlist and award) and the organisation's own
 * participation item (`shared/db/participation.ts`). Nothing here is inside information: the shortlist and
 * the award are read only for the organisation itself.
 */
import type { Competition } from './competitions';
import { effectiveStatus } from './competitions';

/** What the organisation has done (its participation item). */
export interface TakingPart {
  applied: boolean;
  bid?: { status: 'draft' | 'submitted' | 'withdrawn'; version: number | null } | undefined;
}

/** A GOV.UK tag colour (none: the default dark blue). */
export type TagColour = 'grey' | 'green' | 'blue' | 'yellow' | 'red' | 'purple' | 'turquoise' | 'orange';

/** Where it stands, as a row says it. */
export interface Standing {
  /** The tag: "Applied", "Bid in progress", "Bid submitted"… */
  status: string;
  colour: TagColour | undefined;
  /** What to do next, in words; "Nothing to do now" when there is nothing. */
  next: string;
  /** Where the next step is done, when there is a page for it. */
  nextHref?: string | undefined;
  /** The deadline that matters now, when one does, and how to say it ("closes", "ends"). */
  deadline?: { at: string; verb: { future: string; past: string } } | undefined;
}

const CLOSES = { future: 'closes', past: 'closed' };

/**
 * The organisation's standing in `competition` at `now`.
 *
 * @param providerId the organisation, to read its place on the shortlist and in the award.
 */
export function standing(
  competition: Pick<
    Competition,
    | 'id'
    | 'status'
    | 'prequalificationTier'
    | 'prequalificationDeadline'
    | 'tenderDeadline'
    | 'shortlist'
    | 'award'
  >,
  providerId: string,
  part: TakingPart,
  now: Date,
): Standing {
  const base = `/your-competitions/${encodeURIComponent(competition.id)}`;
  const status = effectiveStatus(competition, now);
  const bid = part.bid;
  const canBid =
    competition.prequalificationTier === 'none' || (competition.shortlist ?? []).includes(providerId);
  const submitted = bid !== undefined && bid.version !== null && bid.status === 'submitted';
  switch (status) {
    case 'cancelled':
      return {
        status: 'Cancelled',
        colour: 'grey',
        next: 'Nothing to do now: the competition was cancelled',
      };
    case 'prequalification':
      return {
        status: 'Applied',
        colour: 'blue',
        next: 'You can change your answers and apply again until the deadline',
        nextHref: `${base}/prequalification`,
        ...(competition.prequalificationDeadline
          ? { deadline: { at: competition.prequalificationDeadline, verb: CLOSES } }
          : {}),
      };
    case 'shortlisting':
      return {
        status: 'Being assessed',
        colour: 'yellow',
        next: 'Nothing to do now: you will be told if you are shortlisted',
      };
    case 'tendering': {
      if (!canBid) return notShortlisted();
      const deadline = { at: competition.tenderDeadline, verb: CLOSES };
      if (!bid) {
        return {
          status: 'Shortlisted',
          colour: 'turquoise',
          next: 'Start your bid',
          nextHref: `${base}/bid`,
          deadline,
        };
      }
      if (bid.status === 'draft') {
        return {
          status: 'Bid in progress',
          colour: 'yellow',
          next: 'Finish and submit your bid',
          nextHref: `${base}/bid`,
          deadline,
        };
      }
      if (bid.status === 'withdrawn') {
        return {
          status: 'Bid withdrawn',
          colour: 'grey',
          next: 'You can submit your bid again until the deadline',
          nextHref: `${base}/bid`,
          deadline,
        };
      }
      return {
        status: `Bid submitted (version ${bid.version})`,
        colour: 'green',
        next: 'You can change and resubmit your bid, or withdraw it, until the deadline',
        nextHref: `${base}/bid`,
        deadline,
      };
    }
    case 'evaluation':
      if (!canBid) return notShortlisted();
      if (submitted) {
        return {
          status: 'Bid being evaluated',
          colour: 'purple',
          next: 'Nothing to do now: you will be told the outcome',
          nextHref: `${base}/bid`,
        };
      }
      return noBid(bid?.status === 'withdrawn', base);
    case 'standstill':
    case 'awarded': {
      if (!canBid) return notShortlisted();
      if (!submitted) return noBid(bid?.status === 'withdrawn', base);
      const won = competition.award?.providerId === providerId;
      if (status === 'standstill') {
        return {
          status: won ? 'Successful' : 'Unsuccessful',
          colour: won ? 'green' : 'orange',
          next: 'Read your debrief',
          nextHref: `${base}/debrief`,
          ...(competition.award
            ? {
                deadline: {
                  at: competition.award.standstillEndsAt,
                  verb: { future: 'standstill ends', past: 'standstill ended' },
                },
              }
            : {}),
        };
      }
      return {
        status: won ? 'Awarded' : 'Not awarded',
        colour: won ? 'green' : 'grey',
        next: 'Read your debrief',
        nextHref: `${base}/debrief`,
      };
    }
    default:
      return { status: 'Not open', colour: 'grey', next: 'Nothing to do now' };
  }
}

function notShortlisted(): Standing {
  return { status: 'Not shortlisted', colour: 'grey', next: 'Nothing to do now' };
}

function noBid(withdrawn: boolean, base: string): Standing {
  return withdrawn
    ? { status: 'Bid withdrawn', colour: 'grey', next: 'Nothing to do now', nextHref: `${base}/bid` }
    : {
        status: 'No bid submitted',
        colour: 'grey',
        next: 'Nothing to do now: the tender deadline passed before a bid was submitted',
        nextHref: `${base}/bid`,
      };
}
