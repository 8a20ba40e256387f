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
import type { ClaimOutcome, Mail, OutboxRepository } from '../../db/outbox';
import type { ProviderRepository } from '../../db/providers';
import type { SubscriptionRepository } from '../../db/subscriptions';
import { renderEmail } from '../../domain/notifications/email-body';
import {
  decide,
  type Opportunity,
  type OutboxEvent,
  type Reason,
  reasonText,
} from '../../domain/notifications/outbox';
import type { UnsubscribeTarget } from '../../domain/notifications/unsubscribe-token';
import type { IdentityDirectory } from '../../domain/sessions';
import { MailDeliveryError, type Mailer } from '../../email/mailer';
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

/** How long a sender holds a mail item before another may take it over (a sender that died mid-send). */
export const SEND_LEASE_MS = 2 * 60_000;

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
      recipients.set(match.sub, {
        sub: match.sub,
        reason: { kind: 'saved-search', savedSearchId: match.searchId, frequency: match.frequency },
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

/**
 * Sends one mail item, once.
 * @throws MailBusyError when another sender holds it; MailDeliveryError (retryable) when the mail service
 *   could not take it now (the item is released for the retry).
 */
export async function sendMail(deps: DeliveryDeps, mail: Mail, now: Date): Promise<SendOutcome> {
  const claimed: ClaimOutcome = await deps.outbox.claim(mail.eventId, mail.sub, now, SEND_LEASE_MS);
  if (claimed === 'done') return 'done';
  if (claimed === 'busy') throw new MailBusyError(`Mail ${mail.eventId} to ${mail.sub} is being sent`);

  const skip = async (why: string): Promise<SendOutcome> => {
    await deps.outbox.finish(mail.eventId, mail.sub, { state: 'skipped', why }, now);
    return 'skipped';
  };
  const identity = await deps.identities.find({ sub: mail.sub });
  if (!identity?.enabled || !identity.email) return skip('no address');
  const [subscriptions, suppressed] = await Promise.all([
    deps.subscriptions.get(mail.sub),
    deps.outbox.isSuppressed(identity.email),
  ]);
  const decision = decide(subscriptions, mail.reason, suppressed, { digest: isDigest(mail) });
  if (decision.action === 'skip') return skip(decision.why);
  if (decision.action === 'digest') {
    await deps.outbox.addToDigest(now.toISOString().slice(0, 10), {
      sub: mail.sub,
      eventId: mail.eventId,
      savedSearchId: mail.reason.savedSearchId ?? '',
      subject: mail.message.subject,
      path: mail.message.action.path,
      at: now.toISOString(),
    });
    await deps.outbox.finish(mail.eventId, mail.sub, { state: 'skipped', why: 'in the daily digest' }, now);
    return 'digest';
  }

  const { settings } = deps;
  const unsubscribeUrl = settings.unsubscribeUrl({
    sub: mail.sub,
    scope:
      mail.reason.kind === 'saved-search' && mail.reason.savedSearchId
        ? `saved-search:${mail.reason.savedSearchId}`
        : mail.reason.kind,
  });
  const rendered = renderEmail({
    subject: mail.message.subject,
    paragraphs: mail.message.paragraphs,
    action: { text: mail.message.action.text, url: `${settings.serviceUrl}${mail.message.action.path}` },
    reason: `You get this e-mail because ${reasonText(mail.reason)}.`,
    unsubscribeUrl,
    preferencesUrl: `${settings.serviceUrl}/your-alerts`,
    serviceName: settings.serviceName,
  });
  try {
    const sent = await deps.mailer.send({ to: identity.email, ...rendered, unsubscribeUrl });
    await deps.outbox.finish(mail.eventId, mail.sub, { state: 'sent', messageId: sent.messageId }, now);
    return 'sent';
  } catch (error) {
    if (error instanceof MailDeliveryError && !error.retryable) return skip(`refused: ${error.message}`);
    // Not sent: let the retry take it at once rather than after the lease.
    await deps.outbox.release(mail.eventId, mail.sub);
    throw error;
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
