/**
 * Contracts (pure types and rules): let through a confirmed award, or registered directly for contracts let
 * before this service existed. The sub-contracting capability (supply chains, spend returns, figures)
 * builds on them.
 */
import type { Coverage, Service } from './reference-data';

/** Sub-contracting targets of a contract. */
export interface SubcontractingTargets {
  /** Share of contract value to be sub-contracted (default 10). */
  targetPercent: number;
  /** Share of sub-contracted spend to reach voluntary-sector organisations, if set. */
  voluntarySectorTargetPercent?: number | undefined;
}

/** A contract. */
export interface Contract {
  id: string;
  title: string;
  /** The competition it came from; absent for contracts registered directly. */
  competitionId?: string | undefined;
  primeProviderId: string;
  valuePence: number;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  startDate: string;
  endDate: string;
  regions: Coverage[];
  services: Service[];
  subcontracting: SubcontractingTargets;
  createdAt: string;
  createdBy: string;
}
