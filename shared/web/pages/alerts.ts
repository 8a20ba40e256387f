/**
 * "Your alerts" (issue 17): any signed-in user's e-mail switches and saved searches of opportunities. The
 * list page shows the saved searches (each to change or remove) and the e-mail switches (a master switch
 * and one per kind); a form page adds or changes one search. Every change goes through `changeSubscriptions`,
 * the use case behind `PUT /me/subscriptions`, made from the version the page showed: a change made in
 * another tab meanwhile is reported, not overwritten. Bad input is shown with an error summary and nothing
 * is written.
 */
import { subscriptionRepository } from '../../db/repositories';
import { DomainError, type FieldIssue } from '../../domain/errors';
import {
  EMAIL_KIND_NAMES,
  EMAIL_KINDS,
  type EmailKind,
  MAX_SAVED_SEARCHES,
  type SavedSearch,
  type VersionedSubscriptions,
} from '../../domain/notifications/subscriptions';
import { ulidSchema } from '../../http/schemas/common';
import { savedSearchInput } from '../../http/schemas/notifications';
import { changeSubscriptions, getSubscriptions } from '../../use-cases/notifications/subscriptions';
import { fieldId, formErrors, humanise, issuesFromError, issuesOf } from '../forms';
import { CHOICES, label } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return { subscriptions: subscriptionRepository() };
}

const SUITABLE_FOR_WORDS = {
  vcse: 'Voluntary, community and social enterprise (VCSE) organisations',
  sme: 'Small and medium-sized enterprises (SMEs)',
} as const;

const FREQUENCY_WORDS = {
  immediate: 'At once, one e-mail for each',
  daily: 'Once a day, in a digest',
} as const;

/** GOV.UK wording for the schema's generic messages on this form. */
const SEARCH_MESSAGES: Record<string, string> = {
  regions: 'Choose at least one region, or national',
  services: 'Choose at least one service',
  suitableFor: 'Choose who the opportunities should suit',
  frequency: 'Choose how often to get e-mails',
};

/** What each success says on the list page (POST/redirect/GET). */
const NOTICES: Record<string, string> = {
  search: 'Your saved search has been saved',
  removed: 'Your saved search has been removed',
  email: 'Your e-mail settings have been saved',
  // Not a success: a "Change" link for a search removed meanwhile (in another tab, say).
  missing: 'That saved search no longer exists: it may have been removed. Your saved searches are below',
};

/**
 * Pounds as typed (`£250,000`, `1234.5`) to integer pence, exactly: by string arithmetic, never through a
 * floating-point product (`Number('1.15') * 100` is 114.99999999999999). Undefined when blank.
 */
export function poundsToPence(raw: string | null | undefined): { value?: number; error?: string } {
  const text = (raw ?? '').replace(/[£,\s]/g, '');
  if (text === '') return {};
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return { error: 'Enter an amount in pounds, like 250000 or 1234.50' };
  const pounds = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  // Past 14 digits of pounds is past Number.MAX_SAFE_INTEGER pence: refused before BigInt reads it.
  if (pounds.length > 14) return { error: 'Enter an amount under £90,000,000,000,000' };
  const total = BigInt(pounds) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
  if (total > BigInt(Number.MAX_SAFE_INTEGER)) return { error: 'Enter an amount under £90,000,000,000,000' };
  return { value: Number(total) };
}

/** Pence as pounds to type back into the form (`25000050` → `250000.50`), exactly. */
function poundsText(pence: number | undefined): string {
  if (pence === undefined) return '';
  const digits = String(pence).padStart(3, '0');
  const cents = digits.slice(-2);
  return cents === '00' ? digits.slice(0, -2) : `${digits.slice(0, -2)}.${cents}`;
}

/** Pence as pounds for people (`25000050` → `£250,000.50`). */
function poundsWords(pence: number): string {
  const [whole = '0', cents = ''] = poundsText(pence).split('.');
  return `£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${cents ? `.${cents}` : ''}`;
}

function valueWords(search: Pick<SavedSearch, 'minValuePence' | 'maxValuePence'>): string {
  const { minValuePence: min, maxValuePence: max } = search;
  if (min !== undefined && max !== undefined) return `${poundsWords(min)} to ${poundsWords(max)}`;
  if (min !== undefined) return `${poundsWords(min)} or more`;
  if (max !== undefined) return `Up to ${poundsWords(max)}`;
  return 'Any value';
}

/** The version the form was made from, or undefined when the field was tampered with. */
function versionOf(form: URLSearchParams): number | undefined {
  const raw = form.get('version') ?? '';
  return /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
}

/** A stale or forged version, said as the conflict it is. */
const STALE: FieldIssue = {
  path: '',
  message:
    'Your alerts changed since you opened this page, perhaps in another tab. Check them and try again.',
};

/** A use case's refusal as issues to show on the form, or undefined for an error page. */
function issuesOfRefusal(error: unknown): FieldIssue[] | undefined {
  if (error instanceof DomainError && error.code === 'conflict') return [STALE];
  return issuesFromError(error);
}

function searchRows(search: SavedSearch) {
  return [
    { key: { text: 'Regions' }, value: { text: search.regions.map(label).join(', ') } },
    { key: { text: 'Services' }, value: { text: search.services.map(label).join(', ') } },
    {
      key: { text: 'Suitable for' },
      value: { text: search.suitableFor ? SUITABLE_FOR_WORDS[search.suitableFor] : 'Any organisation' },
    },
    { key: { text: 'Estimated value' }, value: { text: valueWords(search) } },
    { key: { text: 'E-mails' }, value: { text: FREQUENCY_WORDS[search.frequency] } },
  ];
}

/** What the e-mail form shows: saved switches, or what was sent when it is shown again. */
interface EmailValues {
  enabled: 'yes' | 'no';
  kinds: EmailKind[];
}

function emailValuesOf(subscriptions: VersionedSubscriptions): EmailValues {
  return {
    enabled: subscriptions.email.enabled ? 'yes' : 'no',
    kinds: EMAIL_KIND_NAMES.filter((kind) => subscriptions.email.kinds[kind]),
  };
}

function renderList(
  request: PageRequest,
  subscriptions: VersionedSubscriptions,
  options: { issues?: FieldIssue[]; emailValues?: EmailValues; status?: number } = {},
) {
  const shown = options.issues ? formErrors(options.issues) : undefined;
  const notice = request.query.saved ? NOTICES[request.query.saved] : undefined;
  return render(
    request,
    'alerts/list.njk',
    {
      title: 'Your alerts',
      section: 'account',
      notice: shown ? undefined : notice,
      noticeIsSuccess: request.query.saved !== 'missing',
      version: subscriptions.version,
      searches: subscriptions.savedSearches.map((search, index) => ({
        id: search.id,
        heading: `Saved search ${index + 1}`,
        rows: searchRows(search),
      })),
      canAdd: subscriptions.savedSearches.length < MAX_SAVED_SEARCHES,
      maxSearches: MAX_SAVED_SEARCHES,
      email: options.emailValues ?? emailValuesOf(subscriptions),
      kinds: EMAIL_KIND_NAMES.map((kind) => ({
        value: kind,
        text: EMAIL_KINDS[kind].name,
        hint: { text: EMAIL_KINDS[kind].hint },
      })),
      userEmail: request.session?.email,
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
    },
    options.status ?? (shown ? 400 : 200),
  );
}

/** `GET /your-alerts`. */
export async function yourAlerts(request: PageRequest) {
  requireSession(request);
  return renderList(request, await getSubscriptions(repositories(), request.principal));
}

/** `POST /your-alerts`: the e-mail switches. */
export async function emailSettingsAnswer(request: PageRequest) {
  requireSession(request);
  const enabled = request.form.get('enabled');
  const chosen = new Set(request.form.getAll('kinds'));
  const values: EmailValues = {
    enabled: enabled === 'no' ? 'no' : 'yes',
    kinds: EMAIL_KIND_NAMES.filter((kind) => chosen.has(kind)),
  };
  const version = versionOf(request.form);
  const issues: FieldIssue[] = [];
  if (enabled !== 'yes' && enabled !== 'no')
    issues.push({ path: 'enabled', message: 'Choose whether to get e-mails' });
  if ([...chosen].some((kind) => !(EMAIL_KIND_NAMES as readonly string[]).includes(kind)))
    issues.push({ path: 'kinds', message: 'Choose from the kinds of e-mail listed' });
  if (version === undefined) issues.push(STALE);
  const current = await getSubscriptions(repositories(), request.principal);
  if (issues.length > 0) return renderList(request, current, { issues, emailValues: values });
  try {
    await changeSubscriptions(
      repositories(),
      request.principal,
      version as number,
      {
        kind: 'email',
        email: {
          enabled: values.enabled === 'yes',
          kinds: Object.fromEntries(EMAIL_KIND_NAMES.map((kind) => [kind, chosen.has(kind)])),
        },
      },
      request.now,
    );
  } catch (error) {
    const reported = issuesOfRefusal(error);
    if (!reported) throw error;
    // Shown against what is stored now, so "try again" starts from the current version.
    const now = await getSubscriptions(repositories(), request.principal);
    return renderList(request, now, { issues: reported, emailValues: values, status: 409 });
  }
  return redirect('/your-alerts?saved=email');
}

/** The search form's values, as typed. */
interface SearchValues {
  id: string;
  regions: string[];
  services: string[];
  suitableFor: string;
  minValue: string;
  maxValue: string;
  frequency: string;
}

function searchValuesOf(search: SavedSearch | undefined): SearchValues {
  return {
    id: search?.id ?? '',
    regions: search?.regions ?? [],
    services: search?.services ?? [],
    suitableFor: search?.suitableFor ?? 'any',
    minValue: poundsText(search?.minValuePence),
    maxValue: poundsText(search?.maxValuePence),
    frequency: search?.frequency ?? '',
  };
}

/** Where each field's error links: the first box of a group, or the field. */
function searchHref(path: string): string {
  const group = /^(regions|services|suitableFor|frequency)(\.|$)/.exec(path)?.[1];
  if (group) return `#${group}`;
  if (path === 'minValuePence') return '#minValue';
  if (path === 'maxValuePence') return '#maxValue';
  return `#${fieldId(path)}`;
}

function renderSearchForm(
  request: PageRequest,
  values: SearchValues,
  version: number,
  issues?: FieldIssue[],
  status?: number,
) {
  // Issues name the API's fields; the form's amounts are in pounds.
  const named = issues?.map((issue) =>
    issue.path === 'minValuePence'
      ? { ...issue, path: 'minValue' }
      : issue.path === 'maxValuePence'
        ? { ...issue, path: 'maxValue' }
        : issue,
  );
  const shown = named ? formErrors(named, searchHref) : undefined;
  return render(
    request,
    'alerts/search.njk',
    {
      title: values.id ? 'Change a saved search' : 'Add a saved search',
      section: 'account',
      backLink: '/your-alerts',
      values,
      version,
      choices: {
        regions: CHOICES.regions,
        services: CHOICES.services,
        suitableFor: [
          { value: 'any', text: 'Any organisation' },
          ...Object.entries(SUITABLE_FOR_WORDS).map(([value, text]) => ({ value, text })),
        ],
        frequency: Object.entries(FREQUENCY_WORDS).map(([value, text]) => ({ value, text })),
      },
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
    },
    status ?? (shown ? 400 : 200),
  );
}

/** `GET /your-alerts/search`: a new search, or `?id=` one to change. */
export async function searchPage(request: PageRequest) {
  requireSession(request);
  const subscriptions = await getSubscriptions(repositories(), request.principal);
  const id = request.query.id;
  const search = id ? subscriptions.savedSearches.find((s) => s.id === id) : undefined;
  // An id that is not (or no longer) one of the user's: back to the list, which shows what there is.
  if (id && !search) return redirect('/your-alerts?saved=missing');
  return renderSearchForm(request, searchValuesOf(search), subscriptions.version);
}

/** `POST /your-alerts/search`: saves one search (a new one, or the one the form's id names). */
export async function searchAnswer(request: PageRequest) {
  requireSession(request);
  const form = request.form;
  const values: SearchValues = {
    id: form.get('id') ?? '',
    regions: form.getAll('regions'),
    services: form.getAll('services'),
    suitableFor: form.get('suitableFor') ?? '',
    minValue: form.get('minValue') ?? '',
    maxValue: form.get('maxValue') ?? '',
    frequency: form.get('frequency') ?? '',
  };
  const version = versionOf(form);
  const min = poundsToPence(values.minValue);
  const max = poundsToPence(values.maxValue);
  const suitableFor = values.suitableFor === 'any' ? undefined : values.suitableFor;
  const candidate = {
    ...(values.id ? { id: values.id } : {}),
    regions: values.regions,
    services: values.services,
    ...(suitableFor !== undefined ? { suitableFor } : {}),
    ...(min.value !== undefined ? { minValuePence: min.value } : {}),
    ...(max.value !== undefined ? { maxValuePence: max.value } : {}),
    frequency: values.frequency,
  };
  const parsed = savedSearchInput.safeParse(candidate);
  const issues: FieldIssue[] = [
    ...(values.suitableFor === ''
      ? [{ path: 'suitableFor', message: SEARCH_MESSAGES.suitableFor as string }]
      : []),
    ...(min.error ? [{ path: 'minValue', message: `Lowest value: ${min.error}` }] : []),
    ...(max.error ? [{ path: 'maxValue', message: `Highest value: ${max.error}` }] : []),
    ...humanise(issuesOf(parsed), SEARCH_MESSAGES).filter(
      // An amount that did not read already has its message; the id is the page's own field.
      (issue) => !(issue.path === 'id' || (issue.path === 'suitableFor' && values.suitableFor === '')),
    ),
    ...(version === undefined || (values.id !== '' && !ulidSchema.safeParse(values.id).success)
      ? [STALE]
      : []),
  ];
  if (issues.length > 0 || !parsed.success) {
    const current = await getSubscriptions(repositories(), request.principal);
    return renderSearchForm(request, values, version ?? current.version, issues);
  }
  try {
    await changeSubscriptions(
      repositories(),
      request.principal,
      version as number,
      { kind: 'save-search', search: parsed.data },
      request.now,
    );
  } catch (error) {
    const reported = issuesOfRefusal(error);
    if (!reported) throw error;
    const current = await getSubscriptions(repositories(), request.principal);
    // A search that was removed meanwhile cannot be changed: said as the conflict it is.
    const said = reported.map((issue) => (issue.path === 'id' ? STALE : issue));
    const conflict = said.includes(STALE);
    return renderSearchForm(request, values, current.version, said, conflict ? 409 : 400);
  }
  return redirect('/your-alerts?saved=search');
}

/** `POST /your-alerts/search/remove`: removes the search the form names. */
export async function removeSearchAnswer(request: PageRequest) {
  requireSession(request);
  const id = ulidSchema.safeParse(request.form.get('id') ?? '');
  const version = versionOf(request.form);
  if (!id.success || version === undefined) {
    return renderList(request, await getSubscriptions(repositories(), request.principal), {
      issues: [STALE],
      status: 409,
    });
  }
  try {
    await changeSubscriptions(
      repositories(),
      request.principal,
      version,
      { kind: 'remove-search', id: id.data },
      request.now,
    );
  } catch (error) {
    if (!issuesOfRefusal(error)) throw error;
    return renderList(request, await getSubscriptions(repositories(), request.principal), {
      issues: [STALE],
      status: 409,
    });
  }
  return redirect('/your-alerts?saved=removed');
}
