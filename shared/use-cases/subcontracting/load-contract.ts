/**
 * Shared steps of the sub-contracting use cases: loading a contract with the caller's relation to it, and
 * the contract as every view shows it.
 */
import type { ContractRepository } from '../../db/contracts';
import type { MembershipRepository } from '../../db/memberships';
import type { Contract } from '../../domain/contracts';
import { NotFoundError } from '../../domain/errors';
import { type ProviderRelation, providerRelation } from '../../domain/policy';
import type { Principal } from '../../domain/principal';

/** What loading a contract needs. */
export interface ContractDeps {
  contracts: ContractRepository;
  memberships: MembershipRepository;
}

/**
 * Loads a contract and the caller's relation to it: their relation to its prime provider.
 * @throws NotFoundError when it does not exist.
 */
export async function loadContractFor(
  deps: ContractDeps,
  principal: Principal,
  contractId: string,
): Promise<{ contract: Contract; relation: ProviderRelation }> {
  const contract = await deps.contracts.get(contractId);
  if (!contract) throw new NotFoundError(`No contract ${contractId}.`);
  const membership =
    principal.kind === 'user'
      ? await deps.memberships.get(contract.primeProviderId, principal.sub)
      : undefined;
  return { contract, relation: providerRelation(principal, membership?.role) };
}

/** A contract as the API shows it: `competitionId` is null for contracts registered directly. */
export type ContractView = Omit<Contract, 'competitionId'> & { competitionId: string | null };

/** The API view of a contract. */
export function contractView(contract: Contract): ContractView {
  return {
    id: contract.id,
    title: contract.title,
    competitionId: contract.competitionId ?? null,
    primeProviderId: contract.primeProviderId,
    valuePence: contract.valuePence,
    startDate: contract.startDate,
    endDate: contract.endDate,
    regions: contract.regions,
    services: contract.services,
    subcontracting: contract.subcontracting,
    createdAt: contract.createdAt,
    createdBy: contract.createdBy,
  };
}
