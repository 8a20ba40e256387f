import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseCharityNumber, normaliseCompanyNumber } from '../../shared/domain/identifiers';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

describe('normaliseCharityNumber', () => {
  it.each([
    ['1190001', '1190001'],
    ['123456', '123456'],
    ['12345678', '12345678'],
    ['SC012345', 'SC012345'],
    ['sc012345', 'SC012345'],
    ['NIC100001', 'NIC100001'],
    [' 119 0001 ', '1190001'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(normaliseCharityNumber(raw)).toBe(expected);
  });

  it.each([
    ['12345'],
    ['123456789'],
    ['SC12345'],
    ['SC1234567'],
    ['NI123456'],
    ['NIC12345'],
    ['AB123456'],
    [''],
    ['1190001-1'],
    ['SC-012345'],
  ])('refuses %j', (raw) => {
    expect(normaliseCharityNumber(raw)).toBeUndefined();
  });

  it('accepts every England and Wales number of 6 to 8 digits, and Scottish and NI numbers', () => {
    fc.assert(
      fc.property(digits(6, 8), (n) => {
        expect(normaliseCharityNumber(n)).toBe(n);
      }),
    );
    fc.assert(
      fc.property(digits(6, 6), fc.constantFrom('SC', 'NIC'), (n, prefix) => {
        expect(normaliseCharityNumber(`${prefix.toLowerCase()}${n}`)).toBe(`${prefix}${n}`);
      }),
    );
  });

  it('refuses digit strings of other lengths', () => {
    fc.assert(
      fc.property(fc.oneof(digits(0, 5), digits(9, 15)), (n) => {
        expect(normaliseCharityNumber(n)).toBeUndefined();
      }),
    );
  });

  it('is idempotent: a canonical number normalises to itself', () => {
    fc.assert(
      fc.property(fc.string(), (raw) => {
        const once = normaliseCharityNumber(raw);
        if (once !== undefined) expect(normaliseCharityNumber(once)).toBe(once);
      }),
    );
  });
});

describe('normaliseCompanyNumber', () => {
  it.each([
    ['01234567', '01234567'],
    ['1234567', '01234567'],
    ['123456', '00123456'],
    ['SC123456', 'SC123456'],
    ['oc301234', 'OC301234'],
    ['NI 012345', 'NI012345'],
  ])('accepts %j as %j', (raw, expected) => {
    expect(normaliseCompanyNumber(raw)).toBe(expected);
  });

  it.each([['12345'], ['123456789'], ['S1234567'], ['SC12345'], ['SCO12345'], ['ABC12345'], ['']])(
    'refuses %j',
    (raw) => {
      expect(normaliseCompanyNumber(raw)).toBeUndefined();
    },
  );

  it('always yields 8 characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          digits(6, 8),
          fc.tuple(fc.stringMatching(/^[A-Z]{2}$/), digits(6, 6)).map(([p, d]) => p + d),
        ),
        (raw) => {
          const canonical = normaliseCompanyNumber(raw);
          expect(canonical).toHaveLength(8);
          expect(normaliseCompanyNumber(canonical ?? '')).toBe(canonical);
        },
      ),
    );
  });
});
