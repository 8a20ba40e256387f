/**
 * Pages anyone may see: the start page, the directory and a provider's public page, opportunities and a
 * competition's public page. They call the same use cases as the JSON routes.
 */
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  providerRepository,
} from '../../db/repositories';
import { NotFoundError } from '../../domain/errors';
import { ANONYMOUS } from '../../domain/principal';
import { toDirectoryListing } from '../../domain/providers';
import { ulidSchema } from '../../http/schemas/common';
import { competitionSchemas } from '../../http/schemas/competitions';
import { directoryQuery } from '../../http/schemas/providers';
import { getCompetition } from '../../use-cases/competitions/get-competition';
import { listOpportunities } from '../../use-cases/competitions/opportunities';
import { searchDirectory } from '../../use-cases/search-directory';
import { CHOICES, govukDate, label, pounds } from '../labels';
import { type PageRequest, render } from '../page';

/** The repositories this module's use cases need, and no others: a smaller bundle. */
function repositories() {
  return {
    providers: providerRepository(),
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
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

/** GOV.UK pagination for cursor pages: back to the first page, and on to the next. */
function pagination(
  path: string,
  kept: Record<string, string>,
  cursor: string | undefined,
  next: string | null,
) {
  const link = (extra: Record<string, string>) => `${path}?${new URLSearchParams({ ...kept, ...extra })}`;
  if (!cursor && !next) return undefined;
  return {
    ...(cursor ? { previous: { href: link({}), text: 'First page' } } : {}),
    ...(next ? { next: { href: link({ cursor: next }), text: 'Next page' } } : {}),
  };
}

/** `GET /`. */
export async function startPage(request: PageRequest) {
  return render(request, 'start.njk', { title: 'Join the offender services provider network' });
}

/** `GET /find-a-provider`: the directory with region, service, sector and size filters. */
export async function directoryPage(request: PageRequest) {
  const kept = filters(request.query, ['region', 'service', 'sector', 'size']);
  const parsed = directoryQuery.safeParse({ ...kept, cursor: request.query.cursor, limit: PAGE_SIZE });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE };
  const page = await searchDirectory(repositories(), query);
  return render(request, 'directory.njk', {
    title: 'Find a provider',
    section: 'providers',
    choices: CHOICES,
    query: kept,
    items: page.items,
    pagination: pagination('/find-a-provider', kept, request.query.cursor, page.nextCursor),
  });
}

/**
 * `GET /find-a-provider/{id}`: only what the directory lists (no contact details, numbers or members), and
 * only for verified providers: a pending one does not exist as far as the public is concerned.
 */
export async function providerPage(request: PageRequest) {
  const id = ulidSchema.safeParse(request.params.id);
  const provider = id.success ? await repositories().providers.get(id.data) : undefined;
  if (provider?.status !== 'verified') throw new NotFoundError('No provider is listed at this address.');
  const listing = toDirectoryListing(provider);
  const rows = [
    { key: { text: 'Sector' }, value: { text: label(listing.sector) } },
    { key: { text: 'Size' }, value: { text: label(listing.size) } },
    { key: { text: 'Regions' }, value: { text: listing.regions.map(label).join(', ') } },
    { key: { text: 'Services' }, value: { text: listing.services.map(label).join(', ') } },
    ...(listing.website ? [{ key: { text: 'Website' }, value: { text: listing.website } }] : []),
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
    { text: govukDate(item.closesAt) },
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
  const competition = await getCompetition(repositories(), ANONYMOUS, id.data, request.now);
  const rows = [
    { key: { text: 'Status' }, value: { text: label(competition.status) } },
    { key: { text: 'Estimated value' }, value: { text: pounds(competition.estimatedValuePence) } },
    { key: { text: 'Term' }, value: { text: `${competition.termMonths} months` } },
    { key: { text: 'Regions' }, value: { text: competition.regions.map(label).join(', ') } },
    { key: { text: 'Services' }, value: { text: competition.services.map(label).join(', ') } },
    { key: { text: 'Pre-qualification' }, value: { text: label(competition.prequalificationTier) } },
    ...(competition.prequalificationDeadline
      ? [
          {
            key: { text: 'Pre-qualification deadline' },
            value: { text: govukDate(competition.prequalificationDeadline) },
          },
        ]
      : []),
    { key: { text: 'Tender deadline' }, value: { text: govukDate(competition.tenderDeadline) } },
  ];
  return render(request, 'opportunity.njk', {
    title: competition.title,
    section: 'opportunities',
    competition,
    rows,
    backLink: '/find-an-opportunity',
  });
}

/** Escapes text for the few places a GOV.UK macro takes `html` (a link inside a table cell). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
