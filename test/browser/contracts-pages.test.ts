/**
 * The contract and payment pages in a real browser (issue 11): the supply chain's refs on the contract
 * page, a spend return uploaded as a file (every bad row named with its line in the file, nothing stored),
 * the clear refusals of a wrong, empty or too large file and of the quarter in progress, the CSRF token
 * checked on the multipart form, the form's address safe to open with GET; for the sub-contractor, the
 * dispute form showing the line it disputes, and a line disputed once only, even from two tabs at once.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoDay, periodOf } from '../../shared/domain/subcontracting';
import type { TestApi } from '../support/api';
import { charityRegistration, uniqueDigits } from '../support/fixtures';
import { closeAll, expectAccessible, lastQuarter, openOnePage, screenshot } from './support';

let api: TestApi;
let browser: Browser;
let page: Page;
let problems: string[];

const owner = `pages-owner-${uniqueDigits(6)}`;
const subcontractor = `pages-sub-${uniqueDigits(6)}`;
const primeName = `Northern Lights Resettlement ${uniqueDigits(4)}`;
let contractId = '';
let subcontractorId = '';

const HEADER = 'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount';

async function signInAs(sub: string, returnTo: string): Promise<void> {
  await page.goto(returnTo);
  if (!page.url().includes('/local/sign-in')) {
    await page.click('button:has-text("Sign out")');
    await page.goto(returnTo);
  }
  await page.waitForURL(/\/local\/sign-in/);
  await page.fill('#sub', sub);
  await page.fill('#email', `${sub}@example.org`);
  await page.click('button:has-text("Sign in")');
  await page.waitForURL((url) => url.pathname === returnTo.split('?')[0]);
}

/** Chooses a file for the upload field. */
async function chooseFile(name: string, content: string | Buffer, mimeType = 'text/csv'): Promise<void> {
  await page.setInputFiles('#csvFile', {
    name,
    mimeType,
    buffer: typeof content === 'string' ? Buffer.from(content) : content,
  });
}

async function submitReturn(): Promise<void> {
  await page.click('button:has-text("File spend return")');
  await page.waitForLoadState('domcontentloaded');
}

beforeAll(async () => {
  ({ api, browser, page, problems } = await openOnePage());

  // A verified prime (the owner's) and sub-contractor, a contract, and its supply chain.
  const admin = await api.token('pages-admin', ['admin']);
  const register = async (sub: string, name: string) => {
    const created = await api.call('POST', '/providers', {
      token: await api.token(sub),
      body: charityRegistration({ name, size: 'small' }),
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await api.call('POST', `/providers/${id}/verify`, { token: admin })).status).toBe(200);
    return id;
  };
  const primeId = await register(owner, primeName);
  subcontractorId = await register(subcontractor, `Small Steps ${uniqueDigits(4)}`);
  const contract = await api.call('POST', '/contracts', {
    token: await api.token('pages-commissioner', ['commissioner']),
    body: {
      title: 'Family support, North West',
      primeProviderId: primeId,
      valuePence: 1_000_000_00,
      startDate: '2024-01-01',
      endDate: '2029-12-31',
      regions: ['north_west'],
      services: ['children_families'],
    },
  });
  expect(contract.status).toBe(201);
  contractId = (contract.body as { id: string }).id;
  const chain = await api.call('PUT', `/contracts/${contractId}/supply-chain`, {
    token: await api.token(owner),
    body: {
      subcontractors: [
        { ref: 'SUB1', providerId: subcontractorId, plannedValuePence: 100_000_00 },
        {
          ref: 'LOCAL-01',
          name: 'Hillside Family Project',
          sector: 'voluntary',
          size: 'micro',
          services: ['children_families'],
          plannedValuePence: 5_000_00,
        },
      ],
    },
  });
  expect(chain.status).toBe(200);
}, 180_000);

afterAll(() => closeAll(browser, api));

describe('the contract page', () => {
  it("shows the supply chain's refs, and no verdict on the target before any return", async () => {
    await signInAs(owner, `/your-contracts/${contractId}`);
    const chain = await page.locator('#supply-chain-table').textContent();
    expect(chain).toContain('SUB1');
    expect(chain).toContain('LOCAL-01');
    expect(chain).toContain('Hillside Family Project');
    const figures = await page.locator('.govuk-summary-list').first().textContent();
    expect(figures).toContain('not judged yet: no spend return filed');
    expect(figures).not.toMatch(/: met\b/);
    expect(await page.locator('input[type="file"]#csvFile').count()).toBe(1);
    await expectAccessible(page, 'contract with supply chain');
  }, 60_000);

  it('names every bad row of an uploaded file with its line in the file, and stores nothing', async () => {
    const { period, day } = lastQuarter();
    await page.goto(`/your-contracts/${contractId}`);
    await page.fill('#period', period);
    await chooseFile(
      'spend.csv',
      [HEADER, `SUB1,INV-1,${day(2)},${day(20)},1250.00`, `NOPE,INV-2,${day(2)},${day(20)},10.00`].join('\n'),
    );
    await submitReturn();
    await page.waitForSelector('#row-errors');
    const summary = await page.locator('.govuk-error-summary').textContent();
    expect(summary).toContain('spend.csv: Row 2 (line 3 of the file), column subcontractor_ref');
    const table = await page.locator('#row-errors tbody').textContent();
    expect(table).toContain('2 (line 3)');
    // The inline message points to the table where it is: above the form.
    const inline = await page.locator('#csvFile-error').textContent();
    expect(inline).toContain('1 row has a problem, listed in "Rows with problems" above');
    expect(inline).not.toContain('below');
    await expectAccessible(page, 'upload with row errors');
    await screenshot(page, 'spend-return-upload-errors');
    const none = await api.call('GET', `/contracts/${contractId}/spend-returns/${period}`, {
      token: await api.token(owner),
    });
    expect(none.status).toBe(404);

    // The failed page's address, opened with GET (Enter in the address bar), leads back to the form.
    const reopened = await page.goto(`/your-contracts/${contractId}/spend-returns`);
    expect(reopened?.status()).toBe(200);
    expect(new URL(page.url()).pathname).toBe(`/your-contracts/${contractId}`);
  }, 60_000);

  it('refuses a file that is not a CSV, an empty one, one over 5MB, both a file and pasted rows', async () => {
    const { period } = lastQuarter();
    const cases: [() => Promise<void>, string][] = [
      [
        () =>
          chooseFile('spend.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'application/octet-stream'),
        'The selected file must be a CSV',
      ],
      [() => chooseFile('spend.csv', ''), 'The selected file is empty'],
      [
        () => chooseFile('spend.csv', `${HEADER}\n${'x'.repeat(5 * 1024 * 1024)}`),
        'The selected file must be smaller than 5MB',
      ],
      [
        async () => {
          await chooseFile('spend.csv', HEADER);
          await page.fill('#csv', HEADER);
        },
        'Choose a CSV file or paste the rows, not both',
      ],
      [async () => undefined, 'Select a CSV file, or paste the rows of your spend return'],
    ];
    for (const [choose, message] of cases) {
      await page.goto(`/your-contracts/${contractId}`);
      await page.fill('#period', period);
      await choose();
      await submitReturn();
      await page.waitForSelector('.govuk-error-summary');
      await expect(page.locator('#csvFile-error').textContent()).resolves.toContain(message);
    }
    await expectAccessible(page, 'upload refused');
  }, 90_000);

  it('refuses the quarter in progress against the quarter field', async () => {
    const current = periodOf(isoDay(new Date()));
    await page.goto(`/your-contracts/${contractId}`);
    await page.fill('#period', current);
    await chooseFile('spend.csv', `${HEADER}\nSUB1,INV-9,${isoDay(new Date())},${isoDay(new Date())},5.00`);
    await submitReturn();
    await page.waitForSelector('#period-error');
    await expect(page.locator('#period-error').textContent()).resolves.toContain(
      `${current} has not ended yet`,
    );
  }, 60_000);

  it('checks the CSRF token of the multipart form', async () => {
    await page.goto(`/your-contracts/${contractId}`);
    const token = await page
      .locator('form[enctype="multipart/form-data"] input[name="csrfToken"]')
      .inputValue();
    const { period, day } = lastQuarter();
    const csv = {
      name: 'spend.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${HEADER}\nSUB1,INV-7,${day(2)},${day(9)},7.00`),
    };
    const forged = await page.request.post(`/your-contracts/${contractId}/spend-returns`, {
      multipart: { period, csvFile: csv },
      maxRedirects: 0,
    });
    expect(forged.status()).toBe(403);
    const wrong = await page.request.post(`/your-contracts/${contractId}/spend-returns`, {
      multipart: { csrfToken: `${token}x`, period, csvFile: csv },
      maxRedirects: 0,
    });
    expect(wrong.status()).toBe(403);
    const none = await api.call('GET', `/contracts/${contractId}/spend-returns/${period}`, {
      token: await api.token(owner),
    });
    expect(none.status).toBe(404);
  }, 60_000);

  it('files a good CSV file and judges the target', async () => {
    const { period, day } = lastQuarter();
    await page.goto(`/your-contracts/${contractId}`);
    await page.fill('#period', period);
    await chooseFile(
      'spend.csv',
      [
        HEADER,
        `SUB1,INV-1,${day(2)},${day(20)},1250.00`,
        `SUB1,INV-4,${day(5)},${day(50)},250.50`,
        `LOCAL-01,L-1,${day(3)},${day(6)},99.00`,
      ].join('\r\n'),
    );
    await submitReturn();
    await page.waitForSelector('.govuk-notification-banner--success');
    const figures = await page.locator('.govuk-summary-list').first().textContent();
    expect(figures).toContain('£1,599.50');
    expect(figures).toContain('not met yet');
    await expectAccessible(page, 'contract after upload');
  }, 60_000);
});

describe('payments and disputes', () => {
  it('shows the line on the dispute form, and marks it disputed once sent', async () => {
    await signInAs(subcontractor, '/your-payments');
    await page.click('a:has-text("Dispute"):has-text("INV-4")');
    await page.waitForURL(/\/your-payments\/dispute\?/);
    const line = await page.locator('.govuk-summary-list').textContent();
    for (const shown of ['Family support, North West', primeName, 'INV-4', '£250.50'])
      expect(line).toContain(shown);
    await expectAccessible(page, 'dispute form with the line');
    await screenshot(page, 'dispute-form');
    const disputeUrl = page.url();
    await page.fill('#reason', 'We invoiced £300.50.');
    await page.click('button:has-text("Send dispute")');
    await page.waitForSelector('.govuk-notification-banner--success');
    const row = page.locator('tr', { hasText: 'INV-4' });
    await expect(row.textContent()).resolves.toContain('Disputed');
    expect(await row.locator('a:has-text("Dispute")').count()).toBe(0);
    // Its old address says it is disputed already, with no form.
    await page.goto(disputeUrl);
    await expect(page.locator('h1').textContent()).resolves.toContain('already disputed');
    expect(await page.locator('#reason').count()).toBe(0);
    await expectAccessible(page, 'already disputed');
  }, 60_000);

  it('fits a 375-pixel screen: the payments table scrolls in its own box, the page does not', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      await page.goto('/your-payments');
      // Evaluated in the page (a string: this project's TypeScript has no DOM types).
      const widths = (await page.evaluate(
        `({ page: document.documentElement.scrollWidth,
            table: document.querySelector('.app-table-scroll')?.scrollWidth ?? 0 })`,
      )) as { page: number; table: number };
      expect(widths.page).toBeLessThanOrEqual(375);
      expect(widths.table).toBeGreaterThan(375);
      await expectAccessible(page, 'payments at 375 pixels');
      await screenshot(page, 'payments-375');
    } finally {
      await page.setViewportSize({ width: 1024, height: 768 });
    }
  }, 60_000);

  it('fits the contract page, with its widest tables and the upload form, on a 375-pixel screen', async () => {
    // As the prime's owner, who also sees the upload form with its long CSV header (signed in at full
    // width: at 375 pixels the navigation's Sign out sits behind the Menu button).
    await signInAs(owner, `/your-contracts/${contractId}`);
    await page.setViewportSize({ width: 375, height: 812 });
    try {
      await page.reload();
      expect(await page.locator('input[type=file]').count()).toBe(1);
      // The elements that stick out of the viewport, outside any sideways-scrolling box.
      const wide = (await page.evaluate(
        `[...document.querySelectorAll('body *')]
          .filter((e) => !e.closest('.app-table-scroll') && e.getBoundingClientRect().right > 376)
          .map((e) => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))`,
      )) as string[];
      expect(wide).toEqual([]);
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
      await expectAccessible(page, 'contract at 375 pixels');
    } finally {
      await page.setViewportSize({ width: 1024, height: 768 });
      await signInAs(subcontractor, '/your-payments');
    }
  }, 60_000);

  it('stores one dispute when a line is sent from two tabs at once', async () => {
    await page.goto('/your-payments');
    const href = await page.locator('a:has-text("Dispute"):has-text("INV-1")').getAttribute('href');
    await page.goto(href ?? '');
    const form = Object.fromEntries(
      await Promise.all(
        ['csrfToken', 'contractId', 'period', 'lineId'].map(
          async (name) =>
            [
              name,
              await page.locator(`form[action="/your-payments/dispute"] input[name="${name}"]`).inputValue(),
            ] as const,
        ),
      ),
    );
    const send = (reason: string) =>
      page.request.post('/your-payments/dispute', { form: { ...form, reason }, maxRedirects: 0 });
    const statuses = (await Promise.all([send('Tab one'), send('Tab two')])).map((r) => r.status()).sort();
    expect(statuses).toEqual([303, 409]);
    const disputes = await api.call('GET', `/contracts/${contractId}/disputes`, {
      token: await api.token(owner),
    });
    const items = (disputes.body as { items: { line: { invoiceRef: string } }[] }).items;
    expect(items.filter((d) => d.line.invoiceRef === 'INV-1')).toHaveLength(1);
    expect(problems).toEqual([]);
  }, 60_000);
});
