/**
 * The web front door's pages for primes and sub-contractors: contracts, spend returns, payments and
 * disputes. A function of its own so that the main web function needs no write access to contracts and
 * returns; it calls the same use cases as the JSON `contracts` function.
 */
import { definePage, dispatchPages } from '../../shared/web/page';
import {
  contractPage,
  disputeAnswer,
  disputePage,
  fileReturn,
  yourContracts,
  yourPayments,
} from '../../shared/web/pages/contracts';

export const handler = dispatchPages({
  'GET /your-contracts': definePage(yourContracts),
  'GET /your-contracts/{id}': definePage(contractPage),
  'POST /your-contracts/{id}/spend-returns': definePage(fileReturn),
  'GET /your-payments': definePage(yourPayments),
  'GET /your-payments/dispute': definePage(disputePage),
  'POST /your-payments/dispute': definePage(disputeAnswer),
});
