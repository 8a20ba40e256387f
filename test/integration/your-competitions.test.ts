/**
 * "Your competitions" (`listYourCompetitions`, behind `GET /me/competitions` and `/commissioning`) against
 * DynamoDB Local: seats written with the competition and with each panel (and taken away with it), statuses
 * as of now, what is waiting in plain words, oversight of every competition, paging, and what a page costs.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';
import { beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentClient, dynamoDbClient } from '../../shared/db/client';
import { repositories } from '../../shared/db/repositories';
import type { Competition } from '../../shared/domain/competitions';
import {
  ConflictError,
  ForbiddenError,
  UnauthenticatedError,
  ValidationError,
} from '../../shared/domain/errors';
import { ANONYMOUS, type Group, type UserPrincipal } from '../../shared/domain/principal';
import { createCompetition } from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare, setPanel } from '../../shared/use-cases/competitions/wall-management';
import {
  listYourCompetitions,
  whatIsWaiting,
  type YourCompetition,
} from '../../shared/use-cases/competitions/your-competitions';
import { recordCommands } from '../support/command-recorder';
import { competitionBody, inSeconds } from '../support/competitions';
import { useTestTables } from '../support/tables';

const rules = config().rules;
const run = ulid();
const person = (name: string, groups: Group[] = ['commissioner']): UserPrincipal => ({
  kind: 'user',
  sub: `${name}-${run}`,
  email: undefined,
  groups,
});
const lead = person('lead');
const otherLead = person('other-lead');
const evaluator1 = person('e1');
const evaluator2 = person('e2');
const evaluator3 = person('e3');
const moderator = person('mod');
const auditor = person('auditor', ['auditor']);
const admin = person('admin', ['admin']);
const provider = person('provider', []);

const list = (who: UserPrincipal, options: { limit?: number; cursor?: string; now?: Date } = {}) =>
  listYourCompetitions(
    repositories(),
    who,
    { limit: options.limit ?? 25, cursor: options.cursor },
    options.now ?? new Date(),
  );
const byId = (items: YourCompetition[], id: string) => items.find((item) => item.id === id);

let draftId: string;
let publishedId: string;
let othersId: string;

beforeAll(async () => {
  await useTestTables();
  const draft = await createCompetition(
    repositories(),
    lead,
    competitionBody({ title: 'Draft without a panel' }) as never,
    new Date(),
    rules,
  );
  draftId = draft.id;
  // Pre-qualification closes in a minute: read as of two minutes from now, it is shortlisting.
  const published = await createCompetition(
    repositories(),
    lead,
    competitionBody({
      title: 'Published with a panel',
      prequalificationDeadline: inSeconds(60),
      tenderDeadline: inSeconds(3600),
    }) as never,
    new Date(),
    rules,
  );
  publishedId = published.id;
  await setPanel(
    repositories(),
    lead,
    publishedId,
    { evaluators: [evaluator1.sub, evaluator2.sub], moderator: moderator.sub },
    new Date(),
    rules.evaluation,
  );
  await publishCompetition(repositories(), lead, publishedId, new Date(), rules);
  const others = await createCompetition(
    repositories(),
    otherLead,
    competitionBody({ title: 'Someone else’s' }) as never,
    new Date(),
    rules,
  );
  othersId = others.id;
});

describe('listYourCompetitions', () => {
  it('lists the competitions a lead leads, newest first, with the status and what is waiting now', async () => {
    const page = await list(lead);
    expect(page.items.map((item) => item.id)).toEqual([publishedId, draftId]);
    expect(page.nextCursor).toBeNull();
    expect(byId(page.items, draftId)).toEqual({
      id: draftId,
      title: 'Draft without a panel',
      status: 'draft',
      roles: ['lead'],
      whatIsWaiting: 'Choose the panel, then publish the draft',
      createdAt: expect.any(String),
    });
    expect(byId(page.items, publishedId)).toMatchObject({
      status: 'prequalification',
      roles: ['lead'],
      whatIsWaiting: 'Declare your interests',
    });
    // Deadlines move the status on by themselves: read after pre-qualification closed, it is shortlisting.
    const later = await list(lead, { now: new Date(Date.now() + 120_000) });
    expect(byId(later.items, publishedId)).toMatchObject({
      status: 'shortlisting',
      whatIsWaiting: 'Declare your interests, then shortlist the applicants',
    });
  });

  it('lists a panel member’s competitions with their role, and nothing else', async () => {
    const page = await list(evaluator1);
    expect(page.items).toEqual([
      {
        id: publishedId,
        title: 'Published with a panel',
        status: 'prequalification',
        roles: ['evaluator'],
        whatIsWaiting: 'Declare your interests',
        createdAt: expect.any(String),
      },
    ]);
    await declare(repositories(), evaluator1, publishedId, [], new Date());
    const declared = await list(evaluator1, { now: new Date(Date.now() + 120_000) });
    expect(declared.items[0]).toMatchObject({ status: 'shortlisting', whatIsWaiting: 'Mark the responses' });
    expect((await list(moderator)).items.map((item) => [item.id, item.roles])).toEqual([
      [publishedId, ['moderator']],
    ]);
    // A commissioner with no seat anywhere sees an empty list, not other people's competitions.
    expect(await list(person('nobody'))).toEqual({ items: [], nextCursor: null });
  });

  it('moves seats with the panel: a new member gains one, a member taken off loses theirs', async () => {
    await setPanel(
      repositories(),
      lead,
      publishedId,
      { evaluators: [evaluator1.sub, evaluator3.sub, lead.sub], moderator: moderator.sub },
      new Date(),
      rules.evaluation,
    );
    expect((await list(evaluator2)).items).toEqual([]);
    expect((await repositories().competitions.seats(evaluator2.sub, { limit: 10 })).items).toEqual([]);
    expect((await list(evaluator3)).items.map((item) => item.roles)).toEqual([['evaluator']]);
    // The lead now also evaluates: one entry, both roles.
    const leads = await list(lead);
    expect(leads.items.filter((item) => item.id === publishedId)).toHaveLength(1);
    expect(byId(leads.items, publishedId)?.roles).toEqual(['lead', 'evaluator']);
  });

  it('refuses to write a panel over one set since it was read, so no seat outlives its panel', async () => {
    const competitions = repositories().competitions;
    const state = await competitions.state(publishedId);
    if (!state?.panel) throw new Error('the panel is set in beforeAll');
    const stale = { ...state.panel, setAt: '2000-01-01T00:00:00.000Z' };
    const items = competitions.panelItems(
      publishedId,
      { ...state.panel, evaluators: [evaluator2.sub, evaluator1.sub], setAt: new Date().toISOString() },
      { competition: state.competition as Competition, previous: stale },
    );
    await expect(documentClient().send(new TransactWriteCommand({ TransactItems: items }))).rejects.toThrow(
      /ConditionalCheckFailed|cancelled/i,
    );
    expect((await list(evaluator2)).items).toEqual([]);
    // Through the use case, the same race is a conflict the lead can retry.
    const racing = [evaluator1.sub, evaluator2.sub];
    const results = await Promise.allSettled(
      [0, 1].map((n) =>
        setPanel(
          repositories(),
          lead,
          publishedId,
          { evaluators: n === 0 ? racing : [evaluator3.sub, evaluator1.sub], moderator: moderator.sub },
          new Date(),
          rules.evaluation,
        ),
      ),
    );
    for (const result of results) {
      if (result.status === 'rejected') expect(result.reason).toBeInstanceOf(ConflictError);
    }
    const panel = (await competitions.state(publishedId))?.panel;
    for (const sub of [evaluator1.sub, evaluator2.sub, evaluator3.sub]) {
      const listed = (await list(person(sub.replace(`-${run}`, '')))).items.some((i) => i.id === publishedId);
      expect(listed, sub).toBe(panel?.evaluators.includes(sub) ?? false);
    }
  });

  it('shows auditors and admins every competition, newest first, with their role where they have one', async () => {
    for (const overseer of [auditor, admin]) {
      const page = await list(overseer, { limit: 100 });
      const ids = page.items.map((item) => item.id);
      expect(ids).toEqual(expect.arrayContaining([draftId, publishedId, othersId]));
      expect(ids.indexOf(othersId)).toBeLessThan(ids.indexOf(publishedId));
      expect(ids.indexOf(publishedId)).toBeLessThan(ids.indexOf(draftId));
      expect(byId(page.items, othersId)).toMatchObject({ status: 'draft', roles: [], whatIsWaiting: null });
    }
  });

  it('refuses providers and anonymous callers', async () => {
    await expect(list(provider)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(list(provider)).rejects.toThrow(/commissioners, auditors and admins/);
    await expect(
      listYourCompetitions(repositories(), ANONYMOUS, { limit: 25 }, new Date()),
    ).rejects.toBeInstanceOf(UnauthenticatedError);
  });

  it('pages with a cursor bound to the list it came from', async () => {
    const first = await list(lead, { limit: 1 });
    expect(first.items.map((item) => item.id)).toEqual([publishedId]);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await list(lead, { limit: 1, cursor: first.nextCursor ?? '' });
    expect(second.items.map((item) => item.id)).toEqual([draftId]);
    expect(second.nextCursor).toBeNull();
    await expect(list(otherLead, { limit: 1, cursor: first.nextCursor ?? '' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(list(auditor, { limit: 1, cursor: first.nextCursor ?? '' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('costs one Query, one BatchGetItem and one small Query per running competition with a seat', async () => {
    const recorder = recordCommands(dynamoDbClient());
    await list(lead);
    // Two competitions, both running and seated: their declarations (the lead's own) are read.
    expect(recorder.commands().sort()).toEqual([
      'BatchGetItemCommand',
      'QueryCommand',
      'QueryCommand',
      'QueryCommand',
    ]);
    recorder.clear();
    await list(auditor, { limit: 100 });
    // Oversight without seats reads no declarations.
    expect(recorder.commands().filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    expect(recorder.commands().filter((c) => c === 'QueryCommand')).toHaveLength(1);
  });
});

describe('whatIsWaiting', () => {
  const base = {
    status: 'draft' as Competition['status'],
    prequalificationTier: 'core' as const,
    prequalificationDeadline: '2027-01-01T12:00:00Z',
    tenderDeadline: '2027-02-01T12:00:00Z',
  };
  const at = new Date('2026-12-01T12:00:00Z');
  const waiting = (
    status: Competition['status'],
    roles: ('lead' | 'evaluator' | 'moderator')[],
    declaration: 'not-declared' | 'conflict' | 'declared' = 'declared',
    extra: Partial<Competition> = {},
  ) =>
    whatIsWaiting({
      competition: { ...base, status, ...extra },
      hasPanel: true,
      roles,
      declaration,
      now: at,
    });

  it('names what the seat holder can do next, status by status', () => {
    expect(waiting('draft', ['lead'], 'not-declared')).toBe('Publish the draft');
    expect(waiting('draft', ['evaluator'], 'not-declared')).toBe('Declare your interests');
    expect(waiting('prequalification', ['lead'])).toBeNull();
    expect(waiting('shortlisting', ['lead', 'evaluator'])).toBe('Mark responses and shortlist');
    expect(waiting('shortlisting', ['moderator'])).toBe('Mark the responses');
    expect(waiting('tendering', ['evaluator'])).toBeNull();
    expect(waiting('evaluation', ['evaluator'])).toBe('Score the bids');
    expect(waiting('evaluation', ['moderator'])).toBe('Moderate the scores');
    expect(waiting('evaluation', ['lead', 'evaluator'], 'not-declared')).toBe(
      'Declare your interests, then score the bids, then decide the award once every bid is moderated',
    );
    // A lead off the panel is not told to decide while the bids may still be unscored.
    expect(waiting('evaluation', ['lead'])).toBe(
      'Wait for the panel to score and moderate the bids, then decide the award',
    );
    const award = {
      bidId: 'b',
      providerId: 'p',
      providerName: 'P',
      valuePence: 1,
      rationale: 'r',
      decidedAt: '2026-12-01T00:00:00Z',
      standstillEndsAt: '2026-12-12T12:00:00Z',
    };
    expect(waiting('standstill', ['lead'], 'declared', { award })).toBe(
      'Confirm the award after 12 December 2026',
    );
    expect(
      waiting('standstill', ['lead'], 'declared', {
        award: { ...award, standstillEndsAt: '2026-11-30T00:00:00Z' },
      }),
    ).toBe('Confirm the award');
    expect(waiting('standstill', ['evaluator'], 'declared', { award })).toBeNull();
    expect(waiting('awarded', ['lead'], 'not-declared')).toBeNull();
    expect(waiting('cancelled', ['evaluator'], 'not-declared')).toBeNull();
    expect(waiting('evaluation', [])).toBeNull();
  });

  it('moves the status on with the deadlines, and sends conflicted seat holders to whoever clears them', () => {
    // Stored `tendering`, read after the tender deadline: evaluation.
    expect(
      whatIsWaiting({
        competition: { ...base, status: 'tendering' },
        hasPanel: true,
        roles: ['evaluator'],
        declaration: 'declared',
        now: new Date('2027-03-01T00:00:00Z'),
      }),
    ).toBe('Score the bids');
    expect(waiting('evaluation', ['lead'], 'conflict')).toBe(
      'Ask an admin to clear your declared conflict before you take part',
    );
    expect(waiting('shortlisting', ['evaluator'], 'conflict')).toBe(
      'Ask the lead commissioner to clear your declared conflict before you take part',
    );
    expect(
      whatIsWaiting({
        competition: { ...base, status: 'tendering' },
        hasPanel: false,
        roles: ['lead'],
        declaration: 'declared',
        now: at,
      }),
    ).toBe('Choose the panel');
  });
});
