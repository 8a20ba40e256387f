/**
 * The pre-qualification pages' answers (pure): the steps (one per topic of the tier's questionnaire, then
 * the consortium, then check your answers), the answers of one topic as typed (yes/no as radios without
 * conditional reveals, amounts in pounds, texts), and how answers read back. Which questions an
 * accreditation answers is the domain's (`answeredByAccreditation`): those are shown, never asked.
 */
import type { FieldIssue } from '../../../domain/errors';
import {
  type Answer,
  MAX_TEXT_ANSWER,
  type Question,
  type Questionnaire,
} from '../../../domain/prequalification';
import { BID_LIMITS } from '../../../http/schemas/tenders';
import { pounds } from '../../labels';
import { parsePoundsToPence } from '../commissioning/new-competition-form';
import { DIRECTORY_REFERENCE_PROBLEM, directoryReference } from './directory-reference';

/** The draft kept with the session between pages (`sessions` table), for one competition. */
export interface ApplicationDraft {
  competitionId: string;
  providerId?: string | undefined;
  answers: Record<string, Answer>;
  consortium: { providerId: string; role: string }[];
  /** Set once sent: the response's reference and when. */
  submitted?: { reference: string; at: string } | undefined;
}

/** Fixed steps beside the questionnaire's topics. */
export const ORGANISATION_STEP = 'organisation';
export const CONSORTIUM_STEP = 'consortium';
export const CHECK_STEP = 'check';
export const CONFIRMATION_STEP = 'confirmation';

/** The most consortium members a response names (as many as a bid's consortium). */
export const MAX_MEMBERS = BID_LIMITS.consortium;

/** The steps in order: choosing the organisation (when the user owns several), each topic, consortium, check. */
export function steps(questionnaire: Questionnaire, chooseOrganisation: boolean): string[] {
  return [
    ...(chooseOrganisation ? [ORGANISATION_STEP] : []),
    ...questionnaire.sections.map((s) => s.id),
    CONSORTIUM_STEP,
    CHECK_STEP,
  ];
}

/** The question's text for a person: amounts are asked in pounds, not pence. */
export function questionText(question: Question): string {
  return question.text.replace(/ \(pence\)/, '');
}

/** Whether a number question is an amount of money (asked in pounds, kept in pence). */
export function isAmount(question: Question): boolean {
  return question.type === 'number' && question.id.endsWith('-pence');
}

/** An answer as a person reads it: Yes / No, pounds, or the text. */
export function answerText(question: Question, answer: Answer | undefined): string {
  if (answer === undefined) return 'Not answered';
  if (typeof answer === 'boolean') return answer ? 'Yes' : 'No';
  if (typeof answer === 'number') return isAmount(question) ? pounds(answer) : String(answer);
  return answer;
}

/** A question's form field name: its id (ids are made of letters, digits, dots and hyphens). */
export const fieldName = (question: Question) => question.id;

/**
 * The answers of one topic as typed, for the questions it asks (those an accreditation answers are not
 * asked, so not read): each required one answered, yes/no only yes or no, amounts in pounds, texts within
 * the API's limit. Returns the answers (as the API takes them) and the typed values to show again.
 */
export function parseTopic(
  questions: readonly Question[],
  form: URLSearchParams,
): { answers: Record<string, Answer>; typed: Record<string, string>; issues: FieldIssue[] } {
  const answers: Record<string, Answer> = {};
  const typed: Record<string, string> = {};
  const issues: FieldIssue[] = [];
  for (const question of questions) {
    const raw = (form.get(fieldName(question)) ?? '').replaceAll('\r\n', '\n').trim();
    typed[question.id] = raw;
    const path = question.id;
    if (raw === '') {
      if (question.required) {
        issues.push({
          path,
          message:
            question.type === 'boolean'
              ? `Select yes or no: ${questionText(question)}`
              : `Answer: ${questionText(question)}`,
        });
      }
      continue;
    }
    if (question.type === 'boolean') {
      if (raw !== 'yes' && raw !== 'no')
        issues.push({ path, message: `Select yes or no: ${questionText(question)}` });
      else answers[question.id] = raw === 'yes';
    } else if (question.type === 'number') {
      if (isAmount(question)) {
        const parsed = parsePoundsToPence(raw);
        if (parsed && 'error' in parsed) issues.push({ path, message: parsed.error });
        else if (parsed) answers[question.id] = parsed.value;
      } else if (!/^\d{1,15}$/.test(raw)) {
        issues.push({ path, message: 'Enter a whole number, like 12' });
      } else {
        answers[question.id] = Number(raw);
      }
    } else if (raw.length > MAX_TEXT_ANSWER) {
      issues.push({ path, message: `Your answer must be ${MAX_TEXT_ANSWER} characters or fewer` });
    } else {
      answers[question.id] = raw;
    }
  }
  return { answers, typed, issues };
}

/** The value to show again in a topic's field for a kept answer. */
export function typedValue(question: Question, answer: Answer | undefined): string {
  if (answer === undefined) return '';
  if (typeof answer === 'boolean') return answer ? 'yes' : 'no';
  if (typeof answer === 'number' && isAmount(question)) return (answer / 100).toFixed(2);
  return String(answer);
}

/** A consortium member as typed: its directory reference (or its Find a provider page's address) and role. */
export function parseMember(
  form: URLSearchParams,
  applicantId: string | undefined,
  members: readonly { providerId: string; role: string }[],
):
  | { member: { providerId: string; role: string } }
  | { issues: FieldIssue[]; typed: Record<string, string> } {
  // The reference, or the address of their page in Find a provider as pasted (the page shows no reference).
  const providerId = directoryReference(form.get('providerId') ?? '') ?? '';
  const role = (form.get('role') ?? '').trim();
  const issues: FieldIssue[] = [];
  if (members.length >= MAX_MEMBERS)
    issues.push({
      path: 'providerId',
      message: `A consortium can have at most ${MAX_MEMBERS} other members`,
    });
  if (providerId === '') {
    issues.push({ path: 'providerId', message: DIRECTORY_REFERENCE_PROBLEM });
  } else if (providerId === applicantId) {
    issues.push({
      path: 'providerId',
      message: 'Your own organisation is the applicant: name the other members',
    });
  } else if (members.some((m) => m.providerId === providerId)) {
    issues.push({ path: 'providerId', message: 'This organisation is already a member' });
  }
  if (role === '') issues.push({ path: 'role', message: 'Enter what they will do in the consortium' });
  else if (role.length > BID_LIMITS.role)
    issues.push({ path: 'role', message: `The role must be ${BID_LIMITS.role} characters or fewer` });
  return issues.length > 0
    ? { issues, typed: { providerId: form.get('providerId') ?? '', role } }
    : { member: { providerId, role } };
}
