/**
 * The provider's competition pages that act as a bidder (`shared/web/pages/provider/`): your competitions
 * and the bid. Least privilege, like the JSON `tenders` function whose use cases they call: this function's
 * own role reads competitions and the registry only; each request reaches its organisation's own bid
 * partition and participation list (and audit appends) through the bidder role assumed for that
 * organisation (`shared/db/provider-data.ts`), so it cannot read another bid, list bids or read scores.
 * The same role reaches a partner's own agreement items, so the page where an owner agrees to be named in
 * another organisation's bid (`agreeToBeNamed`) is served here too, and the choice of organisation for a
 * user of several that may bid (registry and competition reads only, kept with the session).
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { bidPages } from '../../shared/web/pages/provider/bid';
import { challengePages } from '../../shared/web/pages/provider/challenge';
import { debriefPages } from '../../shared/web/pages/provider/debrief';
import { organisationPages, withOrganisationChoice } from '../../shared/web/pages/provider/organisation';
import { partnershipPages } from '../../shared/web/pages/provider/partnership';
import { yourCompetitionsPages } from '../../shared/web/pages/provider/your-competitions';

export const handler = dispatchPages(
  definePages({
    ...yourCompetitionsPages,
    // A user of several organisations that may bid chooses one first (`/your-competitions/{id}/organisation`).
    ...withOrganisationChoice(bidPages),
    ...organisationPages,
    // The debrief is the chosen organisation's too (one organisation's debrief per page).
    ...withOrganisationChoice(debriefPages),
    ...challengePages,
    ...partnershipPages,
  }),
);
