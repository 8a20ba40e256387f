/**
 * The "Questions and answers" section of a competition's pages (issue 15): the published answers in the
 * order published, each with its date, never with who asked, and when questions close. Shared by the
 * public opportunity page and the provider's questions page (`clarification-answers.njk` renders it).
 */
import type { DomainRules } from '../../config';
import type { Page } from '../../db/pagination';
import { govukDateTime } from '../../domain/dates';
import { clarificationDeadline, type QuestionView } from '../../domain/questions';

/** What `clarification-answers.njk` needs. */
export interface AnswersSection {
  items: { id: string; question: string; answer: string; answeredAt: string }[];
  /** When questions close, in words, while they are open; undefined once closed. */
  closes: string | undefined;
  /** The next page of answers, when there are more. */
  next: string | undefined;
}

/**
 * The section's context from a page of published answers (views as the public sees them).
 * @param path the page's own path: the "more answers" link pages it with `?answers=<cursor>`.
 */
export function answersSection(
  competition: {
    status: string;
    prequalificationDeadline?: string | undefined;
    tenderDeadline: string;
  },
  page: Page<QuestionView>,
  path: string,
  now: Date,
  rules: Pick<DomainRules, 'clarificationDays'>,
): AnswersSection {
  const deadline = clarificationDeadline(competition, now, rules);
  const open =
    ['prequalification', 'shortlisting', 'tendering'].includes(competition.status) &&
    now.getTime() < Date.parse(deadline);
  return {
    items: page.items.map((item) => ({
      id: item.id,
      question: item.question,
      answer: item.answer ?? '',
      answeredAt: govukDateTime(item.answeredAt),
    })),
    closes: open ? govukDateTime(deadline) : undefined,
    next: page.nextCursor ? `${path}?answers=${encodeURIComponent(page.nextCursor)}` : undefined,
  };
}
