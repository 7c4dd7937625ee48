// A faithful local Microsoft Graph (v1.0) for what Presence Elements and its relay use: users, photos, team and
// group members, presence reads and writes, $batch and presence subscriptions. Every call checks its bearer
// token and scopes; presence reads are throttled on Graph's published budget. Where Graph's documented behaviour is
// strict, so is the emulator: unknown segments, unknown properties, `/me` without a user and unsupported filters are
// refused as Graph refuses them. The routes live by subject in *-routes.ts.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { applyCors, close, declaredTooLarge, listen, MAX_BODY, requestUrl, Router } from '../shared/http.js';
import type { FaultInjector } from '../shared/faults.js';
import type { EmulatorService, ListenOptions } from '../shared/service.js';
import type { Tenant } from '../tenant/tenant.js';
import { appIdOf, isDelegated } from './access.js';
import { runBatch } from './batch.js';
import { Clock } from '../shared/clock.js';
import {
  badRequest,
  delegatedOnly,
  GraphError,
  invalidVersion,
  methodNotAllowed,
  newRequestId,
  tooLarge,
  unauthorized,
  unknownSegment,
} from './errors.js';
import { memberRoutes } from './member-routes.js';
import { jsonOf } from './odata.js';
import { photoRoutes } from './photo-routes.js';
import { presenceRoutes } from './presence-routes.js';
import { presenceWriteRoutes } from './presence-write-routes.js';
import { PresenceSessions } from '../tenant/presence-sessions.js';
import { SubscriptionManager, type DeliveryOptions } from './subscriptions.js';
import { PRESENCE_BUDGET, SlidingWindowThrottle, type Budget } from './throttle.js';
import type { GraphClaims, GraphContext, GraphHandler, GraphResult, TokenVerifier } from './types.js';
import { userRoutes } from './user-routes.js';

export type { GraphClaims, GraphContext, GraphHandler, GraphResult, TokenVerifier } from './types.js';
export { appIdOf, requirePermission } from './access.js';

export interface GraphEmulatorOptions extends ListenOptions {
  tenant: Tenant;
  verifyToken: TokenVerifier;
  /** Issues the `validationTokens` of rich notifications for an application id (JWTs signed by "Microsoft"). */
  issueValidationToken?: (appId: string) => string;
  presenceBudget?: Budget;
  clock?: Clock;
  delivery?: DeliveryOptions;
}

const EXPOSED = ['Retry-After', 'request-id', 'client-request-id', 'Location', 'Content-Type'];
const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

export class GraphEmulator implements EmulatorService {
  readonly tenant: Tenant;
  readonly clock: Clock;
  readonly throttle: SlidingWindowThrottle;
  readonly subscriptions: SubscriptionManager;
  /** The presence sessions behind each user's shown presence (setPresence, preferred presence, status message). */
  readonly sessions: PresenceSessions;
  /** Every request handled, newest last (method, path, status, app), for tests and benchmarks; `closed` when the
   * caller had gone (aborted) before the answer could be sent. */
  readonly log: Array<{
    method: string;
    path: string;
    status: number;
    appId: string;
    batchItem?: boolean;
    closed?: boolean;
  }> = [];
  /** Each answer's entry in the log. */
  private readonly logged = new WeakMap<GraphResult, GraphEmulator['log'][number]>();
  private readonly router = new GraphRouter();
  private server: Server | undefined;
  private baseUrl = '';
  private readonly faults: FaultInjector | undefined;

  constructor(private readonly options: GraphEmulatorOptions) {
    this.tenant = options.tenant;
    this.clock = options.clock ?? new Clock();
    this.faults = options.faults;
    this.throttle = new SlidingWindowThrottle(options.presenceBudget ?? PRESENCE_BUDGET, () => this.clock.now());
    this.sessions = PresenceSessions.of(this.tenant, this.clock);
    this.subscriptions = new SubscriptionManager({
      tenant: this.tenant,
      clock: this.clock,
      issueValidationToken: options.issueValidationToken,
      delivery: options.delivery,
    });
    this.routes();
  }

  get url(): string {
    return this.baseUrl;
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createHttpServer(handler);
    const host = this.options.host ?? '127.0.0.1';
    const port = await listen(this.server, this.options.port ?? 0, host, this.options);
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${host}:${port}`;
    this.subscriptions.start();
  }

  async stop(): Promise<void> {
    this.subscriptions.stop();
    this.sessions.stop();
    if (this.server) await close(this.server);
  }

  private routes(): void {
    const r = this.router;
    userRoutes(r, this.tenant);
    photoRoutes(r, this.tenant);
    memberRoutes(r, this.tenant);
    presenceRoutes(r, { tenant: this.tenant, throttle: this.throttle });
    presenceWriteRoutes(r, { tenant: this.tenant, clock: this.clock, sessions: this.sessions });
    r.on('POST', '/v1.0/subscriptions', (ctx) => this.subscriptions.create(ctx, jsonOf(ctx)));
    r.on('GET', '/v1.0/subscriptions', (ctx) => this.subscriptions.list(ctx));
    r.on('GET', '/v1.0/subscriptions/:id', (ctx) => this.subscriptions.get(ctx));
    r.on('PATCH', '/v1.0/subscriptions/:id', (ctx) => this.subscriptions.update(ctx, jsonOf(ctx)));
    r.on('DELETE', '/v1.0/subscriptions/:id', (ctx) => this.subscriptions.remove(ctx));
  }

  /**
   * Why no route takes a path, as Graph says it: 400 "Invalid version." for a version other than v1.0, else 400
   * "Resource not found for the segment '...'." naming the first segment no resource has. Graph answers 400 here,
   * not 404 (404 is for an id that names nothing).
   */
  private noRoute(path: string): GraphError {
    const segments = path.split('/').filter(Boolean);
    if (segments[0] !== 'v1.0') return invalidVersion();
    // A segment that is not valid percent-encoding is named as it came: no route can take it.
    const broken = segments.find((segment) => decodeSegment(segment) === undefined);
    if (broken !== undefined) return unknownSegment(broken);
    const known = this.router.longestPrefix(segments);
    const segment = segments[Math.min(known, segments.length - 1)] ?? '';
    return unknownSegment(decodeSegment(segment) ?? segment);
  }

  /** Runs one request (from HTTP or from a $batch step) and gives its result; never throws. */
  async dispatch(
    method: string,
    target: string,
    headers: GraphContext['headers'],
    rawBody: Buffer,
    batchItem = false,
  ): Promise<GraphResult> {
    const requestId = newRequestId();
    const clientRequestId = typeof headers['client-request-id'] === 'string' ? headers['client-request-id'] : undefined;
    const baseHeaders = { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId };
    let appId = 'anonymous';
    let result: GraphResult;
    const url = new URL(target, this.baseUrl || 'http://127.0.0.1');
    try {
      const found = this.router.match(method, url.pathname);
      if (found === undefined) throw this.noRoute(url.pathname);
      if (found === 'method') throw methodNotAllowed(this.router.allowed(url.pathname));
      const auth = headers.authorization;
      const token = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : '';
      if (!token) throw unauthorized('Access token is empty.');
      let claims: GraphClaims;
      try {
        claims = this.options.verifyToken(token);
      } catch (error) {
        // Logged under the application the refused token claims to be for, so a test can find its own refusals.
        appId = this.appOf(typeof auth === 'string' ? auth : undefined);
        throw unauthorized(`Access token validation failure. ${(error as Error).message}`);
      }
      appId = appIdOf(claims);
      const repeated = repeatedOption(url);
      if (repeated)
        throw badRequest(
          `Query option '${repeated}' was specified more than once, but it must be specified at most once.`,
        );
      // https://learn.microsoft.com/graph/api/user-get: "Calling the /me endpoint requires a signed-in user and
      // therefore a delegated permission. Application permissions are not supported when using the /me endpoint."
      if (url.pathname.split('/')[2]?.toLowerCase() === 'me' && !isDelegated(claims)) throw delegatedOnly();
      result = await found.handler({ method, url, params: found.params, headers, claims, rawBody, base: this.baseUrl });
    } catch (error) {
      const graphError =
        error instanceof GraphError ? error : new GraphError(500, 'InternalServerError', (error as Error).message);
      result = {
        status: graphError.status,
        headers: graphError.headers,
        body: graphError.body(requestId, clientRequestId),
      };
    }
    const entry = { method, path: url.pathname, status: result.status, appId, ...(batchItem ? { batchItem } : {}) };
    this.log.push(entry);
    if (this.log.length > 50_000) this.log.splice(0, 10_000);
    const answer = { ...result, headers: { ...baseHeaders, ...result.headers } };
    this.logged.set(answer, entry);
    return answer;
  }

  /** The application a bearer token names, for the request log (without checking it: the items are checked). */
  private appOf(auth: string | undefined): string {
    try {
      const payload = JSON.parse(
        Buffer.from((auth ?? '').replace(/^Bearer\s+/i, '').split('.')[1] ?? '', 'base64url').toString('utf8'),
      );
      return String(payload.appid ?? payload.azp ?? 'anonymous');
    } catch {
      return 'anonymous';
    }
  }

  private batch(headers: GraphContext['headers'], rawBody: Buffer): Promise<GraphResult> {
    return runBatch(rawBody, headers.authorization, (method, path, stepHeaders, body) =>
      this.dispatch(method, path, stepHeaders, body, true),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(req, res, { exposeHeaders: EXPOSED })) return;
    if (!requestUrl(req, 'http://x')) return refuse(res, badRequest('Invalid request target.'));
    // https://learn.microsoft.com/graph/errors: 413, "the size of the request exceeds the maximum limit"; Graph's
    // message says the limit, 4 MB. Refused before reading when the length says so, and the connection closed.
    if (declaredTooLarge(req)) return refuse(res, tooLarge(), { connection: 'close' });
    // The caller may go away (an aborted fetch closes its connection) while the request waits or is handled.
    let gone = false;
    res.on('close', () => (gone ||= !res.writableEnded));
    if (await this.faults?.apply('graph', req, res)) return;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        // A body without a length that grows past the limit: cut off, connection and all.
        if (size > MAX_BODY) {
          req.destroy();
          break;
        }
        chunks.push(chunk as Buffer);
      }
    } catch {
      gone = true;
    }
    if (size > MAX_BODY) {
      this.log.push({ method, path, status: 413, appId: this.appOf(req.headers.authorization), closed: true });
      return;
    }
    if (gone) {
      // Gone before it was handled (during injected latency, say): logged with nginx's 499, never answered.
      this.log.push({ method, path, status: 499, appId: this.appOf(req.headers.authorization), closed: true });
      return;
    }
    const rawBody = Buffer.concat(chunks);
    const isBatch = method === 'POST' && path.toLowerCase() === '/v1.0/$batch';
    const result = isBatch
      ? await this.batch(req.headers, rawBody)
      : await this.dispatch(method, req.url ?? '/', req.headers, rawBody);
    const entry = isBatch
      ? { method, path: '/v1.0/$batch', status: result.status, appId: this.appOf(req.headers.authorization) }
      : this.logged.get(result);
    if (isBatch) this.log.push(entry!);
    if (gone || res.destroyed || req.socket.destroyed) {
      if (entry) entry.closed = true;
      return;
    }
    const headers: Record<string, string> = { ...(result.headers ?? {}) };
    let payload: Buffer | undefined;
    if (Buffer.isBuffer(result.body)) payload = result.body;
    else if (result.body !== undefined) {
      payload = Buffer.from(JSON.stringify(result.body));
      if (result.status < 400) Object.assign(headers, { 'content-type': JSON_TYPE, 'odata-version': '4.0' });
      else headers['content-type'] = 'application/json';
      headers['cache-control'] ??= 'no-cache';
    }
    if (payload) headers['content-length'] = String(payload.length);
    res.writeHead(result.status, headers);
    res.end(payload);
  }
}

/** Answers a request refused before it is read, in Graph's error shape. */
function refuse(res: ServerResponse, error: GraphError, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(error.body(newRequestId()));
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

/** The router, also able to tell how far into a path some route goes (for Graph's unknown-segment errors). */
class GraphRouter extends Router<GraphHandler> {
  private readonly patterns: string[][] = [];

  override on(method: string, pattern: string, handler: GraphHandler): this {
    this.patterns.push(pattern.split('/').filter(Boolean));
    return super.on(method, pattern, handler);
  }

  /** How many leading segments of `segments` some route's pattern matches. */
  longestPrefix(segments: string[]): number {
    let best = 0;
    for (const pattern of this.patterns) {
      let n = 0;
      while (
        n < pattern.length &&
        n < segments.length &&
        (pattern[n]!.startsWith(':') || pattern[n]!.toLowerCase() === segments[n]!.toLowerCase())
      )
        n++;
      best = Math.max(best, n);
    }
    return best;
  }
}

/** A system query option (`$select`, `$top`...) the URL gives more than once, which OData refuses. */
function repeatedOption(url: URL): string | undefined {
  const seen = new Set<string>();
  for (const name of url.searchParams.keys()) {
    if (!name.startsWith('$')) continue;
    if (seen.has(name)) return name;
    seen.add(name);
  }
  return undefined;
}

/** A path segment decoded, or undefined when its percent-encoding is broken. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
