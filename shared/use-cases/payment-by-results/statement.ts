/**
 * `GET /contracts/{id}/outcome-statement` (the prime's members and commissioners): per period, upfront,
 * proxy and re-offending payments, claimed against validated, caps reached, and the totals to date against
 * the contract value; and the claims by status. It reads the mechanism versions, the cohorts and the
 * figures maintained on write – a few items per quarter of the contract, never a claim – so its cost does
 * not grow with the number of claims (`npm run bench`).
 */
import type { ClaimCounts, Cohort, PeriodFigures, StoredMechanism } from '../../db/payment-by-results';
import type { Contract } from '../../domain/contracts';
import { contractQuarters } from '../../domain/payment-by-results/mechanism';
import { type PeriodActivity, type Statement, statement } from '../../domain/payment-by-results/payments';
import { assertCanReadOutcomes, type ProviderRelation } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { isoDay, periodOf } from '../../domain/subcontracting/dates';
import { loadOutcomesContract, type OutcomeDeps } from './access';

/** The statement as the API shows it. */
export interface StatementView extends Statement {
  contractId: string;
  /** The last quarter the statement covers (the current one, or the contract's last). */
  through: string;
  claims: ClaimCounts;
}

/** What the statement is computed from, read in one go (also what the pages show beside it). */
export interface StatementInputs {
  contract: Contract;
  versions: StoredMechanism[];
  cohorts: Cohort[];
  figures: PeriodFigures[];
  claims: ClaimCounts;
}

/**
 * What the statement counts (pure): the quarters of the contract through the current one (`through`), and
 * each one's proxy counts and proven results. The shares of outcome payments count the same.
 */
export function statementActivity(
  inputs: Pick<StatementInputs, 'contract' | 'cohorts' | 'figures'>,
  today: string,
): { through: string; periods: PeriodActivity[] } {
  const { first, last } = contractQuarters(inputs.contract);
  const current = periodOf(today);
  const through = current < first ? first : current > last ? last : current;
  const activity = new Map<string, PeriodActivity>();
  const entry = (period: string): PeriodActivity => {
    const existing = activity.get(period) ?? { period };
    activity.set(period, existing);
    return existing;
  };
  for (const f of inputs.figures) {
    if (f.period >= first && f.period <= through && f.proxy.length > 0) entry(f.period).proxy = f.proxy;
  }
  for (const c of inputs.cohorts) {
    if (c.period >= first && c.period <= through && c.results) entry(c.period).results = c.results;
  }
  return { through, periods: [...activity.values()] };
}

/** Computes the statement from its inputs (pure). */
export function statementOf(inputs: StatementInputs, today: string): StatementView {
  const { contract } = inputs;
  const { through, periods } = statementActivity(inputs, today);
  const computed = statement({ contract, versions: inputs.versions, through, periods });
  return { contractId: contract.id, through, ...computed, claims: inputs.claims };
}

/** Reads what the statement needs, after the caller's access is checked. */
export async function loadStatementInputs(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
): Promise<StatementInputs & { relation: ProviderRelation }> {
  const { contract, relation } = await loadOutcomesContract(deps, principal, contractId);
  assertCanReadOutcomes(relation, contractId);
  const [versions, cohorts, figures, claims] = await Promise.all([
    deps.paymentByResults.mechanisms(contractId),
    deps.paymentByResults.cohorts(contractId),
    deps.paymentByResults.periodFigures(contractId),
    deps.paymentByResults.claimCounts(contractId),
  ]);
  // The caller's relation to the prime comes back too: pages word their links by it without reading it again.
  return { contract, relation, versions, cohorts, figures, claims };
}

/**
 * The contract's outcome statement to date.
 * @throws NotFoundError when the caller may not read the contract.
 */
export async function getOutcomeStatement(
  deps: OutcomeDeps,
  principal: Principal,
  contractId: string,
  now: Date,
): Promise<StatementView> {
  return statementOf(await loadStatementInputs(deps, principal, contractId), isoDay(now));
}
