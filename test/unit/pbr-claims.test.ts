/**
 * Issue 18, proxy-outcome claims (pure): `parseClaim` against the contract and the mechanism in force (the
 * period, the outcome, the tier, the participants and their evidence), `decideClaim` (decided once, in
 * whole or in part, always with a reason), the participants a decision releases, and the tallies the
 * figures are maintained from. Refused references are never repeated in a message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FieldIssue, InvalidStateError, ValidationError } from '../../shared/domain/errors';
import {
  CLAIM_STATUSES,
  ClaimAlreadyDecidedError,
  type ClaimDecision,
  type ClaimInput,
  type ClaimParticipant,
  type ClaimStatus,
  decideClaim,
  decisionTally,
  InvalidClaimError,
  MAX_CLAIM_NOTE_LENGTH,
  MAX_CLAIM_PARTICIPANTS,
  MAX_DECISION_REASON_LENGTH,
  parseClaim,
  releasedRefs,
  submissionTally,
  type TallyDelta,
} from '../../shared/domain/payment-by-results/claims';
import {
  MalformedPeriodError,
  type MechanismVersion,
  parseMechanism,
} from '../../shared/domain/payment-by-results/mechanism';
import type { ParticipantRef } from '../../shared/domain/payment-by-results/participant-ref';
import {
  NoMechanismInForceError,
  UnknownOutcomeError,
  UnknownTierError,
} from '../../shared/domain/payment-by-results/payments';

const v1: MechanismVersion = {
  ...parseMechanism({
    fromPeriod: '2026-Q1',
    upfrontPercent: 20,
    proxyOutcomes: [
      { id: 'accommodation-3m', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
      { id: 'ete', name: 'Into employment or training', tariffPence: 75_000 },
    ],
    reoffending: { binary: { baselineRatePercent: 45.5, tariffPence: 200_000 }, followUpMonths: 12 },
    tierMultipliers: { low: 0.5, medium: 1, high: 1.5, very_high: 2.25 },
  }),
  version: 1,
};
/** From 2026-Q3 a new outcome (`mentoring`) and no more `ete`. */
const v2: MechanismVersion = {
  ...v1,
  version: 2,
  fromPeriod: '2026-Q3',
  proxyOutcomes: [
    { id: 'accommodation-3m', name: 'Settled accommodation at 3 months', tariffPence: 50_000 },
    { id: 'mentoring', name: 'Completed mentoring', tariffPence: 10_000 },
  ],
};
const contract = { startDate: '2026-01-01', endDate: '2027-12-31' };
const TODAY = '2026-11-22';
const context = { contract, versions: [v1, v2], today: TODAY };

const ref = (i: number) => `PRV-${String(i).padStart(6, '0')}`;
const people = (n: number, evidenceDate = '2026-10-05') =>
  Array.from({ length: n }, (_, i) => ({ ref: ref(i + 1), evidenceDate }));

function claim(overrides: Partial<ClaimInput> = {}): ClaimInput {
  return {
    outcomeId: 'accommodation-3m',
    period: '2026-Q4',
    tier: 'high',
    participants: people(2),
    ...overrides,
  };
}

/** The error `fn` throws (failing the test when it throws nothing). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** The issues of the InvalidClaimError `fn` throws. */
function issuesOf(fn: () => unknown): FieldIssue[] {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(InvalidClaimError);
  expect(error).toBeInstanceOf(ValidationError);
  return (error as InvalidClaimError).issues;
}

describe('parseClaim: a claim that is right', () => {
  it('returns the terms, references and notes trimmed, blank notes dropped', () => {
    const terms = parseClaim(
      claim({
        participants: [
          { ref: '  PRV-000001 ', evidenceDate: '2026-10-01', note: '  housed  ' },
          { ref: 'PRV-000002', evidenceDate: TODAY, note: '   ' },
        ],
      }),
      context,
    );
    expect(terms).toEqual({
      outcomeId: 'accommodation-3m',
      period: '2026-Q4',
      tier: 'high',
      participants: [
        { ref: 'PRV-000001', evidenceDate: '2026-10-01', note: 'housed' },
        { ref: 'PRV-000002', evidenceDate: TODAY },
      ],
    });
  });

  it('takes the outcomes of the version in force for the period, not the latest', () => {
    expect(
      parseClaim(
        claim({ outcomeId: 'ete', period: '2026-Q2', participants: people(1, '2026-04-01') }),
        context,
      ).outcomeId,
    ).toBe('ete');
    expect(
      parseClaim(
        claim({ outcomeId: 'mentoring', period: '2026-Q3', participants: people(1, '2026-07-01') }),
        context,
      ).outcomeId,
    ).toBe('mentoring');
  });

  it('accepts exactly MAX_CLAIM_PARTICIPANTS participants and a note of MAX_CLAIM_NOTE_LENGTH', () => {
    expect(
      parseClaim(claim({ participants: people(MAX_CLAIM_PARTICIPANTS) }), context).participants,
    ).toHaveLength(50);
    const note = 'x'.repeat(MAX_CLAIM_NOTE_LENGTH);
    expect(
      parseClaim(
        claim({ participants: [{ ref: ref(1), evidenceDate: '2026-10-05', note: ` ${note} ` }] }),
        context,
      ).participants[0]?.note,
    ).toBe(note);
  });

  it('accepts a UUID as a reference', () => {
    const uuid = '8d2f6c1a-3b4e-4f5a-9c7d-0e1f2a3b4c5d';
    expect(
      parseClaim(claim({ participants: [{ ref: uuid, evidenceDate: '2026-10-01' }] }), context)
        .participants[0]?.ref,
    ).toBe(uuid);
  });
});

describe('parseClaim: the period', () => {
  it('refuses a period that is not a quarter', () => {
    for (const period of ['2026-Q5', '2026Q1', '2026-10', '']) {
      expect(thrown(() => parseClaim(claim({ period }), context))).toBeInstanceOf(MalformedPeriodError);
    }
  });

  it('refuses a quarter outside the contract', () => {
    for (const period of ['2025-Q4', '2028-Q1', '1999-Q1']) {
      expect(issuesOf(() => parseClaim(claim({ period }), { ...context, today: '2030-01-01' }))).toEqual([
        { path: 'period', message: 'Use a quarter of the contract' },
      ]);
    }
  });

  it('refuses a quarter of the contract that has not begun', () => {
    expect(issuesOf(() => parseClaim(claim({ period: '2027-Q1' }), context))).toEqual([
      { path: 'period', message: 'That quarter has not begun' },
    ]);
  });

  it('refuses the current quarter when the contract starts later in it', () => {
    const later = { startDate: '2026-12-01', endDate: '2027-12-31' };
    expect(issuesOf(() => parseClaim(claim(), { ...context, contract: later }))[0]?.message).toBe(
      'That quarter has not begun',
    );
  });

  it('refuses a period with no mechanism in force (before the first version, or none set)', () => {
    const fromQ2 = { ...v1, fromPeriod: '2026-Q2' as const };
    const early = claim({ period: '2026-Q1', participants: people(1, '2026-02-01') });
    expect(thrown(() => parseClaim(early, { ...context, versions: [fromQ2] }))).toBeInstanceOf(
      NoMechanismInForceError,
    );
    expect(thrown(() => parseClaim(claim(), { ...context, versions: [] }))).toBeInstanceOf(
      NoMechanismInForceError,
    );
    expect(thrown(() => parseClaim(claim(), { ...context, versions: [] }))).toBeInstanceOf(InvalidStateError);
  });
});

describe('parseClaim: the outcome and the tier', () => {
  it('refuses an outcome the version in force does not have (even one a later or earlier version has)', () => {
    expect(
      thrown(() =>
        parseClaim(
          claim({ outcomeId: 'mentoring', period: '2026-Q2', participants: people(1, '2026-04-02') }),
          context,
        ),
      ),
    ).toBeInstanceOf(UnknownOutcomeError);
    expect(thrown(() => parseClaim(claim({ outcomeId: 'ete' }), context))).toBeInstanceOf(
      UnknownOutcomeError,
    );
    expect(thrown(() => parseClaim(claim({ outcomeId: '' }), context))).toBeInstanceOf(UnknownOutcomeError);
  });

  it('refuses a tier that is not a risk tier', () => {
    for (const tier of ['', 'HIGH', 'very-high', 'extreme', 'toString']) {
      expect(thrown(() => parseClaim(claim({ tier }), context))).toBeInstanceOf(UnknownTierError);
    }
  });
});

describe('parseClaim: the participants', () => {
  it('refuses no participants, and more than MAX_CLAIM_PARTICIPANTS', () => {
    expect(issuesOf(() => parseClaim(claim({ participants: [] }), context))).toEqual([
      { path: 'participants', message: 'Name from 1 to 50 participants in one claim' },
    ]);
    expect(
      issuesOf(() => parseClaim(claim({ participants: people(MAX_CLAIM_PARTICIPANTS + 1) }), context)),
    ).toEqual([{ path: 'participants', message: 'Name from 1 to 50 participants in one claim' }]);
  });

  it('refuses a participant named twice in one claim, whatever the case and spaces', () => {
    const issues = issuesOf(() =>
      parseClaim(
        claim({
          participants: [
            { ref: 'prv-00001a', evidenceDate: '2026-10-01' },
            { ref: 'PRV-000002', evidenceDate: '2026-10-01' },
            { ref: ' PRV-00001A ', evidenceDate: '2026-10-01' },
            { ref: 'Prv-00001a', evidenceDate: '2026-10-01' },
          ],
        }),
        context,
      ),
    );
    expect(issues).toEqual([
      { path: 'participants.2.ref', message: 'This participant is named twice' },
      { path: 'participants.3.ref', message: 'This participant is named twice' },
    ]);
  });

  it('refuses references that look like personal data, without repeating them', () => {
    const personal = [
      'John Smith',
      'Smith1',
      'A1234BC',
      'QQ123456C',
      '1990-05-12',
      '12/123456A',
      'someone@example.org',
      'REF-A1234BC',
    ];
    const participants = personal.map((value) => ({ ref: value, evidenceDate: '2026-10-01' }));
    const error = thrown(() => parseClaim(claim({ participants }), context)) as InvalidClaimError;
    expect(error).toBeInstanceOf(InvalidClaimError);
    expect(error.issues.map((i) => i.path)).toEqual(personal.map((_, i) => `participants.${i}.ref`));
    const everything = JSON.stringify({ message: error.message, issues: error.issues, error });
    for (const value of personal) expect(everything).not.toContain(value);
  });

  it('refuses evidence dates before the period (or the contract) began, after today, or malformed', () => {
    const issues = issuesOf(() =>
      parseClaim(
        claim({
          participants: [
            { ref: ref(1), evidenceDate: '2026-09-30' },
            { ref: ref(2), evidenceDate: '2026-10-01' },
            { ref: ref(3), evidenceDate: TODAY },
            { ref: ref(4), evidenceDate: '2026-11-23' },
            { ref: ref(5), evidenceDate: '2026-02-30' },
            { ref: ref(6), evidenceDate: '05/10/2026' },
          ],
        }),
        context,
      ),
    );
    const within = `Use a date from 2026-10-01 to today (${TODAY}): a claim is for the quarter its outcomes were achieved in`;
    expect(issues).toEqual([
      { path: 'participants.0.evidenceDate', message: within },
      { path: 'participants.3.evidenceDate', message: within },
      { path: 'participants.4.evidenceDate', message: 'Use a date like 2026-05-31' },
      { path: 'participants.5.evidenceDate', message: 'Use a date like 2026-05-31' },
    ]);
    // A contract that starts within the quarter: evidence from the contract's first day.
    const midQuarter = { startDate: '2026-02-15', endDate: '2027-12-31' };
    const q1 = (evidenceDate: string) =>
      claim({ period: '2026-Q1', participants: [{ ref: ref(1), evidenceDate }] });
    expect(issuesOf(() => parseClaim(q1('2026-02-14'), { ...context, contract: midQuarter }))).toEqual([
      {
        path: 'participants.0.evidenceDate',
        message:
          'Use a date from 2026-02-15 to 2026-03-31: a claim is for the quarter its outcomes were achieved in',
      },
    ]);
    expect(parseClaim(q1('2026-02-15'), { ...context, contract: midQuarter }).participants).toHaveLength(1);
    // Evidence after the quarter ends belongs to a later quarter: never today's outcome at an earlier
    // quarter's terms or cap.
    expect(issuesOf(() => parseClaim(q1('2026-04-01'), { ...context, contract: midQuarter }))).toEqual([
      {
        path: 'participants.0.evidenceDate',
        message:
          'Use a date from 2026-02-15 to 2026-03-31: a claim is for the quarter its outcomes were achieved in',
      },
    ]);
  });

  it('refuses a note longer than MAX_CLAIM_NOTE_LENGTH', () => {
    const issues = issuesOf(() =>
      parseClaim(
        claim({
          participants: [
            { ref: ref(1), evidenceDate: '2026-10-05', note: 'x'.repeat(MAX_CLAIM_NOTE_LENGTH + 1) },
          ],
        }),
        context,
      ),
    );
    expect(issues).toEqual([{ path: 'participants.0.note', message: 'At most 500 characters' }]);
  });

  it('refuses a note holding an e-mail address or a NI, prison or PNC number, without repeating it', () => {
    for (const note of [
      'spoke to jo@example.org',
      'NI QQ 12 34 56 C checked',
      'moved from A1234BC wing',
      'PNC 12/123456A on file',
    ]) {
      const issues = issuesOf(() =>
        parseClaim(claim({ participants: [{ ref: ref(1), evidenceDate: '2026-10-05', note }] }), context),
      );
      expect(issues.map((i) => i.path)).toEqual(['participants.0.note']);
      expect(JSON.stringify(issues)).not.toContain(note.split(' ')[1] as string);
    }
    // Evidence notes carry dates and ordinary words: those pass.
    const fine = 'Tenancy signed 2026-10-03, copy on file (ref T/44)';
    expect(
      parseClaim(claim({ participants: [{ ref: ref(1), evidenceDate: '2026-10-05', note: fine }] }), context)
        .participants[0]?.note,
    ).toBe(fine);
  });

  it('lists every problem at once', () => {
    const issues = issuesOf(() =>
      parseClaim(
        claim({
          participants: [
            { ref: 'Bob', evidenceDate: '2025-01-01', note: 'y'.repeat(501) },
            { ref: ref(2), evidenceDate: 'tomorrow' },
          ],
        }),
        context,
      ),
    );
    expect(issues.map((i) => i.path)).toEqual([
      'participants.0.ref',
      'participants.0.evidenceDate',
      'participants.0.note',
      'participants.1.evidenceDate',
    ]);
  });
});

const submitted = (n: number) => ({
  status: 'submitted' as ClaimStatus,
  participants: people(n).map((p) => ({ ...p, ref: p.ref as ParticipantRef })),
});

describe('decideClaim', () => {
  it('refuses a claim already decided, whatever the new decision', () => {
    for (const status of CLAIM_STATUSES.filter((s) => s !== 'submitted')) {
      for (const decision of ['validated', 'partly-validated', 'rejected']) {
        const error = thrown(() =>
          decideClaim({ ...submitted(3), status }, { decision, validatedRefs: [ref(1)], reason: 'r' }),
        );
        expect(error).toBeInstanceOf(ClaimAlreadyDecidedError);
        expect(error).toBeInstanceOf(InvalidStateError);
      }
    }
  });

  it('validates every participant, or none, with the reason trimmed', () => {
    expect(decideClaim(submitted(3), { decision: 'validated', reason: '  evidence seen ' })).toEqual({
      decision: 'validated',
      validatedRefs: [ref(1), ref(2), ref(3)],
      reason: 'evidence seen',
    });
    expect(decideClaim(submitted(3), { decision: 'rejected', reason: 'no evidence' })).toEqual({
      decision: 'rejected',
      validatedRefs: [],
      reason: 'no evidence',
    });
  });

  it('validates some: in the claim’s order and spelling, whatever the case given, each once', () => {
    const decision = decideClaim(submitted(4), {
      decision: 'partly-validated',
      validatedRefs: [ref(3).toLowerCase(), ` ${ref(1)} `, ref(3)],
      reason: 'two proven',
    });
    expect(decision).toEqual({
      decision: 'partly-validated',
      validatedRefs: [ref(1), ref(3)],
      reason: 'two proven',
    });
  });

  it('refuses a part that is none, all, or not of the claim', () => {
    const some = (validatedRefs: string[] | undefined) =>
      issuesOf(() => decideClaim(submitted(3), { decision: 'partly-validated', validatedRefs, reason: 'r' }));
    const noneOrAll = {
      path: 'validatedRefs',
      message:
        'Choose some of the participants, not none or all (validate or reject the whole claim instead)',
    };
    expect(some(undefined)).toEqual([noneOrAll]);
    expect(some([])).toEqual([noneOrAll]);
    expect(some([ref(1), ref(2), ref(3)])).toEqual([noneOrAll]);
    expect(some([ref(1), ref(2), ref(3).toLowerCase()])).toEqual([noneOrAll]);
    expect(some([ref(1), ref(9)])).toEqual([
      { path: 'validatedRefs.1', message: 'Not a participant of this claim' },
    ]);
    expect(some([ref(9)])).toEqual([
      { path: 'validatedRefs.0', message: 'Not a participant of this claim' },
      noneOrAll,
    ]);
  });

  it('refuses a reason that is empty or too long, and an unknown decision', () => {
    for (const reason of ['', '   ']) {
      expect(issuesOf(() => decideClaim(submitted(1), { decision: 'validated', reason }))).toEqual([
        { path: 'reason', message: 'Say why' },
      ]);
    }
    expect(
      decideClaim(submitted(1), { decision: 'validated', reason: 'r'.repeat(MAX_DECISION_REASON_LENGTH) })
        .reason,
    ).toHaveLength(MAX_DECISION_REASON_LENGTH);
    expect(
      issuesOf(() =>
        decideClaim(submitted(1), {
          decision: 'rejected',
          reason: 'r'.repeat(MAX_DECISION_REASON_LENGTH + 1),
        }),
      ),
    ).toEqual([{ path: 'reason', message: 'At most 2000 characters' }]);
    for (const decision of ['submitted', 'approved', '', 'VALIDATED']) {
      expect(issuesOf(() => decideClaim(submitted(1), { decision, reason: 'r' }))).toEqual([
        { path: 'decision', message: 'Use validated, partly-validated or rejected' },
      ]);
    }
  });
});

/** A claim of 1 to 50 distinct references (UUIDs, or PRV- numbers), and a decision on it. */
const claimAndDecision = fc
  .uniqueArray(fc.oneof(fc.uuid(), fc.integer({ min: 0, max: 999_999 }).map(ref)), {
    minLength: 1,
    maxLength: MAX_CLAIM_PARTICIPANTS,
    selector: (r) => r.toUpperCase(),
  })
  .chain((refs) =>
    fc.record({
      refs: fc.constant(refs),
      decision: fc.constantFrom('validated', 'partly-validated', 'rejected'),
      picked: fc.subarray(refs),
    }),
  );

function decideSome(refs: string[], decision: string, picked: string[]): ClaimDecision | undefined {
  const participants: ClaimParticipant[] = refs.map((r) => ({
    ref: r as ParticipantRef,
    evidenceDate: '2026-10-01',
  }));
  try {
    return decideClaim(
      { status: 'submitted', participants },
      // Participants are named only for a partial decision (a whole one naming some is refused: see above).
      { decision, ...(decision === 'partly-validated' ? { validatedRefs: picked } : {}), reason: 'r' },
    );
  } catch (error) {
    // Only a part of none or all is refused.
    expect(error).toBeInstanceOf(InvalidClaimError);
    expect(decision).toBe('partly-validated');
    expect(picked.length === 0 || picked.length === refs.length).toBe(true);
    return undefined;
  }
}

describe('decideClaim: the participants named must match the decision', () => {
  it('refuses a whole validation naming only some participants, and a rejection naming any', () => {
    const claim3 = submitted(3);
    const some = [claim3.participants[0]?.ref as string];
    expect(
      issuesOf(() => decideClaim(claim3, { decision: 'validated', validatedRefs: some, reason: 'ok' })),
    ).toEqual([
      { path: 'validatedRefs', message: 'To validate only some participants, choose partly validated' },
    ]);
    expect(
      issuesOf(() => decideClaim(claim3, { decision: 'rejected', validatedRefs: some, reason: 'no' })),
    ).toEqual([{ path: 'validatedRefs', message: 'A rejected claim validates no participant' }]);
    const all = claim3.participants.map((p) => p.ref.toLowerCase());
    expect(
      decideClaim(claim3, { decision: 'validated', validatedRefs: all, reason: 'ok' }).validatedRefs,
    ).toHaveLength(3);
  });
});

describe('properties', () => {
  it('validated and released participants are the claim’s, each exactly once', () => {
    fc.assert(
      fc.property(claimAndDecision, ({ refs, decision, picked }) => {
        const participants = refs.map((r) => ({ ref: r as ParticipantRef, evidenceDate: '2026-10-01' }));
        const decided = decideSome(refs, decision, picked);
        if (!decided) return;
        const released = releasedRefs({ participants }, decided);
        expect(decided.validatedRefs.length + released.length).toBe(refs.length);
        expect([...decided.validatedRefs, ...released].sort()).toEqual([...refs].sort());
        if (decision === 'validated') expect(released).toEqual([]);
        if (decision === 'rejected') expect(released).toEqual(refs);
        if (decision === 'partly-validated')
          expect(decided.validatedRefs).toEqual(refs.filter((r) => picked.includes(r)));
      }),
    );
  });

  it('parseClaim keeps every valid participant, in order, whatever the case of their references', () => {
    fc.assert(
      fc.property(claimAndDecision, ({ refs }) => {
        const terms = parseClaim(
          claim({ participants: refs.map((r) => ({ ref: r, evidenceDate: '2026-10-01' })) }),
          context,
        );
        expect(terms.participants.map((p) => p.ref)).toEqual(refs);
        // The same participants again in another case: every one after the first listing is a duplicate.
        if (refs.length * 2 <= MAX_CLAIM_PARTICIPANTS) {
          const twice = [...refs, ...refs.map((r) => r.toLowerCase())];
          const issues = issuesOf(() =>
            parseClaim(
              claim({ participants: twice.map((r) => ({ ref: r, evidenceDate: '2026-10-01' })) }),
              context,
            ),
          );
          expect(issues.map((i) => i.path)).toEqual(
            refs.map((_, i) => `participants.${refs.length + i}.ref`),
          );
        }
      }),
    );
  });

  it('tallies of submissions and decisions keep the counts consistent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(claimAndDecision, fc.boolean()), { maxLength: 30 }), (steps) => {
        const totals: Record<ClaimStatus, number> = {
          submitted: 0,
          validated: 0,
          'partly-validated': 0,
          rejected: 0,
        };
        let claimed = 0;
        let validated = 0;
        let expectedValidated = 0;
        let expectedClaimed = 0;
        let undecided = 0;
        const apply = (delta: TallyDelta) => {
          for (const [status, n] of Object.entries(delta.statuses)) totals[status as ClaimStatus] += n;
          claimed += delta.claimedParticipants;
          validated += delta.validatedParticipants;
        };
        for (const [{ refs, decision, picked }, decide] of steps) {
          const participants = refs.map((r) => ({ ref: r as ParticipantRef, evidenceDate: '2026-10-01' }));
          apply(submissionTally({ participants }));
          expectedClaimed += refs.length;
          undecided += 1;
          const decided = decide ? decideSome(refs, decision, picked) : undefined;
          if (decided) {
            apply(decisionTally(decided));
            expectedValidated += decided.validatedRefs.length;
            undecided -= 1;
          }
          for (const n of Object.values(totals)) expect(n).toBeGreaterThanOrEqual(0);
        }
        const sum = Object.values(totals).reduce((a, b) => a + b, 0);
        expect(sum).toBe(steps.length);
        expect(totals.submitted).toBe(undecided);
        expect(claimed).toBe(expectedClaimed);
        expect(validated).toBe(expectedValidated);
        expect(validated).toBeLessThanOrEqual(claimed);
      }),
      { numRuns: 200 },
    );
  });
});
