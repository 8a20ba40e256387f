/**
 * The local developer sign-in (`local/web.ts`, never deployed): the developer says who they are and which
 * groups they hold; that user is recorded in the local identity store – the local stand-in for Cognito's
 * user pool, which open sessions read their groups back from – and a session starts, as the Cognito
 * callback starts one in AWS.
 */
import type { LocalIdentityStore } from '../../db/local-identities';
import type { SessionRepository } from '../../db/sessions';
import { parseGroupsClaim } from '../../domain/principal';
import type { SessionRecord } from '../../domain/sessions';
import { startSession } from './start-session';

/** Records the user as given and starts their session. */
export async function signInLocally(
  deps: { sessions: SessionRepository; identities: LocalIdentityStore },
  user: { sub: string; email?: string | undefined; groups: unknown },
  now: Date,
): Promise<SessionRecord> {
  const groups = parseGroupsClaim(user.groups);
  await deps.identities.save({ sub: user.sub, email: user.email, groups, enabled: true }, now);
  return startSession(deps, { sub: user.sub, email: user.email, groups }, now);
}
