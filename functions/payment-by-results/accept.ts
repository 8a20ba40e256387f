/**
 * Content negotiation for the outcome statement: CSV when the `Accept` header prefers `text/csv` to JSON.
 */

/** The quality (`q`) of each media range in an `Accept` header, lower-cased. */
function qualities(accept: string): Map<string, number> {
  const ranges = new Map<string, number>();
  for (const part of accept.split(',').slice(0, 50)) {
    const [range, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
    if (!range) continue;
    const q = parameters.find((parameter) => parameter.startsWith('q='));
    const quality = q ? Number(q.slice(2)) : 1;
    ranges.set(range, Number.isFinite(quality) ? quality : 0);
  }
  return ranges;
}

/**
 * True when the client asks for CSV before JSON (`Accept: text/csv`, or `text/csv, application/json;q=0.5`).
 * Only explicit ranges count (a wildcard says nothing about preference), and a tie goes to JSON, the API's
 * own format.
 */
export function prefersCsv(accept: string | undefined): boolean {
  if (!accept) return false;
  const ranges = qualities(accept);
  const csv = ranges.get('text/csv') ?? 0;
  const jsonQuality = Math.max(ranges.get('application/json') ?? 0, ranges.get('application/*') ?? 0);
  return csv > 0 && csv > jsonQuality;
}
