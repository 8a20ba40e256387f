// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * Standstill challenges against DynamoDB Local (issue 15): who may raise one and when; who sees which; the
 * lead's decision (rejected, upheld then re-evaluated, upheld then cancelled), each audited and told to the
 * challenger; and the invariant that no award is confirmed while a challenge of it is open – also when the
 * challenge lands between the confirmation's read and its write, and when the two race.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeRepository } from '../../shared/db/challenges';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { repositories } from '../../shared/db/repositories';
import {
  ChallengeOpenError,
  ConflictError,
  EthicalWallError,
  ForbiddenError,
  InvalidStateError,
  NotFoundError,
  ValidationError,
} from '../../shared/domain/errors';
import type { Principal, UserPrincipal } from '../../shared/domain/principal';
import { raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { decideChallenge, getChallenge, listChallenges } from '../../shared/use-cases/challenges/inside';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { confirmAward, decideAward, getEvaluationInContext } from '../../shared/use-cases/tenders/evaluation';
import { startTestSequencer } from '../support/audit';
import { competitionInStandstill, PANEL } from '../support/challenges';
import { LEAD, openCompetition, user, verifiedProvider } from '../support/scenario';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const commissioner = (sub: string): UserPrincipal => ({
  kind: 'user',
  sub,
  email: undefined,
  groups: ['commissioner'],
});
const E1 = PANEL.evaluators[0] as UserPrincipal;
const OUTSIDER = commissioner('ch-outsider');
const AUDITOR: Principal = { kind: 'user', sub: 'ch-auditor', email: undefined, groups: ['auditor'] };
const OWNERS = { A: user('ch-owner-a'), B: user('ch-owner-b'), C: user('ch-owner-c') } as const;
const MEMBER_B = user('ch-member-b');
type Key = keyof typeof OWNERS;

const deps = () => withSharedProviderData(repositories());
const providers: Record<Key, string> = { A: '', B: '', C: '' };
let sequencer: Awaited<ReturnType<typeof startTestSequencer>>;

/** A competition whose award is decided (A first), in standstill for 8 days. */
const awarded = (title: string) => competitionInStandstill({ title, owners: OWNERS, standstillDays: 8 });

const during = (c: { decidedAt: Date }) => new Date(c.decidedAt.getTime() + DAY);
const afterStandstill = (c: { standstillEndsAt: Date }) => new Date(c.standstillEndsAt.getTime() + HOUR);

async function actions(competitionId: string): Promise<string[]> {
  const page = await repositories().audit.page(competitionId, 200, undefined);
  return page.items.map((e) => `${e.action}:${e.outcome}:${e.actor}`);
}

async function inbox(providerId: string) {
  return (await repositories().notifications.listForProviders([providerId], 50, undefined)).items;
}

beforeAll(async () => {
  sequencer = await startTestSequencer();
  for (const key of ['A', 'B', 'C'] as const) {
    providers[key] = await verifiedProvider(OWNERS[key].sub, `Challenge bidder ${key}`, {
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
  }
  // A plain member (not an owner) of B: members may challenge, as API.md says.
  const invitation = await inviteMember(
    repositories(),
    OWNERS.B,
    providers.B,
    { sub: MEMBER_B.sub, role: 'member' },
    new Date(),
    14,
  );
  await answerInvitation(repositories(), MEMBER_B, invitation.id, 'accepted', new Date());
});

afterAll(async () => {
  await sequencer.stop();
});

describe('raising a challenge', () => {
  let c: Awaited<ReturnType<typeof awarded>>;
  beforeAll(async () => {
    c = await awarded('Challenges: raising');
  });

  it('is refused outside standstill with a clear 409, and to those who did not bid', async () => {
    const other = await openCompetition({
      title: 'Challenges: no award yet',
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
    const early = raiseChallenge(deps(), OWNERS.B, other, { grounds: 'Too early' }, new Date());
    await expect(early).rejects.toBeInstanceOf(InvalidStateError);
    await expect(early).rejects.toThrow(/no award decision to challenge/);
    await expect(
      raiseChallenge(deps(), OUTSIDER, c.id, { grounds: 'Not a bidder' }, during(c)),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      raiseChallenge(deps(), OWNERS.B, c.id, { grounds: 'Wrong org', providerId: providers.A }, during(c)),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('opens a challenge for a member of a bidder, once per organisation and decision, audited', async () => {
    const raised = await raiseChallenge(
      deps(),
      MEMBER_B,
      c.id,
      { grounds: 'Our social value answer was not scored.' },
      during(c),
    );
    expect(raised).toMatchObject({ status: 'open', providerId: providers.B, decision: null });
    await expect(
      raiseChallenge(deps(), OWNERS.B, c.id, { grounds: 'Again' }, during(c)),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await actions(c.id)).toContain(`challenge.raise:allowed:${MEMBER_B.sub}`);
  });

  it('shows every challenge to declared insiders and auditors (audited), and bidders only their own', async () => {
    await raiseChallenge(deps(), OWNERS.C, c.id, { grounds: 'The price formula was misapplied.' }, during(c));
    const page = { limit: 25 };
    const byLead = await listChallenges(repositories(), LEAD, c.id, page, during(c));
    expect(byLead.scope).toBe('all');
    expect(byLead.mayDecide).toBe(true);
    expect(byLead.items.map((i) => i.providerId)).toEqual([providers.B, providers.C]);
    const byAuditor = await listChallenges(repositories(), AUDITOR, c.id, page, during(c));
    expect(byAuditor.items).toHaveLength(2);
    expect(byAuditor.mayDecide).toBe(false);
    const byEvaluator = await listChallenges(repositories(), E1, c.id, page, during(c));
    expect(byEvaluator.items).toHaveLength(2);
    // Each bidder sees its own challenge and nobody else's; the winner, who raised none, sees none.
    const byB = await listChallenges(repositories(), OWNERS.B, c.id, page, during(c));
    expect(byB).toMatchObject({ scope: 'own', mayDecide: false });
    expect(byB.items.map((i) => i.providerId)).toEqual([providers.B]);
    expect(byB.items[0]?.decision).toBeNull();
    const byA = await listChallenges(repositories(), OWNERS.A, c.id, page, during(c));
    expect(byA.items).toEqual([]);
    const cChallenge = byLead.items.find((i) => i.providerId === providers.C)?.id ?? '';
    await expect(getChallenge(repositories(), OWNERS.A, c.id, cChallenge, during(c))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(getChallenge(repositories(), OWNERS.B, c.id, cChallenge, during(c))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    // Anyone else is refused by the wall, and the refusal is recorded.
    await expect(listChallenges(repositories(), OUTSIDER, c.id, page, during(c))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    const log = await actions(c.id);
    expect(log).toContain('challenges.read:allowed:lead');
    expect(log).toContain('challenges.read:allowed:ch-auditor');
    expect(log).toContain('challenges.read:denied:ch-outsider');
    expect(log.filter((l) => l.startsWith('challenges.read') && l.includes('ch-owner'))).toEqual([]);
  });

  it('blocks confirmation while open (409 challenge-open), and the evaluation page says so', async () => {
    const refused = confirmAward(repositories(), LEAD, c.id, afterStandstill(c));
    await expect(refused).rejects.toBeInstanceOf(ChallengeOpenError);
    await expect(refused).rejects.toThrow(/2 challenges of the award decision are open/);
    expect((await repositories().competitions.get(c.id))?.status).toBe('standstill');
    const page = await getEvaluationInContext(repositories(), LEAD, c.id, afterStandstill(c));
    expect(page.openChallenges).toBe(2);
  });

  it('lets only the declared lead decide, with complete reasons', async () => {
    const { items } = await listChallenges(repositories(), LEAD, c.id, { limit: 25 }, during(c));
    const b = items.find((i) => i.providerId === providers.B)?.id ?? '';
    await expect(
      decideChallenge(repositories(), E1, c.id, b, { outcome: 'rejected', reasons: 'No' }, during(c)),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      decideChallenge(repositories(), OWNERS.B, c.id, b, { outcome: 'rejected', reasons: 'No' }, during(c)),
    ).rejects.toBeInstanceOf(EthicalWallError);
    await expect(
      decideChallenge(repositories(), LEAD, c.id, b, { outcome: 'upheld', reasons: 'Yes' }, during(c)),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      decideChallenge(
        repositories(),
        LEAD,
        c.id,
        b,
        { outcome: 'rejected', reasons: 'No', then: 'cancel' },
        during(c),
      ),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(
      decideChallenge(
        repositories(),
        LEAD,
        c.id,
        '01JD0000000000000000000000',
        { outcome: 'rejected', reasons: 'No' },
        during(c),
      ),
    ).rejects.toBeInstanceOf(NotFoundError);
  });

  it('rejects both; the challengers are told; a decided challenge cannot be decided again; then confirmation works', async () => {
    const { items } = await listChallenges(repositories(), LEAD, c.id, { limit: 25 }, during(c));
    for (const item of items) {
      const decided = await decideChallenge(
        repositories(),
        LEAD,
        c.id,
        item.id,
        { outcome: 'rejected', reasons: 'The scores were checked and stand.' },
        during(c),
      );
      expect(decided).toMatchObject({
        status: 'rejected',
        decision: { outcome: 'rejected', decidedBy: 'lead' },
      });
    }
    await expect(
      decideChallenge(
        repositories(),
        LEAD,
        c.id,
        items[0]?.id ?? '',
        { outcome: 'upheld', reasons: 'Changed my mind', then: 'cancel' },
        during(c),
      ),
    ).rejects.toBeInstanceOf(InvalidStateError);
    const told = await inbox(providers.B);
    expect(told.find((n) => n.type === 'challenge-rejected')).toMatchObject({
      competitionId: c.id,
      link: `/your-competitions/${c.id}/challenge`,
    });
    // The challenger reads the decision, without who decided it.
    const own = await listChallenges(repositories(), OWNERS.B, c.id, { limit: 25 }, during(c));
    expect(own.items[0]).toMatchObject({ status: 'rejected', decision: { outcome: 'rejected' } });
    expect(own.items[0]?.decision).not.toHaveProperty('decidedBy');
    expect(await actions(c.id)).toContain('challenge.reject:allowed:lead');
    // Still standstill: confirming early is refused for that reason alone.
    await expect(confirmAward(repositories(), LEAD, c.id, during(c))).rejects.toThrow(
      /standstill period runs/,
    );
    const confirmed = await confirmAward(repositories(), LEAD, c.id, afterStandstill(c));
    expect(confirmed.status).toBe('awarded');
    // Once confirmed, the standstill is over: no more challenges.
    await expect(
      raiseChallenge(deps(), OWNERS.A, c.id, { grounds: 'Late' }, afterStandstill(c)),
    ).rejects.toThrow(/The award has been confirmed/);
    await sequencer.drain();
    expect((await repositories().audit.verify(c.id)).valid).toBe(true);
  });
});

describe('an upheld challenge', () => {
  it('returns the competition to evaluation with the award withdrawn and the scores kept: a new award can be decided', async () => {
    const c = await awarded('Challenges: re-evaluate');
    const b = await raiseChallenge(deps(), OWNERS.B, c.id, { grounds: 'Misread price' }, during(c));
    const other = await raiseChallenge(deps(), OWNERS.C, c.id, { grounds: 'Also wrong' }, during(c));
    const decided = await decideChallenge(
      repositories(),
      LEAD,
      c.id,
      b.id,
      { outcome: 'upheld', reasons: 'The price was misread.', then: 're-evaluate' },
      during(c),
    );
    expect(decided).toMatchObject({ status: 'upheld', decision: { then: 're-evaluate' } });
    const after = await repositories().competitions.get(c.id);
    expect(after?.status).toBe('evaluation');
    expect(after?.award).toBeUndefined();
    // The other challenge of the withdrawn decision is no longer open, and cannot be decided.
    const list = await listChallenges(repositories(), LEAD, c.id, { limit: 25 }, during(c));
    expect(list.items.find((i) => i.id === other.id)?.status).toBe('superseded');
    await expect(
      decideChallenge(repositories(), LEAD, c.id, other.id, { outcome: 'rejected', reasons: 'x' }, during(c)),
    ).rejects.toBeInstanceOf(InvalidStateError);
    // Everyone was told; the challenger of its outcome, the others neutrally.
    expect(
      (await inbox(providers.B)).some((n) => n.type === 'challenge-upheld' && n.competitionId === c.id),
    ).toBe(true);
    expect(
      (await inbox(providers.A)).some((n) => n.type === 'award-withdrawn' && n.competitionId === c.id),
    ).toBe(true);
    // The scores and moderation are kept: the evaluation is complete and a new decision starts a new standstill.
    const evaluation = await getEvaluationInContext(repositories(), LEAD, c.id, during(c));
    expect(evaluation.evaluation.complete).toBe(true);
    const redecided = await decideAward(
      repositories(),
      LEAD,
      c.id,
      { bidId: c.bids.B, rationale: 'Second look', overrideReason: 'The price was misread' },
      during(c),
      { standstillDays: 8 },
    );
    expect(redecided.status).toBe('standstill');
    // The new decision can be challenged afresh, and the old challenges do not block it.
    const fresh = await raiseChallenge(deps(), OWNERS.C, c.id, { grounds: 'Still wrong' }, during(c));
    expect(fresh.status).toBe('open');
    expect(fresh.awardDecidedAt).toBe(during(c).toISOString());
    expect(await actions(c.id)).toContain('challenge.uphold-reevaluate:allowed:lead');
  });

  it('or cancels the competition, when the lead chooses', async () => {
    const c = await awarded('Challenges: cancel');
    const b = await raiseChallenge(deps(), OWNERS.B, c.id, { grounds: 'Flawed process' }, during(c));
    await decideChallenge(
      repositories(),
      LEAD,
      c.id,
      b.id,
      { outcome: 'upheld', reasons: 'The process was flawed.', then: 'cancel' },
      during(c),
    );
    const after = await repositories().competitions.get(c.id);
    expect(after).toMatchObject({ status: 'cancelled' });
    expect(after?.cancelReason).toContain('The process was flawed.');
    await expect(confirmAward(repositories(), LEAD, c.id, afterStandstill(c))).rejects.toBeInstanceOf(
      InvalidStateError,
    );
    expect(
      (await inbox(providers.C)).some((n) => n.type === 'competition-cancelled' && n.competitionId === c.id),
    ).toBe(true);
    expect(await actions(c.id)).toContain('challenge.uphold-cancel:allowed:lead');
  });
});

describe('the invariant: no award is confirmed while a challenge of it is open', () => {
  it('refuses a confirmation when the challenge lands between its read and its write', async () => {
    const c = await awarded('Challenges: interleaved');
    const real = repositories().challenges;
    let raised = false;
    // The confirmation reads "no open challenge", then the bidder's challenge commits, then it writes.
    const challenges: ChallengeRepository = {
      ...real,
      async ofDecision(...args) {
        const found = await real.ofDecision(...args);
        await raiseChallenge(deps(), OWNERS.C, c.id, { grounds: 'Just in time' }, afterStandstill(c));
        raised = true;
        return found;
      },
    };
    const confirm = confirmAward({ ...repositories(), challenges }, LEAD, c.id, afterStandstill(c));
    await expect(confirm).rejects.toBeInstanceOf(ChallengeOpenError);
    expect(raised).toBe(true);
    const stored = await repositories().competitions.get(c.id);
    expect(stored?.status).toBe('standstill');
    expect(stored?.award?.awardedAt).toBeUndefined();
  });

  it('holds when a challenge and the confirmation race', async () => {
    for (let round = 0; round < 3; round += 1) {
      const c = await awarded(`Challenges: race ${round}`);
      const at = afterStandstill(c);
      const [challenge, confirmation] = await Promise.allSettled([
        raiseChallenge(deps(), OWNERS.B, c.id, { grounds: 'Racing' }, at),
        confirmAward(repositories(), LEAD, c.id, at),
      ]);
      const stored = await repositories().competitions.get(c.id);
      const open = (
        await repositories().challenges.ofDecision(c.id, c.decidedAt.toISOString(), Object.values(providers))
      ).filter((x) => x.status === 'open');
      // Never both: an awarded competition has no open challenge of its decision.
      expect(challenge.status === 'fulfilled' && confirmation.status === 'fulfilled').toBe(false);
      if (stored?.status === 'awarded') expect(open).toEqual([]);
      if (open.length > 0) expect(stored?.status).toBe('standstill');
      if (confirmation.status === 'rejected') {
        expect(confirmation.reason).toBeInstanceOf(
          confirmation.reason instanceof ChallengeOpenError ? ChallengeOpenError : ConflictError,
        );
      }
      if (challenge.status === 'rejected') expect(challenge.reason).toBeInstanceOf(InvalidStateError);
    }
  });
});
