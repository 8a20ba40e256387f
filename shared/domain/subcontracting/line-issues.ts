/**
 * The problems of a refused return as the API reports them (pure): in row and field order, as JSON paths
 * (`lines.N.field`) or CSV rows and columns (`{ row, field }`), and at most `MAX_REPORTED_ISSUES` of them
 * followed by one line saying how many more there are – so a return of junk gets a short answer, however
 * long it is.
 */
import type { FieldIssue } from '../errors';
import { csvColumnOf, type LineIssue } from './lines';

/** Most problems listed in one refusal; one more line then says how many were left out. */
export const MAX_REPORTED_ISSUES = 100;

const FIELD_ORDER: LineIssue['field'][] = [
  'header',
  'row',
  'subcontractorRef',
  'invoiceRef',
  'invoiceDate',
  'paidDate',
  'amountPence',
];

/** Orders issues by position, then by field order, so every answer lists them the same way (stable). */
export function sortIssues(issues: readonly LineIssue[]): LineIssue[] {
  return [...issues].sort(
    (a, b) => a.position - b.position || FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field),
  );
}

/** Line issues as field issues: `lines.N.field` for JSON, `{ row, field }` (CSV column) for CSV. */
export function toFieldIssues(issues: readonly LineIssue[], format: 'json' | 'csv'): FieldIssue[] {
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

/** A refusal's problems as reported, and the problem's detail. */
export interface IssueReport {
  detail: string;
  issues: FieldIssue[];
}

const count = (n: number, what: string) => `${n.toLocaleString('en-GB')} ${what}${n === 1 ? '' : 's'}`;

/**
 * The problems to report for a refused return: the first `MAX_REPORTED_ISSUES` in row and field order,
 * then – when there are more – one line (path `lines` for JSON, `''` for CSV: it is about no single row)
 * saying how many more.
 * @param stoppedAfter the CSV row after which reading stopped (too many problems, or a row it could not
 *   read past): problems beyond it were not looked for, so the count is a lower bound.
 */
export function reportIssues(
  issues: readonly LineIssue[],
  format: 'json' | 'csv',
  stoppedAfter?: number,
): IssueReport {
  const all = toFieldIssues(issues, format);
  const listed = all.slice(0, MAX_REPORTED_ISSUES);
  const more = all.length - listed.length;
  const where =
    stoppedAfter === undefined ? '' : ` up to row ${stoppedAfter} (line ${stoppedAfter + 1} of the file)`;
  const atLeast = stoppedAfter === undefined ? '' : 'at least ';
  if (more === 0) {
    return {
      detail: `The return has ${atLeast}${count(all.length, 'problem')}; nothing was stored.`,
      issues: listed,
    };
  }
  const unread = stoppedAfter === undefined ? '' : `; the file was not checked past row ${stoppedAfter}`;
  return {
    detail: `The return has ${atLeast}${count(all.length, 'problem')}${where}; the first ${MAX_REPORTED_ISSUES} are listed${unread}. Nothing was stored.`,
    issues: [
      ...listed,
      {
        path: format === 'json' ? 'lines' : '',
        message: `${count(more, 'more problem')}${where} ${more === 1 ? 'is' : 'are'} not listed${unread}: correct the ones listed and send the return again.`,
      },
    ],
  };
}
