/**
 * One competition's pages of the commissioning workspace (issue 14), through the web function's handler
 * over DynamoDB Local: the task list says where the viewer stands relative to the wall (the lead before and
 * after declaring, a panel member, a conflicted declarer, an excluded commissioner, a member of an applying
 * organisation who holds the commissioner role); the panel is set by e-mail address; publishing and
 * cancelling work and a wrong-state attempt gets the 409 page; a form without the CSRF token changes
 * nothing; refused inside reads are in the audit trail, read as an auditor reads it.
 */

import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/commissioning';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import type { Principal } from '../../shared/domain/principal';
import { readAuditLog } from '../../shared/use-cases/competitions/audit-log';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import { OUTSIDE_WITHOUT_SEAT } from '../../shared/use-cases/competitions/task-list';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { competitionBody, inSeconds } from '../support/competitions';
import { accredit, LEAD, openCompetition, verifiedProvider } from '../support/scenario';
import { tableSnapshot } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const AUDITOR: Principal = { kind: 'user', sub: 'auditor-1', email: undefined, groups: ['auditor'] };

/** Calls the commissioning web function as API Gateway would for one page route of a competition. */
const page = (
  routeKey: string,
  options: {
    id: string;
    who?: SignedIn | undefined;
    /** The form fields; the session's CSRF token is added unless `csrf` is false. */
    form?: Record<string, string> | undefined;
    csrf?: boolean;
    query?: Record<string, string>;
  },
) => {
  const { id, ...call } = options;
  return callPage(handler, routeKey, { ...call, params: { id } });
};

/** The page's text without tags, for checking what a person reads. */
const text = pageText;

/**
 * The competition's audit trail as an auditor reads it (`action:outcome:actor[:reason]`), now or at `at`
 * (while bids are sealed, a refusal of someone connected to a bidder is shown without its actor).
 */
async function auditTrail(competitionId: string, at = new Date()): Promise<string[]> {
  const log = await readAuditLog(repositories(), AUDITOR, competitionId, { limit: 200 }, at);
  return log.items.map((e) => [e.action, e.outcome, e.actor, e.reason].filter(Boolean).join(':'));
}

let lead: SignedIn;

beforeAll(async () => {
  await useTestTables();
  // The commissioner who leads the competitions `openCompetition` creates (`LEAD`, user id `lead`).
  lead = await signedIn('lead', {
    groups: ['commissioner'],
    email: 'lead@example.org',
  });
});

describe('the task list and the wall', () => {
  let id: string;
  let eva: SignedIn;
  let evan: SignedIn;

  beforeAll(async () => {
    id = await openCompetition({
      title: 'Accommodation in the North West',
      region: 'north_west',
      service: 'accommodation',
      prequalification: true,
    });
    eva = await signedIn('eva', { groups: ['commissioner'], email: 'eva@example.org' });
    evan = await signedIn('evan', { groups: ['commissioner'], email: 'evan@example.org' });
    // The moderator is chosen by an address written in another case than their own.
    await signedIn('mo', { groups: ['commissioner'], email: 'Mo@Example.org' });
  });

  it('tells the lead to declare first, then that they are inside the wall', async () => {
    const before = await page('GET /commissioning/{id}', { id, who: lead });
    expect(before.statusCode).toBe(200);
    expect(text(before)).toContain('Declare your interests before you can see responses');
    expect(before.body).toContain(`href="/commissioning/${id}/declaration"`);
    expect(text(before)).not.toContain('You are inside the wall');
    expect(before.body).toContain('govuk-task-list');
    expect(before.body).toMatch(/<title>Accommodation in the North West: task list – /);

    const form = await page('GET /commissioning/{id}/declaration', { id, who: lead });
    expect(form.statusCode).toBe(200);
    expect(text(form)).toContain(
      'You cannot withdraw a declared conflict; the lead (or an admin, for the lead) can clear it with a reason.',
    );
    expect(form.body).toContain('name="csrfToken"');

    const declared = await page('POST /commissioning/{id}/declaration', {
      id,
      who: lead,
      form: { answer: 'none', rows: '1', action: 'sign' },
    });
    expect(declared.statusCode).toBe(303);
    expect(declared.headers?.location).toBe(`/commissioning/${id}?done=declared`);

    const after = await page('GET /commissioning/{id}', { id, who: lead, query: { done: 'declared' } });
    expect(text(after)).toContain('You are inside the wall');
    expect(text(after)).toContain('Declaration signed');
    // The lead inside reads the wall for the task list: the JSON route's audited read.
    expect(await auditTrail(id)).toContain('wall.read:allowed:lead');
  });

  it('shows the declaration form’s problems in an error summary, keeping what was typed', async () => {
    const result = await page('POST /commissioning/{id}/declaration', {
      id,
      who: lead,
      form: { answer: 'conflict', rows: '1', 'organisationId-0': 'Hope Street Trust', 'nature-0': '' },
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('href="#nature-0"');
    expect(result.body).toContain('value="Hope Street Trust"');
    expect(result.body).toMatch(/<title>Error: /);
    // "Add another organisation" shows one more row, without JavaScript.
    const more = await page('POST /commissioning/{id}/declaration', {
      id,
      who: lead,
      form: { answer: 'conflict', rows: '1', 'organisationId-0': 'A', 'nature-0': 'B', action: 'add' },
    });
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('id="organisationId-1"');
    expect(more.body).toContain('value="A"');
  });

  it('sets the panel by e-mail address and user id, and says who is unknown', async () => {
    const unknown = await page('POST /commissioning/{id}/wall/panel', {
      id,
      who: lead,
      form: { evaluators: 'eva@example.org\nnobody@example.org', moderator: 'mo' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(text(unknown)).toContain('Nobody has an account with the e-mail address nobody@example.org');
    expect(unknown.body).toContain('nobody@example.org</textarea>');
    expect((await repositories().competitions.state(id))?.panel).toBeUndefined();

    const set = await page('POST /commissioning/{id}/wall/panel', {
      id,
      who: lead,
      form: { evaluators: 'eva@example.org\nevan', moderator: 'MO@example.org' },
    });
    expect(set.statusCode).toBe(303);
    expect(set.headers?.location).toBe(`/commissioning/${id}/wall?done=panel`);
    expect((await repositories().competitions.state(id))?.panel).toMatchObject({
      evaluators: ['eva', 'evan'],
      moderator: 'mo',
    });
    const wall = await page('GET /commissioning/{id}/wall', { id, who: lead, query: { done: 'panel' } });
    expect(wall.statusCode).toBe(200);
    expect(text(wall)).toContain('The panel is set');
    expect(text(wall)).toContain('Not yet declared');
    expect(wall.body).toContain('eva\nevan</textarea>');
  });

  it('a panel member must declare first, then is inside and reads the panel (audited)', async () => {
    const before = await page('GET /commissioning/{id}', { id, who: eva });
    expect(text(before)).toContain('Declare your interests before you can see responses');
    expect(text(before)).not.toContain('Moderator: mo');
    await page('POST /commissioning/{id}/declaration', { id, who: eva, form: { answer: 'none' } });
    const after = await page('GET /commissioning/{id}', { id, who: eva });
    expect(text(after)).toContain('You are inside the wall');
    expect(text(after)).toContain('Evaluators: eva, evan. Moderator: mo');
    expect(await auditTrail(id)).toContain('panel.read:allowed:eva');
    // The wall itself is the lead's (and oversight's): a panel member gets the refusal page.
    const wall = await page('GET /commissioning/{id}/wall', { id, who: eva });
    expect(wall.statusCode).toBe(403);
  });

  it('a declared conflict puts the declarer outside; the lead sees it and may clear it', async () => {
    const declared = await page('POST /commissioning/{id}/declaration', {
      id,
      who: evan,
      form: {
        answer: 'conflict',
        rows: '2',
        'organisationId-0': 'Northern Housing Trust',
        'nature-0': 'My partner is a trustee',
        'organisationId-1': '',
        'nature-1': '',
      },
    });
    expect(declared.statusCode).toBe(303);
    expect(declared.headers?.location).toBe(`/commissioning/${id}?done=conflict-declared`);
    const tasks = await page('GET /commissioning/{id}', { id, who: evan });
    expect(text(tasks)).toContain('You are outside the wall for this competition');
    expect(text(tasks)).toContain('Your declaration names a conflict of interest in this competition.');
    expect(text(tasks)).not.toContain('You are inside the wall');

    const wall = await page('GET /commissioning/{id}/wall', { id, who: lead });
    expect(text(wall)).toContain('Northern Housing Trust: My partner is a trustee');
    expect(wall.body).toContain(`action="/commissioning/${id}/wall/clearance"`);
    const noReason = await page('POST /commissioning/{id}/wall/clearance', {
      id,
      who: lead,
      form: { sub: 'evan', index: '0', 'clearReason-0': '' },
    });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('href="#clearReason-0"');
    const cleared = await page('POST /commissioning/{id}/wall/clearance', {
      id,
      who: lead,
      form: { sub: 'evan', index: '0', 'clearReason-0': 'The partner stood down as trustee.' },
    });
    expect(cleared.statusCode).toBe(303);
    expect(text(await page('GET /commissioning/{id}', { id, who: evan }))).toContain(
      'You are inside the wall',
    );
  });

  it('an excluded commissioner is outside: told so on the task list, refused the wall, and it is audited', async () => {
    const excludedOne = await signedIn('excluded-one', { groups: ['commissioner'], email: 'ex@example.org' });
    const excluded = await page('POST /commissioning/{id}/wall/exclusions', {
      id,
      who: lead,
      form: { person: 'ex@example.org', reason: 'Helped the in-house team prepare its bid.' },
    });
    expect(excluded.statusCode).toBe(303);
    const tasks = await page('GET /commissioning/{id}', { id, who: excludedOne });
    expect(tasks.statusCode).toBe(200);
    expect(text(tasks)).toContain('You are outside the wall for this competition');
    expect(text(tasks)).toContain('The lead commissioner has excluded you from this competition.');
    expect(text(tasks)).not.toContain('Set the panel');

    const wall = await page('GET /commissioning/{id}/wall', { id, who: excludedOne });
    expect(wall.statusCode).toBe(403);
    expect(text(wall)).toContain('You are outside the ethical wall for this competition');
    expect(text(wall)).toContain('This attempt has been recorded');
    expect(await auditTrail(id)).toContain('wall.read:denied:excluded-one:/problems/ethical-wall');

    // The lead lifts the exclusion with a reason.
    const wallForLead = await page('GET /commissioning/{id}/wall', { id, who: lead });
    expect(text(wallForLead)).toContain('Helped the in-house team prepare its bid.');
    const lifted = await page('POST /commissioning/{id}/wall/exclusions/lift', {
      id,
      who: lead,
      form: { sub: 'excluded-one', index: '0', 'liftReason-0': 'Moved to another team.' },
    });
    expect(lifted.statusCode).toBe(303);
    // Lifted, they are outside only for want of a seat: while bids are sealed told in the words every
    // viewer without a seat gets.
    const after = text(await page('GET /commissioning/{id}', { id, who: excludedOne }));
    expect(after).toContain(OUTSIDE_WITHOUT_SEAT);
    expect(after).not.toContain('excluded you');
  });

  it('a member of an applying organisation holding the commissioner role is outside, refused inside reads', async () => {
    const providerId = await verifiedProvider('inhouse-owner', 'In-house Accommodation Team', {
      region: 'north_west',
      service: 'accommodation',
    });
    await accredit('inhouse-owner', providerId);
    await submitResponse(
      withSharedProviderData(repositories()),
      { kind: 'user', sub: 'inhouse-owner', email: undefined, groups: ['commissioner'] },
      id,
      { answers: { 'technical.relevant-experience': 'We run the current service.' } },
      new Date(),
    );
    const insider = await signedIn('inhouse-owner', { groups: ['commissioner'] });
    const tasks = await page('GET /commissioning/{id}', { id, who: insider });
    expect(tasks.statusCode).toBe(200);
    expect(text(tasks)).toContain('You are outside the wall for this competition');
    // While bids are sealed it is not told why: that would say its organisation applied (who applied is
    // sealed), and a provider user probing competitions would learn where a rival bids.
    expect(text(tasks)).not.toContain('applied for or bid');
    expect(text(tasks)).toContain(OUTSIDE_WITHOUT_SEAT);
    const wall = await page('GET /commissioning/{id}/wall', { id, who: insider });
    expect(wall.statusCode).toBe(403);
    const declare = await page('GET /commissioning/{id}/declaration', { id, who: insider });
    expect(declare.statusCode).toBe(403);
    // Put on the panel, they are refused as a candidate outside the wall, against the field.
    const panel = await page('POST /commissioning/{id}/wall/panel', {
      id,
      who: lead,
      form: { evaluators: 'eva\ninhouse-owner', moderator: 'mo' },
    });
    expect(panel.statusCode).toBe(403);
    expect(panel.body).toContain('href="#evaluators"');
    expect(panel.body).toContain('inhouse-owner</textarea>');
    expect(panel.body).toContain('inhouse-owner is outside the wall for this competition');
    expect(panel.body).not.toContain('applied for or bid');
    // While bids are sealed the trail does not say who (that would say who applied); once they open, it does.
    expect(await auditTrail(id)).toContain(
      'wall.read:denied:(sealed until the tender deadline):/problems/ethical-wall',
    );
    const opened = await auditTrail(id, new Date(Date.now() + 3 * 3_600_000));
    expect(opened).toContain('wall.read:denied:inhouse-owner:/problems/ethical-wall');
    expect(opened).toContain('declaration.form:denied:inhouse-owner:/problems/ethical-wall');
    expect(opened).toContain('panel.set:denied:lead:/problems/ethical-wall');
  });

  it('lets an auditor read the wall (audited) and tells them they have no seat', async () => {
    const auditor = await signedIn('auditor-1', { groups: ['auditor'] });
    const wall = await page('GET /commissioning/{id}/wall', { id, who: auditor });
    expect(wall.statusCode).toBe(200);
    expect(wall.body).not.toContain(`action="/commissioning/${id}/wall/panel"`);
    const tasks = await page('GET /commissioning/{id}', { id, who: auditor });
    expect(text(tasks)).toContain('You are outside the wall for this competition');
    expect(text(tasks)).toContain('As an auditor you can read its wall and its audit trail.');
    expect(await auditTrail(id)).toContain('wall.read:allowed:auditor-1');
  });

  it('a form posted without the session’s CSRF token changes nothing', async () => {
    const before = await tableSnapshot();
    for (const csrf of [undefined, 'guessed']) {
      const forms: [string, Record<string, string>][] = [
        ['POST /commissioning/{id}/wall/panel', { evaluators: 'evan\nmo', moderator: 'eva' }],
        ['POST /commissioning/{id}/wall/exclusions', { person: 'eva', reason: 'Forged' }],
        [
          'POST /commissioning/{id}/declaration',
          { answer: 'conflict', 'organisationId-0': 'x', 'nature-0': 'y' },
        ],
        ['POST /commissioning/{id}/cancel', { reason: 'Forged' }],
        ['POST /commissioning/{id}/publish', {}],
      ];
      for (const [route, form] of forms) {
        const result = await page(route, {
          id,
          who: lead,
          csrf: false,
          form: csrf ? { ...form, csrfToken: csrf } : form,
        });
        expect(result.statusCode, route).toBe(403);
        expect(text(result)).toContain('did not come from this service');
      }
    }
    expect(await tableSnapshot()).toEqual(before);
  });
});

describe('publishing and cancelling', () => {
  let id: string;

  beforeAll(async () => {
    const draft = await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title: 'Education in custody',
        prequalificationDeadline: inSeconds(3600),
        tenderDeadline: inSeconds(7200),
      }) as unknown as CreateCompetitionInput,
      new Date(),
      config().rules,
    );
    id = draft.id;
  });

  it('a draft is nobody’s but its lead’s (and panel’s)', async () => {
    const stranger = await signedIn('stranger', { groups: ['commissioner'] });
    expect((await page('GET /commissioning/{id}', { id, who: stranger })).statusCode).toBe(404);
    expect((await page('GET /commissioning/{id}/publish', { id, who: stranger })).statusCode).toBe(404);
  });

  it('shows what will be published, publishes, and comes back with a success banner', async () => {
    const check = await page('GET /commissioning/{id}/publish', { id, who: lead });
    expect(check.statusCode).toBe(200);
    expect(text(check)).toContain('What will be published');
    expect(text(check)).toContain('Education in custody');
    expect(text(check)).not.toContain('Incumbent contract ends in March.');
    expect(check.body).toContain(`action="/commissioning/${id}/publish"`);

    const published = await page('POST /commissioning/{id}/publish', { id, who: lead });
    expect(published.statusCode).toBe(303);
    expect(published.headers?.location).toBe(`/commissioning/${id}?done=published`);
    expect((await repositories().competitions.get(id))?.status).toBe('prequalification');
    const tasks = await page('GET /commissioning/{id}', { id, who: lead, query: { done: 'published' } });
    expect(text(tasks)).toContain('Competition published');
    expect(tasks.body).toContain('govuk-notification-banner--success');

    // Publishing again is the wrong state: the 409 page, as the API answers.
    const again = await page('POST /commissioning/{id}/publish', { id, who: lead });
    expect(again.statusCode).toBe(409);
    expect(text(again)).toContain('Only a draft can be published.');
    expect((await page('GET /commissioning/{id}/publish', { id, who: lead })).statusCode).toBe(409);
  });

  it('cancels with a reason (required), and refuses a second cancellation with the 409 page', async () => {
    const form = await page('GET /commissioning/{id}/cancel', { id, who: lead });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="csrfToken"');
    const noReason = await page('POST /commissioning/{id}/cancel', { id, who: lead, form: { reason: '  ' } });
    expect(noReason.statusCode).toBe(400);
    expect(text(noReason)).toContain('Enter why you are cancelling this competition');
    expect((await repositories().competitions.get(id))?.status).not.toBe('cancelled');
    const tooLong = await page('POST /commissioning/{id}/cancel', {
      id,
      who: lead,
      form: { reason: 'x'.repeat(2001) },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('x'.repeat(2001));

    // Someone else is refused the form before they fill it in.
    const other = await signedIn('other-commissioner', { groups: ['commissioner'] });
    expect((await page('GET /commissioning/{id}/cancel', { id, who: other })).statusCode).toBe(403);

    const cancelled = await page('POST /commissioning/{id}/cancel', {
      id,
      who: lead,
      form: { reason: 'The budget was withdrawn.' },
    });
    expect(cancelled.statusCode).toBe(303);
    expect(cancelled.headers?.location).toBe(`/commissioning/${id}?done=cancelled`);
    const competition = await repositories().competitions.get(id);
    expect(competition).toMatchObject({ status: 'cancelled', cancelReason: 'The budget was withdrawn.' });
    const tasks = await page('GET /commissioning/{id}', { id, who: lead, query: { done: 'cancelled' } });
    expect(text(tasks)).toContain('Competition cancelled');
    expect(text(tasks)).toContain('Reason: The budget was withdrawn.');

    const again = await page('POST /commissioning/{id}/cancel', {
      id,
      who: lead,
      form: { reason: 'Again.' },
    });
    expect(again.statusCode).toBe(409);
    expect((await page('GET /commissioning/{id}/cancel', { id, who: lead })).statusCode).toBe(409);
  });
});
