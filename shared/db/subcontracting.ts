/**
 * Supply chains, versioned spend returns, disputes and the figures maintained on write, in the
 * `subcontracting` table (access patterns: `subcontractingKeys` in `keys.ts`).
 *
 * Filing a version of a period's return is one transaction: the period's head (its current version, the
 * content hash and the figures of that version – conditioned on the version it replaces, so two concurrent
 * amendments cannot both apply against the same previous version), the contract's cumulative figures, each
 * of its regions' period and cumulative figures (ADD of the difference), the version's lines (never
 * overwritten: earlier versions stay) and the registered sub-contractors' view of their lines; the
 * contract's first return also lists it under each of its regions (the dashboard's drill-down).
 *
 * Lines are stored compactly – one tab-separated row per line, chunks of at most `CHUNK_BYTES` – so a
 * 5,000-line return is a couple of items rather than 5,000.
 */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Contract } from '../domain/contracts';
import { ConflictError, InvalidStateError, ValidationError } from '../domain/errors';
import type { Sector, Size } from '../domain/reference-data';
import { daysBetween } from '../domain/subcontracting/dates';
import {
  exactInteger,
  FIGURE_FIELDS,
  type FigureRegion,
  type FigureSums,
  isZero,
  MAX_FIGURE_VALUE,
  sumsFrom,
} from '../domain/subcontracting/figure-sums';
import { lineIdOf, type SpendLine } from '../domain/subcontracting/lines';
import { figureLimitMessage, type ReturnWritePlan } from '../domain/subcontracting/rollups';
import type { SupplyChain } from '../domain/subcontracting/supply-chain';
import type { TransactItem } from './audit';
import { cancellationCodes, isConditionFailure } from './errors';
import { subcontractingKeys as keys } from './keys';
import { decodeCursor, encodeCursor, mergePage, type Page } from './pagination';
import { readRegionFigures } from './subcontracting-dashboard';

/** Largest chunk of encoded lines in one item (DynamoDB items may be 400 KB). */
export const CHUNK_BYTES = 300_000;
/** Most items in one DynamoDB transaction. */
export const MAX_TRANSACTION_ITEMS = 100;
const MAX_ATTEMPTS = 8;

/** What a version recorded about each sub-contractor it paid, as it was when filed. */
export interface SubcontractorSnapshot {
  name: string;
  sector: Sector;
  size: Size;
  providerId?: string | undefined;
}

/** The head of a period: its current version and that version's figures. */
export interface PeriodHead {
  contractId: string;
  period: string;
  version: number;
  hash: string;
  lineCount: number;
  totalPence: number;
  chunks: number;
  format: 'json' | 'csv';
  submittedAt: string;
  submittedBy: string;
  /** The period's figures: its value fields and the current version's sums. */
  sums: FigureSums;
  /** Registered sub-contractors paid in the current version → number of `SUBPAY#` chunks. */
  paidProviders: Record<string, number>;
}

/** One stored version of a period's return. */
export interface SpendReturnVersion {
  contractId: string;
  period: string;
  version: number;
  hash: string;
  lines: SpendLine[];
  totalPence: number;
  format: 'json' | 'csv';
  submittedAt: string;
  submittedBy: string;
  subcontractors: Record<string, SubcontractorSnapshot>;
}

/** A sub-contractor's dispute of a line. */
export interface Dispute {
  id: string;
  contractId: string;
  period: string;
  lineId: string;
  /** The version of the return the line was disputed in. */
  version: number;
  providerId: string;
  reason: string;
  raisedBy: string;
  raisedAt: string;
  status: 'open';
  /** The line as it stood when disputed. */
  line: SpendLine;
}

/** A line of a period's return, as a dispute names it. */
export interface DisputedLineRef {
  contractId: string;
  period: string;
  lineId: string;
}

/** What the open-dispute marker of a line says. */
export interface OpenDispute {
  disputeId: string;
  raisedAt: string;
  raisedBy: string;
}

/** The map key of a line in `openDisputes`' answer. */
export function openDisputeKey(line: DisputedLineRef): string {
  return `${line.contractId}#${line.period}#${line.lineId}`;
}

/** A line as the sub-contractor it was paid to sees it. */
export interface SubcontractPayment {
  contractId: string;
  contractTitle: string;
  primeProviderId: string;
  period: string;
  version: number;
  subcontractorRef: string;
  lineId: string;
  invoiceRef: string;
  invoiceDate: string;
  paidDate: string;
  amountPence: number;
  daysToPay: number;
}

/** A registered sub-contractor's lines in the version being filed. */
export interface PaidProvider {
  providerId: string;
  subcontractorRef: string;
  lines: SpendLine[];
}

/** Everything one filing writes. */
export interface ReturnWrite {
  contract: Pick<Contract, 'id' | 'title' | 'primeProviderId' | 'subcontracting'>;
  /** The head being replaced (absent for the period's first version). */
  previous: PeriodHead | undefined;
  /** Whether the contract already had a cumulative figures item when the plan was made. */
  contractFiled: boolean;
  version: SpendReturnVersion;
  plan: ReturnWritePlan;
  paid: PaidProvider[];
  /** The OCDS release of the return and the feed counter's move (issue 16), written last, with it. */
  publication?: TransactItem[];
}

/** The outcome of a filing: written, or refused because the head or the contract moved meanwhile. */
export type ReturnWriteOutcome = { written: true; head: PeriodHead } | { written: false };

/** A contract's figure items. */
export interface ContractFigureItems {
  cumulative: FigureSums | undefined;
  disputes: number;
  periods: { period: string; version: number; totalPence: number; lineCount: number; sums: FigureSums }[];
}

/** A page request. */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

/** Reads and writes sub-contracting data. */
export interface SubcontractingRepository {
  supplyChain(contractId: string): Promise<SupplyChain | undefined>;
  /** Stores a supply chain whose previous version was `previousVersion` (undefined: the first). */
  putSupplyChain(chain: SupplyChain, previousVersion: number | undefined): Promise<void>;
  /** The period's head and whether the contract has filed any return, in one read. */
  filingState(
    contractId: string,
    period: string,
  ): Promise<{ head: PeriodHead | undefined; contractFiled: boolean }>;
  /** Files a version; refused (not thrown) when the head or the contract moved since they were read. */
  fileReturn(write: ReturnWrite): Promise<ReturnWriteOutcome>;
  periodHead(contractId: string, period: string): Promise<PeriodHead | undefined>;
  returnVersion(contractId: string, period: string, version: number): Promise<SpendReturnVersion | undefined>;
  contractFigures(contractId: string): Promise<ContractFigureItems>;
  /** The regional items of a period (or the cumulative ones), missing ones as undefined. */
  regionFigures(
    regions: readonly FigureRegion[],
    period: string | undefined,
  ): Promise<Map<FigureRegion, FigureSums | undefined>>;
  /** The lines of a period's latest version paid to each of the providers (only those paid). */
  paidLines(
    contractId: string,
    period: string,
    providerIds: readonly string[],
  ): Promise<{ providerId: string; version: number; lines: SpendLine[] }[]>;
  /**
   * Records a dispute and counts it on the contract's figures, with the line's open-dispute marker in the
   * same transaction: a second open dispute of the same line – even one sent at the same instant – is
   * refused with a ConflictError. `alongside` are more items of the same transaction, after the dispute's
   * own (the outbox event that tells the prime's owners, issue 17).
   */
  addDispute(dispute: Dispute, alongside?: readonly TransactItem[]): Promise<void>;
  /** The open dispute of each line asked for (one BatchGet per 100 lines), keyed by `openDisputeKey`. */
  openDisputes(lines: readonly DisputedLineRef[]): Promise<Map<string, OpenDispute>>;
  /** Every dispute of a period. */
  disputesOfPeriod(contractId: string, period: string): Promise<Dispute[]>;
  /** A contract's disputes, by period and line. */
  disputes(contractId: string, page: PageRequest): Promise<Page<Dispute>>;
  /** Lines primes reported as paid to a provider, newest period first. */
  payments(providerId: string, page: PageRequest): Promise<Page<SubcontractPayment>>;
}

// ---------------------------------------------------------------------------------------------------------
// Compact line storage
// ---------------------------------------------------------------------------------------------------------

/** One line as a tab-separated row (refs and dates never hold tabs or line breaks: the rules refuse them). */
function encodeLine(line: SpendLine): string {
  return `${line.subcontractorRef}\t${line.invoiceRef}\t${line.invoiceDate}\t${line.paidDate}\t${line.amountPence}`;
}

function decodeLine(row: string): SpendLine {
  const [subcontractorRef = '', invoiceRef = '', invoiceDate = '', paidDate = '', amount = ''] =
    row.split('\t');
  return {
    lineId: lineIdOf(subcontractorRef, invoiceRef),
    subcontractorRef,
    invoiceRef,
    invoiceDate,
    paidDate,
    // A stored amount that is not a whole number of pence is corrupt data: an error, never a 0.
    amountPence: exactInteger(/^\d+$/.test(amount) ? Number(amount) : amount, `The amount of ${invoiceRef}`),
  };
}

/** Lines as chunks of rows, each at most `CHUNK_BYTES` (always at least one chunk, maybe empty). */
export function encodeChunks(lines: readonly SpendLine[]): string[] {
  const chunks: string[] = [];
  let rows: string[] = [];
  let bytes = 0;
  for (const line of lines) {
    const row = encodeLine(line);
    const size = Buffer.byteLength(row) + 1;
    if (bytes + size > CHUNK_BYTES && rows.length > 0) {
      chunks.push(rows.join('\n'));
      rows = [];
      bytes = 0;
    }
    rows.push(row);
    bytes += size;
  }
  chunks.push(rows.join('\n'));
  return chunks;
}

/** The lines of some chunks, in order. */
export function decodeChunks(chunks: readonly string[]): SpendLine[] {
  return chunks.flatMap((chunk) => (chunk === '' ? [] : chunk.split('\n').map(decodeLine)));
}

// ---------------------------------------------------------------------------------------------------------

function figureAttributes(sums: FigureSums): Record<string, number> {
  return Object.fromEntries(FIGURE_FIELDS.map((f) => [f, sums[f]]));
}

function toHead(item: Record<string, unknown>): PeriodHead {
  return {
    contractId: String(item.contractId),
    period: String(item.period),
    version: exactInteger(item.version, 'A return version'),
    hash: String(item.hash),
    lineCount: exactInteger(item.lineCount, 'A line count'),
    totalPence: exactInteger(item.totalPence, "A return's total"),
    chunks: exactInteger(item.chunks, 'A chunk count'),
    format: item.format === 'csv' ? 'csv' : 'json',
    submittedAt: String(item.submittedAt),
    submittedBy: String(item.submittedBy),
    sums: sumsFrom(item),
    paidProviders: (item.paidProviders as Record<string, number> | undefined) ?? {},
  };
}

function toSupplyChain(item: Record<string, unknown>): SupplyChain {
  return {
    contractId: String(item.contractId),
    subcontractors: (item.subcontractors as SupplyChain['subcontractors']).map((s) => ({
      ref: s.ref,
      ...(s.providerId !== undefined ? { providerId: s.providerId } : {}),
      name: s.name,
      sector: s.sector,
      size: s.size,
      services: s.services,
      plannedValuePence: s.plannedValuePence,
    })),
    version: exactInteger(item.version, 'A supply chain version'),
    updatedAt: String(item.updatedAt),
    updatedBy: String(item.updatedBy),
    ...(Array.isArray(item.everRegistered) ? { everRegistered: item.everRegistered.map(String) } : {}),
  };
}

function toDispute(item: Record<string, unknown>): Dispute {
  const line = item.line as SpendLine;
  return {
    id: String(item.id),
    contractId: String(item.contractId),
    period: String(item.period),
    lineId: String(item.lineId),
    version: exactInteger(item.version, 'A return version'),
    providerId: String(item.providerId),
    reason: String(item.reason),
    raisedBy: String(item.raisedBy),
    raisedAt: String(item.raisedAt),
    status: 'open',
    line: {
      lineId: line.lineId,
      subcontractorRef: line.subcontractorRef,
      invoiceRef: line.invoiceRef,
      invoiceDate: line.invoiceDate,
      paidDate: line.paidDate,
      amountPence: line.amountPence,
    },
  };
}

/**
 * An ADD update of the non-zero fields of some sums (undefined when there is nothing to add), conditioned
 * so that no field passes `MAX_FIGURE_VALUE`: each increased field must hold at most the bound minus its
 * increment. A refusal cancels the whole filing (see `fileReturn`), so no sum is ever inexact.
 */
function addUpdate(
  tableName: string,
  key: Record<string, string>,
  sums: FigureSums,
  set: Record<string, string>,
  condition?: string,
): TransactItem | undefined {
  const fields = FIGURE_FIELDS.filter((f) => sums[f] !== 0);
  if (fields.length === 0 && !condition) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const conditions = condition ? [condition] : [];
  const adds = fields.map((f, i) => {
    names[`#f${i}`] = f;
    values[`:f${i}`] = sums[f];
    if (sums[f] > 0) {
      values[`:m${i}`] = MAX_FIGURE_VALUE - sums[f];
      conditions.push(`(attribute_not_exists(#f${i}) OR #f${i} <= :m${i})`);
    }
    return `#f${i} :f${i}`;
  });
  const sets = Object.entries(set).map(([name, value], i) => {
    names[`#s${i}`] = name;
    values[`:s${i}`] = value;
    return `#s${i} = :s${i}`;
  });
  const expression = [
    sets.length > 0 ? `SET ${sets.join(', ')}` : '',
    adds.length > 0 ? `ADD ${adds.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join(' ');
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(conditions.length > 0 ? { ConditionExpression: conditions.join(' AND ') } : {}),
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The puts that list a contract under each region it counts in (the dashboard's drill-down), as its first
 * return writes them (and `local/migrate.ts` for data filed before they existed).
 */
export function regionContractPuts(
  tableName: string,
  contract: Pick<Contract, 'id' | 'title' | 'primeProviderId' | 'subcontracting'>,
  regions: readonly FigureRegion[],
  firstFiledAt: string,
): TransactItem[] {
  return regions.map((region) => ({
    Put: {
      TableName: tableName,
      Item: {
        ...keys.regionContract(region, contract.id),
        entity: 'region-contract',
        region,
        contractId: contract.id,
        title: contract.title,
        primeProviderId: contract.primeProviderId,
        targetPercent: contract.subcontracting.targetPercent,
        ...(contract.subcontracting.voluntarySectorTargetPercent !== undefined
          ? { voluntarySectorTargetPercent: contract.subcontracting.voluntarySectorTargetPercent }
          : {}),
        firstFiledAt,
      },
    },
  }));
}

/** A DynamoDB sub-contracting repository. */
export function createSubcontractingRepository(deps: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SubcontractingRepository {
  const { client, tableName } = deps;

  /** Every item of a Query on the contract's partition with a sort-key prefix. */
  const queryPrefix = async (contractId: string, prefix: string): Promise<Record<string, unknown>[]> => {
    const items: Record<string, unknown>[] = [];
    for await (const page of paginateQuery(
      { client },
      {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.partition(contractId), ':prefix': prefix },
        ConsistentRead: true,
      },
    )) {
      items.push(...(page.Items ?? []));
    }
    return items;
  };

  /**
   * The transaction items of a filing, and which of them add to a figure item under its bound (index →
   * whose figures, for the refusal's message).
   */
  const returnItems = (write: ReturnWrite): { items: TransactItem[]; bounded: Map<number, string> } => {
    const { contract, previous, version, plan } = write;
    const { period } = version;
    const chunks = encodeChunks(version.lines);
    const paidProviders: Record<string, number> = {};
    const payItems: TransactItem[] = [];
    for (const paid of write.paid) {
      const paidChunks = encodeChunks(paid.lines);
      paidProviders[paid.providerId] = paidChunks.length;
      paidChunks.forEach((rows, chunk) => {
        payItems.push({
          Put: {
            TableName: tableName,
            Item: {
              ...keys.subPayment(contract.id, period, paid.providerId, chunk),
              ...keys.subPaymentIndex(contract.id, period, paid.providerId, chunk),
              entity: 'subcontract-payments',
              contractId: contract.id,
              contractTitle: contract.title,
              primeProviderId: contract.primeProviderId,
              period,
              version: version.version,
              providerId: paid.providerId,
              subcontractorRef: paid.subcontractorRef,
              rows,
            },
          },
        });
      });
    }
    // Chunks of the previous version's view that the new one does not overwrite.
    for (const [providerId, count] of Object.entries(previous?.paidProviders ?? {})) {
      for (let chunk = paidProviders[providerId] ?? 0; chunk < count; chunk += 1) {
        payItems.push({
          Delete: { TableName: tableName, Key: keys.subPayment(contract.id, period, providerId, chunk) },
        });
      }
    }

    const head = {
      ...keys.periodHead(contract.id, period),
      entity: 'period-head',
      contractId: contract.id,
      period,
      version: version.version,
      hash: version.hash,
      lineCount: version.lines.length,
      totalPence: version.totalPence,
      chunks: chunks.length,
      format: version.format,
      submittedAt: version.submittedAt,
      submittedBy: version.submittedBy,
      paidProviders,
      ...figureAttributes(plan.period),
    };
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: head,
          ...(previous
            ? {
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': previous.version },
              }
            : { ConditionExpression: 'attribute_not_exists(pk)' }),
        },
      },
    ];
    const bounded = new Map<number, string>();
    if (write.contractFiled) {
      const update = addUpdate(
        tableName,
        keys.contractFigures(contract.id),
        plan.contract,
        { lastFiledAt: version.submittedAt },
        'attribute_exists(pk)',
      );
      if (update) bounded.set(items.push(update) - 1, 'the contract');
    } else {
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...keys.contractFigures(contract.id),
            entity: 'contract-figures',
            contractId: contract.id,
            lastFiledAt: version.submittedAt,
            disputes: 0,
            ...figureAttributes(plan.contract),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
      // The contract now counts in its regions' figures: list it under each, for the dashboard's
      // drill-down. Once per contract, with the item above, so the listing never differs from the figures.
      items.push(
        ...regionContractPuts(
          tableName,
          contract,
          plan.regions.map((share) => share.region),
          version.submittedAt,
        ),
      );
    }
    for (const share of plan.regions) {
      for (const [sums, at] of [
        [share.period, period],
        [share.cumulative, undefined],
      ] as const) {
        if (isZero(sums)) continue;
        const update = addUpdate(tableName, keys.regionFigures(share.region, at), sums, {
          entity: 'region-figures',
          region: share.region,
          period: at ?? 'ALL',
        });
        if (update) bounded.set(items.push(update) - 1, `the ${share.region} region`);
      }
    }
    chunks.forEach((rows, chunk) => {
      items.push({
        Put: {
          TableName: tableName,
          Item: {
            ...keys.returnChunk(contract.id, period, version.version, chunk),
            entity: 'return-version',
            contractId: contract.id,
            period,
            version: version.version,
            chunk,
            rows,
            ...(chunk === 0
              ? {
                  chunks: chunks.length,
                  hash: version.hash,
                  lineCount: version.lines.length,
                  totalPence: version.totalPence,
                  format: version.format,
                  submittedAt: version.submittedAt,
                  submittedBy: version.submittedBy,
                  subcontractors: version.subcontractors,
                }
              : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    });
    items.push(...payItems, ...(write.publication ?? []));
    if (items.length > MAX_TRANSACTION_ITEMS) {
      throw new ValidationError(
        `This return needs ${items.length} writes, more than one transaction can hold (${MAX_TRANSACTION_ITEMS}): it pays too many registered sub-contractors at once, or has too many lines.`,
        [{ path: 'lines', message: 'Split the payments to registered sub-contractors or the lines' }],
      );
    }
    return { items, bounded };
  };

  return {
    async supplyChain(contractId) {
      const result = await client.send(
        new GetCommand({ TableName: tableName, Key: keys.supplyChain(contractId), ConsistentRead: true }),
      );
      return result.Item ? toSupplyChain(result.Item) : undefined;
    },

    async putSupplyChain(chain, previousVersion) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: { ...keys.supplyChain(chain.contractId), entity: 'supply-chain', ...chain },
            ...(previousVersion === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : {
                  ConditionExpression: 'version = :previous',
                  ExpressionAttributeValues: { ':previous': previousVersion },
                }),
          }),
        );
      } catch (error) {
        if (isConditionFailure(error)) {
          throw new ConflictError(
            'The supply chain changed while you were editing it; read it and try again.',
          );
        }
        throw error;
      }
    },

    async filingState(contractId, period) {
      const headKey = keys.periodHead(contractId, period);
      const result: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: {
            [tableName]: { Keys: [headKey, keys.contractFigures(contractId)], ConsistentRead: true },
          },
        }),
      );
      // Two small keys: DynamoDB returns both unless throttled; read any left over one by one.
      const items = [...(result.Responses?.[tableName] ?? [])];
      for (const key of (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[]) {
        const one = await client.send(
          new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }),
        );
        if (one.Item) items.push(one.Item);
      }
      const head = items.find((item) => item.sk === headKey.sk);
      return {
        head: head ? toHead(head) : undefined,
        contractFiled: items.some((item) => item.sk === keys.cumulativeSk),
      };
    },

    async fileReturn(write) {
      const { items, bounded } = returnItems(write);
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          const head = items[0]?.Put?.Item as Record<string, unknown>;
          return { written: true, head: toHead(head) };
        } catch (error) {
          const codes = cancellationCodes(error);
          if (!codes) throw error;
          // The head moved: the caller reads again (and plans against the new version, if it may).
          if (codes[0] === 'ConditionalCheckFailed') return { written: false };
          // A figure item would pass its bound: nothing was written, and trying again cannot help.
          const full = codes.findIndex((code, i) => code === 'ConditionalCheckFailed' && bounded.has(i));
          if (full >= 0) {
            throw new InvalidStateError(figureLimitMessage(bounded.get(full) as string), { cause: error });
          }
          // The contract's cumulative item or a version chunk moved: the caller reads again.
          if (codes.includes('ConditionalCheckFailed')) return { written: false };
          // Contention on a shared item (another prime's filing in the same region): the same writes are
          // still right, so try again after a short pause.
          if (attempt >= MAX_ATTEMPTS) {
            throw new ConflictError('The figures are busy; please try again.', { cause: error });
          }
          await sleep(5 + Math.random() * 20 * attempt);
        }
      }
    },

    async periodHead(contractId, period) {
      const result = await client.send(
        new GetCommand({
          TableName: tableName,
          Key: keys.periodHead(contractId, period),
          ConsistentRead: true,
        }),
      );
      return result.Item ? toHead(result.Item) : undefined;
    },

    async returnVersion(contractId, period, version) {
      const items = await queryPrefix(contractId, keys.returnVersionPrefix(period, version));
      const first = items.find((item) => item.chunk === 0);
      if (!first) return undefined;
      const rows = items.sort((a, b) => Number(a.chunk) - Number(b.chunk)).map((item) => String(item.rows));
      return {
        contractId,
        period,
        version,
        hash: String(first.hash),
        lines: decodeChunks(rows),
        totalPence: exactInteger(first.totalPence, "A return's total"),
        format: first.format === 'csv' ? 'csv' : 'json',
        submittedAt: String(first.submittedAt),
        submittedBy: String(first.submittedBy),
        subcontractors: (first.subcontractors as Record<string, SubcontractorSnapshot> | undefined) ?? {},
      };
    },

    async contractFigures(contractId) {
      const items = await queryPrefix(contractId, keys.figuresPrefix);
      const cumulative = items.find((item) => item.sk === keys.cumulativeSk);
      return {
        cumulative: cumulative ? sumsFrom(cumulative) : undefined,
        disputes: exactInteger(cumulative?.disputes ?? 0, 'A dispute count'),
        periods: items
          .filter((item) => item.sk !== keys.cumulativeSk)
          .map((item) => {
            const head = toHead(item);
            return {
              period: head.period,
              version: head.version,
              totalPence: head.totalPence,
              lineCount: head.lineCount,
              sums: head.sums,
            };
          }),
      };
    },

    regionFigures(regions, period) {
      return readRegionFigures({ client, tableName }, regions, period);
    },

    async paidLines(contractId, period, providerIds) {
      const out: { providerId: string; version: number; lines: SpendLine[] }[] = [];
      for (const providerId of new Set(providerIds)) {
        const items = await queryPrefix(contractId, keys.subPaymentsPrefix(period, providerId));
        if (items.length === 0) continue;
        const sorted = items.sort((a, b) => String(a.sk).localeCompare(String(b.sk)));
        out.push({
          providerId,
          version: exactInteger(sorted[0]?.version, 'A return version'),
          lines: decodeChunks(sorted.map((item) => String(item.rows))),
        });
      }
      return out;
    },

    async addDispute(dispute, alongside = []) {
      const items: TransactItem[] = [
        {
          Put: {
            TableName: tableName,
            Item: {
              ...keys.dispute(dispute.contractId, dispute.period, dispute.lineId, dispute.id),
              entity: 'dispute',
              ...dispute,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          // One open dispute per line: the marker exists while it is open, so a second dispute of
          // the line fails this condition however close together the two arrive.
          Put: {
            TableName: tableName,
            Item: {
              ...keys.openDispute(dispute.contractId, dispute.period, dispute.lineId),
              entity: 'open-dispute',
              disputeId: dispute.id,
              raisedAt: dispute.raisedAt,
              raisedBy: dispute.raisedBy,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: tableName,
            Key: keys.contractFigures(dispute.contractId),
            UpdateExpression: 'ADD disputes :one',
            ExpressionAttributeValues: { ':one': 1 },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        ...alongside,
      ];
      for (let attempt = 1; ; attempt += 1) {
        try {
          await client.send(new TransactWriteCommand({ TransactItems: items }));
          return;
        } catch (error) {
          const codes = cancellationCodes(error);
          if (codes?.[1] === 'ConditionalCheckFailed') {
            throw new ConflictError(
              `Invoice ${dispute.line.invoiceRef} in the ${dispute.period} return is already disputed; the prime provider and the commissioners have that dispute.`,
              { cause: error },
            );
          }
          // Another transaction held one of the items (another dispute of this contract, or of this very
          // line): nothing was written, so the same writes are tried again and the condition decides.
          if (!codes?.includes('TransactionConflict') || attempt >= MAX_ATTEMPTS) throw error;
          await sleep(5 + Math.random() * 20 * attempt);
        }
      }
    },

    async openDisputes(lines) {
      const found = new Map<string, OpenDispute>();
      const unique = [...new Map(lines.map((l) => [openDisputeKey(l), l])).values()];
      for (let i = 0; i < unique.length; i += 100) {
        let pending: Record<string, string>[] = unique
          .slice(i, i + 100)
          .map((l) => keys.openDispute(l.contractId, l.period, l.lineId));
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          const result: BatchGetCommandOutput = await client.send(
            new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending } } }),
          );
          for (const item of result.Responses?.[tableName] ?? []) {
            // sk is OPENDISPUTE#<period>#<lineId>; pk is CONTRACT#<contractId>.
            const [, period = '', lineId = ''] = String(item.sk).split('#');
            const contractId = String(item.pk).slice('CONTRACT#'.length);
            found.set(openDisputeKey({ contractId, period, lineId }), {
              disputeId: String(item.disputeId),
              raisedAt: String(item.raisedAt),
              raisedBy: String(item.raisedBy),
            });
          }
          pending = (result.UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, string>[];
          if (pending.length > 0) {
            if (attempt >= MAX_ATTEMPTS) throw new ConflictError('The disputes are busy; please try again.');
            await sleep(10 * 2 ** attempt);
          }
        }
      }
      return found;
    },

    async disputesOfPeriod(contractId, period) {
      const items = await queryPrefix(contractId, keys.disputesPrefix(period));
      return items.map(toDispute);
    },

    async disputes(contractId, page) {
      const scope = ['disputes', contractId];
      const after = decodeCursor(page.cursor, scope);
      const prefix = keys.disputesPrefix();
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
            ':pk': keys.partition(contractId),
            ...(after ? { ':after': `${after}\u0000`, ':end': `${prefix}\uffff` } : { ':prefix': prefix }),
          },
          ConsistentRead: true,
          Limit: page.limit + 1,
        }),
      );
      const items = (result.Items ?? []).map((item) => ({ sk: String(item.sk), dispute: toDispute(item) }));
      const merged = mergePage([items], (i) => i.sk, page.limit, scope);
      return { items: merged.items.map((i) => i.dispute), nextCursor: merged.nextCursor };
    },

    async payments(providerId, page) {
      // Position: the index sort key of an item and the index of the last line read within it.
      const scope = ['payments', providerId];
      const after = decodeCursor(page.cursor, scope);
      let afterKey: string | undefined;
      let afterLine = -1;
      if (after) {
        const cut = after.lastIndexOf('|');
        const line = Number(after.slice(cut + 1));
        if (cut <= 0 || !Number.isInteger(line) || line < 0) {
          throw new ValidationError('The cursor is not valid.', [
            { path: 'query.cursor', message: 'Use the nextCursor of a previous page' },
          ]);
        }
        afterKey = after.slice(0, cut);
        afterLine = line;
      }
      // Every item holds at least one line, so limit + 2 items give limit + 1 lines past the cursor if
      // there are that many.
      const result = await client.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: afterKey ? 'gsi1pk = :pk AND gsi1sk <= :after' : 'gsi1pk = :pk',
          ExpressionAttributeValues: {
            ':pk': keys.paymentsToProvider(providerId),
            ...(afterKey ? { ':after': afterKey } : {}),
          },
          ScanIndexForward: false,
          Limit: page.limit + 2,
        }),
      );
      const lines: { position: string; payment: SubcontractPayment }[] = [];
      for (const item of result.Items ?? []) {
        const key = String(item.gsi1sk);
        decodeChunks([String(item.rows)]).forEach((line, i) => {
          if (afterKey !== undefined && key === afterKey && i <= afterLine) return;
          lines.push({
            position: `${key}|${i}`,
            payment: {
              contractId: String(item.contractId),
              contractTitle: String(item.contractTitle),
              primeProviderId: String(item.primeProviderId),
              period: String(item.period),
              version: exactInteger(item.version, 'A return version'),
              subcontractorRef: String(item.subcontractorRef),
              lineId: line.lineId,
              invoiceRef: line.invoiceRef,
              invoiceDate: line.invoiceDate,
              paidDate: line.paidDate,
              amountPence: line.amountPence,
              daysToPay: daysBetween(line.invoiceDate, line.paidDate),
            },
          });
        });
      }
      const items = lines.slice(0, page.limit);
      const last = items[items.length - 1];
      return {
        items: items.map((l) => l.payment),
        nextCursor: lines.length > page.limit && last ? encodeCursor(last.position, scope) : null,
      };
    },
  };
}
