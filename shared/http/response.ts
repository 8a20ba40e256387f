/**
 * Response helpers for route handlers.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A JSON response; responses are not cached by default because most carry caller-specific data. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}
