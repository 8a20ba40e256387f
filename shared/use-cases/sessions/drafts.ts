/**
 * The answers a signed-in user has typed into a question-page journey (creating a competition) and not
 * yet sent, kept server-side beside their session rather than in a cookie: as long as the answers the API
 * accepts (a browser keeps a cookie of about 4 KB only), readable by that session alone, never outliving it
 * (the draft expires with the session and goes at sign-out), and bounded (`MAX_DRAFT_BYTES`).
 */
import type { SessionDraftRepository } from '../../db/sessions';
import { UnauthenticatedError } from '../../domain/errors';
import { type DraftKind, draftJson, isExpired } from '../../domain/sessions';

/** The session a draft belongs to, as a page knows it. */
export interface DraftOwner {
  id: string;
  sub: string;
  /** The session's end: the draft's too. */
  expiresAt: string;
}

/**
 * The session's answers of one journey (parsed JSON, for the page to read field by field), or undefined
 * when none are kept. A draft is keyed to its session; it must also name the session's user and not have
 * expired (TTL removes items late).
 */
export async function loadDraft(
  deps: { drafts: SessionDraftRepository },
  session: Pick<DraftOwner, 'id' | 'sub'>,
  kind: DraftKind,
  now: Date,
): Promise<unknown> {
  const stored = await deps.drafts.getDraft(session.id, kind);
  if (!stored || stored.sub !== session.sub || isExpired(stored, now)) return undefined;
  try {
    return JSON.parse(stored.answers) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Keeps the session's answers of one journey, replacing the earlier ones. Throws a DraftTooLargeError when
 * they are over the bound (nothing is kept), and an UnauthenticatedError when the session has ended
 * meanwhile (signed out in another tab): answers are never kept for a session that is gone.
 */
export async function saveDraft(
  deps: { drafts: SessionDraftRepository },
  session: DraftOwner,
  kind: DraftKind,
  answers: unknown,
  now: Date,
): Promise<void> {
  const json = draftJson(answers);
  const kept = await deps.drafts.putDraft(session.id, kind, {
    sub: session.sub,
    answers: json,
    savedAt: now.toISOString(),
    expiresAt: session.expiresAt,
  });
  if (!kept) throw new UnauthenticatedError('You have signed out. Sign in again to go on.');
}

/** Drops the session's answers of one journey (once they have been sent). */
export async function discardDraft(
  deps: { drafts: SessionDraftRepository },
  session: Pick<DraftOwner, 'id'>,
  kind: DraftKind,
): Promise<void> {
  await deps.drafts.deleteDraft(session.id, kind);
}
