/**
 * `PUT /contracts/{id}/payment-mechanism` (a commissioner not connected to the prime or its sub-contractors
 * sets the terms, versioned from a quarter onward) and `GET` (the prime's members and commissioners).
 */
import type { StoredMechanism } from '../../db/payment-by-results';
import { MAX_MECHANISM_VERSIONS } from '../../db/payment-by-results';
import { ConflictError, InvalidStateError, NotFoundError } from '../../domain/errors';
import { type MechanismInput, nextMechanismVersion } from '../../domain/payment-by-results/mechanism';
import { assertCanReadOutcomes } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { isoDay } from '../../domain/subcontracting/dates';
import { loadForCommissioner, loadOutcomesContract, type OutcomeDeps, writeAudited } from './access';

/** The contract exists and may be read, but no mechanism is set yet (a 404, told apart by pages). */
export class NoMechanismError extends NotFoundError {
  override readonly name = 'NoMechanismError';
  constructor(contractId: string) {
    super(`No payment mechanism is set for contract ${contractId} yet.`);
  }
}

/** A mechanism version as the API shows it (`capPencePerYear` null when there is no cap). */
export interface MechanismView extends Omit<StoredMechanism, 'capPencePerYear'> {
  contractId: string;
  capPencePerYear: number | null;
}

/** The current mechanism and every version before it. */
export interface MechanismWithHistory extends MechanismView {
  /** Every version, oldest first (the last is the current one). */
  versions: MechanismView[];
}

/** The API view of a version. */
export function mechanismView(contractId: string, m: StoredMechanism): MechanismView {
  return {
    contractId,
    version: m.version,
    fromPeriod: m.fromPeriod,
    upfrontPercent: m.upfrontPercent,
    proxyOutcomes: m.proxyOutcomes,
    reoffending: m.reoffending,
    tierMultipliers: m.tierMultipliers,
    capPencePerYear: m.capPencePerYear ?? null,
    setAt: m.setAt,
    setBy: m.setBy,
  };
}

/**
 * Sets a new version of the contract's payment mechanism: the first from any quarter of the contract, a
 * later one only from a quarter not yet begun (never retroactively).
 * @throws ValidationError (the terms), RetroactiveMechanismChangeError, ConflictError (someone set a version
 *   at the same moment), and the access errors of `loadForCommissioner`.
 */
export async function setPaymentMechanism(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  input: MechanismInput,
  now: Date,
): Promise<MechanismView> {
  const { contract, user } = await loadForCommissioner(deps, principal, contractId);
  const versions = await deps.paymentByResults.mechanisms(contractId);
  if (versions.length >= MAX_MECHANISM_VERSIONS) {
    throw new InvalidStateError(`A contract keeps at most ${MAX_MECHANISM_VERSIONS} mechanism versions.`);
  }
  const next = nextMechanismVersion(versions, input, { contract, today: isoDay(now) });
  const stored: StoredMechanism = { ...next, setAt: now.toISOString(), setBy: user.sub };
  await writeAudited(deps, {
    contractId,
    actor: user.sub,
    action: 'outcomes.mechanism.set',
    resource: `contract/${contractId}/payment-mechanism/${stored.version}`,
    at: now,
    items: deps.paymentByResults.mechanismItems(contractId, stored),
    onRefused: (codes) =>
      codes[0] === 'ConditionalCheckFailed'
        ? new ConflictError(
            'Someone else set a new version of the payment mechanism at the same moment. Look again.',
          )
        : undefined,
  });
  return mechanismView(contractId, stored);
}

/**
 * The contract's current mechanism with its history.
 * @throws NotFoundError when the caller may not read the contract, or no mechanism is set.
 */
export async function getPaymentMechanism(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
): Promise<MechanismWithHistory> {
  const { relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanReadOutcomes(relation, contractId);
  const versions = await deps.paymentByResults.mechanisms(contractId);
  const current = versions.at(-1);
  if (!current) throw new NoMechanismError(contractId);
  return {
    ...mechanismView(contractId, current),
    versions: versions.map((v) => mechanismView(contractId, v)),
  };
}
