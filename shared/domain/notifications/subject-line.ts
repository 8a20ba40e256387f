/**
 * Subject lines of outbox events built from what users typed (competition and document titles, up to 200
 * characters each): one line, at most `MAX_SUBJECT_LENGTH` characters, so the delivery never refuses an
 * event's e-mail for its subject (`assertSubject`) after the change that recorded it has committed.
 */
import { MAX_SUBJECT_LENGTH } from './email-body';

/**
 * The words as one line (every run of white space, line breaks included, becomes one space), cut to
 * `MAX_SUBJECT_LENGTH` with an ellipsis when longer.
 */
export function subjectLine(words: string): string {
  const line = words.replace(/\s+/g, ' ').trim();
  return line.length <= MAX_SUBJECT_LENGTH ? line : `${line.slice(0, MAX_SUBJECT_LENGTH - 1).trimEnd()}…`;
}
