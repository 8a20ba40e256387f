/**
 * `GET|POST /commissioning/{id}/declaration`: the conflict-of-interest declaration of the lead or a panel
 * member – no conflict, or one or more organisations with the nature of each conflict. The form and the
 * declaration go through the use cases of `POST /competitions/{id}/declarations` (`getDeclarationForm`,
 * `declare`): the policy decides who may declare, and refusals are audited as on the API.
 *
 * Declarations are append-only: the page says so, and shows what the viewer has declared before.
 */
import {
  auditRepository,
  competitionRepository,
  membershipRepository,
  providerRepository,
} from '../../../db/repositories';
import type { FieldIssue } from '../../../domain/errors';
import { COMPETITION_LIMITS } from '../../../http/schemas/competitions';
import { getDeclarationForm } from '../../../use-cases/competitions/task-list';
import { declare } from '../../../use-cases/competitions/wall-management';
import { getMe } from '../../../use-cases/get-me';
import { formErrors, issuesFromError } from '../../forms';
import { govukDate } from '../../labels';
import { type PageMap, type PageRequest, redirect, render, requireSession } from '../../page';
import { competitionPageContext } from './common';
import { competitionIdOf } from './competition-params';

/** The repositories this page's use cases need, and no others. */
function repositories() {
  return {
    competitions: competitionRepository(),
    memberships: membershipRepository(),
    audit: auditRepository(),
    providers: providerRepository(),
  };
}

/** The conflict rows shown at first; "Add another organisation" adds one, up to the API's limit. */
const FIRST_ROWS = 1;

/** What the form sent back. */
interface DeclarationInput {
  answer: string;
  rows: { organisationId: string; nature: string }[];
}

/** The words of each seat. */
const ROLE_NAMES = { lead: 'lead commissioner', evaluator: 'evaluator', moderator: 'moderator' } as const;

/** The conflict rows of a posted form (`organisationId-0`, `nature-0`, …), as many as `rows` says. */
export function conflictRows(form: URLSearchParams): { organisationId: string; nature: string }[] {
  const count = Math.min(
    COMPETITION_LIMITS.conflicts,
    Math.max(FIRST_ROWS, Number.parseInt(form.get('rows') ?? '', 10) || FIRST_ROWS),
  );
  return Array.from({ length: count }, (_, i) => ({
    organisationId: (form.get(`organisationId-${i}`) ?? '').trim(),
    nature: (form.get(`nature-${i}`) ?? '').trim(),
  }));
}

/**
 * The issues of a declaration form: an answer chosen; with a conflict, at least one organisation, each
 * named row with both an organisation and the nature of the conflict, within the API's limits. Blank rows
 * are ignored.
 */
export function declarationIssues(input: DeclarationInput): FieldIssue[] {
  if (input.answer !== 'none' && input.answer !== 'conflict') {
    return [
      { path: 'answer', message: 'Select whether you have a conflict of interest in this competition' },
    ];
  }
  if (input.answer === 'none') return [];
  const issues: FieldIssue[] = [];
  const named = input.rows.filter((row) => row.organisationId || row.nature);
  if (named.length === 0) {
    return [
      { path: 'organisationId-0', message: 'Enter the organisation you have a conflict of interest with' },
    ];
  }
  input.rows.forEach((row, i) => {
    if (!row.organisationId && !row.nature) return;
    if (!row.organisationId) {
      issues.push({ path: `organisationId-${i}`, message: `Enter the id or name of organisation ${i + 1}` });
    } else if (row.organisationId.length > COMPETITION_LIMITS.organisationId) {
      issues.push({
        path: `organisationId-${i}`,
        message: `The id of organisation ${i + 1} must be ${COMPETITION_LIMITS.organisationId} characters or fewer`,
      });
    }
    if (!row.nature) {
      issues.push({
        path: `nature-${i}`,
        message: `Describe your conflict of interest with organisation ${i + 1}`,
      });
    } else if (row.nature.length > COMPETITION_LIMITS.nature) {
      issues.push({
        path: `nature-${i}`,
        message: `The description of conflict ${i + 1} must be ${COMPETITION_LIMITS.nature} characters or fewer`,
      });
    }
  });
  return issues;
}

/** Renders the form, with what was typed and its problems. */
async function renderForm(
  request: PageRequest,
  id: string,
  input: DeclarationInput,
  issues: FieldIssue[] = [],
) {
  const deps = repositories();
  const form = await getDeclarationForm(deps, request.principal, id, request.now);
  const me = await getMe(deps, request.principal);
  const { errorList, errors } = formErrors(issues);
  const declaration = form.declaration;
  return render(
    request,
    'commissioning/declaration.njk',
    {
      title: `Declare your interests: ${form.competition.title}`,
      ...competitionPageContext(form.competition, 'tasks', { principal: request.principal }),
      competition: form.competition,
      roleName: ROLE_NAMES[form.role],
      previous: declaration
        ? {
            declaredAt: govukDate(declaration.declaredAt),
            conflicts: declaration.conflicts,
            clearedAt: declaration.clearedAt ? govukDate(declaration.clearedAt) : undefined,
          }
        : undefined,
      organisations: me.organisations,
      maxRows: COMPETITION_LIMITS.conflicts,
      values: input,
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /commissioning/{id}/declaration`. */
async function declarationPage(request: PageRequest) {
  requireSession(request);
  return renderForm(request, competitionIdOf(request), {
    answer: '',
    rows: [{ organisationId: '', nature: '' }],
  });
}

/**
 * `POST /commissioning/{id}/declaration`: "Add another organisation" shows the form again with one more
 * row (it works without JavaScript); otherwise the declaration is signed through `declare`.
 */
async function sign(request: PageRequest) {
  requireSession(request);
  const id = competitionIdOf(request);
  const input: DeclarationInput = {
    answer: request.form.get('answer') ?? '',
    rows: conflictRows(request.form),
  };
  if (request.form.get('action') === 'add') {
    if (input.rows.length < COMPETITION_LIMITS.conflicts) input.rows.push({ organisationId: '', nature: '' });
    return renderForm(request, id, { ...input, answer: 'conflict' });
  }
  const issues = declarationIssues(input);
  if (issues.length > 0) return renderForm(request, id, input, issues);
  const conflicts =
    input.answer === 'conflict' ? input.rows.filter((row) => row.organisationId && row.nature) : [];
  try {
    await declare(repositories(), request.principal, id, conflicts, request.now);
  } catch (error) {
    const found = issuesFromError(error);
    if (found) return renderForm(request, id, input, found);
    throw error;
  }
  return redirect(`/commissioning/${id}?done=${conflicts.length > 0 ? 'conflict-declared' : 'declared'}`);
}

/** This group's pages by route key. */
export const declarationPages: PageMap = {
  'GET /commissioning/{id}/declaration': declarationPage,
  'POST /commissioning/{id}/declaration': sign,
};
