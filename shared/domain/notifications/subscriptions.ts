/**
 * What a user asks to be told by e-mail (issue 17): a master switch, one switch per kind of e-mail, and up
 * to `MAX_SAVED_SEARCHES` saved searches of opportunities, each sent at once or in a daily digest. Pure:
 * the rules of a change (ids of new searches are the service's, an unknown id is refused, every kind is on
 * until switched off) and of a match, no I/O.
 *
 * One document per user, replaced whole under a version (optimistic concurrency): two changes made from the
 * same version cannot both be written, so neither silently undoes the other (`shared/db/subscriptions.ts`).
 */

import { ValidationError } from '../errors';
import { type Coverage, NATIONAL, REGIONS, SERVICES, type Service } from '../reference-data';
import { EMAIL_KIND_NAMES, type EmailKind } from './kinds';

/**
 * The kinds of e-mail the service sends, each of which a user can switch off. The words say what arrives,
 * in the user's terms: the preferences page shows them and every e-mail's footer names its own kind.
 */
export const EMAIL_KINDS = {
  'opportunity-match': {
    name: 'New opportunities for your organisations',
    hint: 'A competition is published that matches the regions and services of an organisation you belong to',
  },
  'saved-search': {
    name: 'Your saved searches',
    hint: 'A competition is published that matches one of your saved searches, at once or in a daily digest',
  },
  'clarification-answer': {
    name: 'Answers to clarification questions',
    hint: 'An answer is published for a competition your organisation asked about, applied to or bid in',
  },
  'document-changed': {
    name: 'Changed tender documents',
    hint: 'A tender document changes in a competition your organisation asked about, applied to or bid in',
  },
  'deadline-reminder': {
    name: 'Deadline reminders',
    hint: 'A deadline is less than 48 hours away and your organisation has not submitted its draft',
  },
  shortlisting: {
    name: 'Shortlisting decisions',
    hint: 'Whether your organisation is shortlisted after pre-qualification',
  },
  award: { name: 'Award decisions', hint: 'Whether your organisation’s bid won, once the award is decided' },
  'challenge-decision': {
    name: 'Challenge decisions',
    hint: 'A decision on a challenge your organisation made during standstill',
  },
  'dispute-raised': {
    name: 'Payment disputes',
    hint: 'A sub-contractor disputes a payment reported on a contract your organisation is prime of',
  },
  'spend-return-due': {
    name: 'Spend returns due',
    hint: 'A spend return is due or overdue on a contract your organisation is prime of',
  },
} as const satisfies Record<EmailKind, { name: string; hint: string }>;

/** One kind of e-mail; every kind, in the order the preferences page lists them (`kinds.ts`). */
export { EMAIL_KIND_NAMES, type EmailKind };

/** How often a saved search's matches are sent. */
export const FREQUENCIES = ['immediate', 'daily'] as const;
/** One frequency. */
export type Frequency = (typeof FREQUENCIES)[number];

/** Who an opportunity is suitable for, as a saved search may ask. */
export const SUITABLE_FOR = ['vcse', 'sme'] as const;
/** Voluntary, community and social enterprise organisations, or small and medium-sized ones. */
export type SuitableFor = (typeof SUITABLE_FOR)[number];

/**
 * The most saved searches one user keeps: enough for every region, or every service, with room over; it
 * also bounds the one item that holds them all (measured in test/unit/subscription-item-size.test.ts).
 */
export const MAX_SAVED_SEARCHES = 20;

/** The regions a search may name (every region, and national) and the services (every one). */
export const MAX_SEARCH_REGIONS = REGIONS.length + 1;
export const MAX_SEARCH_SERVICES = SERVICES.length;

/** One saved search of opportunities. */
export interface SavedSearch {
  /** A ULID the service gave it when it was first saved. */
  id: string;
  regions: Coverage[];
  services: Service[];
  suitableFor?: SuitableFor | undefined;
  /** The estimated value range, in pence, inclusive at both ends. */
  minValuePence?: number | undefined;
  maxValuePence?: number | undefined;
  frequency: Frequency;
}

/** A user's e-mail preferences and saved searches. */
export interface Subscriptions {
  email: { enabled: boolean; kinds: Record<EmailKind, boolean> };
  savedSearches: SavedSearch[];
}

/**
 * Subscriptions as stored, with the version a change must name (0 for a user who never saved any) and
 * when they last changed.
 */
export interface VersionedSubscriptions extends Subscriptions {
  version: number;
  updatedAt: string | null;
}

/** Every kind on: what a user gets until they switch some off. */
export function defaultKinds(): Record<EmailKind, boolean> {
  return Object.fromEntries(EMAIL_KIND_NAMES.map((kind) => [kind, true])) as Record<EmailKind, boolean>;
}

/** A user who never changed anything: e-mail on, every kind on, no saved search, version 0. */
export function defaultSubscriptions(): VersionedSubscriptions {
  return { email: { enabled: true, kinds: defaultKinds() }, savedSearches: [], version: 0, updatedAt: null };
}

/** A saved search as a client sends it: with the id of one it already has, or none for a new one. */
export type SavedSearchInput = Omit<SavedSearch, 'id'> & { id?: string | undefined };

/** The e-mail switches as a client sends them: a kind left out is on. */
export interface EmailPreferencesInput {
  enabled: boolean;
  kinds?: Partial<Record<EmailKind, boolean>> | undefined;
}

/**
 * A change to one user's subscriptions:
 * - `replace`: the whole document (`PUT /me/subscriptions`);
 * - `email`: the e-mail switches alone;
 * - `save-search`: one saved search added (no id) or changed (its id);
 * - `remove-search`: one saved search removed.
 */
export type SubscriptionChange =
  | { kind: 'replace'; email: EmailPreferencesInput; savedSearches: SavedSearchInput[] }
  | { kind: 'email'; email: EmailPreferencesInput }
  | { kind: 'save-search'; search: SavedSearchInput }
  | { kind: 'remove-search'; id: string };

/** Sorted without repeats, in the reference data's order, so equal searches store equal. */
function inOrder<T extends string>(values: readonly T[], order: readonly string[]): T[] {
  return [...new Set(values)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

const REGION_ORDER: readonly string[] = [...REGIONS, NATIONAL];

/** A saved search with its lists in the reference data's order, and blank optional fields dropped. */
function normalised(search: SavedSearchInput, id: string): SavedSearch {
  return {
    id,
    regions: inOrder(search.regions, REGION_ORDER),
    services: inOrder(search.services, SERVICES),
    ...(search.suitableFor !== undefined ? { suitableFor: search.suitableFor } : {}),
    ...(search.minValuePence !== undefined ? { minValuePence: search.minValuePence } : {}),
    ...(search.maxValuePence !== undefined ? { maxValuePence: search.maxValuePence } : {}),
    frequency: search.frequency,
  };
}

function emailOf(input: EmailPreferencesInput): Subscriptions['email'] {
  const kinds = defaultKinds();
  for (const kind of EMAIL_KIND_NAMES) {
    const value = input.kinds?.[kind];
    if (value !== undefined) kinds[kind] = value;
  }
  return { enabled: input.enabled, kinds };
}

/**
 * Saved searches as sent, against those stored: a search with an id must be one of the user's own (ids are
 * the service's, never the client's, so one user cannot plant a search under an id of their choosing), an
 * id may appear once, and a search without one gets a new id.
 * @throws ValidationError naming each offending entry (`savedSearches.<n>.id`).
 */
function resolveSearches(
  current: readonly SavedSearch[],
  sent: readonly SavedSearchInput[],
  newId: () => string,
  pathOf: (index: number) => string,
): SavedSearch[] {
  const known = new Set(current.map((search) => search.id));
  const seen = new Set<string>();
  const issues: { path: string; message: string }[] = [];
  const resolved = sent.map((search, index) => {
    if (search.id === undefined) return normalised(search, newId());
    if (!known.has(search.id)) {
      issues.push({
        path: pathOf(index),
        message: 'No saved search of yours has this id: leave the id out to add a new search',
      });
    } else if (seen.has(search.id)) {
      issues.push({ path: pathOf(index), message: 'This saved search is listed twice' });
    }
    seen.add(search.id);
    return normalised(search, search.id);
  });
  if (issues.length > 0) throw new ValidationError('Some saved searches cannot be saved.', issues);
  return resolved;
}

function assertWithinLimit(searches: readonly SavedSearch[]): void {
  if (searches.length > MAX_SAVED_SEARCHES) {
    throw new ValidationError(`You can keep at most ${MAX_SAVED_SEARCHES} saved searches.`, [
      {
        path: 'savedSearches',
        message: `You can keep at most ${MAX_SAVED_SEARCHES} saved searches: remove one before adding another`,
      },
    ]);
  }
}

/**
 * A value range whose lower end is above its upper end matches nothing: refused rather than kept silent.
 * The schemas check it too; this keeps the rule true for any caller.
 */
function assertRange(search: SavedSearchInput, path: string): void {
  if (
    search.minValuePence !== undefined &&
    search.maxValuePence !== undefined &&
    search.minValuePence > search.maxValuePence
  ) {
    throw new ValidationError('The value range is the wrong way round.', [
      { path, message: 'The lowest value must be no more than the highest value' },
    ]);
  }
}

/**
 * The subscriptions after a change. `newId` gives each new saved search its id (a ULID).
 * @throws ValidationError for an unknown or repeated saved search id (changing or removing a search the
 *   user does not have included), an inverted value range, or more than `MAX_SAVED_SEARCHES` searches;
 *   each names its field.
 */
export function applySubscriptionChange(
  current: Subscriptions,
  change: SubscriptionChange,
  newId: () => string,
): Subscriptions {
  switch (change.kind) {
    case 'replace': {
      change.savedSearches.forEach((search, index) => {
        assertRange(search, `savedSearches.${index}.maxValuePence`);
      });
      const savedSearches = resolveSearches(
        current.savedSearches,
        change.savedSearches,
        newId,
        (index) => `savedSearches.${index}.id`,
      );
      assertWithinLimit(savedSearches);
      return { email: emailOf(change.email), savedSearches };
    }
    case 'email':
      return { email: emailOf(change.email), savedSearches: current.savedSearches };
    case 'save-search': {
      assertRange(change.search, 'maxValuePence');
      const [saved] = resolveSearches(current.savedSearches, [change.search], newId, () => 'id') as [
        SavedSearch,
      ];
      const exists = current.savedSearches.some((search) => search.id === saved.id);
      const savedSearches = exists
        ? current.savedSearches.map((search) => (search.id === saved.id ? saved : search))
        : [...current.savedSearches, saved];
      assertWithinLimit(savedSearches);
      return { email: current.email, savedSearches };
    }
    case 'remove-search': {
      if (!current.savedSearches.some((search) => search.id === change.id)) {
        throw new ValidationError('No saved search of yours has this id.', [
          { path: 'id', message: 'No saved search of yours has this id: it may have been removed already' },
        ]);
      }
      return {
        email: current.email,
        savedSearches: current.savedSearches.filter((search) => search.id !== change.id),
      };
    }
  }
}

/** What a saved search is matched against: a published opportunity's facts. */
export interface OpportunityFacts {
  regions: readonly Coverage[];
  services: readonly Service[];
  estimatedValuePence: number;
  /** Who the opportunity is suitable for, where the commissioner says so. */
  suitableFor?: readonly SuitableFor[] | undefined;
}

/**
 * Whether an opportunity matches a saved search: it is in one of the search's regions (a national
 * opportunity is in every region; a search for `national` matches national opportunities), offers one of
 * its services, is valued within its range (inclusive), and, when the search asks, is suitable for VCSE or
 * SME organisations.
 */
export function matchesSavedSearch(search: Omit<SavedSearch, 'id'>, opportunity: OpportunityFacts): boolean {
  const inRegion =
    opportunity.regions.includes(NATIONAL) || opportunity.regions.some((r) => search.regions.includes(r));
  if (!inRegion) return false;
  if (!opportunity.services.some((service) => search.services.includes(service))) return false;
  if (search.minValuePence !== undefined && opportunity.estimatedValuePence < search.minValuePence)
    return false;
  if (search.maxValuePence !== undefined && opportunity.estimatedValuePence > search.maxValuePence)
    return false;
  if (search.suitableFor !== undefined && !(opportunity.suitableFor ?? []).includes(search.suitableFor))
    return false;
  return true;
}

/** Whether a user wants an e-mail of this kind at all (the master switch and the kind's own). */
export function wantsEmail(subscriptions: Pick<Subscriptions, 'email'>, kind: EmailKind): boolean {
  return subscriptions.email.enabled && subscriptions.email.kinds[kind];
}
