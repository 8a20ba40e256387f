/**
 * What the viewer of an opportunity (`/find-an-opportunity/{id}`) may do about it now (pure): apply while
 * pre-qualification is open, bid while tendering (anyone verified for tier none; the shortlisted
 * otherwise), ask a clarification question while it is open, agree (an owner) to be named in another
 * organisation's bid; or, first, sign in or register. Links only:
 * each page they lead to asks its use case, which decides (an organisation not yet verified is told there).
 */
import type { Competition } from '../../../domain/competitions';
import { effectiveStatus } from '../../../domain/competitions';

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
}

/**
 * The actions open to `viewer` on `competition` at `now`: none once it is closed to everyone. Whether the
 * viewer's organisations may take part is read only from the shortlist, for their own ids.
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
  const base = `/your-competitions/${encodeURIComponent(competition.id)}`;
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
      {
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
  return mayBid
    ? [{ text: 'Start or continue your bid', href: `${base}/bid`, primary: true }, question, ...partnership]
    : partnership;
}
