/**
 * Hostile values and mutations for the fuzz suite: what a careless or malicious client sends in a path,
 * a query string, a header or a body. Each comes with a label, so a failure says what was sent.
 */
import fc from 'fast-check';

/** A value with a short description of why it is there. */
export interface Labelled<T> {
  label: string;
  value: T;
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** A path segment: `raw` is put in the path exactly as written; otherwise it is percent-encoded first. */
export interface PathSegment {
  text: string;
  raw: boolean;
}

/** Path values that must give a 4xx (or a 404), never a 5xx. */
export const HOSTILE_PATH: readonly PathSegment[] = [
  // Malformed percent escapes and encoded separators, sent as is.
  { text: '%', raw: true },
  { text: '%zz', raw: true },
  { text: '%E0%A4%A', raw: true },
  { text: '%C0%AF', raw: true },
  { text: '%ff', raw: true },
  { text: '%00', raw: true },
  { text: '..%2f', raw: true },
  { text: '..%2F..%2Fhealth', raw: true },
  { text: '%2e%2e', raw: true },
  { text: 'a%2Fb', raw: true },
  { text: 'a;b', raw: true },
  { text: 'a#b', raw: true },
  // Object prototype names, and other odd but well-formed values, percent-encoded.
  ...['constructor', '__proto__', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'].map((text) => ({
    text,
    raw: false,
  })),
  ...[
    ' ',
    'null',
    'undefined',
    '0',
    '-1',
    '1e400',
    '01ARZ3NDEKTSV4RRFFQ69G5FAV', // a well-formed ULID nobody has
    '01arz3ndektsv4rrffq69g5fav', // the same, lower case
    'ZZZZZZZZZZZZZZZZZZZZZZZZZZ',
    '2025-Q5',
    '0000-Q1',
    '9999-Q4',
    '-2025-Q1',
    '0123456789abcdef',
    'ffffffffffffffff',
    '😀',
    'é',
    '\u202eevil',
    '\u0000',
    '../../etc/passwd',
    "' OR '1'='1",
    '<script>alert(1)</script>',
    'PROVIDER#x',
    'a'.repeat(2000),
    '😀'.repeat(300),
  ].map((text) => ({ text, raw: false })),
];

/** Cursors that were not made by the API (issue 13, item 6). */
export const HOSTILE_CURSORS: readonly Labelled<string>[] = [
  { label: 'base64 of null', value: b64('null') },
  { label: 'base64 of an array', value: b64('[]') },
  { label: 'base64 of a number', value: b64('1') },
  { label: 'base64 of a string', value: b64('"x"') },
  { label: 'base64 of {}', value: b64('{}') },
  { label: 'base64 of true', value: b64('true') },
  { label: 'cursor without after', value: b64('{"v":1}') },
  { label: 'cursor with a numeric after', value: b64('{"v":1,"after":1}') },
  { label: 'cursor with an object after', value: b64('{"v":1,"after":{"S":"x"}}') },
  { label: 'cursor with an empty after', value: b64('{"v":1,"after":""}') },
  { label: 'cursor with a long after', value: b64(`{"v":1,"after":"${'x'.repeat(1500)}"}`) },
  { label: 'cursor of another version', value: b64('{"v":2,"after":"a"}') },
  { label: 'cursor with __proto__', value: b64('{"__proto__":{"v":1,"after":"a"}}') },
  { label: 'cursor past everything', value: b64('{"v":1,"after":"~~~~"}') },
  {
    label: 'cursor naming another partition',
    value: b64('{"v":1,"after":"PROVIDER#01ARZ3NDEKTSV4RRFFQ69G5FAV"}'),
  },
  { label: 'cursor with control characters', value: b64('{"v":1,"after":"\\u0000\\u0001"}') },
  { label: 'cursor of other keys', value: b64('{"pk":"x","sk":"y"}') },
  { label: 'not base64', value: 'not base64!' },
  { label: 'base64 of junk bytes', value: Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('base64url') },
  { label: 'constructor', value: 'constructor' },
  { label: '__proto__', value: '__proto__' },
  { label: 'a 3000-character cursor', value: 'A'.repeat(3000) },
];

/** Query values for numbers (`limit`, `version`). */
export const HOSTILE_NUMBERS: readonly string[] = [
  '',
  '0',
  '-1',
  '1.5',
  '1e3',
  '1e400',
  '0x10',
  'NaN',
  'Infinity',
  'abc',
  ' 5 ',
  '9007199254740993',
  '101',
  '99999999999999999999',
];

/** Any query value: strings that are odd in every position. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  'constructor',
  '__proto__',
  'toString',
  '%',
  '\u0000',
  '😀',
  'a'.repeat(3000),
  'national,london',
  '[]',
  '{}',
  "'; DROP TABLE",
];

/** Raw query strings that break the usual shape. */
export const HOSTILE_QUERIES: readonly Labelled<string>[] = [
  { label: 'a parameter named __proto__', value: '__proto__=1' },
  { label: 'a parameter named constructor', value: 'constructor=x&hasOwnProperty=y' },
  { label: 'a repeated parameter', value: 'limit=1&limit=2&cursor=a&cursor=b' },
  { label: 'a malformed escape in a name', value: '%zz=1' },
  { label: 'a malformed escape in a value', value: 'cursor=%&limit=%zz' },
  { label: 'array syntax', value: 'limit[]=1&region[0]=london' },
  { label: 'a lone ampersand and equals', value: '&=&&=' },
  { label: 'a very long query', value: `x=${'y'.repeat(6000)}` },
];

/** A value of a different JSON type. */
export const WRONG_TYPES: readonly unknown[] = [
  null,
  0,
  -1,
  1.5,
  -1e308,
  2 ** 53 + 2,
  '',
  'x',
  true,
  [],
  {},
  [null],
  { $gt: '' },
];

/** Strings that are odd inside any field. */
export const HOSTILE_FIELD_STRINGS: readonly string[] = [
  '__proto__',
  'constructor',
  'toString',
  '',
  ' ',
  '\u0000',
  '\ud800', // a lone surrogate
  '\u202e',
  '=cmd|/c calc',
  '<script>',
  'a'.repeat(100_000),
  '😀'.repeat(20_000),
];

/** Request bodies that are not JSON, or not the JSON they claim to be. */
export const MALFORMED_BODIES: readonly Labelled<Buffer>[] = [
  { label: 'an empty body', value: Buffer.alloc(0) },
  { label: 'an unfinished object', value: Buffer.from('{') },
  { label: 'a trailing comma', value: Buffer.from('{"a":1,}') },
  { label: 'single quotes', value: Buffer.from("{'a':1}") },
  { label: 'undefined', value: Buffer.from('undefined') },
  { label: 'NaN', value: Buffer.from('NaN') },
  { label: 'a number too large for a double', value: Buffer.from('1e400') },
  { label: 'a NUL byte', value: Buffer.from('\u0000') },
  { label: 'a byte-order mark', value: Buffer.from('\ufeff{}') },
  { label: 'invalid UTF-8', value: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  { label: 'a lone surrogate escape', value: Buffer.from('{"a":"\\ud800"}') },
  { label: 'duplicate keys', value: Buffer.from('{"a":1,"a":2}') },
  {
    label: 'a __proto__ key',
    value: Buffer.from('{"__proto__":{"admin":true},"constructor":{"prototype":{}}}'),
  },
  { label: 'deep nesting', value: Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) },
  { label: 'deep object nesting', value: Buffer.from(`${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`) },
  { label: 'two JSON documents', value: Buffer.from('{}{}') },
  { label: 'UTF-16', value: Buffer.from('{"a":1}', 'utf16le') },
];

/** Content types a JSON body may be sent with (or none). */
export const CONTENT_TYPES: readonly (string | undefined)[] = [
  undefined,
  'text/plain',
  'application/x-www-form-urlencoded',
  'text/csv',
  'multipart/form-data; boundary=x',
  'application/octet-stream',
  'application/json; charset=utf-16le',
  'APPLICATION/JSON',
  'application/vnd.api+json',
  'application/json; charset=latin1',
  'application/xml',
  'text/html',
  '*/*',
  'garbage',
];

/** A path to a node inside a JSON value. */
export type JsonPath = (string | number)[];

/** Every path in a value, the root included. */
export function pathsOf(value: unknown, prefix: JsonPath = []): JsonPath[] {
  const paths: JsonPath[] = [prefix];
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) paths.push(...pathsOf(item, [...prefix, i]));
  } else if (value && typeof value === 'object')
    for (const [key, child] of Object.entries(value)) paths.push(...pathsOf(child, [...prefix, key]));
  return paths;
}

/** The paths of the numbers in a value. */
export function numericPaths(value: unknown): JsonPath[] {
  return pathsOf(value).filter((path) => {
    let node: unknown = value;
    for (const step of path) node = (node as Record<string | number, unknown>)[step];
    return typeof node === 'number';
  });
}

/** The paths of the numbers in a value, or every path when it holds none. */
function numberPaths(value: unknown): JsonPath[] {
  const numbers = numericPaths(value);
  return numbers.length > 0 ? numbers : pathsOf(value);
}

const clone = (value: unknown): unknown =>
  value === undefined ? undefined : JSON.parse(JSON.stringify(value));

/** Sets a key as an own, enumerable property, even `__proto__`, so JSON.stringify writes it. */
function setOwn(target: object, key: string | number, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `value` with the node at `path` replaced. */
export function replaceAt(value: unknown, path: JsonPath, replacement: (old: unknown) => unknown): unknown {
  if (path.length === 0) return replacement(value);
  const root = clone(value);
  let node = root as Record<string | number, unknown>;
  for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
  const last = path[path.length - 1] as string | number;
  setOwn(node, last, replacement(node[last]));
  return root;
}

/** A mutation of a valid body that breaks it in one way, with what it did. */
export type Mutation = (value: unknown) => fc.Arbitrary<Labelled<unknown>>;

const describePath = (path: JsonPath) => (path.length === 0 ? '(the body)' : path.join('.'));

/** Mutations that make a valid body invalid (or odd), one place at a time. */
export const MUTATIONS: readonly Mutation[] = [
  // A field left out.
  (value) => {
    const keyed = pathsOf(value).filter(
      (path) => path.length > 0 && typeof path[path.length - 1] === 'string',
    );
    if (keyed.length === 0) return fc.constant({ label: 'nothing to drop', value });
    return fc.constantFrom(...keyed).map((path) => {
      const root = clone(value);
      let node = root as Record<string | number, unknown>;
      for (const step of path.slice(0, -1)) node = node[step] as Record<string | number, unknown>;
      delete node[path[path.length - 1] as string];
      return { label: `without ${describePath(path)}`, value: root };
    });
  },
  // An extra field, possibly named like a prototype member.
  (value) => {
    const objects = pathsOf(value).filter((path) => {
      let node: unknown = value;
      for (const step of path) node = (node as Record<string | number, unknown>)[step];
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    if (objects.length === 0) return fc.constant({ label: 'no object to extend', value });
    return fc
      .tuple(
        fc.constantFrom(...objects),
        fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'extra', 'x'.repeat(300)),
        fc.constantFrom<unknown>('x', 1, null, { polluted: true }, []),
      )
      .map(([path, key, extra]) => ({
        label: `with an extra field ${key.slice(0, 20)} in ${describePath(path)}`,
        value: replaceAt(value, path, (old) => {
          const copy = clone(old) as object;
          setOwn(copy, key, extra);
          return copy;
        }),
      }));
  },
  // A value of the wrong type.
  (value) =>
    fc.tuple(fc.constantFrom(...pathsOf(value)), fc.constantFrom(...WRONG_TYPES)).map(([path, wrong]) => ({
      label: `${describePath(path)} as ${JSON.stringify(wrong)}`,
      value: replaceAt(value, path, () => clone(wrong)),
    })),
  // A hostile string in any place.
  (value) =>
    fc
      .tuple(fc.constantFrom(...pathsOf(value)), fc.constantFrom(...HOSTILE_FIELD_STRINGS))
      .map(([path, text]) => ({
        label: `${describePath(path)} as ${JSON.stringify(text.slice(0, 12))}${text.length > 12 ? `… (${text.length} characters)` : ''}`,
        value: replaceAt(value, path, () => text),
      })),
  // An oversized array in any place: many copies of what is there.
  (value) =>
    fc.tuple(fc.constantFrom(...pathsOf(value)), fc.constantFrom(1_000, 20_000)).map(([path, length]) => ({
      label: `${describePath(path)} as an array of ${length}`,
      value: replaceAt(value, path, (old) => {
        const first = Array.isArray(old) ? (old[0] ?? 'x') : old;
        // Small items only: the point is the count, and the body limit is tested on its own.
        const item = JSON.stringify(first ?? null).length > 200 ? 'x' : first;
        return Array.from({ length }, () => clone(item));
      }),
    })),
  // Odd numbers where numbers are (anywhere when there are none): out of range, unsafe, or too small or
  // too large for DynamoDB (1e-130 to 1e126 in magnitude).
  (value) =>
    fc
      .tuple(
        fc.constantFrom(...numberPaths(value)),
        fc.constantFrom(
          -1,
          0,
          2 ** 53,
          2 ** 53 + 2,
          Number.MAX_VALUE,
          -Number.MAX_VALUE,
          1e-300,
          Number.MIN_VALUE,
          0.1,
          1 / 3,
          99.99999999999999,
        ),
      )
      .map(([path, n]) => ({
        label: `${describePath(path)} as the number ${n}`,
        value: replaceAt(value, path, () => n),
      })),
];
