/**
 * `PUT /contracts/{id}/supply-chain` (the prime's owners declare the sub-contractors, registered ones by
 * provider id) and `GET /contracts/{id}/supply-chain`.
 */
import type { ProviderRepository } from '../../db/providers';
import type { SubcontractingRepository } from '../../db/subcontracting';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { assertCanReadContract, assertPrimeOwner, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import {
  everRegisteredIn,
  type RegisteredProvider,
  resolveSupplyChain,
  type SubcontractorInput,
  type SupplyChain,
} from '../../domain/subcontracting/supply-chain';
import { type ContractDeps, loadContractFor } from './load-contract';

/** What the supply-chain use cases need. */
export type SupplyChainDeps = ContractDeps & {
  providers: ProviderRepository;
  subcontracting: SubcontractingRepository;
};

/** Declares (or replaces) a contract's supply chain. */
export async function putSupplyChain(
  deps: SupplyChainDeps,
  principal: Principal,
  contractId: string,
  input: { subcontractors: SubcontractorInput[] },
  now: Date,
): Promise<SupplyChain> {
  const user = requireUser(principal);
  const { contract, relation } = await loadContractFor(deps, principal, contractId);
  assertPrimeOwner(relation, contractId);
  const ids = input.subcontractors.flatMap((s) => (s.providerId ? [s.providerId] : []));
  const [providers, before] = await Promise.all([
    ids.length > 0 ? deps.providers.getMany(ids) : Promise.resolve([]),
    deps.subcontracting.supplyChain(contractId),
  ]);
  const registered = new Map<string, RegisteredProvider>(providers.map((p) => [p.id, p]));
  const { subcontractors, issues } = resolveSupplyChain(
    input.subcontractors,
    registered,
    contract.primeProviderId,
  );
  if (issues.length > 0) {
    throw new ValidationError(`The supply chain has ${issues.length} problem(s).`, issues);
  }
  const registeredNow = subcontractors.flatMap((s) => (s.providerId ? [s.providerId] : []));
  const chain: SupplyChain = {
    contractId,
    subcontractors,
    version: (before?.version ?? 0) + 1,
    updatedAt: now.toISOString(),
    updatedBy: user.sub,
    // Connections outlast the chain (the wall's rule): every registered provider it ever named.
    everRegistered: [...new Set([...everRegisteredIn(before), ...registeredNow])],
  };
  await deps.subcontracting.putSupplyChain(chain, before?.version);
  return shown(chain);
}

/** A chain as the API shows it: without the history of connections kept for the wall. */
function shown(chain: SupplyChain): SupplyChain {
  const { everRegistered: _kept, ...rest } = chain;
  return rest;
}

/** Reads a contract's supply chain: the prime's members, commissioners and admins. */
export async function getSupplyChain(
  deps: SupplyChainDeps,
  principal: Principal,
  contractId: string,
): Promise<SupplyChain> {
  const { relation } = await loadContractFor(deps, principal, contractId);
  assertCanReadContract(relation, contractId);
  const chain = await deps.subcontracting.supplyChain(contractId);
  if (!chain) throw new NotFoundError(`Contract ${contractId} has no supply chain declared yet.`);
  return shown(chain);
}
