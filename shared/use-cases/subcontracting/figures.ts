/**
 * Sub-contracting figures, read from the items maintained on write (never by reading returns):
 * `GET /contracts/{id}/subcontracting` (one contract, cumulative and per period) and
 * `GET /reports/subcontracting?period=&region=` (the regional items summed: at most 11 items per report).
 */
import type { DomainRules } from '../../config';
import type { SubcontractingRepository } from '../../db/subcontracting';
import { assertCanReadContract, assertCanReadSubcontractingReport } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import {
  addSums,
  FIGURE_REGIONS,
  type FigureRegion,
  zeroSums,
} from '../../domain/subcontracting/figure-sums';
import { type Figures, figuresOf } from '../../domain/subcontracting/figures';
import { contractValueSums } from '../../domain/subcontracting/targets';
import { type ContractDeps, loadContractFor } from './load-contract';

/** A contract's figures: cumulative over the latest version of every return, and per period. */
export type ContractFigures = Figures & {
  contractId: string;
  returns: number;
  disputes: number;
  periods: (Figures & { period: string; version: number; lineCount: number })[];
};

/** `GET /contracts/{id}/subcontracting`: the prime's members, commissioners and admins. */
export async function getContractFigures(
  deps: ContractDeps & { subcontracting: SubcontractingRepository },
  principal: Principal,
  contractId: string,
  rules: Pick<DomainRules, 'promptPaymentDays'>,
): Promise<ContractFigures> {
  const { contract, relation } = await loadContractFor(deps, principal, contractId);
  assertCanReadContract(relation, contractId);
  const items = await deps.subcontracting.contractFigures(contractId);
  const targets = contract.subcontracting;
  const days = rules.promptPaymentDays;
  return {
    contractId,
    // No cumulative item: no return filed yet, so the target is not judged (met: null).
    ...figuresOf(
      items.cumulative ?? contractValueSums(contract),
      days,
      targets,
      items.cumulative !== undefined,
    ),
    returns: items.periods.length,
    disputes: items.disputes,
    periods: items.periods.map((p) => ({
      period: p.period,
      version: p.version,
      lineCount: p.lineCount,
      ...figuresOf(p.sums, days, targets),
    })),
  };
}

/** The network report: figures summed over the regions asked for, with each region's own. */
export type SubcontractingReport = Figures & {
  period: string | null;
  region: FigureRegion | null;
  byRegion: (Figures & { region: FigureRegion })[];
};

/** `GET /reports/subcontracting`: commissioners, admins and auditors. */
export async function getSubcontractingReport(
  deps: { subcontracting: SubcontractingRepository },
  principal: Principal,
  query: { period?: string | undefined; region?: FigureRegion | undefined },
  rules: Pick<DomainRules, 'promptPaymentDays'>,
): Promise<SubcontractingReport> {
  assertCanReadSubcontractingReport(principal);
  const regions: readonly FigureRegion[] = query.region ? [query.region] : FIGURE_REGIONS;
  const found = await deps.subcontracting.regionFigures(regions, query.period);
  let total = zeroSums();
  const byRegion = regions.map((region) => {
    const sums = found.get(region) ?? zeroSums();
    total = addSums(total, sums);
    return { region, ...figuresOf(sums, rules.promptPaymentDays) };
  });
  return {
    period: query.period ?? null,
    region: query.region ?? null,
    ...figuresOf(total, rules.promptPaymentDays),
    byRegion,
  };
}
