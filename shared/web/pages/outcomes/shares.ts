/**
 * The prime's form for the shares of outcome payments it passes on to its registered sub-contractors
 * (issue 18), `GET/POST /your-contracts/{id}/outcomes/shares`: one percentage box per sub-contractor and kind
 * of outcome payment (each proxy outcome of the mechanism in force, and re-offending), what each kind was
 * paid to date after the cap, and what each share comes to. Members see the shares; owners change them.
 * Saving calls the use case of `PUT /contracts/{id}/outcome-shares`, which checks everything again.
 */
import {
  auditRepository,
  contractRepository,
  membershipRepository,
  outcomeShareRepository,
  paymentByResultsRepository,
  providerRepository,
  subcontractingRepository,
} from '../../../db/repositories';
import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
} from '../../../domain/errors';
import { assertCanShareOutcomes } from '../../../domain/policy';
import { ulidSchema } from '../../../http/schemas/common';
import { loadOutcomesContract } from '../../../use-cases/payment-by-results/access';
import {
  getOutcomeShares,
  type OutcomeSharesView,
  recordOutcomeShares,
  type ShareDeps,
} from '../../../use-cases/payment-by-results/shares';
import { formErrors, issuesFromError } from '../../forms';
import { pounds } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';

/** The repositories the shares use cases need, and no others. */
function repositories(): ShareDeps {
  return {
    contracts: contractRepository(),
    memberships: membershipRepository(),
    paymentByResults: paymentByResultsRepository(),
    subcontracting: subcontractingRepository(),
    audit: auditRepository(),
    outcomeShares: outcomeShareRepository(),
    providers: providerRepository(),
  };
}

function contractId(raw: string | undefined): string {
  const id = ulidSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError('No contract at this address.');
  return id.data;
}

const sharesPath = (id: string) => `/your-contracts/${id}/outcomes/shares`;
/** A box's form name and element id: provider ids are ULIDs and outcome ids letters, digits, `-` and `_`. */
const fieldOf = (providerId: string, outcome: string) => `share-${providerId}-${outcome}`;

/** One box of the form. */
interface Box {
  providerId: string;
  outcome: string;
  field: string;
}

/** Every box: each registered sub-contractor × each kind that may be shared now. */
function boxesOf(view: OutcomeSharesView): Box[] {
  return view.subcontractors.flatMap((s) =>
    view.outcomes.map((o) => ({
      providerId: s.providerId,
      outcome: o.id,
      field: fieldOf(s.providerId, o.id),
    })),
  );
}

/** A percentage as typed back into its box (no trailing zeros). */
function percentText(percent: number): string {
  return String(percent);
}

async function renderShares(
  request: PageRequest,
  id: string,
  typed?: Map<string, string>,
  issues: FieldIssue[] = [],
  status?: number,
) {
  const deps = repositories();
  const view = await getOutcomeShares(deps, request.principal, id, request.now);
  const { contract, relation } = await loadOutcomesContract(deps, request.principal, id);
  let refusal: string | undefined;
  try {
    assertCanShareOutcomes(relation, id);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    refusal = error.message;
  }
  const current = new Map(view.shares.map((s) => [fieldOf(s.providerId, s.outcome), s]));
  const { errorList, errors } = formErrors(issues, (path) => `#${path}`);
  const groups = view.subcontractors.map((s) => ({
    name: s.name,
    providerId: s.providerId,
    boxes: view.outcomes.map((o) => {
      const field = fieldOf(s.providerId, o.id);
      const share = current.get(field);
      return {
        field,
        label: o.name,
        value: typed?.get(field) ?? (share ? percentText(share.percent) : ''),
        hint: share ? `Comes to ${pounds(share.amountPence)} to date` : undefined,
        error: errors[field],
      };
    }),
  }));
  const payments = view.outcomes.map((o) => [
    { text: o.name },
    { text: pounds(o.paidPence), format: 'numeric' },
  ]);
  const shareRows = view.shares.map((s) => [
    { text: s.providerName },
    { text: s.outcomeName },
    { text: `${s.percent}%`, format: 'numeric' },
    { text: pounds(s.amountPence), format: 'numeric' },
  ]);
  return render(
    request,
    'outcomes/prime-shares.njk',
    {
      title: 'Shares of outcome payments',
      section: 'contracts',
      contract,
      refusal,
      hasMechanism: view.outcomes.length > 0,
      through: view.through,
      version: view.version,
      payments,
      shareRows,
      groups,
      saved: request.query.saved === 'yes',
      errors,
      errorList,
      backLink: `/your-contracts/${id}/outcomes`,
    },
    status ?? (issues.length > 0 ? 400 : 200),
  );
}

/** `GET /your-contracts/{id}/outcomes/shares`: the shares and what they come to; the form for owners. */
export async function primeSharesForm(request: PageRequest) {
  requireSession(request);
  return renderShares(request, contractId(request.params.id));
}

/**
 * `POST /your-contracts/{id}/outcomes/shares`: saves every box as the new set (blank or 0 is no share). A
 * box that is not a number is refused here; the use case checks the rest (at most two decimals, 0–100, no
 * kind over 100% in all, sub-contractors still registered in the chain) and nothing is saved on any problem.
 */
export async function savePrimeShares(request: PageRequest) {
  requireSession(request);
  const id = contractId(request.params.id);
  const view = await getOutcomeShares(repositories(), request.principal, id, request.now);
  const boxes = boxesOf(view);
  const typed = new Map<string, string>();
  const issues: FieldIssue[] = [];
  const shares: { providerId: string; outcome: string; percent: number }[] = [];
  const shareBox: Box[] = [];
  for (const box of boxes) {
    const raw = (request.form.get(box.field) ?? '').trim().replace(/%$/, '').trim().slice(0, 20);
    typed.set(box.field, raw);
    if (raw === '') continue;
    const percent = /^\d{1,3}(\.\d+)?$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isNaN(percent)) {
      issues.push({ path: box.field, message: 'Enter a percentage from 0 to 100, like 25 or 12.5' });
      continue;
    }
    shares.push({ providerId: box.providerId, outcome: box.outcome, percent });
    shareBox.push(box);
  }
  if (issues.length > 0) return renderShares(request, id, typed, issues);
  try {
    await recordOutcomeShares(repositories(), request.principal, id, { shares }, request.now);
  } catch (error) {
    const reported = issuesFromError(error);
    if (reported) {
      // `shares.N.field` is box N of those sent; a total over 100% (`shares`) points at the kind's first box.
      const mapped = reported.map((issue) => {
        const match = /^shares\.(\d+)/.exec(issue.path ?? '');
        const box = match ? shareBox[Number(match[1])] : undefined;
        if (box) return { path: box.field, message: issue.message };
        const kind = view.outcomes.find((o) => issue.message.includes(`shares of ${o.id} `));
        const first = kind ? boxes.find((b) => b.outcome === kind.id) : boxes[0];
        const name = kind?.name;
        return {
          path: first?.field ?? 'main-content',
          message: name ? issue.message.replace(`shares of ${kind.id}`, `shares of ${name}`) : issue.message,
        };
      });
      return renderShares(request, id, typed, mapped);
    }
    if (error instanceof ConflictError || error instanceof InvalidStateError) {
      return renderShares(
        request,
        id,
        typed,
        [{ path: boxes[0]?.field ?? 'main-content', message: error.message }],
        409,
      );
    }
    throw error;
  }
  return redirect(`${sharesPath(id)}?saved=yes`);
}

/** These pages by route key, for the function that serves them. */
export const shareOutcomePages: PageMap = {
  'GET /your-contracts/{id}/outcomes/shares': primeSharesForm,
  'POST /your-contracts/{id}/outcomes/shares': savePrimeShares,
};
