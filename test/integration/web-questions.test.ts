/**
 * Clarification questions on the web (issue 15), through the web functions' handlers over DynamoDB Local:
 * a provider asks on `/your-competitions/{id}/questions` (errors in a GOV.UK summary, what was typed kept,
 * CSRF checked); the lead answers on `/commissioning/{id}/questions/{questionId}` (publishing an edited
 * wording, or privately); the public opportunity page lists the published answers in order with dates. The
 * asking organisation is never shown on any page but to the declared insiders and the asker's members: not
 * to another bidder, an undeclared panel member, an outsider or the anonymous public.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as commissioning } from '../../functions/web/commissioning';
import { handler as publicPages } from '../../functions/web/index';
import { handler as providerQuestions } from '../../functions/web/provider-questions';
import { config } from '../../shared/config';
import { repositories } from '../../shared/db/repositories';
import type { HttpResult } from '../../shared/http/types';
import { readAuditLog } from '../../shared/use-cases/competitions/audit-log';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { startTestSequencer } from '../support/audit';
import { httpEvent, lambdaContext } from '../support/events';
import { LEAD, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';

const DAY = 24 * 3600 * 1000;
const ASKER_NAME = 'Hope Street Wigan Trust';
const ASKED = 'Hope Street Wigan Trust here: can we use our Wigan drop-in centre?';
const PUBLISHED_AS = 'Can a bidder use premises it already runs?';
const PRIVATE_ASK = 'Does our late 2024 filing at the Charity Commission matter?';

type Handler = typeof commissioning;

/** Calls a web function as API Gateway would for one page route. */
async function page(
  fn: Handler,
  routeKey: string,
  options: {
    params: Record<string, string>;
    who?: SignedIn | undefined;
    form?: Record<string, string>;
    csrf?: boolean;
    query?: Record<string, string>;
  },
): Promise<HttpResult> {
  const [method = 'GET', template = '/'] = routeKey.split(' ');
  let path = template;
  for (const [name, value] of Object.entries(options.params)) path = path.replace(`{${name}}`, value);
  const headers: Record<string, string> = {};
  if (options.who) headers.cookie = options.who.cookie;
  let body: string | undefined;
  if (method === 'POST') {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    const fields = new URLSearchParams(options.form ?? {});
    if (options.csrf !== false && options.who) fields.set('csrfToken', options.who.session.csrf);
    body = fields.toString();
  }
  return fn(
    httpEvent({
      routeKey,
      method,
      path,
      headers,
      pathParameters: options.params,
      ...(body !== undefined ? { body } : {}),
      ...(options.query ? { query: options.query } : {}),
    }),
    lambdaContext(),
  );
}

/** The page's text without tags. */
function text(result: HttpResult): string {
  return String(result.body ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&rsquo;|’/g, "'")
    .replace(/\s+/g, ' ');
}

let competitionId: string;
let askerId: string;
let asker: SignedIn;
let rival: SignedIn;
let lead: SignedIn;
let evaluator: SignedIn;
let undeclared: SignedIn;
let outsider: SignedIn;

const providerPage = (who: SignedIn | undefined, form?: Record<string, string>, csrf = true) =>
  page(
    providerQuestions,
    form ? 'POST /your-competitions/{id}/questions' : 'GET /your-competitions/{id}/questions',
    {
      params: { id: competitionId },
      who,
      ...(form ? { form, csrf } : {}),
    },
  );

beforeAll(async () => {
  await useTestTables();
  const sequencer = await startTestSequencer();
  askerId = await verifiedProvider('asker', ASKER_NAME, { region: 'north_west', service: 'accommodation' });
  await verifiedProvider('rival', 'Rival Housing', { region: 'north_west', service: 'accommodation' });
  const now = new Date();
  const competition = await createCompetition(
    repositories(),
    LEAD,
    {
      title: 'Move-on accommodation, Greater Manchester',
      description: 'Move-on accommodation for people leaving approved premises.',
      services: ['accommodation'],
      regions: ['north_west'],
      estimatedValuePence: 50_000_00,
      termMonths: 12,
      risk: 'low',
      tenderDeadline: new Date(now.getTime() + 12 * DAY).toISOString(),
      criteria: [
        { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
        { id: 'price', name: 'Price', kind: 'price', weight: 40 },
      ],
    },
    now,
    config().rules,
  );
  competitionId = competition.id;
  await publishCompetition(repositories(), LEAD, competitionId, now, config().rules);
  await setPanel(
    repositories(),
    LEAD,
    competitionId,
    { evaluators: ['eva', 'evan'], moderator: 'mo' },
    now,
    config().rules.evaluation,
  );
  await declare(repositories(), LEAD, competitionId, [], now);
  await declare(repositories(), { ...user('eva'), groups: ['commissioner'] }, competitionId, [], now);
  asker = await signedIn('asker');
  rival = await signedIn('rival');
  lead = await signedIn('lead', { groups: ['commissioner'] });
  evaluator = await signedIn('eva', { groups: ['commissioner'] });
  undeclared = await signedIn('evan', { groups: ['commissioner'] });
  outsider = await signedIn('someone', { groups: ['commissioner'] });
  await sequencer.stop();
});

describe("the provider's questions page", () => {
  it('needs a signed-in visitor', async () => {
    const anonymous = await providerPage(undefined);
    expect(anonymous.statusCode).toBe(303);
    expect(anonymous.headers?.location).toContain('/sign-in');
  });

  it('offers the form, with when questions close', async () => {
    const result = await providerPage(asker);
    expect(result.statusCode).toBe(200);
    expect(result.body).toMatch(/<title>Questions: Move-on accommodation, Greater Manchester – /);
    expect(result.body).toContain('name="csrfToken"');
    expect(text(result)).toContain('Questions close on');
    expect(text(result)).toContain('Your organisation has not asked any questions');
    expect(text(result)).toContain('No answers have been published yet');
  });

  it('shows problems in an error summary and keeps what was typed; changes nothing', async () => {
    const long = `${'Why? '.repeat(400)}end`;
    const result = await providerPage(asker, { question: long });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(result.body).toContain('href="#question"');
    expect(result.body).toMatch(/<title>Error: /);
    expect(result.body).toContain('Why? Why?');
    const blank = await providerPage(asker, { question: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(text(blank)).toContain('Enter your question');
    const log = await repositories().questions.listForAskers(competitionId, [askerId], { limit: 10 });
    expect(log.items).toEqual([]);
  });

  it('refuses a form without the CSRF token', async () => {
    const forged = await providerPage(asker, { question: 'Forged?' }, false);
    expect(forged.statusCode).toBe(403);
  });

  it('asks, and shows the question as the organisation’s own, waiting', async () => {
    const sent = await providerPage(asker, { question: ASKED });
    expect(sent.statusCode).toBe(303);
    expect(sent.headers?.location).toBe(`/your-competitions/${competitionId}/questions?done=asked`);
    expect((await providerPage(asker, { question: PRIVATE_ASK })).statusCode).toBe(303);
    const after = await page(providerQuestions, 'GET /your-competitions/{id}/questions', {
      params: { id: competitionId },
      who: asker,
      query: { done: 'asked' },
    });
    expect(text(after)).toContain('Your question has been sent');
    expect(text(after)).toContain(ASKED);
    expect(text(after)).toContain('Waiting for an answer');
  });

  it('tells someone with no organisation that only verified providers ask', async () => {
    const nobody = await signedIn('nobody');
    const result = await providerPage(nobody);
    expect(text(result)).toContain('Only members of a verified provider can ask questions');
    expect(result.body).not.toContain('name="question"');
  });
});

describe('the commissioning questions pages', () => {
  let publicId: string;
  let privateId: string;

  beforeAll(async () => {
    const log = await repositories().questions.listAll(competitionId, { limit: 10 });
    publicId = log.items.find((q) => q.question === ASKED)?.id ?? '';
    privateId = log.items.find((q) => q.question === PRIVATE_ASK)?.id ?? '';
  });

  const list = (who: SignedIn) =>
    page(commissioning, 'GET /commissioning/{id}/questions', { params: { id: competitionId }, who });
  const answerForm = (who: SignedIn, questionId: string) =>
    page(commissioning, 'GET /commissioning/{id}/questions/{questionId}', {
      params: { id: competitionId, questionId },
      who,
    });
  const answer = (who: SignedIn, questionId: string, form: Record<string, string>) =>
    page(commissioning, 'POST /commissioning/{id}/questions/{questionId}', {
      params: { id: competitionId, questionId },
      who,
      form,
    });

  it('lists every question with who asked, for the declared lead and panel', async () => {
    for (const who of [lead, evaluator]) {
      const result = await list(who);
      expect(result.statusCode).toBe(200);
      expect(text(result)).toContain(ASKER_NAME);
      expect(text(result)).toContain(ASKED);
      expect(result.body).toContain(`href="/commissioning/${competitionId}/questions"`);
    }
    expect((await list(lead)).body).toContain(`href="/commissioning/${competitionId}/questions/${publicId}"`);
    expect((await list(evaluator)).body).not.toContain(`/questions/${publicId}"`);
  });

  it('refuses the undeclared panel member, an outsider and a provider, naming nobody', async () => {
    const declare = await list(undeclared);
    expect(declare.statusCode).toBe(403);
    expect(text(declare)).toContain('Declare your interests first');
    for (const who of [undeclared, outsider, rival, asker]) {
      const result = await list(who);
      expect(result.statusCode).toBe(403);
      expect(text(result)).not.toContain(ASKER_NAME);
      expect(text(result)).not.toContain(ASKED);
    }
    expect((await answerForm(evaluator, publicId)).statusCode).toBe(403);
  });

  it('shows the lead the answer form with the wording to edit', async () => {
    const form = await answerForm(lead, publicId);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="csrfToken"');
    expect(form.body).toContain(`${ASKED}</textarea>`);
    expect(text(form)).toContain(ASKER_NAME);
  });

  it('shows the answer form’s problems, keeping what was typed', async () => {
    const result = await answer(lead, publicId, {
      publishedQuestion: PUBLISHED_AS,
      answer: '',
      audience: '',
    });
    expect(result.statusCode).toBe(400);
    expect(result.body).toContain('govuk-error-summary');
    expect(text(result)).toContain('Choose who the answer goes to');
    expect(text(result)).toContain('Enter your answer');
    expect(result.body).toContain(`${PUBLISHED_AS}</textarea>`);
  });

  it('publishes an answer with the edited wording, and answers another privately', async () => {
    const published = await answer(lead, publicId, {
      publishedQuestion: PUBLISHED_AS,
      answer: 'Yes, if it meets the accessibility standards.',
      audience: 'all',
    });
    expect(published.statusCode).toBe(303);
    expect(published.headers?.location).toBe(`/commissioning/${competitionId}/questions?done=answered`);
    const privately = await answer(lead, privateId, {
      publishedQuestion: PRIVATE_ASK,
      answer: 'No, it does not affect your response.',
      audience: 'asker',
    });
    expect(privately.statusCode).toBe(303);
    const again = await answerForm(lead, publicId);
    expect(text(again)).toContain('This question has been answered');
    expect(again.body).not.toContain('name="answer"');
    const late = await answer(lead, publicId, { answer: 'Again', audience: 'all' });
    expect(late.statusCode).toBe(409);
  });

  it('records the inside reads and the answers in the audit trail', async () => {
    const sequencer = await startTestSequencer();
    await sequencer.drain();
    await sequencer.stop();
    const log = await readAuditLog(
      repositories(),
      { kind: 'user', sub: 'auditor', email: undefined, groups: ['auditor'] },
      competitionId,
      { limit: 200 },
      new Date(),
    );
    const trail = log.items.map((e) => `${e.action}:${e.outcome}:${e.actor}`);
    expect(trail).toContain('questions.read:allowed:lead');
    expect(trail).toContain('questions.read:allowed:eva');
    expect(trail).toContain('questions.read:denied:evan');
    expect(trail).toContain('question.read:allowed:lead');
    expect(trail).toContain('question.answer:allowed:lead');
    expect(trail).toContain('question.ask:allowed:asker');
  });
});

describe('published answers on the public and provider pages', () => {
  it('the opportunity page lists the published answer with its date, never who asked', async () => {
    for (const who of [undefined, rival, undeclared, outsider, asker]) {
      const result = await page(publicPages, 'GET /find-an-opportunity/{id}', {
        params: { id: competitionId },
        who,
      });
      expect(result.statusCode).toBe(200);
      expect(text(result)).toContain('Questions and answers');
      expect(text(result)).toContain(PUBLISHED_AS);
      expect(text(result)).toContain('Yes, if it meets the accessibility standards.');
      expect(text(result)).toMatch(/Answered on \d{1,2} \w+ \d{4}/);
      for (const secret of [ASKER_NAME, 'Wigan', ASKED, PRIVATE_ASK, 'No, it does not affect']) {
        expect(text(result)).not.toContain(secret);
      }
    }
  });

  it("another bidder's questions page shows the published answer only", async () => {
    const result = await providerPage(rival);
    expect(text(result)).toContain(PUBLISHED_AS);
    for (const secret of [ASKER_NAME, 'Wigan', ASKED, PRIVATE_ASK, 'No, it does not affect']) {
      expect(text(result)).not.toContain(secret);
    }
    expect(text(result)).toContain('Your organisation has not asked any questions');
  });

  it("the asker's page shows its own questions with their answers, and the published one", async () => {
    const result = await providerPage(asker);
    expect(text(result)).toContain(ASKED);
    expect(text(result)).toContain(PUBLISHED_AS);
    expect(text(result)).toContain('Answered to all bidders');
    expect(text(result)).toContain('No, it does not affect your response.');
    expect(text(result)).toContain('Answered to your organisation');
  });
});
