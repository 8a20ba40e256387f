/**
 * The pre-qualification pages (issue 15) through the applying web function's handler over DynamoDB Local:
 * one topic per page; answers an accreditation gives shown ("from your accreditation, valid until …"),
 * never asked; answers kept server-side with the session, not in a cookie; every validation error against
 * its field with nothing written; consortium members verified, accredited and agreed before applying;
 * check your answers, apply, a confirmation with the reference; refusals for a user of no organisation,
 * a competition without pre-qualification, and after the deadline; a rival sees nothing of another's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/applying';
import { handler as bidding } from '../../functions/web/bidding';
import { repositories } from '../../shared/db/repositories';
import type { HttpResult } from '../../shared/http/types';
import { httpEvent, lambdaContext } from '../support/events';
import { accredit, openCompetition, verifiedProvider } from '../support/scenario';
import { writesNothing } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { pageText } from '../support/workspace';

const HOUR = 3_600_000;
const STEP = '/your-competitions/{id}/prequalification/{step}';

async function page(
  routeKey: string,
  options: {
    id: string;
    step?: string;
    who?: SignedIn;
    form?: Record<string, string>;
    later?: number;
    fn?: typeof handler;
    query?: Record<string, string>;
  },
): Promise<HttpResult> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace('{id}', options.id).replace('{step}', options.step ?? '');
  const headers: Record<string, string> = {};
  if (options.who) headers.cookie = options.who.cookie;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = new URLSearchParams(options.form ?? {});
    if (options.who) fields.set('csrfToken', options.who.session.csrf);
    body = fields.toString();
  }
  const event = httpEvent({
    routeKey,
    method,
    path,
    headers,
    pathParameters: { id: options.id, ...(options.step ? { step: options.step } : {}) },
    ...(body !== undefined ? { body } : {}),
    ...(options.query ? { query: options.query } : {}),
  });
  if (options.later) event.requestContext.timeEpoch += options.later;
  return (options.fn ?? handler)(event, lambdaContext());
}

const get = (step: string, id: string, who: SignedIn, later?: number) =>
  page(`GET ${STEP}`, { id, step, who, ...(later ? { later } : {}) });
const post = (step: string, id: string, who: SignedIn, form: Record<string, string>) =>
  page(`POST ${STEP}`, { id, step, who, form });

let ann: SignedIn;
let bob: SignedIn;
let nina: SignedIn;
let carlOrg: string;
let tiered: string;
let direct: string;

beforeAll(async () => {
  await useTestTables();
  const annOrg = await verifiedProvider('ann', 'Ann’s Community Trust', {
    region: 'london',
    service: 'accommodation',
  });
  await accredit('ann', annOrg);
  await verifiedProvider('bob', 'Bob’s Rival Services', { region: 'london', service: 'accommodation' });
  carlOrg = await verifiedProvider('carl', 'Carl’s Housing Co-op', {
    region: 'london',
    service: 'accommodation',
  });
  await accredit('carl', carlOrg);
  tiered = await openCompetition({
    title: 'Resettlement hub',
    region: 'london',
    service: 'accommodation',
    prequalification: true,
  });
  direct = await openCompetition({ title: 'Small grant', region: 'london', service: 'accommodation' });
  ann = await signedIn('ann');
  bob = await signedIn('bob');
  nina = await signedIn('nina');
});

describe('pre-qualification', () => {
  it('starts with what applying takes, and which topics the accreditation answers', async () => {
    const result = await page('GET /your-competitions/{id}/prequalification', { id: tiered, who: ann });
    expect(result.statusCode).toBe(200);
    const body = pageText(result);
    expect(body).toContain('Apply: pre-qualification');
    expect(body).toMatch(/accreditation is valid until \d{1,2} \w+ \d{4}/);
    expect(body).toContain('Grounds for exclusion (answered by your accreditation)');
    expect(body).not.toContain('Technical and professional ability (answered');
    // The deadline reads as a sentence of its own, not "Pre-qualification closes …".
    expect(body).toMatch(/Applications close (today at|tomorrow, on) /);
    expect(body).not.toContain('Pre-qualification closes');
  });

  it('shows what the accreditation answers, and does not ask it again', async () => {
    const result = await get('exclusion', tiered, ann);
    expect(result.statusCode).toBe(200);
    expect(pageText(result)).toMatch(/From your accreditation, valid until \d{1,2} \w+ \d{4}/);
    expect(pageText(result)).toContain('Your accreditation answers every question in this topic');
    expect(result.body).not.toContain('type="radio"');
  });

  it('refuses a required answer left blank, against its field, keeping nothing', async () => {
    const result = await writesNothing(() =>
      post('technical', tiered, ann, { 'technical.relevant-experience': '' }),
    );
    expect(result.statusCode).toBe(400);
    expect(pageText(result)).toContain('Answer: Describe up to three contracts');
    expect(result.body).toContain('href="#technical-relevant-experience"');
  });

  it('keeps an answer with the session, not in a cookie, and goes to the next topic', async () => {
    const answer = 'Three supported housing contracts in London since 2023.';
    const result = await post('technical', tiered, ann, { 'technical.relevant-experience': answer });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/your-competitions/${tiered}/prequalification/insurance`);
    expect(JSON.stringify(result.cookies ?? [])).not.toContain('Three');
    expect((await get('technical', tiered, ann)).body).toContain(answer);
    // Another user's session has none of it.
    expect((await get('technical', tiered, bob)).body).not.toContain(answer);
  });

  it('asks an unaccredited applicant everything, with yes/no radios and amounts in pounds', async () => {
    const exclusion = await get('exclusion', tiered, bob);
    expect(exclusion.body).toContain('type="radio"');
    expect(exclusion.body).not.toContain('data-aria-controls');
    const wrong = await writesNothing(() =>
      post('exclusion', tiered, bob, { 'exclusion.mandatory': 'maybe', 'exclusion.discretionary': 'no' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(pageText(wrong)).toContain('Select yes or no');
    const money = await post('financial', tiered, bob, { 'financial.annual-turnover-pence': 'lots' });
    expect(money.statusCode).toBe(400);
    expect(pageText(money)).toContain('Enter an amount in pounds');
    expect(money.body).toContain('value="lots"');
  });

  it('checks consortium members: a bad id is refused; a member must agree before the applicant applies', async () => {
    const bad = await writesNothing(() =>
      post('consortium', tiered, ann, { action: 'add', providerId: 'nope', role: '' }),
    );
    expect(bad.statusCode).toBe(400);
    expect(pageText(bad)).toContain('Enter the organisation');
    expect(pageText(bad)).toContain('Enter what they will do in the consortium');
    const added = await post('consortium', tiered, ann, {
      action: 'add',
      providerId: carlOrg,
      role: 'Move-on housing',
    });
    expect(added.statusCode).toBe(303);
    const listed = pageText(await get('consortium', tiered, ann));
    expect(listed).toContain('Carl');
    expect(listed).toContain('verified, accredited, not yet agreed to be named');
    const refused = await writesNothing(() => post('check', tiered, ann, {}));
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused)).toMatch(/agree/i);
  });

  it('applies once the member agrees on the web: a confirmation with the reference, and the list says applied', async () => {
    const [annOrg] = await repositories().memberships.listForUser('ann');
    const lead = annOrg?.providerId ?? '';
    // The consortium page links to the agreement page, with the lead and the part filled in (not the API).
    const consortium = await get('consortium', tiered, ann);
    const href = `/your-competitions/${tiered}/partnership?lead=${lead}&amp;role=consortium-member`;
    expect(consortium.body).toContain(`href="${href}"`);
    expect(consortium.body).not.toContain('POST /competitions/');
    // Carl, the member's owner, follows it: what agreeing means, and who names his organisation.
    const carl = await signedIn('carl');
    const agreement = '/your-competitions/{id}/partnership';
    const offer = await page(`GET ${agreement}`, {
      id: tiered,
      who: carl,
      fn: bidding,
      query: { lead, role: 'consortium-member' },
    });
    expect(offer.statusCode).toBe(200);
    expect(pageText(offer)).toContain("Ann's Community Trust wants to name your organisation");
    expect(pageText(offer)).toContain('You cannot undo this');
    expect(offer.body).toContain(`name="providerId" value="${carlOrg}"`);
    // Ann cannot agree on Carl's organisation's behalf: she does not own it.
    const forged = await writesNothing(() =>
      page(`POST ${agreement}`, {
        id: tiered,
        who: ann,
        fn: bidding,
        form: { providerId: carlOrg, lead, role: 'consortium-member' },
      }),
    );
    expect(forged.statusCode).toBe(403);
    const agreed = await page(`POST ${agreement}`, {
      id: tiered,
      who: carl,
      fn: bidding,
      form: { providerId: carlOrg, lead, role: 'consortium-member' },
    });
    expect(agreed.statusCode).toBe(303);
    expect(agreed.headers?.location).toBe(
      `/your-competitions/${tiered}/partnership?lead=${lead}&agreed=${carlOrg}`,
    );
    const recorded = await page(`GET ${agreement}`, {
      id: tiered,
      who: carl,
      fn: bidding,
      query: { lead, agreed: carlOrg },
    });
    expect(pageText(recorded)).toContain('Agreement recorded');
    expect(pageText(recorded)).toContain("Carl's Housing Co-op may now be named by Ann's Community Trust");
    const check = await get('check', tiered, ann);
    expect(pageText(check)).toContain('agreed to be named');
    const applied = await post('check', tiered, ann, {});
    expect(applied.statusCode).toBe(303);
    expect(applied.headers?.location).toBe(`/your-competitions/${tiered}/prequalification/confirmation`);
    const confirmation = pageText(await get('confirmation', tiered, ann));
    expect(confirmation).toContain('Application submitted');
    expect(confirmation).toMatch(/Your reference [0-9A-Z]{26}/);
    const list = await page('GET /your-competitions', { id: '', who: ann, fn: bidding });
    expect(pageText(list)).toContain('Resettlement hub');
    expect(pageText(list)).toContain('Applied');
  });

  it('refuses a user of no organisation, a competition without pre-qualification, and after the deadline', async () => {
    expect(
      (await page('GET /your-competitions/{id}/prequalification', { id: tiered, who: nina })).statusCode,
    ).toBe(403);
    expect(
      (await page('GET /your-competitions/{id}/prequalification', { id: direct, who: ann })).statusCode,
    ).toBe(409);
    expect((await get('technical', tiered, ann, 1.5 * HOUR)).statusCode).toBe(409);
    const late = await writesNothing(() =>
      page(`POST ${STEP}`, { id: tiered, step: 'check', who: ann, form: {}, later: 1.5 * HOUR }),
    );
    expect(late.statusCode).toBe(409);
    expect((await get('nonsense', tiered, ann)).statusCode).toBe(404);
    // Bob owns one organisation: there is no organisation to choose, so no such page.
    expect((await get('organisation', tiered, bob)).statusCode).toBe(404);
  });
});
