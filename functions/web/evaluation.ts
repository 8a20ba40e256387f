/**
 * The commissioning workspace's evaluation pages (`shared/web/pages/commissioning/`): pre-qualification
 * responses, marking and the shortlist; bids, scoring and moderation; the ranking and the award. A function
 * of its own facing the inside of the wall, with the tables of the JSON evaluation routes it mirrors.
 */
import { definePages, dispatchPages, type PageOptions } from '../../shared/web/page';
import { bidPages } from '../../shared/web/pages/commissioning/bids';
import { challengePages } from '../../shared/web/pages/commissioning/challenges';
import { evaluationPages } from '../../shared/web/pages/commissioning/evaluation';
import { evaluationFormAddresses } from '../../shared/web/pages/commissioning/form-addresses';
import { responsePages } from '../../shared/web/pages/commissioning/responses';
import { workspacePages } from '../../shared/web/pages/commissioning/workspace-pages';

/**
 * The workspace's header links to the commissioning pages, not to a provider organisation's, so these
 * pages skip the membership lookup: a page then reads what its JSON route reads, plus the session (the
 * counterpart of the JWT authorizer).
 */
const options: PageOptions = { membershipLookup: false };

export const handler = dispatchPages(
  definePages(
    workspacePages({
      ...responsePages,
      ...bidPages,
      ...evaluationPages,
      ...challengePages,
      ...evaluationFormAddresses,
    }),
    options,
  ),
  options,
);
