/**
 * "Which organisation are you bidding for?" (`GET|POST /your-competitions/{id}/organisation`): a user who
 * belongs to several organisations that may bid in a competition chooses one before the bid pages, as the
 * pre-qualification pages ask which organisation is applying.
 *
 * The choice is kept server-side with the session (a `biddingOrganisation` draft: competition → organisation,
 * the most recent few), never in the address or a cookie, and it is never trusted: `withOrganisationChoice`
 * reads it before each bid page and lets it count only while the policy (`decideBiddingOrganisation`) finds
 * it among the user's organisations that may bid now; the page reads it with `biddingFor` and passes it to
 * the bid use cases, which check it again (an owner to write). A user with one such organisation is never
 * asked: nothing is read beyond the session's draft (no registry or competition read) until the bid use case
 * itself says it cannot tell which organisation is bidding, and only then is the user sent here.
 */
import { sessionDraftRepository } from '../../../db/repositories';
import { type FieldIssue, ValidationError } from '../../../domain/errors';
import { decideBiddingOrganisation } from '../../../domain/policy';
import { ulidSchema } from '../../../http/schemas/common';
import { loadDraft, saveDraft } from '../../../use-cases/sessions/drafts';
import {
  type BiddingOrganisations,
  biddingOrganisations,
} from '../../../use-cases/tenders/bidding-organisation';
import { formErrors } from '../../forms';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import type { Session } from '../../session';
import { competitionIdOf, providerBreadcrumbs, providerCompetitionDeps } from './common';

/** Choices kept at most (the most recent): a session bids in a handful of competitions. */
export const MAX_KEPT_CHOICES = 20;

/** The session's kept choices: competition id → organisation id. */
type Choices = Record<string, string>;

const drafts = () => ({ drafts: sessionDraftRepository() });

/** The choice page's address for a competition, coming back to `returnTo`. */
export function choiceHref(competitionId: string, returnTo: string): string {
  return `/your-competitions/${competitionId}/organisation?${new URLSearchParams({ returnTo }).toString()}`;
}

/**
 * Where to go after choosing: one of this competition's bid pages (or its debrief or challenge), as given,
 * or the bid's task list. Never another site or another competition (the value comes from the address).
 */
export function returnToOf(competitionId: string, value: string | undefined): string {
  const base = `/your-competitions/${competitionId}/`;
  const path = value ?? '';
  return path.startsWith(base) &&
    /^(bid(\/[\w.~%-]{1,200}){0,2}|debrief|challenge)$/.test(path.slice(base.length))
    ? path
    : `${base}bid`;
}

/** The kept choices of the session (none when nothing is kept or it is not of this shape). */
async function keptChoices(session: Session, now: Date): Promise<Choices> {
  const kept = (await loadDraft(drafts(), session, 'biddingOrganisation', now)) as
    | { choices?: unknown }
    | undefined;
  const choices = kept?.choices;
  if (typeof choices !== 'object' || choices === null || Array.isArray(choices)) return {};
  // Ids only: anything else in a kept draft is ignored (it would name nobody anyway).
  return Object.fromEntries(
    Object.entries(choices).filter(
      ([competitionId, providerId]) =>
        ulidSchema.safeParse(competitionId).success && ulidSchema.safeParse(providerId).success,
    ),
  ) as Choices;
}

/** Keeps `providerId` as the session's choice for the competition (the most recent `MAX_KEPT_CHOICES`). */
async function keepChoice(session: Session, competitionId: string, providerId: string, now: Date) {
  const choices = await keptChoices(session, now);
  delete choices[competitionId];
  const recent = Object.entries(choices).slice(-(MAX_KEPT_CHOICES - 1));
  await saveDraft(
    drafts(),
    session,
    'biddingOrganisation',
    { choices: Object.fromEntries([...recent, [competitionId, providerId]]) },
    now,
  );
}

/** The organisation a request acts for, as `withOrganisationChoice` checked it, named for the page. */
export interface BiddingChoice {
  providerId: string;
  name: string;
  /** How many organisations the user may bid for here: the page offers to change only when several. */
  candidates: number;
}

/** The organisation each wrapped request acts for, once `withOrganisationChoice` has checked it. */
const acting = new WeakMap<PageRequest, BiddingChoice>();

/**
 * The organisation the user chose to bid for in this request's competition, checked against their
 * memberships by the policy for this request; undefined when none was chosen (the bid use case then takes
 * their only organisation that may bid). Only for pages wrapped by `withOrganisationChoice`.
 */
export function biddingFor(request: PageRequest): string | undefined {
  return acting.get(request)?.providerId;
}

/**
 * The checked choice with the organisation's name and how many the user could have chosen from (read by
 * the wrapper already, so naming it costs the page nothing); undefined when none was chosen.
 */
export function biddingChoice(request: PageRequest): BiddingChoice | undefined {
  return acting.get(request);
}

/** Whether the bid use case refused because the user may bid for several organisations and named none. */
function cannotTellWhichOrganisation(error: unknown): boolean {
  return error instanceof ValidationError && error.issues.some((issue) => issue.path === 'providerId');
}

/**
 * Wraps a competition's bid pages: before each, the session's kept choice for the competition (one read of
 * the session's draft) is checked by the policy against the organisations the user may bid for now – only
 * when there is one, so a user who never chose pays nothing more – and handed to the page (`biddingFor`).
 * When the page's use case cannot tell which organisation is bidding and no valid choice is kept, the user
 * is sent to choose, and brought back to the page (a GET) or to the task list (after a form).
 */
export function withOrganisationChoice(pages: PageMap): PageMap {
  return Object.fromEntries(
    Object.entries(pages).map(([key, body]) => [
      key,
      async (request: PageRequest) => {
        const id = ulidSchema.safeParse(request.params.id);
        // Anonymous visitors and malformed addresses: the page itself sends to sign in or 404s.
        if (!request.session || !id.success) return body(request);
        const kept = (await keptChoices(request.session, request.now))[id.data];
        let valid: string | undefined;
        if (kept !== undefined) {
          const offer = await biddingOrganisations(providerCompetitionDeps(), request.principal, id.data);
          const candidates = offer.organisations.map((o) => o.id);
          const decision =
            candidates.length > 0
              ? decideBiddingOrganisation(candidates, kept, offer.shortlisted)
              : undefined;
          if (decision && 'providerId' in decision) {
            valid = decision.providerId;
            const name = offer.organisations.find((o) => o.id === valid)?.name ?? '';
            acting.set(request, { providerId: valid, name, candidates: candidates.length });
          }
        }
        try {
          return await body(request);
        } catch (error) {
          if (valid !== undefined || !cannotTellWhichOrganisation(error)) throw error;
          const method = request.event.requestContext.http.method;
          const back = method === 'GET' ? request.event.rawPath : `/your-competitions/${id.data}/bid`;
          return redirect(choiceHref(id.data, returnToOf(id.data, back)));
        }
      },
    ]),
  );
}

/** Renders the choice: GOV.UK radios of the organisations, the kept or typed one selected. */
function choicePage(
  request: PageRequest,
  offer: BiddingOrganisations,
  returnTo: string,
  selected: string | undefined,
  issues: FieldIssue[] = [],
) {
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    'provider/organisation.njk',
    {
      title: 'Which organisation are you bidding for?',
      section: 'competitions',
      breadcrumbs: providerBreadcrumbs(offer.competition),
      backLink: `/find-an-opportunity/${encodeURIComponent(offer.competition.id)}`,
      competition: offer.competition,
      action: `/your-competitions/${offer.competition.id}/organisation`,
      returnTo,
      items: offer.organisations.map((o) => ({
        value: o.id,
        text: o.name,
        checked: o.id === selected,
        ...(o.role === 'member'
          ? { hint: { text: 'You are a member: you can read its bid, and only its owners can change it.' } }
          : {}),
      })),
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/**
 * `GET /your-competitions/{id}/organisation`: the choice, with the kept one selected. A user with only one
 * organisation that may bid is not asked: it is kept as their choice and they go straight on.
 */
async function chooseGet(request: PageRequest) {
  const session = requireSession(request);
  const id = competitionIdOf(request);
  const returnTo = returnToOf(id, request.query.returnTo);
  const offer = await biddingOrganisations(providerCompetitionDeps(), request.principal, id);
  const kept = (await keptChoices(session, request.now))[id];
  // Refuses (403) a user none of whose organisations may bid here.
  const decision = decideBiddingOrganisation(
    offer.organisations.map((o) => o.id),
    kept,
    offer.shortlisted,
  );
  if (offer.organisations.length === 1 && 'providerId' in decision) {
    // Kept, so the bid pages name it (the use case alone might count an unverified organisation too).
    if (kept !== decision.providerId) await keepChoice(session, id, decision.providerId, request.now);
    return redirect(returnTo);
  }
  return choicePage(request, offer, returnTo, 'providerId' in decision ? decision.providerId : undefined);
}

/**
 * `POST /your-competitions/{id}/organisation`: keeps the choice when the policy finds it among the
 * organisations the user may bid for, and goes back; anything else (none, another organisation's id) is
 * shown again with the error, and nothing is kept.
 */
async function choosePost(request: PageRequest) {
  const session = requireSession(request);
  const id = competitionIdOf(request);
  const returnTo = returnToOf(id, request.form.get('returnTo') ?? undefined);
  const chosen = (request.form.get('organisation') ?? '').trim();
  const offer = await biddingOrganisations(providerCompetitionDeps(), request.principal, id);
  const decision = decideBiddingOrganisation(
    offer.organisations.map((o) => o.id),
    chosen || undefined,
    offer.shortlisted,
  );
  if (!('providerId' in decision) || decision.providerId !== chosen) {
    return choicePage(request, offer, returnTo, undefined, [
      { path: 'organisation', message: 'Select the organisation you are bidding for' },
    ]);
  }
  await keepChoice(session, id, chosen, request.now);
  return redirect(returnTo);
}

/** This group's pages by route key. */
export const organisationPages: PageMap = {
  'GET /your-competitions/{id}/organisation': chooseGet,
  'POST /your-competitions/{id}/organisation': choosePost,
};
