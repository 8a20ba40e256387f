import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, mergePage } from '../../shared/db/pagination';
import { ValidationError } from '../../shared/domain/errors';

describe('cursors', () => {
  it('round-trip any sort key', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 500 }), (key) => {
        expect(decodeCursor(encodeCursor(key))).toBe(key);
      }),
    );
  });

  it.each([
    ['eyJ2IjoyfQ'],
    ['not base64!'],
    [Buffer.from('[1]').toString('base64url')],
    ['x'.repeat(3000)],
    [''],
  ])('refuses a tampered cursor %j with a validation error', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(ValidationError);
  });

  it('never throws anything but a validation error, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (cursor) => {
        try {
          decodeCursor(cursor);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
        }
      }),
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
    );
    expect(page.items).toEqual(['a', 'b', 'c', 'd']);
    expect(decodeCursor(page.nextCursor ?? undefined)).toBe('d');
  });

  it('has no cursor on the last page', () => {
    expect(mergePage([['a'], ['b']], key, 2)).toEqual({ items: ['a', 'b'], nextCursor: null });
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
            const page = mergePage([read(left), read(right)], key, limit);
            seen.push(...page.items);
            if (!page.nextCursor) break;
            after = decodeCursor(page.nextCursor);
          }
          expect(seen).toEqual(expected);
        },
      ),
    );
  });

  it('orders newest first when asked', () => {
    expect(mergePage([['3', '1'], ['2']], key, 2, 'desc').items).toEqual(['3', '2']);
  });
});
