/**
 * The `Mailer` the Lambda functions use: Amazon SES v2 `SendEmail` with simple content (subject, text and
 * HTML bodies, and the RFC 8058 unsubscribe headers), from the configured sender identity and through the
 * configured configuration set (whose event destinations report bounces and complaints).
 *
 * SES builds the MIME message itself, so no mail library is bundled: only the SES v2 client.
 */
import {
  SESv2Client,
  SESv2ServiceException,
  SendEmailCommand,
  type SendEmailCommandInput,
} from '@aws-sdk/client-sesv2';
import {
  assertSendable,
  type EmailMessage,
  MailDeliveryError,
  type Mailer,
  unsubscribeHeaders,
} from './mailer';

/** Where SES sends from. */
export interface SesSender {
  /** The From address: a verified SES identity (or an address of a verified domain). */
  from: string;
  /** The identity's ARN, when sending is authorised by another account's identity (sending authorisation). */
  fromIdentityArn?: string | undefined;
  /** The configuration set whose event destinations receive bounces, complaints and deliveries. */
  configurationSet?: string | undefined;
}

/**
 * SES errors that sending the same message again will never fix: the message or an address is refused,
 * the sender is not verified, sending is paused for the account or the configuration set does not exist.
 * Everything else (throttling, limits, a network failure, SES's own faults) is worth retrying.
 */
const PERMANENT_ERRORS = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'NotFoundException',
  'BadRequestException',
]);

/** The `SendEmail` request for a message (exported for tests: what SES receives). */
export function sendEmailInput(message: EmailMessage, sender: SesSender): SendEmailCommandInput {
  assertSendable(message);
  return {
    FromEmailAddress: sender.from,
    ...(sender.fromIdentityArn ? { FromEmailAddressIdentityArn: sender.fromIdentityArn } : {}),
    Destination: { ToAddresses: [message.to] },
    ...(sender.configurationSet ? { ConfigurationSetName: sender.configurationSet } : {}),
    Content: {
      Simple: {
        // UTF-8 throughout: SES encodes a subject with characters past ASCII (RFC 2047) itself.
        Subject: { Data: message.subject, Charset: 'UTF-8' },
        Body: {
          Text: { Data: message.text, Charset: 'UTF-8' },
          Html: { Data: message.html, Charset: 'UTF-8' },
        },
        Headers: Object.entries(unsubscribeHeaders(message)).map(([Name, Value]) => ({ Name, Value })),
      },
    },
  };
}

/**
 * An SES v2 mailer.
 * @param options.client the SES v2 client (one per process, so warm invocations reuse its connections).
 */
export function createSesMailer(options: { client: SESv2Client; sender: SesSender }): Mailer {
  const { client, sender } = options;
  return {
    async send(message) {
      const input = sendEmailInput(message, sender);
      try {
        const result = await client.send(new SendEmailCommand(input));
        if (!result.MessageId) throw new MailDeliveryError('SES answered without a message id', true);
        return { messageId: result.MessageId };
      } catch (error) {
        if (error instanceof MailDeliveryError) throw error;
        const name = (error as { name?: string }).name ?? '';
        const permanent = error instanceof SESv2ServiceException && PERMANENT_ERRORS.has(name);
        throw new MailDeliveryError(
          `SES did not take the message: ${name || (error as Error).message}`,
          !permanent,
          {
            cause: error,
          },
        );
      }
    },
  };
}

/** An SES v2 client for a region (and another endpoint, for tests). */
export function createSesClient(options: { region: string; endpoint?: string | undefined }): SESv2Client {
  return new SESv2Client({
    region: options.region,
    ...(options.endpoint
      ? { endpoint: options.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }
      : {}),
    maxAttempts: 3,
  });
}
