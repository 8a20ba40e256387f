/**
 * The task list of a competition in words (pure): from what the task-list use case let the viewer know,
 * the tasks over the competition's life – each with its status, who must do it and where to do it – the
 * next task, and the viewer's place relative to the wall. Nothing here decides access: a fact the viewer
 * may not know is simply absent from the view (`panelSet`, `panel`, `seats`, `standstillEndsAt`), and the
 * tasks that depend on it are left out or said without it.
 */
import type { CompetitionStatus } from '../../../domain/competitions';
import { govukDate, govukDateTime } from '../../../domain/dates';
import type {
  SeatRole,
  SeatView,
  TaskListView,
  WallPosition,
} from '../../../use-cases/competitions/task-list';

/** A task's state. */
export type TaskStatus =
  | 'completed'
  | 'in-progress'
  | 'not-started'
  | 'cannot-start'
  | 'conflict'
  | 'outside'
  | 'cancelled';

/** One task. */
export interface Task {
  title: string;
  /** Who must do it: "The lead", "Each evaluator", a person's user id. */
  who: string;
  status: TaskStatus;
  /** Where to do it (or see it), when the viewer has something to do or see there. */
  href?: string | undefined;
  /** A detail after who: a date, why it cannot start. */
  detail?: string | undefined;
}

/** A group of tasks under a heading. */
export interface TaskSection {
  id: string;
  heading: string;
  tasks: Task[];
}

/** The stages in order; a status's rank is how far the competition has come. */
const RANK: Record<Exclude<CompetitionStatus, 'cancelled'>, number> = {
  draft: 0,
  prequalification: 1,
  shortlisting: 2,
  tendering: 3,
  evaluation: 4,
  standstill: 5,
  awarded: 6,
};

/** How a seat is named in a task. */
const SEAT_NAMES: Record<SeatRole, string> = {
  lead: 'lead commissioner',
  evaluator: 'evaluator',
  moderator: 'moderator',
};

/**
 * A stage task's status: done once the competition reached `doneAt`, open (`active`) from `startAt`, and
 * blocked before; a cancelled competition's unfinished tasks are cancelled.
 */
function stage(
  status: CompetitionStatus,
  startAt: number,
  doneAt: number,
  active: 'in-progress' | 'not-started',
): TaskStatus {
  if (status === 'cancelled') return 'cancelled';
  const rank = RANK[status];
  if (rank >= doneAt) return 'completed';
  if (rank >= startAt) return active;
  return 'cannot-start';
}

/** A seat holder's declaration task status, from their standing as the wall shows it. */
function declarationStatus(seat: SeatView): TaskStatus {
  if (seat.inside) return 'completed';
  if (seat.reason === 'no declaration yet') return 'not-started';
  if (seat.reason === 'declared a conflict') return 'conflict';
  return 'outside';
}

/** The viewer's own declaration task status. */
function ownDeclarationStatus(view: TaskListView): TaskStatus {
  const declaration = view.viewer.declaration;
  if (view.viewer.position.place === 'outside' && view.viewer.position.cause === 'ethical-wall') {
    return declaration && declaration.conflicts.length > 0 ? 'conflict' : 'outside';
  }
  if (!declaration) return 'not-started';
  return declaration.conflicts.length > 0 ? 'conflict' : 'completed';
}

/** The tasks of the set-up: the draft, the panel, the declarations, publishing. */
function setUpTasks(view: TaskListView, base: string): Task[] {
  const { competition, viewer } = view;
  const status = competition.status;
  const isLead = viewer.seats.includes('lead');
  const closed = status === 'awarded' || status === 'cancelled';
  const tasks: Task[] = [
    {
      title: 'Create the draft',
      who: 'The lead',
      status: 'completed',
      detail: govukDate(competition.createdAt),
    },
  ];
  if (view.panelSet !== undefined) {
    tasks.push({
      title: 'Set the panel',
      who: 'The lead',
      status: view.panelSet ? 'completed' : closed ? 'cancelled' : 'not-started',
      href: isLead || viewer.oversight ? `${base}/wall` : undefined,
      detail: view.panel
        ? `Evaluators: ${view.panel.evaluators.join(', ')}. Moderator: ${view.panel.moderator}`
        : undefined,
    });
  }
  if (view.seats) {
    for (const seat of view.seats) {
      const own = seat.sub === viewer.sub;
      tasks.push({
        title: own ? 'Declare your interests' : `Declaration of the ${SEAT_NAMES[seat.role]}`,
        who: seat.role === 'lead' ? `The lead (${seat.sub})` : seat.sub,
        status: closed && !seat.inside ? 'cancelled' : declarationStatus(seat),
        href: own && !seat.inside ? `${base}/declaration` : undefined,
        detail: seat.inside ? undefined : seat.reason,
      });
    }
  } else if (viewer.seats.length > 0) {
    const own = ownDeclarationStatus(view);
    const status = closed && own === 'not-started' ? 'cancelled' : own;
    tasks.push({
      title: 'Declare your interests',
      who: 'You',
      status,
      href: status === 'not-started' ? `${base}/declaration` : undefined,
    });
  }
  tasks.push({
    title: 'Publish the competition',
    who: 'The lead',
    status:
      competition.publishedAt !== undefined ? 'completed' : status === 'draft' ? 'not-started' : 'cancelled',
    href: isLead && status === 'draft' ? `${base}/publish` : undefined,
    detail: competition.publishedAt ? govukDate(competition.publishedAt) : undefined,
  });
  return tasks;
}

/** Pre-qualification (tiers core and full): the deadline, marking, the shortlist. */
function prequalificationTasks(view: TaskListView, base: string): Task[] {
  const { competition, viewer } = view;
  const status = competition.status;
  const inside = viewer.position.place === 'inside';
  const rank = status === 'cancelled' ? -1 : RANK[status];
  return [
    {
      title: 'Pre-qualification closes',
      who: 'Providers apply',
      status: stage(status, 1, 2, 'in-progress'),
      detail: govukDateTime(competition.prequalificationDeadline),
    },
    {
      title: 'Mark the responses',
      who: 'Each evaluator and the moderator',
      status: stage(status, 2, 3, 'in-progress'),
      href: inside && rank >= 2 ? `${base}/responses` : undefined,
    },
    {
      title: 'Choose the shortlist',
      who: 'The lead',
      status: stage(status, 2, 3, 'not-started'),
      href: inside && viewer.seats.includes('lead') && rank === 2 ? `${base}/shortlist` : undefined,
    },
  ];
}

/** Tendering, scoring, moderation and the award decision. */
function evaluationTasks(view: TaskListView, base: string): Task[] {
  const { competition, viewer } = view;
  const status = competition.status;
  const inside = viewer.position.place === 'inside';
  const rank = status === 'cancelled' ? -1 : RANK[status];
  const bids = inside && rank >= 4 ? `${base}/bids` : undefined;
  const progress = view.progress;
  // During evaluation, with the progress read: each evaluator's share scored, and moderation after it.
  const scoredAll = (sub: string) => progress !== undefined && (progress.scoredBy[sub] ?? 0) >= progress.bids;
  const moderatedAll = progress !== undefined && progress.moderated >= progress.bids;
  const scoring: Task[] = view.panel
    ? view.panel.evaluators.map((sub) => ({
        title: sub === viewer.sub ? 'Score the bids (you)' : 'Score the bids',
        who: sub,
        status: progress
          ? scoredAll(sub)
            ? 'completed'
            : 'in-progress'
          : stage(status, 4, 5, 'in-progress'),
        href: sub === viewer.sub ? bids : undefined,
        detail: progress ? `${progress.scoredBy[sub] ?? 0} of ${progress.bids} bids scored` : undefined,
      }))
    : [
        {
          title: 'Score the bids',
          who: 'Each evaluator',
          status: stage(status, 4, 5, 'in-progress'),
          href: bids,
        },
      ];
  return [
    {
      title: 'Tenders close',
      who: competition.prequalificationTier === 'none' ? 'Providers bid' : 'Shortlisted providers bid',
      status: stage(status, 3, 4, 'in-progress'),
      detail: govukDateTime(competition.tenderDeadline),
    },
    ...scoring,
    {
      title: 'Moderate the scores',
      who: view.panel?.moderator ?? 'The moderator',
      status: progress
        ? moderatedAll
          ? 'completed'
          : progress.moderated > 0
            ? 'in-progress'
            : 'not-started'
        : stage(status, 4, 5, 'not-started'),
      href: view.panel?.moderator === viewer.sub ? bids : undefined,
      detail: progress
        ? `${progress.moderated} of ${progress.bids} bids moderated`
        : status === 'evaluation'
          ? 'Each bid once every evaluator has scored it'
          : undefined,
    },
    {
      title: 'Decide the award',
      who: 'The lead',
      // Not before every bid is moderated: until then, scoring and moderating are what is next.
      status:
        progress && status === 'evaluation'
          ? moderatedAll
            ? 'in-progress'
            : 'cannot-start'
          : stage(status, 4, 5, 'not-started'),
      href: inside && rank >= 4 ? `${base}/evaluation` : undefined,
    },
  ];
}

/** The standstill, confirming the award, and the contract. */
function awardTasks(view: TaskListView, base: string, now: Date): Task[] {
  const { competition, viewer } = view;
  const status = competition.status;
  const inside = viewer.position.place === 'inside';
  const ends = view.standstillEndsAt;
  const waiting = status === 'standstill' && ends !== undefined && now.getTime() < Date.parse(ends);
  // The status stays `standstill` until the lead confirms; the period itself ends by the clock.
  const ended = status === 'standstill' && ends !== undefined && !waiting;
  const tasks: Task[] = [
    ended && ends !== undefined
      ? {
          title: `Standstill (ended ${govukDateTime(ends)})`,
          who: 'Bidders could challenge the decision',
          status: 'completed',
        }
      : {
          title: ends ? `Standstill (ends ${govukDateTime(ends)})` : 'Standstill',
          who: 'Bidders may challenge the decision',
          status: stage(status, 5, 6, 'in-progress'),
        },
    {
      title: 'Confirm the award',
      who: 'The lead',
      status: waiting ? 'cannot-start' : stage(status, 5, 6, 'not-started'),
      href: inside && status === 'standstill' ? `${base}/evaluation` : undefined,
      detail: waiting ? `When the standstill ends, ${govukDateTime(ends)}` : undefined,
    },
  ];
  const award = competition.award;
  tasks.push({
    title: 'Contract',
    who: award ? award.providerName : 'The winning bidder',
    status: award ? 'completed' : stage(status, 6, 7, 'not-started'),
    href: award ? `/commissioning/contracts/${award.contractId}` : undefined,
    detail: award ? `Awarded ${govukDate(award.awardedAt)}` : undefined,
  });
  return tasks;
}

/** Every section of the competition's task list, in order. */
export function taskSections(view: TaskListView, now: Date): TaskSection[] {
  const base = `/commissioning/${view.competition.id}`;
  const sections: TaskSection[] = [
    { id: 'set-up', heading: 'Set up and publish', tasks: setUpTasks(view, base) },
  ];
  if (view.competition.prequalificationTier !== 'none') {
    sections.push({
      id: 'prequalification',
      heading: 'Pre-qualification',
      tasks: prequalificationTasks(view, base),
    });
  }
  sections.push(
    { id: 'evaluation', heading: 'Tenders and evaluation', tasks: evaluationTasks(view, base) },
    { id: 'award', heading: 'Award', tasks: awardTasks(view, base, now) },
  );
  return sections;
}

/** The first task waiting to be done (not started or in progress), if any. */
export function nextTask(sections: readonly TaskSection[]): Task | undefined {
  return sections
    .flatMap((s) => s.tasks)
    .find((t) => t.status === 'not-started' || t.status === 'in-progress');
}

/** A task as the GOV.UK task list component takes it. */
export function govukTaskItem(task: Task): Record<string, unknown> {
  const hint = task.detail ? `${task.who} – ${task.detail}` : task.who;
  return {
    title: { text: task.title },
    hint: { text: hint },
    ...(task.href ? { href: task.href } : {}),
    status: TASK_STATUS[task.status],
  };
}

/** How each status shows: tags for what is open, plain text for what is done or blocked (GOV.UK's pattern). */
const TASK_STATUS: Record<TaskStatus, Record<string, unknown>> = {
  completed: { text: 'Completed' },
  'in-progress': { tag: { text: 'In progress', classes: 'govuk-tag--light-blue' } },
  'not-started': { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } },
  'cannot-start': { text: 'Cannot start yet', classes: 'govuk-task-list__status--cannot-start-yet' },
  conflict: { tag: { text: 'Conflict declared', classes: 'govuk-tag--red' } },
  outside: { tag: { text: 'Outside the wall', classes: 'govuk-tag--red' } },
  cancelled: { text: 'Cancelled', classes: 'govuk-task-list__status--cannot-start-yet' },
};

/** The viewer's place relative to the wall, in words. */
export interface PositionMessage {
  heading: string;
  lines: string[];
  /** A link to act on it (declaring). */
  link?: { href: string; text: string } | undefined;
  /** Inside: success styling; otherwise the important notice. */
  inside: boolean;
}

/** The words of the viewer's place relative to the wall. */
export function positionMessage(
  position: WallPosition,
  context: { competitionId: string; seats: readonly SeatRole[]; oversight?: 'auditor' | 'admin' | undefined },
): PositionMessage {
  const seats = context.seats.map((s) => `the ${SEAT_NAMES[s]}`).join(' and ');
  switch (position.place) {
    case 'inside':
      return {
        heading: 'You are inside the wall',
        lines: [
          `You are ${seats || `the ${SEAT_NAMES[position.role]}`} and have declared no conflict of interest, so you can see what your seat allows.`,
        ],
        inside: true,
      };
    case 'declaration-required':
      return {
        heading: 'Declare your interests before you can see responses',
        lines: [
          `You are ${seats}. Until you sign a conflict-of-interest declaration for this competition you cannot see its responses, bids, scores, ranking, panel or confidential section.`,
        ],
        link: {
          href: `/commissioning/${context.competitionId}/declaration`,
          text: 'Declare your interests',
        },
        inside: false,
      };
    case 'outside': {
      const lines = [
        position.reason,
        'You cannot see its responses, bids, scores, ranking, panel or confidential section.',
      ];
      if (context.oversight) {
        lines.push(
          `As ${context.oversight === 'auditor' ? 'an auditor' : 'an admin'} you can read its wall and its audit trail.`,
        );
      }
      return { heading: 'You are outside the wall for this competition', lines, inside: false };
    }
  }
}
