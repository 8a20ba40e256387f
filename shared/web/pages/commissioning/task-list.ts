/**
 * `GET /commissioning/{id}`: a competition's task list (the GOV.UK task list pattern) – what is done, what
 * is next and who must do it – and the viewer's place relative to its wall. Everything shown comes from
 * the task-list use case, which asks the policy module and reads (and audits) inside information only for
 * viewers allowed it; a viewer outside the wall sees the public facts and where they stand.
 */
import {
  auditRepository,
  bidRepository,
  competitionRepository,
  membershipRepository,
} from '../../../db/repositories';
import { govukDate } from '../../../domain/dates';
import { getTaskList } from '../../../use-cases/competitions/task-list';
import { label, tierName } from '../../labels';
import { type PageMap, type PageRequest, render, requireSession } from '../../page';
import { competitionPageContext, statusTag } from './common';
import { competitionIdOf } from './competition-params';
import { govukTaskItem, nextTask, positionMessage, taskSections } from './task-list-items';

/** The repositories this page's use case needs, and no others. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    bids: bidRepository(),
  };
}

/** The success banners other pages send the viewer back with (`?done=…`), by key. */
export const TASK_LIST_NOTICES: Record<string, { heading: string; text?: string }> = {
  published: {
    heading: 'Competition published',
    // Told by the outbox delivery moments after the publication commits, not by the time this page shows.
    text: 'It is now an opportunity. Providers whose services and regions match, and people whose saved searches match, are being told.',
  },
  cancelled: {
    heading: 'Competition cancelled',
    text: 'It has left the opportunity lists, and the reason is recorded in its audit trail.',
  },
  declared: {
    heading: 'Declaration signed',
    text: 'You declared no conflict of interest in this competition.',
  },
  shortlisted: {
    heading: 'Shortlist decided',
    text: 'The applicants you chose are invited to tender, and every applicant has been told the outcome.',
  },
  'conflict-declared': {
    heading: 'Declaration signed',
    text: 'You declared a conflict of interest: you are outside the wall for this competition until it is cleared.',
  },
};

/** `GET /commissioning/{id}`. */
async function taskListPage(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const view = await getTaskList(repositories(), request.principal, id, request.now);
  const { competition, viewer } = view;
  const sections = taskSections(view, request.now);
  const next = nextTask(sections);
  const closed = competition.status === 'awarded' || competition.status === 'cancelled';
  const done = request.query.done;
  const notice = done && Object.hasOwn(TASK_LIST_NOTICES, done) ? TASK_LIST_NOTICES[done] : undefined;
  return render(request, 'commissioning/task-list.njk', {
    title: `${competition.title}: task list`,
    ...competitionPageContext(competition, 'tasks', { principal: request.principal, seats: viewer.seats }),
    competition,
    status: statusTag(competition.status),
    tier: tierName(competition.prequalificationTier),
    cancelled:
      competition.status === 'cancelled'
        ? { at: govukDate(competition.cancelledAt), reason: competition.cancelReason ?? '' }
        : undefined,
    regions: competition.regions.map(label).join(', '),
    services: competition.services.map(label).join(', '),
    position: positionMessage(viewer.position, {
      competitionId: competition.id,
      seats: viewer.seats,
      oversight: viewer.oversight,
    }),
    sections: sections.map((section) => ({
      id: section.id,
      heading: section.heading,
      items: section.tasks.map(govukTaskItem),
    })),
    next,
    notice,
    cancelHref: viewer.mayManage && !closed ? `/commissioning/${competition.id}/cancel` : undefined,
  });
}

/** This group's pages by route key. */
export const taskListPages: PageMap = {
  'GET /commissioning/{id}': taskListPage,
};
