/**
 * The local S3-compatible server (`local/s3-server.ts`, s3rver behind a checking front), as started for the
 * whole test run: it refuses what S3 refuses – an edited key, an expired URL, a wrong secret, a request
 * without a signature, a form outside its policy – and serves what S3 serves, with s3rver underneath.
 */
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { config } from '../../shared/config';
import { documentStorage, s3Client } from '../../shared/storage/documents';

const key = (name: string) => `competitions/01JTESTS3SERVER0000000000${name}/documents/D/v000001`;
const storage = () => documentStorage();

describe('presigned URLs', () => {
  it('a PUT then a GET round-trip the bytes; HeadObject through the SDK (header-signed) sees them', async () => {
    const body = Buffer.from('hello, documents');
    const { url } = await storage().uploadUrl(
      { key: key('A1'), contentType: 'text/plain', sizeBytes: body.length },
      { now: new Date(), expiresSeconds: 60 },
    );
    expect(
      (await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } })).status,
    ).toBe(200);
    expect(await storage().head(key('A1'))).toMatchObject({
      sizeBytes: body.length,
      contentType: 'text/plain',
    });
    const download = await storage().downloadUrl(
      { key: key('A1'), contentDisposition: 'attachment; filename="a.txt"', contentType: 'text/plain' },
      { now: new Date(), expiresSeconds: 60 },
    );
    const got = await fetch(download.url);
    expect(await got.text()).toBe('hello, documents');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="a.txt"');
  });

  it('an expired URL is refused', async () => {
    const { url } = await storage().downloadUrl(
      { key: key('A1'), contentDisposition: 'attachment', contentType: 'text/plain' },
      { now: new Date(Date.now() - 3_600_000), expiresSeconds: 60 },
    );
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Request has expired');
  });

  it('a URL signed with another secret, or with its signature edited, is refused', async () => {
    const forger = new S3Client({
      region: config().region,
      endpoint: config().documents.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'local', secretAccessKey: 'guessed' },
    });
    await expect(
      forger.send(new HeadObjectCommand({ Bucket: config().documents.bucket, Key: key('A1') })),
    ).rejects.toMatchObject({
      $metadata: { httpStatusCode: 403 },
    });
    const { url } = await storage().downloadUrl(
      { key: key('A1'), contentDisposition: 'attachment', contentType: 'text/plain' },
      { now: new Date(), expiresSeconds: 60 },
    );
    const edited = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    expect((await fetch(edited)).status).toBe(403);
    // Its response headers are signed too: asking for another file name breaks it.
    expect((await fetch(url.replace('attachment', 'inline'))).status).toBe(403);
  });

  it('nothing is served without a signature', async () => {
    const anonymous = await fetch(`${config().documents.endpoint}/${config().documents.bucket}/${key('A1')}`);
    expect(anonymous.status).toBe(403);
    expect(s3Client()).toBe(s3Client());
  });
});

describe('browser POST forms', () => {
  const form = () =>
    storage().uploadForm(
      {
        key: key('P1'),
        contentType: 'application/pdf',
        maxBytes: 16,
        metadata: {},
        redirect: 'http://localhost/back',
      },
      { now: new Date(), expiresSeconds: 60 },
    );
  const post = async (fields: Record<string, string>, url: string, file: Buffer) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append('file', new Blob([file]), 'f.pdf');
    return fetch(url, { method: 'POST', body, redirect: 'manual' });
  };

  it('refuses a file over the size range, another type, an extra field, another key or a forged policy; stores nothing', async () => {
    const { url, fields } = await form();
    const cases: [Record<string, string>, Buffer, number][] = [
      [fields, Buffer.alloc(17), 400],
      [fields, Buffer.alloc(0), 400],
      [{ ...fields, 'Content-Type': 'text/html' }, Buffer.alloc(4), 403],
      [{ ...fields, 'x-amz-meta-extra': 'x' }, Buffer.alloc(4), 403],
      [{ ...fields, key: key('P2') }, Buffer.alloc(4), 403],
      [
        {
          ...fields,
          Policy: Buffer.from('{"expiration":"2999-01-01T00:00:00Z","conditions":[]}').toString('base64'),
        },
        Buffer.alloc(4),
        403,
      ],
    ];
    for (const [sent, file, status] of cases) expect((await post(sent, url, file)).status).toBe(status);
    expect(await storage().head(key('P1'))).toBeUndefined();
    expect(await storage().head(key('P2'))).toBeUndefined();
  });

  it('takes a file within the policy and redirects where the form says', async () => {
    const { url, fields } = await form();
    const response = await post(fields, url, Buffer.from('%PDF-1.4'));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^http:\/\/localhost\/back\?bucket=.*&key=.*&etag=/);
    expect(await storage().head(key('P1'))).toMatchObject({ sizeBytes: 8, contentType: 'application/pdf' });
  });
});
