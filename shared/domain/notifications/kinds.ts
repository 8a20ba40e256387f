/**
 * The kinds of e-mail the service sends (issue 17), as identifiers only: what an outbox event names and a
 * user switches off. Their words live with the preferences (`subscriptions.ts`, `EMAIL_KINDS`); this list is
 * apart so that every function recording an event checks the kind without bundling those words.
 */
export const EMAIL_KIND_NAMES = [
  'opportunity-match',
  'saved-search',
  'clarification-answer',
  'document-changed',
  'deadline-reminder',
  'shortlisting',
  'award',
  'challenge-decision',
  'dispute-raised',
  'spend-return-due',
] as const;

/** One kind of e-mail. */
export type EmailKind = (typeof EMAIL_KIND_NAMES)[number];

/** Whether a value names a kind (an own entry: `constructor` is not one). */
export function isEmailKind(value: unknown): value is EmailKind {
  return typeof value === 'string' && (EMAIL_KIND_NAMES as readonly string[]).includes(value);
}
