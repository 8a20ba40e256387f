/**
 * The sub-contracting dashboard (`/commissioning/subcontracting`, issue 16): the national figures with one
 * row per region, and each region's contracts, for commissioners, admins and auditors – who read the
 * national report (`GET /reports/subcontracting`); the policy decides (`assertCanReadSubcontractingReport`).
 *
 * Everything is read from the figure items maintained on write, never from returns:
 * - the national page: the 11 regional items of the period asked for (or cumulative, one BatchGetItem) and
 *   each region's per-quarter items over the trend window (11 Queries of at most `TREND_QUARTERS` items);
 * - a region's page: its item, its per-quarter items (one Query) and a page of its contracts (one Query and
 *   one BatchGetItem of their figure items).
 * So a page's cost is bounded by regions, quarters and the page size, whatever the number of returns.
 */
import type { DomainRules } from '../../config';
import type { Page } from '../../db/pagination';
import type { RegionContract, SubcontractingDashboardRepository } from '../../db/subcontracting-dashboard';
import { assertCanReadSubcontractingReport, providerRelation } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { shareMet, summedSeries, trendWindow } from '../../domain/subcontracting/dashboard';
import type { Period } from '../../domain/subcontracting/dates';
import {
  addSums,
  FIGURE_REGIONS,
  type FigureRegion,
  type FigureSums,
  zeroSums,
} from '../../domain/subcontracting/figure-sums';
import { type Figures, figuresOf } from '../../domain/subcontracting/figures';

/** What the dashboard reads: the regional items (as the JSON report reads them), series and listings. */
export interface DashboardDeps {
  dashboard: SubcontractingDashboardRepository;
}

/** The rules the dashboard judges by. */
export type DashboardRules = Pick<
  DomainRules,
  'promptPaymentDays' | 'vcseShareTargetPercent' | 'smeShareTargetPercent'
>;

/** Figures as the dashboard shows them: the report's, with the network's VCSE and SME targets judged. */
export type DashboardFigures = Figures & {
  /** Whether any contract's return counts in these figures (otherwise: no data, nothing judged). */
  reported: boolean;
  vcseTarget: { percent: number; met: boolean | null };
  smeTarget: { percent: number; met: boolean | null };
};

/** One quarter of a trend line: null when no return counted in it. */
export interface TrendPoint {
  period: Period;
  figures: DashboardFigures | null;
}

/** The dashboard's figures from raw sums. */
export function dashboardFigures(sums: FigureSums, rules: DashboardRules): DashboardFigures {
  const figures = figuresOf(sums, rules.promptPaymentDays);
  const reported = sums.contractValuePence > 0;
  const sme = sums.microPence + sums.smallPence + sums.mediumPence;
  const judged = (part: number, percent: number) => ({
    percent,
    met: reported ? shareMet(part, sums.subcontractedPence, percent) : null,
  });
  return {
    ...figures,
    reported,
    vcseTarget: judged(sums.voluntaryPence, rules.vcseShareTargetPercent),
    smeTarget: judged(sme, rules.smeShareTargetPercent),
  };
}

function trendOf(
  byRegion: ReadonlyMap<FigureRegion, ReadonlyMap<string, FigureSums>>,
  regions: readonly FigureRegion[],
  window: readonly Period[],
  rules: DashboardRules,
): TrendPoint[] {
  return summedSeries(byRegion, regions, window).map((point) => ({
    period: point.period,
    figures: point.sums ? dashboardFigures(point.sums, rules) : null,
  }));
}

/** The national page. */
export interface SubcontractingDashboard {
  /** The quarter the figures are for, or null for every quarter (cumulative). */
  period: Period | null;
  national: DashboardFigures;
  byRegion: (DashboardFigures & { region: FigureRegion })[];
  /** The national figures per quarter over the trend window, oldest first. */
  trend: TrendPoint[];
}

/**
 * `GET /commissioning/subcontracting`: the national figures, each region's, and the national trend.
 * @throws ForbiddenError for anyone but commissioners, admins and auditors.
 */
export async function getSubcontractingDashboard(
  deps: DashboardDeps,
  principal: Principal,
  query: { period?: Period | undefined },
  now: Date,
  rules: DashboardRules,
): Promise<SubcontractingDashboard> {
  assertCanReadSubcontractingReport(principal);
  const window = trendWindow(now);
  const [found, series] = await Promise.all([
    deps.dashboard.regionFigures(FIGURE_REGIONS, query.period),
    deps.dashboard.regionSeries(FIGURE_REGIONS, window[0] as Period, window[window.length - 1] as Period),
  ]);
  let total = zeroSums();
  const byRegion = FIGURE_REGIONS.map((region) => {
    const sums = found.get(region) ?? zeroSums();
    total = addSums(total, sums);
    return { region, ...dashboardFigures(sums, rules) };
  });
  return {
    period: query.period ?? null,
    national: dashboardFigures(total, rules),
    byRegion,
    trend: trendOf(series, FIGURE_REGIONS, window, rules),
  };
}

/** A contract on a region's page: its own figures against its own targets. */
export interface RegionContractRow {
  contractId: string;
  title: string;
  primeProviderId: string;
  firstFiledAt: string;
  /** Null when it filed no return for the period asked for. */
  figures: Figures | null;
}

/** A region's page. */
export interface RegionDashboard {
  region: FigureRegion;
  period: Period | null;
  figures: DashboardFigures;
  trend: TrendPoint[];
  contracts: Page<RegionContractRow>;
  /**
   * Whether the viewer may open a contract's own page (`GET /contracts/{id}`: commissioners and admins);
   * auditors read the report and its drill-down, not contracts.
   */
  contractPagesOpen: boolean;
}

const toRow = (contract: RegionContract, rules: DashboardRules): RegionContractRow => ({
  contractId: contract.contractId,
  title: contract.title,
  primeProviderId: contract.primeProviderId,
  firstFiledAt: contract.firstFiledAt,
  figures: contract.sums ? figuresOf(contract.sums, rules.promptPaymentDays, contract.targets) : null,
});

/**
 * `GET /commissioning/subcontracting/{region}`: a region's figures, its trend and a page of its contracts.
 * @throws ForbiddenError for anyone but commissioners, admins and auditors.
 */
export async function getRegionDashboard(
  deps: DashboardDeps,
  principal: Principal,
  region: FigureRegion,
  query: { period?: Period | undefined; cursor?: string | undefined; limit: number },
  now: Date,
  rules: DashboardRules,
): Promise<RegionDashboard> {
  assertCanReadSubcontractingReport(principal);
  const window = trendWindow(now);
  const [found, series, contracts] = await Promise.all([
    deps.dashboard.regionFigures([region], query.period),
    deps.dashboard.regionSeries([region], window[0] as Period, window[window.length - 1] as Period),
    deps.dashboard.regionContracts(region, { limit: query.limit, cursor: query.cursor }, query.period),
  ]);
  return {
    region,
    period: query.period ?? null,
    figures: dashboardFigures(found.get(region) ?? zeroSums(), rules),
    trend: trendOf(series, [region], window, rules),
    contracts: {
      items: contracts.items.map((c) => toRow(c, rules)),
      nextCursor: contracts.nextCursor,
    },
    contractPagesOpen: providerRelation(principal, undefined) === 'official',
  };
}

/** The most contracts one CSV download of a region lists. */
export const MAX_CSV_CONTRACTS = 10_000;

/**
 * Every contract counted in a region (for its CSV download), 100 a time; at most `MAX_CSV_CONTRACTS`.
 * @throws ForbiddenError for anyone but commissioners, admins and auditors.
 */
export async function listRegionContracts(
  deps: DashboardDeps,
  principal: Principal,
  region: FigureRegion,
  period: Period | undefined,
  rules: DashboardRules,
): Promise<{ rows: RegionContractRow[]; truncated: boolean }> {
  assertCanReadSubcontractingReport(principal);
  const rows: RegionContractRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.dashboard.regionContracts(region, { limit: 100, cursor }, period);
    rows.push(...page.items.map((c) => toRow(c, rules)));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && rows.length < MAX_CSV_CONTRACTS);
  return { rows: rows.slice(0, MAX_CSV_CONTRACTS), truncated: cursor !== undefined };
}
