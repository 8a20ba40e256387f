/**
 * A `Mailer` over SMTP (nodemailer), for running locally: it sends to the local mail catcher that
 * `npm start` runs (`local/mail-catcher.ts`), or to any other SMTP server `MAIL_ENDPOINT` names (Mailpit,
 * MailHog, LocalStack's SES). Only the local stack and the tests import it; the Lambda functions send
 * through SES (`ses-mailer.ts`), so nodemailer is never in their bundles.
 */
import { createTransport } from 'nodemailer';
import {
  assertSendable,
  type EmailMessage,
  MailDeliveryError,
  type Mailer,
  unsubscribeHeaders,
} from './mailer';

/** SMTP reply codes at or above this are permanent refusals (RFC 5321: 5yz). */
const PERMANENT_REPLY = 500;

/** A mailer that also closes its connections. */
export interface SmtpMailer extends Mailer {
  close(): void;
}

/**
 * An SMTP mailer.
 * @param options.endpoint `smtp://host:port` (plain, as local catchers speak) or `smtps://host:port`.
 * @param options.from the From address.
 */
export function createSmtpMailer(options: { endpoint: string; from: string }): SmtpMailer {
  const transport = createTransport(options.endpoint);
  return {
    async send(message: EmailMessage) {
      assertSendable(message);
      try {
        const info = await transport.sendMail({
          from: options.from,
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          headers: unsubscribeHeaders(message),
        });
        return { messageId: info.messageId };
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode;
        const permanent = code !== undefined && code >= PERMANENT_REPLY;
        throw new MailDeliveryError(
          `The SMTP server did not take the message: ${(error as Error).message}`,
          !permanent,
          {
            cause: error,
          },
        );
      }
    },
    close: () => transport.close(),
  };
}
