/**
 * "Create a competition" (`/commissioning/new/{step}`), the GOV.UK question-page way, as registering an
 * organisation is (`../register.ts`): one thing per page, the answers kept between pages server-side
 * beside the signed-in session (`use-cases/sessions/drafts.ts`: as long as the API accepts, readable by
 * that session alone, gone at sign-out and when the competition is created), errors in a summary and against each field with what was typed kept, a page that shows the
 * pre-qualification tier the value, term and risk lead to and why, the "add another" pattern for award
 * criteria, and "Check your answers" with Change links. Creating is the JSON route's: the same zod body
 * schema and the same use case (`createCompetition`), so every error the API would report shows against its
 * field, and only a commissioner may (the policy module decides, on every page; others get the 403 page).
 */
import { config } from '../../../config';
import { auditRepository, competitionRepository, sessionDraftRepository } from '../../../db/repositories';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import { assertCanCreateCompetition } from '../../../domain/policy';
import { DraftTooLargeError } from '../../../domain/sessions';
import { COMPETITION_LIMITS } from '../../../http/schemas/competitions';
import { createCompetition } from '../../../use-cases/competitions/create-competition';
import { loadDraft, saveDraft } from '../../../use-cases/sessions/drafts';
import { fieldId, formErrors, issuesFromError } from '../../forms';
import {
  CHOICES,
  escapeHtml,
  govukDateTime,
  label,
  PREQUALIFICATION_TIER,
  pounds,
  riskName,
  SUITABLE_FOR_NAMES,
  suitableForText,
  tierName,
} from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import {
  answersOf,
  type CompetitionWizardDraft,
  type CriterionAnswer,
  criterionIssues,
  type DateAnswer,
  isEmpty,
  isStep,
  parseDeadline,
  parsePercent,
  parsePoundsToPence,
  parseWholeNumber,
  STEPS,
  type Step,
  stepOf,
  tierOf,
  weightTotal,
  wizardIssues,
} from './new-competition-form';

const BASE = '/commissioning/new';
const CHECK = `${BASE}/check-your-answers`;

/** The repositories this module's use case needs, and no others: a smaller bundle. */
function repositories() {
  return { competitions: competitionRepository(), audit: auditRepository() };
}

/** Who a contract may suit: the API's codes, with a hint of who counts. */
const SUITABLE_FOR_CHOICES = [
  {
    value: 'vcse',
    text: SUITABLE_FOR_NAMES.vcse,
    hint: { text: 'Voluntary, community and social enterprise organisations, such as charities' },
  },
  {
    value: 'sme',
    text: SUITABLE_FOR_NAMES.sme,
    hint: { text: 'Businesses with fewer than 250 staff' },
  },
];

/** The risk levels, with what each means for pre-qualification. */
const RISKS = [
  {
    value: 'low',
    text: 'Low',
    hint: { text: 'Little harm if the service fails or the provider is unsuitable' },
  },
  { value: 'medium', text: 'Medium', hint: { text: 'Some harm to people or the service if it goes wrong' } },
  {
    value: 'high',
    text: 'High',
    hint: {
      text: 'Serious harm if it goes wrong, such as safeguarding risks: always full pre-qualification',
    },
  },
];

const KINDS = [
  {
    value: 'quality',
    text: 'Quality',
    hint: { text: 'Scored 0 to 5 by each evaluator, from the bid’s answer' },
  },
  { value: 'price', text: 'Price', hint: { text: 'Scored by formula: the lowest price gets full marks' } },
];

// ---------------------------------------------------------------------------------------------------------
// The answers kept between pages.
// ---------------------------------------------------------------------------------------------------------

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
const dateOf = (value: unknown): DateAnswer | undefined => {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as Record<string, unknown>;
  return { day: text(v.day), month: text(v.month), year: text(v.year), time: text(v.time) };
};

/** A draft from what was kept: only the fields and types a draft has. */
function draftFrom(raw: unknown): CompetitionWizardDraft {
  if (!raw || typeof raw !== 'object') return {};
  const r = raw as Record<string, unknown>;
  const draft: CompetitionWizardDraft = {};
  for (const key of [
    'title',
    'description',
    'value',
    'termMonths',
    'risk',
    'subcontractingTarget',
    'voluntaryTarget',
    'budgetCeiling',
    'preTenderEstimate',
    'notes',
    'createdId',
  ] as const) {
    if (typeof r[key] === 'string') draft[key] = r[key];
  }
  if (Array.isArray(r.services)) draft.services = texts(r.services);
  if (Array.isArray(r.regions)) draft.regions = texts(r.regions);
  if (Array.isArray(r.suitableFor)) draft.suitableFor = texts(r.suitableFor);
  const prequalification = dateOf(r.prequalificationDeadline);
  if (prequalification) draft.prequalificationDeadline = prequalification;
  const tender = dateOf(r.tenderDeadline);
  if (tender) draft.tenderDeadline = tender;
  if (Array.isArray(r.criteria)) {
    draft.criteria = r.criteria
      .filter((c): c is Record<string, unknown> => Boolean(c) && typeof c === 'object')
      .map((c) => ({ name: text(c.name), kind: text(c.kind), weight: text(c.weight) }));
  }
  return draft;
}

/** The answers this session has kept, or none. */
async function answersSoFar(request: PageRequest): Promise<CompetitionWizardDraft> {
  const session = requireSession(request);
  return draftFrom(
    await loadDraft({ drafts: sessionDraftRepository() }, session, 'newCompetition', request.now),
  );
}

/** Keeps `draft` for this session; false when it is too long to keep (nothing is then kept). */
async function keep(request: PageRequest, draft: CompetitionWizardDraft): Promise<boolean> {
  try {
    await saveDraft(
      { drafts: sessionDraftRepository() },
      requireSession(request),
      'newCompetition',
      draft,
      request.now,
    );
    return true;
  } catch (error) {
    if (error instanceof DraftTooLargeError) return false;
    throw error;
  }
}

/** The field a page blames when its answers are too long to keep: its longest. */
const LONGEST: Partial<Record<Step, string>> = {
  title: 'description',
  criteria: 'criterion.name',
  confidential: 'confidential.notes',
};

const TOO_LONG =
  'Your answers are too long for this service to keep. Shorten this answer, or your other long answers, and try again';

// ---------------------------------------------------------------------------------------------------------
// Reading each page's answers.
// ---------------------------------------------------------------------------------------------------------

function dateFrom(form: URLSearchParams, name: string): DateAnswer {
  return {
    day: form.get(`${name}-day`) ?? '',
    month: form.get(`${name}-month`) ?? '',
    year: form.get(`${name}-year`) ?? '',
    time: form.get(`${name}-time`) ?? '',
  };
}

function readStep(step: Exclude<Step, 'tier' | 'criteria'>, form: URLSearchParams): CompetitionWizardDraft {
  switch (step) {
    case 'title':
      return { title: form.get('title') ?? '', description: form.get('description') ?? '' };
    case 'services':
      return { services: form.getAll('services') };
    case 'regions':
      return { regions: form.getAll('regions') };
    case 'value':
      return {
        value: form.get('estimatedValuePence') ?? '',
        termMonths: form.get('termMonths') ?? '',
        risk: form.get('risk') ?? '',
        suitableFor: form.getAll('suitableFor'),
      };
    case 'deadlines':
      return {
        ...(form.has('prequalificationDeadline-day')
          ? { prequalificationDeadline: dateFrom(form, 'prequalificationDeadline') }
          : {}),
        tenderDeadline: dateFrom(form, 'tenderDeadline'),
      };
    case 'subcontracting':
      return {
        subcontractingTarget: form.get('subcontracting.targetPercent') ?? '',
        voluntaryTarget: form.get('subcontracting.voluntarySectorTargetPercent') ?? '',
      };
    case 'confidential':
      return {
        budgetCeiling: form.get('confidential.budgetCeilingPence') ?? '',
        preTenderEstimate: form.get('confidential.preTenderEstimatePence') ?? '',
        notes: form.get('confidential.notes') ?? '',
      };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Rendering.
// ---------------------------------------------------------------------------------------------------------

/** True when the visitor came from "Change" on the check page: the page then goes back there. */
function changing(request: PageRequest): boolean {
  return request.query.change === 'true';
}

const TITLES: Record<Step, string> = {
  title: 'What is the competition called?',
  services: 'Which services is the contract for?',
  regions: 'Which regions does the contract cover?',
  value: 'Value, term and risk',
  tier: 'Pre-qualification for this contract',
  deadlines: 'Deadlines',
  criteria: 'How will bids be scored?',
  subcontracting: 'Sub-contracting target',
  confidential: 'Confidential information',
};

/** Where an error on a path links: a date to its day field, anything else to its own field. */
function hrefFor(path: string): string {
  if (path === 'tenderDeadline' || path === 'prequalificationDeadline') return `#${path}-day`;
  if (path.startsWith('criteria')) return '#criteria';
  return `#${fieldId(path)}`;
}

/** Errors on the check page link to the field on its question page. */
function checkHref(path: string): string {
  return `${BASE}/${stepOf(path)}?change=true${hrefFor(path)}`;
}

/** Each rule of the tier in words, with the thresholds from configuration. */
function tierExplanation(draft: CompetitionWizardDraft) {
  const rules = config().rules;
  const value = parsePoundsToPence(draft.value);
  const term = parseWholeNumber(draft.termMonths, 'The term');
  const pence = value && 'value' in value ? value.value : 0;
  const months = term && 'value' in term ? term.value : 0;
  const tier = tierOf(draft, rules);
  const full = pounds(rules.tierFullFromPence);
  const none = pounds(rules.tierNoneBelowPence);
  const reasons: string[] = [];
  if (tier === 'full') {
    if (pence >= rules.tierFullFromPence)
      reasons.push(`the estimated value, ${pounds(pence)}, is ${full} or more`);
    if (draft.risk === 'high') reasons.push('the risk is high');
    if (months > rules.tierFullTermOverMonths)
      reasons.push(`the term, ${months} months, is over ${rules.tierFullTermOverMonths} months`);
  } else if (tier === 'none') {
    reasons.push(`the estimated value, ${pounds(pence)}, is under ${none}`, 'the risk is low');
  } else if (tier === 'core') {
    reasons.push(
      `the estimated value, ${pounds(pence)}, is under ${full}, the risk is not high and the term, ${months} months, is not over ${rules.tierFullTermOverMonths} months`,
      pence >= rules.tierNoneBelowPence
        ? `the value is ${none} or more, so some pre-qualification is needed`
        : 'the risk is not low, so some pre-qualification is needed',
    );
  }
  return {
    tier,
    name: tier ? tierName(tier) : '',
    reasons,
    rules: [
      `Full pre-qualification when the estimated value is ${full} or more, the risk is high, or the term is over ${rules.tierFullTermOverMonths} months.`,
      `No pre-qualification when the estimated value is under ${none} and the risk is low: any verified provider may bid.`,
      'Core pre-qualification otherwise.',
    ],
    meaning: tier
      ? PREQUALIFICATION_TIER[tier].explanation.replace('Your accreditation', 'A provider’s accreditation')
      : '',
  };
}

function renderStep(
  request: PageRequest,
  step: Step,
  draft: CompetitionWizardDraft,
  issues: FieldIssue[] | undefined,
  extra: Record<string, unknown> = {},
) {
  const index = STEPS.indexOf(step);
  const change = changing(request);
  const shown = issues && issues.length > 0 ? formErrors(issues, hrefFor) : undefined;
  const rules = config().rules;
  const tier = tierOf(draft, rules);
  const criteria = draft.criteria ?? [];
  return render(
    request,
    `commissioning/new/${step}.njk`,
    {
      title: step === 'tier' && tier ? `This contract needs ${tierName(tier).toLowerCase()}` : TITLES[step],
      section: 'commissioning',
      caption: `Create a competition: step ${index + 1} of ${STEPS.length + 1}`,
      action: change ? `${BASE}/${step}?change=true` : `${BASE}/${step}`,
      backLink: change ? CHECK : index === 0 ? '/commissioning' : `${BASE}/${STEPS[index - 1]}`,
      draft,
      choices: { ...CHOICES, risks: RISKS, kinds: KINDS, suitableFor: SUITABLE_FOR_CHOICES },
      limits: COMPETITION_LIMITS,
      // Deadlines: the pre-qualification deadline is asked only when the tier needs one.
      askPrequalification: tier !== 'none',
      tierKnown: tier !== undefined,
      minPrequalificationDays: rules.minPrequalificationDays,
      minTenderDays: rules.minTenderDays,
      defaultTarget: rules.defaultSubcontractingTargetPercent,
      explanation: step === 'tier' ? tierExplanation(draft) : undefined,
      criteriaRows: criteria.map((c, i) => ({ ...c, index: i, kindText: label(c.kind) })),
      weightTotal: weightTotal(criteria),
      criterion: { name: '', kind: '', weight: '' },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
      ...extra,
    },
    shown ? 400 : 200,
  );
}

function describeDeadline(answer: DateAnswer | undefined, name: string): string {
  const parsed = parseDeadline(answer, name);
  return parsed && 'value' in parsed ? govukDateTime(parsed.value) : '';
}

function checkRows(draft: CompetitionWizardDraft) {
  const rules = config().rules;
  const tier = tierOf(draft, rules);
  const row = (key: string, value: { text: string } | { html: string }, step: Step, field: string) => ({
    key: { text: key },
    value: 'text' in value ? { text: value.text || 'Not given' } : value,
    actions: {
      items: [
        {
          href: `${BASE}/${step}?change=true${hrefFor(field)}`,
          text: 'Change',
          visuallyHiddenText: key.toLowerCase(),
        },
      ],
    },
  });
  const money = (raw: string | undefined) => {
    const parsed = parsePoundsToPence(raw);
    return parsed && 'value' in parsed ? pounds(parsed.value) : (raw ?? '');
  };
  const percent = (raw: string | undefined) => {
    const parsed = parsePercent(raw, '');
    return parsed && 'value' in parsed ? `${parsed.value}%` : (raw ?? '');
  };
  const criteria = draft.criteria ?? [];
  const criteriaHtml = criteria.length
    ? `<ul class="govuk-list">${criteria
        .map(
          (c) =>
            `<li>${escapeHtml(c.name)} (${escapeHtml(label(c.kind).toLowerCase())}, weight ${escapeHtml(c.weight)})</li>`,
        )
        .join('')}</ul>`
    : '';
  return [
    row('Title', { text: draft.title ?? '' }, 'title', 'title'),
    row('Description', { text: draft.description ?? '' }, 'title', 'description'),
    row('Services', { text: (draft.services ?? []).map(label).join(', ') }, 'services', 'services'),
    row('Regions', { text: (draft.regions ?? []).map(label).join(', ') }, 'regions', 'regions'),
    row('Estimated value', { text: money(draft.value) }, 'value', 'estimatedValuePence'),
    row('Term', { text: draft.termMonths ? `${draft.termMonths} months` : '' }, 'value', 'termMonths'),
    row('Risk', { text: draft.risk ? riskName(draft.risk) : '' }, 'value', 'risk'),
    row(
      'Suitable for',
      { text: draft.suitableFor?.length ? suitableForText(draft.suitableFor) : 'Not said' },
      'value',
      'suitableFor',
    ),
    {
      key: { text: 'Pre-qualification' },
      value: { text: tier ? tierName(tier) : 'Answer the value, term and risk first' },
    },
    ...(tier === 'none'
      ? []
      : [
          row(
            'Pre-qualification closes',
            { text: describeDeadline(draft.prequalificationDeadline, 'the pre-qualification deadline') },
            'deadlines',
            'prequalificationDeadline',
          ),
        ]),
    row(
      'Tenders close',
      { text: describeDeadline(draft.tenderDeadline, 'the tender deadline') },
      'deadlines',
      'tenderDeadline',
    ),
    row('Award criteria', criteriaHtml ? { html: criteriaHtml } : { text: '' }, 'criteria', 'criteria'),
    row(
      'Sub-contracting target',
      {
        text: draft.subcontractingTarget
          ? percent(draft.subcontractingTarget)
          : `${rules.defaultSubcontractingTargetPercent}% (the default)`,
      },
      'subcontracting',
      'subcontracting.targetPercent',
    ),
    row(
      'Voluntary sector share',
      { text: percent(draft.voluntaryTarget) },
      'subcontracting',
      'subcontracting.voluntarySectorTargetPercent',
    ),
    row(
      'Budget ceiling',
      { text: money(draft.budgetCeiling) },
      'confidential',
      'confidential.budgetCeilingPence',
    ),
    row(
      'Pre-tender estimate',
      { text: money(draft.preTenderEstimate) },
      'confidential',
      'confidential.preTenderEstimatePence',
    ),
    row('Confidential notes', { text: draft.notes ?? '' }, 'confidential', 'confidential.notes'),
  ];
}

function renderCheck(request: PageRequest, draft: CompetitionWizardDraft, issues?: FieldIssue[]) {
  const shown = issues && issues.length > 0 ? formErrors(issues, checkHref) : undefined;
  return render(
    request,
    'commissioning/new/check.njk',
    {
      title: 'Check your answers before creating the competition',
      section: 'commissioning',
      backLink: `${BASE}/${STEPS[STEPS.length - 1]}`,
      rows: checkRows(draft),
      errorList: shown?.errorList ?? [],
    },
    shown ? 400 : 200,
  );
}

// ---------------------------------------------------------------------------------------------------------
// The pages.
// ---------------------------------------------------------------------------------------------------------

/** Signed in, and allowed to create competitions (the policy decides; others get the 403 page). */
function requireCreator(request: PageRequest): void {
  requireSession(request);
  assertCanCreateCompetition(request.principal);
}

/** A created competition's page, for a visitor who comes back to the check page after creating it. */
function createdOf(draft: CompetitionWizardDraft) {
  return draft.createdId && isEmpty(draft)
    ? redirect(`/commissioning/${encodeURIComponent(draft.createdId)}`)
    : undefined;
}

/** `GET /commissioning/new`: the questions start at the first page. */
async function startPage(request: PageRequest) {
  requireCreator(request);
  return redirect(`${BASE}/${STEPS[0]}`);
}

/** `GET /commissioning/new/{step}`. */
async function questionPage(request: PageRequest) {
  requireCreator(request);
  const step = request.params.step;
  const draft = await answersSoFar(request);
  if (isStep(step)) {
    const answers = answersOf(draft);
    // The tier follows from the value, term and risk: without them there is nothing to show yet.
    if (step === 'tier' && tierOf(answers, config().rules) === undefined) return redirect(`${BASE}/value`);
    return renderStep(request, step, answers, undefined);
  }
  if (step === 'check-your-answers') {
    const done = createdOf(draft);
    if (done) return done;
    if (isEmpty(draft)) return redirect(`${BASE}/${STEPS[0]}`);
    return renderCheck(request, draft);
  }
  throw new NotFoundError('There is no such page in creating a competition.');
}

/** The page after `step`: the next question, or back to the check page when changing an answer. */
function nextOf(request: PageRequest, step: Step): string {
  // A changed value, term or risk shows the tier it now leads to before going back.
  if (step === 'value') return `${BASE}/tier${changing(request) ? '?change=true' : ''}`;
  const next = STEPS[STEPS.indexOf(step) + 1];
  return next && !changing(request) ? `${BASE}/${next}` : CHECK;
}

/** The first field of each page, for a problem that belongs to the page as a whole. */
const STEP_FIELD_OF: Record<Step, string> = {
  title: 'title',
  services: 'services',
  regions: 'regions',
  value: 'estimatedValuePence',
  tier: 'estimatedValuePence',
  deadlines: 'tenderDeadline',
  criteria: 'criteria',
  subcontracting: 'subcontracting.targetPercent',
  confidential: 'confidential.notes',
};

/** Keeps the answers and goes on, or shows the page again saying they are too long to keep. */
async function saveAndGo(request: PageRequest, step: Step, draft: CompetitionWizardDraft, to: string) {
  if (!(await keep(request, draft))) {
    const path = LONGEST[step] ?? STEP_FIELD_OF[step];
    return renderStep(request, step, draft, [{ path, message: TOO_LONG }]);
  }
  return redirect(to);
}

/** `POST /commissioning/new/criteria`: add a criterion, remove one, or go on (the "add another" pattern). */
async function criteriaAnswer(request: PageRequest, draft: CompetitionWizardDraft) {
  const action = request.form.get('action');
  const criteria = draft.criteria ?? [];
  const self = `${BASE}/criteria${changing(request) ? '?change=true' : ''}`;
  if (action === 'add') {
    const answer: CriterionAnswer = {
      name: request.form.get('criterion.name') ?? '',
      kind: request.form.get('criterion.kind') ?? '',
      weight: request.form.get('criterion.weight') ?? '',
    };
    const issues = criterionIssues(answer, criteria);
    if (issues.length > 0) return renderStep(request, 'criteria', draft, issues, { criterion: answer });
    const added = {
      ...draft,
      criteria: [...criteria, { ...answer, name: answer.name.trim(), weight: answer.weight.trim() }],
    };
    if (!(await keep(request, added))) {
      return renderStep(request, 'criteria', draft, [{ path: 'criterion.name', message: TOO_LONG }], {
        criterion: answer,
      });
    }
    return redirect(self);
  }
  if (action === 'remove') {
    const index = Number(request.form.get('index'));
    if (!Number.isInteger(index) || index < 0 || index >= criteria.length) return redirect(self);
    return saveAndGo(
      request,
      'criteria',
      { ...draft, criteria: criteria.filter((_, i) => i !== index) },
      self,
    );
  }
  // Going on: the criteria as a whole must follow the rules (weights, one price criterion).
  const mine = wizardIssues(draft, config().rules, request.now).issues.filter((i) =>
    (i.path ?? '').startsWith('criteria'),
  );
  if (mine.length > 0) return renderStep(request, 'criteria', draft, mine);
  return redirect(nextOf(request, 'criteria'));
}

/** `POST /commissioning/new/{step}`: keeps the answers, shows this page's errors or moves on. */
async function answerPage(request: PageRequest) {
  requireCreator(request);
  const step = request.params.step;
  const draft = await answersSoFar(request);
  if (isStep(step)) {
    const answers = answersOf(draft);
    if (step === 'tier') return redirect(nextOf(request, 'tier'));
    if (step === 'criteria') return criteriaAnswer(request, answers);
    const updated = { ...answers, ...readStep(step, request.form) };
    const { issues } = wizardIssues(updated, config().rules, request.now);
    // Only this page's questions: later pages may not have been answered yet.
    const mine = issues.filter((issue) => stepOf(issue.path ?? '') === step && issue.path !== undefined);
    if (mine.length > 0) {
      // What was typed is kept for next time too, when it fits; the page shows it either way.
      await keep(request, updated);
      return renderStep(request, step, updated, mine);
    }
    return saveAndGo(request, step, updated, nextOf(request, step));
  }
  if (step !== 'check-your-answers')
    throw new NotFoundError('There is no such page in creating a competition.');
  // Sent again (Back, then Create): the competition exists already; never create it twice.
  const done = createdOf(draft);
  if (done) return done;
  if (isEmpty(draft)) return redirect(`${BASE}/${STEPS[0]}`);
  const { issues, body } = wizardIssues(draft, config().rules, request.now);
  if (!body || issues.length > 0) return renderCheck(request, draft, issues);
  try {
    const competition = await createCompetition(
      repositories(),
      request.principal,
      body,
      request.now,
      config().rules,
    );
    // The answers go (the item is replaced); a marker of the new id stays until sign-out or the session's
    // end, so Back and Create again goes to the competition rather than offering to create it again.
    await keep(request, { createdId: competition.id });
    return redirect(`/commissioning/${encodeURIComponent(competition.id)}`);
  } catch (error) {
    // Only bad input is the visitor's to fix here; anything else is the page stack's to show.
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderCheck(request, draft, reported);
  }
}

/** This group's pages by route key. */
export const newCompetitionPages: PageMap = {
  'GET /commissioning/new': startPage,
  'GET /commissioning/new/{step}': questionPage,
  'POST /commissioning/new/{step}': answerPage,
};
