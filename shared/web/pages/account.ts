/**
 * "Your account": who the signed-in user is, their roles, their organisations and what they can do on the
 * web today. The landing page after sign-in for commissioners, admins and auditors: it points them at the
 * commissioning workspace (`/commissioning`, also in the header) and, for integrations, the API. It reads through `getMe`, the use
 * case behind `GET /me`.
 */
import { membershipRepository, providerRepository } from '../../db/repositories';
import type { Group } from '../../domain/principal';
import { getMe } from '../../use-cases/get-me';
import { listMyInvitations } from '../../use-cases/memberships';
import { type PageRequest, render, requireSession } from '../page';

/** What each role is called, and what it is for, in the words of the people who hold it. */
const ROLES: Record<Group, { name: string; work: string; links: { href: string; text: string }[] }> = {
  commissioner: {
    name: 'Commissioner',
    work: 'create and publish competitions, run pre-qualification, evaluation and award behind the ethical wall, register contracts and follow sub-contracting figures',
    // The workspace itself is linked below the list, once.
    links: [{ href: '/commissioning/subcontracting', text: 'Sub-contracting across the network' }],
  },
  admin: {
    name: 'Administrator',
    work: 'verify the organisations that register, so they appear in the directory',
    links: [
      { href: '/admin/providers', text: 'Organisations waiting for verification' },
      { href: '/commissioning/subcontracting', text: 'Sub-contracting across the network' },
    ],
  },
  auditor: {
    name: 'Auditor',
    work: 'read and verify each competition’s audit trail and follow the alerts the ethical wall raises',
    links: [
      { href: '/commissioning/alerts', text: 'Breach-attempt alerts' },
      { href: '/commissioning/subcontracting', text: 'Sub-contracting across the network' },
    ],
  },
};

/** `GET /your-account`. */
export async function yourAccount(request: PageRequest) {
  requireSession(request);
  const deps = { memberships: membershipRepository(), providers: providerRepository() };
  const [me, invitations] = await Promise.all([
    getMe(deps, request.principal),
    listMyInvitations(deps, request.principal, request.now),
  ]);
  const roles = me.groups.flatMap((group) => (group in ROLES ? [ROLES[group as Group]] : []));
  return render(request, 'account.njk', {
    title: 'Your account',
    section: 'account',
    rows: [
      { key: { text: 'User id' }, value: { text: me.sub } },
      { key: { text: 'Email address' }, value: { text: me.email ?? 'Not given' } },
      {
        key: { text: 'Roles' },
        value: { text: roles.length > 0 ? roles.map((role) => role.name).join(', ') : 'None' },
      },
    ],
    roles,
    organisations: me.organisations,
    invitations: invitations.items.length,
  });
}
