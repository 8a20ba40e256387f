/**
 * Clarification questions, pure rules (issue 15): the clarification deadline from the current deadline,
 * when questions may be asked, what answering does, and who sees what of the log.
 */
import { describe, expect, it } from 'vitest';
import type { CompetitionStatus } from '../../shared/domain/competitions';
import {
  ConflictError,
  DeadlinePassedError,
  InvalidStateError,
  ValidationError,
} from '../../shared/domain/errors';
import { decideCompetitionAccess, type WallFacts } from '../../shared/domain/policy';
import type { Principal } from '../../shared/domain/principal';
import {
  answerQuestion,
  assertCanAsk,
  canSee,
  clarificationDeadline,
  currentDeadline,
  logOrderKey,
  type Question,
  type QuestionReader,
  viewQuestion,
} from '../../shared/domain/questions';

const DAY = 24 * 60 * 60 * 1000;
const NOW = new Date('2027-03-01T12:00:00.000Z');
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const rules = { clarificationDays: 5 };

const tiered = (status: CompetitionStatus = 'prequalification') => ({
  status,
  prequalificationDeadline: at(10),
  tenderDeadline: at(30),
});
const direct = (status: CompetitionStatus = 'tendering') => ({ status, tenderDeadline: at(8) });

describe('the clarification deadline', () => {
  it('is the configured days before the pre-qualification deadline while that is ahead', () => {
    expect(currentDeadline(tiered(), NOW)).toEqual({ kind: 'prequalification', at: at(10) });
    expect(clarificationDeadline(tiered(), NOW, rules)).toBe(at(5));
  });

  it('moves to the tender deadline once pre-qualification has closed (computed, never stored)', () => {
    const later = new Date(NOW.getTime() + 11 * DAY);
    expect(currentDeadline(tiered('shortlisting'), later)).toEqual({ kind: 'tender', at: at(30) });
    expect(clarificationDeadline(tiered('shortlisting'), later, rules)).toBe(at(25));
  });

  it('follows the tender deadline when there is no pre-qualification, and the configured period', () => {
    expect(clarificationDeadline(direct(), NOW, rules)).toBe(at(3));
    expect(clarificationDeadline(direct(), NOW, { clarificationDays: 0 })).toBe(at(8));
    expect(clarificationDeadline(direct(), NOW, { clarificationDays: 2 })).toBe(at(6));
  });

  it('takes the pre-qualification deadline as passed at the very instant', () => {
    const instant = new Date(at(10));
    expect(currentDeadline(tiered(), instant).kind).toBe('tender');
  });
});

describe('asking', () => {
  it('is allowed while published and before the clarification deadline', () => {
    expect(() => assertCanAsk(tiered(), NOW, rules)).not.toThrow();
    expect(() => assertCanAsk(direct(), NOW, rules)).not.toThrow();
  });

  it('is refused at and after the clarification deadline', () => {
    expect(() => assertCanAsk(tiered(), new Date(at(5)), rules)).toThrow(DeadlinePassedError);
    expect(() => assertCanAsk(direct(), new Date(at(4)), rules)).toThrow(DeadlinePassedError);
  });

  it('reopens for the tender stage while shortlisting, before the tender clarification deadline', () => {
    const shortlisting = new Date(NOW.getTime() + 12 * DAY);
    expect(() => assertCanAsk(tiered(), shortlisting, rules)).not.toThrow();
    expect(() => assertCanAsk(tiered(), new Date(at(26)), rules)).toThrow(DeadlinePassedError);
  });

  it.each(['evaluation', 'standstill', 'awarded'] as const)('is refused in %s', (status) => {
    expect(() => assertCanAsk({ ...direct(), status }, NOW, rules)).toThrow(DeadlinePassedError);
  });

  it('is refused on a cancelled competition, as a state, not a deadline', () => {
    expect(() => assertCanAsk(direct('cancelled'), NOW, rules)).toThrow(InvalidStateError);
  });

  it('is refused once tenders have closed even with no clarification period', () => {
    expect(() => assertCanAsk(direct(), new Date(at(8)), { clarificationDays: 0 })).toThrow(
      DeadlinePassedError,
    );
  });
});

const asked = (overrides: Partial<Question> = {}): Question => ({
  id: '01JQ0000000000000000000001',
  competitionId: 'C1',
  providerId: 'ASKER',
  providerName: 'Asking Charity',
  askedBy: 'asker-member',
  askedAt: at(-2),
  question: 'As Asking Charity, may we use our Wigan office?',
  status: 'asked',
  ...overrides,
});

describe('answering', () => {
  it('to all publishes the edited wording, or the asked wording when none is given', () => {
    const edited = answerQuestion(
      asked(),
      { status: 'tendering' },
      { answer: 'Yes.', audience: 'all', publishedQuestion: 'May a bidder use an existing office?' },
      at(0),
      'lead',
    );
    expect(edited).toMatchObject({
      status: 'answered',
      audience: 'all',
      answer: 'Yes.',
      publishedQuestion: 'May a bidder use an existing office?',
      answeredAt: at(0),
      answeredBy: 'lead',
      question: asked().question,
    });
    const verbatim = answerQuestion(
      asked(),
      { status: 'tendering' },
      { answer: 'Yes.', audience: 'all' },
      at(0),
      'lead',
    );
    expect(verbatim.publishedQuestion).toBe(asked().question);
  });

  it('to the asker publishes nothing', () => {
    const privately = answerQuestion(
      asked(),
      { status: 'tendering' },
      { answer: 'No.', audience: 'asker' },
      at(0),
      'lead',
    );
    expect(privately.audience).toBe('asker');
    expect(privately.publishedQuestion).toBeUndefined();
  });

  it('refuses a published wording with a private answer, naming the field', () => {
    const attempt = () =>
      answerQuestion(
        asked(),
        { status: 'tendering' },
        { answer: 'No.', audience: 'asker', publishedQuestion: 'x' },
        at(0),
        'lead',
      );
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['publishedQuestion']);
    }
  });

  it('refuses a second answer, and any answer on a cancelled competition', () => {
    const once = answerQuestion(
      asked(),
      { status: 'tendering' },
      { answer: 'Yes.', audience: 'all' },
      at(0),
      'lead',
    );
    expect(() =>
      answerQuestion(once, { status: 'tendering' }, { answer: 'Again.', audience: 'all' }, at(0), 'lead'),
    ).toThrow(ConflictError);
    expect(() =>
      answerQuestion(asked(), { status: 'cancelled' }, { answer: 'Yes.', audience: 'all' }, at(0), 'lead'),
    ).toThrow(InvalidStateError);
  });
});

describe('who sees what of the log', () => {
  const published = answerQuestion(
    asked(),
    { status: 'tendering' },
    { answer: 'Yes.', audience: 'all', publishedQuestion: 'May a bidder use an existing office?' },
    at(0),
    'lead',
  );
  const privately = answerQuestion(
    asked({ id: '01JQ0000000000000000000002' }),
    { status: 'tendering' },
    { answer: 'No.', audience: 'asker' },
    at(0),
    'lead',
  );
  const unanswered = asked({ id: '01JQ0000000000000000000003' });
  const PUBLIC: QuestionReader = { kind: 'public' };
  const OWN: QuestionReader = { kind: 'asker', organisations: ['OTHER', 'ASKER'] };
  const RIVAL: QuestionReader = { kind: 'asker', organisations: ['RIVAL'] };
  const INSIDER: QuestionReader = { kind: 'insider' };

  it('the public and other bidders see published answers only, with the published wording and nothing of the asker', () => {
    for (const reader of [PUBLIC, RIVAL]) {
      expect(viewQuestion(reader, published)).toEqual({
        id: published.id,
        question: 'May a bidder use an existing office?',
        answer: 'Yes.',
        answeredAt: at(0),
      });
      expect(canSee(reader, privately)).toBe(false);
      expect(canSee(reader, unanswered)).toBe(false);
      expect(viewQuestion(reader, unanswered)).toBeUndefined();
      expect(JSON.stringify(viewQuestion(reader, published))).not.toMatch(
        /Asking Charity|ASKER|asker-member/,
      );
    }
  });

  it("the asker's members see their own unanswered and private questions, as asked, with their status", () => {
    expect(viewQuestion(OWN, unanswered)).toEqual({
      id: unanswered.id,
      question: unanswered.question,
      status: 'asked',
      askedAt: unanswered.askedAt,
      askedBy: { providerId: 'ASKER', providerName: 'Asking Charity' },
    });
    expect(viewQuestion(OWN, privately)).toMatchObject({
      answer: 'No.',
      audience: 'asker',
      status: 'answered',
    });
    expect(viewQuestion(OWN, published)).toMatchObject({
      question: 'May a bidder use an existing office?',
      askedQuestion: asked().question,
    });
  });

  it('insiders see every question with the asking organisation', () => {
    for (const question of [published, privately, unanswered]) {
      expect(viewQuestion(INSIDER, question)?.askedBy).toEqual({
        providerId: 'ASKER',
        providerName: 'Asking Charity',
      });
    }
  });

  it('orders by when answered, else when asked, then id', () => {
    expect(logOrderKey(published)).toBe(`${at(0)}#${published.id}`);
    expect(logOrderKey(unanswered)).toBe(`${at(-2)}#${unanswered.id}`);
  });
});

describe('the wall on the clarification log', () => {
  const facts = (overrides: Partial<WallFacts> = {}): WallFacts => ({
    leadSub: 'lead',
    evaluators: ['eval'],
    moderator: 'mod',
    declarations: { lead: { conflicts: [] }, eval: { conflicts: [] }, mod: { conflicts: [] } },
    excluded: [],
    connectedOrganisations: [],
    callerOrganisations: [],
    tenderDeadlinePassed: false,
    ...overrides,
  });
  const person = (sub: string, ...groups: ('commissioner' | 'auditor' | 'admin')[]): Principal => ({
    kind: 'user',
    sub,
    email: undefined,
    groups,
  });

  it('lets the declared lead and panel read it before the tender deadline (it is not sealed)', () => {
    for (const sub of ['lead', 'eval', 'mod'])
      expect(decideCompetitionAccess(person(sub, 'commissioner'), facts(), 'questions', 'read').allowed).toBe(
        true,
      );
  });

  it('lets only the declared lead answer', () => {
    expect(
      decideCompetitionAccess(person('lead', 'commissioner'), facts(), 'questions', 'decide').allowed,
    ).toBe(true);
    expect(
      decideCompetitionAccess(person('eval', 'commissioner'), facts(), 'questions', 'decide'),
    ).toMatchObject({
      allowed: false,
      code: 'forbidden',
    });
  });

  it('keeps out an undeclared panel member, an excluded one, a connected one, auditors and anyone else', () => {
    const undeclared = facts({ declarations: { lead: { conflicts: [] } } });
    expect(
      decideCompetitionAccess(person('eval', 'commissioner'), undeclared, 'questions', 'read'),
    ).toMatchObject({
      allowed: false,
      code: 'declaration-required',
    });
    expect(
      decideCompetitionAccess(
        person('eval', 'commissioner'),
        facts({ excluded: ['eval'] }),
        'questions',
        'read',
      ),
    ).toMatchObject({ allowed: false, code: 'ethical-wall', outsideWall: true });
    expect(
      decideCompetitionAccess(
        person('lead', 'commissioner'),
        facts({ connectedOrganisations: ['INHOUSE'], callerOrganisations: ['INHOUSE'] }),
        'questions',
        'decide',
      ),
    ).toMatchObject({ allowed: false, code: 'ethical-wall' });
    expect(decideCompetitionAccess(person('ann', 'auditor'), facts(), 'questions', 'read').allowed).toBe(
      false,
    );
    expect(
      decideCompetitionAccess(person('someone', 'commissioner'), facts(), 'questions', 'read').allowed,
    ).toBe(false);
  });
});
