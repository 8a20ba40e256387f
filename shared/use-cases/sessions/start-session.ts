/**
 * Starts a web session for a user the identity provider has just vouched for (Cognito's verified ID
 * token, or the local developer sign-in): a record with a fresh random id and CSRF token, which the
 * session cookie then names.
 */
import { randomBytes } from 'node:crypto';
import type { SessionRepository } from '../../db/sessions';
import { newSessionRecord, type SessionRecord } from '../../domain/sessions';

/** 256 bits: an id nobody can guess, and a CSRF token likewise. */
const random = () => randomBytes(32).toString('base64url');

/** Creates and stores a session. */
export async function startSession(
  deps: { sessions: SessionRepository },
  user: { sub: string; username?: string | undefined; email?: string | undefined; groups: unknown },
  now: Date,
): Promise<SessionRecord> {
  const record = newSessionRecord({ ...user, id: random(), csrf: random() }, now);
  await deps.sessions.create(record);
  return record;
}
