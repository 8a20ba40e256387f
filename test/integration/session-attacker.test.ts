/**
 * Attacker review (documents): the competition's cap on documents (`MAX_DOCUMENTS_PER_COMPETITION`) is
 * checked when the web page prepares an upload form, but a form takes no number, so several forms prepared
 * while one place was left could all be recorded when S3 sends the browser back: the cap must hold when a
 * new document is recorded too.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler } from '../../functions/web/commissioning';
import { config } from '../../shared/config';
import { documentRepository, repositories } from '../../shared/db/repositories';
import { MAX_DOCUMENTS_PER_COMPETITION } from '../../shared/domain/documents';
import { documentStorage } from '../../shared/storage/documents';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import { addDocument, confirmUpload } from '../../shared/use-cases/documents/upload-document';
import { competitionBody, inSeconds } from '../support/competitions';
import { LEAD } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage } from '../support/workspace';

let lead: SignedIn;
let id: string;

const deps = (): DocumentDeps => ({ ...repositories(), storage: documentStorage() });
const PDF = Buffer.from('%PDF-1.4\n% a tender document\n%%EOF\n', 'latin1');

function s3Form(html: string): { action: string; fields: [string, string][] } {
  const match = html.match(
    /<form method="post" action="([^"]+)" enctype="multipart\/form-data">([\s\S]*?)<\/form>/,
  );
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
  return { action: (match?.[1] ?? '').replace(/&amp;/g, '&'), fields };
}

beforeAll(async () => {
  await useTestTables();
  lead = await signedIn('lead', { groups: ['commissioner'], email: 'lead@example.org' });
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title: 'Documents at the cap',
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
  // One place short of the cap, through the JSON route's upload and confirmation.
  for (let n = 1; n < MAX_DOCUMENTS_PER_COMPETITION; n++) {
    const input = {
      title: `Document ${n}`,
      kind: 'other' as const,
      fileName: `document-${n}.pdf`,
      contentType: 'application/pdf',
      sizeBytes: PDF.length,
    };
    const ticket = await addDocument(deps(), LEAD, id, input, new Date(), config().documents);
    const put = await fetch(ticket.uploadUrl, {
      method: 'PUT',
      body: PDF,
      headers: { 'content-type': 'application/pdf' },
    });
    expect(put.status).toBe(200);
    await confirmUpload(deps(), LEAD, id, ticket.documentId, 1, new Date(), config().documents);
  }
}, 120_000);

describe('the documents cap and the web upload form', () => {
  it('two forms prepared with one place left record one document, not two; nor does a JSON upload', async () => {
    // The JSON route's upload for the last place, taken first.
    const ticket = await addDocument(
      deps(),
      LEAD,
      id,
      {
        title: 'By the API',
        kind: 'other',
        fileName: 'api.pdf',
        contentType: 'application/pdf',
        sizeBytes: PDF.length,
      },
      new Date(),
      config().documents,
    );
    const forms = [];
    for (const title of ['First extra', 'Second extra']) {
      const choose = await callPage(handler, 'POST /commissioning/{id}/documents', {
        who: lead,
        params: { id },
        form: { title, kind: 'other', contentType: 'application/pdf' },
      });
      expect(choose.statusCode).toBe(200);
      forms.push(s3Form(choose.body ?? ''));
    }
    for (const form of forms) {
      const body = new FormData();
      for (const [field, value] of form.fields) body.append(field, value);
      body.append('file', new Blob([PDF]), 'chosen.pdf');
      const sent = await fetch(form.action, { method: 'POST', body, redirect: 'manual' });
      const location = new URL(sent.headers.get('location') ?? '');
      await callPage(handler, 'GET /commissioning/{id}/documents/uploaded', {
        who: lead,
        params: { id },
        query: Object.fromEntries(location.searchParams),
      });
    }
    expect(
      (
        await fetch(ticket.uploadUrl, {
          method: 'PUT',
          body: PDF,
          headers: { 'content-type': 'application/pdf' },
        })
      ).status,
    ).toBe(200);
    await expect(
      confirmUpload(deps(), LEAD, id, ticket.documentId, 1, new Date(), config().documents),
    ).rejects.toThrow(/at most/);
    const listed = await documentRepository().current(id);
    expect(listed.length).toBe(MAX_DOCUMENTS_PER_COMPETITION);
  });
});
