/**
 * Tender documents on the commissioning side (`/commissioning/{id}/documents`, issue 15): every document with
 * its versions, and for the lead an upload that needs no script – a form saying what the document is, then
 * a form that posts the file straight to S3 (a presigned POST whose conditions S3 checks: this version's
 * object key, the file type chosen, at most the size limit), and S3's redirect back to `…/documents/uploaded`,
 * which records the version from what S3 stored. The pages call the same use cases as the JSON routes, so
 * the policy decides and the audit log records uploads as inside actions.
 *
 * The redirect back carries what the version is (document, number, title, kind, file type, and the id of
 * the upload's own object key) with a check value: an HMAC of them under the session's CSRF token, so only
 * the session that prepared the upload can have it recorded, with the details it chose. A file that is not
 * of the type chosen is refused there (S3 takes any file under the type the form names) and the page says
 * so in its error summary.
 *
 * The lead also sees the versions handed out through the JSON API and not confirmed ("Upload not
 * finished"), each with a button to confirm it – the JSON route's confirmation – or to discard it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '../../../config';
import {
  auditRepository,
  competitionRepository,
  documentRepository,
  membershipRepository,
  outboxWriter,
  publicationRepository,
} from '../../../db/repositories';
import { govukDateTime } from '../../../domain/dates';
import {
  DOCUMENT_CONTENT_TYPE_LIST,
  DOCUMENT_CONTENT_TYPES,
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  type DocumentContentType,
  type DocumentKind,
  formatBytes,
  isDocumentContentType,
  UploadRejectedError,
  type UploadRejection,
  uploadRejectionMessage,
} from '../../../domain/documents';
import {
  ConflictError,
  type DomainError,
  type FieldIssue,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../../domain/errors';
import { ulidSchema } from '../../../http/schemas/common';
import { documentStorage } from '../../../storage/documents';
import type { DocumentDeps } from '../../../use-cases/documents/common';
import {
  documentForNewVersion,
  formUploadIssues,
  prepareFormUpload,
  recordFormUpload,
} from '../../../use-cases/documents/form-upload';
import { documentsWorkspace, type UnfinishedUpload } from '../../../use-cases/documents/list-documents';
import { confirmUpload, discardUpload } from '../../../use-cases/documents/upload-document';
import { formErrors } from '../../forms';
import {
  FORM_TARGET_HEADER,
  isOfficial,
  type PageMap,
  type PageRequest,
  redirect,
  render,
  requireSession,
} from '../../page';
import { documentViews } from '../tender-documents';
import { competitionPageContext } from './common';
import { competitionIdOf } from './competition-params';

function deps(): DocumentDeps {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    documents: documentRepository(),
    storage: documentStorage(),
    // The OCDS release of a new version of a published competition's document (issue 16).
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

const typeNames = () =>
  DOCUMENT_CONTENT_TYPE_LIST.map((t) => DOCUMENT_CONTENT_TYPES[t].label)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1');

function kindItems(selected: string | undefined) {
  return DOCUMENT_KINDS.map((kind) => ({
    value: kind,
    text: DOCUMENT_KIND_LABELS[kind],
    checked: kind === selected,
  }));
}

function typeItems(selected: string | undefined) {
  return [
    { value: '', text: 'Choose the type of file', selected: !selected },
    ...DOCUMENT_CONTENT_TYPE_LIST.map((type) => ({
      value: type,
      text: DOCUMENT_CONTENT_TYPES[type].label,
      selected: type === selected,
    })),
  ];
}

/** The site's own origin, for the absolute address S3 sends the browser back to. */
function siteOrigin(request: PageRequest): string {
  const scheme = config().web.localSignIn ? 'http' : 'https';
  return `${scheme}://${request.event.requestContext.domainName}`;
}

function uploadCheck(
  csrf: string,
  competitionId: string,
  upload: {
    documentId: string;
    version: number;
    title: string;
    kind: string;
    contentType: string;
    uploadId: string;
  },
): string {
  return createHmac('sha256', csrf)
    .update(
      [
        competitionId,
        upload.documentId,
        upload.version,
        upload.title,
        upload.kind,
        upload.contentType,
        upload.uploadId,
      ].join('\n'),
    )
    .digest('base64url');
}

/**
 * The error summary of a refused upload, from the documents page's address (`refused`, `as`, and the
 * document when it was a new version): the reason and the type come from a fixed list, so the address
 * cannot put words of its own on the page.
 */
function refusalIssue(request: PageRequest): { text: string; href: string } | undefined {
  const { refused, as, document } = request.query;
  const reasons: readonly UploadRejection[] = ['type', 'size', 'empty'];
  if (!reasons.includes(refused as UploadRejection) || !isDocumentContentType(as ?? '')) return undefined;
  const message = uploadRejectionMessage(
    refused as UploadRejection,
    { contentType: as as DocumentContentType },
    config().documents.maxBytes,
  );
  const documentId = ulidSchema.safeParse(document);
  return {
    text: `The file was not uploaded. ${message}`,
    href: documentId.success ? `#document-${documentId.data}` : '#add-document',
  };
}

/** Where the documents page goes after a refused upload: the reason, the type chosen, the document. */
function refusedAt(
  id: string,
  error: UploadRejectedError,
  contentType: string,
  documentId: string | undefined,
): string {
  const query = new URLSearchParams({
    refused: error.reason,
    as: contentType,
    ...(documentId ? { document: documentId } : {}),
  });
  return `/commissioning/${id}/documents?${query}`;
}

/** One unfinished upload as the lead's page lists it, with its buttons. */
function unfinishedView(id: string, upload: UnfinishedUpload, now: Date, canChange: boolean) {
  const type = DOCUMENT_CONTENT_TYPES[upload.contentType];
  const expired = Date.parse(upload.uploadExpiresAt) <= now.getTime();
  const state = upload.problem
    ? `The file uploaded was refused: ${uploadRejectionMessage(upload.problem, upload, config().documents.maxBytes)}`
    : upload.superseded
      ? 'A later version is published already: this upload can only be discarded.'
      : expired
        ? `Its upload link expired ${govukDateTime(upload.uploadExpiresAt)}: confirm it if the file was uploaded, or discard it.`
        : `Its upload link works until ${govukDateTime(upload.uploadExpiresAt)}: confirm it once the file is uploaded.`;
  return {
    id: `unfinished-${upload.documentId}-${upload.version}`,
    title: upload.title,
    version: upload.version,
    describe: `${upload.fileName}, ${type.label}, ${formatBytes(upload.sizeBytes)}, requested ${govukDateTime(upload.requestedAt)}`,
    state,
    action: `/commissioning/${id}/documents/${upload.documentId}`,
    canConfirm: canChange && !upload.superseded,
    canDiscard: canChange,
  };
}

/** The form's values as typed. */
function formValues(request: PageRequest) {
  return {
    title: (request.form.get('title') ?? '').trim(),
    kind: request.form.get('kind') ?? '',
    contentType: request.form.get('contentType') ?? '',
  };
}

const DONE: Record<string, string> = {
  uploaded: 'The document was uploaded and published with the competition',
  'version-uploaded': 'The new version was uploaded; the earlier versions stay downloadable',
  discarded: 'The unfinished upload was discarded',
};

async function renderList(
  request: PageRequest,
  id: string,
  values: { title?: string; kind?: string; contentType?: string } = {},
  issues: FieldIssue[] = [],
  unfinishedProblem?: { text: string; href: string },
) {
  requireSession(request);
  // The same listing as `GET /competitions/{id}/documents`: public once published, insiders for a draft.
  const { competition, listing, canChange, closedReason, unfinished } = await documentsWorkspace(
    deps(),
    request.principal,
    id,
    request.now,
    config().documents,
  );
  const formed = formErrors(issues);
  const { errors } = formed;
  const refusal = issues.length === 0 && !unfinishedProblem ? refusalIssue(request) : undefined;
  const errorList = [
    ...(unfinishedProblem ? [unfinishedProblem] : []),
    ...(refusal ? [refusal] : []),
    ...formed.errorList,
  ];
  return render(
    request,
    'commissioning/documents.njk',
    {
      title: `Tender documents: ${competition.title}`,
      ...competitionPageContext(competition, 'documents', { principal: request.principal }),
      competition,
      documents: documentViews(listing).map((d) => ({
        ...d,
        ...(canChange ? { uploadHref: `/commissioning/${id}/documents/${d.documentId}` } : {}),
      })),
      audience:
        competition.status === 'draft'
          ? 'This competition is a draft: only its insiders can see these documents until it is published.'
          : 'Published with the competition: anyone can download them from its opportunity page.',
      canUpload: canChange,
      closedReason,
      done: DONE[request.query.done ?? ''],
      unfinished: unfinished.map((upload) => unfinishedView(id, upload, request.now, canChange)),
      typeNames: typeNames(),
      maxSize: formatBytes(config().documents.maxBytes),
      kindItems: kindItems(values.kind),
      typeItems: typeItems(values.contentType),
      values,
      errors,
      errorList,
    },
    issues.length > 0 || unfinishedProblem ? 400 : 200,
  );
}

/**
 * `GET /commissioning/{id}/documents`. A provider or member of the public who follows a link here is sent
 * to the opportunity page, which lists the same published documents without the workspace's navigation
 * (whose task list they may not open).
 */
async function documentsPage(request: PageRequest) {
  const id = competitionIdOf(request);
  if (request.session && !isOfficial(request)) return redirect(`/find-an-opportunity/${id}`);
  return renderList(request, id);
}

function documentIdOf(request: PageRequest): string {
  const parsed = ulidSchema.safeParse(request.params.documentId);
  if (!parsed.success) throw new NotFoundError('No document at this address.');
  return parsed.data;
}

/** Renders the "choose the file" page: S3's form, allowed as this page's one outside form target. */
async function uploadPage(request: PageRequest, id: string, documentId: string | undefined) {
  const session = requireSession(request);
  const values = formValues(request);
  const rules = config().documents;
  const prepared = await prepareFormUpload(
    deps(),
    request.principal,
    id,
    { documentId, ...values },
    request.now,
    rules,
    (upload) => {
      const query = new URLSearchParams({
        document: upload.documentId,
        version: String(upload.version),
        title: upload.title,
        kind: upload.kind,
        type: upload.contentType,
        upload: upload.uploadId,
        check: uploadCheck(session.csrf, id, upload),
      });
      return `${siteOrigin(request)}/commissioning/${id}/documents/uploaded?${query}`;
    },
  );
  const competition = { id, title: prepared.competitionTitle };
  const contentType = values.contentType as keyof typeof DOCUMENT_CONTENT_TYPES;
  const result = render(request, 'commissioning/document-upload.njk', {
    title: `Choose the file: ${prepared.title}`,
    ...competitionPageContext(competition, 'documents', { principal: request.principal }),
    competition,
    upload: prepared,
    rows: [
      { key: { text: 'Document' }, value: { text: prepared.title } },
      { key: { text: 'Kind' }, value: { text: DOCUMENT_KIND_LABELS[prepared.kind] } },
      { key: { text: 'Version' }, value: { text: String(prepared.version) } },
    ],
    form: {
      url: prepared.form.url,
      fields: Object.entries(prepared.form.fields).map(([name, value]) => ({ name, value })),
    },
    accept: `${contentType},.${DOCUMENT_CONTENT_TYPES[contentType].extension}`,
    typeName: DOCUMENT_CONTENT_TYPES[contentType].label,
    maxSize: formatBytes(rules.maxBytes),
    validFor: `${Math.round(rules.uploadUrlSeconds / 60)} minutes`,
    // S3 answers a file it refuses (none chosen, too big) with a page of XML and no way back, so the page
    // checks the file before it leaves: the browser itself for "none chosen" (`required`), and
    // `assets/web.js` for its size and type, with these messages in the GOV.UK error summary and inline.
    check: {
      maxBytes: rules.maxBytes,
      extension: DOCUMENT_CONTENT_TYPES[contentType].extension,
      missing: 'Choose the file to upload',
      tooBig: `The file must be ${formatBytes(rules.maxBytes)} or smaller`,
      wrongType: `The file must be a ${DOCUMENT_CONTENT_TYPES[contentType].label} file (ending .${DOCUMENT_CONTENT_TYPES[contentType].extension}), as you chose: to upload another type, go back to the documents and start again`,
    },
  });
  result.headers = { ...(result.headers ?? {}), [FORM_TARGET_HEADER]: new URL(prepared.form.url).origin };
  return result;
}

/** `POST /commissioning/{id}/documents`: a new document; on to the file. */
async function addDocument(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const values = formValues(request);
  const issues = formUploadIssues(values);
  if (issues.length > 0) return renderList(request, id, values, issues);
  return uploadPage(request, id, undefined);
}

async function renderVersionForm(
  request: PageRequest,
  id: string,
  documentId: string,
  values?: { title: string; kind: string; contentType: string },
  issues: FieldIssue[] = [],
) {
  requireSession(request);
  const { competitionTitle, document } = await documentForNewVersion(
    deps(),
    request.principal,
    id,
    documentId,
    request.now,
  );
  const competition = { id, title: competitionTitle };
  const shown = values ?? { title: document.title, kind: document.kind, contentType: '' };
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    'commissioning/document-version.njk',
    {
      title: `New version: ${document.title}`,
      ...competitionPageContext(competition, 'documents', { principal: request.principal }),
      competition,
      document,
      typeNames: typeNames(),
      maxSize: formatBytes(config().documents.maxBytes),
      kindItems: kindItems(shown.kind),
      typeItems: typeItems(shown.contentType),
      values: shown,
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/documents/{documentId}`: the new version form. */
async function versionPage(request: PageRequest) {
  return renderVersionForm(request, competitionIdOf(request), documentIdOf(request));
}

/**
 * `POST /commissioning/{id}/documents/{documentId}`: a new version; on to the file. With `action` (and
 * `version`), an upload of this document not finished is confirmed or discarded instead (`finishUpload`).
 */
async function addVersion(request: PageRequest) {
  requireSession(request);
  if (request.form.has('action')) return finishUpload(request);
  const id = competitionIdOf(request);
  const documentId = documentIdOf(request);
  const values = formValues(request);
  const issues = formUploadIssues(values);
  if (issues.length > 0) return renderVersionForm(request, id, documentId, values, issues);
  return uploadPage(request, id, documentId);
}

/**
 * `GET /commissioning/{id}/documents/uploaded`: where S3 sends the browser after the upload (with `bucket`,
 * `key` and `etag` added). Records the version from what S3 stored, once, and goes back to the list.
 */
async function uploaded(request: PageRequest) {
  const session = requireSession(request);
  const id = competitionIdOf(request);
  const { document, version, title, kind, type, upload: uploadId, check } = request.query;
  const parsedDocument = ulidSchema.safeParse(document);
  const parsedUpload = ulidSchema.safeParse(uploadId);
  const number = Number(version);
  const upload = {
    documentId: parsedDocument.success ? parsedDocument.data : '',
    version: number,
    title: title ?? '',
    kind: kind ?? '',
    contentType: type ?? '',
    uploadId: parsedUpload.success ? parsedUpload.data : '',
  };
  const expected = uploadCheck(session.csrf, id, upload);
  const valid =
    parsedDocument.success &&
    parsedUpload.success &&
    Number.isInteger(number) &&
    number >= 1 &&
    (DOCUMENT_KINDS as readonly string[]).includes(upload.kind) &&
    isDocumentContentType(upload.contentType) &&
    typeof check === 'string' &&
    check.length === expected.length &&
    timingSafeEqual(Buffer.from(check), Buffer.from(expected));
  if (!valid)
    throw new ValidationError('This upload link is not one this session prepared: upload the file again.');
  let recorded: boolean;
  try {
    ({ recorded } = await recordFormUpload(
      deps(),
      request.principal,
      id,
      {
        ...upload,
        kind: upload.kind as DocumentKind,
        contentType: upload.contentType as DocumentContentType,
      },
      request.now,
      config().documents,
    ));
  } catch (error) {
    // The file is gone and nothing was recorded: back to the documents, which say why (a reload says it
    // again rather than trying the upload once more).
    if (error instanceof UploadRejectedError)
      return redirect(refusedAt(id, error, upload.contentType, number > 1 ? upload.documentId : undefined));
    throw error;
  }
  return redirect(
    `/commissioning/${id}/documents${recorded ? `?done=${number === 1 ? 'uploaded' : 'version-uploaded'}` : ''}`,
  );
}

/** The version an unfinished upload's form names. */
function versionOf(request: PageRequest): number {
  const number = Number(request.form.get('version'));
  if (!Number.isInteger(number) || number < 1 || number > 999_999)
    throw new ValidationError('Choose an upload to confirm or discard.');
  return number;
}

/**
 * Confirm (`action=confirm`, the JSON route's confirmation) or discard (`action=discard`) an upload of the
 * document not finished (`version`): posted to the document's address, which needs no route of its own. A
 * file that is refused, or not there yet, is said in the list's error summary, at the upload.
 */
async function finishUpload(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const documentId = documentIdOf(request);
  const version = versionOf(request);
  const action = request.form.get('action');
  if (action === 'discard') {
    await discardUpload(deps(), request.principal, id, documentId, version, request.now);
    return redirect(`/commissioning/${id}/documents?done=discarded`);
  }
  if (action !== 'confirm') throw new ValidationError('Choose whether to confirm or discard the upload.');
  try {
    await confirmUpload(deps(), request.principal, id, documentId, version, request.now, config().documents);
  } catch (error) {
    // Said where the upload is listed; anything else (the wall, the deadline) is the usual error page.
    if (
      error instanceof UploadRejectedError ||
      error instanceof InvalidStateError ||
      error instanceof ConflictError
    ) {
      const text =
        error instanceof UploadRejectedError
          ? `The file was refused. ${error.issues[0]?.message ?? ''}`
          : (error as DomainError).message;
      return renderList(request, id, {}, [], { text, href: `#unfinished-${documentId}-${version}` });
    }
    throw error;
  }
  return redirect(`/commissioning/${id}/documents?done=${version === 1 ? 'uploaded' : 'version-uploaded'}`);
}

/** This group's pages by route key. */
export const documentPages: PageMap = {
  'GET /commissioning/{id}/documents': documentsPage,
  'POST /commissioning/{id}/documents': addDocument,
  'GET /commissioning/{id}/documents/uploaded': uploaded,
  'GET /commissioning/{id}/documents/{documentId}': versionPage,
  'POST /commissioning/{id}/documents/{documentId}': addVersion,
};
