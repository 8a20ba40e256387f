/**
 * The web front door: GOV.UK-styled HTML pages for providers (issue 7). Part of the route table
 * (`shared/http/routes.ts`).
 *
 * Every page route is `public` to API Gateway and marked `kind: 'page'`: browsers carry a session cookie,
 * not a bearer token, so the JWT authorizer cannot stand in front of them; the web function opens the
 * (encrypted) session cookie itself and each page that needs a signed-in user demands one. Paths are
 * GOV.UK-style and never collide with the JSON routes. The local developer sign-in page is deliberately
 * absent: the local gateway serves it itself (`local/web-sign-in.ts`), so it can never be deployed.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const webFunctions = {
  web: {
    entry: 'functions/web/index.ts',
    description:
      'GOV.UK-styled pages: start, sign-in, registration, directory, opportunities, your organisation.',
    // The same use cases as the provider-facing JSON routes: the registry (registration, profiles,
    // members, accreditation, notifications) and the public side of competitions. No sealed data, no audit.
    tables: { registry: 'readWrite', procurement: 'read' },
    facing: 'provider',
  },
  webSignIn: {
    entry: 'functions/web/sign-in.ts',
    description: 'Web sign-in and sign-out: Cognito hosted sign-in with PKCE, the session cookie.',
    // It swaps codes for tokens and sets cookies; it needs no table at all.
    tables: {},
    facing: 'public',
  },
  webContracts: {
    entry: 'functions/web/contracts.ts',
    description:
      'GOV.UK-styled pages for primes and sub-contractors: contracts, spend returns, payments, disputes.',
    // A function of its own with the JSON `contracts` function's access, so the main web function need
    // not write to the procurement and sub-contracting tables.
    tables: { procurement: 'readWrite', subcontracting: 'readWrite', registry: 'read' },
    facing: 'provider',
  },
} as const satisfies Record<string, FunctionSpec>;

const page = (method: 'GET' | 'POST', path: string, summary: string) =>
  ({ method, path, function: 'web', access: 'public', summary, tag: 'web', kind: 'page' }) as const;
const signInPage = (method: 'GET' | 'POST', path: string, summary: string) =>
  ({ method, path, function: 'webSignIn', access: 'public', summary, tag: 'web', kind: 'page' }) as const;
const contractPage = (method: 'GET' | 'POST', path: string, summary: string) =>
  ({ method, path, function: 'webContracts', access: 'public', summary, tag: 'web', kind: 'page' }) as const;

/** Routes of this context. */
export const webRoutes = [
  page('GET', '/', 'Start page'),
  signInPage('GET', '/sign-in', 'Sign in (Cognito hosted sign-in with PKCE)'),
  signInPage('GET', '/sign-in/callback', 'Where Cognito returns after sign-in'),
  signInPage('POST', '/sign-out', 'Sign out'),
  page('GET', '/find-a-provider', 'The directory of verified providers'),
  page('GET', '/find-a-provider/{id}', "A provider's public page"),
  page('GET', '/find-an-opportunity', 'Open opportunities'),
  page('GET', '/find-an-opportunity/{id}', 'A published competition'),
  page('GET', '/register-organisation/{step}', 'Register an organisation: one question page'),
  page('POST', '/register-organisation/{step}', 'Register an organisation: answer one question page'),
  page('GET', '/your-organisation', 'Your organisations'),
  page('GET', '/your-organisation/{id}', 'Your organisation: profile'),
  page('GET', '/your-organisation/{id}/members', 'Your organisation: members'),
  page('POST', '/your-organisation/{id}/members', 'Your organisation: add a member'),
  page('GET', '/your-organisation/{id}/accreditation', 'Your organisation: accreditation'),
  page('POST', '/your-organisation/{id}/accreditation', 'Your organisation: file the accreditation'),
  page('GET', '/your-organisation/{id}/notifications', 'Your organisation: notifications'),
  contractPage('GET', '/your-contracts', 'Contracts your organisations are prime of'),
  contractPage('GET', '/your-contracts/{id}', 'A contract: figures and spend returns'),
  contractPage('POST', '/your-contracts/{id}/spend-returns', 'File a spend return (CSV)'),
  contractPage('GET', '/your-payments', 'Payments primes reported to your organisations'),
  contractPage('GET', '/your-payments/dispute', 'Dispute a reported payment'),
  contractPage('POST', '/your-payments/dispute', 'Dispute a reported payment: send'),
] as const satisfies readonly RouteSpec[];
