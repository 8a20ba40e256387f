/**
 * The local mail catcher (issue 17): an SMTP server (the npm package `smtp-server`) that accepts every
 * message and keeps it in memory, parsed by `mailparser`, and a small web page and JSON listing of what it
 * caught. Nothing leaves the machine: no message is relayed anywhere.
 *
 *   GET    /                     the caught messages, newest first (a page)
 *   GET    /messages?to=<addr>   the same as JSON: `{ items: [CaughtMail…] }`, newest first
 *   GET    /messages/<id>        one message as JSON (headers, text and HTML bodies)
 *   GET    /messages/<id>/html   its HTML body, as a reader's mail client would show it (no scripts)
 *   DELETE /messages             forget every message
 *
 * Started and stopped by the local stack like DynamoDB Local and the S3 server (`stack.ts`); `MAIL_ENDPOINT`
 * points the service at another SMTP server (Mailpit, MailHog) instead. Messages live as long as the
 * process: a restart starts with an empty inbox, as a developer's catcher usually does.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** Raised when the catcher cannot start. */
export class MailCatcherError extends Error {
  override readonly name = 'MailCatcherError';
}

/** One caught message. */
export interface CaughtMail {
  /** Its number in this catcher, from 1. */
  id: string;
  receivedAt: string;
  /** The SMTP envelope: who the client said it was from and to. */
  envelope: { from: string | null; to: string[] };
  subject: string;
  from: string;
  to: string[];
  /** Every header as sent, by lower-case name (a repeated header's values joined by a line break). */
  headers: Record<string, string>;
  text: string;
  html: string | null;
  messageId: string | null;
}

/** A running mail catcher. */
export interface MailCatcher {
  /** `smtp://127.0.0.1:<port>`: what `MAIL_ENDPOINT` is set to. */
  smtpEndpoint: string;
  smtpPort: number;
  /** The web page's address. */
  url: string;
  /** The caught messages, oldest first. */
  messages(): CaughtMail[];
  /** Forgets every message. */
  clear(): void;
  /** The first message (oldest first) that `match` accepts, waiting for it up to `timeoutMs`. */
  waitFor(match: (mail: CaughtMail) => boolean, timeoutMs?: number): Promise<CaughtMail>;
  stop(): Promise<void>;
}

/** The largest message accepted (SES's own limit for a message is 40 MB; ours carry no attachments). */
const MAX_MESSAGE_BYTES = 10 * 1024 * 1024;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Headers as sent, unfolded, by lower-case name. */
function headersOf(lines: ReadonlyArray<{ key: string; line: string }>): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const { key, line } of lines) {
    const value = line
      .slice(line.indexOf(':') + 1)
      // Unfolding (RFC 5322): a line break before whitespace is removed, the whitespace kept.
      .replace(/\r?\n(?=[ \t])/g, '')
      .trim();
    headers[key] = key in headers ? `${headers[key]}\n${value}` : value;
  }
  return headers;
}

function addressesOf(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((group: { value?: { address?: string }[] }) =>
    (group.value ?? []).flatMap((entry) => (entry.address ? [entry.address] : [])),
  );
}

function listPage(messages: readonly CaughtMail[]): string {
  const rows = [...messages]
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.to.join(', '))}</td><td><a href="/messages/${m.id}/html">${escapeHtml(m.subject || '(no subject)')}</a></td><td><a href="/messages/${m.id}">JSON</a></td></tr>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Local mail (${messages.length})</title>
<style>body{font-family:Arial,sans-serif;margin:2em;color:#0b0c0c}table{border-collapse:collapse;width:100%}td,th{text-align:left;border-bottom:1px solid #b1b4b6;padding:.5em}a{color:#1d70b8}</style></head>
<body><h1>Local mail</h1><p>${messages.length} message(s) caught; none was sent anywhere. As JSON: <a href="/messages">/messages</a>.</p>
<table><thead><tr><th>Received</th><th>To</th><th>Subject</th><th></th></tr></thead><tbody>
${rows || '<tr><td colspan="4">Nothing yet.</td></tr>'}
</tbody></table></body></html>`;
}

/** One answer of the web page: status, media type, body and, for HTML, its Content-Security-Policy. */
interface Reply {
  status: number;
  type: string;
  body: string;
  csp?: string;
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, {
    'content-type': reply.type,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...(reply.csp ? { 'content-security-policy': reply.csp } : {}),
  });
  response.end(reply.body);
}

const json = (status: number, body: unknown): Reply => ({
  status,
  type: 'application/json; charset=utf-8',
  body: JSON.stringify(body),
});

function answer(request: IncomingMessage, store: Store): Reply {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const method = request.method ?? 'GET';
  if (method === 'GET' && url.pathname === '/') {
    return {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: listPage(store.messages),
      csp: "default-src 'none'; style-src 'unsafe-inline'",
    };
  }
  if (url.pathname === '/messages') {
    if (method === 'DELETE') {
      store.messages.length = 0;
      return json(200, { items: [] });
    }
    if (method === 'GET') {
      const to = url.searchParams.get('to')?.toLowerCase();
      const items = store.messages.filter((m) => !to || m.to.some((address) => address.toLowerCase() === to));
      return json(200, { items: [...items].reverse() });
    }
  }
  const one = /^\/messages\/(\d+)(\/html)?$/.exec(url.pathname);
  if (method === 'GET' && one) {
    const mail = store.messages.find((m) => m.id === one[1]);
    if (!mail) return json(404, { error: 'No such message (it may have been cleared)' });
    if (!one[2]) return json(200, mail);
    // The message's own HTML, sandboxed: no scripts, no requests anywhere, inline styles as mail clients allow.
    return {
      status: 200,
      type: 'text/html; charset=utf-8',
      body: mail.html ?? `<pre>${escapeHtml(mail.text)}</pre>`,
      csp: "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox",
    };
  }
  return json(404, { error: 'Not found' });
}

interface Store {
  messages: CaughtMail[];
  next: number;
  waiters: Set<() => void>;
}

/**
 * Starts the catcher.
 * @param options.smtpPort the SMTP port (0 for any free one; `npm start` uses 1025).
 * @param options.webPort the web page's port (0 for any free one; `npm start` uses 1080).
 * @param options.maxMessages how many messages are kept (the oldest are dropped past it).
 */
export async function startMailCatcher(
  options: { smtpPort?: number; webPort?: number; maxMessages?: number; log?: (line: string) => void } = {},
): Promise<MailCatcher> {
  const maxMessages = options.maxMessages ?? 1000;
  const store: Store = { messages: [], next: 1, waiters: new Set() };
  const smtp = new SMTPServer({
    // Plain SMTP on the loopback interface, as local catchers speak: no TLS certificate to manage, any
    // client accepted with or without credentials.
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'local' }),
    size: MAX_MESSAGE_BYTES,
    rejectOversized: true,
    logger: false,
    // A client may send as many commands as it likes without signing in: there is nothing to protect.
    maxAllowedUnauthenticatedCommands: false,
    // Stopping waits this long at most for a client to hang up.
    closeTimeout: 1000,
    banner: 'Local mail catcher: nothing is relayed',
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: CaughtMail = {
            id: String(store.next++),
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : null,
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            subject: parsed.subject ?? '',
            from: addressesOf(parsed.from)[0] ?? '',
            to: addressesOf(parsed.to),
            headers: headersOf(parsed.headerLines),
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : null,
            messageId: parsed.messageId ?? null,
          };
          store.messages.push(mail);
          if (store.messages.length > maxMessages)
            store.messages.splice(0, store.messages.length - maxMessages);
          for (const wake of store.waiters) wake();
          callback();
        })
        .catch((error: unknown) => callback(error as Error));
    },
  });
  const web: Server = createServer((request, response) => send(response, answer(request, store)));

  const smtpPort = await new Promise<number>((done, fail) => {
    const failed = (error: Error) =>
      fail(new MailCatcherError(`The mail catcher's SMTP server could not listen: ${error.message}`));
    smtp.once('error', failed);
    const server = smtp.listen(options.smtpPort ?? 0, '127.0.0.1', () => {
      smtp.off('error', failed);
      done((server.address() as AddressInfo).port);
    });
  });
  let webPort: number;
  try {
    webPort = await new Promise<number>((done, fail) => {
      const failed = (error: Error) =>
        fail(new MailCatcherError(`The mail catcher's web page could not listen: ${error.message}`));
      web.once('error', failed);
      web.listen(options.webPort ?? 0, '127.0.0.1', () => {
        web.off('error', failed);
        done((web.address() as AddressInfo).port);
      });
    });
  } catch (error) {
    await new Promise<void>((done) => smtp.close(() => done()));
    throw error;
  }
  const url = `http://127.0.0.1:${webPort}`;
  options.log?.(`Local mail catcher: SMTP on 127.0.0.1:${smtpPort}, caught mail at ${url}`);

  let stopped = false;
  return {
    smtpEndpoint: `smtp://127.0.0.1:${smtpPort}`,
    smtpPort,
    url,
    messages: () => [...store.messages],
    clear: () => {
      store.messages.length = 0;
    },
    waitFor(match, timeoutMs = 5000) {
      return new Promise<CaughtMail>((done, fail) => {
        const check = () => {
          const found = store.messages.find(match);
          if (!found) return false;
          clearTimeout(timer);
          store.waiters.delete(wake);
          done(found);
          return true;
        };
        const wake = () => void check();
        const timer = setTimeout(() => {
          store.waiters.delete(wake);
          fail(new MailCatcherError(`No matching message arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        if (!check()) store.waiters.add(wake);
      });
    },
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((done) => {
        web.close(() => done());
        web.closeAllConnections();
      });
      await new Promise<void>((done) => smtp.close(() => done()));
    },
  };
}
