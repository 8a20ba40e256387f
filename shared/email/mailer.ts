/**
 * The e-mail sending port (issue 17): what the notification delivery asks of whatever sends mail. Two
 * implementations:
 *
 * - `ses-mailer.ts`: Amazon SES v2 (`SendEmail`, simple content), what the Lambda functions use;
 * - `smtp-mailer.ts`: SMTP through nodemailer, for the local mail catcher (`local/mail-catcher.ts`) or any
 *   other SMTP server `MAIL_ENDPOINT` names. Never imported by a Lambda function: its bundle would carry
 *   nodemailer for nothing.
 *
 * Every message carries one-click unsubscribe (RFC 8058): `List-Unsubscribe` naming an https address that
 * a POST to stops e-mails of that kind, and `List-Unsubscribe-Post: List-Unsubscribe=One-Click`. Both
 * implementations take the headers from `unsubscribeHeaders`, so they cannot differ.
 */
import { assertEmailLink, assertSubject } from '../domain/notifications/email-body';

/** One e-mail to one reader. */
export interface EmailMessage {
  /** The reader's address. */
  to: string;
  subject: string;
  /** Plain-text body. */
  text: string;
  /** HTML body (the same words). */
  html: string;
  /** The one-click unsubscribe address (`POST /unsubscribe/{token}`), https (or http to localhost). */
  unsubscribeUrl: string;
}

/** What a sent message is known by: the provider's message id. */
export interface SentEmail {
  messageId: string;
}

/** Sends e-mail. */
export interface Mailer {
  /**
   * Sends one message.
   * @throws MailDeliveryError when the provider refuses it or cannot be reached; `retryable` says whether
   *   sending the same message again may succeed (throttling, a network failure) or never will (a rejected
   *   address, an unverified sender).
   */
  send(message: EmailMessage): Promise<SentEmail>;
}

/** Raised when a message could not be handed to the mail provider. */
export class MailDeliveryError extends Error {
  override readonly name = 'MailDeliveryError';
  constructor(
    message: string,
    /** Whether sending the same message again may succeed. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Raised for a message that must not be sent as it is (a malformed address, a header break). */
export class InvalidEmailMessageError extends Error {
  override readonly name = 'InvalidEmailMessageError';
}

/** An address as a mail header may carry it: one `local@domain`, no display name, no line breaks. */
const ADDRESS = /^[^\s@<>()",;:\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9-]{1,63})+$/;

/**
 * Checks a message before it goes to any provider, the same way for each: the address, the subject as one
 * line, the unsubscribe link's form (header injection through any of them is refused here).
 * @throws InvalidEmailMessageError
 */
export function assertSendable(message: EmailMessage): void {
  if (message.to.length > 254 || !ADDRESS.test(message.to)) {
    throw new InvalidEmailMessageError('The recipient is not a single e-mail address');
  }
  try {
    assertSubject(message.subject);
    assertEmailLink(message.unsubscribeUrl);
  } catch (error) {
    throw new InvalidEmailMessageError((error as Error).message, { cause: error });
  }
  if (message.text.trim() === '' || message.html.trim() === '') {
    throw new InvalidEmailMessageError('A message needs both a text and an HTML body');
  }
}

/** The RFC 8058 headers of a message, by name, as both implementations send them. */
export function unsubscribeHeaders(message: Pick<EmailMessage, 'unsubscribeUrl'>): Record<string, string> {
  return {
    'List-Unsubscribe': `<${assertEmailLink(message.unsubscribeUrl)}>`,
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}
