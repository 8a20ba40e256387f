/**
 * The "Create a competition" question pages' answers (pure): what each page asks, the answers as typed,
 * and how they become the body of `POST /competitions` – pounds to pence exactly, percentages, whole
 * numbers, GOV.UK date inputs and a time in UK time to UTC instants, award criteria to criteria with ids.
 * Validation is the JSON route's: the body goes through the route's own zod schema and the domain's rules
 * (`competitionDraftIssues`), so every problem the API would report is shown against its field here; only
 * what cannot reach the API as typed (a word where pounds belong, 31 February) is the form's own.
 */
import type { DomainRules } from '../../../config';
import {
  type CompetitionDraft,
  competitionDraftIssues,
  MAX_CRITERIA,
  type PrequalificationTier,
  prequalificationTier,
  publicationProblem,
  utc,
} from '../../../domain/competitions';
import type { FieldIssue } from '../../../domain/errors';
import { zodIssues } from '../../../http/middleware/validate';
import { PROTOTYPE_NAMES } from '../../../http/schemas/common';
import { COMPETITION_LIMITS, competitionSchemas } from '../../../http/schemas/competitions';

/** The JSON route's body schema: the pages validate with it, so they accept exactly what the API does. */
export const createBody = competitionSchemas['POST /competitions'].body;

/** One award criterion's schema, as the route's body nests it. */
const criterionSchema = createBody.shape.criteria.element;

/** A deadline as typed: the GOV.UK date input's three parts and a time of day (UK time). */
export interface DateAnswer {
  day: string;
  month: string;
  year: string;
  time: string;
}

/** An award criterion as typed on the criteria page (validated when it was added). */
export interface CriterionAnswer {
  name: string;
  kind: string;
  weight: string;
}

/** The answers so far, as typed (kept server-side beside the session between pages). */
export interface CompetitionWizardDraft {
  title?: string;
  description?: string;
  services?: string[];
  regions?: string[];
  /** Pounds, as typed (`250,000` or `1234.50`). */
  value?: string;
  termMonths?: string;
  risk?: string;
  /** Who the contract suits (`vcse`, `sme`), as ticked; optional. */
  suitableFor?: string[];
  prequalificationDeadline?: DateAnswer;
  tenderDeadline?: DateAnswer;
  criteria?: CriterionAnswer[];
  subcontractingTarget?: string;
  voluntaryTarget?: string;
  budgetCeiling?: string;
  preTenderEstimate?: string;
  notes?: string;
  /**
   * Set once the competition is created (every answer dropped): the check page then sends a visitor who
   * comes Back to the competition instead of offering to create it again.
   */
  createdId?: string;
}

/** The question pages in order. `tier` only shows what the answers so far mean. */
export const STEPS = [
  'title',
  'services',
  'regions',
  'value',
  'tier',
  'deadlines',
  'criteria',
  'subcontracting',
  'confidential',
] as const;

/** One question page. */
export type Step = (typeof STEPS)[number];

/** The answers (the API body's top-level paths, and the criteria page's own form) each page asks for. */
export const STEP_FIELDS: Record<Step, readonly string[]> = {
  title: ['title', 'description'],
  services: ['services'],
  regions: ['regions'],
  value: ['estimatedValuePence', 'termMonths', 'risk', 'suitableFor', 'minimumTurnoverPence'],
  tier: [],
  deadlines: ['prequalificationDeadline', 'tenderDeadline'],
  criteria: ['criteria', 'criterion'],
  subcontracting: ['subcontracting'],
  confidential: ['confidential'],
};

/** Whether a path segment names a question page. */
export function isStep(step: string | undefined): step is Step {
  return step !== undefined && (STEPS as readonly string[]).includes(step);
}

/** The page that asks for an API path (`subcontracting.targetPercent` → `subcontracting`). */
export function stepOf(path: string): Step {
  const head = path.split('.')[0] ?? '';
  return STEPS.find((step) => STEP_FIELDS[step].includes(head)) ?? 'title';
}

/** The answers a visitor typed, without the marker of a created competition. */
export function answersOf(draft: CompetitionWizardDraft): CompetitionWizardDraft {
  const { createdId: _done, ...answers } = draft;
  return answers;
}

/** True when nothing has been answered yet. */
export function isEmpty(draft: CompetitionWizardDraft): boolean {
  return Object.values(answersOf(draft)).every(
    (value) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Numbers as typed.
// ---------------------------------------------------------------------------------------------------------

/**
 * The result of reading a typed answer: nothing typed, a value, or why it is not one (and, for a deadline,
 * whether its time is what is wrong, so the message goes against the time field).
 */
export type Parsed<T> = { value: T } | { error: string; part?: 'time' } | undefined;

/**
 * Pounds as typed (`£250,000`, `1234.5`, `1234.50`) to integer pence, exactly: by string arithmetic, never
 * through a floating-point product (`Number('1.15') * 100` is 114.99999999999999). Undefined when blank.
 * Amounts past `Number.MAX_SAFE_INTEGER` pence (about £90 trillion) are refused, as the API refuses them.
 */
export function parsePoundsToPence(raw: string | undefined): Parsed<number> {
  const text = (raw ?? '').replace(/[£,\s]/g, '');
  if (text === '') return undefined;
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { error: 'Enter an amount in pounds, like 250000 or 1234.50' };
  const pounds = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  const pence = (match[2] ?? '').padEnd(2, '0');
  // Long digit strings are refused before BigInt is asked to read them.
  if (pounds.length > 14) return { error: 'Enter an amount under £90,000,000,000,000' };
  const total = BigInt(pounds) * 100n + BigInt(pence);
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'Enter an amount under £90,000,000,000,000' };
  return { value: Number(total) };
}

/** A whole number as typed (up to 6 digits; the schema says the range). Undefined when blank. */
export function parseWholeNumber(raw: string | undefined, wording: string): Parsed<number> {
  const text = (raw ?? '').replace(/[,\s]/g, '');
  if (text === '') return undefined;
  if (!/^\d{1,6}$/.test(text)) return { error: `${wording} must be a whole number, like 24` };
  return { value: Number(text) };
}

/** A percentage as typed (`10`, `12.5`, `12.5%`); the schema says the range and decimals. Undefined when blank. */
export function parsePercent(raw: string | undefined, wording: string): Parsed<number> {
  const text = (raw ?? '').replace(/[%\s]/g, '');
  if (text === '') return undefined;
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(text))
    return { error: `${wording} must be a percentage from 0 to 100, like 10 or 12.5` };
  return { value: Number(text) };
}

// ---------------------------------------------------------------------------------------------------------
// Dates and times as typed, in UK time.
// ---------------------------------------------------------------------------------------------------------

/**
 * A time of day as typed: `17:00`, `9.30`, `9am`, `5:30pm`, `midday`, `noon` or `midnight` (the start of
 * the day). Undefined when it is not one.
 */
export function parseTimeOfDay(raw: string): { hour: number; minute: number } | undefined {
  const text = raw.trim().toLowerCase().replace(/\s+/g, '');
  if (text === 'midday' || text === 'noon' || text === '12noon') return { hour: 12, minute: 0 };
  if (text === 'midnight') return { hour: 0, minute: 0 };
  const twelve = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm)$/.exec(text);
  if (twelve) {
    const hour = Number(twelve[1]);
    const minute = Number(twelve[2] ?? '0');
    if (hour < 1 || hour > 12 || minute > 59) return undefined;
    return { hour: (hour % 12) + (twelve[3] === 'pm' ? 12 : 0), minute };
  }
  const clock = /^(\d{1,2})[:.](\d{2})$/.exec(text);
  if (clock) {
    const hour = Number(clock[1]);
    const minute = Number(clock[2]);
    if (hour > 23 || minute > 59) return undefined;
    return { hour, minute };
  }
  return undefined;
}

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  hourCycle: 'h23',
});

/** The wall-clock time in the UK at an instant, as minutes since the epoch of a UTC calendar. */
function londonWallClock(ms: number): number {
  const parts = Object.fromEntries(
    LONDON_PARTS.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]),
  );
  return Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
  );
}

/**
 * The UTC instant of a UK wall-clock time (GMT or BST). An hour the clocks skip (the last Sunday of March,
 * 1am to 2am) does not exist: undefined. An hour they repeat (October) is the first, in summer time.
 */
export function londonToUtc(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
): string | undefined {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  // The UK is UTC or one hour ahead: the instant is the wall time, or an hour before it.
  for (const candidate of [wall - 3_600_000, wall]) {
    if (londonWallClock(candidate) === wall) return new Date(candidate).toISOString();
  }
  return undefined;
}

/** Days in a month (1–12) of a year. */
function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * A deadline as typed to a UTC instant, or the GOV.UK message for what is wrong with it (naming the
 * deadline, e.g. "the tender deadline"). Undefined when nothing was typed.
 */
export function parseDeadline(answer: DateAnswer | undefined, name: string): Parsed<string> {
  const day = answer?.day.trim() ?? '';
  const month = answer?.month.trim() ?? '';
  const year = answer?.year.trim() ?? '';
  const time = answer?.time.trim() ?? '';
  if (day === '' && month === '' && year === '' && time === '') return undefined;
  const Name = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const missing = [
    day === '' ? 'a day' : '',
    month === '' ? 'a month' : '',
    year === '' ? 'a year' : '',
  ].filter(Boolean);
  if (missing.length === 3) return { error: `Enter the date of ${name}` };
  if (missing.length > 0) return { error: `${Name} must include ${missing.join(' and ')}` };
  if (!/^\d{1,2}$/.test(day) || !/^\d{1,2}$/.test(month) || !/^\d{4}$/.test(year))
    return { error: `${Name} must be a real date, like 27 3 2027` };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || y < 2000)
    return { error: `${Name} must be a real date, like 27 3 2027` };
  if (time === '') return { error: `Enter the time of ${name}, like 5pm or 17:00`, part: 'time' };
  const clock = parseTimeOfDay(time);
  if (!clock) return { error: `Enter the time of ${name} as a time of day, like 5pm or 17:00`, part: 'time' };
  const instant = londonToUtc(y, m, d, clock.hour, clock.minute);
  if (!instant) {
    return {
      error: 'That time does not exist on that day in the UK (the clocks go forward): choose another',
      part: 'time',
    };
  }
  return { value: instant };
}

// ---------------------------------------------------------------------------------------------------------
// Award criteria.
// ---------------------------------------------------------------------------------------------------------

/**
 * Ids for criteria from their names (`Quality of service` → `quality-of-service`): the keys of a bid's
 * answers and of its scores. Unique (a suffix `-2`, `-3` when names repeat), within the schema's pattern,
 * never an `Object.prototype` name, and `criterion-<n>` when a name has no letters or digits to use.
 */
export function criterionIds(names: readonly string[]): string[] {
  const taken = new Set<string>();
  return names.map((name, index) => {
    const slug = name
      .normalize('NFKD')
      // Accents come apart from their letters under NFKD: drop them, so `Éducation` reads `education`.
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 32)
      .replace(/-+$/, '');
    let base = slug === '' || PROTOTYPE_NAMES.has(slug) ? `criterion-${index + 1}` : slug;
    if (PROTOTYPE_NAMES.has(base)) base = `criterion-${index + 1}`;
    let id = base;
    for (let n = 2; taken.has(id); n += 1) id = `${base}-${n}`;
    taken.add(id);
    return id;
  });
}

/** The criterion a visitor is adding, checked with the route's own criterion schema. */
export function criterionIssues(answer: CriterionAnswer, existing: readonly CriterionAnswer[]): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (existing.length >= MAX_CRITERIA) {
    issues.push({ path: 'criterion.name', message: `You can add up to ${MAX_CRITERIA} criteria` });
    return issues;
  }
  const weight = parseWholeNumber(answer.weight, 'The weight');
  if (weight && 'error' in weight) issues.push({ path: 'criterion.weight', message: weight.error });
  const parsed = criterionSchema.safeParse({
    id: 'new',
    name: answer.name,
    kind: answer.kind,
    weight: weight && 'value' in weight ? weight.value : undefined,
  });
  const messages: Record<string, string> = {
    'criterion.name': 'Enter the name of the criterion',
    'criterion.kind': 'Select whether the criterion is about quality or price',
    'criterion.weight': 'Enter the weight as a whole number from 1 to 100',
  };
  for (const issue of issuesOf(parsed, 'criterion')) {
    const path = issue.path ?? '';
    if (issues.some((i) => i.path === path)) continue;
    issues.push(reword(issue, messages));
  }
  return issues;
}

/** The criteria as the body's: ids from their names, weights as numbers. */
function criteriaBody(criteria: readonly CriterionAnswer[]) {
  const ids = criterionIds(criteria.map((c) => c.name));
  return criteria.map((c, i) => {
    const weight = parseWholeNumber(c.weight, 'The weight');
    return {
      id: ids[i],
      name: c.name,
      kind: c.kind,
      weight: weight && 'value' in weight ? weight.value : c.weight,
    };
  });
}

/** The weights of the criteria so far, added up (those that are numbers). */
export function weightTotal(criteria: readonly CriterionAnswer[]): number {
  return criteria.reduce((sum, c) => {
    const weight = parseWholeNumber(c.weight, 'The weight');
    return sum + (weight && 'value' in weight ? weight.value : 0);
  }, 0);
}

// ---------------------------------------------------------------------------------------------------------
// The answers as the body of `POST /competitions`, and every problem with them.
// ---------------------------------------------------------------------------------------------------------

/** What to say when the schema's message is generic (a blank, an unchosen option, out of range). */
const MESSAGES: Record<string, string> = {
  title: 'Enter a title for the competition',
  description: 'Describe what the contract is for',
  services: 'Select the services the contract is for',
  regions: 'Select the regions the contract covers, or national',
  estimatedValuePence: 'Enter the estimated value of the contract in pounds, more than £0',
  termMonths: 'Enter the term of the contract as a whole number of months from 1 to 240',
  risk: 'Select how risky the contract is',
  suitableFor: 'Select VCSE organisations, small and medium-sized enterprises, or neither',
  tenderDeadline: 'Enter the date and time tenders close',
  prequalificationDeadline: 'Enter the date and time pre-qualification closes',
  criteria: 'Add at least two criteria: one price criterion and at least one quality criterion',
  'subcontracting.targetPercent': 'Enter the sub-contracting target as a percentage from 0 to 100',
  'subcontracting.voluntarySectorTargetPercent':
    'Enter the voluntary sector share as a percentage from 0 to 100',
  'confidential.budgetCeilingPence': 'Enter the budget ceiling in pounds',
  'confidential.preTenderEstimatePence': 'Enter the pre-tender estimate in pounds',
  'confidential.notes': `Notes must be ${COMPETITION_LIMITS.notes.toLocaleString('en-GB')} characters or fewer`,
};

/** The schema's generic wordings, which a person should never see. */
const GENERIC =
  /^(Invalid option|Invalid input|Enter a value|Too small|Too big|Expected|Cannot be negative|Use whole pence)/;

function reword(issue: FieldIssue, messages: Record<string, string>): FieldIssue {
  const better = issue.path !== undefined ? messages[issue.path] : undefined;
  return better && GENERIC.test(issue.message) ? { ...issue, message: better } : issue;
}

function issuesOf(
  result: { success: true } | { success: false; error: Parameters<typeof zodIssues>[0] },
  prefix = '',
) {
  return result.success ? [] : zodIssues(result.error, prefix);
}

/** The tier the value, term and risk so far lead to, when all three are answered and valid. */
export function tierOf(draft: CompetitionWizardDraft, rules: DomainRules): PrequalificationTier | undefined {
  const value = parsePoundsToPence(draft.value);
  const term = parseWholeNumber(draft.termMonths, 'The term');
  const risk = draft.risk;
  if (!value || !('value' in value) || !term || !('value' in term)) return undefined;
  if (risk !== 'low' && risk !== 'medium' && risk !== 'high') return undefined;
  if (value.value < 1 || term.value < 1 || term.value > 240) return undefined;
  return prequalificationTier({ estimatedValuePence: value.value, termMonths: term.value, risk }, rules);
}

/**
 * The answers as the JSON API's body (blanks left out, so the schema says what is missing), and the
 * problems only the form can have (text where a number belongs, a date that does not exist). The
 * pre-qualification deadline is left out when the tier needs none, whatever was typed before.
 */
export function competitionBody(
  draft: CompetitionWizardDraft,
  rules: DomainRules,
): { body: Record<string, unknown>; formIssues: FieldIssue[] } {
  const formIssues: FieldIssue[] = [];
  const read = <T>(path: string, parsed: Parsed<T>): T | undefined => {
    if (parsed && 'error' in parsed) {
      formIssues.push({ path: parsed.part ? `${path}.${parsed.part}` : path, message: parsed.error });
      return undefined;
    }
    return parsed?.value;
  };
  const blank = (v: string | undefined) => (v !== undefined && v.trim() !== '' ? v : undefined);
  const tier = tierOf(draft, rules);
  const body: Record<string, unknown> = {
    title: draft.title ?? '',
    description: draft.description ?? '',
    services: draft.services ?? [],
    regions: draft.regions ?? [],
    estimatedValuePence: read('estimatedValuePence', parsePoundsToPence(draft.value)),
    termMonths: read('termMonths', parseWholeNumber(draft.termMonths, 'The term')),
    risk: blank(draft.risk),
    prequalificationDeadline:
      tier === 'none'
        ? undefined
        : read(
            'prequalificationDeadline',
            parseDeadline(draft.prequalificationDeadline, 'the pre-qualification deadline'),
          ),
    tenderDeadline: read('tenderDeadline', parseDeadline(draft.tenderDeadline, 'the tender deadline')),
    criteria: criteriaBody(draft.criteria ?? []),
  };
  // Optional: nothing ticked says nothing (the body leaves it out).
  if (draft.suitableFor && draft.suitableFor.length > 0) body.suitableFor = draft.suitableFor;
  const target = read(
    'subcontracting.targetPercent',
    parsePercent(draft.subcontractingTarget, 'The sub-contracting target'),
  );
  const voluntary = read(
    'subcontracting.voluntarySectorTargetPercent',
    parsePercent(draft.voluntaryTarget, 'The voluntary sector share'),
  );
  if (voluntary !== undefined && target === undefined && blank(draft.subcontractingTarget) === undefined) {
    formIssues.push({
      path: 'subcontracting.targetPercent',
      message: 'Enter the sub-contracting target too, to set a voluntary sector share of it',
    });
  }
  if (target !== undefined) {
    body.subcontracting = {
      targetPercent: target,
      ...(voluntary !== undefined ? { voluntarySectorTargetPercent: voluntary } : {}),
    };
  }
  const ceiling = read('confidential.budgetCeilingPence', parsePoundsToPence(draft.budgetCeiling));
  const estimate = read('confidential.preTenderEstimatePence', parsePoundsToPence(draft.preTenderEstimate));
  const notes = blank(draft.notes);
  if (ceiling !== undefined || estimate !== undefined || notes !== undefined) {
    body.confidential = {
      ...(ceiling !== undefined ? { budgetCeilingPence: ceiling } : {}),
      ...(estimate !== undefined ? { preTenderEstimatePence: estimate } : {}),
      ...(notes !== undefined ? { notes } : {}),
    };
  }
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  return { body, formIssues };
}

/** The body as the route would receive it, once valid. */
export type CreateCompetitionBody = ReturnType<typeof createBody.parse>;

/**
 * Every problem with the answers, as the API would report them, one message per field: the form's own,
 * the route schema's, then the domain's rules (weights, one price criterion, deadlines in the future and
 * in order, the pre-qualification deadline the tier needs) as soon as what they depend on is valid.
 */
export function wizardIssues(
  draft: CompetitionWizardDraft,
  rules: DomainRules,
  now: Date,
): { issues: FieldIssue[]; body: CreateCompetitionBody | undefined; tier: PrequalificationTier | undefined } {
  const { body, formIssues } = competitionBody(draft, rules);
  const issues: FieldIssue[] = [...formIssues];
  const seen = (path: string) =>
    issues.some((issue) => issue.path === path || (issue.path ?? '').startsWith(`${path}.`));
  const parsed = createBody.safeParse(body);
  for (const issue of issuesOf(parsed)) {
    const path = issue.path ?? '';
    // A field the form could not read was left out of the body: its "required" is not news.
    if (seen(path)) continue;
    issues.push(reword(issue, MESSAGES));
  }
  const tier = tierOf(draft, rules);
  {
    const draftForRules: CompetitionDraft = {
      title: '',
      description: '',
      services: Array.isArray(body.services) ? (body.services as CompetitionDraft['services']) : [],
      regions: Array.isArray(body.regions) ? (body.regions as CompetitionDraft['regions']) : [],
      estimatedValuePence: 0,
      termMonths: 0,
      risk: 'low',
      criteria: (body.criteria as CompetitionDraft['criteria']).map((c) => ({
        ...c,
        weight: typeof c.weight === 'number' ? c.weight : 0,
      })),
      // A deadline not given (or not readable) is in the future for these rules: its own problem is known.
      tenderDeadline:
        typeof body.tenderDeadline === 'string' ? utc(body.tenderDeadline) : '9999-12-31T00:00:00Z',
      prequalificationDeadline:
        typeof body.prequalificationDeadline === 'string' ? utc(body.prequalificationDeadline) : undefined,
    };
    // Fields the form or the schema found wrong already have their message; the rules may add several to
    // one field (the criteria's weights and their price criterion are both worth knowing at once).
    const known = new Set(issues.map((issue) => (issue.path ?? '').split('.')[0]));
    // Until the value, term and risk are known, neither is the tier, nor so what the deadlines must be.
    const deadlines = ['prequalificationDeadline', 'tenderDeadline'];
    for (const issue of competitionDraftIssues(draftForRules, tier ?? 'core', now)) {
      const path = issue.path ?? '';
      if (known.has(path) || (tier === undefined && deadlines.includes(path))) continue;
      // A tier that needs pre-qualification and no deadline given: say what to enter, in the form's words.
      if (path === 'prequalificationDeadline' && body.prequalificationDeadline === undefined) {
        issues.push({
          path,
          message: `${MESSAGES.prequalificationDeadline}: this contract needs pre-qualification`,
        });
        continue;
      }
      issues.push(issue);
    }
    // Publishing needs the minimum periods from the day it is published (`publicationProblem`, the rule
    // publish applies): a deadline closer than that makes a draft that can never be published, so the
    // question page says so now, with the same words and the same setting.
    const deadlinePath = tier === 'none' ? 'tenderDeadline' : 'prequalificationDeadline';
    if (tier !== undefined && typeof body[deadlinePath] === 'string' && !seen(deadlinePath)) {
      const problem = publicationProblem(
        {
          prequalificationTier: tier,
          prequalificationDeadline: draftForRules.prequalificationDeadline,
          tenderDeadline: draftForRules.tenderDeadline,
        },
        now,
        rules,
      );
      if (problem) {
        issues.push({
          path: deadlinePath,
          message: `${problem} Choose a later date, or the draft cannot be published.`,
        });
      }
    }
  }
  const valid = issues.length === 0 && parsed.success;
  return { issues, body: valid ? parsed.data : undefined, tier };
}
