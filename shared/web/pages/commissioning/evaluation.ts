/**
 * The evaluation and award pages of the commissioning workspace: the ranking with how its points are worked
 * out, the lead's award decision (standstill begins), its confirmation once standstill ends, and the
 * contract the award let.
 *
 * Every page calls the use case its JSON route calls (`getEvaluation` through `getEvaluationInContext`,
 * `decideAward`, `confirmAward`, `getContract`): the policy module decides who may see and do what, and the
 * use cases record each inside read and each refusal in the audit log. Refusals (sealed before the tender
 * deadline, outside the wall, no declaration yet, standstill not over) reach the page stack as errors and
 * become error pages with the API's status.
 */
import { config } from '../../../config';
import {
  auditRepository,
  bidRepository,
  challengeRepository,
  competitionRepository,
  contractRepository,
  membershipRepository,
  outboxWriter,
  providerRepository,
  publicationRepository,
} from '../../../db/repositories';
import type { Criterion } from '../../../domain/competitions';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import { ulidSchema } from '../../../http/schemas/common';
import { tenderSchemas } from '../../../http/schemas/tenders';
import { getProvider } from '../../../use-cases/get-provider';
import { getContract } from '../../../use-cases/subcontracting/contracts';
import {
  confirmAward,
  decideAward,
  type EvaluationInContext,
  getEvaluationInContext,
} from '../../../use-cases/tenders/evaluation';
import { formErrors, issuesFromError, issuesOf } from '../../forms';
import { escapeHtml, govukDate, govukDateTime, label, pounds } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { commissioningBreadcrumbs, competitionPageContext, statusTag } from './common';

/** The repositories the evaluation use cases need (as `functions/tenders/evaluation.ts` builds them). */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
    contracts: contractRepository(),
    challenges: challengeRepository(),
    providers: providerRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

const awardBody = tenderSchemas['POST /competitions/{id}/award'].body;

/** The competition id of the address, or the 404 page: a malformed id names no competition. */
function competitionId(request: PageRequest): string {
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No competition at this address.');
  return id.data;
}

/** Points as the ranking shows them: two decimals, as the totals are rounded. */
const points = (value: number) => value.toFixed(2);

/** What the award form sent, shown again with its problems. */
interface AwardForm {
  values: { bidId: string; rationale: string; overrideReason: string };
  issues: FieldIssue[];
}

/** The form's fields, as typed (the schema trims; the page gives back what the user wrote). */
function awardValues(form: URLSearchParams): AwardForm['values'] {
  return {
    bidId: form.get('bidId') ?? '',
    rationale: form.get('rationale') ?? '',
    overrideReason: form.get('overrideReason') ?? '',
  };
}

/** GOV.UK wording for the award form's problems (the schema's suit an API client). */
function awardIssues(issues: readonly FieldIssue[]): FieldIssue[] {
  return issues.map((issue) => {
    if (issue.path === 'bidId') return { ...issue, message: 'Choose the bid to award' };
    if (issue.path === 'rationale' && /Enter a value|Invalid input/.test(issue.message)) {
      return { ...issue, message: 'Enter the reasons for the award decision' };
    }
    return issue;
  });
}

/** Which award step the page shows. */
type AwardStep =
  | 'decide'
  | 'incomplete'
  | 'lead-decides'
  | 'standstill'
  | 'confirm'
  | 'awarded'
  | 'cancelled'
  | 'no-bids';

function awardStep(context: EvaluationInContext, now: Date): AwardStep {
  const { competition, evaluation, mayDecide } = context;
  const award = competition.award;
  if (competition.status === 'cancelled') return 'cancelled';
  if (award?.awardedAt) return 'awarded';
  if (award && competition.status === 'standstill') {
    // An open challenge keeps the award from being confirmed (issue 15): no confirm form while one is.
    return mayDecide && context.openChallenges === 0 && now.getTime() >= Date.parse(award.standstillEndsAt)
      ? 'confirm'
      : 'standstill';
  }
  if (evaluation.ranking.length === 0) return 'no-bids';
  if (!mayDecide) return 'lead-decides';
  return evaluation.complete ? 'decide' : 'incomplete';
}

/** The page's words and tables from the evaluation the use case answered. */
function evaluationPage(request: PageRequest, context: EvaluationInContext, form?: AwardForm) {
  const { competition, evaluation, bids } = context;
  const byId = new Map(bids.map((bid) => [bid.bidId, bid]));
  const nameOf = (bidId: string) => byId.get(bidId)?.providerName ?? 'A bidder';
  const criteria = competition.criteria;
  const quality = criteria.filter((c) => c.kind === 'quality');
  const price: Criterion | undefined = criteria.find((c) => c.kind === 'price');
  const criterionName = (criterionId: string) =>
    criteria.find((c) => c.id === criterionId)?.name ?? criterionId;
  const bidLink = (bidId: string) =>
    `<a class="govuk-link" href="/commissioning/${encodeURIComponent(competition.id)}/bids/${encodeURIComponent(bidId)}">${escapeHtml(nameOf(bidId))}</a>`;
  const lowLink = (bidId: string, low: boolean) =>
    low
      ? `${bidLink(bidId)} <strong class="govuk-tag govuk-tag--orange">Abnormally low price</strong>`
      : bidLink(bidId);

  const rankingRows = evaluation.ranking.map((entry) => [
    { text: String(entry.rank), format: 'numeric' },
    { html: lowLink(entry.bidId, entry.abnormallyLow) },
    { text: points(entry.qualityPoints), format: 'numeric' },
    { text: points(entry.pricePoints), format: 'numeric' },
    { text: points(entry.totalPoints), format: 'numeric' },
  ]);
  const missing = bids
    .filter((bid) => bid.missingCriteria.length > 0)
    .map(
      (bid) =>
        `${bid.providerName}: no agreed (moderated) score yet for ${bid.missingCriteria.map(criterionName).join(', ')}`,
    );
  const setAside = evaluation.setAside.map(
    (s) =>
      `${nameOf(s.bidId)}: the moderation recorded on ${govukDateTime(s.moderatedAt)} no longer counts, because its moderator is no longer the moderator inside the wall; the bid must be moderated again`,
  );

  const prices = evaluation.ranking.map((entry) => byId.get(entry.bidId)?.pricePence ?? 0);
  const lowest = prices.length > 0 ? Math.min(...prices) : 0;
  const priceRows = evaluation.ranking.map((entry) => {
    const bidPrice = byId.get(entry.bidId)?.pricePence ?? 0;
    return [
      { text: nameOf(entry.bidId) },
      { text: pounds(bidPrice), format: 'numeric' },
      { text: `${price?.weight ?? 0} × ${pounds(lowest)} ÷ ${pounds(bidPrice)}` },
      { text: points(entry.pricePoints), format: 'numeric' },
    ];
  });
  const criterionHead = [
    { text: 'Organisation' },
    ...quality.map((c) => ({ text: `${c.name} (weight ${c.weight})`, format: 'numeric' })),
    ...(price ? [{ text: `${price.name} (weight ${price.weight})`, format: 'numeric' }] : []),
    { text: 'Total', format: 'numeric' },
  ];
  const criterionRows = evaluation.ranking.map((entry) => [
    { text: nameOf(entry.bidId) },
    ...[...quality, ...(price ? [price] : [])].map((c) => ({
      text: points(Object.hasOwn(entry.byCriterion, c.id) ? (entry.byCriterion[c.id] ?? 0) : 0),
      format: 'numeric',
    })),
    { text: points(entry.totalPoints), format: 'numeric' },
  ]);

  const step = awardStep(context, request.now);
  const award = competition.award;
  const first = evaluation.ranking[0];
  const awardRows = award
    ? [
        { key: { text: 'Awarded to' }, value: { text: award.providerName } },
        { key: { text: 'Value' }, value: { text: pounds(award.valuePence) } },
        { key: { text: 'Reasons for the decision' }, value: { text: award.rationale } },
        ...(award.override
          ? [
              {
                key: { text: 'Departs from the ranking' },
                value: { text: `The bid ranked ${award.override.rank} was chosen: ${award.override.reason}` },
              },
            ]
          : []),
        { key: { text: 'Decided' }, value: { text: govukDateTime(award.decidedAt) } },
        {
          key: { text: award.awardedAt ? 'Standstill ended' : 'Standstill ends' },
          value: { text: govukDateTime(award.standstillEndsAt) },
        },
        ...(award.awardedAt
          ? [{ key: { text: 'Confirmed' }, value: { text: govukDateTime(award.awardedAt) } }]
          : []),
      ]
    : [];
  const values = form?.values ?? { bidId: '', rationale: '', overrideReason: '' };
  const bidChoices = evaluation.ranking.map((entry) => ({
    value: entry.bidId,
    text: `${nameOf(entry.bidId)}: ranked ${entry.rank}, ${points(entry.totalPoints)} points`,
    ...(entry.abnormallyLow
      ? { hint: { text: 'Abnormally low price: its price must have been clarified before it can win.' } }
      : {}),
    checked: values.bidId === entry.bidId,
  }));
  const { errorList, errors } = formErrors(form?.issues ?? []);
  const done = request.query.done;
  return render(
    request,
    'commissioning/evaluation.njk',
    {
      ...competitionPageContext(competition, 'evaluation', { principal: request.principal }),
      title: `Evaluation and award: ${competition.title}`,
      competition,
      tag: statusTag(competition.status),
      complete: evaluation.complete,
      hasBids: evaluation.ranking.length > 0,
      missing,
      setAside,
      rankingRows,
      criteria: criteria.map((c) => ({ name: c.name, weight: c.weight, kind: c.kind })),
      priceWeight: price?.weight ?? 0,
      lowestPrice: pounds(lowest),
      priceRows,
      criterionHead,
      criterionRows,
      step,
      firstName: first ? nameOf(first.bidId) : '',
      awardRows,
      standstillDays: config().rules.standstillDays,
      standstillEnds: award ? govukDateTime(award.standstillEndsAt) : '',
      standstillOver: award ? request.now.getTime() >= Date.parse(award.standstillEndsAt) : false,
      contractHref: award?.contractId
        ? `/commissioning/contracts/${encodeURIComponent(award.contractId)}`
        : '',
      bidChoices,
      openChallenges: context.openChallenges,
      challengesHref: `/commissioning/${encodeURIComponent(competition.id)}/challenges`,
      values,
      errors,
      errorList,
      notice: done === 'decided' ? 'decided' : done === 'confirmed' ? 'confirmed' : '',
    },
    form && form.issues.length > 0 ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/evaluation`: the ranking, and the award step the competition is at. */
async function evaluationGet(request: PageRequest) {
  requireSession(request);
  const id = competitionId(request);
  return evaluationPage(
    request,
    await getEvaluationInContext(repositories(), request.principal, id, request.now),
  );
}

/**
 * `POST /commissioning/{id}/evaluation/award`: the award decision through `decideAward`, with the body the
 * JSON route validates (`awardBody`). A form with problems is shown again with what was typed, and nothing
 * is stored; a decision sends the lead back to the evaluation page, now in standstill.
 */
async function awardPost(request: PageRequest) {
  requireSession(request);
  const id = competitionId(request);
  const values = awardValues(request.form);
  const parsed = awardBody.safeParse({
    bidId: values.bidId || undefined,
    rationale: values.rationale,
    // A blank override reason is no reason: the use case then says whether one is needed.
    ...(values.overrideReason.trim() ? { overrideReason: values.overrideReason } : {}),
  });
  const deps = repositories();
  let issues = awardIssues(issuesOf(parsed));
  if (parsed.success) {
    try {
      await decideAward(deps, request.principal, id, parsed.data, request.now, config().rules);
      return redirect(`/commissioning/${id}/evaluation?done=decided`);
    } catch (error) {
      const reported = issuesFromError(error);
      if (!reported) throw error;
      issues = awardIssues(reported);
    }
  }
  return evaluationPage(request, await getEvaluationInContext(deps, request.principal, id, request.now), {
    values,
    issues,
  });
}

/**
 * `POST /commissioning/{id}/evaluation/confirm`: confirms the award through `confirmAward`; before standstill
 * ends the use case refuses (the 409 page says until when).
 */
async function confirmPost(request: PageRequest) {
  requireSession(request);
  const id = competitionId(request);
  await confirmAward(repositories(), request.principal, id, request.now);
  return redirect(`/commissioning/${id}/evaluation?done=confirmed`);
}

/**
 * `GET /commissioning/contracts/{id}`: a contract's basics for commissioners, through `getContract` (as
 * `GET /contracts/{id}`). Its sub-contracting figures live in the sub-contracting table, which the function
 * serving this page cannot read: this page shows what the procurement table holds.
 */
async function contractGet(request: PageRequest) {
  requireSession(request);
  const id = ulidSchema.safeParse(request.params.id);
  if (!id.success) throw new NotFoundError('No contract at this address.');
  const deps = {
    contracts: contractRepository(),
    memberships: membershipRepository(),
    providers: providerRepository(),
  };
  const contract = await getContract(deps, request.principal, id.data);
  // Whoever may read the contract may read its prime's profile (commissioners, admins, the prime's members).
  const prime = await getProvider(deps, request.principal, contract.primeProviderId).catch(
    (error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    },
  );
  const targets = contract.subcontracting;
  const rows = [
    { key: { text: 'Prime provider' }, value: { text: prime?.name ?? contract.primeProviderId } },
    { key: { text: 'Value' }, value: { text: pounds(contract.valuePence) } },
    { key: { text: 'Starts' }, value: { text: govukDate(contract.startDate) } },
    { key: { text: 'Ends' }, value: { text: govukDate(contract.endDate) } },
    { key: { text: 'Regions' }, value: { text: contract.regions.map(label).join(', ') } },
    { key: { text: 'Services' }, value: { text: contract.services.map(label).join(', ') } },
    {
      key: { text: 'Sub-contracting target' },
      value: {
        text: `${targets.targetPercent}% of the contract value${
          targets.voluntarySectorTargetPercent !== undefined
            ? `, ${targets.voluntarySectorTargetPercent}% of it to voluntary-sector organisations`
            : ''
        }`,
      },
    },
    { key: { text: 'Let' }, value: { text: govukDateTime(contract.createdAt) } },
  ];
  const competition = contract.competitionId
    ? { id: contract.competitionId, title: contract.title }
    : undefined;
  return render(request, 'commissioning/contract.njk', {
    title: `Contract: ${contract.title}`,
    section: 'commissioning',
    breadcrumbs: commissioningBreadcrumbs(competition),
    contract,
    rows,
    evaluationHref: competition ? `/commissioning/${encodeURIComponent(competition.id)}/evaluation` : '',
  });
}

/** This group's pages by route key. */
export const evaluationPages: PageMap = {
  'GET /commissioning/{id}/evaluation': evaluationGet,
  'POST /commissioning/{id}/evaluation/award': awardPost,
  'POST /commissioning/{id}/evaluation/confirm': confirmPost,
  'GET /commissioning/contracts/{id}': contractGet,
};
