/**
 * The bid state machine (pure): a bidder keeps one draft, submits it as version 1, 2, … (the latest
 * submitted version is the bid) and may withdraw it, all before the tender deadline; after it, nothing
 * changes. Drafts are never opened by anyone but the bidder.
 */
import type { Criterion } from './competitions';
import type { FieldIssue } from './errors';
import type { NamedOrganisation } from './partnerships';
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
      // Own answers only: `qualityResponses.constructor` would otherwise be Object's constructor.
      const answer = Object.hasOwn(content.qualityResponses, criterion.id)
        ? content.qualityResponses[criterion.id]
        : undefined;
      if (typeof answer !== 'string' || answer.trim() === '') {
        issues.push({
          path: `qualityResponses.${criterion.id}`,
          message: `Answer "${criterion.name}" before submitting`,
        });
      }
    }
    if (!(Number.isSafeInteger(content.pricePence) && content.pricePence > 0)) {
      issues.push({ path: 'pricePence', message: 'Give a price in whole pence above 0' });
    }
  }
  // In hundredths of a percent, whole numbers: 33.33 + 33.33 + 33.34 is exactly 100, not 100.00000000000001.
  const hundredths = content.subcontractors.reduce((sum, s) => sum + Math.round(s.sharePercent * 100), 0);
  if (hundredths > 100_00)
    issues.push({
      path: 'subcontractors',
      message: `Sub-contracted shares add up to ${hundredths / 100}%, over 100%`,
    });
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
 * The other organisations a bid names, each once with the first place it is named (consortium members,
 * then registered sub-contractors), never the bidder itself. Each must agree before the bid is submitted
 * (`shared/domain/partnerships.ts`); naming does not connect them.
 */
export function namedOrganisations(
  bidderId: string,
  content: Pick<BidContent, 'consortium' | 'subcontractors'>,
): NamedOrganisation[] {
  const all = [
    ...content.consortium.map((m, i) => ({ path: `consortium.${i}.providerId`, providerId: m.providerId })),
    ...content.subcontractors.flatMap((s, i) =>
      // The name the bidder gave it, so a refusal names it as the bidder knows it.
      s.providerId
        ? [{ path: `subcontractors.${i}.providerId`, providerId: s.providerId, name: s.name }]
        : [],
    ),
  ];
  const seen = new Set<string>([bidderId]);
  return all.filter((n) => !seen.has(n.providerId) && seen.add(n.providerId));
}
