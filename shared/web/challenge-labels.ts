/**
 * The words and tags of standstill challenges, shared by the provider's challenge page and the
 * commissioning workspace's challenge pages (kept apart from both, so neither bundles the other).
 */
import type { AfterUpheld, ChallengeStatus } from '../domain/challenges';

/** The GOV.UK tag of each challenge status. */
export const CHALLENGE_TAGS: Record<ChallengeStatus, { text: string; classes: string }> = {
  open: { text: 'Open', classes: 'govuk-tag--yellow' },
  upheld: { text: 'Upheld', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
  superseded: { text: 'Closed', classes: 'govuk-tag--grey' },
};

/** What follows an upheld challenge, in words. */
export const AFTER_UPHELD: Record<AfterUpheld, string> = {
  're-evaluate': 'The award decision is withdrawn and the bids are evaluated again.',
  cancel: 'The competition is cancelled.',
};

/** A challenge status as a GOV.UK tag's HTML. */
export function challengeTagHtml(status: ChallengeStatus): string {
  const tag = CHALLENGE_TAGS[status];
  return `<strong class="govuk-tag ${tag.classes}">${tag.text}</strong>`;
}
