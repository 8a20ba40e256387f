/**
 * Attacker review of issue 15 (the provider's competition pages; questions, documents and challenges):
 * each test here reproduces a defect the review found, over DynamoDB Local through the web functions'
 * handlers and the real use cases, and failed before its fix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as applying } from '../../functions/web/applying';
import { handler as bidding } from '../../functions/web/bidding';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import { documentStorage } from '../../shared/storage/documents';
import { answerInvitation, inviteMember, removeMember } from '../../shared/use-cases/memberships';
import { competitionInStandstill } from '../support/challenges';
import { accredit, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const STEP = '/your-competitions/{id}/prequalification/{step}';

/** Makes `sub` a member of `providerId` (invited by its owner `ownerSub`, accepted), with this role. */
async function join(providerId: string, ownerSub: string, sub: string, role: 'owner' | 'member') {
  const now = new Date();
  const invitation = await inviteMember(
    repositories(),
    user(ownerSub),
    providerId,
    { sub, role },
    now,
    config().rules.invitationValidDays,
  );
  await answerInvitation(repositories(), user(sub), invitation.id, 'accepted', now);
}

beforeAll(async () => {
  await useTestTables();
});

describe('a user removed from the organisation chosen mid-application', () => {
  let competitionId: string;
  let kept: string;
  let lost: string;
  let applicant: SignedIn;

  beforeAll(async () => {
    kept = await verifiedProvider('ia-two-orgs', 'Kept Community Trust', {
      region: 'east_midlands',
      service: 'accommodation',
    });
    lost = await verifiedProvider('ia-lost-owner', 'Lost Housing Co-op', {
      region: 'east_midlands',
      service: 'accommodation',
    });
    await accredit('ia-two-orgs', kept);
    await join(lost, 'ia-lost-owner', 'ia-two-orgs', 'owner');
    competitionId = await openCompetition({
      title: 'Approved premises move-on, East Midlands',
      region: 'east_midlands',
      service: 'accommodation',
      prequalification: true,
    });
    applicant = await signedIn('ia-two-orgs');
  });

  it('can choose again, and is not refused every page for the rest of the session', async () => {
    const chose = await callPage(applying, `POST ${STEP}`, {
      who: applicant,
      params: { id: competitionId, step: 'organisation' },
      form: { providerId: lost },
    });
    expect(chose.statusCode).toBe(303);
    const typed = await callPage(applying, `POST ${STEP}`, {
      who: applicant,
      params: { id: competitionId, step: 'technical' },
      form: { 'technical.relevant-experience': 'Lost Housing Co-op’s own contracts.' },
    });
    expect(typed.statusCode).toBe(303);
    // The other owner removes them from the organisation they chose.
    await removeMember(repositories(), user('ia-lost-owner'), lost, 'ia-two-orgs', new Date());

    const start = await callPage(applying, 'GET /your-competitions/{id}/prequalification', {
      who: applicant,
      params: { id: competitionId },
    });
    expect(start.statusCode).toBe(200);
    // The organisation they still own applies; nothing of the other one's draft is carried over.
    expect(pageText(start)).toContain('Kept Community Trust');
    const topic = await callPage(applying, `GET ${STEP}`, {
      who: applicant,
      params: { id: competitionId, step: 'technical' },
    });
    expect(topic.statusCode).toBe(200);
    expect(pageText(topic)).not.toContain('Lost Housing Co-op’s own contracts');
  });
});

describe('a member of two organisations that both bid', () => {
  const OWNERS = { A: user('ia-owner-a'), B: user('ia-owner-b'), C: user('ia-owner-c') } as const;
  let competitionId: string;
  let at: number;
  let both: SignedIn;
  const providers = { A: '', B: '', C: '' };

  beforeAll(async () => {
    for (const key of ['A', 'B', 'C'] as const) {
      providers[key] = await verifiedProvider(OWNERS[key].sub, `Attacker review bidder ${key}`, {
        region: 'yorkshire_humber',
        service: 'victim_services',
      });
    }
    const c = await competitionInStandstill({
      title: 'Victim support, attacker review',
      owners: OWNERS,
      standstillDays: 10,
    });
    competitionId = c.id;
    at = c.decidedAt.getTime() + 3_600_000;
    // B's owner is also a member of C: both organisations bid.
    await join(providers.C, 'ia-owner-c', 'ia-owner-b', 'member');
    both = await signedIn('ia-owner-b', { now: new Date(at) });
  });

  it('can see the challenge page and choose which organisation challenges', async () => {
    const form = await callPage(bidding, 'GET /your-competitions/{id}/challenge', {
      who: both,
      params: { id: competitionId },
      at,
    });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`value="${providers.B}"`);
    expect(form.body).toContain(`value="${providers.C}"`);
    const chosen = await callPage(bidding, 'GET /your-competitions/{id}/challenge', {
      who: both,
      params: { id: competitionId },
      query: { organisation: providers.C },
      at,
    });
    expect(chosen.statusCode).toBe(200);
    expect(pageText(chosen)).toContain('on behalf of Attacker review bidder C');
    expect(chosen.body).toContain(`name="providerId" value="${providers.C}"`);
    const raised = await callPage(bidding, 'POST /your-competitions/{id}/challenge', {
      who: both,
      params: { id: competitionId },
      at,
      form: { grounds: 'The price scores were worked out wrongly.', providerId: providers.C },
    });
    expect(raised.statusCode, pageText(raised)).toBe(303);
    const stored = await repositories().challenges.list(competitionId, { limit: 10 });
    expect(stored.items.map((c) => c.providerId)).toEqual([providers.C]);
    expect(raised.headers?.location).toContain(`organisation=${providers.C}`);
  });
});

describe('the local S3 server and a signed upload form', () => {
  const key = (name: string) => `competitions/01JATTACKERS3000000000000${name}/documents/D/v000001`;

  it('refuses a second key (or one differing only in case) that s3rver would store instead of the signed one', async () => {
    const { url, fields } = await documentStorage().uploadForm(
      {
        key: key('A1'),
        contentType: 'application/pdf',
        maxBytes: 64,
        metadata: {},
        redirect: 'http://localhost/back',
      },
      { now: new Date(), expiresSeconds: 60 },
    );
    // s3rver takes the fields before the file; the check must not look at a different one.
    const smuggled = async (before: [string, string][], after: [string, string][]) => {
      const body = new FormData();
      for (const [name, value] of before) body.append(name, value);
      body.append('file', new Blob([Buffer.from('%PDF-1.4 forged')]), 'f.pdf');
      for (const [name, value] of after) body.append(name, value);
      return fetch(url, { method: 'POST', body, redirect: 'manual' });
    };
    const signed = Object.entries(fields);
    const others = signed.filter(([name]) => name !== 'key');
    const afterFile = await smuggled([...others, ['key', key('B1')]], [['key', key('A1')]]);
    expect(afterFile.status).toBeGreaterThanOrEqual(400);
    const inOtherCase = await smuggled([...others, ['key', key('B2')], ['Key', key('A1')]], []);
    expect(inOtherCase.status).toBeGreaterThanOrEqual(400);
    expect(await documentStorage().head(key('B1'))).toBeUndefined();
    expect(await documentStorage().head(key('B2'))).toBeUndefined();
  });
});
