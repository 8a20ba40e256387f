/**
 * The commissioner's payment-by-results pages (issue 18): a contract's mechanism, cohorts, results, claims
 * to decide and statement, in the commissioning workspace. A function of its own, facing the inside of the
 * wall (`webOutcomesCommissioning`); it calls the same use cases as the JSON API, whose policy lets any
 * commissioner read and only those not connected to the prime or its sub-contractors act.
 */
import { definePages, dispatchPages } from '../../shared/web/page';
import { commissionerOutcomePages } from '../../shared/web/pages/outcomes/commissioner';

export const handler = dispatchPages({
  ...definePages(commissionerOutcomePages),
});
