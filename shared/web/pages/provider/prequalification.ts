/**
 * Pre-qualification (`/your-competitions/{id}/prequalification/…`): the questionnaire of the competition's
 * tier, one topic per page; answers the applicant's current accreditation gives shown as "From your
 * accreditation, valid until …", not asked again; consortium members (verified, accredited, agreed to be
 * named); check your answers; submit; a confirmation with the response's reference.
 *
 * The answers are kept between pages server-side, with the session (`sessions` table), never in a cookie;
 * nothing reaches the sealed table until the user submits, through `submitResponse` (the JSON route's use
 * case), which resolves the applicant and puts its response with the applicant's own credentials.
 */
import { sessionDraftRepository } from '../../../db/repositories';
import { type FieldIssue, ForbiddenError, ValidationError } from '../../../domain/errors';
import type { Question, Section } from '../../../domain/prequalification';
import { getPublishedCompetition } from '../../../use-cases/competitions/published-competition';
import {
  type ApplicationForm,
  applicationForm,
  consortiumStanding,
} from '../../../use-cases/prequalification/application-form';
import { submitResponse } from '../../../use-cases/prequalification/submit-response';
import { loadDraft, saveDraft } from '../../../use-cases/sessions/drafts';
import { fieldId, formErrors } from '../../forms';
import { escapeHtml, govukDate, govukDateTime, linesHtml } from '../../labels';
import { type PageMap, PageNotFound, type PageRequest, redirect, render, requireSession } from '../../page';
import type { Session } from '../../session';
import { closingInWords, competitionIdOf, providerBreadcrumbs, providerCompetitionDeps } from './common';
import {
  type ApplicationDraft,
  answerText,
  CHECK_STEP,
  CONFIRMATION_STEP,
  CONSORTIUM_STEP,
  isAmount,
  ORGANISATION_STEP,
  parseMember,
  parseTopic,
  questionText,
  steps,
  typedValue,
} from './prequalification-form';

const drafts = () => ({ drafts: sessionDraftRepository() });

/** The session's draft for this competition (a draft of another competition counts as none). */
async function draftOf(session: Session, competitionId: string, now: Date): Promise<ApplicationDraft> {
  const kept = (await loadDraft(drafts(), session, 'prequalification', now)) as ApplicationDraft | undefined;
  return kept && kept.competitionId === competitionId && typeof kept.answers === 'object'
    ? { ...kept, consortium: Array.isArray(kept.consortium) ? kept.consortium : [] }
    : { competitionId, answers: {}, consortium: [] };
}

interface State {
  session: Session;
  form: ApplicationForm;
  draft: ApplicationDraft;
  steps: string[];
  base: string;
}

/** Reads the form (the use case refuses who may not apply, and when) and the session's draft. */
async function load(request: PageRequest): Promise<State> {
  const session = requireSession(request);
  const id = competitionIdOf(request);
  let draft = await draftOf(session, id, request.now);
  let form: ApplicationForm;
  try {
    form = await applicationForm(
      providerCompetitionDeps(),
      request.principal,
      id,
      draft.providerId,
      request.now,
    );
  } catch (error) {
    // The organisation this session chose may no longer apply (the user was removed from it or is no
    // longer its owner, or it is no longer verified): otherwise every page would refuse them for the rest
    // of the session. Start again without it; its answers are not another organisation's, so none is kept.
    if (!(error instanceof ForbiddenError) || draft.providerId === undefined) throw error;
    form = await applicationForm(providerCompetitionDeps(), request.principal, id, undefined, request.now);
    draft = { competitionId: id, answers: {}, consortium: [] };
  }
  return {
    session,
    form,
    draft,
    steps: steps(form.questionnaire, form.owned.length > 1),
    base: `/your-competitions/${id}/prequalification`,
  };
}

/**
 * What every page's template is given. `heading` is the page's h1; its title adds the competition's, so
 * each step's title says which application it belongs to ("Insurance: Move-on housing, North West").
 * A step with a previous one gets a Back link to it in place of the breadcrumbs (the layout shows one or
 * the other), as GOV.UK question pages do.
 */
function pageContext(request: PageRequest, state: State, heading: string, backLink?: string) {
  const { competition } = state.form;
  return {
    // "Which organisation is applying? Move-on housing": no colon after a question.
    title: `${heading}${heading.endsWith('?') ? '' : ':'} ${competition.title}`,
    heading,
    section: 'competitions',
    ...(backLink ? { backLink } : { breadcrumbs: providerBreadcrumbs(competition) }),
    competition: { id: competition.id, title: competition.title },
    base: state.base,
    deadline: competition.prequalificationDeadline
      ? closingInWords('Applications', competition.prequalificationDeadline, request.now)
      : undefined,
  };
}

function nextStep(state: State, current: string): string {
  return state.steps[state.steps.indexOf(current) + 1] ?? CHECK_STEP;
}

function previousStep(state: State, current: string): string {
  const at = state.steps.indexOf(current);
  return at > 0 ? `${state.base}/${state.steps[at - 1]}` : state.base;
}

/** The questions of a topic the applicant is asked, and those its accreditation answers. */
function split(state: State, section: Section): { asked: Question[]; accredited: Question[] } {
  const answered = state.form.accreditation?.answers ?? {};
  const accredited = section.questions.filter(
    (q) => q.answeredByAccreditation && Object.hasOwn(answered, q.id),
  );
  return { asked: section.questions.filter((q) => !accredited.includes(q)), accredited };
}

/** `GET /your-competitions/{id}/prequalification`: what applying takes, and the start button. */
async function startPage(request: PageRequest) {
  const state = await load(request);
  const { form } = state;
  return render(request, 'provider/prequalification-start.njk', {
    ...pageContext(request, state, 'Apply'),
    topics: form.questionnaire.sections.map((s) => ({
      title: s.title,
      accredited: split(state, s).asked.length === 0,
    })),
    accreditation: form.accreditation ? govukDate(form.accreditation.validUntil) : undefined,
    applicant: form.applicant?.name,
    submitted: state.draft.submitted ? govukDateTime(state.draft.submitted.at) : undefined,
    firstStep: `${state.base}/${state.steps[0]}`,
  });
}

/** Renders a topic page with what was typed and its problems. */
function renderTopic(
  request: PageRequest,
  state: State,
  section: Section,
  typed: Record<string, string>,
  issues: FieldIssue[] = [],
) {
  const { asked, accredited } = split(state, section);
  const { errorList, errors } = formErrors(issues);
  const validUntil = state.form.accreditation ? govukDate(state.form.accreditation.validUntil) : '';
  return render(
    request,
    'provider/prequalification-topic.njk',
    {
      ...pageContext(request, state, section.title, previousStep(state, section.id)),
      action: `${state.base}/${section.id}`,
      accredited: accredited.map((q) => ({
        key: { text: questionText(q) },
        value: {
          html: `${linesHtml(answerText(q, state.form.accreditation?.answers[q.id]))}<br><span class="govuk-hint">From your accreditation, valid until ${escapeHtml(validUntil)}</span>`,
        },
      })),
      questions: asked.map((q) => ({
        id: fieldId(q.id),
        name: q.id,
        text: questionText(q),
        type: q.type,
        amount: isAmount(q),
        optional: !q.required,
        value: typed[q.id] ?? '',
        error: errors[q.id],
      })),
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** `GET /your-competitions/{id}/prequalification/{step}`. */
async function stepPage(request: PageRequest) {
  const step = request.params.step ?? '';
  if (step === CONFIRMATION_STEP) return confirmationPage(request);
  const state = await load(request);
  if (step === ORGANISATION_STEP && state.steps.includes(ORGANISATION_STEP))
    return renderOrganisation(request, state);
  if (step === CONSORTIUM_STEP) return renderConsortium(request, state);
  if (step === CHECK_STEP) return renderCheck(request, state);
  const section = state.form.questionnaire.sections.find((s) => s.id === step);
  if (!section) throw new PageNotFound('This questionnaire has no such page.');
  const typed = Object.fromEntries(
    section.questions.map((q) => [q.id, typedValue(q, state.draft.answers[q.id])]),
  );
  return renderTopic(request, state, section, typed);
}

/** `POST /your-competitions/{id}/prequalification/{step}`: keeps the page's answers, or submits (check). */
async function saveStep(request: PageRequest) {
  const step = request.params.step ?? '';
  const state = await load(request);
  if (step === ORGANISATION_STEP && state.steps.includes(ORGANISATION_STEP))
    return saveOrganisation(request, state);
  if (step === CONSORTIUM_STEP) return saveConsortium(request, state);
  if (step === CHECK_STEP) return submit(request, state);
  const section = state.form.questionnaire.sections.find((s) => s.id === step);
  if (!section) throw new PageNotFound('This questionnaire has no such page.');
  const { asked } = split(state, section);
  const parsed = parseTopic(asked, request.form);
  if (parsed.issues.length > 0) return renderTopic(request, state, section, parsed.typed, parsed.issues);
  const answers = { ...state.draft.answers };
  for (const q of section.questions) delete answers[q.id];
  await keep(request, state, { ...state.draft, answers: { ...answers, ...parsed.answers } });
  return redirect(`${state.base}/${nextStep(state, section.id)}`);
}

async function keep(request: PageRequest, state: State, draft: ApplicationDraft): Promise<void> {
  await saveDraft(drafts(), state.session, 'prequalification', draft, request.now);
}

function renderOrganisation(request: PageRequest, state: State, issues: FieldIssue[] = []) {
  const { errorList, errors } = formErrors(issues, () => `#${fieldId('providerId')}`);
  return render(
    request,
    'provider/prequalification-organisation.njk',
    {
      ...pageContext(request, state, 'Which organisation is applying?', state.base),
      items: state.form.owned.map((o) => ({
        value: o.id,
        text: o.name,
        checked: o.id === state.draft.providerId,
      })),
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

async function saveOrganisation(request: PageRequest, state: State) {
  const chosen = request.form.get('providerId') ?? '';
  if (!state.form.owned.some((o) => o.id === chosen)) {
    return renderOrganisation(request, state, [
      { path: 'providerId', message: 'Select the organisation that is applying' },
    ]);
  }
  // Another organisation's answers are not this one's: its accreditation answers differently.
  const draft: ApplicationDraft =
    chosen === state.draft.providerId
      ? state.draft
      : { competitionId: state.form.competition.id, providerId: chosen, answers: {}, consortium: [] };
  await keep(request, state, draft);
  return redirect(`${state.base}/${nextStep(state, ORGANISATION_STEP)}`);
}

async function renderConsortium(
  request: PageRequest,
  state: State,
  typed: Record<string, string> = {},
  issues: FieldIssue[] = [],
) {
  const applicant = state.form.applicant;
  const standing = applicant
    ? await consortiumStanding(
        providerCompetitionDeps(),
        state.form.competition.id,
        applicant.id,
        state.draft.consortium,
        request.now,
      )
    : [];
  const { errorList, errors } = formErrors(issues);
  return render(
    request,
    'provider/prequalification-consortium.njk',
    {
      ...pageContext(request, state, 'Consortium members', previousStep(state, CONSORTIUM_STEP)),
      members: standing.map((m, index) => ({ ...m, index, name: m.name ?? 'Not a registered provider' })),
      // The page where an owner of each member agrees (the lead and the part filled in), for the applicant
      // to send them; without an applicant chosen yet, the page asks for the lead's id.
      agreeHref: `/your-competitions/${encodeURIComponent(state.form.competition.id)}/partnership${
        applicant
          ? `?${new URLSearchParams({ lead: applicant.id, role: 'consortium-member' }).toString()}`
          : ''
      }`,
      applicantId: applicant?.id,
      values: typed,
      errors,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** Adds a member (`action=add`), removes one (`action=remove-<n>`), or goes on to check the answers. */
async function saveConsortium(request: PageRequest, state: State) {
  const action = request.form.get('action') ?? 'continue';
  const removal = /^remove-(\d{1,3})$/.exec(action);
  if (removal) {
    const index = Number(removal[1]);
    const consortium = state.draft.consortium.filter((_m, i) => i !== index);
    if (consortium.length !== state.draft.consortium.length)
      await keep(request, state, { ...state.draft, consortium });
    return redirect(`${state.base}/${CONSORTIUM_STEP}`);
  }
  if (action === 'add') {
    const parsed = parseMember(request.form, state.form.applicant?.id, state.draft.consortium);
    if ('issues' in parsed) return renderConsortium(request, state, parsed.typed, parsed.issues);
    await keep(request, state, { ...state.draft, consortium: [...state.draft.consortium, parsed.member] });
    return redirect(`${state.base}/${CONSORTIUM_STEP}`);
  }
  return redirect(`${state.base}/${CHECK_STEP}`);
}

/** Where a submission's issue is answered: the topic page of its question, or the consortium page. */
function hrefOf(state: State, path: string): string {
  const id = path.replace(/^answers\./, '');
  const section = state.form.questionnaire.sections.find((s) => s.questions.some((q) => q.id === id));
  if (section) return `${state.base}/${section.id}#${fieldId(id)}`;
  if (path.startsWith('consortium')) return `${state.base}/${CONSORTIUM_STEP}`;
  if (path === 'providerId' && state.steps.includes(ORGANISATION_STEP))
    return `${state.base}/${ORGANISATION_STEP}`;
  return '#submit';
}

async function renderCheck(request: PageRequest, state: State, issues: FieldIssue[] = []) {
  const { form, draft } = state;
  const validUntil = form.accreditation ? govukDate(form.accreditation.validUntil) : '';
  const sections = form.questionnaire.sections.map((section) => {
    const { accredited } = split(state, section);
    return {
      title: section.title,
      rows: section.questions.map((q) => {
        const fromAccreditation = accredited.includes(q);
        const value = fromAccreditation ? form.accreditation?.answers[q.id] : draft.answers[q.id];
        return {
          key: { text: questionText(q) },
          value: {
            html: `${linesHtml(answerText(q, value))}${fromAccreditation ? `<br><span class="govuk-hint">From your accreditation, valid until ${escapeHtml(validUntil)}</span>` : ''}`,
          },
          ...(fromAccreditation
            ? {}
            : {
                actions: {
                  items: [
                    {
                      href: `${state.base}/${section.id}#${fieldId(q.id)}`,
                      text: 'Change',
                      visuallyHiddenText: questionText(q),
                    },
                  ],
                },
              }),
        };
      }),
    };
  });
  const members = form.applicant
    ? await consortiumStanding(
        providerCompetitionDeps(),
        form.competition.id,
        form.applicant.id,
        draft.consortium,
        request.now,
      )
    : [];
  const { errorList } = formErrors(issues, (path) => hrefOf(state, path));
  return render(
    request,
    'provider/prequalification-check.njk',
    {
      ...pageContext(request, state, 'Check your answers before applying', previousStep(state, CHECK_STEP)),
      applicant: form.applicant?.name,
      organisationHref: state.steps.includes(ORGANISATION_STEP)
        ? `${state.base}/${ORGANISATION_STEP}`
        : undefined,
      sections,
      members: members.map((m) => ({
        key: { text: m.name ?? m.providerId },
        value: {
          text: `${m.role}: ${[m.verified ? 'verified' : 'not verified', m.accredited ? 'accredited' : 'not accredited', m.agreed ? 'agreed to be named' : 'not yet agreed to be named'].join(', ')}`,
        },
      })),
      consortiumHref: `${state.base}/${CONSORTIUM_STEP}`,
      resubmission: draft.submitted !== undefined,
      errorList,
    },
    issues.length > 0 ? 400 : 200,
  );
}

/** Submits through the JSON route's use case; the confirmation, or its problems on the check page. */
async function submit(request: PageRequest, state: State) {
  const { form, draft } = state;
  let reference: string;
  let at: string;
  try {
    const submitted = await submitResponse(
      providerCompetitionDeps(),
      request.principal,
      form.competition.id,
      {
        providerId: form.applicant?.id,
        // Only what the applicant answered itself: its accreditation answers the rest (and wins).
        answers: Object.fromEntries(
          Object.entries(draft.answers).filter(
            ([id]) => !Object.hasOwn(form.accreditation?.answers ?? {}, id),
          ),
        ),
        consortium: draft.consortium,
      },
      request.now,
    );
    reference = submitted.id;
    at = submitted.submittedAt;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return renderCheck(
      request,
      state,
      error.issues.length > 0 ? error.issues : [{ path: '', message: error.message }],
    );
  }
  // The answers stay, so the applicant can change them and apply again until the deadline.
  await keep(request, state, { ...draft, providerId: form.applicant?.id, submitted: { reference, at } });
  return redirect(`${state.base}/${CONFIRMATION_STEP}`);
}

/** `GET …/prequalification/confirmation`: the reference of the response this session sent. */
async function confirmationPage(request: PageRequest) {
  const session = requireSession(request);
  const id = competitionIdOf(request);
  const draft = await draftOf(session, id, request.now);
  if (!draft.submitted) return redirect(`/your-competitions/${id}/prequalification`);
  const competition = await getPublishedCompetition(providerCompetitionDeps(), id, request.now);
  return render(request, 'provider/prequalification-confirmation.njk', {
    title: `Application submitted: ${competition.title}`,
    heading: 'Application submitted',
    section: 'competitions',
    breadcrumbs: providerBreadcrumbs(competition),
    competition: { id: competition.id, title: competition.title },
    reference: draft.submitted.reference,
    at: govukDateTime(draft.submitted.at),
    deadline: competition.prequalificationDeadline
      ? closingInWords('Applications', competition.prequalificationDeadline, request.now)
      : undefined,
  });
}

/** This group's pages by route key. */
export const prequalificationPages: PageMap = {
  'GET /your-competitions/{id}/prequalification': startPage,
  'GET /your-competitions/{id}/prequalification/{step}': stepPage,
  'POST /your-competitions/{id}/prequalification/{step}': saveStep,
};
