/**
 * Resumes the session a cookie names, on every page: only while its record exists (sign-out deletes it)
 * and its day is not over; once an hour the user is looked up again in the identity directory (Cognito, or
 * the local identity store), so a user who was disabled, deleted or left a group loses that access within
 * the hour rather than at the end of the day.
 */
import type { SessionRepository } from '../../db/sessions';
import {
  afterIdentityCheck,
  type IdentityDirectory,
  isDueForCheck,
  isExpired,
  type SessionRecord,
} from '../../domain/sessions';

/** The live session with this id (its groups current to the hour), or undefined. */
export async function resumeSession(
  deps: { sessions: SessionRepository; identities: IdentityDirectory },
  id: string,
  now: Date,
): Promise<SessionRecord | undefined> {
  const record = await deps.sessions.get(id);
  if (!record) return undefined;
  if (isExpired(record, now)) {
    // TTL removes it within days; nobody needs it meanwhile.
    await deps.sessions.delete(id);
    return undefined;
  }
  if (!isDueForCheck(record, now)) return record;
  const checked = afterIdentityCheck(
    record,
    await deps.identities.find({ sub: record.sub, username: record.username }),
    now,
  );
  if (!checked) {
    await deps.sessions.delete(id);
    return undefined;
  }
  // Signed out in another tab while the user was looked up: the session stays ended.
  return (await deps.sessions.recordCheck(checked)) ? checked : undefined;
}
