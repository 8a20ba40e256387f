/**
 * The web front door's pages for primes: contracts, their figures and supply chain, and spend returns. A
 * function of its own so that the main web function needs no write access to contracts and returns; it
 * calls the same use cases as the JSON `contracts` function.
 */
import { PAGE_UPLOAD_BODY_BYTES, readPageMultipart } from '../../shared/web/multipart';
import { definePage, dispatchPages } from '../../shared/web/page';
import {
  contractPage,
  fileReturn,
  spendReturnsAddress,
  yourContracts,
} from '../../shared/web/pages/contracts';

export const handler = dispatchPages({
  'GET /your-contracts': definePage(yourContracts),
  'GET /your-contracts/{id}': definePage(contractPage),
  'GET /your-contracts/{id}/spend-returns': definePage(spendReturnsAddress),
  // The one form with a file input: only this page reads multipart bodies.
  'POST /your-contracts/{id}/spend-returns': definePage(fileReturn, {
    multipart: readPageMultipart,
    maxBodyBytes: PAGE_UPLOAD_BODY_BYTES,
  }),
});
