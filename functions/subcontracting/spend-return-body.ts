/**
 * Reads a spend return's body by its media type: `text/csv` as text (decoded when API Gateway sent it
 * base64-encoded), `application/json` as lines checked for shape. Anything else is refused.
 */
import { ValidationError } from '../../shared/domain/errors';
import { spendReturnJsonLines, unsupportedMediaType } from '../../shared/http/schemas/subcontracting';
import type { HttpEvent } from '../../shared/http/types';
import type { SpendReturnSubmission } from '../../shared/use-cases/subcontracting/spend-returns';

/** The submission carried by the request. */
export function spendReturnSubmission(event: HttpEvent): SpendReturnSubmission {
  const contentType = (event.headers?.['content-type'] ?? '').toLowerCase();
  const body: unknown = event.body;
  if (contentType.startsWith('text/csv')) {
    if (typeof body !== 'string' || body === '') {
      throw new ValidationError('The CSV return is empty.', [unsupportedMediaType]);
    }
    return {
      format: 'csv',
      text: event.isBase64Encoded ? Buffer.from(body, 'base64').toString('utf8') : body,
    };
  }
  if (/^application\/([a-z.+-]*\+)?json/.test(contentType) && typeof body === 'object' && body !== null) {
    return { format: 'json', ...spendReturnJsonLines(body) };
  }
  throw new ValidationError('Send the return as JSON or as CSV.', [unsupportedMediaType]);
}
