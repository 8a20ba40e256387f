/**
 * Payment by results (issue 18): GOV.UK-styled pages for the commissioner (the mechanism, cohorts, results,
 * claims to decide and the statement of a contract), for the prime (its outcome claims) and for the
 * sub-contractors who share in them. Part of the route table (`shared/http/routes.ts`).
 *
 * Two functions, split by side of the wall like the rest of the web front door: the commissioner's pages
 * live in the commissioning workspace (`/commissioning/…`), so `webOutcomesCommissioning` faces the inside
 * and shares no role with a provider-facing function; the prime's and the shares pages are
 * `webOutcomes`, on the provider side. Neither reaches sealed data (bids, evaluations): only the contract,
 * the supply chain and the payment-by-results partition of the subcontracting table; the use cases' policy
 * decides who may do what (a commissioner connected to the prime or its sub-contractors is refused by the
 * ethical wall).
 */
import { type FunctionSpec, pagesOf, type RouteSpec } from '../route-types';

/** Functions of this context. */
export const webOutcomesFunctions = {
  webOutcomes: {
    entry: 'functions/web/outcomes.ts',
    description:
      'GOV.UK-styled payment-by-results pages: the mechanism, cohorts, results, outcome claims and the statement of a contract.',
    // Contracts (procurement, read); the supply chain and the payment-by-results items (subcontracting,
    // readWrite); memberships for the policy's connection rule and the header (registry, read); each change
    // appended to the contract's audit chain without reading it (audit, appendBlind); the session record.
    tables: {
      procurement: 'read',
      subcontracting: 'readWrite',
      registry: 'read',
      audit: 'appendBlind',
      sessions: 'readWrite',
    },
    facing: 'provider',
  },
  webOutcomesCommissioning: {
    entry: 'functions/web/outcomes-commissioning.ts',
    description:
      'GOV.UK-styled payment-by-results pages for commissioners: the mechanism, cohorts, results, claims to decide and the statement of a contract.',
    // The same tables as the JSON `outcomes` function's commissioner side: contracts (procurement, read); the
    // supply chain and the payment-by-results items (subcontracting, readWrite); memberships for the wall's
    // connection rule and the header (registry, read); each change appended blind to the contract's audit
    // chain; the session record.
    tables: {
      procurement: 'read',
      subcontracting: 'readWrite',
      registry: 'read',
      audit: 'appendBlind',
      sessions: 'readWrite',
    },
    // The commissioning workspace: served from the inside of the wall, never by a provider-facing role.
    facing: 'inside',
  },
} as const satisfies Record<string, FunctionSpec>;

const outcomes = pagesOf('webOutcomes');
const commissionerOutcomes = pagesOf('webOutcomesCommissioning');

/** Routes of this context. */
export const webOutcomesRoutes = [
  // The commissioner's pages.
  commissionerOutcomes(
    'GET',
    '/commissioning/contracts/{id}/outcomes',
    'Payment by results of a contract: the mechanism, the statement, cohorts and claims to decide',
  ),
  commissionerOutcomes(
    'GET',
    '/commissioning/contracts/{id}/outcomes/statement.csv',
    'The outcome statement of a contract as a CSV download (commissioners)',
  ),
  commissionerOutcomes(
    'GET',
    '/commissioning/contracts/{id}/outcomes/mechanism',
    'Set a new version of the payment mechanism',
  ),
  commissionerOutcomes(
    'POST',
    '/commissioning/contracts/{id}/outcomes/mechanism',
    'Set a new version of the payment mechanism: save',
  ),
  commissionerOutcomes(
    'GET',
    '/commissioning/contracts/{id}/outcomes/cohort',
    "Enter a quarter's cohort sizes by risk tier",
  ),
  commissionerOutcomes(
    'POST',
    '/commissioning/contracts/{id}/outcomes/cohort',
    "Enter a quarter's cohort sizes: save",
  ),
  commissionerOutcomes(
    'GET',
    '/commissioning/contracts/{id}/outcomes/results',
    "Enter a quarter's proven results by risk tier",
  ),
  commissionerOutcomes(
    'POST',
    '/commissioning/contracts/{id}/outcomes/results',
    "Enter a quarter's results: save",
  ),
  commissionerOutcomes(
    'GET',
    '/commissioning/contracts/{id}/outcomes/claims/{claimId}',
    'An outcome claim with its participants, to validate (whole or in part) or reject',
  ),
  commissionerOutcomes(
    'POST',
    '/commissioning/contracts/{id}/outcomes/claims/{claimId}',
    'Decide an outcome claim',
  ),
  // The prime's pages: its members read, its owners claim (the use cases' policy decides).
  outcomes(
    'GET',
    '/your-contracts/{id}/outcomes',
    "A prime's payment by results: the mechanism in force, the statement and its claims",
  ),
  outcomes(
    'GET',
    '/your-contracts/{id}/outcomes/statement.csv',
    "A prime's outcome statement as a CSV download",
  ),
  outcomes('GET', '/your-contracts/{id}/outcomes/claim', 'Claim an outcome payment (owners of the prime)'),
  outcomes('POST', '/your-contracts/{id}/outcomes/claim', 'Claim an outcome payment: submit'),
  outcomes(
    'GET',
    '/your-contracts/{id}/outcomes/shares',
    'The shares of outcome payments the prime passes on to its sub-contractors (owners change them)',
  ),
  outcomes(
    'POST',
    '/your-contracts/{id}/outcomes/shares',
    'The shares of outcome payments passed on: save a new version',
  ),
] as const satisfies readonly RouteSpec[];
