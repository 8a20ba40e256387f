/**
 * Web sessions, kept server-side (issue 13, item 12): the rules of a signed-in browser's session, pure.
 *
 * A session starts at sign-in with the groups the identity provider vouched for (Cognito's ID token, or
 * the local developer sign-in), lasts a working day, and ends earlier when the user signs out (the record
 * is deleted, so a copied cookie opens nothing) or when the identity provider no longer knows the user or
 * has disabled them. Groups can change while a session is open: they are read again from the identity
 * provider at least every `IDENTITY_RECHECK_SECONDS` (an hour, the lifetime of the API's tokens), so someone
 * who left a group loses what it allowed on the web no later than they would on the API.
 */
import { DomainError } from './errors';
import { type Group, parseGroupsClaim } from './principal';

/** How long a session lasts at most: a working day, like the Cognito ID token it comes from. */
export const SESSION_SECONDS = 8 * 3600;

/** How often a session's user is looked up again (groups, disabled): the API tokens' lifetime. */
export const IDENTITY_RECHECK_SECONDS = 3600;

/** A signed-in browser's session, as stored. */
export interface SessionRecord {
  /** The session's secret id: only the (sealed) session cookie carries it. */
  id: string;
  sub: string;
  /**
   * The identity provider's name for the user, to look them up again (Cognito's `cognito:username`, which
   * its admin API takes); undefined when `sub` serves (locally).
   */
  username?: string | undefined;
  email?: string | undefined;
  groups: Group[];
  /** The CSRF token every form of this session must send back. */
  csrf: string;
  /** ISO timestamps. */
  startedAt: string;
  /** When the groups were last read from the identity provider. */
  checkedAt: string;
  expiresAt: string;
}

/** A user as the identity provider knows them now. */
export interface Identity {
  sub: string;
  email?: string | undefined;
  groups: Group[];
  /** False for a user an administrator has disabled: their sessions end. */
  enabled: boolean;
}

/**
 * The port to the identity provider (Cognito in AWS, the local identity store locally), so that the use
 * cases and pages never import an SDK.
 */
export interface IdentityDirectory {
  /** The user now; undefined when the identity provider does not know them (deleted). */
  find(user: { sub: string; username?: string | undefined }): Promise<Identity | undefined>;
}

/**
 * Finding a user by e-mail address in the same identity provider (a lead chooses panel members by e-mail as
 * well as by user id). Addresses compare without case, as Cognito's sign-in alias does.
 */
export interface IdentityLookup {
  /** The user with this address now; undefined when nobody (or more than one user) has it. */
  findByEmail(email: string): Promise<Identity | undefined>;
}

/** An e-mail address as the identity lookups compare it: trimmed, lower case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** A new session for a user the identity provider has just vouched for. */
export function newSessionRecord(
  input: {
    id: string;
    csrf: string;
    sub: string;
    username?: string | undefined;
    email?: string | undefined;
    /** Groups as claimed (`cognito:groups`, a form's checkboxes): unknown ones are dropped. */
    groups: unknown;
  },
  now: Date,
): SessionRecord {
  return {
    id: input.id,
    sub: input.sub,
    ...(input.username ? { username: input.username } : {}),
    ...(input.email ? { email: input.email } : {}),
    groups: parseGroupsClaim(input.groups),
    csrf: input.csrf,
    startedAt: now.toISOString(),
    checkedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_SECONDS * 1000).toISOString(),
  };
}

/** True once the session's day is over (the table's TTL removes the record later, within days). */
export function isExpired(record: Pick<SessionRecord, 'expiresAt'>, now: Date): boolean {
  return now.getTime() >= Date.parse(record.expiresAt);
}

/**
 * True when the user must be looked up again: an hour after the last look-up, or when the record's time
 * is in the future (a clock that went back must not postpone the check).
 */
export function isDueForCheck(record: Pick<SessionRecord, 'checkedAt'>, now: Date): boolean {
  const checked = Date.parse(record.checkedAt);
  return !(checked <= now.getTime()) || now.getTime() - checked >= IDENTITY_RECHECK_SECONDS * 1000;
}

/**
 * The session after looking the user up again: their current groups and email, checked now; or
 * undefined when it must end (the user is unknown, disabled, or another user under that name).
 */
export function afterIdentityCheck(
  record: SessionRecord,
  identity: Identity | undefined,
  now: Date,
): SessionRecord | undefined {
  if (!identity?.enabled || identity.sub !== record.sub) return undefined;
  const { email: _previous, ...rest } = record;
  return {
    ...rest,
    ...(identity.email ? { email: identity.email } : {}),
    groups: parseGroupsClaim(identity.groups),
    checkedAt: now.toISOString(),
  };
}

/** Seconds from now until the session expires (at least 0): the cookie's `Max-Age`. */
export function secondsLeft(record: Pick<SessionRecord, 'expiresAt'>, now: Date): number {
  return Math.max(0, Math.floor((Date.parse(record.expiresAt) - now.getTime()) / 1000));
}

// ---------------------------------------------------------------------------------------------------------
// Drafts: answers a signed-in user has typed into question pages and not yet sent (issue 14).
// ---------------------------------------------------------------------------------------------------------

/**
 * The question-page journeys whose answers are kept server-side, beside the session they belong to. Each
 * is one item per session: a later page of the same journey replaces it, sign-out deletes them all.
 */
export const DRAFT_KINDS = [
  'newCompetition',
  // A provider's pre-qualification answers (issue 15), for one competition at a time.
  'prequalification',
  // Which organisation a user of several bids for, by competition (issue 15): checked on every request.
  'biddingOrganisation',
] as const;

/** One journey whose answers are kept between pages. */
export type DraftKind = (typeof DRAFT_KINDS)[number];

/**
 * The most a draft may hold, as JSON in UTF-8. Everything `POST /competitions` accepts fits with room to
 * spare: its two long texts (description and confidential notes, 10,000 characters each, at most 3 bytes
 * a character in UTF-8, since a 4-byte character counts as two), the title, twenty criterion names and the
 * short answers come to under 80 KB even with JSON's escapes. The bound keeps a session's items far below
 * DynamoDB's 400 KB item limit whatever a form posts (forms may be up to 1 MB).
 */
export const MAX_DRAFT_BYTES = 128 * 1024;

/** A draft over `MAX_DRAFT_BYTES`: nothing is kept, and the page says which answer to shorten. */
export class DraftTooLargeError extends DomainError {
  override readonly name = 'DraftTooLargeError';
  /** Bad input, as the problem middleware reports it (400) should a page not say which answer to shorten. */
  readonly code = 'validation';
  constructor(readonly bytes: number) {
    super(`The answers take ${bytes} bytes; at most ${MAX_DRAFT_BYTES} are kept between pages.`);
  }
}

/** A draft as kept: whose it is, the answers (JSON), and when it goes (with the session it belongs to). */
export interface StoredDraft {
  sub: string;
  answers: string;
  savedAt: string;
  expiresAt: string;
}

/** The JSON of answers to keep, or a DraftTooLargeError when they are over the bound. */
export function draftJson(answers: unknown): string {
  const json = JSON.stringify(answers ?? {});
  const bytes = new TextEncoder().encode(json).length;
  if (bytes > MAX_DRAFT_BYTES) throw new DraftTooLargeError(bytes);
  return json;
}
