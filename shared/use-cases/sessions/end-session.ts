/**
 * Ends a web session (sign-out): its record goes, so the cookie – and any copy of it – opens nothing.
 */
import type { SessionRepository } from '../../db/sessions';

/** Deletes the session; one that is gone already stays gone. */
export async function endSession(deps: { sessions: SessionRepository }, id: string): Promise<void> {
  await deps.sessions.delete(id);
}
