/**
 * The tamper-evident audit chain (DESIGN.md section 3, layer 3), pure: each event carries the hash of the
 * one before it, and its own hash covers its content and that link, so editing, removing or reordering any
 * stored event breaks every hash after it.
 */
import { createHash } from 'node:crypto';

/** Whether the access was allowed. */
export type AuditOutcome = 'allowed' | 'denied';

/** What a use case records. */
export interface AuditEventDraft {
  at: string;
  /** The caller's `sub`. */
  actor: string;
  /** What was done, e.g. `competition.publish`, `bids.read`. */
  action: string;
  /** What it was done to, e.g. `competition/01J…/bids`. */
  resource: string;
  outcome: AuditOutcome;
  /** Why a denial was made (the problem type), when denied. */
  reason?: string | undefined;
}

/** A chained event. */
export interface AuditEvent extends AuditEventDraft {
  competitionId: string;
  seq: number;
  prevHash: string;
  hash: string;
}

/** The `prevHash` of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The hash of an event: SHA-256 over its fields in a fixed order, the previous hash included. */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const canonical = JSON.stringify([
    event.competitionId,
    event.seq,
    event.at,
    event.actor,
    event.action,
    event.resource,
    event.outcome,
    event.reason ?? null,
    event.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Builds the event that follows `previous` (or starts the chain). */
export function chainEvent(
  competitionId: string,
  previous: Pick<AuditEvent, 'seq' | 'hash'> | undefined,
  draft: AuditEventDraft,
): AuditEvent {
  const unhashed = {
    competitionId,
    seq: previous ? previous.seq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
    at: draft.at,
    actor: draft.actor,
    action: draft.action,
    resource: draft.resource,
    outcome: draft.outcome,
    ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
  };
  return { ...unhashed, hash: hashEvent(unhashed) };
}

/** Result of verifying a chain. */
export interface ChainVerification {
  valid: boolean;
  events: number;
  /** The first event whose sequence, link or hash is wrong. */
  firstInvalidSeq?: number;
}

/** Incremental verifier, so a long chain can be checked page by page without holding it all. */
export function chainVerifier(competitionId: string) {
  let previous: Pick<AuditEvent, 'seq' | 'hash'> | undefined;
  let count = 0;
  let firstInvalidSeq: number | undefined;
  return {
    /** Feeds the next event in sequence order. */
    add(event: AuditEvent): void {
      count += 1;
      if (firstInvalidSeq !== undefined) return;
      const expectedSeq = previous ? previous.seq + 1 : 1;
      const expectedPrev = previous ? previous.hash : GENESIS_HASH;
      const { hash, ...rest } = event;
      if (
        event.competitionId !== competitionId ||
        event.seq !== expectedSeq ||
        event.prevHash !== expectedPrev ||
        hashEvent(rest) !== hash
      ) {
        firstInvalidSeq = event.seq;
      }
      previous = { seq: event.seq, hash };
    },
    result(): ChainVerification {
      return firstInvalidSeq === undefined
        ? { valid: true, events: count }
        : { valid: false, events: count, firstInvalidSeq };
    },
  };
}

/** Verifies a whole chain held in memory. */
export function verifyChain(competitionId: string, events: readonly AuditEvent[]): ChainVerification {
  const verifier = chainVerifier(competitionId);
  for (const event of events) verifier.add(event);
  return verifier.result();
}
