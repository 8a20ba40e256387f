/**
 * Competitions, the ethical wall, pre-qualification and audit routes. Part of the route table (`shared/http/routes.ts`).
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const competitionsFunctions = {
  competitions: {
    entry: 'functions/competitions/index.ts',
    description:
      'Commissioner side of competitions: create, publish (matching providers told through the outbox), cancel, pre-qualification marking and shortlisting; reads through the ethical wall.',
    // Publishing, cancelling and a new tender deadline at shortlisting write their OCDS releases (publication).
    // Publishing records its outbox event in its transaction (issue 17: the delivery tells matching providers).
    tables: {
      procurement: 'readWrite',
      sealed: 'readWrite',
      registry: 'readWrite',
      audit: 'append',
      publication: 'readWrite',
      outbox: 'enqueue',
    },
    facing: 'inside',
  },
  wall: {
    entry: 'functions/competitions/wall.ts',
    description:
      'Running the ethical wall: the panel, declarations and their clearance, exclusions and their lifting, the wall view.',
    // Panel, declaration and exclusion histories live with the competition (procurement); who is connected
    // is read from the connection markers (sealed) and memberships (registry); every change is audited.
    tables: { procurement: 'readWrite', sealed: 'read', registry: 'read', audit: 'append' },
    facing: 'inside',
  },
  opportunities: {
    entry: 'functions/competitions/opportunities.ts',
    description: 'Public list of open opportunities (read-only, no inside information).',
    tables: { procurement: 'read' },
    facing: 'public',
  },
  prequalification: {
    entry: 'functions/prequalification/index.ts',
    description:
      "Provider side of pre-qualification: submit a response. Its own role reads competitions and the registry; each request puts its applicant's own response (and connection markers, and the audit event) through a role assumed for that applicant, blind.",
    tables: { procurement: 'read', registry: 'read' },
    providerDataRole: 'applicant',
    facing: 'provider',
  },
  audit: {
    entry: 'functions/audit/index.ts',
    description: 'Audit trails, chain verification and alerts for auditors and admins.',
    // Append: a refused read is itself recorded (and alerted).
    tables: { audit: 'append', procurement: 'read', sealed: 'read', registry: 'read' },
    facing: 'oversight',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const competitionsRoutes = [
  {
    method: 'GET',
    path: '/me/competitions',
    function: 'competitions',
    access: ['commissioner', 'auditor', 'admin'],
    summary:
      'Competitions you lead or sit on the panel of (every competition for auditors and admins), newest first, with what is waiting for you',
    tag: 'competitions',
  },
  {
    method: 'POST',
    path: '/competitions',
    function: 'competitions',
    access: ['commissioner'],
    summary: 'Create a draft competition; the caller becomes its lead',
    tag: 'competitions',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}',
    function: 'competitions',
    access: 'public',
    summary: 'A published competition; insiders also see its confidential section',
    tag: 'competitions',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/publish',
    function: 'competitions',
    access: ['commissioner'],
    summary: 'Publish a draft (lead); matching providers are notified',
    tag: 'competitions',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/cancel',
    function: 'competitions',
    access: ['commissioner'],
    summary: 'Cancel a competition (lead)',
    tag: 'competitions',
    idempotent: true,
  },
  {
    method: 'PUT',
    path: '/competitions/{id}/panel',
    function: 'wall',
    access: 'user',
    summary: 'Set the evaluation panel (lead); nobody outside the wall may sit on it',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/declarations',
    function: 'wall',
    access: 'user',
    summary: 'Sign a conflict of interest declaration (lead or panel member)',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/wall/exclusions',
    function: 'wall',
    access: 'user',
    summary: 'Exclude someone from the competition (lead)',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/declarations/{sub}/clearance',
    function: 'wall',
    access: 'user',
    summary:
      "Clear a declared conflict with a reason: the lead clears a panel member's, an admin the lead's; never one's own",
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/wall/exclusions/{sub}/lift',
    function: 'wall',
    access: 'user',
    summary: 'Lift an exclusion with a reason (lead, declared and inside the wall)',
    tag: 'wall',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/wall',
    function: 'wall',
    access: 'user',
    summary: 'Insiders, exclusions and declarations (lead, auditors, admins)',
    tag: 'wall',
  },
  {
    method: 'GET',
    path: '/opportunities',
    function: 'opportunities',
    access: 'public',
    summary: 'Published competitions still open, by region and service, closing soonest first',
    tag: 'competitions',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/audit',
    function: 'audit',
    // Any signed-in user reaches the policy, which admits auditors and admins and records every refusal
    // (alerting one from outside the wall), exactly as the audit page does: no earlier, silent role check.
    access: 'user',
    summary: "A competition's audit trail, oldest first (auditors and admins; a refusal is audited)",
    tag: 'audit',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/audit/verify',
    function: 'audit',
    access: 'user',
    summary: "Recompute a competition's hash chain (auditors and admins; a refusal is audited)",
    tag: 'audit',
  },
  {
    method: 'GET',
    path: '/alerts',
    function: 'audit',
    access: ['admin', 'auditor'],
    summary: 'Denied attempts from outside ethical walls, newest first',
    tag: 'audit',
  },
  {
    method: 'GET',
    path: '/competitions/{id}/questionnaire',
    function: 'opportunities',
    access: 'public',
    summary: "The pre-qualification questions of a published competition's tier",
    tag: 'prequalification',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/prequalification-responses',
    function: 'prequalification',
    access: 'user',
    summary: 'Apply (owner of a verified provider), alone or leading a consortium, before the deadline',
    tag: 'prequalification',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/prequalification-responses',
    function: 'competitions',
    access: 'user',
    summary: 'Responses with automatic results and marks (insiders, after the deadline)',
    tag: 'prequalification',
  },
  {
    method: 'PUT',
    path: '/competitions/{id}/prequalification-responses/{responseId}/marks',
    function: 'competitions',
    access: 'user',
    summary: "An evaluator's mark on a response",
    tag: 'prequalification',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/competitions/{id}/shortlist',
    function: 'competitions',
    access: 'user',
    summary: 'Shortlist applicants and open tendering (lead); applicants are told',
    tag: 'prequalification',
    idempotent: true,
  },
] as const satisfies readonly RouteSpec[];
