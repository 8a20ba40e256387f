/**
 * Sub-contracting rules (pure): contracts registered directly, supply chains, quarterly spend returns (JSON
 * or CSV, money converted exactly to pence), and the figures maintained on write – per contract and per
 * region, per period and cumulative – with the percentages computed on read (DESIGN.md section 2).
 *
 * ## How figures stay exact and flat to read
 *
 * Every figure item holds raw integer sums (`FIGURE_FIELDS`): pence, invoice counts, total days to pay,
 * invoices paid promptly. Percentages are computed on read, so sums over items stay exact.
 *
 * A return's contribution is its `ReturnSums`. Filing version n+1 of a period applies the difference
 * between its sums and version n's (stored with the period's head, so a later supply-chain edit cannot
 * change what version n contributed) to the contract's cumulative item and to its regions' items.
 *
 * A contract counts in its regions' items: a contract with national coverage in the `national` item, any
 * other in each of its regions, its figures apportioned equally between them (`splitAcross`: integer
 * shares, the remainder handed out one unit at a time from a starting region fixed per contract). The
 * shares of a value always sum to the value, so the national report – the sum of at most 11 regional
 * items – is exact, and no single item takes every prime's writes at quarter end.
 *
 * Contract value enters the figures when a contract files its first return (cumulative items: the whole
 * value) and when it files the first version for a period (period items: the value pro-rated to the days of
 * the contract in that quarter), so aggregate percentages compare spend with the value of contracts that
 * report.
 */
import { createHash } from 'node:crypto';
import type { Contract } from './contracts';
import type { FieldIssue } from './errors';
import {
  type Coverage,
  NATIONAL,
  REGIONS,
  type Region,
  SECTORS,
  type Sector,
  type Service,
  SIZES,
  type Size,
} from './reference-data';

// ---------------------------------------------------------------------------------------------------------
// Limits. Not business rules but what one DynamoDB transaction (100 items, 4 MB) can carry.
// ---------------------------------------------------------------------------------------------------------

/** Most lines in one return (a 5 MB CSV could hold far more than one transaction can store). */
export const MAX_LINES_PER_RETURN = 10_000;
/** Most sub-contractors in a supply chain. */
export const MAX_SUBCONTRACTORS = 200;
/**
 * Most sub-contractors named by provider id: each one paid in a return gets its own item in the return's
 * transaction, for the sub-contractor's view of what it was paid.
 */
export const MAX_REGISTERED_SUBCONTRACTORS = 40;
/** Longest invoice ref. */
export const MAX_INVOICE_REF_LENGTH = 64;
/** A sub-contractor ref: letters, digits and `. _ / -`, up to 40 characters. */
export const SUBCONTRACTOR_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$/;

// ---------------------------------------------------------------------------------------------------------
// Dates and periods
// ---------------------------------------------------------------------------------------------------------

const DAY_MS = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (by arithmetic: returns check thousands of dates). */
export function isIsoDate(value: string): boolean {
  if (value.length !== 10 || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const year = Number(value.slice(0, 4));
  const month = Number(value.slice(5, 7));
  const day = Number(value.slice(8, 10));
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= days;
}

/** Whole days from one ISO date to another (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** The UTC calendar date of an instant. */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** A calendar quarter, `YYYY-Qn` (Q1 = January–March). */
export type Period = `${number}-Q${1 | 2 | 3 | 4}`;

/** The pattern of a period. */
export const PERIOD_PATTERN = /^(\d{4})-Q([1-4])$/;

/** The first and last day of a period, or undefined when it is not `YYYY-Qn`. */
export function periodBounds(period: string): { start: string; end: string } | undefined {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) return undefined;
  const year = Number(match[1]);
  const quarter = Number(match[2]);
  const firstMonth = (quarter - 1) * 3 + 1;
  const start = `${match[1]}-${String(firstMonth).padStart(2, '0')}-01`;
  // Day 0 of the month after the quarter is its last day.
  const end = new Date(Date.UTC(year, firstMonth + 2, 0)).toISOString().slice(0, 10);
  return { start, end };
}

/** The period a date falls in. */
export function periodOf(date: string): Period {
  const month = Number(date.slice(5, 7));
  return `${date.slice(0, 4)}-Q${Math.ceil(month / 3)}` as Period;
}

// ---------------------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------------------

/** The largest amount in pence a line may carry. */
export const MAX_LINE_PENCE = 1_000_000_000_000_00; // £1 trillion: far above any invoice, far below 2^53.

/**
 * Converts pounds written with exactly two decimals (`1234.50`) to integer pence by string arithmetic –
 * never through a floating-point number. No sign, `£`, thousands separators, exponent or spaces inside.
 */
export function parsePounds(text: string): { pence: number } | { error: string } {
  const value = text.trim();
  const match = /^(0|[1-9]\d{0,11})\.(\d{2})$/.exec(value);
  if (!match) {
    return {
      error: /^-/.test(value)
        ? 'Must be more than zero: enter the amount paid, like 1234.50'
        : 'Use pounds with two decimals, like 1234.50 (no £ sign, commas, spaces or exponent)',
    };
  }
  // At most 12 + 2 digits: well inside the range where Number holds integers exactly.
  return { pence: Number.parseInt(`${match[1]}${match[2]}`, 10) };
}

/** Formats pence as pounds with two decimals (`123450` → `1234.50`), exactly. */
export function formatPounds(pence: number): string {
  const digits = String(Math.abs(pence)).padStart(3, '0');
  return `${pence < 0 ? '-' : ''}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Contracts registered directly
// ---------------------------------------------------------------------------------------------------------

/** What a commissioner gives to register a contract let before this service existed. */
export interface ContractDraft {
  title: string;
  primeProviderId: string;
  valuePence: number;
  startDate: string;
  endDate: string;
  regions: Coverage[];
  services: Service[];
  subcontracting?: { targetPercent: number; voluntarySectorTargetPercent?: number | undefined } | undefined;
}

/** Cross-field rules of a contract draft beyond its shape. */
export function contractDraftIssues(draft: ContractDraft): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (!isIsoDate(draft.startDate)) issues.push({ path: 'startDate', message: 'Use a date like 2026-04-01' });
  if (!isIsoDate(draft.endDate)) issues.push({ path: 'endDate', message: 'Use a date like 2029-03-31' });
  if (isIsoDate(draft.startDate) && isIsoDate(draft.endDate) && draft.endDate < draft.startDate) {
    issues.push({ path: 'endDate', message: 'Must be on or after the start date' });
  }
  if (draft.regions.includes(NATIONAL) && draft.regions.length > 1) {
    issues.push({ path: 'regions', message: 'Choose national on its own, or the regions it covers' });
  }
  if (new Set(draft.regions).size !== draft.regions.length) {
    issues.push({ path: 'regions', message: 'Each region may be listed once' });
  }
  if (new Set(draft.services).size !== draft.services.length) {
    issues.push({ path: 'services', message: 'Each service may be listed once' });
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------------------
// Supply chains
// ---------------------------------------------------------------------------------------------------------

/** A sub-contractor as the prime declares it. */
export interface SubcontractorInput {
  ref: string;
  /** A registered provider; its name, sector and size then come from the registry. */
  providerId?: string | undefined;
  name?: string | undefined;
  sector?: Sector | undefined;
  size?: Size | undefined;
  services: Service[];
  plannedValuePence: number;
}

/** A sub-contractor in a declared supply chain. */
export interface Subcontractor {
  ref: string;
  providerId?: string | undefined;
  name: string;
  sector: Sector;
  size: Size;
  services: Service[];
  plannedValuePence: number;
}

/** A contract's supply chain. */
export interface SupplyChain {
  contractId: string;
  subcontractors: Subcontractor[];
  version: number;
  updatedAt: string;
  updatedBy: string;
}

/** What the supply chain needs to know of a registered provider. */
export interface RegisteredProvider {
  id: string;
  name: string;
  sector: Sector;
  size: Size;
  status: 'pending' | 'verified';
}

/**
 * Checks a declared supply chain and resolves registered sub-contractors from the registry.
 * @returns the sub-contractors, or every problem found (paths `subcontractors.N.field`).
 */
export function resolveSupplyChain(
  input: SubcontractorInput[],
  registered: ReadonlyMap<string, RegisteredProvider>,
  primeProviderId: string,
): { subcontractors: Subcontractor[]; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const subcontractors: Subcontractor[] = [];
  const refs = new Map<string, number>();
  const providers = new Map<string, number>();
  const at = (i: number, field: string) => `subcontractors.${i}.${field}`;
  if (input.length > MAX_SUBCONTRACTORS) {
    issues.push({ path: 'subcontractors', message: `Name at most ${MAX_SUBCONTRACTORS} sub-contractors` });
  }
  const registeredCount = input.filter((s) => s.providerId !== undefined).length;
  if (registeredCount > MAX_REGISTERED_SUBCONTRACTORS) {
    issues.push({
      path: 'subcontractors',
      message: `Name at most ${MAX_REGISTERED_SUBCONTRACTORS} sub-contractors by provider id (${registeredCount} given)`,
    });
  }
  input.forEach((entry, i) => {
    const ref = entry.ref.trim();
    if (!SUBCONTRACTOR_REF_PATTERN.test(ref)) {
      issues.push({
        path: at(i, 'ref'),
        message:
          'Use up to 40 letters, digits, dots, underscores, slashes or hyphens, starting with a letter or digit',
      });
    }
    const seenRef = refs.get(ref);
    if (seenRef !== undefined) {
      issues.push({ path: at(i, 'ref'), message: `Ref ${ref} is already used by subcontractors.${seenRef}` });
    } else refs.set(ref, i);
    if (new Set(entry.services).size !== entry.services.length) {
      issues.push({ path: at(i, 'services'), message: 'Each service may be listed once' });
    }
    const base = { ref, services: entry.services, plannedValuePence: entry.plannedValuePence };
    if (entry.providerId !== undefined) {
      const seenProvider = providers.get(entry.providerId);
      if (seenProvider !== undefined) {
        issues.push({
          path: at(i, 'providerId'),
          message: `This provider is already named as subcontractors.${seenProvider}`,
        });
      } else providers.set(entry.providerId, i);
      if (entry.providerId === primeProviderId) {
        issues.push({
          path: at(i, 'providerId'),
          message: 'The prime provider cannot be its own sub-contractor',
        });
        return;
      }
      const provider = registered.get(entry.providerId);
      if (!provider) {
        issues.push({ path: at(i, 'providerId'), message: 'No registered provider has this id' });
        return;
      }
      if (provider.status !== 'verified') {
        issues.push({
          path: at(i, 'providerId'),
          message:
            'This provider is not verified yet: name it without a providerId, or ask an admin to verify it',
        });
        return;
      }
      subcontractors.push({
        ...base,
        providerId: provider.id,
        name: provider.name,
        sector: provider.sector,
        size: provider.size,
      });
      return;
    }
    const name = entry.name?.trim() ?? '';
    if (name === '')
      issues.push({ path: at(i, 'name'), message: 'Give the name of an unregistered sub-contractor' });
    if (entry.sector === undefined) {
      issues.push({ path: at(i, 'sector'), message: 'Give the sector of an unregistered sub-contractor' });
    }
    if (entry.size === undefined) {
      issues.push({ path: at(i, 'size'), message: 'Give the size of an unregistered sub-contractor' });
    }
    if (name !== '' && entry.sector !== undefined && entry.size !== undefined) {
      subcontractors.push({ ...base, name, sector: entry.sector, size: entry.size });
    }
  });
  return { subcontractors: issues.length > 0 ? [] : subcontractors, issues };
}

// ---------------------------------------------------------------------------------------------------------
// Spend return lines: parsing (CSV), validation, identity
// ---------------------------------------------------------------------------------------------------------

/** A line as received, before the rules are applied. */
export interface CandidateLine {
  /** Where it came from: its index in `lines` (JSON) or its 1-based data row (CSV). */
  position: number;
  subcontractorRef: string;
  invoiceRef: string;
  invoiceDate: string;
  paidDate: string;
  /** Undefined when the amount could not be read (already reported). */
  amountPence: number | undefined;
}

/** The fields of a line. */
export type LineField = 'subcontractorRef' | 'invoiceRef' | 'invoiceDate' | 'paidDate' | 'amountPence';

/** A problem with one line (`row`: the line as a whole; `header`: the CSV header, position 0). */
export interface LineIssue {
  position: number;
  field: LineField | 'row' | 'header';
  message: string;
}

/** A validated line of a return; `lineId` is stable across versions (it derives from the invoice ref). */
export interface SpendLine {
  lineId: string;
  subcontractorRef: string;
  invoiceRef: string;
  invoiceDate: string;
  paidDate: string;
  amountPence: number;
}

/** The CSV columns, in the documented order, and the line field each holds. */
export const CSV_COLUMNS = {
  subcontractor_ref: 'subcontractorRef',
  invoice_ref: 'invoiceRef',
  invoice_date: 'invoiceDate',
  paid_date: 'paidDate',
  amount: 'amountPence',
} as const satisfies Record<string, LineField>;

/** The CSV header line. */
export const CSV_HEADER = Object.keys(CSV_COLUMNS).join(',');

const CSV_NAME_OF: Record<LineField, string> = Object.fromEntries(
  Object.entries(CSV_COLUMNS).map(([column, field]) => [field, column]),
) as Record<LineField, string>;

/** The CSV column of a line field (`amountPence` → `amount`). */
export function csvColumnOf(field: LineIssue['field']): string {
  return field === 'row' || field === 'header' ? field : CSV_NAME_OF[field];
}

/** One CSV record with its row number (0 = the header, then 1-based data rows). */
export interface CsvRecord {
  row: number;
  values: string[];
}

/**
 * Splits CSV text (RFC 4180: commas, `"` quoting with `""` escapes, CRLF, LF or CR line ends, an optional
 * BOM) into records numbered from 0. Blank lines keep their number, so a row number is the line number in
 * the file minus one when no value spans lines. A record that cannot be read is reported and left out.
 */
export function parseCsv(text: string): { records: CsvRecord[]; issues: LineIssue[] } {
  const records: CsvRecord[] = [];
  const issues: LineIssue[] = [];
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let i = 0;
  let row = 0;
  while (i < source.length) {
    let end = source.indexOf('\n', i);
    if (end === -1) end = source.length;
    const lineEnd = end > i && source.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const line = source.slice(i, lineEnd);
    if (!line.includes('"') && !line.includes('\r')) {
      // The common case: no quoting on this line.
      records.push({ row, values: line.split(',') });
      i = end + 1;
    } else {
      const record = readQuotedRecord(source, i);
      if (record.issue) issues.push({ position: row, field: 'row', message: record.issue });
      else records.push({ row, values: record.values });
      i = record.next;
    }
    row += 1;
  }
  return { records, issues };
}

/** Reads one record that has quoting (or a lone CR) from `start`, character by character. */
function readQuotedRecord(source: string, start: number): { values: string[]; next: number; issue?: string } {
  const values: string[] = [];
  const n = source.length;
  let value = '';
  let fieldStart = true;
  let j = start;
  while (j < n) {
    const c = source[j] as string;
    if (fieldStart && c === '"') {
      let k = j + 1;
      let quoted = '';
      let closed = false;
      while (k < n) {
        const q = source.indexOf('"', k);
        if (q === -1) break;
        quoted += source.slice(k, q);
        if (source[q + 1] === '"') {
          quoted += '"';
          k = q + 2;
          continue;
        }
        closed = true;
        k = q + 1;
        break;
      }
      if (!closed) return { values, next: n, issue: 'A quoted value is never closed' };
      const after = source[k];
      if (after !== undefined && after !== ',' && after !== '\n' && after !== '\r') {
        let e = k;
        while (e < n && source[e] !== '\n' && source[e] !== '\r') e += 1;
        if (source[e] === '\r' && source[e + 1] === '\n') e += 1;
        return {
          values,
          next: e + 1,
          issue: 'A closing quote must be followed by a comma or the end of the line',
        };
      }
      value = quoted;
      fieldStart = false;
      j = k;
      continue;
    }
    if (c === ',') {
      values.push(value);
      value = '';
      fieldStart = true;
      j += 1;
      continue;
    }
    if (c === '\n' || c === '\r') {
      values.push(value);
      return { values, next: j + (c === '\r' && source[j + 1] === '\n' ? 2 : 1) };
    }
    value += c;
    fieldStart = false;
    j += 1;
  }
  values.push(value);
  return { values, next: n };
}

/**
 * Reads a CSV spend return: the header `subcontractor_ref,invoice_ref,invoice_date,paid_date,amount` (in
 * any order, case and surrounding spaces ignored), then one line per data row; blank rows are skipped.
 * Amounts are pounds with two decimals, converted exactly to pence.
 */
export function parseSpendReturnCsv(text: string): { lines: CandidateLine[]; issues: LineIssue[] } {
  const { records, issues } = parseCsv(text);
  const header = records.find((r) => r.row === 0);
  const headerIssue = (message: string): LineIssue => ({ position: 0, field: 'header', message });
  if (!header) {
    if (!issues.some((i) => i.position === 0)) {
      issues.push(headerIssue(`Start with the header line ${CSV_HEADER}`));
    }
    return { lines: [], issues };
  }
  const names = header.values.map((v) => v.trim().toLowerCase());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!(name in CSV_COLUMNS)) {
      issues.push(headerIssue(`Unknown column "${name}": the header is ${CSV_HEADER}`));
    } else if (index.has(name)) issues.push(headerIssue(`Column ${name} appears twice`));
    else index.set(name, i);
  });
  for (const column of Object.keys(CSV_COLUMNS)) {
    if (!index.has(column))
      issues.push(headerIssue(`Column ${column} is missing: the header is ${CSV_HEADER}`));
  }
  if (issues.some((i) => i.field === 'header')) return { lines: [], issues };

  const lines: CandidateLine[] = [];
  const column = (values: string[], name: keyof typeof CSV_COLUMNS) =>
    (values[index.get(name) as number] ?? '').trim();
  for (const record of records) {
    if (record.row === 0) continue;
    if (record.values.length === 1 && (record.values[0] ?? '').trim() === '') continue;
    if (lines.length >= MAX_LINES_PER_RETURN) {
      issues.push({
        position: record.row,
        field: 'row',
        message: `A return may have at most ${MAX_LINES_PER_RETURN} lines: split it or contact the commissioner`,
      });
      break;
    }
    if (record.values.length !== names.length) {
      issues.push({
        position: record.row,
        field: 'row',
        message: `Expected ${names.length} values, found ${record.values.length}`,
      });
      continue;
    }
    const amount = parsePounds(column(record.values, 'amount'));
    if ('error' in amount) issues.push({ position: record.row, field: 'amountPence', message: amount.error });
    lines.push({
      position: record.row,
      subcontractorRef: column(record.values, 'subcontractor_ref'),
      invoiceRef: column(record.values, 'invoice_ref'),
      invoiceDate: column(record.values, 'invoice_date'),
      paidDate: column(record.values, 'paid_date'),
      amountPence: 'pence' in amount ? amount.pence : undefined,
    });
  }
  return { lines, issues };
}

/** The stable id of a line: derived from its invoice ref, unique within a return and across versions. */
export function lineIdOf(invoiceRef: string): string {
  return createHash('sha256').update(`line\u0000${invoiceRef}`).digest('hex').slice(0, 16);
}

/** The pattern of a line id. */
export const LINE_ID_PATTERN = /^[0-9a-f]{16}$/;

/** What the line rules need to know. */
export interface LineRules {
  period: string;
  /** The refs of the contract's supply chain. */
  knownRefs: ReadonlySet<string>;
  /** The date the return is received: nothing can have been paid after it. */
  today: string;
  /** How a position is named in messages (`row 3`, `lines.2`). */
  describe: (position: number) => string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is refused.
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Applies the line rules to every candidate: known sub-contractor ref, invoice ref present and unique in
 * the return, real dates, paid within the period and not in the future, not paid before invoiced, a
 * positive whole number of pence. All-or-nothing: the lines are returned only when nothing is wrong.
 */
export function validateLines(
  candidates: CandidateLine[],
  rules: LineRules,
): { lines: SpendLine[]; issues: LineIssue[] } {
  const issues: LineIssue[] = [];
  const bounds = periodBounds(rules.period);
  const seen = new Map<string, number>();
  if (candidates.length > MAX_LINES_PER_RETURN) {
    issues.push({
      position: candidates[MAX_LINES_PER_RETURN]?.position ?? MAX_LINES_PER_RETURN,
      field: 'row',
      message: `A return may have at most ${MAX_LINES_PER_RETURN} lines`,
    });
  }
  const lines: SpendLine[] = [];
  for (const candidate of candidates.slice(0, MAX_LINES_PER_RETURN)) {
    const at = candidate.position;
    const problem = (field: LineField, message: string) => issues.push({ position: at, field, message });
    const ref = candidate.subcontractorRef.trim();
    const invoiceRef = candidate.invoiceRef.trim();
    const invoiceDate = candidate.invoiceDate.trim();
    const paidDate = candidate.paidDate.trim();

    if (ref === '') problem('subcontractorRef', "Enter the sub-contractor's ref from the supply chain");
    else if (!rules.knownRefs.has(ref)) {
      problem('subcontractorRef', `No sub-contractor ${JSON.stringify(ref)} in this contract's supply chain`);
    }

    if (invoiceRef === '') problem('invoiceRef', 'Enter the invoice ref');
    else if (invoiceRef.length > MAX_INVOICE_REF_LENGTH || CONTROL.test(invoiceRef)) {
      problem('invoiceRef', `Use at most ${MAX_INVOICE_REF_LENGTH} characters, without tabs or line breaks`);
    } else {
      const first = seen.get(invoiceRef);
      if (first !== undefined) {
        problem(
          'invoiceRef',
          `Invoice ref ${JSON.stringify(invoiceRef)} is already on ${rules.describe(first)}`,
        );
      } else seen.set(invoiceRef, at);
    }

    const invoiceOk = isIsoDate(invoiceDate);
    if (!invoiceOk) problem('invoiceDate', 'Use a real date like 2026-07-31');
    const paidOk = isIsoDate(paidDate);
    if (!paidOk) problem('paidDate', 'Use a real date like 2026-07-31');
    else if (bounds && (paidDate < bounds.start || paidDate > bounds.end)) {
      problem('paidDate', `Must fall within ${rules.period} (${bounds.start} to ${bounds.end})`);
    } else if (paidDate > rules.today) problem('paidDate', 'Cannot be in the future');
    if (invoiceOk && paidOk && paidDate < invoiceDate) {
      problem('paidDate', `Cannot be before the invoice date (${invoiceDate})`);
    }

    const amount = candidate.amountPence;
    if (amount !== undefined) {
      if (!Number.isInteger(amount)) problem('amountPence', 'Use a whole number of pence');
      else if (amount <= 0) problem('amountPence', 'Must be more than zero');
      else if (amount > MAX_LINE_PENCE) problem('amountPence', 'Too large for one invoice');
    }
    lines.push({
      lineId: lineIdOf(invoiceRef),
      subcontractorRef: ref,
      invoiceRef,
      invoiceDate,
      paidDate,
      amountPence: amount ?? 0,
    });
  }
  return { lines: issues.length > 0 ? [] : lines, issues };
}

/** Orders issues by position, then by field order, so every answer lists them the same way. */
export function sortIssues(issues: LineIssue[]): LineIssue[] {
  const order: LineIssue['field'][] = [
    'header',
    'row',
    'subcontractorRef',
    'invoiceRef',
    'invoiceDate',
    'paidDate',
    'amountPence',
  ];
  return [...issues].sort(
    (a, b) => a.position - b.position || order.indexOf(a.field) - order.indexOf(b.field),
  );
}

/** Line issues as field issues: `lines.N.field` for JSON, `{ row, field }` (CSV column) for CSV. */
export function toFieldIssues(issues: LineIssue[], format: 'json' | 'csv'): FieldIssue[] {
  return sortIssues(issues).map((issue) =>
    format === 'csv'
      ? { row: issue.position, field: csvColumnOf(issue.field), message: issue.message }
      : {
          path:
            issue.field === 'row' || issue.field === 'header'
              ? `lines.${issue.position}`
              : `lines.${issue.position}.${issue.field}`,
          message: issue.message,
        },
  );
}

/**
 * The canonical hash of a return's content: its normalised lines in invoice-ref order, so the same
 * payments sent again – as JSON or CSV, in any order – are recognised as the current version.
 */
export function returnHash(lines: readonly SpendLine[]): string {
  const canonical = [...lines]
    .sort((a, b) => (a.invoiceRef < b.invoiceRef ? -1 : a.invoiceRef > b.invoiceRef ? 1 : 0))
    .map((l) => [l.subcontractorRef, l.invoiceRef, l.invoiceDate, l.paidDate, l.amountPence]);
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The sum of a return's lines. */
export function totalPence(lines: readonly Pick<SpendLine, 'amountPence'>[]): number {
  return lines.reduce((sum, line) => sum + line.amountPence, 0);
}

// ---------------------------------------------------------------------------------------------------------
// Figures: raw sums, contributions, regional shares
// ---------------------------------------------------------------------------------------------------------

/** What a return adds to the figures: spend by sector and size, and the prompt-payment counts. */
export const SUM_FIELDS = [
  'subcontractedPence',
  'voluntaryPence',
  'privatePence',
  'publicPence',
  'microPence',
  'smallPence',
  'mediumPence',
  'largePence',
  'invoices',
  'promptInvoices',
  'daysToPay',
] as const;

/** The value side of a figure item: contract value and the sub-contracting target in pence. */
export const VALUE_FIELDS = ['contractValuePence', 'targetPence'] as const;

/** Every raw sum a figure item holds. */
export const FIGURE_FIELDS = [...VALUE_FIELDS, ...SUM_FIELDS] as const;

/** One raw sum. */
export type FigureField = (typeof FIGURE_FIELDS)[number];

/** Raw sums (or differences of them) by field. */
export type FigureSums = Record<FigureField, number>;

/** Raw sums, all zero. */
export function zeroSums(): FigureSums {
  return Object.fromEntries(FIGURE_FIELDS.map((f) => [f, 0])) as FigureSums;
}

/** Reads raw sums from a stored item (missing fields are zero). */
export function sumsFrom(item: Partial<Record<string, unknown>> | undefined): FigureSums {
  const sums = zeroSums();
  for (const field of FIGURE_FIELDS) {
    const value = item?.[field];
    if (typeof value === 'number') sums[field] = value;
  }
  return sums;
}

/** a + b, field by field. */
export function addSums(a: FigureSums, b: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of FIGURE_FIELDS) out[f] = a[f] + b[f];
  return out;
}

/** a − b, field by field. */
export function subtractSums(a: FigureSums, b: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of FIGURE_FIELDS) out[f] = a[f] - b[f];
  return out;
}

/** Only the spend fields of some sums (value fields zero). */
export function spendOnly(sums: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of SUM_FIELDS) out[f] = sums[f];
  return out;
}

/** True when every field is zero. */
export function isZero(sums: FigureSums): boolean {
  return FIGURE_FIELDS.every((f) => sums[f] === 0);
}

const SECTOR_FIELD: Record<Sector, FigureField> = {
  voluntary: 'voluntaryPence',
  private: 'privatePence',
  public: 'publicPence',
};
const SIZE_FIELD: Record<Size, FigureField> = {
  micro: 'microPence',
  small: 'smallPence',
  medium: 'mediumPence',
  large: 'largePence',
};

/** What the figures need of a sub-contractor (as it was when the return was filed). */
export type SubcontractorProfile = Pick<Subcontractor, 'sector' | 'size'>;

/** What a return's lines contribute, given each ref's sector and size and the prompt-payment days. */
export function returnSums(
  lines: readonly SpendLine[],
  profiles: ReadonlyMap<string, SubcontractorProfile>,
  promptPaymentDays: number,
): FigureSums {
  const sums = zeroSums();
  for (const line of lines) {
    const profile = profiles.get(line.subcontractorRef);
    if (!profile) throw new Error(`No profile for sub-contractor ${line.subcontractorRef}`);
    const days = daysBetween(line.invoiceDate, line.paidDate);
    sums.subcontractedPence += line.amountPence;
    sums[SECTOR_FIELD[profile.sector]] += line.amountPence;
    sums[SIZE_FIELD[profile.size]] += line.amountPence;
    sums.invoices += 1;
    sums.daysToPay += days;
    if (days <= promptPaymentDays) sums.promptInvoices += 1;
  }
  return sums;
}

/** The target in pence for a value and a percentage: the least whole pence at or above it. */
export function targetPenceOf(valuePence: number, percent: number): number {
  const basisPoints = BigInt(Math.round(percent * 100));
  return Number((BigInt(valuePence) * basisPoints + 9_999n) / 10_000n);
}

/** The contract's value pro-rated to the days of the contract that fall in a period (rounded to pence). */
export function periodValuePence(
  contract: Pick<Contract, 'valuePence' | 'startDate' | 'endDate'>,
  period: string,
): number {
  const bounds = periodBounds(period);
  if (!bounds) return 0;
  const from = bounds.start > contract.startDate ? bounds.start : contract.startDate;
  const to = bounds.end < contract.endDate ? bounds.end : contract.endDate;
  if (to < from) return 0;
  const overlap = BigInt(daysBetween(from, to) + 1);
  const term = BigInt(daysBetween(contract.startDate, contract.endDate) + 1);
  return Number((BigInt(contract.valuePence) * overlap * 2n + term) / (2n * term));
}

/** The value fields a contract brings to its cumulative figures. */
export function contractValueSums(contract: Pick<Contract, 'valuePence' | 'subcontracting'>): FigureSums {
  const sums = zeroSums();
  sums.contractValuePence = contract.valuePence;
  sums.targetPence = targetPenceOf(contract.valuePence, contract.subcontracting.targetPercent);
  return sums;
}

/** The value fields a contract brings to one period's figures. */
export function periodValueSums(
  contract: Pick<Contract, 'valuePence' | 'startDate' | 'endDate' | 'subcontracting'>,
  period: string,
): FigureSums {
  const sums = zeroSums();
  sums.contractValuePence = periodValuePence(contract, period);
  sums.targetPence = targetPenceOf(sums.contractValuePence, contract.subcontracting.targetPercent);
  return sums;
}

/** The regional figure items: the ten regions and `national` (contracts with national coverage). */
export const FIGURE_REGIONS = [...REGIONS, NATIONAL] as const;

/** One regional figure item. */
export type FigureRegion = Region | typeof NATIONAL;

/** The regional items a contract counts in: `national`, or each of its regions, in a fixed order. */
export function figureRegions(contract: Pick<Contract, 'regions'>): FigureRegion[] {
  if (contract.regions.includes(NATIONAL) || contract.regions.length === 0) return [NATIONAL];
  return REGIONS.filter((r) => contract.regions.includes(r));
}

/** Where a contract's remainders start, fixed per contract so no region is always favoured. */
function rotation(contractId: string, count: number): number {
  let h = 0;
  for (let i = 0; i < contractId.length; i += 1) h = (h * 31 + contractId.charCodeAt(i)) >>> 0;
  return h % count;
}

/**
 * A contract's raw sums apportioned equally between its regional items: integer shares that add up to
 * each sum exactly (`sums` must be non-negative).
 */
export function splitAcross(
  contract: Pick<Contract, 'id' | 'regions'>,
  sums: FigureSums,
): { region: FigureRegion; sums: FigureSums }[] {
  const regions = figureRegions(contract);
  const count = regions.length;
  const start = rotation(contract.id, count);
  const shares = regions.map((region) => ({ region, sums: zeroSums() }));
  for (const field of FIGURE_FIELDS) {
    const total = sums[field];
    if (total < 0 || !Number.isInteger(total)) throw new Error(`Cannot split ${field} = ${total}`);
    const base = Math.floor(total / count);
    const remainder = total - base * count;
    shares.forEach((share, i) => {
      const extra = (i - start + count) % count < remainder ? 1 : 0;
      share.sums[field] = base + extra;
    });
  }
  return shares;
}

/** What one period's figures hold: the period's value fields and the current version's sums. */
export interface PeriodFigures {
  version: number;
  sums: FigureSums;
}

/** The increments a new version of a period makes to every figure item it touches. */
export interface ReturnWritePlan {
  /** The period's figures after the write (absolute: value fields and the new version's sums). */
  period: FigureSums;
  /** Added to the contract's cumulative item. */
  contract: FigureSums;
  /** Added to each regional item, per period and cumulative. */
  regions: { region: FigureRegion; period: FigureSums; cumulative: FigureSums }[];
}

/**
 * Plans the figure updates for a new version of a period's return: the period's figures are replaced, and
 * the cumulative and regional items move by the new version's contribution minus the previous one's (so an
 * amendment never counts twice). The first version of a period adds the period's value; the contract's
 * first return adds its whole value to the cumulative items.
 * @param previous the period's figures before the write, if any version exists.
 * @param contractFiled whether the contract already has a cumulative item (any earlier return).
 */
export function planReturnWrite(input: {
  contract: Pick<Contract, 'id' | 'regions' | 'valuePence' | 'startDate' | 'endDate' | 'subcontracting'>;
  period: string;
  previous: FigureSums | undefined;
  contractFiled: boolean;
  sums: FigureSums;
}): ReturnWritePlan {
  const { contract, period, previous, contractFiled } = input;
  const spend = spendOnly(input.sums);
  const before = previous ?? zeroSums();
  const after = addSums(previous ? valueOnly(previous) : periodValueSums(contract, period), spend);
  const contractBase = contractFiled ? zeroSums() : contractValueSums(contract);
  const contractDelta = addSums(contractBase, subtractSums(spendOnly(after), spendOnly(before)));

  const periodBefore = splitAcross(contract, before);
  const periodAfter = splitAcross(contract, after);
  const spendBefore = splitAcross(contract, spendOnly(before));
  const spendAfter = splitAcross(contract, spendOnly(after));
  const valueShares = splitAcross(contract, contractBase);
  const regions = periodAfter.map((share, i) => ({
    region: share.region,
    period: subtractSums(share.sums, (periodBefore[i] as { sums: FigureSums }).sums),
    cumulative: addSums(
      (valueShares[i] as { sums: FigureSums }).sums,
      subtractSums(
        (spendAfter[i] as { sums: FigureSums }).sums,
        (spendBefore[i] as { sums: FigureSums }).sums,
      ),
    ),
  }));
  return { period: after, contract: contractDelta, regions };
}

function valueOnly(sums: FigureSums): FigureSums {
  const out = zeroSums();
  for (const f of VALUE_FIELDS) out[f] = sums[f];
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Figures as reported (percentages computed on read)
// ---------------------------------------------------------------------------------------------------------

/** A share of something: pence and its percentage. */
export interface Share {
  pence: number;
  percent: number;
}

/** Sub-contracting figures, as every view reports them. */
export interface Figures {
  contractValuePence: number;
  subcontractedPence: number;
  /** Sub-contracted spend ÷ contract value. */
  subcontractedPercent: number;
  /** Share of sub-contracted spend paid to voluntary-sector sub-contractors. */
  voluntaryPercent: number;
  /** Share of sub-contracted spend paid to micro, small and medium sub-contractors. */
  smePercent: number;
  bySector: Record<Sector, Share>;
  bySize: Record<Size, Share>;
  promptPayment: {
    invoices: number;
    /** Invoices paid within `withinDays` of their invoice date, as a share of all invoices. */
    paidWithin30DaysPercent: number;
    averageDaysToPay: number;
    withinDays: number;
  };
  target: {
    percent: number;
    /** The target as pence of contract value. */
    pence: number;
    /** Null when there is nothing to judge: no contract has filed a return (see `figuresOf`). */
    met: boolean | null;
    voluntarySectorPercent?: number;
    /** Null when nothing has been paid to sub-contractors, so there is no share to judge. */
    voluntarySectorMet?: boolean | null;
  };
}

/** n ÷ d as a percentage rounded half up to two decimals, exactly; 0 when d is 0. */
export function percentOf(n: number, d: number): number {
  if (d === 0) return 0;
  const negative = n < 0 !== d < 0;
  const num = BigInt(Math.abs(n)) * 20_000n;
  const den = BigInt(Math.abs(d));
  const hundredths = (num / den + 1n) / 2n;
  return (negative ? -1 : 1) * (Number(hundredths) / 100);
}

/** n ÷ d rounded half up to two decimals; 0 when d is 0. */
export function ratioOf(n: number, d: number): number {
  return percentOf(n, d * 100);
}

/** Sub-contracting targets that only a single contract has. */
export interface ContractTargets {
  targetPercent: number;
  voluntarySectorTargetPercent?: number | undefined;
}

/**
 * The reported figures from raw sums. `targets` are a contract's own (its percentages as set); without
 * them (a region, the network) the target percentage is the value-weighted one, target pence ÷ value.
 *
 * `target.met` is null when there is nothing to judge: `reported` is false (a contract that has filed no
 * return) or no contract value is in the sums (a region or quarter where no contract has filed). Zero
 * spend against zero value is "no data", never "met". `voluntarySectorMet` is null while nothing has been
 * paid to sub-contractors (a share of nothing).
 * @param reported whether the sums hold at least one filed return; by default, whether any contract value
 *   is in them (value enters the figures only with a contract's first return).
 */
export function figuresOf(
  sums: FigureSums,
  promptPaymentDays: number,
  targets?: ContractTargets,
  reported = sums.contractValuePence > 0,
): Figures {
  const sub = sums.subcontractedPence;
  const share = (pence: number): Share => ({ pence, percent: percentOf(pence, sub) });
  const sme = sums.microPence + sums.smallPence + sums.mediumPence;
  const target: Figures['target'] = {
    percent: targets ? targets.targetPercent : percentOf(sums.targetPence, sums.contractValuePence),
    pence: sums.targetPence,
    met: reported ? sub >= sums.targetPence : null,
  };
  if (targets?.voluntarySectorTargetPercent !== undefined) {
    target.voluntarySectorPercent = targets.voluntarySectorTargetPercent;
    target.voluntarySectorMet =
      reported && sub > 0
        ? sums.voluntaryPence >= targetPenceOf(sub, targets.voluntarySectorTargetPercent)
        : null;
  }
  return {
    contractValuePence: sums.contractValuePence,
    subcontractedPence: sub,
    subcontractedPercent: percentOf(sub, sums.contractValuePence),
    voluntaryPercent: percentOf(sums.voluntaryPence, sub),
    smePercent: percentOf(sme, sub),
    bySector: Object.fromEntries(SECTORS.map((s) => [s, share(sums[SECTOR_FIELD[s]])])) as Record<
      Sector,
      Share
    >,
    bySize: Object.fromEntries(SIZES.map((s) => [s, share(sums[SIZE_FIELD[s]])])) as Record<Size, Share>,
    promptPayment: {
      invoices: sums.invoices,
      paidWithin30DaysPercent: percentOf(sums.promptInvoices, sums.invoices),
      averageDaysToPay: ratioOf(sums.daysToPay, sums.invoices),
      withinDays: promptPaymentDays,
    },
    target,
  };
}
