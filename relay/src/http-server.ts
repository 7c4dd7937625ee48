// The relay's own Node HTTP server: the routes (negotiate, watch, and the two webhooks Graph posts to), the limits on
// what a client may send (http-limits.ts), CORS for the configured origins (cors.ts) and Graph's validation
// handshake (validation-handshake.ts). What each route does is the relay core's (relay.ts), shared with Functions.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { corsHeaders } from './cors.js';
import { BodyTooLarge, httpLimits, readBody, serverOptions, type HttpLimits } from './http-limits.js';
import { readCollection } from './notifications.js';
import { notificationRouteReply, plainReply } from './validation-handshake.js';

/** An answer as status and a value sent as JSON. */
export interface JsonReply {
  status: number;
  body: unknown;
}

/** How a collection Graph posted is answered: at once, with `status`; `then` starts its work once answered. */
export interface Intake {
  status: number;
  headers?: Record<string, string>;
  after?: () => void;
}

/** What the routes do, framework-neutral (the relay core). */
export interface RelayRoutes {
  negotiateFor(authorization: string | undefined): Promise<JsonReply>;
  watchFor(authorization: string | undefined, text: string): Promise<JsonReply>;
  intake(kind: 'notifications' | 'lifecycle', payload: unknown): Promise<Intake>;
}

export interface RelayServerOptions {
  host?: string;
  port?: number;
  /** Origins allowed to call negotiate and watch across origins; default none. */
  allowedOrigins?: readonly string[] | undefined;
  /** Body sizes and time limits (see http-limits.ts for the defaults). */
  http?: HttpLimits | undefined;
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export class RelayHttpServer {
  private constructor(
    private readonly server: Server,
    /** `http://host:port`, where it listens. */
    readonly url: string,
  ) {}

  /** Listens on `host:port` (default 127.0.0.1, a free port) and answers with `routes`. */
  static async listen(routes: RelayRoutes, options: RelayServerOptions = {}): Promise<RelayHttpServer> {
    const limits = httpLimits(options.http);
    const server = createServer(serverOptions(limits), (req, res) => void handle(routes, options, limits, req, res));
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
    const { port } = server.address() as AddressInfo;
    return new RelayHttpServer(server, `http://${host}:${port}`);
  }

  /** Stops listening and closes every connection. */
  close(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function handle(
  routes: RelayRoutes,
  options: RelayServerOptions,
  limits: Required<HttpLimits>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = URL.canParse(req.url ?? '/', 'http://relay') ? new URL(req.url ?? '/', 'http://relay') : undefined;
  // A target that is no URL (`//[/`, say): a bad request (RFC 9112, section 3.2).
  if (!url) return json(res, 400, { error: 'the request target is not a URL' });
  const path = url.pathname.replace(/\/+$/, '');
  try {
    if (path === '/api/notifications' || path === '/api/lifecycle')
      return await notifications(routes, limits, req, res, url);
    if (path !== '/api/negotiate' && path !== '/api/watch') return json(res, 404, { error: `no route ${path}` });
    if (cors(req, res, options.allowedOrigins)) return;
    // RFC 9110, section 15.5.6: a 405 names the methods the resource takes.
    if (req.method !== 'POST') return json(res, 405, { error: 'POST only' }, { allow: 'POST, OPTIONS' });
    if (path === '/api/negotiate') {
      const reply = await routes.negotiateFor(req.headers.authorization);
      return json(res, reply.status, reply.body);
    }
    const reply = await routes.watchFor(req.headers.authorization, await readBody(req, limits.watchBodyBytes));
    return json(res, reply.status, reply.body);
  } catch (error) {
    if (res.headersSent) return;
    if (error instanceof BodyTooLarge) res.setHeader('connection', 'close');
    json(res, error instanceof BodyTooLarge ? 413 : 400, { error: (error as Error).message });
  }
}

/** CORS headers for the request; a preflight is answered here (true). */
function cors(req: IncomingMessage, res: ServerResponse, allowed: readonly string[] | undefined): boolean {
  const preflight = req.method === 'OPTIONS';
  for (const [name, value] of Object.entries(corsHeaders(req.headers.origin, allowed, preflight)))
    res.setHeader(name, value);
  if (preflight) {
    res.writeHead(204).end();
    return true;
  }
  return false;
}

async function notifications(
  routes: RelayRoutes,
  limits: Required<HttpLimits>,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  // The subscription handshake (the decoded token, as plain text, at once), or a request that is not Graph's.
  const answer = notificationRouteReply(req.method, url.searchParams.get('validationToken'));
  if (answer) {
    res.writeHead(answer.status, answer.headers).end(answer.body);
    return;
  }
  let text: string;
  try {
    text = await readBody(req, limits.notificationBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLarge) res.setHeader('connection', 'close');
    res.writeHead(error instanceof BodyTooLarge ? 413 : 400).end();
    return;
  }
  const collection = readCollection(text);
  if ('refused' in collection) {
    const reply = plainReply(400, collection.refused);
    res.writeHead(reply.status, reply.headers).end(reply.body);
    return;
  }
  const intake = await routes.intake(
    url.pathname.startsWith('/api/lifecycle') ? 'lifecycle' : 'notifications',
    collection.payload,
  );
  res.writeHead(intake.status, intake.headers).end();
  intake.after?.();
}
