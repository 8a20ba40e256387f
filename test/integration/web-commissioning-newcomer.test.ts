/**
 * Findings of a newcomer's walk of the commissioning workspace (issue 14), over DynamoDB Local through the
 * web functions' handlers and the JSON evaluation function:
 * - a panel member whose role was removed reads nothing through their seat, on the pages or the JSON
 *   routes, and the refusal is audited;
 * - while bids are sealed, a connected viewer without a seat is told nothing that says their organisation
 *   bid, on every page;
 * - refusal pages inside the workspace lead back to the competition;
 * - every form's address answers GET with a redirect to the page the form is on;
 * - a provider user opening a contract's workspace page gets the workspace's refusal.
 *
 * Time moves by the request (`requestContext.timeEpoch`), so "after the tender deadline" needs no waiting.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as jsonEvaluation } from '../../functions/tenders/evaluation';
import { handler as commissioningPages } from '../../functions/web/commissioning';
import { handler as evaluationPages } from '../../functions/web/evaluation';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import { OUTSIDE_WITHOUT_SEAT, SEAT_WITHOUT_ROLE } from '../../shared/domain/policy';
import type { Principal } from '../../shared/domain/principal';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import { saveDraft, submitBid } from '../../shared/use-cases/tenders/bidder';
import { httpEvent, lambdaContext } from '../support/events';
import { LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';
import { useTestTables } from '../support/tables';
import { type SignedIn, signedIn } from '../support/web-session';
import { callPage, type PageHandler, pageText } from '../support/workspace';

const HOUR = 3_600_000;
const commissioner = (sub: string): Principal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups: ['commissioner'],
});
/** An evaluator whose commissioner role was removed after they were seated and declared. */
const REMOVED = 'nc-role-removed';
/** An evaluator left with the auditor role alone. */
const AUDITOR_NOW = 'nc-now-auditor';
const EVALUATOR = 'nc-evaluator';
const MODERATOR = 'nc-moderator';
/** Owner of the bidding organisation, who also holds the commissioner role: connected, no seat. */
const BIDDER = 'nc-bidder-owner';
const PROVIDER_USER = 'nc-provider-user';

const sessions: Record<string, SignedIn> = {};
let competitionId = '';
let bidId = '';
let t0 = 0;
const pastDeadline = () => t0 + 2 * HOUR;

function page(
  handler: PageHandler,
  routeKey: string,
  as: string,
  params: Record<string, string>,
  at = Date.now(),
) {
  return callPage(handler, routeKey, { who: sessions[as], params, at });
}

async function auditEvents() {
  return (await repositories().audit.page(competitionId, 200, undefined)).items;
}

beforeAll(async () => {
  await useTestTables();
  t0 = Date.now();
  competitionId = await openCompetition({
    title: 'Newcomer walk, South West',
    region: 'south_west',
    service: 'unpaid_work',
  });
  await verifiedProvider(BIDDER, 'Westcountry Works CIC', { region: 'south_west', service: 'unpaid_work' });
  const deps = withSharedProviderData(repositories());
  await saveDraft(
    deps,
    user(BIDDER),
    competitionId,
    {
      pricePence: 40_000_00,
      qualityResponses: { quality: 'Placements.' },
      subcontractors: [],
      consortium: [],
    },
    new Date(),
  );
  bidId = (await submitBid(deps, user(BIDDER), competitionId, undefined, new Date())).bidId;
  await setPanel(
    repositories(),
    LEAD,
    competitionId,
    { evaluators: [EVALUATOR, REMOVED, AUDITOR_NOW], moderator: MODERATOR },
    new Date(),
    config().rules.evaluation,
  );
  for (const who of ['lead', EVALUATOR, REMOVED, AUDITOR_NOW, MODERATOR])
    await declare(repositories(), commissioner(who), competitionId, [], new Date());
  for (const [sub, groups] of [
    [REMOVED, []],
    [AUDITOR_NOW, ['auditor']],
    [EVALUATOR, ['commissioner']],
    [BIDDER, ['commissioner']],
    [PROVIDER_USER, []],
  ] as const) {
    sessions[sub] = await signedIn(sub, { groups: [...groups] });
  }
});

describe('a seat without the commissioner role', () => {
  const inside = [
    ['GET /commissioning/{id}/bids', () => ({ id: competitionId })],
    ['GET /commissioning/{id}/bids/{bidId}', () => ({ id: competitionId, bidId })],
    ['GET /commissioning/{id}/evaluation', () => ({ id: competitionId })],
  ] as const;

  it('opens no bid, bid page or ranking to a panel member whose role was removed', async () => {
    for (const [routeKey, params] of inside) {
      const refused = await page(evaluationPages, routeKey, REMOVED, params(), pastDeadline());
      expect(refused.statusCode, routeKey).toBe(403);
      expect(refused.body).not.toContain('Westcountry Works CIC');
    }
    // The seat holder who still has the role is let in, so the refusal is the role's.
    const allowed = await page(evaluationPages, inside[0][0], EVALUATOR, inside[0][1](), pastDeadline());
    expect(allowed.statusCode).toBe(200);
    expect(pageText(allowed)).toContain('Westcountry Works CIC');
  });

  it('keeps an auditor’s own oversight but not the seat’s powers, and audits the refusal', async () => {
    for (const [routeKey, params] of inside) {
      const refused = await page(evaluationPages, routeKey, AUDITOR_NOW, params(), pastDeadline());
      expect(refused.statusCode, routeKey).toBe(403);
      expect(pageText(refused)).toContain(SEAT_WITHOUT_ROLE);
      expect(refused.body).not.toContain('Westcountry Works CIC');
    }
    const denied = (await auditEvents()).filter((e) => e.actor === AUDITOR_NOW && e.outcome === 'denied');
    expect(denied.length).toBeGreaterThanOrEqual(inside.length);
    expect(new Set(denied.map((e) => e.reason))).toEqual(new Set(['/problems/forbidden']));
    const wall = await page(commissioningPages, 'GET /commissioning/{id}/wall', AUDITOR_NOW, {
      id: competitionId,
    });
    expect(wall.statusCode).toBe(200);
  });

  it('answers GET /competitions/{id}/bids with 403 for a token with no commissioner group, and audits it', async () => {
    const event = httpEvent({
      routeKey: 'GET /competitions/{id}/bids',
      method: 'GET',
      path: `/competitions/${competitionId}/bids`,
      pathParameters: { id: competitionId },
      claims: { sub: REMOVED },
    });
    event.requestContext.timeEpoch = pastDeadline();
    const answer = await jsonEvaluation(event, lambdaContext());
    expect(answer.statusCode).toBe(403);
    expect(String(answer.body)).not.toContain('Westcountry Works CIC');
    const denied = (await auditEvents()).filter((e) => e.actor === REMOVED && e.outcome === 'denied');
    expect(denied.map((e) => [e.action, e.reason])).toContainEqual(['bids.read', '/problems/forbidden']);
  });
});

describe('while bids are sealed', () => {
  it('tells a connected commissioner without a seat only the neutral reason, on every page', async () => {
    const at = t0 + 60_000;
    for (const [handler, routeKey] of [
      [evaluationPages, 'GET /commissioning/{id}/bids'],
      [commissioningPages, 'GET /commissioning/{id}/wall'],
      [commissioningPages, 'GET /commissioning/{id}/declaration'],
      [commissioningPages, 'GET /commissioning/{id}'],
    ] as const) {
      const shown = await page(handler, routeKey, BIDDER, { id: competitionId }, at);
      const text = pageText(shown);
      expect(text, routeKey).not.toContain('applied for or bid');
      expect(text, routeKey).not.toContain('belong to an organisation');
      if (shown.statusCode !== 200) expect(text, routeKey).toContain(OUTSIDE_WITHOUT_SEAT);
    }
  });
});

describe('the competition’s tabs', () => {
  /** The labels of the competition navigation's links. */
  const tabs = (html: string) =>
    [
      ...(/<nav class="app-competition-nav"[\s\S]*?<\/nav>/.exec(html)?.[0] ?? '').matchAll(
        />([^<>]+)<\/a>/g,
      ),
    ].map((m) => m[1]);

  it('shows each viewer only the tabs the policy could let them open', async () => {
    const evaluator = await page(commissioningPages, 'GET /commissioning/{id}', EVALUATOR, {
      id: competitionId,
    });
    expect(evaluator.statusCode).toBe(200);
    expect(tabs(evaluator.body)).toEqual([
      'Task list',
      'Questions',
      'Documents',
      'Bids',
      'Evaluation and award',
      'Challenges',
    ]);
    const auditor = await page(commissioningPages, 'GET /commissioning/{id}/wall', AUDITOR_NOW, {
      id: competitionId,
    });
    expect(tabs(auditor.body)).toEqual([
      'Task list',
      'Wall and panel',
      'Documents',
      'Challenges',
      'Audit trail',
    ]);
  });
});

describe('the way back from a refusal inside the workspace', () => {
  it('links a refusal page to the competition’s task list, with breadcrumbs', async () => {
    const refused = await page(
      evaluationPages,
      'GET /commissioning/{id}/bids',
      AUDITOR_NOW,
      { id: competitionId },
      pastDeadline(),
    );
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('govuk-breadcrumbs');
    expect(refused.body).toContain(`href="/commissioning/${competitionId}"`);
    expect(pageText(refused)).toContain("Go to the competition's task list");
  });

  it('links a page that does not exist to your competitions when no competition is named', async () => {
    const missing = await callPage(commissioningPages, 'GET /commissioning/new/{step}', {
      who: sessions[EVALUATOR],
      params: { step: 'no-such-question' },
    });
    expect(missing.statusCode).toBe(404);
    expect(pageText(missing)).toContain('Go to your competitions');
  });
});

describe('every form’s address answers GET', () => {
  it('redirects to the page the form lives on', async () => {
    const id = competitionId;
    for (const [handler, routeKey, params, location] of [
      [commissioningPages, 'GET /commissioning/{id}/wall/panel', { id }, `/commissioning/${id}/wall`],
      [commissioningPages, 'GET /commissioning/{id}/wall/exclusions', { id }, `/commissioning/${id}/wall`],
      [
        commissioningPages,
        'GET /commissioning/{id}/wall/exclusions/lift',
        { id },
        `/commissioning/${id}/wall`,
      ],
      [commissioningPages, 'GET /commissioning/{id}/wall/clearance', { id }, `/commissioning/${id}/wall`],
      [
        evaluationPages,
        'GET /commissioning/{id}/evaluation/award',
        { id },
        `/commissioning/${id}/evaluation`,
      ],
      [
        evaluationPages,
        'GET /commissioning/{id}/evaluation/confirm',
        { id },
        `/commissioning/${id}/evaluation`,
      ],
      [
        evaluationPages,
        'GET /commissioning/{id}/bids/{bidId}/scores',
        { id, bidId },
        `/commissioning/${id}/bids/${bidId}`,
      ],
      [
        evaluationPages,
        'GET /commissioning/{id}/bids/{bidId}/moderated-scores',
        { id, bidId },
        `/commissioning/${id}/bids/${bidId}`,
      ],
      [
        evaluationPages,
        'GET /commissioning/{id}/bids/{bidId}/price-clarification',
        { id, bidId },
        `/commissioning/${id}/bids/${bidId}`,
      ],
    ] as const) {
      const answer = await page(handler, routeKey, EVALUATOR, params);
      expect(answer.statusCode, routeKey).toBe(303);
      expect(answer.headers?.location, routeKey).toBe(location);
    }
    const malformed = await page(commissioningPages, 'GET /commissioning/{id}/wall/panel', EVALUATOR, {
      id: 'not-an-id',
    });
    expect(malformed.statusCode).toBe(404);
  });
});

describe('a draft’s publish and cancel pages', () => {
  let draftId = '';
  beforeAll(async () => {
    sessions.lead = await signedIn('lead', { groups: ['commissioner'] });
    const draft = await createCompetition(
      repositories(),
      LEAD,
      {
        title: 'Newcomer draft',
        description: 'A draft with no panel and no declaration.',
        services: ['unpaid_work'],
        regions: ['south_west'],
        estimatedValuePence: 50_000_00,
        termMonths: 12,
        risk: 'low',
        tenderDeadline: new Date(Date.now() + 60 * 86_400_000).toISOString(),
        criteria: [
          { id: 'quality', name: 'Quality', kind: 'quality', weight: 60 },
          { id: 'price', name: 'Price', kind: 'price', weight: 40 },
        ],
      },
      new Date(),
      config().rules,
    );
    draftId = draft.id;
  });

  it('warns the lead that no panel is set and they have not declared, and still offers publishing', async () => {
    const check = await page(commissioningPages, 'GET /commissioning/{id}/publish', 'lead', { id: draftId });
    expect(check.statusCode).toBe(200);
    const text = pageText(check);
    expect(text).toContain('No panel is set yet');
    expect(text).toContain('You have not declared your interests yet');
    expect(check.body).toContain(`action="/commissioning/${draftId}/publish"`);
  });

  it('says what a draft is, without a stray space, and does not promise to publish its reason', async () => {
    const form = await page(commissioningPages, 'GET /commissioning/{id}/cancel', 'lead', { id: draftId });
    expect(form.statusCode).toBe(200);
    const text = pageText(form);
    // The tag ends right where the sentence does: no stray space before the full stop.
    expect(form.body).toMatch(/It is <strong class="govuk-tag[^"]*">Draft<\/strong>\./);
    expect(text).not.toContain('published with the cancellation');
    expect(text).toContain('It is recorded in the audit trail.');
  });
});

describe('a contract’s workspace page', () => {
  it('gives a provider user the workspace’s refusal, not a page naming the contract id', async () => {
    const contractId = '01JCONTRACT000000000000000';
    const refused = await page(evaluationPages, 'GET /commissioning/contracts/{id}', PROVIDER_USER, {
      id: contractId,
    });
    expect(refused.statusCode).toBe(403);
    expect(pageText(refused)).toContain(
      'The commissioning workspace is for commissioners, auditors and admins',
    );
    expect(refused.body).not.toContain(contractId);
  });
});
