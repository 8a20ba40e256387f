/**
 * Reading the scoring and moderation forms of the bid page (pure: no I/O, unit-tested in
 * test/unit/commissioning-scoring-forms.test.ts).
 *
 * Each quality criterion is one group of fields named after the JSON body's paths – `scores.0.criterionId`
 * (hidden), `scores.0.score` (radios 0–5) and `scores.0.justification` or `scores.0.rationale` (a text
 * area) – so an issue the JSON schema or the use case reports at `scores.0.score` lands on the field of
 * that name, and the body the page sends is the very body `PUT …/scores` or `PUT …/moderated-scores` takes.
 */
import type { FieldIssue } from '../../../domain/errors';
import { MAX_SCORE } from '../../../domain/scoring';

/** What the second field of a criterion is called: evaluators justify, the moderator gives a rationale. */
export type NoteName = 'justification' | 'rationale';

/** One criterion's fields as typed (kept to show again with the form's errors). */
export interface ScoreFormRow {
  criterionId: string;
  /** The chosen radio's value, or '' when none was chosen. */
  score: string;
  note: string;
}

/** A criterion as the form names it. */
export interface FormCriterion {
  id: string;
  name: string;
}

/** The most rows a form is read for: a competition has at most this many criteria (`MAX_CRITERIA`). */
const MAX_ROWS = 20;

/** The form field names of the row at `index`. */
export function scoreFieldNames(
  index: number,
  noteName: NoteName,
): { criterionId: string; score: string; note: string } {
  return {
    criterionId: `scores.${index}.criterionId`,
    score: `scores.${index}.score`,
    note: `scores.${index}.${noteName}`,
  };
}

/**
 * The rows of a posted scoring or moderation form, in the order posted: one for each index that carries a
 * criterion id, stopping at the first gap (the page numbers them from 0).
 */
export function readScoreForm(form: URLSearchParams, noteName: NoteName): ScoreFormRow[] {
  const rows: ScoreFormRow[] = [];
  for (let index = 0; index < MAX_ROWS; index++) {
    const names = scoreFieldNames(index, noteName);
    const criterionId = form.get(names.criterionId);
    if (criterionId === null) break;
    rows.push({ criterionId, score: form.get(names.score) ?? '', note: form.get(names.note) ?? '' });
  }
  return rows;
}

/**
 * A radio's value as the JSON body's number: a whole number as typed ('3' → 3), nothing chosen as
 * undefined, and anything else as it came, so the JSON schema refuses it with its own message rather than
 * the page guessing a number.
 */
function scoreValue(raw: string): number | string | undefined {
  if (raw === '') return undefined;
  return /^\d{1,2}$/.test(raw) ? Number(raw) : raw;
}

/**
 * The JSON body of the form (`{ scores: [{ criterionId, score, justification | rationale }] }`), to be
 * checked by the JSON route's schema. Notes are kept exactly as typed, as an API client's would be.
 */
export function scoresBodyOf(rows: readonly ScoreFormRow[], noteName: NoteName): { scores: unknown[] } {
  return {
    scores: rows.map((row) => ({
      criterionId: row.criterionId,
      score: scoreValue(row.score),
      [noteName]: row.note,
    })),
  };
}

/**
 * What a person must fix before the form is worth sending, all at once: a criterion with no score chosen
 * and a blank note (the JSON schema would report only a missing score, and the use case a blank note only
 * once the scores are right, one after the other). Paths are the form's, as the schema's would be.
 */
export function requiredIssues(rows: readonly ScoreFormRow[], noteName: NoteName): FieldIssue[] {
  const issues: FieldIssue[] = [];
  rows.forEach((row, index) => {
    const names = scoreFieldNames(index, noteName);
    if (row.score === '') issues.push({ path: names.score, message: 'Select a score' });
    if (row.note.trim() === '')
      issues.push({
        path: names.note,
        message: noteName === 'justification' ? 'Write a justification' : 'Write a rationale',
      });
  });
  return issues;
}

/** Issues after the first for the same path are dropped: a field shows one message, the first found. */
export function firstPerPath(issues: readonly FieldIssue[]): FieldIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const path = issue.path ?? '';
    if (seen.has(path)) return false;
    seen.add(path);
    return true;
  });
}

/** The JSON schema's wording for a score that is not a whole number from 0 to 5 (or none at all). */
const GENERIC = /^(Invalid input|Expected|Too small|Too big)/;

/**
 * Issues reported against the posted rows (by the page, the JSON schema or the use case), made to fit the
 * form as it is shown again: re-indexed to where each criterion's fields are drawn (`criteria` order, which
 * the posted order normally is), named after the criterion ("Select a score for Social value"), and an
 * issue about the hidden criterion id shown on that criterion's score. Issues about the scores as a whole
 * (`scores`) are shown on the first criterion's score.
 */
export function issuesForForm(
  issues: readonly FieldIssue[],
  rows: readonly ScoreFormRow[],
  criteria: readonly FormCriterion[],
  noteName: NoteName,
): FieldIssue[] {
  const shown = issues.map((issue): FieldIssue => {
    const match = /^scores\.(\d+)\.(\w+)$/.exec(issue.path ?? '');
    if (!match) {
      return issue.path === 'scores' || issue.path === '' || issue.path === undefined
        ? { path: scoreFieldNames(0, noteName).score, message: issue.message }
        : issue;
    }
    const posted = rows[Number(match[1])];
    const at = criteria.findIndex((c) => c.id === posted?.criterionId);
    const criterion = at >= 0 ? criteria[at] : undefined;
    // A row the page did not draw (a forged or stale criterion id) is shown on the first criterion.
    const index = at >= 0 ? at : 0;
    const names = scoreFieldNames(index, noteName);
    const field = match[2] === noteName ? names.note : names.score;
    const message =
      match[2] === 'score' && GENERIC.test(issue.message)
        ? `Select a score from 0 to ${MAX_SCORE}`
        : issue.message;
    return {
      path: field,
      message: criterion
        ? `${message} for ${criterion.name}`
        : `${message} (${posted?.criterionId ?? 'unknown criterion'})`,
    };
  });
  // The error summary lists problems in the order of the fields: criterion by criterion, score first.
  const order = (issue: FieldIssue) => {
    const [, index, field] = /^scores\.(\d+)\.(\w+)$/.exec(issue.path ?? '') ?? [];
    return Number(index ?? 0) * 2 + (field === noteName ? 1 : 0);
  };
  return firstPerPath([...shown].sort((a, b) => order(a) - order(b)));
}

/**
 * The values to draw the form with, by criterion id: what was typed when the form comes back with errors,
 * otherwise the caller's earlier scores (an evaluator's own, the moderator's agreed ones), otherwise blank.
 */
export function formValues(
  criteria: readonly FormCriterion[],
  typed: readonly ScoreFormRow[] | undefined,
  earlier: readonly { criterionId: string; score: number; note: string }[],
): Record<string, { score: string; note: string }> {
  const values: Record<string, { score: string; note: string }> = Object.create(null);
  for (const criterion of criteria) {
    const fromTyped = typed?.find((row) => row.criterionId === criterion.id);
    const fromEarlier = earlier.find((s) => s.criterionId === criterion.id);
    values[criterion.id] = fromTyped
      ? { score: fromTyped.score, note: fromTyped.note }
      : fromEarlier
        ? { score: String(fromEarlier.score), note: fromEarlier.note }
        : { score: '', note: '' };
  }
  return values;
}
