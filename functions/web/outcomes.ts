/**
 * The web front door's payment-by-results pages for the provider side (issue 18): the prime's claims and
 * statement, and the shares of outcome payments it passes on. A function of its own (`webOutcomes`), so it
 * bundles only these use cases; it calls the same use cases as the JSON API. The commissioner's pages are
 * `functions/web/outcomes-commissioning.ts`, inside the wall.
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { primeOutcomePages } from '../../shared/web/pages/outcomes/prime';
import { shareOutcomePages } from '../../shared/web/pages/outcomes/shares';

export const handler = dispatchPages({
  // The prime's pages: its members read, its owners claim.
  ...definePages(primeOutcomePages),
  // The shares of outcome payments the prime passes on: its members read, its owners record.
  ...definePages(shareOutcomePages),
});
