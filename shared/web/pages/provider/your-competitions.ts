/**
 * "Your competitions" for providers (`GET /your-competitions`): the competitions the signed-in user's
 * organisations take part in, newest first, each with where it stands, what to do next and the deadline
 * that matters, in plain words ("closes in 3 days, on 12 December 2026 at 5pm"), a page at a time. An
 * organisation that agreed to be part of another's bid (a consortium member or sub-contractor) has a row for
 * that, saying whose bid and what happens next, and nothing of that bid.
 */
import { deadlineInWords } from '../../../domain/deadlines';
import { pageQuerySchema } from '../../../http/schemas/common';
import {
  type CompetitionTakingPart,
  listCompetitionsTakingPart,
} from '../../../use-cases/tenders/taking-part';
import { escapeHtml } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { providerCompetitionDeps, tagClasses } from './common';

/** Competitions a page lists. */
export const PAGE_SIZE = 25;

/** One summary card's rows: the organisation, where it stands, the deadline, what to do next. */
function card(item: CompetitionTakingPart, now: Date) {
  const { standing } = item;
  const next = standing.nextHref
    ? `<a class="govuk-link" href="${escapeHtml(standing.nextHref)}">${escapeHtml(standing.next)}<span class="govuk-visually-hidden"> – ${escapeHtml(item.title)}</span></a>`
    : escapeHtml(standing.next);
  return {
    card: {
      title: { text: item.title },
      actions: {
        items: [
          {
            href: `/find-an-opportunity/${encodeURIComponent(item.competitionId)}`,
            text: 'View the opportunity',
            visuallyHiddenText: item.title,
          },
        ],
      },
    },
    rows: [
      { key: { text: 'Organisation' }, value: { text: item.providerName } },
      {
        key: { text: 'Status' },
        value: {
          html: `<strong class="govuk-tag ${tagClasses(standing.colour)}">${escapeHtml(standing.status)}</strong>`,
        },
      },
      ...(standing.deadline
        ? [
            {
              key: { text: 'Deadline' },
              value: { text: capitalise(deadlineInWords(standing.deadline.at, now, standing.deadline.verb)) },
            },
          ]
        : []),
      { key: { text: 'What to do next' }, value: { html: next } },
    ],
  };
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** GOV.UK pagination for a list that pages forwards with a cursor. */
function pagination(cursor: string | undefined, next: string | null) {
  if (!cursor && !next) return undefined;
  return {
    ...(cursor ? { previous: { href: '/your-competitions', text: 'First page' } } : {}),
    ...(next
      ? { next: { href: `/your-competitions?cursor=${encodeURIComponent(next)}`, text: 'Next' } }
      : {}),
  };
}

/** `GET /your-competitions`. */
async function yourCompetitionsPage(request: PageRequest) {
  requireSession(request);
  // A hand-edited cursor of the wrong shape shows the first page; one of the right shape that is not this
  // user's list is refused by the use case (the 400 page).
  const parsed = pageQuerySchema.safeParse({ limit: PAGE_SIZE, cursor: request.query.cursor });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE, cursor: undefined };
  const page = await listCompetitionsTakingPart(
    providerCompetitionDeps(),
    request.principal,
    query,
    request.now,
  );
  return render(request, 'provider/your-competitions.njk', {
    title: 'Your competitions',
    section: 'competitions',
    breadcrumbs: [{ text: 'Home', href: '/' }],
    cards: page.items.map((item) => card(item, request.now)),
    pagination: pagination(query.cursor, page.nextCursor),
    laterPage: query.cursor !== undefined,
  });
}

/** This group's pages by route key. */
export const yourCompetitionsPages: PageMap = {
  'GET /your-competitions': yourCompetitionsPage,
};
