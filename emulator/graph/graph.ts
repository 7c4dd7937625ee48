// A faithful local Microsoft Graph (v1.0) for what Presence Elements and its relay use: users, photos, team and
// group members, presence reads and writes, $batch and presence subscriptions. Every call checks its bearer
// token and scopes; presence reads are throttled on Graph's published budget.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { applyCors, close, listen, Router } from '../shared/http.js';
import type { FaultInjector } from '../shared/faults.js';
import type { EmulatorService, ListenOptions } from '../shared/service.js';
import { photoFor } from '../tenant/photos.js';
import type { PresenceRecord, Tenant, TenantUser } from '../tenant/tenant.js';
import { Clock } from '../shared/clock.js';
import { badRequest, forbidden, GraphError, newRequestId, notFound, unauthorized } from './errors.js';
import { SubscriptionManager, type DeliveryOptions } from './subscriptions.js';
import { PRESENCE_BUDGET, SlidingWindowThrottle, type Budget } from './throttle.js';

/** The claims of a verified access token that Graph looks at. */
export interface GraphClaims {
  oid?: string;
  tid?: string;
  scp?: string;
  roles?: string[];
  appid?: string;
  azp?: string;
  exp?: number;
  [claim: string]: unknown;
}

/** Verifies a bearer token for Graph (signature, issuer, audience, expiry); throws with a message when it is bad. */
export type TokenVerifier = (token: string) => GraphClaims;

export interface GraphEmulatorOptions extends ListenOptions {
  tenant: Tenant;
  verifyToken: TokenVerifier;
  /** Issues the `validationTokens` of rich notifications for an application id (JWTs signed by "Microsoft"). */
  issueValidationToken?: (appId: string) => string;
  presenceBudget?: Budget;
  clock?: Clock;
  delivery?: DeliveryOptions;
}

export interface GraphContext {
  method: string;
  url: URL;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  claims: GraphClaims;
  rawBody: Buffer;
  /** The base URL of the emulator, for nextLinks. */
  base: string;
}

export interface GraphResult {
  status: number;
  headers?: Record<string, string>;
  /** JSON (object) or bytes (Buffer); absent for no content. */
  body?: unknown;
}

type GraphHandler = (ctx: GraphContext) => GraphResult | Promise<GraphResult>;

const EXPOSED = ['Retry-After', 'request-id', 'client-request-id', 'Location', 'Content-Type'];

function scopesOf(claims: GraphClaims): Set<string> {
  return new Set(typeof claims.scp === 'string' ? claims.scp.split(' ').filter(Boolean) : []);
}

function rolesOf(claims: GraphClaims): Set<string> {
  return new Set(Array.isArray(claims.roles) ? claims.roles : []);
}

/** Passes when the token has one of the delegated scopes, or (when listed) one of the application roles. */
export function requirePermission(claims: GraphClaims, delegated: string[], application: string[] = []): void {
  const scopes = scopesOf(claims);
  if (scopes.size > 0) {
    if (delegated.some((s) => scopes.has(s))) return;
    throw forbidden(`Insufficient privileges to complete the operation. Requires one of: ${delegated.join(', ')}.`);
  }
  const roles = rolesOf(claims);
  if (application.some((r) => roles.has(r))) return;
  throw forbidden(
    application.length
      ? `Insufficient privileges to complete the operation. Requires one of: ${[...delegated, ...application].join(', ')}.`
      : 'This operation is only supported with delegated permissions.',
  );
}

export function appIdOf(claims: GraphClaims): string {
  return String(claims.appid ?? claims.azp ?? 'unknown-app');
}

function userJson(user: TenantUser, select?: string[]): Record<string, unknown> {
  const full: Record<string, unknown> = {
    id: user.id,
    displayName: user.displayName,
    givenName: user.givenName,
    surname: user.surname,
    userPrincipalName: user.userPrincipalName,
    mail: user.mail,
    jobTitle: user.jobTitle,
    businessPhones: [],
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
  };
  if (!select?.length) return full;
  const picked: Record<string, unknown> = { id: user.id };
  for (const key of select) if (key in full) picked[key] = full[key];
  return picked;
}

function presenceJson(record: PresenceRecord): Record<string, unknown> {
  return { '@odata.type': '#microsoft.graph.presence', ...record };
}

function selectOf(url: URL): string[] | undefined {
  const select = url.searchParams.get('$select');
  return select ? select.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

function expiryOf(value: unknown): { dateTime: string; timeZone: string } | null {
  if (typeof value !== 'object' || value === null) return null;
  const { dateTime, timeZone } = value as { dateTime?: unknown; timeZone?: unknown };
  return typeof dateTime === 'string' ? { dateTime, timeZone: typeof timeZone === 'string' ? timeZone : 'UTC' } : null;
}

const PREFERRED_COMBINATIONS: Record<string, string[]> = {
  Available: ['Available'],
  Busy: ['Busy'],
  DoNotDisturb: ['DoNotDisturb'],
  BeRightBack: ['BeRightBack'],
  Away: ['Away'],
  Offline: ['OffWork'],
};

export class GraphEmulator implements EmulatorService {
  readonly tenant: Tenant;
  readonly clock: Clock;
  readonly throttle: SlidingWindowThrottle;
  readonly subscriptions: SubscriptionManager;
  /** Every request handled, newest last (method, path, status, app), for tests and benchmarks. */
  /** Every request, by application; `closed` when the caller had gone (aborted) before the answer could be sent. */
  readonly log: Array<{ method: string; path: string; status: number; appId: string; batchItem?: boolean; closed?: boolean }> = [];
  /** Each answer's entry in the log. */
  private readonly logged = new WeakMap<GraphResult, GraphEmulator['log'][number]>();
  private readonly router = new Router<GraphHandler>();
  private server: Server | undefined;
  private baseUrl = '';
  private readonly faults: FaultInjector | undefined;

  constructor(private readonly options: GraphEmulatorOptions) {
    this.tenant = options.tenant;
    this.clock = options.clock ?? new Clock();
    this.faults = options.faults;
    this.throttle = new SlidingWindowThrottle(options.presenceBudget ?? PRESENCE_BUDGET, () => this.clock.now());
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
    const port = await listen(this.server, this.options.port ?? 0, host);
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${host}:${port}`;
    this.subscriptions.start();
  }

  async stop(): Promise<void> {
    this.subscriptions.stop();
    if (this.server) await close(this.server);
  }

  private routes(): void {
    const r = this.router;
    const presenceRead = (claims: GraphClaims) => {
      const wait = this.throttle.take(`${claims.tid ?? this.tenant.id}/${appIdOf(claims)}`);
      if (wait > 0) {
        throw new GraphError(429, 'TooManyRequests', 'Too many requests. Presence reads are limited to 1500 requests per 30 seconds per application per tenant.', {
          'retry-after': String(wait),
        });
      }
    };
    const userFor = (idOrUpn: string, claims: GraphClaims): TenantUser => {
      const id = idOrUpn.toLowerCase() === 'me' ? String(claims.oid ?? '') : idOrUpn;
      const user = this.tenant.user(id);
      if (!user) throw notFound(`Resource '${idOrUpn}' does not exist or one of its queried reference-property objects are not present.`, 'Request_ResourceNotFound');
      return user;
    };
    const requireUser = (claims: GraphClaims) => {
      if (!claims.oid) throw badRequest('/me request is only valid with delegated authentication flow.');
      return claims.oid;
    };

    r.on('GET', '/v1.0/me', ({ claims, url }) => {
      requireUser(claims);
      requirePermission(claims, ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'User.ReadWrite']);
      return { status: 200, body: userJson(userFor('me', claims), selectOf(url)) };
    });

    r.on('GET', '/v1.0/users/:id', ({ claims, params, url }) => {
      const self = params.id!.toLowerCase() === 'me' || params.id === claims.oid;
      requirePermission(claims, self ? ['User.Read', 'User.ReadBasic.All', 'User.Read.All'] : ['User.ReadBasic.All', 'User.Read.All'], ['User.Read.All']);
      return { status: 200, body: userJson(userFor(params.id!, claims), selectOf(url)) };
    });

    r.on('GET', '/v1.0/users', ({ claims, url, base }) => {
      requirePermission(claims, ['User.ReadBasic.All', 'User.Read.All'], ['User.Read.All']);
      const filter = url.searchParams.get('$filter');
      let users = this.tenant.users;
      if (filter) {
        const match = /^\s*id\s+in\s+\(([^)]*)\)\s*$/i.exec(filter);
        if (!match) throw badRequest(`Unsupported filter: ${filter}. Only "id in ('a','b')" is emulated.`, 'Request_UnsupportedQuery');
        const ids = match[1]!.split(',').map((s) => s.trim().replace(/^'(.*)'$/, '$1')).filter(Boolean);
        if (ids.length > 15) throw badRequest('Too many child clauses specified in search filter expression containing \'OR\' operators: 16. Max allowed: 15.', 'Request_UnsupportedQuery');
        users = ids.map((id) => this.tenant.user(id)).filter((u): u is TenantUser => !!u);
      }
      const select = selectOf(url);
      return this.page(users, url, base, 100, 999, (u) => userJson(u, select));
    });

    r.on('POST', '/v1.0/directoryObjects/getByIds', async (ctx) => {
      requirePermission(ctx.claims, ['User.ReadBasic.All', 'User.Read.All', 'Directory.Read.All'], ['User.Read.All', 'Directory.Read.All']);
      const body = this.json<{ ids?: unknown; types?: unknown }>(ctx);
      if (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string')) throw badRequest('ids must be an array of strings.');
      if (body.ids.length > 1000) throw badRequest('The number of ids exceeds the maximum of 1000.');
      const users = (body.ids as string[]).map((id) => this.tenant.user(id)).filter((u): u is TenantUser => !!u);
      return { status: 200, body: { value: users.map((u) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(u) })) } };
    });

    const photo = ({ claims, params }: GraphContext): GraphResult => {
      const self = params.id === undefined || params.id.toLowerCase() === 'me' || params.id === claims.oid;
      requirePermission(
        claims,
        self ? ['User.Read', 'User.ReadBasic.All', 'User.Read.All', 'ProfilePhoto.Read.All'] : ['User.ReadBasic.All', 'User.Read.All', 'ProfilePhoto.Read.All'],
        ['User.Read.All', 'ProfilePhoto.Read.All'],
      );
      const user = userFor(params.id ?? 'me', claims);
      if (!user.hasPhoto) throw notFound('The photo wasn\'t found.', 'ImageNotFound');
      const size = params.size ? Number(/^(\d+)x\1$/.exec(params.size)?.[1]) : 96;
      if (!size || ![48, 64, 96, 120, 240, 360, 432, 504, 648].includes(size)) throw notFound(`Photo size ${params.size} is not available.`, 'ImageNotFound');
      return { status: 200, headers: { 'content-type': 'image/png', 'cache-control': 'private, max-age=3600' }, body: photoFor(user.id, Math.min(size, 240)) };
    };
    r.on('GET', '/v1.0/me/photo/$value', photo);
    r.on('GET', '/v1.0/users/:id/photo/$value', photo);
    r.on('GET', '/v1.0/users/:id/photos/:size/$value', photo);

    r.on('GET', '/v1.0/teams/:id/members', ({ claims, params, url, base }) => {
      requirePermission(claims, ['TeamMember.Read.All', 'TeamMember.ReadWrite.All'], ['TeamMember.Read.All', 'TeamMember.ReadWrite.All']);
      const team = this.tenant.team(params.id!);
      if (!team) throw notFound(`No team found with Group Id ${params.id}`, 'NotFound');
      return this.page(team.memberIds, url, base, 100, 999, (id, i) => {
        const user = this.tenant.user(id)!;
        return {
          '@odata.type': '#microsoft.graph.aadUserConversationMember',
          id: Buffer.from(`${team.id}##${user.id}`).toString('base64url'),
          roles: i === 0 ? ['owner'] : [],
          displayName: user.displayName,
          userId: user.id,
          email: user.mail,
          tenantId: this.tenant.id,
          visibleHistoryStartDateTime: '0001-01-01T00:00:00Z',
        };
      });
    });

    r.on('GET', '/v1.0/groups/:id/members', ({ claims, params, url, base }) => {
      requirePermission(claims, ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All'], ['GroupMember.Read.All', 'Group.Read.All', 'Directory.Read.All']);
      const team = this.tenant.team(params.id!);
      if (!team) throw notFound(`Resource '${params.id}' does not exist or one of its queried reference-property objects are not present.`, 'Request_ResourceNotFound');
      const select = selectOf(url);
      return this.page(team.memberIds, url, base, 100, 999, (id) => ({ '@odata.type': '#microsoft.graph.user', ...userJson(this.tenant.user(id)!, select) }));
    });

    const onePresence = ({ claims, params }: GraphContext): GraphResult => {
      const self = params.id === undefined || params.id.toLowerCase() === 'me' || params.id === claims.oid;
      requirePermission(claims, self && params.id === undefined ? ['Presence.Read', 'Presence.Read.All'] : ['Presence.Read.All'], ['Presence.Read.All']);
      presenceRead(claims);
      const user = userFor(params.id ?? 'me', claims);
      return { status: 200, body: presenceJson(this.tenant.getPresence(user.id)!) };
    };
    r.on('GET', '/v1.0/me/presence', onePresence);
    r.on('GET', '/v1.0/users/:id/presence', onePresence);
    r.on('GET', '/v1.0/communications/presences/:id', onePresence);

    r.on('POST', '/v1.0/communications/getPresencesByUserId', (ctx) => {
      requirePermission(ctx.claims, ['Presence.Read.All'], ['Presence.Read.All']);
      const body = this.json<{ ids?: unknown }>(ctx);
      if (!Array.isArray(body.ids) || body.ids.some((id) => typeof id !== 'string')) throw badRequest('The request body must have "ids": an array of user object ids.');
      if (body.ids.length === 0) throw badRequest('The "ids" array must not be empty.');
      if (body.ids.length > 650) throw badRequest(`The number of ids (${body.ids.length}) exceeds the maximum of 650 per request.`);
      presenceRead(ctx.claims);
      const unique = [...new Set(body.ids as string[])];
      const value = unique.map((id) => {
        const record = this.tenant.getPresence(id);
        return record
          ? presenceJson(record)
          : { '@odata.type': '#microsoft.graph.presence', id, availability: 'PresenceUnknown', activity: 'PresenceUnknown', statusMessage: null, outOfOfficeSettings: null, sequenceNumber: null, workLocation: null };
      });
      return { status: 200, body: { '@odata.context': `${ctx.base}/v1.0/$metadata#Collection(microsoft.graph.presence)`, value } };
    });

    const writeTarget = (ctx: GraphContext): TenantUser => {
      requirePermission(ctx.claims, ['Presence.ReadWrite'], ['Presence.ReadWrite.All']);
      const user = userFor(ctx.params.id ?? 'me', ctx.claims);
      if (scopesOf(ctx.claims).size > 0 && user.id !== ctx.claims.oid) throw forbidden('A user can only set their own presence.');
      return user;
    };
    const setPreferred = (ctx: GraphContext): GraphResult => {
      const user = writeTarget(ctx);
      const body = this.json<{ availability?: string; activity?: string; expirationDuration?: string }>(ctx);
      const allowed = PREFERRED_COMBINATIONS[body.availability ?? ''];
      if (!allowed || !allowed.includes(body.activity ?? '')) {
        throw badRequest(`The availability and activity combination (${body.availability}, ${body.activity}) is not supported.`);
      }
      if (body.expirationDuration !== undefined && !/^P(T(\d+H)?(\d+M)?(\d+S)?|\d+D)$/.test(body.expirationDuration)) {
        throw badRequest('expirationDuration must be an ISO 8601 duration such as PT1H.');
      }
      this.tenant.setPresence(user.id, { availability: body.availability!, activity: body.activity! });
      return { status: 200 };
    };
    const clearPreferred = (ctx: GraphContext): GraphResult => {
      const user = writeTarget(ctx);
      this.tenant.setPresence(user.id, { availability: 'Available', activity: 'Available' });
      return { status: 200 };
    };
    const setStatusMessage = (ctx: GraphContext): GraphResult => {
      const user = writeTarget(ctx);
      const body = this.json<{ statusMessage?: { message?: { content?: unknown; contentType?: unknown }; expiryDateTime?: unknown } }>(ctx);
      const message = body.statusMessage?.message;
      if (!message || typeof message.content !== 'string') throw badRequest('statusMessage.message.content is required.');
      if (message.content.length > 280) throw badRequest('The status message must be at most 280 characters.');
      this.tenant.setPresence(user.id, {
        statusMessage: message.content
          ? {
              message: { content: message.content, contentType: message.contentType === 'html' ? 'html' : 'text' },
              expiryDateTime: expiryOf(body.statusMessage?.expiryDateTime),
              publishedDateTime: new Date(this.clock.now()).toISOString(),
            }
          : null,
      });
      return { status: 200 };
    };
    for (const prefix of ['/v1.0/me/presence', '/v1.0/users/:id/presence']) {
      r.on('POST', `${prefix}/setUserPreferredPresence`, setPreferred);
      r.on('POST', `${prefix}/clearUserPreferredPresence`, clearPreferred);
      r.on('POST', `${prefix}/setStatusMessage`, setStatusMessage);
    }

    r.on('POST', '/v1.0/subscriptions', (ctx) => this.subscriptions.create(ctx, this.json(ctx)));
    r.on('GET', '/v1.0/subscriptions', (ctx) => this.subscriptions.list(ctx));
    r.on('GET', '/v1.0/subscriptions/:id', (ctx) => this.subscriptions.get(ctx));
    r.on('PATCH', '/v1.0/subscriptions/:id', (ctx) => this.subscriptions.update(ctx, this.json(ctx)));
    r.on('DELETE', '/v1.0/subscriptions/:id', (ctx) => this.subscriptions.remove(ctx));
  }

  private json<T = Record<string, unknown>>(ctx: GraphContext): T {
    try {
      const value = JSON.parse(ctx.rawBody.toString('utf8') || 'null');
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      return value as T;
    } catch {
      throw badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
    }
  }

  /** A page of a collection, with `@odata.nextLink` when more remain. `$top` between 1 and `max`. */
  /** One page of `items` by `$top` and `$skiptoken`; only the items on the page are turned into JSON. */
  private page<T>(items: readonly T[], url: URL, base: string, defaultTop: number, max: number, toJson: (item: T, index: number) => unknown): GraphResult {
    const topText = url.searchParams.get('$top');
    const top = topText === null ? defaultTop : Number(topText);
    if (!Number.isInteger(top) || top < 1 || top > max) throw badRequest(`Invalid page size specified: '${topText}'. Must be between 1 and ${max} inclusive.`, 'Request_BadRequest');
    const token = url.searchParams.get('$skiptoken');
    let offset = 0;
    if (token) {
      offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
      if (!Number.isInteger(offset) || offset < 0) throw badRequest('Invalid $skiptoken.', 'Request_BadRequest');
    }
    const value = items.slice(offset, offset + top).map((item, i) => toJson(item, offset + i));
    const body: Record<string, unknown> = { value };
    if (offset + top < items.length) {
      const next = new URL(url.pathname, base);
      for (const [k, v] of url.searchParams) if (k !== '$skiptoken') next.searchParams.set(k, v);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skiptoken', Buffer.from(String(offset + top)).toString('base64url'));
      body['@odata.nextLink'] = next.toString();
    }
    return { status: 200, body };
  }

  /** Runs one request (from HTTP or from a $batch step) and gives its result; never throws. */
  async dispatch(method: string, target: string, headers: GraphContext['headers'], rawBody: Buffer, batchItem = false): Promise<GraphResult> {
    const requestId = newRequestId();
    const clientRequestId = typeof headers['client-request-id'] === 'string' ? headers['client-request-id'] : undefined;
    const baseHeaders = { 'request-id': requestId, 'client-request-id': clientRequestId ?? requestId };
    let appId = 'anonymous';
    let result: GraphResult;
    const url = new URL(target, this.baseUrl || 'http://127.0.0.1');
    try {
      const found = this.router.match(method, url.pathname);
      if (found === undefined) throw notFound(`Resource not found for the segment '${url.pathname.split('/').pop()}'.`, 'BadRequest');
      if (found === 'method') throw new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not supported for ${url.pathname}.`);
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
      result = await found.handler({ method, url, params: found.params, headers, claims, rawBody, base: this.baseUrl });
    } catch (error) {
      const graphError = error instanceof GraphError ? error : new GraphError(500, 'InternalServerError', (error as Error).message);
      result = { status: graphError.status, headers: graphError.headers, body: graphError.body(requestId, clientRequestId) };
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
      const payload = JSON.parse(Buffer.from((auth ?? '').replace(/^Bearer\s+/i, '').split('.')[1] ?? '', 'base64url').toString('utf8'));
      return String(payload.appid ?? payload.azp ?? 'anonymous');
    } catch {
      return 'anonymous';
    }
  }

  private async batch(headers: GraphContext['headers'], rawBody: Buffer): Promise<GraphResult> {
    let body: { requests?: unknown };
    try {
      body = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return { status: 400, body: badRequest('Invalid batch payload format.').body(newRequestId()) };
    }
    const requests = body?.requests;
    if (!Array.isArray(requests) || requests.length === 0) return { status: 400, body: badRequest('Invalid batch payload format: requests is required.').body(newRequestId()) };
    if (requests.length > 20) return { status: 400, body: badRequest('Number of batch requests in a single batch exceeds the maximum of 20.').body(newRequestId()) };
    const ids = new Set<string>();
    for (const step of requests as Array<Record<string, unknown>>) {
      if (typeof step?.id !== 'string' || typeof step.method !== 'string' || typeof step.url !== 'string') {
        return { status: 400, body: badRequest('Each batch request needs an id, a method and a url.').body(newRequestId()) };
      }
      if (ids.has(step.id)) return { status: 400, body: badRequest(`Batch request ids must be unique: '${step.id}' is repeated.`).body(newRequestId()) };
      ids.add(step.id);
    }
    const responses: unknown[] = [];
    for (const step of requests as Array<{ id: string; method: string; url: string; headers?: Record<string, string>; body?: unknown }>) {
      const path = step.url.startsWith('/') ? step.url : `/${step.url}`;
      const stepHeaders = { ...Object.fromEntries(Object.entries(step.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])), authorization: headers.authorization };
      const stepBody = step.body === undefined ? Buffer.alloc(0) : Buffer.from(typeof step.body === 'string' ? step.body : JSON.stringify(step.body));
      const result = await this.dispatch(step.method.toUpperCase(), `/v1.0${path}`, stepHeaders, stepBody, true);
      const isBytes = Buffer.isBuffer(result.body);
      responses.push({
        id: step.id,
        status: result.status,
        headers: { ...(result.headers ?? {}), ...(isBytes ? {} : result.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(result.body === undefined ? {} : { body: isBytes ? (result.body as Buffer).toString('base64') : result.body }),
      });
    }
    return { status: 200, body: { responses } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(req, res, { exposeHeaders: EXPOSED })) return;
    // The caller may go away (an aborted fetch closes its connection) while the request waits or is handled.
    let gone = false;
    res.on('close', () => (gone ||= !res.writableEnded));
    if (await this.faults?.apply('graph', req, res)) return;
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of req) chunks.push(chunk as Buffer);
    } catch {
      gone = true;
    }
    if (gone) {
      // Gone before it was handled (during injected latency, say): logged with nginx's 499, never answered.
      this.log.push({ method, path, status: 499, appId: this.appOf(req.headers.authorization), closed: true });
      return;
    }
    const rawBody = Buffer.concat(chunks);
    const isBatch = method === 'POST' && path.toLowerCase() === '/v1.0/$batch';
    const result = isBatch ? await this.batch(req.headers, rawBody) : await this.dispatch(method, req.url ?? '/', req.headers, rawBody);
    const entry = isBatch ? { method, path: '/v1.0/$batch', status: result.status, appId: this.appOf(req.headers.authorization) } : this.logged.get(result);
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
      headers['content-type'] = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
    }
    if (payload) headers['content-length'] = String(payload.length);
    res.writeHead(result.status, headers);
    res.end(payload);
  }
}
