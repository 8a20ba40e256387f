/**
 * The shares of outcome payments a prime passes on to its registered sub-contractors (issue 18):
 * - `PUT /contracts/{id}/outcome-shares` (the prime's owners): a new version of the whole set, audited in
 *   the contract's chain in the same transaction;
 * - `GET /contracts/{id}/outcome-shares` (the prime's members and commissioners): the set, each share with
 *   what it comes to to date;
 * - the sub-contractor's payments page (its own members): its shares in every contract, one Query, each with
 *   what it comes to to date (`shares.ts` in the domain has the arithmetic).
 */

import type { MembershipRepository } from '../../db/memberships';
import type { OutcomeShareRepository, OutcomeShareSet, StoredOutcomeShare } from '../../db/outcome-shares';
import type { Page } from '../../db/pagination';
import type { PaymentByResultsRepository, StoredMechanism } from '../../db/payment-by-results';
import type { ProviderRepository } from '../../db/providers';
import type { Contract } from '../../domain/contracts';
import { ConflictError, InvalidStateError } from '../../domain/errors';
import { mechanismFor } from '../../domain/payment-by-results/mechanism';
import {
  type OutcomePayments,
  type OutcomeShareInput,
  outcomePayments,
  parseOutcomeShares,
  REOFFENDING,
  shareAmountPence,
  shareableOutcomes,
} from '../../domain/payment-by-results/shares';
import {
  assertCanReadOutcomes,
  assertCanReadSubcontractPayments,
  assertCanShareOutcomes,
  requireUser,
} from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { isoDay } from '../../domain/subcontracting/dates';
import { loadProviderFor } from '../providers';
import { loadOutcomesContract, type OutcomeDeps, writeAudited } from './access';
import { statementActivity } from './statement';

/** What the shares use cases need. */
export type ShareDeps = OutcomeDeps & {
  outcomeShares: OutcomeShareRepository;
  providers: ProviderRepository;
};

/** What the sub-contractor's page needs (no audit, no supply chain). */
export interface ProviderShareDeps {
  contracts: OutcomeDeps['contracts'];
  memberships: MembershipRepository;
  providers: ProviderRepository;
  paymentByResults: Pick<PaymentByResultsRepository, 'mechanisms' | 'cohorts' | 'periodFigures'>;
  outcomeShares: Pick<OutcomeShareRepository, 'ofProvider'>;
}

/** One share with what it comes to to date. */
export interface ShareLineView {
  providerId: string;
  providerName: string;
  outcome: string;
  outcomeName: string;
  percent: number;
  /** What this kind of outcome payment was paid to date, after the cap. */
  paymentPence: number;
  /** The share of it: `percent × paymentPence`, rounded once. */
  amountPence: number;
}

/** The prime's shares as the API shows them. */
export interface OutcomeSharesView {
  contractId: string;
  /** 0 before the first save. */
  version: number;
  setAt: string | null;
  setBy: string | null;
  /** The last quarter counted in the amounts to date. */
  through: string;
  /** The kinds that may be shared now (the mechanism in force), each with what it was paid to date. */
  outcomes: { id: string; name: string; paidPence: number }[];
  /** The registered sub-contractors of the supply chain: who may be given a share. */
  subcontractors: { providerId: string; name: string }[];
  shares: ShareLineView[];
}

/** A sub-contractor's shares in one contract. */
export interface ProviderSharesView {
  contractId: string;
  contractTitle: string;
  primeProviderId: string;
  primeName: string;
  version: number;
  setAt: string;
  through: string;
  shares: Omit<ShareLineView, 'providerId' | 'providerName'>[];
}

/** The body of `PUT /contracts/{id}/outcome-shares`. */
export interface OutcomeSharesInput {
  shares: readonly OutcomeShareInput[];
}

/** The outcome payments to date of a contract, from its mechanism versions, cohorts and figures. */
async function paymentsOf(
  deps: { paymentByResults: ProviderShareDeps['paymentByResults'] },
  contract: Contract,
  today: string,
): Promise<{ payments: OutcomePayments; versions: StoredMechanism[]; through: string }> {
  const [versions, cohorts, figures] = await Promise.all([
    deps.paymentByResults.mechanisms(contract.id),
    deps.paymentByResults.cohorts(contract.id),
    deps.paymentByResults.periodFigures(contract.id),
  ]);
  // Counted as the statement counts them: the quarters of the contract to date.
  const { through, periods } = statementActivity({ contract, cohorts, figures }, today);
  const payments = outcomePayments({ contract, versions, through, periods });
  return { payments, versions, through };
}

/** The name of a kind of outcome payment: the latest version's name for a proxy outcome. */
function outcomeName(versions: readonly StoredMechanism[], outcome: string): string {
  if (outcome === REOFFENDING) return 'Reduced re-offending';
  for (let i = versions.length - 1; i >= 0; i -= 1) {
    const found = versions[i]?.proxyOutcomes.find((o) => o.id === outcome);
    if (found) return found.name;
  }
  return outcome;
}

/** The mechanism version whose outcomes may be shared now: in force this quarter, or else the first. */
function termsInForce(versions: readonly StoredMechanism[], through: string): StoredMechanism | undefined {
  return mechanismFor(versions, through) ?? versions[0];
}

function line(
  payments: OutcomePayments,
  share: { outcome: string; outcomeName: string; percent: number },
): Omit<ShareLineView, 'providerId' | 'providerName'> {
  return {
    outcome: share.outcome,
    outcomeName: share.outcomeName,
    percent: share.percent,
    paymentPence: payments.outcomes.find((o) => o.outcome === share.outcome)?.paidPence ?? 0,
    amountPence: shareAmountPence(payments, share.outcome, share.percent),
  };
}

/** Builds the prime's view (pure). */
function sharesView(
  contract: Contract,
  set: OutcomeShareSet | undefined,
  context: {
    payments: OutcomePayments;
    versions: StoredMechanism[];
    through: string;
    subcontractors: { providerId: string; name: string }[];
  },
): OutcomeSharesView {
  const { payments, versions } = context;
  const terms = termsInForce(versions, context.through);
  return {
    contractId: contract.id,
    version: set?.version ?? 0,
    setAt: set?.setAt ?? null,
    setBy: set?.setBy ?? null,
    through: context.through,
    outcomes: (terms ? shareableOutcomes(terms) : []).map((id) => ({
      id,
      name: outcomeName(versions, id),
      paidPence: payments.outcomes.find((o) => o.outcome === id)?.paidPence ?? 0,
    })),
    subcontractors: context.subcontractors,
    shares: (set?.shares ?? []).map((share) => ({
      providerId: share.providerId,
      providerName:
        context.subcontractors.find((s) => s.providerId === share.providerId)?.name ?? share.providerName,
      ...line(payments, share),
    })),
  };
}

/** The registered sub-contractors of a contract's supply chain. */
async function registeredSubcontractors(
  deps: ShareDeps,
  contractId: string,
): Promise<{ providerId: string; name: string }[]> {
  const chain = await deps.subcontracting.supplyChain(contractId);
  const seen = new Set<string>();
  const registered: { providerId: string; name: string }[] = [];
  for (const s of chain?.subcontractors ?? []) {
    if (s.providerId && !seen.has(s.providerId)) {
      seen.add(s.providerId);
      registered.push({ providerId: s.providerId, name: s.name });
    }
  }
  return registered;
}

/**
 * The contract's shares of outcome payments, each with what it comes to to date (the prime's members and
 * commissioners). Before the first save, version 0 and no shares.
 * @throws NotFoundError
 */
export async function getOutcomeShares(
  deps: ShareDeps,
  principal: Principal,
  contractId: string,
  now: Date,
): Promise<OutcomeSharesView> {
  const { contract, relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanReadOutcomes(relation, contractId);
  const [set, subcontractors, computed] = await Promise.all([
    deps.outcomeShares.current(contractId),
    registeredSubcontractors(deps, contractId),
    paymentsOf(deps, contract, isoDay(now)),
  ]);
  return sharesView(contract, set, { ...computed, subcontractors });
}

/**
 * Records a new version of the shares of outcome payments the prime passes on (its owners): each to a
 * registered sub-contractor of the contract's supply chain, of a proxy outcome of the mechanism in force or
 * of the re-offending payment, and no kind more than 100% in all. The whole set is replaced; every version
 * is kept; the change is audited in the contract's chain in the same transaction.
 * @throws InvalidOutcomeSharesError, InvalidStateError (no mechanism yet), ConflictError (saved meanwhile),
 *   NotFoundError | ForbiddenError
 */
export async function recordOutcomeShares(
  deps: ShareDeps,
  principal: Principal,
  contractId: string,
  input: OutcomeSharesInput,
  now: Date,
): Promise<OutcomeSharesView> {
  const { contract, relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanShareOutcomes(relation, contractId);
  const user = requireUser(principal);
  const today = isoDay(now);
  const [before, subcontractors, computed, prime] = await Promise.all([
    deps.outcomeShares.current(contractId),
    registeredSubcontractors(deps, contractId),
    paymentsOf(deps, contract, today),
    deps.providers.get(contract.primeProviderId),
  ]);
  const terms = termsInForce(computed.versions, computed.through);
  if (!terms) {
    throw new InvalidStateError(
      'This contract has no payment mechanism yet: its outcome payments can be shared once a commissioner sets one.',
    );
  }
  const shares = parseOutcomeShares(input.shares, {
    subcontractors: new Set(subcontractors.map((s) => s.providerId)),
    outcomes: new Set(shareableOutcomes(terms)),
  });
  const names = new Map(subcontractors.map((s) => [s.providerId, s.name]));
  const stored: StoredOutcomeShare[] = shares.map((share) => ({
    ...share,
    providerName: names.get(share.providerId) ?? share.providerId,
    outcomeName: outcomeName(computed.versions, share.outcome),
  }));
  const set: OutcomeShareSet = {
    contractId,
    version: (before?.version ?? 0) + 1,
    shares: stored,
    setAt: now.toISOString(),
    setBy: user.sub,
  };
  await writeAudited(deps, {
    contractId,
    actor: user.sub,
    action: 'outcomes.shares.set',
    resource: `contract/${contractId}/outcome-shares/${set.version}`,
    at: now,
    items: deps.outcomeShares.saveItems(set, before, {
      title: contract.title,
      primeProviderId: contract.primeProviderId,
      primeName: prime?.name ?? contract.primeProviderId,
    }),
    onRefused: (codes) =>
      codes.slice(0, 2).includes('ConditionalCheckFailed')
        ? new ConflictError('Someone else saved the shares at the same moment. Look again.')
        : undefined,
  });
  return sharesView(contract, set, { ...computed, subcontractors });
}

/**
 * A sub-contractor's shares of outcome payments, one contract per item (its own members): each share with
 * what the kind of payment and the share came to to date. One Query for the page of contracts, then the
 * figures of each contract on it.
 * @throws NotFoundError | ForbiddenError
 */
export async function listSharesForProvider(
  deps: ProviderShareDeps,
  principal: Principal,
  providerId: string,
  page: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<ProviderSharesView>> {
  const { relation } = await loadProviderFor(deps, principal, providerId);
  assertCanReadSubcontractPayments(relation, providerId);
  const found = await deps.outcomeShares.ofProvider(providerId, page);
  const today = isoDay(now);
  const items = await Promise.all(
    found.items.map(async (item): Promise<ProviderSharesView> => {
      const contract = await deps.contracts.get(item.contractId);
      const computed = contract ? await paymentsOf(deps, contract, today) : undefined;
      return {
        contractId: item.contractId,
        contractTitle: item.contractTitle,
        primeProviderId: item.primeProviderId,
        primeName: item.primeName,
        version: item.version,
        setAt: item.setAt,
        through: computed?.through ?? '',
        shares: item.shares.map((share) =>
          computed ? line(computed.payments, share) : { ...share, paymentPence: 0, amountPence: 0 },
        ),
      };
    }),
  );
  return { items, nextCursor: found.nextCursor };
}
