/**
 * The set-up calls scenarios make to the API through the gateway.
 */
import type { HttpMethod } from '../shared/http/routes';
import type { ApiCallOptions } from './scenarios';

/**
 * Calls `method path` on the gateway and returns the parsed JSON body (undefined when empty).
 * @throws Error naming the status and the start of the body when the answer is not 2xx.
 */
export async function callApi(
  baseUrl: string,
  method: HttpMethod,
  path: string,
  options: ApiCallOptions = {},
): Promise<unknown> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}
