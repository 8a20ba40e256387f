/**
 * Making someone a member over HTTP the only way there is (issue 12, item 2): an owner invites them
 * (`POST /providers/{id}/members`) and they accept (`POST /me/invitations/{id}/accept`) with their own token.
 */
import { expect } from 'vitest';
import type { TestApi } from './api';

/**
 * Invites `sub` to the provider as its owner and accepts as `sub`; fails the test if either step is refused.
 * @returns the invitation's id.
 */
export async function joinOrganisation(
  api: TestApi,
  providerId: string,
  ownerToken: string,
  invitee: { sub: string; token: string; role?: 'owner' | 'member' },
): Promise<string> {
  const invited = await api.call('POST', `/providers/${providerId}/members`, {
    token: ownerToken,
    body: { sub: invitee.sub, role: invitee.role ?? 'member' },
  });
  expect(invited.status, invited.text).toBe(201);
  const id = (invited.body as { id: string }).id;
  const accepted = await api.call('POST', `/me/invitations/${id}/accept`, { token: invitee.token });
  expect(accepted.status, accepted.text).toBe(200);
  return id;
}
