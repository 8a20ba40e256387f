/**
 * "Your invitations": the signed-in user's open invitations to join organisations, each to accept or
 * decline (issue 12, item 2). Nobody joins an organisation, and so nobody is connected to what it applies
 * for or bids in, until they accept here (or through `POST /me/invitations/{id}/accept`, the same use case).
 */
import { membershipRepository, providerRepository } from '../../db/repositories';
import { NotFoundError } from '../../domain/errors';
import { ulidSchema } from '../../http/schemas/common';
import { answerInvitation, listMyInvitations } from '../../use-cases/memberships';
import { govukDate, label } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return { providers: providerRepository(), memberships: membershipRepository() };
}

function invitationId(request: PageRequest): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No invitation at this address.');
  return id.data;
}

/** `GET /your-invitations`. */
export async function yourInvitations(request: PageRequest) {
  requireSession(request);
  const { items } = await listMyInvitations(repositories(), request.principal, request.now);
  return render(request, 'invitations.njk', {
    title: 'Your invitations',
    section: 'invitations',
    declined: request.query.declined,
    invitations: items.map((i) => ({
      id: i.id,
      organisation: i.organisation.name,
      rows: [
        { key: { text: 'Role' }, value: { text: label(i.role) } },
        {
          key: { text: 'Organisation status' },
          value: { text: i.organisation.status === 'verified' ? 'Verified' : 'Waiting for verification' },
        },
        { key: { text: 'Invited by' }, value: { text: i.invitedBy } },
        { key: { text: 'Sent' }, value: { text: govukDate(i.invitedAt) } },
        { key: { text: 'Expires' }, value: { text: govukDate(i.expiresAt) } },
      ],
    })),
  });
}

/** `POST /your-invitations/{id}/accept`: joins the organisation, and shows it. */
export async function acceptInvitationAnswer(request: PageRequest) {
  requireSession(request);
  const { invitation } = await answerInvitation(
    repositories(),
    request.principal,
    invitationId(request),
    'accepted',
    request.now,
  );
  return redirect(`/your-organisation/${invitation.providerId}?joined=true`);
}

/** `POST /your-invitations/{id}/decline`: declines; the organisation's owners see it is no longer open. */
export async function declineInvitationAnswer(request: PageRequest) {
  requireSession(request);
  const id = invitationId(request);
  const { items } = await listMyInvitations(repositories(), request.principal, request.now);
  const name = items.find((i) => i.id === id)?.organisation.name;
  await answerInvitation(repositories(), request.principal, id, 'declined', request.now);
  return redirect(`/your-invitations?declined=${encodeURIComponent(name ?? 'the organisation')}`);
}
