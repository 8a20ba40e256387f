/**
 * Payment-by-results routes (issue 18, API.md "Payment by results"). Part of the route table
 * (`shared/http/routes.ts`).
 *
 * One function, `outcomes`: the prime's owners claim proxy outcomes, the prime's members and commissioners
 * read the mechanism, cohorts, claims and statement, and commissioners not connected to the prime or its
 * sub-contractors set the terms, enter cohorts and results and decide claims (the use cases decide who may
 * do what, so every route is open to any signed-in user). Every change is appended to the contract's audit
 * chain in its own transaction, blind: the function never reads the audit log.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const paymentByResultsFunctions = {
  outcomes: {
    entry: 'functions/payment-by-results/index.ts',
    description:
      'Payment by results: the payment mechanism (versioned), cohorts and proven results, proxy-outcome claims and decisions, and the outcome statement (JSON or CSV).',
    tables: {
      procurement: 'read',
      subcontracting: 'readWrite',
      registry: 'read',
      audit: 'appendBlind',
    },
    // Primes claim through it, so it serves provider organisations: no inside information at all (the
    // commissioner's side is contract terms and counts, guarded by the wall's connection rule in policy).
    facing: 'provider',
  },
} as const satisfies Record<string, FunctionSpec>;

const CONNECTED =
  'the caller is a commissioner who is or was a member of the prime or of a registered sub-contractor of the contract (the wall’s connection rule): ask another commissioner';

/** Routes of this context. */
export const paymentByResultsRoutes = [
  {
    method: 'PUT',
    path: '/contracts/{id}/payment-mechanism',
    function: 'outcomes',
    access: 'user',
    summary:
      'Set a new version of the payment mechanism (commissioners not connected to the prime or its sub-contractors): the first from any quarter of the contract, a later one only from a quarter not yet begun',
    tag: 'payment-by-results',
    idempotent: true,
    problems: [{ code: 'ethical-wall', when: CONNECTED }],
  },
  {
    method: 'GET',
    path: '/contracts/{id}/payment-mechanism',
    function: 'outcomes',
    access: 'user',
    summary:
      "The current payment mechanism and every version before it (the prime's members, commissioners); 404 when none is set",
    tag: 'payment-by-results',
  },
  {
    method: 'GET',
    path: '/contracts/{id}/cohorts',
    function: 'outcomes',
    access: 'user',
    summary:
      "Every cohort of the contract with its results, in period order (the prime's members, commissioners): one page, at most one cohort per quarter",
    tag: 'payment-by-results',
  },
  {
    method: 'PUT',
    path: '/contracts/{id}/cohorts/{period}',
    function: 'outcomes',
    access: 'user',
    summary:
      "A quarter's cohort by risk tier, counts only (commissioners not connected to the prime or its sub-contractors); correctable until its results are in",
    tag: 'payment-by-results',
    idempotent: true,
    problems: [
      { code: 'ethical-wall', when: CONNECTED },
      { code: 'invalid-state', when: 'the results of the quarter are already in' },
    ],
  },
  {
    method: 'PUT',
    path: '/contracts/{id}/cohorts/{period}/results',
    function: 'outcomes',
    access: 'user',
    summary:
      "A quarter's proven re-offending results by risk tier, as JSON or CSV (commissioners not connected to the prime or its sub-contractors), after the follow-up: the computed re-offending payment",
    tag: 'payment-by-results',
    idempotent: true,
    bodyTypes: ['json', 'csv'],
    problems: [
      { code: 'ethical-wall', when: CONNECTED },
      {
        code: 'invalid-state',
        when: 'the quarter has no cohort yet, its follow-up is not over, or no mechanism is in force for it',
      },
    ],
  },
  {
    method: 'POST',
    path: '/contracts/{id}/outcome-claims',
    function: 'outcomes',
    access: 'user',
    summary:
      'Claim a proxy outcome for participants named by pseudonymous reference (owners of the prime): 201 with the submitted claim',
    tag: 'payment-by-results',
    idempotent: true,
    problems: [
      {
        code: 'conflict',
        when: 'a participant of the claim is already claimed for the same outcome (nothing is written; the message names the participant’s position in the claim, never the reference)',
      },
      { code: 'invalid-state', when: 'no payment mechanism is in force for the period' },
    ],
  },
  {
    method: 'GET',
    path: '/contracts/{id}/outcome-claims',
    function: 'outcomes',
    access: 'user',
    summary:
      "A contract's claims in submission order, or (awaiting=true) those awaiting a decision (the prime's members, commissioners)",
    tag: 'payment-by-results',
  },
  {
    method: 'GET',
    path: '/contracts/{id}/outcome-claims/{claimId}',
    function: 'outcomes',
    access: 'user',
    summary: "A claim, with its decision once made (the prime's members, commissioners)",
    tag: 'payment-by-results',
  },
  {
    method: 'POST',
    path: '/contracts/{id}/outcome-claims/{claimId}/decision',
    function: 'outcomes',
    access: 'user',
    summary:
      'Validate a claim, in whole or in part, or reject it, with a reason (commissioners not connected to the prime or its sub-contractors); decisions are final',
    tag: 'payment-by-results',
    idempotent: true,
    problems: [
      { code: 'ethical-wall', when: CONNECTED },
      { code: 'invalid-state', when: 'the claim was already decided' },
    ],
  },
  {
    method: 'GET',
    path: '/contracts/{id}/outcome-statement',
    function: 'outcomes',
    access: 'user',
    summary:
      "The outcome statement to date: per quarter, upfront, proxy and re-offending payments, caps, totals and claims by status (the prime's members, commissioners); the same as CSV when Accept prefers text/csv",
    tag: 'payment-by-results',
  },
  {
    method: 'PUT',
    path: '/contracts/{id}/outcome-shares',
    function: 'outcomes',
    access: 'user',
    summary:
      'Record the shares of outcome payments the prime passes on to its registered sub-contractors (owners of the prime): the whole set, as a new version; each sub-contractor sees its shares on its payments page',
    tag: 'payment-by-results',
    idempotent: true,
    problems: [
      { code: 'invalid-state', when: 'no payment mechanism is set for the contract yet' },
      { code: 'conflict', when: 'someone else saved the shares at the same moment' },
    ],
  },
  {
    method: 'GET',
    path: '/contracts/{id}/outcome-shares',
    function: 'outcomes',
    access: 'user',
    summary:
      "The shares of outcome payments the prime passes on, each with what it comes to to date after the cap (the prime's members, commissioners)",
    tag: 'payment-by-results',
  },
] as const satisfies readonly RouteSpec[];
