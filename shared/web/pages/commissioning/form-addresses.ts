/**
 * The addresses forms post to answer GET too (the README's promise: every form's address answers GET): a
 * visitor who reloads after an error, follows a bookmarked or shared address, or comes back from signing in
 * to one is sent (303) to the page the form lives on, which decides what they may see there. Nothing is
 * read or written here: the workspace's gate (`workspacePages`) and the target page do the rest.
 */
import { NotFoundError } from '../../../domain/errors';
import { ulidSchema } from '../../../http/schemas/common';
import { type PageBody, type PageMap, redirect } from '../../page';

/**
 * A page body that redirects a GET of a form's address to the page the form is on: `target` is that
 * page's path template (`/commissioning/{id}/wall`), filled in with the request's path parameters, each a
 * well-formed id (a malformed one is a page that does not exist, as on the form's own page).
 */
export function formAddress(target: string): PageBody {
  return async (request) => {
    const path = target.replace(/\{(\w+)\}/g, (_, name: string) => {
      const value = ulidSchema.safeParse(request.params[name]);
      if (!value.success) throw new NotFoundError('No page at this address.');
      return value.data;
    });
    return redirect(path);
  };
}

const WALL = '/commissioning/{id}/wall';
const EVALUATION = '/commissioning/{id}/evaluation';
const BID = '/commissioning/{id}/bids/{bidId}';

/** The commissioning function's form addresses (the wall's forms). */
export const commissioningFormAddresses: PageMap = {
  'GET /commissioning/{id}/wall/panel': formAddress(WALL),
  'GET /commissioning/{id}/wall/exclusions': formAddress(WALL),
  'GET /commissioning/{id}/wall/exclusions/lift': formAddress(WALL),
  'GET /commissioning/{id}/wall/clearance': formAddress(WALL),
};

/** The evaluation function's form addresses (the award and a bid's forms). */
export const evaluationFormAddresses: PageMap = {
  'GET /commissioning/{id}/evaluation/award': formAddress(EVALUATION),
  'GET /commissioning/{id}/evaluation/confirm': formAddress(EVALUATION),
  'GET /commissioning/{id}/bids/{bidId}/scores': formAddress(BID),
  'GET /commissioning/{id}/bids/{bidId}/moderated-scores': formAddress(BID),
  'GET /commissioning/{id}/bids/{bidId}/price-clarification': formAddress(BID),
};
