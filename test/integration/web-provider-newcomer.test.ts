/**
 * Findings of a newcomer's walk of the provider's competition journey and the lead's documents page
 * (issue 15), through the web functions' handlers over DynamoDB Local:
 * - on the sub-contractors and consortium pages, Enter in a field presses the form's first submit button:
 *   it must be "Add", never "Remove <the first one named>" (which removed it and lost what was typed);
 * - another organisation is named by the address of its page in Find a provider, which is what a
 *   volunteer can copy (the page shows no reference), and the page never asks for an "id";
 * - each pre-qualification step's title says which competition it is for, and the step has a Back link to
 *   the previous one;
 * - the tender documents say how long their download links work, and to reload the page for new ones;
 * - the lead's "choose the file" field is required and carries the size and type the page checks before
 *   the file goes to S3 (which answers a refused file with a page of XML);
 * - each bid step's title and caption name the competition (two bids open in two tabs are told apart), each
 *   step has one way back (a Back link, not breadcrumbs that hide it), limits are written "5,000", and the
 *   check page warns of replacing a submitted bid only while it is submitted (not once withdrawn).
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as applying } from '../../functions/web/applying';
import { handler as bidding } from '../../functions/web/bidding';
import { handler as commissioning } from '../../functions/web/commissioning';
import { handler as publicPages } from '../../functions/web/index';
import { config } from '../../shared/config';
import { documentClient } from '../../shared/db/client';
import { repositories } from '../../shared/db/repositories';
import type { DocumentVersion, TenderDocument } from '../../shared/domain/documents';
import { directoryReference } from '../../shared/web/pages/provider/directory-reference';
import { accredit, openCompetition, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const SUBCONTRACTORS = '/your-competitions/{id}/bid/subcontractors';
const STEP = '/your-competitions/{id}/prequalification/{step}';

let ann: SignedIn;
let lead: SignedIn;
let annOrg = '';
let carlOrg = '';
let open = '';
let tiered = '';

/**
 * The form whose `action` ends with `action`, and the submit buttons that belong to it: those inside it
 * without a `form` attribute naming another form, in document order (the first is the one Enter presses).
 */
function formButtons(html: string, action: string): { name: string; value: string; text: string }[] {
  const form = [...html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)].find(
    (m) => (m[1] ?? '').endsWith(action) && /<button/.test(m[2] ?? ''),
  );
  expect(form, `a form posting to ${action}`).toBeDefined();
  return [...(form?.[2] ?? '').matchAll(/<button\b([^>]*)>([\s\S]*?)<\/button>/g)]
    .filter((b) => !/\bform="/.test(b[1] ?? '') && !/type="(button|reset)"/.test(b[1] ?? ''))
    .map((b) => ({
      name: /name="([^"]*)"/.exec(b[1] ?? '')?.[1] ?? '',
      value: /value="([^"]*)"/.exec(b[1] ?? '')?.[1] ?? '',
      text: (b[2] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    }));
}

/** The buttons that name a form by its `form` attribute, with that form's id. */
function buttonsOfOtherForms(html: string): { form: string; value: string }[] {
  return [...html.matchAll(/<button\b([^>]*)\bform="([^"]+)"([^>]*)>/g)].map((b) => ({
    form: b[2] ?? '',
    value: /value="([^"]*)"/.exec(`${b[1]} ${b[3]}`)?.[1] ?? '',
  }));
}

/** Stores a tender document's metadata as the upload use case does (the pages need no file). */
async function storeDocument(competitionId: string, documentId: string, title: string): Promise<void> {
  const at = new Date().toISOString();
  const document: TenderDocument = {
    competitionId,
    documentId,
    title,
    kind: 'specification',
    currentVersion: 1,
    createdAt: at,
    updatedAt: at,
  };
  const stored: DocumentVersion = {
    version: 1,
    fileName: 'specification.pdf',
    contentType: 'application/pdf',
    sizeBytes: 2048,
    uploadedAt: at,
    uploadedBy: 'lead',
  };
  await documentClient().send(
    new TransactWriteCommand({ TransactItems: repositories().documents.createItems(document, stored) }),
  );
}

beforeAll(async () => {
  await useTestTables();
  const where = { region: 'north_west', service: 'accommodation' } as const;
  annOrg = await verifiedProvider('nc-ann', 'Wigan Second Chance', where);
  carlOrg = await verifiedProvider('nc-carl', 'Bolton Move-on Homes', where);
  await accredit('nc-ann', annOrg);
  await accredit('nc-carl', carlOrg);
  open = await openCompetition({ title: 'Supported lodgings, Wigan', ...where });
  tiered = await openCompetition({ title: 'Resettlement hub, Bolton', ...where, prequalification: true });
  await storeDocument(open, '01JD0000000000000000000SPC', 'Service specification');
  ann = await signedIn('nc-ann');
  lead = await signedIn('lead', { groups: ['commissioner'] });
});

describe('naming another organisation by its page in Find a provider', () => {
  it('takes the reference, or the address of the page as pasted, and nothing else', () => {
    const ref = '01JD2Q3R4S5T6V7W8X9Y0Z1A2B';
    expect(directoryReference(ref)).toBe(ref);
    expect(directoryReference(` ${ref.toLowerCase()} `)).toBe(ref);
    expect(directoryReference(`https://providers.example.gov.uk/find-a-provider/${ref}`)).toBe(ref);
    expect(directoryReference(`http://localhost:3000/find-a-provider/${ref.toLowerCase()}/`)).toBe(ref);
    expect(directoryReference(`/find-a-provider/${ref}?from=search`)).toBe(ref);
    expect(directoryReference('')).toBe('');
    expect(directoryReference('Bolton Move-on Homes')).toBeUndefined();
    expect(directoryReference(`https://example.org/find-an-opportunity/${ref}`)).toBeUndefined();
    expect(directoryReference(`https://example.org/find-a-provider/${ref}/extra`)).toBeUndefined();
  });

  it('adds a sub-contractor whose page address was pasted, and never asks for an "id"', async () => {
    const form = await callPage(bidding, `GET ${SUBCONTRACTORS}`, { who: ann, params: { id: open } });
    expect(form.statusCode).toBe(200);
    expect(pageText(form)).toContain('Their page in Find a provider');
    expect(pageText(form)).not.toMatch(/\bid\b/);

    const bad = await callPage(bidding, `POST ${SUBCONTRACTORS}`, {
      who: ann,
      params: { id: open },
      form: {
        action: 'add',
        name: 'Carl',
        providerId: 'Carl’s page',
        services: 'accommodation',
        share: '10',
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(pageText(bad)).toContain("Enter the organisation's page address from Find a provider");
    expect(bad.body).toContain('value="Carl’s page"');

    const added = await callPage(bidding, `POST ${SUBCONTRACTORS}`, {
      who: ann,
      params: { id: open },
      form: {
        action: 'add',
        name: 'Bolton Move-on Homes',
        providerId: `https://providers.example.gov.uk/find-a-provider/${carlOrg}`,
        services: 'accommodation',
        share: '10',
      },
    });
    expect(added.statusCode, pageText(added)).toBe(303);
    const [annMembership] = await repositories().memberships.listForUser('nc-ann');
    expect(annMembership?.providerId).toBe(annOrg);
    const shown = await callPage(bidding, `GET ${SUBCONTRACTORS}`, { who: ann, params: { id: open } });
    expect(pageText(shown)).toContain('10% of the contract: Accommodation (registered provider)');
  });

  it('adds a consortium member whose page address was pasted', async () => {
    const added = await callPage(applying, `POST ${STEP}`, {
      who: ann,
      params: { id: tiered, step: 'consortium' },
      form: {
        action: 'add',
        providerId: `http://localhost:3000/find-a-provider/${carlOrg.toLowerCase()}`,
        role: 'Move-on housing',
      },
    });
    expect(added.statusCode, pageText(added)).toBe(303);
    const shown = await callPage(applying, `GET ${STEP}`, {
      who: ann,
      params: { id: tiered, step: 'consortium' },
    });
    expect(pageText(shown)).toContain('Bolton Move-on Homes');
    expect(pageText(shown)).toContain('Their page in Find a provider');
    expect(pageText(shown)).not.toContain('Their id in the provider directory');
  });
});

describe('pressing Enter in a form with "Remove" buttons', () => {
  it('on the sub-contractors page adds the one typed, never removes the first one named', async () => {
    const html = (await callPage(bidding, `GET ${SUBCONTRACTORS}`, { who: ann, params: { id: open } })).body;
    expect(html).toContain('Remove Bolton Move-on Homes');
    const buttons = formButtons(html, '/bid/subcontractors');
    expect(buttons[0]).toMatchObject({ name: 'action', value: 'add', text: 'Add this sub-contractor' });
    expect(buttons.map((b) => b.value)).not.toContain('remove-0');
    // The remove button still works: it belongs to a form of its own, with the CSRF token.
    const removers = buttonsOfOtherForms(html);
    expect(removers).toEqual([{ form: 'remove-subcontractor', value: 'remove-0' }]);
    expect(html).toMatch(
      /<form id="remove-subcontractor" method="post" action="[^"]*\/bid\/subcontractors"[^>]*>\s*<input type="hidden" name="csrfToken"/,
    );
  });

  it('on the consortium page adds the member typed, never removes the first one named', async () => {
    const html = (
      await callPage(applying, `GET ${STEP}`, { who: ann, params: { id: tiered, step: 'consortium' } })
    ).body;
    expect(html).toContain('Remove Bolton Move-on Homes');
    const buttons = formButtons(html, '/prequalification/consortium');
    expect(buttons[0]).toMatchObject({ name: 'action', value: 'add', text: 'Add this member' });
    expect(buttonsOfOtherForms(html)).toEqual([{ form: 'remove-member', value: 'remove-0' }]);
    expect(html).toMatch(
      /<form id="remove-member" method="post" action="[^"]*\/prequalification\/consortium"[^>]*>\s*<input type="hidden" name="csrfToken"/,
    );
    const removed = await callPage(applying, `POST ${STEP}`, {
      who: ann,
      params: { id: tiered, step: 'consortium' },
      form: { action: 'remove-0' },
    });
    expect(removed.statusCode).toBe(303);
    const after = await callPage(applying, `GET ${STEP}`, {
      who: ann,
      params: { id: tiered, step: 'consortium' },
    });
    expect(pageText(after)).not.toContain('Bolton Move-on Homes');
  });
});

describe('the pre-qualification steps', () => {
  it('each say in their title which competition they are for, with a Back link to the previous step', async () => {
    const titles = new Set<string>();
    for (const step of ['technical', 'consortium', 'check']) {
      const result = await callPage(applying, `GET ${STEP}`, { who: ann, params: { id: tiered, step } });
      expect(result.statusCode, step).toBe(200);
      const title = /<title>([^<]*)<\/title>/.exec(result.body)?.[1] ?? '';
      expect(title, step).toContain('Resettlement hub, Bolton');
      titles.add(title);
      expect(result.body, step).toMatch(
        /<a href="\/your-competitions\/[^"]+\/prequalification[^"]*" class="govuk-back-link"[^>]*>Back<\/a>/,
      );
    }
    expect(titles.size).toBe(3);
    const consortium = await callPage(applying, `GET ${STEP}`, {
      who: ann,
      params: { id: tiered, step: 'consortium' },
    });
    // Back goes to the step before (the core questionnaire's last topic), not to the competition.
    expect(consortium.body).toMatch(
      new RegExp(`href="/your-competitions/${tiered}/prequalification/[a-z-]+" class="govuk-back-link"`),
    );
    expect(consortium.body).not.toContain('class="govuk-breadcrumbs');
    expect(consortium.body).toMatch(/<h1 class="govuk-heading-l">Consortium members<\/h1>/);
  });
});

describe('tender documents', () => {
  it('say how long a download link works and that reloading the page gives new ones', async () => {
    const result = await callPage(publicPages, 'GET /find-an-opportunity/{id}', { params: { id: open } });
    expect(result.statusCode).toBe(200);
    const minutes = Math.round(config().documents.downloadUrlSeconds / 60);
    expect(pageText(result)).toContain(
      `Each download link works for ${minutes} minutes after this page opens. If a link has stopped working, reload this page to get a new one.`,
    );
  });

  it('the lead’s "choose the file" field is required and carries the checks made before the file goes to S3', async () => {
    const result = await callPage(commissioning, 'POST /commissioning/{id}/documents', {
      who: lead,
      params: { id: open },
      form: { title: 'Pricing schedule', kind: 'pricing_schedule', contentType: 'text/csv' },
    });
    expect(result.statusCode, pageText(result)).toBe(200);
    const input = /<input[^>]*type="file"[^>]*>/.exec(result.body)?.[0] ?? '';
    expect(input).toMatch(/\brequired\b/);
    expect(input).toContain(`data-max-bytes="${config().documents.maxBytes}"`);
    expect(input).toContain('data-extension="csv"');
    expect(input).toContain('data-missing="Choose the file to upload"');
    expect(input).toContain('data-too-big="The file must be 25 MB or smaller"');
    expect(input).toMatch(/data-wrong-type="The file must be a CSV file \(ending \.csv\)/);
  });
});

describe('the bid steps', () => {
  const BID_STEP = '/your-competitions/{id}/bid';
  let shelter = '';
  /** A bid step by its path after `/bid` (`/quality/quality` is the Quality criterion's page). */
  const get = (path: string) =>
    path === '/quality/quality'
      ? callPage(bidding, `GET ${BID_STEP}/quality/{criterion}`, {
          who: ann,
          params: { id: shelter, criterion: 'quality' },
        })
      : callPage(bidding, `GET ${BID_STEP}${path}`, { who: ann, params: { id: shelter } });
  const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? '';

  beforeAll(async () => {
    shelter = await openCompetition({
      title: 'Night shelter, Wigan',
      region: 'north_west',
      service: 'accommodation',
    });
  });

  it('write limits with thousands separators', async () => {
    const page = await callPage(bidding, `GET ${BID_STEP}/quality/{criterion}`, {
      who: ann,
      params: { id: shelter, criterion: 'quality' },
    });
    expect(pageText(page)).toContain('You can enter up to 5,000 characters');
    expect(pageText(page)).not.toMatch(/\b5000\b/);
    const tooLong = await callPage(bidding, `POST ${BID_STEP}/quality/{criterion}`, {
      who: ann,
      params: { id: shelter, criterion: 'quality' },
      form: { answer: 'x'.repeat(5001), action: 'continue' },
    });
    expect(tooLong.statusCode).toBe(400);
    expect(pageText(tooLong)).toContain('Your answer must be 5,000 characters or fewer');
  });

  it('each name the competition in their title and caption, and have a Back link, not breadcrumbs', async () => {
    for (const [criterion, form] of [
      ['quality', { answer: 'Twelve beds, staffed overnight.', action: 'continue' }],
      ['price', { price: '2000', action: 'continue' }],
    ] as const) {
      const path = criterion === 'price' ? '/price' : '/quality/quality';
      const saved = await callPage(
        bidding,
        `POST ${BID_STEP}${path.replace('/quality/quality', '/quality/{criterion}')}`,
        {
          who: ann,
          params: { id: shelter, ...(criterion === 'quality' ? { criterion } : {}) },
          form,
        },
      );
      expect(saved.statusCode, pageText(saved)).toBe(303);
    }
    const titles = new Set<string>();
    for (const path of ['/quality/quality', '/price', '/subcontractors', '/check']) {
      const step = await get(path);
      expect(step.statusCode, path).toBe(200);
      expect(titleOf(step.body), path).toContain('Night shelter, Wigan');
      titles.add(titleOf(step.body));
      expect(step.body, path).toContain('<span class="govuk-caption-l">Night shelter, Wigan</span>');
      expect(step.body, path).toMatch(
        new RegExp(`<a href="/your-competitions/${shelter}/bid" class="govuk-back-link"[^>]*>Back</a>`),
      );
      expect(step.body, path).not.toContain('class="govuk-breadcrumbs');
    }
    expect(titles.size).toBe(4);
    // The task list, where a bid starts, keeps its breadcrumbs and names the competition too.
    const list = await get('');
    expect(titleOf(list.body)).toContain('Night shelter, Wigan');
    expect(list.body).toContain('class="govuk-breadcrumbs');
  });

  it('warn of replacing the bid only while it is submitted, not once it was withdrawn', async () => {
    const submitted = await callPage(bidding, `POST ${BID_STEP}/submit`, {
      who: ann,
      params: { id: shelter },
    });
    expect(submitted.statusCode, pageText(submitted)).toBe(303);
    const receipt = await get('/receipt');
    expect(titleOf(receipt.body)).toContain('Night shelter, Wigan');
    const withdrawPage = await get('/withdraw');
    expect(titleOf(withdrawPage.body)).toContain('Night shelter, Wigan');
    expect(withdrawPage.body).toContain('<span class="govuk-caption-l">Night shelter, Wigan</span>');
    expect(withdrawPage.body).toMatch(/class="govuk-back-link"[^>]*>Back<\/a>/);
    expect(withdrawPage.body).not.toContain('class="govuk-breadcrumbs');
    expect(pageText(await get('/check'))).toContain(
      'This will replace the bid you submitted: it becomes version 2',
    );

    const withdrawn = await callPage(bidding, `POST ${BID_STEP}/withdraw`, {
      who: ann,
      params: { id: shelter },
    });
    expect(withdrawn.statusCode).toBe(303);
    const check = await get('/check');
    expect(check.statusCode).toBe(200);
    expect(pageText(check)).not.toContain('replace the bid you submitted');
  });
});
