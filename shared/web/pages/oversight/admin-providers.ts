/**
 * The verification queue for admins (`/admin/providers`): registrations waiting for a decision, longest
 * waiting first, a page at a time, each with its charity and company numbers linked to the public registers
 * so they can be checked; then one registration in full, and either "Verify" (a confirmation page) or
 * "Reject" with a reason its owners read. The decisions call the use cases of `POST /providers/{id}/verify`
 * and `/reject`, so only admins decide, each decision is written with its notification and its audit event,
 * and a refused attempt is recorded as on the API. After a decision the admin is back on the queue with a
 * success banner.
 */
import {
  auditRepository,
  membershipRepository,
  notificationRepository,
  providerRepository,
} from '../../../db/repositories';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import { REJECTION_REASON_MAX, waitingSince } from '../../../domain/provider-verification';
import type { Provider } from '../../../domain/providers';
import { pageQuerySchema, ulidSchema } from '../../../http/schemas/common';
import { rejectProviderBody } from '../../../http/schemas/provider-decisions';
import type { ProviderProfile } from '../../../use-cases/get-provider';
import { listVerificationQueue, reviewForDecision, reviewProvider } from '../../../use-cases/provider-queue';
import { rejectProvider } from '../../../use-cases/reject-provider';
import { verifyProvider } from '../../../use-cases/verify-provider';
import { formErrors, issuesOf } from '../../forms';
import { escapeHtml, govukDate, govukDateTime, label } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { forwardPagination } from './paging';

/** The repositories these pages' use cases need, and no others. */
function repositories() {
  return {
    providers: providerRepository(),
    memberships: membershipRepository(),
    notifications: notificationRepository(),
    audit: auditRepository(),
  };
}

const QUEUE = '/admin/providers';
const PAGE_SIZE = 25;

/** One public register entry a registration number can be checked against. */
export interface RegisterLink {
  /** `Charity number` or `Company number`. */
  what: string;
  number: string;
  register: string;
  href: string;
}

/**
 * Where each of a provider's registration numbers can be checked: a charity number on its own country's
 * register (the Charity Commission for England and Wales; OSCR for `SC` numbers; the Charity Commission
 * for Northern Ireland for `NIC` numbers), a company number at Companies House. Numbers are stored
 * normalised (`shared/domain/identifiers.ts`), and encoded into the address all the same.
 */
export function registerLinks(provider: Pick<Provider, 'charityNumber' | 'companyNumber'>): RegisterLink[] {
  const links: RegisterLink[] = [];
  const charity = provider.charityNumber;
  if (charity) {
    const n = encodeURIComponent(charity);
    if (charity.startsWith('SC')) {
      links.push({
        what: 'Charity number',
        number: charity,
        register: 'Scottish Charity Register (OSCR)',
        href: `https://www.oscr.org.uk/about-charities/search-the-register/charity-details?number=${n}`,
      });
    } else if (charity.startsWith('NIC')) {
      links.push({
        what: 'Charity number',
        number: charity,
        register: 'Charity Commission for Northern Ireland register',
        href: `https://www.charitycommissionni.org.uk/charity-details/?regId=${encodeURIComponent(charity.slice(3))}&subId=0`,
      });
    } else {
      links.push({
        what: 'Charity number',
        number: charity,
        register: 'Charity Commission register',
        href: `https://register-of-charities.charitycommission.gov.uk/charity-search/-/charity-details/${n}`,
      });
    }
  }
  if (provider.companyNumber) {
    links.push({
      what: 'Company number',
      number: provider.companyNumber,
      register: 'Companies House',
      href: `https://find-and-update.company-information.service.gov.uk/company/${encodeURIComponent(provider.companyNumber)}`,
    });
  }
  return links;
}

/** A register link as HTML: the number, and where it opens (a new tab, said so in the link). */
function registerLinkHtml(link: RegisterLink): string {
  return `<a class="govuk-link" href="${escapeHtml(link.href)}" target="_blank" rel="noopener noreferrer">${escapeHtml(link.number)}<span class="govuk-visually-hidden">: check it</span> on the ${escapeHtml(link.register)} (opens in new tab)</a>`;
}

/** The cell of one kind of number: its register link, or "None given". */
function numberCell(provider: Provider, what: string): { html: string } | { text: string } {
  const link = registerLinks(provider).find((l) => l.what === what);
  return link ? { html: registerLinkHtml(link) } : { text: 'None given' };
}

/** The provider id of a page's address; anything else is a page that does not exist. */
function providerIdOf(request: PageRequest): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No organisation at this address.');
  return id.data;
}

/** The version the admin looked at, from the form's hidden field (none when absent or not a number). */
function seenVersionOf(request: PageRequest): number | undefined {
  const value = Number(request.form.get('version'));
  return Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

const STATUS_TAGS: Record<Provider['status'], { text: string; classes: string }> = {
  pending: { text: 'Waiting for verification', classes: 'govuk-tag--yellow' },
  verified: { text: 'Verified', classes: 'govuk-tag--green' },
  rejected: { text: 'Rejected', classes: 'govuk-tag--red' },
};

/** The breadcrumbs of every page here: the admin's account, then the queue. */
function breadcrumbs(provider?: { id: string; name: string }) {
  const crumbs = [
    { text: 'Your account', href: '/your-account' },
    { text: 'Verification queue', href: QUEUE },
  ];
  if (provider) crumbs.push({ text: provider.name, href: `${QUEUE}/${provider.id}` });
  return crumbs;
}

/**
 * The success banner after a decision (`?verified=<id>` or `?rejected=<id>`): the provider's name read
 * through the use case, and only when the registration is in the state the banner announces, so a
 * hand-made address announces nothing.
 */
async function decisionBanner(
  request: PageRequest,
): Promise<{ decided: string; heading: string; text: string } | undefined> {
  const verified = ulidSchema.safeParse(request.query.verified);
  const rejected = ulidSchema.safeParse(request.query.rejected);
  const id = verified.success ? verified.data : rejected.success ? rejected.data : undefined;
  if (!id) return undefined;
  let profile: ProviderProfile;
  try {
    profile = await reviewProvider(repositories(), request.principal, id);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
  if (verified.success && profile.status === 'verified') {
    return {
      decided: id,
      heading: `${profile.name} is verified`,
      text: 'It is listed in the directory, can take part in competitions, and its members have been told.',
    };
  }
  if (rejected.success && profile.status === 'rejected') {
    return {
      decided: id,
      heading: `${profile.name} is rejected`,
      text: 'Its members have been told why. It comes back to this queue when its owners correct their details.',
    };
  }
  return undefined;
}

/** `GET /admin/providers`: the queue, longest waiting first. */
async function queuePage(request: PageRequest) {
  requireSession(request);
  const parsed = pageQuerySchema.safeParse({
    limit: request.query.limit ?? PAGE_SIZE,
    ...(request.query.cursor ? { cursor: request.query.cursor } : {}),
  });
  // A hand-edited limit shows the first page of the usual size rather than an error.
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  const page = await listVerificationQueue(repositories(), request.principal, query);
  const banner = await decisionBanner(request);
  const rows = page.items
    // The queue is an index, which can trail the decision just made by a moment: it is not shown again.
    .filter((provider) => provider.id !== banner?.decided)
    .map((provider) => [
      {
        html: `<a class="govuk-link" href="${QUEUE}/${escapeHtml(provider.id)}">${escapeHtml(provider.name)}</a>${provider.resubmittedAt ? '<br><strong class="govuk-tag govuk-tag--blue">Corrected after a rejection</strong>' : ''}`,
      },
      { text: govukDate(waitingSince(provider)) },
      { text: label(provider.legalForm) },
      numberCell(provider, 'Charity number'),
      numberCell(provider, 'Company number'),
    ]);
  const kept: Record<string, string> = query.limit !== PAGE_SIZE ? { limit: String(query.limit) } : {};
  return render(request, 'oversight/admin-providers.njk', {
    title: 'Verification queue',
    section: 'account',
    breadcrumbs: breadcrumbs().slice(0, 1),
    banner,
    rows,
    firstPage: !query.cursor,
    pagination: forwardPagination(QUEUE, kept, query.cursor, page.nextCursor),
  });
}

/** The summary-list rows of a registration, numbers linked to their registers. */
function profileRows(profile: ProviderProfile) {
  const row = (key: string, value: { text: string } | { html: string }) => ({ key: { text: key }, value });
  const text = (value: string | undefined) => ({ text: value || 'Not given' });
  const owners = profile.members.filter((m) => m.role === 'owner').map((m) => m.sub);
  return [
    row('Status', {
      html: `<strong class="govuk-tag ${STATUS_TAGS[profile.status].classes}">${STATUS_TAGS[profile.status].text}</strong>`,
    }),
    row('Legal form', text(label(profile.legalForm))),
    row('Charity number', numberCell(profile, 'Charity number')),
    row('Company number', numberCell(profile, 'Company number')),
    row('Sector', text(label(profile.sector))),
    row('Size', text(label(profile.size))),
    row('Regions', text(profile.regions.map(label).join(', '))),
    row('Services', text(profile.services.map(label).join(', '))),
    row('Description', text(profile.description)),
    row(
      'Contact',
      text(
        `${profile.contact.name}, ${profile.contact.email}${profile.contact.phone ? `, ${profile.contact.phone}` : ''}`,
      ),
    ),
    row('Website', text(profile.website)),
    row('Registered', text(govukDateTime(profile.createdAt))),
    ...(profile.resubmittedAt
      ? [row('Corrected and sent back', text(govukDateTime(profile.resubmittedAt)))]
      : []),
    row('Owners', text(owners.join(', '))),
  ];
}

/** The latest rejection, as the review pages word it. */
function rejectionView(profile: ProviderProfile) {
  if (!profile.rejection) return undefined;
  return {
    current: profile.status === 'rejected',
    reason: profile.rejection.reason,
    when: govukDateTime(profile.rejection.rejectedAt),
    by: profile.rejection.rejectedBy,
  };
}

/** `GET /admin/providers/{id}`: one registration, and what can be decided on it. */
async function providerPage(request: PageRequest) {
  requireSession(request);
  const profile = await reviewProvider(repositories(), request.principal, providerIdOf(request));
  return render(request, 'oversight/admin-provider.njk', {
    title: `Check a registration: ${profile.name}`,
    section: 'account',
    breadcrumbs: breadcrumbs(),
    provider: profile,
    rows: profileRows(profile),
    rejection: rejectionView(profile),
    verifiedOn: profile.verifiedAt ? govukDateTime(profile.verifiedAt) : undefined,
    pending: profile.status === 'pending',
  });
}

/** `GET /admin/providers/{id}/verify`: what verifying does, and the button. */
async function verifyPage(request: PageRequest) {
  requireSession(request);
  const profile = await reviewForDecision(repositories(), request.principal, providerIdOf(request), 'verify');
  return render(request, 'oversight/admin-provider-verify.njk', {
    title: `Verify ${profile.name}`,
    section: 'account',
    breadcrumbs: breadcrumbs(profile),
    provider: profile,
    links: registerLinks(profile).map((link) => ({ ...link, html: registerLinkHtml(link) })),
  });
}

/** `POST /admin/providers/{id}/verify`. */
async function verify(request: PageRequest) {
  requireSession(request);
  const id = providerIdOf(request);
  await verifyProvider(repositories(), request.principal, id, request.now, {
    seenVersion: seenVersionOf(request),
  });
  return redirect(`${QUEUE}?verified=${id}`);
}

/** Renders the reject form, with what was typed and its problems. */
async function renderReject(request: PageRequest, id: string, reason = '', issues: FieldIssue[] = []) {
  const profile = await reviewForDecision(repositories(), request.principal, id, 'reject');
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    'oversight/admin-provider-reject.njk',
    {
      title: `Reject ${profile.name}`,
      section: 'account',
      breadcrumbs: breadcrumbs(profile),
      provider: profile,
      // The version shown with the form, or the one the admin saw when the form came back with errors.
      version: seenVersionOf(request) ?? profile.version,
      maxReason: REJECTION_REASON_MAX,
      values: { reason },
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /admin/providers/{id}/reject`. */
async function rejectPage(request: PageRequest) {
  requireSession(request);
  return renderReject(request, providerIdOf(request));
}

/** `POST /admin/providers/{id}/reject`: the reason checked as the API checks it; nothing written if bad. */
async function reject(request: PageRequest) {
  requireSession(request);
  const id = providerIdOf(request);
  const typed = request.form.get('reason') ?? '';
  const parsed = rejectProviderBody.safeParse({ reason: typed });
  if (!parsed.success) return renderReject(request, id, typed, issuesOf(parsed));
  await rejectProvider(repositories(), request.principal, id, parsed.data.reason, request.now, {
    seenVersion: seenVersionOf(request),
  });
  return redirect(`${QUEUE}?rejected=${id}`);
}

/** This group's pages by route key. */
export const adminProviderPages: PageMap = {
  'GET /admin/providers': queuePage,
  'GET /admin/providers/{id}': providerPage,
  'GET /admin/providers/{id}/verify': verifyPage,
  'POST /admin/providers/{id}/verify': verify,
  'GET /admin/providers/{id}/reject': rejectPage,
  'POST /admin/providers/{id}/reject': reject,
};
