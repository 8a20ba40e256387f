/**
 * Pages for sub-contractors: the payments primes reported to them – each line disputable once – with a
 * dispute form that shows the line it disputes. A function of its own (`webPayments`), apart from the
 * primes' contract pages, so each bundles only its own use cases.
 */
import {
  contractRepository,
  membershipRepository,
  outboxWriter,
  outcomeShareRepository,
  paymentByResultsRepository,
  providerRepository,
  subcontractingRepository,
} from '../../db/repositories';
import { ConflictError, type FieldIssue, NotFoundError } from '../../domain/errors';
import { LINE_ID_PATTERN } from '../../domain/subcontracting/lines';
import { ulidSchema } from '../../http/schemas/common';
import { getMe } from '../../use-cases/get-me';
import { listSharesForProvider } from '../../use-cases/payment-by-results/shares';
import { disputeLine, getDisputableLine } from '../../use-cases/subcontracting/disputes';
import { listSubcontractPayments } from '../../use-cases/subcontracting/payments';
import { formErrors, issuesFromError } from '../forms';
import { escapeHtml, govukDate, pounds } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    contracts: contractRepository(),
    providers: providerRepository(),
    memberships: membershipRepository(),
    subcontracting: subcontractingRepository(),
    outbox: outboxWriter(),
    // The shares of outcome payments primes pass on (issue 18), and the figures they are taken from.
    paymentByResults: paymentByResultsRepository(),
    outcomeShares: outcomeShareRepository(),
  };
}

/** Contracts with shares shown per organisation: the first page (the page says when there are more). */
const SHARE_CONTRACTS_SHOWN = 20;

const PERIOD = /^\d{4}-Q[1-4]$/;

/**
 * `GET /your-payments`: what primes reported paying the user's organisations, each line disputable once, and
 * beside it the shares of outcome payments primes pass on to them, with what each comes to to date.
 */
export async function yourPayments(request: PageRequest) {
  requireSession(request);
  const deps = repositories();
  const me = await getMe(deps, request.principal);
  const [pages, sharePages] = await Promise.all([
    Promise.all(
      me.organisations.map((org) => listSubcontractPayments(deps, request.principal, org.id, { limit: 100 })),
    ),
    Promise.all(
      me.organisations.map((org) =>
        listSharesForProvider(deps, request.principal, org.id, { limit: SHARE_CONTRACTS_SHOWN }, request.now),
      ),
    ),
  ]);
  // Outcome payments primes pass on, per contract: each share and what it comes to to date.
  const shares = sharePages.flatMap((page) =>
    page.items.map((item) => ({
      id: item.contractId,
      title: item.contractTitle,
      primeName: item.primeName,
      through: item.through,
      rows: item.shares.map((share) => [
        { text: share.outcomeName },
        { text: `${share.percent}%`, format: 'numeric' },
        { text: pounds(share.paymentPence), format: 'numeric' },
        { text: pounds(share.amountPence), format: 'numeric' },
      ]),
    })),
  );
  const moreShares = sharePages.some((page) => page.nextCursor !== null);
  const rows = pages
    .flatMap((page) => page.items)
    .map((p) => {
      const query = new URLSearchParams({ contractId: p.contractId, period: p.period, lineId: p.lineId });
      // A line already disputed is marked as such: a second dispute of it would be refused.
      const action = p.dispute
        ? {
            html: `<strong class="govuk-tag govuk-tag--yellow">Disputed</strong><span class="govuk-visually-hidden"> on ${escapeHtml(govukDate(p.dispute.raisedAt))}</span>`,
          }
        : {
            html: `<a class="govuk-link" href="/your-payments/dispute?${escapeHtml(query.toString())}">Dispute<span class="govuk-visually-hidden"> invoice ${escapeHtml(p.invoiceRef)}</span></a>`,
          };
      return [
        { text: p.contractTitle },
        { text: p.period },
        { text: p.invoiceRef },
        { text: govukDate(p.paidDate) },
        { text: pounds(p.amountPence), format: 'numeric' },
        { text: String(p.daysToPay), format: 'numeric' },
        action,
      ];
    });
  return render(request, 'contracts/payments.njk', {
    title: 'Payments reported to you',
    section: 'payments',
    rows,
    shares,
    moreShares,
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

/** The dispute form: the line it disputes (contract, prime, invoice, amount), and the reason. */
async function renderDispute(
  request: PageRequest,
  target: ReturnType<typeof disputeTarget>,
  issues: FieldIssue[] = [],
  reason = '',
) {
  // The same checks as disputing: only a line paid to one of the user's organisations is shown.
  const view = await getDisputableLine(repositories(), request.principal, target);
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const line = [
    row('Contract', view.contract.title),
    row('Prime provider', view.primeName),
    row('Quarter', view.period),
    row('Invoice', view.line.invoiceRef),
    row('Invoice date', govukDate(view.line.invoiceDate)),
    row('Paid', govukDate(view.line.paidDate)),
    row('Amount reported', pounds(view.line.amountPence)),
  ];
  const shown = formErrors(issues, () => '#reason');
  return render(
    request,
    'contracts/dispute.njk',
    {
      title: view.openDispute ? 'This payment is already disputed' : 'Dispute a reported payment',
      section: 'payments',
      target,
      line,
      openDispute: view.openDispute
        ? { raisedAt: govukDate(view.openDispute.raisedAt), raisedBy: view.openDispute.raisedBy }
        : undefined,
      reason,
      errors: issues.length > 0 ? { reason: { text: issues[0]?.message } } : {},
      errorList: issues.length > 0 ? shown.errorList : [],
      backLink: '/your-payments',
    },
    issues.length > 0
      ? 400
      : view.openDispute && request.event.requestContext.http.method === 'POST'
        ? 409
        : 200,
  );
}

/** `GET /your-payments/dispute?contractId=&period=&lineId=`. */
export async function disputePage(request: PageRequest) {
  requireSession(request);
  const query = request.query;
  return renderDispute(request, disputeTarget({ get: (name) => query[name] }));
}

/**
 * `POST /your-payments/dispute`: the same use case as the JSON dispute route. A line disputed meanwhile
 * (another member of the organisation, another tab) shows the page that says so, with nothing stored.
 */
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
    if (error instanceof ConflictError) {
      // Disputed meanwhile: the page that says so. Any other clash is shown as the error it is.
      const page = await renderDispute(request, target);
      if (page.statusCode === 409) return page;
      throw error;
    }
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderDispute(request, target, reported, reason);
  }
  return redirect('/your-payments?disputed=yes');
}
