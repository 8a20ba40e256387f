/**
 * E-mail content and addressing (issue 17), pure: the Notify-style bodies (the same words in text and HTML,
 * one link to act, the unsubscribe and preferences links, everything escaped, only https links), the
 * one-click unsubscribe tokens (unforgeable, bound to user and scope), the checks every message passes
 * before any provider sees it, the SES request a message becomes, and the mail settings.
 */
import { describe, expect, it } from 'vitest';
import { ConfigurationError, mailSettingsFromEnv } from '../../shared/config';
import {
  assertEmailLink,
  type EmailContent,
  EmailContentError,
  renderEmail,
} from '../../shared/domain/notifications/email-body';
import {
  MAX_UNSUBSCRIBE_TOKEN_LENGTH,
  signUnsubscribeToken,
  UnsubscribeTokenError,
  verifyUnsubscribeToken,
} from '../../shared/domain/notifications/unsubscribe-token';
import {
  assertSendable,
  type EmailMessage,
  InvalidEmailMessageError,
  unsubscribeHeaders,
} from '../../shared/email/mailer';
import { sendEmailInput } from '../../shared/email/ses-mailer';

const content: EmailContent = {
  subject: 'New opportunity: Housing support, London',
  paragraphs: [
    'A competition matching your saved search was published today.',
    'Applications close on 1 May.',
  ],
  action: { text: 'Read the opportunity', url: 'https://service.example.gov.uk/find-an-opportunity/01JCX' },
  reason: 'You get this e-mail because you saved a search for housing support in London.',
  unsubscribeUrl: 'https://service.example.gov.uk/unsubscribe/u1.abc.def',
  preferencesUrl: 'https://service.example.gov.uk/your-alerts',
  serviceName: 'Offender services provider network',
};

describe('rendering an e-mail', () => {
  const email = renderEmail(content);

  it('says the same in text and HTML: the paragraphs, the link to act, why, how to stop, where to change', () => {
    for (const words of [...content.paragraphs, content.reason, content.action.url, content.preferencesUrl]) {
      expect(email.text).toContain(words);
    }
    expect(email.text).toContain(`Stop getting e-mails like this:\n${content.unsubscribeUrl}`);
    expect(email.html).toContain(`href="${content.action.url}"`);
    expect(email.html).toContain(`href="${content.unsubscribeUrl}"`);
    expect(email.html).toContain(`href="${content.preferencesUrl}"`);
    expect(email.html).toContain('Read the opportunity</a>');
    expect(email.html).toContain('<html lang="en">');
    expect(email.subject).toBe(content.subject);
  });

  it('escapes every piece of text in the HTML', () => {
    const html = renderEmail({
      ...content,
      paragraphs: ['<script>alert(1)</script> & "quotes"'],
      reason: '<b>bold</b>',
      action: { text: '<img src=x>', url: content.action.url },
    }).html;
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;');
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,hi'],
    ['/your-alerts'],
    ['http://service.example.gov.uk/x'],
    ['https://example.org/a"onmouseover="x'],
  ])('refuses the link %s', (url) => {
    expect(() => renderEmail({ ...content, action: { text: 'Go', url } })).toThrow(EmailContentError);
  });

  it('takes http links to the local machine (the local stack)', () => {
    expect(assertEmailLink('http://localhost:3000/your-alerts')).toBe('http://localhost:3000/your-alerts');
  });

  it.each([[''], ['Two\nlines'], ['x'.repeat(201)]])('refuses the subject %j', (subject) => {
    expect(() => renderEmail({ ...content, subject })).toThrow(EmailContentError);
  });
});

describe('unsubscribe tokens', () => {
  const key = Buffer.alloc(32, 7);
  const otherKey = Buffer.alloc(32, 8);

  it('name the user and the scope, and nothing else can read them so', () => {
    const token = signUnsubscribeToken({ sub: 'alice', scope: 'award' }, key);
    expect(token).toMatch(/^u1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(token, key)).toEqual({ sub: 'alice', scope: 'award' });
    expect(verifyUnsubscribeToken(token, otherKey)).toBeUndefined();
  });

  it('cannot be changed to another user or scope', () => {
    const token = signUnsubscribeToken({ sub: 'alice', scope: 'award' }, key);
    const [version, , mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ s: 'bob', k: 'award' })).toString('base64url');
    expect(verifyUnsubscribeToken(`${version}.${forged}.${mac}`, key)).toBeUndefined();
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    expect(verifyUnsubscribeToken(flipped, key)).toBeUndefined();
  });

  it.each([
    [''],
    ['u1'],
    ['u2.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['u1.e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['u1.!!.AAAA'],
    ['x'.repeat(MAX_UNSUBSCRIBE_TOKEN_LENGTH + 1)],
  ])('refuse %j without throwing', (token) => {
    expect(verifyUnsubscribeToken(token, key)).toBeUndefined();
  });

  it('carry every scope: a kind, all e-mail, one saved search', () => {
    for (const scope of ['all', 'saved-search', 'saved-search:01JCX0000000000000000000AA'] as const) {
      expect(verifyUnsubscribeToken(signUnsubscribeToken({ sub: 'u', scope }, key), key)?.scope).toBe(scope);
    }
  });

  it('are not made for unknown scopes, over-long users or short keys', () => {
    expect(() => signUnsubscribeToken({ sub: 'u', scope: 'marketing' as never }, key)).toThrow(
      UnsubscribeTokenError,
    );
    expect(() => signUnsubscribeToken({ sub: 'x'.repeat(129), scope: 'all' }, key)).toThrow(
      UnsubscribeTokenError,
    );
    expect(() => signUnsubscribeToken({ sub: 'u', scope: 'all' }, Buffer.alloc(16))).toThrow(
      UnsubscribeTokenError,
    );
  });

  it('of the longest user id stay within the length verified', () => {
    // 42 × 3 bytes + 2: the most UTF-8 bytes a user id may take.
    const sub = `${'€'.repeat(42)}ab`;
    const token = signUnsubscribeToken({ sub, scope: 'saved-search:01JCX0000000000000000000AA' }, key);
    expect(token.length).toBeLessThanOrEqual(MAX_UNSUBSCRIBE_TOKEN_LENGTH);
    expect(verifyUnsubscribeToken(token, key)?.sub).toBe(sub);
    expect(() => signUnsubscribeToken({ sub: `${sub}c`, scope: 'all' }, key)).toThrow(UnsubscribeTokenError);
  });
});

const message: EmailMessage = {
  to: 'alice@example.org',
  subject: 'Award decision',
  text: 'Your bid was successful.',
  html: '<p>Your bid was successful.</p>',
  unsubscribeUrl: 'https://service.example.gov.uk/unsubscribe/u1.abc.def',
};

describe('a message before it is sent', () => {
  it('carries the RFC 8058 headers', () => {
    expect(unsubscribeHeaders(message)).toEqual({
      'List-Unsubscribe': '<https://service.example.gov.uk/unsubscribe/u1.abc.def>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it.each([
    ['two recipients', { to: 'a@example.org, b@example.org' }],
    ['a header break in the recipient', { to: 'a@example.org\r\nBcc: x@example.org' }],
    ['a display name', { to: 'Alice <a@example.org>' }],
    ['a header break in the subject', { subject: 'Hi\r\nBcc: x@example.org' }],
    ['an unsubscribe address that is not https', { unsubscribeUrl: 'mailto:x@example.org' }],
    ['no HTML body', { html: ' ' }],
  ])('is refused with %s', (_name, change) => {
    expect(() => assertSendable({ ...message, ...change })).toThrow(InvalidEmailMessageError);
  });

  it('becomes an SES v2 simple message with both bodies, the headers, the identity and the configuration set', () => {
    const input = sendEmailInput(message, {
      from: 'Service <no-reply@service.example.gov.uk>',
      fromIdentityArn: 'arn:aws:ses:eu-west-2:123456789012:identity/service.example.gov.uk',
      configurationSet: 'notifications',
    });
    expect(input).toEqual({
      FromEmailAddress: 'Service <no-reply@service.example.gov.uk>',
      FromEmailAddressIdentityArn: 'arn:aws:ses:eu-west-2:123456789012:identity/service.example.gov.uk',
      Destination: { ToAddresses: ['alice@example.org'] },
      ConfigurationSetName: 'notifications',
      Content: {
        Simple: {
          Subject: { Data: 'Award decision', Charset: 'UTF-8' },
          Body: {
            Text: { Data: message.text, Charset: 'UTF-8' },
            Html: { Data: message.html, Charset: 'UTF-8' },
          },
          Headers: [
            { Name: 'List-Unsubscribe', Value: '<https://service.example.gov.uk/unsubscribe/u1.abc.def>' },
            { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
          ],
        },
      },
    });
  });
});

describe('mail settings', () => {
  it('default to SES with a plainly local sender and no links base', () => {
    const mail = mailSettingsFromEnv({});
    expect(mail.endpoint).toBeUndefined();
    expect(mail.from).toMatch(/\(local\)/);
    expect(mail.serviceUrl).toBeUndefined();
  });

  it('read every setting', () => {
    const mail = mailSettingsFromEnv({
      MAIL_ENDPOINT: 'smtp://127.0.0.1:1025',
      MAIL_FROM: 'no-reply@service.example.gov.uk',
      SES_CONFIGURATION_SET: 'notifications',
      SES_FROM_IDENTITY_ARN: 'arn:aws:ses:eu-west-2:123456789012:identity/service.example.gov.uk',
      SERVICE_URL: 'https://service.example.gov.uk/',
      UNSUBSCRIBE_KEY: Buffer.alloc(32, 5).toString('base64'),
    });
    expect(mail).toEqual({
      endpoint: 'smtp://127.0.0.1:1025',
      from: 'no-reply@service.example.gov.uk',
      sesConfigurationSet: 'notifications',
      sesFromIdentityArn: 'arn:aws:ses:eu-west-2:123456789012:identity/service.example.gov.uk',
      serviceUrl: 'https://service.example.gov.uk',
      unsubscribeKey: Buffer.alloc(32, 5),
      unsubscribeKeyArn: undefined,
    });
  });

  it.each([
    ['MAIL_ENDPOINT', 'http://127.0.0.1:1025'],
    ['MAIL_ENDPOINT', 'smtp://127.0.0.1'],
    ['MAIL_FROM', 'not an address'],
    ['MAIL_FROM', 'a@example.org\r\nBcc: b@example.org'],
    ['SES_CONFIGURATION_SET', 'has spaces'],
    ['SES_FROM_IDENTITY_ARN', 'arn:aws:iam::123456789012:role/x'],
    ['SERVICE_URL', 'service.example.gov.uk'],
  ])('refuse a malformed %s (%j) at start-up', (name, value) => {
    expect(() => mailSettingsFromEnv({ [name]: value })).toThrow(ConfigurationError);
  });
});
