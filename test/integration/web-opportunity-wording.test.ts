/**
 * A small charity's reading of the opportunity page and the pages around it (issue 15, newcomer review),
 * through the web functions' handlers over DynamoDB Local:
 * - the opportunity page's main flow carries no API talk (no "application programming interface", no
 *   `/openapi.json`, no reference "the API asks for"): the reference is one row of the summary, and sending
 *   through the API is a collapsed "Sending … through the API" section at the foot of the page;
 * - its actions follow what the viewer's organisation has done: "Apply" or "Start your bid" before, "View
 *   or change your application" or "View or change your bid" after, until the deadline, and "View your bid"
 *   or "See where your application stands" once it has passed; another competition's participation, and an
 *   agreement to be named in someone else's bid, change nothing; reading it costs one Query of one item;
 * - the provider's questions page says when questions close once, not twice;
 * - the lead's documents page says "Tender documents" once as a heading, not twice.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type RecordedCall, splitCalls, tablesOf } from '../../bench/sample';
import { handler as commissioning } from '../../functions/web/commissioning';
import { handler as publicPages } from '../../functions/web/index';
import { handler as questionPages } from '../../functions/web/provider-questions';
import { config } from '../../shared/config';
import { dynamoDbClient } from '../../shared/db/client';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { agreeToBeNamed } from '../../shared/use-cases/tenders/partnerships';
import { competitionBody, inSeconds } from '../support/competitions';
import { accredit, LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, pageText } from '../support/workspace';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

// Every command the handlers send while `recording` is set, with the logical tables it names.
let recording: RecordedCall[] | undefined;
const logical = new Map(Object.entries(config().tables).map(([name, physical]) => [physical, name]));
dynamoDbClient().middlewareStack.add(
  (next, context) => async (args) => {
    recording?.push({
      command: String(context.commandName),
      tables: tablesOf(args.input).map((table) => logical.get(table) ?? table),
    });
    return next(args);
  },
  { step: 'initialize', name: 'opportunityWordingCallCounter' },
);

let ann: SignedIn;
let carl: SignedIn;
let nina: SignedIn;
let lead: SignedIn;
let annOrg = '';
let carlOrg = '';
/** Tier none, tenders close in an hour. */
let open = '';
/** Pre-qualification closes in an hour, tenders in two. */
let tiered = '';
/** Published after the others (a later id): Ann's draft there must not show on `open`. */
let newer = '';
/** Tenders close in ten days, so clarification questions are open. */
let asking = '';

const content = {
  pricePence: 45_000_00,
  qualityResponses: { quality: 'Caseworkers in every town.' },
  subcontractors: [],
  consortium: [],
};

/** The opportunity page for `who`, optionally `later` ms from now. */
const opportunity = (id: string, who?: SignedIn, later = 0) =>
  callPage(publicPages, 'GET /find-an-opportunity/{id}', {
    params: { id },
    ...(who ? { who } : {}),
    ...(later ? { at: Date.now() + later } : {}),
  });

/** The "What you can do now" actions, as `text -> href`, in order. */
function actions(html: string): [string, string][] {
  const section = /id="what-you-can-do"[\s\S]*?<div class="govuk-button-group">([\s\S]*?)<\/div>/.exec(
    html,
  )?.[1];
  if (section === undefined) return [];
  return [...section.matchAll(/<a\b[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/g)].map((m) => [
    pageText(m[2] ?? '').trim(),
    (m[1] ?? '').replaceAll('&amp;', '&'),
  ]);
}

/** The page's HTML before the "Sending … through the API" section, and the section itself. */
function splitAtApiSection(html: string): { main: string; api: string } {
  const at = html.indexOf('id="through-the-api"');
  if (at < 0) return { main: html, api: '' };
  const start = html.lastIndexOf('<details', at);
  const end = html.indexOf('</details>', at) + '</details>'.length;
  return { main: html.slice(0, start), api: html.slice(start, end) };
}

beforeAll(async () => {
  await useTestTables();
  const where = { region: 'north_west', service: 'accommodation' } as const;
  annOrg = await verifiedProvider('ow-ann', 'Wigan Second Chance', where);
  carlOrg = await verifiedProvider('ow-carl', 'Bolton Move-on Homes', where);
  await accredit('ow-ann', annOrg);
  await accredit('ow-carl', carlOrg);
  open = await openCompetition({ title: 'Supported lodgings, Wigan', ...where });
  tiered = await openCompetition({ title: 'Resettlement hub, Bolton', ...where, prequalification: true });
  newer = await openCompetition({ title: 'Floating support, Leigh', ...where });
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title: 'Move-on housing, Salford',
      prequalificationDeadline: undefined,
      estimatedValuePence: 80_000_00,
      risk: 'low',
      termMonths: 24,
      tenderDeadline: inSeconds((10 * DAY) / 1000),
    }) as unknown as CreateCompetitionInput,
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), LEAD, created.id, new Date(), config().rules);
  asking = created.id;
  ann = await signedIn('ow-ann');
  carl = await signedIn('ow-carl');
  nina = await signedIn('ow-nina');
  lead = await signedIn('lead', { groups: ['commissioner'] });
});

describe('the opportunity page keeps the API out of the main flow', () => {
  it.each([
    ['with no pre-qualification', () => open, 'Sending your bid through the API'],
    ['with pre-qualification', () => tiered, 'Sending your application or bid through the API'],
  ])(
    '%s: the reference is a summary row, the API a collapsed section at the foot',
    async (_, id, summary) => {
      const html = (await opportunity(id(), ann)).body;
      const { main, api } = splitAtApiSection(html);
      const text = pageText(main);
      expect(text).toContain(`Reference ${id()}`);
      // Said once, in the summary: no "the opportunity reference is …" beside the steps.
      expect(text.split(id()).length - 1).toBe(1);
      for (const jargon of [
        /\bAPI\b/,
        /application programming interface/i,
        /openapi/i,
        /\bPOST\b/,
        /\bJSON\b/,
        /\b(providerId|competitionId|responseId|pricePence|qualityResponses)\b/,
      ])
        expect(text).not.toMatch(jargon);
      // The section: a GOV.UK details component, closed, after the questions and answers.
      expect(api).toMatch(/^<details class="govuk-details"[^>]*>/);
      expect(api).not.toMatch(/^<details[^>]*\bopen\b/);
      expect(pageText(api)).toContain(summary);
      expect(api).toContain('href="/openapi.json"');
      expect(pageText(api)).toMatch(
        new RegExp(`The API asks for this opportunity's reference: ${id()} ?\\.`),
      );
      expect(html.indexOf('id="questions-and-answers"')).toBeLessThan(html.indexOf('id="through-the-api"'));
    },
  );

  it('has no API section once the opportunity is closed to new providers', async () => {
    const html = (await opportunity(open, ann, 2 * HOUR)).body;
    expect(html).not.toContain('through-the-api');
    expect(pageText(html)).not.toMatch(/\bAPI\b/);
  });
});

describe('the opportunity page’s actions follow what the viewer’s organisation has done', () => {
  it('pre-qualification: Apply, then View or change your application, then where it stands once closed', async () => {
    expect(actions((await opportunity(tiered, ann)).body)[0]).toEqual([
      'Apply: answer the pre-qualification questions',
      `/your-competitions/${tiered}/prequalification`,
    ]);
    await submitResponse(
      withSharedProviderData(repositories()),
      user('ow-ann'),
      tiered,
      { answers: { 'technical.relevant-experience': 'Ten years of supported housing in Bolton.' } },
      new Date(),
    );
    const applied = actions((await opportunity(tiered, ann)).body);
    expect(applied[0]).toEqual([
      'View or change your application',
      `/your-competitions/${tiered}/prequalification`,
    ]);
    expect(applied.map(([text]) => text)).not.toContain('Apply: answer the pre-qualification questions');
    // Carl, who has not applied, is still asked to apply.
    expect(actions((await opportunity(tiered, carl)).body)[0]?.[0]).toBe(
      'Apply: answer the pre-qualification questions',
    );
    // Pre-qualification closed: the application can no longer change.
    expect(actions((await opportunity(tiered, ann, 1.5 * HOUR)).body)).toEqual([
      ['See where your application stands', '/your-competitions'],
    ]);
    expect(actions((await opportunity(tiered, carl, 1.5 * HOUR)).body)).toEqual([]);
  });

  it('tendering: Start your bid, then View or change your bid, then View your bid after the deadline', async () => {
    const deps = withSharedProviderData(repositories());
    // A draft in a competition published later, and Carl named in Ann's bid: neither is Ann's bid here.
    await saveDraft(deps, user('ow-ann'), newer, content, new Date());
    await agreeToBeNamed(
      deps,
      user('ow-carl'),
      open,
      { providerId: carlOrg, bidderId: annOrg, role: 'subcontractor' },
      new Date(),
    );
    expect(actions((await opportunity(open, ann)).body)[0]).toEqual([
      'Start your bid',
      `/your-competitions/${open}/bid`,
    ]);
    expect(actions((await opportunity(open, carl)).body)[0]?.[0]).toBe('Start your bid');

    await saveDraft(deps, user('ow-ann'), open, content, new Date());
    const drafted = actions((await opportunity(open, ann)).body);
    expect(drafted[0]).toEqual(['View or change your bid', `/your-competitions/${open}/bid`]);
    expect(drafted.map(([text]) => text)).toContain('Ask a question');
    expect(drafted.map(([text]) => text)).not.toContain('Start your bid');
    expect(actions((await opportunity(open, carl)).body)[0]?.[0]).toBe('Start your bid');
    // Tenders closed: the bid can be read, no longer changed.
    expect(actions((await opportunity(open, ann, 1.5 * HOUR)).body)).toEqual([
      ['View your bid', `/your-competitions/${open}/bid`],
    ]);
    expect(actions((await opportunity(open, carl, 1.5 * HOUR)).body)).toEqual([]);
  });

  it('reads what the organisation did with one Query of one item, and nothing for the anonymous', async () => {
    const count = async (who?: SignedIn) => {
      recording = [];
      try {
        const result = await opportunity(open, who);
        expect(result.statusCode).toBe(200);
        return { calls: recording, ...splitCalls(recording) };
      } finally {
        recording = undefined;
      }
    };
    const anonymous = await count();
    const signedIn = await count(ann);
    expect(anonymous.tables.sealed).toBeUndefined();
    expect(signedIn.calls.filter((c) => c.tables.includes('sealed'))).toEqual([
      { command: 'QueryCommand', tables: ['sealed'] },
    ]);
    // Beyond what anyone's view costs: the memberships, read once (the header's lookup is passed on), and
    // that Query.
    expect(signedIn.calls.filter((c) => c.tables.includes('registry'))).toEqual([
      { command: 'QueryCommand', tables: ['registry'] },
    ]);
    expect(signedIn.service).toBe(anonymous.service + 2);
  });
});

describe('the provider’s questions page', () => {
  it('says when questions close once, beside the question', async () => {
    const html = (
      await callPage(questionPages, 'GET /your-competitions/{id}/questions', {
        who: ann,
        params: { id: asking },
      })
    ).body;
    const text = pageText(html);
    expect(text.match(/close on \d/g)).toHaveLength(1);
    expect(text).toMatch(/Your question Questions close on \d{1,2} \w+ \d{4} at [\d:]+[ap]m\./);
  });

  it('to someone who cannot ask, says it once above the published answers', async () => {
    const text = pageText(
      (
        await callPage(questionPages, 'GET /your-competitions/{id}/questions', {
          who: nina,
          params: { id: asking },
        })
      ).body,
    );
    expect(text.match(/close on \d/g)).toHaveLength(1);
    expect(text).toContain('Clarification questions close on');
  });
});

describe('the lead’s documents page', () => {
  const headings = (html: string) =>
    [...html.matchAll(/<h[1-6][^>]*>([\s\S]*?)<\/h[1-6]>/g)].map((m) => pageText(m[1] ?? '').trim());

  it('says "Tender documents" once as a heading; the opportunity page still has its own', async () => {
    const page = await callPage(commissioning, 'GET /commissioning/{id}/documents', {
      who: lead,
      params: { id: open },
    });
    expect(page.statusCode).toBe(200);
    expect(headings(page.body).filter((h) => h === 'Tender documents')).toHaveLength(1);
    expect(page.body).toMatch(/<h1 class="govuk-heading-l">Tender documents<\/h1>/);
    const opportunityPage = (await opportunity(open)).body;
    expect(headings(opportunityPage).filter((h) => h === 'Tender documents')).toHaveLength(1);
  });
});
