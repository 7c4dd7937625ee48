// A local Azure SignalR Service in serverless mode: the client endpoint (negotiate + WebSockets speaking the JSON hub
// protocol) and the server REST API v1, with the service's access-token rules, its name rules and its status codes
// (docs/swagger/v1.json and docs/swagger/V20220601.json in Azure/azure-signalr).
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer as createHttpServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  applyCors,
  BodyTooLarge,
  close,
  MAX_BODY,
  listen,
  makeRequest,
  requestUrl,
  Router,
  sendEmpty,
  sendJson,
  type Request,
} from '../shared/http.js';
import { checkClaims, TokenError, verifyHs256, type JwtClaims } from '../../common/jwt.js';
import type { EmulatorService, ListenOptions } from '../shared/service.js';
import { connectionStringFor } from '../../common/signalr-connection.js';
import { isGroupName, isHubName, isUserId } from '../../common/signalr-names.js';

const RS = '\u001e';
/** User-group relationships the service keeps per user (see `addUser`). */
const MAX_GROUPS_PER_USER = 100;

// The service's messages for names it refuses (src/Microsoft.Azure.SignalR.Emulator/Common/ErrorMessages.cs).
const HUB_NAME_ERROR =
  'Invalid hub name. Valid hub name should be in between 1 and 128 characters long. The first character must be a letter, other characters can be letters, digits or the following symbols _`,.[]';
const GROUP_NAME_ERROR = 'Invalid group name. Valid group name should be in between 1 and 1024 characters long.';
const USER_ID_ERROR = 'Invalid user id. Valid user id should be in between 1 and 1024 characters long.';

/** Answers 400 (and gives false) when a REST call names a hub, group or user the service refuses. */
function named(req: Request, res: ServerResponse): boolean {
  const { hub, group, user } = req.params;
  const error =
    hub !== undefined && !isHubName(hub)
      ? HUB_NAME_ERROR
      : group !== undefined && !isGroupName(group)
        ? GROUP_NAME_ERROR
        : user !== undefined && !isUserId(user)
          ? USER_ID_ERROR
          : undefined;
  if (error === undefined) return true;
  sendJson(res, 400, { error });
  return false;
}

export interface HubConnectionInfo {
  id: string;
  hub: string;
  userId: string | null;
  groups: string[];
}

interface Connection {
  id: string;
  /** What the client connects with (`id=` in the WebSocket URL): the connectionToken, or in version 0 the connection id. */
  token: string;
  hub: string;
  userId: string | null;
  socket: WebSocket | null;
  handshaken: boolean;
  ping?: ReturnType<typeof setInterval>;
  /** Invocations sent to it and not yet written (see `deliver`). */
  outbox?: string;
}

export interface SignalREmulatorOptions extends ListenOptions {
  /** The access key of the connection string. Default: a random one. */
  accessKey?: string;
  /** How often the service pings each connection. Default 15 s (the client's server timeout is 30 s). */
  pingIntervalMs?: number;
  /**
   * The highest negotiate protocol version the service answers with. Default 1. Set 0 to emulate the service as its
   * repository once described it ("Azure SignalR service supports Version 0 only", docs/advanced-topics/negotiate.md in
   * Azure/azure-signalr before it moved to https://learn.microsoft.com/azure/azure-signalr/signalr-concept-client-negotiation).
   */
  maxNegotiateVersion?: 0 | 1;
}

type Message = { target: string; arguments: unknown[] };

export class SignalRServiceEmulator implements EmulatorService {
  readonly accessKey: string;
  private server: Server | undefined;
  // A client's message is held until its record separator: one over MAX_BODY (the limit on REST bodies too) closes
  // the connection with 1009, "message too big", rather than growing without bound.
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: MAX_BODY });
  private baseUrl = '';
  private readonly router = new Router();
  /** Connections by id; pending ones (negotiated, not yet connected) have no socket. */
  private readonly live = new Map<string, Connection>();
  private readonly byToken = new Map<string, Connection>();
  /** Connections by hub and user ("<hub>\n<user>"), so a send to a user does not look through every connection. */
  private readonly byUser = new Map<string, Set<Connection>>();
  /** hub -> group -> members ("u:<user>" or "c:<connection>"). */
  private readonly groups = new Map<string, Map<string, Set<string>>>();
  /** Per hub and user, the groups they were added to, oldest first (at most 100 are kept). */
  private readonly userGroups = new Map<string, string[]>();
  /** Per hub, group and user added with a ttl, the timer that ends the membership. */
  private readonly expiring = new Map<string, ReturnType<typeof setTimeout>>();
  /** Messages sent to clients, for tests and benchmarks. */
  sent = 0;
  /** What happened so far, for tests and benchmarks. */
  readonly counters = { negotiations: 0, connected: 0, restCalls: 0, unauthorized: 0 };
  /** TCP connections that carried REST API calls (the app server's): open now, and the most open at once. */
  readonly restSockets = { open: 0, peak: 0 };
  /** Connections with invocations waiting to be written, and whether a write of them is scheduled. */
  private outgoing: Connection[] = [];
  private flushing = false;
  /** Resolves once what is queued now is written. */
  private written: Promise<void> = Promise.resolve();
  private readonly restSocketSet = new WeakSet<object>();
  /**
   * Server tokens whose signature was checked, with their claims: an app server reuses a token for a URL until it
   * nears expiry, so its signature is checked once; its lifetime and audience are still checked on every call.
   */
  private readonly signedTokens = new Map<string, JwtClaims>();

  constructor(private readonly options: SignalREmulatorOptions = {}) {
    this.accessKey = options.accessKey ?? randomBytes(33).toString('base64');
    this.routes();
  }

  get url(): string {
    return this.baseUrl;
  }

  get connectionString(): string {
    return connectionStringFor(this.baseUrl, this.accessKey);
  }

  async start(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.server = this.options.tls ? createHttpsServer(this.options.tls, handler) : createHttpServer(handler);
    this.server.on('upgrade', (req, socket, head) => this.upgrade(req, socket, head));
    this.server.on('request', (req: IncomingMessage) => {
      const socket = req.socket;
      if (!req.url?.startsWith('/api/') || this.restSocketSet.has(socket)) return;
      this.restSocketSet.add(socket);
      this.restSockets.peak = Math.max(this.restSockets.peak, ++this.restSockets.open);
      socket.once('close', () => this.restSockets.open--);
    });
    const host = this.options.host ?? '127.0.0.1';
    const port = await listen(this.server, this.options.port ?? 0, host, this.options);
    this.baseUrl = `${this.options.tls ? 'https' : 'http'}://${host}:${port}`;
  }

  async stop(): Promise<void> {
    for (const c of this.live.values()) {
      clearInterval(c.ping);
      c.socket?.terminate();
    }
    this.live.clear();
    this.byToken.clear();
    this.byUser.clear();
    if (this.server) await close(this.server);
  }

  /** The live connections (same as `list()`). */
  connections(): HubConnectionInfo[] {
    return this.list();
  }

  /** The live connections. */
  list(): HubConnectionInfo[] {
    return [...this.live.values()]
      .filter((c) => c.socket)
      .map((c) => ({ id: c.id, hub: c.hub, userId: c.userId, groups: this.groupsOf(c) }));
  }

  /** Cuts connections abruptly (no close message), as a network failure would. Returns how many. */
  dropConnections(filter: { userId?: string; hub?: string } = {}): number {
    let count = 0;
    for (const c of this.matching(filter)) {
      c.socket!.terminate();
      count++;
    }
    return count;
  }

  /** Closes connections with a close message, as the service does when it restarts. */
  closeConnections(filter: { userId?: string; hub?: string; allowReconnect?: boolean; error?: string } = {}): number {
    let count = 0;
    for (const c of this.matching(filter)) {
      this.flushOne(c);
      c.socket!.send(
        JSON.stringify({
          type: 7,
          error: filter.error ?? 'Service is restarting',
          allowReconnect: filter.allowReconnect ?? true,
        }) + RS,
      );
      c.socket!.close(1000);
      count++;
    }
    return count;
  }

  private matching(filter: { userId?: string; hub?: string }): Connection[] {
    return [...this.live.values()].filter(
      (c) =>
        c.socket &&
        (!filter.userId || c.userId === filter.userId) &&
        (!filter.hub || c.hub === filter.hub.toLowerCase()),
    );
  }

  private remember(c: Connection): void {
    this.live.set(c.id, c);
    if (c.userId === null) return;
    const key = `${c.hub}\n${c.userId}`;
    let set = this.byUser.get(key);
    if (!set) this.byUser.set(key, (set = new Set()));
    set.add(c);
  }

  private forget(c: Connection): void {
    this.live.delete(c.id);
    if (c.userId === null) return;
    const key = `${c.hub}\n${c.userId}`;
    const set = this.byUser.get(key);
    set?.delete(c);
    if (set && !set.size) this.byUser.delete(key);
  }

  /** The connections of one user in a hub (pending ones included: `deliver` skips those). */
  private ofUser(hub: string, user: string): Iterable<Connection> {
    return this.byUser.get(`${hub.toLowerCase()}\n${user}`) ?? [];
  }

  private groupsOf(c: Connection): string[] {
    const hubGroups = this.groups.get(c.hub);
    if (!hubGroups) return [];
    return [...hubGroups.entries()]
      .filter(([, members]) => members.has(`c:${c.id}`) || (c.userId !== null && members.has(`u:${c.userId}`)))
      .map(([g]) => g);
  }

  /**
   * "Add a user to the target group" (docs/swagger/v1.json; https://learn.microsoft.com/azure/azure-signalr/swagger/signalr-data-plane-rest-v1#add-a-user-to-the-target-group):
   * with `ttl`, the user is in the group for that many seconds; "if ttl is not set, the service preserves 100
   * user-group relationships per user and old user-group relationship are overwritten by newly added ones". The page
   * does not say whether memberships made with a ttl count among the 100: the stricter reading is emulated, every
   * membership counts, and the 101st a user is given ends their oldest.
   */
  private addUser(hub: string, group: string, user: string, ttlSeconds: number | null): void {
    this.forgetMembership(hub, group, user);
    const key = `${hub}\n${user}`;
    let groups = this.userGroups.get(key);
    if (!groups) this.userGroups.set(key, (groups = []));
    groups.push(group);
    if (groups.length > MAX_GROUPS_PER_USER) {
      const oldest = groups[0]!;
      this.forgetMembership(hub, oldest, user);
      this.group(hub, oldest).delete(`u:${user}`);
    }
    if (ttlSeconds !== null) {
      const member = `${hub}\n${group}\n${user}`;
      const timer = setTimeout(() => {
        if (this.expiring.get(member) !== timer) return;
        this.forgetMembership(hub, group, user);
        this.group(hub, group).delete(`u:${user}`);
      }, ttlSeconds * 1000);
      timer.unref();
      this.expiring.set(member, timer);
    }
    this.group(hub, group).add(`u:${user}`);
  }

  private removeUser(hub: string, group: string, user: string): void {
    this.forgetMembership(hub, group, user);
    this.group(hub, group).delete(`u:${user}`);
  }

  /** Drops what counted a user's membership of a group (its place among the 100, or its ttl). */
  private forgetMembership(hub: string, group: string, user: string): void {
    const groups = this.userGroups.get(`${hub}\n${user}`);
    const at = groups?.indexOf(group) ?? -1;
    if (at >= 0) groups!.splice(at, 1);
    const member = `${hub}\n${group}\n${user}`;
    clearTimeout(this.expiring.get(member));
    this.expiring.delete(member);
  }

  private group(hub: string, name: string): Set<string> {
    let hubGroups = this.groups.get(hub);
    if (!hubGroups) this.groups.set(hub, (hubGroups = new Map()));
    let members = hubGroups.get(name);
    if (!members) hubGroups.set(name, (members = new Set()));
    return members;
  }

  // ---- client side ----

  private clientAudience(hub: string): string {
    return `${this.baseUrl}/client/?hub=${hub}`.toLowerCase();
  }

  /** Verifies a client access token for a hub; gives the user id it carries. */
  private verifyClient(token: string | null, hub: string): string | null {
    if (!token) throw new TokenError('malformed', 'No access token.');
    const { claims } = verifyHs256(token, Buffer.from(this.accessKey, 'utf8'), { requireExp: true });
    const aud = typeof claims.aud === 'string' ? claims.aud.toLowerCase() : '';
    if (aud !== this.clientAudience(hub))
      throw new TokenError('bad_audience', `Audience ${String(claims.aud)} is not ${this.clientAudience(hub)}.`);
    const user = claims['asrs.s.uid'] ?? claims.nameid;
    return typeof user === 'string' && user ? user : null;
  }

  /**
   * POST /client/negotiate?hub=…: the client negotiate of the transport protocol
   * (https://learn.microsoft.com/azure/azure-signalr/signalr-concept-client-negotiation). Without `negotiateVersion`
   * the version is 0: the answer has a connectionId, which is also what the client connects with, and no
   * connectionToken; from version 1 the client connects with the connectionToken.
   */
  private negotiate(req: Request, res: ServerResponse): void {
    const hub = (req.url.searchParams.get('hub') ?? '').toLowerCase();
    if (!hub) return sendJson(res, 400, { error: 'The hub query parameter is required.' });
    if (!isHubName(hub)) return sendJson(res, 400, { error: HUB_NAME_ERROR });
    const requested = req.url.searchParams.get('negotiateVersion');
    if (requested !== null && !/^\d{1,9}$/.test(requested))
      return sendJson(res, 400, { error: `The client requested an invalid protocol version '${requested}'.` });
    const version = Math.min(Number(requested ?? 0), this.options.maxNegotiateVersion ?? 1);
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : req.url.searchParams.get('access_token');
    let userId: string | null;
    try {
      userId = this.verifyClient(token, hub);
    } catch (error) {
      this.counters.unauthorized++;
      return sendJson(res, 401, { error: `Unauthorized: ${(error as Error).message}` });
    }
    this.counters.negotiations++;
    const id = randomUUID();
    const connection: Connection = {
      id,
      token: version === 0 ? id : randomBytes(24).toString('base64url'),
      hub,
      userId,
      socket: null,
      handshaken: false,
    };
    this.remember(connection);
    this.byToken.set(connection.token, connection);
    // An unused negotiation expires, as the service's does.
    setTimeout(() => {
      if (!connection.socket) {
        this.forget(connection);
        this.byToken.delete(connection.token);
      }
    }, 15_000).unref();
    sendJson(res, 200, {
      negotiateVersion: version,
      connectionId: connection.id,
      ...(version >= 1 ? { connectionToken: connection.token } : {}),
      availableTransports: [{ transport: 'WebSockets', transferFormats: ['Text', 'Binary'] }],
    });
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = requestUrl(req, this.baseUrl || 'http://x');
    const refuse = (status: number, message: string) => {
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
      );
    };
    if (!url) return refuse(400, 'The request target is not a URL.');
    if (!/^\/client\/?$/i.test(url.pathname)) return refuse(404, 'Not found');
    const hub = (url.searchParams.get('hub') ?? '').toLowerCase();
    const connection = this.byToken.get(url.searchParams.get('id') ?? '');
    if (!connection || connection.socket || connection.hub !== hub) return refuse(404, 'No connection with that id.');
    const auth = req.headers.authorization;
    const token =
      url.searchParams.get('access_token') ?? (typeof auth === 'string' ? auth.replace(/^Bearer\s+/i, '') : null);
    try {
      const userId = this.verifyClient(token, hub);
      if (userId !== connection.userId)
        throw new TokenError('bad_signature', 'The token names another user than the negotiation.');
    } catch (error) {
      return refuse(401, (error as Error).message);
    }
    this.byToken.delete(connection.token);
    this.counters.connected++;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(connection, ws));
  }

  private accept(connection: Connection, ws: WebSocket): void {
    connection.socket = ws;
    let buffer = '';
    ws.on('message', (data) => {
      buffer += data.toString();
      let at: number;
      while ((at = buffer.indexOf(RS)) >= 0) {
        const frame = buffer.slice(0, at);
        buffer = buffer.slice(at + 1);
        this.onFrame(connection, frame);
      }
      // What is left is the start of a message: one that grows past the limit is not waited for.
      if (buffer.length > MAX_BODY) {
        buffer = '';
        ws.close(1009, 'Message too big.');
      }
    });
    const forget = () => {
      clearInterval(connection.ping);
      this.forget(connection);
      const hubGroups = this.groups.get(connection.hub);
      hubGroups?.forEach((members) => members.delete(`c:${connection.id}`));
    };
    ws.on('close', forget);
    ws.on('error', forget);
    const handshakeTimer = setTimeout(() => {
      if (!connection.handshaken) ws.close(1002, 'Handshake was not received in time.');
    }, 15_000);
    handshakeTimer.unref();
  }

  private onFrame(connection: Connection, frame: string): void {
    const ws = connection.socket!;
    let message: Record<string, unknown>;
    try {
      message = JSON.parse(frame);
      // Every message of the JSON protocol, the handshake included, is an object.
      if (!message || typeof message !== 'object' || Array.isArray(message)) throw new Error('not an object');
    } catch {
      ws.send(
        JSON.stringify({
          type: 7,
          error: 'Connection closed with an error: the message is not a valid JSON protocol message.',
          allowReconnect: false,
        }) + RS,
      );
      ws.close(1003);
      return;
    }
    if (!connection.handshaken) {
      if (message.protocol !== 'json' || message.version !== 1) {
        ws.send(
          JSON.stringify({
            error: `Requested protocol '${String(message.protocol)}' version ${String(message.version)} is not available.`,
          }) + RS,
        );
        ws.close(1002);
        return;
      }
      connection.handshaken = true;
      ws.send('{}' + RS);
      connection.ping = setInterval(
        () => ws.readyState === ws.OPEN && ws.send('{"type":6}' + RS),
        this.options.pingIntervalMs ?? 15_000,
      );
      connection.ping.unref();
      return;
    }
    switch (message.type) {
      case 6:
        return;
      case 7:
        ws.close(1000);
        return;
      case 1:
      case 4:
        // Serverless mode has no hub to invoke without upstream endpoints.
        if (typeof message.invocationId === 'string') {
          ws.send(
            JSON.stringify({
              type: 3,
              invocationId: message.invocationId,
              error: 'Serverless mode: invoking hub methods needs an upstream endpoint, which is not configured.',
            }) + RS,
          );
        }
        return;
      default:
        return;
    }
  }

  /**
   * Queues an invocation for each target; what a connection is sent while the process is busy goes out in one
   * WebSocket message once it is free (`setImmediate`), in the order sent. The JSON hub protocol ends each message
   * with the record separator 0x1E, so one transport payload may carry several, and clients read them all
   * (https://github.com/dotnet/aspnetcore/blob/main/src/SignalR/docs/specs/HubProtocol.md): a burst of sends to a
   * thousand users costs a write per connection, not one per message.
   */
  private deliver(targets: Iterable<Connection>, message: Message): number {
    const frame = JSON.stringify({ type: 1, target: message.target, arguments: message.arguments }) + RS;
    let count = 0;
    for (const c of targets) {
      if (c.socket && c.handshaken && c.socket.readyState === c.socket.OPEN) {
        if (c.outbox === undefined) this.outgoing.push(c);
        c.outbox = (c.outbox ?? '') + frame;
        count++;
      }
    }
    if (count && !this.flushing) {
      this.flushing = true;
      this.written = new Promise((resolve) =>
        setImmediate(() => {
          this.flush();
          resolve();
        }),
      );
    }
    this.sent += count;
    return count;
  }

  private flush(): void {
    this.flushing = false;
    const outgoing = this.outgoing;
    this.outgoing = [];
    for (const c of outgoing) this.flushOne(c);
  }

  /** Writes what waits for one connection (before it is closed, so nothing sent before the close is lost). */
  private flushOne(c: Connection): void {
    const pending = c.outbox;
    c.outbox = undefined;
    if (pending && c.socket && c.socket.readyState === c.socket.OPEN) c.socket.send(pending);
  }

  // ---- server REST API ----

  private verifyServer(req: Request): void {
    const auth = req.headers.authorization;
    const token = typeof auth === 'string' && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '') : '';
    if (!token) throw new TokenError('malformed', 'No bearer token.');
    let claims = this.signedTokens.get(token);
    if (claims) checkClaims(claims, { requireExp: true });
    else {
      claims = verifyHs256(token, Buffer.from(this.accessKey, 'utf8'), { requireExp: true }).claims;
      if (this.signedTokens.size >= 10_000) this.signedTokens.clear();
      this.signedTokens.set(token, claims);
    }
    const expected = `${this.baseUrl}${req.url.pathname}`.toLowerCase();
    const aud = typeof claims.aud === 'string' ? claims.aud.toLowerCase().replace(/\?.*$/, '') : '';
    if (aud !== expected) throw new TokenError('bad_audience', `Audience ${String(claims.aud)} is not ${expected}.`);
  }

  private async message(req: Request): Promise<Message | undefined> {
    try {
      const body = await req.json<Partial<Message>>();
      if (typeof body?.target !== 'string' || !body.target || !Array.isArray(body.arguments)) return undefined;
      return { target: body.target, arguments: body.arguments };
    } catch (error) {
      if (error instanceof BodyTooLarge) throw error;
      return undefined;
    }
  }

  private inHub(hub: string): Connection[] {
    return [...this.live.values()].filter((c) => c.hub === hub.toLowerCase());
  }

  /** A live connection of that hub, or undefined. */
  private liveIn(hub: string, id: string): Connection | undefined {
    const c = this.live.get(id);
    return c && c.socket && c.hub === hub.toLowerCase() ? c : undefined;
  }

  private groupMembers(hub: string, group: string): Connection[] {
    const members = this.groups.get(hub.toLowerCase())?.get(group);
    if (!members) return [];
    return this.inHub(hub).filter(
      (c) => c.socket && (members.has(`c:${c.id}`) || (c.userId !== null && members.has(`u:${c.userId}`))),
    );
  }

  /**
   * The REST API v1 (docs/swagger/v1.json): sends answer 202 whether or not anyone receives them (a connection that
   * does not exist included); user group membership answers 202; a connection's group membership 200, or 404 when
   * there is no such connection; existence checks 200 or 404. Names the service refuses get 400 first (`named`).
   */
  private routes(): void {
    const r = this.router;
    r.on('POST', '/client/negotiate', (req, res) => this.negotiate(req, res));
    // "Get service health status": 200 (v1.json has HEAD /api/v1/health; the service's SDK and emulator also use GET
    // and /api/health). It is called with a token like the rest of the API.
    for (const path of ['/api/v1/health', '/api/health']) {
      r.on('HEAD', path, (_req, res) => sendEmpty(res, 200));
      r.on('GET', path, (_req, res) => sendEmpty(res, 200));
    }
    const on = (method: string, path: string, handler: (req: Request, res: ServerResponse) => unknown) =>
      r.on(method, path, (req, res) => named(req, res) && handler(req, res));
    for (const prefix of ['/api/v1/hubs/:hub', '/api/hubs/:hub']) {
      on('POST', prefix, async (req, res) => this.send(req, res, this.inHub(req.params.hub!)));
      on('POST', `${prefix}/users/:user`, async (req, res) =>
        this.send(req, res, [...this.ofUser(req.params.hub!, req.params.user!)]),
      );
      on('POST', `${prefix}/connections/:id`, async (req, res) => {
        const c = this.liveIn(req.params.hub!, req.params.id!);
        return this.send(req, res, c ? [c] : []);
      });
      on('POST', `${prefix}/groups/:group`, async (req, res) =>
        this.send(req, res, this.groupMembers(req.params.hub!, req.params.group!)),
      );
      on('PUT', `${prefix}/groups/:group/users/:user`, (req, res) => {
        const ttl = req.url.searchParams.get('ttl');
        if (ttl !== null && !/^\d{1,9}$/.test(ttl)) return sendJson(res, 400, { error: 'ttl must be a whole number.' });
        this.addUser(req.params.hub!.toLowerCase(), req.params.group!, req.params.user!, ttl === null ? null : +ttl);
        sendEmpty(res, 202);
      });
      on('DELETE', `${prefix}/groups/:group/users/:user`, (req, res) => {
        this.removeUser(req.params.hub!.toLowerCase(), req.params.group!, req.params.user!);
        sendEmpty(res, 202);
      });
      on('DELETE', `${prefix}/users/:user/groups`, (req, res) => {
        const hub = req.params.hub!.toLowerCase();
        for (const group of [...(this.groups.get(hub)?.keys() ?? [])]) this.removeUser(hub, group, req.params.user!);
        sendEmpty(res, 200);
      });
      on('PUT', `${prefix}/groups/:group/connections/:id`, (req, res) => {
        const c = this.liveIn(req.params.hub!, req.params.id!);
        if (!c) return sendJson(res, 404, { error: 'Connection not found.' });
        this.group(c.hub, req.params.group!).add(`c:${c.id}`);
        sendEmpty(res, 200);
      });
      on('DELETE', `${prefix}/groups/:group/connections/:id`, (req, res) => {
        const c = this.liveIn(req.params.hub!, req.params.id!);
        if (!c) return sendJson(res, 404, { error: 'Connection not found.' });
        this.group(c.hub, req.params.group!).delete(`c:${c.id}`);
        sendEmpty(res, 200);
      });
      on('DELETE', `${prefix}/connections/:id`, (req, res) => {
        const c = this.liveIn(req.params.hub!, req.params.id!);
        if (c) this.flushOne(c);
        c?.socket!.close(1000);
        sendEmpty(res, 202);
      });
      const exists = (has: (req: Request) => boolean) => (req: Request, res: ServerResponse) =>
        sendEmpty(res, has(req) ? 200 : 404);
      const checks: Array<[string, (req: Request) => boolean]> = [
        [
          `${prefix}/users/:user`,
          (req) => this.inHub(req.params.hub!).some((c) => c.socket && c.userId === req.params.user),
        ],
        [`${prefix}/connections/:id`, (req) => !!this.liveIn(req.params.hub!, req.params.id!)],
        [`${prefix}/groups/:group`, (req) => this.groupMembers(req.params.hub!, req.params.group!).length > 0],
        [
          `${prefix}/groups/:group/users/:user`,
          (req) =>
            !!this.groups.get(req.params.hub!.toLowerCase())?.get(req.params.group!)?.has(`u:${req.params.user}`),
        ],
      ];
      for (const [path, has] of checks) {
        on('HEAD', path, exists(has));
        on('GET', path, exists(has));
      }
    }
  }

  private async send(req: Request, res: ServerResponse, targets: Connection[]): Promise<void> {
    const message = await this.message(req);
    if (!message) return sendJson(res, 400, { error: 'The body must be {"target": string, "arguments": array}.' });
    const excluded = new Set(req.url.searchParams.getAll('excluded'));
    this.deliver(excluded.size ? targets.filter((c) => !excluded.has(c.id)) : targets, message);
    // Answered once the message is written to its connections, as before it was queued.
    await this.written;
    sendEmpty(res, 202);
  }

  private async handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    if (applyCors(raw, res)) return;
    if (!requestUrl(raw, 'http://x')) return sendJson(res, 400, { error: 'The request target is not a URL.' });
    if (await this.options.faults?.apply('signalr', raw, res)) return;
    const req = makeRequest(raw, this.baseUrl || 'http://x');
    const found = this.router.match(req.method, req.path);
    if (!found) return sendJson(res, 404, { error: 'Not found.' });
    if (found === 'method')
      return sendJson(res, 405, { error: 'Method not allowed.' }, { allow: this.router.allowed(req.path) });
    req.params = found.params;
    if (!/^\/client\//i.test(req.path)) {
      this.counters.restCalls++;
      try {
        this.verifyServer(req);
      } catch (error) {
        this.counters.unauthorized++;
        return sendJson(res, 401, { error: `Unauthorized: ${(error as Error).message}` });
      }
    }
    try {
      await found.handler(req, res);
    } catch (error) {
      if (error instanceof BodyTooLarge)
        return sendJson(res, 413, { error: 'The request body is too large.' }, error.headers);
      sendJson(res, 500, { error: (error as Error).message });
    }
  }
}
