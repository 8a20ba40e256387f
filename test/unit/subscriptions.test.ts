/**
 * E-mail preferences and saved searches (issue 17), in the pure rules and the schemas: every change's
 * outcome (ids of new searches are the service's, an unknown or repeated id is refused, a kind left out is
 * on, at most 20 searches, an inverted value range refused), the bounds the schemas state, a search's match,
 * and the page's exact pounds-to-pence reading.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../shared/domain/errors';
import {
  applySubscriptionChange,
  defaultSubscriptions,
  EMAIL_KIND_NAMES,
  MAX_SAVED_SEARCHES,
  matchesSavedSearch,
  type SavedSearch,
  type SavedSearchInput,
  type Subscriptions,
  wantsEmail,
} from '../../shared/domain/notifications/subscriptions';
import { assertCanManageOwnSubscriptions } from '../../shared/domain/policy';
import { ANONYMOUS } from '../../shared/domain/principal';
import { REGIONS, SERVICES } from '../../shared/domain/reference-data';
import { savedSearchInput, subscriptionsBody } from '../../shared/http/schemas/notifications';
import { poundsToPence } from '../../shared/web/pages/alerts';

const ID_A = '01JCX0000000000000000000AA';
const ID_B = '01JCX0000000000000000000BB';

let counter = 0;
const newId = () => `01JNEW00000000000000000${String(++counter).padStart(3, '0')}`;

const search = (overrides: Partial<SavedSearchInput> = {}): SavedSearchInput => ({
  regions: ['london'],
  services: ['health'],
  frequency: 'immediate',
  ...overrides,
});

const stored = (searches: SavedSearch[] = []): Subscriptions => ({
  ...defaultSubscriptions(),
  savedSearches: searches,
});

function issuesOf(run: () => unknown): { path?: string; message: string }[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('the defaults', () => {
  it('are e-mail on, every kind on, no saved searches, version 0', () => {
    const defaults = defaultSubscriptions();
    expect(defaults.version).toBe(0);
    expect(defaults.email.enabled).toBe(true);
    expect(Object.keys(defaults.email.kinds).sort()).toEqual([...EMAIL_KIND_NAMES].sort());
    expect(Object.values(defaults.email.kinds).every(Boolean)).toBe(true);
    expect(defaults.savedSearches).toEqual([]);
  });

  it('the master switch wins over a kind', () => {
    const subscriptions = defaultSubscriptions();
    expect(wantsEmail(subscriptions, 'award')).toBe(true);
    expect(wantsEmail({ email: { ...subscriptions.email, enabled: false } }, 'award')).toBe(false);
    expect(
      wantsEmail(
        { email: { enabled: true, kinds: { ...subscriptions.email.kinds, award: false } } },
        'award',
      ),
    ).toBe(false);
  });
});

describe('replacing the whole document', () => {
  it('gives new searches ids, keeps known ones, and turns kinds left out on', () => {
    const current = stored([{ id: ID_A, regions: ['wales'], services: ['health'], frequency: 'daily' }]);
    const next = applySubscriptionChange(
      current,
      {
        kind: 'replace',
        email: { enabled: true, kinds: { award: false } },
        savedSearches: [search({ id: ID_A, frequency: 'immediate' }), search()],
      },
      newId,
    );
    expect(next.savedSearches.map((s) => s.id)).toEqual([ID_A, expect.stringMatching(/^01JNEW/)]);
    expect(next.savedSearches[0]?.frequency).toBe('immediate');
    expect(next.email.kinds.award).toBe(false);
    expect(next.email.kinds.shortlisting).toBe(true);
  });

  it('removes searches left out', () => {
    const current = stored([
      { id: ID_A, regions: ['wales'], services: ['health'], frequency: 'daily' },
      { id: ID_B, regions: ['london'], services: ['health'], frequency: 'daily' },
    ]);
    const next = applySubscriptionChange(
      current,
      { kind: 'replace', email: { enabled: true }, savedSearches: [search({ id: ID_B })] },
      newId,
    );
    expect(next.savedSearches.map((s) => s.id)).toEqual([ID_B]);
  });

  it('refuses an id the user does not have, and an id twice, naming each entry (no planted ids)', () => {
    const current = stored([{ id: ID_A, regions: ['wales'], services: ['health'], frequency: 'daily' }]);
    const issues = issuesOf(() =>
      applySubscriptionChange(
        current,
        {
          kind: 'replace',
          email: { enabled: true },
          savedSearches: [search({ id: ID_A }), search({ id: ID_B }), search({ id: ID_A })],
        },
        newId,
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(['savedSearches.1.id', 'savedSearches.2.id']);
  });

  it('refuses an inverted value range', () => {
    const issues = issuesOf(() =>
      applySubscriptionChange(
        stored(),
        {
          kind: 'replace',
          email: { enabled: true },
          savedSearches: [search({ minValuePence: 200, maxValuePence: 100 })],
        },
        newId,
      ),
    );
    expect(issues[0]?.path).toBe('savedSearches.0.maxValuePence');
  });

  it('keeps lists in reference-data order, without repeats', () => {
    const next = applySubscriptionChange(
      stored(),
      {
        kind: 'replace',
        email: { enabled: true },
        savedSearches: [
          search({
            regions: ['national', 'wales', 'london', 'wales'],
            services: ['health', 'accommodation'],
          }),
        ],
      },
      newId,
    );
    expect(next.savedSearches[0]?.regions).toEqual(['london', 'wales', 'national']);
    expect(next.savedSearches[0]?.services).toEqual(['accommodation', 'health']);
  });
});

describe('one search at a time (the pages)', () => {
  it('adds a new search at the end and changes a known one in place', () => {
    const current = stored([{ id: ID_A, regions: ['wales'], services: ['health'], frequency: 'daily' }]);
    const added = applySubscriptionChange(current, { kind: 'save-search', search: search() }, newId);
    expect(added.savedSearches).toHaveLength(2);
    const changed = applySubscriptionChange(
      added,
      { kind: 'save-search', search: search({ id: ID_A, regions: ['london'] }) },
      newId,
    );
    expect(changed.savedSearches[0]).toMatchObject({ id: ID_A, regions: ['london'] });
    expect(changed.savedSearches).toHaveLength(2);
  });

  it(`refuses a search past ${MAX_SAVED_SEARCHES}`, () => {
    const full = stored(
      Array.from({ length: MAX_SAVED_SEARCHES }, (_, i) => ({
        id: `01JCX00000000000000000${String(i).padStart(4, '0')}`,
        regions: ['london' as const],
        services: ['health' as const],
        frequency: 'daily' as const,
      })),
    );
    const issues = issuesOf(() =>
      applySubscriptionChange(full, { kind: 'save-search', search: search() }, newId),
    );
    expect(issues[0]?.path).toBe('savedSearches');
  });

  it('refuses changing or removing a search that is not the user’s', () => {
    expect(
      issuesOf(() =>
        applySubscriptionChange(stored(), { kind: 'save-search', search: search({ id: ID_A }) }, newId),
      )[0]?.path,
    ).toBe('id');
    expect(
      issuesOf(() => applySubscriptionChange(stored(), { kind: 'remove-search', id: ID_A }, newId))[0]?.path,
    ).toBe('id');
  });

  it('changes the e-mail switches alone, keeping the searches', () => {
    const current = stored([{ id: ID_A, regions: ['wales'], services: ['health'], frequency: 'daily' }]);
    const next = applySubscriptionChange(current, { kind: 'email', email: { enabled: false } }, newId);
    expect(next.email.enabled).toBe(false);
    expect(next.savedSearches).toEqual(current.savedSearches);
  });
});

describe('matching an opportunity', () => {
  const opportunity = {
    regions: ['london' as const],
    services: ['health' as const, 'accommodation' as const],
    estimatedValuePence: 10_000_000,
  };
  const base = { regions: ['london' as const], services: ['health' as const], frequency: 'daily' as const };

  it('matches on a shared region and service, within the range inclusive', () => {
    expect(matchesSavedSearch(base, opportunity)).toBe(true);
    expect(
      matchesSavedSearch({ ...base, minValuePence: 10_000_000, maxValuePence: 10_000_000 }, opportunity),
    ).toBe(true);
    expect(matchesSavedSearch({ ...base, minValuePence: 10_000_001 }, opportunity)).toBe(false);
    expect(matchesSavedSearch({ ...base, maxValuePence: 9_999_999 }, opportunity)).toBe(false);
    expect(matchesSavedSearch({ ...base, regions: ['wales'] }, opportunity)).toBe(false);
    expect(matchesSavedSearch({ ...base, services: ['unpaid_work'] }, opportunity)).toBe(false);
  });

  it('a national opportunity is in every region', () => {
    expect(
      matchesSavedSearch({ ...base, regions: ['wales'] }, { ...opportunity, regions: ['national'] }),
    ).toBe(true);
  });

  it('suitable-for narrows to opportunities that say so', () => {
    expect(matchesSavedSearch({ ...base, suitableFor: 'vcse' }, opportunity)).toBe(false);
    expect(
      matchesSavedSearch({ ...base, suitableFor: 'vcse' }, { ...opportunity, suitableFor: ['vcse'] }),
    ).toBe(true);
  });
});

describe('the schemas state and keep the bounds', () => {
  const body = (savedSearches: unknown[], kinds: Record<string, unknown> = {}) => ({
    version: 0,
    email: { enabled: true, kinds },
    savedSearches,
  });

  it('accept a full document at the limits', () => {
    const widest = {
      regions: [...REGIONS, 'national'],
      services: [...SERVICES],
      suitableFor: 'sme',
      minValuePence: 0,
      maxValuePence: Number.MAX_SAFE_INTEGER,
      frequency: 'daily',
    };
    const parsed = subscriptionsBody.safeParse(
      body(
        Array.from({ length: MAX_SAVED_SEARCHES }, () => widest),
        Object.fromEntries(EMAIL_KIND_NAMES.map((k) => [k, false])),
      ),
    );
    expect(parsed.success).toBe(true);
  });

  it.each([
    ['one search too many', body(Array.from({ length: MAX_SAVED_SEARCHES + 1 }, () => search()))],
    ['an unknown kind', body([], { 'marketing-news': true })],
    ['a kind that is not a boolean', body([], { award: 'no' })],
    ['no region', body([search({ regions: [] })])],
    ['an unknown service', body([{ ...search(), services: ['catering'] }])],
    ['fractional pence', body([search({ minValuePence: 1.5 })])],
    ['negative pence', body([search({ minValuePence: -1 })])],
    ['pence past the money maximum', body([search({ maxValuePence: Number.MAX_SAFE_INTEGER + 2 })])],
    ['min above max', body([search({ minValuePence: 2, maxValuePence: 1 })])],
    ['an unknown frequency', body([{ ...search(), frequency: 'weekly' }])],
    ['an unknown suitable-for', body([{ ...search(), suitableFor: 'large' }])],
    ['an id that is not a ULID', body([search({ id: 'mine' })])],
    ['an unknown field', body([{ ...search(), name: 'x' }])],
  ])('refuse %s', (_name, value) => {
    expect(subscriptionsBody.safeParse(value).success).toBe(false);
  });

  it('refuses a missing or negative version', () => {
    expect(subscriptionsBody.safeParse({ email: { enabled: true }, savedSearches: [] }).success).toBe(false);
    expect(
      subscriptionsBody.safeParse({ version: -1, email: { enabled: true }, savedSearches: [] }).success,
    ).toBe(false);
  });

  it('puts the range error on the highest value', () => {
    const parsed = savedSearchInput.safeParse(search({ minValuePence: 2, maxValuePence: 1 }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['maxValuePence']);
  });
});

describe('who may manage subscriptions', () => {
  it('any signed-in user, their own; nobody anonymous', () => {
    expect(
      assertCanManageOwnSubscriptions({ kind: 'user', sub: 'u', email: undefined, groups: [] }).sub,
    ).toBe('u');
    expect(() => assertCanManageOwnSubscriptions(ANONYMOUS)).toThrow(/token/);
  });
});

describe('pounds typed on the page to pence, exactly', () => {
  it.each([
    ['1.15', 115],
    ['£250,000', 25_000_000],
    ['1234.5', 123_450],
    ['0.01', 1],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
  ])('%s is %i pence', (typed, pence) => {
    expect(poundsToPence(typed)).toEqual({ value: pence });
  });

  it.each(['', '  '])('blank is no value', (typed) => {
    expect(poundsToPence(typed)).toEqual({});
  });

  it.each(['1.234', '-5', '1e6', 'ten', '90071992547409.92', '123456789012345'])('refuses %s', (typed) => {
    expect(poundsToPence(typed).error).toBeDefined();
  });
});
