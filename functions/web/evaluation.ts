/**
 * The commissioning workspace's evaluation pages (`shared/web/pages/commissioning/`): pre-qualification
 * responses, marking and the shortlist; bids, scoring and moderation; the ranking and the award. A function
 * of its own facing the inside of the wall, with the tables of the JSON evaluation routes it mirrors.
 */
import { definePages, dispatchPages, type PageOptions } from '../../shared/web/page';
import { bidPages } from '../../shared/web/pages/commissioning/bids';
import { evaluationPages } from '../../shared/web/pages/commissioning/evaluation';
import { responsePages } from '../../shared/web/pages/commissioning/responses';

/**
 * The workspace's header links to the commissioning pages, not to a provider organisation's, so these
 * pages skip the membership lookup: a page then reads what its JSON route reads, plus the session (the
 * counterpart of the JWT authorizer).
 */
const options: PageOptions = { membershipLookup: false };

export const handler = dispatchPages(
  definePages({ ...responsePages, ...bidPages, ...evaluationPages }, options),
  options,
);
