/**
 * "Your competitions" (`GET /commissioning`): the competitions the signed-in user leads or sits on the panel
 * of (every competition for auditors and admins), with their status, the user's role and what is waiting for
 * them, a page at a time. The same use case as `GET /me/competitions`: the policy module decides who has a
 * workspace (anyone else gets the 403 page) and what it lists, and whether to offer "Create a competition".
 */
import { competitionRepository } from '../../../db/repositories';
import { assertCanUseWorkspace, canCreateCompetition } from '../../../domain/policy';
import { competitionSchemas } from '../../../http/schemas/competitions';
import {
  listYourCompetitions,
  type YourCompetition,
} from '../../../use-cases/competitions/your-competitions';
import { escapeHtml } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { statusTag } from './common';

/** Competitions a page lists. */
export const PAGE_SIZE = 25;

const listQuery = competitionSchemas['GET /me/competitions'].query;

/** The roles as words: "Lead and evaluator"; "Oversight" for a competition overseen without a seat. */
export function rolesText(roles: YourCompetition['roles']): string {
  if (roles.length === 0) return 'Oversight';
  const words = roles.map((role) => (role === 'lead' ? 'lead commissioner' : role));
  const text = words.length > 1 ? `${words.slice(0, -1).join(', ')} and ${words.at(-1)}` : (words[0] ?? '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

/** One table row: the title linking to the task list, the status tag, the role, what is waiting. */
function row(item: YourCompetition) {
  const tag = statusTag(item.status);
  return [
    {
      html: `<a class="govuk-link" href="/commissioning/${encodeURIComponent(item.id)}">${escapeHtml(item.title)}</a>`,
    },
    { html: `<strong class="govuk-tag ${tag.classes}">${escapeHtml(tag.text)}</strong>` },
    { text: rolesText(item.roles) },
    { text: item.whatIsWaiting ?? 'Nothing for you now' },
  ];
}

/**
 * GOV.UK pagination for a list that pages forwards with a cursor: "Next", and "First page" once past it.
 */
function pagination(cursor: string | undefined, next: string | null) {
  if (!cursor && !next) return undefined;
  return {
    ...(cursor ? { previous: { href: '/commissioning', text: 'First page' } } : {}),
    ...(next ? { next: { href: `/commissioning?cursor=${encodeURIComponent(next)}`, text: 'Next' } } : {}),
  };
}

/** `GET /commissioning`. */
async function competitionsPage(request: PageRequest) {
  requireSession(request);
  // The route's own query schema. A hand-edited cursor of the wrong shape shows the first page; one of the
  // right shape that is not this list's is refused by the use case (the 400 page), as the route refuses it.
  const parsed = listQuery.safeParse({ limit: PAGE_SIZE, cursor: request.query.cursor });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE, cursor: undefined };
  const page = await listYourCompetitions(
    { competitions: competitionRepository() },
    request.principal,
    query,
    request.now,
  );
  return render(request, 'commissioning/competitions.njk', {
    title: 'Your competitions',
    section: 'commissioning',
    breadcrumbs: [{ text: 'Home', href: '/' }],
    rows: page.items.map(row),
    canCreate: canCreateCompetition(request.principal),
    // The use case has let the user in; the policy says which competitions it listed, for the wording.
    oversight: assertCanUseWorkspace(request.principal) === 'every-competition',
    pagination: pagination(query.cursor, page.nextCursor),
    laterPage: query.cursor !== undefined,
  });
}

/** This group's pages by route key. */
export const competitionListPages: PageMap = {
  'GET /commissioning': competitionsPage,
};
