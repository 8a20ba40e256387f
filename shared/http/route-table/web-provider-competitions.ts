/**
 * The provider's competition journey on the web (issue 15): your competitions, the pre-qualification
 * questionnaire and the bid. Part of the route table (`shared/http/routes.ts`).
 *
 * These pages write a provider's own sealed data (its pre-qualification response, its bid), so, like the
 * JSON `prequalification` and `tenders` functions whose use cases they call, their functions' own roles
 * read competitions and the registry only, and each request reaches the provider's own sealed partition
 * through a role assumed for that provider (`providerDataRole`, `shared/db/provider-data.ts`): one function
 * per kind of provider data role, so neither holds the other's grants. They face providers: no sealed read
 * beyond that role's, no audit read.
 *
 * Like every page route they are `public` to API Gateway (browsers carry a session cookie, not a bearer
 * token) and marked `kind: 'page'`; each page demands a signed-in session and its use case decides the rest.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const webProviderCompetitionsFunctions = {
  webApplying: {
    entry: 'functions/web/applying.ts',
    description:
      'GOV.UK-styled pre-qualification pages for providers: the questionnaire of the competition’s tier, consortium members, check your answers, submit.',
    // The JSON `prequalification` function's tables: competitions and the registry (providers,
    // memberships, accreditations) on its own role; the applicant's response, connection markers and audit
    // event through the applicant role. Plus the visitor's session (and the draft answers kept with it).
    tables: { procurement: 'read', registry: 'read', sessions: 'readWrite' },
    providerDataRole: 'applicant',
    facing: 'provider',
  },
  webBidding: {
    entry: 'functions/web/bidding.ts',
    description:
      'GOV.UK-styled pages for bidders: your competitions, the bid task list, saving a draft, checking, submitting, resubmitting and withdrawing a bid; agreeing to be named in another’s bid.',
    // The JSON `tenders` function's tables: competitions and the registry on its own role; the bidder's own
    // bid partition (and its participation list), connection markers and audit events through the bidder
    // role. Plus the visitor's session.
    tables: { procurement: 'read', registry: 'read', sessions: 'readWrite' },
    providerDataRole: 'bidder',
    facing: 'provider',
  },
  webQuestions: {
    entry: 'functions/web/provider-questions.ts',
    description:
      'GOV.UK-styled clarification questions page for providers: ask, and read your organisation’s questions and the published answers.',
    // The JSON `askQuestion` function's tables (the question and its guards; the registry read; the audit
    // event, blind; the taking-part mark, blind) and the outside view of the log (procurement read). No
    // sealed table. Plus the session.
    tables: {
      procurement: 'readWrite',
      registry: 'read',
      audit: 'appendBlind',
      outbox: 'mark',
      sessions: 'readWrite',
    },
    facing: 'provider',
  },
} as const satisfies Record<string, FunctionSpec>;

type PageMethod = 'GET' | 'POST';
const pageOf =
  (fn: keyof typeof webProviderCompetitionsFunctions) =>
  (method: PageMethod, path: string, summary: string) =>
    ({ method, path, function: fn, access: 'public', summary, tag: 'web', kind: 'page' }) as const;
const applying = pageOf('webApplying');
const bidding = pageOf('webBidding');
const asking = pageOf('webQuestions');

/** Routes of this context. */
export const webProviderCompetitionsRoutes = [
  bidding(
    'GET',
    '/your-competitions',
    'Your competitions: those your organisations take part in, and what to do next',
  ),
  // Pre-qualification: start, one topic per page, consortium, check (POST applies), confirmation.
  applying(
    'GET',
    '/your-competitions/{id}/prequalification',
    'Apply: what the questionnaire asks, and start',
  ),
  applying(
    'GET',
    '/your-competitions/{id}/prequalification/{step}',
    'Apply: one topic, the consortium, check your answers, or the confirmation',
  ),
  applying(
    'POST',
    '/your-competitions/{id}/prequalification/{step}',
    'Apply: keep one page of answers, or apply (check)',
  ),
  // Which organisation a user of several that may bid is bidding for (kept with the session, checked by the
  // policy on every bid page).
  bidding(
    'GET',
    '/your-competitions/{id}/organisation',
    'Which organisation are you bidding for? (when several of yours may bid)',
  ),
  bidding('POST', '/your-competitions/{id}/organisation', 'Choose the organisation you are bidding for'),
  // The bid: task list, one page per task, check, submit, receipt, withdraw.
  bidding(
    'GET',
    '/your-competitions/{id}/bid',
    'Your bid: the task list, or the bid read-only after the deadline',
  ),
  bidding('GET', '/your-competitions/{id}/bid/quality/{criterion}', 'Your bid: answer one quality criterion'),
  bidding(
    'POST',
    '/your-competitions/{id}/bid/quality/{criterion}',
    'Your bid: save the answer to a quality criterion',
  ),
  bidding('GET', '/your-competitions/{id}/bid/price', 'Your bid: your price'),
  bidding('POST', '/your-competitions/{id}/bid/price', 'Your bid: save your price'),
  bidding('GET', '/your-competitions/{id}/bid/subcontractors', 'Your bid: sub-contractors'),
  bidding('POST', '/your-competitions/{id}/bid/subcontractors', 'Your bid: add or remove a sub-contractor'),
  bidding('GET', '/your-competitions/{id}/bid/check', 'Your bid: check it before submitting'),
  bidding('POST', '/your-competitions/{id}/bid/submit', 'Your bid: submit it (the next version)'),
  bidding('GET', '/your-competitions/{id}/bid/receipt', 'Your bid: the receipt, with its version and time'),
  bidding('GET', '/your-competitions/{id}/bid/withdraw', 'Your bid: withdraw it?'),
  bidding('POST', '/your-competitions/{id}/bid/withdraw', 'Your bid: withdraw it'),
  // After the award decision (issue 15): the debrief, and a challenge during standstill.
  bidding('GET', '/your-competitions/{id}/debrief', 'Your debrief: your points and the winning bid’s'),
  bidding('GET', '/your-competitions/{id}/challenge', 'Challenge the award decision, or see your challenge'),
  bidding('POST', '/your-competitions/{id}/challenge', 'Raise a challenge of the award decision'),
  // Consent: an owner agrees that their organisation may be named in another's bid or application
  // (`agreeToBeNamed`, whose partner agreement items the bidder role reaches, as the JSON `tenders` function).
  bidding(
    'GET',
    '/your-competitions/{id}/partnership',
    'Agree to be named in a bid: what it means, and which organisation agrees',
  ),
  bidding('POST', '/your-competitions/{id}/partnership', 'Agree to be named in another organisation’s bid'),
  // Clarification questions: ask, your organisation's questions, the published answers.
  asking('GET', '/your-competitions/{id}/questions', 'Clarification questions: ask, and read the answers'),
  asking('POST', '/your-competitions/{id}/questions', 'Ask a clarification question'),
] as const satisfies readonly RouteSpec[];
