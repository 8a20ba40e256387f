/**
 * The bid pages name the tender documents a bid answered by title and kind (read through the documents'
 * current listing), say when a newer version or a new document was published since, and say the deadline
 * as a sentence ("Tenders close today at …"); and an owner of several organisations agrees on the web
 * (`/your-competitions/{id}/partnership`) that one of them may be named in another's bid, linked from the
 * opportunity page. Through the web functions' handlers over DynamoDB Local.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/bidding';
import { handler as publicPages } from '../../functions/web/index';
import { documentClient } from '../../shared/db/client';
import { repositories } from '../../shared/db/repositories';
import type { DocumentVersion, TenderDocument } from '../../shared/domain/documents';
import type { HttpResult } from '../../shared/http/types';
import { httpEvent, lambdaContext } from '../support/events';
import { openCompetition, verifiedProvider } from '../support/scenario';
import { writesNothing } from '../support/table-snapshot';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { pageText } from '../support/workspace';

const HOUR = 3_600_000;

async function page(
  routeKey: string,
  options: {
    id: string;
    who?: SignedIn;
    form?: Record<string, string>;
    query?: Record<string, string>;
    later?: number;
    criterion?: string;
  },
): Promise<HttpResult> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  const headers: Record<string, string> = { accept: 'text/html' };
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
    path: template.replace('{id}', options.id).replace('{criterion}', options.criterion ?? ''),
    headers,
    pathParameters: { id: options.id, ...(options.criterion ? { criterion: options.criterion } : {}) },
    ...(body !== undefined ? { body } : {}),
    ...(options.query ? { query: options.query } : {}),
  });
  if (options.later) event.requestContext.timeEpoch += options.later;
  const fn = template.startsWith('/find-an-opportunity') ? publicPages : handler;
  return fn(event, lambdaContext());
}

/** Stores a document's metadata (its file is not needed by these pages) as the upload use case does. */
async function storeVersion(
  competitionId: string,
  documentId: string,
  title: string,
  kind: TenderDocument['kind'],
  version: number,
): Promise<void> {
  const at = new Date().toISOString();
  const document: TenderDocument = {
    competitionId,
    documentId,
    title,
    kind,
    currentVersion: version,
    createdAt: at,
    updatedAt: at,
  };
  const stored: DocumentVersion = {
    version,
    fileName: `${title}.pdf`,
    contentType: 'application/pdf',
    sizeBytes: 1024,
    uploadedAt: at,
    uploadedBy: 'lead',
  };
  const documents = repositories().documents;
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems:
        version === 1 ? documents.createItems(document, stored) : documents.versionItems(document, stored),
    }),
  );
}

const BID = 'GET /your-competitions/{id}/bid';
const SPEC = '01JD0000000000000000000SPC';
const PRICING = '01JD0000000000000000000PRC';

let ann: SignedIn;
let dora: SignedIn;
let annOrg: string;
let doraFirst: string;
let doraSecond: string;
let open: string;

beforeAll(async () => {
  await useTestTables();
  annOrg = await verifiedProvider('ann', 'Ann’s Community Trust', {
    region: 'wales',
    service: 'accommodation',
  });
  doraFirst = await verifiedProvider('dora', 'Dora’s First Trust', {
    region: 'wales',
    service: 'accommodation',
  });
  doraSecond = await verifiedProvider('dora', 'Dora’s Second Trust', {
    region: 'wales',
    service: 'accommodation',
  });
  open = await openCompetition({ title: 'Supported lodgings', region: 'wales', service: 'accommodation' });
  await storeVersion(open, SPEC, 'Service specification', 'specification', 1);
  ann = await signedIn('ann');
  dora = await signedIn('dora');
});

describe('the tender documents a bid answered', () => {
  it('names each by title and kind on the receipt, task list and check page, then says what changed', async () => {
    await page('POST /your-competitions/{id}/bid/quality/{criterion}', {
      id: open,
      criterion: 'quality',
      who: ann,
      form: { answer: 'We place 20 young people a year.', action: 'later' },
    });
    await page('POST /your-competitions/{id}/bid/price', { id: open, who: ann, form: { price: '900' } });
    const submitted = await page('POST /your-competitions/{id}/bid/submit', { id: open, who: ann });
    expect(submitted.statusCode).toBe(303);
    const receipt = pageText(await page('GET /your-competitions/{id}/bid/receipt', { id: open, who: ann }));
    expect(receipt).toContain('Service specification (Specification): version 1');
    expect(receipt).not.toContain(`Document ${SPEC}`);
    expect(receipt).not.toContain('newer version');

    // The lead publishes version 2 of the specification and a new pricing schedule.
    await storeVersion(open, SPEC, 'Service specification', 'specification', 2);
    await storeVersion(open, PRICING, 'Pricing schedule', 'pricing_schedule', 1);
    const list = pageText(await page(BID, { id: open, who: ann }));
    expect(list).toContain(
      'Service specification (Specification): version 1 – a newer version 2 is available',
    );
    expect(list).toContain('Published after you submitted');
    expect(list).toContain('Pricing schedule (Pricing schedule): version 1');
    expect(list).toContain('The tender documents have changed since you submitted your bid');
    const check = pageText(await page('GET /your-competitions/{id}/bid/check', { id: open, who: ann }));
    expect(check).toContain('a newer version 2 is available');

    // Resubmitted, the bid answers the current versions: nothing newer.
    await page('POST /your-competitions/{id}/bid/submit', { id: open, who: ann });
    const again = pageText(await page('GET /your-competitions/{id}/bid/receipt', { id: open, who: ann }));
    expect(again).toContain('Service specification (Specification): version 2');
    expect(again).toContain('Pricing schedule (Pricing schedule): version 1');
    expect(again).not.toContain('newer version');
  });

  it('says the tender deadline as a sentence, before and after it', async () => {
    const before = pageText(await page(BID, { id: open, who: ann }));
    expect(before).toMatch(/Tenders close (today at|tomorrow, on) /);
    expect(before).not.toContain('The tender deadline close');
    const withdraw = pageText(await page('GET /your-competitions/{id}/bid/withdraw', { id: open, who: ann }));
    expect(withdraw).toMatch(/Tenders close (today at|tomorrow, on) /);
    const after = pageText(await page(BID, { id: open, who: ann, later: 2 * HOUR }));
    expect(after).toMatch(/Tenders closed on .*: your bid can no longer change/);
  });
});

describe('agreeing to be named, for an owner of several organisations', () => {
  const AGREE = '/your-competitions/{id}/partnership';

  it('is linked from the opportunity page for an owner', async () => {
    const seen = await page('GET /find-an-opportunity/{id}', { id: open, who: dora });
    expect(seen.body).toContain(`href="/your-competitions/${open}/partnership"`);
    expect((await page('GET /find-an-opportunity/{id}', { id: open })).body).not.toContain('/partnership');
  });

  it('asks which organisation agrees, refusing a form with nothing chosen and writing nothing', async () => {
    const offer = await page(`GET ${AGREE}`, { id: open, who: dora, query: { lead: annOrg } });
    expect(offer.statusCode).toBe(200);
    expect(pageText(offer)).toContain('Which of your organisations agrees to be named?');
    expect(pageText(offer)).toContain("Dora's First Trust");
    expect(pageText(offer)).toContain("Dora's Second Trust");
    expect(pageText(offer)).toContain('connected to this competition');
    const refused = await writesNothing(() =>
      page(`POST ${AGREE}`, { id: open, who: dora, form: { lead: annOrg } }),
    );
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused)).toContain('Choose the organisation that agrees to be named');
    expect(pageText(refused)).toContain('Choose the part your organisation will play');
  });

  it('refuses a lead id nobody has, against its field, writing nothing', async () => {
    const refused = await writesNothing(() =>
      page(`POST ${AGREE}`, {
        id: open,
        who: dora,
        form: { providerId: doraFirst, lead: '01JD0000000000000000000099', role: 'subcontractor' },
      }),
    );
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused)).toContain('No registered provider has this id');
    expect(refused.body).toContain('value="01JD0000000000000000000099"');
  });

  it('records the agreement for the chosen organisation only, and connects it to the competition', async () => {
    const agreed = await page(`POST ${AGREE}`, {
      id: open,
      who: dora,
      form: { providerId: doraSecond, lead: annOrg, role: 'subcontractor' },
    });
    expect(agreed.statusCode).toBe(303);
    const stored = await repositories().partnerships.get(open, annOrg, doraSecond);
    expect(stored).toMatchObject({ role: 'subcontractor', agreedBy: 'dora' });
    expect(await repositories().partnerships.get(open, annOrg, doraFirst)).toBeUndefined();
    expect(await repositories().documents.connectedOrganisations(open)).toContain(doraSecond);
    // Now only the other organisation is offered; the agreement is listed.
    const after = pageText(await page(`GET ${AGREE}`, { id: open, who: dora, query: { lead: annOrg } }));
    expect(after).toContain("Dora's Second Trust agreed on");
    expect(after).toContain('as a sub-contractor in their bid');
    expect(after).toContain('You are agreeing on behalf of');
  });

  it('refuses someone who owns no organisation, and takes no agreement after the deadline', async () => {
    const nina = await signedIn('nina');
    expect((await page(`GET ${AGREE}`, { id: open, who: nina })).statusCode).toBe(403);
    const late = await writesNothing(() =>
      page(`POST ${AGREE}`, {
        id: open,
        who: dora,
        later: 2 * HOUR,
        form: { providerId: doraFirst, lead: annOrg, role: 'subcontractor' },
      }),
    );
    expect(late.statusCode).toBe(400);
    expect(pageText(late)).toContain('The tender deadline has passed');
  });
});
