/**
 * The provider's competition pages (issue 15) through the bidding web function's handler over DynamoDB
 * Local: "your competitions" lists what the user's organisations take part in (from the participation
 * items each response and bid write puts, a page at a time, never by Scan); the bid's task list, one page
 * per task with "save and come back later", check, submit (a receipt with the version), resubmit and
 * withdraw; every validation error shown against its field with nothing written; refusals for a user of
 * no organisation and for an organisation not shortlisted; a rival reaching only its own bid; the bid
 * read-only once the tender deadline has passed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/bidding';
import { handler as publicPages } from '../../functions/web/index';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { ValidationError } from '../../shared/domain/errors';
import type { HttpResult } from '../../shared/http/types';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { listCompetitionsTakingPart } from '../../shared/use-cases/tenders/taking-part';
import { httpEvent, lambdaContext } from '../support/events';
import { accredit, openCompetition, user, verifiedProvider } from '../support/scenario';
import { tableSnapshots } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';

const HOUR = 3_600_000;

/** Calls the bidding web function as API Gateway would for one page route, optionally at a later time. */
async function page(
  routeKey: string,
  options: {
    id?: string;
    criterion?: string;
    who?: SignedIn | undefined;
    form?: Record<string, string | string[]>;
    csrf?: boolean;
    query?: Record<string, string>;
    /** Milliseconds after now the request arrives. */
    later?: number;
  } = {},
): Promise<HttpResult> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const path = template.replace('{id}', options.id ?? '').replace('{criterion}', options.criterion ?? '');
  const headers: Record<string, string> = {};
  if (options.who) headers.cookie = options.who.cookie;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = new URLSearchParams();
    for (const [name, value] of Object.entries(options.form ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) fields.append(name, one);
    }
    if (options.csrf !== false && options.who) fields.set('csrfToken', options.who.session.csrf);
    body = fields.toString();
  }
  const event = httpEvent({
    routeKey,
    method,
    path,
    headers,
    pathParameters: {
      ...(options.id ? { id: options.id } : {}),
      ...(options.criterion ? { criterion: options.criterion } : {}),
    },
    ...(body !== undefined ? { body } : {}),
    ...(options.query ? { query: options.query } : {}),
  });
  if (options.later) event.requestContext.timeEpoch += options.later;
  return handler(event, lambdaContext());
}

/** The page's text without tags. */
function text(result: HttpResult): string {
  return String(result.body ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/&pound;/g, '£')
    .replace(/\s+/g, ' ');
}

/** Everything but the sessions table (each request refreshes its session): what a page may change. */
async function dataSnapshot() {
  const snapshots = tableSnapshots();
  try {
    return await snapshots.take(['registry', 'procurement', 'sealed', 'audit']);
  } finally {
    snapshots.close();
  }
}

/** Runs `request` and shows it wrote nothing but the session. */
async function writesNothing(request: () => Promise<HttpResult>): Promise<HttpResult> {
  const before = await dataSnapshot();
  const result = await request();
  expect(await dataSnapshot()).toEqual(before);
  return result;
}

const BID = 'GET /your-competitions/{id}/bid';

let ann: SignedIn;
let bob: SignedIn;
let nina: SignedIn;
let annOrg: string;
let open: string;
let tiered: string;

beforeAll(async () => {
  await useTestTables();
  annOrg = await verifiedProvider('ann', 'Ann’s Community Trust', {
    region: 'north_west',
    service: 'accommodation',
  });
  await verifiedProvider('bob', 'Bob’s Rival Services', { region: 'north_west', service: 'accommodation' });
  await accredit('ann', annOrg);
  open = await openCompetition({ title: 'Move-on housing', region: 'north_west', service: 'accommodation' });
  tiered = await openCompetition({
    title: 'Resettlement hub',
    region: 'north_west',
    service: 'accommodation',
    prequalification: true,
  });
  ann = await signedIn('ann');
  bob = await signedIn('bob');
  nina = await signedIn('nina');
});

describe('your competitions', () => {
  it('sends an anonymous visitor to sign in', async () => {
    const result = await page('GET /your-competitions');
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe('/sign-in?returnTo=%2Fyour-competitions');
  });

  it('says so when the organisations take part in nothing yet', async () => {
    const result = await page('GET /your-competitions', { who: nina });
    expect(result.statusCode).toBe(200);
    expect(text(result)).toContain('Your organisations do not take part in any competition yet');
  });

  it('lists an application with its deadline in plain words and what to do next', async () => {
    await submitResponse(
      withSharedProviderData(repositories()),
      user('ann'),
      tiered,
      { answers: { 'technical.relevant-experience': 'Three supported housing contracts since 2023.' } },
      new Date(),
    );
    const result = await page('GET /your-competitions', { who: ann });
    expect(result.statusCode).toBe(200);
    const body = text(result);
    expect(body).toContain('Resettlement hub');
    expect(body).toContain('Applied');
    expect(body).toMatch(/Closes (today at|tomorrow, on)/);
    expect(result.body).toContain(`href="/your-competitions/${tiered}/prequalification"`);
    // Bob's organisation took part in nothing: Ann's application is not his.
    expect(text(await page('GET /your-competitions', { who: bob }))).not.toContain('Resettlement hub');
  });
});

describe('the bid', () => {
  it('starts with a task list: one task per quality criterion, the price, sub-contractors', async () => {
    const result = await page(BID, { id: open, who: ann });
    expect(result.statusCode).toBe(200);
    const body = text(result);
    expect(body).toContain('Your bid');
    expect(body).toContain('Quality');
    expect(body).toContain('Price');
    expect(body).toContain('Sub-contractors');
    expect(body).toContain('Cannot start yet');
    expect(result.body).toContain(`href="/your-competitions/${open}/bid/quality/quality"`);
  });

  it('refuses an answer over the limit against its field, and writes nothing', async () => {
    const result = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/quality/{criterion}', {
        id: open,
        criterion: 'quality',
        who: ann,
        form: { answer: 'x'.repeat(5001), action: 'continue' },
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(text(result)).toContain('Your answer must be 5,000 characters or fewer');
    expect(result.body).toContain('href="#answer"');
  });

  it('404s a criterion the competition does not have', async () => {
    const result = await page('GET /your-competitions/{id}/bid/quality/{criterion}', {
      id: open,
      criterion: 'nonsense',
      who: ann,
    });
    expect(result.statusCode).toBe(404);
  });

  it('saves an answer in the API and goes on to the price', async () => {
    const result = await page('POST /your-competitions/{id}/bid/quality/{criterion}', {
      id: open,
      criterion: 'quality',
      who: ann,
      form: { answer: 'We house 40 people a year <safely>.', action: 'continue' },
    });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/your-competitions/${open}/bid/price`);
    const again = await page('GET /your-competitions/{id}/bid/quality/{criterion}', {
      id: open,
      criterion: 'quality',
      who: ann,
    });
    expect(again.body).toContain('We house 40 people a year &lt;safely&gt;.');
    const list = text(await page('GET /your-competitions', { who: ann }));
    expect(list).toContain('Move-on housing');
    expect(list).toContain('Bid in progress');
    expect(list).toContain('Finish and submit your bid');
  });

  it.each([
    ['a word', 'lots', 'Enter an amount in pounds'],
    ['zero', '0', 'Your price must be more than £0'],
    ['too much', '99999999999999999', 'Enter an amount under'],
  ])('refuses a price of %s, keeps what was typed, and writes nothing', async (_case, price, message) => {
    const result = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/price', {
        id: open,
        who: ann,
        form: { price, action: 'continue' },
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(text(result)).toContain(message);
    expect(result.body).toContain(`value="${price}"`);
    expect(result.body).toContain('href="#price"');
  });

  it('saves the price and comes back later: the task list says it was saved', async () => {
    const result = await page('POST /your-competitions/{id}/bid/price', {
      id: open,
      who: ann,
      form: { price: '£1,250.50', action: 'later' },
    });
    expect(result.statusCode).toBe(303);
    expect(result.headers?.location).toBe(`/your-competitions/${open}/bid?saved=yes`);
    const list = await page(BID, { id: open, who: ann, query: { saved: 'yes' } });
    expect(text(list)).toContain('Your bid has been saved');
    expect(text(list)).toContain('Ready to check');
    const price = await page('GET /your-competitions/{id}/bid/price', { id: open, who: ann });
    expect(price.body).toContain('value="1250.50"');
  });

  it('refuses a sub-contractor with every field wrong, each against its field, and writes nothing', async () => {
    const result = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/subcontractors', {
        id: open,
        who: ann,
        form: { name: '', providerId: 'not-an-id', share: '120', action: 'add' },
      }),
    );
    expect(result.statusCode).toBe(400);
    const body = text(result);
    expect(body).toContain('Enter the sub-contractor');
    expect(body).toContain('Enter the organisation');
    expect(body).toContain('Select the services they will deliver');
    expect(body).toContain('Their share must be a percentage from 0 to 100');
  });

  it('refuses a registered sub-contractor id nobody has, from the use case, and writes nothing', async () => {
    const result = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/subcontractors', {
        id: open,
        who: ann,
        form: {
          name: 'Ghost Ltd',
          providerId: '01JD2Q3R4S5T6V7W8X9Y0Z1A2B',
          services: ['accommodation'],
          share: '10',
          action: 'add',
        },
      }),
    );
    expect(result.statusCode).toBe(400);
    expect(text(result)).toContain('No registered provider has this id');
    expect(result.body).toContain('value="Ghost Ltd"');
  });

  it('adds and removes a sub-contractor', async () => {
    const added = await page('POST /your-competitions/{id}/bid/subcontractors', {
      id: open,
      who: ann,
      form: { name: 'Tenancy Help CIC', services: ['accommodation'], share: '12.5', action: 'add' },
    });
    expect(added.statusCode).toBe(303);
    expect(
      text(await page('GET /your-competitions/{id}/bid/subcontractors', { id: open, who: ann })),
    ).toContain('Tenancy Help CIC');
    await page('POST /your-competitions/{id}/bid/subcontractors', {
      id: open,
      who: ann,
      form: { name: 'Second Step', services: ['accommodation'], share: '5', action: 'add' },
    });
    const removed = await page('POST /your-competitions/{id}/bid/subcontractors', {
      id: open,
      who: ann,
      form: { action: 'remove-0' },
    });
    expect(removed.statusCode).toBe(303);
    const body = text(await page('GET /your-competitions/{id}/bid/subcontractors', { id: open, who: ann }));
    expect(body).not.toContain('Tenancy Help CIC');
    expect(body).toContain('Second Step');
  });

  it('refuses a form without the CSRF token, and writes nothing', async () => {
    const result = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/price', {
        id: open,
        who: ann,
        csrf: false,
        form: { price: '10', action: 'continue' },
      }),
    );
    expect(result.statusCode).toBe(403);
  });

  it('checks, submits (a receipt with the version and time), and resubmits as the next version', async () => {
    const check = await page('GET /your-competitions/{id}/bid/check', { id: open, who: ann });
    expect(check.statusCode).toBe(200);
    expect(text(check)).toContain('£1,250.50');
    expect(text(check)).toContain('Submit your bid');
    const submitted = await page('POST /your-competitions/{id}/bid/submit', { id: open, who: ann });
    expect(submitted.statusCode).toBe(303);
    expect(submitted.headers?.location).toBe(`/your-competitions/${open}/bid/receipt`);
    const receipt = text(await page('GET /your-competitions/{id}/bid/receipt', { id: open, who: ann }));
    expect(receipt).toContain('Bid submitted');
    expect(receipt).toContain('Version 1');
    expect(receipt).toMatch(/on \d{1,2} \w+ \d{4} at /);
    expect(text(await page('GET /your-competitions', { who: ann }))).toContain('Bid submitted (version 1)');

    await page('POST /your-competitions/{id}/bid/price', {
      id: open,
      who: ann,
      form: { price: '1200', action: 'continue' },
    });
    const recheck = text(await page('GET /your-competitions/{id}/bid/check', { id: open, who: ann }));
    expect(recheck).toContain('it becomes version 2');
    await page('POST /your-competitions/{id}/bid/submit', { id: open, who: ann });
    expect(text(await page('GET /your-competitions/{id}/bid/receipt', { id: open, who: ann }))).toContain(
      'Version 2',
    );
  });

  it("keeps a rival to its own bid: Bob sees none of Ann's and cannot withdraw it", async () => {
    const bobs = await page(BID, { id: open, who: bob });
    expect(bobs.statusCode).toBe(200);
    expect(text(bobs)).not.toContain('We house 40 people');
    expect(text(bobs)).toContain('Not started');
    const refused = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/withdraw', { id: open, who: bob }),
    );
    expect(refused.statusCode).toBe(409);
    expect(text(await page('GET /your-competitions/{id}/bid/receipt', { id: open, who: bob }))).not.toContain(
      'Version',
    );
  });

  it('refuses someone of no organisation, and an organisation not shortlisted, writing nothing', async () => {
    expect((await page(BID, { id: open, who: nina })).statusCode).toBe(403);
    const notShortlisted = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/price', { id: tiered, who: bob, form: { price: '10' } }),
    );
    expect(notShortlisted.statusCode).toBe(403);
    expect((await page(BID, { id: tiered, who: ann })).statusCode).toBe(403);
  });

  it('withdraws the bid, and the list says so', async () => {
    const confirm = await page('GET /your-competitions/{id}/bid/withdraw', { id: open, who: ann });
    expect(text(confirm)).toContain('If you withdraw version 2 of your bid');
    const result = await page('POST /your-competitions/{id}/bid/withdraw', { id: open, who: ann });
    expect(result.statusCode).toBe(303);
    expect(text(await page(BID, { id: open, who: ann, query: { withdrawn: 'yes' } }))).toContain(
      'Your bid has been withdrawn',
    );
    expect(text(await page('GET /your-competitions', { who: ann }))).toContain('Bid withdrawn');
    // And submits it again.
    await page('POST /your-competitions/{id}/bid/submit', { id: open, who: ann });
    expect(text(await page('GET /your-competitions', { who: ann }))).toContain('Bid submitted (version 3)');
  });

  it('is read-only once the tender deadline has passed, and a late change writes nothing', async () => {
    const later = 2 * HOUR;
    const view = await page(BID, { id: open, who: ann, later });
    expect(view.statusCode).toBe(200);
    const body = text(view);
    expect(body).toContain('your bid can no longer change');
    expect(body).toContain('Your bid as submitted');
    expect(body).not.toContain('Change');
    const pricePage = await page('GET /your-competitions/{id}/bid/price', { id: open, who: ann, later });
    expect(pricePage.statusCode).toBe(303);
    expect(pricePage.headers?.location).toBe(`/your-competitions/${open}/bid`);
    const late = await writesNothing(() =>
      page('POST /your-competitions/{id}/bid/price', { id: open, who: ann, later, form: { price: '1' } }),
    );
    expect(late.statusCode).toBe(409);
    expect(text(await page('GET /your-competitions', { who: ann, later }))).toContain('Bid being evaluated');
  });
});

describe('the opportunity page', () => {
  const opportunity = (id: string, who?: SignedIn) =>
    publicPages(
      httpEvent({
        routeKey: 'GET /find-an-opportunity/{id}',
        path: `/find-an-opportunity/${id}`,
        headers: { accept: 'text/html', ...(who ? { cookie: who.cookie } : {}) },
        pathParameters: { id },
      }),
      lambdaContext(),
    );

  it('offers each viewer the actions open to them now', async () => {
    expect(text(await opportunity(open))).toContain('Sign in to take part');
    expect(text(await opportunity(open, nina))).toContain('Register your organisation to take part');
    const annSees = await opportunity(open, ann);
    expect(annSees.body).toContain(`href="/your-competitions/${open}/bid"`);
    expect(annSees.body).toContain(`href="/your-competitions/${open}/questions"`);
    const applying = await opportunity(tiered, bob);
    expect(applying.body).toContain(`href="/your-competitions/${tiered}/prequalification"`);
    // Once pre-qualification has closed, nobody new may take part: Bob is offered nothing.
    const laterEvent = httpEvent({
      routeKey: 'GET /find-an-opportunity/{id}',
      path: `/find-an-opportunity/${tiered}`,
      headers: { accept: 'text/html', cookie: bob.cookie },
      pathParameters: { id: tiered },
    });
    laterEvent.requestContext.timeEpoch += 1.5 * HOUR;
    expect((await publicPages(laterEvent, lambdaContext())).body).not.toContain('What you can do now');
  });
});

describe('paging the list across organisations', () => {
  it('pages every competition of every organisation once, newest first, and refuses another list’s cursor', async () => {
    const one = await verifiedProvider('multi', 'First Org', {
      region: 'north_west',
      service: 'accommodation',
    });
    const two = await verifiedProvider('multi', 'Second Org', {
      region: 'north_west',
      service: 'accommodation',
    });
    for (const title of ['Paging A', 'Paging B']) {
      const id = await openCompetition({ title, region: 'north_west', service: 'accommodation' });
      for (const providerId of [one, two]) {
        await saveDraft(
          withSharedProviderData(repositories()),
          user('multi'),
          id,
          { providerId, pricePence: 0, qualityResponses: {}, subcontractors: [], consortium: [] },
          new Date(),
        );
      }
    }
    const deps = withSharedProviderData(repositories());
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 6; i++) {
      const page = await listCompetitionsTakingPart(deps, user('multi'), { limit: 1, cursor }, new Date());
      seen.push(...page.items.map((item) => `${item.title}/${item.providerName}`));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(new Set(seen)).toEqual(
      new Set(['Paging A/First Org', 'Paging A/Second Org', 'Paging B/First Org', 'Paging B/Second Org']),
    );
    expect(seen).toHaveLength(4);
    expect(seen.slice(0, 2).every((s) => s.startsWith('Paging B'))).toBe(true);
    const first = await listCompetitionsTakingPart(deps, user('multi'), { limit: 1 }, new Date());
    await expect(
      listCompetitionsTakingPart(
        deps,
        user('ann'),
        { limit: 1, cursor: first.nextCursor ?? undefined },
        new Date(),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
