/**
 * The demo data loads through the use cases and shows up where a newcomer looks for it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handler as paymentsHandler } from '../../functions/web/payments';
import { DEMO_OWNER_EMAIL, seedAlerts } from '../../local/demo/alerts';
import {
  DEMO_COMMISSIONER,
  DEMO_PANEL,
  type DemoCompetitions,
  EVALUATION_TITLE,
  loadDemoCompetitions,
  STANDSTILL_ENDS_IN_DAYS,
} from '../../local/demo/competitions';
import {
  demoParticipantRef,
  PBR_CONTRACT_TITLE,
  PBR_DEMO_SHARES,
  PBR_FOLLOW_UP_MONTHS,
  seedPaymentByResults,
} from '../../local/demo/payment-by-results';
import { DEMO_OWNER, DEMO_SUBCONTRACTOR, demoProviders, seedProviders } from '../../local/demo/providers';
import { seedSubcontractingSpread } from '../../local/demo/subcontracting-dashboard';
import type { StreamReader } from '../../local/streams';
import { config, configFromEnv } from '../../shared/config';
import { contractAuditScope } from '../../shared/db/keys';
import { outcomeShareRepository, repositories } from '../../shared/db/repositories';
import { type CompetitionStatus, effectiveStatus } from '../../shared/domain/competitions';
import { CLAIM_STATUSES } from '../../shared/domain/payment-by-results/claims';
import { followUpEnds } from '../../shared/domain/payment-by-results/mechanism';
import { participantRefProblem } from '../../shared/domain/payment-by-results/participant-ref';
import type { Principal } from '../../shared/domain/principal';
import { providerRuleIssues } from '../../shared/domain/providers';
import { listChallenges } from '../../shared/use-cases/challenges/inside';
import { getWall } from '../../shared/use-cases/competitions/wall-management';
import { listYourCompetitions } from '../../shared/use-cases/competitions/your-competitions';
import { listNotifications } from '../../shared/use-cases/list-notifications';
import { listOutcomeClaims } from '../../shared/use-cases/payment-by-results/claims';
import { listCohorts } from '../../shared/use-cases/payment-by-results/cohorts';
import { getPaymentMechanism } from '../../shared/use-cases/payment-by-results/mechanism';
import { listSharesForProvider } from '../../shared/use-cases/payment-by-results/shares';
import { getOutcomeStatement } from '../../shared/use-cases/payment-by-results/statement';
import {
  listResponses,
  markResponse,
  shortlist,
} from '../../shared/use-cases/prequalification/evaluate-responses';
import { confirmAward, getEvaluation, listBids, scoreBid } from '../../shared/use-cases/tenders/evaluation';
import { startTestSequencer } from '../support/audit';
import { startTestDelivery, type TestDelivery } from '../support/outbox';
import { useTestTables } from '../support/tables';
import { signedIn } from '../support/web-session';
import { callPage } from '../support/workspace';

// The audit trail is chained from the audit table's stream, as `npm start` does: drained before checks.
let sequencer: StreamReader;
// So are notifications delivered from the outbox's (issue 17): the inbox is written after each change.
let delivery: TestDelivery;

beforeAll(async () => {
  await useTestTables();
  sequencer = await startTestSequencer();
  delivery = await startTestDelivery();
});

afterAll(async () => {
  await delivery.stop();
  await sequencer.stop();
});

const lead: Principal = { kind: 'user', sub: DEMO_COMMISSIONER, email: undefined, groups: ['commissioner'] };
const DAY = 86_400_000;

// The demo competitions by stage, as the loader answered them (the loader runs in one test, checked in others).
let demo: DemoCompetitions;

/** The id of a stage's demo competition: every stage has one with the default rules. */
function stage(name: keyof DemoCompetitions): string {
  const id = demo[name];
  if (id === undefined) throw new Error(`No demo competition in ${name}`);
  return id;
}

describe('demo providers', () => {
  it('are the same every time, valid, and varied across sectors, sizes and coverage', () => {
    const providers = demoProviders(300);
    expect(providers).toEqual(demoProviders(300));
    expect(providers).toHaveLength(300);
    for (const details of providers) expect(providerRuleIssues(details)).toEqual([]);
    expect(new Set(providers.map((p) => p.name)).size).toBe(300);
    expect(new Set(providers.map((p) => p.sector))).toEqual(new Set(['voluntary', 'private', 'public']));
    expect(new Set(providers.map((p) => p.size))).toEqual(new Set(['micro', 'small', 'medium', 'large']));
    expect(providers.some((p) => p.regions.includes('national'))).toBe(true);
  });

  // The first 60 of the 300 `npm start` loads: enough for every demo competition below to find the
  // applicants and bidders it looks for (a consortium, an applicant without accreditation, three bidders).
  it('load into an empty registry: verified ones in the directory, the demo owner with an organisation', async () => {
    const summary = await seedProviders(repositories(), 60);
    expect(summary).toMatch(/^60 providers \(56 verified, 3 pending, 1 rejected\)/);
    expect(await repositories().providers.directoryCount({})).toBe(56);
    const memberships = await repositories().memberships.listForUser(DEMO_OWNER);
    expect(memberships).toHaveLength(1);
    const accreditation = await repositories().accreditations.get(memberships[0]?.providerId ?? '');
    expect(accreditation?.financial.annualTurnoverPence).toBeGreaterThan(0);
  }, 120_000);

  it('the demo owner’s address and saved search load before the competitions, as `npm start` loads them', async () => {
    expect(await seedAlerts()).toContain(DEMO_OWNER_EMAIL);
  });

  it('competitions load after the providers: two open opportunities with applications and a draft bid', async () => {
    // With the periods `npm start` runs with (the tests' own are zero), so deadlines and standstill fall as
    // in the demo.
    const loaded = await loadDemoCompetitions(repositories(), configFromEnv({}).rules);
    demo = loaded.competitions;
    const summary = loaded.summary;
    expect(summary).toMatch(new RegExp(`^8 competitions led by "${DEMO_COMMISSIONER}"`));
    expect(summary).toMatch(/one past its tender deadline with [2-9] submitted bids/);
    const open = await repositories().competitions.opportunities({ now: new Date(), limit: 100 });
    expect(open.items.map((o) => o.prequalificationTier).sort()).toEqual(['full', 'none']);
    const prequal = open.items.find((o) => o.prequalificationTier !== 'none');
    await sequencer.drain();
    const audit = await repositories().audit.verify(prequal?.id ?? '');
    expect(audit.valid).toBe(true);
    expect(audit.events).toBeGreaterThan(3);
  }, 120_000);

  it('tell the demo owner of new matching opportunities, as the README says', async () => {
    const owner: Principal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
    await delivery.drain();
    const inbox = await listNotifications(repositories(), owner, { limit: 25 });
    const opportunities = inbox.items.filter((n) => n.type === 'opportunity');
    expect(opportunities.map((n) => n.title)).toEqual(
      expect.arrayContaining([
        'New opportunity: Accommodation support for prison leavers, North West',
        'New opportunity: Restorative justice conferencing, London',
        `New opportunity: ${EVALUATION_TITLE}`,
      ]),
    );
    expect(inbox.items.some((n) => n.type !== 'opportunity')).toBe(true); // "verified"
    // And by e-mail: the saved search's match arrives in the mail catcher, once (README, "Try it with the
    // demo data").
    const mail = await delivery.mailTo(DEMO_OWNER_EMAIL);
    expect(
      mail.filter(
        (m) => m.subject === 'New opportunity: Accommodation support for prison leavers, North West',
      ),
    ).toHaveLength(1);
  });

  it('leave one competition past its tender deadline, with submitted bids and a declared panel that can score now', async () => {
    const owner: Principal = { kind: 'user', sub: DEMO_OWNER, email: undefined, groups: [] };
    const inbox = await listNotifications(repositories(), owner, { limit: 25 });
    // Found as the README's tour finds it: the link of the demo owner's notification.
    const link = inbox.items.find((n) => n.title.includes(EVALUATION_TITLE))?.link ?? '';
    const id = link.split('/').pop() ?? '';
    const now = new Date();
    const competition = await repositories().competitions.get(id);
    expect(competition && effectiveStatus(competition, now)).toBe('evaluation');
    expect(Date.parse(competition?.tenderDeadline ?? '')).toBeLessThan(now.getTime());

    const evaluator: Principal = {
      kind: 'user',
      sub: DEMO_PANEL.evaluators[0],
      email: undefined,
      groups: ['commissioner'],
    };
    const deps = repositories();
    const bids = await listBids(deps, evaluator, id, now);
    const submitted = bids.items.filter((b) => b.status === 'submitted');
    expect(submitted.length).toBeGreaterThanOrEqual(2);
    // Declared: every panel member and the lead are inside the wall, so the first evaluator scores at once.
    const wall = await getWall(repositories(), lead, id, now);
    expect(wall.pending).toEqual([]);
    expect(wall.declarations.map((d) => d.sub).sort()).toEqual(
      [DEMO_COMMISSIONER, ...DEMO_PANEL.evaluators, DEMO_PANEL.moderator].sort(),
    );
    const scored = await scoreBid(
      deps,
      evaluator,
      id,
      submitted[0]?.bidId ?? '',
      [
        { criterionId: 'delivery', score: 4, justification: 'A caseworker for every family.' },
        { criterionId: 'partnership', score: 3, justification: 'Local partners named.' },
        { criterionId: 'social-value', score: 3, justification: 'Volunteering places.' },
      ],
      now,
    );
    expect(scored.evaluator).toBe(DEMO_PANEL.evaluators[0]);
    await sequencer.drain();
    expect((await repositories().audit.verify(id)).valid).toBe(true);
  });
  it('put one competition at each stage, each led by the demo commissioner, declared, with the panel seated', async () => {
    const now = new Date();
    const expected: Record<keyof DemoCompetitions, CompetitionStatus> = {
      draft: 'draft',
      prequalification: 'prequalification',
      shortlisting: 'shortlisting',
      tendering: 'tendering',
      evaluation: 'evaluation',
      standstill: 'standstill',
      standstillEnded: 'standstill',
      challenged: 'standstill',
    };
    for (const [name, status] of Object.entries(expected) as [keyof DemoCompetitions, CompetitionStatus][]) {
      const state = await repositories().competitions.state(stage(name));
      expect(state?.competition.leadSub, name).toBe(DEMO_COMMISSIONER);
      expect(state && effectiveStatus(state.competition, now), name).toBe(status);
      expect(state?.panel, name).toMatchObject({
        evaluators: [...DEMO_PANEL.evaluators],
        moderator: DEMO_PANEL.moderator,
      });
      expect(state?.declarations[DEMO_COMMISSIONER]?.conflicts, name).toEqual([]);
    }
    // And so "Your competitions" shows every stage to the demo commissioner, and each to the panel.
    const yours = await listYourCompetitions(repositories(), lead, { limit: 50 }, now);
    expect(yours.items.map((c) => [c.id, c.status]).sort()).toEqual(
      Object.entries(expected)
        .map(([name, status]) => [stage(name as keyof DemoCompetitions), status])
        .sort(),
    );
    const evaluator: Principal = {
      kind: 'user',
      sub: DEMO_PANEL.evaluators[1],
      email: undefined,
      groups: ['commissioner'],
    };
    const panelView = await listYourCompetitions(repositories(), evaluator, { limit: 50 }, now);
    expect(panelView.items).toHaveLength(Object.keys(expected).length);
    expect(panelView.items.find((c) => c.id === stage('evaluation'))?.whatIsWaiting).toBe('Score the bids');
  });

  it('give the open pre-qualification applications, among them a consortium and an automatic fail', async () => {
    const responses = await repositories().prequalification.responses(stage('prequalification'));
    expect(responses.length).toBeGreaterThanOrEqual(3);
    expect(responses.filter((r) => r.consortium.length > 0)).toHaveLength(1);
    expect(responses.filter((r) => r.automatic.exclusion.result === 'fail')).toHaveLength(1);
    expect(new Set(responses.map((r) => r.providerId)).size).toBe(responses.length);
  });

  it('leave applications past the pre-qualification deadline for the panel to mark and the lead to shortlist', async () => {
    const now = new Date();
    const id = stage('shortlisting');
    const { items } = await listResponses(repositories(), lead, id, now);
    expect(items.length).toBeGreaterThanOrEqual(3);
    expect(items.every((r) => r.marks.length === 0)).toBe(true);
    const failed = items.filter((r) => r.automatic.exclusion.result === 'fail');
    expect(failed.map((r) => r.automatic.exclusion.reason)).toEqual(['A mandatory exclusion ground applies']);
    const consortium = items.find((r) => r.consortium.length > 0);
    expect(consortium?.automatic.financial.combinedTurnoverPence).toBeGreaterThan(0);
    const passing = items.filter(
      (r) => r.automatic.exclusion.result !== 'fail' && r.automatic.financial.result !== 'fail',
    );
    expect(passing.length).toBeGreaterThanOrEqual(2);

    // The panel has declared, so an evaluator marks at once; the lead shortlists with the tender deadline
    // the competition was published with.
    const evaluator: Principal = {
      kind: 'user',
      sub: DEMO_PANEL.evaluators[0],
      email: undefined,
      groups: ['commissioner'],
    };
    const mark = await markResponse(
      repositories(),
      evaluator,
      id,
      passing[0]?.id ?? '',
      { result: 'pass', comment: 'Relevant experience well evidenced.' },
      now,
    );
    expect(mark.evaluator).toBe(DEMO_PANEL.evaluators[0]);
    const after = await shortlist(
      repositories(),
      lead,
      id,
      { responseIds: passing.map((r) => r.id) },
      now,
      config().rules,
    );
    expect(after.status).toBe('tendering');
    expect(after.shortlist).toHaveLength(passing.length);
  });

  it('award two competitions after moderation: one in standstill for a few days more, one ready to confirm', async () => {
    const now = new Date();
    for (const name of ['standstill', 'standstillEnded'] as const) {
      const id = stage(name);
      const competition = await repositories().competitions.get(id);
      const evaluation = await getEvaluation(repositories(), lead, id, now);
      expect(evaluation.complete, name).toBe(true);
      expect(evaluation.ranking.length, name).toBeGreaterThanOrEqual(2);
      const first = evaluation.ranking.find((r) => r.rank === 1);
      expect(competition?.award?.bidId, name).toBe(first?.bidId);
      // Scored by both evaluators before moderation.
      const { items } = await listBids(repositories(), lead, id, now);
      for (const bid of items) {
        expect(bid.scores.map((s) => s.evaluator).sort(), name).toEqual([...DEMO_PANEL.evaluators]);
        expect(bid.moderated?.moderator, name).toBe(DEMO_PANEL.moderator);
      }
    }

    const running = await repositories().competitions.get(stage('standstill'));
    const ends = Date.parse(running?.award?.standstillEndsAt ?? '');
    // Decided so that it ends a few days after loading (the test runs within minutes of the load).
    expect(ends).toBeGreaterThan(now.getTime() + (STANDSTILL_ENDS_IN_DAYS - 1) * DAY);
    expect(ends).toBeLessThanOrEqual(now.getTime() + STANDSTILL_ENDS_IN_DAYS * DAY);
    await expect(confirmAward(repositories(), lead, stage('standstill'), now)).rejects.toThrow(
      /standstill period runs until/,
    );

    const ended = await repositories().competitions.get(stage('standstillEnded'));
    expect(Date.parse(ended?.award?.standstillEndsAt ?? '')).toBeLessThan(now.getTime());
    const confirmed = await confirmAward(repositories(), lead, stage('standstillEnded'), now);
    expect(confirmed.status).toBe('awarded');
    expect(confirmed.contractId).toBeTruthy();
    await sequencer.drain();
    for (const name of ['standstill', 'standstillEnded'] as const)
      expect((await repositories().audit.verify(stage(name))).valid, name).toBe(true);
  });

  it('leave one competition in standstill with an open challenge, which blocks confirmation (issue 15)', async () => {
    const now = new Date();
    const id = stage('challenged');
    const { items } = await listChallenges(repositories(), lead, id, { limit: 25 }, now);
    expect(items.map((c) => c.status)).toEqual(['open']);
    await expect(
      confirmAward(repositories(), lead, id, new Date(now.getTime() + 30 * DAY)),
    ).rejects.toMatchObject({ code: 'challenge-open' });
    await sequencer.drain();
    expect((await repositories().audit.verify(id)).valid).toBe(true);
  });

  it('pay one dashboard contract by results: a mechanism, four cohorts (two with results), a claim in each state, shares for a sub-contractor (issue 18)', async () => {
    // The dashboard's contracts first, as `npm start` loads them: the one paid by results is among them.
    expect(await seedSubcontractingSpread(repositories(), config().rules)).toMatch(/^6 regional contracts/);
    const summary = await seedPaymentByResults(repositories());
    expect(summary).toContain('(2 with results)');
    const contract = (await repositories().contracts.list({ limit: 100 })).items.find(
      (c) => c.title === PBR_CONTRACT_TITLE,
    );
    const id = contract?.id ?? '';
    const today = new Date().toISOString().slice(0, 10);

    const mechanism = await getPaymentMechanism(repositories(), lead, id);
    expect(mechanism.versions).toHaveLength(1);
    expect(mechanism.proxyOutcomes).toHaveLength(3);
    expect(mechanism.tierMultipliers).toEqual({ low: 0.5, medium: 1, high: 1.5, very_high: 2 });
    expect(mechanism.reoffending).toMatchObject({ followUpMonths: 12, binary: {}, frequency: {} });
    expect(mechanism.capPencePerYear).toBeGreaterThan(0);
    expect(mechanism.upfrontPercent).toBeGreaterThan(0);

    // Four consecutive quarters: the two oldest past their follow-up, with results; the two after not yet.
    const cohorts = await listCohorts(repositories(), lead, id);
    expect(cohorts).toHaveLength(4);
    expect(cohorts.map((c) => c.results !== null)).toEqual([true, true, false, false]);
    for (const c of cohorts) {
      const ended = followUpEnds(c.period, PBR_FOLLOW_UP_MONTHS) < today;
      expect(ended, c.period).toBe(c.results !== null);
    }
    expect(cohorts.every((c) => c.results === null || (c.reoffendingPence ?? 0) > 0)).toBe(true);

    // Claims by the prime's owner, decided by the demo commissioner: one in each state, at least.
    const claims = await listOutcomeClaims(repositories(), lead, id, { limit: 50 });
    expect(new Set(claims.items.map((c) => c.status))).toEqual(new Set(CLAIM_STATUSES));
    const refs = claims.items.flatMap((c) => c.participants.map((p) => p.ref));
    expect(refs).toContain(demoParticipantRef(0));
    expect(refs.every((ref) => participantRefProblem(ref) === undefined)).toBe(true);
    expect(claims.items.every((c) => c.participants.every((p) => p.evidenceDate <= today))).toBe(true);

    const statement = await getOutcomeStatement(repositories(), lead, id, new Date());
    for (const status of CLAIM_STATUSES) expect(statement.claims[status], status).toBeGreaterThanOrEqual(1);

    // A share of a proxy outcome and of re-offending passed on to the registered sub-contractor, owned by
    // `demo-subcontractor`, whose payments page shows them (the README's tour names that user).
    expect(summary).toContain(`see /your-payments as "${DEMO_SUBCONTRACTOR}"`);
    const sub: Principal = { kind: 'user', sub: DEMO_SUBCONTRACTOR, email: undefined, groups: [] };
    const subOrg = (await repositories().memberships.listForUser(DEMO_SUBCONTRACTOR))[0]?.providerId ?? '';
    const shares = await listSharesForProvider(
      { ...repositories(), outcomeShares: outcomeShareRepository() },
      sub,
      subOrg,
      { limit: 10 },
      new Date(),
    );
    expect(shares.items.map((c) => c.contractId)).toEqual([id]);
    const lines = shares.items[0]?.shares ?? [];
    expect(lines.map((l) => [l.outcome, l.percent]).sort()).toEqual(
      PBR_DEMO_SHARES.map((s) => [s.outcome, s.percent]).sort(),
    );
    // Both kinds were paid something (validated claims; proven cohorts), so each share comes to something.
    for (const l of lines) expect(l.amountPence, l.outcome).toBeGreaterThan(0);
    const page = await callPage(paymentsHandler, 'GET /your-payments', {
      who: await signedIn(DEMO_SUBCONTRACTOR),
    });
    expect(page.statusCode ?? 200).toBe(200);
    expect(page.body).toContain('Outcome payments shared with you');
    expect(page.body).toContain(`id="shares-${id}"`);
    expect(page.body).toContain(PBR_CONTRACT_TITLE);
    expect(page.body).toContain('30%');
    await sequencer.drain();
    expect((await repositories().audit.verify(contractAuditScope(id))).valid).toBe(true);
  }, 180_000);
});
