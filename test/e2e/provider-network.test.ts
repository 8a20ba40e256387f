/**
 * The National Provider Network over HTTP: register → verify → directory → membership → accreditation →
 * notifications, with the refusals along the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/api';
import { accreditationAnswers, charityRegistration, uniqueDigits } from '../support/fixtures';

let api: TestApi;
let owner: string;
let colleague: string;
let admin: string;
let commissioner: string;
let stranger: string;

beforeAll(async () => {
  api = await startTestApi();
  owner = await api.token('owner-1', [], 'owner@example.org');
  colleague = await api.token('colleague-1');
  admin = await api.token('admin-1', ['admin']);
  commissioner = await api.token('commissioner-1', ['commissioner']);
  stranger = await api.token('stranger-1');
});

afterAll(async () => {
  await api.stop();
});

type Provider = { id: string; status: string; name: string; charityNumber?: string; version: number };

describe('register → verify → directory → membership → accreditation', () => {
  let provider: Provider;

  it('registers an organisation as pending, with the caller as owner', async () => {
    const body = charityRegistration({
      name: 'Bridges Resettlement Trust',
      charityNumber: ` ${uniqueDigits(7)} `,
    });
    const response = await api.call('POST', '/providers', { token: owner, body });
    expect(response.status).toBe(201);
    provider = response.body as Provider;
    expect(provider).toMatchObject({ status: 'pending', name: 'Bridges Resettlement Trust', version: 1 });
    expect(provider.charityNumber).toBe(String(body.charityNumber).trim());
    const me = await api.call('GET', '/me', { token: owner });
    expect(me.body).toMatchObject({ organisations: [{ id: provider.id, role: 'owner', status: 'pending' }] });
  });

  it('keeps a pending provider out of the directory', async () => {
    const page = await api.call(
      'GET',
      '/directory?region=north_west&service=education_training_employment&limit=100',
    );
    expect((page.body as { items: { id: string }[] }).items.map((p) => p.id)).not.toContain(provider.id);
  });

  it('refuses verification by anyone but an admin', async () => {
    const response = await api.call('POST', `/providers/${provider.id}/verify`, { token: commissioner });
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ type: '/problems/forbidden' });
  });

  it('verifies, lists it in the directory and notifies the organisation', async () => {
    const verified = await api.call('POST', `/providers/${provider.id}/verify`, { token: admin });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ status: 'verified', version: 2 });

    for (const query of [
      'region=north_west&service=education_training_employment',
      'region=yorkshire_humber',
      'service=attitudes_thinking_behaviour&sector=voluntary&size=small',
      'sector=voluntary',
      '',
    ]) {
      const page = await api.call('GET', `/directory?${query}&limit=100`);
      expect(page.status).toBe(200);
      const items = (page.body as { items: Record<string, unknown>[] }).items;
      const listed = items.find((p) => p.id === provider.id);
      expect(listed, query).toEqual({
        id: provider.id,
        name: 'Bridges Resettlement Trust',
        sector: 'voluntary',
        size: 'small',
        regions: ['north_west', 'yorkshire_humber'],
        services: ['education_training_employment', 'attitudes_thinking_behaviour'],
        description: 'Peer mentoring for people leaving prison.',
        website: 'https://secondchance.example.org',
      });
    }
    for (const query of [
      'region=london',
      'service=health',
      'sector=private',
      'region=north_west&size=large',
    ]) {
      const page = await api.call('GET', `/directory?${query}&limit=100`);
      expect(
        (page.body as { items: { id: string }[] }).items.map((p) => p.id),
        query,
      ).not.toContain(provider.id);
    }

    const inbox = await api.call('GET', '/me/notifications', { token: owner });
    expect(inbox.body).toMatchObject({
      items: [{ providerId: provider.id, type: 'verified' }],
      nextCursor: null,
    });
  });

  it('shows the full profile to members, commissioners and admins only', async () => {
    for (const token of [owner, commissioner, admin]) {
      const response = await api.call('GET', `/providers/${provider.id}`, { token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        id: provider.id,
        contact: { email: 'sam@secondchance.example.org' },
      });
    }
    const hidden = await api.call('GET', `/providers/${provider.id}`, { token: stranger });
    expect(hidden.status).toBe(404);
    expect(hidden.body).toMatchObject({ type: '/problems/not-found' });
  });

  it('lets the owner invite a member, who joins only by accepting, then can read but not edit', async () => {
    const invited = await api.call('POST', `/providers/${provider.id}/members`, {
      token: owner,
      body: { sub: 'colleague-1', role: 'member' },
    });
    expect(invited.status).toBe(201);
    expect(invited.body).toMatchObject({
      providerId: provider.id,
      sub: 'colleague-1',
      role: 'member',
      invitedBy: 'owner-1',
      status: 'invited',
    });
    const invitationId = (invited.body as { id: string }).id;
    const again = await api.call('POST', `/providers/${provider.id}/members`, {
      token: owner,
      body: { sub: 'colleague-1', role: 'owner' },
    });
    expect(again.status).toBe(409);
    const strangerAdds = await api.call('POST', `/providers/${provider.id}/members`, {
      token: stranger,
      body: { sub: 'stranger-1', role: 'owner' },
    });
    expect(strangerAdds.status).toBe(404);

    // Invited is not a member: no profile, no organisation on /me, but the invitation to answer.
    expect((await api.call('GET', `/providers/${provider.id}`, { token: colleague })).status).toBe(404);
    expect((await api.call('GET', '/me', { token: colleague })).body).toMatchObject({ organisations: [] });
    const open = await api.call('GET', '/me/invitations', { token: colleague });
    expect(open.body).toMatchObject({
      items: [{ id: invitationId, organisation: { id: provider.id, name: provider.name }, role: 'member' }],
    });
    expect(
      (await api.call('GET', `/providers/${provider.id}/invitations`, { token: owner })).body,
    ).toMatchObject({ items: [{ id: invitationId, sub: 'colleague-1' }] });
    // Nobody else can answer it, or learn that it exists.
    for (const token of [owner, stranger, admin]) {
      const hijack = await api.call('POST', `/me/invitations/${invitationId}/accept`, { token });
      expect(hijack.status).toBe(404);
    }

    const accepted = await api.call('POST', `/me/invitations/${invitationId}/accept`, { token: colleague });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      invitation: { id: invitationId, status: 'accepted' },
      membership: { providerId: provider.id, sub: 'colleague-1', role: 'member', invitationId },
    });
    const twice = await api.call('POST', `/me/invitations/${invitationId}/decline`, { token: colleague });
    expect(twice.status).toBe(409);

    const read = await api.call('GET', `/providers/${provider.id}`, { token: colleague });
    expect(read.status).toBe(200);
    expect((read.body as { members: unknown[] }).members).toEqual([
      { sub: 'colleague-1', role: 'member' },
      { sub: 'owner-1', role: 'owner' },
    ]);
    const edit = await api.call('PATCH', `/providers/${provider.id}`, {
      token: colleague,
      body: { name: 'Hijacked' },
    });
    expect(edit.status).toBe(403);
    const memberInvites = await api.call('POST', `/providers/${provider.id}/members`, {
      token: colleague,
      body: { sub: 'stranger-1', role: 'owner' },
    });
    expect(memberInvites.status).toBe(403);
    const me = await api.call('GET', '/me', { token: colleague });
    expect(me.body).toMatchObject({
      organisations: [{ id: provider.id, role: 'member', status: 'verified' }],
    });
  });

  it('lets an invited user decline, and an owner withdraw an invitation', async () => {
    const declinedInvitation = await api.call('POST', `/providers/${provider.id}/members`, {
      token: owner,
      body: { sub: 'stranger-1', role: 'member' },
    });
    const declinedId = (declinedInvitation.body as { id: string }).id;
    const declined = await api.call('POST', `/me/invitations/${declinedId}/decline`, { token: stranger });
    expect(declined.status).toBe(200);
    expect(declined.body).toMatchObject({ invitation: { status: 'declined', respondedBy: 'stranger-1' } });
    expect((await api.call('POST', `/me/invitations/${declinedId}/accept`, { token: stranger })).status).toBe(
      409,
    );
    expect((await api.call('GET', `/providers/${provider.id}`, { token: stranger })).status).toBe(404);

    const withdrawnInvitation = await api.call('POST', `/providers/${provider.id}/members`, {
      token: owner,
      body: { sub: 'stranger-1', role: 'member' },
    });
    expect(withdrawnInvitation.status).toBe(201);
    const withdrawnId = (withdrawnInvitation.body as { id: string }).id;
    const byMember = await api.call('DELETE', `/providers/${provider.id}/invitations/${withdrawnId}`, {
      token: colleague,
    });
    expect(byMember.status).toBe(403);
    const withdrawn = await api.call('DELETE', `/providers/${provider.id}/invitations/${withdrawnId}`, {
      token: owner,
    });
    expect(withdrawn.body).toMatchObject({ status: 'withdrawn', respondedBy: 'owner-1' });
    expect((await api.call('GET', '/me/invitations', { token: stranger })).body).toEqual({ items: [] });
    expect(
      (await api.call('POST', `/me/invitations/${withdrawnId}/accept`, { token: stranger })).status,
    ).toBe(409);
  });

  it('lets members leave and owners remove them, but keeps the last owner', async () => {
    const lastOwner = await api.call('DELETE', `/providers/${provider.id}/members/owner-1`, { token: owner });
    expect(lastOwner.status).toBe(409);
    const memberRemovesOwner = await api.call('DELETE', `/providers/${provider.id}/members/owner-1`, {
      token: colleague,
    });
    expect(memberRemovesOwner.status).toBe(403);
    const left = await api.call('DELETE', `/providers/${provider.id}/members/colleague-1`, {
      token: colleague,
    });
    expect(left.status).toBe(200);
    expect(left.body).toMatchObject({
      providerId: provider.id,
      sub: 'colleague-1',
      removedBy: 'colleague-1',
    });
    expect((await api.call('GET', `/providers/${provider.id}`, { token: colleague })).status).toBe(404);
    expect(
      (await api.call('DELETE', `/providers/${provider.id}/members/colleague-1`, { token: owner })).status,
    ).toBe(404);

    // Back by invitation, then removed by the owner.
    const invited = await api.call('POST', `/providers/${provider.id}/members`, {
      token: owner,
      body: { sub: 'colleague-1', role: 'member' },
    });
    const id = (invited.body as { id: string }).id;
    expect((await api.call('POST', `/me/invitations/${id}/accept`, { token: colleague })).status).toBe(200);
    const removed = await api.call('DELETE', `/providers/${provider.id}/members/colleague-1`, {
      token: owner,
    });
    expect(removed.body).toMatchObject({ sub: 'colleague-1', removedBy: 'owner-1' });
    // Invited once more, as before the tests that follow (which read as the colleague).
    const back = await api.call('POST', `/providers/${provider.id}/members`, {
      token: owner,
      body: { sub: 'colleague-1', role: 'member' },
    });
    const backId = (back.body as { id: string }).id;
    expect((await api.call('POST', `/me/invitations/${backId}/accept`, { token: colleague })).status).toBe(
      200,
    );
  });

  it('keeps the directory in step with an owner’s edit', async () => {
    const edit = await api.call('PATCH', `/providers/${provider.id}`, {
      token: owner,
      body: { name: 'Bridges Trust', regions: ['london'], website: null },
    });
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ name: 'Bridges Trust', regions: ['london'], version: 3 });
    expect((edit.body as Record<string, unknown>).website).toBeUndefined();
    const london = await api.call('GET', '/directory?region=london&limit=100');
    expect(
      (london.body as { items: Record<string, unknown>[] }).items.find((p) => p.id === provider.id),
    ).toMatchObject({
      name: 'Bridges Trust',
      website: null,
    });
    const northWest = await api.call('GET', '/directory?region=north_west&limit=100');
    expect((northWest.body as { items: { id: string }[] }).items.map((p) => p.id)).not.toContain(provider.id);
  });

  it('takes the accreditation from the owner and shows it as current', async () => {
    const put = await api.call('PUT', `/providers/${provider.id}/accreditation`, {
      token: owner,
      body: accreditationAnswers(),
    });
    expect(put.status).toBe(200);
    const accreditation = put.body as { status: string; validUntil: string; submittedAt: string };
    expect(accreditation.status).toBe('current');
    const months =
      (new Date(accreditation.validUntil).getUTCFullYear() -
        new Date(accreditation.submittedAt).getUTCFullYear()) *
        12 +
      new Date(accreditation.validUntil).getUTCMonth() -
      new Date(accreditation.submittedAt).getUTCMonth();
    expect(months).toBe(12);
    for (const token of [colleague, commissioner, admin]) {
      const read = await api.call('GET', `/providers/${provider.id}/accreditation`, { token });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ status: 'current', financial: { annualTurnoverPence: 250_000_00 } });
    }
    expect(
      (await api.call('GET', `/providers/${provider.id}/accreditation`, { token: stranger })).status,
    ).toBe(404);
    expect(
      (
        await api.call('PUT', `/providers/${provider.id}/accreditation`, {
          token: colleague,
          body: accreditationAnswers(),
        })
      ).status,
    ).toBe(403);
  });
});

describe('registration refusals', () => {
  it('lists every bad field and writes nothing', async () => {
    const response = await api.call('POST', '/providers', {
      token: stranger,
      body: {
        name: '',
        legalForm: 'charitable_incorporated_organisation',
        charityNumber: '12',
        companyNumber: 'ABC',
        sector: 'charity',
        size: 'tiny',
        regions: ['mars'],
        services: [],
        contact: { name: 'X', email: 'not-an-email' },
        website: 'ftp://example.org',
      },
    });
    expect(response.status).toBe(400);
    const paths = (response.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort();
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'charityNumber',
        'companyNumber',
        'sector',
        'size',
        'regions.0',
        'services',
        'contact.email',
        'website',
      ]),
    );
    const me = await api.call('GET', '/me', { token: stranger });
    expect((me.body as { organisations: unknown[] }).organisations).toEqual([]);
  });

  it('refuses a legal form without its registration number', async () => {
    const response = await api.call('POST', '/providers', {
      token: stranger,
      body: charityRegistration({ legalForm: 'charitable_company', charityNumber: undefined }),
    });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual([
      'charityNumber',
      'companyNumber',
    ]);
  });

  it('answers a duplicate charity or company number with 409, however it is typed', async () => {
    const charity = uniqueDigits(8);
    const company = uniqueDigits(7);
    const first = await api.call('POST', '/providers', {
      token: owner,
      body: charityRegistration({
        legalForm: 'charitable_company',
        charityNumber: charity,
        companyNumber: company,
      }),
    });
    expect(first.status).toBe(201);
    expect((first.body as { companyNumber: string }).companyNumber).toBe(`0${company}`);
    const sameCharity = await api.call('POST', '/providers', {
      token: stranger,
      body: charityRegistration({ charityNumber: `${charity.slice(0, 4)} ${charity.slice(4)}` }),
    });
    expect(sameCharity.status).toBe(409);
    expect(sameCharity.body).toMatchObject({ type: '/problems/duplicate-registration' });
    const sameCompany = await api.call('POST', '/providers', {
      token: stranger,
      body: charityRegistration({
        legalForm: 'private_limited_company',
        charityNumber: undefined,
        companyNumber: `0${company}`,
        sector: 'private',
      }),
    });
    expect(sameCompany.status).toBe(409);
  });

  it('replays a retried registration with the same Idempotency-Key', async () => {
    const body = charityRegistration();
    const headers = { 'idempotency-key': `reg-${uniqueDigits()}` };
    const first = await api.call('POST', '/providers', { token: owner, body, headers });
    const retry = await api.call('POST', '/providers', { token: owner, body, headers });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });
});

describe('directory queries', () => {
  it('refuses unknown filters and tampered cursors with 400', async () => {
    expect((await api.call('GET', '/directory?region=atlantis')).status).toBe(400);
    expect((await api.call('GET', '/directory?limit=0')).status).toBe(400);
    expect((await api.call('GET', '/directory?limit=101')).status).toBe(400);
    const tampered = await api.call('GET', '/directory?cursor=eyJ2IjoyfQ');
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({ type: '/problems/validation', errors: [{ path: 'query.cursor' }] });
    expect((await api.call('GET', '/directory?cursor=%00%01')).status).toBe(400);
  });
});
