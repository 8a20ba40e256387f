/**
 * `GET /providers/{id}/subcontract-payments`: every line primes reported as paid to a registered
 * sub-contractor (in the latest version of each return), newest period first, for its own members, each
 * with its open dispute if it has one (one BatchGet of the page's lines), so a line already disputed is
 * shown as such rather than offered for a second dispute.
 */
import type { MembershipRepository } from '../../db/memberships';
import type { Page } from '../../db/pagination';
import type { ProviderRepository } from '../../db/providers';
import {
  openDisputeKey,
  type SubcontractingRepository,
  type SubcontractPayment,
} from '../../db/subcontracting';
import { assertCanReadSubcontractPayments } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { loadProviderFor } from '../providers';

/** A payment line with its open dispute, if any. */
export type PaymentView = SubcontractPayment & {
  dispute: { id: string; raisedAt: string } | null;
};

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
): Promise<Page<PaymentView>> {
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanReadSubcontractPayments(relation, providerId);
  const payments = await deps.subcontracting.payments(providerId, page);
  const open = payments.items.length > 0 ? await deps.subcontracting.openDisputes(payments.items) : new Map();
  return {
    items: payments.items.map((payment) => {
      const dispute = open.get(openDisputeKey(payment));
      return { ...payment, dispute: dispute ? { id: dispute.disputeId, raisedAt: dispute.raisedAt } : null };
    }),
    nextCursor: payments.nextCursor,
  };
}
