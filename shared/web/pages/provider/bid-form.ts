/**
 * The bid pages' answers (pure): what one page of the bid changes in the draft, read from the form as
 * typed, with GOV.UK messages for what cannot reach the API as typed (a word where pounds belong). The
 * draft then goes through the JSON route's use case (`saveDraft`), which applies the domain's rules, so
 * every problem the API would report is shown against its field here too.
 */
import type { BidContent, NamedSubcontractor } from '../../../domain/bids';
import type { Criterion } from '../../../domain/competitions';
import type { FieldIssue } from '../../../domain/errors';
import { SERVICES, type Service } from '../../../domain/reference-data';
import { BID_LIMITS } from '../../../http/schemas/tenders';
import { parsePercent, parsePoundsToPence } from '../commissioning/new-competition-form';
import { DIRECTORY_REFERENCE_PROBLEM, directoryReference } from './directory-reference';

/** An empty draft: what the first page of a bid starts from. */
export const EMPTY_BID: BidContent = {
  pricePence: 0,
  qualityResponses: {},
  subcontractors: [],
  consortium: [],
};

/** A limit as the pages state it: "5,000" (GOV.UK style writes numbers over 999 with commas). */
export function limitText(limit: number): string {
  return limit.toLocaleString('en-GB');
}

/** The quality criteria, in the competition's order: one page each. */
export function qualityCriteria(criteria: readonly Criterion[]): Criterion[] {
  return criteria.filter((c) => c.kind === 'quality');
}

/** Where "Continue" goes after a task: the next quality criterion, then price, sub-contractors, check. */
export function nextTask(criteria: readonly Criterion[], current: string): string {
  const quality = qualityCriteria(criteria).map((c) => `quality/${encodeURIComponent(c.id)}`);
  const order = [...quality, 'price', 'subcontractors', 'check'];
  const at = order.indexOf(current);
  return order[at + 1] ?? 'check';
}

/** The answer to one quality criterion, as typed: kept whole (blank clears it), within the API's limit. */
export function qualityAnswerIssues(answer: string): FieldIssue[] {
  return answer.length > BID_LIMITS.qualityResponse
    ? [
        {
          path: 'answer',
          message: `Your answer must be ${limitText(BID_LIMITS.qualityResponse)} characters or fewer`,
        },
      ]
    : [];
}

/** The price as typed: blank leaves it unset (a draft may have none yet); otherwise pounds above zero. */
export function parsePrice(raw: string | undefined): { pence: number } | { issue: FieldIssue } {
  const parsed = parsePoundsToPence(raw);
  if (parsed === undefined) return { pence: 0 };
  if ('error' in parsed) return { issue: { path: 'price', message: parsed.error } };
  if (parsed.value <= 0) return { issue: { path: 'price', message: 'Your price must be more than £0' } };
  return { pence: parsed.value };
}

/** The sub-contractor being added, as typed. */
export interface SubcontractorForm {
  name: string;
  providerId: string;
  services: string[];
  share: string;
}

/** Whether anything was typed into the "add a sub-contractor" fields. */
export function subcontractorTyped(form: SubcontractorForm): boolean {
  return form.name !== '' || form.providerId !== '' || form.services.length > 0 || form.share !== '';
}

/** A sub-contractor from the "add" fields, or the problems with them (each against its field). */
export function parseSubcontractor(
  form: SubcontractorForm,
  existing: readonly NamedSubcontractor[],
): { subcontractor: NamedSubcontractor } | { issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  if (existing.length >= BID_LIMITS.subcontractors) {
    issues.push({
      path: 'name',
      message: `You can name at most ${limitText(BID_LIMITS.subcontractors)} sub-contractors`,
    });
  }
  if (form.name === '') issues.push({ path: 'name', message: 'Enter the sub-contractor’s name' });
  else if (form.name.length > BID_LIMITS.subcontractorName)
    issues.push({
      path: 'name',
      message: `The name must be ${limitText(BID_LIMITS.subcontractorName)} characters or fewer`,
    });
  // The reference, or the address of their page in Find a provider as pasted (the page shows no reference).
  const providerId = directoryReference(form.providerId) ?? '';
  if (providerId === '' && form.providerId.trim() !== '')
    issues.push({ path: 'providerId', message: DIRECTORY_REFERENCE_PROBLEM });
  const services = form.services.filter((s): s is Service => (SERVICES as readonly string[]).includes(s));
  if (services.length === 0 || services.length !== form.services.length)
    issues.push({ path: 'services', message: 'Select the services they will deliver' });
  const share = parsePercent(form.share, 'Their share');
  if (share === undefined)
    issues.push({ path: 'share', message: 'Enter their share of the contract as a percentage, like 10' });
  else if ('error' in share) issues.push({ path: 'share', message: share.error });
  else if (share.value > 100)
    issues.push({
      path: 'share',
      message: 'Their share must be a percentage from 0 to 100, like 10 or 12.5',
    });
  if (issues.length > 0 || share === undefined || 'error' in share) return { issues };
  return {
    subcontractor: {
      ...(providerId ? { providerId } : {}),
      name: form.name,
      services,
      sharePercent: share.value,
    },
  };
}

/** The tasks still to do before a bid can be checked and submitted. */
export function incompleteTasks(content: BidContent, criteria: readonly Criterion[]): string[] {
  const missing = qualityCriteria(criteria)
    .filter((c) => !(content.qualityResponses[c.id] ?? '').trim())
    .map((c) => c.name);
  if (!(content.pricePence > 0)) missing.push('Price');
  return missing;
}
