/**
 * The rules of a contract registered directly (one let before this service existed), beyond its shape.
 */
import type { FieldIssue } from '../errors';
import { type Coverage, NATIONAL, type Service } from '../reference-data';
import { isIsoDate } from './dates';

/** What a commissioner gives to register a contract let before this service existed. */
export interface ContractDraft {
  title: string;
  primeProviderId: string;
  valuePence: number;
  startDate: string;
  endDate: string;
  regions: Coverage[];
  services: Service[];
  subcontracting?: { targetPercent: number; voluntarySectorTargetPercent?: number | undefined } | undefined;
}

/** Cross-field rules of a contract draft beyond its shape. */
export function contractDraftIssues(draft: ContractDraft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(draft.startDate)) issues.push({ path: 'startDate', message: 'Use a date like 2026-04-01' });
  if (!isIsoDate(draft.endDate)) issues.push({ path: 'endDate', message: 'Use a date like 2029-03-31' });
  if (isIsoDate(draft.startDate) && isIsoDate(draft.endDate) && draft.endDate < draft.startDate) {
    issues.push({ path: 'endDate', message: 'Must be on or after the start date' });
  }
  if (draft.regions.includes(NATIONAL) && draft.regions.length > 1) {
    issues.push({ path: 'regions', message: 'Choose national on its own, or the regions it covers' });
  }
  if (new Set(draft.regions).size !== draft.regions.length) {
    issues.push({ path: 'regions', message: 'Each region may be listed once' });
  }
  if (new Set(draft.services).size !== draft.services.length) {
    issues.push({ path: 'services', message: 'Each service may be listed once' });
  }
  return issues;
}
