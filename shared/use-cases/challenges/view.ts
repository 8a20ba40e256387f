// biome-ignore-all lint/suspicious/noThenProperty: `then` is the API's name for what follows an upheld challenge (API.md); these plain objects are never awaited
/**
 * How a challenge is shown: to insiders and auditors whole; to the challenger's own members without who on
 * the commissioning side decided it (the lead's identity stays inside, as in the public view).
 */
import {
  type AfterUpheld,
  type Challenge,
  type ChallengeOutcome,
  type ChallengeStatus,
  challengeStatus,
} from '../../domain/challenges';
import type { Competition } from '../../domain/competitions';

/** A challenge as the API answers it. */
export interface ChallengeView {
  id: string;
  competitionId: string;
  providerId: string;
  providerName: string;
  grounds: string;
  raisedAt: string;
  raisedBy: string;
  /** When the award decision challenged was made. */
  awardDecidedAt: string;
  status: ChallengeStatus;
  decision: {
    outcome: ChallengeOutcome;
    reasons: string;
    then?: AfterUpheld | undefined;
    decidedAt: string;
    /** Insiders and auditors only. */
    decidedBy?: string | undefined;
  } | null;
}

/** Who is reading: the inside (and auditors), or the challenger's own members. */
export type ChallengeAudience = 'inside' | 'challenger';

/** A stored challenge as `audience` sees it, its status read against the competition now. */
export function viewChallenge(
  challenge: Challenge,
  competition: Competition,
  audience: ChallengeAudience,
): ChallengeView {
  const { decision } = challenge;
  return {
    id: challenge.id,
    competitionId: challenge.competitionId,
    providerId: challenge.providerId,
    providerName: challenge.providerName,
    grounds: challenge.grounds,
    raisedAt: challenge.raisedAt,
    raisedBy: challenge.raisedBy,
    awardDecidedAt: challenge.awardDecidedAt,
    status: challengeStatus(challenge, competition),
    decision: decision
      ? {
          outcome: decision.outcome,
          reasons: decision.reasons,
          ...(decision.then ? { then: decision.then } : {}),
          decidedAt: decision.decidedAt,
          ...(audience === 'inside' ? { decidedBy: decision.decidedBy } : {}),
        }
      : null,
  };
}
