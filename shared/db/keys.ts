/**
 * Key builders: every `pk`/`sk`/`gsiN` value in every table is built here, so prefixes never collide and
 * each access pattern can be read off one page.
 *
 * ## Access patterns
 *
 * | table    | pattern                                          | key                                                        |
 * |----------|--------------------------------------------------|------------------------------------------------------------|
 * | registry | provider profile by id                           | pk `PROVIDER#<id>`, sk `PROFILE`                           |
 * | registry | a charity / company number is taken (unique)     | pk `CHARITY#<n>` / `COMPANY#<n>`, sk `UNIQUE`              |
 * | registry | a member of a provider                           | pk `PROVIDER#<id>`, sk `MEMBER#<sub>`                      |
 * | registry | organisations of a user (`GET /me`)              | gsi1 pk `USER#<sub>`, gsi1 sk begins_with `MEMBER#`        |
 * | registry | a former membership (left or removed; kept)      | pk `PROVIDER#<id>`, sk `FORMER#<sub>#<left at>`            |
 * | registry | organisations a user has left                    | gsi1 pk `USER#<sub>`, gsi1 sk begins_with `FORMER#`        |
 * | registry | an invitation by id (kept with its outcome)      | pk `INVITATION#<id>`, sk `INVITATION`                      |
 * | registry | a user's open invitations, not yet expired       | gsi1 pk `USER#<sub>`, gsi1 sk `INVITE#<expires at>#<id>` > `INVITE#<now>` |
 * | registry | the open invitation of a user to a provider (one)| pk `PROVIDER#<id>`, sk `INVITE#<sub>`                      |
 * | registry | a provider's open invitations                    | pk `PROVIDER#<id>`, sk begins_with `INVITE#`               |
 * | registry | a provider's current accreditation               | pk `PROVIDER#<id>`, sk `ACCREDITATION`                     |
 * | registry | directory page: region × service, by name        | gsi1 pk `DIR#<region>#<service>`, gsi1 sk `<name key>#<id>`|
 * | registry | … filtered by sector                             | gsi2 pk `DIR#<region>#<service>#SECTOR#<sector>`           |
 * | registry | … filtered by size                               | gsi3 pk `DIR#<region>#<service>#SIZE#<size>`               |
 * | registry | … filtered by sector and size                    | gsi4 pk `DIR#<region>#<service>#SECTOR#<s>#SIZE#<z>`       |
 * | registry | a provider's directory entries                   | pk `PROVIDER#<id>`, sk `DIR#<region>#<service>`            |
 * | registry | notifications of a provider, newest first        | pk `NOTIFY#<providerId>`, sk `<ulid>`                      |
 * | registry | a user's e-mail preferences and saved searches (one item, versioned) | pk `SUBSCRIPTIONS#<sub>`, sk `SUBSCRIPTIONS` |
 * | registry | saved searches naming a region (or `national`; `*`: all), one item per user | pk `SEARCHES#<region>`, sk `<sub>` |
 * | registry | directory counts of a region (or `*`, national)   | pk `DIRCOUNT#<region>`, sk `COUNTS`: `<service>\|<sector>\|<size>` |
 * | registry | the verification queue: pending providers, oldest first | gsi1 pk `QUEUE#pending`, gsi1 sk `<waiting since>#<id>` (on the profile) |
 * | sessions | a web session by its id (hashed)                  | pk `SESSION#<sha-256 of id>`, sk `SESSION`                 |
 * | sessions | a session's unsent answers of one journey          | pk `SESSION#<sha-256 of id>`, sk `DRAFT#<kind>`            |
 * | sessions | a local identity (developer sign-in; local only)  | pk `LOCALUSER#<sub>`, sk `IDENTITY`                        |
 * | sessions | a local identity by e-mail (points at its sub)     | pk `LOCALEMAIL#<lower-case e-mail>`, sk `IDENTITY`         |
 *
 * An invitation's index keys exist only while it is open (accepting, declining or withdrawing it removes
 * them in the same transaction), and sort by expiry, so "my open invitations" is one key condition, never a
 * filter or a Scan. The per-provider `INVITE#<sub>` item is the lock that makes "one open invitation per
 * person" a condition (a put over it succeeds only once the one there has expired) and lists the provider's
 * open invitations; it is deleted when the invitation is answered, while the invitation's own item stays.
 *
 * The queue's index keys are on the profile item itself and exist only while it is pending: every write of
 * a profile rewrites the whole item (`shared/db/providers.ts`), adding them for a pending provider and so
 * dropping them in the same put that verifies or rejects it. "Waiting since" is the registration, or the
 * owners' resubmission of a rejected one (`waitingSince` in `shared/domain/provider-verification.ts`). One
 * partition holds the whole queue: registrations arrive a few a day and each is decided once, far below a
 * partition's limits, and the queue page is one Query in order, never a filter or a Scan.
 *
 * The saved-search index (issue 17) is written in the same transaction as the user's subscriptions item:
 * one item per region the user's searches name (put, holding those searches), every other region's item
 * deleted, and one item in `SEARCHES#*` holding all of the user's searches, so it never disagrees with the
 * searches it comes from (13 items: the subscriptions, 10 regions, national and `*`). A new opportunity
 * reads the partitions of the regions it touches and national's; a national one, which every search
 * matches on region, reads `SEARCHES#*` alone (each user once); never a Scan of every user's subscriptions.
 *
 * Directory entries exist only for verified providers, one per (region or national or `*`) × (service or
 * `*`), so every directory query is a single partition read in name order (plus the national partition
 * when a region is asked for): a page costs the same with 100 or 100,000 providers, and filters never
 * produce empty pages because nothing is filtered after the read.
 */
import { createHash } from 'node:crypto';
import type { DirectoryPartition } from '../domain/providers';
import type { Coverage, Sector, Size } from '../domain/reference-data';

const dirBase = (partition: DirectoryPartition) => `DIR#${partition.region}#${partition.service}`;

/** Registry keys. */
export const registryKeys = {
  provider: (providerId: string) => ({ pk: `PROVIDER#${providerId}`, sk: 'PROFILE' }),
  charityNumber: (number: string) => ({ pk: `CHARITY#${number}`, sk: 'UNIQUE' }),
  companyNumber: (number: string) => ({ pk: `COMPANY#${number}`, sk: 'UNIQUE' }),
  /** A membership's primary key. */
  member: (providerId: string, sub: string) => ({ pk: `PROVIDER#${providerId}`, sk: `MEMBER#${sub}` }),
  /** A membership's primary and index keys, for writing it. */
  memberItem: (providerId: string, sub: string) => ({
    pk: `PROVIDER#${providerId}`,
    sk: `MEMBER#${sub}`,
    gsi1pk: `USER#${sub}`,
    gsi1sk: `MEMBER#${providerId}`,
  }),
  membershipsOfUser: (sub: string) => ({ gsi1pk: `USER#${sub}`, gsi1skPrefix: 'MEMBER#' }),
  /** A membership that ended (the member left or was removed), kept under the provider and the user. */
  formerMemberItem: (providerId: string, sub: string, leftAt: string) => ({
    pk: `PROVIDER#${providerId}`,
    sk: `FORMER#${sub}#${leftAt}`,
    gsi1pk: `USER#${sub}`,
    gsi1sk: `FORMER#${providerId}#${leftAt}`,
  }),
  formerMembershipsOfUser: (sub: string) => ({ gsi1pk: `USER#${sub}`, gsi1skPrefix: 'FORMER#' }),
  /** An invitation's own item: it keeps its outcome and time once answered. */
  invitation: (id: string) => ({ pk: `INVITATION#${id}`, sk: 'INVITATION' }),
  /** The index keys that list an open invitation among the invited user's, by expiry. */
  invitationIndex: (sub: string, expiresAt: string, id: string) => ({
    gsi1pk: `USER#${sub}`,
    gsi1sk: `INVITE#${expiresAt}#${id}`,
  }),
  /** The bounds of a user's open invitations that have not expired at `now` (a BETWEEN key condition). */
  openInvitationsOfUser: (sub: string, now: string) => ({
    gsi1pk: `USER#${sub}`,
    from: `INVITE#${now}`,
    // `~` sorts after every character of an ISO time and a ULID.
    to: 'INVITE#~',
  }),
  /** The one open invitation of a user to a provider: the lock, and the provider's list. */
  openInvitation: (providerId: string, sub: string) => ({
    pk: `PROVIDER#${providerId}`,
    sk: `INVITE#${sub}`,
  }),
  openInvitationsPrefix: 'INVITE#',
  accreditation: (providerId: string) => ({ pk: `PROVIDER#${providerId}`, sk: 'ACCREDITATION' }),
  /** The entry's own key, under the provider, so it can be rewritten or deleted by key. */
  directoryEntry: (providerId: string, partition: DirectoryPartition) => ({
    pk: `PROVIDER#${providerId}`,
    sk: dirBase(partition),
  }),
  /** The index keys that place an entry in its directory partitions. */
  directoryIndexes: (partition: DirectoryPartition, sector: Sector, size: Size, sortKey: string) => ({
    gsi1pk: dirBase(partition),
    gsi1sk: sortKey,
    gsi2pk: `${dirBase(partition)}#SECTOR#${sector}`,
    gsi2sk: sortKey,
    gsi3pk: `${dirBase(partition)}#SIZE#${size}`,
    gsi3sk: sortKey,
    gsi4pk: `${dirBase(partition)}#SECTOR#${sector}#SIZE#${size}`,
    gsi4sk: sortKey,
  }),
  /** Which index and partition answer a directory query. */
  directoryQuery: (
    partition: DirectoryPartition,
    filters: { sector?: Sector | undefined; size?: Size | undefined },
  ) => {
    const base = dirBase(partition);
    if (filters.sector && filters.size) {
      return {
        index: 'gsi4',
        pkName: 'gsi4pk',
        skName: 'gsi4sk',
        pk: `${base}#SECTOR#${filters.sector}#SIZE#${filters.size}`,
      };
    }
    if (filters.sector)
      return { index: 'gsi2', pkName: 'gsi2pk', skName: 'gsi2sk', pk: `${base}#SECTOR#${filters.sector}` };
    if (filters.size)
      return { index: 'gsi3', pkName: 'gsi3pk', skName: 'gsi3sk', pk: `${base}#SIZE#${filters.size}` };
    return { index: 'gsi1', pkName: 'gsi1pk', skName: 'gsi1sk', pk: base };
  },
  notifications: (providerId: string) => ({ pk: `NOTIFY#${providerId}` }),
  notification: (providerId: string, notificationId: string) => ({
    pk: `NOTIFY#${providerId}`,
    sk: notificationId,
  }),
  /** A user's e-mail preferences and saved searches: one item, replaced whole under its version (issue 17). */
  subscriptions: (sub: string) => ({ pk: `SUBSCRIPTIONS#${sub}`, sk: 'SUBSCRIPTIONS' }),
  /**
   * A user's saved searches that name a region (or `national`; `*`: all of them): written in the
   * transaction that saves the subscriptions, so a new opportunity finds its searches with one Query per
   * region it touches (or of `*` alone, for a national one).
   */
  savedSearchIndex: (region: Coverage | '*', sub: string) => ({ pk: `SEARCHES#${region}`, sk: sub }),
  savedSearchPartition: (region: Coverage | '*') => `SEARCHES#${region}`,
  /** A region's directory counts (one number per service × sector × size, `*` for any), kept on write. */
  directoryCounts: (region: DirectoryPartition['region']) => ({ pk: `DIRCOUNT#${region}`, sk: 'COUNTS' }),
  /** The index keys that place a pending provider's profile in the verification queue. */
  pendingIndex: (waitingSince: string, providerId: string) => ({
    gsi1pk: 'QUEUE#pending',
    gsi1sk: `${waitingSince}#${providerId}`,
  }),
  /** The verification queue's partition on gsi1. */
  pendingQueue: 'QUEUE#pending',
};

/**
 * The audit chain of one provider's verification decisions (verified, rejected, and refused attempts), in
 * the audit table beside the competitions' chains (`AUDIT#provider-<id>`, chained by the same sequencer). A
 * provider id is a ULID, so the name can never be a competition's (whose routes accept only ULIDs).
 */
export function providerAuditScope(providerId: string): string {
  return `provider-${providerId}`;
}

/**
 * Procurement, sealed and audit keys.
 *
 * | table       | pattern                                              | key                                                       |
 * |-------------|------------------------------------------------------|-----------------------------------------------------------|
 * | procurement | a competition's public record                        | pk `COMP#<id>`, sk `META`                                 |
 * | procurement | everything the wall needs (panel, declarations, …)   | pk `COMP#<id>` (one Query)                                |
 * | procurement | panel                                                | sk `PANEL`                                                |
 * | procurement | declaration / exclusion histories (append-only)      | sk `DECL#<sub>#<6-digit version>` / `EXCL#<sub>#<6-digit version>` |
 * | procurement | open opportunities by region × service, closing first| gsi1 pk `OPP#<region>#<service>`, gsi1 sk `<closes at>#<id>` |
 * | procurement | one person's declaration history in a competition    | pk `COMP#<id>`, sk begins_with `DECL#<sub>`               |
 * | procurement | competitions a user leads or sits on the panel of, newest first | pk `SEATS#<sub>`, sk `COMP#<created at>#<id>` (a seat: roles) |
 * | procurement | every competition, newest first (auditors, admins)  | gsi2 pk `COMPETITIONS`, gsi2 sk `<created at>#<id>` (on the lead's seat) |
 * | procurement | open competitions by their next deadline (reminders) | gsi1 pk `DEADLINES`, gsi1 sk `<deadline>#<id>` (on the record, `META`) |
 * | sealed      | confidential section                                 | pk `COMP#<id>`, sk `CONFIDENTIAL`                         |
 * | sealed      | pre-qualification response of an applicant           | pk `RESPONSE#<id>#<providerId>`, sk `RESPONSE`            |
 * | sealed      | responses of a competition (insiders)                | gsi1 pk `RESPONSES#<id>`, gsi1 sk `<providerId>`          |
 * | sealed      | an evaluator's mark on a response                    | pk `COMP#<id>`, sk `MARK#<providerId>#<sub>`              |
 * | sealed      | organisations connected to a bid or application      | pk `CONNECTED#<id>`, sk `<providerId>`                    |
 * | sealed      | an organisation's agreement to be named by a bidder  | pk `CONSENT#<id>#<bidderId>#<namedId>`, sk `CONSENT`      |
 * | sealed      | competitions an organisation takes part in, newest first | pk `TAKING#<providerId>`, sk `COMP#<id>`              |
 * | sealed      | …and those it agreed to be a partner in, beside them | pk `TAKING#<providerId>`, sk `COMP#<id>#PARTNER#<bidderId>` |
 * | sealed      | a bidder's draft / versions / head / debrief         | pk `BID#<id>#<providerId>`, sk `DRAFT` / `V#<n>` / `HEAD` / `DEBRIEF` |
 * | sealed      | submitted bids of a competition (insiders)           | gsi1 pk `BIDS#<id>`, gsi1 sk `<providerId>` (heads only)  |
 * | sealed      | an evaluator's scores / the moderated scores of a bid| pk `COMP#<id>`, sk `SCORE#<bidId>#<sub>` / `MODERATED#<bidId>` |
 * | sealed      | price clarifications of a bid (abnormally low)       | pk `COMP#<id>`, sk `CLARIFY#<bidId>#<ulid>`               |
 * | sealed      | a bidder's challenge of one award decision           | pk `BID#<id>#<providerId>`, sk `CHALLENGE#<award decided at>` |
 * | sealed      | challenges of a competition (insiders), by id         | gsi1 pk `CHALLENGES#<id>`, gsi1 sk `<challengeId>`         |
 * | audit       | a competition's chained events in order              | pk `AUDIT#<id>`, sk `SEQ#<10-digit seq>`                  |
 * | audit       | the head of a chain (last seq and hash)              | pk `AUDITHEAD#<id>`, sk `HEAD`                            |
 * | audit       | events written with their change, not yet chained    | pk `AUDITPENDING#<id>`, sk `<ulid>`                       |
 * | audit       | the last chained digest of each item a change wrote  | pk `AUDITDATA#<id>`, sk `["<table>",{key}]`               |
 * | audit       | alerts, newest first                                 | pk `ALERTS`, sk `<at>#<ulid>`                             |
 *
 * A seat is written in the same transaction as what gives or takes it: the lead's when the competition is
 * created, panel members' when the panel is set (and deleted when someone leaves the panel), one item per
 * person and competition holding every role they have there. The lead's seat alone carries the gsi2 keys,
 * so the "every competition" index lists each competition exactly once, outside the competition's own
 * partition: no competition record (whose digest the audit log keeps) changes to be listed there. Both
 * lists give ids and roles; the page reads the records themselves with one BatchGetItem.
 *
 * Opportunity entries are keyed by their closing time, so "still open" is a key condition (`> now`), not
 * a filter: a page costs the same however many closed competitions there are. A change writes its audit
 * event blind, under `AUDITPENDING#` with a key of its own, so concurrent writers never contend for a
 * shared item and provider-facing roles may put pending events without reading anything; the sequencer
 * (fed by the audit table's stream) alone reads and moves the head, chains the event under `AUDIT#` and
 * deletes the pending item in one transaction.
 */
export const procurementKeys = {
  competition: (id: string) => ({ pk: `COMP#${id}`, sk: 'META' }),
  competitionPartition: (id: string) => ({ pk: `COMP#${id}` }),
  panel: (id: string) => ({ pk: `COMP#${id}`, sk: 'PANEL' }),
  /** One version of a person's declaration history; the fixed-width version keeps keys unambiguous. */
  declaration: (id: string, sub: string, version: number) => ({
    pk: `COMP#${id}`,
    sk: `DECL#${sub}#${String(version).padStart(6, '0')}`,
  }),
  /** One version of a person's exclusion history. */
  exclusion: (id: string, sub: string, version: number) => ({
    pk: `COMP#${id}`,
    sk: `EXCL#${sub}#${String(version).padStart(6, '0')}`,
  }),
  opportunityEntry: (id: string, partition: { region: string; service: string }) => ({
    pk: `COMP#${id}`,
    sk: `OPP#${partition.region}#${partition.service}`,
  }),
  opportunityIndex: (id: string, partition: { region: string; service: string }, closesAt: string) => ({
    gsi1pk: `OPP#${partition.region}#${partition.service}`,
    gsi1sk: `${closesAt}#${id}`,
  }),
  opportunityPartition: (partition: { region: string; service: string }) =>
    `OPP#${partition.region}#${partition.service}`,
  /**
   * The sort key prefix of one person's declaration history. A sub may itself contain `#`, so the prefix
   * can also match a longer sub's records: readers keep only the records whose `sub` is this one.
   */
  declarationsOfPrefix: (sub: string) => `DECL#${sub}`,
  /** A user's seat on a competition (the roles they hold there). */
  seat: (sub: string, competition: { id: string; createdAt: string }) => ({
    pk: `SEATS#${sub}`,
    sk: `COMP#${competition.createdAt}#${competition.id}`,
  }),
  /** The partition of a user's seats. */
  seatsOfUser: (sub: string) => `SEATS#${sub}`,
  /** The index keys that list a competition among every competition (written on the lead's seat only). */
  competitionListing: (competition: { id: string; createdAt: string }) => ({
    gsi2pk: 'COMPETITIONS',
    gsi2sk: `${competition.createdAt}#${competition.id}`,
  }),
  allCompetitions: () => 'COMPETITIONS',
  /**
   * The index keys listing a competition's record under the deadline its stored status waits for
   * (`nextDeadline` in `shared/domain/notifications/reminders.ts`), put with every write of the record:
   * the deadline reminders' sweep reads the competitions closing in the next 48 hours with one key
   * condition. None (and so out of the index) before publication and once bids are being evaluated.
   */
  deadlineIndex: (competition: { id: string }, deadline: string | undefined) =>
    deadline === undefined ? {} : { gsi1pk: 'DEADLINES', gsi1sk: `${deadline}#${competition.id}` },
  deadlinesPartition: 'DEADLINES',
};

/** Sealed-table keys. */
export const sealedKeys = {
  confidential: (id: string) => ({ pk: `COMP#${id}`, sk: 'CONFIDENTIAL' }),
  /**
   * In a partition of the applicant's own (not the competition's, where marks, scores and the confidential
   * section live), so the applicant's credentials can put it and reach nothing else.
   */
  response: (id: string, providerId: string) => ({ pk: `RESPONSE#${id}#${providerId}`, sk: 'RESPONSE' }),
  /** Index keys that list a response among the competition's responses (insiders only). */
  responseIndex: (id: string, providerId: string) => ({ gsi1pk: `RESPONSES#${id}`, gsi1sk: providerId }),
  responsesOfCompetition: (id: string) => `RESPONSES#${id}`,
  mark: (id: string, providerId: string, sub: string) => ({
    pk: `COMP#${id}`,
    sk: `MARK#${providerId}#${sub}`,
  }),
  /** In a partition of its own, so bidder-facing functions may add markers without reaching evaluation data. */
  connected: (id: string, providerId: string) => ({ pk: `CONNECTED#${id}`, sk: providerId }),
  /**
   * An organisation's agreement to be named in one bidder's bid or application (append-only). The named
   * organisation comes last, so each side's credentials reach only their own: the named one puts
   * `CONSENT#*#<itself>`, the bidder reads `CONSENT#*#<itself>#*` (ids are ULIDs, without `#`).
   */
  consent: (id: string, bidderId: string, namedId: string) => ({
    pk: `CONSENT#${id}#${bidderId}#${namedId}`,
    sk: 'CONSENT',
  }),
  partition: (id: string) => ({ pk: `COMP#${id}` }),
  /**
   * One organisation's part in one competition, in a partition of the organisation's own ("your
   * competitions", `shared/db/participation.ts`); competition ids are ULIDs, so it sorts by competition age.
   */
  participation: (providerId: string, competitionId: string) => ({
    pk: `TAKING#${providerId}`,
    sk: `COMP#${competitionId}`,
  }),
  /**
   * An organisation's part as a partner (consortium member, sub-contractor) in one bidder's bid, beside its
   * own participation in the same partition: it sorts just after the competition's own item, so a blind put
   * of either never replaces the other.
   */
  partnerParticipation: (providerId: string, competitionId: string, bidderId: string) => ({
    pk: `TAKING#${providerId}`,
    sk: `COMP#${competitionId}#PARTNER#${bidderId}`,
  }),
  /** A bidder's own partition: draft, submitted versions, the bid head and later its debrief. */
  bidPartition: (id: string, providerId: string) => ({ pk: `BID#${id}#${providerId}` }),
  bidDraft: (id: string, providerId: string) => ({ pk: `BID#${id}#${providerId}`, sk: 'DRAFT' }),
  bidHead: (id: string, providerId: string) => ({ pk: `BID#${id}#${providerId}`, sk: 'HEAD' }),
  /** Index keys that list a submitted bid's head among the competition's bids (insiders only). */
  bidHeadIndex: (id: string, providerId: string) => ({ gsi1pk: `BIDS#${id}`, gsi1sk: providerId }),
  bidsOfCompetition: (id: string) => `BIDS#${id}`,
  bidVersion: (id: string, providerId: string, version: number) => ({
    pk: `BID#${id}#${providerId}`,
    sk: `V#${String(version).padStart(4, '0')}`,
  }),
  debrief: (id: string, providerId: string) => ({ pk: `BID#${id}#${providerId}`, sk: 'DEBRIEF' }),
  score: (id: string, bidId: string, sub: string) => ({ pk: `COMP#${id}`, sk: `SCORE#${bidId}#${sub}` }),
  moderated: (id: string, bidId: string) => ({ pk: `COMP#${id}`, sk: `MODERATED#${bidId}` }),
  /**
   * A bidder's challenge of one award decision (issue 15), in the bidder's own partition so the bidder's
   * credentials put and read it and reach no one else's; keyed by the decision challenged, so confirming
   * that decision can condition on every bidder's challenge of it by key (`shared/db/challenges.ts`).
   */
  challenge: (id: string, providerId: string, awardDecidedAt: string) => ({
    pk: `BID#${id}#${providerId}`,
    sk: `CHALLENGE#${awardDecidedAt}`,
  }),
  /** Index keys that list a challenge among the competition's, in the order raised (ids are ULIDs). */
  challengeIndex: (id: string, challengeId: string) => ({ gsi1pk: `CHALLENGES#${id}`, gsi1sk: challengeId }),
  challengesOfCompetition: (id: string) => `CHALLENGES#${id}`,
  /** The lead's record of a bidder's explanation of an abnormally low price (append-only, by time). */
  priceClarification: (id: string, bidId: string, clarificationId: string) => ({
    pk: `COMP#${id}`,
    sk: `CLARIFY#${bidId}#${clarificationId}`,
  }),
};

/** The partition key prefix of pending audit events (the only audit items a provider role may put). */
export const AUDIT_PENDING_PREFIX = 'AUDITPENDING#';

/** Audit-table keys. */
export const auditKeys = {
  event: (competitionId: string, seq: number) => ({
    pk: `AUDIT#${competitionId}`,
    sk: `SEQ#${String(seq).padStart(10, '0')}`,
  }),
  events: (competitionId: string) => ({ pk: `AUDIT#${competitionId}` }),
  head: (competitionId: string) => ({ pk: `AUDITHEAD#${competitionId}`, sk: 'HEAD' }),
  /** A pending event: written with its change, chained (and deleted) by the sequencer. */
  pending: (competitionId: string, id: string) => ({ pk: `${AUDIT_PENDING_PREFIX}${competitionId}`, sk: id }),
  pendingPartition: (competitionId: string) => ({ pk: `${AUDIT_PENDING_PREFIX}${competitionId}` }),
  /** The last chained digest of one item (its logical table and key, as `changeKey` spells them). */
  data: (competitionId: string, changeKey: string) => ({ pk: `AUDITDATA#${competitionId}`, sk: changeKey }),
  alert: (at: string, id: string) => ({ pk: 'ALERTS', sk: `${at}#${id}` }),
  alerts: () => ({ pk: 'ALERTS' }),
};

/**
 * Clarification question keys (issue 15), in the procurement table.
 *
 * | table       | pattern                                              | key                                                       |
 * |-------------|------------------------------------------------------|-----------------------------------------------------------|
 * | procurement | a question by id; every question, in the order asked | pk `QUESTIONS#<id>`, sk `Q#<questionId>` (a ULID)        |
 * | procurement | published answers, in the order published            | gsi1 pk `ANSWERS#<id>`, gsi1 sk `<answered at>#<questionId>` |
 * | procurement | one organisation's questions, by answered or asked   | gsi2 pk `ASKED#<id>#<providerId>`, gsi2 sk `<answered or asked at>#<questionId>` |
 * | procurement | how many of an organisation's questions wait for an answer | pk `QUESTIONS#<id>`, sk `PENDING#<providerId>` (written only, never listed) |
 *
 * Questions have a partition of their own, not the competition's (`COMP#<id>`), which the wall reads whole
 * on every request: fifty answers there would be read by every check of the wall. The `ANSWERS#` index keys
 * exist only on answers published to all, so the public log is one Query in publication order, never a
 * filter; the `ASKED#` keys let an organisation's members page their own questions with the published
 * answers, in one order (`logOrderKey` in `shared/domain/questions.ts`).
 */
export const questionKeys = {
  question: (competitionId: string, questionId: string) => ({
    pk: `QUESTIONS#${competitionId}`,
    sk: `Q#${questionId}`,
  }),
  partition: (competitionId: string) => `QUESTIONS#${competitionId}`,
  questionPrefix: 'Q#',
  /**
   * The count of one organisation's questions waiting for an answer (`MAX_PENDING_QUESTIONS` caps it): moved
   * by the ask and the answer transactions, under a condition. It names the asker, so it carries no index
   * keys and sorts outside `questionPrefix`: no listing of questions or answers ever reads it.
   */
  pendingCount: (competitionId: string, providerId: string) => ({
    pk: `QUESTIONS#${competitionId}`,
    sk: `PENDING#${providerId}`,
  }),
  /** The index keys listing a published answer in the public log. */
  publishedIndex: (competitionId: string, orderKey: string) => ({
    gsi1pk: `ANSWERS#${competitionId}`,
    gsi1sk: orderKey,
  }),
  publishedPartition: (competitionId: string) => `ANSWERS#${competitionId}`,
  /** The index keys listing a question among its organisation's. */
  askerIndex: (competitionId: string, providerId: string, orderKey: string) => ({
    gsi2pk: `ASKED#${competitionId}#${providerId}`,
    gsi2sk: orderKey,
  }),
  askerPartition: (competitionId: string, providerId: string) => `ASKED#${competitionId}#${providerId}`,
};

/**
 * Contract and sub-contracting keys.
 *
 * | table          | pattern                                                   | key                                                         |
 * |----------------|-----------------------------------------------------------|-------------------------------------------------------------|
 * | procurement    | a contract                                                | pk `CONTRACT#<id>`, sk `META`                               |
 * | procurement    | contracts of a prime provider, newest first               | gsi2 pk `PRIME#<providerId>`, gsi2 sk `<createdAt>#<id>`    |
 * | procurement    | every contract, newest first                              | gsi1 pk `CONTRACTS`, gsi1 sk `<createdAt>#<id>`             |
 * | subcontracting | a contract's supply chain                                 | pk `CONTRACT#<id>`, sk `SUPPLYCHAIN`                        |
 * | subcontracting | a period's head: current version, hash, its figures       | pk `CONTRACT#<id>`, sk `FIG#<period>`                       |
 * | subcontracting | a contract's cumulative figures                           | pk `CONTRACT#<id>`, sk `FIG#ALL`                            |
 * | subcontracting | every figure item of a contract (one Query)               | pk `CONTRACT#<id>`, sk begins_with `FIG#`                   |
 * | subcontracting | one version of a return, in chunks of lines               | pk `CONTRACT#<id>`, sk `RETURN#<period>#V#<6-digit n>#C#<2-digit chunk>` |
 * | subcontracting | disputes of a period's lines / of a contract              | pk `CONTRACT#<id>`, sk `DISPUTE#<period>#<lineId>#<ulid>` (begins_with) |
 * | subcontracting | the open dispute of a line (at most one: a conditional put) | pk `CONTRACT#<id>`, sk `OPENDISPUTE#<period>#<lineId>` (BatchGet by line) |
 * | subcontracting | a registered sub-contractor's lines in a period's latest version | pk `CONTRACT#<id>`, sk `SUBPAY#<period>#<providerId>#<2-digit chunk>` |
 * | subcontracting | payments reported to a provider, newest period first      | gsi1 pk `SUBPAY#<providerId>`, gsi1 sk `<period>#<contractId>#<chunk>` |
 * | subcontracting | a region's figures, per period and cumulative             | pk `REGIONFIG#<region or national>`, sk `PERIOD#<period>` / `ALL` |
 * | subcontracting | a region's per-quarter series over a window (one Query)   | pk `REGIONFIG#<region>`, sk BETWEEN `PERIOD#<first>` AND `PERIOD#<last>` |
 * | subcontracting | the contracts counted in a region's figures, a page at a time | pk `REGIONFIG#<region>`, sk `CONTRACT#<contractId>` (begins_with) |
 *
 * Everything about one contract shares its partition. The figures a report reads are one item per region
 * (ten regions and `national`), each in its own partition: the national report is one BatchGetItem of 11
 * keys whatever the number of returns, and quarter-end filings from many primes spread over 11 partitions.
 * Only the latest version of a period has `SUBPAY#` items (replaced or deleted in the transaction that
 * files the next version), so the sub-contractor's index never shows a superseded line.
 *
 * The dashboard (`/commissioning/subcontracting`) reads each region's per-quarter items over a fixed window
 * of quarters (one Query per region, at most one item per quarter) and the national series is their sum
 * per quarter: no national per-quarter item, which every prime's filing would contend for at quarter end.
 * A region's `CONTRACT#` items (one per contract counted in it, put once with the contract's first return,
 * in the same transaction) list its contracts for the drill-down, a page at a time.
 */
const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Contract keys (procurement table). */
export const contractKeys = {
  contract: (id: string) => ({ pk: `CONTRACT#${id}`, sk: 'META' }),
  contractIndexes: (contract: { id: string; primeProviderId: string; createdAt: string }) => ({
    gsi1pk: 'CONTRACTS',
    gsi1sk: `${contract.createdAt}#${contract.id}`,
    gsi2pk: `PRIME#${contract.primeProviderId}`,
    gsi2sk: `${contract.createdAt}#${contract.id}`,
  }),
  allContracts: () => 'CONTRACTS',
  contractsOfPrime: (providerId: string) => `PRIME#${providerId}`,
};

/** Sub-contracting keys (subcontracting table). */
export const subcontractingKeys = {
  partition: (contractId: string) => `CONTRACT#${contractId}`,
  supplyChain: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'SUPPLYCHAIN' }),
  periodHead: (contractId: string, period: string) => ({ pk: `CONTRACT#${contractId}`, sk: `FIG#${period}` }),
  contractFigures: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'FIG#ALL' }),
  figuresPrefix: 'FIG#',
  cumulativeSk: 'FIG#ALL',
  returnChunk: (contractId: string, period: string, version: number, chunk: number) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `RETURN#${period}#V#${pad(version, 6)}#C#${pad(chunk, 2)}`,
  }),
  returnVersionPrefix: (period: string, version: number) => `RETURN#${period}#V#${pad(version, 6)}#`,
  dispute: (contractId: string, period: string, lineId: string, disputeId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `DISPUTE#${period}#${lineId}#${disputeId}`,
  }),
  disputesPrefix: (period?: string) => (period ? `DISPUTE#${period}#` : 'DISPUTE#'),
  openDispute: (contractId: string, period: string, lineId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `OPENDISPUTE#${period}#${lineId}`,
  }),
  subPayment: (contractId: string, period: string, providerId: string, chunk: number) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `SUBPAY#${period}#${providerId}#${pad(chunk, 2)}`,
  }),
  subPaymentIndex: (contractId: string, period: string, providerId: string, chunk: number) => ({
    gsi1pk: `SUBPAY#${providerId}`,
    gsi1sk: `${period}#${contractId}#${pad(chunk, 2)}`,
  }),
  subPaymentsPrefix: (period: string, providerId: string) => `SUBPAY#${period}#${providerId}#`,
  paymentsToProvider: (providerId: string) => `SUBPAY#${providerId}`,
  regionFigures: (region: string, period: string | undefined) => ({
    pk: `REGIONFIG#${region}`,
    sk: period ? `PERIOD#${period}` : 'ALL',
  }),
  regionPartition: (region: string) => `REGIONFIG#${region}`,
  regionPeriodSk: (period: string) => `PERIOD#${period}`,
  /** A contract counted in a region's figures: written with the contract's first return (dashboard drill-down). */
  regionContract: (region: string, contractId: string) => ({
    pk: `REGIONFIG#${region}`,
    sk: `CONTRACT#${contractId}`,
  }),
  regionContractsPrefix: 'CONTRACT#',
};

/**
 * Payment-by-results keys (subcontracting table, the contract's partition; issue 18).
 *
 * | pattern                                                  | key                                                               |
 * |----------------------------------------------------------|-------------------------------------------------------------------|
 * | a contract's mechanism versions, in order (one Query)    | pk `CONTRACT#<id>`, sk `PBR#MECH#<6-digit version>`               |
 * | a period's cohort: sizes, results, re-offending payment  | pk `CONTRACT#<id>`, sk `PBR#COHORT#<period>`                      |
 * | one version of a period's results (append-only)          | pk `CONTRACT#<id>`, sk `PBR#RESULTS#<period>#<6-digit version>`   |
 * | a period's figures: participants claimed and validated per outcome and tier, claims per status | pk `CONTRACT#<id>`, sk `PBR#FIG#<period>` |
 * | a contract's claim counts per status                     | pk `CONTRACT#<id>`, sk `PBR#FIG#ALL`                              |
 * | a claim; claims in submission order                      | pk `CONTRACT#<id>`, sk `PBR#CLAIM#<ulid>` (begins_with)           |
 * | claims awaiting a decision, oldest first (sparse)        | gsi2 pk `PBRQUEUE#<contractId>`, gsi2 sk `<ulid>`                 |
 * | a participant claimed for an outcome (at most once)      | pk `CONTRACT#<id>`, sk `PBR#PART#<outcomeId>#<upper-cased ref>`   |
 * | the shares of outcome payments a prime passes on         | pk `CONTRACT#<id>`, sk `PBR#SHARES`                               |
 * | one version of those shares (append-only)                | pk `CONTRACT#<id>`, sk `PBR#SHARESV#<6-digit version>`            |
 * | the shares passed to a sub-contractor, by contract       | gsi1 pk `PBRSHARE#<providerId>`, gsi1 sk `<contractId>` (one item per sub-contractor and contract) |
 *
 * The statement reads the mechanism versions, the cohorts and the period figures: a few items per quarter
 * of the contract, however many claims there are (the figures are maintained on write, with each claim and
 * decision, in the same transaction).
 */
export const outcomeKeys = {
  mechanism: (contractId: string, version: number) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#MECH#${pad(version, 6)}`,
  }),
  mechanismPrefix: 'PBR#MECH#',
  cohort: (contractId: string, period: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#COHORT#${period}`,
  }),
  cohortPrefix: 'PBR#COHORT#',
  results: (contractId: string, period: string, version: number) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#RESULTS#${period}#${pad(version, 6)}`,
  }),
  periodFigures: (contractId: string, period: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#FIG#${period}`,
  }),
  contractFigures: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'PBR#FIG#ALL' }),
  figuresPrefix: 'PBR#FIG#',
  claim: (contractId: string, claimId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#CLAIM#${claimId}`,
  }),
  claimPrefix: 'PBR#CLAIM#',
  claimQueue: (contractId: string, claimId: string) => ({
    gsi2pk: `PBRQUEUE#${contractId}`,
    gsi2sk: claimId,
  }),
  claimQueuePartition: (contractId: string) => `PBRQUEUE#${contractId}`,
  participant: (contractId: string, outcomeId: string, refKey: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#PART#${outcomeId}#${refKey}`,
  }),
  shares: (contractId: string) => ({ pk: `CONTRACT#${contractId}`, sk: 'PBR#SHARES' }),
  sharesVersion: (contractId: string, version: number) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#SHARESV#${pad(version, 6)}`,
  }),
  shareOfProvider: (contractId: string, providerId: string) => ({
    pk: `CONTRACT#${contractId}`,
    sk: `PBR#SHARE#${providerId}`,
  }),
  shareIndex: (contractId: string, providerId: string) => ({
    gsi1pk: `PBRSHARE#${providerId}`,
    gsi1sk: contractId,
  }),
  sharesOfProvider: (providerId: string) => `PBRSHARE#${providerId}`,
};

/**
 * The audit chain of one contract's payment by results (mechanism versions, cohorts, results, claims and
 * decisions), in the audit table beside the competitions' chains (`AUDIT#contract-<id>`, chained by the same
 * sequencer). A contract id is a ULID, so the name can never be a competition's or a provider's.
 */
export function contractAuditScope(contractId: string): string {
  return `contract-${contractId}`;
}

/** A session's partition: a hash of its id. */
function sessionPartition(id: string): string {
  return `SESSION#${createHash('sha256').update(id).digest('base64url')}`;
}

/**
 * Sessions-table keys. A session is stored under a hash of its id, so whoever reads the table (a backup,
 * an operator) learns no id that a cookie could carry.
 */
export const sessionKeys = {
  session: (id: string) => ({ pk: sessionPartition(id), sk: 'SESSION' }),
  /** A session's unsent answers of one question-page journey: in the session's partition, gone with it. */
  draft: (id: string, kind: string) => ({ pk: sessionPartition(id), sk: `DRAFT#${kind}` }),
  localIdentity: (sub: string) => ({ pk: `LOCALUSER#${sub}`, sk: 'IDENTITY' }),
  /** Where a local identity's e-mail address points at its sub (the address normalised by the caller). */
  localIdentityByEmail: (email: string) => ({ pk: `LOCALEMAIL#${email}`, sk: 'IDENTITY' }),
};

/**
 * Tender document keys (issue 15): metadata in the procurement table, files in the documents bucket.
 *
 * | store       | pattern                                               | key                                                   |
 * |-------------|-------------------------------------------------------|-------------------------------------------------------|
 * | procurement | a competition's documents and versions (one Query)    | pk `DOCS#<competitionId>`                             |
 * | procurement | a document: title, kind, current version              | sk `DOC#<documentId>`                                 |
 * | procurement | the current version of every document (a bid records) | sk begins_with `DOC#`                                 |
 * | procurement | one version of a document (append-only)               | sk `VER#<documentId>#<6-digit version>`               |
 * | procurement | an upload handed out, not yet confirmed (`pending`)   | sk `VER#<documentId>#<6-digit version>`, `pending` true |
 * | procurement | the documents' revision (one more per version made current) | pk `COMP#<competitionId>`, sk `DOCREVISION`     |
 * | S3          | one upload's file, as the browser PUTs or POSTs it    | `competitions/<competitionId>/documents/<documentId>/v<6-digit version>/upload-<uploadId>` |
 * | S3          | the confirmed file of one version (a copy of its upload) | `…/v<6-digit version>/file-<uploadId>` (before: `…/v<6-digit version>`) |
 *
 * A partition of their own, not the competition's (`COMP#<id>`), which every wall decision reads whole:
 * documents would make each of those reads larger. The one exception is the revision, a counter of a few
 * bytes: a bid submission conditions on it, and a bidder's credentials may check only competition items
 * (`COMP#…`, `DEADLINE_GUARD` in `infra/table-access.ts`). Each version's file has its own object key, so a
 * presigned URL (signed for one key) reaches exactly one version of one document of one competition, and
 * uploading version 2 can never overwrite version 1. Each upload writes a key of its own (`upload`), which
 * the confirmation copies to the version's file (`file`): a presigned URL stays usable for its 15 minutes,
 * but never for a file anyone downloads (the upload functions may put `upload-*` keys only).
 */
export const documentKeys = {
  partition: (competitionId: string) => `DOCS#${competitionId}`,
  document: (competitionId: string, documentId: string) => ({
    pk: `DOCS#${competitionId}`,
    sk: `DOC#${documentId}`,
  }),
  documentsPrefix: 'DOC#',
  /** The documents' revision: moved with every version made current, checked by a bid submission. */
  revision: (competitionId: string) => ({ pk: `COMP#${competitionId}`, sk: 'DOCREVISION' }),
  version: (competitionId: string, documentId: string, version: number) => ({
    pk: `DOCS#${competitionId}`,
    sk: `VER#${documentId}#${pad(version, 6)}`,
  }),
  /** The object key of one version's file, as versions confirmed before per-upload keys stored it. */
  object: (competitionId: string, documentId: string, version: number) =>
    `competitions/${competitionId}/documents/${documentId}/v${pad(version, 6)}`,
  /** Where one upload's file is written: the only key its presigned PUT or POST form is signed for. */
  upload: (competitionId: string, documentId: string, version: number, uploadId: string) =>
    `competitions/${competitionId}/documents/${documentId}/v${pad(version, 6)}/upload-${uploadId}`,
  /**
   * The confirmed file of one upload: copied from its upload key by the confirmation, and never the key of
   * any presigned PUT or form, so reusing an upload URL after the confirmation cannot change it.
   */
  file: (competitionId: string, documentId: string, version: number, uploadId: string) =>
    `competitions/${competitionId}/documents/${documentId}/v${pad(version, 6)}/file-${uploadId}`,
  /** The prefix of every document file (the IAM grants name it). */
  objectPrefix: 'competitions/',
  /** The IAM pattern of upload keys (ids are ULIDs, so `upload-` appears only as the last segment's start). */
  uploadPattern: 'competitions/*/upload-*',
  /** The IAM pattern of confirmed files' keys. */
  filePattern: 'competitions/*/file-*',
};

/**
 * Publication keys (issue 16): the OCDS releases, in a table of their own (`publication`).
 *
 * | table       | pattern                                                  | key                                                  |
 * |-------------|----------------------------------------------------------|------------------------------------------------------|
 * | publication | where the feed is: the last release's number and date    | pk `OCDSSEQ`, sk `HEAD`                              |
 * | publication | the feed in publication order, from a cursor or a date   | pk `OCDSFEED`, sk `<release date>#<12-digit seq>`    |
 * | publication | every release of one contracting process (its record)    | gsi1 pk `OCID#<ocid>`, gsi1 sk `<12-digit seq>`      |
 * | publication | contracts over £10,000, in the order they were let       | pk `TRANSPARENCY#CONTRACTS`, sk `<listedAt>#<id>`    |
 *
 * Release numbers come from the one counter item, moved in the same transaction as the change a release
 * describes (conditioned on the number read), so they are contiguous and in commit order; a release's date
 * is never earlier than the one before it, so the feed's sort key orders by number and by date at once, and
 * `updatedFrom`/`updatedTo` are a key condition, never a filter. The feed is one partition: publication is
 * a few human-scale events a minute at most, far below a partition's limits, and it is already serialised
 * by the counter.
 */
export const publicationKeys = {
  counter: { pk: 'OCDSSEQ', sk: 'HEAD' },
  feedPartition: 'OCDSFEED',
  feed: (date: string, seq: number) => ({ pk: 'OCDSFEED', sk: `${date}#${pad(seq, 12)}` }),
  recordIndex: (ocid: string, seq: number) => ({ gsi1pk: `OCID#${ocid}`, gsi1sk: pad(seq, 12) }),
  recordPartition: (ocid: string) => `OCID#${ocid}`,
  /**
   * The transparency contracts list (`shared/domain/publication/listed-contracts.ts`): one item per contract
   * over £10,000, put in the transaction that creates the contract; `GET /transparency/contracts.csv` reads
   * it in order, a Query, never a Scan. One partition: contracts are let a few a day.
   */
  listedContractsPartition: 'TRANSPARENCY#CONTRACTS',
  listedContract: (listedAt: string, contractId: string) => ({
    pk: 'TRANSPARENCY#CONTRACTS',
    sk: `${listedAt}#${contractId}`,
  }),
};

/**
 * Outbox keys (issue 17; `shared/db/outbox.ts`).
 *
 * | table  | pattern                                                        | key                                              |
 * |--------|----------------------------------------------------------------|--------------------------------------------------|
 * | outbox | an event a change recorded (its INSERT starts the delivery)     | pk `EVENT#<id>`, sk `EVENT`                      |
 * | outbox | one e-mail to one user (its INSERT sends it, once)              | pk `MAIL#<event id>#<sub>`, sk `MAIL`            |
 * | outbox | the organisations taking part in a competition                  | pk `TAKING#<competitionId>`, sk `<providerId>`   |
 * | outbox | an address that bounced or complained (the suppression list)    | pk `SUPPRESSED#<sha-256 of lower-case address>`, sk `SUPPRESSED` |
 * | outbox | a day's digest entries, by user                                 | pk `DIGEST#<yyyy-mm-dd>`, sk `<sub>#<event id>`  |
 * | outbox | a scheduled sweep's mark (one reminder per deadline and draft)  | pk `SWEEP#<what>`, sk `SWEEP`                    |
 *
 * Every e-mail is an item of its own, put under `attribute_not_exists`, so an event delivered twice puts
 * nothing twice and each e-mail's INSERT (which sends it) happens once; the item's state (`pending`,
 * `sending`, `sent`, `skipped`) makes a redelivered INSERT send nothing. Digest entries sort by user, so the
 * digest job reads a day's partition in order and sends each user one e-mail.
 */
export const outboxKeys = {
  event: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  mail: (eventId: string, sub: string) => ({ pk: `MAIL#${eventId}#${sub}`, sk: 'MAIL' }),
  takingPartPartition: (competitionId: string) => `TAKING#${competitionId}`,
  takingPart: (competitionId: string, providerId: string) => ({
    pk: `TAKING#${competitionId}`,
    sk: providerId,
  }),
  suppressed: (email: string) => ({
    pk: `SUPPRESSED#${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`,
    sk: 'SUPPRESSED',
  }),
  digestPartition: (day: string) => `DIGEST#${day}`,
  digest: (day: string, sub: string, eventId: string) => ({ pk: `DIGEST#${day}`, sk: `${sub}#${eventId}` }),
  sweep: (what: string) => ({ pk: `SWEEP#${what}`, sk: 'SWEEP' }),
};

/** The key prefixes of outbox items whose INSERT the delivery handles (the event source mapping's filter). */
export const OUTBOX_STREAM_PREFIXES = ['EVENT#', 'MAIL#'] as const;
