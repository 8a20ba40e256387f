/**
 * `GET /me/competitions` and the web's "Your competitions" (`/commissioning`): the competitions the caller
 * leads or sits on the panel of (every competition, for auditors and admins), newest first, each with its
 * status as of now and what is waiting for the caller there, in plain words.
 *
 * What a page costs, whatever the number of competitions in the service:
 * - one Query of the caller's seats (or, for oversight, of the every-competition index), `limit + 1` items;
 * - one BatchGetItem of the listed competitions' records and panels (two keys each: one call up to 50
 *   competitions, two calls in parallel up to 100);
 * - one Query per listed competition that is still running and where the caller holds a seat, reading only
 *   the caller's own declaration history there (`DECL#<sub>`, a few small items): "Declare your interests"
 *   depends on it. Closed competitions, and those an auditor or admin merely oversees, cost nothing more.
 * No Scan, and nothing read from the sealed table: the list shows no inside information, so reading it is
 * not an audited access (the pages it links to are).
 */
import type { CompetitionRepository, CompetitionSummary, Seat, SeatRole } from '../../db/competitions';
import { seatsOf } from '../../db/competitions';
import type { Page } from '../../db/pagination';
import { type Competition, type CompetitionStatus, effectiveStatus } from '../../domain/competitions';
import { govukDate } from '../../domain/dates';
import { effectiveDeclarations } from '../../domain/declarations';
import { assertCanUseWorkspace } from '../../domain/policy';
import type { Principal } from '../../domain/principal';

/** One listed competition. */
export interface YourCompetition {
  id: string;
  title: string;
  /** The status as of now: deadlines move it on by themselves. */
  status: CompetitionStatus;
  /** The caller's roles here; empty for a competition an auditor or admin oversees without a seat. */
  roles: SeatRole[];
  /** What the caller should do next here, in plain words; null when nothing is waiting for them. */
  whatIsWaiting: string | null;
  createdAt: string;
}

/** Where the caller stands in their own declarations for one competition. */
export type DeclarationStanding = 'not-declared' | 'conflict' | 'declared';

const CLOSED: readonly CompetitionStatus[] = ['awarded', 'cancelled'];

/** Joins tasks into one sentence: "Declare your interests, then score the bids". */
function sentence(tasks: string[]): string | null {
  if (tasks.length === 0) return null;
  return tasks
    .map((task, i) => (i === 0 ? task : `${task.charAt(0).toLowerCase()}${task.slice(1)}`))
    .join(', then ');
}

/**
 * What is waiting for a seat holder in a competition at `now` (pure). Only what the caller can do next is
 * named; what waits on others (bidders, the deadline, another panel member) is not.
 */
export function whatIsWaiting(input: {
  competition: Pick<
    Competition,
    'status' | 'prequalificationDeadline' | 'tenderDeadline' | 'award' | 'prequalificationTier'
  >;
  hasPanel: boolean;
  roles: readonly SeatRole[];
  declaration: DeclarationStanding;
  now: Date;
}): string | null {
  const { competition, roles, declaration, now } = input;
  const status = effectiveStatus(competition, now);
  if (roles.length === 0 || CLOSED.includes(status)) return null;
  const lead = roles.includes('lead');
  const evaluator = roles.includes('evaluator');
  const moderator = roles.includes('moderator');
  if (declaration === 'conflict') {
    return lead
      ? 'Ask an admin to clear your declared conflict before you take part'
      : 'Ask the lead commissioner to clear your declared conflict before you take part';
  }
  const tasks: string[] = [];
  // The lead needs no declaration to prepare and publish a draft; everyone needs one before inside work.
  if (declaration === 'not-declared' && (status !== 'draft' || !lead)) tasks.push('Declare your interests');
  // Without a panel nobody marks or scores; once the award is decided it is too late to need one.
  if (lead && !input.hasPanel && status !== 'standstill') tasks.push('Choose the panel');
  switch (status) {
    case 'draft':
      if (lead) tasks.push('Publish the draft');
      break;
    case 'shortlisting':
      if (lead && (evaluator || moderator)) tasks.push('Mark responses and shortlist');
      else if (lead) tasks.push('Shortlist the applicants');
      else tasks.push('Mark the responses');
      break;
    case 'evaluation':
      if (evaluator) tasks.push('Score the bids');
      if (moderator) tasks.push('Moderate the scores');
      // The award is decided only once every bid is scored and moderated: this list reads no bids (it
      // shows no inside information), so the lead is told the order, not told to decide now.
      if (lead && !evaluator && !moderator)
        tasks.push('Wait for the panel to score and moderate the bids, then decide the award');
      else if (lead) tasks.push('Decide the award once every bid is moderated');
      break;
    case 'standstill': {
      const endsAt = competition.award?.standstillEndsAt;
      if (lead) {
        tasks.push(
          endsAt && now.getTime() < Date.parse(endsAt)
            ? `Confirm the award after ${govukDate(endsAt)}`
            : 'Confirm the award',
        );
      }
      break;
    }
    default:
      // Pre-qualification and tendering wait on providers and the deadline.
      break;
  }
  return sentence(tasks);
}

/** Roles a user holds in a competition, from its record and panel (the source of truth, not the seat). */
function rolesIn(sub: string, summary: CompetitionSummary): SeatRole[] {
  return seatsOf(summary.competition.leadSub, summary.panel).get(sub) ?? [];
}

/**
 * Lists the caller's competitions (every competition for auditors and admins), newest first.
 * @throws UnauthenticatedError | ForbiddenError (not a commissioner, auditor or admin: `assertCanUseWorkspace`)
 */
export async function listYourCompetitions(
  deps: { competitions: CompetitionRepository },
  principal: Principal,
  request: { limit: number; cursor?: string | undefined },
  now: Date,
): Promise<Page<YourCompetition>> {
  const scope = assertCanUseWorkspace(principal);
  // `assertCanUseWorkspace` has refused the anonymous caller.
  const sub = principal.kind === 'user' ? principal.sub : '';
  const page: Page<Seat> =
    scope === 'every-competition'
      ? await deps.competitions.allCompetitions(request)
      : await deps.competitions.seats(sub, request);
  const summaries = await deps.competitions.summaries(page.items.map((seat) => seat.competitionId));
  const items = await Promise.all(
    page.items.map(async (seat): Promise<YourCompetition | undefined> => {
      const summary = summaries.get(seat.competitionId);
      if (!summary) return undefined;
      const { competition } = summary;
      const roles = rolesIn(sub, summary);
      // A seat is written with the panel that gives it, so it cannot outlive it; should one ever do, the
      // record and panel decide: no role, not listed (oversight lists every competition anyway).
      if (roles.length === 0 && scope === 'own-seats') return undefined;
      const status = effectiveStatus(competition, now);
      let declaration: DeclarationStanding = 'not-declared';
      if (roles.length > 0 && !CLOSED.includes(status)) {
        const history = await deps.competitions.declarationHistoryOf(competition.id, sub);
        const effective = effectiveDeclarations(history);
        // A sub is the identity provider's: never read one (`constructor`…) off the prototype.
        const mine = Object.hasOwn(effective, sub) ? effective[sub] : undefined;
        if (mine) declaration = mine.conflicts.length > 0 ? 'conflict' : 'declared';
      }
      return {
        id: competition.id,
        title: competition.title,
        status,
        roles,
        whatIsWaiting: whatIsWaiting({
          competition,
          hasPanel: summary.panel !== undefined,
          roles,
          declaration,
          now,
        }),
        createdAt: competition.createdAt,
      };
    }),
  );
  return {
    items: items.filter((item): item is YourCompetition => item !== undefined),
    nextCursor: page.nextCursor,
  };
}
