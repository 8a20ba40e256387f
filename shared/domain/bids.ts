/**
 * The bid state machine (pure): a bidder keeps one draft, submits it as version 1, 2, … (the latest
 * submitted version is the bid) and may withdraw it, all before the tender deadline; after it, nothing
 * changes. Drafts are never opened by anyone but the bidder.
 */
import type { Criterion } from './competitions';
import type { FieldIssue } from './errors';
import type { Service } from './reference-data';

/** A named sub-contractor. */
export interface NamedSubcontractor {
  providerId?: string | undefined;
  name: string;
  services: Service[];
  sharePercent: number;
}

/** What a bidder writes. */
export interface BidContent {
  pricePence: number;
  qualityResponses: Record<string, string>;
  subcontractors: NamedSubcontractor[];
  consortium: { providerId: string; role: string }[];
}

/** Where a bid stands. */
export type BidStatus = 'draft' | 'submitted' | 'withdrawn';

/** The bid events. */
export type BidEvent = 'save-draft' | 'submit' | 'withdraw';

/**
 * The next status after an event, or the reason it is not allowed. Deadlines are checked separately (and
 * atomically) by the repository.
 */
export function nextBidStatus(
  current: BidStatus | undefined,
  event: BidEvent,
): BidStatus | { refused: string } {
  switch (event) {
    case 'save-draft':
      // Saving a draft never changes a submitted bid: the draft is the next version in the making.
      return current === undefined || current === 'draft' ? 'draft' : current;
    case 'submit':
      return current === undefined ? { refused: 'Save a draft bid first.' } : 'submitted';
    case 'withdraw':
      return current === 'submitted' ? 'withdrawn' : { refused: 'Only a submitted bid can be withdrawn.' };
  }
}

/**
 * Problems with a bid's content: answers only to quality criteria of the competition (unknown criteria are
 * refused), positive whole-pence price, sub-contractor shares that add up to at most 100; when
 * `forSubmission`, an answer to every quality criterion.
 */
export function bidContentIssues(
  content: BidContent,
  criteria: readonly Criterion[],
  forSubmission: boolean,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const quality = criteria.filter((c) => c.kind === 'quality');
  const known = new Set(quality.map((c) => c.id));
  for (const id of Object.keys(content.qualityResponses)) {
    if (!known.has(id))
      issues.push({ path: `qualityResponses.${id}`, message: 'Not a quality criterion of this competition' });
  }
  if (forSubmission) {
    for (const criterion of quality) {
      if (!content.qualityResponses[criterion.id]?.trim()) {
        issues.push({
          path: `qualityResponses.${criterion.id}`,
          message: `Answer "${criterion.name}" before submitting`,
        });
      }
    }
    if (!(Number.isInteger(content.pricePence) && content.pricePence > 0)) {
      issues.push({ path: 'pricePence', message: 'Give a price in whole pence above 0' });
    }
  }
  const shares = content.subcontractors.reduce((sum, s) => sum + s.sharePercent, 0);
  if (shares > 100)
    issues.push({ path: 'subcontractors', message: `Sub-contracted shares add up to ${shares}%, over 100%` });
  return issues;
}
