/**
 * The tamper-evident audit chain (DESIGN.md section 3, layer 3), pure: each event carries the hash of the
 * one before it, and its own hash covers its content and that link, so editing, removing or reordering any
 * stored event breaks every hash after it. The chain's head (last sequence number and hash) is kept apart
 * from the events, so removing the last events, or all of them, no longer leaves a shorter chain that looks
 * whole: verification compares the chain with its head.
 *
 * An event is written in the same transaction as the change it records, as a *pending* event (no sequence
 * number yet), and a single sequencer chains pending events in order shortly after (`shared/db/audit.ts`).
 * Each event also carries a digest of every item the change wrote (or `null` for an item it deleted), so
 * verification can re-check the stored items: editing a stored score afterwards leaves a trace.
 */
import { createHash } from 'node:crypto';

/** Whether the access was allowed. */
export type AuditOutcome = 'allowed' | 'denied';

/** One item a change wrote or deleted: its table (logical name), its key, and a digest of what was written. */
export interface AuditChange {
  table: string;
  key: Record<string, string>;
  /** `itemDigest` of the item as written; `null` when the change deleted it. */
  digest: string | null;
}

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
  /** The items the change wrote, with their digests (none for reads and refusals). */
  changes?: AuditChange[] | undefined;
}

/** An event as written with its change, before the sequencer has chained it. */
export interface PendingAuditEvent extends AuditEventDraft {
  competitionId: string;
  /** A ULID, unique per event: the pending item's key, kept in the chained event. */
  id: string;
}

/** A chained event. */
export interface AuditEvent extends AuditEventDraft {
  competitionId: string;
  /** The pending event's id; absent on events chained before events were written pending. */
  id?: string | undefined;
  seq: number;
  prevHash: string;
  hash: string;
}

/** Where a chain ends: the head item (last sequence number and hash), or the start of a chain. */
export interface ChainPosition {
  seq: number;
  hash: string;
}

/** The `prevHash` of the first event of every chain. */
export const GENESIS_HASH = '0'.repeat(64);

/** The position before the first event. */
export const GENESIS: ChainPosition = { seq: 0, hash: GENESIS_HASH };

/**
 * A JSON form of a DynamoDB item that is the same whether it was built in code or read back: object keys
 * sorted, undefined values dropped (the document client removes them), sets as sorted lists, binary as
 * base64.
 */
function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Set) {
    return { $set: [...value].map(canonical).sort((a, b) => (String(a) < String(b) ? -1 : 1)) };
  }
  if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') };
  if (Array.isArray(value)) return value.map((entry) => (entry === undefined ? null : canonical(entry)));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const entry = (value as Record<string, unknown>)[key];
    if (entry !== undefined) out[key] = canonical(entry);
  }
  return out;
}

/** SHA-256 of an item's canonical JSON: what an event records of each item its change wrote. */
export function itemDigest(item: Record<string, unknown>): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(item)))
    .digest('hex');
}

/** A change's identity (table and key), to match changes of the same item. */
export function changeKey(change: Pick<AuditChange, 'table' | 'key'>): string {
  return JSON.stringify([change.table, canonical(change.key)]);
}

/**
 * The hash of an event: SHA-256 over its fields in a fixed order, the previous hash included. The pending
 * id and the changes are hashed when present; events chained before they existed hash as they always did.
 */
export function hashEvent(event: Omit<AuditEvent, 'hash'>): string {
  const fields: unknown[] = [
    event.competitionId,
    event.seq,
    event.at,
    event.actor,
    event.action,
    event.resource,
    event.outcome,
    event.reason ?? null,
    event.prevHash,
  ];
  if (event.id !== undefined || event.changes !== undefined) {
    fields.push({ id: event.id ?? null, changes: canonical(event.changes ?? []) });
  }
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Builds the event that follows `previous` (or starts the chain). */
export function chainEvent(
  competitionId: string,
  previous: ChainPosition | undefined,
  draft: AuditEventDraft & { id?: string | undefined },
): AuditEvent {
  const unhashed: Omit<AuditEvent, 'hash'> = {
    competitionId,
    seq: previous ? previous.seq + 1 : 1,
    prevHash: previous ? previous.hash : GENESIS_HASH,
    at: draft.at,
    actor: draft.actor,
    action: draft.action,
    resource: draft.resource,
    outcome: draft.outcome,
    ...(draft.reason !== undefined ? { reason: draft.reason } : {}),
    ...(draft.id !== undefined ? { id: draft.id } : {}),
    ...(draft.changes !== undefined ? { changes: draft.changes } : {}),
  };
  return { ...unhashed, hash: hashEvent(unhashed) };
}

/** What is wrong with a chain that does not verify. */
export type ChainProblem =
  /** An event's sequence number, link or hash is wrong (it was edited, removed, reordered or inserted). */
  | 'event'
  /** The chain ends before its head: its last events were removed. */
  | 'missing-events'
  /** Events exist beyond the head, or the head is missing, or its hash is not the last event's. */
  | 'head'
  /** A competition with no event at all, chained or pending: its whole log was removed. */
  | 'empty'
  /** A stored item no longer matches the digest its last change recorded. */
  | 'data';

/** Result of verifying a chain, or one page of it. */
export interface ChainVerification {
  /** Whether everything checked so far is intact. */
  valid: boolean;
  /** Chained events checked, counted from the start of the chain (a resumed check counts those before). */
  events: number;
  /** The first event whose sequence, link or hash is wrong, or whose recorded data no longer matches. */
  firstInvalidSeq?: number;
  problem?: ChainProblem;
}

/**
 * Incremental verifier, so a long chain can be checked page by page without holding it all; `from` resumes
 * after a checkpoint (the position of an event already verified).
 */
export function chainVerifier(competitionId: string, from: ChainPosition = GENESIS) {
  let previous: ChainPosition = from;
  let count = from.seq;
  let firstInvalidSeq: number | undefined;
  let problem: ChainProblem | undefined;
  const fail = (seq: number, why: ChainProblem) => {
    if (firstInvalidSeq !== undefined) return;
    firstInvalidSeq = seq;
    problem = why;
  };
  return {
    /** Feeds the next event in sequence order. */
    add(event: AuditEvent): void {
      count += 1;
      const { hash, ...rest } = event;
      if (
        event.competitionId !== competitionId ||
        event.seq !== previous.seq + 1 ||
        event.prevHash !== previous.hash ||
        hashEvent(rest) !== hash
      ) {
        fail(event.seq, 'event');
      }
      previous = { seq: event.seq, hash };
    },
    /**
     * Records a problem found outside the events themselves (a stored item that no longer matches what
     * event `seq` recorded, a checkpoint whose event changed); the first one found is reported.
     */
    fail(seq: number, why: ChainProblem): void {
      fail(seq, why);
    },
    /** The last event fed (or the start). */
    position(): ChainPosition {
      return previous;
    },
    /**
     * Compares the end of the chain with its head, once every event up to it has been fed: a head past the
     * last event means events were removed from the end; a missing head, or one whose hash is not the last
     * event's, means the head or the events were tampered with.
     */
    finish(head: ChainPosition | undefined): void {
      if (head === undefined) {
        if (previous.seq > 0) fail(previous.seq, 'head');
        return;
      }
      if (head.seq > previous.seq) fail(previous.seq + 1, 'missing-events');
      else if (head.seq < previous.seq || head.hash !== previous.hash) fail(head.seq, 'head');
    },
    /** Marks a competition that has no event at all, chained or pending. */
    empty(): void {
      fail(1, 'empty');
    },
    result(): ChainVerification {
      return firstInvalidSeq === undefined
        ? { valid: true, events: count }
        : { valid: false, events: count, firstInvalidSeq, ...(problem ? { problem } : {}) };
    },
  };
}

/** Verifies a whole chain held in memory against its head (undefined: a chain with no head item). */
export function verifyChain(
  competitionId: string,
  events: readonly AuditEvent[],
  head: ChainPosition | undefined,
): ChainVerification {
  const verifier = chainVerifier(competitionId);
  for (const event of events) verifier.add(event);
  verifier.finish(head);
  return verifier.result();
}
