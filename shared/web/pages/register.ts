/**
 * Register an organisation, the GOV.UK question-page way: a few questions per page, the answers kept
 * between pages in an encrypted cookie, errors shown in a summary and against each field, a
 * check-your-answers page, then a confirmation panel. Validation is the JSON route's: the same zod schema
 * (`registerProviderBody`) and the same use case (`registerProvider`, with its rules and the uniqueness of
 * registration numbers), so every error the API would report appears against its field here.
 */
import { membershipRepository, providerRepository } from '../../db/repositories';
import { type FieldIssue, NotFoundError } from '../../domain/errors';
import type { ProviderDetails } from '../../domain/providers';
import { providerRuleIssues } from '../../domain/providers';
import { LEGAL_FORMS } from '../../domain/reference-data';
import { ulidSchema } from '../../http/schemas/common';
import { registerProviderBody } from '../../http/schemas/providers';
import { getProvider } from '../../use-cases/get-provider';
import { registerProvider } from '../../use-cases/register-provider';
import { fieldId, formErrors, humanise, issuesFromError, issuesOf, optionalText } from '../forms';
import { CHOICES, label } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';
import { COOKIES, cookie, seal, unseal } from '../session';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    providers: providerRepository(),
    memberships: membershipRepository(),
  };
}

/** The answers so far, as entered. */
export interface RegistrationDraft {
  name?: string;
  legalForm?: string;
  charityNumber?: string;
  companyNumber?: string;
  sector?: string;
  size?: string;
  regions?: string[];
  services?: string[];
  description?: string;
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
  website?: string;
  /**
   * Set once the organisation is registered (and every answer dropped): the check page then sends a
   * visitor who comes Back to the confirmation instead of offering an empty form to submit again.
   */
  registeredId?: string;
}

/** The answers a visitor typed, without the marker of a finished registration. */
function answersOf(draft: RegistrationDraft): RegistrationDraft {
  const { registeredId: _done, ...answers } = draft;
  return answers;
}

/** True when nothing has been answered yet. */
function isEmpty(draft: RegistrationDraft): boolean {
  return Object.values(answersOf(draft)).every(
    (value) => value === undefined || value === '' || (Array.isArray(value) && value.length === 0),
  );
}

/** The question pages in order, and the answers (API paths) each one asks for. */
export const STEPS = {
  organisation: ['name', 'legalForm', 'charityNumber', 'companyNumber', 'sector', 'size'],
  services: ['regions', 'services', 'description'],
  contact: ['contact', 'website'],
} as const;

type Step = keyof typeof STEPS;
const ORDER = Object.keys(STEPS) as Step[];
const DRAFT_SECONDS = 2 * 3600;
const BASE = '/register-organisation';

function isStep(step: string | undefined): step is Step {
  return step !== undefined && step in STEPS;
}

/** The page that asks for an API path (`contact.email` → `contact`). */
export function stepOf(path: string): Step {
  const head = path.split('.')[0] ?? '';
  return ORDER.find((step) => (STEPS[step] as readonly string[]).includes(head)) ?? 'organisation';
}

/** The answers as the JSON API's body: blanks left out, so the schema says what is missing. */
export function registrationBody(draft: RegistrationDraft): Record<string, unknown> {
  const blank = (v: string | undefined) => (v && v.trim() !== '' ? v.trim() : undefined);
  const body: Record<string, unknown> = {
    name: draft.name ?? '',
    legalForm: blank(draft.legalForm),
    charityNumber: blank(draft.charityNumber),
    companyNumber: blank(draft.companyNumber),
    sector: blank(draft.sector),
    size: blank(draft.size),
    regions: draft.regions ?? [],
    services: draft.services ?? [],
    description: blank(draft.description),
    contact: {
      name: draft.contactName ?? '',
      email: draft.contactEmail ?? '',
      phone: blank(draft.contactPhone),
    },
    website: blank(draft.website),
  };
  for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
  const contact = body.contact as Record<string, unknown>;
  if (contact.phone === undefined) delete contact.phone;
  return body;
}

/** What to say when a question is left unanswered. */
const MESSAGES: Record<string, string> = {
  name: 'Enter the name of your organisation',
  legalForm: 'Select the legal form of your organisation',
  sector: 'Select the sector your organisation is in',
  size: 'Select the size of your organisation',
  regions: 'Select the regions you work in, or national',
  services: 'Select the services you offer',
  'contact.name': 'Enter the name of the person to contact',
  'contact.email': 'Enter an email address in the correct format, like name@example.org',
};

/**
 * Every problem with the answers, as the API would report them: the schema's, and the registry's
 * cross-field rules (a charity must give its charity number…) as soon as the legal form is known, so a
 * question page shows them before the later pages are answered. One message per field.
 */
export function registrationIssues(draft: RegistrationDraft): {
  issues: FieldIssue[];
  details: ProviderDetails | undefined;
} {
  const body = registrationBody(draft);
  const parsed = registerProviderBody.safeParse(body);
  const issues = humanise(issuesOf(parsed), MESSAGES);
  if (typeof body.legalForm === 'string' && body.legalForm in LEGAL_FORMS) {
    const seen = new Set(issues.map((issue) => issue.path));
    for (const issue of providerRuleIssues(body as unknown as ProviderDetails)) {
      if (!seen.has(issue.path)) issues.push(issue);
      seen.add(issue.path);
    }
  }
  const details = parsed.success && issues.length === 0 ? (parsed.data as ProviderDetails) : undefined;
  return { issues, details };
}

async function loadDraft(request: PageRequest): Promise<RegistrationDraft> {
  // Sealed for registration only: another kind of cookie pasted here opens as no answers at all.
  return (await unseal<RegistrationDraft>('registration', request.cookies[COOKIES.registration])) ?? {};
}

async function draftCookie(draft: RegistrationDraft): Promise<string> {
  return cookie(COOKIES.registration, await seal('registration', { ...draft }, DRAFT_SECONDS), DRAFT_SECONDS);
}

function readStep(step: Step, form: URLSearchParams): RegistrationDraft {
  switch (step) {
    case 'organisation':
      return {
        name: form.get('name') ?? '',
        legalForm: form.get('legalForm') ?? '',
        charityNumber: optionalText(form, 'charityNumber') ?? '',
        companyNumber: optionalText(form, 'companyNumber') ?? '',
        sector: form.get('sector') ?? '',
        size: form.get('size') ?? '',
      };
    case 'services':
      return {
        regions: form.getAll('regions'),
        services: form.getAll('services'),
        description: form.get('description') ?? '',
      };
    case 'contact':
      return {
        contactName: form.get('contact.name') ?? '',
        contactEmail: form.get('contact.email') ?? '',
        contactPhone: form.get('contact.phone') ?? '',
        website: form.get('website') ?? '',
      };
  }
}

/**
 * True when the visitor came from "Change" on the check page (or an error there): the page then goes back
 * to check your answers rather than on through the questions.
 */
function changing(request: PageRequest): boolean {
  return request.query.change === 'true';
}

function renderStep(
  request: PageRequest,
  step: Step,
  draft: RegistrationDraft,
  issues: ReturnType<typeof formErrors> | undefined,
) {
  const index = ORDER.indexOf(step);
  const change = changing(request);
  // The contact email starts as the signed-in user's own, until the visitor answers the question.
  const shown =
    step === 'contact' && draft.contactEmail === undefined && request.session?.email
      ? { ...draft, contactEmail: request.session.email }
      : draft;
  const titles: Record<Step, string> = {
    organisation: 'About your organisation',
    services: 'What you do and where',
    contact: 'Contact details',
  };
  return render(
    request,
    `register/${step}.njk`,
    {
      title: titles[step],
      caption: `Register an organisation: step ${index + 1} of ${ORDER.length + 1}`,
      action: change ? `${BASE}/${step}?change=true` : `${BASE}/${step}`,
      backLink: change ? `${BASE}/check-your-answers` : index === 0 ? '/' : `${BASE}/${ORDER[index - 1]}`,
      draft: shown,
      choices: CHOICES,
      errors: issues?.errors ?? {},
      errorList: issues?.errorList ?? [],
    },
    issues ? 400 : 200,
  );
}

function checkRows(draft: RegistrationDraft) {
  const row = (key: string, value: string, step: Step, field: string) => ({
    key: { text: key },
    value: { text: value || 'Not given' },
    actions: {
      items: [
        {
          href: `${BASE}/${step}?change=true#${fieldId(field)}`,
          text: 'Change',
          visuallyHiddenText: key.toLowerCase(),
        },
      ],
    },
  });
  return [
    row('Name', draft.name ?? '', 'organisation', 'name'),
    row('Legal form', draft.legalForm ? label(draft.legalForm) : '', 'organisation', 'legalForm'),
    row('Charity number', draft.charityNumber ?? '', 'organisation', 'charityNumber'),
    row('Company number', draft.companyNumber ?? '', 'organisation', 'companyNumber'),
    row('Sector', draft.sector ? label(draft.sector) : '', 'organisation', 'sector'),
    row('Size', draft.size ? label(draft.size) : '', 'organisation', 'size'),
    row('Regions', (draft.regions ?? []).map(label).join(', '), 'services', 'regions'),
    row('Services', (draft.services ?? []).map(label).join(', '), 'services', 'services'),
    row('Description', draft.description ?? '', 'services', 'description'),
    row('Contact name', draft.contactName ?? '', 'contact', 'contact.name'),
    row('Contact email', draft.contactEmail ?? '', 'contact', 'contact.email'),
    row('Contact telephone', draft.contactPhone ?? '', 'contact', 'contact.phone'),
    row('Website', draft.website ?? '', 'contact', 'website'),
  ];
}

/** Errors on the check page link to the field on its question page. */
function checkErrors(issues: Parameters<typeof formErrors>[0]) {
  return formErrors(issues, (path) => `${BASE}/${stepOf(path)}?change=true#${fieldId(path)}`);
}

function renderCheck(
  request: PageRequest,
  draft: RegistrationDraft,
  issues?: Parameters<typeof formErrors>[0],
) {
  const shown = issues && issues.length > 0 ? checkErrors(issues) : undefined;
  return render(
    request,
    'register/check.njk',
    {
      title: 'Check your answers before registering',
      backLink: `${BASE}/contact`,
      rows: checkRows(draft),
      errorList: shown?.errorList ?? [],
    },
    shown ? 400 : 200,
  );
}

/** `GET /register-organisation`: the registration starts at its first question. */
export async function registrationStart(request: PageRequest) {
  requireSession(request);
  return redirect(`${BASE}/${ORDER[0]}`);
}

/** A finished registration's confirmation, for a visitor who comes back to its check page. */
function confirmationOf(draft: RegistrationDraft) {
  return draft.registeredId && isEmpty(draft)
    ? redirect(`${BASE}/confirmation?id=${encodeURIComponent(draft.registeredId)}`)
    : undefined;
}

/** `GET /register-organisation/{step}`. */
export async function registrationPage(request: PageRequest) {
  requireSession(request);
  const step = request.params.step;
  const draft = await loadDraft(request);
  // A finished registration's answers are gone: its question pages start a new one.
  if (isStep(step)) return renderStep(request, step, answersOf(draft), undefined);
  if (step === 'check-your-answers') {
    // Back after registering: the confirmation again, not an empty page that fails on submit.
    const done = confirmationOf(draft);
    if (done) return done;
    if (isEmpty(draft)) return redirect(`${BASE}/${ORDER[0]}`);
    return renderCheck(request, draft);
  }
  if (step === 'confirmation') {
    const id = ulidSchema.safeParse(request.query.id);
    if (!id.success) throw new NotFoundError('No registration to confirm.');
    // Through the use case: only the organisation's own members see it.
    const provider = await getProvider(repositories(), request.principal, id.data);
    return render(request, 'register/confirmation.njk', { title: 'Registration complete', provider });
  }
  throw new NotFoundError('There is no such page in the registration.');
}

/** `POST /register-organisation/{step}`: keeps the answers, shows this page's errors or moves on. */
export async function registrationAnswer(request: PageRequest) {
  requireSession(request);
  const step = request.params.step;
  const draft = await loadDraft(request);
  if (isStep(step)) {
    const updated = { ...answersOf(draft), ...readStep(step, request.form) };
    const { issues } = registrationIssues(updated);
    // Only this page's questions: later pages have not been answered yet.
    const mine = issues.filter((issue) => stepOf(issue.path ?? '') === step && issue.path !== undefined);
    const cookies = [await draftCookie(updated)];
    if (mine.length > 0) {
      const result = renderStep(request, step, updated, formErrors(mine));
      return { ...result, cookies };
    }
    const next = ORDER[ORDER.indexOf(step) + 1];
    const to = next && !changing(request) ? `${BASE}/${next}` : `${BASE}/check-your-answers`;
    return redirect(to, cookies);
  }
  if (step !== 'check-your-answers') throw new NotFoundError('There is no such page in the registration.');
  // Sent again (Back, then Register): the organisation is registered already; never register it twice.
  const done = confirmationOf(draft);
  if (done) return done;
  if (isEmpty(draft)) return redirect(`${BASE}/${ORDER[0]}`);
  const { issues, details } = registrationIssues(draft);
  if (!details || issues.length > 0) return renderCheck(request, draft, issues);
  try {
    const provider = await registerProvider(repositories(), request.principal, details, request.now);
    // The answers go; the marker stays, so Back cannot offer the same registration again.
    return redirect(`${BASE}/confirmation?id=${provider.id}`, [
      await draftCookie({ registeredId: provider.id }),
    ]);
  } catch (error) {
    // Only bad input is the visitor's to fix here; anything else is the page stack's to show.
    const duplicate = [
      details.charityNumber ? 'charityNumber' : '',
      details.companyNumber ? 'companyNumber' : '',
    ].filter(Boolean);
    const reported = issuesFromError(error, duplicate);
    if (!reported) throw error;
    return renderCheck(request, draft, reported);
  }
}
