/**
 * Tender and evaluation routes. Part of the route table (`shared/http/routes.ts`).
 *
 * Two functions on either side of the wall: `tenders` serves bidders; its own role reads competitions and
 * the registry only, and each request reaches its bidder's own bid partition through a role assumed for
 * that bidder (`providerDataRole: 'bidder'`); `evaluation` serves insiders, every call decided by the wall policy and
 * audited.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const tendersFunctions = {
  tenders: {
    entry: 'functions/tenders/bidder.ts',
    description:
      'Bidders: draft, submit and withdraw their own bid before the deadline, read it back, read their debrief. No access to other bids or evaluation data.',
    tables: { procurement: 'read', registry: 'read' },
    providerDataRole: 'bidder',
    facing: 'provider',
  },
  evaluation: {
    entry: 'functions/tenders/evaluation.ts',
    description:
      'Insiders: sealed bids after the deadline, scoring, moderation, the ranking, the award with standstill and its confirmation (which lets the contract).',
    // The award decision and the contract are published as OCDS releases with them (publication); the
    // decision's outcome events go to the outbox with it (issue 17).
    tables: {
      sealed: 'readWrite',
      procurement: 'readWrite',
      registry: 'readWrite',
      audit: 'append',
      publication: 'readWrite',
      outbox: 'enqueue',
    },
    facing: 'inside',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const tendersRoutes = [
  {
    method: 'PUT',
    path: '/competitions/{id}/bid',
    function: 'tenders',
    access: 'user',
    summary:
      "Save the caller's draft bid (owner of a shortlisted provider, or any verified provider for tier none)",
    tag: 'tenders',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/bid/submit',
    function: 'tenders',
    access: 'user',
    summary: 'Submit the draft as the next version of the bid, before the tender deadline',
    tag: 'tenders',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/partnerships',
    function: 'tenders',
    access: 'user',
    summary:
      "Agree, as an owner of a verified provider, to be named in another provider's bid or pre-qualification response (connects the caller's organisation to the competition; append-only)",
    tag: 'tenders',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/bid/withdraw',
    function: 'tenders',
    access: 'user',
    summary: 'Withdraw the submitted bid, before the tender deadline',
    tag: 'tenders',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/bid',
    function: 'tenders',
    access: 'user',
    summary: "The caller's own bid (members of the bidding organisation), whenever",
    tag: 'tenders',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/debrief',
    function: 'tenders',
    access: 'user',
    summary: "After the award decision: the caller's own scores, total and rank, and the winner's",
    tag: 'tenders',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/bids',
    function: 'evaluation',
    access: 'user',
    summary: 'Submitted bids (insiders, after the tender deadline)',
    tag: 'evaluation',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/bids/{bidId}',
    function: 'evaluation',
    access: 'user',
    summary: 'One bid (insiders, after the tender deadline)',
    tag: 'evaluation',
  },
  {
    method: 'PUT',
    path: '/competitions/{id}/bids/{bidId}/scores',
    function: 'evaluation',
    access: 'user',
    summary: "An evaluator's own scores for a bid",
    tag: 'evaluation',
    idempotent: true,
  },
  {
    method: 'PUT',
    path: '/competitions/{id}/bids/{bidId}/moderated-scores',
    function: 'evaluation',
    access: 'user',
    summary: "The moderator's agreed scores for a bid",
    tag: 'evaluation',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/evaluation',
    function: 'evaluation',
    access: 'user',
    summary: 'Whether evaluation is complete, and the ranking (insiders)',
    tag: 'evaluation',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/bids/{bidId}/price-clarification',
    function: 'evaluation',
    access: 'user',
    summary:
      'Record how a bidder explained an abnormally low price (lead, declared); such a bid cannot win without one',
    tag: 'evaluation',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/award',
    function: 'evaluation',
    access: 'user',
    summary:
      'Decide the award (lead, evaluation complete); standstill starts. Past the ranking only with an override reason',
    tag: 'evaluation',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/award/confirm',
    function: 'evaluation',
    access: 'user',
    summary: 'Confirm the award after standstill (lead); the contract is let',
    tag: 'evaluation',
    idempotent: true,
  },
] as const satisfies readonly RouteSpec[];
