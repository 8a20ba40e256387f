/**
 * Pseudonymous participant references (pure). A proxy-outcome claim names its participants only by a
 * reference the provider keeps in its own records; the service never holds personal data about offenders
 * (DESIGN.md §3b). This module refuses anything that looks like personal data typed by mistake.
 *
 * The rule: after trimming surrounding spaces, a reference is
 * 1. 3 to 40 characters of letters, digits, hyphens and underscores – so no spaces (a full name), no `@`
 *    (an e-mail address), no `/` or `.` (a police number or a date as usually written);
 * 2. with at least one digit – so no single word (a forename or surname);
 * 3. with no run of four or more letters that includes a letter from g to z – such a run reads as a word,
 *    most often a name (`Smith1`, `jones-42`); runs of hexadecimal letters (a–f) are allowed, so UUIDs and
 *    hashes, the best references, pass;
 * 4. unless it is a UUID (`8-4-4-4-12` hexadecimal digits, random by construction), that contains no part
 *    shaped like
 *    - a date (of birth): `1990-05-12`, `19900512`, `12-05-1990`, `12051990`, `12-5-90`, `12may1990`;
 *    - a Police National Computer number: a 2- or 4-digit year, a serial of up to 7 digits and a check
 *      letter (`12/123456A`, `2012/0123456A`, also with `-`, `_` or no separator);
 *    - a prison number: a letter, 4 digits, 2 letters (`A1234BC`);
 *    - a National Insurance number: 2 letters, 6 digits, optionally a letter A–D (`QQ123456C`).
 *    A "part" is the whole reference, the reference with its separators removed, or up to five neighbouring
 *    runs between hyphens or underscores – so neither spacing a shape out nor wrapping it in a longer
 *    reference (`REF-A1234BC`) hides it. Spaces, dots and slashes are read as separators for this check
 *    (and refused anyway by rule 1).
 *
 * This is a guard against mistakes, not a guarantee of anonymity: the provider must key its references
 * (for example a random UUID, or its case number with a prefix such as `PRV-004217`). Some harmless
 * references are refused as a consequence (`CASE-0001` reads as a word); the message says why and how to
 * choose another. A refusal never repeats the value, since it may be personal data and problems are logged.
 */
import { type FieldIssue, ValidationError } from '../errors';
import { isIsoDate } from '../subcontracting/dates';

/** The shortest reference. */
export const MIN_PARTICIPANT_REF_LENGTH = 3;
/** The longest reference (a UUID is 36). */
export const MAX_PARTICIPANT_REF_LENGTH = 40;

/** A reference that passed `parseParticipantRef`. */
export type ParticipantRef = string & { readonly brand: 'ParticipantRef' };

/**
 * A participant reference was refused: a validation problem on `path`, whose message says what the value
 * looked like and never repeats it.
 */
export class InvalidParticipantRefError extends ValidationError {
  constructor(message: string, path = 'ref') {
    super('The participant reference was refused', [{ path, message } satisfies FieldIssue]);
  }
}

const ALLOWED = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORDLIKE_RUN = /[A-Za-z]{4,}/g;
const NON_HEX_LETTER = /[g-z]/i;
const MONTHS = 'jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec';

const SHAPE_ADVICE = 'Use the reference your organisation keeps for the participant (for example PRV-004217)';

/** A digit run read as a date: year, month and day strings, checked as a real calendar date. */
function realDate(year: string, month: string, day: string): boolean {
  const fullYear = year.length === 2 ? `19${year}` : year; // any century: only validity matters here
  return isIsoDate(`${fullYear}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`);
}

function plausibleYear(year: string): boolean {
  return /^(19|20)\d{2}$/.test(year);
}

/** True when the part contains something shaped like a date. */
function looksLikeDate(part: string): boolean {
  const sep = '[-_]?';
  for (const m of part.matchAll(new RegExp(`(?<!\\d)(\\d{4})${sep}(\\d{2})${sep}(\\d{2})(?!\\d)`, 'g'))) {
    const [, y = '', mo = '', d = ''] = m;
    if (plausibleYear(y) && realDate(y, mo, d)) return true;
  }
  for (const m of part.matchAll(new RegExp(`(?<!\\d)(\\d{2})${sep}(\\d{2})${sep}(\\d{4})(?!\\d)`, 'g'))) {
    const [, a = '', b = '', y = ''] = m;
    // Day first (British) or month first (American): either is a date of birth typed in.
    if (plausibleYear(y) && (realDate(y, b, a) || realDate(y, a, b))) return true;
  }
  for (const m of part.matchAll(/(?<!\d)(\d{1,2})[-_](\d{1,2})[-_](\d{2})(?!\d)/g)) {
    const [, a = '', b = '', y = ''] = m;
    if (realDate(y, b, a) || realDate(y, a, b)) return true;
  }
  return new RegExp(`(?<!\\d)\\d{1,2}[-_]?(?:${MONTHS})[a-z]*[-_]?(?:\\d{4}|\\d{2})(?!\\d)`, 'i').test(part);
}

/** Shapes of UK identifiers, tested on a whole part (anchored), letters in either case. */
const PNC_SEPARATED = /^(?:\d{2}|(?:19|20)\d{2})[-_/]\d{1,7}[-_]?[a-z]$/i;
const PNC_COMPACT = /^\d{6,11}[a-z]$/i;
const PRISON_NUMBER = /^[a-z][-_]?\d{4}[-_]?[a-z]{2}$/i;
const NI_NUMBER = /^[a-z]{2}[-_]?\d{2}[-_]?\d{2}[-_]?\d{2}[-_]?[a-d]?$/i;

/**
 * The parts a reference is checked as: the whole of it, the whole without separators, and every run of one
 * to five neighbouring runs between separators (a shape spaced out, like `QQ 12 34 56 C`, or inside a longer
 * reference, like `REF-A1234BC`). The shapes allow a separator between their groups, so the runs are
 * rejoined with one; joining them with none would read shapes into UUIDs (`…-1234-567a-…`).
 */
function partsOf(value: string): string[] {
  const runs = value.split(/[-_/]+/).filter((run) => run.length > 0);
  const parts = new Set<string>([value, value.replace(/[-_/]/g, '')]);
  for (let width = 1; width <= 5; width += 1) {
    for (let i = 0; i + width <= runs.length; i += 1) parts.add(runs.slice(i, i + width).join('-'));
  }
  return [...parts];
}

/**
 * Why a reference is refused (see the module comment), in words that never repeat it; undefined when it is
 * acceptable.
 */
export function participantRefProblem(raw: string): string | undefined {
  if (typeof raw !== 'string') return 'Enter the participant’s reference';
  const value = raw.trim();
  if (value.length === 0) return 'Enter the participant’s reference';
  // Long input is refused before any shape is looked for: the checks below stay cheap whatever is sent.
  if (value.length > 4 * MAX_PARTICIPANT_REF_LENGTH) {
    return `Use ${MIN_PARTICIPANT_REF_LENGTH} to ${MAX_PARTICIPANT_REF_LENGTH} characters`;
  }
  if (value.includes('@')) {
    return `This looks like an e-mail address. Never enter personal details: ${SHAPE_ADVICE}`;
  }
  // A UUID is random by construction: its digit runs only resemble the shapes below by chance (about 4 in
  // 100 would otherwise be refused, `ab123456-…` reading as a National Insurance number).
  if (UUID.test(value)) return undefined;
  // Shapes first, on the value with spaces, dots and slashes read as separators, so the message names the
  // identifier typed rather than the character that happens to be refused.
  const spaced = value.replace(/[\s./\\]+/g, '-');
  const parts = partsOf(spaced);
  if (parts.some((part) => NI_NUMBER.test(part))) {
    return `This looks like a National Insurance number. Never enter personal details: ${SHAPE_ADVICE}`;
  }
  if (parts.some((part) => PRISON_NUMBER.test(part))) {
    return `This looks like a prison number. Never enter police or prison numbers: ${SHAPE_ADVICE}`;
  }
  if (parts.some((part) => PNC_SEPARATED.test(part) || PNC_COMPACT.test(part))) {
    return `This looks like a Police National Computer number. Never enter police or prison numbers: ${SHAPE_ADVICE}`;
  }
  if (looksLikeDate(spaced)) {
    return `This looks like a date, such as a date of birth. Never enter personal details: ${SHAPE_ADVICE}`;
  }
  if ([...spaced.matchAll(WORDLIKE_RUN)].some(([run]) => NON_HEX_LETTER.test(run))) {
    return `This looks like a name or a word. Never enter names; use at most three letters in a row (a UUID's a–f runs are fine): ${SHAPE_ADVICE}`;
  }
  if (!ALLOWED.test(value)) {
    return 'Use only letters, digits, hyphens (-) and underscores (_)';
  }
  if (value.length < MIN_PARTICIPANT_REF_LENGTH || value.length > MAX_PARTICIPANT_REF_LENGTH) {
    return `Use ${MIN_PARTICIPANT_REF_LENGTH} to ${MAX_PARTICIPANT_REF_LENGTH} characters`;
  }
  if (!/\d/.test(value)) {
    return `Include at least one digit: a reference of letters alone could be a name. ${SHAPE_ADVICE}`;
  }
  return undefined;
}

/**
 * The reference, trimmed and checked.
 * @throws InvalidParticipantRefError (on `path`) when it is refused.
 */
export function parseParticipantRef(raw: string, path = 'ref'): ParticipantRef {
  const problem = participantRefProblem(raw);
  if (problem) throw new InvalidParticipantRefError(problem, path);
  return raw.trim() as ParticipantRef;
}

/**
 * The key under which a reference is unique within an outcome: its letters and digits alone, upper-cased, so
 * `prv-1a`, `PRV_1A`, `PRV1A` and `-PRV--1A-` are the same participant (the same participant cannot be
 * claimed twice for the same outcome by changing the case or the separators of their reference).
 */
export function participantRefKey(ref: ParticipantRef): string {
  return ref.replace(/[-_]/g, '').toUpperCase();
}

/**
 * Why a participant's free-text note is refused, or undefined: a note is for the evidence ("tenancy signed,
 * copy on file"), never personal details, so an e-mail address or anything shaped like a National Insurance,
 * prison or Police National Computer number is refused, with a message that never repeats it. Dates are
 * allowed here (evidence has dates); names cannot be told from words, so the form's guidance asks for none.
 */
export function noteProblem(note: string): string | undefined {
  if (/\S@\S/.test(note))
    return 'This looks like it holds an e-mail address. Never enter personal details in a note';
  const spaced = note.replace(/[\s./\\,;:()[\]'"]+/g, '-');
  const parts = partsOf(spaced);
  if (parts.some((part) => NI_NUMBER.test(part))) {
    return 'This looks like it holds a National Insurance number. Never enter personal details in a note';
  }
  if (parts.some((part) => PRISON_NUMBER.test(part))) {
    return 'This looks like it holds a prison number. Never enter police or prison numbers in a note';
  }
  if (parts.some((part) => PNC_SEPARATED.test(part) || PNC_COMPACT.test(part))) {
    return 'This looks like it holds a Police National Computer number. Never enter police or prison numbers in a note';
  }
  return undefined;
}
