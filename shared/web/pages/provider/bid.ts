/**
 * The bid (`/your-competitions/{id}/bid…`): a task list with one page per quality criterion, the price and
 * the sub-contractors, "Save and come back later" at every step; check your bid; submit (a receipt with the
 * version and time); resubmit; withdraw; read-only once the tender deadline has passed.
 *
 * Every page calls the JSON routes' use cases (`getOwnBid`, `saveDraft`, `submitBid`, `withdrawBid`): they
 * resolve the organisation the user bids for (an owner to write, any member to read; shortlisted, or any
 * verified provider when there is no pre-qualification) and reach its bid only through that
 * organisation's provider data access. The draft lives in the API (the sealed table), not in the browser:
 * every step saves it, so a bid can be left and resumed from any device. A user who may bid for several
 * organisations chose one (`organisation.ts`, which wraps these pages): every use case is given that
 * choice (`biddingFor`), so each page reads and writes that organisation's bid and no other.
 */

import type { BidContent } from '../../../domain/bids';
import { type PublicCompetition as Competition, publicView } from '../../../domain/competitions';
import { DOCUMENT_KIND_LABELS, type DocumentKind } from '../../../domain/documents';
import { type FieldIssue, NotFoundError, ValidationError } from '../../../domain/errors';
import { BID_LIMITS } from '../../../http/schemas/tenders';
import { documentsAnswered } from '../../../use-cases/documents/answered-documents';
import {
  competitionForBidder,
  getOwnBid,
  type OwnBid,
  saveDraft,
  submitBid,
  withdrawBid,
} from '../../../use-cases/tenders/bidder';
import { formErrors } from '../../forms';
import { CHOICES, escapeHtml, govukDateTime, label, linesHtml, pounds } from '../../labels';
import { type PageMap, PageNotFound, type PageRequest, redirect, render, requireSession } from '../../page';
import {
  EMPTY_BID,
  incompleteTasks,
  limitText,
  nextTask,
  parsePrice,
  parseSubcontractor,
  qualityAnswerIssues,
  qualityCriteria,
  type SubcontractorForm,
  subcontractorTyped,
} from './bid-form';
import { closingInWords, competitionIdOf, providerBreadcrumbs, providerCompetitionDeps } from './common';
import { biddingChoice, biddingFor, choiceHref } from './organisation';

/** What every bid page reads: the competition, the user's own bid (none yet), whether it may change. */
interface BidState {
  competition: Competition;
  bid: OwnBid | undefined;
  /** The draft as it stands (the submitted content when no draft was kept, else empty). */
  content: BidContent;
  open: boolean;
}

/**
 * The competition and the user's own bid, each read once: the stored competition (404 for one not
 * published), shown through its public view and handed to `getOwnBid` with the memberships the page header
 * read, so the page costs the storage calls of `GET /competitions/{id}/bid` (plus, once a bid was
 * submitted, the one Query of the documents whose titles it shows).
 */
async function loadBid(request: PageRequest): Promise<BidState> {
  requireSession(request);
  const id = competitionIdOf(request);
  const deps = providerCompetitionDeps();
  const stored = await competitionForBidder(deps, id);
  // Its public view: the effective status, the criteria and deadline.
  const competition = publicView(stored, request.now);
  let bid: OwnBid | undefined;
  try {
    // Refuses (403) anyone who is not a member of an organisation that may bid here.
    bid = await getOwnBid(deps, request.principal, id, biddingFor(request), {
      competition: stored,
      memberships: request.memberships,
    });
  } catch (error) {
    // The competition exists (read above): the organisation has no bid yet.
    if (!(error instanceof NotFoundError)) throw error;
  }
  const content = contentOf(bid);
  return { competition, bid, content, open: competition.status === 'tendering' };
}

function contentOf(bid: OwnBid | undefined): BidContent {
  const source = bid?.draft ?? bid?.submitted?.content;
  if (!source) return EMPTY_BID;
  return {
    pricePence: source.pricePence,
    qualityResponses: { ...source.qualityResponses },
    subcontractors: [...source.subcontractors],
    consortium: [...source.consortium],
  };
}

const base = (competition: Pick<Competition, 'id'>) => `/your-competitions/${competition.id}/bid`;

/**
 * The tender documents the submitted bid answered, by title and kind with any newer version, and those
 * published since: one Query of the competition's current documents, none without a submitted bid.
 */
async function answeredDocumentsOf(state: BidState) {
  const found = await documentsAnswered(
    providerCompetitionDeps(),
    state.competition.id,
    state.bid?.submitted?.documentVersions,
  );
  const kind = (k: DocumentKind | undefined) => (k ? DOCUMENT_KIND_LABELS[k] : undefined);
  return {
    answered: found.answered.map((d) => ({ ...d, kind: kind(d.kind) })),
    added: found.added.map((d) => ({ ...d, kind: kind(d.kind) })),
    changed: found.changed,
  };
}

/**
 * What every bid page's template is given. `heading` is the page's h1; its title adds the competition's, so
 * a user with two bids open in two tabs can tell them apart ("Your price: Move-on housing"). A step with a
 * way back (`backLink`, to the task list) shows it in place of the breadcrumbs, as GOV.UK question pages
 * do: the layout shows one or the other, and breadcrumbs would hide the Back link.
 */
function pageContext(request: PageRequest, state: BidState, heading: string, backLink?: string) {
  return {
    title: `${heading}: ${state.competition.title}`,
    heading,
    section: 'competitions',
    ...(backLink ? { backLink } : { breadcrumbs: providerBreadcrumbs(state.competition) }),
    competition: { id: state.competition.id, title: state.competition.title },
    bidBase: base(state.competition),
    // A sentence of its own: "Tenders close today at 5:39pm".
    deadline: closingInWords('Tenders', state.competition.tenderDeadline, request.now),
    open: state.open,
  };
}

/** Refuses changes once the tender deadline has passed: the page shows the read-only bid instead. */
function readOnlyRedirect(state: BidState) {
  return state.open ? undefined : redirect(base(state.competition));
}

/** The summary rows of a bid's content, with "Change" links while it may change. */
function contentRows(state: BidState, content: BidContent, changeable: boolean) {
  const row = (key: string, html: string, href?: string) => ({
    key: { text: key },
    value: { html },
    ...(changeable && href
      ? { actions: { items: [{ href, text: 'Change', visuallyHiddenText: key.toLowerCase() }] } }
      : {}),
  });
  const bidBase = base(state.competition);
  const text = (value: string | undefined) =>
    value?.trim() ? linesHtml(value) : '<span class="govuk-hint">Not answered</span>';
  return [
    ...qualityCriteria(state.competition.criteria).map((c) =>
      row(c.name, text(content.qualityResponses[c.id]), `${bidBase}/quality/${encodeURIComponent(c.id)}`),
    ),
    row(
      'Price',
      content.pricePence > 0 ? escapeHtml(pounds(content.pricePence)) : text(undefined),
      `${bidBase}/price`,
    ),
    row(
      'Sub-contractors',
      content.subcontractors.length > 0
        ? content.subcontractors
            .map(
              (s) =>
                `${escapeHtml(s.name)}: ${s.sharePercent}% (${escapeHtml(s.services.map(label).join(', '))})`,
            )
            .join('<br>')
        : 'None',
      `${bidBase}/subcontractors`,
    ),
  ];
}

/** `GET /your-competitions/{id}/bid`: the task list, or the read-only bid after the deadline. */
async function taskListPage(request: PageRequest) {
  const state = await loadBid(request);
  const { competition, bid, content, open } = state;
  const bidBase = base(competition);
  const done = (yes: boolean) =>
    yes ? { text: 'Completed' } : { tag: { text: 'Not started', classes: 'govuk-tag--blue' } };
  const quality = qualityCriteria(competition.criteria).map((c) => ({
    title: { text: c.name },
    hint: { text: `${c.weight}% of the marks` },
    href: `${bidBase}/quality/${encodeURIComponent(c.id)}`,
    status: done(Boolean(content.qualityResponses[c.id]?.trim())),
  }));
  const missing = incompleteTasks(content, competition.criteria);
  const tasks = [
    ...quality,
    { title: { text: 'Price' }, href: `${bidBase}/price`, status: done(content.pricePence > 0) },
    {
      title: { text: 'Sub-contractors' },
      hint: { text: 'Optional: organisations that will deliver part of the contract' },
      href: `${bidBase}/subcontractors`,
      status:
        content.subcontractors.length > 0
          ? { text: `${content.subcontractors.length} named` }
          : { text: 'None named' },
    },
    {
      title: { text: 'Check and submit your bid' },
      ...(missing.length === 0 ? { href: `${bidBase}/check` } : {}),
      status:
        missing.length === 0
          ? { tag: { text: 'Ready to check', classes: 'govuk-tag--blue' } }
          : { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' },
    },
  ];
  const submitted = bid?.submitted ?? null;
  return render(request, 'provider/bid.njk', {
    ...pageContext(request, state, 'Your bid'),
    biddingAs: biddingAs(request, state),
    tasks,
    saved: request.query.saved === 'yes',
    withdrawn: request.query.withdrawn === 'yes',
    status: bid?.status,
    submitted: submitted
      ? {
          version: submitted.version,
          at: govukDateTime(submitted.submittedAt),
          withdrawnAt: submitted.withdrawnAt ? govukDateTime(submitted.withdrawnAt) : undefined,
        }
      : undefined,
    documents: await answeredDocumentsOf(state),
    // After the deadline: what was submitted (or the draft that never was), read-only.
    rows: open ? [] : contentRows(state, submitted?.content ?? content, false),
    canWithdraw: open && submitted?.status === 'submitted',
  });
}

/**
 * "Bidding for <organisation> (Change)": shown only to a user who may bid for several organisations here
 * (the one they chose, as the choice page's wrapper checked it), with the way back to the choice.
 */
function biddingAs(request: PageRequest, state: BidState) {
  const choice = biddingChoice(request);
  if (!choice || choice.candidates < 2) return undefined;
  return { name: choice.name, href: choiceHref(state.competition.id, base(state.competition)) };
}

/** Renders a task page (quality, price, sub-contractors) with what was typed and its problems. */
function renderTask(
  request: PageRequest,
  state: BidState,
  template: string,
  title: string,
  context: Record<string, unknown>,
  issues: FieldIssue[] = [],
) {
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    template,
    {
      ...pageContext(request, state, title, base(state.competition)),
      errors,
      errorList,
      ...context,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** Saves the draft through the JSON route's use case; the issues it reports, or none once saved. */
async function save(request: PageRequest, state: BidState, content: BidContent): Promise<FieldIssue[]> {
  try {
    const providerId = biddingFor(request);
    await saveDraft(
      providerCompetitionDeps(),
      request.principal,
      state.competition.id,
      // As the JSON route passes `providerId` from its body: the organisation chosen, when one was.
      providerId === undefined ? content : { ...content, providerId },
      request.now,
    );
    return [];
  } catch (error) {
    if (error instanceof ValidationError)
      return error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }];
    throw error;
  }
}

/** Where a saved step goes: the next task, or back to the task list ("Save and come back later"). */
function afterSave(request: PageRequest, state: BidState, current: string) {
  const bidBase = base(state.competition);
  return request.form.get('action') === 'later'
    ? redirect(`${bidBase}?saved=yes`)
    : redirect(`${bidBase}/${nextTask(state.competition.criteria, current)}`);
}

function criterionOf(request: PageRequest, state: BidState) {
  const criterion = qualityCriteria(state.competition.criteria).find(
    (c) => c.id === request.params.criterion,
  );
  if (!criterion) throw new PageNotFound('This competition has no such quality criterion.');
  return criterion;
}

/** `GET /your-competitions/{id}/bid/quality/{criterion}`. */
async function qualityPage(request: PageRequest) {
  const state = await loadBid(request);
  const criterion = criterionOf(request, state);
  return (
    readOnlyRedirect(state) ??
    renderTask(request, state, 'provider/bid-quality.njk', criterion.name, {
      criterion,
      maxAnswer: BID_LIMITS.qualityResponse,
      maxAnswerText: limitText(BID_LIMITS.qualityResponse),
      values: { answer: state.content.qualityResponses[criterion.id] ?? '' },
    })
  );
}

/** `POST /your-competitions/{id}/bid/quality/{criterion}`. */
async function saveQuality(request: PageRequest) {
  const state = await loadBid(request);
  const criterion = criterionOf(request, state);
  const answer = (request.form.get('answer') ?? '').replaceAll('\r\n', '\n').trim();
  const shown = (issues: FieldIssue[]) =>
    renderTask(
      request,
      state,
      'provider/bid-quality.njk',
      criterion.name,
      {
        criterion,
        maxAnswer: BID_LIMITS.qualityResponse,
        maxAnswerText: limitText(BID_LIMITS.qualityResponse),
        values: { answer },
      },
      issues,
    );
  const issues = qualityAnswerIssues(answer);
  if (issues.length > 0) return shown(issues);
  const qualityResponses = { ...state.content.qualityResponses };
  if (answer) qualityResponses[criterion.id] = answer;
  else delete qualityResponses[criterion.id];
  const saved = await save(request, state, { ...state.content, qualityResponses });
  if (saved.length > 0)
    return shown(saved.map((i) => (i.path?.startsWith('qualityResponses') ? { ...i, path: 'answer' } : i)));
  return afterSave(request, state, `quality/${encodeURIComponent(criterion.id)}`);
}

/** `GET /your-competitions/{id}/bid/price`. */
async function pricePage(request: PageRequest) {
  const state = await loadBid(request);
  const pence = state.content.pricePence;
  return (
    readOnlyRedirect(state) ??
    renderTask(request, state, 'provider/bid-price.njk', 'Your price', {
      values: { price: pence > 0 ? (pence / 100).toFixed(2) : '' },
    })
  );
}

/** `POST /your-competitions/{id}/bid/price`. */
async function savePrice(request: PageRequest) {
  const state = await loadBid(request);
  const typed = (request.form.get('price') ?? '').trim();
  const shown = (issues: FieldIssue[]) =>
    renderTask(request, state, 'provider/bid-price.njk', 'Your price', { values: { price: typed } }, issues);
  const price = parsePrice(typed);
  if ('issue' in price) return shown([price.issue]);
  const saved = await save(request, state, { ...state.content, pricePence: price.pence });
  if (saved.length > 0)
    return shown(saved.map((i) => (i.path === 'pricePence' ? { ...i, path: 'price' } : i)));
  return afterSave(request, state, 'price');
}

function subcontractorForm(form: URLSearchParams): SubcontractorForm {
  return {
    name: (form.get('name') ?? '').trim(),
    providerId: (form.get('providerId') ?? '').trim(),
    services: form.getAll('services'),
    share: (form.get('share') ?? '').trim(),
  };
}

function renderSubcontractors(
  request: PageRequest,
  state: BidState,
  values: SubcontractorForm = { name: '', providerId: '', services: [], share: '' },
  issues: FieldIssue[] = [],
) {
  return renderTask(
    request,
    state,
    'provider/bid-subcontractors.njk',
    'Sub-contractors',
    {
      subcontractors: state.content.subcontractors.map((s, index) => ({
        index,
        name: s.name,
        share: `${s.sharePercent}%`,
        services: s.services.map(label).join(', '),
        registered: s.providerId !== undefined,
      })),
      services: CHOICES.services.map((o) => ({ ...o, checked: values.services.includes(o.value) })),
      values,
    },
    issues,
  );
}

/** `GET /your-competitions/{id}/bid/subcontractors`. */
async function subcontractorsPage(request: PageRequest) {
  const state = await loadBid(request);
  return readOnlyRedirect(state) ?? renderSubcontractors(request, state);
}

/**
 * `POST /your-competitions/{id}/bid/subcontractors`: add the one typed (when anything was), remove one
 * (`action=remove-<n>`), then stay, go on to check the bid, or back to the task list.
 */
async function saveSubcontractors(request: PageRequest) {
  const state = await loadBid(request);
  const action = request.form.get('action') ?? 'continue';
  const typed = subcontractorForm(request.form);
  let subcontractors = state.content.subcontractors;
  const removal = /^remove-(\d{1,3})$/.exec(action);
  if (removal) {
    const index = Number(removal[1]);
    if (index >= subcontractors.length) return redirect(`${base(state.competition)}/subcontractors`);
    subcontractors = subcontractors.filter((_s, i) => i !== index);
  } else if (action === 'add' || subcontractorTyped(typed)) {
    const parsed = parseSubcontractor(typed, subcontractors);
    if ('issues' in parsed) return renderSubcontractors(request, state, typed, parsed.issues);
    subcontractors = [...subcontractors, parsed.subcontractor];
  }
  if (subcontractors !== state.content.subcontractors) {
    const saved = await save(request, state, { ...state.content, subcontractors });
    if (saved.length > 0) {
      // The use case's paths name the new row (`subcontractors.<n>.providerId`): shown against the fields.
      const mapped = saved.map((i) => {
        const field = /^subcontractors\.\d+\.(\w+)$/.exec(i.path ?? '')?.[1];
        return field === 'providerId'
          ? { ...i, path: 'providerId' }
          : { ...i, path: i.path === 'subcontractors' ? 'share' : i.path };
      });
      return renderSubcontractors(request, state, typed, mapped);
    }
  }
  if (removal || action === 'add') return redirect(`${base(state.competition)}/subcontractors`);
  return afterSave(request, state, 'subcontractors');
}

/** `GET /your-competitions/{id}/bid/check`: every answer with "Change" links, and the submit button. */
async function checkPage(request: PageRequest, issues: FieldIssue[] = []) {
  const state = await loadBid(request);
  const redirected = readOnlyRedirect(state);
  if (redirected) return redirected;
  const missing = incompleteTasks(state.content, state.competition.criteria);
  const { errorList } = formErrors(issues, () => '#submit');
  return render(
    request,
    'provider/bid-check.njk',
    {
      ...pageContext(request, state, 'Check your bid before submitting it', base(state.competition)),
      biddingAs: biddingAs(request, state),
      rows: contentRows(state, state.content, true),
      missing,
      // Only a bid that stands is replaced: once withdrawn, submitting sends a bid again, replacing nothing.
      resubmission:
        state.bid?.submitted?.status === 'submitted' ? state.bid.submitted.version + 1 : undefined,
      documents: await answeredDocumentsOf(state),
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `POST /your-competitions/{id}/bid/submit`: the draft becomes the next version; the receipt. */
async function submit(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  try {
    await submitBid(providerCompetitionDeps(), request.principal, id, biddingFor(request), request.now);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return checkPage(
      request,
      error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }],
    );
  }
  return redirect(`/your-competitions/${id}/bid/receipt`);
}

/** `GET /your-competitions/{id}/bid/receipt`: the version and time of the bid as submitted. */
async function receiptPage(request: PageRequest) {
  const state = await loadBid(request);
  const submitted = state.bid?.submitted;
  if (submitted?.status !== 'submitted') return redirect(base(state.competition));
  return render(request, 'provider/bid-receipt.njk', {
    ...pageContext(request, state, 'Bid submitted'),
    version: submitted.version,
    at: govukDateTime(submitted.submittedAt),
    reference: submitted.bidId,
    documents: await answeredDocumentsOf(state),
  });
}

/** `GET /your-competitions/{id}/bid/withdraw`: are you sure? */
async function withdrawPage(request: PageRequest) {
  const state = await loadBid(request);
  const redirected = readOnlyRedirect(state);
  if (redirected) return redirected;
  if (state.bid?.submitted?.status !== 'submitted') return redirect(base(state.competition));
  return render(request, 'provider/bid-withdraw.njk', {
    ...pageContext(request, state, 'Withdraw your bid', base(state.competition)),
    version: state.bid.submitted.version,
  });
}

/** `POST /your-competitions/{id}/bid/withdraw`. */
async function withdraw(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  await withdrawBid(providerCompetitionDeps(), request.principal, id, biddingFor(request), request.now);
  return redirect(`/your-competitions/${id}/bid?withdrawn=yes`);
}

/** This group's pages by route key. */
export const bidPages: PageMap = {
  'GET /your-competitions/{id}/bid': taskListPage,
  'GET /your-competitions/{id}/bid/quality/{criterion}': qualityPage,
  'POST /your-competitions/{id}/bid/quality/{criterion}': saveQuality,
  'GET /your-competitions/{id}/bid/price': pricePage,
  'POST /your-competitions/{id}/bid/price': savePrice,
  'GET /your-competitions/{id}/bid/subcontractors': subcontractorsPage,
  'POST /your-competitions/{id}/bid/subcontractors': saveSubcontractors,
  'GET /your-competitions/{id}/bid/check': (request) => checkPage(request),
  'POST /your-competitions/{id}/bid/submit': submit,
  'GET /your-competitions/{id}/bid/receipt': receiptPage,
  'GET /your-competitions/{id}/bid/withdraw': withdrawPage,
  'POST /your-competitions/{id}/bid/withdraw': withdraw,
};
