/**
 * Two small stand-ins for AWS, so a handler can run configured as it is in Lambda against DynamoDB Local:
 *
 * - `startFakeSts`: STS `AssumeRole` (query protocol, XML answer) that hands out a session token per call
 *   and remembers the session's tags;
 * - `startIamProxy`: an HTTP proxy in front of DynamoDB Local that applies IAM as the test IAM evaluator
 *   reads it (`iam-simulator.ts`) to every request: requests signed with a session token from the fake STS
 *   are judged by the assumed role's statements and that session's tags, every other request by the
 *   function role's statements. Refusals are answered as DynamoDB answers them.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  accessDeniedBody,
  type ItemRequest,
  logicalTables,
  refusedItem,
  type SimStatement,
} from './iam-simulator';

/** A running fake. */
export interface FakeServer {
  url: string;
  close(): Promise<void>;
}

/** What the fake STS saw. */
export interface AssumeRoleCall {
  roleArn: string;
  roleSessionName: string;
  durationSeconds: number;
  tags: Record<string, string>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function listen(server: Server): Promise<FakeServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Starts a fake STS; `sessions` gets each issued session token's tags. */
export async function startFakeSts(
  sessions: Map<string, Record<string, string>>,
  calls: AssumeRoleCall[],
): Promise<FakeServer> {
  const server = createServer(async (req, res) => {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    if (form.get('Action') !== 'AssumeRole') {
      res.writeHead(400, { 'content-type': 'text/xml' }).end('<ErrorResponse/>');
      return;
    }
    const tags: Record<string, string> = {};
    for (let i = 1; form.has(`Tags.member.${i}.Key`); i += 1)
      tags[form.get(`Tags.member.${i}.Key`) as string] = form.get(`Tags.member.${i}.Value`) ?? '';
    calls.push({
      roleArn: form.get('RoleArn') ?? '',
      roleSessionName: form.get('RoleSessionName') ?? '',
      durationSeconds: Number(form.get('DurationSeconds')),
      tags,
    });
    const token = `fake-session-${calls.length}`;
    sessions.set(token, tags);
    const expiration = new Date(Date.now() + 900_000).toISOString();
    res
      .writeHead(200, { 'content-type': 'text/xml' })
      .end(
        `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>` +
          `<Credentials><AccessKeyId>ASIAFAKE${calls.length}</AccessKeyId><SecretAccessKey>fake</SecretAccessKey>` +
          `<SessionToken>${token}</SessionToken><Expiration>${expiration}</Expiration></Credentials>` +
          `<AssumedRoleUser><AssumedRoleId>AROAFAKE:${form.get('RoleSessionName')}</AssumedRoleId>` +
          `<Arn>arn:aws:sts::123456789012:assumed-role/provider-data/${form.get('RoleSessionName')}</Arn></AssumedRoleUser>` +
          `</AssumeRoleResult><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></AssumeRoleResponse>`,
      );
  });
  return listen(server);
}

/** A request the proxy refused, and whose it was. */
export interface ProxyRefusal {
  principal: 'function' | 'assumed';
  tags: Record<string, string>;
  request: ItemRequest;
}

/** Starts the IAM proxy in front of `target` (DynamoDB Local). `tables` maps logical to physical names. */
export async function startIamProxy(options: {
  target: string;
  tables: Readonly<Record<string, string>>;
  functionRole: readonly SimStatement[];
  assumedRole: readonly SimStatement[];
  sessions: ReadonlyMap<string, Record<string, string>>;
  refusals: ProxyRefusal[];
}): Promise<FakeServer> {
  const target = new URL(options.target);
  const logical = logicalTables(options.tables);
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const token = req.headers['x-amz-security-token'];
    const principal = typeof token === 'string' ? 'assumed' : 'function';
    // The function role needs no tags; an assumed-role session IAM does not know is refused outright.
    const tags = typeof token === 'string' ? options.sessions.get(token) : {};
    const refused = refusedItem({
      target: String(req.headers['x-amz-target'] ?? ''),
      body: body.toString('utf8'),
      statements: principal === 'assumed' ? options.assumedRole : options.functionRole,
      tags,
      logical,
    });
    if (refused) {
      options.refusals.push({ principal, tags: tags ?? {}, request: refused });
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'iam-proxy' });
      res.end(accessDeniedBody(refused, `the ${principal} role`));
      return;
    }
    const forward = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 500, upstream.headers);
        upstream.pipe(res);
      },
    );
    forward.on('error', (error) => res.destroy(error));
    forward.end(body);
  });
  return listen(server);
}
