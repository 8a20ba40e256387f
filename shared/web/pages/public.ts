/**
 * Pages anyone may see: the start page, the directory and a provider's public page, opportunities and a
 * competition's public page. They call the same use cases as the JSON routes.
 */
import { config } from '../../config';
import { providerData } from '../../db/provider-data';
import {
  auditRepository,
  bidRepository,
  competitionRepository,
  documentRepository,
  membershipRepository,
  partnershipRepository,
  prequalificationRepository,
  providerRepository,
  questionRepository,
} from '../../db/repositories';
import { opportunityClosesAt, type PublicCompetition } from '../../domain/competitions';
import { NotFoundError } from '../../domain/errors';
import { pageQuerySchema, ulidSchema } from '../../http/schemas/common';
import { competitionSchemas } from '../../http/schemas/competitions';
import { directoryQuery } from '../../http/schemas/providers';
import { documentStorage } from '../../storage/documents';
import { listOpportunities } from '../../use-cases/competitions/opportunities';
import { getPublishedCompetition } from '../../use-cases/competitions/published-competition';
import { listPublishedDocuments } from '../../use-cases/documents/list-documents';
import { getPublicProvider } from '../../use-cases/get-public-provider';
import { listPublishedAnswers } from '../../use-cases/questions/read-questions';
import { searchDirectory } from '../../use-cases/search-directory';
import { opportunityViewer } from '../../use-cases/tenders/opportunity-viewer';
import {
  CHOICES,
  DEADLINE_NAMES,
  escapeHtml,
  govukDate,
  govukDateTime,
  label,
  PREQUALIFICATION_TIER,
  pounds,
  statusTag,
  suitableForText,
  tierName,
} from '../labels';
import { type PageRequest, render } from '../page';
import { answersSection } from './clarification-answers';
import { opportunityActions } from './provider/opportunity-actions';
import { documentViews } from './tender-documents';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    providers: providerRepository(),
    competitions: competitionRepository(),
    questions: questionRepository(),
    documents: documentRepository(),
  };
}

const PAGE_SIZE = 20;
const opportunitiesQuery = competitionSchemas['GET /opportunities'].query;

/** Keeps only the filters the schema accepts: a hand-edited URL shows everything rather than an error. */
function filters(query: PageRequest['query'], names: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of names) {
    const value = query[name];
    if (value) kept[name] = value;
  }
  return kept;
}

/**
 * GOV.UK pagination for cursor pages. With a `previous` cursor (the directory pages both ways) "Previous"
 * goes to the page before; without one (a list that only pages forwards) it goes back to the first page.
 */
function pagination(
  path: string,
  kept: Record<string, string>,
  cursor: string | undefined,
  next: string | null,
  previous?: string | null,
) {
  const link = (extra: Record<string, string>) => {
    const query = new URLSearchParams({ ...kept, ...extra }).toString();
    return query ? `${path}?${query}` : path;
  };
  const before =
    previous === undefined
      ? cursor
        ? { href: link({}), text: 'First page' }
        : undefined
      : previous
        ? { href: link({ before: previous }), text: 'Previous' }
        : undefined;
  if (!before && !next) return undefined;
  return {
    ...(before ? { previous: before } : {}),
    ...(next ? { next: { href: link({ cursor: next }), text: 'Next' } } : {}),
  };
}

/** A website address as a link, only when it is http(s): anything else is shown as text, never linked. */
export function websiteLink(website: string | null | undefined): { href: string; text: string } | undefined {
  if (!website) return undefined;
  try {
    const url = new URL(website);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return { href: url.href, text: website.replace(/^https?:\/\//, '').replace(/\/$/, '') };
  } catch {
    return undefined;
  }
}

/** A link to another site: told to screen readers, opened without giving that site a handle on ours. */
function externalLink(link: { href: string; text: string }): string {
  return `<a class="govuk-link" href="${escapeHtml(link.href)}" rel="noopener noreferrer external">${escapeHtml(link.text)}</a>`;
}

/** `GET /`. */
export async function startPage(request: PageRequest) {
  return render(request, 'start.njk', { title: 'Join the offender services provider network' });
}

/** `GET /find-a-provider`: the directory with region, service, sector and size filters. */
export async function directoryPage(request: PageRequest) {
  const kept = filters(request.query, ['region', 'service', 'sector', 'size']);
  // One direction at a time: a hand-edited URL with both pages forwards.
  const position = request.query.cursor
    ? { cursor: request.query.cursor }
    : request.query.before
      ? { before: request.query.before }
      : {};
  const parsed = directoryQuery.safeParse({ ...kept, ...position, limit: PAGE_SIZE });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  const page = await searchDirectory(repositories(), query);
  const items = page.items.map((item) => ({ ...item, websiteLink: websiteLink(item.website) }));
  return render(request, 'directory.njk', {
    title: 'Find a provider',
    section: 'providers',
    choices: CHOICES,
    query: kept,
    filtered: Object.keys(kept).length > 0,
    items,
    total: page.total,
    pagination: pagination('/find-a-provider', kept, query.cursor, page.nextCursor, page.previousCursor),
  });
}

/**
 * `GET /find-a-provider/{id}`: only what the directory lists (no contact details, numbers or members), and
 * only for verified providers: a pending one does not exist as far as the public is concerned.
 */
export async function providerPage(request: PageRequest) {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No provider is listed at this address.');
  const listing = await getPublicProvider(repositories(), id.data);
  const website = websiteLink(listing.website);
  const rows = [
    { key: { text: 'Sector' }, value: { text: label(listing.sector) } },
    { key: { text: 'Size' }, value: { text: label(listing.size) } },
    { key: { text: 'Regions' }, value: { text: listing.regions.map(label).join(', ') } },
    { key: { text: 'Services' }, value: { text: listing.services.map(label).join(', ') } },
    ...(website ? [{ key: { text: 'Website' }, value: { html: externalLink(website) } }] : []),
  ];
  return render(request, 'provider.njk', {
    title: listing.name,
    section: 'providers',
    provider: listing,
    rows,
    backLink: '/find-a-provider',
  });
}

/** `GET /find-an-opportunity`. */
export async function opportunitiesPage(request: PageRequest) {
  const kept = filters(request.query, ['region', 'service']);
  const parsed = opportunitiesQuery.safeParse({ ...kept, cursor: request.query.cursor, limit: PAGE_SIZE });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  const page = await listOpportunities(repositories(), query, request.now);
  const rows = page.items.map((item) => [
    {
      html: `<a class="govuk-link" href="/find-an-opportunity/${encodeURIComponent(item.id)}">${escapeHtml(item.title)}</a>`,
    },
    { text: pounds(item.estimatedValuePence) },
    { text: `${item.termMonths} months` },
    { text: tierName(item.prequalificationTier) },
    {
      text: `${item.prequalificationTier === 'none' ? DEADLINE_NAMES.tender : DEADLINE_NAMES.prequalification} ${govukDateTime(item.closesAt)}`,
    },
  ]);
  return render(request, 'opportunities.njk', {
    title: 'Find an opportunity',
    section: 'opportunities',
    choices: CHOICES,
    query: kept,
    rows,
    pagination: pagination('/find-an-opportunity', kept, request.query.cursor, page.nextCursor),
  });
}

/** `GET /find-an-opportunity/{id}`: always the public view, whoever is signed in (no inside information here). */
export async function opportunityPage(request: PageRequest) {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No opportunity is published at this address.');
  const competition = await getPublishedCompetition(repositories(), id.data, request.now);
  const tag = statusTag(competition.status);
  const tier = PREQUALIFICATION_TIER[competition.prequalificationTier];
  const rows = [
    {
      key: { text: 'Status' },
      value: { html: `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>` },
    },
    { key: { text: 'Estimated value' }, value: { text: pounds(competition.estimatedValuePence) } },
    { key: { text: 'Term' }, value: { text: `${competition.termMonths} months` } },
    { key: { text: 'Regions' }, value: { text: competition.regions.map(label).join(', ') } },
    { key: { text: 'Services' }, value: { text: competition.services.map(label).join(', ') } },
    // Only when the commissioner said (issue 17): no row rather than a guess.
    ...(competition.suitableFor?.length
      ? [{ key: { text: 'Suitable for' }, value: { text: suitableForText(competition.suitableFor) } }]
      : []),
    { key: { text: 'Pre-qualification' }, value: { text: tier.explanation } },
    ...(competition.prequalificationTier !== 'none' && competition.prequalificationDeadline
      ? [
          {
            key: { text: DEADLINE_NAMES.prequalification },
            value: { text: govukDateTime(competition.prequalificationDeadline) },
          },
        ]
      : []),
    { key: { text: DEADLINE_NAMES.tender }, value: { text: govukDateTime(competition.tenderDeadline) } },
    // For quoting to the commissioner; what the API asks for is in "Sending … through the API" below.
    { key: { text: 'Reference' }, value: { text: competition.id, classes: 'govuk-!-text-break-word' } },
  ];
  // Published clarification answers (issue 15): public, in the order published, never with who asked.
  const answersCursor = pageQuerySchema.shape.cursor.safeParse(request.query.answers);
  const answers = await listPublishedAnswers(repositories(), competition.id, {
    limit: 100,
    cursor: answersCursor.success ? answersCursor.data : undefined,
  });
  // Tender documents (issue 15): the current version of each with its earlier ones, presigned downloads.
  // The competition read above is passed on, not read again.
  const documents = documentViews(
    await listPublishedDocuments(
      { ...repositories(), storage: documentStorage() },
      competition,
      request.now,
      config().documents,
    ),
  );
  return render(request, 'opportunity.njk', {
    title: competition.title,
    documents,
    award: awardSentence(competition),
    section: 'opportunities',
    competition,
    rows,
    answers: answersSection(
      competition,
      answers,
      `/find-an-opportunity/${competition.id}`,
      request.now,
      config().rules,
    ),
    next: nextSteps(competition, request.now),
    actions: await viewerActions(request, competition),
    backLink: '/find-an-opportunity',
  });
}

/**
 * "Awarded to X for £Y on 3 March 2027": once the award is confirmed, the only time the public view carries
 * it (`publicView`: during standstill the decision is the bidders' business, and the ranking, scores and
 * other bidders are never public). Undefined before.
 */
export function awardSentence(competition: Pick<PublicCompetition, 'award'>): string | undefined {
  const { award } = competition;
  if (!award) return undefined;
  return `Awarded to ${award.providerName} for ${pounds(award.valuePence)} on ${govukDate(award.awardedAt)}.`;
}

/**
 * The actions the viewer may take on an opportunity now (apply, bid, ask a question; or sign in, register;
 * or see their own application or bid). The viewer's organisations are those the page header's lookup read
 * (not read again), with what each did in the competition (one Query of one item each, through that
 * organisation's provider data access), and the competition's record (for the shortlist, which the public
 * view leaves out) only while the shortlisted are tendering.
 */
async function viewerActions(request: PageRequest, competition: PublicCompetition) {
  const signedIn = request.session !== undefined;
  const viewer =
    signedIn && request.memberOfOrganisation
      ? await opportunityViewer(
          {
            memberships: membershipRepository(),
            competitions: competitionRepository(),
            providerData: providerData(() => ({
              bids: bidRepository(),
              prequalification: prequalificationRepository(),
              partnerships: partnershipRepository(),
              audit: auditRepository(),
            })),
          },
          request.principal,
          competition,
          { memberships: request.memberships },
        )
      : { providerIds: [], ownedProviderIds: [], shortlisted: [], takingPart: [] };
  return opportunityActions(
    { ...competition, shortlist: viewer.shortlisted },
    {
      signedIn,
      providerIds: viewer.providerIds,
      ownedProviderIds: viewer.ownedProviderIds,
      takingPart: viewer.takingPart,
    },
    request.now,
  );
}

/**
 * What a provider can do about an opportunity now, in words for a small charity: who may take part, what
 * to have in place (with links to the pages that do it) and by when. Nothing about the API: the page keeps
 * that in a collapsed "Sending … through the API" section at its foot. Steps are HTML: static words and
 * links, with only dates (escaped) filled in.
 */
export function nextSteps(
  competition: Pick<
    PublicCompetition,
    'id' | 'status' | 'prequalificationTier' | 'prequalificationDeadline' | 'tenderDeadline'
  >,
  now: Date,
): { open: boolean; heading: string; paragraphs: string[]; steps: string[] } {
  const direct = competition.prequalificationTier === 'none';
  const closes = opportunityClosesAt(competition);
  const closesAt = govukDateTime(closes);
  const open =
    competition.status === (direct ? 'tendering' : 'prequalification') && now.getTime() < Date.parse(closes);
  if (!open) {
    const said: Partial<Record<PublicCompetition['status'], string>> = {
      shortlisting:
        'Pre-qualification has closed: the commissioner is choosing which applicants to invite to tender. Only invited providers may bid.',
      tendering: `Pre-qualification has closed. Only the providers invited to tender may bid, until tenders close on ${govukDateTime(competition.tenderDeadline)}.`,
      evaluation: 'Tenders have closed and are being evaluated.',
      standstill: 'The award decision has been made.',
      awarded: 'The contract has been awarded.',
      cancelled: 'This competition was cancelled.',
    };
    return {
      open: false,
      heading: 'This opportunity is closed to new providers',
      paragraphs: [said[competition.status] ?? 'New providers cannot take part.'],
      steps: [],
    };
  }
  const when = escapeHtml(closesAt);
  return {
    open: true,
    heading: 'How to take part',
    paragraphs: [
      direct
        ? `${PREQUALIFICATION_TIER.none.explanation} Tenders close on ${closesAt}.`
        : `Any verified provider may apply by answering the pre-qualification questionnaire before pre-qualification closes on ${closesAt}. The commissioner then invites some applicants to tender: only they may bid.`,
    ],
    steps: [
      '<a class="govuk-link" href="/register-organisation">Register your organisation</a>, if you have not already.',
      'Wait for an administrator to verify it. You will see this in your organisation’s notifications.',
      `Give your accreditation from <a class="govuk-link" href="/your-organisation">your organisation</a>’s page: your exclusion grounds, turnover, insurance and policies. You give it once and reuse it for 12 months${direct ? '' : ', and it answers most of the questionnaire for you'}.`,
      direct
        ? `Send your bid before tenders close on ${when}.`
        : `Send your pre-qualification response before pre-qualification closes on ${when}.`,
    ],
  };
}

// Kept here too for the pages that import it from this module.
