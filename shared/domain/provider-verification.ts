/**
 * Verifying and rejecting registrations (pure): which decision an admin may take in which state, what each
 * decision makes of the provider, and how a rejected registration goes back to the queue.
 *
 * The life of a registration:
 *
 *   pending ──verify──▶ verified
 *      │  ▲
 *   reject  └── the owners correct it (any saved edit of a rejected registration resubmits it)
 *      ▼  │
 *   rejected
 *
 * Only a pending registration is decided on. A rejected one is not a dead end: its owners read the reason,
 * correct their details and save them, which puts it back in the queue (`resubmittedAt`), where an admin may
 * verify it (or reject it again). Verifying a verified provider changes nothing (a retry answers what is
 * there); rejecting a verified one is refused: taking a provider out of the directory is not a rejection.
 */
import { InvalidStateError } from './errors';
import type { Provider } from './providers';

/** The most characters a rejection reason may have (the owners read it on their organisation page). */
export const REJECTION_REASON_MAX = 2000;

/** What an admin decides about a registration. */
export type ProviderDecision = 'verify' | 'reject';

/**
 * Whether a decision may be taken now: `decide` for a pending registration, `unchanged` for verifying a
 * provider already verified (nothing to write).
 * @throws InvalidStateError for any other state.
 */
export function decisionFor(
  provider: Pick<Provider, 'status' | 'name'>,
  decision: ProviderDecision,
): 'decide' | 'unchanged' {
  if (provider.status === 'pending') return 'decide';
  if (decision === 'verify' && provider.status === 'verified') return 'unchanged';
  if (decision === 'verify') {
    throw new InvalidStateError(
      `${provider.name} was rejected: it can be verified once its owners correct their details and send them again.`,
    );
  }
  throw new InvalidStateError(
    provider.status === 'verified'
      ? `${provider.name} is verified: only a registration waiting for verification can be rejected.`
      : `${provider.name} is already rejected: it comes back for a decision when its owners correct their details.`,
  );
}

/** The provider once verified at `now` (its earlier rejection, if any, is kept as history). */
export function verified(provider: Provider, now: Date): Provider {
  const at = now.toISOString();
  return { ...provider, status: 'verified', verifiedAt: at, updatedAt: at, version: provider.version + 1 };
}

/** The provider once rejected at `now` by `adminSub`, with the reason its owners will read. */
export function rejected(provider: Provider, reason: string, adminSub: string, now: Date): Provider {
  const at = now.toISOString();
  return {
    ...provider,
    status: 'rejected',
    rejection: { reason, rejectedAt: at, rejectedBy: adminSub },
    updatedAt: at,
    version: provider.version + 1,
  };
}

/**
 * An owner's saved edit of a registration (`after`, from `before`): a rejected one goes back to the queue,
 * waiting from `now`; any other keeps its status.
 */
export function afterOwnerEdit(before: Pick<Provider, 'status'>, after: Provider, now: Date): Provider {
  if (before.status !== 'rejected') return after;
  return { ...after, status: 'pending', resubmittedAt: now.toISOString() };
}

/**
 * Since when a pending registration has waited: its resubmission, or its registration. The queue is in this
 * order, oldest first, so a corrected registration joins the end of the queue like a new one.
 */
export function waitingSince(provider: Pick<Provider, 'createdAt' | 'resubmittedAt'>): string {
  return provider.resubmittedAt ?? provider.createdAt;
}
