/**
 * Sending e-mail (issue 17), for real over the wire: the SMTP mailer (nodemailer) sends a rendered
 * Notify-style e-mail to the local mail catcher (`local/mail-catcher.ts`, as `npm start` runs it), which is
 * read back through its JSON listing with the RFC 8058 headers, both bodies and the addresses intact; the
 * catcher's page lists it and shows its HTML without scripts. The SES mailer sends through the real SES v2
 * client to a stand-in endpoint that records the request, so what SES would receive (simple content, the
 * headers, the identity and configuration set) is checked on the wire, and SES's refusals come back as
 * `MailDeliveryError`s that say whether a retry can help.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CaughtMail, type MailCatcher, startMailCatcher } from '../../local/mail-catcher';
import { renderEmail } from '../../shared/domain/notifications/email-body';
import { signUnsubscribeToken } from '../../shared/domain/notifications/unsubscribe-token';
import { type EmailMessage, InvalidEmailMessageError, MailDeliveryError } from '../../shared/email/mailer';
import { createSesClient, createSesMailer } from '../../shared/email/ses-mailer';
import { createSmtpMailer, type SmtpMailer } from '../../shared/email/smtp-mailer';

const SERVICE = 'http://localhost:3000';
const key = Buffer.alloc(32, 3);

/** A rendered e-mail as the delivery will build one. */
function message(to: string, subject: string): EmailMessage {
  const unsubscribeUrl = `${SERVICE}/unsubscribe/${signUnsubscribeToken({ sub: 'alice', scope: 'saved-search' }, key)}`;
  const rendered = renderEmail({
    subject,
    paragraphs: ['A competition matching your saved search was published: Housing support, London.'],
    action: {
      text: 'Read the opportunity',
      url: `${SERVICE}/find-an-opportunity/01JCX0000000000000000000AA`,
    },
    reason: 'You get this e-mail because you saved a search for housing support in London.',
    unsubscribeUrl,
    preferencesUrl: `${SERVICE}/your-alerts`,
    serviceName: 'Offender services provider network',
  });
  return { to, ...rendered, unsubscribeUrl };
}

describe('the SMTP mailer and the local mail catcher', () => {
  let catcher: MailCatcher;
  let mailer: SmtpMailer;

  beforeAll(async () => {
    catcher = await startMailCatcher();
    mailer = createSmtpMailer({
      endpoint: catcher.smtpEndpoint,
      from: 'Service (local) <no-reply@localhost.localdomain>',
    });
  });

  afterAll(async () => {
    mailer?.close();
    await catcher?.stop();
  });

  it('delivers a message that reads back with its headers, bodies and addresses', async () => {
    const sent = message('alice@example.org', 'New opportunity: Housing support, London – £250,000');
    const { messageId } = await mailer.send(sent);
    expect(messageId).toMatch(/@/);

    const response = await fetch(`${catcher.url}/messages?to=alice@example.org`);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const { items } = (await response.json()) as { items: CaughtMail[] };
    expect(items).toHaveLength(1);
    const mail = items[0] as CaughtMail;
    expect(mail.subject).toBe(sent.subject);
    expect(mail.to).toEqual(['alice@example.org']);
    expect(mail.envelope.to).toEqual(['alice@example.org']);
    expect(mail.from).toBe('no-reply@localhost.localdomain');
    expect(mail.messageId).toBe(messageId);
    expect(mail.headers['list-unsubscribe']).toBe(`<${sent.unsubscribeUrl}>`);
    expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(mail.text.trim()).toBe(sent.text.trim());
    expect(mail.html).toContain(`href="${SERVICE}/your-alerts"`);
    expect(mail.html).toContain('Read the opportunity</a>');
  });

  it('keeps readers apart, lists mail on its page and shows a message’s HTML without scripts', async () => {
    await mailer.send(message('bob@example.org', 'Award decision'));
    const bob = (await (await fetch(`${catcher.url}/messages?to=BOB@example.org`)).json()) as {
      items: CaughtMail[];
    };
    expect(bob.items.map((m) => m.subject)).toEqual(['Award decision']);

    const page = await fetch(`${catcher.url}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('Award decision');
    expect(html).toContain('New opportunity: Housing support, London');

    const id = bob.items[0]?.id;
    const view = await fetch(`${catcher.url}/messages/${id}/html`);
    expect(view.headers.get('content-security-policy')).toMatch(/default-src 'none'.*sandbox/);
    expect(await view.text()).toContain('Stop getting e-mails like this');
    expect((await fetch(`${catcher.url}/messages/9999`)).status).toBe(404);
  });

  it('waits for a message, and forgets every message on DELETE', async () => {
    const arriving = catcher.waitFor((m) => m.subject === 'Deadline reminder', 5000);
    await mailer.send(message('carol@example.org', 'Deadline reminder'));
    expect((await arriving).to).toEqual(['carol@example.org']);

    expect((await fetch(`${catcher.url}/messages`, { method: 'DELETE' })).status).toBe(200);
    expect(catcher.messages()).toEqual([]);
  });

  it('refuses to send a message with a header break or two recipients, before any connection', async () => {
    await expect(
      mailer.send({ ...message('dan@example.org', 'x'), subject: 'Hi\r\nBcc: eve@example.org' }),
    ).rejects.toThrow(InvalidEmailMessageError);
    await expect(mailer.send(message('dan@example.org, eve@example.org', 'x'))).rejects.toThrow(
      InvalidEmailMessageError,
    );
    expect(catcher.messages()).toEqual([]);
  });

  it('says a delivery to a server that is not there may be retried', async () => {
    const stopped = await startMailCatcher();
    const endpoint = stopped.smtpEndpoint;
    await stopped.stop();
    const nowhere = createSmtpMailer({ endpoint, from: 'no-reply@localhost.localdomain' });
    const failure = await nowhere.send(message('alice@example.org', 'x')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MailDeliveryError);
    expect((failure as MailDeliveryError).retryable).toBe(true);
    nowhere.close();
  });
});

describe('the SES mailer, on the wire', () => {
  let server: Server;
  let endpoint: string;
  const requests: { method: string; url: string; body: Record<string, unknown> }[] = [];
  /** What the stand-in answers next: a message id, or one of SES's errors. */
  let answer: { status: number; type?: string; body: Record<string, unknown> } = {
    status: 200,
    body: { MessageId: 'ses-message-1' },
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          method: request.method ?? '',
          url: request.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}'),
        });
        response.writeHead(answer.status, {
          'content-type': 'application/json',
          ...(answer.type ? { 'x-amzn-errortype': answer.type } : {}),
        });
        response.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((done) => server.close(() => done()));
  });

  const mailer = () =>
    createSesMailer({
      client: createSesClient({ region: 'eu-west-2', endpoint }),
      sender: {
        from: 'Offender services <no-reply@service.example.gov.uk>',
        configurationSet: 'notifications',
        fromIdentityArn: 'arn:aws:ses:eu-west-2:123456789012:identity/service.example.gov.uk',
      },
    });

  it('sends SendEmail with simple content, the unsubscribe headers, the identity and configuration set', async () => {
    const sent = message('alice@example.org', 'Award decision');
    expect(await mailer().send(sent)).toEqual({ messageId: 'ses-message-1' });
    const request = requests.at(-1);
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/v2/email/outbound-emails');
    expect(request?.body).toMatchObject({
      FromEmailAddress: 'Offender services <no-reply@service.example.gov.uk>',
      FromEmailAddressIdentityArn: 'arn:aws:ses:eu-west-2:123456789012:identity/service.example.gov.uk',
      ConfigurationSetName: 'notifications',
      Destination: { ToAddresses: ['alice@example.org'] },
      Content: {
        Simple: {
          Subject: { Data: 'Award decision', Charset: 'UTF-8' },
          Body: { Text: { Data: sent.text }, Html: { Data: sent.html } },
          Headers: [
            { Name: 'List-Unsubscribe', Value: `<${sent.unsubscribeUrl}>` },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });

  it('reports a rejected message as not worth retrying, and throttling as worth it', async () => {
    answer = { status: 400, type: 'MessageRejected', body: { message: 'Email address is not verified.' } };
    const rejected = await mailer()
      .send(message('alice@example.org', 'x'))
      .catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(MailDeliveryError);
    expect((rejected as MailDeliveryError).retryable).toBe(false);

    answer = {
      status: 429,
      type: 'TooManyRequestsException',
      body: { message: 'Maximum sending rate exceeded.' },
    };
    const throttled = await mailer()
      .send(message('alice@example.org', 'x'))
      .catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(MailDeliveryError);
    expect((throttled as MailDeliveryError).retryable).toBe(true);
  }, 30_000);
});
