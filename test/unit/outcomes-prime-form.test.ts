/**
 * The prime's claim form reads participants pasted one a line (`ref, evidence date, note`): commas inside
 * double quotes stay in the note, a header line and blank lines are skipped, each problem names its line and
 * never its content, and the count and size are bounded before anything reaches the use case.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CLAIM_PARTICIPANTS } from '../../shared/domain/payment-by-results/claims';
import {
  MAX_PARTICIPANTS_TEXT_LENGTH,
  readParticipants,
  splitLine,
} from '../../shared/web/pages/outcomes/prime';

describe('splitLine', () => {
  it('splits at commas and trims', () => {
    expect(splitLine(' PRV-1 , 2026-05-31 ,  Started work ')).toEqual([
      'PRV-1',
      '2026-05-31',
      'Started work',
    ]);
  });

  it('keeps commas and doubled quotes inside a quoted field', () => {
    expect(splitLine('PRV-1,2026-05-31,"Tenancy, signed ""early"""')).toEqual([
      'PRV-1',
      '2026-05-31',
      'Tenancy, signed "early"',
    ]);
  });
});

describe('readParticipants', () => {
  it('reads rows with their lines, skipping a header and blank lines; an unquoted note keeps its commas', () => {
    const { rows, issues } = readParticipants(
      'ref,evidence date,note\n\nPRV-004217, 2026-05-31, Started work, full time\r\nPRV-004218,2026-06-01\n',
    );
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { line: 3, ref: 'PRV-004217', evidenceDate: '2026-05-31', note: 'Started work, full time' },
      { line: 4, ref: 'PRV-004218', evidenceDate: '2026-06-01' },
    ]);
  });

  it('names the line of a row without a date, never its content', () => {
    const { issues } = readParticipants('PRV-004217, 2026-05-31\nJohn Smith');
    expect(issues).toHaveLength(1);
    expect(issues[0]?.message).toMatch(/^Line 2: /);
    expect(issues[0]?.message).not.toContain('John');
  });

  it('asks for at least one participant', () => {
    expect(readParticipants(' \n\n').issues[0]?.message).toBe('Enter at least one participant');
  });

  it(`refuses more than ${MAX_CLAIM_PARTICIPANTS} participants, and an oversized box unread`, () => {
    const many = Array.from({ length: MAX_CLAIM_PARTICIPANTS + 1 }, (_, i) => `PRV-${1000 + i}, 2026-05-31`);
    expect(readParticipants(many.join('\n')).issues[0]?.message).toContain(
      `at most ${MAX_CLAIM_PARTICIPANTS} participants`,
    );
    const huge = readParticipants('x'.repeat(MAX_PARTICIPANTS_TEXT_LENGTH + 1));
    expect(huge.rows).toEqual([]);
    expect(huge.issues).toHaveLength(1);
  });
});
