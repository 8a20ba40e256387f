/**
 * "Your organisation": the organisations the signed-in user belongs to, each one's profile (owners change
 * it), members (owners invite; nobody joins until they accept on "Your invitations"; anyone may leave),
 * accreditation (owners file it) and notifications. Every read and write goes through the provider use
 * cases, which decide who may do what.
 */
import { config } from '../../config';
import type { Notification } from '../../db/notifications';
import {
  accreditationRepository,
  membershipRepository,
  notificationRepository,
  providerRepository,
} from '../../db/repositories';
import type { AccreditationAnswers, DeclaredGround } from '../../domain/accreditation';
import { type FieldIssue, ForbiddenError, NotFoundError } from '../../domain/errors';
import { ownerWhoRemains } from '../../domain/memberships';
import { ulidSchema } from '../../http/schemas/common';
import { accreditationBody, addMemberBody, updateProviderBody } from '../../http/schemas/providers';
import { getAccreditation, putAccreditation } from '../../use-cases/accreditation';
import { getMe } from '../../use-cases/get-me';
import { getProvider, type ProviderProfile } from '../../use-cases/get-provider';
import { listNotifications } from '../../use-cases/list-notifications';
import {
  inviteMember,
  listMyInvitations,
  listProviderInvitations,
  removeMember,
  withdrawInvitation,
} from '../../use-cases/memberships';
import { type ProviderChanges, updateProvider } from '../../use-cases/update-provider';
import { fieldId, formErrors, humanise, issuesFromError, issuesOf, optionalText } from '../forms';
import {
  CHOICES,
  DEADLINE_NAMES,
  govukDate,
  govukDateTime,
  label,
  linesHtml,
  PREQUALIFICATION_TIER,
  pounds,
} from '../labels';
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
  const [me, invitations] = await Promise.all([
    getMe(repositories(), request.principal),
    listMyInvitations(repositories(), request.principal, request.now),
  ]);
  return render(request, 'organisation/list.njk', {
    title: 'Your organisations',
    section: 'organisation',
    organisations: me.organisations,
    invitations: invitations.items.length,
    left: request.query.left,
  });
}

/** A registration's status in the members' words. */
const STATUS_WORDS: Record<ProviderProfile['status'], string> = {
  verified: 'Verified: listed in the directory',
  pending: 'Waiting for verification',
  rejected: 'Not verified: the reason is above',
};

/**
 * What the members read about their registration's verification: why it was rejected and what to do next,
 * or that their corrected details wait for another check. Nothing once it is verified.
 */
export function verificationView(
  profile: Pick<ProviderProfile, 'status' | 'rejection' | 'resubmittedAt'>,
): { rejected: boolean; reason: string; rejectedOn: string; resubmittedOn?: string } | undefined {
  if (!profile.rejection || profile.status === 'verified') return undefined;
  if (profile.status === 'rejected') {
    return {
      rejected: true,
      reason: profile.rejection.reason,
      rejectedOn: govukDateTime(profile.rejection.rejectedAt),
    };
  }
  return {
    rejected: false,
    reason: profile.rejection.reason,
    rejectedOn: govukDateTime(profile.rejection.rejectedAt),
    ...(profile.resubmittedAt ? { resubmittedOn: govukDateTime(profile.resubmittedAt) } : {}),
  };
}

/** `GET /your-organisation/{id}`. */
export async function organisationProfile(request: PageRequest) {
  const profile = await loadProfile(request);
  const row = (key: string, value: string | undefined) => ({
    key: { text: key },
    value: { text: value || 'Not given' },
  });
  const rows = [
    row('Status', STATUS_WORDS[profile.status]),
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
    owner: isOwner(request, profile),
    verification: verificationView(profile),
    updated: request.query.updated === 'true' || request.query.updated === 'resubmitted',
    resubmitted: request.query.updated === 'resubmitted',
    joined: request.query.joined === 'true',
    navigation: subNavigation(profile.id, ''),
  });
}

/** The profile form's values: the stored profile, or what was typed. */
interface ProfileValues {
  name: string;
  legalForm: string;
  charityNumber: string;
  companyNumber: string;
  sector: string;
  size: string;
  regions: string[];
  services: string[];
  description: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
  website: string;
}

function profileValues(profile: ProviderProfile): ProfileValues {
  return {
    name: profile.name,
    legalForm: profile.legalForm,
    charityNumber: profile.charityNumber ?? '',
    companyNumber: profile.companyNumber ?? '',
    sector: profile.sector,
    size: profile.size,
    regions: [...profile.regions],
    services: [...profile.services],
    description: profile.description ?? '',
    contactName: profile.contact.name,
    contactEmail: profile.contact.email,
    contactPhone: profile.contact.phone ?? '',
    website: profile.website ?? '',
  };
}

function profileValuesFromForm(form: URLSearchParams): ProfileValues {
  const text = (name: string) => form.get(name)?.trim() ?? '';
  return {
    name: text('name'),
    legalForm: text('legalForm'),
    charityNumber: text('charityNumber'),
    companyNumber: text('companyNumber'),
    sector: text('sector'),
    size: text('size'),
    regions: form.getAll('regions'),
    services: form.getAll('services'),
    description: text('description'),
    contactName: text('contact.name'),
    contactEmail: text('contact.email'),
    contactPhone: text('contact.phone'),
    website: text('website'),
  };
}

/**
 * The form as a `PATCH /providers/{id}` body: every field given, blanks of optional fields as `null`
 * (removed), blanks of required ones left for the schema to report.
 */
export function profileChanges(values: ProfileValues): Record<string, unknown> {
  const optional = (value: string) => (value === '' ? null : value);
  const required = (value: string) => (value === '' ? undefined : value);
  return {
    name: values.name,
    legalForm: required(values.legalForm),
    charityNumber: optional(values.charityNumber),
    companyNumber: optional(values.companyNumber),
    sector: required(values.sector),
    size: required(values.size),
    regions: values.regions,
    services: values.services,
    description: optional(values.description),
    contact: {
      name: values.contactName,
      email: values.contactEmail,
      ...(values.contactPhone ? { phone: values.contactPhone } : {}),
    },
    website: optional(values.website),
  };
}

/** What to say when a profile question is left unanswered. */
const PROFILE_MESSAGES: Record<string, string> = {
  name: 'Enter the name of your organisation',
  legalForm: 'Select the legal form of your organisation',
  sector: 'Select the sector your organisation is in',
  size: 'Select the size of your organisation',
  regions: 'Select the regions you work in, or national',
  services: 'Select the services you offer',
  'contact.name': 'Enter the name of the person to contact',
  'contact.email': 'Enter an email address in the correct format, like name@example.org',
};

/** Where a profile issue is shown: a group's first option, or its own field. */
function profileHref(path: string): string {
  const group = /^(sector|size|regions|services)(\.|$)/.exec(path)?.[1];
  if (group) return `#${group}`;
  return `#${fieldId(path)}`;
}

function renderProfileForm(
  request: PageRequest,
  profile: ProviderProfile,
  values: ProfileValues,
  issues?: FieldIssue[],
) {
  const shown = issues ? formErrors(issues, profileHref) : undefined;
  return render(
    request,
    'organisation/edit.njk',
    {
      title: 'Change your organisation’s details',
      section: 'organisation',
      provider: profile,
      values,
      choices: CHOICES,
      backLink: `/your-organisation/${profile.id}`,
      // Saving a rejected registration sends it back for verification (`afterOwnerEdit`): say so first.
      resubmits: profile.status === 'rejected',
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
    },
    shown ? 400 : 200,
  );
}

/** Only owners change the profile: the use case refuses others too; the page says so before a form is filled. */
function assertOwner(request: PageRequest, profile: ProviderProfile): void {
  if (!isOwner(request, profile)) {
    throw new ForbiddenError('Only an owner of the organisation can change its details.');
  }
}

/** `GET /your-organisation/{id}/edit`: the profile form, filled in. */
export async function editProfilePage(request: PageRequest) {
  const profile = await loadProfile(request);
  assertOwner(request, profile);
  return renderProfileForm(request, profile, profileValues(profile));
}

/**
 * `POST /your-organisation/{id}/edit`: the same schema and use case as `PATCH /providers/{id}`, so the
 * registry's rules and the uniqueness of registration numbers apply; problems are shown against their
 * fields and nothing is changed.
 */
export async function editProfileAnswer(request: PageRequest) {
  const profile = await loadProfile(request);
  assertOwner(request, profile);
  const values = profileValuesFromForm(request.form);
  const parsed = updateProviderBody.safeParse(profileChanges(values));
  if (!parsed.success) {
    return renderProfileForm(request, profile, values, humanise(issuesOf(parsed), PROFILE_MESSAGES));
  }
  try {
    await updateProvider(
      repositories(),
      request.principal,
      profile.id,
      parsed.data as ProviderChanges,
      request.now,
    );
  } catch (error) {
    const duplicate = [
      values.charityNumber ? 'charityNumber' : '',
      values.companyNumber ? 'companyNumber' : '',
    ];
    const reported = conflictAsIssue(error, '') ?? issuesFromError(error, duplicate.filter(Boolean));
    if (!reported) throw error;
    return renderProfileForm(request, profile, values, reported);
  }
  return redirect(
    `/your-organisation/${profile.id}?updated=${profile.status === 'rejected' ? 'resubmitted' : 'true'}`,
  );
}

/** What the members page says after a change it redirected from (POST/redirect/GET). */
interface MembersNotice {
  heading: string;
  text?: string;
}

async function renderMembers(
  request: PageRequest,
  profile: ProviderProfile,
  issues?: FieldIssue[],
  values: Record<string, string> = {},
  notice?: MembersNotice,
) {
  const shown = issues ? formErrors(issues) : undefined;
  const owner = isOwner(request, profile);
  const me = request.session?.sub;
  const invitations = (
    await listProviderInvitations(repositories(), request.principal, profile.id, request.now)
  ).items;
  return render(
    request,
    'organisation/members.njk',
    {
      title: 'Members',
      section: 'organisation',
      provider: profile,
      owner,
      members: profile.members.map((m) => ({
        sub: m.sub,
        role: label(m.role),
        self: m.sub === me,
        // Anyone may leave; owners may remove others. The last owner is told why not when they try.
        removable: m.sub === me || owner,
      })),
      invitations: invitations.map((i) => ({
        id: i.id,
        sub: i.sub,
        role: label(i.role),
        invitedBy: i.invitedBy,
        expires: govukDate(i.expiresAt),
      })),
      navigation: subNavigation(profile.id, '/members'),
      values,
      notice,
      errors: shown?.errors ?? {},
      errorList: shown?.errorList ?? [],
    },
    shown ? 400 : 200,
  );
}

/** `GET /your-organisation/{id}/members`: members, open invitations and (for owners) the invitation form. */
export async function membersPage(request: PageRequest) {
  const profile = await loadProfile(request);
  let notice: MembersNotice | undefined;
  const invited = request.query.invited;
  if (invited) {
    notice = {
      heading: `Invitation sent to ${invited}`,
      text: 'They become a member only when they sign in and accept it from “Your invitations”. Until then they are not part of the organisation.',
    };
  } else if (request.query.removed) {
    notice = { heading: `${request.query.removed} is no longer a member` };
  } else if (request.query.withdrawn) {
    notice = { heading: `The invitation to ${request.query.withdrawn} is withdrawn` };
  }
  return renderMembers(request, profile, undefined, {}, notice);
}

/**
 * `POST /your-organisation/{id}/members`: an owner invites someone, through the same schema and use case
 * as `POST /providers/{id}/members`. Nobody is added until they accept.
 */
export async function addMemberAnswer(request: PageRequest) {
  const profile = await loadProfile(request);
  const values = { sub: request.form.get('sub') ?? '', role: request.form.get('role') ?? '' };
  const parsed = addMemberBody.safeParse({ sub: values.sub, role: values.role || undefined });
  if (!parsed.success) {
    const issues = humanise(issuesOf(parsed), {
      sub: 'Enter the user id of the person to invite',
      role: 'Select a role',
    });
    return renderMembers(request, profile, issues, values);
  }
  try {
    await inviteMember(
      repositories(),
      request.principal,
      profile.id,
      parsed.data,
      request.now,
      config().rules.invitationValidDays,
    );
  } catch (error) {
    const reported = conflictAsIssue(error, 'sub') ?? issuesFromError(error);
    if (!reported) throw error;
    return renderMembers(request, profile, reported, values);
  }
  return redirect(`/your-organisation/${profile.id}/members?invited=${encodeURIComponent(parsed.data.sub)}`);
}

/**
 * `POST /your-organisation/{id}/members/remove`: leave the organisation, or (owners) remove someone. The
 * first post shows a confirmation page; its own form posts again with `confirm=yes`, and only that removes.
 */
export async function removeMemberAnswer(request: PageRequest) {
  const profile = await loadProfile(request);
  const sub = request.form.get('sub') ?? '';
  const member = profile.members.find((m) => m.sub === sub);
  if (!member) throw new NotFoundError('That person is not a member of this organisation.');
  const self = sub === request.session?.sub;
  if (request.form.get('confirm') !== 'yes') {
    if (!self && !isOwner(request, profile)) {
      throw new ForbiddenError('Only an owner of the organisation can remove other members.');
    }
    // The last owner learns before confirming that they cannot go (the use case refuses it too).
    try {
      ownerWhoRemains(profile.members, sub);
    } catch (error) {
      const reported = conflictAsIssue(error, '');
      if (!reported) throw error;
      return renderMembers(request, profile, reported);
    }
    return render(request, 'organisation/remove-member.njk', {
      title: self
        ? `Are you sure you want to leave ${profile.name}?`
        : `Are you sure you want to remove ${sub}?`,
      section: 'organisation',
      provider: profile,
      sub,
      self,
      backLink: `/your-organisation/${profile.id}/members`,
    });
  }
  try {
    await removeMember(repositories(), request.principal, profile.id, sub, request.now);
  } catch (error) {
    const reported = conflictAsIssue(error, '');
    if (!reported) throw error;
    return renderMembers(request, profile, reported);
  }
  if (self) return redirect(`/your-organisation?left=${encodeURIComponent(profile.name)}`);
  return redirect(`/your-organisation/${profile.id}/members?removed=${encodeURIComponent(sub)}`);
}

/** `POST /your-organisation/{id}/invitations/withdraw`: an owner withdraws an open invitation. */
export async function withdrawInvitationAnswer(request: PageRequest) {
  const profile = await loadProfile(request);
  const invitationId = ulidSchema.safeParse(request.form.get('invitationId'));
  if (!invitationId.success) throw new NotFoundError('No such invitation to this organisation.');
  const withdrawn = await withdrawInvitation(
    repositories(),
    request.principal,
    profile.id,
    invitationId.data,
    request.now,
  );
  return redirect(`/your-organisation/${profile.id}/members?withdrawn=${encodeURIComponent(withdrawn.sub)}`);
}

/**
 * A conflict is the form's problem (a member added twice, a profile changed by someone else meanwhile),
 * shown against `path` (or at the top of the form).
 */
function conflictAsIssue(error: unknown, path: string): FieldIssue[] | undefined {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'conflict' ? [{ path, message: (error as Error).message }] : undefined;
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

/** What each amount is, in the words of its error message. */
const MONEY_NAMES: Record<keyof typeof MONEY_FIELDS, string> = {
  'financial.annualTurnoverPence': 'your annual turnover',
  'insurance.employersLiabilityPence': 'your employer’s liability cover',
  'insurance.publicLiabilityPence': 'your public liability cover',
  'insurance.professionalIndemnityPence': 'your professional indemnity cover',
};

/** The accreditation form as the API's body, and the problems only the form can have (amounts, the date). */
export function accreditationFromForm(form: URLSearchParams): {
  body: Record<string, unknown>;
  issues: FieldIssue[];
} {
  const issues: FieldIssue[] = [];
  const money: Record<string, number | undefined> = {};
  for (const [path, name] of Object.entries(MONEY_FIELDS) as [keyof typeof MONEY_FIELDS, string][]) {
    const pence = penceFromPounds(form.get(name) ?? undefined);
    if (Number.isNaN(pence)) {
      issues.push({
        path,
        message: `Enter ${MONEY_NAMES[path]} as an amount in pounds, like 250000 or 1250.50`,
      });
    }
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
      current: current ? accreditationRows(current) : undefined,
      filed: request.query.filed === 'true' && current?.status === 'current',
      validUntil: current ? govukDate(current.validUntil) : undefined,
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

/** The declared grounds in words: each ground's name, with its details and self-cleaning measures. */
function groundsText(grounds: DeclaredGround[]): string {
  if (grounds.length === 0) return 'None';
  return grounds
    .map((g) =>
      [
        label(g.code),
        `Details: ${g.details}`,
        ...(g.selfCleaning ? [`Self-cleaning measures: ${g.selfCleaning.measures}`] : []),
      ].join('\n'),
    )
    .join('\n');
}

/** Everything filed, as summary list rows (multi-line values keep their line breaks in the template). */
export function accreditationRows(current: Awaited<ReturnType<typeof getAccreditation>>) {
  const row = (key: string, value: string) => ({ key: { text: key }, value: { html: linesHtml(value) } });
  const policies = [
    current.policies.equality ? 'Equality and diversity' : '',
    current.policies.safeguarding ? 'Safeguarding' : '',
    current.policies.healthAndSafety ? 'Health and safety' : '',
  ].filter(Boolean);
  return [
    row('Status', current.status === 'current' ? 'Current' : 'Expired: file a new accreditation'),
    row('Filed', govukDate(current.submittedAt)),
    row('Valid until', govukDate(current.validUntil)),
    row('Mandatory exclusion grounds', groundsText(current.exclusionGrounds.mandatory)),
    row('Discretionary exclusion grounds', groundsText(current.exclusionGrounds.discretionary)),
    row('Annual turnover', pounds(current.financial.annualTurnoverPence)),
    row('Accounts year end', govukDate(current.financial.accountsYearEnd)),
    row('Employer’s liability insurance', pounds(current.insurance.employersLiabilityPence)),
    row('Public liability insurance', pounds(current.insurance.publicLiabilityPence)),
    row(
      'Professional indemnity insurance',
      current.insurance.professionalIndemnityPence === undefined
        ? 'Not held'
        : pounds(current.insurance.professionalIndemnityPence),
    ),
    row('Policies', policies.length > 0 ? policies.join('\n') : 'None'),
  ];
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
  return redirect(`/your-organisation/${profile.id}/accreditation?filed=true`);
}

/** `GET /your-organisation/{id}/notifications`: this organisation's notifications, newest first. */
export async function notificationsPage(request: PageRequest) {
  const profile = await loadProfile(request);
  const page = await listNotifications(repositories(), request.principal, { limit: 50 });
  const items = page.items.filter((n) => n.providerId === profile.id).map(notificationView);
  return render(request, 'organisation/notifications.njk', {
    title: 'Notifications',
    section: 'organisation',
    provider: profile,
    navigation: subNavigation(profile.id, '/notifications'),
    items,
  });
}

/**
 * A notification as the page words it: from its structured fields when it has them (dates in the GOV.UK
 * style, links to pages), from its ready-made words otherwise (notifications stored before those fields).
 * Links always go to pages, never to API paths.
 */
export function notificationView(n: Notification): {
  title: string;
  message: string;
  date: string;
  link?: { href: string; text: string };
} {
  const date = govukDateTime(n.createdAt);
  const competitionId = n.competitionId ?? /^\/competitions\/([0-9A-Z]{26})/.exec(n.link ?? '')?.[1];
  const opportunity = competitionId
    ? { href: `/find-an-opportunity/${competitionId}`, text: 'View the opportunity' }
    : undefined;
  const closes =
    n.closes && n.closesAt
      ? `${n.closes === 'tender' ? DEADLINE_NAMES.tender : DEADLINE_NAMES.prequalification} on ${govukDateTime(n.closesAt)}.`
      : undefined;
  switch (n.type) {
    case 'rejected':
      return {
        title: n.title,
        message: n.message,
        date,
        link: { href: `/your-organisation/${n.providerId}`, text: 'See why, and what to do next' },
      };
    case 'verified':
      return {
        title: n.title,
        message: n.message,
        date,
        link: { href: `/find-a-provider/${n.providerId}`, text: 'See your directory entry' },
      };
    case 'opportunity':
      return {
        title: n.title,
        message:
          closes && n.prequalificationTier
            ? `${PREQUALIFICATION_TIER[n.prequalificationTier].explanation} ${closes}`
            : n.message,
        date,
        ...(opportunity ? { link: opportunity } : {}),
      };
    case 'shortlisted':
      return {
        title: n.title,
        message: closes ? `You are invited to tender. ${closes}` : n.message,
        date,
        ...(opportunity ? { link: opportunity } : {}),
      };
    case 'award-successful':
    case 'award-unsuccessful':
      return {
        title: n.title,
        message: n.standstillEndsAt
          ? `The award decision is made and your debrief is ready. The standstill period ends on ${govukDateTime(n.standstillEndsAt)}.`
          : n.message,
        date,
        ...(opportunity ? { link: opportunity } : {}),
      };
    default:
      return { title: n.title, message: n.message, date, ...(opportunity ? { link: opportunity } : {}) };
  }
}
