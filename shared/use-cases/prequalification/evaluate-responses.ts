/**
 * The commissioner side of pre-qualification, all through the ethical wall: insiders read the responses
 * with their automatic results after the deadline, evaluators mark them, and the lead shortlists, which
 * opens tendering and tells every applicant the outcome.
 */
import { ulid } from 'ulid';
import type { DomainRules } from '../../config';
import type { TransactItem } from '../../db/audit';
import type { OutboxRepository } from '../../db/outbox';
import type {
  PrequalificationRepository,
  PrequalificationResponse,
  ResponseMark,
} from '../../db/prequalification';
import {
  type Competition,
  effectiveStatus,
  type PublicCompetition,
  publicView,
  responsesOpened,
  utc,
} from '../../domain/competitions';
import { govukDateTime } from '../../domain/dates';
import { ConflictError, InvalidStateError, NotFoundError, ValidationError } from '../../domain/errors';
import type { OutboxEvent } from '../../domain/notifications/outbox';
import { subjectLine } from '../../domain/notifications/subject-line';
import { decideCompetitionAccess, requireUser } from '../../domain/policy';
import type { Principal } from '../../domain/principal';
import { publicTenderFacts } from '../../domain/publication/projection';
import { tenderAmendmentRelease } from '../../domain/publication/releases';
import { failureReporter } from '../../failure-reporter';
import { enterWall, recordChange, type WallAccess, type WallDeps } from '../competitions/wall';
import { commitWithReleases, type PublicationDeps } from '../publication/publish';

type Deps = WallDeps & {
  prequalification: PrequalificationRepository;
};

/** What shortlisting needs besides: the outbox, where the outcome's events go with the decision. */
export type ShortlistDeps = Deps & PublicationDeps & { outbox: Pick<OutboxRepository, 'eventItems'> };

/** DynamoDB's limit of items in one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** A response with its marks. */
export type ResponseView = PrequalificationResponse & {
  marks: Omit<ResponseMark, 'providerId' | 'responseId'>[];
};

const DAY_MS = 86_400_000;

/** The wall's access to the responses for `action`, a refusal audited as `auditAction`. */
const responsesAccess = (action: WallAccess['action'], auditAction: string): WallAccess => ({
  resource: 'prequalification-responses',
  action,
  auditAction,
  auditAllowed: false,
});

function assertAfterDeadline(competition: Competition, now: Date): void {
  if (competition.prequalificationTier === 'none')
    throw new InvalidStateError('This competition has no pre-qualification.');
  if (!responsesOpened(competition, now)) {
    throw new InvalidStateError(
      competition.status === 'cancelled'
        ? 'This competition was cancelled before its pre-qualification deadline: its responses stay sealed.'
        : 'Responses stay closed until the pre-qualification deadline.',
    );
  }
}

/**
 * What the web pages show around the responses, beside what the JSON route answers: the competition as
 * anyone may see it (its title, tier and deadlines), and what the policy module lets the caller do, so a
 * page offers only the forms its reader may send (the use case still decides when one is sent).
 */
export interface ResponsesPanelContext {
  /** The competition's public view, from the state the wall already loaded (no extra read). */
  competition: PublicCompetition;
  /** Whether the policy module lets the caller mark responses, and decide the shortlist. */
  may: { mark: boolean; shortlist: boolean };
  /**
   * Who marks the responses: the panel's evaluators and moderator (from the state the wall loaded; the
   * panel is inside information every reader of the responses may read), so the shortlist page can say
   * whose marks are still missing.
   */
  markers: string[];
}

async function readResponses(deps: Deps, principal: Principal, id: string, now: Date) {
  const { state, facts } = await enterWall(
    deps,
    principal,
    id,
    responsesAccess('read', 'prequalification.read'),
    now,
  );
  assertAfterDeadline(state.competition, now);
  const { responses, marks } = await deps.prequalification.list(id);
  // The allowed read is recorded only once nothing more can refuse it.
  if (principal.kind === 'user') {
    await recordChange(deps, id, {
      at: now.toISOString(),
      actor: principal.sub,
      action: 'prequalification.read',
      resource: 'prequalification-responses',
    });
  }
  const items = responses.map((response) => ({
    ...response,
    marks: marks
      .filter((m) => m.responseId === response.id)
      .map(({ providerId: _p, responseId: _r, ...mark }) => mark),
  }));
  const allowed = (action: 'mark' | 'decide') =>
    decideCompetitionAccess(principal, facts, 'prequalification-responses', action).allowed;
  const context: ResponsesPanelContext = {
    competition: publicView(state.competition, now),
    may: { mark: allowed('mark'), shortlist: allowed('decide') },
    markers: state.panel
      ? [...new Set([...state.panel.evaluators, ...(state.panel.moderator ? [state.panel.moderator] : [])])]
      : [],
  };
  return { items, context };
}

/** `GET /competitions/{id}/prequalification-responses`: insiders, after the deadline. */
export async function listResponses(
  deps: Deps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<{ items: ResponseView[] }> {
  const { items } = await readResponses(deps, principal, id, now);
  return { items };
}

/**
 * `listResponses` for the web pages (`/commissioning/{id}/responses…`, the shortlist page): the same read,
 * the same audit event and the same storage calls, with the `ResponsesPanelContext` around it.
 */
export async function listResponsesForPanel(
  deps: Deps,
  principal: Principal,
  id: string,
  now: Date,
): Promise<{ items: ResponseView[] } & ResponsesPanelContext> {
  const { items, context } = await readResponses(deps, principal, id, now);
  return { items, ...context };
}

/** `PUT /competitions/{id}/prequalification-responses/{responseId}/marks`: a panel member's mark. */
export async function markResponse(
  deps: Deps,
  principal: Principal,
  id: string,
  responseId: string,
  input: { result: 'pass' | 'fail'; comment: string },
  now: Date,
): Promise<ResponseMark> {
  const user = requireUser(principal);
  const { state } = await enterWall(
    deps,
    principal,
    id,
    responsesAccess('mark', 'prequalification.mark'),
    now,
  );
  assertAfterDeadline(state.competition, now);
  if (effectiveStatus(state.competition, now) !== 'shortlisting')
    throw new InvalidStateError('Shortlisting is over.');
  const responses = await deps.prequalification.responses(id);
  const response = responses.find((r) => r.id === responseId);
  if (!response) throw new NotFoundError(`No response ${responseId}.`);
  const mark: ResponseMark = {
    providerId: response.providerId,
    responseId,
    evaluator: user.sub,
    result: input.result,
    comment: input.comment,
    markedAt: now.toISOString(),
  };
  await recordChange(
    deps,
    id,
    {
      at: mark.markedAt,
      actor: user.sub,
      action: 'prequalification.mark',
      resource: 'prequalification-responses',
    },
    { items: deps.prequalification.markItems(id, mark) },
  );
  return mark;
}

/**
 * The outbox events of a shortlisting decision: one per outcome, each addressed to exactly the
 * organisations it concerns and saying nothing of anyone else (no rival's name, response or result), with
 * the inbox notification the delivery writes for each of them. None for an outcome nobody had.
 */
export function shortlistEvents(
  competition: Pick<Competition, 'id' | 'title'>,
  outcome: { shortlisted: string[]; notShortlisted: string[]; tenderDeadline: string },
  now: Date,
): OutboxEvent[] {
  const at = now.toISOString();
  const { id, title } = competition;
  const link = `/competitions/${id}`;
  const closes = `Tenders close ${govukDateTime(outcome.tenderDeadline)}.`;
  const events: OutboxEvent[] = [];
  const shortlisted = [...new Set(outcome.shortlisted)];
  const notShortlisted = [...new Set(outcome.notShortlisted)].filter((p) => !shortlisted.includes(p));
  if (shortlisted.length > 0) {
    events.push({
      id: ulid(now.getTime()),
      kind: 'shortlisting',
      createdAt: at,
      audience: { type: 'members', providerIds: shortlisted },
      message: {
        subject: subjectLine(`Shortlisted: ${title}`),
        paragraphs: [
          'Your organisation is shortlisted and invited to tender.',
          `${closes} Read the tender documents and submit your bid before then.`,
        ],
        action: { text: 'Read the competition and bid', path: link },
      },
      inbox: {
        type: 'shortlisted',
        title: `Shortlisted: ${title}`,
        message: `You are invited to tender. ${closes}`,
        link,
        competitionId: id,
        competitionTitle: title,
        closes: 'tender',
        closesAt: outcome.tenderDeadline,
      },
    });
  }
  if (notShortlisted.length > 0) {
    events.push({
      id: ulid(now.getTime()),
      kind: 'shortlisting',
      createdAt: at,
      audience: { type: 'members', providerIds: notShortlisted },
      message: {
        subject: subjectLine(`Not shortlisted: ${title}`),
        paragraphs: ['Thank you for applying. Your organisation was not shortlisted this time.'],
        action: { text: 'Read the competition', path: link },
      },
      inbox: {
        type: 'not-shortlisted',
        title: `Not shortlisted: ${title}`,
        message: 'Thank you for applying. Your organisation was not shortlisted this time.',
        link,
        competitionId: id,
        competitionTitle: title,
      },
    });
  }
  return events;
}

/**
 * `POST /competitions/{id}/shortlist`: the lead invites applicants to tender. A new tender deadline is a
 * public change (an OCDS `tenderAmendment`, written with it); who was shortlisted is not. Every applicant
 * is told its own outcome by an outbox event written in the decision's transaction (`shortlistEvents`).
 *
 * The transaction also takes the competition off the opportunity lists: its items are the competition, a
 * new tender deadline's release and the feed counter, at most two events, the audit event and one delete
 * per opportunity entry. Entries are capped so that publishing fits (`MAX_OPPORTUNITY_ENTRIES`: 91 at most
 * by any choice of regions and services), so this is 97 at most. A competition published before the cap
 * (up to 96 entries) could need 102, over DynamoDB's 100: then the deletes that do not fit follow in a
 * second audited change. The decision and its events are never split: the listing those deletes remove
 * has been hidden since the pre-qualification deadline (lists read entries closing after now), so until the
 * second change commits it shows nothing to anyone.
 */
export async function shortlist(
  deps: ShortlistDeps,
  principal: Principal,
  id: string,
  input: { responseIds: string[]; tenderDeadline?: string | undefined },
  now: Date,
  rules: Pick<DomainRules, 'minTenderDays'>,
): Promise<Competition> {
  const user = requireUser(principal);
  const { state } = await enterWall(deps, principal, id, responsesAccess('decide', 'shortlist.decide'), now);
  const { competition } = state;
  if (effectiveStatus(competition, now) !== 'shortlisting') {
    throw new InvalidStateError(
      'Shortlisting happens after the pre-qualification deadline and before tendering.',
    );
  }
  const responses = await deps.prequalification.responses(id);
  const issues = input.responseIds.flatMap((responseId, i) => {
    const response = responses.find((r) => r.id === responseId);
    if (!response) return [{ path: `responseIds.${i}`, message: 'No such response' }];
    const failed = [response.automatic.exclusion, response.automatic.financial].filter(
      (r) => r.result === 'fail',
    );
    return failed.length > 0
      ? [{ path: `responseIds.${i}`, message: `${response.providerName} failed the automatic checks` }]
      : [];
  });
  const tenderDeadline =
    input.tenderDeadline === undefined ? competition.tenderDeadline : utc(input.tenderDeadline);
  if (Date.parse(tenderDeadline) <= Math.max(now.getTime(), now.getTime() + rules.minTenderDays * DAY_MS)) {
    issues.push({
      path: 'tenderDeadline',
      message: `The tender deadline must be at least ${rules.minTenderDays} days after shortlisting: give a later one`,
    });
  }
  if (issues.length > 0) throw new ValidationError(`The shortlist has ${issues.length} problem(s).`, issues);
  const chosen = new Set(input.responseIds);
  const at = now.toISOString();
  const after: Competition = {
    ...competition,
    status: 'tendering',
    tenderDeadline,
    shortlist: responses.filter((r) => chosen.has(r.id)).map((r) => r.providerId),
    updatedAt: at,
    version: competition.version + 1,
  };
  const releases =
    tenderDeadline === competition.tenderDeadline
      ? []
      : [
          tenderAmendmentRelease(deps.publication.context, publicTenderFacts(after), {
            kind: 'deadline',
            at,
            previousTenderDeadline: competition.tenderDeadline,
          }),
        ];
  const events = shortlistEvents(
    competition,
    {
      shortlisted: after.shortlist ?? [],
      notShortlisted: responses.filter((r) => !chosen.has(r.id)).map((r) => r.providerId),
      tenderDeadline,
    },
    now,
  );
  const eventItems = events.flatMap((event) => deps.outbox.eventItems(event));
  const listing = deps.competitions.closeItems(competition);
  let later: TransactItem[] = [];
  await commitWithReleases(deps, releases, now, (published) => {
    const decision = [...deps.competitions.updateItems(competition, after), ...published, ...eventItems];
    // The audit event is the transaction's last item.
    const room = MAX_TRANSACTION_ITEMS - decision.length - 1;
    later = listing.slice(room);
    return recordChange(
      deps,
      id,
      { at, actor: user.sub, action: 'shortlist.decide', resource: 'prequalification-responses' },
      {
        // The competition's own item first: `onRefused` is about it.
        items: [...decision, ...listing.slice(0, room)],
        onRefused: () =>
          new ConflictError('The competition changed while shortlisting; reload it and try again.'),
      },
    );
  });
  if (later.length > 0) {
    try {
      await recordChange(
        deps,
        id,
        { at, actor: user.sub, action: 'shortlist.close-listing', resource: 'competition' },
        { items: later },
      );
    } catch (error) {
      // Decided: the answer is the decision. The entries left are hidden already (see above).
      const report = failureReporter();
      report.error('Opportunity entries were not deleted after a shortlist', {
        competitionId: id,
        entries: later.length,
        error,
      });
      report.count('OpportunityEntriesLeft');
    }
  }
  return after;
}
