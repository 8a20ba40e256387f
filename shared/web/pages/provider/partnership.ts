/**
 * `GET|POST /your-competitions/{id}/partnership`: an owner of a verified provider agrees that it may be
 * named in another organisation's bid or pre-qualification application (as a consortium member or
 * sub-contractor) – the web side of `POST /competitions/{id}/partnerships`.
 *
 * GET says what agreeing means (it connects the organisation to the competition, which puts its members
 * outside the wall, and cannot be undone) and which lead organisation names it, when the link carries the
 * lead's id (`?lead=…&role=…`, as the consortium page of the lead's application gives it). POST agrees
 * through `agreeToBeNamed`, the JSON route's use case, choosing which organisation when the user owns
 * several; then the page shows the agreement as a confirmation. Served by the bidding function, whose
 * provider data role (`bidder`) reaches the partner's own agreement items, as the JSON `tenders` function.
 */
import { DomainError, type FieldIssue } from '../../../domain/errors';
import { PARTNER_ROLES, type PartnerRole } from '../../../domain/partnerships';
import { ulidSchema } from '../../../http/schemas/common';
import { partnershipBody } from '../../../http/schemas/partnerships';
import {
  agreeToBeNamed,
  type PartnershipOffer,
  partnershipOffer,
} from '../../../use-cases/tenders/partnerships';
import { formErrors, issuesFromError, issuesOf } from '../../forms';
import { govukDateTime } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionIdOf, providerBreadcrumbs, providerCompetitionDeps } from './common';

/** The parts as the page names them. */
const ROLE_LABELS: Record<PartnerRole, string> = {
  'consortium-member': 'A member of their consortium',
  subcontractor: 'A sub-contractor in their bid',
};

/** What the form holds (as typed or as the link gave it). */
interface AgreementForm {
  providerId: string;
  lead: string;
  role: string;
}

/** A lead id from the link, only when it is a ULID (anything else is as if none was given). */
function leadOf(value: string | undefined): string | undefined {
  const parsed = ulidSchema.safeParse(value?.trim());
  return parsed.success ? parsed.data : undefined;
}

function roleOf(value: string | undefined): string {
  return (PARTNER_ROLES as readonly string[]).includes(value ?? '') ? (value as string) : '';
}

/** Renders the page: the explanation, the organisations and their agreements, and the form. */
function agreementPage(
  request: PageRequest,
  offer: PartnershipOffer,
  values: AgreementForm,
  issues: FieldIssue[] = [],
) {
  const { errorList, errors } = formErrors(issues);
  const verified = offer.organisations.filter((o) => o.verified);
  // Those that may still agree to be named by this lead (all verified ones when no lead is known).
  const mayAgree = verified.filter((o) => !o.agreedAt && o.id !== offer.lead?.id);
  const agreed = verified.filter((o) => o.agreedAt);
  const agreedNow = request.query.agreed
    ? offer.organisations.find((o) => o.id === request.query.agreed && o.agreedAt)
    : undefined;
  const base = `/your-competitions/${encodeURIComponent(offer.competition.id)}`;
  return render(
    request,
    'provider/partnership.njk',
    {
      title: `Agree to be named in a bid: ${offer.competition.title}`,
      section: 'competitions',
      breadcrumbs: providerBreadcrumbs(offer.competition),
      competition: offer.competition,
      action: `${base}/partnership`,
      open: offer.open,
      closedReason: offer.closedReason ?? '',
      lead: offer.lead,
      agreedNow: agreedNow
        ? { name: agreedNow.name, at: govukDateTime(agreedNow.agreedAt as string) }
        : undefined,
      agreed: agreed.map((o) => ({
        name: o.name,
        at: govukDateTime(o.agreedAt as string),
        role: o.role ? ROLE_LABELS[o.role].toLowerCase() : '',
      })),
      unverified: offer.organisations.filter((o) => !o.verified).map((o) => o.name),
      choices: mayAgree.map((o) => ({
        value: o.id,
        text: o.name,
        checked: values.providerId === o.id,
      })),
      roles: PARTNER_ROLES.map((role) => ({
        value: role,
        text: ROLE_LABELS[role],
        checked: values.role === role,
      })),
      values,
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-competitions/{id}/partnership`. */
async function agreementGet(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const lead = leadOf(request.query.lead);
  const offer = await partnershipOffer(providerCompetitionDeps(), request.principal, id, lead, request.now);
  return agreementPage(request, offer, {
    providerId: '',
    lead: lead ?? '',
    role: roleOf(request.query.role),
  });
}

/**
 * `POST /your-competitions/{id}/partnership`: agrees through `agreeToBeNamed`. A form with problems (no
 * organisation or part chosen, a lead id nobody has) is shown again as typed, and nothing is stored; when
 * agreements are no longer taken the page says why. Once agreed, the page shows the agreement.
 */
async function agreementPost(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const values: AgreementForm = {
    providerId: (request.form.get('providerId') ?? '').trim(),
    lead: (request.form.get('lead') ?? '').trim(),
    role: (request.form.get('role') ?? '').trim(),
  };
  const deps = providerCompetitionDeps();
  const parsed = partnershipBody.safeParse({
    providerId: values.providerId,
    bidderId: values.lead,
    role: values.role,
  });
  // The schema's messages suit an API client: a person is told what to choose or enter, field by field.
  const blank: Record<string, string> = {
    providerId: 'Choose the organisation that agrees to be named',
    lead: 'Enter the id of the organisation that names yours, as it is in Find a provider',
    role: 'Choose the part your organisation will play',
  };
  const malformed: Record<string, string> = {
    providerId: 'Choose one of your organisations',
    lead: 'Enter the id exactly as it is in Find a provider: 26 letters and numbers',
    role: 'Choose the part your organisation will play',
  };
  let issues: FieldIssue[] = issuesOf(parsed).map((issue) => {
    const path = issue.path === 'bidderId' ? 'lead' : (issue.path ?? '');
    const typed = values[path as keyof AgreementForm];
    const message = typed === '' ? blank[path] : malformed[path];
    return { ...issue, path, message: message ?? issue.message };
  });
  if (parsed.success) {
    try {
      await agreeToBeNamed(deps, request.principal, id, parsed.data, request.now);
      const query = new URLSearchParams({ lead: parsed.data.bidderId, agreed: parsed.data.providerId });
      return redirect(`/your-competitions/${id}/partnership?${query.toString()}`);
    } catch (error) {
      const reported = issuesFromError(error);
      if (reported)
        issues = reported.map((i) => ({ ...i, path: i.path === 'bidderId' ? 'lead' : (i.path ?? '') }));
      // No longer taken (the deadline passed, shortlisting, cancelled): said at the top of the page.
      else if (
        error instanceof DomainError &&
        (error.code === 'deadline-passed' || error.code === 'invalid-state')
      )
        issues = [{ path: '', message: error.message }];
      else throw error;
    }
  }
  const offer = await partnershipOffer(deps, request.principal, id, leadOf(values.lead), request.now);
  return agreementPage(request, offer, values, issues);
}

/** This group's pages by route key. */
export const partnershipPages: PageMap = {
  'GET /your-competitions/{id}/partnership': agreementGet,
  'POST /your-competitions/{id}/partnership': agreementPost,
};
