/**
 * `GET /providers/{id}/subcontract-payments`: every line primes reported as paid to a registered
 * sub-contractor (in the latest version of each return), newest period first, for its own members.
 */
import type { MembershipRepository } from '../../db/memberships';
import type { Page } from '../../db/pagination';
import type { ProviderRepository } from '../../db/providers';
import type { SubcontractingRepository, SubcontractPayment } from '../../db/subcontracting';
import { assertCanReadSubcontractPayments } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadProviderFor } from '../providers';

/** One page of the payments reported to a provider. */
export async function listSubcontractPayments(
  deps: {
    providers: ProviderRepository;
    memberships: MembershipRepository;
    subcontracting: SubcontractingRepository;
  },
  principal: Principal,
  providerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<SubcontractPayment>> {
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanReadSubcontractPayments(relation, providerId);
  return deps.subcontracting.payments(providerId, page);
}
