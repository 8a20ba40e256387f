/**
 * The local S3-compatible server: s3rver (the npm package; objects as files under a directory) behind a
 * small front that checks what S3 checks before it serves a request (`s3-auth.ts`): SigV4 signatures on
 * presigned URLs and on the SDK's own calls, and the signature and conditions of browser POST forms. s3rver
 * alone accepts any V4 signature and ignores POST policies and `If-Match` conditions; with the front, a
 * presigned URL whose key was changed, an expired one, a form upload over its size limit, or a read or
 * copy conditioned on an object that has changed since is refused locally as in AWS. Requests
 * without a signature are refused too, as on a bucket that blocks public access.
 *
 * Started and stopped by the local stack like DynamoDB Local (`stack.ts`), and once per test run by the
 * test global setup; `S3_ENDPOINT` points everything elsewhere (LocalStack) instead.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import S3rver from 's3rver';
import { LOCAL_S3_KEY } from '../shared/storage/documents';
import { parseMultipart } from '../shared/web/multipart';
import {
  type S3Credentials,
  type S3Verdict,
  verifyHeaderSignedRequest,
  verifyPostPolicy,
  verifyPresignedRequest,
} from './s3-auth';

/**
 * The key pair of the local server: the one the service's S3 client uses whenever `S3_ENDPOINT` is set (as
 * DynamoDB Local gets fixed credentials), so a developer's real AWS credentials never reach a local run.
 * LocalStack accepts any key.
 */
export const LOCAL_S3_CREDENTIALS: S3Credentials = LOCAL_S3_KEY;

/** s3rver's own account: the front re-signs forwarded requests as it, once it has checked them itself. */
const S3RVER_KEY_ID = 'S3RVER';

/** The largest form upload the front buffers to check (S3's own POST limit is 5 GB; ours are 25 MB). */
const MAX_POST_BODY_BYTES = 64 * 1024 * 1024;

/** Query parameters of a presigned URL: checked by the front, never passed to s3rver. */
const AUTH_PARAMETERS = new Set(
  [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
    'X-Amz-Security-Token',
    'X-Amz-Content-Sha256',
  ].map((name) => name.toLowerCase()),
);

/** Raised when the server cannot start. */
export class S3LocalError extends Error {
  override readonly name = 'S3LocalError';
}

/** A running local S3. */
export interface S3Local {
  endpoint: string;
  port: number;
  /** Stops the front and s3rver (and removes a temporary directory). */
  stop(): Promise<void>;
}

function s3Error(response: ServerResponse, verdict: Extract<S3Verdict, { ok: false }>): void {
  const xmlEscape = (text: string) => text.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  response.writeHead(verdict.status, { 'content-type': 'application/xml' });
  response.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${verdict.code}</Code><Message>${xmlEscape(verdict.message)}</Message></Error>`,
  );
}

function readBody(incoming: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    incoming.on('end', () => done(size <= limit ? Buffer.concat(chunks) : undefined));
    incoming.on('error', fail);
  });
}

/** The path and query to forward: the presigned URL's auth parameters removed, everything else as sent. */
function forwardedUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const kept = url
    .slice(at + 1)
    .split('&')
    .filter((part) => {
      const name = part.split('=')[0] ?? '';
      try {
        return part !== '' && !AUTH_PARAMETERS.has(decodeURIComponent(name).toLowerCase());
      } catch {
        return true;
      }
    });
  return kept.length > 0 ? `${url.slice(0, at)}?${kept.join('&')}` : url.slice(0, at);
}

/**
 * Headers for s3rver once the front has verified the request: s3rver's own account in place of the caller's
 * signature (it checks no V4 signature, but response-header overrides need a signed request).
 */
function forwardedHeaders(
  headers: IncomingMessage['headers'],
  signed: boolean,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === 'authorization' || name === 'x-amz-date') continue;
    out[name] = value;
  }
  if (signed) {
    const now = new Date().toISOString().replace(/[-:]|\.\d+/g, '');
    out['x-amz-date'] = now;
    out['x-amz-content-sha256'] ??= 'UNSIGNED-PAYLOAD';
    out.authorization = `AWS4-HMAC-SHA256 Credential=${S3RVER_KEY_ID}/${now.slice(0, 8)}/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${'0'.repeat(64)}`;
  }
  return out;
}

function forward(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  upstreamPort: number,
  options: { signed: boolean; body?: Buffer },
): void {
  const upstream = request(
    {
      host: '127.0.0.1',
      port: upstreamPort,
      method: incoming.method,
      path: forwardedUrl(incoming.url ?? '/'),
      headers: forwardedHeaders(incoming.headers, options.signed),
    },
    (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    },
  );
  upstream.on('error', (error) => {
    if (!outgoing.headersSent)
      s3Error(outgoing, { ok: false, status: 502, code: 'InternalError', message: error.message });
    else outgoing.destroy(error);
  });
  if (options.body) upstream.end(options.body);
  else incoming.pipe(upstream);
}

/** The entity tag of what s3rver holds under a path-style object path, or undefined when nothing is. */
function upstreamEtag(path: string, upstreamPort: number): Promise<string | undefined> {
  return new Promise((done, fail) => {
    const head = request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: 'HEAD',
        path,
        headers: forwardedHeaders({}, true),
      },
      (answer) => {
        answer.resume();
        const etag = answer.headers.etag;
        done(answer.statusCode === 200 && typeof etag === 'string' ? etag : undefined);
      },
    );
    head.on('error', fail);
    head.end();
  });
}

/**
 * S3's conditions on the object a request reads or copies from – `If-Match` on a GET or HEAD,
 * `x-amz-copy-source-if-match` on a copy – which s3rver ignores: without them a confirmation that checks
 * a file and then copies it could copy another file written in between, locally though not in AWS. A 412
 * `PreconditionFailed` when the object's entity tag is not the one named (or nothing is there).
 */
async function checkIfMatch(incoming: IncomingMessage, upstreamPort: number): Promise<S3Verdict> {
  const copySource = incoming.headers['x-amz-copy-source'];
  const wanted =
    typeof copySource === 'string'
      ? incoming.headers['x-amz-copy-source-if-match']
      : incoming.method === 'GET' || incoming.method === 'HEAD'
        ? incoming.headers['if-match']
        : undefined;
  if (typeof wanted !== 'string') return { ok: true };
  const path =
    typeof copySource === 'string'
      ? `/${copySource.replace(/^\//, '').split('?')[0] ?? ''}`
      : ((incoming.url ?? '/').split('?')[0] ?? '/');
  const etag = await upstreamEtag(path, upstreamPort);
  const bare = (tag: string) => tag.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (etag !== undefined && wanted.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag)))
    return { ok: true };
  return {
    ok: false,
    status: 412,
    code: 'PreconditionFailed',
    message: 'At least one of the pre-conditions you specified did not hold',
  };
}

/** The bucket of a path-style request (`/<bucket>/…`). */
function bucketOf(url: string): string {
  return decodeURIComponent((url.split('?')[0] ?? '').split('/')[1] ?? '');
}

async function handle(
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  upstreamPort: number,
  keys: readonly S3Credentials[],
): Promise<void> {
  const now = new Date();
  const signedRequest = {
    method: incoming.method ?? 'GET',
    url: incoming.url ?? '/',
    headers: incoming.headers,
  };
  const url = signedRequest.url;
  if (/[?&]X-Amz-Algorithm=/i.test(url)) {
    const verdict = verifyPresignedRequest(signedRequest, keys, now);
    if (!verdict.ok) return s3Error(outgoing, verdict);
    return forward(incoming, outgoing, upstreamPort, { signed: true });
  }
  if (incoming.headers.authorization) {
    const verdict = verifyHeaderSignedRequest(signedRequest, keys, now);
    if (!verdict.ok) return s3Error(outgoing, verdict);
    const precondition = await checkIfMatch(incoming, upstreamPort);
    if (!precondition.ok) return s3Error(outgoing, precondition);
    return forward(incoming, outgoing, upstreamPort, { signed: true });
  }
  const contentType = incoming.headers['content-type'] ?? '';
  if (incoming.method === 'POST' && contentType.startsWith('multipart/form-data')) {
    const body = await readBody(incoming, MAX_POST_BODY_BYTES);
    if (!body)
      return s3Error(outgoing, {
        ok: false,
        status: 400,
        code: 'EntityTooLarge',
        message: 'Your proposed upload exceeds the maximum allowed size',
      });
    let form: Awaited<ReturnType<typeof parseMultipart>>;
    try {
      form = await parseMultipart(body, contentType, {
        maxFileBytes: MAX_POST_BODY_BYTES,
        maxFieldBytes: 64 * 1024,
        maxParts: 30,
      });
    } catch {
      return s3Error(outgoing, {
        ok: false,
        status: 400,
        code: 'MalformedPOSTRequest',
        message: 'The body of your POST request is not well-formed multipart/form-data.',
      });
    }
    const file = form.files.get('file');
    if (!file)
      return s3Error(outgoing, {
        ok: false,
        status: 400,
        code: 'InvalidArgument',
        message: 'POST requires exactly one file upload per request.',
      });
    const verdict = verifyPostPolicy(
      { bucket: bucketOf(url), fields: [...form.fields.entries()], fileSize: file.content.length },
      keys,
      now,
    );
    if (!verdict.ok) return s3Error(outgoing, verdict);
    return forward(incoming, outgoing, upstreamPort, { signed: false, body });
  }
  // Nothing is public: the documents bucket blocks public access.
  return s3Error(outgoing, { ok: false, status: 403, code: 'AccessDenied', message: 'Access Denied' });
}

/**
 * Starts the local S3 server with the given buckets (created if missing).
 * @param options.directory where objects are kept; `undefined` for a temporary directory removed at stop.
 * @param options.port the port to listen on, or a free one.
 */
export async function startS3Local(options: {
  directory?: string;
  port?: number;
  buckets: readonly string[];
  log?: (line: string) => void;
}): Promise<S3Local> {
  const temporary = options.directory === undefined;
  const directory = options.directory ? resolve(options.directory) : mkdtempSync(join(tmpdir(), 's3-local-'));
  mkdirSync(directory, { recursive: true });
  const backend = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // Path-style only: every request names its bucket in the path, as the service's client sends them.
    vhostBuckets: false,
    configureBuckets: options.buckets.map((name) => ({ name, configs: [] })),
  });
  let upstream: AddressInfo;
  try {
    upstream = (await backend.run()) as AddressInfo;
  } catch (error) {
    if (temporary) rmSync(directory, { recursive: true, force: true });
    throw new S3LocalError(`s3rver did not start: ${(error as Error).message}`);
  }
  const keys = [LOCAL_S3_CREDENTIALS];
  const front: Server = createServer((incoming, outgoing) => {
    handle(incoming, outgoing, upstream.port, keys).catch((error: unknown) => {
      if (!outgoing.headersSent)
        s3Error(outgoing, {
          ok: false,
          status: 500,
          code: 'InternalError',
          message: (error as Error).message,
        });
    });
  });
  try {
    await new Promise<void>((done, fail) => {
      front.once('error', fail);
      front.listen(options.port ?? 0, '127.0.0.1', () => done());
    });
  } catch (error) {
    await backend.close();
    if (temporary) rmSync(directory, { recursive: true, force: true });
    throw new S3LocalError(`The local S3 server could not listen: ${(error as Error).message}`);
  }
  const port = (front.address() as AddressInfo).port;
  options.log?.(`Local S3 (s3rver) listening on 127.0.0.1:${port}, objects in ${directory}`);
  let stopped = false;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((done) => {
        front.close(() => done());
        front.closeAllConnections();
      });
      await backend.close();
      if (temporary) rmSync(directory, { recursive: true, force: true });
    },
  };
}
