/**
 * Reads a cohort's results body by its media type: `text/csv` (decoded when API Gateway sent it
 * base64-encoded) through `readCohortResultsCsv`, `application/json` checked against `cohortResultsBody`.
 * Anything else is refused. Either way the use case gets `{ tiers }`.
 */
import { ValidationError } from '../../shared/domain/errors';
import type { RiskTier } from '../../shared/domain/payment-by-results/mechanism';
import type { TierResult } from '../../shared/domain/payment-by-results/payments';
import { RESULTS_CSV_HEADER, readCohortResultsCsv } from '../../shared/domain/payment-by-results/results-csv';
import { zodIssues } from '../../shared/http/middleware/validate';
import { cohortResultsBody } from '../../shared/http/schemas/payment-by-results';
import type { HttpEvent } from '../../shared/http/types';

const WRONG_MEDIA_TYPE = {
  path: '',
  message: `Send the results as application/json ({ "tiers": { … } }) or text/csv (header ${RESULTS_CSV_HEADER})`,
};

/** The results carried by the request. */
export function cohortResultsSubmission(event: HttpEvent): {
  tiers: Partial<Record<RiskTier, TierResult>>;
} {
  const contentType = (event.headers?.['content-type'] ?? '').toLowerCase();
  const body: unknown = event.body;
  if (contentType.startsWith('text/csv')) {
    if (typeof body !== 'string' || body === '') {
      throw new ValidationError('The results file is empty.', [WRONG_MEDIA_TYPE]);
    }
    return readCohortResultsCsv(event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body);
  }
  if (/^application\/([a-z.+-]*\+)?json/.test(contentType) && typeof body === 'object' && body !== null) {
    const parsed = cohortResultsBody.safeParse(body);
    if (!parsed.success) {
      throw new ValidationError('The results are not valid.', zodIssues(parsed.error));
    }
    return parsed.data;
  }
  throw new ValidationError('Send the results as JSON or as CSV.', [WRONG_MEDIA_TYPE]);
}
