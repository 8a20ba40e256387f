/**
 * Proxy-outcome claims: `POST /contracts/{id}/outcome-claims` (the prime's owners; a participant already
 * claimed for the outcome → 409), `POST …/outcome-claims/{claimId}/decision` (a commissioner not connected
 * to the prime or its sub-contractors validates or rejects, whole or in part, with a reason), and the lists.
 * Each claim and decision is written with its audit event and the figures it changes, in one transaction.
 */
import { ulid } from 'ulid';
import type { Page } from '../../db/pagination';
import type { OutcomeClaim, PageRequest } from '../../db/payment-by-results';
import { ConflictError, InvalidStateError, NotFoundError } from '../../domain/errors';
import {
  type ClaimInput,
  decideClaim,
  decisionTally,
  parseClaim,
  releasedRefs,
  submissionTally,
} from '../../domain/payment-by-results/claims';
import { MAX_PROXY_COUNT } from '../../domain/payment-by-results/payments';
import { assertCanClaimOutcomes, assertCanReadOutcomes, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { isoDay } from '../../domain/subcontracting/dates';
import { loadForCommissioner, loadOutcomesContract, type OutcomeDeps, writeAudited } from './access';

/** A claim as the API shows it (`decision` null until decided). */
export type ClaimView = Omit<OutcomeClaim, 'decision'> & { decision: OutcomeClaim['decision'] | null };

/** The API view of a claim. */
export function claimView(claim: OutcomeClaim): ClaimView {
  return {
    id: claim.id,
    contractId: claim.contractId,
    outcomeId: claim.outcomeId,
    period: claim.period,
    tier: claim.tier,
    participants: claim.participants,
    status: claim.status,
    submittedAt: claim.submittedAt,
    submittedBy: claim.submittedBy,
    decision: claim.decision ?? null,
  };
}

/**
 * Submits a claim for a proxy outcome. The participants are checked (pseudonymous references only) and
 * each is claimed at most once per outcome.
 * @throws ValidationError (the claim), ConflictError (a participant already claimed), access errors.
 */
export async function submitOutcomeClaim(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  input: ClaimInput,
  now: Date,
): Promise<ClaimView> {
  const user = requireUser(principal);
  const { contract, relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanClaimOutcomes(relation, contractId);
  const versions = await deps.paymentByResults.mechanisms(contractId);
  const terms = parseClaim(input, { contract, versions, today: isoDay(now) });
  const claim: OutcomeClaim = {
    id: ulid(now.getTime()),
    contractId,
    ...terms,
    status: 'submitted',
    submittedAt: now.toISOString(),
    submittedBy: user.sub,
  };
  await writeAudited(deps, {
    contractId,
    actor: user.sub,
    action: 'outcomes.claim.submit',
    resource: `contract/${contractId}/outcome-claims/${claim.id}`,
    at: now,
    items: deps.paymentByResults.claimItems(claim, submissionTally(claim)),
    onRefused: (codes) => {
      // Item 0 is the claim, items 1…n its participants' uniqueness items (`claimItems`). The message names
      // positions, never the references.
      const taken = codes
        .slice(1, 1 + claim.participants.length)
        .flatMap((code, index) => (code === 'ConditionalCheckFailed' ? [index + 1] : []));
      if (taken.length === 0) {
        return codes[1 + claim.participants.length] === 'ConditionalCheckFailed'
          ? new InvalidStateError(
              `${claim.period} already has the most participants that can be claimed for this outcome and risk tier (${MAX_PROXY_COUNT.toLocaleString('en-GB')}).`,
            )
          : undefined;
      }
      return new ConflictError(
        `Already claimed for this outcome: participant${taken.length > 1 ? 's' : ''} ${taken.join(', ')} of this claim. The same participant cannot be claimed twice for the same outcome.`,
      );
    },
  });
  return claimView(claim);
}

/**
 * Decides a submitted claim.
 * @throws NotFoundError (no such claim), InvalidStateError (already decided), ValidationError, access errors
 *   (EthicalWallError for a commissioner connected to the prime or a sub-contractor).
 */
export async function decideOutcomeClaim(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  claimId: string,
  input: { decision: string; validatedRefs?: readonly string[] | undefined; reason: string },
  now: Date,
): Promise<ClaimView> {
  const { user } = await loadForCommissioner(deps, principal, contractId);
  const claim = await deps.paymentByResults.getClaim(contractId, claimId);
  if (!claim) throw new NotFoundError(`No claim ${claimId} on contract ${contractId}.`);
  const decision = decideClaim(claim, input);
  const decided = { ...decision, decidedAt: now.toISOString(), decidedBy: user.sub };
  await writeAudited(deps, {
    contractId,
    actor: user.sub,
    action: `outcomes.claim.${decision.decision}`,
    resource: `contract/${contractId}/outcome-claims/${claim.id}`,
    at: now,
    items: deps.paymentByResults.decisionItems(
      claim,
      decided,
      releasedRefs(claim, decision),
      decisionTally(decision),
    ),
    onRefused: (codes) =>
      codes[0] === 'ConditionalCheckFailed'
        ? new ConflictError('Someone else decided this claim at the same moment. Look at it again.')
        : undefined,
  });
  return claimView({ ...claim, status: decision.decision, decision: decided });
}

/**
 * A contract's claims in submission order, or those awaiting a decision (the prime's members and
 * commissioners).
 * @throws NotFoundError
 */
export async function listOutcomeClaims(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  page: PageRequest & { awaiting?: boolean | undefined },
): Promise<Page<ClaimView>> {
  const { relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanReadOutcomes(relation, contractId);
  const result = await deps.paymentByResults.claims(contractId, page);
  return { items: result.items.map(claimView), nextCursor: result.nextCursor };
}

/**
 * One claim (the prime's members and commissioners).
 * @throws NotFoundError
 */
export async function getOutcomeClaim(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  claimId: string,
): Promise<ClaimView> {
  const { relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanReadOutcomes(relation, contractId);
  const claim = await deps.paymentByResults.getClaim(contractId, claimId);
  if (!claim) throw new NotFoundError(`No claim ${claimId} on contract ${contractId}.`);
  return claimView(claim);
}
