/**
 * The bids of a competition after its tender deadline, scoring and moderation (issue 14): the bids list,
 * one bid with the signed-in evaluator's own scoring form or the moderator's form, and the two forms'
 * answers, and the lead's record of how a bidder explained its price. Every page calls the use case its
 * JSON route calls (`GET /competitions/{id}/bids`, `GET …/bids/{bidId}`, `PUT …/scores`,
 * `PUT …/moderated-scores`, `POST …/price-clarification`), so the policy module decides each
 * access, the audit log records each read, and bids stay sealed before the deadline (the page stack shows
 * the refusal: "Bids are sealed", and when they open). A page shows only what the use case returns: an
 * evaluator never sees another evaluator's scores before the bid is moderated.
 */
import type * as z from 'zod';
import { config } from '../../../config';
import {
  auditRepository,
  bidRepository,
  challengeRepository,
  competitionRepository,
  contractRepository,
  membershipRepository,
  notificationRepository,
} from '../../../db/repositories';
import type { Criterion } from '../../../domain/competitions';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import { MAX_SCORE } from '../../../domain/scoring';
import { ulidSchema } from '../../../http/schemas/common';
import { BID_LIMITS, moderatedBody, priceClarificationBody, scoresBody } from '../../../http/schemas/tenders';
import {
  getBidForPanel,
  type InsiderBid,
  listBidsForPanel,
  moderateBid,
  type PanelContext,
  recordPriceClarification,
  scoreBid,
} from '../../../use-cases/tenders/evaluation';
import { fieldId, formErrors, issuesFromError, issuesOf } from '../../forms';
import { escapeHtml, govukDateTime, label, linesHtml, pounds } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { type Breadcrumb, competitionPageContext } from './common';
import {
  firstPerPath,
  formValues,
  issuesForForm,
  type NoteName,
  readScoreForm,
  requiredIssues,
  type ScoreFormRow,
  scoreFieldNames,
  scoresBodyOf,
} from './scoring-forms';

/** The repositories the evaluation use cases need (as `functions/tenders/evaluation.ts` builds them). */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
    notifications: notificationRepository(),
    contracts: contractRepository(),
    challenges: challengeRepository(),
  };
}

/** A ULID from the address, or the 404 page: a malformed id names nothing. */
function idFrom(raw: string | undefined, what: string): string {
  const id = ulidSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError(`No ${what} at this address.`);
  return id.data;
}

const qualityOf = (criteria: readonly Criterion[]) => criteria.filter((c) => c.kind === 'quality');

/** The sub of the person on a page, as the use case's records name people. */
const subOf = (request: PageRequest) => requireSession(request).sub;

/** A person's user id as the pages show it, "(you)" marking the viewer. */
function personName(sub: string, viewer: string): string {
  return sub === viewer ? `${sub} (you)` : sub;
}

/** The banner a successful form leaves on the bids list (`?saved=scores&bid=…`). */
function savedBanner(request: PageRequest, items: readonly InsiderBid[]): string | undefined {
  const kind = request.query.saved;
  const bid = items.find((item) => item.bidId === request.query.bid);
  if (!bid) return undefined;
  if (kind === 'scores') return `Your scores for ${bid.providerName}’s bid are saved`;
  if (kind === 'moderation') return `The moderated scores for ${bid.providerName}’s bid are saved`;
  if (kind === 'price') return `The price clarification for ${bid.providerName}’s bid is recorded`;
  return undefined;
}

/** Text as the paragraphs (split at blank lines) and lines of each, to draw with the line breaks typed. */
function paragraphsOf(text: string): string[][] {
  return text
    .split(/\r?\n\s*\r?\n/)
    .map((paragraph) => paragraph.split(/\r?\n/).map((line) => line.trim()))
    .filter((lines) => lines.some((line) => line !== ''));
}

/** A GOV.UK tag. */
const tag = (text: string, colour: string) =>
  `<strong class="govuk-tag govuk-tag--${colour}">${escapeHtml(text)}</strong>`;

/** `GET /commissioning/{id}/bids`: every bid after the tender deadline, with the viewer's part in scoring. */
async function bidsPage(request: PageRequest) {
  const viewer = subOf(request);
  const id = idFrom(request.params.id, 'competition');
  const view = await listBidsForPanel(repositories(), request.principal, id, request.now);
  const { competition } = view;
  const seesEveryone = view.role === 'lead' || view.role === 'moderator';
  const head = [
    { text: 'Organisation' },
    { text: 'Price', format: 'numeric' },
    { text: 'Submitted' },
    ...(view.may.score ? [{ text: 'Your scores' }] : []),
    ...(seesEveryone ? [{ text: 'Evaluators scored', format: 'numeric' }] : []),
    { text: 'Moderation' },
  ];
  const rows = view.items.map((bid) => {
    const withdrawn = bid.status === 'withdrawn';
    const scored = new Set(bid.scores.map((s) => s.evaluator));
    const panelScored = view.evaluators.filter((sub) => scored.has(sub)).length;
    return [
      {
        html: `<a class="govuk-link" href="/commissioning/${id}/bids/${bid.bidId}">${escapeHtml(bid.providerName)}</a>${withdrawn ? ` ${tag('Withdrawn', 'grey')}` : ''}`,
      },
      { text: pounds(bid.pricePence), format: 'numeric' },
      { text: govukDateTime(bid.submittedAt) },
      ...(view.may.score
        ? [
            {
              html: withdrawn
                ? 'Not scored: withdrawn'
                : scored.has(viewer)
                  ? tag('Scored', 'green')
                  : tag('Not scored yet', 'blue'),
            },
          ]
        : []),
      ...(seesEveryone ? [{ text: `${panelScored} of ${view.evaluators.length}`, format: 'numeric' }] : []),
      { html: bid.moderated ? tag('Moderated', 'green') : tag('Not moderated yet', 'grey') },
    ];
  });
  return render(request, 'commissioning/bids.njk', {
    ...competitionPageContext(competition, 'bids', { principal: request.principal }),
    title: `Bids – ${competition.title}`,
    competition,
    head,
    rows,
    role: view.role,
    may: view.may,
    evaluating: competition.status === 'evaluation',
    saved: savedBanner(request, view.items),
  });
}

/** A form sent back with problems: what was typed, and the problems against the posted rows. */
interface FailedForm {
  noteName: NoteName;
  rows: ScoreFormRow[];
  issues: FieldIssue[];
}

/** The 0–5 radios of one criterion. */
const SCORE_ITEMS = Array.from({ length: MAX_SCORE + 1 }, (_, score) => ({
  value: String(score),
  text: String(score),
}));

/** One criterion's fields of a scoring or moderation form, as the template draws them. */
function formCriteria(
  quality: readonly Criterion[],
  noteName: NoteName,
  values: Record<string, { score: string; note: string }>,
) {
  return quality.map((criterion, index) => {
    const names = scoreFieldNames(index, noteName);
    return {
      id: criterion.id,
      name: criterion.name,
      weight: criterion.weight,
      names,
      ids: { score: fieldId(names.score), note: fieldId(names.note) },
      value: values[criterion.id] ?? { score: '', note: '' },
    };
  });
}

/** The rows of a criterion's side-by-side table: each evaluator's score and justification. */
function sideBySide(
  quality: readonly Criterion[],
  bid: InsiderBid,
  evaluators: readonly string[],
  viewer: string,
) {
  // The panel's order first, then anyone who scored and has since left the panel.
  const order = (sub: string) => {
    const at = evaluators.indexOf(sub);
    return at >= 0 ? at : evaluators.length;
  };
  const records = [...bid.scores].sort((a, b) => order(a.evaluator) - order(b.evaluator));
  return quality.map((criterion) => ({
    name: criterion.name,
    rows: records.map((record) => {
      const given = record.scores.find((s) => s.criterionId === criterion.id);
      const who = `${personName(record.evaluator, viewer)}${evaluators.includes(record.evaluator) ? '' : ' (no longer on the panel)'}`;
      return [
        { text: who },
        { text: given ? String(given.score) : 'Not scored', format: 'numeric' },
        { html: linesHtml(given?.justification ?? '') },
      ];
    }),
  }));
}

/**
 * The bid page: the bid itself, then the viewer's part – an evaluator's own scoring form, the moderator's
 * progress, everyone's scores side by side and the moderation form – from what `getBidForPanel` returned.
 */
async function renderBid(
  request: PageRequest,
  id: string,
  bidId: string,
  failed?: FailedForm,
  failedClarification?: FailedClarification,
) {
  const viewer = subOf(request);
  const view: { bid: InsiderBid } & PanelContext = await getBidForPanel(
    repositories(),
    request.principal,
    id,
    bidId,
    request.now,
  );
  const { bid, competition, evaluators } = view;
  const quality = qualityOf(competition.criteria);
  const evaluating = competition.status === 'evaluation' && bid.status === 'submitted';
  const seesEveryone = view.role === 'lead' || view.role === 'moderator';

  const own = bid.scores.find((s) => s.evaluator === viewer);
  const scored = new Set(bid.scores.map((s) => s.evaluator));
  const pending = evaluators.filter((sub) => !scored.has(sub));
  const allScored = evaluators.length > 0 && pending.length === 0;

  const failedScores = failed?.noteName === 'justification' ? failed : undefined;
  const failedModeration = failed?.noteName === 'rationale' ? failed : undefined;
  const shownIssues = failed
    ? issuesForForm(failed.issues, failed.rows, quality, failed.noteName)
    : (failedClarification?.issues ?? []);
  const { errorList, errors } = formErrors(shownIssues);

  const scoring =
    view.may.score && evaluating
      ? formCriteria(
          quality,
          'justification',
          formValues(
            quality,
            failedScores?.rows,
            (own?.scores ?? []).map((s) => ({
              criterionId: s.criterionId,
              score: s.score,
              note: s.justification,
            })),
          ),
        )
      : undefined;
  const moderation =
    view.may.moderate && evaluating && allScored
      ? formCriteria(
          quality,
          'rationale',
          formValues(
            quality,
            failedModeration?.rows,
            (bid.moderated?.scores ?? []).map((s) => ({
              criterionId: s.criterionId,
              score: s.score,
              note: s.rationale,
            })),
          ),
        )
      : undefined;

  const summary = [
    { key: { text: 'Organisation' }, value: { text: bid.providerName } },
    { key: { text: 'Price' }, value: { text: pounds(bid.pricePence) } },
    {
      key: { text: 'Submitted' },
      value: { text: `${govukDateTime(bid.submittedAt)} (version ${bid.version})` },
    },
    ...(bid.status === 'withdrawn' ? [{ key: { text: 'Status' }, value: { text: 'Withdrawn' } }] : []),
  ];
  const responses = quality.map((criterion) => ({
    name: criterion.name,
    weight: criterion.weight,
    paragraphs: paragraphsOf(
      Object.hasOwn(bid.qualityResponses, criterion.id) ? (bid.qualityResponses[criterion.id] ?? '') : '',
    ),
  }));
  const subcontractorRows = bid.subcontractors.map((s) => [
    { text: s.name },
    { text: s.services.map(label).join(', ') },
    { text: `${s.sharePercent}%`, format: 'numeric' },
  ]);
  const consortiumRows = bid.consortium.map((m) => [{ text: m.providerId }, { text: m.role }]);
  const moderated = bid.moderated
    ? {
        by: personName(bid.moderated.moderator, viewer),
        at: govukDateTime(bid.moderated.moderatedAt),
        rows: quality.map((criterion) => {
          const agreed = bid.moderated?.scores.find((s) => s.criterionId === criterion.id);
          return [
            { text: criterion.name },
            { text: agreed ? String(agreed.score) : 'Not agreed', format: 'numeric' },
            { html: linesHtml(agreed?.rationale ?? '') },
          ];
        }),
      }
    : undefined;
  // The lead and the moderator see every evaluator's scores once all have scored; anyone else only once
  // the bid is moderated, when the use case returns them (before that it returns an evaluator's own only).
  const showSideBySide =
    bid.scores.length > 0 && ((seesEveryone && allScored) || (!seesEveryone && bid.moderated !== null));
  const ownScores =
    !scoring && own
      ? quality.map((criterion) => {
          const given = own.scores.find((s) => s.criterionId === criterion.id);
          return [
            { text: criterion.name },
            { text: given ? String(given.score) : 'Not scored', format: 'numeric' },
            { html: linesHtml(given?.justification ?? '') },
          ];
        })
      : undefined;

  const context = competitionPageContext(competition, 'bids', { principal: request.principal });
  return render(
    request,
    'commissioning/bid.njk',
    {
      ...context,
      // The bids list is this page's parent: one more crumb than the competition's other pages.
      breadcrumbs: [
        ...(context.breadcrumbs as Breadcrumb[]),
        { text: 'Bids', href: `/commissioning/${id}/bids` },
      ],
      title: `${bid.providerName}’s bid – ${competition.title}`,
      competition,
      bid,
      summary,
      responses,
      subcontractorRows,
      consortiumRows,
      scoring,
      scoredAt: own ? govukDateTime(own.scoredAt) : undefined,
      ownScores,
      progress: seesEveryone
        ? {
            scored: evaluators.filter((sub) => scored.has(sub)).map((sub) => personName(sub, viewer)),
            pending: pending.map((sub) => personName(sub, viewer)),
            noPanel: evaluators.length === 0,
          }
        : undefined,
      sideBySide: showSideBySide ? sideBySide(quality, bid, evaluators, viewer) : undefined,
      moderation,
      mayModerate: view.may.moderate && evaluating,
      // The lead records how the bidder explained its price while the evaluation runs (a bid whose price is
      // abnormally low cannot win without one).
      priceClarification:
        view.may.clarifyPrice && evaluating
          ? { note: failedClarification?.note ?? '', maxLength: BID_LIMITS.note }
          : undefined,
      moderated,
      evaluating,
      maxScore: MAX_SCORE,
      scoreItems: SCORE_ITEMS,
      errorList,
      errors,
    },
    failed || failedClarification ? 400 : 200,
  );
}

/** A price clarification that could not be recorded: what was typed, and why. */
interface FailedClarification {
  note: string;
  issues: FieldIssue[];
}

/** `GET /commissioning/{id}/bids/{bidId}`. */
async function bidPage(request: PageRequest) {
  requireSession(request);
  return renderBid(request, idFrom(request.params.id, 'competition'), idFrom(request.params.bidId, 'bid'));
}

/**
 * Reads a scoring or moderation form and checks it as the JSON route would (its zod body schema), plus
 * what a person must fill in (a score and a note for each criterion). Answers the body when it is good.
 */
function readForm<S extends z.ZodType>(
  request: PageRequest,
  noteName: NoteName,
  schema: S,
): { rows: ScoreFormRow[]; body?: z.output<S>; issues: FieldIssue[] } {
  const rows = readScoreForm(request.form, noteName);
  const parsed = schema.safeParse(scoresBodyOf(rows, noteName));
  const issues = firstPerPath([...requiredIssues(rows, noteName), ...issuesOf(parsed)]);
  return parsed.success && issues.length === 0 ? { rows, body: parsed.data, issues } : { rows, issues };
}

/** `POST /commissioning/{id}/bids/{bidId}/scores`: the evaluator's own scores, as `PUT …/scores`. */
async function saveScores(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const bidId = idFrom(request.params.bidId, 'bid');
  const { rows, body, issues } = readForm(request, 'justification', scoresBody);
  if (!body) return renderBid(request, id, bidId, { noteName: 'justification', rows, issues });
  try {
    await scoreBid(repositories(), request.principal, id, bidId, body.scores, request.now);
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderBid(request, id, bidId, { noteName: 'justification', rows, issues: reported });
  }
  return redirect(`/commissioning/${id}/bids?saved=scores&bid=${bidId}`);
}

/** `POST /commissioning/{id}/bids/{bidId}/moderated-scores`: the moderator's agreed scores. */
async function saveModeration(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const bidId = idFrom(request.params.bidId, 'bid');
  const { rows, body, issues } = readForm(request, 'rationale', moderatedBody);
  if (!body) return renderBid(request, id, bidId, { noteName: 'rationale', rows, issues });
  try {
    await moderateBid(
      repositories(),
      request.principal,
      id,
      bidId,
      body.scores,
      request.now,
      config().rules.evaluation,
    );
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderBid(request, id, bidId, { noteName: 'rationale', rows, issues: reported });
  }
  return redirect(`/commissioning/${id}/bids?saved=moderation&bid=${bidId}`);
}

/**
 * `POST /commissioning/{id}/bids/{bidId}/price-clarification`: the lead records how the bidder explained
 * its price, as `POST /competitions/{id}/bids/{bidId}/price-clarification` (the same body schema and use
 * case: the policy decides, the audit log records it).
 */
async function savePriceClarification(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const bidId = idFrom(request.params.bidId, 'bid');
  const note = request.form.get('note') ?? '';
  const parsed = priceClarificationBody.safeParse({ note });
  if (!parsed.success || note.trim() === '') {
    const issues = note.trim() === '' ? [] : issuesOf(parsed);
    return renderBid(request, id, bidId, undefined, {
      note,
      issues:
        issues.length > 0
          ? issues
          : [{ path: 'note', message: 'Enter how the bidder explained the price, and your view of it' }],
    });
  }
  try {
    await recordPriceClarification(
      repositories(),
      request.principal,
      id,
      bidId,
      parsed.data.note,
      request.now,
    );
  } catch (error) {
    const reported = issuesFromError(error);
    if (!reported) throw error;
    return renderBid(request, id, bidId, undefined, {
      note,
      issues: reported.map((issue) => (issue.path ? issue : { ...issue, path: 'note' })),
    });
  }
  return redirect(`/commissioning/${id}/bids?saved=price&bid=${bidId}`);
}

/** This group's pages by route key. */
export const bidPages: PageMap = {
  'GET /commissioning/{id}/bids': bidsPage,
  'GET /commissioning/{id}/bids/{bidId}': bidPage,
  'POST /commissioning/{id}/bids/{bidId}/scores': saveScores,
  'POST /commissioning/{id}/bids/{bidId}/moderated-scores': saveModeration,
  'POST /commissioning/{id}/bids/{bidId}/price-clarification': savePriceClarification,
};
