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
import { type FunctionSpec, pagesOf, type RouteSpec } from '../route-types';

/** Functions of this context. */
export const webFunctions = {
  web: {
    entry: 'functions/web/index.ts',
    description:
      'GOV.UK-styled public pages: start, directory, opportunities, and the Page not found page for any other address.',
    // Anyone's pages: read-only. The directory and providers (registry), published competitions
    // (procurement); nothing is written but the visitor's session record (every web function checks and
    // refreshes it), and no sealed data or audit log is reachable with its own role.
    tables: { registry: 'read', procurement: 'read', sessions: 'readWrite' },
    // A signed-in member's own organisation's participation item (applied, bid drafted or submitted), read
    // through a role assumed for that organisation, so the opportunity page offers "View or change your
    // bid" rather than "Start your bid": a Query of that organisation's list alone, nothing written.
    providerDataRole: 'viewer',
    // The opportunity page's tender documents: presigned downloads of published competitions' files.
    documentsBucket: 'download',
    facing: 'provider',
  },
  webAccount: {
    entry: 'functions/web/account.ts',
    description:
      'GOV.UK-styled pages for signed-in users: registration, your account, your organisations (profile, members, invitations, accreditation, notifications), your alerts; and the unsubscribe pages of e-mail links.',
    // The same use cases as the provider-facing JSON routes over the registry (registration, profiles,
    // members and invitations, accreditation, notifications, e-mail preferences and saved searches, and
    // one-click unsubscribe, which writes the same subscriptions item). No sealed data, no audit.
    tables: { registry: 'readWrite', sessions: 'readWrite' },
    facing: 'provider',
  },
  webSignIn: {
    entry: 'functions/web/sign-in.ts',
    description: 'Web sign-in and sign-out: Cognito hosted sign-in with PKCE, the session cookie.',
    // It swaps codes for tokens, starts and ends sessions and sets cookies: the sessions table alone.
    tables: { sessions: 'readWrite' },
    facing: 'public',
  },
  webContracts: {
    entry: 'functions/web/contracts.ts',
    description: 'GOV.UK-styled pages for primes: contracts, their figures and supply chain, spend returns.',
    // A function of its own, so the main web function need not write to the sub-contracting table. It
    // reads contracts (procurement) and never creates one: that is the JSON `contracts` function's.
    // A return's OCDS implementation release is written with it (publication), as by the JSON route.
    tables: {
      procurement: 'read',
      subcontracting: 'readWrite',
      registry: 'read',
      sessions: 'readWrite',
      publication: 'readWrite',
    },
    facing: 'provider',
  },
  webPayments: {
    entry: 'functions/web/payments.ts',
    description: 'GOV.UK-styled pages for sub-contractors: payments primes reported to them, and disputes.',
    // It reads contracts and providers and writes only disputes (with their open-dispute markers), and the
    // outbox event that tells the prime's owners of one (issue 17).
    tables: {
      procurement: 'read',
      subcontracting: 'readWrite',
      registry: 'read',
      sessions: 'readWrite',
      outbox: 'enqueue',
    },
    facing: 'provider',
  },
} as const satisfies Record<string, FunctionSpec>;

const page = pagesOf('web');
const accountPage = pagesOf('webAccount');
const signInPage = pagesOf('webSignIn');
const contractPage = pagesOf('webContracts');
const paymentPage = pagesOf('webPayments');

/** Routes of this context. */
export const webRoutes = [
  page('GET', '/', 'Start page'),
  signInPage('GET', '/sign-in', 'Sign in (Cognito hosted sign-in with PKCE)'),
  signInPage('GET', '/sign-in/callback', 'Where Cognito returns after sign-in'),
  signInPage('GET', '/sign-out', 'Sign out: a page with the button, for a direct visit or a reload'),
  signInPage('POST', '/sign-out', 'Sign out'),
  page('GET', '/find-a-provider', 'The directory of verified providers'),
  page('GET', '/find-a-provider/{id}', "A provider's public page"),
  page('GET', '/find-an-opportunity', 'Open opportunities'),
  page('GET', '/find-an-opportunity/{id}', 'A published competition'),
  accountPage('GET', '/register-organisation', 'Register an organisation: starts at the first question'),
  accountPage('GET', '/register-organisation/{step}', 'Register an organisation: one question page'),
  accountPage('POST', '/register-organisation/{step}', 'Register an organisation: answer one question page'),
  accountPage('GET', '/your-account', 'Your account: who you are, your roles, what you can do here'),
  accountPage('GET', '/your-organisation', 'Your organisations'),
  accountPage('GET', '/your-organisation/{id}', 'Your organisation: profile'),
  accountPage('GET', '/your-organisation/{id}/edit', 'Your organisation: change its details'),
  accountPage('POST', '/your-organisation/{id}/edit', 'Your organisation: save its details'),
  accountPage('GET', '/your-organisation/{id}/members', 'Your organisation: members'),
  accountPage('POST', '/your-organisation/{id}/members', 'Your organisation: invite someone to join'),
  accountPage(
    'POST',
    '/your-organisation/{id}/members/remove',
    'Your organisation: leave, or remove a member',
  ),
  accountPage(
    'POST',
    '/your-organisation/{id}/invitations/withdraw',
    'Your organisation: withdraw an invitation',
  ),
  accountPage('GET', '/your-invitations', 'Your invitations to join organisations'),
  accountPage('POST', '/your-invitations/{id}/accept', 'Accept an invitation: join the organisation'),
  accountPage('POST', '/your-invitations/{id}/decline', 'Decline an invitation'),
  accountPage('GET', '/your-organisation/{id}/accreditation', 'Your organisation: accreditation'),
  accountPage('POST', '/your-organisation/{id}/accreditation', 'Your organisation: file the accreditation'),
  accountPage('GET', '/your-organisation/{id}/notifications', 'Your organisation: notifications'),
  accountPage('GET', '/your-alerts', 'Your alerts: saved searches and which e-mails you get'),
  accountPage('POST', '/your-alerts', 'Your alerts: save which e-mails you get'),
  accountPage('GET', '/your-alerts/search', 'Your alerts: add a saved search, or change one (?id=)'),
  accountPage('POST', '/your-alerts/search', 'Your alerts: save a saved search'),
  accountPage('POST', '/your-alerts/search/remove', 'Your alerts: remove a saved search'),
  accountPage(
    'GET',
    '/unsubscribe/{token}',
    "An e-mail's unsubscribe link: stop these e-mails? (no sign-in)",
  ),
  accountPage(
    'POST',
    '/unsubscribe/{token}/confirm',
    'Stop the e-mails an unsubscribe link names, and confirm',
  ),
  contractPage('GET', '/your-contracts', 'Contracts your organisations are prime of'),
  contractPage('GET', '/your-contracts/{id}', 'A contract: figures and spend returns'),
  contractPage(
    'GET',
    '/your-contracts/{id}/spend-returns',
    "The spend-return form's address: back to the contract",
  ),
  contractPage('POST', '/your-contracts/{id}/spend-returns', 'File a spend return (CSV file or pasted rows)'),
  paymentPage('GET', '/your-payments', 'Payments primes reported to your organisations'),
  paymentPage('GET', '/your-payments/dispute', 'Dispute a reported payment'),
  paymentPage('POST', '/your-payments/dispute', 'Dispute a reported payment: send'),
] as const satisfies readonly RouteSpec[];
