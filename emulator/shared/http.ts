// A small HTTP toolkit for the emulators: a router with path parameters, body reading with a limit, JSON and
// text replies, CORS, and listening on a free port.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Request {
  method: string;
  url: URL;
  path: string;
  headers: IncomingMessage['headers'];
  params: Record<string, string>;
  raw: IncomingMessage;
  body(): Promise<Buffer>;
  text(): Promise<string>;
  json<T = unknown>(): Promise<T>;
}

export type Handler = (req: Request, res: ServerResponse) => unknown;

/** Thrown by handlers to answer with a status and a body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : JSON.stringify(body));
  }
}

/** The largest request body the emulators read (Graph's limit, 4 MB, for all three). */
export const MAX_BODY = 4 * 1024 * 1024;

/** Thrown by `body()` for a body over `MAX_BODY`; each service answers it 413 in its own error shape. */
export class BodyTooLarge extends HttpError {
  constructor() {
    super(
      413,
      { error: { code: 'RequestEntityTooLarge', message: 'Request body too large' } },
      { connection: 'close' },
    );
  }
}

/** True when the request says (Content-Length) its body is over `MAX_BODY`: refused before any of it is read. */
export function declaredTooLarge(raw: IncomingMessage): boolean {
  const declared = Number(raw.headers['content-length']);
  return Number.isFinite(declared) && declared > MAX_BODY;
}

function readBody(raw: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Refused at once when the length says so (the connection is closed once answered); a body without a length
    // that grows past the limit is cut off, connection and all.
    if (declaredTooLarge(raw)) return reject(new BodyTooLarge());
    const chunks: Buffer[] = [];
    let size = 0;
    raw.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new BodyTooLarge());
        raw.destroy();
        return;
      }
      chunks.push(chunk);
    });
    raw.on('end', () => resolve(Buffer.concat(chunks)));
    raw.on('error', reject);
  });
}

interface Route<H> {
  method: string;
  segments: string[];
  handler: H;
}

function matchSegments(pattern: string[], actual: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!;
    if (p === '*') {
      params['*'] = actual.slice(i).join('/');
      return params;
    }
    const a = actual[i];
    if (a === undefined) return undefined;
    if (p.startsWith(':')) {
      try {
        params[p.slice(1)] = decodeURIComponent(a);
      } catch {
        return undefined;
      }
    } else if (p.toLowerCase() !== a.toLowerCase()) {
      return undefined;
    }
  }
  return pattern.length === actual.length ? params : undefined;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s.length > 0);
}

export class Router<H = Handler> {
  private readonly routes: Array<Route<H>> = [];

  on(method: string, pattern: string, handler: H): this {
    this.routes.push({ method: method.toUpperCase(), segments: splitPath(pattern), handler });
    return this;
  }

  /** Finds the route for a request; `undefined` when none matches (405 when the path exists with another method). */
  match(method: string, path: string): { handler: H; params: Record<string, string> } | 'method' | undefined {
    const segments = splitPath(path);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method || route.method === '*') return { handler: route.handler, params };
    }
    return pathMatched ? 'method' : undefined;
  }

  /** The methods the routes for `path` take, for a 405's `Allow` (RFC 9110, section 15.5.6). */
  allowed(path: string): string {
    const segments = splitPath(path);
    const methods = this.routes.filter((r) => matchSegments(r.segments, segments)).map((r) => r.method);
    return [...new Set(methods)].join(', ');
  }
}

/**
 * The URL a request names, or undefined when its target is none (`//[/`, say): each service answers such a request
 * 400, as RFC 9112 (section 3.2) asks of a server given an invalid request-target.
 */
export function requestUrl(raw: IncomingMessage, base: string): URL | undefined {
  const target = raw.url ?? '/';
  return URL.canParse(target, base) ? new URL(target, base) : undefined;
}

export function makeRequest(raw: IncomingMessage, base: string, params: Record<string, string> = {}): Request {
  const url = new URL(raw.url ?? '/', base);
  let body: Promise<Buffer> | undefined;
  const request: Request = {
    method: (raw.method ?? 'GET').toUpperCase(),
    url,
    path: url.pathname,
    headers: raw.headers,
    params,
    raw,
    body: () => (body ??= readBody(raw)),
    text: async () => (await request.body()).toString('utf8'),
    json: async <T>() => {
      const text = await request.text();
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new HttpError(400, { error: { code: 'BadRequest', message: 'Unable to read JSON request payload.' } });
      }
    },
  };
  return request;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, headers);
  res.end();
}

export interface CorsOptions {
  /** Headers a browser may read from the answer. */
  exposeHeaders?: string[];
}

/**
 * Answers CORS for any origin with credentials, as the real services do for registered SPA origins. Returns true when
 * the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, options: CorsOptions = {}): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  res.setHeader('vary', 'Origin');
  if (options.exposeHeaders?.length) res.setHeader('access-control-expose-headers', options.exposeHeaders.join(', '));
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
    res.setHeader('access-control-allow-methods', 'GET, POST, PUT, PATCH, DELETE, OPTIONS');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
    res.setHeader('access-control-max-age', '600');
    res.writeHead(204);
    res.end();
    return true;
  }
  return false;
}

/**
 * Listens on `port` (0: a free one) and resolves with the port actually bound. A client slow to send its request
 * (headers, or body) is answered 408 and cut off after `timeouts` (10 s and 30 s by default, well below Node's minute
 * and five minutes), checked every second or more often, so a stalled client cannot hold a socket for long.
 */
export function listen(
  server: Server,
  port: number,
  host: string,
  timeouts: { headersTimeoutMs?: number; requestTimeoutMs?: number } = {},
): Promise<number> {
  const headers = timeouts.headersTimeoutMs ?? 10_000;
  server.headersTimeout = headers;
  // Node wants the headers' limit within the request's.
  server.requestTimeout = Math.max(timeouts.requestTimeoutMs ?? 30_000, headers);
  // Read by Node when the server starts listening.
  Object.assign(server, { connectionsCheckingInterval: Math.max(100, Math.min(1_000, Math.floor(headers / 4))) });
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes a server and every connection it still holds. */
export function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
  });
}
