/**
 * Pages for primes and sub-contractors (issue 6's use cases): a prime's contracts with their figures, a
 * spend-return upload (CSV pasted into a textarea, so the page works without JavaScript or file APIs)
 * that shows every bad row in a table and stores nothing unless every row is good, and, for
 * sub-contractors, the payments primes reported to them with a dispute form.
 */
import { config } from '../../config';
import {
  contractRepository,
  membershipRepository,
  providerRepository,
  subcontractingRepository,
} from '../../db/repositories';
import { type FieldIssue, NotFoundError } from '../../domain/errors';
import { LINE_ID_PATTERN } from '../../domain/subcontracting';
import { ulidSchema } from '../../http/schemas/common';
import { getMe } from '../../use-cases/get-me';
import { getContract, listContractsOfPrime } from '../../use-cases/subcontracting/contracts';
import { disputeLine, listDisputes } from '../../use-cases/subcontracting/disputes';
import { getContractFigures } from '../../use-cases/subcontracting/figures';
import { listSubcontractPayments } from '../../use-cases/subcontracting/payments';
import { fileSpendReturn } from '../../use-cases/subcontracting/spend-returns';
import { formErrors, issuesFromError, optionalText } from '../forms';
import { govukDate, pounds } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';
import { escapeHtml } from './public';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    contracts: contractRepository(),
    providers: providerRepository(),
    memberships: membershipRepository(),
    subcontracting: subcontractingRepository(),
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

async function renderContract(
  request: PageRequest,
  id: string,
  upload?: { period: string; csv: string; issues: FieldIssue[] },
) {
  const deps = repositories();
  const [contract, figures, disputes] = await Promise.all([
    getContract(deps, request.principal, id),
    getContractFigures(deps, request.principal, id, config().rules),
    listDisputes(deps, request.principal, id, { limit: 100 }),
  ]);
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const summary = [
    row('Contract value', pounds(figures.contractValuePence)),
    row(
      'Sub-contracted so far',
      `${pounds(figures.subcontractedPence)} (${percent(figures.subcontractedPercent)})`,
    ),
    row(
      'Target',
      `${percent(figures.target.percent)} of contract value: ${figures.target.met ? 'met' : 'not met yet'}`,
    ),
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
  const issues = upload?.issues ?? [];
  // Row problems go in the table; the summary links each to the pasted CSV.
  const shown = formErrors(issues, (path) => (path === 'period' ? '#period' : '#csv'));
  const rowErrors = issues
    .filter((issue) => issue.row !== undefined)
    .map((issue) => [
      { text: String(issue.row), format: 'numeric' },
      { text: issue.field ?? '' },
      { text: issue.message },
    ]);
  const fieldErrors: Record<string, { text: string }> = {};
  for (const issue of issues) {
    const key = issue.path === 'period' ? 'period' : 'csv';
    fieldErrors[key] ??= {
      text:
        key === 'csv' && issue.row !== undefined
          ? 'Some rows have problems: see the table below'
          : issue.message,
    };
  }
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
      filed: request.query.filed && PERIOD.test(request.query.filed) ? request.query.filed : undefined,
      values: { period: upload?.period ?? '', csv: upload?.csv ?? '' },
      rowErrors,
      errors: fieldErrors,
      errorList: issues.length > 0 ? shown.errorList : [],
      backLink: '/your-contracts',
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-contracts/{id}`. */
export async function contractPage(request: PageRequest) {
  requireSession(request);
  return renderContract(request, contractId(request.params.id));
}

/**
 * `POST /your-contracts/{id}/spend-returns`: files the pasted CSV through the same use case as
 * `PUT /contracts/{id}/spend-returns/{period}` (text/csv): any bad row and nothing is stored.
 */
export async function fileReturn(request: PageRequest) {
  requireSession(request);
  const id = contractId(request.params.id);
  const period = optionalText(request.form, 'period') ?? '';
  const csv = request.form.get('csv') ?? '';
  const issues: FieldIssue[] = [];
  if (!PERIOD.test(period)) issues.push({ path: 'period', message: 'Enter a quarter like 2026-Q3' });
  if (csv.trim() === '') issues.push({ path: 'csv', message: 'Paste the rows of your spend return' });
  if (issues.length > 0) return renderContract(request, id, { period, csv, issues });
  try {
    await fileSpendReturn(
      repositories(),
      request.principal,
      id,
      period,
      { format: 'csv', text: csv },
      request.now,
      config().rules,
    );
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    const mapped = reported.map((issue) =>
      issue.path === 'params.period' ? { ...issue, path: 'period' } : issue,
    );
    return renderContract(request, id, { period, csv, issues: mapped });
  }
  return redirect(`/your-contracts/${id}?filed=${encodeURIComponent(period)}`);
}

/** `GET /your-payments`: what primes reported paying the user's organisations, each line disputable. */
export async function yourPayments(request: PageRequest) {
  requireSession(request);
  const deps = repositories();
  const me = await getMe(deps, request.principal);
  const pages = await Promise.all(
    me.organisations.map((org) => listSubcontractPayments(deps, request.principal, org.id, { limit: 100 })),
  );
  const rows = pages
    .flatMap((page) => page.items)
    .map((p) => {
      const query = new URLSearchParams({ contractId: p.contractId, period: p.period, lineId: p.lineId });
      return [
        { text: p.contractTitle },
        { text: p.period },
        { text: p.invoiceRef },
        { text: govukDate(p.paidDate) },
        { text: pounds(p.amountPence), format: 'numeric' },
        { text: String(p.daysToPay), format: 'numeric' },
        {
          html: `<a class="govuk-link" href="/your-payments/dispute?${escapeHtml(query.toString())}">Dispute<span class="govuk-visually-hidden"> invoice ${escapeHtml(p.invoiceRef)}</span></a>`,
        },
      ];
    });
  return render(request, 'contracts/payments.njk', {
    title: 'Payments reported to you',
    section: 'payments',
    rows,
    disputed: request.query.disputed === 'yes',
  });
}

function disputeTarget(source: { get(name: string): string | null | undefined }) {
  const contract = ulidSchema.safeParse(source.get('contractId'));
  const period = source.get('period') ?? '';
  const lineId = source.get('lineId') ?? '';
  if (!contract.success || !PERIOD.test(period) || !LINE_ID_PATTERN.test(lineId)) {
    throw new NotFoundError('No such payment line.');
  }
  return { contractId: contract.data, period, lineId };
}

function renderDispute(
  request: PageRequest,
  target: ReturnType<typeof disputeTarget>,
  issues: FieldIssue[] = [],
  reason = '',
) {
  const shown = formErrors(issues, () => '#reason');
  return render(
    request,
    'contracts/dispute.njk',
    {
      title: 'Dispute a reported payment',
      section: 'payments',
      target,
      reason,
      errors: issues.length > 0 ? { reason: { text: issues[0]?.message } } : {},
      errorList: issues.length > 0 ? shown.errorList : [],
      backLink: '/your-payments',
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-payments/dispute?contractId=&period=&lineId=`. */
export async function disputePage(request: PageRequest) {
  requireSession(request);
  const query = request.query;
  return renderDispute(request, disputeTarget({ get: (name) => query[name] }));
}

/** `POST /your-payments/dispute`: the same use case as the JSON dispute route. */
export async function disputeAnswer(request: PageRequest) {
  requireSession(request);
  const target = disputeTarget(request.form);
  const reason = request.form.get('reason')?.trim() ?? '';
  if (reason === '' || reason.length > 2000) {
    const message = reason === '' ? 'Enter why you dispute this payment' : 'Use at most 2000 characters';
    return renderDispute(request, target, [{ path: 'reason', message }], reason);
  }
  try {
    await disputeLine(repositories(), request.principal, target, reason, request.now);
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderDispute(request, target, reported, reason);
  }
  return redirect('/your-payments?disputed=yes');
}
