/**
 * The local API gateway: a small HTTP server that does what API Gateway's HTTP API does for this service —
 * matches the request against the shared route table, checks the bearer token for protected routes (as
 * the JWT authorizer would), builds an API Gateway v2 event and invokes the very handler Lambda runs.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { config } from '../shared/config';
import { type Problem, problem, problemResponse } from '../shared/http/problem';
import { negotiatedProblem } from '../shared/http/problem-page';
import {
  DEFAULT_ROUTE_FUNCTION,
  FUNCTIONS,
  type FunctionId,
  ROUTES,
  type RouteDefinition,
  routeKeyOf,
} from '../shared/http/routes';
import type { HttpEvent, HttpResult } from '../shared/http/types';
import { type Meter, meterStorage } from './meter';
import { refusalDetail, type SigningKey, verifyToken } from './signing-key';
import { localWebResponse } from './web';

/** API Gateway refuses bodies over 10 MB before any function runs; so does this gateway. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
const REPO_ROOT = resolve(import.meta.dirname, '..');

type LambdaHandler = (event: HttpEvent, context: Context) => Promise<HttpResult>;

interface CompiledRoute {
  route: RouteDefinition;
  pattern: RegExp;
  params: string[];
  /** Per segment, whether it is a parameter: the order API Gateway tries routes in. */
  segments: boolean[];
}

function compile(route: RouteDefinition): CompiledRoute {
  const params: string[] = [];
  const source = route.path
    .split('/')
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      params.push(match[1]);
      return '([^/]+)';
    })
    .join('/');
  const segments = route.path.split('/').map((segment) => /^\{\w+\}$/.test(segment));
  return { route, pattern: new RegExp(`^${source}$`), params, segments };
}

/**
 * API Gateway's precedence: reading the paths segment by segment, the first place they differ decides, and
 * a literal segment there beats a parameter (`/commissioning/new/{step}` before `/commissioning/{id}/publish`,
 * `/commissioning/alerts` before `/commissioning/{id}`); paths of different lengths never match the same
 * address, since no route is greedy.
 */
export function routePrecedence(a: { segments: boolean[] }, b: { segments: boolean[] }): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    if (a.segments[i] !== b.segments[i]) return a.segments[i] ? 1 : -1;
  }
  return a.segments.length - b.segments.length;
}

const compiled = (ROUTES as readonly RouteDefinition[]).map(compile).sort(routePrecedence);

/** Finds the route for a method and path, with its path parameters. */
export function matchRoute(
  method: string,
  path: string,
): { route: RouteDefinition; pathParameters: Record<string, string> } | undefined {
  for (const candidate of compiled) {
    if (candidate.route.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    candidate.params.forEach((name, i) => {
      pathParameters[name] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { route: candidate.route, pathParameters };
  }
  return undefined;
}

/** API Gateway passes JWT claims as strings, arrays flattened to `"[a b]"`; so do we. */
export function claimsAsApiGateway(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    if (value === undefined || value === null) continue;
    claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : String(value);
  }
  return claims;
}

const TEXT_TYPES = /^(text\/|application\/(json|problem\+json|xml|x-www-form-urlencoded|.*\+json))/;

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function lambdaContext(functionName: string, requestId: string, timeoutMs: number): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function send(res: ServerResponse, result: HttpResult, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    if (value !== undefined && value !== '') headers[name.toLowerCase()] = String(value);
  }
  if (result.cookies && result.cookies.length > 0) headers['set-cookie'] = result.cookies;
  Object.assign(headers, extraHeaders);
  const body =
    result.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  headers['content-length'] = String(body.length);
  res.writeHead(result.statusCode ?? 200, headers);
  res.end(body);
}

/** Options of the local gateway. */
export interface GatewayOptions {
  port: number;
  host?: string;
  signingKey: SigningKey;
  /** Adds `x-local-dynamodb-calls` and `x-local-consumed-capacity` headers to every response. */
  meter?: boolean;
  /** Loads a function's handler; by default imports its entry module (the same file Lambda bundles). */
  loadHandler?: (functionId: FunctionId) => Promise<LambdaHandler>;
  log?: (line: string) => void;
}

/** A running gateway. */
export interface Gateway {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

async function importHandler(functionId: FunctionId): Promise<LambdaHandler> {
  const entry = FUNCTIONS[functionId].entry;
  const module = (await import(pathToFileURL(resolve(REPO_ROOT, entry)).href)) as { handler?: LambdaHandler };
  if (typeof module.handler !== 'function') throw new Error(`${entry} does not export a handler`);
  return module.handler;
}

/** Starts the gateway; resolves once it listens. A busy port rejects with a clear message. */
export async function startGateway(options: GatewayOptions): Promise<Gateway> {
  const handlers = new Map<FunctionId, Promise<LambdaHandler>>();
  const load = options.loadHandler ?? importHandler;
  const handlerFor = (id: FunctionId) => {
    let handler = handlers.get(id);
    if (!handler) {
      handler = load(id);
      handlers.set(id, handler);
    }
    return handler;
  };

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const started = Date.now();
    const requestId = randomUUID();
    const method = (req.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    // What the gateway itself refuses, as the functions answer: a page for browsers, problem+json otherwise.
    const problemFor = (body: Problem) => negotiatedProblem(body, headers, config().web.assetsUrl);
    let url: URL;
    let matched: ReturnType<typeof matchRoute>;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
      matched = matchRoute(method, url.pathname);
    } catch (error) {
      // A path parameter with a malformed `%` escape (`/providers/%E0%A4%A`) cannot be decoded: the
      // client's mistake, answered as such rather than as a crash.
      if (!(error instanceof URIError || error instanceof TypeError)) throw error;
      req.resume();
      send(res, problemFor(problem('validation', 'The address is malformed: it has an invalid % escape.')));
      options.log?.(`${method} ${req.url ?? ''} → 400 (malformed address)`);
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        send(res, problemFor(problem('payload-too-large', 'Request bodies over 10 MB are refused.')));
        return;
      }
      throw error;
    }

    // The web front door's assets and developer sign-in page: served here, never by a deployed route.
    const local = matched
      ? undefined
      : await localWebResponse({ method, url, headers, body: body.toString('utf8') });
    if (local) {
      send(res, local);
      options.log?.(`${method} ${url.pathname} → ${local.statusCode} (local web)`);
      return;
    }

    let claims: Record<string, string> | undefined;
    const authorization = headers.authorization ?? '';
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (matched && matched.route.access !== 'public') {
      const refuse = (detail: string) =>
        send(res, problemFor(problem('unauthenticated', detail)), {
          'www-authenticate': 'Bearer',
          'x-content-type-options': 'nosniff',
        });
      if (!bearer) return refuse('Send a bearer token in the Authorization header.');
      try {
        claims = claimsAsApiGateway(await verifyToken(options.signingKey, bearer));
      } catch (error) {
        return refuse(refusalDetail(options.signingKey, bearer, error));
      }
    } else if (matched && bearer) {
      // Public routes still recognise a valid token (an insider reading a competition); a bad one is ignored.
      claims = await verifyToken(options.signingKey, bearer).then(claimsAsApiGateway, () => undefined);
    }

    const query: Record<string, string> = {};
    for (const [name, value] of url.searchParams)
      query[name] = name in query ? `${query[name]},${value}` : value;
    const contentType = headers['content-type'] ?? '';
    const isText = body.length === 0 || TEXT_TYPES.test(contentType);
    const routeKey = matched ? routeKeyOf(matched.route) : '$default';
    const now = new Date();
    const event: HttpEvent = {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      headers,
      ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
      ...(matched && Object.keys(matched.pathParameters).length > 0
        ? { pathParameters: matched.pathParameters }
        : {}),
      ...(body.length > 0 ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
      isBase64Encoded: !isText,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'localhost',
        http: {
          method,
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      },
    };

    const functionId = matched ? matched.route.function : DEFAULT_ROUTE_FUNCTION;
    const meter: Meter = { calls: 0, capacity: 0, commands: [] };
    let result: HttpResult;
    try {
      const handler = await handlerFor(functionId);
      result = await meterStorage.run(meter, () =>
        handler(event, lambdaContext(functionId, requestId, 29_000)),
      );
    } catch (error) {
      options.log?.(`handler ${functionId} crashed: ${(error as Error).stack ?? String(error)}`);
      result = problemFor(problem('internal', 'An unexpected error occurred.'));
    }
    const extra: Record<string, string> = {};
    if (options.meter) {
      extra['x-local-dynamodb-calls'] = String(meter.calls);
      extra['x-local-consumed-capacity'] = String(Math.round(meter.capacity * 100) / 100);
    }
    send(res, result, extra);
    options.log?.(`${method} ${url.pathname} → ${result.statusCode} (${Date.now() - started} ms)`);
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      options.log?.(`gateway error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) send(res, problemResponse(problem('internal', 'An unexpected error occurred.')));
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((done, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${options.port} is already in use. Stop whatever is listening there, or start on another port: PORT=3001 npm start`,
          ),
        );
      } else reject(error);
    });
    server.listen(options.port, options.host ?? '127.0.0.1', () => done());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://localhost:${port}`,
    port,
    server,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
