/**
 * The words a competition's task list is built from (issue 14): each task's status over the competition's
 * life, who must do it and where, the next task, the viewer's place relative to the wall as the policy
 * decides it, and the form rules of the declaration, wall and cancel pages.
 */
import { describe, expect, it } from 'vitest';
import type { CompetitionStatus, PublicCompetition } from '../../shared/domain/competitions';
import { decideCompetitionAccess, type WallFacts } from '../../shared/domain/policy';
import type { UserPrincipal } from '../../shared/domain/principal';
import { isEmailReference } from '../../shared/use-cases/competitions/choose-people';
import {
  evaluationProgress,
  OUTSIDE_WITHOUT_SEAT,
  sealedPosition,
  type TaskListView,
  wallPosition,
} from '../../shared/use-cases/competitions/task-list';
import { conflictRows, declarationIssues } from '../../shared/web/pages/commissioning/declaration';
import { cancelReasonIssues, publicationRows } from '../../shared/web/pages/commissioning/publish-cancel';
import {
  govukTaskItem,
  nextTask,
  positionMessage,
  type Task,
  taskSections,
} from '../../shared/web/pages/commissioning/task-list-items';
import { panelFormIssues, peopleList } from '../../shared/web/pages/commissioning/wall';

const NOW = new Date('2026-05-01T09:00:00Z');
const ID = '01JD0000000000000000000001';

function competition(
  status: CompetitionStatus,
  overrides: Partial<PublicCompetition> = {},
): PublicCompetition {
  return {
    id: ID,
    title: 'Accommodation support',
    description: 'Housing for people leaving custody.',
    services: ['accommodation'],
    regions: ['north_west'],
    estimatedValuePence: 500_000_00,
    termMonths: 36,
    risk: 'medium',
    prequalificationDeadline: '2026-06-01T11:00:00Z',
    tenderDeadline: '2026-07-01T11:00:00Z',
    criteria: [
      { id: 'quality', name: 'Quality', kind: 'quality', weight: 70 },
      { id: 'price', name: 'Price', kind: 'price', weight: 30 },
    ],
    status,
    prequalificationTier: 'core',
    minimumTurnoverPence: 1,
    createdAt: '2026-04-01T09:00:00Z',
    updatedAt: '2026-04-01T09:00:00Z',
    ...(status === 'draft' ? {} : { publishedAt: '2026-04-02T09:00:00Z' }),
    ...overrides,
  };
}

/** The lead, inside the wall, with a panel of two evaluators and a moderator. */
function leadView(status: CompetitionStatus, overrides: Partial<TaskListView> = {}): TaskListView {
  return {
    competition: competition(status),
    viewer: {
      sub: 'lead',
      seats: ['lead'],
      position: { place: 'inside', role: 'lead' },
      mayManage: true,
      declaration: { sub: 'lead', conflicts: [], declaredAt: '2026-04-01T10:00:00Z', version: 1 },
    },
    panelSet: true,
    panel: { evaluators: ['eva', 'evan'], moderator: 'mo' },
    seats: [
      { sub: 'lead', role: 'lead', inside: true },
      { sub: 'eva', role: 'evaluator', inside: true },
      { sub: 'evan', role: 'evaluator', inside: false, reason: 'no declaration yet' },
      { sub: 'mo', role: 'moderator', inside: false, reason: 'declared a conflict' },
    ],
    ...overrides,
  };
}

const tasks = (view: TaskListView): Task[] => taskSections(view, NOW).flatMap((s) => s.tasks);
const task = (view: TaskListView, title: string): Task | undefined =>
  tasks(view).find((t) => t.title === title);

describe('the task list over a competition’s life', () => {
  it('a draft: created, panel to set, declarations by person, publish next; later stages cannot start', () => {
    const view = leadView('draft', {
      panelSet: false,
      panel: undefined,
      seats: [{ sub: 'lead', role: 'lead', inside: false, reason: 'no declaration yet' }],
    });
    expect(task(view, 'Create the draft')?.status).toBe('completed');
    expect(task(view, 'Set the panel')).toMatchObject({
      status: 'not-started',
      who: 'The lead',
      href: `/commissioning/${ID}/wall`,
    });
    expect(task(view, 'Declare your interests')).toMatchObject({
      status: 'not-started',
      href: `/commissioning/${ID}/declaration`,
    });
    expect(task(view, 'Publish the competition')).toMatchObject({
      status: 'not-started',
      href: `/commissioning/${ID}/publish`,
    });
    expect(task(view, 'Pre-qualification closes')?.status).toBe('cannot-start');
    expect(task(view, 'Score the bids')?.status).toBe('cannot-start');
    expect(nextTask(taskSections(view, NOW))?.title).toBe('Set the panel');
  });

  it('names each seat holder’s declaration and its standing', () => {
    const view = leadView('prequalification');
    const declarations = tasks(view).filter((t) => t.title.startsWith('Declar'));
    expect(declarations.map((t) => [t.title, t.who, t.status])).toEqual([
      ['Declare your interests', 'The lead (lead)', 'completed'],
      ['Declaration of the evaluator', 'eva', 'completed'],
      ['Declaration of the evaluator', 'evan', 'not-started'],
      ['Declaration of the moderator', 'mo', 'conflict'],
    ]);
    // Only the viewer's own declaration links to the declaration page, and only while it is to be done.
    expect(declarations.every((t) => t.href === undefined)).toBe(true);
  });

  it('tier core: pre-qualification in progress, then marking and the shortlist', () => {
    expect(task(leadView('prequalification'), 'Pre-qualification closes')).toMatchObject({
      status: 'in-progress',
      who: 'Providers apply',
      detail: '1 June 2026 at midday',
    });
    const shortlisting = leadView('shortlisting');
    expect(task(shortlisting, 'Pre-qualification closes')?.status).toBe('completed');
    expect(task(shortlisting, 'Mark the responses')).toMatchObject({
      status: 'in-progress',
      who: 'Each evaluator and the moderator',
      href: `/commissioning/${ID}/responses`,
    });
    expect(task(shortlisting, 'Choose the shortlist')).toMatchObject({
      status: 'not-started',
      href: `/commissioning/${ID}/shortlist`,
    });
    expect(task(leadView('tendering'), 'Choose the shortlist')?.status).toBe('completed');
  });

  it('tier none has no pre-qualification section', () => {
    const view = leadView('tendering', {
      competition: competition('tendering', {
        prequalificationTier: 'none',
        prequalificationDeadline: undefined,
      }),
    });
    expect(taskSections(view, NOW).map((s) => s.id)).toEqual(['set-up', 'evaluation', 'award']);
    expect(task(view, 'Tenders close')).toMatchObject({ status: 'in-progress', who: 'Providers bid' });
  });

  it('evaluation with its progress read: done scoring and moderation show done, and the award is next', () => {
    const heads = [
      { bidId: 'b1', status: 'submitted' as const },
      { bidId: 'b2', status: 'submitted' as const },
      { bidId: 'b3', status: 'withdrawn' as const },
    ];
    const scores = [
      { bidId: 'b1', evaluator: 'eva' },
      { bidId: 'b2', evaluator: 'eva' },
      { bidId: 'b1', evaluator: 'evan' },
      { bidId: 'b3', evaluator: 'evan' },
      { bidId: 'b1', evaluator: 'constructor' },
    ];
    const half = evaluationProgress(heads, { scores, moderated: [] });
    // A withdrawn bid counts for nothing; a user id named like a prototype property is just an id.
    expect(half).toEqual({ bids: 2, scoredBy: { eva: 2, evan: 1, constructor: 1 }, moderated: 0 });
    const during = taskSections(leadView('evaluation', { progress: half }), NOW).flatMap((s) => s.tasks);
    expect(
      during.filter((t) => t.title === 'Score the bids').map((t) => [t.who, t.status, t.detail]),
    ).toEqual([
      ['eva', 'completed', '2 of 2 bids scored'],
      ['evan', 'in-progress', '1 of 2 bids scored'],
    ]);
    expect(during.find((t) => t.title === 'Decide the award')?.status).toBe('cannot-start');

    const done = evaluationProgress(heads, {
      scores: [...scores, { bidId: 'b2', evaluator: 'evan' }],
      moderated: [{ bidId: 'b1' }, { bidId: 'b2' }],
    });
    const sections = taskSections(leadView('evaluation', { progress: done }), NOW);
    const tasks = sections.flatMap((s) => s.tasks);
    expect(tasks.find((t) => t.title === 'Moderate the scores')?.status).toBe('completed');
    expect(tasks.find((t) => t.title === 'Decide the award')?.status).toBe('in-progress');
    // With every seat declared, what is next is the award.
    const declared = leadView('evaluation', {
      progress: done,
      seats: ['lead', 'eva', 'evan', 'mo'].map((sub) => ({
        sub,
        role:
          sub === 'lead' ? ('lead' as const) : sub === 'mo' ? ('moderator' as const) : ('evaluator' as const),
        inside: true,
      })),
    });
    expect(nextTask(taskSections(declared, NOW))?.title).toBe('Decide the award');
  });

  it('evaluation: each evaluator scores (named), the moderator moderates, the lead decides', () => {
    const view = leadView('evaluation');
    const scoring = tasks(view).filter((t) => t.title.startsWith('Score the bids'));
    expect(scoring.map((t) => [t.who, t.status])).toEqual([
      ['eva', 'in-progress'],
      ['evan', 'in-progress'],
    ]);
    expect(task(view, 'Moderate the scores')).toMatchObject({ who: 'mo', status: 'not-started' });
    expect(task(view, 'Decide the award')).toMatchObject({
      who: 'The lead',
      status: 'not-started',
      href: `/commissioning/${ID}/evaluation`,
    });
    expect(task(view, 'Tenders close')?.status).toBe('completed');
  });

  it('an evaluator’s own scoring task links to the bids; without the panel it is "Each evaluator"', () => {
    const evaluator = leadView('evaluation', {
      viewer: {
        sub: 'eva',
        seats: ['evaluator'],
        position: { place: 'inside', role: 'evaluator' },
        mayManage: false,
      },
      seats: undefined,
    });
    expect(tasks(evaluator).find((t) => t.who === 'eva')).toMatchObject({
      title: 'Score the bids (you)',
      href: `/commissioning/${ID}/bids`,
    });
    expect(tasks(evaluator).find((t) => t.who === 'evan')?.href).toBeUndefined();
    const outsider = publicView('evaluation');
    expect(task(outsider, 'Score the bids')).toMatchObject({ who: 'Each evaluator', href: undefined });
  });

  it('standstill: says when it ends, and confirming cannot start before then', () => {
    const view = leadView('standstill', {
      standstillEndsAt: '2026-05-09T09:00:00Z',
      seats: [
        { sub: 'lead', role: 'lead', inside: true },
        { sub: 'eva', role: 'evaluator', inside: true },
        { sub: 'evan', role: 'evaluator', inside: true },
        { sub: 'mo', role: 'moderator', inside: true },
      ],
    });
    expect(task(view, 'Standstill (ends 9 May 2026 at 10am)')?.status).toBe('in-progress');
    expect(task(view, 'Confirm the award')).toMatchObject({ status: 'cannot-start', who: 'The lead' });
    const after = taskSections(view, new Date('2026-05-10T00:00:00Z')).flatMap((s) => s.tasks);
    expect(after.find((t) => t.title === 'Confirm the award')?.status).toBe('not-started');
    expect(nextTask(taskSections(view, NOW))?.title).toBe('Standstill (ends 9 May 2026 at 10am)');
  });

  it('standstill over by the clock: the period shows ended and confirming the award is next', () => {
    const view = leadView('standstill', {
      standstillEndsAt: '2026-05-09T09:00:00Z',
      seats: ['lead', 'eva', 'evan', 'mo'].map((sub) => ({
        sub,
        role:
          sub === 'lead' ? ('lead' as const) : sub === 'mo' ? ('moderator' as const) : ('evaluator' as const),
        inside: true,
      })),
    });
    const later = new Date('2026-05-10T00:00:00Z');
    const after = taskSections(view, later).flatMap((s) => s.tasks);
    expect(after.find((t) => t.title.startsWith('Standstill'))).toMatchObject({
      title: 'Standstill (ended 9 May 2026 at 10am)',
      status: 'completed',
    });
    expect(nextTask(taskSections(view, later))).toMatchObject({
      title: 'Confirm the award',
      who: 'The lead',
    });
  });

  it('evaluation with bids still unscored: scoring is next, not the award', () => {
    const progress = { bids: 2, scoredBy: {}, moderated: 0 };
    const seats = ['lead', 'eva', 'evan', 'mo'].map((sub) => ({
      sub,
      role:
        sub === 'lead' ? ('lead' as const) : sub === 'mo' ? ('moderator' as const) : ('evaluator' as const),
      inside: true,
    }));
    const sections = taskSections(leadView('evaluation', { progress, seats }), NOW);
    expect(nextTask(sections)?.title).toBe('Score the bids');
    expect(sections.flatMap((s) => s.tasks).find((t) => t.title === 'Decide the award')?.status).toBe(
      'cannot-start',
    );
  });

  it('awarded: everything completed, the contract linked', () => {
    const view = leadView('awarded', {
      competition: competition('awarded', {
        award: {
          providerId: 'p1',
          providerName: 'Hope Street',
          valuePence: 1,
          awardedAt: '2026-05-20T09:00:00Z',
          contractId: '01JD00000000000000000000C1',
        },
      }),
    });
    expect(task(view, 'Contract')).toMatchObject({
      status: 'completed',
      who: 'Hope Street',
      href: '/commissioning/contracts/01JD00000000000000000000C1',
    });
    expect(task(view, 'Confirm the award')?.status).toBe('completed');
    expect(nextTask(taskSections(view, NOW))).toBeUndefined();
  });

  it('cancelled: what was not done is cancelled, and nothing is next', () => {
    const view = leadView('cancelled');
    expect(task(view, 'Publish the competition')?.status).toBe('completed');
    expect(task(view, 'Mark the responses')?.status).toBe('cancelled');
    // An outstanding declaration is no longer needed either.
    expect(tasks(view).find((t) => t.who === 'evan')?.status).toBe('cancelled');
    expect(nextTask(taskSections(view, NOW))).toBeUndefined();
  });

  it('an outsider sees only the public tasks: no panel, no declarations, no links inside', () => {
    const view = publicView('shortlisting');
    const titles = tasks(view).map((t) => t.title);
    expect(titles).not.toContain('Set the panel');
    expect(titles.some((t) => t.startsWith('Declar'))).toBe(false);
    expect(tasks(view).every((t) => t.href === undefined)).toBe(true);
  });

  it('a lead who has not declared knows a panel is set, not who is on it', () => {
    const view = leadView('draft', {
      viewer: { sub: 'lead', seats: ['lead'], position: { place: 'declaration-required' }, mayManage: true },
      panelSet: true,
      panel: undefined,
      seats: undefined,
    });
    expect(task(view, 'Set the panel')).toMatchObject({ status: 'completed', detail: undefined });
    expect(task(view, 'Declare your interests')).toMatchObject({ who: 'You', status: 'not-started' });
  });
});

/** A viewer who may read only the public view. */
function publicView(status: CompetitionStatus): TaskListView {
  return {
    competition: competition(status),
    viewer: {
      sub: 'someone',
      seats: [],
      position: { place: 'outside', cause: 'no-seat', reason: 'Not on it.' },
      mayManage: false,
    },
  };
}

describe('GOV.UK task list items', () => {
  it('shows done and blocked as text, open work as tags, who and when as the hint', () => {
    expect(govukTaskItem({ title: 'A', who: 'The lead', status: 'completed', detail: '1 May 2026' })).toEqual(
      {
        title: { text: 'A' },
        hint: { text: 'The lead – 1 May 2026' },
        status: { text: 'Completed' },
      },
    );
    expect(govukTaskItem({ title: 'B', who: 'eva', status: 'not-started', href: '/x' })).toEqual({
      title: { text: 'B' },
      hint: { text: 'eva' },
      href: '/x',
      status: { tag: { text: 'Not yet started', classes: 'govuk-tag--blue' } },
    });
    expect(govukTaskItem({ title: 'C', who: 'w', status: 'cannot-start' }).status).toEqual({
      text: 'Cannot start yet',
      classes: 'govuk-task-list__status--cannot-start-yet',
    });
    expect(govukTaskItem({ title: 'D', who: 'w', status: 'in-progress' }).status).toEqual({
      tag: { text: 'In progress', classes: 'govuk-tag--light-blue' },
    });
  });
});

describe('the viewer’s place relative to the wall, from the policy', () => {
  const facts = (overrides: Partial<WallFacts> = {}): WallFacts => ({
    leadSub: 'lead',
    evaluators: ['eva'],
    moderator: 'mo',
    declarations: {},
    excluded: [],
    connectedOrganisations: [],
    callerOrganisations: [],
    tenderDeadlinePassed: false,
    ...overrides,
  });
  const who = (sub: string, groups: UserPrincipal['groups'] = ['commissioner']): UserPrincipal => ({
    kind: 'user',
    sub,
    email: undefined,
    groups,
  });
  const positionOf = (sub: string, f: WallFacts, groups?: UserPrincipal['groups']) =>
    wallPosition(decideCompetitionAccess(who(sub, groups), f, 'panel', 'read'));

  it('inside once declared with no conflict; declaration required before', () => {
    expect(positionOf('lead', facts())).toEqual({ place: 'declaration-required' });
    expect(positionOf('lead', facts({ declarations: { lead: { conflicts: [] } } }))).toEqual({
      place: 'inside',
      role: 'lead',
    });
    expect(positionOf('eva', facts({ declarations: { eva: { conflicts: [] } } }))).toEqual({
      place: 'inside',
      role: 'evaluator',
    });
  });

  it('outside, with the policy’s reason: connected, excluded, conflicted; or simply no seat', () => {
    expect(
      positionOf('lead', facts({ callerOrganisations: ['org'], connectedOrganisations: ['org'] })),
    ).toMatchObject({
      place: 'outside',
      cause: 'ethical-wall',
      reason: expect.stringMatching(/applied for or bid/),
    });
    expect(positionOf('eva', facts({ excluded: ['eva'] }))).toMatchObject({
      cause: 'ethical-wall',
      reason: expect.stringMatching(/excluded you/),
    });
    expect(positionOf('mo', facts({ declarations: { mo: { conflicts: [{}] } } }))).toMatchObject({
      cause: 'ethical-wall',
      reason: expect.stringMatching(/conflict of interest/),
    });
    expect(positionOf('auditor', facts(), ['auditor'])).toMatchObject({ place: 'outside', cause: 'no-seat' });
  });

  it('while bids are sealed, tells a viewer with no seat nothing that says whether their organisation bid', () => {
    const connected = facts({ callerOrganisations: ['org'], connectedOrganisations: ['org'] });
    const unconnected = facts();
    const shown = (sub: string, f: WallFacts) => sealedPosition(positionOf(sub, f), f, sub);
    // Connected or not, the same words: who applied or bid is sealed.
    expect(shown('rival', connected)).toEqual(shown('rival', unconnected));
    expect(shown('rival', connected)).toEqual({
      place: 'outside',
      cause: 'ethical-wall',
      reason: OUTSIDE_WITHOUT_SEAT,
    });
    // A seat holder, or someone excluded, is told why: it is about their own seat.
    expect(shown('lead', connected)).toMatchObject({ reason: expect.stringMatching(/applied for or bid/) });
    expect(shown('eva', facts({ excluded: ['eva'] }))).toMatchObject({
      reason: expect.stringMatching(/excluded you/),
    });
    // Once bids are open, the policy's own reason.
    const opened = facts({
      callerOrganisations: ['org'],
      connectedOrganisations: ['org'],
      tenderDeadlinePassed: true,
    });
    expect(shown('rival', opened)).toMatchObject({ reason: expect.stringMatching(/applied for or bid/) });
  });

  it('in the exact words of the issue, with a link to declare', () => {
    const context = { competitionId: ID, seats: ['lead' as const] };
    expect(positionMessage({ place: 'inside', role: 'lead' }, context).heading).toBe(
      'You are inside the wall',
    );
    const declare = positionMessage({ place: 'declaration-required' }, context);
    expect(declare.heading).toBe('Declare your interests before you can see responses');
    expect(declare.link).toEqual({
      href: `/commissioning/${ID}/declaration`,
      text: 'Declare your interests',
    });
    const outside = positionMessage(
      { place: 'outside', cause: 'no-seat', reason: 'You are not on it.' },
      { competitionId: ID, seats: [], oversight: 'auditor' },
    );
    expect(outside.heading).toBe('You are outside the wall for this competition');
    expect(outside.lines).toContain('You are not on it.');
    expect(outside.lines.join(' ')).toContain('As an auditor you can read its wall and its audit trail.');
  });
});

describe('the forms’ rules', () => {
  it('declaration: an answer; with a conflict, an organisation and its nature per named row', () => {
    expect(declarationIssues({ answer: '', rows: [] })[0]?.path).toBe('answer');
    expect(declarationIssues({ answer: 'none', rows: [{ organisationId: 'x', nature: '' }] })).toEqual([]);
    expect(declarationIssues({ answer: 'conflict', rows: [{ organisationId: '', nature: '' }] })).toEqual([
      { path: 'organisationId-0', message: 'Enter the organisation you have a conflict of interest with' },
    ]);
    expect(
      declarationIssues({
        answer: 'conflict',
        rows: [
          { organisationId: 'org-1', nature: 'My partner is a trustee' },
          { organisationId: '', nature: '' },
          { organisationId: 'org-3', nature: '' },
          { organisationId: 'x'.repeat(65), nature: 'y' },
        ],
      }).map((i) => i.path),
    ).toEqual(['nature-2', 'organisationId-3']);
  });

  it('declaration rows: as many as the form says, at least one, at most the API’s 50', () => {
    const form = new URLSearchParams('rows=2&organisationId-0=%20a%20&nature-0=b&organisationId-1=c');
    expect(conflictRows(form)).toEqual([
      { organisationId: 'a', nature: 'b' },
      { organisationId: 'c', nature: '' },
    ]);
    expect(conflictRows(new URLSearchParams('rows=nonsense'))).toHaveLength(1);
    expect(conflictRows(new URLSearchParams('rows=100000'))).toHaveLength(50);
  });

  it('panel: people one a line or by commas, at least one evaluator and a moderator', () => {
    expect(peopleList(' eva \n\n ada@example.org, bob\r\n')).toEqual(['eva', 'ada@example.org', 'bob']);
    expect(panelFormIssues([], '').map((i) => i.path)).toEqual(['evaluators', 'moderator']);
    expect(panelFormIssues(['eva'], 'mo')).toEqual([]);
    expect(
      panelFormIssues(
        Array.from({ length: 21 }, (_, i) => `e${i}`),
        'mo',
      )[0]?.message,
    ).toBe('Name at most 20 evaluators');
    expect(isEmailReference('ada@example.org')).toBe(true);
    expect(isEmailReference('sub-123')).toBe(false);
  });

  it('cancel: a reason, bounded', () => {
    expect(cancelReasonIssues('')).toEqual([
      { path: 'reason', message: 'Enter why you are cancelling this competition' },
    ]);
    expect(cancelReasonIssues('x'.repeat(2001))[0]?.message).toBe(
      'The reason must be 2000 characters or fewer',
    );
    expect(cancelReasonIssues('Budget withdrawn')).toEqual([]);
  });

  it('publish: the check page lists what providers will see, never the confidential section', () => {
    const rows = publicationRows(competition('draft'));
    expect(rows.map((r) => r.key.text)).toEqual([
      'Title',
      'Description',
      'Services',
      'Regions',
      'Estimated value',
      'Term',
      'Pre-qualification',
      'Pre-qualification closes',
      'Tenders close',
      'Award criteria',
    ]);
    expect(rows.find((r) => r.key.text === 'Estimated value')?.value.text).toBe('£500,000');
  });
});
