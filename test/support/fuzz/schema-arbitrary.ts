/**
 * fast-check arbitraries for the values a JSON Schema of the OpenAPI document allows (the document's
 * request bodies and query parameters are written from the zod schemas, so a value drawn here is what the
 * document promises the API accepts). No package converts zod 4 or JSON Schema 2020-12 to fast-check, so
 * this covers the keywords the document uses and throws on any other, so a new keyword cannot silently
 * make the "schema-valid" bodies invalid.
 *
 * Hints put real values (ids of seeded providers, competitions, bids…) into string properties by name,
 * so some valid bodies reach past "not found" into the use cases.
 */
import fc from 'fast-check';

/** A JSON Schema object. */
export type JsonSchema = Record<string, unknown>;

/** How values are drawn. */
export interface SchemaArbitraryOptions {
  /** `components.schemas` of the document, for `#/components/schemas/<id>` references. */
  components: Record<string, JsonSchema>;
  /**
   * Real values for a property, by its name (`providerId`, `bidId`…), drawn instead of a generated value
   * two times in three (a list's items take the list's hints); `<name>{}` gives keys for a record.
   */
  hints?: (property: string) => readonly unknown[] | undefined;
  /**
   * `typical` (the default): short strings and arrays, with the bounds now and then; `maximal`: every string
   * and array at its maximum length, every optional property present (the largest body the schema allows).
   */
  size?: 'typical' | 'maximal';
  /** With `maximal`: at most this many items in any list or record (to stay under a body limit). */
  maxItems?: number;
}

/** Record keys that are object prototype names, drawn now and then in every record (issue 13, item 7). */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'];

/** Keywords that only describe, or that this generator honours. Anything else throws. */
const KNOWN = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'anyOf',
  'oneOf',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'minProperties',
  'maxProperties',
  'items',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'default',
  'description',
  'title',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
]);

const COMPONENTS = '#/components/schemas/';
/** Arrays and strings stay short unless `maximal` asks for the bound: these are requests, sent one by one. */
const TYPICAL_ITEMS = 4;
const TYPICAL_CHARS = 24;

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** The arbitrary for values of `schema`. */
export function arbitraryOf(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  return build(schema, options, undefined, 0);
}

function build(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
  property: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  if (depth > 20) throw new Error('Schema nests deeper than 20 levels: a recursive schema needs fc.letrec');
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword)) throw new Error(`The fuzz generator does not know the keyword ${keyword}`);
  }
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = ref.startsWith(COMPONENTS) ? options.components[ref.slice(COMPONENTS.length)] : undefined;
    if (!target) throw new Error(`Unresolved reference ${ref}`);
    return build(target, options, property, depth + 1);
  }
  const hinted = property !== undefined && schema.type !== 'array' ? options.hints?.(property) : undefined;
  if (hinted && hinted.length > 0) {
    const generated = build(schema, { ...options, hints: undefined }, undefined, depth + 1);
    if (options.size === 'maximal') return fc.constant(hinted[0]);
    return fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom(...hinted) },
      { weight: 1, arbitrary: generated },
    );
  }
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  const alternatives = (schema.anyOf ?? schema.oneOf) as JsonSchema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => build(s, options, property, depth + 1)));
  const type = schema.type;
  if (Array.isArray(type)) {
    return fc.oneof(...type.map((t) => build({ ...schema, type: t }, options, property, depth + 1)));
  }
  switch (type) {
    case 'object':
      return objectOf(schema, options, property, depth);
    case 'array':
      return arrayOf(schema, options, property, depth);
    case 'string':
      return stringOf(schema, options);
    case 'integer':
      return integerOf(schema, options);
    case 'number':
      return numberOf(schema, options);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case undefined:
      // zod's "any" (unrepresentable types): any JSON value.
      return fc.jsonValue({ maxDepth: 2 });
    default:
      throw new Error(`Unknown JSON Schema type ${String(type)}`);
  }
}

function objectOf(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
  property: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [name, child] of Object.entries(properties))
    shape[name] = build(child, options, name, depth + 1);
  const maximal = options.size === 'maximal';
  const known = fc.record(shape, {
    requiredKeys: maximal ? Object.keys(shape) : Object.keys(shape).filter((key) => required.has(key)),
  });
  const extra = schema.additionalProperties;
  if (extra === undefined || extra === false || extra === true || Object.keys(properties).length > 0) {
    return known;
  }
  // A record (`z.record`): keys from `propertyNames` (or the hints for its keys), values from
  // `additionalProperties`; now and then a key named like an object prototype member.
  const named = schema.propertyNames
    ? (build(schema.propertyNames as JsonSchema, options, undefined, depth + 1) as fc.Arbitrary<string>)
    : fc.string({ minLength: 1, maxLength: 12 });
  const hintedKeys = (property !== undefined ? options.hints?.(`${property}{}`) : undefined) as
    | string[]
    | undefined;
  const keys = fc.oneof(
    { weight: 3, arbitrary: hintedKeys && hintedKeys.length > 0 ? fc.constantFrom(...hintedKeys) : named },
    { weight: 1, arbitrary: named },
    { weight: maximal ? 0 : 1, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
  );
  const values = build(extra as JsonSchema, options, undefined, depth + 1);
  const minKeys = num(schema.minProperties) ?? 0;
  const maxProperties = num(schema.maxProperties);
  const maxKeys = maximal
    ? Math.min(maxProperties ?? 40, options.maxItems ?? Number.POSITIVE_INFINITY)
    : Math.max(minKeys, Math.min(maxProperties ?? 3, 3));
  // Built by hand rather than with fc.dictionary so that a `__proto__` key is an own, enumerable property
  // (assigning it would set the prototype instead, and JSON.stringify would drop it).
  return fc
    .uniqueArray(fc.tuple(keys, values), {
      selector: ([key]) => key,
      minLength: maximal ? Math.max(minKeys, maxKeys) : minKeys,
      maxLength: maxKeys,
    })
    .map((entries) => {
      const record = {};
      for (const [key, value] of entries)
        Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
      return record;
    });
}

function arrayOf(
  schema: JsonSchema,
  options: SchemaArbitraryOptions,
  property: string | undefined,
  depth: number,
): fc.Arbitrary<unknown> {
  const items = build((schema.items ?? {}) as JsonSchema, options, property, depth + 1);
  const minLength = num(schema.minItems) ?? 0;
  const maxItems = num(schema.maxItems);
  // `uniqueItems` (a competition's `suitableFor`): no two items alike, as the schema's refinement demands.
  const array = (bounds: { minLength: number; maxLength: number }) =>
    schema.uniqueItems === true
      ? fc.uniqueArray(items, { ...bounds, selector: (value) => JSON.stringify(value) })
      : fc.array(items, bounds);
  if (options.size === 'maximal') {
    // Past a thousand items the body is far over the 1 MB limit anyway; drawing more only costs time.
    const length = Math.max(minLength, Math.min(maxItems ?? 200, 1000, options.maxItems ?? 1000));
    return array({ minLength: length, maxLength: length });
  }
  const typical = array({ minLength, maxLength: Math.max(minLength, TYPICAL_ITEMS) });
  // Lists bounded in thousands are sent at the bound only by the `maximal` case: one such body a run is enough.
  if (maxItems === undefined || maxItems > 200) return typical;
  // Now and then exactly at the bound: the longest list the schema allows.
  return fc.oneof(
    { weight: 5, arbitrary: array({ minLength, maxLength: Math.min(maxItems, TYPICAL_ITEMS) }) },
    { weight: 1, arbitrary: array({ minLength: maxItems, maxLength: maxItems }) },
  );
}

const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const isoDateTime = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString());

function stringOf(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const minLength = num(schema.minLength) ?? 0;
  const maxLength = num(schema.maxLength);
  const fits = (s: string) => s.length >= minLength && (maxLength === undefined || s.length <= maxLength);
  let base: fc.Arbitrary<string>;
  if (typeof schema.pattern === 'string') {
    // Small: long matches of a pattern with a length bound are mostly thrown away by the filter.
    base = fc.stringMatching(new RegExp(schema.pattern), { size: 'small' }).filter(fits);
  } else if (schema.format === 'date') {
    base = isoDate;
  } else if (schema.format === 'date-time') {
    base = isoDateTime;
  } else if (schema.format === 'email') {
    base = fc
      .tuple(fc.stringMatching(/^[a-z0-9._+-]{1,30}$/), fc.stringMatching(/^[a-z0-9-]{1,30}$/))
      .map(([local, host]) => `${local}@${host}.example.org`)
      .filter(fits);
  } else if (schema.format === 'uri') {
    // Not fc.webUrl: its first use takes seconds to set up.
    base = fc
      .tuple(
        fc.constantFrom('http', 'https'),
        fc.stringMatching(/^[a-z0-9-]{1,30}$/),
        fc.stringMatching(/^[a-z0-9/._~-]{0,40}$/),
      )
      .map(([scheme, host, path]) => `${scheme}://${host}.example.org/${path}`)
      .filter(fits);
  } else if (options.size === 'maximal') {
    // The longest string allowed (a short one repeated: generating 50,000 random characters is slow).
    const length = maxLength ?? 1000;
    base = fc
      .string({ minLength: 1, maxLength: 8 })
      .map((s) => s.repeat(Math.ceil(length / s.length)).slice(0, length));
  } else {
    const typical = fc.string({
      unit: 'grapheme',
      minLength,
      maxLength: Math.max(minLength, Math.min(maxLength ?? TYPICAL_CHARS, TYPICAL_CHARS)),
    });
    base =
      maxLength === undefined || maxLength <= TYPICAL_CHARS
        ? typical
        : fc.oneof(
            { weight: 5, arbitrary: typical },
            { weight: 1, arbitrary: fc.constant('x'.repeat(Math.max(minLength, maxLength))) },
          );
  }
  return base;
}

function bounds(schema: JsonSchema): { min: number; max: number } {
  const exclusiveMin = num(schema.exclusiveMinimum);
  const exclusiveMax = num(schema.exclusiveMaximum);
  return {
    min: num(schema.minimum) ?? (exclusiveMin !== undefined ? exclusiveMin + Number.EPSILON : -1e12),
    max: num(schema.maximum) ?? (exclusiveMax !== undefined ? exclusiveMax - Number.EPSILON : 1e12),
  };
}

function integerOf(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const { min, max } = bounds(schema);
  const step = num(schema.multipleOf);
  if (step !== undefined) return multiplesOf(Math.max(1, step), min, max, options.size === 'maximal');
  const low = Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER);
  const high = Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER);
  if (options.size === 'maximal') return fc.constant(high);
  // fc.integer is 32-bit; money goes up to 2^53 - 1.
  const any = fc.bigInt({ min: BigInt(low), max: BigInt(high) }).map(Number);
  return fc.oneof({ weight: 4, arbitrary: any }, { weight: 1, arbitrary: fc.constantFrom(low, high) });
}

/** Multiples of `step` within the bounds (`multipleOf`). */
function multiplesOf(step: number, min: number, max: number, maximal: boolean): fc.Arbitrary<number> {
  const low = Math.ceil(min / step);
  const high = Math.floor(max / step);
  // Rounded to the step's decimals, so 7 × 0.01 is 0.07 and not 0.07000000000000001.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  const at = (k: number) => Number((k * step).toFixed(decimals));
  if (maximal) return fc.constant(at(high));
  return fc.oneof(
    { weight: 4, arbitrary: fc.bigInt({ min: BigInt(low), max: BigInt(high) }).map((k) => at(Number(k))) },
    { weight: 1, arbitrary: fc.constantFrom(at(low), at(high)) },
  );
}

function numberOf(schema: JsonSchema, options: SchemaArbitraryOptions): fc.Arbitrary<unknown> {
  const { min, max } = bounds(schema);
  const step = num(schema.multipleOf);
  if (step !== undefined) return multiplesOf(step, min, max, options.size === 'maximal');
  if (options.size === 'maximal') return fc.constant(max);
  // The bounds, and doubles that are valid JSON and within the bounds but awkward to store: DynamoDB keeps
  // numbers between 1e-130 and 1e126 in magnitude with 38 digits.
  const edges = [min, max, Number.MIN_VALUE, 1e-131, 0.1 + 0.2, 1 / 3, 1e125].filter(
    (n) => n >= min && n <= max,
  );
  return fc.oneof(
    { weight: 4, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.constantFrom(...edges) },
  );
}
