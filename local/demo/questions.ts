/**
 * Demo data for clarification questions (issue 15): on the competition in pre-qualification, three
 * providers asked over the last few days and the lead published three answers (one reworded so it does not
 * name the asker) and answered one privately; `demo-owner`'s organisation has one question waiting for an
 * answer. Everything goes through the use cases, at the times it would have happened.
 */
import type { DomainRules } from '../../shared/config';
import type { Repositories } from '../../shared/db/repositories';
import type { Competition } from '../../shared/domain/competitions';
import { answerQuestion } from '../../shared/use-cases/questions/answer-question';
import { askQuestion } from '../../shared/use-cases/questions/ask-question';
import {
  DAY,
  DEMO_COMMISSIONER,
  findCandidates,
  LEAD,
  person,
  reservedOrganisations,
} from './competition-kit';
import { PREQUALIFICATION_TITLE } from './competitions';
import { DEMO_OWNER } from './providers';

/** What was asked, by whom, and how the lead answered. */
const QUESTIONS: {
  asked: string;
  answer?: { answer: string; audience: 'all' | 'asker'; publishedQuestion?: string };
}[] = [
  {
    asked: 'Will the contract include move-on support after the first 12 weeks of a tenancy?',
    answer: {
      answer:
        'Yes. Move-on support continues for up to 26 weeks after a tenancy starts, as section 4.3 of the specification describes.',
      audience: 'all',
    },
  },
  {
    asked:
      'We are a small charity in Bolton with two supported houses. Could we bid for part of the area only?',
    answer: {
      answer:
        'No. The contract covers the whole North West as one lot, but the prime provider may sub-contract parts of it; the sub-contracting target is 10% of the contract value.',
      audience: 'all',
      publishedQuestion: 'Can a provider bid to deliver the service in part of the region only?',
    },
  },
  {
    asked: 'Our accreditation expires next month. Will it still count for this competition?',
    answer: {
      answer:
        'It counts while it is current on the day you submit your response. Renew it before then to be sure.',
      audience: 'asker',
    },
  },
  {
    asked: 'Is there a bidders’ day, and can we attend it online?',
    answer: {
      answer: 'There is no bidders’ day: every question and answer is published on the opportunity page.',
      audience: 'all',
    },
  },
];

/** The unanswered question of `demo-owner`'s organisation. */
const OWNER_QUESTION =
  'Does the tenancy sustainment service need to be staffed at weekends, or is an on-call arrangement enough?';

/** The demo competition in pre-qualification, found among the demo commissioner's seats. */
async function prequalificationCompetition(repos: Repositories): Promise<Competition | undefined> {
  const seats = await repos.competitions.seats(DEMO_COMMISSIONER, { limit: 50 });
  const summaries = await repos.competitions.summaries(seats.items.map((seat) => seat.competitionId));
  return [...summaries.values()]
    .map((summary) => summary.competition)
    .find((competition) => competition.title === PREQUALIFICATION_TITLE);
}

/** Seeds the questions and answers; a one-line summary. */
export async function seedQuestions(repos: Repositories, rules: DomainRules): Promise<string> {
  const competition = await prequalificationCompetition(repos);
  if (!competition) return `none: no "${PREQUALIFICATION_TITLE}" to ask about`;
  const now = Date.now();
  const reserved = await reservedOrganisations(repos);
  const askers = await findCandidates(
    repos,
    competition.regions,
    competition.services,
    reserved,
    (found) => found.length >= QUESTIONS.length,
  );
  if (askers.length === 0) return 'none: no verified provider to ask';
  let published = 0;
  for (const [i, { asked, answer }] of QUESTIONS.entries()) {
    const asker = askers[i % askers.length];
    if (!asker) continue;
    // Asked over the last four days, answered a day later (times in order, so the log reads in order).
    const askedAt = new Date(now - (4 - i) * DAY);
    const { id } = await askQuestion(repos, asker.owner, competition.id, { question: asked }, askedAt, rules);
    if (!answer) continue;
    await answerQuestion(repos, LEAD, competition.id, id, answer, new Date(askedAt.getTime() + DAY / 2));
    if (answer.audience === 'all') published += 1;
  }
  const [own] = await repos.memberships.listForUser(DEMO_OWNER);
  const ownProvider = own ? await repos.providers.get(own.providerId) : undefined;
  const waiting = ownProvider?.status === 'verified';
  if (waiting && ownProvider) {
    await askQuestion(
      repos,
      person(DEMO_OWNER),
      competition.id,
      { question: OWNER_QUESTION, providerId: ownProvider.id },
      new Date(now - DAY / 4),
      rules,
    );
  }
  return `${published} published answers, one private answer${waiting ? ` and one question from "${DEMO_OWNER}" waiting for an answer` : ''} on "${competition.title}"`;
}
