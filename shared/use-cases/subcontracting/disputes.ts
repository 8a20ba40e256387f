/**
 * Disputes: a registered sub-contractor's members dispute a line a prime reported as paid to it
 * (`POST /contracts/{id}/spend-returns/{period}/lines/{lineId}/disputes`); the prime's members,
 * commissioners and admins see them on the return and list them (`GET /contracts/{id}/disputes`).
 *
 * A line has at most one open dispute: the repository writes the line's open-dispute marker in the
 * dispute's own transaction, conditioned on its absence, so of two disputes of one line sent at once
 * exactly one is stored and the other is refused (409 `/problems/conflict`).
 */
import { ulid } from 'ulid';
import type { ContractRepository } from '../../db/contracts';
import type { MembershipRepository } from '../../db/memberships';
import type { OutboxRepository } from '../../db/outbox';
import type { Page } from '../../db/pagination';
import type { ProviderRepository } from '../../db/providers';
import {
  type Dispute,
  type OpenDispute,
  openDisputeKey,
  type SubcontractingRepository,
} from '../../db/subcontracting';
import type { Contract } from '../../domain/contracts';
import { ConflictError, NotFoundError } from '../../domain/errors';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import { assertCanDisputeLine, assertCanReadContract, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import type { SpendLine } from '../../domain/subcontracting/lines';
import { type ContractDeps, loadContractFor } from './load-contract';

/** What finding a disputable line needs. */
type LineDeps = {
  contracts: ContractRepository;
  memberships: MembershipRepository;
  subcontracting: SubcontractingRepository;
};

/** A line of a period's latest return as the sub-contractor it was paid to may dispute it. */
export interface DisputableLine {
  contract: Contract;
  period: string;
  /** The version of the return the line is in. */
  version: number;
  /** The caller's organisation the line was paid to. */
  providerId: string;
  line: SpendLine;
  /** The line's open dispute, if it has one. */
  openDispute: OpenDispute | undefined;
}

/**
 * Finds a line of the latest version of a period's return paid to one of the caller's organisations.
 * @throws NotFoundError when there is no such line (or it was paid to someone else: not told apart).
 */
async function findDisputableLine(
  deps: LineDeps,
  principal: Principal,
  target: { contractId: string; period: string; lineId: string },
): Promise<DisputableLine> {
  const user = requireUser(principal);
  const { contractId, period, lineId } = target;
  const notFound = () => new NotFoundError(`No line ${lineId} reported as paid to your organisation.`);
  const [contract, memberships] = await Promise.all([
    deps.contracts.get(contractId),
    deps.memberships.listForUser(user.sub),
  ]);
  const organisations = memberships.map((m) => m.providerId);
  if (!contract || organisations.length === 0) throw notFound();
  const paid = await deps.subcontracting.paidLines(contractId, period, organisations);
  const withLine = paid.filter((p) => p.lines.some((line) => line.lineId === lineId));
  const providerId = assertCanDisputeLine(
    withLine.map((p) => p.providerId),
    organisations,
    lineId,
  );
  const found = withLine.find((p) => p.providerId === providerId);
  const line = found?.lines.find((l) => l.lineId === lineId);
  if (!found || !line) throw notFound();
  const open = await deps.subcontracting.openDisputes([target]);
  return {
    contract,
    period,
    version: found.version,
    providerId,
    line,
    openDispute: open.get(openDisputeKey(target)),
  };
}

/** A disputable line with what the dispute form shows: the contract and its prime's name. */
export type DisputeFormView = DisputableLine & { primeName: string };

/** What the dispute form shows of a line (the same checks as disputing it). */
export async function getDisputableLine(
  deps: LineDeps & { providers: ProviderRepository },
  principal: Principal,
  target: { contractId: string; period: string; lineId: string },
): Promise<DisputeFormView> {
  const found = await findDisputableLine(deps, principal, target);
  const prime = await deps.providers.get(found.contract.primeProviderId);
  return { ...found, primeName: prime?.name ?? 'the prime provider' };
}

/**
 * The outbox event of a new dispute: an e-mail to the owners of the contract's prime, naming the contract
 * and the return's period, and nothing of the line, the sub-contractor or its reasons (the contract's page
 * shows the prime's members those, behind the sign-in).
 */
export function disputeRaisedEvent(
  contract: Pick<Contract, 'id' | 'title' | 'primeProviderId'>,
  dispute: Pick<Dispute, 'period' | 'raisedAt'>,
): OutboxEvent {
  return {
    id: ulid(Date.parse(dispute.raisedAt)),
    kind: 'dispute-raised',
    createdAt: dispute.raisedAt,
    audience: { type: 'owners', providerIds: [contract.primeProviderId] },
    message: {
      subject: subjectLine(`A payment is disputed: ${contract.title}`),
      paragraphs: [
        `A sub-contractor disputed a payment in your ${dispute.period} spend return for ${contract.title}.`,
        'Sign in to read the dispute, and check the payment with the sub-contractor.',
      ],
      action: { text: 'Read the contract', path: `/your-contracts/${contract.id}` },
    },
  };
}

/**
 * Disputes a line of the latest version of a period's return; the prime's owners are told in the same
 * transaction (`disputeRaisedEvent`).
 * @throws ConflictError when the line already has an open dispute (also under races: see the module).
 */
export async function disputeLine(
  deps: LineDeps & { outbox: Pick<OutboxRepository, 'eventItems'> },
  principal: Principal,
  target: { contractId: string; period: string; lineId: string },
  reason: string,
  now: Date,
): Promise<Dispute> {
  const user = requireUser(principal);
  const found = await findDisputableLine(deps, principal, target);
  if (found.openDispute) {
    throw new ConflictError(
      `Invoice ${found.line.invoiceRef} in the ${target.period} return is already disputed (since ${found.openDispute.raisedAt.slice(0, 10)}); the prime provider and the commissioners have that dispute.`,
    );
  }
  const dispute: Dispute = {
    id: ulid(now.getTime()),
    contractId: target.contractId,
    period: target.period,
    lineId: target.lineId,
    version: found.version,
    providerId: found.providerId,
    reason,
    raisedBy: user.sub,
    raisedAt: now.toISOString(),
    status: 'open',
    line: found.line,
  };
  // The prime's owners are told in the dispute's own transaction.
  await deps.subcontracting.addDispute(
    dispute,
    deps.outbox.eventItems(disputeRaisedEvent(found.contract, dispute)),
  );
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
