/**
 * A raw HTTP client for the fuzz suite. `fetch` would normalise the path (resolve `..`, encode what it
 * finds unsafe) and add a `text/plain` content type to string bodies; this sends the request line, the
 * headers and the body bytes exactly as given, so the gateway sees what a hostile client can send.
 */
import { request } from 'node:http';

/** One request, as sent. */
export interface RawRequest {
  method: string;
  /** Path and query, sent as is (already escaped where the case wants it escaped). */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
}

/** What came back. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** Sends a request to `baseUrl`; rejects on a network error or after `timeoutMs` without an answer. */
export function send(baseUrl: string, req: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    // A server may answer before it has read the whole body (a body over its limit) and close the
    // connection, failing the rest of the upload: the answer counts, not the broken pipe after it.
    let answered = false;
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: req.method,
        path: req.target,
        headers: { ...req.headers, 'content-length': String(req.body?.length ?? 0) },
        // A fresh connection each time: one request's broken body never bleeds into the next.
        agent: false,
      },
      (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({ status: res.statusCode ?? 0, headers, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    outgoing.setTimeout(timeoutMs, () => {
      reject(new Error(`No answer within ${timeoutMs} ms`));
      outgoing.destroy();
    });
    outgoing.on('error', (error) => {
      if (!answered) reject(error);
    });
    outgoing.end(req.body);
  });
}

const shellQuote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

/**
 * A one-line curl reproduction. Long bodies are described rather than inlined; a token is named by
 * its caller (`$TOKEN_owner`), since tokens are minted per run.
 */
export function curlOf(req: RawRequest, caller: string, baseUrl = 'http://localhost:3000'): string {
  const parts = ['curl -sS --path-as-is', '-X', req.method];
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'authorization' && value.startsWith('Bearer ') && caller !== 'garbage-token')
      parts.push('-H', `"authorization: Bearer $TOKEN_${caller.replace(/-/g, '_')}"`);
    else parts.push('-H', shellQuote(`${name}: ${value}`));
  }
  if (req.body && req.body.length > 0) {
    const text = req.body.toString('utf8');
    // Control characters (other than tab and line ends) would not survive a shell line.
    const control = [...text].some((c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 && c !== '\t' && c !== '\n' && c !== '\r';
    });
    const printable = Buffer.from(text, 'utf8').equals(req.body) && !control;
    if (req.body.length <= 1500 && printable) parts.push('--data-binary', shellQuote(text));
    else if (printable)
      parts.push(
        '--data-binary',
        `"<${req.body.length} bytes: ${JSON.stringify(text.slice(0, 120)).slice(1, -1)}…>"`,
      );
    else
      parts.push(
        '--data-binary',
        `"<${req.body.length} bytes, base64 ${req.body.toString('base64').slice(0, 80)}…>"`,
      );
  }
  parts.push(shellQuote(`${baseUrl}${req.target}`));
  return parts.join(' ');
}
