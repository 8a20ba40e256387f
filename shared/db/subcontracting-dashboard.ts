/**
 * The sub-contracting dashboard's reads (issue 16), over the `subcontracting` table: each region's
 * per-quarter figure items over a window of quarters, and the contracts listed under a region with their
 * figure items (access patterns: `subcontractingKeys` in `keys.ts`). Kept apart from the filing repository
 * (`subcontracting.ts`), so the functions that file returns do not carry the dashboard's code; the items it
 * reads are written there, in the filing's transaction.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  paginateQuery,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, ValidationError } from '../domain/errors';
import { type FigureRegion, type FigureSums, sumsFrom } from '../domain/subcontracting/figure-sums';
import type { ContractTargets } from '../domain/subcontracting/targets';
import { subcontractingKeys as keys } from './keys';
import { decodeCursor, encodeCursor, type Page } from './pagination';
import type { PageRequest } from './subcontracting';

const MAX_ATTEMPTS = 8;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A contract counted in a region's figures, as the dashboard's drill-down lists it: what its region
 * listing item recorded when its first return was filed, and its own figures (the whole contract's, not
 * the region's share of them), cumulative or of one period.
 */
export interface RegionContract {
  contractId: string;
  title: string;
  primeProviderId: string;
  targets: ContractTargets;
  firstFiledAt: string;
  /** The contract's figures; undefined when it has none for the period asked for. */
  sums: FigureSums | undefined;
}

/**
 * The regional figure items of a period (or the cumulative ones), missing ones as undefined: one
 * BatchGetItem of at most 11 keys (the JSON report's read too: `SubcontractingRepository.regionFigures`).
 */
export async function readRegionFigures(
  deps: { client: DynamoDBDocumentClient; tableName: string },
  regions: readonly FigureRegion[],
  period: string | undefined,
): Promise<Map<FigureRegion, FigureSums | undefined>> {
  const { client, tableName } = deps;
  const found = new Map<FigureRegion, FigureSums | undefined>(regions.map((r) => [r, undefined]));
  let pending: Record<string, string>[] = regions.map((r) => keys.regionFigures(r, period));
  for (let attempt = 0; pending.length > 0; attempt += 1) {
    const result: BatchGetCommandOutput = await client.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
    );
    for (const item of result.Responses?.[tableName] ?? []) {
      found.set(String(item.region) as FigureRegion, sumsFrom(item));
    }
    pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
    if (pending.length > 0) {
      if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The figures are busy; please try again.');
      await sleep(10 * 2 ** attempt);
    }
  }
  return found;
}

/** The dashboard's reads. */
export interface SubcontractingDashboardRepository {
  /** The regional items of a period (or the cumulative ones), missing ones as undefined. */
  regionFigures(
    regions: readonly FigureRegion[],
    period: string | undefined,
  ): Promise<Map<FigureRegion, FigureSums | undefined>>;
  /**
   * Each region's per-quarter figure items from `first` to `last` (calendar quarters, inclusive): one Query
   * per region, at most one item per quarter, so the cost is bounded by the window whatever the number of
   * returns. Quarters in which nothing counted in a region are absent from its map.
   */
  regionSeries(
    regions: readonly FigureRegion[],
    first: string,
    last: string,
  ): Promise<Map<FigureRegion, Map<string, FigureSums>>>;
  /**
   * The contracts counted in a region's figures, by id, a page at a time (one Query), each with its
   * cumulative figures – or, given a period, that period's figures (zero where it filed none) – in one
   * BatchGetItem of the page's contracts.
   */
  regionContracts(
    region: FigureRegion,
    page: PageRequest,
    period?: string | undefined,
  ): Promise<Page<RegionContract>>;
}

/** A DynamoDB repository of the dashboard's reads. */
export function createSubcontractingDashboardRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SubcontractingDashboardRepository {
  const { client, tableName } = deps;
  return {
    regionFigures: (regions, period) => readRegionFigures({ client, tableName }, regions, period),

    async regionSeries(regions, first, last) {
      const series = new Map<FigureRegion, Map<string, FigureSums>>();
      await Promise.all(
        regions.map(async (region) => {
          const byPeriod = new Map<string, FigureSums>();
          for await (const page of paginateQuery(
            { client },
            {
              TableName: tableName,
              KeyConditionExpression: 'pk = :pk AND sk BETWEEN :first AND :last',
              ExpressionAttributeValues: {
                ':pk': keys.regionPartition(region),
                ':first': keys.regionPeriodSk(first),
                ':last': keys.regionPeriodSk(last),
              },
            },
          )) {
            for (const item of page.Items ?? []) byPeriod.set(String(item.period), sumsFrom(item));
          }
          series.set(region, byPeriod);
        }),
      );
      return series;
    },

    async regionContracts(region, page, period) {
      const scope = ['region-contracts', region];
      const after = decodeCursor(page.cursor, scope);
      const prefix = keys.regionContractsPrefix;
      if (after !== undefined && !after.startsWith(prefix)) {
        throw new ValidationError('The cursor is not valid.', [
          { path: 'query.cursor', message: 'Use the nextCursor of a previous page' },
        ]);
      }
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: after
            ? 'pk = :pk AND sk BETWEEN :after AND :end'
            : 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: {
            ':pk': keys.regionPartition(region),
            ...(after ? { ':after': `${after}\u0000`, ':end': `${prefix}\uffff` } : { ':prefix': prefix }),
          },
          Limit: page.limit + 1,
        }),
      );
      const listed = (result.Items ?? []).slice(0, page.limit);
      const figures = new Map<string, FigureSums>();
      let pending: Record<string, string>[] = listed.map((item) =>
        period
          ? keys.periodHead(String(item.contractId), period)
          : keys.contractFigures(String(item.contractId)),
      );
      for (let attempt = 0; pending.length > 0; attempt += 1) {
        const got: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
        );
        for (const item of got.Responses?.[tableName] ?? []) {
          figures.set(String(item.contractId), sumsFrom(item));
        }
        pending = (got.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
        if (pending.length > 0) {
          if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The figures are busy; please try again.');
          await sleep(10 * 2 ** attempt);
        }
      }
      const last = listed[listed.length - 1];
      return {
        items: listed.map((item) => {
          const contractId = String(item.contractId);
          const voluntary = item.voluntarySectorTargetPercent;
          return {
            contractId,
            title: String(item.title),
            primeProviderId: String(item.primeProviderId),
            targets: {
              targetPercent: Number(item.targetPercent),
              ...(typeof voluntary === 'number' ? { voluntarySectorTargetPercent: voluntary } : {}),
            },
            firstFiledAt: String(item.firstFiledAt),
            sums: figures.get(contractId),
          };
        }),
        nextCursor:
          (result.Items ?? []).length > page.limit && last ? encodeCursor(String(last.sk), scope) : null,
      };
    },
  };
}
