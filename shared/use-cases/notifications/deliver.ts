/**
 * Delivering the outbox (issue 17), in two steps, each from an INSERT on the outbox table's stream
 * (`functions/notifications/deliver.ts`):
 *
 * 1. `expandEvent`: an event a change recorded becomes one `MAIL#` item per user of its audience (and, when
 *    the event asks, one inbox notification per organisation). Every write is idempotent (mail items under
 *    `attribute_not_exists`, inbox items with the event's id), so an event delivered twice changes nothing
 *    the second time.
 * 2. `sendMail`: a mail item is claimed, checked against the user's preferences and the suppression list at
 *    the time of sending (a user who switched a kind off after the change gets nothing), sent once, and
 *    marked sent; a daily saved search's match goes into the day's digest instead.
 *
 * Nobody outside an audience is ever addressed: audiences name organisations (or saved searches of an
 * opportunity everyone may read), and users are found through their current memberships.
 */

import type { MembershipRepository } from '../../db/memberships';
import type { NotificationRepository } from '../../db/notifications';
import type { Mail, OutboxRepository } from '../../db/outbox';
import type { ProviderRepository } from '../../db/providers';
import type { SubscriptionRepository } from '../../db/subscriptions';
import { EmailContentError, renderEmail } from '../../domain/notifications/email-body';
import { isEmailKind } from '../../domain/notifications/kinds';
import {
  decide,
  type Opportunity,
  type OutboxEvent,
  type Reason,
  reasonText,
} from '../../domain/notifications/outbox';
import type { UnsubscribeTarget } from '../../domain/notifications/unsubscribe-token';
import type { IdentityDirectory } from '../../domain/sessions';
import { InvalidEmailMessageError, MailDeliveryError, type Mailer } from '../../email/mailer';
import { matchingPartitions } from '../competitions/publish-competition';

/** The saved searches an opportunity matches, one per user (`saved-search-recipients.ts`). */
export type SavedSearchMatcher = (
  opportunity: Opportunity,
) => Promise<Array<{ sub: string; searchId: string; frequency: 'immediate' | 'daily' }>>;

/** What the delivery reads and writes. */
export interface DeliveryDeps {
  outbox: OutboxRepository;
  memberships: Pick<MembershipRepository, 'listForProvider'>;
  providers: Pick<ProviderRepository, 'listedIn'>;
  notifications: Pick<NotificationRepository, 'addMany'>;
  subscriptions: Pick<SubscriptionRepository, 'get'>;
  identities: IdentityDirectory;
  mailer: Mailer;
  savedSearches: SavedSearchMatcher;
  settings: {
    /** Where the service's pages are (`SERVICE_URL`), with no trailing slash. */
    serviceUrl: string;
    serviceName: string;
    /** The one-click unsubscribe address for a user and a kind (`POST /unsubscribe/{token}`). */
    unsubscribeUrl: (target: UnsubscribeTarget) => string;
  };
}

/**
 * How long a sender holds a mail item before another may take it over (a sender that died mid-send): far
 * longer than one send takes, and short enough that the next invocation waits for it (the delivery's
 * timeout is 120 s).
 */
export const SEND_LEASE_MS = 45_000;

/** Parallel writes while expanding one event: a large audience must not take one write at a time. */
const EXPAND_PARALLELISM = 8;

/** Raised when another sender holds a mail item: the record is retried after the lease. */
export class MailBusyError extends Error {
  override readonly name = 'MailBusyError';
}

/** One user an event is for, and why. */
interface Recipient {
  sub: string;
  reason: Reason;
}

/**
 * Expands one event: writes the inbox notifications it asks for and one mail item per user of its audience.
 * @returns how many users it addressed, and how many mail items were new (0 when delivered before).
 */
export async function expandEvent(
  deps: DeliveryDeps,
  event: OutboxEvent,
): Promise<{ recipients: number; newMail: number }> {
  const { providerIds, owners } = await organisationsOf(deps, event);
  // An owners audience is about the organisation's owners alone: its inbox is every member's, so none.
  if (event.inbox && event.audience.type !== 'owners') {
    await deps.notifications.addMany(
      providerIds.map((providerId) => ({
        ...event.inbox,
        // The event's id: written again on redelivery, never twice.
        id: event.id,
        providerId,
        createdAt: event.createdAt,
      })) as Parameters<NotificationRepository['addMany']>[0],
    );
  }

  const recipients = new Map<string, Recipient>();
  const memberLists = await inParallel(providerIds, (providerId) =>
    deps.memberships.listForProvider(providerId),
  );
  for (const members of memberLists) {
    for (const member of members) {
      if (owners && member.role !== 'owner') continue;
      if (!recipients.has(member.sub))
        recipients.set(member.sub, { sub: member.sub, reason: { kind: event.kind } });
    }
  }
  if (event.audience.type === 'opportunity') {
    // A user's own saved search is what they asked for: it names the e-mail (and the switch that stops it),
    // and a user reached both ways gets one e-mail.
    for (const match of await deps.savedSearches(event.audience.opportunity)) {
      const viaOrganisation = recipients.has(match.sub);
      recipients.set(match.sub, {
        sub: match.sub,
        reason: {
          kind: 'saved-search',
          savedSearchId: match.searchId,
          frequency: match.frequency,
          ...(viaOrganisation ? { fallback: 'opportunity-match' as const } : {}),
        },
      });
    }
  }

  const created = await inParallel([...recipients.values()], (recipient) =>
    deps.outbox.putMail({
      eventId: event.id,
      sub: recipient.sub,
      kind: recipient.reason.kind,
      reason: recipient.reason,
      message: event.message,
      createdAt: event.createdAt,
    }),
  );
  return { recipients: recipients.size, newMail: created.filter(Boolean).length };
}

/** The organisations an event's audience names (owners only, for an `owners` audience). */
async function organisationsOf(
  deps: DeliveryDeps,
  event: OutboxEvent,
): Promise<{ providerIds: string[]; owners: boolean }> {
  const { audience } = event;
  switch (audience.type) {
    case 'members':
      return { providerIds: [...new Set(audience.providerIds)], owners: false };
    case 'owners':
      return { providerIds: [...new Set(audience.providerIds)], owners: true };
    case 'taking-part':
      return { providerIds: await deps.outbox.listTakingPart(audience.competitionId), owners: false };
    case 'opportunity':
      return {
        providerIds: await deps.providers.listedIn(
          matchingPartitions({
            regions: [...audience.opportunity.regions],
            services: [...audience.opportunity.services],
          }),
        ),
        owners: false,
      };
  }
}

/** What became of one mail item. */
export type SendOutcome = 'sent' | 'skipped' | 'digest' | 'done';

/** How `sendMail` may wait for a sender that died holding a mail item (the Lambda's remaining time). */
export interface SendOptions {
  /** At most this long (ms) for the lease of a dead sender to run out; 0 not to wait. */
  maxWaitMs: number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Sends one mail item, once. Everything after the claim either finishes the item (sent, or skipped for a
 * reason that a retry would not change) or gives it back, so a failure never leaves it held.
 * @throws MailBusyError when another sender holds it past `maxWaitMs`; any error a retry may get past
 *   (the mail service, the identity provider, DynamoDB), with the item released for the retry.
 */
export async function sendMail(
  deps: DeliveryDeps,
  mail: Mail,
  now: Date,
  options: SendOptions = { maxWaitMs: 0, sleep: async () => undefined },
): Promise<SendOutcome> {
  let claim = await deps.outbox.claim(mail.eventId, mail.sub, now, SEND_LEASE_MS);
  if (claim.outcome === 'busy') {
    // Records of one shard are handled one at a time, so a holder is a sender that died mid-send (a
    // timeout): wait for its lease rather than spend the retries against it.
    const wait = Date.parse(claim.claimedAt) + SEND_LEASE_MS - now.getTime() + 100;
    if (wait > options.maxWaitMs)
      throw new MailBusyError(`Mail ${mail.eventId} to ${mail.sub} is being sent`);
    await options.sleep(Math.max(wait, 0));
    claim = await deps.outbox.claim(mail.eventId, mail.sub, new Date(now.getTime() + wait), SEND_LEASE_MS);
  }
  if (claim.outcome === 'done') return 'done';
  if (claim.outcome === 'busy') throw new MailBusyError(`Mail ${mail.eventId} to ${mail.sub} is being sent`);
  const { claimedAt } = claim;
  const finish = async (outcome: { state: 'sent'; messageId: string } | { state: 'skipped'; why: string }) =>
    deps.outbox.finish(mail.eventId, mail.sub, outcome, now, claimedAt);
  const skip = async (why: string): Promise<SendOutcome> => {
    await finish({ state: 'skipped', why });
    return 'skipped';
  };

  let sent = false;
  try {
    // A mail item is read from the table as it is: one that a defect (or a forged event) made unsendable —
    // an unknown kind, a link off the service — is skipped, never sent.
    const link = serviceLink(deps.settings.serviceUrl, mail.message.action.path);
    if (!isEmailKind(mail.reason.kind) || !link) return await skip('not a mail the service sends');
    const identity = await deps.identities.find({ sub: mail.sub });
    if (!identity?.enabled || !identity.email) return await skip('no address');
    const [subscriptions, suppressed] = await Promise.all([
      deps.subscriptions.get(mail.sub),
      deps.outbox.isSuppressed(identity.email),
    ]);
    let reason = mail.reason;
    let decision = decide(subscriptions, reason, suppressed, { digest: isDigest(mail) });
    if (decision.action === 'skip' && reason.fallback && !suppressed) {
      // Reached through a saved search and an organisation both: the saved search's switch off leaves the
      // organisation's kind to decide.
      reason = { kind: reason.fallback };
      decision = decide(subscriptions, reason, suppressed);
    }
    if (decision.action === 'skip') return await skip(decision.why);
    if (decision.action === 'digest') {
      await deps.outbox.addToDigest(now.toISOString().slice(0, 10), {
        sub: mail.sub,
        eventId: mail.eventId,
        savedSearchId: reason.savedSearchId ?? '',
        subject: mail.message.subject,
        path: mail.message.action.path,
        at: now.toISOString(),
      });
      await finish({ state: 'skipped', why: 'in the daily digest' });
      return 'digest';
    }

    const { settings } = deps;
    const unsubscribeUrl = settings.unsubscribeUrl({
      sub: mail.sub,
      scope:
        reason.kind === 'saved-search' && reason.savedSearchId
          ? `saved-search:${reason.savedSearchId}`
          : reason.kind,
    });
    const rendered = renderEmail({
      subject: mail.message.subject,
      paragraphs: mail.message.paragraphs,
      action: { text: mail.message.action.text, url: link },
      reason: `You get this e-mail because ${reasonText(reason)}.`,
      unsubscribeUrl,
      preferencesUrl: `${settings.serviceUrl}/your-alerts`,
      serviceName: settings.serviceName,
    });
    const { messageId } = await deps.mailer.send({ to: identity.email, ...rendered, unsubscribeUrl });
    sent = true;
    await finish({ state: 'sent', messageId });
    return 'sent';
  } catch (error) {
    if (sent) throw error;
    // Never sendable as it is: recorded, not retried.
    if (
      (error instanceof MailDeliveryError && !error.retryable) ||
      error instanceof EmailContentError ||
      error instanceof InvalidEmailMessageError
    ) {
      return skip(`refused: ${(error as Error).message}`);
    }
    // Not sent: the retry may take it at once rather than after the lease.
    await deps.outbox.release(mail.eventId, mail.sub, claimedAt);
    throw error;
  }
}

/** The service's address for a path, or undefined for anything that would leave the service. */
export function serviceLink(serviceUrl: string, path: string): string | undefined {
  if (!/^\/(?![/\\])/.test(path)) return undefined;
  try {
    const base = new URL(serviceUrl);
    const url = new URL(`${serviceUrl}${path}`);
    return url.origin === base.origin ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

/** A digest e-mail (`send-digest.ts`): sent as it is, never put back into a digest. */
function isDigest(mail: Mail): boolean {
  return mail.eventId.startsWith('DIGEST-');
}

/** Maps with at most `EXPAND_PARALLELISM` calls at once, keeping the order. */
async function inParallel<T, R>(items: T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(EXPAND_PARALLELISM, items.length) }, worker));
  return results;
}
