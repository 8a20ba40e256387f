/**
 * "Your organisation": the organisations the signed-in user belongs to, each one's profile, members
 * (owners add more), accreditation (owners file it) and notifications. Every read and write goes through
 * the provider use cases, which decide who may do what.
 */
import { config } from '../../config';
import {
  accreditationRepository,
  membershipRepository,
  notificationRepository,
  providerRepository,
} from '../../db/repositories';
import type { AccreditationAnswers } from '../../domain/accreditation';
import { type FieldIssue, NotFoundError } from '../../domain/errors';
import { ulidSchema } from '../../http/schemas/common';
import { accreditationBody, addMemberBody } from '../../http/schemas/providers';
import { getAccreditation, putAccreditation } from '../../use-cases/accreditation';
import { addMember } from '../../use-cases/add-member';
import { getMe } from '../../use-cases/get-me';
import { getProvider, type ProviderProfile } from '../../use-cases/get-provider';
import { listNotifications } from '../../use-cases/list-notifications';
import { fieldId, formErrors, humanise, issuesFromError, issuesOf, optionalText } from '../forms';
import { CHOICES, govukDate, label, pounds } from '../labels';
import { type PageRequest, redirect, render, requireSession } from '../page';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    providers: providerRepository(),
    memberships: membershipRepository(),
    accreditations: accreditationRepository(),
    notifications: notificationRepository(),
  };
}

function providerId(request: PageRequest): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No organisation at this address.');
  return id.data;
}

async function loadProfile(request: PageRequest): Promise<ProviderProfile> {
  requireSession(request);
  return getProvider(repositories(), request.principal, providerId(request));
}

function isOwner(request: PageRequest, profile: ProviderProfile): boolean {
  return profile.members.some((m) => m.sub === request.session?.sub && m.role === 'owner');
}

function subNavigation(id: string, current: string) {
  const item = (path: string, text: string) => ({
    href: `/your-organisation/${id}${path}`,
    text,
    current: current === path,
  });
  return [
    item('', 'Profile'),
    item('/members', 'Members'),
    item('/accreditation', 'Accreditation'),
    item('/notifications', 'Notifications'),
  ];
}

/** `GET /your-organisation`. */
export async function yourOrganisations(request: PageRequest) {
  requireSession(request);
  const me = await getMe(repositories(), request.principal);
  return render(request, 'organisation/list.njk', {
    title: 'Your organisations',
    section: 'organisation',
    organisations: me.organisations,
  });
}

/** `GET /your-organisation/{id}`. */
export async function organisationProfile(request: PageRequest) {
  const profile = await loadProfile(request);
  const row = (key: string, value: string | undefined) => ({
    key: { text: key },
    value: { text: value || 'Not given' },
  });
  const rows = [
    row(
      'Status',
      profile.status === 'verified' ? 'Verified: listed in the directory' : 'Waiting for verification',
    ),
    row('Legal form', label(profile.legalForm)),
    row('Charity number', profile.charityNumber),
    row('Company number', profile.companyNumber),
    row('Sector', label(profile.sector)),
    row('Size', label(profile.size)),
    row('Regions', profile.regions.map(label).join(', ')),
    row('Services', profile.services.map(label).join(', ')),
    row('Description', profile.description),
    row(
      'Contact',
      `${profile.contact.name}, ${profile.contact.email}${profile.contact.phone ? `, ${profile.contact.phone}` : ''}`,
    ),
    row('Website', profile.website),
    row('Registered', govukDate(profile.createdAt)),
  ];
  return render(request, 'organisation/profile.njk', {
    title: profile.name,
    section: 'organisation',
    provider: profile,
    rows,
    navigation: subNavigation(profile.id, ''),
  });
}

function renderMembers(
  request: PageRequest,
  profile: ProviderProfile,
  issues?: FieldIssue[],
  values: Record<string, string> = {},
) {
  const shown = issues ? formErrors(issues) : undefined;
  return render(
    request,
    'organisation/members.njk',
    {
      title: 'Members',
      section: 'organisation',
      provider: profile,
      owner: isOwner(request, profile),
      rows: profile.members.map((m) => [{ text: m.sub }, { text: label(m.role) }]),
      navigation: subNavigation(profile.id, '/members'),
      values,
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
    },
    shown ? 400 : 200,
  );
}

/** `GET /your-organisation/{id}/members`. */
export async function membersPage(request: PageRequest) {
  return renderMembers(request, await loadProfile(request));
}

/** `POST /your-organisation/{id}/members`: an owner adds a member. */
export async function addMemberAnswer(request: PageRequest) {
  const profile = await loadProfile(request);
  const values = { sub: request.form.get('sub') ?? '', role: request.form.get('role') ?? '' };
  const parsed = addMemberBody.safeParse({ sub: values.sub, role: values.role || undefined });
  if (!parsed.success) {
    const issues = humanise(issuesOf(parsed), {
      sub: 'Enter the user id of the person to add',
      role: 'Select a role',
    });
    return renderMembers(request, profile, issues, values);
  }
  try {
    await addMember(repositories(), request.principal, profile.id, parsed.data, request.now);
  } catch (error) {
    const reported = conflictAsIssue(error) ?? issuesFromError(error);
    if (!reported) throw error;
    return renderMembers(request, profile, reported, values);
  }
  return redirect(`/your-organisation/${profile.id}/members`);
}

/** A member added twice is the form's problem, shown against the user field. */
function conflictAsIssue(error: unknown): FieldIssue[] | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'conflict' ? [{ path: 'sub', message: (error as Error).message }] : undefined;
}

/** Pounds as typed (`250,000` or `1234.50`) to pence; undefined when blank, NaN when not an amount. */
export function penceFromPounds(raw: string | undefined): number | undefined {
  const text = raw?.replace(/[£,\s]/g, '') ?? '';
  if (text === '') return undefined;
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * 100);
}

const MONEY_FIELDS = {
  'financial.annualTurnoverPence': 'turnover',
  'insurance.employersLiabilityPence': 'employersLiability',
  'insurance.publicLiabilityPence': 'publicLiability',
  'insurance.professionalIndemnityPence': 'professionalIndemnity',
} as const;

/** The accreditation form as the API's body, and the problems only the form can have (amounts, the date). */
export function accreditationFromForm(form: URLSearchParams): {
  body: Record<string, unknown>;
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const money: Record<string, number | undefined> = {};
  for (const [path, name] of Object.entries(MONEY_FIELDS)) {
    const pence = penceFromPounds(form.get(name) ?? undefined);
    if (Number.isNaN(pence))
      issues.push({ path, message: 'Enter an amount in pounds, like 250000 or 1250.50' });
    money[path] = Number.isNaN(pence) ? undefined : pence;
  }
  const day = optionalText(form, 'accountsYearEnd-day');
  const month = optionalText(form, 'accountsYearEnd-month');
  const year = optionalText(form, 'accountsYearEnd-year');
  const date =
    day && month && year ? `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}` : '';
  const details = optionalText(form, 'groundsDetails') ?? '';
  const measures = optionalText(form, 'selfCleaning');
  const grounds = (name: string) =>
    form.getAll(name).map((code) => ({ code, details, ...(measures ? { selfCleaning: { measures } } : {}) }));
  const policies = new Set(form.getAll('policies'));
  const body = {
    exclusionGrounds: { mandatory: grounds('mandatory'), discretionary: grounds('discretionary') },
    financial: { annualTurnoverPence: money['financial.annualTurnoverPence'], accountsYearEnd: date },
    insurance: {
      employersLiabilityPence: money['insurance.employersLiabilityPence'],
      publicLiabilityPence: money['insurance.publicLiabilityPence'],
      ...(money['insurance.professionalIndemnityPence'] !== undefined
        ? { professionalIndemnityPence: money['insurance.professionalIndemnityPence'] }
        : {}),
    },
    policies: {
      equality: policies.has('equality'),
      safeguarding: policies.has('safeguarding'),
      healthAndSafety: policies.has('healthAndSafety'),
    },
  };
  return { body, issues };
}

/**
 * Where each API path is shown on the form: amounts on their pound fields, the grounds' details and
 * measures on the one textarea each, everything else on its own field.
 */
function accreditationHref(path: string): string {
  if (path in MONEY_FIELDS) return `#${MONEY_FIELDS[path as keyof typeof MONEY_FIELDS]}`;
  if (path === 'financial.accountsYearEnd') return '#accountsYearEnd-day';
  if (/^exclusionGrounds\.\w+\.\d+\.details$/.test(path)) return '#groundsDetails';
  if (/^exclusionGrounds\.\w+\.\d+\.selfCleaning/.test(path)) return '#selfCleaning';
  if (path.startsWith('exclusionGrounds.mandatory')) return '#mandatory';
  if (path.startsWith('exclusionGrounds.discretionary')) return '#discretionary';
  if (path.startsWith('policies')) return '#policies';
  return `#${fieldId(path)}`;
}

/** Field messages keyed by the form's element ids (a path's href without `#`). */
function accreditationErrors(issues: FieldIssue[]) {
  const shown = formErrors(issues, accreditationHref);
  const byField: Record<string, { text: string }> = {};
  for (const item of shown.errorList) byField[item.href.slice(1)] ??= { text: item.text };
  return { errorList: shown.errorList, errors: byField };
}

async function renderAccreditation(
  request: PageRequest,
  profile: ProviderProfile,
  form: URLSearchParams | undefined,
  issues?: FieldIssue[],
) {
  let current: Awaited<ReturnType<typeof getAccreditation>> | undefined;
  try {
    current = await getAccreditation(repositories(), request.principal, profile.id, request.now);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const shown = issues ? accreditationErrors(issues) : undefined;
  const values = form
    ? Object.fromEntries(
        [...form.keys()].map((k) => [k, form.getAll(k).length > 1 ? form.getAll(k) : form.get(k)]),
      )
    : {};
  return render(
    request,
    'organisation/accreditation.njk',
    {
      title: 'Accreditation',
      section: 'organisation',
      provider: profile,
      owner: isOwner(request, profile),
      navigation: subNavigation(profile.id, '/accreditation'),
      current: current
        ? {
            status: current.status,
            validUntil: govukDate(current.validUntil),
            submittedAt: govukDate(current.submittedAt),
            turnover: pounds(current.financial.annualTurnoverPence),
          }
        : undefined,
      choices: CHOICES,
      values,
      policies: form ? form.getAll('policies') : [],
      mandatory: form ? form.getAll('mandatory') : [],
      discretionary: form ? form.getAll('discretionary') : [],
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
    },
    shown ? 400 : 200,
  );
}

/** What to say when an accreditation question is left unanswered. */
const ACCREDITATION_MESSAGES: Record<string, string> = {
  'financial.annualTurnoverPence': 'Enter your annual turnover in pounds',
  'financial.accountsYearEnd': 'Enter the date of your last accounts year end, like 31 3 2026',
  'insurance.employersLiabilityPence': "Enter your employer's liability cover in pounds",
  'insurance.publicLiabilityPence': 'Enter your public liability cover in pounds',
};

/** `GET /your-organisation/{id}/accreditation`. */
export async function accreditationPage(request: PageRequest) {
  return renderAccreditation(request, await loadProfile(request), undefined);
}

/** `POST /your-organisation/{id}/accreditation`: files the accreditation through the same schema and use case as the API. */
export async function accreditationAnswer(request: PageRequest) {
  const profile = await loadProfile(request);
  const { body, issues } = accreditationFromForm(request.form);
  const parsed = accreditationBody.safeParse(body);
  // Amount problems found by the form replace the schema's "expected number" for the same field.
  const formPaths = new Set(issues.map((i) => i.path));
  const all = [
    ...issues,
    ...humanise(issuesOf(parsed), ACCREDITATION_MESSAGES).filter((i) => !formPaths.has(i.path)),
  ];
  if (all.length > 0 || !parsed.success) return renderAccreditation(request, profile, request.form, all);
  try {
    await putAccreditation(
      repositories(),
      request.principal,
      profile.id,
      parsed.data as AccreditationAnswers,
      request.now,
      config().rules.accreditationValidMonths,
    );
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderAccreditation(request, profile, request.form, reported);
  }
  return redirect(`/your-organisation/${profile.id}/accreditation`);
}

/** `GET /your-organisation/{id}/notifications`: this organisation's notifications, newest first. */
export async function notificationsPage(request: PageRequest) {
  const profile = await loadProfile(request);
  const page = await listNotifications(repositories(), request.principal, { limit: 50 });
  const items = page.items
    .filter((n) => n.providerId === profile.id)
    .map((n) => ({ ...n, createdAt: govukDate(n.createdAt) }));
  return render(request, 'organisation/notifications.njk', {
    title: 'Notifications',
    section: 'organisation',
    provider: profile,
    navigation: subNavigation(profile.id, '/notifications'),
    items,
  });
}
