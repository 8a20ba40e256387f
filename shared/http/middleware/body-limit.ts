/**
 * Caps request bodies (DESIGN.md section 5: 1 MB for JSON, 5 MB for CSV) with a clear 413, before any
 * parsing work is spent on them.
 */
import type { MiddlewareObj } from '@middy/core';
import { PayloadTooLargeError } from '../../domain/errors';
import type { HttpEvent, HttpResult } from '../types';

/** Bytes in the event body as sent. */
export function bodyBytes(event: HttpEvent): number {
  if (event.body === undefined || event.body === null) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body);
}

/** Rejects bodies over the limit for their media type. */
export function bodyLimit(limits: { json: number; csv: number }): MiddlewareObj<HttpEvent, HttpResult> {
  return {
    before: async (request) => {
      const contentType = request.event.headers?.['content-type'] ?? '';
      const csv = contentType.startsWith('text/csv');
      const limit = csv ? limits.csv : limits.json;
      const size = bodyBytes(request.event);
      if (size > limit) {
        throw new PayloadTooLargeError(
          `The request body is ${size} bytes; ${csv ? 'CSV' : 'JSON'} bodies may be at most ${limit} bytes.`,
        );
      }
    },
  };
}
