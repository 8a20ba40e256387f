/**
 * The commissioner's payment-by-results forms as typed (pure): text to the bodies the use cases take, every
 * problem with the path the use case would report it under (`proxyOutcomes.0.tariffPence`,
 * `tiers.high.size`), so one error summary and one set of field messages serve both. Money is typed in
 * pounds and sent in pence; the ranges, decimals and cross-field rules are the domain's to check.
 */
import type { FieldIssue } from '../../../domain/errors';
import type { MechanismInput } from '../../../domain/payment-by-results/mechanism';
import type { MechanismView } from '../../../use-cases/payment-by-results/mechanism';
import { TIERS } from './reoffending-chart';

/** The most proxy outcome rows the mechanism form reads (the domain's `MAX_PROXY_OUTCOMES`). */
export const MAX_OUTCOME_ROWS = 20;
/** Blank proxy outcome rows the form offers below those already set. */
export const BLANK_OUTCOME_ROWS = 3;

type Parsed = { value: number } | { error: string } | undefined;

/** Pounds as typed (`1250`, `£1,250.50`) in pence; undefined when blank. */
export function poundsToPence(raw: string | null | undefined): Parsed {
  const text = (raw ?? '').replace(/[£,\s]/g, '');
  if (text === '') return undefined;
  const match = /^(\d{1,14})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { error: 'Enter an amount in pounds, like 1500 or 1234.50' };
  return { value: Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0')) };
}

/** A decimal as typed (`12.5`, `12.5%`); undefined when blank. The domain checks range and decimals. */
export function decimal(raw: string | null | undefined, wording: string): Parsed {
  const text = (raw ?? '').replace(/[%,\s]/g, '');
  if (text === '') return undefined;
  if (!/^\d{1,9}(\.\d{1,6})?$/.test(text)) return { error: `${wording} must be a number, like 12.5` };
  return { value: Number(text) };
}

/** A whole number as typed; undefined when blank. */
export function wholeNumber(raw: string | null | undefined, wording: string): Parsed {
  const text = (raw ?? '').replace(/[,\s]/g, '');
  if (text === '') return undefined;
  if (!/^\d{1,9}$/.test(text)) return { error: `${wording} must be a whole number, like 24` };
  return { value: Number(text) };
}

/** Reads a field that must be given: its number, or an issue recorded under `path`. */
function required(issues: FieldIssue[], path: string, parsed: Parsed, blank: string): number | undefined {
  if (parsed === undefined) {
    issues.push({ path, message: blank });
    return undefined;
  }
  if ('error' in parsed) {
    issues.push({ path, message: parsed.error });
    return undefined;
  }
  return parsed.value;
}

/** What the mechanism form sent, as typed (to show again), by field name (the issue path). */
export type FormValues = Record<string, string>;

/** The form's values as text, for showing a form again or prefilled. */
export function valuesOf(form: URLSearchParams, names: readonly string[]): FormValues {
  const values: FormValues = Object.create(null);
  for (const name of names) values[name] = (form.get(name) ?? '').slice(0, 200);
  return values;
}

/** The mechanism form's field names, with `rows` proxy outcome rows. */
export function mechanismFieldNames(rows: number): string[] {
  const names = [
    'fromPeriod',
    'upfrontPercent',
    'reoffending.binary.baselineRatePercent',
    'reoffending.binary.tariffPence',
    'reoffending.frequency.baselinePerPerson',
    'reoffending.frequency.tariffPence',
    'reoffending.followUpMonths',
    'capPencePerYear',
    ...TIERS.map((t) => `tierMultipliers.${t}`),
  ];
  for (let i = 0; i < Math.min(rows, MAX_OUTCOME_ROWS); i += 1) {
    names.push(`proxyOutcomes.${i}.id`, `proxyOutcomes.${i}.name`, `proxyOutcomes.${i}.tariffPence`);
  }
  return names;
}

/** How many proxy outcome rows a posted form had (the hidden `outcomeRows` field, bounded). */
export function outcomeRowsOf(form: URLSearchParams): number {
  const n = Number(form.get('outcomeRows'));
  return Number.isInteger(n) && n >= 1 && n <= MAX_OUTCOME_ROWS ? n : BLANK_OUTCOME_ROWS;
}

const pencePounds = (pence: number) => (pence / 100).toFixed(2).replace(/\.00$/, '');

/** The form prefilled from the current version (a new version usually changes a few terms). */
export function mechanismValues(current: MechanismView | undefined, fromPeriod: string): FormValues {
  const values: FormValues = Object.create(null);
  values.fromPeriod = fromPeriod;
  if (!current) {
    for (const t of TIERS) values[`tierMultipliers.${t}`] = '1';
    values['reoffending.followUpMonths'] = '12';
    return values;
  }
  values.upfrontPercent = String(current.upfrontPercent);
  const { binary, frequency, followUpMonths } = current.reoffending;
  if (binary) {
    values['reoffending.binary.baselineRatePercent'] = String(binary.baselineRatePercent);
    values['reoffending.binary.tariffPence'] = pencePounds(binary.tariffPence);
  }
  if (frequency) {
    values['reoffending.frequency.baselinePerPerson'] = String(frequency.baselinePerPerson);
    values['reoffending.frequency.tariffPence'] = pencePounds(frequency.tariffPence);
  }
  values['reoffending.followUpMonths'] = String(followUpMonths);
  if (current.capPencePerYear !== null) values.capPencePerYear = pencePounds(current.capPencePerYear);
  for (const t of TIERS) values[`tierMultipliers.${t}`] = String(current.tierMultipliers[t]);
  current.proxyOutcomes.forEach((o, i) => {
    values[`proxyOutcomes.${i}.id`] = o.id;
    values[`proxyOutcomes.${i}.name`] = o.name;
    values[`proxyOutcomes.${i}.tariffPence`] = pencePounds(o.tariffPence);
  });
  return values;
}

/**
 * The mechanism form as the use case's input, or the problems of what was typed. A proxy outcome row left
 * wholly blank is no outcome; a measure left wholly blank is not used.
 */
export function parseMechanismForm(
  form: URLSearchParams,
): { input: MechanismInput; issues: [] } | { input?: undefined; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const text = (name: string) => (form.get(name) ?? '').trim();
  const fromPeriod = text('fromPeriod').toUpperCase();
  if (fromPeriod === '') issues.push({ path: 'fromPeriod', message: 'Enter the quarter it applies from' });
  const upfrontPercent = required(
    issues,
    'upfrontPercent',
    decimal(text('upfrontPercent'), 'The upfront share'),
    'Enter the share of the contract value paid up front (0 for none)',
  );
  const proxyOutcomes: MechanismInput['proxyOutcomes'][number][] = [];
  const rows = outcomeRowsOf(form);
  for (let i = 0; i < rows; i += 1) {
    const path = `proxyOutcomes.${i}`;
    const id = text(`${path}.id`);
    const name = text(`${path}.name`);
    const tariff = text(`${path}.tariffPence`);
    if (id === '' && name === '' && tariff === '') continue;
    const at = proxyOutcomes.length;
    // Issues name the row as typed; the domain's name the row as sent, so rows are sent in place.
    if (at !== i) {
      issues.push({
        path: `${path}.id`,
        message: 'Fill the proxy outcome rows from the top, leaving no gaps',
      });
      continue;
    }
    const pence = required(
      issues,
      `${path}.tariffPence`,
      poundsToPence(tariff),
      'Enter the tariff in pounds',
    );
    proxyOutcomes.push({ id, name, tariffPence: pence ?? 0 });
  }
  const measure = (kind: 'binary' | 'frequency', baselineName: string, wording: string) => {
    const baselineText = text(`reoffending.${kind}.${baselineName}`);
    const tariffText = text(`reoffending.${kind}.tariffPence`);
    if (baselineText === '' && tariffText === '') return undefined;
    const baseline = required(
      issues,
      `reoffending.${kind}.${baselineName}`,
      decimal(baselineText, wording),
      `Enter the ${wording.toLowerCase()}, or leave both of this measure's boxes blank`,
    );
    const tariff = required(
      issues,
      `reoffending.${kind}.tariffPence`,
      poundsToPence(tariffText),
      "Enter the tariff in pounds, or leave both of this measure's boxes blank",
    );
    return { baseline: baseline ?? 0, tariffPence: tariff ?? 0 };
  };
  const binary = measure('binary', 'baselineRatePercent', 'Baseline rate');
  const frequency = measure('frequency', 'baselinePerPerson', 'Baseline reoffences per person');
  const followUpMonths = required(
    issues,
    'reoffending.followUpMonths',
    wholeNumber(text('reoffending.followUpMonths'), 'The follow-up period'),
    'Enter the follow-up period in months',
  );
  const tierMultipliers: Record<string, number> = {};
  for (const t of TIERS) {
    const value = required(
      issues,
      `tierMultipliers.${t}`,
      decimal(text(`tierMultipliers.${t}`), 'The multiplier'),
      'Enter a multiplier for this tier (1 for none)',
    );
    if (value !== undefined) tierMultipliers[t] = value;
  }
  const cap = poundsToPence(text('capPencePerYear'));
  if (cap && 'error' in cap) issues.push({ path: 'capPencePerYear', message: cap.error });
  if (issues.length > 0) return { issues };
  return {
    input: {
      fromPeriod,
      upfrontPercent: upfrontPercent ?? 0,
      proxyOutcomes,
      reoffending: {
        ...(binary
          ? { binary: { baselineRatePercent: binary.baseline, tariffPence: binary.tariffPence } }
          : {}),
        ...(frequency
          ? { frequency: { baselinePerPerson: frequency.baseline, tariffPence: frequency.tariffPence } }
          : {}),
        followUpMonths: followUpMonths ?? 0,
      },
      tierMultipliers,
      ...(cap && 'value' in cap ? { capPencePerYear: cap.value } : {}),
    },
    issues: [],
  };
}

/** The cohort form's field names. */
export const COHORT_FIELDS = ['period', ...TIERS.map((t) => `tiers.${t}.size`)];
/** The results form's field names. */
export const RESULTS_FIELDS = [
  'period',
  ...TIERS.flatMap((t) => [`tiers.${t}.size`, `tiers.${t}.reoffenders`, `tiers.${t}.reoffences`]),
];

/** The cohort form as the use case's input: a size for each tier given (a blank tier has no one). */
export function parseCohortForm(form: URLSearchParams): {
  period: string;
  tiers: Record<string, { size: number }>;
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const period = (form.get('period') ?? '').trim().toUpperCase();
  if (period === '') issues.push({ path: 'period', message: 'Enter the quarter, like 2026-Q3' });
  const tiers: Record<string, { size: number }> = {};
  for (const t of TIERS) {
    const path = `tiers.${t}.size`;
    const parsed = wholeNumber(form.get(path), 'The number of people');
    if (parsed === undefined) continue;
    if ('error' in parsed) issues.push({ path, message: parsed.error });
    else tiers[t] = { size: parsed.value };
  }
  if (issues.length === 0 && Object.keys(tiers).length === 0) {
    issues.push({ path: 'tiers.low.size', message: 'Enter how many people are in at least one tier' });
  }
  return { period, tiers, issues };
}

/** The results form as the use case's input: each tier's size, reoffenders and reoffences (blank is 0). */
export function parseResultsForm(form: URLSearchParams): {
  period: string;
  tiers: Record<string, { size: number; reoffenders: number; reoffences: number }>;
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const period = (form.get('period') ?? '').trim().toUpperCase();
  if (period === '') issues.push({ path: 'period', message: 'Enter the quarter, like 2026-Q3' });
  const tiers: Record<string, { size: number; reoffenders: number; reoffences: number }> = {};
  for (const t of TIERS) {
    const figure = (name: 'size' | 'reoffenders' | 'reoffences', wording: string) => {
      const path = `tiers.${t}.${name}`;
      const parsed = wholeNumber(form.get(path), wording);
      if (parsed === undefined) return 0;
      if ('error' in parsed) {
        issues.push({ path, message: parsed.error });
        return 0;
      }
      return parsed.value;
    };
    const size = figure('size', 'The cohort size');
    const reoffenders = figure('reoffenders', 'The number who reoffended');
    const reoffences = figure('reoffences', 'The number of reoffences');
    if (size > 0 || reoffenders > 0 || reoffences > 0) tiers[t] = { size, reoffenders, reoffences };
  }
  return { period, tiers, issues };
}

/** The decision form as the use case's input. */
export function parseDecisionForm(form: URLSearchParams): {
  decision: string;
  validatedRefs: string[];
  reason: string;
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const decision = form.get('decision') ?? '';
  if (!['validated', 'partly-validated', 'rejected'].includes(decision)) {
    issues.push({
      path: 'decision',
      message: 'Choose whether to validate the claim, part of it, or reject it',
    });
  }
  // A claim names at most 50 participants: more boxes than that did not come from this form.
  const validatedRefs = form.getAll('validatedRefs').slice(0, 50);
  const reason = (form.get('reason') ?? '').slice(0, 4000);
  if (reason.trim() === '') issues.push({ path: 'reason', message: 'Say why you decided this' });
  // The boxes ticked go with every decision: the use case refuses a whole validation or a rejection that
  // names only some participants, so ticking some and choosing "validate" never pays for them all.
  return { decision, validatedRefs, reason, issues };
}
