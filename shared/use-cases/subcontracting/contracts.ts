/**
 * Contracts: `POST /contracts` (a commissioner registers a contract let before this service existed),
 * `GET /contracts/{id}`, `GET /contracts` (officials) and `GET /providers/{id}/contracts` (a prime's).
 * Contracts from confirmed awards are created by the tenders use case through the same repository.
 */
import { ulid } from 'ulid';
import type { DomainRules } from '../../config';
import type { ContractRepository } from '../../db/contracts';
import type { MembershipRepository } from '../../db/memberships';
import type { Page } from '../../db/pagination';
import type { ProviderRepository } from '../../db/providers';
import type { PublicationRepository } from '../../db/publication';
import type { Contract } from '../../domain/contracts';
import { type FieldIssue, ValidationError } from '../../domain/errors';
import {
  assertCanListContracts,
  assertCanReadContract,
  assertCanReadProvider,
  assertCanRegisterContract,
  requireUser,
} from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { listedContract } from '../../domain/publication/listed-contracts';
import { publicOrganisation } from '../../domain/publication/projection';
import { type ContractDraft, contractDraftIssues } from '../../domain/subcontracting/contract-drafts';
import { loadProviderFor } from '../providers';
import { type ContractDeps, type ContractView, contractView, loadContractFor } from './load-contract';

/**
 * Registers a contract directly. One over £10,000 is listed for the transparency CSV in the same
 * transaction (`shared/domain/publication/listed-contracts.ts`).
 */
export async function registerContract(
  deps: {
    contracts: ContractRepository;
    providers: ProviderRepository;
    publication: Pick<PublicationRepository, 'listedContractItems'>;
  },
  principal: Principal,
  draft: ContractDraft,
  now: Date,
  rules: Pick<DomainRules, 'defaultSubcontractingTargetPercent'>,
): Promise<ContractView> {
  const user = requireUser(principal);
  assertCanRegisterContract(principal);
  const issues: FieldIssue[] = contractDraftIssues(draft);
  const prime = await deps.providers.get(draft.primeProviderId);
  if (!prime) issues.push({ path: 'primeProviderId', message: 'No registered provider has this id' });
  else if (prime.status !== 'verified') {
    issues.push({ path: 'primeProviderId', message: 'The prime provider must be verified first' });
  }
  if (issues.length > 0) {
    throw new ValidationError(`The contract has ${issues.length} problem(s).`, issues);
  }
  const targets = draft.subcontracting;
  const contract: Contract = {
    id: ulid(now.getTime()),
    title: draft.title,
    primeProviderId: draft.primeProviderId,
    valuePence: draft.valuePence,
    startDate: draft.startDate,
    endDate: draft.endDate,
    regions: draft.regions,
    services: draft.services,
    subcontracting: {
      targetPercent: targets?.targetPercent ?? rules.defaultSubcontractingTargetPercent,
      ...(targets?.voluntarySectorTargetPercent !== undefined
        ? { voluntarySectorTargetPercent: targets.voluntarySectorTargetPercent }
        : {}),
    },
    createdAt: now.toISOString(),
    createdBy: user.sub,
  };
  // `prime` is verified here (the issues above), so it is the registry's current public facts.
  const listed = prime ? listedContract(contract, publicOrganisation(prime)) : undefined;
  await deps.contracts.create(contract, listed ? deps.publication.listedContractItems(listed) : []);
  return contractView(contract);
}

/** `GET /contracts/{id}`: the prime's members, commissioners and admins. */
export async function getContract(
  deps: ContractDeps,
  principal: Principal,
  contractId: string,
): Promise<ContractView> {
  const { contract, relation } = await loadContractFor(deps, principal, contractId);
  assertCanReadContract(relation, contractId);
  return contractView(contract);
}

/** `GET /contracts`: every contract, newest first, for commissioners, admins and auditors. */
export async function listContracts(
  deps: { contracts: ContractRepository },
  principal: Principal,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ContractView>> {
  assertCanListContracts(principal);
  const result = await deps.contracts.list(page);
  return { items: result.items.map(contractView), nextCursor: result.nextCursor };
}

/** `GET /providers/{id}/contracts`: contracts a provider is prime of, for its members and officials. */
export async function listContractsOfPrime(
  deps: { contracts: ContractRepository; providers: ProviderRepository; memberships: MembershipRepository },
  principal: Principal,
  providerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<ContractView>> {
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanReadProvider(relation, providerId);
  const result = await deps.contracts.listForPrime(providerId, page);
  return { items: result.items.map(contractView), nextCursor: result.nextCursor };
}
