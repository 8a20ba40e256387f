/**
 * Bounce and complaint notifications from Amazon SES (issue 17): the configuration set's event destination
 * publishes each to an SNS topic, whose subscriber (`functions/notifications/ses-events.ts`) hands each
 * message here. Parsed with zod, bounded, and reduced to what the suppression list needs: which addresses,
 * why, and when. Everything else SES says (the message's headers, diagnostic codes, reporting MTA) is
 * dropped unread.
 *
 * What puts an address on the list: a permanent bounce (the mailbox does not exist, or refuses this
 * sender), and a complaint (the reader marked the e-mail as spam). A transient bounce (a full mailbox, a
 * message too large, a server briefly refusing) and an undetermined one say nothing lasting about the
 * address and change nothing; nor do the other event types a configuration set can publish.
 *
 * Both forms SES uses are read: event publishing (`eventType`, a configuration set's destination) and
 * identity notifications (`notificationType`, should someone point an identity's feedback at the topic).
 */
import * as z from 'zod';

/** The most recipients one SES message may have (SES's own limit), and so one notification names. */
export const MAX_FEEDBACK_RECIPIENTS = 50;
/** The longest SNS message read, in characters (SNS's own limit is 256 KB). */
export const MAX_FEEDBACK_MESSAGE_LENGTH = 256 * 1024;

/** An address as SES reports it: `a@b` or `Name <a@b>`, at most RFC 5321's 320 characters of address. */
const recipient = z.object({ emailAddress: z.string().min(3).max(1000) }).loose();

const bounce = z
  .object({
    bounceType: z.string().max(64),
    bouncedRecipients: z.array(recipient).min(1).max(MAX_FEEDBACK_RECIPIENTS),
    timestamp: z.iso.datetime({ offset: true }).optional(),
  })
  .loose();

const complaint = z
  .object({
    complainedRecipients: z.array(recipient).min(1).max(MAX_FEEDBACK_RECIPIENTS),
    timestamp: z.iso.datetime({ offset: true }).optional(),
  })
  .loose();

const notification = z
  .object({
    eventType: z.string().max(64).optional(),
    notificationType: z.string().max(64).optional(),
    bounce: bounce.optional(),
    complaint: complaint.optional(),
  })
  .loose();

/** What a notification asks of the suppression list. */
export interface SesFeedback {
  type: 'bounce' | 'complaint';
  /** The addresses, lower-cased, without display names, each once. */
  recipients: string[];
  /** When SES says it happened (else when the notification was read). */
  at: string;
}

/** Thrown for a message that is not an SES notification the service can read (not JSON, or malformed). */
export class SesFeedbackError extends Error {
  override readonly name = 'SesFeedbackError';
}

const ADDRESS = /^[^\s<>@]{1,64}@[^\s<>@]{1,255}$/;

/** The bare address of `a@b` or `Name <a@b>`, lower-cased, or undefined when it is not one. */
function bareAddress(value: string): string | undefined {
  const angled = /<([^<>]+)>\s*$/.exec(value);
  const address = (angled ? angled[1] : value)?.trim().toLowerCase() ?? '';
  return address.length <= 320 && ADDRESS.test(address) ? address : undefined;
}

/**
 * What an SNS message from SES asks: the addresses to suppress and why, or `undefined` for a notification
 * that suppresses nothing (a transient or undetermined bounce, a delivery, an open, …).
 * @param message the SNS message text (JSON).
 * @param now when it was read: the time recorded when SES gives none.
 * @throws SesFeedbackError for a message that is not JSON, is too long, or is a bounce or complaint
 *   without its recipients (nothing is suppressed on a guess).
 */
export function parseSesFeedback(message: string, now: Date): SesFeedback | undefined {
  if (message.length > MAX_FEEDBACK_MESSAGE_LENGTH) throw new SesFeedbackError('The message is too long');
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    throw new SesFeedbackError('The message is not JSON');
  }
  const parsed = notification.safeParse(json);
  if (!parsed.success) throw new SesFeedbackError('The message is not an SES notification');
  const kind = (parsed.data.eventType ?? parsed.data.notificationType)?.toLowerCase();
  let type: SesFeedback['type'];
  let addresses: string[];
  let at: string | undefined;
  if (kind === 'bounce') {
    if (!parsed.data.bounce) throw new SesFeedbackError('A bounce without its details');
    // Only a permanent bounce says the address will never take mail; the rest may pass.
    if (parsed.data.bounce.bounceType !== 'Permanent') return undefined;
    type = 'bounce';
    addresses = parsed.data.bounce.bouncedRecipients.map((r) => r.emailAddress);
    at = parsed.data.bounce.timestamp;
  } else if (kind === 'complaint') {
    if (!parsed.data.complaint) throw new SesFeedbackError('A complaint without its details');
    type = 'complaint';
    addresses = parsed.data.complaint.complainedRecipients.map((r) => r.emailAddress);
    at = parsed.data.complaint.timestamp;
  } else {
    return undefined;
  }
  const recipients = [...new Set(addresses.map(bareAddress).filter((a): a is string => a !== undefined))];
  if (recipients.length === 0) throw new SesFeedbackError(`A ${type} naming no address`);
  const when = at ? new Date(at) : now;
  return { type, recipients, at: (Number.isNaN(when.getTime()) ? now : when).toISOString() };
}
