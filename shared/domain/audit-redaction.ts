/**
 * What the audit log and the alerts may show while bids are sealed (issue 12, item 4): nothing that tells
 * who is bidding. Until the tender deadline has opened the bids, events that only a bidder or applicant
 * causes (saving, submitting or withdrawing a bid, submitting a pre-qualification response) and refusals
 * at the wall of anyone not on the commissioning side (so connected to a bidder) are shown without their actor,
 * and a bid's resource without the bidder or bid it names. Pure: the stored events, and their hashes, are
 * untouched; `verify` checks the chain on the server, over the stored values.
 */

/** Shown in place of what is sealed. */
export const SEALED = '(sealed until the tender deadline)';

/** The fields of an event or alert that can name a bidder. */
export interface Revealing {
  action: string;
  actor: string;
  resource: string;
  outcome?: 'allowed' | 'denied';
  reason?: string | undefined;
}

/**
 * Whether an event could tell who is bidding or applying. A refusal at the wall of someone on the
 * commissioning side (a seat holder, someone the lead excluded) tells nothing about bidders; of anyone
 * else it says they are connected to one.
 */
function revealsBidder(event: Revealing, commissioningSide: ReadonlySet<string>): boolean {
  if (event.action.startsWith('bid.') || event.action === 'prequalification.submit') return true;
  return (
    event.outcome === 'denied' &&
    event.reason === '/problems/ethical-wall' &&
    !commissioningSide.has(event.actor)
  );
}

/**
 * An event as it may be shown: unchanged once the bids are open (`sealed` false), otherwise without the
 * actor and the bid or bidder a revealing event names.
 * @param commissioningSide the competition's lead, panel and excluded people
 */
export function redactWhileSealed<T extends Revealing>(
  event: T,
  sealed: boolean,
  commissioningSide: ReadonlySet<string> = new Set(),
): T {
  if (!sealed || !revealsBidder(event, commissioningSide)) return event;
  return {
    ...event,
    actor: SEALED,
    resource: event.resource.replace(/\/bids\/[^/]+/, `/bids/${SEALED}`),
  };
}

/**
 * Why a seat holder is outside the wall, as it may be shown: while bids are sealed, "connected to an
 * applicant or bidder" would tell the lead that an organisation the holder belongs to is bidding, so it is
 * shown only as "outside the wall" (excluded, undeclared and conflicted say nothing about bidders).
 */
export function seatReasonWhileSealed(reason: string, sealed: boolean): string {
  return sealed && reason === 'connected to an applicant or bidder' ? 'outside the wall' : reason;
}
