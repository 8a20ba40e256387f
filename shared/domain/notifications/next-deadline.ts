/**
 * The deadline a competition waits for (issue 17's deadline reminders), in a module of its own with no
 * runtime imports: every write of a competition's record computes it (`shared/db/competitions.ts`), so
 * every function that writes one bundles it, and it must bring nothing else along.
 */
import type { Competition } from '../competitions';

/** Which deadline a reminder is about. */
export type DeadlineKind = 'prequalification' | 'tender';

/** A competition's next deadline, as the deadline index lists it. */
export interface NextDeadline {
  kind: DeadlineKind;
  /** The deadline, an ISO instant (UTC). */
  at: string;
}

/**
 * The deadline a competition's stored status waits for: the pre-qualification deadline while it takes
 * applications, the tender deadline while it takes bids; none before publication or once bids are being
 * evaluated, awarded or cancelled. Read from the stored status (not the effective one) because it is
 * written with the record: every write of the record lists it under this deadline, or under none.
 */
export function nextDeadline(
  competition: Pick<Competition, 'status' | 'prequalificationDeadline' | 'tenderDeadline'>,
): NextDeadline | undefined {
  if (competition.status === 'prequalification' && competition.prequalificationDeadline) {
    return { kind: 'prequalification', at: competition.prequalificationDeadline };
  }
  if (competition.status === 'tendering') return { kind: 'tender', at: competition.tenderDeadline };
  return undefined;
}
