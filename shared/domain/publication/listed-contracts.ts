/**
 * The contracts list of the transparency pages (issue 16, pure): every contract over £10,000, as the
 * transparency agenda asks commissioners to publish them (Contracts Finder's contract downloads), from
 * which `GET /transparency/contracts.csv` is read.
 *
 * A listed contract is written once, in the same transaction that creates the contract (the award's
 * confirmation, or a direct registration), beside the OCDS releases in the `publication` table, and never
 * changed: like a release, it is what was published when the contract was let. It is made only from public
 * facts – the contract's title, value, dates and regions (all in its `contract` release), and its
 * supplier's name, sector and size (what the public directory shows) – copied field by field, never spread,
 * so a field added to a contract or a provider later is not published by accident.
 */
import type { Contract } from '../contracts';
import type { Coverage } from '../reference-data';
import type { PublicOrganisation } from './projection';

/**
 * £10,000 in pence: a contract is listed when its value is over this, strictly (£10,000.00 is not listed,
 * £10,000.01 is), as the transparency agenda's "contracts over £10,000" reads.
 */
export const LISTING_THRESHOLD_PENCE = 1_000_000;

/** A contract as the transparency list publishes it. */
export interface ListedContract {
  contractId: string;
  title: string;
  /** The competition it was let through; absent for a contract registered directly. */
  competitionId?: string;
  supplier: PublicOrganisation;
  valuePence: number;
  /** ISO dates (YYYY-MM-DD), inclusive. */
  startDate: string;
  endDate: string;
  regions: Coverage[];
  /** When the contract was created in the service (the award's confirmation, or its registration). */
  listedAt: string;
}

/** Whether a contract of this value is listed. */
export function isListed(valuePence: number): boolean {
  return valuePence > LISTING_THRESHOLD_PENCE;
}

/**
 * The listing of a new contract, or undefined when its value is not over the threshold.
 * @param supplier the prime's public facts (`publicOrganisation`), as its releases name it
 */
export function listedContract(contract: Contract, supplier: PublicOrganisation): ListedContract | undefined {
  if (!isListed(contract.valuePence)) return undefined;
  const listed: ListedContract = {
    contractId: contract.id,
    title: contract.title,
    supplier: { id: supplier.id, name: supplier.name, sector: supplier.sector, size: supplier.size },
    valuePence: contract.valuePence,
    startDate: contract.startDate,
    endDate: contract.endDate,
    regions: [...contract.regions],
    listedAt: contract.createdAt,
  };
  if (contract.competitionId !== undefined) listed.competitionId = contract.competitionId;
  return listed;
}
