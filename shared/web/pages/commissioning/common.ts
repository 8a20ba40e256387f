/**
 * What every page of the commissioning workspace shares: the status tags, breadcrumbs, and the context of
 * the competition's sub-navigation (`competition-nav.njk`). No page here decides access: each calls the use
 * case its JSON route calls, and the policy module decides.
 */
import type { CompetitionStatus } from '../../../domain/competitions';
import { competitionTabs } from '../../../domain/policy';
import type { Principal } from '../../../domain/principal';

/** A seat on a competition, as the task list names it. */
type SeatRole = 'lead' | 'evaluator' | 'moderator';

/** A GOV.UK tag for each status: the words the issue names, and a colour that tells them apart. */
export const STATUS_TAGS: Record<CompetitionStatus, { text: string; classes: string }> = {
  draft: { text: 'Draft', classes: 'govuk-tag--grey' },
  prequalification: { text: 'Pre-qualification', classes: 'govuk-tag--light-blue' },
  shortlisting: { text: 'Shortlisting', classes: 'govuk-tag--turquoise' },
  tendering: { text: 'Tendering', classes: 'govuk-tag--blue' },
  evaluation: { text: 'Evaluation', classes: 'govuk-tag--purple' },
  standstill: { text: 'Standstill', classes: 'govuk-tag--yellow' },
  awarded: { text: 'Awarded', classes: 'govuk-tag--green' },
  cancelled: { text: 'Cancelled', classes: 'govuk-tag--red' },
};

/** The tag of a status. */
export function statusTag(status: CompetitionStatus): { text: string; classes: string } {
  return STATUS_TAGS[status];
}

/** One breadcrumb (GOV.UK breadcrumbs component item). */
export interface Breadcrumb {
  text: string;
  href: string;
}

/**
 * The breadcrumbs of a page in the workspace: "Commissioning", then the competition when the page belongs
 * to one (by title when the viewer may see it, else "Competition"). The page itself is the `h1`, not a crumb.
 */
export function commissioningBreadcrumbs(competition?: {
  id: string;
  title?: string | undefined;
}): Breadcrumb[] {
  const crumbs: Breadcrumb[] = [{ text: 'Commissioning', href: '/commissioning' }];
  if (competition) {
    crumbs.push({ text: competition.title ?? 'Competition', href: `/commissioning/${competition.id}` });
  }
  return crumbs;
}

/** Which entry of the competition's sub-navigation a page is. */
export type CompetitionSection =
  | 'tasks'
  | 'wall'
  | 'responses'
  | 'bids'
  | 'evaluation'
  | 'audit'
  | 'questions'
  | 'documents'
  | 'challenges';

/**
 * The render context every competition page passes: `section` marks the workspace in the header, and
 * `competitionNav` feeds `commissioning/competition-nav.njk`.
 */
export function competitionPageContext(
  competition: {
    id: string;
    title?: string | undefined;
    prequalificationTier?: string | undefined;
  },
  current: CompetitionSection,
  viewer?: { principal: Principal; seats?: readonly SeatRole[] | undefined },
): Record<string, unknown> {
  // Only the tabs the policy could ever let this viewer open (from what the page loaded, no more reads);
  // the page being shown is always among them.
  const tabs = viewer
    ? competitionTabs(
        viewer.principal,
        viewer.seats,
        competition.prequalificationTier === undefined ? true : competition.prequalificationTier !== 'none',
      )
    : undefined;
  if (tabs && !tabs.includes(current)) tabs.push(current);
  return {
    section: 'commissioning',
    breadcrumbs: commissioningBreadcrumbs(competition),
    competitionNav: { id: competition.id, current, ...(tabs ? { tabs } : {}) },
  };
}
