/**
 * What the viewer of an opportunity (`/find-an-opportunity/{id}`) may do about it now (pure): apply while
 * pre-qualification is open, bid while tendering (anyone verified for tier none; the shortlisted
 * otherwise), ask a clarification question while it is open, agree (an owner) to be named in another
 * organisation's bid; or, first, sign in or register. What the viewer's organisations have already done
 * (their participation items) changes the words: an organisation that applied is offered its application,
 * one with a bid (a draft, submitted or withdrawn) its bid, to change until the deadline and to read after.
 * Links only: each page they lead to asks its use case, which decides (an organisation not yet verified is
 * told there).
 */
import type { Competition } from '../../../domain/competitions';
import { effectiveStatus } from '../../../domain/competitions';
import type { TakingPart } from '../../../domain/taking-part';

/** One action: a link, with what it does. */
export interface OpportunityAction {
  text: string;
  href: string;
  /** A button (the main action) or a plain link. */
  primary: boolean;
}

/** Who is looking: signed in or not, and the organisations they belong to. */
export interface Viewer {
  signedIn: boolean;
  providerIds: readonly string[];
  /** Those of them the viewer owns: an owner may agree that theirs be named in another's bid. */
  ownedProviderIds?: readonly string[];
  /** What those organisations have done in this competition (none: nothing yet, or not read). */
  takingPart?: readonly TakingPart[];
}

/** Where a provider sees how its application stands once it can no longer change it. */
const YOUR_COMPETITIONS = '/your-competitions';

/**
 * The actions open to `viewer` on `competition` at `now`: none once it is closed to everyone, except their
 * own application or bid. Whether the viewer's organisations may bid is read only from the shortlist, for
 * their own ids.
 */
export function opportunityActions(
  competition: Pick<
    Competition,
    'id' | 'status' | 'prequalificationTier' | 'prequalificationDeadline' | 'tenderDeadline' | 'shortlist'
  >,
  viewer: Viewer,
  now: Date,
): OpportunityAction[] {
  const status = effectiveStatus(competition, now);
  const base = `/your-competitions/${encodeURIComponent(competition.id)}`;
  const takingPart = viewer.takingPart ?? [];
  const applied = takingPart.some((part) => part.applied);
  const bid = takingPart.some((part) => part.bid !== undefined);
  // After the deadlines: only what the viewer's organisations did, to read.
  if (
    status === 'shortlisting' ||
    status === 'evaluation' ||
    status === 'standstill' ||
    status === 'awarded'
  ) {
    if (bid) return [{ text: 'View your bid', href: `${base}/bid`, primary: true }];
    return applied ? [applicationStanding()] : [];
  }
  if (status !== 'prequalification' && status !== 'tendering') return [];
  const back = `/find-an-opportunity/${encodeURIComponent(competition.id)}`;
  if (!viewer.signedIn) {
    return [
      { text: 'Sign in to take part', href: `/sign-in?returnTo=${encodeURIComponent(back)}`, primary: true },
    ];
  }
  if (viewer.providerIds.length === 0) {
    return [
      { text: 'Register your organisation to take part', href: '/register-organisation', primary: true },
    ];
  }
  const question: OpportunityAction = { text: 'Ask a question', href: `${base}/questions`, primary: false };
  // An owner may agree to be named in another organisation's bid or application while either is open,
  // whether or not their own organisation may bid (a consortium member or sub-contractor of one that may).
  const partnership: OpportunityAction[] =
    (viewer.ownedProviderIds ?? []).length > 0
      ? [
          {
            text: 'Agree to be named in another organisation’s bid or application',
            href: `${base}/partnership`,
            primary: false,
          },
        ]
      : [];
  if (status === 'prequalification') {
    return [
      applied
        ? { text: 'View or change your application', href: `${base}/prequalification`, primary: true }
        : {
            text: 'Apply: answer the pre-qualification questions',
            href: `${base}/prequalification`,
            primary: true,
          },
      question,
      ...partnership,
    ];
  }
  const mayBid =
    competition.prequalificationTier === 'none' ||
    viewer.providerIds.some((id) => (competition.shortlist ?? []).includes(id));
  if (!mayBid) return applied ? [applicationStanding(), ...partnership] : partnership;
  return [
    { text: bid ? 'View or change your bid' : 'Start your bid', href: `${base}/bid`, primary: true },
    question,
    ...partnership,
  ];
}

/**
 * An application that can no longer change: no page shows its answers after the deadline (the applicant's
 * credentials put a response and never read it back), so the link is to "your competitions", whose row says
 * where it stands (being assessed, shortlisted, not shortlisted).
 */
function applicationStanding(): OpportunityAction {
  return { text: 'See where your application stands', href: YOUR_COMPETITIONS, primary: true };
}
