/**
 * National Provider Network routes. Part of the route table (`shared/http/routes.ts`).
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const providersFunctions = {
  providers: {
    entry: 'functions/providers/index.ts',
    description:
      'Provider registration, profiles, membership, verification and rejection, accreditation and notifications.',
    // Verifying and rejecting put their audit event (and a refused attempt's) in the provider's own audit
    // chain, blind: this provider-facing function reads nothing of the audit log.
    tables: { registry: 'readWrite', audit: 'appendBlind' },
    facing: 'provider',
  },
  directory: {
    entry: 'functions/providers/directory.ts',
    description: 'The public directory of verified providers (read-only).',
    tables: { registry: 'read' },
    facing: 'public',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const providersRoutes = [
  {
    method: 'POST',
    path: '/providers',
    function: 'providers',
    access: 'user',
    summary: 'Register an organisation; the caller becomes its owner',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/providers/{id}',
    function: 'providers',
    access: 'user',
    summary: "A provider's full profile (members, commissioners, admins)",
    tag: 'providers',
  },
  {
    method: 'PATCH',
    path: '/providers/{id}',
    function: 'providers',
    access: 'user',
    summary: "Edit a provider's profile (owners)",
    tag: 'providers',
  },
  {
    method: 'POST',
    path: '/providers/{id}/members',
    function: 'providers',
    access: 'user',
    summary: 'Invite a member or owner (owners); they join only when they accept',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'DELETE',
    path: '/providers/{id}/members/{sub}',
    function: 'providers',
    access: 'user',
    summary: 'Leave the organisation (any member), or remove a member (owners); the last owner cannot go',
    tag: 'providers',
  },
  {
    method: 'GET',
    path: '/providers/{id}/invitations',
    function: 'providers',
    access: 'user',
    summary: "The organisation's open invitations (owners and members)",
    tag: 'providers',
  },
  {
    method: 'DELETE',
    path: '/providers/{id}/invitations/{invitationId}',
    function: 'providers',
    access: 'user',
    summary: 'Withdraw an open invitation (owners)',
    tag: 'providers',
  },
  {
    method: 'POST',
    path: '/providers/{id}/verify',
    function: 'providers',
    // Any signed-in user reaches the policy, which admits admins and records every refusal in the
    // provider's audit chain, exactly as the verification queue's pages do: no earlier, silent role check.
    access: 'user',
    summary: 'Verify a pending provider, listing it in the directory (admins; a refusal is audited)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/providers/{id}/reject',
    function: 'providers',
    // As verify: admins decide, and a refusal is recorded in the provider's audit chain.
    access: 'user',
    summary:
      'Reject a pending provider with a reason its members see; corrected, it comes back for verification (admins; a refusal is audited)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'PUT',
    path: '/providers/{id}/accreditation',
    function: 'providers',
    access: 'user',
    summary: 'Give the once-only accreditation, current for 12 months (owners)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/providers/{id}/accreditation',
    function: 'providers',
    access: 'user',
    summary: "A provider's accreditation (members, commissioners, admins)",
    tag: 'providers',
  },
  {
    method: 'GET',
    path: '/me/invitations',
    function: 'providers',
    access: 'user',
    summary: "The caller's open invitations to join organisations",
    tag: 'providers',
  },
  {
    method: 'POST',
    path: '/me/invitations/{id}/accept',
    function: 'providers',
    access: 'user',
    summary: 'Accept an invitation (the invited user only): become a member',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'POST',
    path: '/me/invitations/{id}/decline',
    function: 'providers',
    access: 'user',
    summary: 'Decline an invitation (the invited user only)',
    tag: 'providers',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/me/notifications',
    function: 'providers',
    access: 'user',
    summary: "Notifications for the caller's organisations, newest first",
    tag: 'providers',
  },
  {
    method: 'GET',
    path: '/directory',
    function: 'directory',
    access: 'public',
    summary: 'Verified providers by region, service, sector and size, ordered by name',
    tag: 'providers',
  },
] as const satisfies readonly RouteSpec[];
