/**
 * The commissioning workspace (issue 14): GOV.UK-styled pages for commissioners, panel members, auditors
 * and admins. Part of the route table (`shared/http/routes.ts`).
 *
 * These pages show and change inside information, so they are served by functions of their own that face
 * the inside of the wall (or oversight), never by the provider-facing web functions: a provider-facing
 * role cannot read the sealed table or the audit log at all, and these roles are not shared with them.
 * Every page calls the use case its JSON route calls, so the policy module decides each access and the
 * audit log records each inside read, on the web exactly as on the API.
 *
 * Like every page route they are `public` to API Gateway (browsers carry a session cookie, not a bearer
 * token) and marked `kind: 'page'`; each page demands a signed-in session and its use case decides the rest.
 */
import { type FunctionSpec, pagesOf, type RouteSpec } from '../route-types';

/** Functions of this context. */
export const webCommissioningFunctions = {
  webCommissioning: {
    entry: 'functions/web/commissioning.ts',
    description:
      'GOV.UK-styled commissioning workspace: your competitions, creating a draft, the task list, declarations, the wall and panel, publishing and cancelling.',
    // The same tables as the JSON `competitions` and `wall` functions' use cases it calls: competitions,
    // panels, declarations and exclusions (procurement); connection markers (sealed, read: who is connected
    // to a bidder); providers, memberships and the notifications publishing writes (registry); audit
    // appends. Plus the visitor's session.
    tables: {
      procurement: 'readWrite',
      sealed: 'read',
      registry: 'readWrite',
      audit: 'append',
      sessions: 'readWrite',
      // The OCDS releases of publishing, cancelling and answers to all (issue 16).
      publication: 'readWrite',
      // The outbox events of publishing, document changes and answers to all (issue 17).
      outbox: 'enqueue',
    },
    // Tender documents (issue 15): browser upload forms (POST straight to S3), the uploaded file checked
    // and copied to the version's own key before its version is recorded (as `documentConfirmations`),
    // and presigned downloads.
    documentsBucket: 'uploadAndConfirm',
    facing: 'inside',
  },
  webEvaluation: {
    entry: 'functions/web/evaluation.ts',
    description:
      'GOV.UK-styled evaluation pages: pre-qualification responses, marking and shortlisting; bids, scoring and moderation; the ranking, the award decision and its confirmation.',
    // The JSON `competitions` (marks, shortlist) and `evaluation` functions' tables: responses, bids, scores
    // and moderation (sealed), the competition and the contract an award lets (procurement), outcome
    // notifications (registry), audit appends.
    tables: {
      sealed: 'readWrite',
      procurement: 'readWrite',
      registry: 'readWrite',
      audit: 'append',
      sessions: 'readWrite',
      // The OCDS releases of the award, the contract, a new tender deadline and upheld challenges (issue 16).
      publication: 'readWrite',
      // The outcome events of a shortlist, an award decision and a challenge decision (issue 17).
      outbox: 'enqueue',
    },
    facing: 'inside',
  },
  webOversight: {
    entry: 'functions/web/oversight.ts',
    description:
      "GOV.UK-styled oversight pages: a competition's audit trail and its verification, breach alerts, the providers' verification queue (`route-table/web-oversight.ts`), and the sub-contracting dashboard.",
    // The JSON `audit` function's tables: a refused read is itself appended (and alerted). The verification
    // queue writes the registry (the provider verified or rejected, its directory entries and counts, its
    // notification), with the decision's audit event.
    tables: {
      audit: 'append',
      procurement: 'read',
      sealed: 'read',
      registry: 'readWrite',
      sessions: 'readWrite',
      // The sub-contracting dashboard (issue 16): the figure items kept on write, read only, as the JSON
      // `reports` function reads them.
      subcontracting: 'read',
    },
    facing: 'oversight',
  },
} as const satisfies Record<string, FunctionSpec>;

/** The page routes of each function (the builder `route-types.ts` gives every web route table). */
const pageOf = (fn: keyof typeof webCommissioningFunctions) => pagesOf(fn);
const commissioning = pageOf('webCommissioning');
const evaluation = pageOf('webEvaluation');
const oversight = pageOf('webOversight');

/** Routes of this context. */
export const webCommissioningRoutes = [
  // Your competitions, and a new one (fixed segments beside `/commissioning/{id}`: they win, as in API Gateway).
  commissioning('GET', '/commissioning', 'Your competitions: those you lead or sit on the panel of'),
  commissioning('GET', '/commissioning/new', 'Create a competition: starts at the first question'),
  commissioning('GET', '/commissioning/new/{step}', 'Create a competition: one question page'),
  commissioning('POST', '/commissioning/new/{step}', 'Create a competition: answer one question page'),
  // One competition: task list, declaration, the wall, publishing and cancelling.
  commissioning(
    'GET',
    '/commissioning/{id}',
    "A competition's task list and your place relative to its wall",
  ),
  commissioning('GET', '/commissioning/{id}/declaration', 'Your conflict-of-interest declaration'),
  commissioning('POST', '/commissioning/{id}/declaration', 'Sign your conflict-of-interest declaration'),
  commissioning('GET', '/commissioning/{id}/wall', 'The wall: panel, exclusions, insiders and declarations'),
  commissioning('POST', '/commissioning/{id}/wall/panel', 'Set the panel (evaluators and moderator)'),
  commissioning('POST', '/commissioning/{id}/wall/exclusions', 'Exclude someone from the competition'),
  commissioning('POST', '/commissioning/{id}/wall/exclusions/lift', 'Lift an exclusion'),
  commissioning('POST', '/commissioning/{id}/wall/clearance', "Clear a panel member's declared conflict"),
  // Every form's address answers GET too: a redirect (303) to the page the form is on.
  commissioning('GET', '/commissioning/{id}/wall/panel', 'The panel form’s address: to the wall page'),
  commissioning(
    'GET',
    '/commissioning/{id}/wall/exclusions',
    'The exclusion form’s address: to the wall page',
  ),
  commissioning(
    'GET',
    '/commissioning/{id}/wall/exclusions/lift',
    'The lift form’s address: to the wall page',
  ),
  commissioning(
    'GET',
    '/commissioning/{id}/wall/clearance',
    'The clearance form’s address: to the wall page',
  ),
  commissioning('GET', '/commissioning/{id}/publish', 'Check and publish a draft'),
  commissioning('POST', '/commissioning/{id}/publish', 'Publish a draft'),
  commissioning('GET', '/commissioning/{id}/cancel', 'Cancel a competition: give a reason'),
  commissioning('POST', '/commissioning/{id}/cancel', 'Cancel a competition'),
  // Clarification questions (issue 15): the log with who asked (insiders), and the lead's answers.
  commissioning('GET', '/commissioning/{id}/questions', 'Clarification questions, with who asked'),
  // Tender documents (issue 15): the list with versions, then a form that uploads straight to S3 and comes
  // back to `uploaded`, which records the version.
  commissioning('GET', '/commissioning/{id}/documents', 'Tender documents and their versions'),
  commissioning('POST', '/commissioning/{id}/documents', 'Add a document: choose the file to upload'),
  commissioning('GET', '/commissioning/{id}/documents/uploaded', 'Record an uploaded document version'),
  commissioning('GET', '/commissioning/{id}/documents/{documentId}', 'Upload a new version of a document'),
  commissioning(
    'POST',
    '/commissioning/{id}/documents/{documentId}',
    'A new version: choose the file to upload; or confirm or discard an upload not finished',
  ),
  commissioning('GET', '/commissioning/{id}/questions/{questionId}', 'Answer a clarification question'),
  commissioning('POST', '/commissioning/{id}/questions/{questionId}', 'Send the answer to a question'),
  // Pre-qualification responses, marking and the shortlist.
  evaluation(
    'GET',
    '/commissioning/{id}/responses',
    'Pre-qualification responses and their automatic results',
  ),
  evaluation('GET', '/commissioning/{id}/responses/{responseId}', 'One response and its marking form'),
  evaluation('POST', '/commissioning/{id}/responses/{responseId}', 'Mark a response'),
  evaluation('GET', '/commissioning/{id}/shortlist', 'Choose the shortlist'),
  evaluation('POST', '/commissioning/{id}/shortlist', 'Shortlist: invite the chosen applicants to tender'),
  // Bids, scoring and moderation.
  evaluation('GET', '/commissioning/{id}/bids', 'The bids, after the tender deadline'),
  evaluation('GET', '/commissioning/{id}/bids/{bidId}', 'One bid: your scoring form, or the moderation form'),
  evaluation('POST', '/commissioning/{id}/bids/{bidId}/scores', 'Save your scores for a bid'),
  evaluation(
    'POST',
    '/commissioning/{id}/bids/{bidId}/moderated-scores',
    'Save the moderated scores for a bid',
  ),
  evaluation(
    'POST',
    '/commissioning/{id}/bids/{bidId}/price-clarification',
    'Record how the bidder explained an abnormally low price (lead)',
  ),
  // The ranking and the award.
  evaluation('GET', '/commissioning/{id}/evaluation', 'The ranking, the award decision and its confirmation'),
  evaluation('POST', '/commissioning/{id}/evaluation/award', 'Decide the award (standstill begins)'),
  evaluation('POST', '/commissioning/{id}/evaluation/confirm', 'Confirm the award after standstill'),
  // Every form's address answers GET too: a redirect (303) to the page the form is on.
  evaluation(
    'GET',
    '/commissioning/{id}/evaluation/award',
    'The award form’s address: to the evaluation page',
  ),
  evaluation(
    'GET',
    '/commissioning/{id}/evaluation/confirm',
    'The confirm form’s address: to the evaluation page',
  ),
  evaluation('GET', '/commissioning/{id}/bids/{bidId}/scores', 'The scoring form’s address: to the bid page'),
  evaluation(
    'GET',
    '/commissioning/{id}/bids/{bidId}/moderated-scores',
    'The moderation form’s address: to the bid page',
  ),
  evaluation(
    'GET',
    '/commissioning/{id}/bids/{bidId}/price-clarification',
    'The price clarification form’s address: to the bid page',
  ),
  // Standstill challenges (issue 15): the list, one challenge, and the lead's decision.
  evaluation('GET', '/commissioning/{id}/challenges', 'Challenges of the award decision'),
  evaluation('GET', '/commissioning/{id}/challenges/{challengeId}', 'One challenge, and the decision form'),
  evaluation('POST', '/commissioning/{id}/challenges/{challengeId}', 'Decide a challenge'),
  // The contract a confirmed award let (a fixed segment beside `/commissioning/{id}`, like `alerts`).
  evaluation('GET', '/commissioning/contracts/{id}', 'A contract the award let: its basics'),
  // Oversight.
  oversight('GET', '/commissioning/{id}/audit', "A competition's audit trail and its verification"),
  oversight('GET', '/commissioning/alerts', 'Breach-attempt alerts'),
  // The sub-contracting dashboard (issue 16): fixed segments beside `/commissioning/{id}`, like `alerts`;
  // every table's CSV download by its file name under one route (`downloads` beside `{region}`).
  oversight('GET', '/commissioning/subcontracting', 'Sub-contracting across the network: figures and charts'),
  oversight(
    'GET',
    '/commissioning/subcontracting/{region}',
    "A region's sub-contracting figures and contracts",
  ),
  oversight(
    'GET',
    '/commissioning/subcontracting/downloads/{file}',
    'A sub-contracting table as CSV: regions, quarters, or a region’s quarters or contracts',
  ),
] as const satisfies readonly RouteSpec[];
