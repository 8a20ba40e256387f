/**
 * Shared steps of the payment-by-results use cases (issue 18): loading a contract with the caller's relation
 * to it, the facts of the wall's connection rule for the commissioner's side, and the audit event each
 * change is written with.
 */
import type { AuditRepository, TransactItem } from '../../db/audit';
import { contractAuditScope } from '../../db/keys';
import type { PaymentByResultsRepository } from '../../db/payment-by-results';
import type { SubcontractingRepository } from '../../db/subcontracting';
import type { Contract } from '../../domain/contracts';
import { ContractWallError } from '../../domain/errors';
import { assertCanCommissionOutcomes, type ProviderRelation, requireUser } from '../../domain/policy';
import type { Principal, UserPrincipal } from '../../domain/principal';
import { everRegisteredIn } from '../../domain/subcontracting/supply-chain';
import { type ContractDeps, loadContractFor } from '../subcontracting/load-contract';

/** What the payment-by-results use cases need. */
export type OutcomeDeps = ContractDeps & {
  paymentByResults: PaymentByResultsRepository;
  subcontracting: Pick<SubcontractingRepository, 'supplyChain'>;
  audit: Pick<AuditRepository, 'append'>;
};

/** A contract and the caller's relation to it (their relation to the prime). */
export async function loadOutcomesContract(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
): Promise<{ contract: Contract; relation: ProviderRelation }> {
  return loadContractFor(deps, principal, contractId);
}

/**
 * Loads the contract for a commissioner's change and checks the caller may make it: a commissioner not
 * connected to the prime or any registered sub-contractor (current or former member of one).
 * @throws NotFoundError | ForbiddenError | EthicalWallError
 */
export async function loadForCommissioner(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
): Promise<{ contract: Contract; user: UserPrincipal }> {
  const user = requireUser(principal);
  const { contract, relation } = await loadContractFor(deps, principal, contractId);
  const [chain, affiliations] = await Promise.all([
    deps.subcontracting.supplyChain(contractId),
    deps.memberships.affiliationsOfUser(user.sub),
  ]);
  // The prime and every registered sub-contractor the chain has ever named: dropping one from the chain does
  // not undo the connection (as leaving an organisation does not).
  const connectedOrganisations = [contract.primeProviderId, ...everRegisteredIn(chain)];
  const callerOrganisations = [
    ...affiliations.current.map((m) => m.providerId),
    ...affiliations.former.map((m) => m.providerId),
  ];
  try {
    assertCanCommissionOutcomes(principal, relation, contractId, {
      connectedOrganisations,
      callerOrganisations,
    });
  } catch (error) {
    // A connected commissioner's attempt is recorded in the contract's audit chain and raises an alert for
    // admins, as attempts from outside a competition's wall do (DESIGN.md §3).
    if (error instanceof ContractWallError) {
      await deps.audit.append(
        contractAuditScope(contractId),
        {
          at: new Date().toISOString(),
          actor: user.sub,
          action: 'outcomes.commission',
          resource: `contract/${contractId}/payment-by-results`,
          outcome: 'denied',
          reason: '/problems/ethical-wall',
        },
        { alert: true },
      );
    }
    throw error;
  }
  return { contract, user };
}

/**
 * Writes `items` with the audit event that records them, in one transaction, in the contract's own audit
 * chain. `onRefused` turns refused domain items into a domain error.
 */
export async function writeAudited(
  deps: Pick<OutcomeDeps, 'audit'>,
  change: {
    contractId: string;
    actor: string;
    action: string;
    resource: string;
    at: Date;
    items: TransactItem[];
    onRefused?: (codes: string[]) => Error | undefined;
  },
): Promise<void> {
  await deps.audit.append(
    contractAuditScope(change.contractId),
    {
      at: change.at.toISOString(),
      actor: change.actor,
      action: change.action,
      resource: change.resource,
      outcome: 'allowed',
    },
    {
      items: change.items,
      ...(change.onRefused ? { onRefused: change.onRefused } : {}),
      // Every claim and decision moves the contract's claim counts (one shared item): take turns, as the
      // provider decisions and disputes do, rather than fail a burst of claims.
      conflictAttempts: 8,
    },
  );
}
