// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * Standstill challenges in the commissioning workspace (issue 15): the list
 * (`/commissioning/{id}/challenges`), and one challenge with the lead's decision form
 * (`/commissioning/{id}/challenges/{challengeId}`): upheld or rejected, with reasons, and when upheld
 * whether the bids are evaluated again or the competition is cancelled. Auditors and the panel read.
 *
 * Every page calls the use case its JSON route calls (`listChallenges` and `getChallenge` as
 * `GET /competitions/{id}/challenges`, `decideChallenge` as `POST …/decision`): the policy module decides,
 * the audit log records each inside read and each refusal.
 */
import {
  auditRepository,
  bidRepository,
  challengeRepository,
  competitionRepository,
  membershipRepository,
  notificationRepository,
  outboxWriter,
  publicationRepository,
} from '../../../db/repositories';
import type { ChallengeDecisionInput } from '../../../domain/challenges';
import { CHALLENGE_LIMITS } from '../../../domain/challenges';
import { type FieldIssue, NotFoundError } from '../../../domain/errors';
import { challengeDecisionBody } from '../../../http/schemas/challenges';
import { pageQuerySchema, ulidSchema } from '../../../http/schemas/common';
import {
  type ChallengeInContext,
  type ChallengeInsideDeps,
  decideChallenge,
  getChallenge,
  listChallenges,
} from '../../../use-cases/challenges/inside';
import type { ChallengeView } from '../../../use-cases/challenges/view';
import { AFTER_UPHELD, challengeTagHtml } from '../../challenge-labels';
import { formErrors, humanise, issuesFromError, issuesOf } from '../../forms';
import { escapeHtml, govukDateTime } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionPageContext, statusTag } from './common';

/** The repositories the challenge use cases need (as `functions/challenges/decisions.ts` builds them). */
function repositories(): ChallengeInsideDeps {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
    challenges: challengeRepository(),
    notifications: notificationRepository(),
    publication: publicationRepository(),
    outbox: outboxWriter(),
  };
}

function idFrom(raw: string | undefined, what: string): string {
  const id = ulidSchema.safeParse(raw);
  if (!id.success) throw new NotFoundError(`No ${what} at this address.`);
  return id.data;
}

const tagHtml = (challenge: ChallengeView) => challengeTagHtml(challenge.status);

/** `GET /commissioning/{id}/challenges`: every challenge of the award, oldest first, a page at a time. */
async function listPage(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const page = pageQuerySchema.safeParse({ limit: 50, cursor: request.query.cursor || undefined });
  if (!page.success) throw new NotFoundError('No such page of challenges.');
  const list = await listChallenges(repositories(), request.principal, id, page.data, request.now);
  const { competition } = list;
  const base = `/commissioning/${encodeURIComponent(competition.id)}/challenges`;
  const rows = list.items.map((c) => [
    {
      html: `<a class="govuk-link" href="${base}/${encodeURIComponent(c.id)}">${escapeHtml(c.providerName)}</a>`,
    },
    { text: govukDateTime(c.raisedAt) },
    { html: tagHtml(c) },
  ]);
  const open = list.items.filter((c) => c.status === 'open').length;
  return render(request, 'commissioning/challenges.njk', {
    ...competitionPageContext(competition, 'challenges', { principal: request.principal }),
    title: `Challenges: ${competition.title}`,
    competition,
    tag: statusTag(competition.status),
    rows,
    open,
    mayDecide: list.mayDecide,
    standstillEnds: competition.award ? govukDateTime(competition.award.standstillEndsAt) : '',
    inStandstill: competition.status === 'standstill',
    nextHref: list.nextCursor ? `${base}?cursor=${encodeURIComponent(list.nextCursor)}` : '',
    evaluationHref: `/commissioning/${encodeURIComponent(competition.id)}/evaluation`,
  });
}

/** What the decision form sent, as typed. */
interface DecisionForm {
  values: { outcome: string; reasons: string; then: string };
  issues: FieldIssue[];
}

/** Renders one challenge, with the decision form when the viewer may decide and it is open. */
function challengePage(request: PageRequest, context: ChallengeInContext, form?: DecisionForm) {
  const { challenge, competition } = context;
  const { errorList, errors } = formErrors(form?.issues ?? []);
  const values = form?.values ?? { outcome: '', reasons: '', then: '' };
  const decision = challenge.decision;
  const rows = [
    { key: { text: 'Challenger' }, value: { text: challenge.providerName } },
    { key: { text: 'Raised' }, value: { text: govukDateTime(challenge.raisedAt) } },
    { key: { text: 'Of the award decision made' }, value: { text: govukDateTime(challenge.awardDecidedAt) } },
    { key: { text: 'Grounds' }, value: { text: challenge.grounds } },
    { key: { text: 'Status' }, value: { html: tagHtml(challenge) } },
    ...(decision
      ? [
          { key: { text: 'Decided' }, value: { text: govukDateTime(decision.decidedAt) } },
          ...(decision.decidedBy
            ? [{ key: { text: 'Decided by' }, value: { text: decision.decidedBy } }]
            : []),
          { key: { text: 'Reasons' }, value: { text: decision.reasons } },
          ...(decision.then ? [{ key: { text: 'Then' }, value: { text: AFTER_UPHELD[decision.then] } }] : []),
        ]
      : []),
  ];
  const base = `/commissioning/${encodeURIComponent(competition.id)}/challenges`;
  return render(
    request,
    'commissioning/challenge.njk',
    {
      ...competitionPageContext(competition, 'challenges', { principal: request.principal }),
      title: `Challenge by ${challenge.providerName}: ${competition.title}`,
      competition,
      challenge,
      rows,
      decide: context.mayDecide && challenge.status === 'open',
      superseded: challenge.status === 'superseded',
      action: `${base}/${encodeURIComponent(challenge.id)}`,
      listHref: base,
      maxReasons: CHALLENGE_LIMITS.reasons,
      outcomeItems: [
        {
          value: 'rejected',
          text: 'Reject the challenge',
          hint: {
            text: 'The award decision stands. Once no challenge is open and the standstill period has ended, you can confirm the award.',
          },
          checked: values.outcome === 'rejected',
        },
        {
          value: 'upheld',
          text: 'Uphold the challenge',
          hint: { text: 'The award decision is withdrawn. Say below what follows.' },
          checked: values.outcome === 'upheld',
        },
      ],
      thenItems: [
        {
          value: 're-evaluate',
          text: 'Evaluate the bids again',
          hint: {
            text: 'The competition returns to evaluation. The scores and moderation are kept; you decide the award again, which starts a new standstill period.',
          },
          checked: values.then === 're-evaluate',
        },
        {
          value: 'cancel',
          text: 'Cancel the competition',
          hint: { text: 'No contract is let.' },
          checked: values.then === 'cancel',
        },
      ],
      values,
      errors,
      errorList,
      notice: request.query.done === 'decided' ? 'decided' : '',
    },
    form && form.issues.length > 0 ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/challenges/{challengeId}`. */
async function challengeGet(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const challengeId = idFrom(request.params.challengeId, 'challenge');
  return challengePage(
    request,
    await getChallenge(repositories(), request.principal, id, challengeId, request.now),
  );
}

/**
 * `POST /commissioning/{id}/challenges/{challengeId}`: the lead's decision through `decideChallenge`, with
 * the body the JSON route validates. What follows is sent only with an upheld challenge (a choice left
 * selected beside "reject" is dropped). A form with problems is shown again as typed; nothing is stored.
 */
async function challengePost(request: PageRequest) {
  requireSession(request);
  const id = idFrom(request.params.id, 'competition');
  const challengeId = idFrom(request.params.challengeId, 'challenge');
  const values = {
    outcome: request.form.get('outcome') ?? '',
    reasons: request.form.get('reasons') ?? '',
    then: request.form.get('then') ?? '',
  };
  const parsed = challengeDecisionBody.safeParse({
    outcome: values.outcome || undefined,
    reasons: values.reasons,
    ...(values.outcome === 'upheld' && values.then ? { then: values.then } : {}),
  });
  const deps = repositories();
  let issues = humanise(issuesOf(parsed), {
    outcome: 'Select whether you uphold or reject the challenge',
    reasons: 'Enter the reasons for your decision',
  });
  if (parsed.success) {
    try {
      await decideChallenge(
        deps,
        request.principal,
        id,
        challengeId,
        parsed.data as ChallengeDecisionInput,
        request.now,
      );
      return redirect(`/commissioning/${id}/challenges/${challengeId}?done=decided`);
    } catch (error) {
      const reported = issuesFromError(error);
      if (!reported) throw error;
      issues = reported;
    }
  }
  return challengePage(request, await getChallenge(deps, request.principal, id, challengeId, request.now), {
    values,
    issues,
  });
}

/** This group's pages by route key. */
export const challengePages: PageMap = {
  'GET /commissioning/{id}/challenges': listPage,
  'GET /commissioning/{id}/challenges/{challengeId}': challengeGet,
  'POST /commissioning/{id}/challenges/{challengeId}': challengePost,
};
