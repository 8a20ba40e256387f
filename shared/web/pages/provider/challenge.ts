/**
 * `GET|POST /your-competitions/{id}/challenge`: a bidder challenges the award decision during standstill,
 * and sees its challenge and the lead's decision on it.
 *
 * The page calls the challenger's use cases (`getOwnChallenge`, and `raiseChallenge` as `POST
 * /competitions/{id}/challenges` does), which resolve the user's organisation that bid and reach its
 * debrief and challenge only through that organisation's provider data access: nothing here reads another
 * bidder's data or the evaluation. The grounds are validated with the JSON route's schema; a form with
 * problems is shown again with what was typed. A member of several organisations that bid is asked which
 * one challenges (`?organisation=`, then a hidden `providerId` in the form), checked again by the use cases.
 */
import { challengeRepository } from '../../../db/repositories';
import { CHALLENGE_LIMITS } from '../../../domain/challenges';
import { DomainError, type FieldIssue, ValidationError } from '../../../domain/errors';
import { raiseChallengeBody } from '../../../http/schemas/challenges';
import { ulidSchema } from '../../../http/schemas/common';
import {
  challengerChoice,
  getOwnChallenge,
  type OwnChallenge,
  raiseChallenge,
} from '../../../use-cases/challenges/challenger';
import { AFTER_UPHELD, challengeTagHtml } from '../../challenge-labels';
import { formErrors, humanise, issuesFromError, issuesOf } from '../../forms';
import { govukDateTime } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionIdOf, providerBreadcrumbs, providerCompetitionDeps } from './common';

/** The use cases' dependencies: the provider pages' own, with the challenge repository used locally. */
function deps() {
  return { ...providerCompetitionDeps(), challenges: challengeRepository() };
}

/** The organisation the address or form names (`organisation`, `providerId`), when it is an id at all. */
function requestedOrganisation(value: string | null | undefined): string | undefined {
  const parsed = ulidSchema.safeParse(value ?? undefined);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The organisation's challenge page, or – for a member of several organisations that bid, none named yet –
 * the question which of them challenges (the use cases refuse to guess), asked with a GET form.
 */
async function ownOrChoice(request: PageRequest, id: string, requested: string | undefined) {
  try {
    return await getOwnChallenge(deps(), request.principal, id, requested);
  } catch (error) {
    const choose =
      requested === undefined &&
      error instanceof ValidationError &&
      error.issues.some((issue) => issue.path === 'providerId');
    if (!choose) throw error;
    const choice = await challengerChoice(deps(), request.principal, id);
    return render(request, 'provider/challenge.njk', {
      title: `Challenge the award decision: ${choice.competition.title}`,
      section: 'competitions',
      breadcrumbs: providerBreadcrumbs(choice.competition),
      competition: choice.competition,
      choices: choice.organisations.map((o) => ({ value: o.providerId, text: o.providerName })),
      debriefHref: `/your-competitions/${encodeURIComponent(id)}/debrief`,
      errors: {},
      errorList: [],
    });
  }
}

/** Renders the page, with what was typed and its problems. */
function challengePage(
  request: PageRequest,
  own: OwnChallenge,
  requested: string | undefined,
  grounds = '',
  issues: FieldIssue[] = [],
) {
  const { errorList, errors } = formErrors(issues);
  const { challenge } = own;
  const rows = challenge
    ? [
        { key: { text: 'Raised' }, value: { text: govukDateTime(challenge.raisedAt) } },
        { key: { text: 'Grounds' }, value: { text: challenge.grounds } },
        {
          key: { text: 'Status' },
          value: {
            html: challengeTagHtml(challenge.status),
          },
        },
        ...(challenge.decision
          ? [
              { key: { text: 'Decided' }, value: { text: govukDateTime(challenge.decision.decidedAt) } },
              { key: { text: 'Reasons for the decision' }, value: { text: challenge.decision.reasons } },
              ...(challenge.decision.then
                ? [
                    {
                      key: { text: 'What happens next' },
                      value: { text: AFTER_UPHELD[challenge.decision.then] },
                    },
                  ]
                : []),
            ]
          : []),
      ]
    : [];
  return render(
    request,
    'provider/challenge.njk',
    {
      title: `Challenge the award decision: ${own.competition.title}`,
      section: 'competitions',
      breadcrumbs: providerBreadcrumbs({ id: own.competition.id, title: own.competition.title }),
      competition: own.competition,
      providerName: own.providerName,
      standstillEnds: own.competition.standstillEndsAt ? govukDateTime(own.competition.standstillEndsAt) : '',
      mayRaise: own.mayRaise,
      refusal: own.refusal ?? '',
      challenge,
      superseded: challenge?.status === 'superseded',
      rows,
      grounds,
      maxGrounds: CHALLENGE_LIMITS.grounds,
      debriefHref: `/your-competitions/${encodeURIComponent(own.competition.id)}/debrief`,
      // Which organisation challenges, sent with the form when the user chose it among several that bid.
      providerId: requested ? own.providerId : '',
      notice: request.query.done === 'raised' ? 'raised' : '',
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-competitions/{id}/challenge`. */
async function challengeGet(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const requested = requestedOrganisation(request.query.organisation);
  const own = await ownOrChoice(request, id, requested);
  return 'challenge' in own ? challengePage(request, own, requested) : own;
}

/**
 * `POST /your-competitions/{id}/challenge`: raises the challenge through `raiseChallenge`. Grounds with
 * problems (blank, too long) are shown again as typed, and nothing is stored; a refusal the use case decides
 * (standstill over, already challenged) is shown the same way, against the grounds.
 */
async function challengePost(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const grounds = request.form.get('grounds') ?? '';
  const requested = requestedOrganisation(request.form.get('providerId'));
  const parsed = raiseChallengeBody.safeParse({ grounds, ...(requested ? { providerId: requested } : {}) });
  let issues = humanise(issuesOf(parsed), { grounds: 'Enter the grounds of your challenge' });
  if (parsed.success) {
    try {
      await raiseChallenge(deps(), request.principal, id, parsed.data, request.now);
      const query = new URLSearchParams({
        done: 'raised',
        ...(requested ? { organisation: requested } : {}),
      });
      return redirect(`/your-competitions/${id}/challenge?${query.toString()}`);
    } catch (error) {
      const reported = issuesFromError(error);
      if (reported) issues = reported.map((issue) => ({ ...issue, path: issue.path || 'grounds' }));
      // The challenge can no longer be raised (standstill over, already challenged): the page says why,
      // and the summary links to the page itself, as no form is shown any more.
      else if (error instanceof DomainError && (error.code === 'conflict' || error.code === 'invalid-state'))
        issues = [{ path: '', message: error.message }];
      else throw error;
    }
  }
  const own = await ownOrChoice(request, id, requested);
  return 'challenge' in own ? challengePage(request, own, requested, grounds, issues) : own;
}

/** This group's pages by route key. */
export const challengePages: PageMap = {
  'GET /your-competitions/{id}/challenge': challengeGet,
  'POST /your-competitions/{id}/challenge': challengePost,
};
