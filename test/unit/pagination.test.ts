import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, MAX_CURSOR_SORT_KEY_BYTES, mergePage } from '../../shared/db/pagination';
import { ValidationError } from '../../shared/domain/errors';

const SCOPE = ['audit', 'competition-a'];
const b64 = (text: string) => Buffer.from(text).toString('base64url');

/** The error `decodeCursor` throws, or undefined when it returns. */
function failure(cursor: string, scope: readonly string[] = SCOPE): unknown {
  try {
    decodeCursor(cursor, scope);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('cursors', () => {
  it('round-trip any sort key within the bound', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 200 }), (key) => {
        fc.pre(Buffer.byteLength(key) <= MAX_CURSOR_SORT_KEY_BYTES);
        expect(decodeCursor(encodeCursor(key, SCOPE), SCOPE)).toBe(key);
      }),
    );
  });

  it.each([
    ['bnVsbA (null)', 'bnVsbA'],
    ['null with padding', 'bnVsbA=='],
    ['an array', b64('[1]')],
    ['an empty array', b64('[]')],
    ['a number', b64('42')],
    ['a string', b64('"SEQ#1"')],
    ['true', b64('true')],
    ['an object with other keys', b64('{"foo":"bar"}')],
    ['a version-1 cursor', b64('{"v":1,"after":"x"}')],
    ['a cursor with an extra key', b64(`{"v":2,"s":"${'a'.repeat(16)}","after":"x","pk":"COMP#b"}`)],
    ['after as a number', b64(`{"v":2,"s":"${'a'.repeat(16)}","after":1}`)],
    ['after as an object', b64(`{"v":2,"s":"${'a'.repeat(16)}","after":{"pk":"x"}}`)],
    ['an empty after', b64(`{"v":2,"s":"${'a'.repeat(16)}","after":""}`)],
    ['the tag as null', b64('{"v":2,"s":null,"after":"x"}')],
    ['a __proto__ key', b64('{"__proto__":{"v":2},"after":"x"}')],
    ['not base64', 'not base64!'],
    ['base64 of junk', b64('\u0000\u00ff{')],
    ['very long', 'x'.repeat(3000)],
    ['very long base64 of a JSON string', b64(JSON.stringify('y'.repeat(1400)))],
    ['empty', ''],
  ])('refuses %s with a validation error on query.cursor', (_, cursor) => {
    const error = failure(cursor);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'query.cursor', message: expect.any(String) },
    ]);
  });

  it('refuses a well-formed cursor whose sort key DynamoDB would refuse (too long, lone surrogate)', () => {
    expect(failure(encodeCursor('é'.repeat(MAX_CURSOR_SORT_KEY_BYTES), SCOPE))).toBeInstanceOf(
      ValidationError,
    );
    expect(failure(encodeCursor('a\ud800b', SCOPE))).toBeInstanceOf(ValidationError);
    expect(decodeCursor(encodeCursor('é'.repeat(MAX_CURSOR_SORT_KEY_BYTES / 2), SCOPE), SCOPE)).toHaveLength(
      MAX_CURSOR_SORT_KEY_BYTES / 2,
    );
  });

  it('never throws anything but a validation error, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 3000 }), (cursor) => {
        const error = failure(cursor);
        if (error !== undefined) expect(error).toBeInstanceOf(ValidationError);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but a validation error for base64 of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const error = failure(b64(JSON.stringify(value) ?? 'null'));
        expect(error).toBeInstanceOf(ValidationError);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws anything but a validation error for cursor-shaped objects with any fields', () => {
    const field = fc.oneof(fc.jsonValue(), fc.string({ unit: 'binary' }));
    fc.assert(
      fc.property(
        fc.record({ v: fc.oneof(fc.constant(2), field), s: field, after: field }, { requiredKeys: [] }),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 2 }),
        (body, extra) => {
          const error = failure(b64(JSON.stringify({ ...extra, ...body })));
          if (error !== undefined) expect(error).toBeInstanceOf(ValidationError);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('binds a cursor to its list: another partition or filter refuses it', () => {
    const cursor = encodeCursor('SEQ#0000000001', ['audit', 'competition-a']);
    expect(decodeCursor(cursor, ['audit', 'competition-a'])).toBe('SEQ#0000000001');
    for (const other of [
      ['audit', 'competition-b'],
      ['alerts'],
      ['notifications', 'competition-a'],
      ['audit', 'competition-a', undefined],
    ]) {
      expect(failure(cursor, other as string[]), JSON.stringify(other)).toBeInstanceOf(ValidationError);
    }
    // An absent filter is not the same as a filter spelled "null".
    const open = encodeCursor('x', ['directory', undefined]);
    expect(failure(open, ['directory', 'null'])).toBeInstanceOf(ValidationError);
  });

  it('refuses any cursor of one scope in any other scope', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
        fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
        (a, b) => {
          fc.pre(JSON.stringify(a) !== JSON.stringify(b));
          expect(failure(encodeCursor('k', a), b)).toBeInstanceOf(ValidationError);
        },
      ),
    );
  });
});

describe('mergePage', () => {
  const key = (s: string) => s;

  it('merges sorted partitions, drops duplicates and cuts at the limit', () => {
    const page = mergePage(
      [
        ['a', 'c', 'e'],
        ['b', 'c', 'd'],
      ],
      key,
      4,
      SCOPE,
    );
    expect(page.items).toEqual(['a', 'b', 'c', 'd']);
    expect(decodeCursor(page.nextCursor ?? undefined, SCOPE)).toBe('d');
    expect(failure(page.nextCursor ?? '', ['audit', 'competition-b'])).toBeInstanceOf(ValidationError);
  });

  it('has no cursor on the last page', () => {
    expect(mergePage([['a'], ['b']], key, 2, SCOPE)).toEqual({ items: ['a', 'b'], nextCursor: null });
  });

  it('pages through merged partitions exactly, with no gaps or repeats', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 10 }),
        (all, limit) => {
          const sorted = [...all].sort();
          const left = sorted.filter((_, i) => i % 2 === 0);
          const right = sorted.filter((_, i) => i % 3 === 0);
          const expected = [...new Set([...left, ...right])].sort();
          const seen: string[] = [];
          let after: string | undefined;
          for (let guard = 0; guard < 100; guard += 1) {
            const read = (partition: string[]) =>
              partition.filter((s) => after === undefined || s > after).slice(0, limit + 1);
            const page = mergePage([read(left), read(right)], key, limit, SCOPE);
            seen.push(...page.items);
            if (!page.nextCursor) break;
            after = decodeCursor(page.nextCursor, SCOPE);
          }
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('orders newest first when asked', () => {
    expect(mergePage([['3', '1'], ['2']], key, 2, SCOPE, 'desc').items).toEqual(['3', '2']);
  });
});
