/**
 * The repositories a handler needs, built once per process from the module-scope client and the
 * configured table names. Use cases receive repositories as arguments, so tests can pass their own.
 */
import { config } from '../config';
import { type AccreditationRepository, createAccreditationRepository } from './accreditations';
import { type AuditRepository, createAuditRepository } from './audit';
import { type BidRepository, createBidRepository } from './bids';
import { documentClient } from './client';
import { type CompetitionRepository, createCompetitionRepository } from './competitions';
import { type ContractRepository, createContractRepository } from './contracts';
import { createMembershipRepository, type MembershipRepository } from './memberships';
import { createNotificationRepository, type NotificationRepository } from './notifications';
import { createPrequalificationRepository, type PrequalificationRepository } from './prequalification';
import { createProviderRepository, type ProviderRepository } from './providers';
import { createSubcontractingRepository, type SubcontractingRepository } from './subcontracting';

/** Every repository. */
export interface Repositories {
  memberships: MembershipRepository;
  providers: ProviderRepository;
  accreditations: AccreditationRepository;
  notifications: NotificationRepository;
  competitions: CompetitionRepository;
  audit: AuditRepository;
  prequalification: PrequalificationRepository;
  bids: BidRepository;
  contracts: ContractRepository;
  subcontracting: SubcontractingRepository;
}

let cached: Repositories | undefined;

/** The process-wide repositories. */
export function repositories(): Repositories {
  if (cached) return cached;
  const client = documentClient();
  const { tables } = config();
  const registry = { client, tableName: tables.registry };
  cached = {
    memberships: createMembershipRepository(registry),
    providers: createProviderRepository(registry),
    accreditations: createAccreditationRepository(registry),
    notifications: createNotificationRepository(registry),
    competitions: createCompetitionRepository({
      client,
      procurementTable: tables.procurement,
      sealedTable: tables.sealed,
    }),
    audit: createAuditRepository({ client, tableName: tables.audit }),
    bids: createBidRepository({ client, sealedTable: tables.sealed, procurementTable: tables.procurement }),
    contracts: createContractRepository({ client, tableName: tables.procurement }),
    subcontracting: createSubcontractingRepository({ client, tableName: tables.subcontracting }),
    prequalification: createPrequalificationRepository({
      client,
      procurementTable: tables.procurement,
      sealedTable: tables.sealed,
    }),
  };
  return cached;
}
