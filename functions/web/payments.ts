/**
 * The web front door's pages for sub-contractors: the payments primes reported to them, and disputes. A
 * function of its own, apart from the primes' contract pages, so each bundles only its own use cases; it
 * calls the same use cases as the JSON `contracts` function.
 */
import { definePage, dispatchPages } from '../../shared/web/page';
import { disputeAnswer, disputePage, yourPayments } from '../../shared/web/pages/payments';

export const handler = dispatchPages({
  'GET /your-payments': definePage(yourPayments),
  'GET /your-payments/dispute': definePage(disputePage),
  'POST /your-payments/dispute': definePage(disputeAnswer),
});
