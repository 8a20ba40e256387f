/**
 * E-mail bodies in the GOV.UK Notify style (issue 17): short, plain, one thing to do with a link to do it,
 * and a footer saying why the reader gets it, how to stop e-mails like it and where to change what they
 * get. Plain text and HTML carry the same words; the HTML is a single column of inline-styled paragraphs
 * (e-mail clients drop stylesheets), with every piece of text escaped and every link checked to be the
 * service's own kind of address. Pure: no I/O, no configuration; the caller passes the addresses.
 */

/** Raised when content cannot go into an e-mail as given (a header break in the subject, a bad link). */
export class EmailContentError extends Error {
  override readonly name = 'EmailContentError';
}

/** Longest subject: Notify's advice is a short one; mail clients cut them at about 60–80 characters. */
export const MAX_SUBJECT_LENGTH = 200;

/** What one e-mail says. */
export interface EmailContent {
  /** The subject line: what happened, in a few words. */
  subject: string;
  /** The body's paragraphs, plain text (no markup): what happened and what it means. */
  paragraphs: readonly string[];
  /** The one thing to do: the link's words and where it goes. */
  action: { text: string; url: string };
  /** Why the reader gets this e-mail ("You get this e-mail because …"). */
  reason: string;
  /** A page that stops e-mails of this kind (the same token as the one-click `List-Unsubscribe`). */
  unsubscribeUrl: string;
  /** The reader's e-mail preferences page (`/your-alerts`). */
  preferencesUrl: string;
  /** The service's name, at the top and in the sign-off. */
  serviceName: string;
}

/** A rendered e-mail: the subject and both bodies. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * A link an e-mail may carry: https, or http only to the local machine (the local stack's links). Anything
 * else – `javascript:`, a data URL, a bare path – is refused: a link built from bad data must not reach an
 * inbox.
 * @throws EmailContentError
 */
export function assertEmailLink(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EmailContentError(`Not an absolute address: ${url.slice(0, 100)}`);
  }
  const local = parsed.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !local) {
    throw new EmailContentError(`E-mail links must be https (or http to localhost): ${url.slice(0, 100)}`);
  }
  if (/[\s<>"]/.test(url)) throw new EmailContentError('E-mail links may not contain spaces, <, > or quotes');
  return parsed.href;
}

/**
 * A subject line as a mail header may carry it: one line, not blank, at most `MAX_SUBJECT_LENGTH`.
 * @throws EmailContentError
 */
export function assertSubject(subject: string): string {
  const trimmed = subject.trim();
  if (trimmed === '') throw new EmailContentError('An e-mail needs a subject');
  if (/[\r\n]/.test(trimmed)) throw new EmailContentError('A subject is one line: no line breaks');
  if (trimmed.length > MAX_SUBJECT_LENGTH)
    throw new EmailContentError(`A subject is at most ${MAX_SUBJECT_LENGTH} characters`);
  return trimmed;
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

// GOV.UK's text colour, link colour and type scale, as Notify's own e-mails use them.
const TEXT =
  'font-family: Helvetica, Arial, sans-serif; font-size: 19px; line-height: 1.315789474; color: #0b0c0c;';
const SMALL = 'font-family: Helvetica, Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #505a5f;';
const LINK = 'color: #1d70b8; text-decoration: underline;';

function paragraph(html: string, style = TEXT): string {
  return `<p style="margin: 0 0 20px 0; ${style}">${html}</p>`;
}

function link(text: string, url: string): string {
  return `<a href="${escapeHtml(url)}" style="${LINK}">${escapeHtml(text)}</a>`;
}

/**
 * Renders an e-mail's subject, plain-text and HTML bodies from its content.
 * @throws EmailContentError for a subject that is not one short line, or a link that is not https (or
 *   http to localhost).
 */
export function renderEmail(content: EmailContent): RenderedEmail {
  const subject = assertSubject(content.subject);
  const actionUrl = assertEmailLink(content.action.url);
  const unsubscribeUrl = assertEmailLink(content.unsubscribeUrl);
  const preferencesUrl = assertEmailLink(content.preferencesUrl);
  const paragraphs = content.paragraphs.map((p) => p.trim()).filter((p) => p !== '');

  const text = [
    ...paragraphs,
    `${content.action.text}:\n${actionUrl}`,
    '---',
    content.reason,
    `Stop getting e-mails like this:\n${unsubscribeUrl}`,
    `Change which e-mails you get:\n${preferencesUrl}`,
    `From ${content.serviceName}`,
  ].join('\n\n');

  const html = [
    '<!DOCTYPE html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="margin: 0; padding: 0; background: #ffffff;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse;">',
    `<tr><td style="background: #0b0c0c; padding: 16px 20px;"><span style="font-family: Helvetica, Arial, sans-serif; font-size: 24px; font-weight: 700; color: #ffffff;">${escapeHtml(content.serviceName)}</span></td></tr>`,
    '<tr><td style="padding: 30px 20px 10px 20px; max-width: 580px;">',
    ...paragraphs.map((p) => paragraph(escapeHtml(p).replaceAll('\n', '<br>'))),
    paragraph(link(content.action.text, actionUrl)),
    '<hr style="border: 0; border-top: 1px solid #b1b4b6; margin: 30px 0 20px 0;">',
    paragraph(escapeHtml(content.reason), SMALL),
    paragraph(
      `${link('Stop getting e-mails like this', unsubscribeUrl)} or ${link('change which e-mails you get', preferencesUrl)}.`,
      SMALL,
    ),
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');

  return { subject, text, html };
}
