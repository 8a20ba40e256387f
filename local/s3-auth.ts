/**
 * What S3 checks before it lets a request touch an object, for the local S3-compatible server
 * (`s3-server.ts`): AWS Signature Version 4 on presigned URLs and on `Authorization` headers, and the
 * signature and conditions of a browser POST policy. s3rver, the server underneath, accepts any V4 signature
 * from a known key and ignores POST policies, so without this a presigned URL whose key was edited would
 * reach another object locally while S3 refuses it – and the tests that show it refused would prove nothing.
 *
 * Built from the published algorithm (`sigv4-query-string-auth`, `sigv4-authenticating-requests`,
 * `sigv4-HTTPPOSTConstructPolicy`), with `node:crypto` only, not with the SDK's signer: a verifier that
 * shares the signer's code would agree with any mistake in it. Not checked: the payload hash of
 * header-signed requests (the server's own SDK calls; presigned URLs carry `UNSIGNED-PAYLOAD`, as from S3).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A key pair the server accepts. */
export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The outcome of a check: pass, or the S3 error to answer with. */
export type S3Verdict = { ok: true } | { ok: false; status: number; code: string; message: string };

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** S3 refuses requests signed more than 15 minutes away from its clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;
/** The longest validity a presigned URL may ask for: 7 days. */
const MAX_EXPIRES_SECONDS = 7 * 24 * 3600;

const refuse = (status: number, code: string, message: string): S3Verdict => ({
  ok: false,
  status,
  code,
  message,
});
const denied = (message: string) => refuse(403, 'AccessDenied', message);
const mismatch = () =>
  refuse(
    403,
    'SignatureDoesNotMatch',
    'The request signature we calculated does not match the signature you provided.',
  );

/** RFC 3986 percent-encoding, as SigV4 spells it (every byte but unreserved characters). */
export function uriEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/** The SigV4 signing key of a secret for one day, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
}

function sameSignature(expected: string, given: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A query string's parameters, decoded, in order (a parameter may repeat). */
export function queryParameters(rawQuery: string): [string, string][] {
  return rawQuery
    .split('&')
    .filter((part) => part !== '')
    .map((part) => {
      const at = part.indexOf('=');
      const name = at === -1 ? part : part.slice(0, at);
      const value = at === -1 ? '' : part.slice(at + 1);
      return [safeDecode(name), safeDecode(value)];
    });
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    // A malformed escape is signed as sent; it then matches no signature the SDK made.
    return value;
  }
}

function canonicalQuery(parameters: [string, string][]): string {
  return parameters
    .map(([name, value]) => [uriEncode(name), uriEncode(value)] as const)
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
}

type Headers = Record<string, string | string[] | undefined>;

function headerValue(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value.join(',') : value).trim().replace(/\s+/g, ' ');
}

/** The pieces of a credential scope: `<key id>/<yyyymmdd>/<region>/<service>/aws4_request`. */
function parseCredential(
  credential: string,
): { accessKeyId: string; date: string; region: string; service: string } | undefined {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!/^\d{8}$/.test(date) || region === '' || service !== 's3') return undefined;
  return { accessKeyId, date, region, service };
}

/** `yyyymmddThhmmssZ` as a time, or NaN. */
function amzTime(value: string | undefined): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** A request as it arrived: method, path and query exactly as sent, headers lower-cased (as Node has them). */
export interface SignedRequest {
  method: string;
  /** `req.url`: the raw path and query. */
  url: string;
  headers: Headers;
}

function splitUrl(url: string): { path: string; query: string } {
  const at = url.indexOf('?');
  return at === -1 ? { path: url, query: '' } : { path: url.slice(0, at), query: url.slice(at + 1) };
}

function signatureOf(
  request: SignedRequest,
  signedHeaders: string[],
  parameters: [string, string][],
  payloadHash: string,
  scope: { date: string; region: string; service: string },
  amzDate: string,
  secret: string,
): string | undefined {
  const canonicalHeaders: string[] = [];
  for (const name of signedHeaders) {
    const value = headerValue(request.headers, name);
    // A signed header the request does not carry cannot be what was signed.
    if (value === undefined) return undefined;
    canonicalHeaders.push(`${name}:${value}\n`);
  }
  const { path } = splitUrl(request.url);
  const canonicalRequest = [
    request.method,
    path,
    canonicalQuery(parameters),
    canonicalHeaders.join(''),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
  const credentialScope = `${scope.date}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = [ALGORITHM, amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  return createHmac('sha256', signingKey(secret, scope.date, scope.region, scope.service))
    .update(stringToSign)
    .digest('hex');
}

function validSignedHeaders(list: string): string[] | undefined {
  const names = list.split(';');
  if (names.some((n) => n === '' || n !== n.toLowerCase()) || !names.includes('host')) return undefined;
  const sorted = [...names].sort();
  return sorted.every((n, i) => n === names[i]) ? names : undefined;
}

/** Checks a presigned URL (`X-Amz-Algorithm` and friends in the query). */
export function verifyPresignedRequest(
  request: SignedRequest,
  keys: readonly S3Credentials[],
  now: Date,
): S3Verdict {
  const parameters = queryParameters(splitUrl(request.url).query);
  const get = (name: string) => parameters.find(([n]) => n === name)?.[1];
  if (get('X-Amz-Algorithm') !== ALGORITHM)
    return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm must be AWS4-HMAC-SHA256.');
  const scope = parseCredential(get('X-Amz-Credential') ?? '');
  const amzDate = get('X-Amz-Date') ?? '';
  const signedHeaders = validSignedHeaders(get('X-Amz-SignedHeaders') ?? '');
  const expires = Number(get('X-Amz-Expires'));
  const given = get('X-Amz-Signature');
  if (!scope || !signedHeaders || !given || !Number.isInteger(expires) || !amzDate.startsWith(scope.date))
    return refuse(400, 'AuthorizationQueryParametersError', 'The presigned URL is malformed.');
  if (expires < 1 || expires > MAX_EXPIRES_SECONDS)
    return refuse(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be 1 to 604800 seconds.');
  const signedAt = amzTime(amzDate);
  if (Number.isNaN(signedAt)) return denied('X-Amz-Date is malformed.');
  if (signedAt - now.getTime() > MAX_SKEW_MS) return denied('Request is not valid yet.');
  if (now.getTime() > signedAt + expires * 1000) return denied('Request has expired');
  const key = keys.find((k) => k.accessKeyId === scope.accessKeyId);
  if (!key)
    return refuse(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  const expected = signatureOf(
    request,
    signedHeaders,
    parameters.filter(([name]) => name !== 'X-Amz-Signature'),
    get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
    scope,
    amzDate,
    key.secretAccessKey,
  );
  return expected !== undefined && sameSignature(expected, given) ? { ok: true } : mismatch();
}

/** Checks a request signed in its `Authorization` header (the SDK's own calls). */
export function verifyHeaderSignedRequest(
  request: SignedRequest,
  keys: readonly S3Credentials[],
  now: Date,
): S3Verdict {
  const authorization = headerValue(request.headers, 'authorization') ?? '';
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^,]+), ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      authorization,
    );
  if (!match) return refuse(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const [, credential, headerList, given] = match as unknown as [string, string, string, string];
  const scope = parseCredential(credential);
  const signedHeaders = validSignedHeaders(headerList);
  const amzDate = headerValue(request.headers, 'x-amz-date') ?? '';
  const payloadHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (!scope || !signedHeaders || !payloadHash || !amzDate.startsWith(scope.date))
    return refuse(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed.');
  const signedAt = amzTime(amzDate);
  if (Number.isNaN(signedAt) || Math.abs(signedAt - now.getTime()) > MAX_SKEW_MS)
    return refuse(
      403,
      'RequestTimeTooSkewed',
      'The difference between the request time and now is too large.',
    );
  const key = keys.find((k) => k.accessKeyId === scope.accessKeyId);
  if (!key)
    return refuse(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  const expected = signatureOf(
    request,
    signedHeaders,
    queryParameters(splitUrl(request.url).query),
    payloadHash,
    scope,
    amzDate,
    key.secretAccessKey,
  );
  return expected !== undefined && sameSignature(expected, given) ? { ok: true } : mismatch();
}

/** A browser POST upload: its form fields (names as sent) and the size of its file. */
export interface PostUpload {
  bucket: string;
  fields: [string, string][];
  fileSize: number;
}

type Condition =
  | { kind: 'eq'; name: string; value: string }
  | { kind: 'starts-with'; name: string; value: string }
  | { kind: 'content-length-range'; min: number; max: number };

function parseConditions(raw: unknown): Condition[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  const conditions: Condition[] = [];
  for (const entry of raw) {
    if (Array.isArray(entry)) {
      const [op, a, b] = entry as unknown[];
      if (op === 'content-length-range' && Number.isInteger(a) && Number.isInteger(b)) {
        conditions.push({ kind: 'content-length-range', min: Number(a), max: Number(b) });
      } else if (
        (op === 'eq' || op === 'starts-with') &&
        typeof a === 'string' &&
        a.startsWith('$') &&
        typeof b === 'string'
      ) {
        conditions.push({ kind: op, name: a.slice(1).toLowerCase(), value: b });
      } else return undefined;
    } else if (entry && typeof entry === 'object') {
      const pairs = Object.entries(entry as Record<string, unknown>);
      if (pairs.length !== 1 || typeof pairs[0]?.[1] !== 'string') return undefined;
      conditions.push({ kind: 'eq', name: pairs[0][0].toLowerCase(), value: pairs[0][1] as string });
    } else return undefined;
  }
  return conditions;
}

/** Fields every POST form has that no condition names (S3's own list). */
const UNCONDITIONED_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);

/**
 * Checks a browser POST upload as S3 does: the policy is signed by a known key and not expired, every
 * condition holds (`eq`, `starts-with`, `content-length-range`), and every form field but the policy, the
 * signature, the file and `x-ignore-*` ones is named by a condition.
 */
export function verifyPostPolicy(upload: PostUpload, keys: readonly S3Credentials[], now: Date): S3Verdict {
  const fields = new Map<string, string>();
  for (const [name, value] of upload.fields) {
    // One value per field, whatever its case: with two `key` fields (one before the file, one after it, or
    // `Key` and `key`) s3rver stores the object under one while this would check the other, so a form
    // signed for one key could write any other.
    if (fields.has(name.toLowerCase()))
      return refuse(400, 'InvalidArgument', `The form has more than one ${name} field.`);
    fields.set(name.toLowerCase(), value);
  }
  const policy = fields.get('policy');
  const given = fields.get('x-amz-signature');
  const scope = parseCredential(fields.get('x-amz-credential') ?? '');
  const amzDate = fields.get('x-amz-date') ?? '';
  if (
    !policy ||
    !given ||
    !scope ||
    fields.get('x-amz-algorithm') !== ALGORITHM ||
    !amzDate.startsWith(scope.date)
  )
    return denied('The form is not a signed POST policy upload.');
  const key = keys.find((k) => k.accessKeyId === scope.accessKeyId);
  if (!key)
    return refuse(
      403,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  const expected = createHmac(
    'sha256',
    signingKey(key.secretAccessKey, scope.date, scope.region, scope.service),
  )
    .update(policy)
    .digest('hex');
  if (!sameSignature(expected, given)) return mismatch();
  let policyDocument: { expiration?: unknown; conditions?: unknown };
  try {
    policyDocument = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as typeof policyDocument;
  } catch {
    return refuse(400, 'InvalidPolicyDocument', 'The policy is not valid JSON.');
  }
  const expiration =
    typeof policyDocument.expiration === 'string' ? Date.parse(policyDocument.expiration) : Number.NaN;
  if (Number.isNaN(expiration)) return refuse(400, 'InvalidPolicyDocument', 'The policy has no expiration.');
  if (now.getTime() > expiration) return denied('Invalid according to Policy: Policy expired.');
  const conditions = parseConditions(policyDocument.conditions);
  if (!conditions) return refuse(400, 'InvalidPolicyDocument', 'The policy conditions are malformed.');
  const fieldValue = (name: string) => (name === 'bucket' ? upload.bucket : fields.get(name));
  for (const condition of conditions) {
    if (condition.kind === 'content-length-range') {
      if (upload.fileSize > condition.max)
        return refuse(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      if (upload.fileSize < condition.min)
        return refuse(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
      continue;
    }
    const actual = fieldValue(condition.name);
    const holds =
      actual !== undefined &&
      (condition.kind === 'eq' ? actual === condition.value : actual.startsWith(condition.value));
    if (!holds)
      return denied(
        `Invalid according to Policy: Policy Condition failed: ["${condition.kind}", "$${condition.name}", "${condition.value}"]`,
      );
  }
  const named = new Set(conditions.flatMap((c) => (c.kind === 'content-length-range' ? [] : [c.name])));
  for (const name of fields.keys()) {
    if (UNCONDITIONED_FIELDS.has(name) || name.startsWith('x-ignore-')) continue;
    if (!named.has(name)) return denied(`Invalid according to Policy: Extra input fields: ${name}`);
  }
  return { ok: true };
}
