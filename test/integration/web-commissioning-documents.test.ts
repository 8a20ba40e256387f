/**
 * The commissioning documents page (issue 15) through the web function's handler, with the files in the
 * real local S3 server: the lead adds a document without script – our form, then S3's presigned POST form
 * (posted here as a browser would), S3's redirect back, the version recorded from what S3 stored – and a new
 * version the same way; the list shows both versions with working downloads; S3 refuses a file over the
 * limit or of another type and nothing is recorded; a forged return link records nothing; the page's CSP
 * lets that one form post to S3; the opportunity page lists the documents once published.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/commissioning';
import { handler as publicHandler } from '../../functions/web/index';
import { config } from '../../shared/config';
import { documentRepository, repositories } from '../../shared/db/repositories';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { competitionBody, inSeconds } from '../support/competitions';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

let lead: SignedIn;
let other: SignedIn;
let id: string;

const page = (
  routeKey: string,
  options: {
    who?: SignedIn;
    form?: Record<string, string>;
    query?: Record<string, string>;
    params?: Record<string, string>;
  },
) => callPage(handler, routeKey, { ...options, params: { id, ...(options.params ?? {}) } });

/** The hidden fields and action of the S3 form on a "choose the file" page. */
function s3Form(html: string): { action: string; fields: [string, string][] } {
  const match = html.match(
    /<form method="post" action="([^"]+)" enctype="multipart\/form-data">([\s\S]*?)<\/form>/,
  );
  const action = match?.[1] ?? '';
  // Only this form's fields, as a browser sends them (the page has other forms: sign out).
  const fields = [
    ...(match?.[2] ?? '').matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g),
  ].map(
    (m) =>
      [
        m[1] ?? '',
        (m[2] ?? '')
          .replace(/&amp;/g, '&')
          .replace(/&quot;/g, '"')
          .replace(/&#39;/g, "'"),
      ] as [string, string],
  );
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/** Posts the S3 form as a browser does: its hidden fields, then the file. */
async function postToS3(
  form: { action: string; fields: [string, string][] },
  file: Buffer,
  name = 'spec.pdf',
) {
  const body = new FormData();
  for (const [field, value] of form.fields) body.append(field, value);
  body.append('file', new Blob([file]), name);
  return fetch(form.action, { method: 'POST', body, redirect: 'manual' });
}

/** Follows S3's redirect back into the page handler. */
async function comeBack(location: string, who: SignedIn) {
  const url = new URL(location);
  return callPage(handler, 'GET /commissioning/{id}/documents/uploaded', {
    who,
    params: { id },
    query: Object.fromEntries(url.searchParams),
  });
}

const PDF = Buffer.from('%PDF-1.4\n% specification\n%%EOF\n', 'latin1');

beforeAll(async () => {
  await useTestTables();
  lead = await signedIn('lead', { groups: ['commissioner'], email: 'lead@example.org' });
  other = await signedIn('someone-else', { groups: ['commissioner'] });
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title: 'Documents on the web',
      prequalificationDeadline: undefined,
      estimatedValuePence: 80_000_00,
      risk: 'low',
      termMonths: 24,
      tenderDeadline: inSeconds(3600),
    }) as unknown as CreateCompetitionInput,
    new Date(),
    config().rules,
  );
  id = created.id;
});

describe('adding a document and a new version without script', () => {
  let documentId: string;

  it('the list page offers the lead the form, and lists nothing yet', async () => {
    const list = await page('GET /commissioning/{id}/documents', { who: lead });
    expect(list.statusCode).toBe(200);
    expect(pageText(list)).toContain('No documents have been published yet');
    expect(list.body).toContain('Continue to choose the file');
  });

  it('a missing title, kind and type are listed as errors and nothing is signed', async () => {
    const refused = await page('POST /commissioning/{id}/documents', { who: lead, form: { title: '' } });
    expect(refused.statusCode).toBe(400);
    expect(pageText(refused)).toContain('Enter a title for the document');
    expect(pageText(refused)).toContain('Select the type of file');
  });

  it("our form leads to S3's form, S3 takes the file and sends the browser back, and the version is recorded", async () => {
    const choose = await page('POST /commissioning/{id}/documents', {
      who: lead,
      form: { title: 'Service specification', kind: 'specification', contentType: 'application/pdf' },
    });
    expect(choose.statusCode).toBe(200);
    const form = s3Form(choose.body ?? '');
    expect(form.action).toBe(`${config().documents.endpoint}/${config().documents.bucket}`);
    // The CSP lets this page's form post to S3, and no other page's.
    expect(String(choose.headers?.['Content-Security-Policy'])).toContain(
      `form-action 'self' ${new URL(form.action).origin}`,
    );
    expect(choose.headers?.['x-page-form-target']).toBeUndefined();
    expect(await documentRepository().current(id)).toEqual([]);

    // Over the size limit or of another type: S3 refuses, nothing is stored or recorded.
    const tooBig = await postToS3(
      { ...form, fields: form.fields },
      Buffer.alloc(config().documents.maxBytes + 1, 1),
    );
    expect(tooBig.status).toBe(400);
    expect(await tooBig.text()).toContain('EntityTooLarge');
    const otherType = await postToS3(
      {
        ...form,
        fields: form.fields.map(([n, v]) => [n, n === 'Content-Type' ? 'text/html' : v] as [string, string]),
      },
      PDF,
    );
    expect(otherType.status).toBe(403);

    const stored = await postToS3(form, PDF);
    expect(stored.status, await stored.clone().text()).toBe(303);
    const back = await comeBack(stored.headers.get('location') ?? '', lead);
    expect(back.statusCode).toBe(303);
    expect(back.headers?.location).toBe(`/commissioning/${id}/documents?done=uploaded`);
    const [document] = await documentRepository().list(id);
    expect(document).toMatchObject({
      title: 'Service specification',
      kind: 'specification',
      currentVersion: 1,
    });
    expect(document?.versions[0]).toMatchObject({
      sizeBytes: PDF.length,
      contentType: 'application/pdf',
      fileName: 'service-specification.pdf',
    });
    documentId = document?.documentId ?? '';

    // Coming back again records nothing more; a link with its check changed, or another session's, nothing at all.
    expect((await comeBack(stored.headers.get('location') ?? '', lead)).headers?.location).toBe(
      `/commissioning/${id}/documents`,
    );
    const location = new URL(stored.headers.get('location') ?? '');
    location.searchParams.set('title', 'Something else');
    expect((await comeBack(location.href, lead)).statusCode).toBe(400);
    expect((await comeBack(stored.headers.get('location') ?? '', other)).statusCode).toBe(400);
    expect((await documentRepository().list(id))[0]?.versions).toHaveLength(1);
  });

  it('a new version goes the same way; both versions are listed with downloads', async () => {
    const form = await page('GET /commissioning/{id}/documents/{documentId}', {
      who: lead,
      params: { documentId },
    });
    expect(form.statusCode).toBe(200);
    expect(pageText(form)).toContain('The new file becomes version 2');
    const choose = await page('POST /commissioning/{id}/documents/{documentId}', {
      who: lead,
      params: { documentId },
      form: { title: 'Service specification', kind: 'specification', contentType: 'text/plain' },
    });
    const stored = await postToS3(
      s3Form(choose.body ?? ''),
      Buffer.from('Version two, in plain text.'),
      'spec.txt',
    );
    expect(stored.status).toBe(303);
    expect((await comeBack(stored.headers.get('location') ?? '', lead)).headers?.location).toBe(
      `/commissioning/${id}/documents?done=version-uploaded`,
    );
    const list = await page('GET /commissioning/{id}/documents', {
      who: lead,
      query: { done: 'version-uploaded' },
    });
    expect(pageText(list)).toContain('version 2');
    expect(pageText(list)).toContain('Earlier versions of Service specification');
    const links = [...(list.body ?? '').matchAll(/href="(http[^"]+)"/g)]
      .map((m) => (m[1] ?? '').replace(/&amp;/g, '&'))
      .filter((link) => link.startsWith(config().documents.endpoint ?? '-'));
    expect(links).toHaveLength(2);
    const bodies = await Promise.all(links.map(async (link) => (await fetch(link)).text()));
    expect(bodies).toContain('Version two, in plain text.');
  });

  it('another commissioner gets no upload form and cannot upload (the draft is not theirs to see)', async () => {
    const list = await page('GET /commissioning/{id}/documents', { who: other });
    expect(list.statusCode).toBe(404);
    const post = await page('POST /commissioning/{id}/documents', {
      who: other,
      form: { title: 'Mine', kind: 'other', contentType: 'application/pdf' },
    });
    expect(post.statusCode).toBe(403);
  });

  it('once published, the opportunity page lists the documents with both versions', async () => {
    await publishCompetition(repositories(), LEAD, id, new Date(), config().rules);
    const opportunity = await callPage(publicHandler, 'GET /find-an-opportunity/{id}', { params: { id } });
    expect(opportunity.statusCode).toBe(200);
    const text = pageText(opportunity);
    expect(text).toContain('Tender documents');
    expect(text).toContain('Service specification');
    expect(text).toContain('Version 1: service-specification.pdf');
  });

  it('sends a provider who follows a workspace link to the opportunity page, outside the workspace', async () => {
    const provider = await signedIn('a-provider', {});
    const list = await page('GET /commissioning/{id}/documents', { who: provider });
    expect(list.statusCode).toBe(303);
    expect(list.headers?.location).toBe(`/find-an-opportunity/${id}`);
  });
});
