/**
 * The notification outbox (issue 17): what a change records, in its own transaction, so that people are
 * told of it even if the process dies the moment after it commits. Pure: the shape of an event, its
 * bounds, and the rules that turn an event and a user's preferences into "send", "put in the digest" or
 * "skip"; no I/O.
 *
 * An event names a kind of e-mail (`EmailKind`, which a user can switch off), an audience and what to say.
 * The delivery (`shared/use-cases/notifications/deliver.ts`, run from the outbox table's stream) resolves
 * the audience into users, writes the inbox notifications the change asked for, and sends one e-mail per
 * user at most (`MAIL#` items, each sent once: `shared/db/outbox.ts`).
 *
 * Audiences never carry anything the recipients may not see: an event addressed to the organisations
 * taking part in a competition says only what every one of them may read (a published answer, a changed
 * document), and outcomes (shortlisting, award) are one event per outcome, addressed to exactly the
 * organisations it concerns.
 */
import { type EmailKind, isEmailKind } from './kinds';
import { type OpportunityFacts, type Subscriptions, wantsEmail } from './subscriptions';

/** At most this many organisations are named in one event (a competition's bidders fit many times over). */
export const MAX_EVENT_PROVIDERS = 2_000;
/** At most this many paragraphs in an event's message, each at most `MAX_PARAGRAPH_LENGTH` characters. */
export const MAX_EVENT_PARAGRAPHS = 6;
export const MAX_PARAGRAPH_LENGTH = 1_000;

/**
 * What a new opportunity is, as organisations' coverage and saved searches are matched against it
 * (`matchesSavedSearch`), with what the e-mail names.
 */
export interface Opportunity extends OpportunityFacts {
  competitionId: string;
  title: string;
}

/** Who an event is for. */
export type Audience =
  /** Every current member of these organisations. */
  | { type: 'members'; providerIds: string[] }
  /** The owners of these organisations only (a prime's payment matters). */
  | { type: 'owners'; providerIds: string[] }
  /** The members of every organisation that asked about, applied to, drafted or submitted a bid in it. */
  | { type: 'taking-part'; competitionId: string }
  /** The members of organisations whose regions and services match, and users whose saved searches do. */
  | { type: 'opportunity'; opportunity: Opportunity };

/** What an event says: the e-mail's words (the delivery adds the reason, unsubscribe and preferences). */
export interface EventMessage {
  subject: string;
  paragraphs: string[];
  /** The link's words and the service path it goes to (`/…`; the delivery puts the service's address first). */
  action: { text: string; path: string };
}

/**
 * The inbox notification the delivery writes for each organisation of the audience (not an `owners` one) (`GET /me/notifications`), when the change did not write them itself (fan-outs too big for a
 * transaction). Its id is the event's, so a redelivered event writes the same item again.
 */
export interface InboxNotification {
  type: string;
  title: string;
  message: string;
  link?: string | undefined;
  competitionId?: string | undefined;
  competitionTitle?: string | undefined;
  closes?: 'prequalification' | 'tender' | undefined;
  closesAt?: string | undefined;
  prequalificationTier?: 'none' | 'core' | 'full' | undefined;
  standstillEndsAt?: string | undefined;
}

/** One outbox event. */
export interface OutboxEvent {
  /** A ULID; also the id of the inbox notifications and the e-mails it leads to. */
  id: string;
  kind: EmailKind;
  createdAt: string;
  audience: Audience;
  message: EventMessage;
  inbox?: InboxNotification | undefined;
}

/** Raised for an event that cannot be recorded as it is: a defect of the change that builds it, not of input. */
export class OutboxEventError extends Error {
  override readonly name = 'OutboxEventError';
}

/**
 * Checks an event's bounds before it joins a transaction: a kind the preferences know, a bounded audience,
 * a bounded message, a service path for the link.
 * @throws OutboxEventError
 */
export function assertOutboxEvent(event: OutboxEvent): OutboxEvent {
  if (!isEmailKind(event.kind)) throw new OutboxEventError(`Unknown e-mail kind ${event.kind}`);
  const audience = event.audience;
  if (
    (audience.type === 'members' || audience.type === 'owners') &&
    (audience.providerIds.length === 0 || audience.providerIds.length > MAX_EVENT_PROVIDERS)
  ) {
    throw new OutboxEventError(`An event names 1 to ${MAX_EVENT_PROVIDERS} organisations`);
  }
  const { message } = event;
  if (message.paragraphs.length > MAX_EVENT_PARAGRAPHS) {
    throw new OutboxEventError(`An event's message has at most ${MAX_EVENT_PARAGRAPHS} paragraphs`);
  }
  if (message.paragraphs.some((p) => p.length > MAX_PARAGRAPH_LENGTH)) {
    throw new OutboxEventError(`An event's paragraph has at most ${MAX_PARAGRAPH_LENGTH} characters`);
  }
  if (!/^\/[^/\\]/.test(message.action.path) && message.action.path !== '/') {
    throw new OutboxEventError('An event links to a path of the service');
  }
  return event;
}

/** Why one user receives one event: what the e-mail's footer says, and which switch stops it. */
export interface Reason {
  /** The kind the user switches off to stop it (a saved search's own id for a saved search). */
  kind: EmailKind;
  /** The saved search that matched, for `saved-search`. */
  savedSearchId?: string | undefined;
  /** How the saved search wants it. */
  frequency?: 'immediate' | 'daily' | undefined;
  /**
   * The kind that decides instead when this one is switched off: a saved search's match that also reached
   * the user through their organisation (`opportunity-match`).
   */
  fallback?: EmailKind | undefined;
}

/** What the delivery does for one user. */
export type Decision = { action: 'send' } | { action: 'digest' } | { action: 'skip'; why: string };

/**
 * Whether a user gets an e-mail for an event they are in the audience of: not when e-mail is off, not when
 * the kind is off, not when the address is on the suppression list, and into the daily digest for a
 * saved search that asks for one. A saved search's e-mail is stopped by the `saved-search` switch.
 */
export function decide(
  subscriptions: Subscriptions,
  reason: Reason,
  suppressed: boolean,
  /** Whether this is the daily digest itself, which is sent rather than put into a digest again. */
  options: { digest: boolean } = { digest: false },
): Decision {
  if (suppressed) return { action: 'skip', why: 'suppressed' };
  if (!wantsEmail(subscriptions, reason.kind)) return { action: 'skip', why: `${reason.kind} off` };
  if (reason.kind === 'saved-search' && reason.frequency === 'daily' && !options.digest) {
    return { action: 'digest' };
  }
  return { action: 'send' };
}

/** "You get this e-mail because …": the footer's words for a reason. */
export function reasonText(reason: Reason): string {
  switch (reason.kind) {
    case 'opportunity-match':
      return 'an organisation you belong to works in the regions and services this opportunity is for';
    case 'saved-search':
      return 'it matches a search you saved';
    case 'clarification-answer':
    case 'document-changed':
      return 'your organisation is taking part in this competition';
    case 'deadline-reminder':
      return 'your organisation has a draft it has not submitted';
    case 'shortlisting':
    case 'award':
    case 'challenge-decision':
      return 'your organisation took part in this competition';
    case 'dispute-raised':
    case 'spend-return-due':
      return 'you are an owner of the prime provider on this contract';
  }
}
