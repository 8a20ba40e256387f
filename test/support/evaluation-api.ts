/**
 * Scoring and moderating bids through the JSON API, for tests whose competitions have the two quality
 * criteria of `competitionBody` (`quality` and `social-value`) and whose moderator's sub is `moderator`.
 */
import { expect } from 'vitest';

/** Calls the API as one of the test's users, by sub, with a JSON body when given. */
export type CallAs = (
  method: string,
  path: string,
  who: string,
  body?: unknown,
) => Promise<{ status: number; body: unknown; text: string }>;

/** The body of `PUT …/bids/{bidId}/scores`: a score for each quality criterion, each justified. */
export function scoresBody(quality: number, socialValue: number) {
  return {
    scores: [
      { criterionId: 'quality', score: quality, justification: 'Evidence in section 2' },
      { criterionId: 'social-value', score: socialValue, justification: 'Local volunteers' },
    ],
  };
}

/** The body of `PUT …/bids/{bidId}/moderated-scores`: the agreed score of each quality criterion. */
export function moderatedBody(quality: number, socialValue: number, rationale: string) {
  return {
    scores: [
      { criterionId: 'quality', score: quality, rationale },
      { criterionId: 'social-value', score: socialValue, rationale },
    ],
  };
}

/**
 * Agreed scores `[key, quality, social value]` that rank bid A first on quality although it is dearer
 * than B (on the prices the tests that use them give: A £68,000, B £60,000, C £75,000), C second, B third.
 */
export const A_THEN_C_THEN_B = [
  ['A', 4, 4],
  ['B', 2, 2],
  ['C', 4, 3],
] as const;

/**
 * Each evaluator scores the bids it is given (by their keys in `bidIds`), 3 for each criterion, expecting
 * each to be stored.
 */
export async function scoreThrees(
  call: CallAs,
  competitionId: string,
  bidIds: Readonly<Record<string, string>>,
  scoring: readonly (readonly [who: string, keys: readonly string[]])[],
): Promise<void> {
  for (const [who, keys] of scoring) {
    for (const key of keys) {
      const scored = await call(
        'PUT',
        `/competitions/${competitionId}/bids/${bidIds[key]}/scores`,
        who,
        scoresBody(3, 3),
      );
      expect(scored.status, `${who} ${key}`).toBe(200);
    }
  }
}

/** The moderator agrees each bid's scores (`[key in bidIds, quality, social value]`), expecting each stored. */
export async function moderateAll(
  call: CallAs,
  competitionId: string,
  bidIds: Readonly<Record<string, string>>,
  agreed: readonly (readonly [key: string, quality: number, socialValue: number])[],
  rationale: string,
): Promise<void> {
  for (const [key, quality, socialValue] of agreed) {
    const moderated = await call(
      'PUT',
      `/competitions/${competitionId}/bids/${bidIds[key]}/moderated-scores`,
      'moderator',
      moderatedBody(quality, socialValue, rationale),
    );
    expect(moderated.status, key).toBe(200);
  }
}
