/**
 * Pages for primes (issue 6's use cases): a prime's contracts with their figures and supply chain, and a
 * spend-return upload (a CSV file, or rows pasted into a text box) that lists every bad row and stores
 * nothing unless every row is good. Sub-contractors' pages are in `payments.ts`.
 */
import { config } from '../../config';
import {
  contractRepository,
  membershipRepository,
  providerRepository,
  publicationRepository,
  subcontractingRepository,
} from '../../db/repositories';
import { type FieldIssue, NotFoundError } from '../../domain/errors';
import { lastCompleteQuarter } from '../../domain/return-periods';
import { isoDay } from '../../domain/subcontracting/dates';
import { ulidSchema } from '../../http/schemas/common';
import { getMe } from '../../use-cases/get-me';
import { getContract, listContractsOfPrime } from '../../use-cases/subcontracting/contracts';
import { listDisputes } from '../../use-cases/subcontracting/disputes';
import { getContractFigures } from '../../use-cases/subcontracting/figures';
import { fileSpendReturn } from '../../use-cases/subcontracting/spend-returns';
import { getSupplyChain } from '../../use-cases/subcontracting/supply-chain';
import { formErrors, issuesFromError, optionalText } from '../forms';
import { escapeHtml, govukDate, label, pounds } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';
import { echoedPaste, FILE_FIELD, PASTE_FIELD, readUpload } from './spend-return-upload';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    contracts: contractRepository(),
    providers: providerRepository(),
    memberships: membershipRepository(),
    subcontracting: subcontractingRepository(),
    publication: publicationRepository(),
  };
}

const PERIOD = /^\d{4}-Q[1-4]$/;

function contractId(raw: string | undefined): string {
  const id = ulidSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError('No contract at this address.');
  return id.data;
}

const percent = (value: number) => `${value.toFixed(2)}%`;

/** `GET /your-contracts`: contracts the user's organisations are prime of. */
export async function yourContracts(request: PageRequest) {
  requireSession(request);
  const deps = repositories();
  const me = await getMe(deps, request.principal);
  const pages = await Promise.all(
    me.organisations.map((org) => listContractsOfPrime(deps, request.principal, org.id, { limit: 100 })),
  );
  const rows = pages
    .flatMap((page) => page.items)
    .map((contract) => [
      {
        html: `<a class="govuk-link" href="/your-contracts/${contract.id}">${escapeHtml(contract.title)}</a>`,
      },
      { text: pounds(contract.valuePence) },
      { text: `${govukDate(contract.startDate)} to ${govukDate(contract.endDate)}` },
    ]);
  return render(request, 'contracts/list.njk', { title: 'Your contracts', section: 'contracts', rows });
}

/** What the return form sent back, shown again with its problems. */
interface FailedUpload {
  period: string;
  /** The paste box's value (a chosen file cannot be put back: browsers do not allow it). */
  csv: string;
  /** The file that was chosen, named in the messages. */
  filename?: string | undefined;
  issues: FieldIssue[];
}

/** Most row problems listed in the error summary; the table lists every one. */
const SUMMARY_ROWS = 10;

/**
 * A row problem in words: "Row 2 (line 3 of the file), column amount: …". A CSV row counts from the line
 * after the header, so row n is line n + 1 of the file.
 */
function rowProblem(issue: FieldIssue): string {
  const where =
    issue.row === 0 ? 'The header line' : `Row ${issue.row} (line ${(issue.row ?? 0) + 1} of the file)`;
  const column =
    issue.field && issue.field !== 'row' && issue.field !== 'header' ? `, column ${issue.field}` : '';
  return `${where}${column}: ${issue.message}`;
}

/** The error summary, inline messages and row table of a failed upload. */
function uploadErrors(upload: FailedUpload | undefined) {
  const issues = upload?.issues ?? [];
  const field = upload?.filename !== undefined ? FILE_FIELD : PASTE_FIELD;
  const rows = issues.filter((issue) => issue.row !== undefined);
  // Path '' is about the file as a whole (how many problems were left out of a capped list): after the rows.
  const others = issues.filter((issue) => issue.row === undefined && issue.path !== '');
  const notes = issues.filter((issue) => issue.row === undefined && issue.path === '');
  const prefix = upload?.filename ? `${upload.filename}: ` : '';
  const summary: FieldIssue[] = [
    ...others.map((issue) => ({
      path:
        issue.path === 'period' || issue.path === FILE_FIELD || issue.path === PASTE_FIELD
          ? issue.path
          : field,
      message: issue.message,
    })),
    ...rows
      .slice(0, SUMMARY_ROWS)
      .map((issue) => ({ path: field, message: `${prefix}${rowProblem(issue)}` })),
    ...(rows.length > SUMMARY_ROWS
      ? [{ path: field, message: `${rows.length - SUMMARY_ROWS} more row problems are listed in the table` }]
      : []),
    ...notes.map((issue) => ({ path: field, message: `${prefix}${issue.message}` })),
  ];
  const shown = formErrors(summary);
  const errors: Record<string, { text: string }> = {};
  for (const issue of summary) errors[issue.path ?? field] ??= { text: issue.message };
  if (rows.length > 0) {
    // The inline message points at the table, which sits above the form.
    errors[field] = {
      text: `${prefix}${rows.length === 1 ? '1 row has a problem' : `${rows.length} rows have problems`}, listed in "Rows with problems" above: nothing was stored`,
    };
  }
  const rowErrors = rows.map((issue) => [
    { text: issue.row === 0 ? 'Header' : `${issue.row} (line ${(issue.row ?? 0) + 1})` },
    { text: issue.field ?? '' },
    { text: issue.message },
  ]);
  return { errorList: issues.length > 0 ? shown.errorList : [], errors, rowErrors };
}

async function renderContract(request: PageRequest, id: string, upload?: FailedUpload) {
  const deps = repositories();
  const [contract, figures, disputes, chain] = await Promise.all([
    getContract(deps, request.principal, id),
    getContractFigures(deps, request.principal, id, config().rules),
    listDisputes(deps, request.principal, id, { limit: 100 }),
    // A contract may have no supply chain declared yet: the page says so rather than failing.
    getSupplyChain(deps, request.principal, id).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    }),
  ]);
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const met =
    figures.target.met === null
      ? 'not judged yet: no spend return filed'
      : figures.target.met
        ? 'met'
        : 'not met yet';
  const summary = [
    row('Contract value', pounds(figures.contractValuePence)),
    row(
      'Sub-contracted so far',
      `${pounds(figures.subcontractedPence)} (${percent(figures.subcontractedPercent)})`,
    ),
    row('Target', `${percent(figures.target.percent)} of contract value: ${met}`),
    row('Paid to voluntary-sector organisations', percent(figures.voluntaryPercent)),
    row('Paid to small and medium organisations', percent(figures.smePercent)),
    row(
      'Prompt payment',
      `${percent(figures.promptPayment.paidWithin30DaysPercent)} of ${figures.promptPayment.invoices} invoices paid within ${figures.promptPayment.withinDays} days; ${figures.promptPayment.averageDaysToPay} days on average`,
    ),
    row('Disputed lines', String(figures.disputes)),
  ];
  const periods = figures.periods.map((p) => [
    { text: p.period },
    { text: String(p.version), format: 'numeric' },
    { text: String(p.lineCount), format: 'numeric' },
    { text: pounds(p.subcontractedPence), format: 'numeric' },
  ]);
  const disputeRows = disputes.items.map((d) => [
    { text: d.period },
    { text: d.line.invoiceRef },
    { text: pounds(d.line.amountPence), format: 'numeric' },
    { text: d.reason },
    { text: govukDate(d.raisedAt) },
  ]);
  const supplyChain = (chain?.subcontractors ?? []).map((s) => [
    { html: `<code>${escapeHtml(s.ref)}</code>` },
    { text: s.name },
    { text: label(s.sector) },
    { text: label(s.size) },
    { text: s.providerId ? 'Yes' : 'No' },
  ]);
  const { errorList, errors, rowErrors } = uploadErrors(upload);
  return render(
    request,
    'contracts/contract.njk',
    {
      title: contract.title,
      section: 'contracts',
      contract,
      summary,
      periods,
      disputeRows,
      supplyChain,
      hasSupplyChain: chain !== undefined,
      lastQuarter: lastCompleteQuarter(isoDay(request.now)),
      filed: request.query.filed && PERIOD.test(request.query.filed) ? request.query.filed : undefined,
      values: { period: upload?.period ?? '', csv: upload?.csv ?? '' },
      rowErrors,
      errors,
      errorList,
      backLink: '/your-contracts',
    },
    upload && upload.issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-contracts/{id}`. */
export async function contractPage(request: PageRequest) {
  requireSession(request);
  return renderContract(request, contractId(request.params.id));
}

/**
 * `GET /your-contracts/{id}/spend-returns`: the form's own address, reached by reloading it in the
 * address bar after a failed upload (the failed page is the answer to a POST). Nothing to show here: back
 * to the contract's form.
 */
export async function spendReturnsAddress(request: PageRequest) {
  requireSession(request);
  return redirect(`/your-contracts/${contractId(request.params.id)}#file-a-return`);
}

/**
 * `POST /your-contracts/{id}/spend-returns` (multipart: a CSV file, or rows pasted): files the CSV through
 * the same use case as `PUT /contracts/{id}/spend-returns/{period}` (text/csv): any bad row and nothing is
 * stored. Sending the same form again (a reload) is harmless: a bad return is refused again, and a good
 * one that was stored meanwhile is recognised as the current version.
 */
export async function fileReturn(request: PageRequest) {
  requireSession(request);
  const id = contractId(request.params.id);
  const period = optionalText(request.form, 'period') ?? '';
  const pasted = request.form.get(PASTE_FIELD) ?? '';
  const file = request.multipart?.files.get(FILE_FIELD);
  const read = readUpload(file, pasted, request.multipart?.truncatedFields.has(PASTE_FIELD) === true);
  const filename = file?.filename;
  // The paste box is echoed back only when it was used (and never when it was too large to read).
  const csv = 'csv' in read && read.source.kind === 'paste' ? echoedPaste(pasted) : '';
  const issues: FieldIssue[] = [];
  if (!PERIOD.test(period)) issues.push({ path: 'period', message: 'Enter a quarter like 2026-Q3' });
  if ('issues' in read) issues.push(...read.issues);
  if (issues.length > 0 || !('csv' in read)) return renderContract(request, id, { period, csv, issues });
  try {
    await fileSpendReturn(
      repositories(),
      request.principal,
      id,
      period,
      { format: 'csv', text: read.csv },
      request.now,
      config().rules,
    );
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    const mapped = reported.map((issue) =>
      issue.path === 'params.period' ? { ...issue, path: 'period' } : issue,
    );
    return renderContract(request, id, { period, csv, filename, issues: mapped });
  }
  return redirect(`/your-contracts/${id}?filed=${encodeURIComponent(period)}`);
}
