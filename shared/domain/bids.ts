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

/**
 * Problems with the organisations a bid names (consortium members, registered sub-contractors): each must
 * be a registered, verified provider other than the bidder, and a consortium names each member once. Naming
 * an organisation puts it outside the competition's wall, so nobody is made a party on a bidder's say-so
 * alone: an unknown or unverified id is refused.
 * @param registry the status of each named provider that exists (missing ids do not exist)
 */
export function namedOrganisationIssues(
  content: Pick<BidContent, 'consortium' | 'subcontractors'>,
  bidderId: string,
  registry: ReadonlyMap<string, 'pending' | 'verified' | 'rejected'>,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (path: string, providerId: string) => {
    const status = registry.get(providerId);
    if (providerId === bidderId)
      issues.push({ path, message: 'The bidding organisation cannot name itself' });
    else if (status === undefined) issues.push({ path, message: 'No registered provider has this id' });
    else if (status !== 'verified') issues.push({ path, message: 'Only verified providers can be named' });
  };
  const members = new Set<string>();
  content.consortium.forEach((member, i) => {
    const path = `consortium.${i}.providerId`;
    if (members.has(member.providerId)) issues.push({ path, message: 'Each organisation may appear once' });
    else check(path, member.providerId);
    members.add(member.providerId);
  });
  content.subcontractors.forEach((s, i) => {
    if (s.providerId) check(`subcontractors.${i}.providerId`, s.providerId);
  });
  return issues;
}

/**
 * The organisations a bid connects to its competition, each once: the bidder, then consortium members,
 * then registered sub-contractors (an organisation named in two places keeps its first role).
 */
export function bidConnections(
  bidderId: string,
  content: Pick<BidContent, 'consortium' | 'subcontractors'>,
): { providerId: string; role: 'bidder' | 'consortium-member' | 'subcontractor' }[] {
  const all = [
    { providerId: bidderId, role: 'bidder' as const },
    ...content.consortium.map((m) => ({ providerId: m.providerId, role: 'consortium-member' as const })),
    ...content.subcontractors.flatMap((s) =>
      s.providerId ? [{ providerId: s.providerId, role: 'subcontractor' as const }] : [],
    ),
  ];
  const seen = new Set<string>();
  return all.filter((c) => !seen.has(c.providerId) && seen.add(c.providerId));
}
