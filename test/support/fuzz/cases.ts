/**
 * The random requests the fuzz suite sends to one route, drawn with fast-check: a caller of any role (half
 * the time the one most likely to be let in), real or hostile path values, valid or hostile query strings,
 * schema-valid, seeded, mutated, mistyped or malformed bodies under various media types and headers.
 */
import fc from 'fast-check';
import type { RawRequest } from './client';
import {
  CONTENT_TYPES,
  HOSTILE_CURSORS,
  HOSTILE_NUMBERS,
  HOSTILE_PATH,
  HOSTILE_QUERIES,
  HOSTILE_STRINGS,
  type Labelled,
  MALFORMED_BODIES,
  MUTATIONS,
  WRONG_TYPES,
} from './hostile';
import { fillPath, type Parameter, type RoutePlan } from './routes';
import { arbitraryOf, type JsonSchema } from './schema-arbitrary';
import { bodyHints, insiderFor, realPathValues } from './values';
import { CALLERS, type Caller, type World } from './world';

/** One request to send, with who sends it and what is odd about it. */
export interface FuzzCase {
  caller: Caller;
  /** What the input is, in words: `caller=owner; id=%zz; body: contact.email as null`. */
  label: string;
  request: RawRequest;
}

/** What the generators need besides the route. */
export interface CaseContext {
  world: World;
  components: Record<string, JsonSchema>;
}

const short = (text: string, max = 40) => {
  const oneLine = JSON.stringify(text).slice(1, -1);
  return oneLine.length > max ? `${oneLine.slice(0, max)}…(${text.length} chars)` : oneLine;
};

function pathParamArbitrary(route: RoutePlan, param: Parameter, context: CaseContext) {
  const real = realPathValues(route, param.name, context.world);
  const fromSchema = arbitraryOf(param.schema, { components: context.components }).map((value) => ({
    label: `${param.name}=${short(String(value))}`,
    value: encodeURIComponent(String(value)),
  }));
  const hostile = fc.constantFrom(...HOSTILE_PATH).map((segment) => ({
    label: `${param.name}=${short(segment.text)}${segment.raw ? ' (raw)' : ''}`,
    value: segment.raw ? segment.text : encodeURIComponent(segment.text),
  }));
  const arbitraries: fc.WeightedArbitrary<Labelled<string>>[] = [
    { weight: 1, arbitrary: fromSchema },
    { weight: 3, arbitrary: hostile },
  ];
  if (real.length > 0)
    arbitraries.push({
      weight: 5,
      arbitrary: fc.constantFrom(...real).map((value) => ({ label: '', value: encodeURIComponent(value) })),
    });
  return fc.oneof(...arbitraries);
}

/** Query parameters that take a cursor. */
export const CURSOR_NAMES = new Set(['cursor', 'before', 'checkpoint']);

function hostileQueryValue(param: Parameter): fc.Arbitrary<Labelled<string>> {
  if (CURSOR_NAMES.has(param.name))
    return fc
      .constantFrom(...HOSTILE_CURSORS)
      .map(({ label, value }) => ({ label: `${param.name}: ${label}`, value }));
  const numeric = param.schema.type === 'integer' || param.schema.type === 'number';
  return fc
    .constantFrom(...(numeric ? HOSTILE_NUMBERS : HOSTILE_STRINGS))
    .map((value) => ({ label: `${param.name}=${short(value)}`, value }));
}

/** A query string of name-value pairs, percent-encoded. */
export const encodeQuery = (pairs: [string, string][]) =>
  pairs.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`).join('&');

function queryArbitrary(route: RoutePlan, context: CaseContext): fc.Arbitrary<Labelled<string>> {
  const hostileRaw = fc
    .constantFrom(...HOSTILE_QUERIES)
    .map(({ label, value }) => ({ label: `query: ${label}`, value }));
  if (route.queryParams.length === 0)
    return fc.oneof(
      { weight: 6, arbitrary: fc.constant({ label: '', value: '' }) },
      { weight: 1, arbitrary: hostileRaw },
    );
  const hints = bodyHints(context.world);
  const valid = fc
    .tuple(
      ...route.queryParams.map((param) =>
        fc.option(
          arbitraryOf(param.schema, { components: context.components, hints }).map((value) => [
            param.name,
            String(value),
          ]),
          { nil: undefined, freq: param.required ? 0 : 2 },
        ),
      ),
    )
    .map((pairs) => pairs.filter((pair): pair is [string, string] => pair !== undefined));
  const oneHostile = fc.tuple(valid, fc.constantFrom(...route.queryParams)).chain(([pairs, param]) =>
    hostileQueryValue(param).map(({ label, value }) => ({
      label: `query ${label}`,
      value: encodeQuery([...pairs.filter(([name]) => name !== param.name), [param.name, value]]),
    })),
  );
  return fc.oneof(
    { weight: 4, arbitrary: valid.map((pairs) => ({ label: '', value: encodeQuery(pairs) })) },
    { weight: 4, arbitrary: oneHostile },
    { weight: 1, arbitrary: hostileRaw },
  );
}

/** A body and the media type it is sent as (`undefined`: no Content-Type header). */
export interface Body {
  label: string;
  bytes: Buffer | undefined;
  contentType: string | undefined;
}

/** A value as JSON bytes. */
export const json = (value: unknown) => Buffer.from(JSON.stringify(value) ?? 'null');

function csvBodies(route: RoutePlan): fc.Arbitrary<Body> {
  const header = route.csvHeader ?? 'subcontractor_ref,invoice_ref,invoice_date,paid_date,amount';
  const columns = header.split(',').length;
  const rows = [
    'SUB-1,INV-9,2025-01-10,2025-02-01,12.34',
    'SUB-1,"INV ""quoted""",2025-01-10,2025-02-01,1.00',
    'SUB-1,INV-10,2025-01-10,2025-02-01,99999999999999999999.99',
    'SUB-1,INV-11,2025-01-10,2025-02-01,-5',
    'SUB-1,INV-12,2025-01-10,2025-02-01,1e3',
    '=cmd|/c calc,INV-13,2025-01-10,2025-02-01,1.00',
    '"unterminated,INV-14,2025-01-10,2025-02-01,1.00',
    'too,few',
    Array.from({ length: columns + 5 }, () => 'x').join(','),
    'constructor,__proto__,2025-01-10,2025-02-01,1.00',
    `SUB-1,${'x'.repeat(5000)},2025-01-10,2025-02-01,1.00`,
    '\u0000,\u0000,\u0000,\u0000,\u0000',
  ];
  return fc
    .tuple(
      fc.constantFrom('', '\ufeff', 'wrong,header\n', `${header.toUpperCase()}\n`),
      fc.array(fc.constantFrom(...rows), { minLength: 0, maxLength: 6 }),
      fc.constantFrom('\n', '\r\n', '\r'),
    )
    .map(([prefix, lines, eol]) => {
      const head = prefix.endsWith('\n') ? prefix : `${prefix}${header}${eol}`;
      return {
        label: `CSV: ${short(head, 20)} + ${lines.length} rows`,
        bytes: Buffer.from(`${head}${lines.join(eol)}`),
        contentType: 'text/csv',
      };
    });
}

function bodyArbitrary(route: RoutePlan, context: CaseContext): fc.Arbitrary<Body> {
  const malformed = fc.constantFrom(...MALFORMED_BODIES).map(({ label, value }) => ({
    label: `malformed body: ${label}`,
    bytes: value,
    contentType: 'application/json',
  }));
  if (!route.body)
    return fc.oneof(
      { weight: 8, arbitrary: fc.constant({ label: '', bytes: undefined, contentType: undefined }) },
      {
        weight: 1,
        arbitrary: fc.constant({
          label: 'an unexpected body',
          bytes: json({ a: 1 }),
          contentType: 'application/json',
        }),
      },
      { weight: 1, arbitrary: malformed },
    );
  const drawn = arbitraryOf(route.body, { components: context.components, hints: bodyHints(context.world) });
  // A body the route accepted while seeding, when there is one: its mutations get past the schema into
  // the use case, one odd field at a time.
  const example = context.world.examples[route.key];
  const valid: fc.Arbitrary<Labelled<unknown>> =
    example === undefined
      ? drawn.map((value) => ({ label: 'schema-valid body', value }))
      : fc.oneof(
          drawn.map((value) => ({ label: 'schema-valid body', value })),
          fc.constant({ label: 'seeded body', value: JSON.parse(JSON.stringify(example)) as unknown }),
        );
  const arbitraries: fc.WeightedArbitrary<Body>[] = [
    {
      weight: 4,
      arbitrary: valid.map(({ label, value }) => ({
        label,
        bytes: json(value),
        contentType: 'application/json',
      })),
    },
    {
      weight: 6,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...MUTATIONS))
        .chain(([base, mutate]) =>
          mutate(base.value).map((mutated) => ({ ...mutated, label: `${base.label}, ${mutated.label}` })),
        )
        .map(({ label, value }) => ({ label, bytes: json(value), contentType: 'application/json' })),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom(...WRONG_TYPES).map((value) => ({
        label: `body: ${JSON.stringify(value)}`,
        bytes: json(value),
        contentType: 'application/json',
      })),
    },
    { weight: 1, arbitrary: malformed },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...CONTENT_TYPES))
        .map(([{ label, value }, contentType]) => ({
          label: `${label} as ${contentType ?? 'no content type'}`,
          bytes: json(value),
          contentType,
        })),
    },
    {
      weight: 1,
      arbitrary: fc.constant({ label: 'no body', bytes: undefined, contentType: 'application/json' }),
    },
  ];
  if (route.acceptsCsv) arbitraries.push({ weight: 3, arbitrary: csvBodies(route) });
  return fc.oneof(...arbitraries);
}

function headerArbitrary(route: RoutePlan): fc.Arbitrary<Labelled<Record<string, string>>> {
  const accept = fc.constantFrom<Record<string, string>>(
    { accept: 'application/json' },
    {},
    { accept: '*/*' },
    { accept: 'application/problem+json' },
  );
  const keys = route.idempotent
    ? fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.uuid() },
        { weight: 1, arbitrary: fc.constantFrom(' ', 'k'.repeat(300), '__proto__', '%zz', 'constructor') },
      )
    : fc.constant(undefined);
  const encodings = fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom('gzip', 'br', 'identity, gzip', 'x-junk') },
  );
  return fc.tuple(accept, keys, encodings).map(([headers, key, encoding]) => ({
    label: [
      key !== undefined ? `Idempotency-Key ${short(key, 12)}` : '',
      encoding ? `Content-Encoding ${encoding}` : '',
    ]
      .filter(Boolean)
      .join('; '),
    value: {
      ...headers,
      ...(key !== undefined ? { 'idempotency-key': key } : {}),
      ...(encoding ? { 'content-encoding': encoding } : {}),
    },
  }));
}

/** Puts a case together. */
export function assemble(
  route: RoutePlan,
  world: World,
  parts: {
    caller: Caller;
    segments: Record<string, Labelled<string>>;
    query: Labelled<string>;
    body: Body;
    headers?: Labelled<Record<string, string>>;
  },
): FuzzCase {
  const headers: Record<string, string> = { ...(parts.headers?.value ?? { accept: 'application/json' }) };
  const authorization = world.authorization[parts.caller];
  if (authorization) headers.authorization = authorization;
  if (parts.body.contentType !== undefined) headers['content-type'] = parts.body.contentType;
  const path = fillPath(
    route.path,
    Object.fromEntries(Object.entries(parts.segments).map(([name, segment]) => [name, segment.value])),
  );
  const label = [
    `caller=${parts.caller}`,
    ...Object.values(parts.segments).map((segment) => segment.label),
    parts.query.label,
    parts.body.label,
    parts.headers?.label ?? '',
  ]
    .filter(Boolean)
    .join('; ');
  return {
    caller: parts.caller,
    label,
    request: {
      method: route.method,
      target: parts.query.value ? `${path}?${parts.query.value}` : path,
      headers,
      ...(parts.body.bytes !== undefined ? { body: parts.body.bytes } : {}),
    },
  };
}

/** The arbitrary of random cases for a route. */
export function caseArbitrary(route: RoutePlan, context: CaseContext): fc.Arbitrary<FuzzCase> {
  const segments = fc.record(
    Object.fromEntries(
      route.pathParams.map((param) => [param.name, pathParamArbitrary(route, param, context)]),
    ),
  ) as fc.Arbitrary<Record<string, Labelled<string>>>;
  return fc
    .record({
      // Half the time the caller most likely to be let in, so that the input reaches the code behind the
      // access checks; otherwise anyone.
      caller: fc.oneof(fc.constant(insiderFor(route)), fc.constantFrom(...CALLERS)),
      segments,
      query: queryArbitrary(route, context),
      body: bodyArbitrary(route, context),
      headers: headerArbitrary(route),
    })
    .map((parts) => assemble(route, context.world, parts));
}
