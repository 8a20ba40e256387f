/**
 * A small charity's whole competition journey on the web, in a real browser (issue 15): it opens the
 * opportunity, asks a clarification question that the lead answers to every bidder (published without the
 * asker), downloads the specification the lead uploaded through the no-script S3 form, applies as a
 * consortium (its partner agrees to be named through the API: there is no page for that), drafts a bid,
 * saves it and resumes it in another browser, submits it, sees that the specification changed and
 * resubmits against the new version, reads its debrief and challenges the award decision, which keeps the
 * lead from confirming the award until the lead rejects the challenge.
 *
 * The commissioning side of what the commissioning journey already covers page by page (the competition,
 * its panel and declarations, marking, shortlisting, scoring and moderation) goes through the JSON API, to
 * keep the test short; the lead's pages this issue adds (questions, documents, challenges) and the award
 * decision and confirmation are used in the browser. A rival bidder responds and bids through the API and
 * wins, so the charity is debriefed as unsuccessful. axe checks every page visited, every form is first sent
 * with a mistake where one can be made, and no page logs a console error.
 *
 * Time: the competition is created through the API with its deadlines seconds ahead, enough for what must
 * happen before each on a busy machine, and the test waits for them (under four minutes in all on a quiet
 * machine, mostly waiting). The test environment sets the minimum periods and the standstill to zero days; clarification
 * questions close at the current deadline here (the rule `CLARIFICATION_DAYS` sets, at 0), so questions can be
 * asked of a competition whose deadlines are minutes away.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import type { TestApi } from '../support/api';
import { competitionBody } from '../support/competitions';
import { uniqueDigits } from '../support/fixtures';
import { startTestDelivery, type TestDelivery } from '../support/outbox';
import { Journey, type Person, peopleAt, screenshot, submitTo, waitUntil, whereIs } from './support';

const person = peopleAt('provider-journey.example.org');

const LEAD = person('pj-lead', ['commissioner']);
const EVALUATORS = [person('pj-evaluator-1', ['commissioner']), person('pj-evaluator-2', ['commissioner'])];
const MODERATOR = person('pj-moderator', ['commissioner']);
const ADMIN = person('pj-admin', ['admin']);
/** The charity's owner, its consortium partner's owner, and the rival bidder's owner. */
const CHARITY = person('pj-charity-owner', []);
const PARTNER = person('pj-partner-owner', []);
const RIVAL = person('pj-rival-owner', []);

const CHARITY_NAME = `Second Chance Wigan ${uniqueDigits(4)}`;
const PARTNER_NAME = `Bridges Into Work ${uniqueDigits(4)}`;
const RIVAL_NAME = `Northgate Housing Trust ${uniqueDigits(4)}`;

const TITLE = 'Move-on accommodation for people leaving custody, North West';

/** The question as the charity asks it (naming itself), as the lead publishes it, and the answer. */
const ASKED = `${CHARITY_NAME} here: can we deliver the service from our drop-in centre in Wigan town centre?`;
const PUBLISHED = 'Can a bidder deliver the service from premises it already runs?';
const ANSWER = 'Yes, if the premises meet the standards in section 4 of the specification.';

/** The specification, version 1 and the version 2 the lead uploads while tendering. */
const SPEC_TITLE = 'Service specification';
const SPEC_V1 = Buffer.from('Service specification, version 1.\nSection 4: premises standards.\n');
const SPEC_V2 = Buffer.from(
  'Service specification, version 2.\nSection 4: premises standards.\nSection 5: a night-time on-call service.\n',
);

/** The quality criteria of `competitionBody` (quality of service 60, social value 10; price 30). */
const QUALITY_ANSWER = 'A named caseworker for every tenant, and move-on plans from the first week.';
const SOCIAL_VALUE_ANSWER = 'Volunteering and paid peer-mentor roles for people with lived experience.';
/** The rival is cheaper and scores higher: it wins, and the charity is debriefed as unsuccessful. */
const PRICES = { charity: 480_000_00, rival: 450_000_00 };
const SCORES = { charity: [3, 3], rival: [5, 4] } as const;

/**
 * How far ahead of the competition's creation the pre-qualification deadline is: enough for the document
 * upload, the question and its answer, the download and the consortium application in the browser on a
 * busy machine. The tender deadline follows it by enough for the shortlist, the bid drafted, resumed and
 * submitted, the new document version and the resubmission. (With a load average of 7 on two cores these
 * took about 80 and 60 seconds.)
 */
const PREQUALIFICATION_LEAD_MS = 140_000;
const TENDER_AFTER_MS = 110_000;

const journey = new Journey();
const { as, checkPage, submitWithErrors, tokenOf } = journey;
let api: TestApi;
/** The outbox delivery (issue 17): it writes the notifications of a changed document after the change. */
let delivery: TestDelivery | undefined;

const providers = { charity: '', partner: '', rival: '' };
const responses = { charity: '', rival: '' };
const bids = { charity: '', rival: '' };
let competitionId = '';
let documentId = '';
let challengeId = '';
let prequalificationDeadline = 0;
let tenderDeadline = 0;

const CONTINUE = 'button:has-text("Continue")';
const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

/** Presses a button whose page comes back at the same address (a form's POST answered in place, or a redirect to itself). */
async function pressAndLoad(page: Page, button: string): Promise<void> {
  await Promise.all([page.waitForEvent('load'), page.click(button)]);
}

/** An element's text with its white space collapsed. */
async function textOf(page: Page, selector: string): Promise<string> {
  return ((await page.locator(selector).first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The lead adds the specification (`documentId` empty) or a new version of it on the documents pages: the
 * form saying what it is (sent first with a mistake), then the page whose form posts the file straight to
 * S3, which sends the browser back to the documents page.
 */
async function uploadSpecification(page: Page, file: Buffer, version: number): Promise<void> {
  const base = `/commissioning/${competitionId}/documents`;
  const form = version === 1 ? 'the add-a-document form' : 'the new-version form';
  if (version === 1) {
    await submitWithErrors(page, CONTINUE, form, ['#title', '#kind', '#contentType']);
    await page.fill('#title', SPEC_TITLE);
    await page.check('input[name="kind"][value="specification"]');
  } else {
    // Title and kind are kept from version 1; the type of the new file is asked again.
    await expect(page.inputValue('#title')).resolves.toBe(SPEC_TITLE);
    await submitWithErrors(page, CONTINUE, form, ['#contentType']);
  }
  await page.selectOption('#contentType', 'text/plain');
  const response = page.waitForResponse(
    (r) => r.request().isNavigationRequest() && r.request().method() === 'POST',
  );
  await page.click(CONTINUE);
  expect((await response).status(), `${form} sent`).toBe(200);
  await page.waitForSelector('input[type="file"]#file');
  await expect(textOf(page, 'h1')).resolves.toBe(`Choose the file for ${SPEC_TITLE}`);
  await checkPage(page, `choose the file (version ${version})`);
  await page.setInputFiles('#file', { name: 'specification.txt', mimeType: 'text/plain', buffer: file });
  await submitTo(
    page,
    'button:has-text("Upload the file")',
    `${base}?done=${version === 1 ? 'uploaded' : 'version-uploaded'}`,
  );
  await expect(textOf(page, `#document-list`)).resolves.toContain(`version ${version}`);
  await checkPage(page, `the documents after version ${version} was uploaded`);
}

/** Calls the API as a person, expecting a status. */
async function apiAs(
  who: Person,
  method: string,
  path: string,
  body: unknown,
  status: number,
): Promise<{ body: unknown }> {
  const result = await api.call(method, path, {
    token: await tokenOf(who),
    ...(body !== undefined ? { body } : {}),
  });
  expect(result.status, `${who.sub}: ${method} ${path} (${result.text.slice(0, 300)})`).toBe(status);
  return result;
}

beforeAll(async () => {
  // As `CLARIFICATION_DAYS=0` would: questions close at the current deadline itself, not five days before
  // it. The configuration is read once per test file, by the setup files before this file runs, so the
  // rule is set on the configuration the in-process gateway uses.
  config().rules.clarificationDays = 0;
  await journey.start();
  api = journey.api;
  delivery = await startTestDelivery();
  // Registered, verified and accredited in the competition's region and service.
  const admin = await tokenOf(ADMIN);
  providers.charity = await journey.verifiedAccreditedProvider(CHARITY, CHARITY_NAME, admin);
  providers.partner = await journey.verifiedAccreditedProvider(PARTNER, PARTNER_NAME, admin);
  providers.rival = await journey.verifiedAccreditedProvider(RIVAL, RIVAL_NAME, admin);

  // The competition (tier core), its panel, everyone's declarations, published: through the API, which the
  // commissioning journey covers on the pages.
  prequalificationDeadline = Date.now() + PREQUALIFICATION_LEAD_MS;
  tenderDeadline = prequalificationDeadline + TENDER_AFTER_MS;
  const created = await apiAs(
    LEAD,
    'POST',
    '/competitions',
    competitionBody({
      title: TITLE,
      prequalificationDeadline: new Date(prequalificationDeadline).toISOString(),
      tenderDeadline: new Date(tenderDeadline).toISOString(),
    }),
    201,
  );
  competitionId = (created.body as { id: string }).id;
  expect(created.body).toMatchObject({ prequalificationTier: 'core' });
  const base = `/competitions/${competitionId}`;
  await apiAs(
    LEAD,
    'PUT',
    `${base}/panel`,
    { evaluators: EVALUATORS.map((e) => e.sub), moderator: MODERATOR.sub },
    200,
  );
  for (const who of [LEAD, ...EVALUATORS, MODERATOR])
    await apiAs(who, 'POST', `${base}/declarations`, { conflicts: [] }, 201);
  await apiAs(LEAD, 'POST', `${base}/publish`, undefined, 200);

  // The rival applies through the API.
  const rival = await apiAs(
    RIVAL,
    'POST',
    `${base}/prequalification-responses`,
    { answers: { 'technical.relevant-experience': 'Four supported housing contracts since 2022.' } },
    201,
  );
  responses.rival = (rival.body as { id: string }).id;
}, 120_000);

afterAll(async () => {
  await delivery?.stop();
  await journey.close();
});

describe('a verified charity competes on the web, from the opportunity to a challenge of the award', () => {
  it('the lead uploads the specification through the no-script form that posts the file to S3', async () => {
    const page = await as(LEAD, `/commissioning/${competitionId}/documents`);
    await expect(textOf(page, '#no-documents')).resolves.toContain('No documents have been published yet');
    await checkPage(page, 'the documents, none yet');
    await uploadSpecification(page, SPEC_V1, 1);
    const item = page.locator('#document-list > li').first();
    documentId = ((await item.getAttribute('id')) ?? '').replace(/^document-/, '');
    expect(documentId).toMatch(new RegExp(`^${ULID}$`));
  }, 90_000);

  it('the charity opens the opportunity and asks a clarification question', async () => {
    const page = await as(CHARITY, `/find-an-opportunity/${competitionId}`);
    await expect(textOf(page, 'h1')).resolves.toBe(TITLE);
    await expect(textOf(page, '#document-list')).resolves.toContain(SPEC_TITLE);
    await checkPage(page, 'the opportunity');
    await submitTo(page, 'a:has-text("Ask a question")', `/your-competitions/${competitionId}/questions`);
    await checkPage(page, 'the questions page, nothing asked');
    await submitWithErrors(page, 'button:has-text("Send your question")', 'the question form', ['#question']);
    await page.fill('#question', ASKED);
    await submitTo(
      page,
      'button:has-text("Send your question")',
      `/your-competitions/${competitionId}/questions?done=asked`,
    );
    const own = await textOf(page, '[id^="own-"]');
    expect(own).toContain('Waiting for an answer');
    expect(own).toContain(ASKED);
    await checkPage(page, 'the questions page, a question asked');
  }, 60_000);

  it('the lead answers it to every bidder, and the answer is published without the asker', async () => {
    const base = `/commissioning/${competitionId}`;
    const lead = await as(LEAD, `${base}/questions`);
    // Declared insiders see who asked.
    await expect(textOf(lead, 'main')).resolves.toContain(CHARITY_NAME);
    await checkPage(lead, 'the questions (the lead)');
    await submitTo(lead, 'a:has-text("Answer this question")', new RegExp(`^${base}/questions/${ULID}$`));
    await expect(lead.inputValue('#publishedQuestion')).resolves.toBe(ASKED);
    await checkPage(lead, 'the answer form');
    await submitWithErrors(lead, 'button:has-text("Send the answer")', 'the answer form', [
      '#audience',
      '#answer',
    ]);
    await lead.check('input[name="audience"][value="all"]');
    await lead.fill('#publishedQuestion', PUBLISHED);
    await lead.fill('#answer', ANSWER);
    await submitTo(lead, 'button:has-text("Send the answer")', `${base}/questions?done=answered`);
    await checkPage(lead, 'the questions, answered');

    // On the opportunity page, for the charity and for anyone: the published wording and the answer, never
    // the asker or its own wording.
    const charity = await as(CHARITY, `/find-an-opportunity/${competitionId}`);
    const published = await textOf(charity, '#published-answers');
    expect(published).toContain(PUBLISHED);
    expect(published).toContain(ANSWER);
    expect(published).not.toContain(CHARITY_NAME);
    expect(published).not.toContain('Wigan');
    await checkPage(charity, 'the opportunity with a published answer');
    const anonymous = await api.call('GET', `/find-an-opportunity/${competitionId}`);
    expect(anonymous.status).toBe(200);
    expect(anonymous.text).toContain(PUBLISHED);
    expect(anonymous.text).not.toContain(CHARITY_NAME);
    expect(anonymous.text).not.toContain('Wigan');
    const log = await api.call('GET', `/competitions/${competitionId}/questions`);
    expect(log.body).toMatchObject({ items: [{ question: PUBLISHED, answer: ANSWER }] });
    expect(log.text).not.toContain(CHARITY_NAME);

    // The charity's own page says how its question was answered.
    await charity.goto(`/your-competitions/${competitionId}/questions`);
    const own = await textOf(charity, '[id^="own-"]');
    expect(own).toContain('Answered to all bidders');
    expect(own).toContain(PUBLISHED);
    await checkPage(charity, 'the questions page, answered to all');
  }, 90_000);

  it('the charity downloads the specification from the opportunity page', async () => {
    const page = await as(CHARITY, `/find-an-opportunity/${competitionId}`);
    const link = page.locator(`#document-${documentId} a[download]`).first();
    await expect(link.textContent()).resolves.toContain('Download');
    const href = (await link.getAttribute('href')) ?? '';
    // A short-lived presigned GET on the documents bucket, not through the API.
    expect(href).toMatch(/X-Amz-Signature=/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const saved = await download.path();
    expect(readFileSync(saved)).toEqual(SPEC_V1);
    const fileName = download.suggestedFilename();
    expect(fileName).toMatch(/\.txt$/);

    const fetched = await fetch(href);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(fetched.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="${fileName.replace(/[.]/g, '\\.')}"`),
    );
    expect(Buffer.from(await fetched.arrayBuffer())).toEqual(SPEC_V1);
  }, 60_000);

  it('the charity applies as a consortium, its partner having agreed to be named through the API', async () => {
    // No page exists for agreeing to be named: the partner's owner agrees through the API.
    await apiAs(
      PARTNER,
      'POST',
      `/competitions/${competitionId}/partnerships`,
      { providerId: providers.partner, bidderId: providers.charity, role: 'consortium-member' },
      201,
    );

    const base = `/your-competitions/${competitionId}/prequalification`;
    const page = await as(CHARITY, `/find-an-opportunity/${competitionId}`);
    await submitTo(page, 'a:has-text("Apply: answer the pre-qualification questions")', base);
    await expect(textOf(page, 'main')).resolves.toContain(`You are applying for ${CHARITY_NAME}`);
    await checkPage(page, 'the pre-qualification start page');
    await submitTo(page, 'a.govuk-button--start', new RegExp(`^${base}/[a-z-]+$`));

    // One topic per page: those the accreditation answers are shown, not asked.
    const fromAccreditation: string[] = [];
    for (let step = whereIs(new URL(page.url())); !step.endsWith('/consortium'); ) {
      const topic = step.split('/').at(-1) ?? '';
      await checkPage(page, `the pre-qualification topic ${topic}`);
      if ((await page.locator('main').textContent())?.includes('From your accreditation, valid until'))
        fromAccreditation.push(topic);
      const asked = page.locator('form textarea');
      if ((await asked.count()) > 0 && topic === 'technical') {
        await submitWithErrors(page, CONTINUE, 'the technical topic', ['#technical-relevant-experience']);
      }
      for (let i = 0; i < (await asked.count()); i++) {
        await asked.nth(i).fill('Three move-on accommodation contracts in Greater Manchester since 2021.');
      }
      const yesNo = page.locator('form input[type="radio"][value="no"]');
      for (let i = 0; i < (await yesNo.count()); i++) {
        const name = (await yesNo.nth(i).getAttribute('name')) ?? '';
        await page.check(`input[name="${name}"][value="${name.startsWith('exclusion') ? 'no' : 'yes'}"]`);
      }
      const amounts = page.locator('form input[inputmode="decimal"]');
      for (let i = 0; i < (await amounts.count()); i++) await amounts.nth(i).fill('250,000');
      const from = page.url();
      await Promise.all([page.waitForURL((url) => url.href !== from), page.click(CONTINUE)]);
      step = whereIs(new URL(page.url()));
      expect(step, 'the next pre-qualification step').toMatch(new RegExp(`^${base}/[a-z-]+$`));
    }
    expect(fromAccreditation.length, 'topics showing answers from the accreditation').toBeGreaterThan(0);

    // The consortium: a member with nothing typed, then the partner.
    await checkPage(page, 'the consortium page, no members');
    await submitWithErrors(page, 'button:has-text("Add this member")', 'adding a consortium member', [
      '#providerId',
      '#role',
    ]);
    await page.fill('#providerId', providers.partner);
    await page.fill('#role', 'Education, training and employment support for tenants');
    await pressAndLoad(page, 'button:has-text("Add this member")');
    const members = await textOf(page, '.govuk-summary-list');
    expect(members).toContain(PARTNER_NAME);
    expect(members).toContain('verified, accredited, agreed to be named');
    await checkPage(page, 'the consortium page with the partner');
    await submitTo(page, CONTINUE, `${base}/check`);
    await expect(textOf(page, 'main')).resolves.toContain(PARTNER_NAME);
    await checkPage(page, 'check your pre-qualification answers');
    await submitTo(page, 'button:has-text("Apply")', `${base}/confirmation`);
    responses.charity = await textOf(page, '.govuk-panel__body strong');
    expect(responses.charity).toMatch(new RegExp(`^${ULID}$`));
    await checkPage(page, 'the pre-qualification confirmation');
    expect(Date.now(), 'the application went in before pre-qualification closed').toBeLessThan(
      prequalificationDeadline,
    );
  }, 120_000);

  it(
    'after pre-qualification closes the panel marks both applications and the lead shortlists them',
    async () => {
      await waitUntil(prequalificationDeadline);
      const base = `/competitions/${competitionId}`;
      const listed = await apiAs(LEAD, 'GET', `${base}/prequalification-responses`, undefined, 200);
      const items = (listed.body as { items: { id: string; providerId: string; consortium?: unknown }[] })
        .items;
      // The charity's application names its partner.
      expect(items.find((r) => r.id === responses.charity)).toMatchObject({
        providerId: providers.charity,
        consortium: [expect.objectContaining({ providerId: providers.partner })],
      });
      for (const id of [responses.charity, responses.rival]) {
        await apiAs(
          EVALUATORS[0] as Person,
          'PUT',
          `${base}/prequalification-responses/${id}/marks`,
          { result: 'pass', comment: 'Meets every requirement.' },
          200,
        );
      }
      await apiAs(
        LEAD,
        'POST',
        `${base}/shortlist`,
        { responseIds: [responses.charity, responses.rival] },
        200,
      );
      // The rival bids through the API.
      await apiAs(
        RIVAL,
        'PUT',
        `${base}/bid`,
        {
          pricePence: PRICES.rival,
          qualityResponses: { quality: 'Our approach to move-on.', 'social-value': 'Local apprenticeships.' },
        },
        200,
      );
      const submitted = await apiAs(RIVAL, 'POST', `${base}/bid/submit`, undefined, 200);
      bids.rival = (submitted.body as { bidId: string }).bidId;
    },
    TENDER_AFTER_MS + PREQUALIFICATION_LEAD_MS,
  );

  it('the charity drafts its bid, saves it, resumes it in another browser and submits it', async () => {
    const base = `/your-competitions/${competitionId}/bid`;
    const page = await as(CHARITY, '/your-competitions');
    await expect(textOf(page, 'main')).resolves.toContain(TITLE);
    await checkPage(page, 'your competitions (the charity, shortlisted)');
    await page.goto(`/find-an-opportunity/${competitionId}`);
    await submitTo(page, 'a:has-text("Start your bid")', base);
    await checkPage(page, 'the bid task list, nothing done');

    // The first quality criterion (an answer too long first), then the second: save and come back later.
    await submitTo(page, 'a:has-text("Quality of service")', `${base}/quality/quality`);
    await checkPage(page, 'a quality criterion');
    await page.fill('#answer', 'x'.repeat(5_001));
    await submitWithErrors(page, 'button:has-text("Save and continue")', 'a quality answer', ['#answer']);
    await page.fill('#answer', QUALITY_ANSWER);
    await submitTo(page, 'button:has-text("Save and continue")', `${base}/quality/social-value`);
    await page.fill('#answer', SOCIAL_VALUE_ANSWER);
    await submitTo(page, 'button:has-text("Save and come back later")', `${base}?saved=yes`);
    await expect(textOf(page, '.govuk-notification-banner')).resolves.toContain('Your bid has been saved');
    await checkPage(page, 'the bid task list, saved');

    // Later, in another browser: the draft is the API's, not the browser's.
    const later = await as(CHARITY, base, { fresh: true });
    const tasks = await later.locator('.govuk-task-list__item').allTextContents();
    const status = (name: string) =>
      tasks.find((t) => t.includes(name))?.replace(/\s+/g, ' ') ?? `no task ${name}`;
    expect(status('Quality of service')).toContain('Completed');
    expect(status('Social value')).toContain('Completed');
    expect(status('Price')).toContain('Not started');
    await checkPage(later, 'the bid task list, resumed');
    await screenshot(later, 'provider-bid-task-list');

    await submitTo(later, 'a:has-text("Price")', `${base}/price`);
    await expect(later.inputValue('#price')).resolves.toBe('');
    await checkPage(later, 'the price');
    await later.fill('#price', 'about half a million');
    await submitWithErrors(later, 'button:has-text("Save and continue")', 'the price', ['#price']);
    await later.fill('#price', '480,000');
    await submitTo(later, 'button:has-text("Save and continue")', `${base}/subcontractors`);
    await checkPage(later, 'the sub-contractors');
    await submitWithErrors(later, 'button:has-text("Add this sub-contractor")', 'adding a sub-contractor', [
      '#name',
    ]);
    await submitTo(later, 'button:has-text("Save and continue")', `${base}/check`);
    const check = await textOf(later, '.govuk-summary-list');
    expect(check).toContain(QUALITY_ANSWER);
    expect(check).toContain(SOCIAL_VALUE_ANSWER);
    expect(check).toContain('£480,000');
    await checkPage(later, 'check your bid');
    await submitTo(later, 'button:has-text("Submit your bid")', `${base}/receipt`);
    const receipt = await textOf(later, 'main');
    expect(receipt).toContain('Version 1');
    expect(receipt).toContain(`${SPEC_TITLE} (Specification): version 1`);
    await checkPage(later, 'the bid receipt, version 1');
    expect(Date.now(), 'the bid went in before tenders closed').toBeLessThan(tenderDeadline);
  }, 120_000);

  it('the lead uploads a new version; the charity sees the change and resubmits against it', async () => {
    const lead = await as(LEAD, `/commissioning/${competitionId}/documents`);
    await submitTo(
      lead,
      `#document-${documentId} a:has-text("Upload a new version")`,
      `/commissioning/${competitionId}/documents/${documentId}`,
    );
    await checkPage(lead, 'the new-version form');
    await uploadSpecification(lead, SPEC_V2, 2);

    // The charity is told (it applied), and the opportunity page shows version 2 with version 1 kept.
    await delivery?.drain();
    const page = await as(CHARITY, `/your-organisation/${providers.charity}/notifications`);
    await expect(textOf(page, 'main')).resolves.toContain(
      `Tender document changed: ${SPEC_TITLE} is now version 2`,
    );
    await checkPage(page, "the charity's notifications");
    await page.goto(`/find-an-opportunity/${competitionId}`);
    const document = await textOf(page, `#document-${documentId}`);
    expect(document).toContain('version 2');
    expect(document).toContain('Version 1');
    await checkPage(page, 'the opportunity with version 2');
    const earlier = await page
      .locator(`#document-${documentId} .govuk-details a[download]`)
      .first()
      .getAttribute('href');
    const current = await page.locator(`#document-${documentId} a[download]`).first().getAttribute('href');
    expect(Buffer.from(await (await fetch(earlier ?? '')).arrayBuffer())).toEqual(SPEC_V1);
    expect(Buffer.from(await (await fetch(current ?? '')).arrayBuffer())).toEqual(SPEC_V2);

    // The bid says which version it answered; checking and submitting again makes version 2 of the bid.
    const base = `/your-competitions/${competitionId}/bid`;
    await page.goto(base);
    const bid = await textOf(page, 'main');
    expect(bid).toContain('You submitted version 1 of your bid');
    expect(bid).toContain(`${SPEC_TITLE} (Specification): version 1 – a newer version 2 is available`);
    await checkPage(page, 'the bid task list, submitted');
    await submitTo(page, 'a:has-text("Check and submit your bid")', `${base}/check`);
    await expect(textOf(page, '.govuk-warning-text')).resolves.toContain('it becomes version 2');
    await checkPage(page, 'check your bid, resubmitting');
    await submitTo(page, 'button:has-text("Submit your bid")', `${base}/receipt`);
    const receipt = await textOf(page, 'main');
    expect(receipt).toContain('Version 2');
    expect(receipt).toContain(`${SPEC_TITLE} (Specification): version 2`);
    await checkPage(page, 'the bid receipt, version 2');
    expect(Date.now(), 'the bid went in again before tenders closed').toBeLessThan(tenderDeadline);

    const own = await apiAs(CHARITY, 'GET', `/competitions/${competitionId}/bid`, undefined, 200);
    expect(own.body).toMatchObject({
      status: 'submitted',
      version: 2,
      submitted: { version: 2, documentVersions: { [documentId]: 2 } },
    });
    bids.charity = (own.body as { bidId: string }).bidId;
  }, 120_000);

  it(
    'after tenders close the panel scores, and the lead decides the award on the evaluation page',
    async () => {
      await waitUntil(tenderDeadline);
      const base = `/competitions/${competitionId}`;
      for (const evaluator of EVALUATORS) {
        for (const key of ['charity', 'rival'] as const) {
          const [quality, social] = SCORES[key];
          await apiAs(
            evaluator,
            'PUT',
            `${base}/bids/${bids[key]}/scores`,
            {
              scores: [
                { criterionId: 'quality', score: quality, justification: 'What the answer shows.' },
                { criterionId: 'social-value', score: social, justification: 'What the answer shows.' },
              ],
            },
            200,
          );
        }
      }
      for (const key of ['charity', 'rival'] as const) {
        const [quality, social] = SCORES[key];
        await apiAs(
          MODERATOR,
          'PUT',
          `${base}/bids/${bids[key]}/moderated-scores`,
          {
            scores: [
              { criterionId: 'quality', score: quality, rationale: 'Agreed by the panel.' },
              { criterionId: 'social-value', score: social, rationale: 'Agreed by the panel.' },
            ],
          },
          200,
        );
      }
      const evaluation = await apiAs(LEAD, 'GET', `${base}/evaluation`, undefined, 200);
      expect(evaluation.body).toMatchObject({
        complete: true,
        ranking: [
          { bidId: bids.rival, rank: 1 },
          { bidId: bids.charity, rank: 2 },
        ],
      });

      // After the deadline the charity's bid is read-only: what it submitted.
      const charity = await as(CHARITY, `/your-competitions/${competitionId}/bid`);
      await expect(textOf(charity, 'main')).resolves.toContain('Your bid as submitted');
      await checkPage(charity, 'the bid, read-only after the deadline');

      const page = await as(LEAD, `/commissioning/${competitionId}/evaluation`);
      await checkPage(page, 'the evaluation with the award form');
      await submitWithErrors(page, 'button:has-text("Decide the award")', 'the award form', [
        '#bidId',
        '#rationale',
      ]);
      await page.check(`input[name="bidId"][value="${bids.rival}"]`);
      await page.fill('#rationale', 'Ranked first on quality and price.');
      await submitTo(
        page,
        'button:has-text("Decide the award")',
        `/commissioning/${competitionId}/evaluation?done=decided`,
      );
      await checkPage(page, 'the evaluation in standstill');
    },
    TENDER_AFTER_MS + 90_000,
  );

  it('the charity reads its debrief and challenges the decision, which keeps the award from being confirmed', async () => {
    const base = `/your-competitions/${competitionId}`;
    const page = await as(CHARITY, `${base}/debrief`);
    const debrief = await textOf(page, 'main');
    expect(debrief).toContain('Your bid was not successful. It was ranked 2.');
    expect(debrief).toContain(RIVAL_NAME);
    await checkPage(page, 'the debrief');
    await submitTo(page, 'a:has-text("Challenge the award decision")', `${base}/challenge`);
    await checkPage(page, 'the challenge form');
    await submitWithErrors(page, 'button:has-text("Raise the challenge")', 'the challenge form', [
      '#grounds',
    ]);
    await page.fill(
      '#grounds',
      'The social value answer was marked down for not naming partners, which the specification did not ask for.',
    );
    await submitTo(page, 'button:has-text("Raise the challenge")', `${base}/challenge?done=raised`);
    await expect(textOf(page, '.govuk-notification-banner')).resolves.toContain(
      'Your challenge has been raised',
    );
    await checkPage(page, 'the challenge, raised');

    // The lead's evaluation page says why the award cannot be confirmed, and offers no confirmation.
    const lead = await as(LEAD, `/commissioning/${competitionId}/evaluation`);
    await expect(textOf(lead, 'main')).resolves.toContain('A challenge of the award decision is open');
    expect(await lead.locator('button:has-text("Confirm the award")').count()).toBe(0);
    await checkPage(lead, 'the evaluation with a challenge open');
    const refused = await api.call('POST', `/competitions/${competitionId}/award/confirm`, {
      token: await tokenOf(LEAD),
    });
    expect(refused.status).toBe(409);
    expect((refused.body as { type: string }).type).toMatch(/\/problems\/challenge-open$/);
  }, 90_000);

  it('the lead rejects the challenge, the charity is told, and the lead confirms the award', async () => {
    const base = `/commissioning/${competitionId}`;
    const lead = await as(LEAD, `${base}/evaluation`);
    await submitTo(lead, 'a:has-text("See the challenges")', `${base}/challenges`);
    await expect(textOf(lead, '#challenges')).resolves.toContain(CHARITY_NAME);
    await checkPage(lead, 'the challenges');
    await submitTo(lead, '#challenges a', new RegExp(`^${base}/challenges/${ULID}$`));
    challengeId = new URL(lead.url()).pathname.split('/').at(-1) ?? '';
    await checkPage(lead, 'a challenge with the decision form');
    await submitWithErrors(lead, 'button:has-text("Record the decision")', 'the challenge decision', [
      '#outcome',
      '#reasons',
    ]);
    await lead.check('input[name="outcome"][value="rejected"]');
    await lead.fill('#reasons', 'Section 6 of the specification asks for named partners for social value.');
    await submitTo(
      lead,
      'button:has-text("Record the decision")',
      `${base}/challenges/${challengeId}?done=decided`,
    );
    await checkPage(lead, 'the challenge, decided');

    const charity = await as(CHARITY, `/your-competitions/${competitionId}/challenge`);
    const told = await textOf(charity, 'main');
    expect(told).toContain('Rejected');
    expect(told).toContain('Section 6 of the specification');
    await checkPage(charity, 'the challenge, rejected');

    await lead.goto(`${base}/evaluation`);
    await submitTo(lead, 'button:has-text("Confirm the award")', `${base}/evaluation?done=confirmed`);
    await checkPage(lead, 'the evaluation once awarded');
    const awarded = await apiAs(LEAD, 'GET', `/competitions/${competitionId}`, undefined, 200);
    expect(awarded.body).toMatchObject({ status: 'awarded' });
  }, 90_000);

  it('every page visited is accessible, with and without errors, and logged no console error', () => {
    journey.expectNoProblems();
  });
});
