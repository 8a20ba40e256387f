/**
 * Issue 18, pseudonymous participant references (pure): a proxy-outcome claim names participants only by a
 * reference the provider keeps; anything that looks like a name, a date of birth, a police or prison number,
 * a National Insurance number or an e-mail address is refused – and the refusal never repeats it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  InvalidParticipantRefError,
  MAX_PARTICIPANT_REF_LENGTH,
  type ParticipantRef,
  parseParticipantRef,
  participantRefKey,
  participantRefProblem,
} from '../../shared/domain/payment-by-results/participant-ref';

/** Every refusal, by what the value looked like. */
const refused: Record<string, { pattern: RegExp; values: string[] }> = {
  name: {
    pattern: /looks like a name/,
    values: ['John Smith', 'Smith1', 'jones-42', 'Mary_Ann_2', 'O-Brien-7', 'ABDUL-RAHMAN-1', 'CASE-0001'],
  },
  'letters only': { pattern: /at least one digit/, values: ['Bob', 'abc', 'Lee', 'ada'] },
  'date of birth': {
    pattern: /looks like a date/,
    values: [
      '1990-05-12',
      '19900512',
      '12-05-1990',
      '12/05/1990',
      '12.05.1990',
      '12051990',
      '05-12-1990',
      '12-5-90',
      '12 May 1990',
      '12may1990',
      'REF-1990-05-12',
      'X19900512',
    ],
  },
  'police national computer number': {
    pattern: /Police National Computer number/,
    values: [
      '12/123456A',
      '2012/0123456A',
      '99/1234Z',
      '12-123456A',
      '12_123456a',
      '12123456A',
      '20120123456A',
      'REF-12-123456A',
    ],
  },
  'prison number': {
    pattern: /prison number/,
    values: ['A1234BC', 'a1234bc', 'A 1234 BC', 'A-1234-BC', 'REF-A1234BC', 'A1234BC-7'],
  },
  'national insurance number': {
    pattern: /National Insurance number/,
    values: [
      'QQ123456C',
      'qq123456c',
      'QQ 12 34 56 C',
      'QQ-12-34-56-C',
      'QQ123456',
      'AB123456D',
      'ref-QQ123456C',
      'AB-123456',
    ],
  },
  'e-mail address': {
    pattern: /e-mail address/,
    values: ['jo@example.com', 'j.smith@justice.gov.uk', 'x1@y', '@123'],
  },
  characters: {
    pattern: /Use only letters, digits/,
    values: ['PRV-1.2', 'PRV 12', 'ref#12', 'réf-12', 'PRV+0012'],
  },
  length: {
    pattern: /Use 3 to 40 characters/,
    values: ['a1', '7', `PRV-${'1'.repeat(37)}`, '9'.repeat(500)],
  },
  empty: { pattern: /Enter the participant/, values: ['', '   '] },
};

describe('participant references', () => {
  it('accepts keyed references, UUIDs and hashes, trimmed', () => {
    for (const ref of [
      'PRV-004217',
      'P-2026-0042',
      'abc123',
      'CRC_00012',
      '550e8400-e29b-41d4-a716-446655440000',
      'd41d8cd98f00b204e9800998ecf8427e',
      '777',
      'X1-Y2-Z3',
      '1'.repeat(MAX_PARTICIPANT_REF_LENGTH),
    ]) {
      expect(participantRefProblem(ref), ref).toBeUndefined();
    }
    expect(parseParticipantRef('  PRV-004217 ')).toBe('PRV-004217');
  });

  for (const [shape, { pattern, values }] of Object.entries(refused)) {
    it(`refuses anything shaped like ${shape}`, () => {
      for (const value of values) expect(participantRefProblem(value), value).toMatch(pattern);
    });
  }

  it('refuses with a named validation error on the given path that never repeats the value', () => {
    for (const { values } of Object.values(refused)) {
      for (const value of values) {
        let error: unknown;
        try {
          parseParticipantRef(value, 'participants.3.ref');
        } catch (caught) {
          error = caught;
        }
        expect(error, value).toBeInstanceOf(InvalidParticipantRefError);
        const { issues, message, code } = error as InvalidParticipantRefError;
        expect(code).toBe('validation');
        expect(issues).toHaveLength(1);
        expect(issues[0]?.path).toBe('participants.3.ref');
        const text = `${message} ${issues[0]?.message}`;
        if (value.trim().length >= 3) expect(text, value).not.toContain(value.trim());
      }
    }
  });

  it('property: every random UUID is accepted', () => {
    fc.assert(
      fc.property(fc.uuid(), (uuid) => {
        expect(participantRefProblem(uuid)).toBeUndefined();
      }),
    );
  });

  it('property: a three-letter prefix and a number is accepted', () => {
    // (Two letters and six digits, `AB-123456`, is refused: it reads as a National Insurance number.)
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z]{3}$/), fc.integer({ min: 1, max: 999_999 }), (prefix, number) => {
        const ref = `${prefix}-${String(number).padStart(6, '0')}`;
        expect(participantRefProblem(ref)).toBeUndefined();
      }),
    );
  });

  it('property: a real date of birth, however written, is refused', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1930-01-01'), max: new Date('2010-12-31'), noInvalidDate: true }),
        fc.constantFrom('-', '/', '', '.', ' '),
        (date, sep) => {
          const [y, m, d] = date.toISOString().slice(0, 10).split('-') as [string, string, string];
          for (const written of [`${y}${sep}${m}${sep}${d}`, `${d}${sep}${m}${sep}${y}`]) {
            expect(participantRefProblem(written), written).toMatch(/looks like a date/);
          }
        },
      ),
    );
  });

  it('property: police, prison and National Insurance numbers are refused whatever their digits', () => {
    const letter = fc.constantFrom(...'ABCDEFGHJKLMNPRSTWXYZ');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 9_999_999 }),
        letter,
        letter,
        letter,
        fc.integer({ min: 0, max: 999_999 }),
        (year, serial, a, b, c, six) => {
          const yy = String(year).padStart(2, '0');
          expect(participantRefProblem(`${yy}/${serial}${a}`)).toMatch(/Police National Computer/);
          expect(participantRefProblem(`20${yy}/${String(serial).padStart(7, '0')}${a}`)).toMatch(
            /Police National Computer/,
          );
          expect(participantRefProblem(`${a}${String(serial % 10_000).padStart(4, '0')}${b}${c}`)).toMatch(
            /prison number/,
          );
          expect(participantRefProblem(`${a}${b}${String(six).padStart(6, '0')}${'ABCD'[six % 4]}`)).toMatch(
            /National Insurance/,
          );
        },
      ),
    );
  });

  it('keys references case-insensitively, so one participant cannot be claimed twice by changing case', () => {
    expect(participantRefKey('prv-1a2' as ParticipantRef)).toBe(
      participantRefKey('PRV-1A2' as ParticipantRef),
    );
  });

  it('keys references without their separators, so changing hyphens or underscores is the same participant', () => {
    const key = participantRefKey('PRV-004217' as ParticipantRef);
    for (const variant of [
      'PRV_004217',
      'PRV004217',
      'PRV--004217',
      'PRV-004217-',
      '-prv-004217',
      'p_r_v-0042_17',
    ]) {
      expect(participantRefKey(variant as ParticipantRef), variant).toBe(key);
    }
    expect(participantRefKey('PRV-004218' as ParticipantRef)).not.toBe(key);
  });
});
