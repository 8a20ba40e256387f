/**
 * What every answer of a JSON route must be (issue 13): never a 5xx; a 4xx is `application/problem+json`
 * with a `type` and a `title` (the documented Problem schema); a 2xx is a documented status whose body
 * matches the documented response schema exactly: the zod schema the document is written from, with no
 * field the schema does not name (the document says `additionalProperties: false`).
 */
import type { z } from 'zod';
import { problemSchema } from '../../../shared/http/schemas/common';
import type { RawResponse } from './client';
import type { RoutePlan } from './routes';

/** One broken rule, with a stable `kind` for grouping. */
export interface Breach {
  kind: string;
  detail: string;
}

const parseJson = (text: string): { ok: true; value: unknown } | { ok: false } => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

/** Fields present in `sent` that the parsed (stripped) value lacks: fields the schema does not name. */
export function undocumentedFields(sent: unknown, parsed: unknown, path = ''): string[] {
  if (Array.isArray(sent) && Array.isArray(parsed))
    return sent.flatMap((item, i) => undocumentedFields(item, parsed[i], `${path}[${i}]`));
  if (sent && typeof sent === 'object' && parsed && typeof parsed === 'object') {
    return Object.entries(sent).flatMap(([key, child]) =>
      Object.hasOwn(parsed, key)
        ? undocumentedFields(child, (parsed as Record<string, unknown>)[key], path ? `${path}.${key}` : key)
        : [path ? `${path}.${key}` : key],
    );
  }
  return [];
}

const zodSummary = (error: z.ZodError) =>
  error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');

/** The rules the answer breaks (empty when it keeps them all). */
export function judge(route: RoutePlan, response: RawResponse): Breach[] {
  const { status } = response;
  const contentType = response.headers['content-type'] ?? '';
  if (status >= 500) return [{ kind: '5xx', detail: `${status} ${response.text.slice(0, 300)}` }];
  if (status >= 400) {
    const breaches: Breach[] = [];
    if (!contentType.startsWith('application/problem+json'))
      breaches.push({
        kind: '4xx not problem+json',
        detail: `${status} content-type ${contentType || '(none)'}: ${response.text.slice(0, 200)}`,
      });
    const body = parseJson(response.text);
    if (!body.ok) {
      breaches.push({ kind: '4xx body not JSON', detail: `${status} ${response.text.slice(0, 200)}` });
      return breaches;
    }
    const problem = problemSchema.safeParse(body.value);
    const value = body.value as { type?: unknown; title?: unknown; status?: unknown };
    if (
      !problem.success ||
      typeof value.type !== 'string' ||
      value.type === '' ||
      typeof value.title !== 'string'
    )
      breaches.push({
        kind: '4xx not a Problem',
        detail: `${status} ${problem.success ? 'empty type or title' : zodSummary(problem.error)}: ${response.text.slice(0, 200)}`,
      });
    else if (value.status !== status)
      breaches.push({
        kind: '4xx status mismatch',
        detail: `HTTP ${status}, problem status ${String(value.status)}`,
      });
    return breaches;
  }
  if (status >= 200 && status < 300) {
    const schema = route.responses[String(status)];
    if (!schema)
      return [
        {
          kind: 'undocumented 2xx',
          detail: `${status} is not documented (documented: ${Object.keys(route.responses).join(', ')})`,
        },
      ];
    if (status === 204) return [];
    // A documented non-JSON answer (a CSV download) is checked for its media type; its cells are the
    // route's own tests' business.
    if (route.responseMediaType !== undefined)
      return contentType.startsWith(route.responseMediaType)
        ? []
        : [{ kind: '2xx not its media type', detail: `${status} content-type ${contentType || '(none)'}` }];
    if (!contentType.startsWith('application/json'))
      return [{ kind: '2xx not JSON', detail: `${status} content-type ${contentType || '(none)'}` }];
    const body = parseJson(response.text);
    if (!body.ok) return [{ kind: '2xx not JSON', detail: `${status} ${response.text.slice(0, 200)}` }];
    const parsed = schema.safeParse(body.value);
    if (!parsed.success)
      return [{ kind: '2xx does not match its schema', detail: `${status} ${zodSummary(parsed.error)}` }];
    const extra = undocumentedFields(body.value, parsed.data);
    if (extra.length > 0)
      return [{ kind: '2xx has undocumented fields', detail: `${status} ${extra.slice(0, 8).join(', ')}` }];
    return [];
  }
  return [{ kind: 'unexpected status', detail: `${status} ${response.text.slice(0, 200)}` }];
}
