/**
 * The prime provider's payment-by-results pages (issue 18), under `/your-contracts/{id}/outcomes`:
 *
 * - the outcomes page (the prime's members): the mechanism in force (outcomes and tariffs, tier multipliers,
 *   cap), the statement to date (per quarter and in total against the contract value, and the claims by
 *   status), the contract's claims with their decisions and reasons, a page at a time, and a link to the
 *   shares of outcome payments passed on to sub-contractors (`shares.ts`: owners record them, others see them);
 * - the statement as a CSV download;
 * - the claim form (the prime's owners; other members are told why they cannot claim): an outcome, a
 *   quarter, a risk tier, and the participants as rows `ref, evidence date, note` pasted in a text box.
 *
 * Every page calls the use cases of the JSON routes, whose policy decides who may read and who may claim.
 * Participants are pseudonymous references only: the form says so, the use case refuses what looks like
 * personal data with a message that never repeats it, and a refused claim is written nowhere – not stored,
 * not logged, not put in an address. Only the text box itself is given back, so the user can fix it, and it
 * asks the browser not to remember or spell-check what is typed there.
 */
import {
  auditRepository,
  contractRepository,
  membershipRepository,
  paymentByResultsRepository,
  subcontractingRepository,
} from '../../../db/repositories';
import type { Contract } from '../../../domain/contracts';
import {
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
} from '../../../domain/errors';
import {
  type ClaimStatus,
  MAX_CLAIM_NOTE_LENGTH,
  MAX_CLAIM_PARTICIPANTS,
} from '../../../domain/payment-by-results/claims';
import {
  contractQuarters,
  type MechanismVersion,
  mechanismFor,
  quartersBetween,
  RISK_TIERS,
  type RiskTier,
} from '../../../domain/payment-by-results/mechanism';
import { MAX_PARTICIPANT_REF_LENGTH } from '../../../domain/payment-by-results/participant-ref';
import { assertCanClaimOutcomes, assertCanShareOutcomes } from '../../../domain/policy';
import { isoDay, periodOf } from '../../../domain/subcontracting/dates';
import { ulidSchema } from '../../../http/schemas/common';
import { loadOutcomesContract } from '../../../use-cases/payment-by-results/access';
import {
  type ClaimView,
  listOutcomeClaims,
  submitOutcomeClaim,
} from '../../../use-cases/payment-by-results/claims';
import { getPaymentMechanism, NoMechanismError } from '../../../use-cases/payment-by-results/mechanism';
import {
  getOutcomeStatement,
  loadStatementInputs,
  type StatementView,
  statementOf,
} from '../../../use-cases/payment-by-results/statement';
import { statementCsv } from '../../../use-cases/payment-by-results/statement-csv';
import { csvResponse } from '../../csv';
import { formErrors, issuesFromError } from '../../forms';
import { escapeHtml, govukDate, pounds } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { forwardPagination } from '../oversight/paging';

/** The repositories the payment-by-results use cases need, and no others. */
function repositories() {
  return {
    contracts: contractRepository(),
    memberships: membershipRepository(),
    paymentByResults: paymentByResultsRepository(),
    subcontracting: subcontractingRepository(),
    audit: auditRepository(),
  };
}

/** Claims shown on one page of the outcomes page. */
const CLAIMS_PAGE_SIZE = 20;
/** The longest cursor read from the address (as `pageQuerySchema`). */
const MAX_CURSOR_LENGTH = 2048;
/**
 * The most characters the participants box is read with: 50 rows of a 40-character reference, a date and a
 * 500-character note, with room for spaces and quotes. More is refused before anything is parsed.
 */
export const MAX_PARTICIPANTS_TEXT_LENGTH =
  MAX_CLAIM_PARTICIPANTS * (MAX_PARTICIPANT_REF_LENGTH + MAX_CLAIM_NOTE_LENGTH + 40);
/** The longest outcome id read from the form (the mechanism's own bound). */
const MAX_OUTCOME_ID_LENGTH = 40;

const TIER_NAMES: Record<RiskTier, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  very_high: 'Very high',
};

const STATUS_TAGS: Record<ClaimStatus, { text: string; classes: string }> = {
  submitted: { text: 'Awaiting decision', classes: 'govuk-tag--blue' },
  validated: { text: 'Validated', classes: 'govuk-tag--green' },
  'partly-validated': { text: 'Partly validated', classes: 'govuk-tag--yellow' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
};

function contractId(raw: string | undefined): string {
  const id = ulidSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError('No contract at this address.');
  return id.data;
}

const outcomesPath = (id: string) => `/your-contracts/${id}/outcomes`;

/** A percentage with at most two decimals, as the mechanism holds them: `12.5` → `12.5%`. */
const percent = (value: number) => `${Number(value.toFixed(2))}%`;

/** Every proxy outcome's name by id, across the versions (a later version's name wins). */
function outcomeNames(versions: readonly MechanismVersion[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const version of versions) for (const o of version.proxyOutcomes) names.set(o.id, o.name);
  return names;
}

/** The summary rows and tables of one mechanism version. */
function mechanismSection(versions: readonly MechanismVersion[], through: string) {
  const inForce = mechanismFor(versions, through);
  const later = versions.filter((v) => v.fromPeriod > through);
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const shown = inForce ?? versions[0];
  if (!shown) return undefined;
  const reoffending: string[] = [];
  if (shown.reoffending.binary) {
    reoffending.push(
      `Binary: ${pounds(shown.reoffending.binary.tariffPence)} per reoffender prevented, against a baseline of ${percent(shown.reoffending.binary.baselineRatePercent)} of the cohort reoffending`,
    );
  }
  if (shown.reoffending.frequency) {
    reoffending.push(
      `Frequency: ${pounds(shown.reoffending.frequency.tariffPence)} per reoffence prevented, against a baseline of ${shown.reoffending.frequency.baselinePerPerson} reoffences per cohort member`,
    );
  }
  reoffending.push(`Judged after a follow-up of ${shown.reoffending.followUpMonths} months`);
  return {
    heading: inForce
      ? `Version ${shown.version}, in force from ${shown.fromPeriod}`
      : `Version ${shown.version}, in force from ${shown.fromPeriod} (not yet begun)`,
    summary: [
      row(
        'Paid up front',
        `${percent(shown.upfrontPercent)} of the contract value, spread over its quarters`,
      ),
      row(
        'Cap on outcome payments',
        shown.capPencePerYear === undefined || shown.capPencePerYear === null
          ? 'No cap'
          : `${pounds(shown.capPencePerYear)} per contract year`,
      ),
      {
        key: { text: 'Re-offending outcomes' },
        value: { html: reoffending.map(escapeHtml).join('<br>') },
      },
    ],
    outcomes: shown.proxyOutcomes.map((o) => [
      { text: o.name },
      { html: `<code>${escapeHtml(o.id)}</code>` },
      { text: pounds(o.tariffPence), format: 'numeric' },
    ]),
    tiers: RISK_TIERS.map((tier) => [
      { text: TIER_NAMES[tier] },
      { text: `× ${shown.tierMultipliers[tier]}`, format: 'numeric' },
    ]),
    later: later.map((v) => `Version ${v.version} applies from ${v.fromPeriod}.`),
  };
}

/** The statement's summary, per-quarter table and claim counts. */
function statementSection(view: StatementView) {
  const t = view.totals;
  const row = (key: string, value: string) => ({ key: { text: key }, value: { text: value } });
  const share =
    t.contractValuePence > 0 ? ` (${((t.totalPence / t.contractValuePence) * 100).toFixed(2)}%)` : '';
  return {
    totals: [
      row('Paid up front', pounds(t.upfrontPence)),
      row('Proxy outcomes claimed', pounds(t.proxyClaimedPence)),
      row('Proxy outcomes validated', pounds(t.proxyPence)),
      row('Re-offending outcomes', pounds(t.reoffendingPence)),
      row('Cut by the cap', pounds(t.cutPence)),
      row(
        'Total to date',
        `${pounds(t.totalPence)} of ${pounds(t.contractValuePence)} contract value${share}`,
      ),
    ],
    claims: [
      row('Awaiting a decision', String(view.claims.submitted)),
      row('Validated', String(view.claims.validated)),
      row('Partly validated', String(view.claims['partly-validated'])),
      row('Rejected', String(view.claims.rejected)),
    ],
    periods: view.periods.map((p) => [
      { text: p.period },
      { text: String(p.contractYear), format: 'numeric' },
      { text: p.mechanismVersion === null ? 'None' : String(p.mechanismVersion), format: 'numeric' },
      { text: pounds(p.upfrontPence), format: 'numeric' },
      { text: pounds(p.proxyClaimedPence), format: 'numeric' },
      { text: pounds(p.proxyPence), format: 'numeric' },
      { text: pounds(p.reoffendingPence), format: 'numeric' },
      { text: pounds(p.cutPence), format: 'numeric' },
      { text: p.capReached ? 'Yes' : 'No' },
      { text: pounds(p.totalPence), format: 'numeric' },
    ]),
  };
}

/** One claim as a table row: when, what, how many, where it stands and why. */
function claimRow(claim: ClaimView, names: ReadonlyMap<string, string>) {
  const tag = STATUS_TAGS[claim.status];
  const count = claim.participants.length;
  let participants = `${count} participant${count === 1 ? '' : 's'}`;
  if (claim.decision) {
    const validated = new Set(claim.decision.validatedRefs.map((r) => r.toUpperCase()));
    participants = `${claim.decision.validatedRefs.length} of ${count} validated`;
    const released = claim.participants.filter((p) => !validated.has(p.ref.toUpperCase()));
    if (claim.status === 'partly-validated' && released.length > 0) {
      participants += `. Not validated (can be claimed again): ${released.map((p) => p.ref).join(', ')}`;
    }
  }
  return [
    { text: govukDate(claim.submittedAt) },
    { text: claim.period },
    { text: names.get(claim.outcomeId) ?? claim.outcomeId },
    { text: TIER_NAMES[claim.tier] ?? claim.tier },
    { text: participants },
    { html: `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>` },
    {
      text: claim.decision
        ? `${claim.decision.reason} (${govukDate(claim.decision.decidedAt)})`
        : 'Not decided yet',
    },
  ];
}

/** `GET /your-contracts/{id}/outcomes`: the mechanism, the statement and the claims. */
export async function primeOutcomes(request: PageRequest) {
  requireSession(request);
  const id = contractId(request.params.id);
  const deps = repositories();
  const cursorParam = request.query.cursor;
  const cursor =
    cursorParam && cursorParam.length <= MAX_CURSOR_LENGTH && cursorParam.length > 0
      ? cursorParam
      : undefined;
  const inputs = await loadStatementInputs(deps, request.principal, id);
  const { relation } = inputs;
  const claims = await listOutcomeClaims(deps, request.principal, id, { limit: CLAIMS_PAGE_SIZE, cursor });
  // The link to the shares says what the user can do there, as the policy answers it: owners record them,
  // everyone else who reads this page only sees them.
  let canShare = true;
  try {
    assertCanShareOutcomes(relation, id);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    canShare = false;
  }
  const view = statementOf(inputs, isoDay(request.now));
  const names = outcomeNames(inputs.versions);
  const claimed = ulidSchema.safeParse(request.query.claimed).success;
  return render(request, 'outcomes/prime.njk', {
    title: `Payment by results: ${inputs.contract.title}`,
    section: 'contracts',
    contract: inputs.contract,
    through: view.through,
    mechanism: mechanismSection(inputs.versions, view.through),
    statement: statementSection(view),
    claimRows: claims.items.map((c) => claimRow(c, names)),
    pagination: forwardPagination(outcomesPath(id), {}, cursor, claims.nextCursor),
    claimed,
    canShare,
    backLink: `/your-contracts/${id}`,
  });
}

/** `GET /your-contracts/{id}/outcomes/statement.csv`: the statement to date as a CSV file. */
export async function primeStatementCsv(request: PageRequest) {
  requireSession(request);
  const id = contractId(request.params.id);
  const view = await getOutcomeStatement(repositories(), request.principal, id, request.now);
  return csvResponse(`outcome-statement-${id}-to-${view.through}.csv`, statementCsv(view));
}

/** What the claim form sent, shown again with its problems. */
interface ClaimFormValues {
  outcomeId: string;
  period: string;
  tier: string;
  participants: string;
}

/** One participant row read from the text box, with the line it came from. */
interface ParticipantRow {
  line: number;
  ref: string;
  evidenceDate: string;
  note?: string | undefined;
}

/**
 * Splits one pasted line into fields at commas, as CSV does: a field may be wrapped in double quotes (a note
 * with a comma in it), with `""` for a quote inside.
 */
export function splitLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (char === ',') {
      fields.push(field.trim());
      field = '';
    } else field += char;
  }
  fields.push(field.trim());
  return fields;
}

/**
 * Reads the participants box: one participant a line, `ref, evidence date, note` (the note optional; a
 * header line starting `ref` is skipped, blank lines too). Problems name the line, never its content.
 */
export function readParticipants(text: string): { rows: ParticipantRow[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const rows: ParticipantRow[] = [];
  if (text.length > MAX_PARTICIPANTS_TEXT_LENGTH) {
    return {
      rows,
      issues: [
        {
          path: 'participants',
          message: `Enter at most ${MAX_CLAIM_PARTICIPANTS} participants, one a line (the box holds at most ${MAX_PARTICIPANTS_TEXT_LENGTH} characters)`,
        },
      ],
    };
  }
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const fields = splitLine(raw);
    if (rows.length === 0 && issues.length === 0 && /^ref$/i.test(fields[0] ?? '')) return;
    const [ref = '', evidenceDate = '', ...rest] = fields;
    const note = rest.join(', ').trim();
    if (evidenceDate === '') {
      issues.push({
        path: 'participants',
        message: `Line ${line}: give the reference and the evidence date, separated by a comma, like PRV-004217, 2026-05-31`,
      });
    }
    rows.push({ line, ref, evidenceDate, ...(note ? { note } : {}) });
  });
  if (rows.length === 0) {
    issues.push({ path: 'participants', message: 'Enter at least one participant' });
  } else if (rows.length > MAX_CLAIM_PARTICIPANTS) {
    issues.push({
      path: 'participants',
      message: `Enter at most ${MAX_CLAIM_PARTICIPANTS} participants in one claim (you entered ${rows.length}): make more than one claim`,
    });
  }
  return { rows, issues };
}

/**
 * The use case's issues on the form's fields: a participant's problem (`participants.3.ref`) becomes the
 * text box's, naming the line it came from (the message never repeats the value).
 */
function formIssues(issues: readonly FieldIssue[], rows: readonly ParticipantRow[]): FieldIssue[] {
  const what: Record<string, string> = { ref: 'reference', evidenceDate: 'evidence date', note: 'note' };
  return issues.map((issue) => {
    const match = /^participants\.(\d+)(?:\.(\w+))?$/.exec(issue.path ?? '');
    if (!match) {
      const path = ['outcomeId', 'period', 'tier', 'participants'].includes(issue.path ?? '')
        ? (issue.path as string)
        : 'participants';
      return { path, message: issue.message };
    }
    const row = rows[Number(match[1])];
    const field = match[2] ? ` (${what[match[2]] ?? match[2]})` : '';
    return {
      path: 'participants',
      message: `Line ${row?.line ?? Number(match[1]) + 1}${field}: ${issue.message}`,
    };
  });
}

/** The quarters a claim may be made for: from the first version's quarter to the current one, newest first. */
function claimQuarters(contract: Contract, versions: readonly MechanismVersion[], today: string): string[] {
  const { first, last } = contractQuarters(contract);
  const current = periodOf(today);
  const from = versions[0]?.fromPeriod && versions[0].fromPeriod > first ? versions[0].fromPeriod : first;
  const to = current < last ? current : last;
  return quartersBetween(from, to).reverse();
}

/** The claim form, for an owner, or why the user cannot claim. */
async function renderClaimForm(
  request: PageRequest,
  id: string,
  values?: ClaimFormValues,
  issues: FieldIssue[] = [],
) {
  const deps = repositories();
  const { contract, relation } = await loadOutcomesContract(deps, request.principal, id);
  // Who may claim is the policy's answer (owners of the prime); anyone else it would refuse is told why.
  let refusal: string | undefined;
  try {
    assertCanClaimOutcomes(relation, id);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    refusal = error.message;
  }
  const mechanism = await getPaymentMechanism(deps, request.principal, id).catch((error: unknown) => {
    if (error instanceof NoMechanismError) return undefined;
    throw error;
  });
  const versions = mechanism?.versions ?? [];
  const today = isoDay(request.now);
  const quarters = claimQuarters(contract, versions as MechanismVersion[], today);
  const inForce = mechanismFor(versions, periodOf(today)) ?? versions.at(-1);
  // The outcomes of the version in force first, then those only earlier versions had (a claim for an
  // earlier quarter is checked against that quarter's version).
  const outcomes = new Map<string, string>();
  for (const o of inForce?.proxyOutcomes ?? []) outcomes.set(o.id, o.name);
  for (const v of [...versions].reverse())
    for (const o of v.proxyOutcomes) if (!outcomes.has(o.id)) outcomes.set(o.id, o.name);
  const chosen = values ?? {
    outcomeId: '',
    // No quarter chosen for the user: a claim left on the current quarter by mistake would be filed there.
    period: '',
    tier: '',
    participants: '',
  };
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    'outcomes/prime-claim.njk',
    {
      title: 'Claim an outcome payment',
      section: 'contracts',
      contract,
      refusal,
      hasMechanism: versions.length > 0,
      outcomeItems: [
        { value: '', text: 'Choose an outcome', selected: chosen.outcomeId === '' },
        ...[...outcomes].map(([value, name]) => ({
          value,
          text: `${name} (${value})`,
          selected: value === chosen.outcomeId,
        })),
      ],
      periodItems: [
        { value: '', text: 'Choose a quarter', selected: chosen.period === '' },
        ...quarters.map((q) => ({ value: q, text: q, selected: q === chosen.period })),
      ],
      tierItems: RISK_TIERS.map((tier) => ({
        value: tier,
        text: TIER_NAMES[tier],
        checked: tier === chosen.tier,
      })),
      values: chosen,
      maxParticipants: MAX_CLAIM_PARTICIPANTS,
      errors,
      errorList,
      backLink: outcomesPath(id),
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-contracts/{id}/outcomes/claim`: the claim form (owners), or why the user cannot claim. */
export async function primeClaimForm(request: PageRequest) {
  requireSession(request);
  return renderClaimForm(request, contractId(request.params.id));
}

/** A form field, trimmed and cut to `max` characters (longer values are not ours). */
function formField(form: URLSearchParams, name: string, max: number): string {
  return (form.get(name) ?? '').trim().slice(0, max);
}

/**
 * `POST /your-contracts/{id}/outcomes/claim`: submits the claim through the use case of
 * `POST /contracts/{id}/outcome-claims`. Any problem – the form's, the use case's, a participant already
 * claimed for the outcome (409) – shows the form again with nothing written; a claim made goes back to the
 * outcomes page with a banner. The claim is never logged: it names participants.
 */
export async function submitPrimeClaim(request: PageRequest) {
  requireSession(request);
  const id = contractId(request.params.id);
  const participantsText = request.form.get('participants') ?? '';
  const values: ClaimFormValues = {
    outcomeId: formField(request.form, 'outcomeId', MAX_OUTCOME_ID_LENGTH),
    period: formField(request.form, 'period', 7),
    tier: formField(request.form, 'tier', 20),
    // Given back as typed so the user can fix it (only to this response, which is never cached), unless too
    // long to be a claim.
    participants: participantsText.length > MAX_PARTICIPANTS_TEXT_LENGTH ? '' : participantsText,
  };
  const issues: FieldIssue[] = [];
  if (!values.outcomeId) issues.push({ path: 'outcomeId', message: 'Choose the outcome you are claiming' });
  if (!values.period)
    issues.push({ path: 'period', message: 'Choose the quarter the outcome was achieved in' });
  if (!(RISK_TIERS as readonly string[]).includes(values.tier)) {
    issues.push({ path: 'tier', message: 'Choose the participants’ risk tier' });
  }
  const read = readParticipants(participantsText);
  issues.push(...read.issues);
  if (issues.length > 0) return renderClaimForm(request, id, values, issues);
  let claimId: string;
  try {
    const claim = await submitOutcomeClaim(
      repositories(),
      request.principal,
      id,
      {
        outcomeId: values.outcomeId,
        period: values.period,
        tier: values.tier,
        participants: read.rows.map((r) => ({
          ref: r.ref,
          evidenceDate: r.evidenceDate,
          ...(r.note ? { note: r.note } : {}),
        })),
      },
      request.now,
    );
    claimId = claim.id;
  } catch (error) {
    const reported = issuesFromError(error);
    if (reported) return renderClaimForm(request, id, values, formIssues(reported, read.rows));
    if (error instanceof ConflictError) {
      // A participant already claimed for the outcome: the message numbers participants from the top,
      // never naming their references; said in lines when blank or header lines make those differ.
      const shifted = read.rows.some((row, index) => row.line !== index + 1);
      const lines = shifted
        ? ` Participants are numbered by the lines with a reference: lines ${read.rows.map((r) => r.line).join(', ')}.`
        : '';
      return renderClaimForm(request, id, values, [
        { path: 'participants', message: `${error.message}${lines}` },
      ]);
    }
    // No mechanism in force for the quarter: nothing can be claimed for it yet.
    if (error instanceof InvalidStateError) {
      return renderClaimForm(request, id, values, [{ path: 'period', message: error.message }]);
    }
    throw error;
  }
  return redirect(`${outcomesPath(id)}?claimed=${claimId}`);
}

/** These pages by route key, for the function that serves them. */
export const primeOutcomePages: PageMap = {
  'GET /your-contracts/{id}/outcomes': primeOutcomes,
  'GET /your-contracts/{id}/outcomes/statement.csv': primeStatementCsv,
  'GET /your-contracts/{id}/outcomes/claim': primeClaimForm,
  'POST /your-contracts/{id}/outcomes/claim': submitPrimeClaim,
};
