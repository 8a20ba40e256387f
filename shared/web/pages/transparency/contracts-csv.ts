/**
 * `GET /transparency/contracts.csv` as a file (issue 16): every contract over £10,000, one row each, in the
 * order they were let, written by `shared/web/csv.ts`'s rules (RFC 4180 quoting, CRLF, a byte-order mark,
 * pence to pounds exactly, formulas defused) so it opens cleanly in a spreadsheet.
 *
 * A file holds at most `MAX_CSV_ROWS` (10,000) contracts and stops before `MAX_CSV_BYTES` (4 MB: a Lambda
 * answer is at most 6 MB, and a row of the longest titles and names is about 2 KB); when more are listed,
 * the answer's `Link` header (`rel="next"`) names the next file. Served by the public `publication` function.
 */
import type { ListedContract } from '../../../domain/publication/listed-contracts';
import type { HttpResult } from '../../../http/types';
import type { ListedContractsPage } from '../../../use-cases/publication/transparency';
import { listedContractsCursor } from '../../../use-cases/publication/transparency';
import { type CsvCell, csvResponse, poundsCell, textField, toCsv } from '../../csv';
import { label } from '../../labels';

/** The columns, in order. */
export const CONTRACTS_CSV_HEADER = [
  'Title',
  'Supplier',
  'Supplier sector',
  'Supplier size',
  'Value (GBP)',
  'Start date',
  'End date',
  'Regions',
  'Contract ID',
] as const;

/** The most bytes one file's rows may take, as the Lambda answer carries them (JSON-escaped). */
export const MAX_CSV_BYTES = 4_000_000;

/** The file name a browser saves the download as. */
export const CONTRACTS_CSV_FILE = 'contracts-over-10000-pounds.csv';

/** One contract's cells: words for codes, pounds with two decimals, ISO dates. */
function cells(contract: ListedContract): CsvCell[] {
  return [
    contract.title,
    contract.supplier.name,
    label(contract.supplier.sector),
    label(contract.supplier.size),
    poundsCell(contract.valuePence),
    contract.startDate,
    contract.endDate,
    contract.regions.map(label).join('; '),
    contract.contractId,
  ];
}

/** A row's size in the Lambda answer: its CSV text, JSON-escaped, and the line break after it. */
function rowBytes(row: readonly CsvCell[]): number {
  const line = row
    .map((cell) =>
      typeof cell === 'string' ? textField(cell) : typeof cell === 'object' && cell ? cell.csvNumber : '',
    )
    .join(',');
  return Buffer.byteLength(JSON.stringify(`${line}\r\n`));
}

/**
 * The CSV answer of a page of listed contracts: the rows that fit in `maxBytes` (at least one), and a
 * `Link` to the next file when the page was cut short or more contracts are listed after it.
 */
export function contractsCsvResponse(page: ListedContractsPage, maxBytes = MAX_CSV_BYTES): HttpResult {
  const rows: CsvCell[][] = [];
  let bytes = 0;
  let next = page.nextCursor;
  for (const [i, item] of page.items.entries()) {
    const row = cells(item.contract);
    const size = rowBytes(row);
    if (rows.length > 0 && bytes + size > maxBytes) {
      const previous = page.items[i - 1];
      next = previous ? listedContractsCursor(previous.position) : next;
      break;
    }
    rows.push(row);
    bytes += size;
  }
  const answer = csvResponse(CONTRACTS_CSV_FILE, toCsv(CONTRACTS_CSV_HEADER, rows));
  return {
    ...answer,
    headers: {
      ...answer.headers,
      // Public data, the same for everyone: caches may keep it a few minutes (a new contract waits that long).
      'cache-control': 'public, max-age=300',
      ...(next
        ? { link: `</transparency/contracts.csv?cursor=${encodeURIComponent(next)}>; rel="next"` }
        : {}),
    },
  };
}
