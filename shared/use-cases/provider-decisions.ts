/**
 * What verifying and rejecting a registration share (`verify-provider.ts`, `reject-provider.ts`): only admins
 * decide, and each decision is written in one transaction with the notification that tells the provider's
 * members and the audit event that records it, in the provider's own audit chain (`providerAuditScope`).
 * A refused attempt (anyone but an admin) is recorded there too, as the audit log records refused attempts
 * on a competition, before the refusal is answered; everyone is refused alike, whether or not the
 * organisation exists.
 */
import type { AuditRepository } from '../db/audit';
import { providerAuditScope } from '../db/keys';
import type { NotificationRepository } from '../db/notifications';
import type { NotificationDraft, ProviderRepository } from '../db/providers';
import { ConflictError, NotFoundError } from '../domain/errors';
import { assertCanDecideOnProviders, canDecideOnProviders, requireUser } from '../domain/policy';
import type { Principal, UserPrincipal } from '../domain/principal';
import type { ProviderDecision } from '../domain/provider-verification';
import type { Provider } from '../domain/providers';

/** The repositories a decision needs. */
export interface ProviderDecisionDeps {
  providers: ProviderRepository;
  notifications: NotificationRepository;
  audit: AuditRepository;
}

/** Options of a decision taken on a page. */
export interface DecisionOptions {
  /**
   * The profile version the admin looked at: when the owners changed their details since, the decision is
   * refused (409), so nobody verifies or rejects details they have not seen. The API sends none.
   */
  seenVersion?: number | undefined;
}

/** The audit event's resource of a decision on a provider. */
export const providerAuditResource = (providerId: string) => `providers/${providerId}`;

/** The audit event's action of a decision. */
export const providerAuditAction = (decision: ProviderDecision) => `provider.${decision}`;

/**
 * Loads the registration an admin decides on. Anyone else is refused (403), after their attempt on an
 * existing registration is recorded in its audit chain.
 * @throws ForbiddenError | NotFoundError
 */
export async function loadForDecision(
  deps: ProviderDecisionDeps,
  principal: Principal,
  providerId: string,
  decision: ProviderDecision,
  now: Date,
): Promise<{ provider: Provider; admin: UserPrincipal }> {
  const user = requireUser(principal);
  const provider = await deps.providers.get(providerId);
  if (!canDecideOnProviders(principal)) {
    // Nothing is recorded for an id that names no registration: no chain is started for it.
    if (provider) {
      await deps.audit.append(providerAuditScope(providerId), {
        at: now.toISOString(),
        actor: user.sub,
        action: providerAuditAction(decision),
        resource: providerAuditResource(providerId),
        outcome: 'denied',
        reason: '/problems/forbidden',
      });
    }
    assertCanDecideOnProviders(principal, decision);
  }
  if (!provider) throw new NotFoundError(`No provider ${providerId}.`);
  return { provider, admin: user };
}

/**
 * Refuses a decision on details the admin has not seen (`DecisionOptions.seenVersion`).
 * @throws ConflictError
 */
export function assertSeen(provider: Provider, options: DecisionOptions): void {
  if (options.seenVersion !== undefined && options.seenVersion !== provider.version) {
    throw new ConflictError(
      `${provider.name} changed its details after you opened this page. Check them again before you decide.`,
    );
  }
}

/**
 * Writes a decision: the provider's items (`items`), its notification and the audit event, in one
 * transaction. The profile is written only from the version read and only while pending, so two admins
 * deciding at once (or an owner's edit meanwhile) leave exactly one decision and a 409 for the other.
 * @throws ConflictError
 */
export async function recordDecision(
  deps: ProviderDecisionDeps,
  admin: UserPrincipal,
  decision: ProviderDecision,
  change: { before: Provider; items: ReturnType<ProviderRepository['verifyItems']> },
  notification: NotificationDraft,
  now: Date,
): Promise<void> {
  const { before } = change;
  await deps.audit.append(
    providerAuditScope(before.id),
    {
      at: now.toISOString(),
      actor: admin.sub,
      action: providerAuditAction(decision),
      resource: providerAuditResource(before.id),
      outcome: 'allowed',
    },
    {
      items: [...change.items, ...deps.notifications.addItems([notification])],
      onRefused: (codes) =>
        codes[0] === 'ConditionalCheckFailed'
          ? new ConflictError(
              `${before.name} was changed or decided on by someone else at the same moment. Look at it again.`,
            )
          : undefined,
      // Verifications move the directory's shared count items: several at once take turns.
      conflictAttempts: 8,
    },
  );
}
