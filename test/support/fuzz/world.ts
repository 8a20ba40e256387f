/**
 * The resources the fuzz suite's requests can name, seeded over HTTP through the real routes: providers
 * (verified, accredited, with a member and an open invitation), competitions in each state that matters
 * (draft, open for bids, open for pre-qualification, past its deadlines with a bid and a response on file),
 * and a contract with a supply chain and a filed return. And the callers, one token per role.
 */
import { expect } from 'vitest';
import { mintToken } from '../../../local/signing-key';
import type { TestApi } from '../api';
import { competitionBody, inSeconds } from '../competitions';
import { accreditationAnswers, charityRegistration } from '../fixtures';
import { joinOrganisation } from '../members';

/** Who calls. `anonymous` sends no token; `garbage-token` and `expired-token` send ones that fail. */
export const CALLERS = [
  'anonymous',
  'garbage-token',
  'expired-token',
  'stranger',
  'owner',
  'member',
  'sub-owner',
  'lead',
  'evaluator',
  'auditor',
  'admin',
] as const;
export type Caller = (typeof CALLERS)[number];

const GROUPS: Partial<Record<Caller, string[]>> = {
  lead: ['commissioner'],
  evaluator: ['commissioner'],
  auditor: ['auditor'],
  admin: ['admin'],
};

/** The seeded world. */
export interface World {
  /** The Authorization header of each caller (none for anonymous). */
  authorization: Record<Caller, string | undefined>;
  /** User ids (`sub`) of the signed-in callers. */
  subs: Record<string, string>;
  providers: { prime: string; sub: string; pending: string };
  invitationId: string;
  competitions: {
    draft: string;
    open: string;
    prequalification: string;
    closed: string;
    prequalificationClosed: string;
  };
  bidId: string;
  responseId: string;
  contractId: string;
  period: string;
  lineId: string;
  /**
   * A request body each route accepted while seeding, by route key: mutated one field at a time, they
   * reach further into the use cases than bodies drawn from the schema alone.
   */
  examples: Record<string, unknown>;
  /** Resources created by allowed requests during the run, which later routes name too. */
  created: { providers: string[]; competitions: string[]; contracts: string[] };
}

const sub = (caller: Caller) => `fz-${caller}`;

type Call = TestApi['call'];

async function ok(call: ReturnType<Call>, status = 200) {
  const response = await call;
  expect(response.status, response.text).toBe(status);
  return response.body as Record<string, unknown>;
}

/** Seeds the world; takes a few seconds (it waits for two deadlines to pass). */
export async function seedWorld(api: TestApi): Promise<World> {
  const authorization = {} as Record<Caller, string | undefined>;
  const tokens: Record<string, string> = {};
  for (const caller of CALLERS) {
    if (caller === 'anonymous') authorization[caller] = undefined;
    else if (caller === 'garbage-token') authorization[caller] = 'Bearer not.a.token';
    else if (caller === 'expired-token') {
      const expired = await mintToken(
        api.signingKey,
        { sub: sub('stranger'), groups: ['admin'] },
        { expiresIn: Math.floor(Date.now() / 1000) - 60 },
      );
      authorization[caller] = `Bearer ${expired}`;
    } else {
      tokens[caller] = await api.token(sub(caller), GROUPS[caller] ?? []);
      authorization[caller] = `Bearer ${tokens[caller]}`;
    }
  }
  const as = (caller: Caller) => ({ token: tokens[caller] ?? '' });
  const call = api.call;
  const register = async (caller: Caller, name: string, verify: boolean) => {
    const created = await ok(
      call('POST', '/providers', {
        ...as(caller),
        body: charityRegistration({ name, regions: ['north_west'], services: ['accommodation'] }),
      }),
      201,
    );
    const id = String(created.id);
    if (verify) await ok(call('POST', `/providers/${id}/verify`, as('admin')));
    return id;
  };

  const prime = await register('owner', 'Fuzz Prime Partnership', true);
  const subProvider = await register('sub-owner', 'Fuzz Sub Mentoring', true);
  const pending = await register('owner', 'Fuzz Pending Trust', false);
  await ok(
    call('PUT', `/providers/${prime}/accreditation`, { ...as('owner'), body: accreditationAnswers() }),
  );
  await joinOrganisation(api, prime, tokens.owner ?? '', { sub: sub('member'), token: tokens.member ?? '' });
  const invitation = await ok(
    call('POST', `/providers/${prime}/members`, {
      ...as('owner'),
      body: { sub: sub('stranger'), role: 'member' },
    }),
    201,
  );

  const competition = async (overrides: Record<string, unknown>, publish: boolean) => {
    const created = await ok(
      call('POST', '/competitions', { ...as('lead'), body: competitionBody(overrides) }),
      201,
    );
    const id = String(created.id);
    if (publish) await ok(call('POST', `/competitions/${id}/publish`, as('lead')));
    return id;
  };
  const tierNone = {
    estimatedValuePence: 80_000_00,
    termMonths: 24,
    risk: 'low',
    prequalificationDeadline: undefined,
  };
  const draft = await competition({ ...tierNone, tenderDeadline: inSeconds(3600) }, false);
  const open = await competition({ ...tierNone, tenderDeadline: inSeconds(3600) }, true);
  const prequalification = await competition({}, true);
  // Deadlines a few seconds away: a bid and a response go in before, the inside routes are fuzzed after.
  // On a loaded machine the window may close first: then again with a longer one.
  const beforeDeadline = async <T>(act: (deadline: string) => Promise<T | undefined>) => {
    for (const seconds of [5, 15, 40]) {
      const done = await act(inSeconds(seconds));
      if (done !== undefined) return { done, deadline: Date.now() + seconds * 1000 };
    }
    throw new Error('Could not seed a competition before its deadline');
  };
  const quality = { quality: 'We house people on release.', 'social-value': 'Local staff.' };
  const bidBody = { providerId: prime, pricePence: 70_000_00, qualityResponses: quality };
  const applicationBody = {
    providerId: prime,
    answers: { 'technical.relevant-experience': 'Ten years of supported housing.' },
  };
  const panelBody = { evaluators: [sub('evaluator'), 'fz-evaluator-2'], moderator: 'fz-moderator' };
  const bidding = await beforeDeadline(async (tenderDeadline) => {
    const id = await competition({ ...tierNone, tenderDeadline }, true);
    const draftBid = await call('PUT', `/competitions/${id}/bid`, {
      ...as('owner'),
      body: bidBody,
    });
    const submitted = await call('POST', `/competitions/${id}/bid/submit?providerId=${prime}`, as('owner'));
    if (draftBid.status === 409 || submitted.status === 409) return undefined;
    expect(submitted.status, submitted.text).toBe(200);
    return { id, bidId: String((submitted.body as { bidId: string }).bidId) };
  });
  const applying = await beforeDeadline(async (prequalificationDeadline) => {
    const id = await competition({ prequalificationDeadline }, true);
    const response = await call('POST', `/competitions/${id}/prequalification-responses`, {
      ...as('owner'),
      body: applicationBody,
    });
    if (response.status === 409) return undefined;
    expect(response.status, response.text).toBe(201);
    return { id, responseId: String((response.body as { id: string }).id) };
  });
  const closed = bidding.done.id;
  const pqClosing = applying.done.id;
  const closedDeadline = Math.max(bidding.deadline, applying.deadline);
  for (const id of [closed, pqClosing]) {
    await ok(
      call('PUT', `/competitions/${id}/panel`, {
        ...as('lead'),
        body: panelBody,
      }),
    );
    for (const who of ['lead', 'evaluator'] as const)
      await ok(
        call('POST', `/competitions/${id}/declarations`, { ...as(who), body: { conflicts: [] } }),
        201,
      );
  }

  const contractBody = {
    title: 'Fuzz resettlement contract',
    primeProviderId: prime,
    valuePence: 100_000_000,
    startDate: '2025-01-01',
    endDate: '2027-12-31',
    regions: ['north_west'],
    services: ['accommodation'],
    subcontracting: { targetPercent: 10 },
  };
  const contract = await ok(call('POST', '/contracts', { ...as('lead'), body: contractBody }), 201);
  const contractId = String(contract.id);
  const supplyChainBody = {
    subcontractors: [
      { ref: 'SUB-1', providerId: subProvider, plannedValuePence: 10_000 },
      { ref: 'SUB-2', name: 'Fuzz Unregistered Ltd', sector: 'private', size: 'small' },
    ],
  };
  const returnBody = {
    lines: [
      {
        subcontractorRef: 'SUB-1',
        invoiceRef: 'INV-1',
        invoiceDate: '2025-01-10',
        paidDate: '2025-02-01',
        amountPence: 250_000,
      },
    ],
  };
  await ok(
    call('PUT', `/contracts/${contractId}/supply-chain`, {
      ...as('owner'),
      body: supplyChainBody,
    }),
  );
  const period = '2025-Q1';
  const filed = await ok(
    call('PUT', `/contracts/${contractId}/spend-returns/${period}`, {
      ...as('owner'),
      body: returnBody,
    }),
    201,
  );
  const lines = filed.lines as { lineId: string }[];

  // The inside routes want the deadlines passed.
  const wait = closedDeadline + 200 - Date.now();
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));

  return {
    authorization,
    subs: Object.fromEntries(CALLERS.map((caller) => [caller, sub(caller)])),
    providers: { prime, sub: subProvider, pending },
    invitationId: String(invitation.id),
    competitions: { draft, open, prequalification, closed, prequalificationClosed: pqClosing },
    bidId: bidding.done.bidId,
    responseId: applying.done.responseId,
    contractId,
    period,
    lineId: String(lines[0]?.lineId),
    examples: {
      'POST /providers': charityRegistration({ regions: ['north_west'], services: ['accommodation'] }),
      'PATCH /providers/{id}': { description: 'Changed by the fuzz suite.', regions: ['north_west'] },
      'PUT /providers/{id}/accreditation': accreditationAnswers(),
      'POST /providers/{id}/members': { sub: sub('stranger'), role: 'member' },
      'POST /competitions': competitionBody({
        subcontracting: { targetPercent: 20, voluntarySectorTargetPercent: 5 },
        minimumTurnoverPence: 100_000_00,
      }),
      'PUT /competitions/{id}/panel': panelBody,
      'POST /competitions/{id}/declarations': {
        conflicts: [{ organisationId: prime, nature: 'A trustee.' }],
      },
      'POST /competitions/{id}/wall/exclusions': { sub: sub('stranger'), reason: 'Advised a bidder.' },
      'POST /competitions/{id}/prequalification-responses': applicationBody,
      'PUT /competitions/{id}/bid': {
        ...bidBody,
        subcontractors: [
          {
            providerId: subProvider,
            name: 'Fuzz Sub Mentoring',
            services: ['accommodation'],
            sharePercent: 15,
          },
        ],
      },
      'PUT /competitions/{id}/bids/{bidId}/scores': {
        scores: [{ criterionId: 'quality', score: 3, justification: 'Sound plan.' }],
      },
      'POST /competitions/{id}/award': { bidId: bidding.done.bidId, rationale: 'Best value.' },
      'POST /contracts': contractBody,
      'PUT /contracts/{id}/supply-chain': supplyChainBody,
      'PUT /contracts/{id}/spend-returns/{period}': {
        lines: [
          ...returnBody.lines,
          { ...returnBody.lines[0], subcontractorRef: 'SUB-2', invoiceRef: 'INV-2', amountPence: 1 },
        ],
      },
    },
    created: { providers: [], competitions: [], contracts: [] },
  };
}
