/**
 * Disputes: a registered sub-contractor's members dispute a line a prime reported as paid to it
 * (`POST /contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes`); the prime's members,
 * commissioners and admins see them on the return and list them (`GET /contracts/{id}/disputes`).
 */
import { ulid } from 'ulid';
import type { ContractRepository } from '../../db/contracts';
import type { MembershipRepository } from '../../db/memberships';
import type { Page } from '../../db/pagination';
import type { Dispute, SubcontractingRepository } from '../../db/subcontracting';
import { NotFoundError } from '../../domain/errors';
import { assertCanDisputeLine, assertCanReadContract, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { type ContractDeps, loadContractFor } from './load-contract';

/** Disputes a line of the latest version of a period's return. */
export async function disputeLine(
  deps: {
    contracts: ContractRepository;
    memberships: MembershipRepository;
    subcontracting: SubcontractingRepository;
  },
  principal: Principal,
  target: { contractId: string; period: string; lineId: string },
  reason: string,
  now: Date,
): Promise<Dispute> {
  const user = requireUser(principal);
  const { contractId, period, lineId } = target;
  const [contract, memberships] = await Promise.all([
    deps.contracts.get(contractId),
    deps.memberships.listForUser(user.sub),
  ]);
  const organisations = memberships.map((m) => m.providerId);
  if (!contract || organisations.length === 0) {
    throw new NotFoundError(`No line ${lineId} reported as paid to your organisation.`);
  }
  const paid = await deps.subcontracting.paidLines(contractId, period, organisations);
  const withLine = paid.filter((p) => p.lines.some((line) => line.lineId === lineId));
  const providerId = assertCanDisputeLine(
    withLine.map((p) => p.providerId),
    organisations,
    lineId,
  );
  const found = withLine.find((p) => p.providerId === providerId);
  const line = found?.lines.find((l) => l.lineId === lineId);
  if (!found || !line) throw new NotFoundError(`No line ${lineId} reported as paid to your organisation.`);
  const dispute: Dispute = {
    id: ulid(now.getTime()),
    contractId,
    period,
    lineId,
    version: found.version,
    providerId,
    reason,
    raisedBy: user.sub,
    raisedAt: now.toISOString(),
    status: 'open',
    line,
  };
  await deps.subcontracting.addDispute(dispute);
  return dispute;
}

/** A contract's disputes, by period and line. */
export async function listDisputes(
  deps: ContractDeps & { subcontracting: SubcontractingRepository },
  principal: Principal,
  contractId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Page<Dispute>> {
  const { relation } = await loadContractFor(deps, principal, contractId);
  assertCanReadContract(relation, contractId);
  return deps.subcontracting.disputes(contractId, page);
}
