/**
 * Each kind of e-mail end to end (issue 17), over DynamoDB Local's stream and the local mail catcher: every
 * change is made through its real use case (nothing is written to the outbox by hand) and each test reads
 * what the catcher received. For every kind not already proven at e-mail level elsewhere (shortlisting and
 * dispute-raised: outbox-outcomes; deadline-reminder and saved-search: scheduled-reminders and
 * saved-search-alerts), exactly one e-mail reaches each person it concerns and none reaches anyone else:
 * not an organisation outside the audience, not the lead commissioner or the panel (who have addresses
 * here), not a signed-in user belonging to nothing. A user who switched a kind off gets none of that kind.
 *
 * Everyone is named with this run's suffix; subjects carry a run-unique title, so the counts below are of
 * this run's e-mails only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { withSharedProviderData } from '../../shared/db/provider-data';
import { reminderStore, repositories, subscriptionRepository } from '../../shared/db/repositories';
import type { UserPrincipal } from '../../shared/domain/principal';
import type { Region, Service } from '../../shared/domain/reference-data';
import { documentStorage } from '../../shared/storage/documents';
import { raiseChallenge } from '../../shared/use-cases/challenges/challenger';
import { decideChallenge } from '../../shared/use-cases/challenges/inside';
import {
  type CreateCompetitionInput,
  createCompetition,
} from '../../shared/use-cases/competitions/create-competition';
import { publishCompetition } from '../../shared/use-cases/competitions/publish-competition';
import { declare } from '../../shared/use-cases/competitions/wall-management';
import type { DocumentDeps } from '../../shared/use-cases/documents/common';
import {
  addDocument,
  addDocumentVersion,
  confirmUpload,
  type DocumentUploadInput,
  type UploadTicket,
} from '../../shared/use-cases/documents/upload-document';
import { answerInvitation, inviteMember } from '../../shared/use-cases/memberships';
import { sweepSpendReturnsDue } from '../../shared/use-cases/notifications/spend-return-reminders';
import { changeSubscriptions } from '../../shared/use-cases/notifications/subscriptions';
import { submitResponse } from '../../shared/use-cases/prequalification/submit-response';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';
import { registerProvider } from '../../shared/use-cases/register-provider';
import { registerContract } from '../../shared/use-cases/subcontracting/contracts';
import { saveDraft } from '../../shared/use-cases/tenders/bidder';
import { competitionInStandstill, PANEL } from '../support/challenges';
import { competitionBody, inSeconds } from '../support/competitions';
import { startTestDelivery, type TestDelivery } from '../support/outbox';
import { accredit, commissioner, LEAD, user, verifiedProvider } from '../support/scenario';

const DAY = 86_400_000;
const run = Math.random().toString(36).slice(2, 8);
const sub = (name: string) => `kind-${name}-${run}`;
const address = (who: string) => `${who}@example.org`;
let delivery: TestDelivery;

/** Everyone this file gives an address to, by role. */
const P = {
  asker: user(sub('asker')),
  applicant: user(sub('applicant')),
  drafter: user(sub('drafter')),
  drafterMember: user(sub('drafter-member')),
  idle: user(sub('idle')),
  matchOwner: user(sub('match-owner')),
  matchMember: user(sub('match-member')),
  elsewhere: user(sub('elsewhere')),
  unverified: user(sub('unverified')),
  bidderA: user(sub('bidder-a')),
  bidderB: user(sub('bidder-b')),
  bidderBMember: user(sub('bidder-b-member')),
  bidderC: user(sub('bidder-c')),
  primeOwner: user(sub('prime-owner')),
  primeMember: user(sub('prime-member')),
  contractCommissioner: commissioner(sub('contract-commissioner')),
  outsider: user(sub('outsider')),
};
/** Commissioners whose subs are fixed by the scenario helpers: they get addresses too. */
const COMMISSIONERS = [LEAD as UserPrincipal, ...PANEL.evaluators, PANEL.moderator];
const everyone = (): UserPrincipal[] => [...Object.values(P), ...COMMISSIONERS];
const emailOf = (who: UserPrincipal) => address(`${who.sub}-${run}`);

const WHERE = { region: 'east_midlands', service: 'children_families' } as const;
const NAMES = { asker: `Asking Charity ${run}`, applicant: `Applying Charity ${run}` };
const QUESTIONS = { p: `Can volunteers deliver sessions (${run})?`, t: `Is TUPE expected (${run})?` };
const titles = {
  p: `Family support with pre-qualification ${run}`,
  t: `Family support, direct ${run}`,
  award: `Victim support awarded ${run}`,
  contract: `Family contract ${run}`,
  document: `Specification ${run}`,
};
let competitionP: string;
let competitionT: string;
let documentId: string;
/** The questions asked, by competition, to answer to all. */
const asked: Array<{ competitionId: string; questionId: string }> = [];
let standstill: Awaited<ReturnType<typeof competitionInStandstill>>;

/** The subjects of e-mails to one person that contain `text`. */
async function subjectsTo(who: UserPrincipal, text: string): Promise<string[]> {
  return (await delivery.mailTo(emailOf(who))).map((m) => m.subject).filter((s) => s.includes(text));
}

/** How many e-mails in all, to anyone, have exactly this subject. */
async function countAll(subject: string): Promise<number> {
  return (await delivery.allMail()).filter((m) => m.subject === subject).length;
}

/** Asserts who got e-mails whose subject contains `text`: exactly `expected` per person, none for the rest. */
async function expectOnly(text: string, expected: Map<UserPrincipal, string[]>): Promise<void> {
  for (const who of everyone()) {
    expect(await subjectsTo(who, text), who.sub).toEqual(expected.get(who) ?? []);
  }
}

/** Adds a member (not an owner) to an organisation through an accepted invitation. */
async function addMember(owner: UserPrincipal, providerId: string, member: UserPrincipal): Promise<void> {
  const invitation = await inviteMember(
    repositories(),
    owner,
    providerId,
    { sub: member.sub, role: 'member' },
    new Date(),
    14,
  );
  await answerInvitation(repositories(), member, invitation.id, 'accepted', new Date());
}

/** A published competition led by LEAD whose deadlines are weeks away, so questions are still taken. */
async function publishedFarOff(title: string, prequalification: boolean): Promise<string> {
  const created = await createCompetition(
    repositories(),
    LEAD,
    competitionBody({
      title,
      regions: [WHERE.region],
      services: [WHERE.service],
      estimatedValuePence: prequalification ? 300_000_00 : 80_000_00,
      termMonths: 24,
      risk: prequalification ? 'medium' : 'low',
      prequalificationDeadline: prequalification ? inSeconds(20 * 86_400) : undefined,
      tenderDeadline: inSeconds(30 * 86_400),
    }) as unknown as CreateCompetitionInput,
    new Date(),
    config().rules,
  );
  await publishCompetition(repositories(), LEAD, created.id, new Date(), config().rules);
  await declare(repositories(), LEAD, created.id, [], new Date());
  return created.id;
}

const PDF = Buffer.from('%PDF-1.4\n% the specification\n%%EOF\n', 'latin1');
const pdf: DocumentUploadInput = {
  title: titles.document,
  kind: 'specification',
  fileName: 'specification.pdf',
  contentType: 'application/pdf',
  sizeBytes: PDF.length,
};
const documentDeps = (): DocumentDeps => ({ ...repositories(), storage: documentStorage() });

/** Uploads the file of a ticket and makes that version current, as the lead. */
async function uploadAndConfirm(competitionId: string, ticket: UploadTicket, version: number) {
  const response = await fetch(ticket.uploadUrl, {
    method: 'PUT',
    body: PDF,
    headers: { 'content-type': 'application/pdf' },
  });
  expect(response.status).toBe(200);
  await confirmUpload(
    documentDeps(),
    LEAD,
    competitionId,
    ticket.documentId,
    version,
    new Date(),
    config().documents,
  );
}

beforeAll(async () => {
  delivery = await startTestDelivery();
  for (const who of everyone()) await delivery.remember(who.sub, emailOf(who));

  // Taking part (or not) in two competitions in the same region and service.
  const askerId = await verifiedProvider(P.asker.sub, NAMES.asker, WHERE);
  const applicantId = await verifiedProvider(P.applicant.sub, NAMES.applicant, WHERE);
  await accredit(P.applicant.sub, applicantId);
  const drafterId = await verifiedProvider(P.drafter.sub, `Drafting Charity ${run}`, WHERE);
  await addMember(P.drafter, drafterId, P.drafterMember);
  await verifiedProvider(P.idle.sub, `Idle Charity ${run}`, WHERE);
  expect(askerId).not.toBe(applicantId);

  // Competition P (pre-qualification): the asker asks, the applicant applies.
  competitionP = await publishedFarOff(titles.p, true);
  const askedP = await askQuestion(
    repositories(),
    P.asker,
    competitionP,
    { question: QUESTIONS.p },
    new Date(),
    config().rules,
  );
  asked.push({ competitionId: competitionP, questionId: askedP.id });
  await submitResponse(
    withSharedProviderData(repositories()),
    P.applicant,
    competitionP,
    { answers: { 'technical.relevant-experience': 'Ten years of family work.' } },
    new Date(),
  );
  // Competition T (no pre-qualification): the asker asks, the drafter saves a draft bid.
  competitionT = await publishedFarOff(titles.t, false);
  const askedT = await askQuestion(
    repositories(),
    P.asker,
    competitionT,
    { question: QUESTIONS.t },
    new Date(),
    config().rules,
  );
  asked.push({ competitionId: competitionT, questionId: askedT.id });
  await saveDraft(
    withSharedProviderData(repositories()),
    P.drafter,
    competitionT,
    { pricePence: 70_000_00, qualityResponses: { quality: 'Our plan' }, subcontractors: [], consortium: [] },
    new Date(),
  );

  // An award and its standstill: A wins, B (with a plain member) and C lose.
  const owners = { A: P.bidderA, B: P.bidderB, C: P.bidderC };
  const bidders: Record<string, string> = {};
  for (const key of ['A', 'B', 'C'] as const) {
    bidders[key] = await verifiedProvider(owners[key].sub, `Awarded bidder ${key} ${run}`, {
      region: 'yorkshire_humber',
      service: 'victim_services',
    });
  }
  await addMember(P.bidderB, bidders.B ?? '', P.bidderBMember);
  standstill = await competitionInStandstill({ title: titles.award, owners, standstillDays: 8 });
  await delivery.drain();
}, 240_000);

afterAll(async () => {
  await delivery?.stop();
});

describe('e-mail by kind, through the real changes', () => {
  it('opportunity-match: one e-mail to each member of a verified matching provider, none elsewhere', async () => {
    const where = { region: 'south_west' as Region, service: 'unpaid_work' as Service };
    const matchId = await verifiedProvider(P.matchOwner.sub, `Matching Charity ${run}`, where);
    await addMember(P.matchOwner, matchId, P.matchMember);
    await verifiedProvider(P.elsewhere.sub, `Elsewhere Charity ${run}`, { ...where, region: 'wales' });
    // Registered in the same region and service, never verified: not in the directory, so not told.
    await registerProvider(
      repositories(),
      P.unverified,
      {
        name: `Unverified Charity ${run}`,
        legalForm: 'unincorporated_association',
        sector: 'voluntary',
        size: 'micro',
        regions: [where.region],
        services: [where.service],
        contact: { name: 'Test contact', email: 'contact@example.org' },
      },
      new Date(),
    );
    const title = `Unpaid work placements ${run}`;
    const created = await createCompetition(
      repositories(),
      LEAD,
      competitionBody({
        title,
        regions: [where.region],
        services: [where.service],
        estimatedValuePence: 80_000_00,
        termMonths: 24,
        risk: 'low',
        prequalificationDeadline: undefined,
        tenderDeadline: inSeconds(30 * 86_400),
      }) as unknown as CreateCompetitionInput,
      new Date(),
      config().rules,
    );
    await delivery.drain();
    // A draft tells nobody.
    expect(await countAll(`New opportunity: ${title}`)).toBe(0);
    await publishCompetition(repositories(), LEAD, created.id, new Date(), config().rules);
    await delivery.drain();
    const subject = `New opportunity: ${title}`;
    await expectOnly(
      title,
      new Map([
        [P.matchOwner, [subject]],
        [P.matchMember, [subject]],
      ]),
    );
    expect(await countAll(subject)).toBe(2);
    const [mail] = await delivery.mailTo(emailOf(P.matchMember));
    expect(mail?.text).toContain(`/find-an-opportunity/${created.id}`);
  });

  it('clarification-answer: those who asked, applied or drafted get one each, naming no asker nor question', async () => {
    for (const { competitionId, questionId } of asked) {
      await answerQuestion(
        repositories(),
        LEAD,
        competitionId,
        questionId,
        { answer: `Published answer ${run}.`, audience: 'all' },
        new Date(),
      );
    }
    await delivery.drain();
    const subjectP = `Clarification answer published: ${titles.p}`;
    const subjectT = `Clarification answer published: ${titles.t}`;
    await expectOnly(
      'Clarification answer published',
      new Map([
        [P.asker, [subjectP, subjectT]],
        [P.applicant, [subjectP]],
        [P.drafter, [subjectT]],
        [P.drafterMember, [subjectT]],
      ]),
    );
    expect(await countAll(subjectP)).toBe(2);
    expect(await countAll(subjectT)).toBe(3);
    // The idle organisation is reachable (it was told of both opportunities): its silence is the rule's.
    expect(await subjectsTo(P.idle, 'New opportunity: Family support')).toHaveLength(2);
    const answers = (await delivery.allMail()).filter((m) => m.subject.startsWith('Clarification answer'));
    for (const mail of answers) {
      const shown = [mail.subject, mail.text, mail.html ?? ''].join('\n');
      for (const secret of [NAMES.asker, P.asker.sub, QUESTIONS.p, QUESTIONS.t])
        expect(shown, secret).not.toContain(secret);
    }
  });

  it('document-changed: each version made current tells those taking part once, and nobody else', async () => {
    const ticket = await addDocument(documentDeps(), LEAD, competitionT, pdf, new Date(), config().documents);
    documentId = ticket.documentId;
    await uploadAndConfirm(competitionT, ticket, 1);
    const second = await addDocumentVersion(
      documentDeps(),
      LEAD,
      competitionT,
      documentId,
      pdf,
      new Date(),
      config().documents,
    );
    await uploadAndConfirm(competitionT, second, 2);
    await delivery.drain();
    const added = `New tender document: ${titles.document}`;
    const changed = `Tender document changed: ${titles.document} is now version 2`;
    const both = [added, changed];
    await expectOnly(
      titles.document,
      new Map([
        [P.asker, both],
        [P.drafter, both],
        [P.drafterMember, both],
      ]),
    );
    expect(await countAll(added)).toBe(3);
    expect(await countAll(changed)).toBe(3);
  });

  it('a user who switched document-changed off gets none of the next version; the owner still does', async () => {
    const current = await subscriptionRepository().get(P.drafterMember.sub);
    await changeSubscriptions(
      { subscriptions: subscriptionRepository() },
      P.drafterMember,
      current.version,
      { kind: 'email', email: { enabled: true, kinds: { 'document-changed': false } } },
      new Date(),
    );
    const third = await addDocumentVersion(
      documentDeps(),
      LEAD,
      competitionT,
      documentId,
      pdf,
      new Date(),
      config().documents,
    );
    await uploadAndConfirm(competitionT, third, 3);
    await delivery.drain();
    const subject = `Tender document changed: ${titles.document} is now version 3`;
    expect(await subjectsTo(P.drafter, subject)).toEqual([subject]);
    expect(await subjectsTo(P.asker, subject)).toEqual([subject]);
    expect(await subjectsTo(P.drafterMember, subject)).toEqual([]);
    expect(await countAll(subject)).toBe(2);
    // The member still has an address and other kinds: the earlier versions reached them.
    expect(await subjectsTo(P.drafterMember, titles.document)).toHaveLength(2);
  });

  it('award: the winner and each unsuccessful bidder get exactly one e-mail with their outcome', async () => {
    const won = `Successful: ${titles.award}`;
    const lost = `Unsuccessful: ${titles.award}`;
    const expected = new Map([
      [P.bidderA, [won]],
      [P.bidderB, [lost]],
      [P.bidderBMember, [lost]],
      [P.bidderC, [lost]],
    ]);
    for (const who of everyone()) {
      const outcomes = (await subjectsTo(who, titles.award)).filter((s) => /^(Uns|S)uccessful: /.test(s));
      expect(outcomes, who.sub).toEqual(expected.get(who) ?? []);
    }
    expect(await countAll(won)).toBe(1);
    expect(await countAll(lost)).toBe(3);
  });

  it("challenge-decision: the challenger's members get one; the other bidders and the panel none", async () => {
    const during = new Date(standstill.decidedAt.getTime() + DAY);
    const challenge = await raiseChallenge(
      withSharedProviderData(repositories()),
      P.bidderB,
      standstill.id,
      { grounds: `Our answer was not read (${run}).` },
      during,
    );
    await decideChallenge(
      repositories(),
      LEAD,
      standstill.id,
      challenge.id,
      { outcome: 'rejected', reasons: `Read and scored by both evaluators (${run}).` },
      during,
    );
    await delivery.drain();
    const subject = `Your challenge was rejected: ${titles.award}`;
    await expectOnly(
      'Your challenge',
      new Map([
        [P.bidderB, [subject]],
        [P.bidderBMember, [subject]],
      ]),
    );
    expect(await countAll(subject)).toBe(2);
    const [mail] = await delivery
      .mailTo(emailOf(P.bidderBMember))
      .then((all) => all.filter((m) => m.subject === subject));
    expect(mail?.text).not.toContain('scored by both evaluators');
  });

  it("spend-return-due: the prime's owners get one, not its members, the commissioner or anyone else", async () => {
    const primeId = await verifiedProvider(P.primeOwner.sub, `Prime ${run}`, WHERE);
    await addMember(P.primeOwner, primeId, P.primeMember);
    const created = await registerContract(
      repositories(),
      P.contractCommissioner,
      {
        title: titles.contract,
        primeProviderId: primeId,
        valuePence: 1_000_000_00,
        startDate: '2026-01-01',
        endDate: '2027-12-31',
        regions: [WHERE.region],
        services: [WHERE.service],
        subcontracting: { targetPercent: 10 },
      },
      new Date('2026-01-05T10:00:00Z'),
      { defaultSubcontractingTargetPercent: 10 },
    );
    const deps = {
      reminders: reminderStore(),
      outbox: repositories().outbox,
      contracts: repositories().contracts,
    };
    // A week before Q1's return is due, twice: one reminder.
    await sweepSpendReturnsDue(deps, new Date('2026-04-25T09:00:00Z'));
    await sweepSpendReturnsDue(deps, new Date('2026-04-26T09:00:00Z'));
    await delivery.drain();
    const subject = `Spend return for ${titles.contract} is due by 30 April 2026`;
    await expectOnly(titles.contract, new Map([[P.primeOwner, [subject]]]));
    expect(await countAll(subject)).toBe(1);
    const [mail] = await delivery
      .mailTo(emailOf(P.primeOwner))
      .then((all) => all.filter((m) => m.subject === subject));
    expect(mail?.text).toContain(`/your-contracts/${created.id}`);
  });
});
