/**
 * Contracts and sub-contracting routes. Part of the route table (`shared/http/routes.ts`).
 *
 * Two functions, split by trust boundary: `contracts` serves the prime, its sub-contractors and the
 * commissioners (contracts, supply chains, returns, disputes, a contract's figures) and reads the registry
 * for memberships and sub-contractor profiles; `reports` only reads the regional figure items.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const subcontractingFunctions = {
  contracts: {
    entry: 'functions/subcontracting/index.ts',
    description:
      'Contracts, supply chains, versioned spend returns (JSON or CSV) with figures maintained on write, disputes and the sub-contractor view.',
    // Each accepted return is published as an OCDS implementation release with it (publication); a dispute
    // tells the prime's owners by an outbox event written with it (issue 17).
    tables: {
      procurement: 'readWrite',
      subcontracting: 'readWrite',
      registry: 'read',
      publication: 'readWrite',
      outbox: 'enqueue',
    },
    // Primes and sub-contractors (and commissioners reading returns): no inside information at all.
    facing: 'provider',
  },
  reports: {
    entry: 'functions/subcontracting/reports.ts',
    description: 'The national sub-contracting report from the regional figure items (read-only).',
    tables: { subcontracting: 'read' },
    facing: 'oversight',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const subcontractingRoutes = [
  {
    method: 'POST',
    path: '/contracts',
    function: 'contracts',
    access: ['commissioner'],
    summary: 'Register a contract let before this service existed (commissioners)',
    tag: 'contracts',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/contracts',
    function: 'contracts',
    access: ['commissioner', 'admin', 'auditor'],
    summary: 'Every contract, newest first',
    tag: 'contracts',
  },
  {
    method: 'GET',
    path: '/contracts/{id}',
    function: 'contracts',
    access: 'user',
    summary: "A contract (the prime's members, commissioners, admins)",
    tag: 'contracts',
  },
  {
    method: 'GET',
    path: '/providers/{id}/contracts',
    function: 'contracts',
    access: 'user',
    summary: 'Contracts a provider is prime of, newest first (its members, commissioners, admins)',
    tag: 'contracts',
  },
  {
    method: 'PUT',
    path: '/contracts/{id}/supply-chain',
    function: 'contracts',
    access: 'user',
    summary: "Declare the contract's sub-contractors (owners of the prime)",
    tag: 'subcontracting',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/contracts/{id}/supply-chain',
    function: 'contracts',
    access: 'user',
    summary: "The contract's supply chain (the prime's members, commissioners, admins)",
    tag: 'subcontracting',
  },
  {
    method: 'PUT',
    path: '/contracts/{id}/spend-returns/{period}',
    function: 'contracts',
    access: 'user',
    summary:
      "File a quarter's payments to sub-contractors as JSON or CSV (owners of the prime), once the quarter is over: 201 with a new version, 200 when the body matches the current one",
    tag: 'subcontracting',
    idempotent: true,
    bodyTypes: ['json', 'csv'],
  },
  {
    method: 'GET',
    path: '/contracts/{id}/spend-returns/{period}',
    function: 'contracts',
    access: 'user',
    summary: "A version of a quarter's return (default the latest), with its disputes",
    tag: 'subcontracting',
  },
  {
    method: 'GET',
    path: '/contracts/{id}/subcontracting',
    function: 'contracts',
    access: 'user',
    summary: "A contract's sub-contracting figures against its targets, cumulative and per quarter",
    tag: 'subcontracting',
  },
  {
    method: 'POST',
    path: '/contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes',
    function: 'contracts',
    access: 'user',
    summary:
      'Dispute a line reported as paid to your organisation (its members); a line already disputed: 409 /problems/conflict',
    tag: 'subcontracting',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/contracts/{id}/disputes',
    function: 'contracts',
    access: 'user',
    summary: "Disputes of a contract's returns (the prime's members, commissioners, admins)",
    tag: 'subcontracting',
  },
  {
    method: 'GET',
    path: '/providers/{id}/subcontract-payments',
    function: 'contracts',
    access: 'user',
    summary: 'Lines primes reported as paid to this provider, newest quarter first (its members)',
    tag: 'subcontracting',
  },
  {
    method: 'GET',
    path: '/reports/subcontracting',
    function: 'reports',
    access: ['commissioner', 'admin', 'auditor'],
    summary: 'Sub-contracting figures summed over contracts, with a per-region breakdown',
    tag: 'subcontracting',
  },
] as const satisfies readonly RouteSpec[];
