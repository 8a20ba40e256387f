/**
 * One competition of tier `core` run entirely through the commissioning workspace in a real browser
 * (issue 14), from the first question page to a confirmed award and its contract: the lead creates it
 * question by question, sets a panel of three evaluators and a moderator (an evaluator and the moderator
 * chosen by e-mail), declares and publishes; each panel member declares; an evaluator marks the
 * pre-qualification responses (the policy module gives marking to the panel) and the lead shortlists; each
 * evaluator scores each bid on their own and the moderator agrees the scores; the lead
 * reads the ranking (checked against `GET /competitions/{id}/evaluation`), decides the award, confirms it
 * and opens the contract; an auditor verifies the trail and an admin reads the alerts.
 *
 * Providers respond and bid through the JSON API: the provider pages for pre-qualification responses and
 * bids do not exist yet. axe checks every page visited, and every form is first sent with a mistake so its
 * error page is checked too.
 *
 * Time: the deadlines page takes times to the minute, so the deadlines are the next whole minutes far
 * enough ahead for what must happen before them, and the test waits for them (2 to 3 minutes in all,
 * mostly waiting: the two deadlines are a whole minute apart). The test environment sets the minimum
 * periods and the standstill to zero days.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api';
import { uniqueDigits } from '../support/fixtures';
import { Journey, type Person, peopleAt, screenshot, submitTo, waitUntil } from './support';

const person = peopleAt('journey.example.org');

const LEAD = person('journey-lead', ['commissioner']);
const EVALUATORS = [1, 2, 3].map((n) => person(`journey-evaluator-${n}`, ['commissioner']));
const MODERATOR = person('journey-moderator', ['commissioner']);
const AUDITOR = person('journey-auditor', ['auditor']);
const ADMIN = person('journey-admin', ['admin']);

/** The three applicants: A and B are shortlisted and bid, C is marked as failing and is not. */
const APPLICANTS = ['A', 'B', 'C'] as const;
type Applicant = (typeof APPLICANTS)[number];
const OWNERS: Record<Applicant, Person> = {
  A: person('journey-owner-a', []),
  B: person('journey-owner-b', []),
  C: person('journey-owner-c', []),
};
const NAMES: Record<Applicant, string> = {
  A: `Northgate Housing Trust ${uniqueDigits(4)}`,
  B: `Open Door Homes ${uniqueDigits(4)}`,
  C: `Harbour Lights Support ${uniqueDigits(4)}`,
};
/** A's price is higher, but its quality wins: the award is the most economically advantageous bid. */
const PRICES: Partial<Record<Applicant, number>> = { A: 480_000_00, B: 450_000_00 };

const TITLE = 'Supported housing for people leaving custody, North West';

/** The quality criteria the lead adds, in order, and the price criterion (weights total 100). */
const QUALITY = [
  { name: 'Quality of service', weight: 60 },
  { name: 'Social value', weight: 10 },
] as const;
const PRICE = { name: 'Price', weight: 30 } as const;

/**
 * Each evaluator's scores (quality of service, social value) for A and B, and the moderated scores the
 * ranking counts.
 */
const EVALUATOR_SCORES: Record<'A' | 'B', [number, number][]> = {
  A: [
    [4, 3],
    [5, 3],
    [4, 2],
  ],
  B: [
    [3, 4],
    [3, 3],
    [2, 4],
  ],
};
const MODERATED: Record<'A' | 'B', [number, number]> = { A: [4, 3], B: [3, 4] };

/**
 * How far ahead of the moment the deadlines are typed the pre-qualification deadline is at least: enough
 * for creating, setting the panel, declaring, publishing and three responses on a busy machine. The
 * tender deadline is a minute after it: enough for marking, shortlisting and two bids.
 */
const PREQUALIFICATION_LEAD_MS = 20_000;
const TENDER_AFTER_MS = 60_000;

const journey = new Journey();
const { as, checkPage, submitWithErrors, tokenOf } = journey;
let api: TestApi;

const providers = {} as Record<Applicant, string>;
const responseIds = {} as Record<Applicant, string>;
const bidIds = {} as Record<'A' | 'B', string>;
let competitionId = '';
let prequalificationDeadline = 0;
let tenderDeadline = 0;
let criteria: { id: string; name: string; kind: string; weight: number }[] = [];

const CONTINUE = 'button:has-text("Continue")';

/** The next whole minute at or after a moment: the deadlines page takes times to the minute. */
const wholeMinuteFrom = (at: number) => Math.ceil(at / 60_000) * 60_000;

const UK_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A moment as the deadlines page asks for it: day, month, year and a time in UK time. */
function ukFields(at: number): { day: string; month: string; year: string; time: string } {
  const parts = Object.fromEntries(UK_TIME.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return {
    day: parts.day ?? '',
    month: parts.month ?? '',
    year: parts.year ?? '',
    time: `${parts.hour}:${parts.minute}`,
  };
}

/**
 * Types a deadline into the GOV.UK date input and time field named `name`. (In the hour the clocks go back
 * the page reads a repeated time as the first, summer-time one: a run in that hour would type a deadline an
 * hour early, which the page refuses as past.)
 */
async function fillDeadline(page: Page, name: string, at: number): Promise<void> {
  const fields = ukFields(at);
  await page.fill(`#${name}-day`, fields.day);
  await page.fill(`#${name}-month`, fields.month);
  await page.fill(`#${name}-year`, fields.year);
  await page.fill(`#${name}-time`, fields.time);
}

/** The cells' text of each row of a table, trimmed. */
async function tableRows(page: Page, table: string): Promise<string[][]> {
  const rows = page.locator(`${table} tbody tr`);
  const out: string[][] = [];
  for (let i = 0; i < (await rows.count()); i++) {
    const cells = await rows.nth(i).locator('th, td').allTextContents();
    out.push(cells.map((c) => c.replace(/\s+/g, ' ').trim()));
  }
  return out;
}

/** Fills a scoring or moderation form: a score and a note for each quality criterion, in the page's order. */
async function fillScores(page: Page, scores: readonly number[], note: 'justification' | 'rationale') {
  const quality = criteria.filter((c) => c.kind === 'quality');
  for (const [i, criterion] of quality.entries()) {
    await expect(page.locator(`input[name="scores.${i}.criterionId"]`).inputValue()).resolves.toBe(
      criterion.id,
    );
    await page.check(`input[name="scores.${i}.score"][value="${scores[i]}"]`);
    await page.fill(
      `textarea[name="scores.${i}.${note}"]`,
      `${criterion.name}: scored ${scores[i]} for what the answer shows.`,
    );
  }
}

/**
 * A panel member declares no conflict on the declaration page, from the task list that tells them to;
 * `checked`: axe on each page, and the form sent first with nothing chosen.
 */
async function declareNoConflict(member: Person, checked: boolean): Promise<void> {
  const base = `/commissioning/${competitionId}`;
  const page = await as(member, base);
  await expect(page.locator('#wall-position').textContent()).resolves.toContain(
    'Declare your interests before you can see responses',
  );
  if (checked) await checkPage(page, 'the task list of a panel member who has not declared');
  await page.goto(`${base}/declaration`);
  if (checked) {
    await checkPage(page, "a panel member's declaration");
    await submitWithErrors(page, 'button:has-text("Sign the declaration")', 'the declaration', ['#answer']);
  }
  await page.check('input[name="answer"][value="none"]');
  await submitTo(page, 'button:has-text("Sign the declaration")', `${base}?done=declared`);
  await expect(page.locator('#wall-position').textContent()).resolves.toContain('You are inside the wall');
  if (checked) await checkPage(page, 'the task list of a panel member inside the wall');
}

beforeAll(async () => {
  await journey.start();
  api = journey.api;
  // Three verified, accredited providers whose services and regions match the competition.
  const admin = await tokenOf(ADMIN);
  for (const key of APPLICANTS)
    providers[key] = await journey.verifiedAccreditedProvider(OWNERS[key], NAMES[key], admin);
  // The panel have signed in before, so the lead can choose them by the e-mail address they sign in with.
  for (const member of [...EVALUATORS, MODERATOR]) await as(member, '/commissioning');
}, 120_000);

afterAll(() => journey.close());

describe('one competition of tier core, through the commissioning workspace', () => {
  it('the lead creates it question by question: the tier shown as core, criteria added one by one', async () => {
    const page = await as(LEAD, '/commissioning');
    await checkPage(page, 'your competitions (the lead, none yet)');
    await submitTo(page, 'a:has-text("Create a competition")', '/commissioning/new/title');

    // Title and description.
    await checkPage(page, 'the title question');
    await page.fill('#title', TITLE);
    await submitWithErrors(page, CONTINUE, 'the title question', ['#description']);
    await expect(page.inputValue('#title')).resolves.toBe(TITLE);
    await page.fill(
      '#description',
      'Supported housing and tenancy sustainment for people leaving custody in the North West.',
    );
    await submitTo(page, CONTINUE, '/commissioning/new/services');

    // Services, then regions.
    await checkPage(page, 'the services question');
    await submitWithErrors(page, CONTINUE, 'the services question', ['#services']);
    await page.check('input[name="services"][value="accommodation"]');
    await submitTo(page, CONTINUE, '/commissioning/new/regions');
    await checkPage(page, 'the regions question');
    await submitWithErrors(page, CONTINUE, 'the regions question', ['#regions']);
    await page.check('input[name="regions"][value="north_west"]');
    await submitTo(page, CONTINUE, '/commissioning/new/value');

    // Value, term and risk: £500,000 over 36 months at medium risk is core pre-qualification.
    await checkPage(page, 'the value question');
    await page.fill('#estimatedValuePence', 'half a million');
    await page.fill('#termMonths', '36');
    await page.check('input[name="risk"][value="medium"]');
    await submitWithErrors(page, CONTINUE, 'the value question', ['#estimatedValuePence']);
    await expect(page.inputValue('#termMonths')).resolves.toBe('36');
    await page.fill('#estimatedValuePence', '500,000');
    // Optional "Suitable for" (issue 17): saved searches for VCSE organisations then match it.
    await page.check('input[name="suitableFor"][value="vcse"]');
    await submitTo(page, CONTINUE, '/commissioning/new/tier');
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'This contract needs core pre-qualification',
    );
    await checkPage(page, 'the tier that follows');
    await submitTo(page, CONTINUE, '/commissioning/new/deadlines');

    // Deadlines: a date that does not exist first, then dates a year away for now; the real ones, minutes
    // away, are typed last through "Change" on the check page, so that the time they leave is for what
    // must happen before them.
    await checkPage(page, 'the deadlines question');
    const nextYear = String(new Date().getUTCFullYear() + 1);
    for (const [name, day] of [
      ['prequalificationDeadline', '31'],
      ['tenderDeadline', '30'],
    ] as const) {
      await page.fill(`#${name}-day`, day);
      await page.fill(`#${name}-month`, '2');
      await page.fill(`#${name}-year`, nextYear);
      await page.fill(`#${name}-time`, '17:00');
    }
    await submitWithErrors(page, CONTINUE, 'the deadlines question', ['#prequalificationDeadline-day']);
    await page.fill('#prequalificationDeadline-day', '1');
    await page.fill('#prequalificationDeadline-month', '3');
    await page.fill('#tenderDeadline-day', '1');
    await page.fill('#tenderDeadline-month', '5');
    await submitTo(page, CONTINUE, '/commissioning/new/criteria');

    // Award criteria, the "add another" pattern: a bad one, then quality criteria, Continue while the
    // weights total 70 (refused), then the price criterion.
    await checkPage(page, 'the criteria question');
    await page.fill('#criterion-name', QUALITY[0].name);
    await page.fill('#criterion-weight', 'sixty');
    await submitWithErrors(page, 'button:has-text("Add criterion")', 'adding a criterion', [
      '#criterion-kind',
      '#criterion-weight',
    ]);
    await expect(page.inputValue('#criterion-name')).resolves.toBe(QUALITY[0].name);
    const add = async (name: string, kind: 'quality' | 'price', weight: number) => {
      await page.fill('#criterion-name', name);
      await page.check(`input[name="criterion.kind"][value="${kind}"]`);
      await page.fill('#criterion-weight', String(weight));
      await page.click('button:has-text("Add criterion")');
      await page.waitForSelector(`.govuk-summary-list__key:text-is("${name}")`);
    };
    for (const criterion of QUALITY) await add(criterion.name, 'quality', criterion.weight);
    await expect(page.locator('#criteria').textContent()).resolves.toContain('The weights add up to 70');
    await submitWithErrors(page, CONTINUE, 'the criteria adding up to 70', ['#criteria']);
    await add(PRICE.name, 'price', PRICE.weight);
    await expect(page.locator('#criteria').textContent()).resolves.toContain('The weights add up to 100.');
    await checkPage(page, 'the criteria added');
    await submitTo(page, CONTINUE, '/commissioning/new/subcontracting');

    // Sub-contracting target (the default when blank) and the confidential section.
    await checkPage(page, 'the sub-contracting question');
    await page.fill('#subcontracting-targetPercent', 'lots');
    await submitWithErrors(page, CONTINUE, 'the sub-contracting question', ['#subcontracting-targetPercent']);
    await page.fill('#subcontracting-targetPercent', '');
    await submitTo(page, CONTINUE, '/commissioning/new/confidential');
    await checkPage(page, 'the confidential question');
    await page.fill('#confidential-budgetCeilingPence', 'a lot');
    await submitWithErrors(page, CONTINUE, 'the confidential question', ['#confidential-budgetCeilingPence']);
    await page.fill('#confidential-budgetCeilingPence', '550,000');
    await page.fill('#confidential-notes', 'The incumbent contract ends in March.');
    await submitTo(page, CONTINUE, '/commissioning/new/check-your-answers');

    // Check your answers: core pre-qualification; then the real deadlines through "Change".
    await checkPage(page, 'check your answers');
    const answers = await page.locator('.govuk-summary-list').textContent();
    expect(answers).toContain('Core pre-qualification');
    expect(answers).toContain('£500,000');
    expect(answers).toContain('VCSE organisations');
    await submitTo(
      page,
      'a[href^="/commissioning/new/deadlines?change=true"] >> nth=0',
      '/commissioning/new/deadlines?change=true',
    );
    prequalificationDeadline = wholeMinuteFrom(Date.now() + PREQUALIFICATION_LEAD_MS);
    tenderDeadline = prequalificationDeadline + TENDER_AFTER_MS;
    await fillDeadline(page, 'prequalificationDeadline', prequalificationDeadline);
    await fillDeadline(page, 'tenderDeadline', tenderDeadline);
    await submitTo(page, CONTINUE, '/commissioning/new/check-your-answers');
    await submitTo(
      page,
      'button:has-text("Create competition")',
      /^\/commissioning\/[0-9A-HJKMNP-TV-Z]{26}$/,
    );
    competitionId = new URL(page.url()).pathname.split('/')[2] ?? '';

    const created = await api.call('GET', `/competitions/${competitionId}`, { token: await tokenOf(LEAD) });
    expect(created.status).toBe(200);
    const competition = created.body as {
      status: string;
      prequalificationTier: string;
      prequalificationDeadline: string;
      tenderDeadline: string;
      criteria: typeof criteria;
    };
    expect(competition).toMatchObject({ status: 'draft', prequalificationTier: 'core' });
    expect(Date.parse(competition.prequalificationDeadline)).toBe(prequalificationDeadline);
    expect(Date.parse(competition.tenderDeadline)).toBe(tenderDeadline);
    criteria = competition.criteria;
    expect(criteria.map((c) => [c.name, c.kind, c.weight])).toEqual([
      ...QUALITY.map((c) => [c.name, 'quality', c.weight]),
      [PRICE.name, 'price', PRICE.weight],
    ]);
  }, 120_000);

  it('the lead sets the panel (two chosen by e-mail), declares and publishes before pre-qualification closes', async () => {
    const base = `/commissioning/${competitionId}`;
    const page = await as(LEAD, `${base}/wall`);
    await checkPage(page, 'the wall before the lead declares');
    await page.fill('#evaluators', [EVALUATORS[0]?.sub, EVALUATORS[1]?.sub, EVALUATORS[2]?.email].join('\n'));
    await page.fill('#moderator', MODERATOR.email);
    await submitTo(page, 'button:has-text("Set the panel")', `${base}/wall?done=panel`);

    await page.goto(`${base}/declaration`);
    await checkPage(page, "the lead's declaration");
    await page.check('input[name="answer"][value="none"]');
    await submitTo(page, 'button:has-text("Sign the declaration")', `${base}?done=declared`);
    await expect(page.locator('#wall-position').textContent()).resolves.toContain('You are inside the wall');

    await page.goto(`${base}/publish`);
    await checkPage(page, 'check and publish');
    await submitTo(page, 'button:has-text("Publish the competition")', `${base}?done=published`);
    await expect(page.locator('.govuk-summary-list .govuk-tag').first().textContent()).resolves.toMatch(
      /^\s*Pre-qualification\s*$/,
    );

    // The providers respond through the API (there is no provider page for it yet).
    const answers = { 'technical.relevant-experience': 'Three supported housing contracts since 2023.' };
    for (const key of APPLICANTS) {
      const response = await api.call('POST', `/competitions/${competitionId}/prequalification-responses`, {
        token: await tokenOf(OWNERS[key]),
        body: { answers },
      });
      expect(response.status, `${key}'s response`).toBe(201);
      responseIds[key] = (response.body as { id: string }).id;
    }
    expect(Date.now(), 'the responses went in before pre-qualification closed').toBeLessThan(
      prequalificationDeadline,
    );
    await checkPage(page, 'the task list once published');
  }, 60_000);

  it('each panel member declares no conflict, and the lead sees every seat inside the wall', async () => {
    const base = `/commissioning/${competitionId}`;
    // Before pre-qualification closes if there is time (nothing here has to be), so that what must happen
    // between the two deadlines is only the marking, the shortlist and the bids.
    for (const [i, member] of [...EVALUATORS, MODERATOR].entries()) await declareNoConflict(member, i === 0);

    // An evaluator's own list shows the competition, their seat and its status.
    const evaluator = await as(EVALUATORS[0] as Person, '/commissioning');
    const row = evaluator.locator('tr', { hasText: TITLE });
    await expect(row.textContent()).resolves.toMatch(/(Pre-qualification|Shortlisting)[\s\S]*Evaluator/);
    await checkPage(evaluator, 'your competitions (an evaluator)');

    // The lead's wall: every seat inside, the ones chosen by e-mail by their user id; the panel form
    // refuses a moderator nobody has an account for.
    const lead = await as(LEAD, `${base}/wall`);
    const seats = await tableRows(lead, 'table');
    for (const member of [LEAD, ...EVALUATORS, MODERATOR]) {
      const seat = seats.find((cells) => cells[0] === member.sub);
      expect(seat?.[2], `${member.sub}'s standing`).toBe('Inside the wall');
    }
    await checkPage(lead, 'the wall with every seat declared');
    await lead.fill('#moderator', 'nobody@journey.example.org');
    await submitWithErrors(lead, 'button:has-text("Replace the panel")', 'the panel form', ['#moderator']);

    // Bids are sealed until the tender deadline, for the lead too.
    await lead.goto(`${base}/bids`);
    await expect(lead.locator('h1').textContent()).resolves.toBe('Bids are sealed');
    await checkPage(lead, 'bids sealed');
  }, 90_000);

  it('after pre-qualification closes an evaluator marks each response and the lead shortlists two', async () => {
    await waitUntil(prequalificationDeadline);
    const base = `/commissioning/${competitionId}`;
    // Marking is the panel's (the policy module: evaluators and the moderator mark, the lead decides).
    const evaluator = await as(EVALUATORS[0] as Person, `${base}/responses`);
    await checkPage(evaluator, 'the responses (an evaluator)');
    expect(await tableRows(evaluator, 'table')).toHaveLength(3);
    const marks: [Applicant, 'pass' | 'fail'][] = [
      ['A', 'pass'],
      ['B', 'pass'],
      ['C', 'fail'],
    ];
    for (const [key, result] of marks) {
      await submitTo(evaluator, `a:has-text("${NAMES[key]}")`, `${base}/responses/${responseIds[key]}`);
      if (key === 'A') {
        await checkPage(evaluator, 'a response with the marking form');
        await evaluator.fill('#comment', 'Strong experience of similar contracts.');
        await submitWithErrors(evaluator, 'button:has-text("Save your mark")', 'the marking form', [
          '#result',
        ]);
        await expect(evaluator.inputValue('#comment')).resolves.toBe(
          'Strong experience of similar contracts.',
        );
      }
      await evaluator.check(`input[name="result"][value="${result}"]`);
      await evaluator.fill(
        '#comment',
        result === 'pass' ? 'Meets every requirement.' : 'No similar contracts.',
      );
      await submitTo(
        evaluator,
        'button:has-text("Save your mark")',
        `${base}/responses?marked=${responseIds[key]}`,
      );
    }
    await checkPage(evaluator, 'the responses, marked');

    const page = await as(LEAD, `${base}/responses`);
    const marked = await tableRows(page, 'table');
    expect(marked.map((cells) => cells.at(-1))).toEqual(expect.arrayContaining(['1 pass', '1 fail']));
    await checkPage(page, 'the responses (the lead)');
    await submitTo(page, 'a:has-text("Choose the shortlist")', `${base}/shortlist`);
    await checkPage(page, 'the shortlist');
    await submitWithErrors(page, 'button:has-text("Shortlist and invite to tender")', 'the shortlist', [
      '#responseIds',
    ]);
    for (const key of ['A', 'B'] as const) {
      await page.check(`input[name="responseIds"][value="${responseIds[key]}"]`);
    }
    await submitTo(page, 'button:has-text("Shortlist and invite to tender")', `${base}?done=shortlisted`);
    await expect(page.locator('.govuk-notification-banner--success').textContent()).resolves.toContain(
      'Shortlist decided',
    );

    // The two shortlisted providers bid through the API (there is no provider page for it yet).
    const responsesTo = Object.fromEntries(criteria.map((c) => [c.id, `Our answer on ${c.name}.`]));
    delete responsesTo[criteria.find((c) => c.kind === 'price')?.id ?? ''];
    for (const key of ['A', 'B'] as const) {
      const token = await tokenOf(OWNERS[key]);
      const draft = await api.call('PUT', `/competitions/${competitionId}/bid`, {
        token,
        body: { pricePence: PRICES[key], qualityResponses: responsesTo },
      });
      expect(draft.status, `${key}'s bid`).toBe(200);
      const submitted = await api.call('POST', `/competitions/${competitionId}/bid/submit`, { token });
      expect(submitted.status, `${key}'s bid submitted`).toBe(200);
    }
    expect(Date.now(), 'the bids went in before tenders closed').toBeLessThan(tenderDeadline);

    await page.goto(`/commissioning/${competitionId}`);
    await checkPage(page, 'the task list while tendering');
    await screenshot(page, 'commissioning-task-list');
  }, 120_000);

  it('after tenders close each evaluator scores each bid on their own', async () => {
    await waitUntil(tenderDeadline);
    const base = `/commissioning/${competitionId}`;
    for (const [e, evaluator] of EVALUATORS.entries()) {
      const page = await as(evaluator, `${base}/bids`);
      if (e === 0) await checkPage(page, 'the bids (an evaluator)');
      for (const key of ['A', 'B'] as const) {
        if (!bidIds[key]) {
          const href = await page.locator(`a:has-text("${NAMES[key]}")`).getAttribute('href');
          bidIds[key] = href?.split('/').at(-1) ?? '';
        }
        await submitTo(page, `a:has-text("${NAMES[key]}")`, `${base}/bids/${bidIds[key]}`);
        // Nobody else's scores before moderation.
        expect(await page.locator('#side-by-side').count()).toBe(0);
        const scores = EVALUATOR_SCORES[key][e] ?? [0, 0];
        if (e === 0 && key === 'A') {
          await checkPage(page, "a bid with the evaluator's scoring form");
          await page.check(`input[name="scores.0.score"][value="${scores[0]}"]`);
          await submitWithErrors(page, 'button:has-text("Save your scores")', 'the scoring form', [
            '#scores-0-justification',
            '#scores-1-score',
          ]);
        }
        await fillScores(page, scores, 'justification');
        await submitTo(
          page,
          'button:has-text("Save your scores")',
          `${base}/bids?saved=scores&bid=${bidIds[key]}`,
        );
      }
      if (e === 0) await checkPage(page, 'the bids with scores saved');
    }
  }, 120_000);

  it('the moderator sees every score side by side and agrees the moderated scores', async () => {
    const base = `/commissioning/${competitionId}`;
    const page = await as(MODERATOR, `${base}/bids`);
    await checkPage(page, 'the bids (the moderator)');
    for (const key of ['A', 'B'] as const) {
      await submitTo(page, `a:has-text("${NAMES[key]}")`, `${base}/bids/${bidIds[key]}`);
      const sideBySide = await page.locator('#side-by-side ~ .app-table-scroll').first().textContent();
      for (const evaluator of EVALUATORS) expect(sideBySide).toContain(evaluator.sub);
      if (key === 'A') {
        await checkPage(page, 'a bid with every score side by side and the moderation form');
        await submitWithErrors(page, 'button:has-text("Save moderated scores")', 'the moderation form', [
          '#scores-0-score',
          '#scores-0-rationale',
        ]);
      }
      await fillScores(page, MODERATED[key], 'rationale');
      await submitTo(
        page,
        'button:has-text("Save moderated scores")',
        `${base}/bids?saved=moderation&bid=${bidIds[key]}`,
      );
    }
    await checkPage(page, 'the bids, moderated');
  }, 90_000);

  it("the lead's ranking is the API's, and the lead decides, confirms and opens the contract", async () => {
    const base = `/commissioning/${competitionId}`;
    const lead = await as(LEAD, base);
    await checkPage(lead, 'the task list in evaluation');
    await lead.goto(`${base}/evaluation`);

    const fromApi = await api.call('GET', `/competitions/${competitionId}/evaluation`, {
      token: await tokenOf(LEAD),
    });
    expect(fromApi.status).toBe(200);
    const evaluation = fromApi.body as {
      complete: boolean;
      ranking: {
        bidId: string;
        organisationId: string;
        qualityPoints: number;
        pricePoints: number;
        totalPoints: number;
        rank: number;
      }[];
    };
    expect(evaluation.complete).toBe(true);
    // The page's ranking, row by row: rank, the bid (by its link), quality, price and total points.
    const rows = lead.locator('#ranking tbody tr');
    expect(await rows.count()).toBe(evaluation.ranking.length);
    for (const [i, entry] of evaluation.ranking.entries()) {
      const row = rows.nth(i);
      const cells = (await row.locator('td, th').allTextContents()).map((c) => c.trim());
      const href = await row.locator('a').getAttribute('href');
      expect(href).toBe(`${base}/bids/${entry.bidId}`);
      const applicant = APPLICANTS.find((key) => providers[key] === entry.organisationId);
      expect(cells[1]).toContain(applicant ? NAMES[applicant] : entry.organisationId);
      expect(cells[0]).toBe(String(entry.rank));
      expect(cells[2]).toBe(entry.qualityPoints.toFixed(2));
      expect(cells[3]).toBe(entry.pricePoints.toFixed(2));
      expect(cells[4]).toBe(entry.totalPoints.toFixed(2));
    }
    // And the API's ranking is the scoring rules' (weight × score ÷ 5; price weight × lowest ÷ price):
    // A wins on quality though B is cheaper.
    expect(evaluation.ranking.map((r) => [r.organisationId, r.rank])).toEqual([
      [providers.A, 1],
      [providers.B, 2],
    ]);
    expect(evaluation.ranking[0]?.totalPoints).toBeCloseTo(48 + 6 + (30 * 450_000) / 480_000, 1);
    expect(evaluation.ranking[1]?.totalPoints).toBeCloseTo(36 + 8 + 30, 1);
    await checkPage(lead, 'the evaluation with the award form');
    await screenshot(lead, 'commissioning-evaluation');

    // The award: refused without a choice or reasons, then to the bid ranked first.
    await submitWithErrors(lead, 'button:has-text("Decide the award")', 'the award form', [
      '#bidId',
      '#rationale',
    ]);
    await lead.check(`input[name="bidId"][value="${bidIds.A}"]`);
    await lead.fill('#rationale', 'Ranked first: the best quality of service at a sustainable price.');
    await submitTo(lead, 'button:has-text("Decide the award")', `${base}/evaluation?done=decided`);
    // The standstill is 0 days in tests: it has ended already, so confirming is offered.
    await checkPage(lead, 'the evaluation in standstill');
    await submitTo(lead, 'button:has-text("Confirm the award")', `${base}/evaluation?done=confirmed`);
    await checkPage(lead, 'the evaluation once awarded');
    await submitTo(
      lead,
      'a:has-text("View the contract")',
      /^\/commissioning\/contracts\/[0-9A-HJKMNP-TV-Z]{26}$/,
    );
    await expect(lead.locator('h1').textContent()).resolves.toBe(TITLE);
    await expect(lead.locator('.govuk-summary-list').textContent()).resolves.toContain(NAMES.A);
    await checkPage(lead, 'the contract');

    const contractId = new URL(lead.url()).pathname.split('/').at(-1) ?? '';
    const contract = await api.call('GET', `/contracts/${contractId}`, { token: await tokenOf(LEAD) });
    expect(contract.status).toBe(200);
    expect(contract.body).toMatchObject({ competitionId, primeProviderId: providers.A });
    const awarded = await api.call('GET', `/competitions/${competitionId}`, { token: await tokenOf(LEAD) });
    expect(awarded.body).toMatchObject({ status: 'awarded' });

    await lead.goto('/commissioning');
    await expect(lead.locator('tr', { hasText: TITLE }).textContent()).resolves.toMatch(
      /Awarded[\s\S]*Lead commissioner/,
    );
    await checkPage(lead, 'your competitions (the lead, awarded)');
  }, 90_000);

  it('a bidder is refused an inside page, the auditor finds the trail valid and the admin sees the alert', async () => {
    const base = `/commissioning/${competitionId}`;
    // A member of a bidding organisation trying to read the bids: outside the wall, recorded and alerted.
    const bidder = await as(OWNERS.B, '/your-organisation');
    const refused = await bidder.goto(`${base}/bids`);
    expect(refused?.status()).toBe(403);
    await expect(bidder.locator('h1').textContent()).resolves.toBe(
      'You are outside the ethical wall for this competition',
    );
    await checkPage(bidder, 'the ethical-wall refusal');

    await api.drainAudit();
    const auditor = await as(AUDITOR, `${base}/audit`);
    await expect(auditor.locator('#verification + p').textContent()).resolves.toMatch(
      /Valid\s+The trail is intact/,
    );
    await expect(auditor.locator('#events').textContent()).resolves.toContain(LEAD.sub);
    await checkPage(auditor, 'the audit trail');

    const admin = await as(ADMIN, '/commissioning/alerts');
    const alert = admin.locator('#alerts tbody tr', { hasText: OWNERS.B.sub });
    await expect(alert.first().textContent()).resolves.toContain(TITLE);
    await checkPage(admin, 'the alerts');
  }, 60_000);

  it('every page visited is accessible, with and without errors, and logged no console error', () => {
    journey.expectNoProblems();
  });
});
