/**
 * Standstill challenges of the award (issue 15). Part of the route table (`shared/http/routes.ts`).
 *
 * Two functions, one per side of the wall. `challenge` serves bidders raising a challenge: like the JSON
 * `tenders` function, its own role reads competitions and the registry only, and the challenge (in the
 * bidder's own bid partition, beside its debrief), the guard on the competition and the audit event are
 * written through the role assumed for that bidder (`providerDataRole: 'bidder'`): it gains no read of bids,
 * scores or the evaluation. `challenges` faces the inside: declared insiders and auditors list every
 * challenge (audited), the challenger's members their own, and the lead decides – which may withdraw the
 * award and return the competition to evaluation, or cancel it – with the challenger's (and on an upheld
 * challenge every bidder's) notification and the audit event in one transaction.
 */
import type { FunctionSpec, RouteSpec } from '../route-types';

/** Functions of this context. */
export const challengesFunctions = {
  challenge: {
    entry: 'functions/challenges/challenger.ts',
    description:
      'Bidders: challenge the award decision during standstill (members of an organisation that bid). No access to bids, scores or the evaluation.',
    // Competitions (is it in standstill, on which decision) and the registry (memberships, the provider's
    // name) on its own role; the bidder's debrief and challenge, the guard and the audit event through the
    // bidder role.
    tables: { procurement: 'read', registry: 'read' },
    providerDataRole: 'bidder',
    facing: 'provider',
  },
  challenges: {
    entry: 'functions/challenges/decisions.ts',
    description:
      "Standstill challenges on the inside: every challenge for declared insiders and auditors (audited), the challenger's own for its members, and the lead's decision (rejected; or upheld: back to evaluation, or cancelled).",
    // Challenges, debriefs and bid heads (who to tell), connection markers for the wall (sealed); the
    // competition an upheld challenge changes (procurement); memberships, and the notifications written
    // with the decision (registry); audit appends.
    // An upheld challenge's OCDS release (award or tender cancellation) is written with it (publication),
    // and the challenger's e-mail as an outbox event (issue 17).
    tables: {
      sealed: 'readWrite',
      procurement: 'readWrite',
      registry: 'readWrite',
      audit: 'append',
      publication: 'readWrite',
      outbox: 'enqueue',
    },
    facing: 'inside',
  },
} as const satisfies Record<string, FunctionSpec>;

/** Routes of this context. */
export const challengesRoutes = [
  {
    method: 'POST',
    path: '/competitions/{id}/challenges',
    function: 'challenge',
    access: 'user',
    summary:
      'Challenge the award decision, with grounds (a member of an organisation that bid, during standstill)',
    tag: 'challenges',
    idempotent: true,
  },
  {
    method: 'GET',
    path: '/competitions/{id}/challenges',
    function: 'challenges',
    access: 'user',
    summary:
      "The challenges of the award: every one for declared insiders and auditors; your organisation's own for a bidder's members",
    tag: 'challenges',
  },
  {
    method: 'POST',
    path: '/competitions/{id}/challenges/{challengeId}/decision',
    function: 'challenges',
    access: ['commissioner'],
    summary:
      'Decide a challenge (the declared lead): rejected, or upheld and then the bids evaluated again or the competition cancelled',
    tag: 'challenges',
    idempotent: true,
  },
] as const satisfies readonly RouteSpec[];
