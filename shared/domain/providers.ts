/**
 * Provider rules (pure): registration numbers per legal form, coverage, the directory entries a verified
 * provider appears under, and the name order of the directory.
 */
import type { FieldIssue } from './errors';
import { normaliseCharityNumber, normaliseCompanyNumber } from './identifiers';
import {
  type Coverage,
  LEGAL_FORMS,
  type LegalForm,
  NATIONAL,
  type Sector,
  type Service,
  type Size,
} from './reference-data';

/** What a provider says about itself when registering or editing. */
export interface ProviderDetails {
  name: string;
  legalForm: LegalForm;
  charityNumber?: string | undefined;
  companyNumber?: string | undefined;
  sector: Sector;
  size: Size;
  regions: Coverage[];
  services: Service[];
  description?: string | undefined;
  contact: { name: string; email: string; phone?: string | undefined };
  website?: string | undefined;
}

/**
 * Verification status: `pending` waits for an admin (on registration, and again once the owners correct a
 * rejected registration), `verified` is listed in the directory, `rejected` is not (with a reason the
 * owners see; `shared/domain/provider-verification.ts`).
 */
export type ProviderStatus = 'pending' | 'verified' | 'rejected';

/** An admin's rejection of a registration: why, when and by whom. */
export interface ProviderRejection {
  reason: string;
  rejectedAt: string;
  rejectedBy: string;
}

/** A registered provider. */
export interface Provider extends ProviderDetails {
  id: string;
  status: ProviderStatus;
  createdAt: string;
  updatedAt: string;
  verifiedAt?: string | undefined;
  /** The latest rejection: current while `status` is `rejected`, kept as history after a resubmission. */
  rejection?: ProviderRejection | undefined;
  /** When the owners last sent a rejected registration back for verification (it waits from then). */
  resubmittedAt?: string | undefined;
  /** Optimistic-concurrency version, bumped by every write. */
  version: number;
}

/** The fields the public directory shows. */
export interface DirectoryListing {
  id: string;
  name: string;
  sector: Sector;
  size: Size;
  regions: Coverage[];
  services: Service[];
  description: string | null;
  website: string | null;
}

/** The wildcard used for "any region" and "any service" directory partitions. */
export const ANY = '*' as const;

/**
 * The most directory partitions one provider may appear in. Every edit rewrites the provider and its
 * entries in a single DynamoDB transaction (at most 100 items), so old plus new entries plus the profile and
 * registration-number items must fit: 2 × 47 + 6 ≤ 100.
 */
export const MAX_DIRECTORY_ENTRIES = 47;

/** One directory partition: a region (or national, or any) and a service (or any). */
export interface DirectoryPartition {
  region: Coverage | typeof ANY;
  service: Service | typeof ANY;
}

/**
 * The partitions a verified provider is listed under: each of its regions (or `national`) and "any
 * region", crossed with each of its services and "any service". A national provider is found under every
 * region because directory reads of a region also read the national partition.
 */
export function directoryPartitions(
  provider: Pick<ProviderDetails, 'regions' | 'services'>,
): DirectoryPartition[] {
  const regions: (Coverage | typeof ANY)[] = [ANY, ...provider.regions];
  const services: (Service | typeof ANY)[] = [ANY, ...provider.services];
  return regions.flatMap((region) => services.map((service) => ({ region, service })));
}

/**
 * The directory's sort key for a name: case, accents and punctuation ignored, so "the Bridge Trust" and
 * "The Bridge-Trust" sort together; the provider id breaks ties and keeps keys unique.
 */
export function directorySortKey(name: string, id: string): string {
  const folded = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  return `${folded}#${id}`;
}

/** The public directory fields of a provider. */
export function toDirectoryListing(provider: Provider): DirectoryListing {
  return {
    id: provider.id,
    name: provider.name,
    sector: provider.sector,
    size: provider.size,
    regions: provider.regions,
    services: provider.services,
    description: provider.description ?? null,
    website: provider.website ?? null,
  };
}

/**
 * The cross-field rules of registration, beyond the shape the HTTP schema checks: registration numbers
 * valid and present where the legal form needs them, coverage either national or named regions, no
 * repeats, and no more directory entries than one transaction can keep in step.
 * @returns every problem found (empty when the details are acceptable).
 */
export function providerRuleIssues(details: ProviderDetails): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (details.charityNumber !== undefined && normaliseCharityNumber(details.charityNumber) === undefined) {
    issues.push({
      path: 'charityNumber',
      message:
        'Enter a registered charity number: 6 to 8 digits (England and Wales), SC and 6 digits (Scotland) or NIC and 6 digits (Northern Ireland)',
    });
  }
  if (details.companyNumber !== undefined && normaliseCompanyNumber(details.companyNumber) === undefined) {
    issues.push({
      path: 'companyNumber',
      message: 'Enter a Companies House number: 8 digits, or 2 letters (such as SC, NI or OC) and 6 digits',
    });
  }
  const needs = LEGAL_FORMS[details.legalForm].needs;
  if ((needs === 'charity' || needs === 'both') && details.charityNumber === undefined) {
    issues.push({
      path: 'charityNumber',
      message: `A ${details.legalForm.replaceAll('_', ' ')} must give its charity number`,
    });
  }
  if ((needs === 'company' || needs === 'both') && details.companyNumber === undefined) {
    issues.push({
      path: 'companyNumber',
      message: `A ${details.legalForm.replaceAll('_', ' ')} must give its company number`,
    });
  }
  if (details.regions.includes(NATIONAL) && details.regions.length > 1) {
    issues.push({ path: 'regions', message: 'Choose national on its own, or the regions you work in' });
  }
  if (new Set(details.regions).size !== details.regions.length) {
    issues.push({ path: 'regions', message: 'Each region may be listed once' });
  }
  if (new Set(details.services).size !== details.services.length) {
    issues.push({ path: 'services', message: 'Each service may be listed once' });
  }
  const entries = (details.regions.length + 1) * (details.services.length + 1);
  if (details.regions.length > 0 && details.services.length > 0 && entries > MAX_DIRECTORY_ENTRIES) {
    issues.push({
      path: 'regions',
      message: `Too many regions for this many services (${details.regions.length} regions × ${details.services.length} services): choose national, or list fewer regions or services`,
    });
  }
  return issues;
}

/** Canonical registration numbers (assumes `providerRuleIssues` found none for them). */
export function canonicalNumbers(details: Pick<ProviderDetails, 'charityNumber' | 'companyNumber'>): {
  charityNumber: string | undefined;
  companyNumber: string | undefined;
} {
  return {
    charityNumber:
      details.charityNumber === undefined ? undefined : normaliseCharityNumber(details.charityNumber),
    companyNumber:
      details.companyNumber === undefined ? undefined : normaliseCompanyNumber(details.companyNumber),
  };
}
