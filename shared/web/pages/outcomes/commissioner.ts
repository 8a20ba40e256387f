/**
 * The commissioner's payment-by-results pages (issue 18), under `/commissioning/contracts/{id}/outcomes`:
 * the mechanism in force and its versions, the statement to date (and its CSV), the cohorts and their
 * results with a chart per risk tier of actual against baseline re-offending, the claims awaiting a decision;
 * and the forms that set a new mechanism version, enter a period's cohort or results, and decide a claim.
 *
 * Every page calls the payment-by-results use cases, whose policy decides: any commissioner who may read the
 * contract sees it; a change is refused to anyone but a commissioner, and to a commissioner connected to the
 * prime or one of its sub-contractors with the ethical wall's error page (`EthicalWallError`). A form with
 * problems is shown again with the GOV.UK error summary and nothing written. Participant references appear
 * only on the claim's own page, never in a log or the statement.
 */

import {
  auditRepository,
  contractRepository,
  membershipRepository,
  paymentByResultsRepository,
  subcontractingRepository,
} from '../../../db/repositories';
import { ConflictError, type FieldIssue, InvalidStateError, NotFoundError } from '../../../domain/errors';
import { mechanismFor } from '../../../domain/payment-by-results/mechanism';
import { assertCanUseCommissionerOutcomePages } from '../../../domain/policy';
import { ulidSchema } from '../../../http/schemas/common';
import type { OutcomeDeps } from '../../../use-cases/payment-by-results/access';
import {
  decideOutcomeClaim,
  getOutcomeClaim,
  listOutcomeClaims,
} from '../../../use-cases/payment-by-results/claims';
import {
  cohortViews,
  listCohorts,
  putCohort,
  putCohortResults,
} from '../../../use-cases/payment-by-results/cohorts';
import {
  getPaymentMechanism,
  type MechanismView,
  mechanismView,
  NoMechanismError,
  setPaymentMechanism,
} from '../../../use-cases/payment-by-results/mechanism';
import { loadStatementInputs, statementOf } from '../../../use-cases/payment-by-results/statement';
import { statementCsv } from '../../../use-cases/payment-by-results/statement-csv';
import { csvResponse } from '../../csv';
import { formErrors, issuesFromError } from '../../forms';
import { escapeHtml, govukDate, govukDateTime, pounds } from '../../labels';
import { isOfficial, type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import {
  BLANK_OUTCOME_ROWS,
  COHORT_FIELDS,
  MAX_OUTCOME_ROWS,
  mechanismFieldNames,
  mechanismValues,
  outcomeRowsOf,
  parseCohortForm,
  parseDecisionForm,
  parseMechanismForm,
  parseResultsForm,
  RESULTS_FIELDS,
  valuesOf,
} from './commissioner-forms';
import { quarterWords, renderSeries, reoffendingSeries, TIER_NAMES, TIERS } from './reoffending-chart';

/** The repositories the payment-by-results use cases need, and no others: a smaller bundle. */
function repositories(): OutcomeDeps {
  return {
    contracts: contractRepository(),
    memberships: membershipRepository(),
    paymentByResults: paymentByResultsRepository(),
    subcontracting: subcontractingRepository(),
    audit: auditRepository(),
  };
}

/** Claims awaiting a decision shown on one page of the overview. */
export const CLAIMS_PAGE_SIZE = 20;

const PERIOD = /^\d{4}-Q[1-4]$/;

function contractIdOf(request: PageRequest): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No contract at this address.');
  return id.data;
}

function claimIdOf(request: PageRequest): string {
  const id = ulidSchema.safeParse(request.params.claimId);
  if (!id.success) throw new NotFoundError('No claim at this address.');
  return id.data;
}

const base = (id: string) => `/commissioning/contracts/${encodeURIComponent(id)}/outcomes`;

/** Breadcrumbs: the workspace, the contract, and (on a form) the contract's payment by results. */
function crumbs(id: string, withOutcomes: boolean) {
  return [
    { text: 'Commissioning', href: '/commissioning' },
    { text: 'Contract', href: `/commissioning/contracts/${encodeURIComponent(id)}` },
    ...(withOutcomes ? [{ text: 'Payment by results', href: base(id) }] : []),
  ];
}

/** What a form shows again: the summary (each problem linked to its field) and the field messages. */
function shownErrors(issues: readonly FieldIssue[]) {
  return formErrors(issues);
}

/**
 * The problems to show on a form for a refused change: the use case's field issues, or – for a change the
 * state refuses (results before the follow-up ends, a claim already decided, someone else's change at the
 * same moment) – its message against `path`. Anything else (the wall, a missing contract) is an error page.
 */
function refusalIssues(error: unknown, path: string): FieldIssue[] | undefined {
  const found = issuesFromError(error);
  if (found) return found.map((i) => (i.path === '' ? { ...i, path } : i));
  if (error instanceof InvalidStateError || error instanceof ConflictError) {
    return [{ path, message: error.message }];
  }
  return undefined;
}

const DONE: Record<string, string> = {
  mechanism: 'New version of the payment mechanism set',
  cohort: 'Cohort sizes saved',
  results: 'Results saved and valued',
  'results-unchanged': 'Those results were already entered: nothing changed',
  claim: 'Decision on the claim recorded',
};

const percentText = (n: number) => `${n}%`;

/** A mechanism version's terms as summary-list rows. */
function mechanismRows(m: MechanismView) {
  const { binary, frequency, followUpMonths } = m.reoffending;
  const row = (key: string, text: string) => ({ key: { text: key }, value: { text } });
  return [
    row('Applies from', `${m.fromPeriod} (${quarterWords(m.fromPeriod)})`),
    row('Paid up front', `${percentText(m.upfrontPercent)} of the contract value`),
    row(
      'Proxy outcomes',
      m.proxyOutcomes.length === 0
        ? 'None'
        : m.proxyOutcomes.map((o) => `${o.name} (${o.id}): ${pounds(o.tariffPence)}`).join('; '),
    ),
    row(
      'Binary re-offending measure',
      binary
        ? `Baseline ${percentText(binary.baselineRatePercent)}; ${pounds(binary.tariffPence)} per reoffender prevented`
        : 'Not used',
    ),
    row(
      'Frequency re-offending measure',
      frequency
        ? `Baseline ${frequency.baselinePerPerson} reoffences per person; ${pounds(frequency.tariffPence)} per reoffence prevented`
        : 'Not used',
    ),
    row('Follow-up period', `${followUpMonths} month${followUpMonths === 1 ? '' : 's'}`),
    row('Risk tier multipliers', TIERS.map((t) => `${TIER_NAMES[t]} ×${m.tierMultipliers[t]}`).join(', ')),
    row(
      'Cap on outcome payments',
      m.capPencePerYear === null ? 'No cap' : `${pounds(m.capPencePerYear)} a contract year`,
    ),
    row('Set', `${govukDateTime(m.setAt)}`),
  ];
}

const money = (pence: number) => ({ text: pounds(pence), format: 'numeric' as const });

/** `GET /commissioning/contracts/{id}/outcomes`: the contract's payment by results at a glance. */
async function overview(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const deps = repositories();
  const cursor = request.query.cursor;
  const [inputs, awaiting] = await Promise.all([
    loadStatementInputs(deps, request.principal, id),
    listOutcomeClaims(deps, request.principal, id, {
      limit: CLAIMS_PAGE_SIZE,
      awaiting: true,
      ...(cursor ? { cursor: cursor.slice(0, 2048) } : {}),
    }),
  ]);
  const today = request.now.toISOString().slice(0, 10);
  const view = statementOf(inputs, today);
  const cohorts = cohortViews(id, inputs.cohorts, inputs.versions);
  const versions = inputs.versions.map((v) => mechanismView(id, v));
  const current = versions.at(-1);
  const series = reoffendingSeries(versions, cohorts).map(renderSeries);
  const official = isOfficial(request);
  const statementRows = view.periods.map((p) => [
    { text: p.period },
    { text: p.mechanismVersion === null ? 'None' : String(p.mechanismVersion), format: 'numeric' },
    money(p.upfrontPence),
    money(p.proxyClaimedPence),
    money(p.proxyPence),
    money(p.reoffendingPence),
    money(p.cutPence),
    { text: p.capReached ? 'Yes' : 'No' },
    money(p.totalPence),
  ]);
  const t = view.totals;
  const share = t.contractValuePence > 0 ? (t.totalPence / t.contractValuePence) * 100 : 0;
  const totals = [
    { key: { text: 'Paid up front' }, value: { text: pounds(t.upfrontPence) } },
    { key: { text: 'Proxy outcomes claimed' }, value: { text: pounds(t.proxyClaimedPence) } },
    { key: { text: 'Proxy outcomes validated' }, value: { text: pounds(t.proxyPence) } },
    { key: { text: 'Reduced re-offending' }, value: { text: pounds(t.reoffendingPence) } },
    { key: { text: 'Cut by the cap' }, value: { text: pounds(t.cutPence) } },
    {
      key: { text: 'Total to date' },
      value: {
        text: `${pounds(t.totalPence)} of the contract value of ${pounds(t.contractValuePence)} (${Math.round(share * 100) / 100}%)`,
      },
    },
  ];
  const claimCounts = [
    { key: { text: 'Awaiting a decision' }, value: { text: String(view.claims.submitted) } },
    { key: { text: 'Validated' }, value: { text: String(view.claims.validated) } },
    { key: { text: 'Partly validated' }, value: { text: String(view.claims['partly-validated']) } },
    { key: { text: 'Rejected' }, value: { text: String(view.claims.rejected) } },
  ];
  const cohortRows = cohorts.map((c) => {
    const sizes = TIERS.map((tier) => ({ text: String(c.tiers[tier]?.size ?? 0), format: 'numeric' }));
    const actions: string[] = [];
    let status: string;
    if (c.results) {
      status = `Results in (version ${c.resultsVersion}): ${pounds(c.reoffendingPence ?? 0)} before any cap`;
    } else if (c.resultsFrom === null) {
      status = 'No mechanism in force for this quarter';
    } else if (c.resultsFrom > today) {
      status = `Results from ${govukDate(c.resultsFrom)}`;
    } else {
      status = `Results due (from ${govukDate(c.resultsFrom)})`;
    }
    if (official) {
      const q = `?period=${encodeURIComponent(c.period)}`;
      if (!c.results) {
        actions.push(
          `<a class="govuk-link" href="${base(id)}/cohort${q}">Change sizes<span class="govuk-visually-hidden"> of ${escapeHtml(c.period)}</span></a>`,
        );
      }
      if (c.resultsFrom !== null && c.resultsFrom <= today) {
        actions.push(
          `<a class="govuk-link" href="${base(id)}/results${q}">${c.results ? 'Correct results' : 'Enter results'}<span class="govuk-visually-hidden"> of ${escapeHtml(c.period)}</span></a>`,
        );
      }
    }
    return [
      { text: c.period },
      ...sizes,
      { text: status },
      { html: actions.length > 0 ? actions.join('<br>') : '–' },
    ];
  });
  // Each claim's outcome by the name of the version in force for its period (the id if it has none).
  const outcomeName = (c: { outcomeId: string; period: string }) =>
    mechanismFor(inputs.versions, c.period)?.proxyOutcomes.find((o) => o.id === c.outcomeId)?.name ??
    c.outcomeId;
  const claimRows = awaiting.items.map((c) => [
    {
      html: `<a class="govuk-link" href="${base(id)}/claims/${encodeURIComponent(c.id)}">Claim ${escapeHtml(c.id.slice(-6))}<span class="govuk-visually-hidden"> for ${escapeHtml(outcomeName(c))}</span></a>`,
    },
    { text: outcomeName(c) },
    { text: c.period },
    { text: TIER_NAMES[c.tier] },
    { text: String(c.participants.length), format: 'numeric' },
    { text: govukDateTime(c.submittedAt) },
  ]);
  const done = request.query.done;
  return render(request, 'outcomes/commissioner.njk', {
    title: `Payment by results: ${inputs.contract.title}`,
    section: 'commissioning',
    breadcrumbs: crumbs(id, false),
    contract: inputs.contract,
    base: base(id),
    official,
    done: done && Object.hasOwn(DONE, done) ? DONE[done] : undefined,
    current: current ? mechanismRows(current) : undefined,
    currentVersion: current?.version,
    versionRows: versions.map((v) => [
      { text: String(v.version), format: 'numeric' },
      { text: v.fromPeriod },
      { text: `${v.upfrontPercent}%`, format: 'numeric' },
      { text: String(v.proxyOutcomes.length), format: 'numeric' },
      { text: v.capPencePerYear === null ? 'No cap' : pounds(v.capPencePerYear), format: 'numeric' },
      { text: govukDateTime(v.setAt) },
    ]),
    through: view.through,
    statementRows,
    totals,
    claimCounts,
    cohortRows,
    claimRows,
    firstClaims: cursor !== undefined,
    // The repository's cursor goes forward only: "First claims" starts again, "More claims" goes on.
    pagination:
      awaiting.nextCursor || cursor
        ? {
            landmarkLabel: 'Claims awaiting a decision',
            ...(cursor ? { previous: { text: 'First claims', href: `${base(id)}#claims` } } : {}),
            ...(awaiting.nextCursor
              ? {
                  next: {
                    text: 'More claims',
                    href: `${base(id)}?cursor=${encodeURIComponent(awaiting.nextCursor)}#claims`,
                  },
                }
              : {}),
          }
        : undefined,
    charts: series,
    tierNames: TIERS.map((tier) => TIER_NAMES[tier]),
  });
}

/** `GET …/outcomes/statement.csv`: the statement to date, one row a quarter and the totals. */
async function statementDownload(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const inputs = await loadStatementInputs(repositories(), request.principal, id);
  const view = statementOf(inputs, request.now.toISOString().slice(0, 10));
  return csvResponse(`outcome-statement-${id}-${view.through}.csv`, statementCsv(view));
}

/** The quarter of an ISO date: `2026-08-14` → `2026-Q3`. */
function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}

/** The quarter after today's: the first a new version may start from (never retroactively). */
function nextQuarter(today: string): string {
  const [year, q] = quarterOf(today).split('-Q').map(Number) as [number, number];
  return q === 4 ? `${year + 1}-Q1` : `${year}-Q${q + 1}`;
}

async function currentMechanism(deps: OutcomeDeps, request: PageRequest, id: string) {
  return getPaymentMechanism(deps, request.principal, id).catch((error: unknown) => {
    // No mechanism yet is the first version's form, not a missing page; the contract itself is checked below.
    if (error instanceof NoMechanismError) return undefined;
    throw error;
  });
}

function mechanismPage(
  request: PageRequest,
  id: string,
  current: MechanismView | undefined,
  values: Record<string, string>,
  rows: number,
  issues: readonly FieldIssue[],
  status = 200,
) {
  const outcomeRows = Array.from({ length: rows }, (_, i) => i);
  return render(
    request,
    'outcomes/commissioner-mechanism.njk',
    {
      title: current ? 'Set a new version of the payment mechanism' : 'Set the payment mechanism',
      section: 'commissioning',
      breadcrumbs: crumbs(id, true),
      base: base(id),
      current: current ? mechanismRows(current) : undefined,
      currentVersion: current?.version,
      values,
      outcomeRows,
      rowCount: rows,
      tiers: TIERS.map((tier) => ({ tier, name: TIER_NAMES[tier] })),
      ...shownErrors(issues),
    },
    status,
  );
}

/** `GET …/outcomes/mechanism`: the form for a new version, prefilled from the current one. */
async function mechanismGet(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const deps = repositories();
  const inputs = await loadStatementInputs(deps, request.principal, id);
  const latest = inputs.versions.at(-1);
  const current = latest ? mechanismView(id, latest) : undefined;
  const today = request.now.toISOString().slice(0, 10);
  // The first version may start in the contract's first quarter; a later one only in a quarter not begun.
  const from = current ? nextQuarter(today) : quarterOf(inputs.contract.startDate);
  const rows = Math.min(MAX_OUTCOME_ROWS, (current?.proxyOutcomes.length ?? 0) + BLANK_OUTCOME_ROWS);
  return mechanismPage(request, id, current, mechanismValues(current, from), rows, []);
}

/** `POST …/outcomes/mechanism`: sets the new version, or shows the form again with its problems. */
async function mechanismPost(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const deps = repositories();
  const rows = outcomeRowsOf(request.form);
  const values = valuesOf(request.form, mechanismFieldNames(rows));
  const parsed = parseMechanismForm(request.form);
  let issues: FieldIssue[] = parsed.issues;
  if (parsed.input) {
    try {
      await setPaymentMechanism(deps, request.principal, id, parsed.input, request.now);
      return redirect(`${base(id)}?done=mechanism`);
    } catch (error) {
      const found = refusalIssues(error, 'fromPeriod');
      if (!found) throw error;
      issues = found;
    }
  }
  const current = await currentMechanism(deps, request, id);
  return mechanismPage(request, id, current, values, rows, issues, 400);
}

function cohortPage(
  request: PageRequest,
  id: string,
  template: 'cohort' | 'results',
  values: Record<string, string>,
  issues: readonly FieldIssue[],
  status = 200,
) {
  return render(
    request,
    `outcomes/commissioner-${template}.njk`,
    {
      title: template === 'cohort' ? "Enter a quarter's cohort" : "Enter a quarter's results",
      section: 'commissioning',
      breadcrumbs: crumbs(id, true),
      base: base(id),
      values,
      tiers: TIERS.map((tier) => ({ tier, name: TIER_NAMES[tier] })),
      ...shownErrors(issues),
    },
    status,
  );
}

/** The values a cohort or results form starts with: the quarter asked for, and what is already entered. */
async function cohortStart(request: PageRequest, id: string, withResults: boolean) {
  const values: Record<string, string> = Object.create(null);
  const period = request.query.period;
  // Reading the cohorts also checks the contract may be read: a missing one is a 404, not an empty form.
  const cohorts = await listCohorts(repositories(), request.principal, id);
  if (!period || !PERIOD.test(period)) return values;
  values.period = period;
  const cohort = cohorts.find((c) => c.period === period);
  for (const tier of TIERS) {
    const size = cohort?.tiers[tier]?.size;
    if (size !== undefined) values[`tiers.${tier}.size`] = String(size);
    const result = cohort?.results?.[tier];
    if (withResults && result) {
      values[`tiers.${tier}.reoffenders`] = String(result.reoffenders);
      values[`tiers.${tier}.reoffences`] = String(result.reoffences);
    }
  }
  return values;
}

/** `GET …/outcomes/cohort`: a quarter's cohort sizes by risk tier. */
async function cohortGet(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  return cohortPage(request, id, 'cohort', await cohortStart(request, id, false), []);
}

/** `POST …/outcomes/cohort`: saves the sizes, or shows the form again with its problems. */
async function cohortPost(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const values = valuesOf(request.form, COHORT_FIELDS);
  const parsed = parseCohortForm(request.form);
  let issues: FieldIssue[] = parsed.issues;
  if (issues.length === 0) {
    try {
      await putCohort(
        repositories(),
        request.principal,
        id,
        parsed.period,
        { tiers: parsed.tiers },
        request.now,
      );
      return redirect(`${base(id)}?done=cohort#cohorts`);
    } catch (error) {
      const found = refusalIssues(error, 'period');
      if (!found) throw error;
      issues = found;
    }
  }
  return cohortPage(request, id, 'cohort', values, issues, 400);
}

/** `GET …/outcomes/results`: a quarter's proven results by risk tier. */
async function resultsGet(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  return cohortPage(request, id, 'results', await cohortStart(request, id, true), []);
}

/** `POST …/outcomes/results`: values and saves the results, or shows the form again with its problems. */
async function resultsPost(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const values = valuesOf(request.form, RESULTS_FIELDS);
  const parsed = parseResultsForm(request.form);
  let issues: FieldIssue[] = parsed.issues;
  if (issues.length === 0) {
    try {
      const saved = await putCohortResults(
        repositories(),
        request.principal,
        id,
        parsed.period,
        { tiers: parsed.tiers },
        request.now,
      );
      return redirect(`${base(id)}?done=${saved.changed ? 'results' : 'results-unchanged'}#cohorts`);
    } catch (error) {
      const found = refusalIssues(error, 'period');
      if (!found) throw error;
      issues = found;
    }
  }
  return cohortPage(request, id, 'results', values, issues, 400);
}

const STATUS_WORDS: Record<string, string> = {
  submitted: 'Awaiting a decision',
  validated: 'Validated',
  'partly-validated': 'Partly validated',
  rejected: 'Rejected',
};

async function claimPage(
  request: PageRequest,
  id: string,
  claimId: string,
  values: { decision?: string; validatedRefs?: string[]; reason?: string },
  issues: readonly FieldIssue[],
  status = 200,
) {
  const deps = repositories();
  const [claim, mechanism] = await Promise.all([
    getOutcomeClaim(deps, request.principal, id, claimId),
    currentMechanism(deps, request, id),
  ]);
  // The outcome's name under the version in force for the claim's quarter.
  const terms = [...(mechanism?.versions ?? [])].reverse().find((v) => v.fromPeriod <= claim.period);
  const outcome = terms?.proxyOutcomes.find((o) => o.id === claim.outcomeId);
  const chosen = new Set(values.validatedRefs ?? []);
  const summary = [
    {
      key: { text: 'Outcome' },
      value: { text: outcome ? `${outcome.name} (${outcome.id})` : claim.outcomeId },
    },
    { key: { text: 'Quarter' }, value: { text: `${claim.period} (${quarterWords(claim.period)})` } },
    { key: { text: 'Risk tier' }, value: { text: TIER_NAMES[claim.tier] } },
    { key: { text: 'Participants' }, value: { text: String(claim.participants.length) } },
    { key: { text: 'Submitted' }, value: { text: govukDateTime(claim.submittedAt) } },
    { key: { text: 'Status' }, value: { text: STATUS_WORDS[claim.status] ?? claim.status } },
    ...(claim.decision
      ? [
          { key: { text: 'Reason' }, value: { text: claim.decision.reason } },
          { key: { text: 'Decided' }, value: { text: govukDateTime(claim.decision.decidedAt) } },
        ]
      : []),
  ];
  const validated = new Set(claim.decision?.validatedRefs ?? []);
  const participants = claim.participants.map((p) => [
    { text: p.ref },
    { text: govukDate(p.evidenceDate) },
    { text: p.note ?? '' },
    ...(claim.decision ? [{ text: validated.has(p.ref) ? 'Validated' : 'Not validated' }] : []),
  ]);
  return render(
    request,
    'outcomes/commissioner-claim.njk',
    {
      title: `Claim for ${outcome?.name ?? claim.outcomeId}, ${claim.period}`,
      section: 'commissioning',
      breadcrumbs: crumbs(id, true),
      base: base(id),
      claim,
      summary,
      participants,
      participantHead: [
        { text: 'Reference' },
        { text: 'Evidence dated' },
        { text: 'Note' },
        ...(claim.decision ? [{ text: 'Decision' }] : []),
      ],
      decided: claim.status !== 'submitted',
      refItems: claim.participants.map((p) => ({
        value: p.ref,
        text: p.ref,
        hint: { text: `Evidence dated ${govukDate(p.evidenceDate)}` },
        checked: chosen.has(p.ref),
      })),
      values,
      ...shownErrors(issues),
    },
    status,
  );
}

/** `GET …/outcomes/claims/{claimId}`: a claim, its participants' references and evidence dates, and the decision. */
async function claimGet(request: PageRequest) {
  requireSession(request);
  return claimPage(request, contractIdOf(request), claimIdOf(request), {}, []);
}

/** `POST …/outcomes/claims/{claimId}`: records the decision, or shows the claim again with its problems. */
async function claimPost(request: PageRequest) {
  requireSession(request);
  const id = contractIdOf(request);
  const claimId = claimIdOf(request);
  const parsed = parseDecisionForm(request.form);
  let issues: FieldIssue[] = parsed.issues;
  if (issues.length === 0) {
    try {
      await decideOutcomeClaim(
        repositories(),
        request.principal,
        id,
        claimId,
        { decision: parsed.decision, validatedRefs: parsed.validatedRefs, reason: parsed.reason },
        request.now,
      );
      return redirect(`${base(id)}?done=claim#claims`);
    } catch (error) {
      const found = refusalIssues(error, 'decision');
      if (!found) throw error;
      // The domain names a wrongly chosen box by its position: the group's first box is where to go.
      issues = found.map((i) => (i.path?.startsWith('validatedRefs') ? { ...i, path: 'validatedRefs' } : i));
    }
  }
  return claimPage(
    request,
    id,
    claimId,
    {
      decision: parsed.decision,
      validatedRefs: request.form.getAll('validatedRefs').slice(0, 50),
      reason: parsed.reason,
    },
    issues,
    400,
  );
}

/** This group's pages by route key. */
/** Every page here is the commissioner's: the policy refuses anyone else before the page reads or shows anything. */
function commissionersOnly(pages: PageMap): PageMap {
  return Object.fromEntries(
    Object.entries(pages).map(([key, body]) => [
      key,
      async (request: PageRequest) => {
        requireSession(request);
        assertCanUseCommissionerOutcomePages(request.principal);
        return body(request);
      },
    ]),
  );
}

export const commissionerOutcomePages: PageMap = commissionersOnly({
  'GET /commissioning/contracts/{id}/outcomes': overview,
  'GET /commissioning/contracts/{id}/outcomes/statement.csv': statementDownload,
  'GET /commissioning/contracts/{id}/outcomes/mechanism': mechanismGet,
  'POST /commissioning/contracts/{id}/outcomes/mechanism': mechanismPost,
  'GET /commissioning/contracts/{id}/outcomes/cohort': cohortGet,
  'POST /commissioning/contracts/{id}/outcomes/cohort': cohortPost,
  'GET /commissioning/contracts/{id}/outcomes/results': resultsGet,
  'POST /commissioning/contracts/{id}/outcomes/results': resultsPost,
  'GET /commissioning/contracts/{id}/outcomes/claims/{claimId}': claimGet,
  'POST /commissioning/contracts/{id}/outcomes/claims/{claimId}': claimPost,
});
