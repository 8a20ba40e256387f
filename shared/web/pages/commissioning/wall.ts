/**
 * The wall of one competition (`/commissioning/{id}/wall`): the panel (evaluators and a moderator, chosen
 * by user id or e-mail address), the exclusions, every seat with its declaration, and the clearance of a
 * declared conflict. Each form posts to its own address and calls the JSON route's use case (through
 * `choose-people.ts` where an e-mail address is looked up first), so the policy decides and the audit log
 * records on the web as on the API. The page itself is read through `getWallWorkspace`: `getWall` (audited)
 * for those who may read the wall, the forms alone for a lead who has not declared yet, and `getWall`'s own
 * refusal page for everyone else.
 */
import { config } from '../../../config';
import {
  auditRepository,
  competitionRepository,
  identityDirectory,
  membershipRepository,
} from '../../../db/repositories';
import type { FieldIssue } from '../../../domain/errors';
import { COMPETITION_LIMITS } from '../../../http/schemas/competitions';
import {
  excludeByReference,
  PanelCandidateOutsideWallError,
  setPanelByReference,
} from '../../../use-cases/competitions/choose-people';
import { clearDeclaration, liftExclusion } from '../../../use-cases/competitions/wall-management';
import { getWallWorkspace, type WallWorkspace } from '../../../use-cases/competitions/wall-workspace';
import { formErrors, issuesFromError } from '../../forms';
import { govukDate } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionPageContext } from './common';
import { competitionIdOf } from './competition-params';

/** The repositories (and the identity provider's look-up) this page's use cases need, and no others. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    identities: identityDirectory(),
  };
}

/** The success banners of the wall's forms (`?done=…`). */
const NOTICES: Record<string, string> = {
  panel: 'The panel is set',
  excluded: 'The person is excluded from this competition',
  lifted: 'The exclusion is lifted',
  cleared: 'The declared conflict is cleared',
};

/** What a form sent back that could not be saved, to show again with its problems. */
interface FailedForm {
  values: Record<string, string>;
  issues: FieldIssue[];
  /** 400 for bad input; 403 when a chosen person is outside the wall. */
  status: number;
}

const SEAT_NAMES = { lead: 'Lead commissioner', evaluator: 'Evaluator', moderator: 'Moderator' } as const;

/** User ids or e-mail addresses typed one a line (or separated by commas), blanks dropped. */
export function peopleList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The issues of the panel form: at least one evaluator, a moderator, each within the API's limits. */
export function panelFormIssues(evaluators: string[], moderator: string): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (evaluators.length === 0) {
    issues.push({
      path: 'evaluators',
      message: 'Enter the user id or e-mail address of at least one evaluator',
    });
  } else if (evaluators.length > COMPETITION_LIMITS.evaluators) {
    issues.push({ path: 'evaluators', message: `Name at most ${COMPETITION_LIMITS.evaluators} evaluators` });
  } else if (evaluators.some((e) => e.length > COMPETITION_LIMITS.sub)) {
    issues.push({
      path: 'evaluators',
      message: `Each user id or e-mail address must be ${COMPETITION_LIMITS.sub} characters or fewer`,
    });
  }
  if (!moderator) {
    issues.push({ path: 'moderator', message: 'Enter the user id or e-mail address of the moderator' });
  } else if (moderator.length > COMPETITION_LIMITS.sub) {
    issues.push({
      path: 'moderator',
      message: `The moderator's user id or e-mail address must be ${COMPETITION_LIMITS.sub} characters or fewer`,
    });
  }
  return issues;
}

/** The issue of a required reason, or none. */
function reasonIssue(path: string, reason: string, what: string): FieldIssue[] {
  if (!reason) return [{ path, message: `Enter why you are ${what}` }];
  if (reason.length > COMPETITION_LIMITS.reason) {
    return [{ path, message: `The reason must be ${COMPETITION_LIMITS.reason} characters or fewer` }];
  }
  return [];
}

/** The wall's tables and forms, in words. */
function wallContext(workspace: Extract<WallWorkspace, { kind: 'wall' }>) {
  const { wall } = workspace;
  const declarations = new Map(wall.declarations.map((d) => [d.sub, d]));
  const declared = (sub: string) => {
    const d = declarations.get(sub);
    if (!d) return 'Not yet declared';
    if (d.conflicts.length === 0) return `No conflict, declared ${govukDate(d.declaredAt)}`;
    return `Conflict with ${d.conflicts.map((c) => c.organisationId).join(', ')}, declared ${govukDate(d.declaredAt)}`;
  };
  const seatRows = [
    ...wall.insiders.map((s) => ({ ...s, standing: 'Inside the wall' })),
    ...wall.pending.map((s) => ({ sub: s.sub, role: s.role, standing: `Outside: ${s.reason}` })),
  ].map((s) => [
    { text: s.sub },
    { text: SEAT_NAMES[s.role] },
    { text: s.standing },
    { text: declared(s.sub) },
  ]);
  const conflicts = wall.declarations
    .filter((d) => d.conflicts.length > 0)
    .map((d) => ({
      sub: d.sub,
      declaredAt: govukDate(d.declaredAt),
      conflicts: d.conflicts,
      clearIndex: workspace.clearable.indexOf(d.sub),
    }));
  const history = [
    ...wall.declarationHistory.map((r) => ({
      at: r.at,
      row: [
        { text: govukDate(r.at) },
        { text: r.sub },
        {
          text:
            r.kind === 'clearance'
              ? `Conflict cleared by ${r.by}: ${r.reason ?? ''}`
              : r.conflicts.length > 0
                ? `Declared a conflict with ${r.conflicts.map((c) => c.organisationId).join(', ')}`
                : 'Declared no conflict',
        },
      ],
    })),
    ...wall.exclusionHistory.map((r) => ({
      at: r.at,
      row: [
        { text: govukDate(r.at) },
        { text: r.sub },
        {
          text:
            r.kind === 'lift'
              ? `Exclusion lifted by ${r.by}: ${r.reason}`
              : `Excluded by ${r.by}: ${r.reason}`,
        },
      ],
    })),
  ]
    .sort((a, b) => a.at.localeCompare(b.at))
    .map((h) => h.row);
  return {
    seatRows,
    excluded: wall.excluded.map((e) => ({
      sub: e.sub,
      reason: e.reason,
      excludedAt: govukDate(e.excludedAt),
    })),
    conflicts,
    history,
  };
}

/** Renders the wall page, with a failed form's values and problems when there is one. */
async function renderWall(request: PageRequest, id: string, failed?: FailedForm) {
  const workspace = await getWallWorkspace(repositories(), request.principal, id, request.now);
  const { errorList, errors } = formErrors(failed?.issues ?? []);
  const panel = workspace.kind === 'wall' ? workspace.panel : undefined;
  const values: Record<string, string> = {
    evaluators: panel ? panel.evaluators.join('\n') : '',
    moderator: panel?.moderator ?? '',
    person: '',
    reason: '',
    ...(failed?.values ?? {}),
  };
  const done = request.query.done;
  return render(
    request,
    'commissioning/wall.njk',
    {
      title: `Wall and panel: ${workspace.competition.title}`,
      ...competitionPageContext(workspace.competition, 'wall', { principal: request.principal }),
      competition: workspace.competition,
      manageOnly: workspace.kind === 'manage-only',
      panelSet: workspace.kind === 'manage-only' ? workspace.panelSet : panel !== undefined,
      mayManage: workspace.kind === 'manage-only' || workspace.mayManage,
      mayLift: workspace.kind === 'wall' && workspace.mayLift,
      ...(workspace.kind === 'wall' ? wallContext(workspace) : {}),
      minEvaluators: config().rules.evaluation.minEvaluatorsPerBid,
      notice: done && Object.hasOwn(NOTICES, done) ? NOTICES[done] : undefined,
      values,
      errors,
      errorList,
    },
    failed ? failed.status : 200,
  );
}

/** The issues a use case reported for the input, with the status to show them with; undefined otherwise. */
function formFailure(error: unknown, values: Record<string, string>, path: string): FailedForm | undefined {
  const issues = issuesFromError(error);
  if (issues) {
    return { values, issues: issues.map((i) => (i.path ? i : { ...i, path })), status: 400 };
  }
  if (error instanceof PanelCandidateOutsideWallError) {
    return { values, issues: [{ path, message: error.message }], status: 403 };
  }
  return undefined;
}

/** `GET /commissioning/{id}/wall`. */
async function wallPage(request: PageRequest) {
  requireSession(request);
  return renderWall(request, competitionIdOf(request));
}

/** `POST /commissioning/{id}/wall/panel`: set the panel (it replaces the panel set before). */
async function postPanel(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const values = {
    evaluators: request.form.get('evaluators') ?? '',
    moderator: (request.form.get('moderator') ?? '').trim(),
  };
  const evaluators = peopleList(values.evaluators);
  const issues = panelFormIssues(evaluators, values.moderator);
  if (issues.length > 0) return renderWall(request, id, { values, issues, status: 400 });
  try {
    await setPanelByReference(
      repositories(),
      request.principal,
      id,
      { evaluators, moderator: values.moderator },
      request.now,
      config().rules.evaluation,
    );
  } catch (error) {
    const failed = formFailure(error, values, 'evaluators');
    if (failed) return renderWall(request, id, failed);
    throw error;
  }
  return redirect(`/commissioning/${id}/wall?done=panel`);
}

/** `POST /commissioning/{id}/wall/exclusions`: exclude someone (by user id or e-mail) with a reason. */
async function postExclusion(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const values = {
    person: (request.form.get('person') ?? '').trim(),
    reason: (request.form.get('reason') ?? '').trim(),
  };
  const issues: FieldIssue[] = [
    ...(values.person
      ? values.person.length > COMPETITION_LIMITS.sub
        ? [
            {
              path: 'person',
              message: `The user id or e-mail address must be ${COMPETITION_LIMITS.sub} characters or fewer`,
            },
          ]
        : []
      : [{ path: 'person', message: 'Enter the user id or e-mail address of the person to exclude' }]),
    ...reasonIssue('reason', values.reason, 'excluding them'),
  ];
  if (issues.length > 0) return renderWall(request, id, { values, issues, status: 400 });
  try {
    await excludeByReference(repositories(), request.principal, id, values, request.now);
  } catch (error) {
    const failed = formFailure(error, values, 'person');
    if (failed) return renderWall(request, id, failed);
    throw error;
  }
  return redirect(`/commissioning/${id}/wall?done=excluded`);
}

/**
 * A per-person form (lift an exclusion, clear a conflict): the person's user id and a reason. Its fields
 * are numbered by the person's place in the list they were shown in (`index`), so that a problem is shown
 * against the right row.
 */
function personForm(request: PageRequest, prefix: string) {
  const sub = (request.form.get('sub') ?? '').trim();
  const index = Number.parseInt(request.form.get('index') ?? '', 10);
  const field = `${prefix}-${Number.isInteger(index) && index >= 0 ? index : 0}`;
  const reason = (request.form.get(field) ?? '').trim();
  return { sub, field, reason };
}

/** `POST /commissioning/{id}/wall/exclusions/lift`: let an excluded person back, with a reason. */
async function postLift(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const { sub, field, reason } = personForm(request, 'liftReason');
  const values = { [field]: reason };
  const issues = reasonIssue(field, reason, 'lifting the exclusion');
  if (issues.length > 0) return renderWall(request, id, { values, issues, status: 400 });
  try {
    await liftExclusion(repositories(), request.principal, id, sub, reason, request.now);
  } catch (error) {
    const failed = formFailure(error, values, field);
    if (failed) return renderWall(request, id, failed);
    throw error;
  }
  return redirect(`/commissioning/${id}/wall?done=lifted`);
}

/** `POST /commissioning/{id}/wall/clearance`: clear someone else's declared conflict, with a reason. */
async function postClearance(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const { sub, field, reason } = personForm(request, 'clearReason');
  const values = { [field]: reason };
  const issues = reasonIssue(field, reason, 'clearing the conflict');
  if (issues.length > 0) return renderWall(request, id, { values, issues, status: 400 });
  try {
    await clearDeclaration(repositories(), request.principal, id, sub, reason, request.now);
  } catch (error) {
    const failed = formFailure(error, values, field);
    if (failed) return renderWall(request, id, failed);
    throw error;
  }
  return redirect(`/commissioning/${id}/wall?done=cleared`);
}

/** This group's pages by route key. */
export const wallPages: PageMap = {
  'GET /commissioning/{id}/wall': wallPage,
  'POST /commissioning/{id}/wall/panel': postPanel,
  'POST /commissioning/{id}/wall/exclusions': postExclusion,
  'POST /commissioning/{id}/wall/exclusions/lift': postLift,
  'POST /commissioning/{id}/wall/clearance': postClearance,
};
